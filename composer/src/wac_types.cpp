// Type, interface and world declarations of a WAC document (wac_resolve.h).
#include <unordered_set>

#include <fmt/format.h>

#include "wac_resolve.h"
#include "witc/base/try.h"
#include "witc/bin/component_names.h"

namespace witc::compose::wac::detail {

namespace {

using bin::EntityKind;
using bin::EntityType;
using bin::TypeId;
using bin::TypeKind;
using bin::ValueKind;

bin::ValueKind prim_kind(Type::Kind k) {
  switch (k) {
    case Type::Kind::U8: return ValueKind::U8;
    case Type::Kind::S8: return ValueKind::S8;
    case Type::Kind::U16: return ValueKind::U16;
    case Type::Kind::S16: return ValueKind::S16;
    case Type::Kind::U32: return ValueKind::U32;
    case Type::Kind::S32: return ValueKind::S32;
    case Type::Kind::U64: return ValueKind::U64;
    case Type::Kind::S64: return ValueKind::S64;
    case Type::Kind::F32: return ValueKind::F32;
    case Type::Kind::F64: return ValueKind::F64;
    case Type::Kind::Char: return ValueKind::Char;
    case Type::Kind::Bool: return ValueKind::Bool;
    default: return ValueKind::String;
  }
}

EntityType type_entity(TypeId t) { return EntityType{EntityKind::Type, t, {}}; }

// Names that must be strongly unique compare without case (Explainer.md
// "Name Uniqueness"): `X` and `x` are the same name.
std::string fold(std::string_view n) {
  std::string out(n);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The strong-uniqueness key of an import or export name.
std::string name_key(const std::string& n) {
  auto parsed = bin::parse_extern_name(n, {true, true});
  return parsed ? bin::unique_key(n, *parsed) : n;
}

// The name a type declaration defines.
const Ident& decl_id(const TypeDecl& d) {
  return std::visit([](const auto& x) -> const Ident& { return x.id; }, d);
}

}  // namespace

// --- names of kinds, as wac prints them --------------------------------------------------

std::string kind_name(const bin::TypeInfo& ti, TypeId t) {
  TypeId d = ti.definition(t);
  switch (ti.kind(d)) {
    case TypeKind::Value: return std::string(bin::value_kind_name(ti.value(d).kind));
    case TypeKind::Func: return "function type";
    case TypeKind::Instance: return "interface";
    case TypeKind::Component: return "world";
    case TypeKind::Resource: return "resource";
  }
  return "type";
}

std::string item_kind_name(const bin::TypeInfo& ti, const EntityType& e) {
  switch (e.kind) {
    case EntityKind::Func: return "function";
    case EntityKind::Instance: return "instance";
    case EntityKind::Component: return "component";
    case EntityKind::Module: return "module";
    case EntityKind::Value: return "value";
    case EntityKind::Type: return kind_name(ti, e.type);
  }
  return "item";
}

// --- names --------------------------------------------------------------------------------

Expected<TypeId> Resolver::resolve_type_name(const Ident& id, const LocalTypes* local) const {
  if (local) {
    if (const auto* t = local->types.find(id.name)) return t->first;
  }
  const Item* item = lookup(id.name);
  if (!item) return fail(at(id.span, fmt::format("undefined name `{}`", id.name)));
  if (item->entity.kind != EntityKind::Type) {
    return fail(at(id.span, fmt::format("`{}` ({}) is not a type", id.name, item_kind_name(item->entity))));
  }
  return item->entity.type;
}

Expected<std::pair<TypeId, std::string>> Resolver::interface_ref(const Ident* id, const PackagePath* path) {
  if (path) {
    WITC_TRY_VAL(EntityType e, package_path(*path));
    if (g_->types().kind(e.type) != TypeKind::Instance) {
      return fail(at(path->span, fmt::format("`{}` ({}) is not an interface", path->text, kind_name(e.type))));
    }
    return std::pair{e.type, path->text};
  }
  WITC_TRY_VAL(TypeId t, resolve_type_name(*id, nullptr));
  if (g_->types().kind(t) != TypeKind::Instance) {
    return fail(at(id->span, fmt::format("`{}` ({}) is not an interface", id->name, kind_name(t))));
  }
  return std::pair{t, id->name};
}

Expected<TypeId> Resolver::world_ref(const Ident* id, const PackagePath* path) {
  TypeId t;
  std::string name;
  Span span;
  if (path) {
    WITC_TRY_VAL(EntityType e, package_path(*path));
    t = e.type;
    name = path->text;
    span = path->span;
  } else {
    WITC_ASSIGN(t, resolve_type_name(*id, nullptr));
    name = id->name;
    span = id->span;
  }
  if (g_->types().kind(t) != TypeKind::Component) {
    return fail(at(span, fmt::format("`{}` ({}) is not a world", name, kind_name(t))));
  }
  return t;
}

// --- value and function types ----------------------------------------------------------------

Expected<TypeId> Resolver::value_type(const Type& t, const LocalTypes* local) {
  bin::TypeInfo& ti = g_->types();
  bin::ValueType v;
  switch (t.kind) {
    case Type::Kind::Tuple:
      v.kind = ValueKind::Tuple;
      for (const Type& e : t.types) {
        WITC_TRY_VAL(TypeId x, value_type(e, local));
        v.types.push_back(x);
      }
      return ti.add_value(std::move(v));
    case Type::Kind::List:
    case Type::Kind::Option: {
      v.kind = t.kind == Type::Kind::List ? ValueKind::List : ValueKind::Option;
      WITC_TRY_VAL(TypeId x, value_type(t.types[0], local));
      v.types.push_back(x);
      return ti.add_value(std::move(v));
    }
    case Type::Kind::Result: {
      v.kind = ValueKind::Result;
      TypeId ok, err;
      if (t.ok()) WITC_ASSIGN(ok, value_type(*t.ok(), local));
      if (t.err()) WITC_ASSIGN(err, value_type(*t.err(), local));
      v.types = {ok, err};
      return ti.add_value(std::move(v));
    }
    case Type::Kind::Borrow: {
      WITC_TRY_VAL(TypeId r, resolve_type_name(t.ident, local));
      if (ti.kind(r) != TypeKind::Resource) {
        return fail(at(t.ident.span, fmt::format("`{}` ({}) is not a resource type", t.ident.name, kind_name(r))));
      }
      v.kind = ValueKind::Borrow;
      v.types = {r};
      return ti.add_value(std::move(v));
    }
    case Type::Kind::Ident: {
      WITC_TRY_VAL(TypeId r, resolve_type_name(t.ident, local));
      switch (ti.kind(r)) {
        case TypeKind::Resource:
          v.kind = ValueKind::Own;
          v.types = {r};
          return ti.add_value(std::move(v));
        case TypeKind::Value: return r;
        default:
          return fail(at(t.ident.span, fmt::format("`{}` ({}) cannot be used as a value type", t.ident.name,
                                                   kind_name(r))));
      }
    }
    default: return ti.prim(prim_kind(t.kind));
  }
}

Expected<TypeId> Resolver::func_type(const FuncType& f, const LocalTypes* local, const char* kind) {
  bin::ComponentFuncType ft;
  std::unordered_map<std::string, bool> seen;
  for (const NamedType& p : f.params) {
    if (seen.count(fold(p.id.name))) {
      return fail(at(p.id.span, fmt::format("duplicate {} parameter `{}`", kind, p.id.name)));
    }
    seen[fold(p.id.name)] = true;
    WITC_TRY_VAL(TypeId t, value_type(p.ty, local));
    ft.params.emplace_back(p.id.name, t);
  }
  switch (f.results) {
    case FuncType::Results::Empty: break;
    case FuncType::Results::Scalar: {
      WITC_TRY_VAL(TypeId t, value_type(*f.scalar, local));
      if (g_->types().node(t).contains_borrow) {
        return fail(at(f.scalar->span, "function result cannot recursively contain a borrow type"));
      }
      ft.result = t;
      break;
    }
    case FuncType::Results::Named:
      return fail(at(f.span, "functions with named results are not supported by the component model; "
                             "return one type (a record or a tuple)"));
  }
  return g_->types().add_func(std::move(ft));
}

// --- type declarations -----------------------------------------------------------------------

Expected<TypeId> Resolver::type_decl(const TypeDecl& d, LocalTypes* local, const std::string&) {
  bin::TypeInfo& ti = g_->types();
  auto labels = [&](const auto& items, const char* what, const char* type_kind, const Ident& owner,
                    bin::ValueType& v) -> Expected<void> {
    std::unordered_map<std::string, bool> seen;
    for (const auto& item : items) {
      if (seen.count(fold(item.id.name))) {
        return fail(at(item.id.span, fmt::format("duplicate {} `{}` for {} type `{}`", what, item.id.name,
                                                 type_kind, owner.name)));
      }
      seen[fold(item.id.name)] = true;
      v.labels.push_back(item.id.name);
    }
    return {};
  };
  if (const auto* x = std::get_if<VariantDecl>(&d)) {
    bin::ValueType v;
    v.kind = ValueKind::Variant;
    WITC_TRY(labels(x->cases, "case", "variant", x->id, v));
    for (const auto& c : x->cases) {
      TypeId t;
      if (c.ty) WITC_ASSIGN(t, value_type(*c.ty, local));
      v.types.push_back(t);
    }
    return ti.add_value(std::move(v));
  }
  if (const auto* x = std::get_if<RecordDecl>(&d)) {
    bin::ValueType v;
    v.kind = ValueKind::Record;
    WITC_TRY(labels(x->fields, "field", "record", x->id, v));
    for (const auto& f : x->fields) {
      WITC_TRY_VAL(TypeId t, value_type(f.ty, local));
      v.types.push_back(t);
    }
    return ti.add_value(std::move(v));
  }
  if (const auto* x = std::get_if<FlagsDecl>(&d)) {
    bin::ValueType v;
    v.kind = ValueKind::Flags;
    WITC_TRY(labels(x->flags, "flag", "flags", x->id, v));
    return ti.add_value(std::move(v));
  }
  if (const auto* x = std::get_if<EnumDecl>(&d)) {
    bin::ValueType v;
    v.kind = ValueKind::Enum;
    WITC_TRY(labels(x->cases, "case", "enum", x->id, v));
    return ti.add_value(std::move(v));
  }
  const auto& a = std::get<TypeAlias>(d);
  if (a.func) return func_type(*a.func, local, "function");
  if (a.ty->kind != Type::Kind::Ident) return value_type(*a.ty, local);
  // `type y = x`: a new name for a value type, a resource or a function type.
  WITC_TRY_VAL(TypeId target, resolve_type_name(a.ty->ident, local));
  TypeKind k = ti.kind(target);
  if (k == TypeKind::Instance || k == TypeKind::Component) {
    return fail(at(a.ty->ident.span, fmt::format("`{}` ({}) cannot be used in a type alias", a.ty->ident.name,
                                                 kind_name(target))));
  }
  if (k == TypeKind::Value && bin::is_primitive(ti.value(target).kind)) return target;
  return ti.copy(target);
}

// --- interfaces ---------------------------------------------------------------------------------

Expected<TypeId> Resolver::interface(const std::vector<InterfaceItem>& items, const std::string& id,
                                     const std::optional<std::string>& name) {
  bin::TypeInfo& ti = g_->types();
  LocalTypes local;
  bin::InstanceType it;
  TypeMeta meta;
  meta.id = id;
  std::unordered_set<std::string> keys;
  auto taken = [&](const std::string& n) { return keys.count(name_key(n)) > 0; };
  auto put = [&](const std::string& n, EntityType e) {
    keys.insert(name_key(n));
    it.exports.insert(n, e);
  };
  auto for_interface = [&] { return name ? fmt::format(" for interface `{}`", *name) : std::string(); };
  auto add_export = [&](const Ident& ident, const std::string& ename, EntityType e) -> Expected<void> {
    if (taken(ename)) {
      return fail(at(ident.span, fmt::format("duplicate interface export `{}`{}", ename, for_interface())));
    }
    put(ename, e);
    return {};
  };
  auto add_dep = [&](const std::string& dep_id, TypeId dep) {
    if (const TypeMeta* m = [&]() -> const TypeMeta* {
          auto f = meta_.find(dep.index);
          return f == meta_.end() ? nullptr : &f->second;
        }()) {
      for (const InterfaceDep& d : m->deps) {
        bool have = false;
        for (const auto& x : meta.deps) have |= x.id == d.id;
        if (!have) meta.deps.push_back(d);
      }
    }
    bool have = false;
    for (const auto& x : meta.deps) have |= x.id == dep_id;
    if (!have) meta.deps.push_back({dep_id, dep});
  };
  for (const InterfaceItem& item : items) {
    if (const auto* u = std::get_if<UseStatement>(&item)) {
      WITC_TRY_VAL(auto ref, interface_ref(u->path ? nullptr : &u->id, u->path ? &*u->path : nullptr));
      const bin::InstanceType& used = ti.instance(ref.first);
      std::string dep_id = meta_.count(ref.first.index) ? meta_.at(ref.first.index).id : ref.second;
      for (const UseItem& ui : u->items) {
        const EntityType* e = used.exports.find(ui.id.name);
        if (!e || e->kind != EntityKind::Type) {
          return fail(at(ui.id.span, fmt::format("a type named `{}` is not defined in interface `{}`", ui.id.name,
                                                 ref.second)));
        }
        const Ident& local_name = ui.as_id ? *ui.as_id : ui.id;
        if (taken(local_name.name)) {
          Diagnostic d = at(local_name.span, fmt::format("use of type `{}` conflicts with an export of the same name",
                                                         local_name.name));
          d.notes.push_back("help: consider using an `as` clause to use a different name");
          return fail(std::move(d));
        }
        TypeId t = ti.copy(e->type);
        local.types.insert(local_name.name, {t, local_name.span});
        put(local_name.name, type_entity(t));
      }
      if (!dep_id.empty()) add_dep(dep_id, ref.first);
      continue;
    }
    if (const auto* d = std::get_if<ItemTypeDecl>(&item)) {
      if (const auto* r = std::get_if<ResourceDecl>(d)) {
        bin::ResourceId rid = ti.new_resource();
        TypeId rt = ti.add_resource(rid);
        it.defined_resources.push_back(rid);
        WITC_TRY(add_export(r->id, r->id.name, type_entity(rt)));
        local.types.insert(r->id.name, {rt, r->id.span});
        bool has_ctor = false;
        for (const ResourceMethod& m : r->methods) {
          bin::ValueType own;
          own.kind = ValueKind::Own;
          own.types = {rt};
          if (m.is_constructor) {
            if (has_ctor) {
              return fail(at(m.span, fmt::format("duplicate constructor for resource `{}`", r->id.name)));
            }
            has_ctor = true;
            FuncType ctor = m.ty;
            WITC_TRY_VAL(TypeId f, func_type(ctor, &local, "constructor"));
            bin::ComponentFuncType ft = ti.func(f);
            ft.result = ti.add_value(std::move(own));
            put("[constructor]" + r->id.name, EntityType{EntityKind::Func, ti.add_func(ft), {}});
            continue;
          }
          std::string fname = (m.is_static ? "[static]" : "[method]") + r->id.name + "." + m.id.name;
          if (taken(fname) ||
              taken((m.is_static ? "[method]" : "[static]") + r->id.name + "." + m.id.name)) {
            return fail(at(m.id.span, fmt::format("duplicate method `{}` for resource `{}`", m.id.name, r->id.name)));
          }
          WITC_TRY_VAL(TypeId f, func_type(m.ty, &local, m.is_static ? "static method" : "method"));
          bin::ComponentFuncType ft = ti.func(f);
          if (!m.is_static) {
            for (const auto& p : ft.params) {
              if (p.first == "self") {
                return fail(at(m.id.span, fmt::format("duplicate method parameter `self`")));
              }
            }
            bin::ValueType self;
            self.kind = ValueKind::Borrow;
            self.types = {rt};
            ft.params.insert(ft.params.begin(), {"self", ti.add_value(std::move(self))});
          }
          put(fname, EntityType{EntityKind::Func, ti.add_func(ft), {}});
        }
        continue;
      }
      const TypeDecl& td = std::get<TypeDecl>(*d);
      const Ident& tid = decl_id(td);
      if (taken(tid.name)) {
        return fail(at(tid.span, fmt::format("duplicate interface export `{}`{}", tid.name, for_interface())));
      }
      WITC_TRY_VAL(TypeId t, type_decl(td, &local, tid.name));
      // A named type is a type of its own, even when it aliases a primitive.
      TypeId named = ti.copy(t);
      local.types.insert(tid.name, {named, tid.span});
      put(tid.name, type_entity(named));
      continue;
    }
    const auto& e = std::get<InterfaceExport>(item);
    TypeId f;
    if (e.ty.func) {
      WITC_ASSIGN(f, func_type(*e.ty.func, &local, "function"));
    } else {
      WITC_ASSIGN(f, resolve_type_name(e.ty.id, &local));
      if (ti.kind(f) != TypeKind::Func) {
        return fail(at(e.ty.id.span, fmt::format("`{}` ({}) is not a function type", e.ty.id.name, kind_name(f))));
      }
    }
    WITC_TRY(add_export(e.id, e.id.name, EntityType{EntityKind::Func, f, {}}));
  }
  TypeId out = ti.add_instance(std::move(it));
  meta_.emplace(out.index, std::move(meta));
  return out;
}

// --- worlds ---------------------------------------------------------------------------------

Expected<TypeId> Resolver::world(const WorldDecl& w, const std::string& id) {
  bin::TypeInfo& ti = g_->types();
  LocalTypes local;
  bin::ComponentType ct;
  auto conflict = [&](bool is_import, const std::string& name, Span s) {
    return fail(at(s, fmt::format("{0} `{1}` conflicts with existing {0} of the same name in world `{2}`",
                                  is_import ? "import" : "export", name, w.id.name)));
  };
  std::unordered_set<std::string> import_keys, export_keys;
  // An interface and the interfaces it uses are imported (WIT.md "Worlds").
  auto import_deps = [&](TypeId iface) {
    auto m = meta_.find(iface.index);
    if (m == meta_.end()) return;
    for (const InterfaceDep& d : m->second.deps) {
      if (!ct.imports.contains(d.id)) {
        ct.imports.insert(d.id, EntityType{EntityKind::Instance, d.type, {}});
        import_keys.insert(name_key(d.id));
      }
    }
  };
  auto add_item = [&](bool is_import, const std::string& name, EntityType e, Span s) -> Expected<void> {
    auto& items = is_import ? ct.imports : ct.exports;
    if (items.contains(name) || !(is_import ? import_keys : export_keys).insert(name_key(name)).second) {
      return conflict(is_import, name, s);
    }
    if (e.kind == EntityKind::Instance) import_deps(e.type);
    items.insert(name, e);
    return {};
  };
  std::vector<const WorldInclude*> includes;
  for (const WorldItem& item : w.items) {
    if (const auto* u = std::get_if<UseStatement>(&item)) {
      WITC_TRY_VAL(auto ref, interface_ref(u->path ? nullptr : &u->id, u->path ? &*u->path : nullptr));
      import_deps(ref.first);
      std::string iid = meta_.count(ref.first.index) ? meta_.at(ref.first.index).id : ref.second;
      if (!iid.empty() && !ct.imports.contains(iid)) {
        ct.imports.insert(iid, EntityType{EntityKind::Instance, ref.first, {}});
        import_keys.insert(name_key(iid));
      }
      const bin::InstanceType& used = ti.instance(ref.first);
      for (const UseItem& ui : u->items) {
        const EntityType* e = used.exports.find(ui.id.name);
        if (!e || e->kind != EntityKind::Type) {
          return fail(at(ui.id.span, fmt::format("a type named `{}` is not defined in interface `{}`", ui.id.name,
                                                 ref.second)));
        }
        const Ident& local_name = ui.as_id ? *ui.as_id : ui.id;
        if (import_keys.count(name_key(local_name.name))) {
          Diagnostic d = at(local_name.span, fmt::format("use of type `{}` conflicts with an import of the same name",
                                                         local_name.name));
          d.notes.push_back("help: consider using an `as` clause to use a different name");
          return fail(std::move(d));
        }
        TypeId t = ti.copy(e->type);
        local.types.insert(local_name.name, {t, local_name.span});
        ct.imports.insert(local_name.name, type_entity(t));
        import_keys.insert(name_key(local_name.name));
      }
      continue;
    }
    if (const auto* d = std::get_if<ItemTypeDecl>(&item)) {
      // World-level types are imported types; a resource's functions are
      // imported beside it.
      LocalTypes* l = &local;
      if (const auto* r = std::get_if<ResourceDecl>(d)) {
        std::vector<InterfaceItem> one;
        one.emplace_back(ItemTypeDecl(*r));
        WITC_TRY_VAL(TypeId inst, interface(one, "", std::nullopt));
        const bin::InstanceType exported = ti.instance(inst);
        for (const auto& [ename, e] : exported.exports) {
          WITC_TRY(add_item(true, ename, e, r->id.span));
          if (e.kind == EntityKind::Type) {
            l->types.insert(ename, {e.type, r->id.span});
            ct.imported_resources.push_back(ti.resource(e.type));
          }
        }
        continue;
      }
      const TypeDecl& td = std::get<TypeDecl>(*d);
      WITC_TRY_VAL(TypeId t, type_decl(td, l, decl_id(td).name));
      TypeId named = ti.copy(t);
      WITC_TRY(add_item(true, decl_id(td).name, type_entity(named), decl_id(td).span));
      l->types.insert(decl_id(td).name, {named, decl_id(td).span});
      continue;
    }
    if (const auto* inc = std::get_if<WorldInclude>(&item)) {
      includes.push_back(inc);
      continue;
    }
    const auto& ie = std::get<WorldImportExport>(item);
    const WorldItemPath& p = ie.path;
    switch (p.kind) {
      case WorldItemPath::Kind::Named: {
        EntityType e;
        switch (p.ty.kind) {
          case ExternType::Kind::Func: {
            WITC_TRY_VAL(TypeId f, func_type(*p.ty.func, &local, "function"));
            e = EntityType{EntityKind::Func, f, {}};
            break;
          }
          case ExternType::Kind::Interface: {
            WITC_TRY_VAL(TypeId i, interface(p.ty.iface->items, "", std::nullopt));
            e = EntityType{EntityKind::Instance, i, {}};
            break;
          }
          case ExternType::Kind::Ident: {
            WITC_TRY_VAL(TypeId t, resolve_type_name(p.ty.id, &local));
            TypeKind k = ti.kind(t);
            if (k != TypeKind::Func && k != TypeKind::Instance) {
              return fail(at(p.ty.id.span, fmt::format("`{}` ({}) is not a function type or interface", p.ty.id.name,
                                                       kind_name(t))));
            }
            e = EntityType{k == TypeKind::Func ? EntityKind::Func : EntityKind::Instance, t, {}};
            break;
          }
        }
        WITC_TRY(add_item(ie.is_import, p.id.name, e, p.id.span));
        break;
      }
      case WorldItemPath::Kind::Package:
      case WorldItemPath::Kind::Ident: {
        WITC_TRY_VAL(auto ref, interface_ref(p.kind == WorldItemPath::Kind::Ident ? &p.id : nullptr,
                                             p.path ? &*p.path : nullptr));
        std::string name = meta_.count(ref.first.index) && !meta_.at(ref.first.index).id.empty()
                               ? meta_.at(ref.first.index).id
                               : ref.second;
        if (p.path) name = p.path->text;
        Span s = p.path ? p.path->span : p.id.span;
        WITC_TRY(add_item(ie.is_import, name, EntityType{EntityKind::Instance, ref.first, {}}, s));
        break;
      }
    }
  }
  for (const WorldInclude* inc : includes) {
    WITC_TRY_VAL(TypeId other, world_ref(inc->path ? nullptr : &inc->id, inc->path ? &*inc->path : nullptr));
    const bin::ComponentType included = ti.component(other);
    std::string other_name = inc->path ? inc->path->text : inc->id.name;
    std::unordered_map<std::string, const IncludeName*> renames;
    for (const IncludeName& n : inc->with) {
      if (renames.count(n.source.name)) {
        return fail(at(n.source.span, fmt::format("duplicate `{}` in world include `with` clause", n.source.name)));
      }
      renames[n.source.name] = &n;
    }
    for (const IncludeName& n : inc->with) {
      if (!included.imports.contains(n.source.name) && !included.exports.contains(n.source.name)) {
        return fail(at(n.source.span, fmt::format("world `{}` does not have an import or export named `{}`",
                                                  other_name, n.source.name)));
      }
    }
    Span ref_span = inc->path ? inc->path->span : inc->id.span;
    for (bool is_import : {true, false}) {
      const auto& from = is_import ? included.imports : included.exports;
      auto& to = is_import ? ct.imports : ct.exports;
      for (const auto& [name, e] : from) {
        auto r = renames.find(name);
        std::string target = r == renames.end() ? name : r->second->target.name;
        auto& keys = is_import ? import_keys : export_keys;
        if (const EntityType* have = to.find(target); have || keys.count(name_key(target))) {
          // The same interface included twice is one item.
          if (have && have->kind == e.kind && have->type == e.type) continue;
          return fail(at(r == renames.end() ? ref_span : r->second->target.span,
                         fmt::format("{0} `{1}` from world `{2}` conflicts with {0} of the same name in world `{3}`",
                                     is_import ? "import" : "export", target, other_name, w.id.name)));
        }
        to.insert(target, e);
        keys.insert(name_key(target));
      }
    }
    for (bin::ResourceId r : included.imported_resources) ct.imported_resources.push_back(r);
    for (bin::ResourceId r : included.defined_resources) ct.defined_resources.push_back(r);
  }
  // Resources the imported interfaces define are the world's imported ones.
  for (const auto& [name, e] : ct.imports) {
    if (e.kind != EntityKind::Instance) continue;
    for (bin::ResourceId r : ti.instance(e.type).defined_resources) ct.imported_resources.push_back(r);
  }
  TypeId out = ti.add_component(std::move(ct));
  meta_.emplace(out.index, TypeMeta{id, {}});
  return out;
}

// What a type declaration's graph node exports: an interface or a world as
// the binary form of a WIT definition (a component type exporting it under
// its id, importing the interfaces it uses), anything else as itself.
TypeId Resolver::definition_type(TypeId t, const std::string& id) {
  bin::TypeInfo& ti = g_->types();
  TypeKind k = ti.kind(t);
  if (k != TypeKind::Instance && k != TypeKind::Component) return t;
  bin::ComponentType def;
  if (k == TypeKind::Instance) {
    if (auto m = meta_.find(t.index); m != meta_.end()) {
      for (const InterfaceDep& d : m->second.deps) {
        def.imports.insert(d.id, EntityType{EntityKind::Instance, d.type, {}});
      }
    }
    def.exports.insert(id, EntityType{EntityKind::Instance, t, {}});
  } else {
    def.exports.insert(id, EntityType{EntityKind::Component, t, {}});
  }
  return ti.add_component(std::move(def));
}

// --- statements --------------------------------------------------------------------------------

Expected<void> Resolver::type_statement(const TypeStatement& s) {
  const Ident* id = nullptr;
  TypeId t;
  std::string qualified;
  auto qualify = [&](const std::string& name) {
    std::string q = package_name_ + "/" + name;
    if (package_version_) q += "@" + *package_version_;
    return q;
  };
  // The name is exported by the declaration: it must not be exported yet.
  auto check_name = [&](const Ident& name) -> Expected<void> {
    if (auto prev = export_spans_.find(name.name); prev != export_spans_.end()) {
      Diagnostic d = at(name.span, fmt::format("type declaration `{}` conflicts with a previous export of the same name",
                                               name.name));
      d.notes.push_back(note(prev->second, "previous export is here"));
      return fail(std::move(d));
    }
    return {};
  };
  if (const auto* i = std::get_if<InterfaceDecl>(&s)) {
    id = &i->id;
    WITC_TRY(check_name(*id));
    qualified = qualify(id->name);
    WITC_ASSIGN(t, interface(i->items, qualified, id->name));
  } else if (const auto* w = std::get_if<WorldDecl>(&s)) {
    id = &w->id;
    WITC_TRY(check_name(*id));
    qualified = qualify(id->name);
    WITC_ASSIGN(t, world(*w, qualified));
  } else {
    const TypeDecl& d = std::get<TypeDecl>(s);
    id = &decl_id(d);
    WITC_TRY(check_name(*id));
    WITC_ASSIGN(t, type_decl(d, nullptr, id->name));
  }
  NodeId node = g_->define_type(id->name, type_entity(definition_type(t, qualified)));
  record(node, id->span, kind_name(t));
  Item item;
  item.entity = type_entity(t);
  item.node = node;
  item.span = id->span;
  WITC_TRY(define_name(id->name, std::move(item)));
  WITC_TRY(g_->export_node(node, id->name));
  export_spans_[id->name] = id->span;
  export_is_type_[id->name] = true;
  return {};
}

}  // namespace witc::compose::wac::detail
