// `wasm-tools compose` on compose::Graph (see wasm_compose.h).
//
// The breadth-first search decides which instance fills which import; the
// arguments are then set in dependency order, so that every instance passed
// on already has its own arguments and its exports their final types.
#include "witc/composer/wasm_compose.h"

#include <cerrno>
#include <cstring>
#include <deque>
#include <system_error>
#include <unordered_map>

#include <fmt/format.h>

#include "witc/base/file.h"
#include "witc/base/try.h"
#include "witc/composer/explain.h"

namespace witc::compose {

namespace {

namespace fs = std::filesystem;
using bin::EntityKind;
using bin::EntityType;

constexpr std::string_view kRoot = "root";

struct Component {
  std::string name;  // its dependency name ("root", "b", a definition's file stem)
  fs::path path;
  PackageId package;
};

struct Instance {
  std::string name;
  size_t component = 0;
  NodeId node;
};

struct Dependency {
  size_t dependent = 0;  // instance
  std::string import;    // of the dependent's component
  std::optional<size_t> definition;
  std::string instance;  // the instance named (no definition)
  std::optional<std::string> export_name;
};

// A connection decided by the search, made when the graph is wired.
struct Connection {
  enum class Kind : uint8_t { Definition, Export, Instance };
  Kind kind = Kind::Instance;
  size_t dependent = 0;
  std::string import;
  size_t source = 0;        // instance
  std::string export_name;  // Definition, Export
  size_t definition = 0;    // Definition: index into definitions_
};

// Why a file could not be read, in the words of the operating system.
std::string io_reason(const fs::path& p) {
  std::error_code ec;
  if (!fs::exists(p, ec)) return std::generic_category().message(ENOENT);
  if (fs::is_directory(p, ec)) return std::generic_category().message(EISDIR);
  return std::generic_category().message(errno ? errno : EIO);
}

// Rust's Path::set_extension: replaces what follows the last dot of the file
// name ("foo:bar@1.0.0" -> "foo:bar@1.0.wasm"), or appends one.
fs::path with_extension(fs::path p, std::string_view ext) {
  p.replace_extension(ext);
  return p;
}

class Builder {
 public:
  Builder(const fs::path& root, const WasmComposeConfig& config) : root_path_(root), config_(config) {
    result_.graph = std::make_unique<Graph>();
  }

  Expected<WasmComposition> run() {
    WITC_TRY_VAL(size_t root, load(std::string(kRoot), root_path_));
    for (const fs::path& d : config_.definitions) {
      WITC_TRY_VAL(size_t c, load(d.stem().string(), config_.dir / d));
      definitions_.push_back({c, std::nullopt});
    }
    add_instance(std::string(kRoot), root, true);
    std::deque<Dependency> queue;
    WITC_TRY(push_dependencies(0, queue));
    while (!queue.empty()) {
      Dependency d = std::move(queue.front());
      queue.pop_front();
      WITC_TRY_VAL(std::optional<size_t> created, process(std::move(d)));
      if (created) WITC_TRY(push_dependencies(*created, queue));
    }
    if (instances_.size() == 1) {
      return fail(Diagnostic::plain(
          fmt::format("no dependencies of component `{}` were found", root_path_.string())));
    }
    WITC_TRY(wire());
    Graph& g = graph();
    result_.root = instances_[0].node;
    const bin::ComponentType root_type = g.package_type(components_[root].package);
    for (const auto& [name, e] : root_type.exports) {
      WITC_TRY_VAL(NodeId alias, g.alias_export(result_.root, name));
      WITC_TRY(g.export_node(alias, name));
    }
    WITC_TRY(check_imports());
    WITC_TRY(describe_unresolved());
    return std::move(result_);
  }

 private:
  Graph& graph() { return *result_.graph; }
  const Component& component_of(size_t instance) const { return components_[instances_[instance].component]; }
  const bin::ComponentType& type_of(size_t instance) {
    return graph().package_type(component_of(instance).package);
  }

  // Reads a component file into the graph (wasm-tools: Component::from_file).
  Expected<size_t> load(std::string name, const fs::path& path) {
    if (component_names_.count(name)) {
      return fail(Diagnostic::plain(fmt::format("a component with name `{}` already exists", name)));
    }
    const std::string shown = path.string();
    errno = 0;
    auto bytes = read_file_bytes(path);
    if (!bytes) {
      Diagnostic d = Diagnostic::plain(io_reason(path));
      d.context = {fmt::format("failed to parse component `{}`", shown), fmt::format("failed to read from `{}`", shown)};
      return fail(std::move(d));
    }
    auto p = graph().add_package(name, std::move(*bytes));
    if (!p) {
      // Graph::add_package says which package; here the file is named instead.
      Diagnostic d = std::move(p.error());
      if (!d.context.empty()) d.context.erase(d.context.begin());
      return fail(std::move(d).with_context(fmt::format("failed to parse component `{}`", shown)));
    }
    component_names_.emplace(name, components_.size());
    components_.push_back({std::move(name), path, *p});
    return components_.size() - 1;
  }

  size_t add_instance(std::string name, size_t component, bool named) {
    NodeId node = graph().instantiate(components_[component].package);
    graph().set_instance_name(node, name);
    if (named) instance_names_.emplace(name, instances_.size());
    instances_.push_back({std::move(name), component, node});
    return instances_.size() - 1;
  }

  // The component named `name`: already loaded, configured, or found in the
  // search paths; nullopt when there is none.
  Expected<std::optional<size_t>> find_component(const std::string& name) {
    if (auto it = component_names_.find(name); it != component_names_.end()) return std::optional(it->second);
    if (const fs::path* p = config_.dependencies.find(name)) {
      WITC_TRY_VAL(size_t c, load(name, config_.dir / *p));
      return std::optional(c);
    }
    std::vector<fs::path> dirs{config_.dir};
    for (const fs::path& p : config_.search_paths) dirs.push_back(config_.dir / p);
    for (const fs::path& dir : dirs) {
      for (std::string_view ext : {".wasm", ".wat"}) {
        fs::path candidate = with_extension(dir / name, ext);
        std::error_code ec;
        if (!fs::is_regular_file(candidate, ec)) continue;
        WITC_TRY_VAL(size_t c, load(name, candidate));
        return std::optional(c);
      }
    }
    return std::optional<size_t>();
  }

  Expected<void> push_dependencies(size_t instance, std::deque<Dependency>& queue) {
    const Component& c = component_of(instance);
    const WasmComposeConfig::Instantiation* configured = config_.instantiations.find(instances_[instance].name);
    const size_t before = queue.size();
    const bin::ComponentType type = type_of(instance);
    for (const auto& [name, e] : type.imports) {
      if (e.kind != EntityKind::Instance) {
        return fail(Diagnostic::plain(
            fmt::format("component `{}` has a non-instance import named `{}`", c.path.string(), name)));
      }
      Dependency d;
      d.dependent = instance;
      d.import = name;
      for (size_t i = 0; i < definitions_.size() && !d.definition; ++i) {
        const EntityType* x = graph().package_type(components_[definitions_[i].first].package).exports.find(name);
        if (x && x->kind == EntityKind::Instance) d.definition = i;
      }
      if (!d.definition) {
        const WasmComposeConfig::Argument* arg = configured ? configured->arguments.find(name) : nullptr;
        d.instance = arg ? arg->instance : name;
        if (arg) d.export_name = arg->export_name;
      }
      queue.push_back(std::move(d));
    }
    if (configured) {
      for (const auto& [arg, value] : configured->arguments) {
        if (!type.imports.contains(arg)) {
          return fail(
              Diagnostic::plain(fmt::format("component `{}` has no import named `{}`", c.path.string(), arg)));
        }
      }
    }
    if (queue.size() == before && instance == 0) {
      return fail(Diagnostic::plain(fmt::format("component `{}` does not import any instances", c.path.string())));
    }
    return {};
  }

  // Handles one dependency; returns a newly created instance, whose own
  // dependencies are then searched.
  Expected<std::optional<size_t>> process(Dependency d) {
    if (d.definition) {
      auto& [component, inst] = definitions_[*d.definition];
      if (!inst) inst = add_instance(components_[component].name, component, false);
      connections_.push_back(
          {Connection::Kind::Definition, d.dependent, d.import, *inst, d.import, *d.definition});
      return std::optional<size_t>();
    }
    const std::string& name = config_.dependency_name(d.instance);
    std::optional<size_t> existing;
    if (auto it = instance_names_.find(d.instance); it != instance_names_.end()) existing = it->second;
    std::optional<size_t> created;
    if (!existing) {
      WITC_TRY_VAL(std::optional<size_t> c, find_component(name));
      if (!c) {
        if (config_.disallow_imports) {
          Diagnostic e = Diagnostic::plain(fmt::format(
              "a dependency named `{}` could not be found and instance imports are not allowed", name));
          for (const std::string& n : nearest_files(name)) e.notes.push_back("nearest: " + n);
          return fail(std::move(e));
        }
        if (d.export_name) {
          return fail(Diagnostic::plain(fmt::format(
              "an explicit export `{}` cannot be specified for imported instance `{}`", *d.export_name, name)));
        }
        unresolved_.push_back({d.dependent, d.import, name});
        return std::optional<size_t>();
      }
      created = add_instance(d.instance, *c, true);
      existing = created;
    }
    Connection conn{Connection::Kind::Instance, d.dependent, d.import, *existing, {}, 0};
    if (d.export_name) {
      const Component& src = component_of(*existing);
      const EntityType* x = graph().package_type(src.package).exports.find(*d.export_name);
      if (!x || x->kind != EntityKind::Instance) {
        return fail(Diagnostic::plain(fmt::format("component `{}` does not export an instance named `{}`",
                                                  src.path.string(), *d.export_name)));
      }
      conn.kind = Connection::Kind::Export;
      conn.export_name = *d.export_name;
    }
    connections_.push_back(std::move(conn));
    return created;
  }

  // Imports left to the result, with the nearest candidates: component files
  // named nearly like the dependency, and instance exports of the components
  // loaded that are close in name or fit by type.
  Expected<void> describe_unresolved() {
    Graph& g = graph();
    for (const Unresolved& u : unresolved_) {
      // Components with an instance that uses this one would make a cycle.
      std::vector<bool> upstream(instances_.size(), false);
      std::vector<size_t> work{u.instance};
      while (!work.empty()) {
        size_t i = work.back();
        work.pop_back();
        if (upstream[i]) continue;
        upstream[i] = true;
        for (const Connection& c : connections_) {
          if (c.source == i) work.push_back(c.dependent);
        }
      }
      std::vector<bool> excluded(components_.size(), false);
      for (size_t i = 0; i < instances_.size(); ++i) excluded[instances_[i].component] = excluded[instances_[i].component] || upstream[i];
      std::vector<Offer> offers;
      for (size_t ci = 0; ci < components_.size(); ++ci) {
        if (excluded[ci]) continue;
        for (const auto& [name, e] : g.package_type(components_[ci].package).exports) {
          if (e.kind != EntityKind::Instance) continue;
          offers.push_back({fmt::format("component `{}`", components_[ci].path.string()), name, e});
        }
      }
      const NodeId node = instances_[u.instance].node;
      std::vector<std::string> nearest = nearest_files(u.dependency);
      WITC_TRY_VAL(EntityType want, g.import_type(node, u.import));
      for (std::string& o : nearest_offers(g.types(), u.import, want, offers)) nearest.push_back(std::move(o));
      result_.unresolved.emplace_back(fmt::format("import `{}` of {}", u.import, g.describe(node)), std::move(nearest));
    }
    return {};
  }

  // Component files whose names are close to `name`, in the folders searched.
  std::vector<std::string> nearest_files(const std::string& name) const {
    std::vector<std::pair<size_t, std::string>> found;
    std::vector<fs::path> dirs{config_.dir};
    for (const fs::path& p : config_.search_paths) dirs.push_back(config_.dir / p);
    const size_t close = std::max<size_t>(2, name.size() / 3);
    for (const fs::path& dir : dirs) {
      std::error_code ec;
      for (fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec), end; !ec && it != end; it.increment(ec)) {
        const fs::path& p = it->path();
        if (p.extension() != ".wasm" && p.extension() != ".wat") continue;
        size_t dist = edit_distance(name, p.stem().string());
        if (dist <= close) found.emplace_back(dist, (dir.empty() ? p.filename() : p).string());
      }
    }
    std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (size_t i = 0; i < found.size() && i < 3; ++i) {
      out.push_back(fmt::format("component `{}` (the name differs by {} edit{})", found[i].second, found[i].first,
                                found[i].first == 1 ? "" : "s"));
    }
    return out;
  }

  // Instances in dependency order (sources first); a cycle is an error.
  Expected<std::vector<size_t>> order() const {
    std::vector<std::vector<size_t>> sources(instances_.size());
    for (const Connection& c : connections_) sources[c.dependent].push_back(c.source);
    std::vector<uint8_t> state(instances_.size(), 0);  // 1 on the path, 2 done
    std::vector<size_t> out;
    for (size_t start = 0; start < instances_.size(); ++start) {
      if (state[start]) continue;
      std::vector<std::pair<size_t, size_t>> stack{{start, 0}};
      state[start] = 1;
      while (!stack.empty()) {
        auto& [cur, i] = stack.back();
        if (i < sources[cur].size()) {
          size_t next = sources[cur][i++];
          if (state[next] == 1) {
            return fail(Diagnostic::plain(fmt::format("an instantiation of component `{}` and its dependencies form a "
                                                      "cycle in the instantiation graph",
                                                      component_of(next).name)));
          }
          if (state[next] == 0) {
            state[next] = 1;
            stack.push_back({next, 0});
          }
          continue;
        }
        state[cur] = 2;
        out.push_back(cur);
        stack.pop_back();
      }
    }
    return out;
  }

  // Notes of a failed argument (the explanation of the mismatch).
  static std::vector<std::string> notes_of(Diagnostic& d) { return std::move(d.notes); }

  Expected<void> connect(const Connection& c) {
    Graph& g = graph();
    const NodeId target = instances_[c.dependent].node;
    const NodeId source = instances_[c.source].node;
    const std::string dependent_path = component_of(c.dependent).path.string();
    const std::string source_path = component_of(c.source).path.string();
    switch (c.kind) {
      case Connection::Kind::Definition:
      case Connection::Kind::Export: {
        WITC_TRY_VAL(NodeId alias, g.alias_export(source, c.export_name));
        auto r = g.set_argument(target, c.import, alias);
        if (r) return {};
        Diagnostic d;
        d.notes = notes_of(r.error());
        if (c.kind == Connection::Kind::Definition) {
          d.message = fmt::format("source instance export `{}` is not compatible with target instance import `{}`",
                                  c.export_name, c.import);
          d.context.push_back(fmt::format("failed to connect instance `{}` to definition component `{}`",
                                          instances_[c.dependent].name, source_path));
        } else {
          d.message = fmt::format("component `{}` exports an instance named `{}` but it is not compatible with "
                                  "import `{}` of component `{}`",
                                  source_path, c.export_name, c.import, dependent_path);
        }
        return fail(std::move(d));
      }
      case Connection::Kind::Instance: {
        auto whole = g.set_argument(target, c.import, source);
        if (whole) return {};
        // Otherwise the first instance export that fits.
        const bin::ComponentType type = g.package_type(component_of(c.source).package);
        for (const auto& [name, e] : type.exports) {
          if (e.kind != EntityKind::Instance) continue;
          WITC_TRY_VAL(NodeId alias, g.alias_export(source, name));
          if (g.set_argument(target, c.import, alias)) return {};
          WITC_TRY(g.remove(alias));
        }
        Diagnostic d = Diagnostic::plain(fmt::format("component `{}` is not compatible with import `{}` of component `{}`",
                                                     source_path, c.import, dependent_path));
        d.notes = notes_of(whole.error());
        return fail(std::move(d));
      }
    }
    return {};
  }

  Expected<void> wire() {
    WITC_TRY_VAL(std::vector<size_t> sorted, order());
    std::vector<std::vector<size_t>> by_dependent(instances_.size());
    for (size_t i = 0; i < connections_.size(); ++i) by_dependent[connections_[i].dependent].push_back(i);
    for (size_t inst : sorted) {
      for (size_t ci : by_dependent[inst]) WITC_TRY(connect(connections_[ci]));
    }
    return {};
  }

  // Imports that several instances leave unfilled become one import of the
  // result; wasm-tools requires their types to agree (export by export for
  // instances) and words the conflict as below.
  Expected<void> check_imports() {
    Graph& g = graph();
    struct Seen {
      size_t instance;
      EntityType type;
      OrderedMap<std::string, std::vector<std::pair<size_t, EntityType>>> exports;  // instance imports
    };
    std::unordered_map<std::string, Seen> seen;
    auto agree = [&](const EntityType& a, const EntityType& b) {
      return g.types().check_subtype(a, b).has_value() && g.types().check_subtype(b, a).has_value();
    };
    for (size_t i = 0; i < instances_.size(); ++i) {
      const bin::ComponentType type = type_of(i);
      for (const auto& [name, e] : type.imports) {
        if (g.node(instances_[i].node).args.contains(name)) continue;
        WITC_TRY_VAL(EntityType t, g.import_type(instances_[i].node, name));
        auto it = seen.find(name);
        if (it == seen.end()) {
          Seen s{i, t, {}};
          if (t.kind == EntityKind::Instance) {
            for (const auto& [x, xt] : g.types().instance(t.type).exports) s.exports[x].push_back({i, xt});
          }
          seen.emplace(name, std::move(s));
          continue;
        }
        Seen& s = it->second;
        const std::string& cname = component_of(i).name;
        if (s.type.kind == EntityKind::Instance && t.kind == EntityKind::Instance) {
          for (const auto& [x, xt] : g.types().instance(t.type).exports) {
            auto& users = s.exports[x];
            for (const auto& [other, ot] : users) {
              if (agree(ot, xt)) continue;
              Diagnostic d = Diagnostic::plain(fmt::format(
                  "cannot import instance with name `{}` for an instantiation argument of component `{}` because it "
                  "conflicts with an imported instantiation argument of component `{}`",
                  name, cname, component_of(other).name));
              d.notes.push_back(fmt::format("export `{}`: {}", x, explain_mismatch(g.types(), ot, xt)));
              return fail(std::move(d));
            }
            users.push_back({i, xt});
          }
        } else if (s.type.kind == EntityKind::Instance || t.kind == EntityKind::Instance) {
          return fail(Diagnostic::plain(fmt::format(
              "cannot import {} with name `{}` for an instantiation argument of component `{}` because it conflicts "
              "with an instance imported with the same name",
              bin::entity_kind_name(t.kind), name, s.type.kind == EntityKind::Instance ? cname : component_of(s.instance).name)));
        } else if (!agree(s.type, t)) {
          return fail(Diagnostic::plain(fmt::format(
              "cannot import {} with name `{}` for an instantiation argument of component `{}` because it conflicts "
              "with an imported instantiation argument of component `{}`",
              bin::entity_kind_name(t.kind), name, cname, component_of(s.instance).name)));
        }
      }
    }
    return {};
  }

  fs::path root_path_;
  const WasmComposeConfig& config_;
  WasmComposition result_;
  std::vector<Component> components_;
  std::unordered_map<std::string, size_t> component_names_;
  std::vector<std::pair<size_t, std::optional<size_t>>> definitions_;  // component, its instance once used
  std::vector<Instance> instances_;
  std::unordered_map<std::string, size_t> instance_names_;
  std::vector<Connection> connections_;
  struct Unresolved {
    size_t instance;
    std::string import;
    std::string dependency;
  };
  std::vector<Unresolved> unresolved_;
};

}  // namespace

Expected<WasmComposition> build_wasm_composition(const fs::path& root, const WasmComposeConfig& config) {
  return Builder(root, config).run();
}

std::string kebab_case(std::string_view name) {
  auto lower = [](char c) { return c >= 'a' && c <= 'z'; };
  auto upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  auto alnum = [&](char c) { return lower(c) || upper(c) || (c >= '0' && c <= '9'); };
  std::vector<std::string> words;
  std::string cur;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!alnum(c)) {
      if (!cur.empty()) words.push_back(std::move(cur));
      cur.clear();
      continue;
    }
    // A new word at a lower-to-upper change ("fooBar"), and before the last
    // capital of a run that a lowercase letter follows ("HTTPServer").
    const bool boundary = !cur.empty() && upper(c) &&
                          (lower(name[i - 1]) || (i + 1 < name.size() && upper(name[i - 1]) && lower(name[i + 1])));
    if (boundary) {
      words.push_back(std::move(cur));
      cur.clear();
    }
    cur += upper(c) ? static_cast<char>(c - 'A' + 'a') : c;
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  std::string out;
  for (const std::string& w : words) out += (out.empty() ? "" : "-") + w;
  return out;
}

Expected<std::vector<uint8_t>> encode_wasm_composition(WasmComposition& c, const WasmComposeConfig& config) {
  Graph& g = *c.graph;
  EncodeOptions options;
  options.validate = !config.skip_validation;
  if (config.import_components) {
    options.define_components = false;
    options.dependencies_first = true;
    // Each component instantiated is imported under its name in kebab case
    // (the root, "$input" to wasm-tools, as `input`). An instantiation
    // argument left to the result must not have one of those names.
    std::vector<bool> used(g.package_count(), false);
    for (size_t i = 0; i < g.node_count(); ++i) {
      const Node& n = g.node(NodeId(static_cast<uint32_t>(i)));
      if (n.kind == Node::Kind::Instance && !n.removed) used[n.package.index] = true;
    }
    std::unordered_map<std::string, std::string> taken;  // import name -> component
    for (uint32_t p = 0; p < used.size(); ++p) {
      if (!used[p]) continue;
      const std::string& name = g.package(PackageId(p)).name;
      std::string import = kebab_case(PackageId(p) == g.node(c.root).package ? "$input" : name);
      if (auto [it, fresh] = taken.emplace(import, name); !fresh) {
        return fail(Diagnostic::plain(fmt::format("components `{}` and `{}` would both be imported as `{}`",
                                                  it->second, name, import)));
      }
      g.set_package_import_name(PackageId(p), std::move(import));
    }
    WITC_TRY_VAL(std::vector<ComposedImport> imports, g.imports());
    for (const ComposedImport& m : imports) {
      auto it = taken.find(m.name);
      if (it == taken.end()) continue;
      std::string user = m.users.empty() ? std::string("the composition") : g.package(g.node(m.users.front()).package).name;
      return fail(Diagnostic::plain(fmt::format("cannot import {} `{}` for an instantiation argument of component `{}` "
                                                "because it conflicts with a component imported with the same name",
                                                bin::entity_kind_name(m.type.kind), m.name, user)));
    }
  }
  return g.encode(options);
}

Expected<std::vector<uint8_t>> wasm_compose(const fs::path& root, const WasmComposeConfig& config) {
  WITC_TRY_VAL(WasmComposition c, build_wasm_composition(root, config));
  return encode_wasm_composition(c, config);
}

}  // namespace witc::compose
