// compose::Graph: packages, nodes and type-checked arguments (see graph.h).
#include "witc/composer/graph.h"

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "witc/base/semver.h"
#include "witc/base/try.h"
#include "witc/bin/component_reader.h"
#include "witc/composer/explain.h"

namespace witc::compose {

namespace {

using bin::EntityKind;
using bin::EntityType;
using bin::ResourceId;
using bin::TypeId;
using bin::TypeInfo;
using bin::TypeKind;

// Copies types from a package's TypeInfo into the graph's. Resources the
// package imports through an instance export are keyed by "import/export"
// and shared with every other package importing the same path.
class TypeCopier {
 public:
  TypeCopier(const TypeInfo& src, TypeInfo& dst, std::unordered_map<std::string, ResourceId>& shared)
      : src_(src), dst_(dst), shared_(shared) {}

  void share_imported_resources(const bin::ComponentType& c) {
    for (const auto& [name, e] : c.imports) {
      if (e.kind == EntityKind::Type && src_.kind(e.type) == TypeKind::Resource) {
        share(src_.resource(e.type), import_merge_key(name));
      } else if (e.kind == EntityKind::Instance) {
        for (const auto& [ename, x] : src_.instance(e.type).exports) {
          if (x.kind != EntityKind::Type || src_.kind(x.type) != TypeKind::Resource) continue;
          std::string key = import_merge_key(name);
          key += '/';
          key += ename;
          share(src_.resource(x.type), key);
        }
      }
    }
  }

  TypeId copy(TypeId t) {
    if (!t.valid()) return t;
    if (t.index <= static_cast<uint32_t>(bin::ValueKind::ErrorContext)) return t;  // predefined primitives
    if (auto it = memo_.find(t.index); it != memo_.end()) return it->second;
    const bin::TypeNode& n = src_.node(t);
    TypeId out;
    if (n.origin.valid()) {
      out = dst_.copy(copy(n.origin));
    } else {
      switch (n.kind) {
        case TypeKind::Value: {
          bin::ValueType v = src_.value(t);
          for (TypeId& c : v.types) c = copy(c);
          out = dst_.add_value(std::move(v));
          break;
        }
        case TypeKind::Func: {
          bin::ComponentFuncType f = src_.func(t);
          for (auto& p : f.params) p.second = copy(p.second);
          if (f.result) f.result = copy(*f.result);
          out = dst_.add_func(std::move(f));
          break;
        }
        case TypeKind::Instance: {
          bin::InstanceType i;
          const bin::InstanceType& s = src_.instance(t);
          for (const auto& [name, e] : s.exports) i.exports.insert(name, entity(e));
          for (ResourceId r : s.defined_resources) i.defined_resources.push_back(resource(r));
          out = dst_.add_instance(std::move(i));
          break;
        }
        case TypeKind::Component: {
          bin::ComponentType c;
          const bin::ComponentType& s = src_.component(t);
          for (const auto& [name, e] : s.imports) c.imports.insert(name, entity(e));
          for (const auto& [name, e] : s.exports) c.exports.insert(name, entity(e));
          for (ResourceId r : s.imported_resources) c.imported_resources.push_back(resource(r));
          for (ResourceId r : s.defined_resources) c.defined_resources.push_back(resource(r));
          out = dst_.add_component(std::move(c));
          break;
        }
        case TypeKind::Resource: out = dst_.add_resource(resource(src_.resource(t))); break;
      }
    }
    memo_[t.index] = out;
    return out;
  }

  EntityType entity(const EntityType& e) {
    EntityType out = e;
    if (e.kind == EntityKind::Module) {
      out.module = module(e.module);
    } else {
      out.type = copy(e.type);
    }
    return out;
  }

 private:
  void share(ResourceId r, const std::string& key) {
    if (res_.count(r.index)) return;
    auto it = shared_.find(key);
    if (it == shared_.end()) it = shared_.emplace(key, dst_.new_resource(src_.resource_info(r))).first;
    res_[r.index] = it->second;
  }

  ResourceId resource(ResourceId r) {
    auto it = res_.find(r.index);
    if (it != res_.end()) return it->second;
    ResourceId fresh = dst_.new_resource(src_.resource_info(r));
    res_[r.index] = fresh;
    return fresh;
  }

  bin::CoreEntity core(const bin::CoreEntity& e) {
    bin::CoreEntity out = e;
    if (e.kind == bin::ExternKind::Func || e.kind == bin::ExternKind::Tag) {
      out.func = dst_.intern_core_func(src_.core_func(e.func));
    }
    return out;
  }

  bin::ModuleTypeId module(bin::ModuleTypeId m) {
    const bin::ModuleType& s = src_.module(m);
    bin::ModuleType out;
    for (const auto& imp : s.imports) out.imports.push_back({imp.module, imp.name, core(imp.type)});
    for (const auto& [name, e] : s.exports) out.exports.insert(name, core(e));
    return dst_.add_module(std::move(out));
  }

  const TypeInfo& src_;
  TypeInfo& dst_;
  std::unordered_map<std::string, ResourceId>& shared_;
  std::unordered_map<uint32_t, TypeId> memo_;
  std::unordered_map<uint32_t, ResourceId> res_;
};

}  // namespace

std::string import_merge_key(std::string_view name) {
  size_t at = name.rfind('@');
  if (at == std::string_view::npos || name.find('/') == std::string_view::npos) return std::string(name);
  auto v = Version::parse(name.substr(at + 1));
  if (!v) return std::string(name);
  // "@@" cannot occur in a name, so a track never equals a literal version.
  std::string key(name.substr(0, at));
  key += "@@";
  key += version_track(*v);
  return key;
}

Graph::Graph() : types_(std::make_unique<TypeInfo>()) {}

Expected<PackageId> Graph::add_package(std::string name, std::vector<uint8_t> bytes,
                                       const bin::ComponentFeatures& features) {
  auto read = bin::read_component(std::move(bytes));
  if (!read) return fail(std::move(read.error()).with_context(fmt::format("failed to read package `{}`", name)));
  auto info = bin::validate_component(*read, features);
  if (!info) return fail(std::move(info.error()).with_context(fmt::format("package `{}` is not valid", name)));
  TypeCopier copier(info->types, *types_, shared_resources_);
  copier.share_imported_resources(info->component());
  Package p;
  p.name = std::move(name);
  p.binary = std::move(*read);
  p.type = copier.copy(info->type);
  note_resource_homes(p.type);
  packages_.push_back(std::move(p));
  return PackageId(static_cast<uint32_t>(packages_.size() - 1));
}

Expected<PackageId> Graph::add_package_type(std::string name, const bin::TypeInfo& types, TypeId component) {
  if (!component.valid() || types.kind(component) != TypeKind::Component) {
    return fail(Diagnostic::plain(fmt::format("package `{}`: the type of a package must be a component type", name)));
  }
  TypeCopier copier(types, *types_, shared_resources_);
  copier.share_imported_resources(types.component(component));
  Package p;
  p.name = std::move(name);
  p.type = copier.copy(component);
  note_resource_homes(p.type);
  packages_.push_back(std::move(p));
  return PackageId(static_cast<uint32_t>(packages_.size() - 1));
}

void Graph::note_resource_homes(TypeId component) {
  const bin::ComponentType ct = types_->component(component);
  for (const auto& [name, e] : ct.imports) {
    if (e.kind != EntityKind::Instance) continue;
    for (const auto& [ename, x] : types_->instance(e.type).exports) {
      if (x.kind != EntityKind::Type || types_->kind(x.type) != TypeKind::Resource) continue;
      auto it = shared_resources_.find(import_merge_key(name) + '/' + ename);
      if (it == shared_resources_.end() || it->second.index != types_->resource(x.type).index) continue;
      resource_homes_.emplace(it->second.index, ResourceHome{name, e});
    }
  }
}

std::string dependency_import_name(const Package& p) {
  if (p.import_name) return *p.import_name;
  std::string out = "unlocked-dep=<" + p.name;
  if (p.version) out += "@{>=" + *p.version + "}";
  out += '>';
  return out;
}

Expected<NodeId> Graph::add_import(std::string name, EntityType type) {
  for (const Node& n : nodes_) {
    if (n.kind == Node::Kind::Import && n.name == name) {
      return fail(Diagnostic::plain(fmt::format("import `{}` is already defined", name)));
    }
  }
  Node n;
  n.kind = Node::Kind::Import;
  n.name = std::move(name);
  n.type = type;
  nodes_.push_back(std::move(n));
  bindings_.emplace_back();
  return NodeId(static_cast<uint32_t>(nodes_.size() - 1));
}

NodeId Graph::instantiate(PackageId package) {
  Node n;
  n.kind = Node::Kind::Instance;
  n.package = package;
  n.type.kind = EntityKind::Instance;
  nodes_.push_back(std::move(n));
  TypeInfo::Substitution s;
  // Every instance defines resources of its own (Explainer.md "Type Checking").
  const std::vector<ResourceId> defined = package_type(package).defined_resources;
  for (ResourceId r : defined) s.resources[r.index] = types_->new_resource(types_->resource_info(r));
  bindings_.push_back(std::move(s));
  return NodeId(static_cast<uint32_t>(nodes_.size() - 1));
}

std::string Graph::describe(NodeId id) const {
  const Node& n = node(id);
  switch (n.kind) {
    case Node::Kind::Import: return fmt::format("import `{}`", n.name);
    case Node::Kind::Instance:
      if (!n.name.empty()) return fmt::format("instance `{}` of `{}`", n.name, package(n.package).name);
      return fmt::format("instance of `{}`", package(n.package).name);
    case Node::Kind::Alias: return fmt::format("export `{}` of {}", n.name, describe(n.source));
    case Node::Kind::Type: return fmt::format("type `{}`", n.name);
  }
  return {};
}

Expected<NodeId> Graph::alias_export(NodeId instance, std::string_view name) {
  const Node& src = node(instance);
  if (src.removed) return fail(Diagnostic::plain(fmt::format("{} was removed from the graph", describe(instance))));
  EntityType e;
  if (src.kind == Node::Kind::Instance) {
    const EntityType* x = package_type(src.package).exports.find(std::string(name));
    if (!x) {
      return fail(Diagnostic::plain(fmt::format("{} has no export named `{}`", describe(instance), name)));
    }
    // The memo is kept valid by set_argument, which clears it whenever the bindings change.
    e = types_->substitute(*x, bindings_[instance.index]);
  } else if (src.type.kind == EntityKind::Instance) {
    const EntityType* x = types_->instance(src.type.type).exports.find(std::string(name));
    if (!x) {
      return fail(Diagnostic::plain(fmt::format("{} has no export named `{}`", describe(instance), name)));
    }
    e = *x;
  } else {
    return fail(Diagnostic::plain(fmt::format("{} is not an instance", describe(instance))));
  }
  Node n;
  n.kind = Node::Kind::Alias;
  n.name = std::string(name);
  n.source = instance;
  n.type = e;
  nodes_.push_back(std::move(n));
  bindings_.emplace_back();
  return NodeId(static_cast<uint32_t>(nodes_.size() - 1));
}

Expected<void> Graph::set_argument(NodeId instance, std::string_view name, NodeId value, EntityType* expected_out) {
  Node& inst = nodes_[instance.index];
  if (inst.kind != Node::Kind::Instance) {
    return fail(Diagnostic::plain("the specified node is not an instantiation"));
  }
  const std::string key(name);
  if (!package_type(inst.package).imports.contains(key)) {
    return fail(Diagnostic::plain(
        fmt::format("argument name `{}` is not an import of package `{}`", name, package(inst.package).name)));
  }
  if (inst.args.contains(key)) {
    return fail(Diagnostic::plain(fmt::format("argument `{}` has already been passed to the instantiation", name)));
  }
  for (NodeId n : {instance, value}) {
    if (node(n).removed) return fail(Diagnostic::plain(fmt::format("{} was removed from the graph", describe(n))));
  }
  auto r = bind_argument(instance, key, value, expected_out);
  if (!r && retype_for(instance, key, value, expected_out)) return {};
  return r;
}

Expected<void> Graph::bind_argument(NodeId instance, const std::string& key, NodeId value, EntityType* expected_out) {
  Node& inst = nodes_[instance.index];
  const std::string_view name = key;
  const EntityType want_raw = *package_type(inst.package).imports.find(key);
  const EntityType actual = instance_type(value);
  std::unordered_set<uint32_t> quantified;
  // package_type() again: instance_type() may have grown the arena `ct` is in.
  for (ResourceId r : package_type(inst.package).imported_resources) quantified.insert(r.index);
  TypeInfo::Substitution& s = bindings_[instance.index];
  const TypeInfo::Substitution before = s;  // restored if the argument does not fit
  auto restore = [&] { s = before; };
  types_->bind_imports(want_raw, actual, quantified, s, false);
  s.memo.clear();
  EntityType want = types_->substitute(want_raw, s);
  if (expected_out) *expected_out = want;
  if (auto r = types_->check_subtype(actual, want); !r) {
    restore();
    // The chain says which import and where the types first differ (in the
    // validator's words); the note explains it in WIT words, naming the node offered.
    Diagnostic d = std::move(r.error());
    d.offset.reset();
    d.context.insert(d.context.begin(), fmt::format("mismatched instantiation argument `{}`", name));
    d.notes.push_back(fmt::format("{} does not fit import `{}` of {}: {}", describe(value), name, describe(instance),
                                  explain_mismatch(*types_, want, actual)));
    return fail(std::move(d));
  }
  types_->bind_imports(want_raw, actual, quantified, s, true);
  s.memo.clear();
  // An argument that binds a resource may make one given earlier no longer
  // fit (a function returning the resource checked before the instance that
  // defines it was passed): check them again, as instantiation checks the
  // imports in order (Binary.md "Instance Definitions").
  // (package_type() afresh each time: substituting may grow its arena.)
  for (const auto& [earlier, node_id] : inst.args) {
    const EntityType earlier_raw = *package_type(inst.package).imports.find(earlier);
    const EntityType have = instance_type(node_id);
    EntityType want_earlier = types_->substitute(earlier_raw, s);
    if (auto r = types_->check_subtype(have, want_earlier); !r) {
      restore();
      Diagnostic d = std::move(r.error());
      d.offset.reset();
      d.context.insert(d.context.begin(), fmt::format("argument `{}` no longer fits", earlier));
      d.context.insert(d.context.begin(), fmt::format("mismatched instantiation argument `{}`", name));
      d.notes.push_back(fmt::format("{} was given for import `{}` of {}, and {} for import `{}`", describe(value),
                                    name, describe(instance), describe(node_id), earlier));
      return fail(std::move(d));
    }
  }
  inst.args.insert(key, value);
  return {};
}

TypeId Graph::with_own_resources(TypeId component, const std::string& name) {
  bin::ComponentType ct = types_->component(component);  // a copy: substituting grows the arena
  EntityType* imp = ct.imports.find(name);
  if (!imp || imp->kind != EntityKind::Instance) return TypeId();
  TypeInfo::Substitution s;
  for (const auto& [ename, x] : types_->instance(imp->type).exports) {
    if (x.kind != EntityKind::Type || types_->kind(x.type) != TypeKind::Resource) continue;
    ResourceId r = types_->resource(x.type);
    const ResourceHome* home = resource_home(r);
    if (!home || import_merge_key(home->import) != import_merge_key(name)) continue;
    auto q = std::find_if(ct.imported_resources.begin(), ct.imported_resources.end(),
                          [&](ResourceId i) { return i.index == r.index; });
    if (q == ct.imported_resources.end()) continue;
    ResourceId fresh = types_->new_resource(types_->resource_info(r));
    s.resources[r.index] = fresh;
    *q = fresh;
  }
  if (s.resources.empty()) return TypeId();
  *imp = types_->substitute(*imp, s);
  return types_->add_component(std::move(ct));
}

bool Graph::retype_for(NodeId instance, const std::string& name, NodeId value, EntityType* expected_out) {
  const PackageId p = node(instance).package;
  if (package(p).binary) return false;
  // Only a package with this one instance, which no other node uses yet (an
  // alias of an export, an argument): their types would change with it.
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    if (n.removed) continue;
    if (i != instance.index && n.kind == Node::Kind::Instance && n.package == p) return false;
    if (n.kind == Node::Kind::Alias && n.source == instance) return false;
    for (const auto& [arg, v] : n.args) {
      if (v == instance) return false;
    }
  }
  // The import being filled, then those filled before it.
  std::vector<std::string> candidates{name};
  for (const auto& [earlier, v] : node(instance).args) candidates.push_back(earlier);
  const TypeId original = packages_[p.index].type;
  const OrderedMap<std::string, NodeId> args = node(instance).args;
  const TypeInfo::Substitution binding = bindings_[instance.index];
  // Bindings start afresh, but the resources the instance defines stay its own.
  TypeInfo::Substitution fresh;
  for (ResourceId r : package_type(p).defined_resources) fresh.resources[r.index] = binding.resources.at(r.index);
  for (const std::string& c : candidates) {
    const TypeId retyped = with_own_resources(original, c);
    if (!retyped.valid()) continue;
    packages_[p.index].type = retyped;
    bindings_[instance.index] = fresh;
    nodes_[instance.index].args = {};
    bool ok = true;
    for (const auto& [earlier, v] : args) {
      if (!bind_argument(instance, earlier, v, nullptr)) {
        ok = false;
        break;
      }
    }
    EntityType want;
    if (ok && bind_argument(instance, name, value, &want)) {
      if (expected_out) *expected_out = want;
      return true;
    }
    packages_[p.index].type = original;
    bindings_[instance.index] = binding;
    nodes_[instance.index].args = args;
  }
  return false;
}

NodeId Graph::define_type(std::string name, EntityType type) {
  Node n;
  n.kind = Node::Kind::Type;
  n.name = std::move(name);
  n.type = type;
  nodes_.push_back(std::move(n));
  bindings_.emplace_back();
  return NodeId(static_cast<uint32_t>(nodes_.size() - 1));
}

void Graph::unexport(NodeId id) {
  Node& n = nodes_[id.index];
  if (!n.export_name) return;
  exports_.erase(*n.export_name);
  n.export_name.reset();
  std::erase(export_order_, id);
}

std::optional<NodeId> Graph::exported(std::string_view name) const {
  auto it = exports_.find(std::string(name));
  if (it == exports_.end()) return std::nullopt;
  return it->second;
}

void Graph::set_instance_name(NodeId instance, std::string name) {
  if (nodes_[instance.index].kind == Node::Kind::Instance) nodes_[instance.index].name = std::move(name);
}

EntityType Graph::instance_type(NodeId instance) {
  const Node& n = node(instance);
  if (n.kind != Node::Kind::Instance) return n.type;
  // A copy: substituting may grow the arena holding the package's type.
  const bin::ComponentType ct = package_type(n.package);
  bin::InstanceType it;
  for (const auto& [name, e] : ct.exports) it.exports.insert(name, types_->substitute(e, bindings_[instance.index]));
  EntityType out;
  out.kind = EntityKind::Instance;
  out.type = types_->add_instance(std::move(it));
  return out;
}

Expected<EntityType> Graph::import_type(NodeId instance, std::string_view name) {
  const Node& n = node(instance);
  if (n.kind != Node::Kind::Instance) return fail(Diagnostic::plain(fmt::format("{} is not an instance", describe(instance))));
  const EntityType* e = package_type(n.package).imports.find(std::string(name));
  if (!e) {
    return fail(Diagnostic::plain(fmt::format("package `{}` has no import named `{}`", package(n.package).name, name)));
  }
  const EntityType want = *e;
  return types_->substitute(want, bindings_[instance.index]);
}

Expected<void> Graph::export_node(NodeId id, std::string name) {
  if (exports_.count(name)) {
    return fail(Diagnostic::plain(fmt::format("an export with the name `{}` already exists", name)));
  }
  Node& n = nodes_[id.index];
  if (n.removed) return fail(Diagnostic::plain(fmt::format("{} was removed from the graph", describe(id))));
  if (n.export_name) {
    return fail(Diagnostic::plain(fmt::format("{} is already exported as `{}`", describe(id), *n.export_name)));
  }
  n.export_name = name;
  exports_.emplace(std::move(name), id);
  export_order_.push_back(id);
  return {};
}

Expected<void> Graph::remove(NodeId id) {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    if (n.removed || i == id.index) continue;
    bool uses = n.kind == Node::Kind::Alias && n.source == id;
    for (const auto& [name, v] : n.args) uses |= v == id;
    if (uses) {
      return fail(Diagnostic::plain(
          fmt::format("{} cannot be removed: {} uses it", describe(id), describe(NodeId(static_cast<uint32_t>(i))))));
    }
  }
  Node& n = nodes_[id.index];
  if (n.export_name) {
    return fail(Diagnostic::plain(fmt::format("{} cannot be removed: it is exported", describe(id))));
  }
  n.removed = true;
  return {};
}

std::vector<std::string> Graph::unfilled_imports(NodeId instance) const {
  std::vector<std::string> out;
  const Node& n = node(instance);
  if (n.kind != Node::Kind::Instance) return out;
  for (const auto& [name, e] : package_type(n.package).imports) {
    if (!n.args.contains(name)) out.push_back(name);
  }
  return out;
}

}  // namespace witc::compose
