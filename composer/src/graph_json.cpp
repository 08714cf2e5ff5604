// Compositions described as JSON (see graph_json.h).
#include "witc/composer/graph_json.h"


#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "witc/base/file.h"
#include "witc/base/try.h"
#include "witc/bin/component_names.h"
#include "witc/composer/encode.h"
#include "witc/wit/wit.h"
#include "wac_resolve.h"

namespace witc::compose {

namespace {

using nlohmann::json;

Diagnostic step_error(std::string step, Diagnostic cause) {
  cause.context.insert(cause.context.begin(), std::move(step));
  return cause;
}

Expected<uint32_t> index_field(const json& obj, const char* key, size_t limit, const char* what) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_number_unsigned()) {
    return fail(Diagnostic::plain(fmt::format("missing or invalid `{}`", key)));
  }
  uint64_t v = it->get<uint64_t>();
  if (v >= limit) return fail(Diagnostic::plain(fmt::format("{} index {} is out of bounds", what, v)));
  return static_cast<uint32_t>(v);
}

Expected<std::string> string_field(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) {
    return fail(Diagnostic::plain(fmt::format("missing or invalid `{}`", key)));
  }
  return it->get<std::string>();
}

// The entity an import of a package's exported type is: a function for a
// function type, an instance for an instance type, ...
Expected<bin::EntityType> import_type_of(const Graph& g, PackageId p, const std::string& name) {
  const bin::EntityType* e = g.package_type(p).exports.find(name);
  if (!e) {
    return fail(Diagnostic::plain(fmt::format("package `{}` has no export named `{}`", g.package(p).name, name)));
  }
  if (e->kind != bin::EntityKind::Type) return *e;
  bin::EntityType out = *e;
  switch (g.types().kind(e->type)) {
    case bin::TypeKind::Func: out.kind = bin::EntityKind::Func; break;
    case bin::TypeKind::Instance: out.kind = bin::EntityKind::Instance; break;
    case bin::TypeKind::Component: out.kind = bin::EntityKind::Component; break;
    default: break;
  }
  return out;
}

class Builder {
 public:
  Builder(const json& doc, const std::filesystem::path& base, const GraphJsonOptions& o)
      : doc_(doc), base_(base), options_(o) {}

  Expected<std::vector<uint8_t>> run() {
    WITC_TRY(packages());
    WITC_TRY(nodes());
    WITC_TRY(arguments());
    WITC_TRY(exports());
    if (options_.on_graph) options_.on_graph(graph_);
    if (!options_.encode) return std::vector<uint8_t>();
    auto bytes = graph_.encode(options_.encoding);
    if (!bytes) return fail(step_error("failed to encode the graph", std::move(bytes.error())));
    return bytes;
  }

 private:
  const json& list(const char* key) {
    static const json empty = json::array();
    auto it = doc_.find(key);
    return it != doc_.end() && it->is_array() ? *it : empty;
  }

  Expected<void> packages() {
    for (const json& p : list("packages")) {
      WITC_TRY_VAL(std::string name, string_field(p, "name"));
      WITC_TRY_VAL(std::string path, string_field(p, "path"));
      std::filesystem::path file = base_ / path;
      if (options_.wat_to_wasm && file.extension() == ".wat") file.replace_extension(".wasm");
      auto step = fmt::format("failed to register package `{}`", path);
      if (names_.count(name)) {
        return fail(step_error(step, Diagnostic::plain(
                                         fmt::format("package `{}` has already been registered in the graph", name))));
      }
      // A component binary, or a WIT package (a `.wit` file or a folder with
      // `deps/`) whose only world is the package's type.
      std::error_code ec;
      Expected<PackageId> id = fail(Diagnostic::plain(""));
      if (std::filesystem::is_directory(file, ec) || file.extension() == ".wit") {
        id = wit_package(name, file);
      } else {
        auto bytes = std::filesystem::is_regular_file(file, ec) ? read_file_bytes(file) : std::nullopt;
        if (!bytes) {
          return fail(step_error(step, Diagnostic::plain(fmt::format("cannot read `{}`", file.string()))));
        }
        id = graph_.add_package(name, std::move(*bytes), options_.encoding.features);
      }
      if (!id) return fail(step_error(step, std::move(id.error())));
      if (auto v = p.find("version"); v != p.end() && v->is_string()) {
        graph_.set_package_version(*id, v->get<std::string>());
      }
      names_.emplace(name, *id);
      packages_.push_back(*id);
    }
    return {};
  }

  Expected<PackageId> wit_package(const std::string& name, const std::filesystem::path& path) {
    auto resolve = std::make_unique<wit::Resolve>();
    auto roots = wit::load_path(*resolve, path.string());
    if (!roots) return fail(Diagnostic::plain(render(roots.error(), &resolve->sources)));
    WITC_TRY_VAL(wit::WorldId world, select_world(*resolve, *roots, std::nullopt));
    return add_world_package(graph_, name, *resolve, world);
  }

  Expected<void> nodes() {
    const json& ns = list("nodes");
    for (size_t i = 0; i < ns.size(); ++i) {
      auto r = node(ns[i]);
      if (!r) return fail(step_error(fmt::format("failed to add node {}", i), std::move(r.error())));
      nodes_.push_back(*r);
    }
    return {};
  }

  Expected<NodeId> node(const json& n) {
    WITC_TRY_VAL(std::string type, string_field(n, "type"));
    if (type == "import") {
      WITC_TRY_VAL(std::string name, string_field(n, "name"));
      WITC_TRY_VAL(uint32_t p, index_field(n, "package", packages_.size(), "package"));
      WITC_TRY_VAL(std::string ex, string_field(n, "export"));
      WITC_TRY_VAL(bin::EntityType t, import_type_of(graph_, packages_[p], ex));
      return graph_.add_import(name, t);
    }
    if (type == "instantiation") {
      WITC_TRY_VAL(uint32_t p, index_field(n, "package", packages_.size(), "package"));
      return graph_.instantiate(packages_[p]);
    }
    if (type == "alias") {
      WITC_TRY_VAL(uint32_t s, index_field(n, "source", nodes_.size(), "node"));
      WITC_TRY_VAL(std::string ex, string_field(n, "export"));
      return graph_.alias_export(nodes_[s], ex);
    }
    return fail(Diagnostic::plain(fmt::format("unknown node type `{}`", type)));
  }

  Expected<void> arguments() {
    const json& as = list("arguments");
    for (size_t i = 0; i < as.size(); ++i) {
      const json& a = as[i];
      auto r = [&]() -> Expected<void> {
        WITC_TRY_VAL(uint32_t s, index_field(a, "source", nodes_.size(), "node"));
        WITC_TRY_VAL(uint32_t t, index_field(a, "target", nodes_.size(), "node"));
        WITC_TRY_VAL(std::string name, string_field(a, "name"));
        bin::EntityType want;
        auto set = graph_.set_argument(nodes_[t], name, nodes_[s], &want);
        if (!set) {
          Diagnostic d = std::move(set.error());
          // A type that does not fit is worded as wac's graph words it.
          const std::string mismatched = fmt::format("mismatched instantiation argument `{}`", name);
          if (d.context.size() == 1 && d.context.front() == mismatched) {
            if (auto why = wac::detail::explain_mismatch(graph_.types(), graph_.instance_type(nodes_[s]), want)) {
              why->context.insert(why->context.begin(), mismatched);
              why->notes = std::move(d.notes);
              d = std::move(*why);
            }
          }
          return fail(step_error(fmt::format("failed to add argument edge from source node {} to target node {} "
                                             "referenced in argument {}",
                                             s, t, i),
                                 std::move(d)));
        }
        return {};
      }();
      if (!r) return r;
    }
    return {};
  }

  Expected<void> exports() {
    const json& es = list("exports");
    for (size_t i = 0; i < es.size(); ++i) {
      const json& e = es[i];
      auto step = [&] { return fmt::format("failed to export node {} in export {}", e.value("node", 0u), i); };
      WITC_TRY_VAL(uint32_t n, index_field(e, "node", nodes_.size(), "node"));
      WITC_TRY_VAL(std::string name, string_field(e, "name"));
      if (auto parsed = bin::parse_extern_name(name); !parsed) {
        Diagnostic d = std::move(parsed.error());
        d.context.insert(d.context.begin(), fmt::format("export name `{}` is not valid", name));
        return fail(step_error(step(), std::move(d)));
      }
      if (auto r = graph_.export_node(nodes_[n], name); !r) return fail(step_error(step(), std::move(r.error())));
    }
    return {};
  }

  const json& doc_;
  std::filesystem::path base_;
  GraphJsonOptions options_;
  Graph graph_;
  std::unordered_map<std::string, PackageId> names_;
  std::vector<PackageId> packages_;
  std::vector<NodeId> nodes_;
};

}  // namespace

Expected<std::vector<uint8_t>> compose_graph_json(std::string_view json_text, const std::filesystem::path& base_dir,
                                                  const GraphJsonOptions& options) {
  json doc = json::parse(json_text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return fail(Diagnostic::plain("the composition graph is not a JSON object"));
  }
  return Builder(doc, base_dir, options).run();
}

}  // namespace witc::compose
