// `wac plug` semantics on compose::Graph (see plug.h).
#include "witc/composer/plug.h"

#include <fmt/format.h>

#include "witc/base/try.h"

namespace witc::compose {

namespace {

struct PlugState {
  PackageId package;
  std::optional<NodeId> instance;
  size_t used = 0;
};

}  // namespace

bool names_match(std::string_view want, std::string_view have) {
  return want == have || import_merge_key(want) == import_merge_key(have);
}

Expected<PlugResult> plug(const PlugInput& socket, const std::vector<PlugInput>& plugs,
                          const PlugOptions& options) {
  Graph g;
  WITC_TRY_VAL(PackageId socket_pkg, g.add_package(socket.name, socket.bytes, options.encoding.features));
  std::vector<PlugState> states;
  for (const PlugInput& p : plugs) {
    WITC_TRY_VAL(PackageId id, g.add_package(p.name, p.bytes, options.encoding.features));
    states.push_back({id, std::nullopt});
  }
  NodeId socket_node = g.instantiate(socket_pkg);
  PlugResult result;
  std::unordered_map<std::string, std::string> filled_by;  // socket import -> plug name
  const std::vector<std::string> socket_imports = [&] {
    std::vector<std::string> v;
    for (const auto& [name, e] : g.package_type(socket_pkg).imports) v.push_back(name);
    return v;
  }();
  for (size_t pi = 0; pi < plugs.size(); ++pi) {
    PlugState& st = states[pi];
    std::vector<std::string> exports;
    for (const auto& [name, e] : g.package_type(st.package).exports) exports.push_back(name);
    for (const std::string& ex : exports) {
      for (const std::string& im : socket_imports) {
        if (!names_match(im, ex) || filled_by.count(im)) continue;
        if (!st.instance) st.instance = g.instantiate(st.package);
        WITC_TRY_VAL(NodeId alias, g.alias_export(*st.instance, ex));
        if (auto r = g.set_argument(socket_node, im, alias); !r) {
          result.mismatches.push_back(render(r.error()));
          WITC_TRY(g.remove(alias));
          continue;
        }
        filled_by[im] = plugs[pi].name;
        result.connections.push_back({plugs[pi].name, ex, im});
        ++st.used;
      }
    }
    // A plug none of whose exports fit is not instantiated at all.
    if (st.instance && st.used == 0) WITC_TRY(g.remove(*st.instance));
  }
  if (result.connections.empty()) {
    Diagnostic d = Diagnostic::plain(
        fmt::format("the socket component `{}` has no imports that the plugs' exports can fill", socket.name));
    for (const std::string& m : result.mismatches) d.notes.push_back(m);
    if (result.mismatches.empty()) {
      std::string imports;
      for (const std::string& im : socket_imports) {
        if (!imports.empty()) imports += ", ";
        imports += '`';
        imports += im;
        imports += '`';
      }
      d.notes.push_back(imports.empty() ? std::string("the socket has no imports")
                                        : fmt::format("the socket imports {}", imports));
    }
    return fail(std::move(d));
  }
  for (const auto& [name, e] : g.package_type(socket_pkg).exports) {
    WITC_TRY_VAL(NodeId alias, g.alias_export(socket_node, name));
    WITC_TRY(g.export_node(alias, name));
  }
  if (options.encode) {
    WITC_ASSIGN(result.component, g.encode(options.encoding));
  }
  return result;
}

}  // namespace witc::compose
