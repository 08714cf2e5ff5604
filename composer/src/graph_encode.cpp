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

// A type index space being written: the composed component itself (decls ==
// nullptr) or an instance type's declarators.
struct Scope {
  std::vector<bin::Declarator>* decls = nullptr;
  std::unordered_map<uint32_t, uint32_t> types;      // TypeId -> type index here
  std::unordered_map<uint32_t, uint32_t> resources;  // ResourceId -> type index here
  uint32_t type_count = 0;
};

struct Owner {
  uint32_t instance = 0;  // an instance import of the composed component
  std::string name;       // the type export naming it
};

}  // namespace

class Encoder {
 public:
  explicit Encoder(Graph& g) : g_(g), t_(*g.types_) {}

  Expected<std::vector<uint8_t>> run(const EncodeOptions& options);

 private:
  struct MergedImport {
    std::string name;
    EntityType type;
    uint32_t index = 0;     // in the index space of its sort
    bool explicit_ = false;  // an import node of the graph
  };

  // --- index spaces of the composed component ---
  uint32_t next(bin::Sort s) { return counts_[static_cast<size_t>(s)]++; }
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
  uint32_t add_alias(bin::AliasDef a) {
    bin::Sort s = a.sort;
    out_.aliases.push_back(std::move(a));
    section(bin::ComponentSectionId::Alias, out_.aliases.size() - 1);
    return next(s);
  }

  // --- types ---
  Expected<uint32_t> outer_type_of(TypeId t);
  Expected<std::optional<uint32_t>> named(Scope& sc, TypeId t);
  Expected<bin::ValueTypeRef> ref(Scope& sc, TypeId t);
  Expected<uint32_t> resource_ref(Scope& sc, TypeId r);
  Expected<uint32_t> define_value(Scope& sc, TypeId t);
  Expected<uint32_t> define_func(Scope& sc, TypeId t);
  Expected<uint32_t> define_instance(Scope& sc, TypeId t, std::vector<std::pair<TypeId, std::string>>& named_here);
  Expected<bin::ExternDesc> import_desc(const MergedImport& m, std::vector<std::pair<TypeId, std::string>>& named_here);

  // --- structure ---
  Expected<void> merge_imports();
  void sort_imports();
  Expected<void> merge_into(MergedImport& m, const EntityType& need, const std::string& user);
  Expected<void> order_nodes(std::vector<NodeId>& order);
  Expected<bin::SortIdx> item_of(NodeId n) const;
  // The index of the merged import that `name` became.
  Expected<uint32_t> imported(const std::string& name) const {
    auto it = import_index_.find(import_merge_key(name));
    if (it == import_index_.end()) return fail(Diagnostic::plain(fmt::format("import `{}` is not encoded", name)));
    return imports_[it->second].index;
  }

  Graph& g_;
  bin::TypeInfo& t_;
  bin::Component out_;
  std::array<uint32_t, bin::kSortCount> counts_{};
  Scope outer_;
  std::unordered_map<uint32_t, Owner> owners_;           // TypeId -> naming export
  std::unordered_map<uint32_t, Owner> resource_owners_;  // ResourceId -> naming export
  std::vector<MergedImport> imports_;
  std::unordered_map<std::string, size_t> import_index_;
  std::unordered_map<uint32_t, uint32_t> node_items_;  // NodeId -> index in its sort
  std::unordered_map<uint32_t, uint32_t> component_of_package_;
};

// --- imports -------------------------------------------------------------------------------

Expected<void> Encoder::merge_into(MergedImport& m, const EntityType& need, const std::string& user) {
  if (m.explicit_) {
    return fail(Diagnostic::plain(fmt::format("an {} implicitly imports an item named `{}`, but it conflicts with an "
                                              "explicit import of the same name",
                                              user, m.name)));
  }
  if (t_.check_subtype(m.type, need)) return {};
  auto conflict = [&](const std::string& why) {
    return fail(Diagnostic::plain(
        fmt::format("import `{}` is needed with incompatible types by {}: {}", m.name, user, why)));
  };
  if (m.type.kind != EntityKind::Instance || need.kind != EntityKind::Instance) {
    auto r = t_.check_subtype(m.type, need);
    return conflict(r.error().message);
  }
  // The union of what both users need (the same interface, used in part by
  // each). The new exports are rewritten to refer to the merged instance's
  // named types, so that everything they mention stays exported.
  bin::InstanceType merged = t_.instance(m.type.type);
  const bin::InstanceType extra = t_.instance(need.type);
  bin::TypeInfo::Substitution s;
  for (const auto& [name, e] : extra.exports) {
    const EntityType* have = merged.exports.find(name);
    if (!have) continue;
    if (auto r = t_.check_subtype(*have, e); !r) {
      return conflict(fmt::format("export `{}`: {}", name, r.error().message));
    }
    if (e.kind == EntityKind::Type && have->kind == EntityKind::Type) s.types[e.type.index] = have->type;
  }
  for (const auto& [name, e] : extra.exports) {
    if (!merged.exports.contains(name)) merged.exports.insert(name, t_.substitute(e, s));
  }
  m.type.type = t_.add_instance(std::move(merged));
  return {};
}

Expected<void> Encoder::merge_imports() {
  for (size_t i = 0; i < g_.nodes_.size(); ++i) {
    const Node& n = g_.nodes_[i];
    if (n.kind != Node::Kind::Import || n.removed) continue;
    import_index_[import_merge_key(n.name)] = imports_.size();
    imports_.push_back({n.name, n.type, 0, true});
  }
  for (size_t i = 0; i < g_.nodes_.size(); ++i) {
    const Node& n = g_.nodes_[i];
    if (n.kind != Node::Kind::Instance || n.removed) continue;
    // A copy: substituting may grow the arena that holds the package's type.
    const bin::ComponentType ct = g_.package_type(n.package);
    for (const auto& [name, e] : ct.imports) {
      if (n.args.contains(name)) continue;
      EntityType need = t_.substitute(e, g_.bindings_[i]);
      auto it = import_index_.find(import_merge_key(name));
      if (it == import_index_.end()) {
        import_index_[import_merge_key(name)] = imports_.size();
        imports_.push_back({name, need, 0, false});
        continue;
      }
      MergedImport& m = imports_[it->second];
      WITC_TRY(merge_into(m, need, fmt::format("instantiation of package `{}`", g_.package(n.package).name)));
      // Semver-compatible versions of one interface: the higher one is imported.
      if (m.name != name && !m.explicit_) {
        auto mv = Version::parse(m.name.substr(m.name.rfind('@') + 1));
        auto nv = Version::parse(name.substr(name.rfind('@') + 1));
        if (mv && nv && *nv > *mv) m.name = name;
      }
    }
  }
  return {};
}

// Orders the imports so that an import comes after those whose types it
// uses: merging can put an import before one it depends on (one instance
// imports A and C, another B and C, with C using types of A and of B).
void Encoder::sort_imports() {
  // Which import names a type (its type exports) or a resource.
  std::unordered_map<uint32_t, size_t> type_owner, resource_owner;
  for (size_t i = 0; i < imports_.size(); ++i) {
    const EntityType& e = imports_[i].type;
    if (e.kind == EntityKind::Type && t_.kind(e.type) == TypeKind::Resource) {
      resource_owner.emplace(t_.resource(e.type).index, i);
    }
    if (e.kind != EntityKind::Instance) continue;
    for (const auto& [name, x] : t_.instance(e.type).exports) {
      if (x.kind != EntityKind::Type) continue;
      type_owner.emplace(x.type.index, i);
      if (t_.kind(x.type) == TypeKind::Resource) resource_owner.emplace(t_.resource(x.type).index, i);
    }
  }
  std::vector<std::vector<size_t>> deps(imports_.size());
  for (size_t i = 0; i < imports_.size(); ++i) {
    std::unordered_set<uint32_t> seen;
    std::vector<TypeId> work;
    auto note = [&](std::optional<size_t> owner) {
      if (!owner || *owner == i) return false;
      if (std::find(deps[i].begin(), deps[i].end(), *owner) == deps[i].end()) deps[i].push_back(*owner);
      return true;
    };
    auto owner_of = [&](TypeId t) -> std::optional<size_t> {
      if (auto it = type_owner.find(t.index); it != type_owner.end()) return it->second;
      if (t_.kind(t) == TypeKind::Resource) {
        if (auto it = resource_owner.find(t_.resource(t).index); it != resource_owner.end()) return it->second;
      }
      return std::nullopt;
    };
    const EntityType& top = imports_[i].type;
    if (top.kind != EntityKind::Module) work.push_back(top.type);
    while (!work.empty()) {
      TypeId t = work.back();
      work.pop_back();
      if (!t.valid() || !seen.insert(t.index).second) continue;
      bool elsewhere = false;
      for (TypeId cur = t; cur.valid() && !elsewhere; cur = t_.node(cur).origin) elsewhere = note(owner_of(cur));
      if (elsewhere) continue;  // reached through an alias of that import
      switch (t_.kind(t)) {
        case TypeKind::Value:
          for (TypeId c : t_.value(t).types) work.push_back(c);
          break;
        case TypeKind::Func:
          for (const auto& [name, p] : t_.func(t).params) work.push_back(p);
          if (t_.func(t).result) work.push_back(*t_.func(t).result);
          break;
        case TypeKind::Instance:
          for (const auto& [name, x] : t_.instance(t).exports) {
            if (x.kind != EntityKind::Module) work.push_back(x.type);
          }
          break;
        default: break;
      }
      if (TypeId o = t_.node(t).origin; o.valid()) work.push_back(o);
    }
  }
  // Depth first, dependencies before dependents, otherwise in merge order.
  std::vector<size_t> order;
  std::vector<uint8_t> state(imports_.size(), 0);
  auto visit = [&](auto&& self, size_t i) -> void {
    if (state[i]) return;
    state[i] = 1;
    for (size_t d : deps[i]) self(self, d);
    state[i] = 2;
    order.push_back(i);
  };
  for (size_t i = 0; i < imports_.size(); ++i) visit(visit, i);
  std::vector<MergedImport> sorted;
  sorted.reserve(imports_.size());
  for (size_t i : order) sorted.push_back(std::move(imports_[i]));
  imports_ = std::move(sorted);
  import_index_.clear();
  for (size_t i = 0; i < imports_.size(); ++i) import_index_[import_merge_key(imports_[i].name)] = i;
}

// The index in the composed component of a type some instance import names.
Expected<uint32_t> Encoder::outer_type_of(TypeId t) {
  if (auto it = outer_.types.find(t.index); it != outer_.types.end()) return it->second;
  const Owner* o = nullptr;
  bool resource = t_.kind(t) == TypeKind::Resource;
  if (resource) {
    if (auto it = outer_.resources.find(t_.resource(t).index); it != outer_.resources.end()) return it->second;
    auto it = resource_owners_.find(t_.resource(t).index);
    if (it != resource_owners_.end()) o = &it->second;
  } else if (auto it = owners_.find(t.index); it != owners_.end()) {
    o = &it->second;
  }
  if (!o) return fail(Diagnostic::plain(fmt::format("type {} has no name in the composition", t_.describe(t))));
  bin::AliasDef a;
  a.sort = bin::Sort::Type;
  a.kind = bin::AliasDef::Kind::InstanceExport;
  a.instance = o->instance;
  a.name = o->name;
  uint32_t idx = add_alias(std::move(a));
  if (resource) {
    outer_.resources[t_.resource(t).index] = idx;
  } else {
    outer_.types[t.index] = idx;
  }
  return idx;
}

// The index of `t` in `sc` if it (or the type it copies) has a name there or
// in an earlier import; nullopt for an anonymous type.
Expected<std::optional<uint32_t>> Encoder::named(Scope& sc, TypeId t) {
  for (TypeId cur = t; cur.valid(); cur = t_.node(cur).origin) {
    if (auto it = sc.types.find(cur.index); it != sc.types.end()) return std::optional<uint32_t>(it->second);
    bool known = outer_.types.count(cur.index) || owners_.count(cur.index);
    if (!known) continue;
    WITC_TRY_VAL(uint32_t k, outer_type_of(cur));
    if (!sc.decls) return std::optional<uint32_t>(k);
    uint32_t idx = alias_outer_type(sc, k);
    sc.types[cur.index] = idx;
    return std::optional<uint32_t>(idx);
  }
  return std::optional<uint32_t>();
}

Expected<uint32_t> Encoder::resource_ref(Scope& sc, TypeId r) {
  ResourceId rid = t_.resource(r);
  if (auto it = sc.resources.find(rid.index); it != sc.resources.end()) return it->second;
  if (!outer_.resources.count(rid.index) && !resource_owners_.count(rid.index)) {
    return fail(Diagnostic::plain("a resource is used by an import but no import names it"));
  }
  WITC_TRY_VAL(uint32_t k, outer_type_of(r));
  if (!sc.decls) return k;
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

// An instance type in the composed component's type space. The type exports
// it makes are recorded in `named_here` so that later imports alias them.
Expected<uint32_t> Encoder::define_instance(Scope& outer, TypeId t,
                                            std::vector<std::pair<TypeId, std::string>>& named_here) {
  std::vector<bin::Declarator> decls;
  Scope sc;
  sc.decls = &decls;
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
          bool known = outer_.resources.count(rid.index) || resource_owners_.count(rid.index) ||
                       sc.resources.count(rid.index);
          if (!known) {
            d.desc.bound = bin::ExternDesc::Bound::SubResource;
            decls.push_back(std::move(d));
            sc.resources[rid.index] = sc.type_count++;
            named_here.emplace_back(e.type, name);
            continue;
          }
          WITC_ASSIGN(d.desc.index, resource_ref(sc, e.type));
          decls.push_back(std::move(d));
          sc.resources[rid.index] = sc.type_count;
          sc.types[e.type.index] = sc.type_count++;
          named_here.emplace_back(e.type, name);
          continue;
        } else {
          // The export is a new name for the type it copies.
          TypeId def = t_.node(e.type).origin.valid() ? t_.node(e.type).origin : e.type;
          WITC_TRY_VAL(bin::ValueTypeRef r, ref(sc, def));
          if (r.is_prim) {
            bin::TypeDef p;
            p.kind = bin::TypeDef::Kind::Defined;
            p.defined.kind = bin::DefinedType::Kind::Prim;
            p.defined.prim = r.prim;
            r = bin::ValueTypeRef::at(add_type(sc, std::move(p)));
          }
          d.desc.index = r.index;
        }
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

Expected<bin::ExternDesc> Encoder::import_desc(const MergedImport& m,
                                              std::vector<std::pair<TypeId, std::string>>& named_here) {
  bin::ExternDesc desc;
  switch (m.type.kind) {
    case EntityKind::Instance:
      desc.kind = bin::ExternDesc::Kind::Instance;
      WITC_ASSIGN(desc.index, define_instance(outer_, m.type.type, named_here));
      return desc;
    case EntityKind::Func:
      desc.kind = bin::ExternDesc::Kind::Func;
      WITC_ASSIGN(desc.index, define_func(outer_, m.type.type));
      return desc;
    case EntityKind::Type:
      desc.kind = bin::ExternDesc::Kind::Type;
      if (t_.kind(m.type.type) == TypeKind::Resource) {
        desc.bound = bin::ExternDesc::Bound::SubResource;
      } else {
        WITC_TRY_VAL(bin::ValueTypeRef r, ref(outer_, m.type.type));
        if (r.is_prim) return fail(Diagnostic::plain(fmt::format("import `{}`: a primitive type import", m.name)));
        desc.index = r.index;
      }
      return desc;
    default:
      return fail(Diagnostic::plain(fmt::format("import `{}`: importing a {} is not supported by the composer",
                                                m.name, bin::entity_kind_name(m.type.kind))));
  }
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

Expected<std::vector<uint8_t>> Encoder::run(const EncodeOptions& options) {
  WITC_TRY(merge_imports());
  sort_imports();
  for (MergedImport& m : imports_) {
    std::vector<std::pair<TypeId, std::string>> named_here;
    WITC_TRY_VAL(bin::ExternDesc desc, import_desc(m, named_here));
    bin::ImportDef imp;
    imp.name.name = m.name;
    imp.desc = desc;
    out_.imports.push_back(std::move(imp));
    section(bin::ComponentSectionId::Import, out_.imports.size() - 1);
    m.index = next(sort_of(m.type.kind));
    if (m.type.kind == EntityKind::Type && t_.kind(m.type.type) == TypeKind::Resource) {
      outer_.resources[t_.resource(m.type.type).index] = m.index;
    }
    for (auto& [t, name] : named_here) {
      Owner o{m.index, name};
      if (t_.kind(t) == TypeKind::Resource) {
        resource_owners_.emplace(t_.resource(t).index, o);
      } else {
        owners_.emplace(t.index, o);
      }
    }
  }
  std::vector<NodeId> order;
  WITC_TRY(order_nodes(order));
  for (NodeId id : order) {
    const Node& n = g_.node(id);
    switch (n.kind) {
      case Node::Kind::Import:
        WITC_ASSIGN(node_items_[id.index], imported(n.name));
        break;
      case Node::Kind::Instance: {
        auto pc = component_of_package_.find(n.package.index);
        if (pc == component_of_package_.end()) {
          out_.components.push_back(g_.package(n.package).binary);
          section(bin::ComponentSectionId::Component, out_.components.size() - 1);
          pc = component_of_package_.emplace(n.package.index, next(bin::Sort::Component)).first;
        }
        bin::InstanceDef def;
        def.kind = bin::InstanceDef::Kind::Instantiate;
        def.component = bin::ComponentIdx(pc->second);
        for (const auto& [name, e] : g_.package_type(n.package).imports) {
          bin::InstantiateArg a;
          a.name = name;
          if (const NodeId* v = n.args.find(name)) {
            WITC_ASSIGN(a.item, item_of(*v));
          } else {
            WITC_TRY_VAL(uint32_t index, imported(name));
            a.item = bin::SortIdx{sort_of(imports_[import_index_[import_merge_key(name)]].type.kind), index};
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
    }
  }
  for (NodeId id : g_.export_order_) {
    const Node& n = g_.node(id);
    bin::ExportDef e;
    e.name.name = *n.export_name;
    WITC_ASSIGN(e.item, item_of(id));
    out_.exports.push_back(std::move(e));
    section(bin::ComponentSectionId::Export, out_.exports.size() - 1);
    next(e.item.sort);
  }
  std::vector<uint8_t> bytes = bin::write_component(out_);
  if (options.validate) {
    if (auto r = bin::validate_component_binary(bytes, options.features); !r) {
      return fail(std::move(r.error()).with_context("the composed component is not valid"));
    }
  }
  return bytes;
}

Expected<std::vector<uint8_t>> Graph::encode(const EncodeOptions& options) {
  return Encoder(*this).run(options);
}

}  // namespace witc::compose
