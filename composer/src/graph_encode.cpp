// Encoding a compose::Graph into a component (see graph.h).
//
// Import types are written from the graph's TypeInfo. A type is written where
// it is first needed: a type an earlier import exports by name is reached by an
// alias (`alias export $inst "name" (type)` in the component, then `alias
// outer 1 k` inside an instance type), so that `use`d types and shared
// resources keep their identity, as Explainer.md "Type Checking" requires;
// anything else is defined structurally in the scope that needs it.
#include <algorithm>
#include <array>
#include <unordered_set>

#include <fmt/format.h>

#include "witc/base/semver.h"
#include "witc/base/try.h"
#include "witc/bin/component_names.h"
#include "witc/bin/component_reader.h"
#include "witc/composer/graph.h"

namespace witc::compose {

using bin::EntityKind;
using bin::EntityType;
using bin::ResourceId;
using bin::TypeId;
using bin::TypeKind;

namespace {

bin::Sort sort_of(EntityKind k) {
  switch (k) {
    case EntityKind::Module: return bin::Sort::CoreModule;
    case EntityKind::Func: return bin::Sort::Func;
    case EntityKind::Value: return bin::Sort::Value;
    case EntityKind::Type: return bin::Sort::Type;
    case EntityKind::Instance: return bin::Sort::Instance;
    case EntityKind::Component: return bin::Sort::Component;
  }
  return bin::Sort::Func;
}

bin::DefinedType::Kind defined_kind(bin::ValueKind k) {
  using K = bin::DefinedType::Kind;
  switch (k) {
    case bin::ValueKind::Record: return K::Record;
    case bin::ValueKind::Variant: return K::Variant;
    case bin::ValueKind::List: return K::List;
    case bin::ValueKind::FixedList: return K::FixedList;
    case bin::ValueKind::Tuple: return K::Tuple;
    case bin::ValueKind::Flags: return K::Flags;
    case bin::ValueKind::Enum: return K::Enum;
    case bin::ValueKind::Option: return K::Option;
    case bin::ValueKind::Result: return K::Result;
    case bin::ValueKind::Own: return K::Own;
    case bin::ValueKind::Borrow: return K::Borrow;
    case bin::ValueKind::Stream: return K::Stream;
    case bin::ValueKind::Future: return K::Future;
    case bin::ValueKind::Map: return K::Map;
    default: return K::Prim;
  }
}

bin::PrimValType prim_of(bin::ValueKind k) {
  using P = bin::PrimValType;
  switch (k) {
    case bin::ValueKind::Bool: return P::Bool;
    case bin::ValueKind::S8: return P::S8;
    case bin::ValueKind::U8: return P::U8;
    case bin::ValueKind::S16: return P::S16;
    case bin::ValueKind::U16: return P::U16;
    case bin::ValueKind::S32: return P::S32;
    case bin::ValueKind::U32: return P::U32;
    case bin::ValueKind::S64: return P::S64;
    case bin::ValueKind::U64: return P::U64;
    case bin::ValueKind::F32: return P::F32;
    case bin::ValueKind::F64: return P::F64;
    case bin::ValueKind::Char: return P::Char;
    case bin::ValueKind::String: return P::String;
    default: return P::ErrorContext;
  }
}

struct Root;

// A type index space being written: the composed component itself or a
// component type (a root), or an instance type's declarators inside a root.
struct Scope {
  std::vector<bin::Declarator>* decls = nullptr;  // nullptr: the composed component
  Root* root = nullptr;                           // the root this scope is (or is nested in)
  std::unordered_map<uint32_t, uint32_t> types;      // TypeId -> type index here
  std::unordered_map<uint32_t, uint32_t> resources;  // ResourceId -> type index here
  uint32_t type_count = 0;                           // component types and instance types
  bool own_resources = false;  // an instance type whose resources are all its own (see define_instance)
};

struct Owner {
  uint32_t instance = 0;  // an instance imported (or, in a component type, exported) by the root
  std::string name;       // the type export naming it
};

// The composed component or a component type: its instances name types
// (`use`d types, resources) that later items alias.
struct Root {
  Scope scope;
  std::unordered_map<uint32_t, Owner> owners;           // TypeId -> naming export
  std::unordered_map<uint32_t, Owner> resource_owners;  // ResourceId -> naming export
  std::array<uint32_t, bin::kSortCount> counts{};       // index spaces (types: scope.type_count in a component type)
  // A component type written inside another root: the resources it
  // introduces itself (imported and defined); any other resource it uses
  // is one the enclosing root names, aliased with `alias outer 1`.
  Root* parent = nullptr;
  std::unordered_set<uint32_t> own;
  Root() { scope.root = this; }
  Root(const Root&) = delete;
  Root& operator=(const Root&) = delete;
  bool is_component() const { return scope.decls == nullptr; }
};

using NamedHere = std::vector<std::pair<TypeId, std::string>>;

// Whether `r` names resource `rid`, or (one it does not introduce itself)
// an enclosing root does.
bool names_resource(const Root& r, ResourceId rid) {
  if (r.scope.resources.count(rid.index) || r.resource_owners.count(rid.index)) return true;
  return r.parent && !r.own.count(rid.index) && names_resource(*r.parent, rid);
}

}  // namespace

class Encoder {
 public:
  Encoder(Graph& g, const EncodeOptions& options) : g_(g), t_(*g.types_), options_(options) {}

  Expected<std::vector<uint8_t>> run();

 private:
  struct EncodedImport {
    std::string name;
    EntityType type;
    uint32_t index = 0;  // in the index space of its sort
  };

  // --- index spaces of the composed component ---
  uint32_t next(bin::Sort s) { return root_.counts[static_cast<size_t>(s)]++; }
  void section(bin::ComponentSectionId id, size_t index) {
    auto& secs = out_.sections;
    bool single = id == bin::ComponentSectionId::Component || id == bin::ComponentSectionId::CoreModule;
    if (!single && !secs.empty() && secs.back().id == id && secs.back().first + secs.back().count == index) {
      ++secs.back().count;
      return;
    }
    secs.push_back({id, static_cast<uint32_t>(index), 1, std::nullopt, 0});
  }
  uint32_t add_type(Scope& sc, bin::TypeDef def) {
    if (sc.decls) {
      bin::Declarator d;
      d.kind = bin::Declarator::Kind::Type;
      d.type = bin::Box<bin::TypeDef>(std::move(def));
      sc.decls->push_back(std::move(d));
      return sc.type_count++;
    }
    out_.types.push_back(std::move(def));
    section(bin::ComponentSectionId::Type, out_.types.size() - 1);
    return next(bin::Sort::Type);
  }
  // `(alias outer 1 k (type))` in an instance type: its new type index there.
  uint32_t alias_outer_type(Scope& sc, uint32_t k) {
    bin::Declarator d;
    d.kind = bin::Declarator::Kind::Alias;
    d.alias.sort = bin::Sort::Type;
    d.alias.kind = bin::AliasDef::Kind::Outer;
    d.alias.outer_count = 1;
    d.alias.outer_index = k;
    sc.decls->push_back(std::move(d));
    return sc.type_count++;
  }
  // An alias of an instance's exported type in a root: its new type index.
  uint32_t alias_type_export(Root& r, uint32_t instance, const std::string& name) {
    bin::AliasDef a;
    a.sort = bin::Sort::Type;
    a.kind = bin::AliasDef::Kind::InstanceExport;
    a.instance = instance;
    a.name = name;
    if (r.is_component()) return add_alias(std::move(a));
    bin::Declarator d;
    d.kind = bin::Declarator::Kind::Alias;
    d.alias = std::move(a);
    r.scope.decls->push_back(std::move(d));
    return r.scope.type_count++;
  }
  uint32_t export_item(const std::string& name, bin::SortIdx item) {
    bin::ExportDef e;
    e.name.name = name;
    e.item = item;
    out_.exports.push_back(std::move(e));
    section(bin::ComponentSectionId::Export, out_.exports.size() - 1);
    return next(item.sort);
  }
  uint32_t add_alias(bin::AliasDef a) {
    bin::Sort s = a.sort;
    out_.aliases.push_back(std::move(a));
    section(bin::ComponentSectionId::Alias, out_.aliases.size() - 1);
    return next(s);
  }

  // --- types ---
  Expected<uint32_t> outer_type_of(Root& r, TypeId t);
  Expected<std::optional<uint32_t>> named(Scope& sc, TypeId t);
  Expected<bin::ValueTypeRef> ref(Scope& sc, TypeId t);
  Expected<uint32_t> resource_ref(Scope& sc, TypeId r);
  Expected<uint32_t> define_value(Scope& sc, TypeId t);
  Expected<uint32_t> define_func(Scope& sc, TypeId t);
  Expected<uint32_t> define_instance(Scope& sc, TypeId t, NamedHere& named_here, bool own_resources = false);
  Expected<uint32_t> define_component(Scope& sc, TypeId t);
  Expected<uint32_t> type_index(Scope& sc, TypeId t);
  Expected<bin::ExternDesc> extern_desc(Root& r, const EntityType& e, const std::string& name, NamedHere& named_here,
                                        bool is_export);
  Expected<uint32_t> write_extern(Root& r, bool is_export, const std::string& name, const EntityType& e);

  // --- structure ---
  Expected<void> order_nodes(std::vector<NodeId>& order);
  Expected<bin::SortIdx> item_of(NodeId n) const;
  Expected<uint32_t> component_of(PackageId p);
  // The import that `name` became (merged by its merge key).
  Expected<const EncodedImport*> imported(const std::string& name) const {
    auto it = import_index_.find(import_merge_key(name));
    if (it == import_index_.end()) return fail(Diagnostic::plain(fmt::format("import `{}` is not encoded", name)));
    return &imports_[it->second];
  }

  Graph& g_;
  bin::TypeInfo& t_;
  const EncodeOptions& options_;
  bin::Component out_;
  Root root_;
  std::vector<EncodedImport> imports_;
  std::unordered_map<std::string, size_t> import_index_;  // merge key -> imports_
  std::unordered_map<uint32_t, uint32_t> node_items_;      // NodeId -> index in its sort
  std::unordered_map<uint32_t, uint32_t> component_of_package_;
  std::unordered_set<std::string> import_names_;  // every import written, by name
};

// --- imports -------------------------------------------------------------------------------

namespace {

// Merges what another user needs of an import into it.
Expected<void> merge_into(bin::TypeInfo& t, ComposedImport& m, const EntityType& need) {
  if (t.check_subtype(m.type, need)) return {};
  if (m.type.kind != EntityKind::Instance || need.kind != EntityKind::Instance) {
    if (m.type.kind != need.kind) {
      auto kind = [](EntityKind k) -> std::string_view {
        return k == EntityKind::Func ? "function" : bin::entity_kind_name(k);
      };
      return fail(Diagnostic::plain(fmt::format("{} cannot be merged with {}", kind(m.type.kind), kind(need.kind))));
    }
    auto r = t.check_subtype(m.type, need);
    return fail(std::move(r.error()));
  }
  // The union of what both users need (the same interface, used in part by
  // each). The new exports are rewritten to refer to the merged instance's
  // named types, so that everything they mention stays exported.
  bin::InstanceType merged = t.instance(m.type.type);
  const bin::InstanceType extra = t.instance(need.type);
  bin::TypeInfo::Substitution s;
  for (const auto& [name, e] : extra.exports) {
    const EntityType* have = merged.exports.find(name);
    if (!have) continue;
    if (auto r = t.check_subtype(*have, e); !r) {
      return fail(std::move(r.error()).with_context(fmt::format("export `{}`", name)));
    }
    if (e.kind == EntityKind::Type && have->kind == EntityKind::Type) s.types[e.type.index] = have->type;
  }
  for (const auto& [name, e] : extra.exports) {
    if (!merged.exports.contains(name)) merged.exports.insert(name, t.substitute(e, s));
  }
  m.type.type = t.add_instance(std::move(merged));
  return {};
}

// Pushes the types a value, function or instance type is made of (not a
// component type's: what it mentions is its own).
void push_parts(const bin::TypeInfo& t, TypeId x, std::vector<TypeId>& work) {
  switch (t.kind(x)) {
    case TypeKind::Value:
      for (TypeId c : t.value(x).types) work.push_back(c);
      break;
    case TypeKind::Func:
      for (const auto& [name, p] : t.func(x).params) work.push_back(p);
      if (t.func(x).result) work.push_back(*t.func(x).result);
      break;
    case TypeKind::Instance:
      for (const auto& [name, e] : t.instance(x).exports) {
        if (e.kind != EntityKind::Module) work.push_back(e.type);
      }
      break;
    default: break;
  }
}

// Orders the imports so that an import comes after those whose types it
// uses, otherwise keeping their order: merging can put an import before one
// it depends on (one instance imports A and C, another B and C, with C using
// types of A and of B).
void sort_by_type_use(const bin::TypeInfo& t, std::vector<ComposedImport>& imports) {
  // Which import names a type (its type exports) or a resource.
  std::unordered_map<uint32_t, size_t> type_owner, resource_owner;
  for (size_t i = 0; i < imports.size(); ++i) {
    const EntityType& e = imports[i].type;
    if (e.kind == EntityKind::Type && t.kind(e.type) == TypeKind::Resource) {
      resource_owner.emplace(t.resource(e.type).index, i);
    }
    if (e.kind != EntityKind::Instance) continue;
    for (const auto& [name, x] : t.instance(e.type).exports) {
      if (x.kind != EntityKind::Type) continue;
      type_owner.emplace(x.type.index, i);
      if (t.kind(x.type) == TypeKind::Resource) resource_owner.emplace(t.resource(x.type).index, i);
    }
  }
  std::vector<std::vector<size_t>> deps(imports.size());
  for (size_t i = 0; i < imports.size(); ++i) {
    std::unordered_set<uint32_t> seen;
    std::vector<TypeId> work;
    auto note = [&](std::optional<size_t> owner) {
      if (!owner || *owner == i) return false;
      if (std::find(deps[i].begin(), deps[i].end(), *owner) == deps[i].end()) deps[i].push_back(*owner);
      return true;
    };
    auto owner_of = [&](TypeId x) -> std::optional<size_t> {
      if (auto it = type_owner.find(x.index); it != type_owner.end()) return it->second;
      if (t.kind(x) == TypeKind::Resource) {
        if (auto it = resource_owner.find(t.resource(x).index); it != resource_owner.end()) return it->second;
      }
      return std::nullopt;
    };
    const EntityType& top = imports[i].type;
    if (top.kind != EntityKind::Module) work.push_back(top.type);
    while (!work.empty()) {
      TypeId x = work.back();
      work.pop_back();
      if (!x.valid() || !seen.insert(x.index).second) continue;
      bool elsewhere = false;
      for (TypeId cur = x; cur.valid() && !elsewhere; cur = t.node(cur).origin) elsewhere = note(owner_of(cur));
      if (elsewhere) continue;  // reached through an alias of that import
      push_parts(t, x, work);
      if (TypeId o = t.node(x).origin; o.valid()) work.push_back(o);
    }
  }
  // Depth first, dependencies before dependents, otherwise in merge order.
  std::vector<size_t> order;
  std::vector<uint8_t> state(imports.size(), 0);
  auto visit = [&](auto&& self, size_t i) -> void {
    if (state[i]) return;
    state[i] = 1;
    for (size_t d : deps[i]) self(self, d);
    state[i] = 2;
    order.push_back(i);
  };
  for (size_t i = 0; i < imports.size(); ++i) visit(visit, i);
  std::vector<ComposedImport> sorted;
  sorted.reserve(imports.size());
  for (size_t i : order) sorted.push_back(std::move(imports[i]));
  imports = std::move(sorted);
}

// The resources a type mentions (`seen`: type nodes already walked, shared
// across calls).
std::vector<ResourceId> resources_in(const bin::TypeInfo& t, const EntityType& e, std::unordered_set<uint32_t>& seen) {
  std::vector<ResourceId> out;
  if (e.kind == EntityKind::Module) return out;
  std::vector<TypeId> work{e.type};
  while (!work.empty()) {
    TypeId x = work.back();
    work.pop_back();
    if (!x.valid() || !seen.insert(x.index).second) continue;
    if (TypeId o = t.node(x).origin; o.valid()) work.push_back(o);
    if (t.kind(x) == TypeKind::Resource) out.push_back(t.resource(x));
    push_parts(t, x, work);
  }
  return out;
}

}  // namespace

Expected<std::vector<ComposedImport>> Graph::imports(ImportConflict* conflict) {
  std::vector<ComposedImport> out;
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    if (n.kind != Node::Kind::Import || n.removed) continue;
    index[import_merge_key(n.name)] = out.size();
    out.push_back({n.name, n.type, NodeId(static_cast<uint32_t>(i)), {}});
  }
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    if (n.kind != Node::Kind::Instance || n.removed) continue;
    const NodeId id(static_cast<uint32_t>(i));
    // A copy: substituting may grow the arena that holds the package's type.
    const bin::ComponentType ct = package_type(n.package);
    for (const auto& [name, e] : ct.imports) {
      if (n.args.contains(name)) continue;
      EntityType need = types_->substitute(e, bindings_[i]);
      auto it = index.find(import_merge_key(name));
      if (it == index.end()) {
        index[import_merge_key(name)] = out.size();
        out.push_back({name, need, std::nullopt, {id}});
        continue;
      }
      ComposedImport& m = out[it->second];
      auto report = [&](Diagnostic reason, bool with_explicit) -> Unexpected {
        if (conflict) {
          *conflict = ImportConflict{m.name, id, with_explicit ? *m.node : m.users.front(), with_explicit, reason};
        }
        return fail(std::move(reason));
      };
      if (m.node) {
        return report(Diagnostic::plain(fmt::format("an instantiation of package `{}` implicitly imports an item "
                                                    "named `{}`, but it conflicts with an explicit import of the "
                                                    "same name",
                                                    package(n.package).name, m.name)),
                      true);
      }
      if (auto r = merge_into(*types_, m, need); !r) {
        Diagnostic d = std::move(r.error());
        d.context.insert(d.context.begin(),
                         fmt::format("import `{}` is needed with incompatible types by instantiation of package `{}`",
                                     m.name, package(n.package).name));
        return report(std::move(d), false);
      }
      m.users.push_back(id);
      // Semver-compatible versions of one interface: the higher one is imported.
      if (m.name != name) {
        auto mv = Version::parse(m.name.substr(m.name.rfind('@') + 1));
        auto nv = Version::parse(name.substr(name.rfind('@') + 1));
        if (mv && nv && *nv > *mv) m.name = name;
      }
    }
  }
  add_resource_homes(out);
  sort_by_type_use(*types_, out);
  return out;
}

// Adds, before the others, the interface imports that name the shared
// resources the imports use without naming them (an interface's `use` of
// another's resource, a world's `use` the composition imports): as in WIT,
// the interface a resource belongs to is imported with it.
void Graph::add_resource_homes(std::vector<ComposedImport>& out) const {
  if (resource_homes_.empty()) return;
  std::vector<ComposedImport> homes;
  std::unordered_set<std::string> present;  // merge keys of the imports so far
  // Homes may use resources of further homes: walk them too.
  std::vector<EntityType> work;
  for (const ComposedImport& m : out) {
    present.insert(import_merge_key(m.name));
    work.push_back(m.type);
  }
  std::unordered_set<uint32_t> seen;
  while (!work.empty()) {
    const EntityType e = work.back();
    work.pop_back();
    for (ResourceId r : resources_in(*types_, e, seen)) {
      const ResourceHome* home = resource_home(r);
      if (!home || !present.insert(import_merge_key(home->import)).second) continue;
      homes.push_back({home->import, home->type, std::nullopt, {}});
      work.push_back(home->type);
    }
  }
  out.insert(out.begin(), std::make_move_iterator(homes.begin()), std::make_move_iterator(homes.end()));
}

// The index in a root of a type one of its instances names.
Expected<uint32_t> Encoder::outer_type_of(Root& r, TypeId t) {
  Scope& sc = r.scope;
  if (auto it = sc.types.find(t.index); it != sc.types.end()) return it->second;
  const Owner* o = nullptr;
  bool resource = t_.kind(t) == TypeKind::Resource;
  if (resource) {
    if (auto it = sc.resources.find(t_.resource(t).index); it != sc.resources.end()) return it->second;
    auto it = r.resource_owners.find(t_.resource(t).index);
    if (it != r.resource_owners.end()) o = &it->second;
  } else if (auto it = r.owners.find(t.index); it != r.owners.end()) {
    o = &it->second;
  }
  if (!o && resource && r.parent && names_resource(r, t_.resource(t))) {
    WITC_TRY_VAL(uint32_t k, outer_type_of(*r.parent, t));
    uint32_t idx = alias_outer_type(sc, k);
    sc.resources[t_.resource(t).index] = idx;
    return idx;
  }
  if (!o) return fail(Diagnostic::plain(fmt::format("type {} has no name in the composition", t_.describe(t))));
  uint32_t idx = alias_type_export(r, o->instance, o->name);
  if (resource) {
    sc.resources[t_.resource(t).index] = idx;
  } else {
    sc.types[t.index] = idx;
  }
  return idx;
}

// The index of `t` in `sc` if it (or the type it copies) has a name there or
// in an earlier item of the root; nullopt for an anonymous type.
Expected<std::optional<uint32_t>> Encoder::named(Scope& sc, TypeId t) {
  Root& r = *sc.root;
  for (TypeId cur = t; cur.valid(); cur = t_.node(cur).origin) {
    if (auto it = sc.types.find(cur.index); it != sc.types.end()) return std::optional<uint32_t>(it->second);
    bool known = r.scope.types.count(cur.index) || r.owners.count(cur.index);
    if (!known) continue;
    WITC_TRY_VAL(uint32_t k, outer_type_of(r, cur));
    if (&sc == &r.scope) return std::optional<uint32_t>(k);
    uint32_t idx = alias_outer_type(sc, k);
    sc.types[cur.index] = idx;
    return std::optional<uint32_t>(idx);
  }
  return std::optional<uint32_t>();
}

Expected<uint32_t> Encoder::resource_ref(Scope& sc, TypeId res) {
  Root& r = *sc.root;
  // The name the handle was written with (`own<y>` for `type y = x`), else
  // any name of the resource.
  ResourceId rid = t_.resource(res);
  if (sc.own_resources) {
    // Only this instance's own names: the handle's (`own<r2>`), else the resource's.
    for (TypeId cur = res; cur.valid(); cur = t_.node(cur).origin) {
      if (auto it = sc.types.find(cur.index); it != sc.types.end()) return it->second;
    }
    if (auto it = sc.resources.find(rid.index); it != sc.resources.end()) return it->second;
  }
  WITC_TRY_VAL(std::optional<uint32_t> exact, named(sc, res));
  if (exact) return *exact;
  if (auto it = sc.resources.find(rid.index); it != sc.resources.end()) return it->second;
  if (!names_resource(r, rid)) {
    return fail(Diagnostic::plain("a resource is used by an import but no import names it"));
  }
  WITC_TRY_VAL(uint32_t k, outer_type_of(r, res));
  if (&sc == &r.scope) return k;
  uint32_t idx = alias_outer_type(sc, k);
  sc.resources[rid.index] = idx;
  return idx;
}

Expected<bin::ValueTypeRef> Encoder::ref(Scope& sc, TypeId t) {
  WITC_TRY_VAL(std::optional<uint32_t> n, named(sc, t));
  if (n) return bin::ValueTypeRef::at(*n);
  const bin::ValueType& v = t_.value(t);
  if (bin::is_primitive(v.kind)) return bin::ValueTypeRef::of(prim_of(v.kind));
  WITC_TRY_VAL(uint32_t idx, define_value(sc, t));
  return bin::ValueTypeRef::at(idx);
}

Expected<uint32_t> Encoder::define_value(Scope& sc, TypeId t) {
  if (auto it = sc.types.find(t.index); it != sc.types.end()) return it->second;
  const bin::ValueType v = t_.value(t);  // a copy: defining children may grow the arena
  bin::TypeDef def;
  def.kind = bin::TypeDef::Kind::Defined;
  bin::DefinedType& d = def.defined;
  d.kind = defined_kind(v.kind);
  auto child = [&](size_t i) -> Expected<std::optional<bin::ValueTypeRef>> {
    if (i >= v.types.size() || !v.types[i].valid()) return std::optional<bin::ValueTypeRef>();
    WITC_TRY_VAL(bin::ValueTypeRef r, ref(sc, v.types[i]));
    return std::optional<bin::ValueTypeRef>(r);
  };
  switch (v.kind) {
    case bin::ValueKind::Record:
      for (size_t i = 0; i < v.labels.size(); ++i) {
        WITC_TRY_VAL(auto r, child(i));
        d.fields.push_back({v.labels[i], *r});
      }
      break;
    case bin::ValueKind::Variant:
      for (size_t i = 0; i < v.labels.size(); ++i) {
        WITC_TRY_VAL(auto r, child(i));
        d.cases.push_back({v.labels[i], r});
      }
      break;
    case bin::ValueKind::Tuple:
      for (size_t i = 0; i < v.types.size(); ++i) {
        WITC_TRY_VAL(auto r, child(i));
        d.elems.push_back(*r);
      }
      break;
    case bin::ValueKind::Flags:
    case bin::ValueKind::Enum: d.labels = v.labels; break;
    case bin::ValueKind::Own:
    case bin::ValueKind::Borrow: {
      WITC_TRY_VAL(uint32_t r, resource_ref(sc, v.types[0]));
      d.handle = bin::ComponentTypeIdx(r);
      break;
    }
    default: {
      if (bin::is_primitive(v.kind)) {
        d.kind = bin::DefinedType::Kind::Prim;
        d.prim = prim_of(v.kind);
        break;
      }
      WITC_TRY_VAL(d.a, child(0));
      WITC_TRY_VAL(d.b, child(1));
      d.length = v.length;
      break;
    }
  }
  uint32_t idx = add_type(sc, std::move(def));
  sc.types[t.index] = idx;
  return idx;
}

Expected<uint32_t> Encoder::define_func(Scope& sc, TypeId t) {
  const bin::ComponentFuncType f = t_.func(t);
  bin::TypeDef def;
  def.kind = bin::TypeDef::Kind::Func;
  def.func.async = f.async;
  for (const auto& [name, p] : f.params) {
    WITC_TRY_VAL(bin::ValueTypeRef r, ref(sc, p));
    def.func.params.push_back({name, r});
  }
  if (f.result) {
    WITC_TRY_VAL(bin::ValueTypeRef r, ref(sc, *f.result));
    def.func.result = r;
  }
  return add_type(sc, std::move(def));
}

// An instance type in a root's type space. The type exports it makes are
// recorded in `named_here` so that later items alias them.
// With `own_resources`, every resource the instance exports is its own
// (`sub resource`), even one an earlier item names: how a WIT world's
// exported plain-named interface is typed (it cannot `use` anything).
Expected<uint32_t> Encoder::define_instance(Scope& outer, TypeId t, NamedHere& named_here, bool own_resources) {
  Root& root = *outer.root;
  std::vector<bin::Declarator> decls;
  Scope sc;
  sc.decls = &decls;
  sc.root = &root;
  sc.own_resources = own_resources;
  const bin::InstanceType it = t_.instance(t);
  for (const auto& [name, e] : it.exports) {
    bin::Declarator d;
    d.kind = bin::Declarator::Kind::Export;
    d.name.name = name;
    switch (e.kind) {
      case EntityKind::Type: {
        d.desc.kind = bin::ExternDesc::Kind::Type;
        if (t_.kind(e.type) == TypeKind::Resource) {
          ResourceId rid = t_.resource(e.type);
          bool known = sc.resources.count(rid.index) || (!own_resources && names_resource(root, rid));
          if (!known) {
            d.desc.bound = bin::ExternDesc::Bound::SubResource;
            decls.push_back(std::move(d));
            sc.types[e.type.index] = sc.resources[rid.index] = sc.type_count++;
            named_here.emplace_back(e.type, name);
            continue;
          }
          WITC_ASSIGN(d.desc.index, resource_ref(sc, e.type));
          decls.push_back(std::move(d));
          sc.resources.emplace(rid.index, sc.type_count);
          sc.types[e.type.index] = sc.type_count++;
          named_here.emplace_back(e.type, name);
          continue;
        }
        // The export is a new name for the type it copies.
        TypeId def = t_.node(e.type).origin.valid() ? t_.node(e.type).origin : e.type;
        WITC_ASSIGN(d.desc.index, type_index(sc, def));
        decls.push_back(std::move(d));
        sc.types[e.type.index] = sc.type_count++;
        named_here.emplace_back(e.type, name);
        break;
      }
      case EntityKind::Func: {
        WITC_TRY_VAL(uint32_t f, define_func(sc, e.type));
        d.desc.kind = bin::ExternDesc::Kind::Func;
        d.desc.index = f;
        decls.push_back(std::move(d));
        break;
      }
      default:
        return fail(Diagnostic::plain(fmt::format("export `{}`: nested {} exports of imported instances "
                                                  "cannot be encoded yet",
                                                  name, bin::entity_kind_name(e.kind))));
    }
  }
  bin::TypeDef def;
  def.kind = bin::TypeDef::Kind::Instance;
  def.decls = std::move(decls);
  return add_type(outer, std::move(def));
}

// A component type in `outer`'s type space: its imports, then its exports,
// each type written where it is first needed, as for the composed component.
Expected<uint32_t> Encoder::define_component(Scope& outer, TypeId t) {
  const bin::ComponentType ct = t_.component(t);  // a copy: writing may grow the arenas
  std::vector<bin::Declarator> decls;
  Root r;
  r.scope.decls = &decls;
  if (&outer == &outer.root->scope) {
    r.parent = outer.root;
    for (ResourceId x : ct.imported_resources) r.own.insert(x.index);
    for (ResourceId x : ct.defined_resources) r.own.insert(x.index);
  }
  for (const auto& [name, e] : ct.imports) {
    auto ok = write_extern(r, false, name, e);
    if (!ok) return fail(std::move(ok.error()).with_context(fmt::format("import `{}`", name)));
  }
  for (const auto& [name, e] : ct.exports) {
    auto ok = write_extern(r, true, name, e);
    if (!ok) return fail(std::move(ok.error()).with_context(fmt::format("export `{}`", name)));
  }
  bin::TypeDef def;
  def.kind = bin::TypeDef::Kind::Component;
  def.decls = std::move(decls);
  return add_type(outer, std::move(def));
}

// The type index of any type in `sc`, defining it if needed (a primitive
// gets a `(type u32)` definition).
Expected<uint32_t> Encoder::type_index(Scope& sc, TypeId t) {
  switch (t_.kind(t)) {
    case TypeKind::Value: {
      WITC_TRY_VAL(bin::ValueTypeRef r, ref(sc, t));
      if (!r.is_prim) return r.index;
      bin::TypeDef p;
      p.kind = bin::TypeDef::Kind::Defined;
      p.defined.kind = bin::DefinedType::Kind::Prim;
      p.defined.prim = r.prim;
      return add_type(sc, std::move(p));
    }
    case TypeKind::Func: return define_func(sc, t);
    case TypeKind::Instance: {
      NamedHere unused;
      return define_instance(sc, t, unused);
    }
    case TypeKind::Component: return define_component(sc, t);
    case TypeKind::Resource: return resource_ref(sc, t);
  }
  return fail(Diagnostic::plain("internal error: unknown type kind"));
}

Expected<bin::ExternDesc> Encoder::extern_desc(Root& r, const EntityType& e, const std::string& name,
                                              NamedHere& named_here, bool is_export) {
  bin::ExternDesc desc;
  switch (e.kind) {
    case EntityKind::Instance: {
      desc.kind = bin::ExternDesc::Kind::Instance;
      // A component type's export under a plain name has resources of its
      // own (as wac writes a dependency's type; WIT cannot say otherwise).
      bool own = is_export && name.find(':') == std::string::npos;
      WITC_ASSIGN(desc.index, define_instance(r.scope, e.type, named_here, own));
      return desc;
    }
    case EntityKind::Func:
      desc.kind = bin::ExternDesc::Kind::Func;
      WITC_ASSIGN(desc.index, define_func(r.scope, e.type));
      return desc;
    case EntityKind::Component:
      desc.kind = bin::ExternDesc::Kind::Component;
      WITC_ASSIGN(desc.index, define_component(r.scope, e.type));
      return desc;
    case EntityKind::Type:
      desc.kind = bin::ExternDesc::Kind::Type;
      if (t_.kind(e.type) == TypeKind::Resource) {
        // A resource some earlier item names is imported as equal to it
        // (`use`d at world level); otherwise it is a fresh abstract one.
        ResourceId rid = t_.resource(e.type);
        if (names_resource(r, rid)) {
          WITC_ASSIGN(desc.index, resource_ref(r.scope, e.type));
        } else {
          desc.bound = bin::ExternDesc::Bound::SubResource;
        }
        return desc;
      }
      {
        // A value type is written out (its parts by name), as wac writes a
        // world's `use`d record: the import stays a structural definition.
        TypeId def = t_.definition(e.type);
        if (t_.kind(def) == TypeKind::Value && !bin::is_primitive(t_.value(def).kind)) {
          WITC_ASSIGN(desc.index, define_value(r.scope, def));
        } else {
          WITC_ASSIGN(desc.index, type_index(r.scope, def));
        }
      }
      return desc;
    default:
      return fail(Diagnostic::plain(fmt::format("`{}`: a {} cannot be imported or exported by the composer", name,
                                                bin::entity_kind_name(e.kind))));
  }
}

// Writes an import of the root (or, in a component type, an export) and
// records the names it gives; returns its index in its sort.
Expected<uint32_t> Encoder::write_extern(Root& r, bool is_export, const std::string& name, const EntityType& e) {
  NamedHere named_here;
  WITC_TRY_VAL(bin::ExternDesc desc, extern_desc(r, e, name, named_here, is_export));
  bin::Sort sort = sort_of(e.kind);
  uint32_t index = 0;
  if (r.is_component()) {
    bin::ImportDef imp;
    imp.name.name = name;
    imp.desc = desc;
    out_.imports.push_back(std::move(imp));
    section(bin::ComponentSectionId::Import, out_.imports.size() - 1);
    index = next(sort);
  } else {
    bin::Declarator d;
    d.kind = is_export ? bin::Declarator::Kind::Export : bin::Declarator::Kind::Import;
    d.name.name = name;
    d.desc = desc;
    r.scope.decls->push_back(std::move(d));
    index = sort == bin::Sort::Type ? r.scope.type_count++ : r.counts[static_cast<size_t>(sort)]++;
  }
  if (e.kind == EntityKind::Type) {
    if (t_.kind(e.type) == TypeKind::Resource) r.scope.resources.emplace(t_.resource(e.type).index, index);
    r.scope.types[e.type.index] = index;
  }
  for (auto& [t, tname] : named_here) {
    Owner o{index, tname};
    if (t_.kind(t) == TypeKind::Resource) {
      r.resource_owners.emplace(t_.resource(t).index, o);
    } else {
      r.owners.emplace(t.index, o);
    }
  }
  return index;
}

// --- nodes ----------------------------------------------------------------------------------

Expected<void> Encoder::order_nodes(std::vector<NodeId>& order) {
  // Depth-first, dependencies first; 1 = on the path (a cycle), 2 = done.
  std::vector<uint8_t> state(g_.nodes_.size(), 0);
  std::vector<std::pair<uint32_t, size_t>> stack;
  for (uint32_t root = 0; root < g_.nodes_.size(); ++root) {
    if (state[root] || g_.nodes_[root].removed) continue;
    stack.push_back({root, 0});
    state[root] = 1;
    while (!stack.empty()) {
      auto& [cur, i] = stack.back();
      const Node& n = g_.nodes_[cur];
      std::optional<uint32_t> dep;
      if (n.kind == Node::Kind::Alias && i == 0) {
        dep = n.source.index;
      } else if (n.kind == Node::Kind::Instance && i < n.args.size()) {
        dep = n.args.at_index(i).second.index;
      }
      ++i;
      if (dep) {
        if (state[*dep] == 1) {
          return fail(Diagnostic::plain(fmt::format("the composition has a cycle through {}",
                                                    g_.describe(NodeId(*dep)))));
        }
        if (state[*dep] == 0) {
          state[*dep] = 1;
          stack.push_back({*dep, 0});
        }
        continue;
      }
      state[cur] = 2;
      order.push_back(NodeId(cur));
      stack.pop_back();
    }
  }
  return {};
}

Expected<bin::SortIdx> Encoder::item_of(NodeId id) const {
  const Node& n = g_.node(id);
  auto it = node_items_.find(id.index);
  if (it == node_items_.end()) return fail(Diagnostic::plain(fmt::format("{} is not encoded", g_.describe(id))));
  bin::Sort s = n.kind == Node::Kind::Instance ? bin::Sort::Instance : sort_of(n.type.kind);
  return bin::SortIdx{s, it->second};
}

// The component index of a package: embedded the first time it is needed, or
// imported as a component type named `unlocked-dep=<ns:pkg>`.
Expected<uint32_t> Encoder::component_of(PackageId p) {
  if (auto it = component_of_package_.find(p.index); it != component_of_package_.end()) return it->second;
  const Package& pkg = g_.package(p);
  uint32_t index = 0;
  if (options_.define_components) {
    if (!pkg.binary) {
      return fail(Diagnostic::plain(fmt::format("package `{}` is known only by its type and cannot be embedded; "
                                                "import it instead (--import-dependencies)",
                                                pkg.name)));
    }
    out_.components.push_back(*pkg.binary);
    section(bin::ComponentSectionId::Component, out_.components.size() - 1);
    index = next(bin::Sort::Component);
  } else {
    std::string name = dependency_import_name(pkg);
    if (auto parsed = bin::parse_extern_name(name); !parsed) {
      return fail(Diagnostic::plain(fmt::format("package `{}` cannot be imported as a dependency: `{}` is not a "
                                                "valid import name ({})",
                                                pkg.name, name, parsed.error().message)));
    }
    if (!import_names_.insert(name).second) {
      return fail(Diagnostic::plain(fmt::format("package `{}` cannot be imported as `{}`: the composition already "
                                                "imports an item of that name",
                                                pkg.name, name)));
    }
    EntityType e;
    e.kind = EntityKind::Component;
    e.type = pkg.type;
    auto idx = write_extern(root_, false, name, e);
    if (!idx) return fail(std::move(idx.error()).with_context(fmt::format("package `{}`", pkg.name)));
    index = *idx;
  }
  component_of_package_.emplace(p.index, index);
  return index;
}

Expected<std::vector<uint8_t>> Encoder::run() {
  WITC_TRY_VAL(std::vector<ComposedImport> merged, g_.imports());
  if (!options_.define_components && options_.dependencies_first) {
    std::vector<bool> used(g_.packages_.size(), false);
    for (const Node& n : g_.nodes_) {
      if (n.kind == Node::Kind::Instance && !n.removed) used[n.package.index] = true;
    }
    for (uint32_t p = 0; p < used.size(); ++p) {
      if (used[p]) WITC_TRY(component_of(PackageId(p)));
    }
  }
  for (const ComposedImport& m : merged) {
    if (!import_names_.insert(m.name).second) {
      return fail(Diagnostic::plain(fmt::format("import `{}` conflicts with a package imported under the same name",
                                                m.name)));
    }
    auto idx = write_extern(root_, false, m.name, m.type);
    if (!idx) return fail(std::move(idx.error()).with_context(fmt::format("import `{}`", m.name)));
    import_index_[import_merge_key(m.name)] = imports_.size();
    imports_.push_back({m.name, m.type, *idx});
  }
  std::vector<NodeId> order;
  WITC_TRY(order_nodes(order));
  for (NodeId id : order) {
    const Node& n = g_.node(id);
    switch (n.kind) {
      case Node::Kind::Import: {
        WITC_TRY_VAL(const EncodedImport* m, imported(n.name));
        node_items_[id.index] = m->index;
        break;
      }
      case Node::Kind::Instance: {
        WITC_TRY_VAL(uint32_t component, component_of(n.package));
        bin::InstanceDef def;
        def.kind = bin::InstanceDef::Kind::Instantiate;
        def.component = bin::ComponentIdx(component);
        for (const auto& [name, e] : g_.package_type(n.package).imports) {
          bin::InstantiateArg a;
          a.name = name;
          if (const NodeId* v = n.args.find(name)) {
            WITC_ASSIGN(a.item, item_of(*v));
          } else {
            WITC_TRY_VAL(const EncodedImport* m, imported(name));
            a.item = bin::SortIdx{sort_of(m->type.kind), m->index};
          }
          def.args.push_back(std::move(a));
        }
        out_.instances.push_back(std::move(def));
        section(bin::ComponentSectionId::Instance, out_.instances.size() - 1);
        node_items_[id.index] = next(bin::Sort::Instance);
        break;
      }
      case Node::Kind::Alias: {
        WITC_TRY_VAL(bin::SortIdx src, item_of(n.source));
        bin::AliasDef a;
        a.sort = sort_of(n.type.kind);
        a.kind = bin::AliasDef::Kind::InstanceExport;
        a.instance = src.index;
        a.name = n.name;
        node_items_[id.index] = add_alias(std::move(a));
        break;
      }
      case Node::Kind::Type: {
        auto idx = type_index(root_.scope, n.type.type);
        if (!idx) return fail(std::move(idx.error()).with_context(g_.describe(id)));
        node_items_[id.index] = *idx;
        // Exported at once: types defined later refer to it by its exported
        // name (Explainer.md "External Visibility of Types").
        if (n.export_name) {
          uint32_t index = export_item(*n.export_name, bin::SortIdx{bin::Sort::Type, *idx});
          if (t_.kind(n.type.type) != TypeKind::Resource) root_.scope.types[n.type.type.index] = index;
        }
        break;
      }
    }
  }
  for (NodeId id : g_.export_order_) {
    const Node& n = g_.node(id);
    if (n.kind == Node::Kind::Type) continue;
    WITC_TRY_VAL(bin::SortIdx item, item_of(id));
    export_item(*n.export_name, item);
  }
  std::vector<uint8_t> bytes = bin::write_component(out_);
  if (options_.validate) {
    if (auto r = bin::validate_component_binary(bytes, options_.features); !r) {
      return fail(std::move(r.error()).with_context("the composed component is not valid"));
    }
  }
  return bytes;
}

Expected<std::vector<uint8_t>> Graph::encode(const EncodeOptions& options) {
  return Encoder(*this, options).run();
}

}  // namespace witc::compose
