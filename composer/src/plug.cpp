// `wac plug` semantics on compose::Graph (see plug.h).
#include "witc/composer/plug.h"

#include <unordered_set>

#include <fmt/format.h>

#include "witc/base/try.h"
#include "witc/composer/explain.h"

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
  std::unordered_set<std::string> mismatched;  // socket imports a plug export of the name did not fit
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
          // The explanation (which export, which import, where the types differ).
          result.mismatches.push_back(r.error().notes.empty() ? render(r.error()) : r.error().notes.back());
          mismatched.insert(im);
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
  std::vector<Offer> offers;
  for (size_t pi = 0; pi < plugs.size(); ++pi) {
    for (const auto& [name, e] : g.package_type(states[pi].package).exports) {
      offers.push_back({fmt::format("plug `{}`", plugs[pi].name), name, e});
    }
  }
  for (const std::string& im : socket_imports) {
    if (filled_by.count(im) || mismatched.count(im)) continue;
    WITC_TRY_VAL(bin::EntityType want, g.import_type(socket_node, im));
    // With something plugged, unfilled imports pass through and only offers
    // near in name are worth a hint; with nothing plugged, any that fits.
    result.unfilled.emplace_back(im, nearest_offers(g.types(), im, want, offers, 3, result.connections.empty()));
  }
  if (result.connections.empty()) {
    Diagnostic d = Diagnostic::plain(
        fmt::format("the socket component `{}` has no imports that the plugs' exports can fill", socket.name));
    for (const std::string& m : result.mismatches) d.notes.push_back(m);
    for (const auto& [im, near] : result.unfilled) {
      if (near.empty()) continue;
      d.notes.push_back(fmt::format("nothing is named like import `{}`; the nearest offers:", im));
      for (const std::string& n : near) d.notes.push_back("  " + n);
    }
    if (result.mismatches.empty() && d.notes.empty()) {
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
  if (options.on_graph) options.on_graph(g);
  if (options.encode) {
    WITC_ASSIGN(result.component, g.encode(options.encoding));
  }
  return result;
}

}  // namespace witc::compose
