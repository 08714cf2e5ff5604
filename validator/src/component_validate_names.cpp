// Component validation: imports, exports and their names (Explainer.md
// "Import and Export Definitions", "Name Uniqueness", "External Visibility of
// Types"; Binary.md "Import and Export Definitions").
#include "component_validator.h"
#include "witc/bin/component_reader.h"

namespace witc::bin::detail {

namespace {

bool is_nominal(ValueKind k) {
  return k == ValueKind::Record || k == ValueKind::Variant || k == ValueKind::Enum || k == ValueKind::Flags;
}

std::string_view attribute_name(NameAttribute::Kind k) {
  switch (k) {
    case NameAttribute::Kind::Implements: return "implements";
    case NameAttribute::Kind::VersionSuffix: return "versionsuffix";
    case NameAttribute::Kind::ExternalId: return "external-id";
  }
  return "attribute";
}

}  // namespace

// --- external visibility ------------------------------------------------------------------

bool Validator::is_named(TypeId t, bool for_import) const {
  for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
    if (it->import_named.count(t.index)) return true;
    if (!for_import && it->export_named.count(t.index)) return true;
    if (it->kind == Scope::Kind::Component) break;
  }
  return false;
}

bool Validator::visible_valtype(TypeId t, bool is_import, const std::unordered_set<uint32_t>& extra,
                                unsigned depth) const {
  if (!t.valid() || depth > component_limits::kNesting) return true;
  auto named = [&](TypeId x) { return extra.count(x.index) || is_named(x, is_import); };
  const TypeNode& n = types_.node(t);
  if (n.kind == TypeKind::Resource) return named(t);
  if (n.kind != TypeKind::Value) return true;
  const ValueType& v = types_.value(t);
  if (is_primitive(v.kind)) return true;
  if (is_nominal(v.kind)) return named(t);
  if (v.kind == ValueKind::Own || v.kind == ValueKind::Borrow) return named(v.types[0]);
  for (TypeId c : v.types)
    if (!visible_valtype(c, is_import, extra, depth + 1)) return false;
  return true;
}

bool Validator::visible(const EntityType& e, bool is_import, std::unordered_set<uint32_t>& extra,
                        unsigned depth) const {
  if (depth > component_limits::kNesting) return true;
  switch (e.kind) {
    case EntityKind::Module:
    case EntityKind::Component: return true;
    case EntityKind::Value: return visible_valtype(e.type, is_import, extra, depth);
    case EntityKind::Func: {
      const auto& f = types_.func(e.type);
      for (const auto& p : f.params)
        if (!visible_valtype(p.second, is_import, extra, depth)) return false;
      return !f.result || visible_valtype(*f.result, is_import, extra, depth);
    }
    case EntityKind::Type: {
      const TypeNode& n = types_.node(e.type);
      switch (n.kind) {
        case TypeKind::Resource:
        case TypeKind::Component: return true;
        case TypeKind::Func: return visible({EntityKind::Func, e.type, {}}, is_import, extra, depth);
        case TypeKind::Instance: return visible({EntityKind::Instance, e.type, {}}, is_import, extra, depth);
        case TypeKind::Value: {
          const ValueType& v = types_.value(e.type);
          if (!is_nominal(v.kind)) return visible_valtype(e.type, is_import, extra, depth);
          for (TypeId c : v.types)
            if (!visible_valtype(c, is_import, extra, depth + 1)) return false;
          return true;
        }
      }
      return true;
    }
    case EntityKind::Instance: {
      std::unordered_set<uint32_t> inner = extra;
      const auto& it = types_.instance(e.type);
      for (const auto& [name, x] : it.exports) {
        if (!visible(x, is_import, inner, depth + 1)) return false;
        if (x.kind == EntityKind::Type) inner.insert(x.type.index);
      }
      return true;
    }
  }
  return true;
}

Expected<void> Validator::check_visible(const EntityType& e, bool is_import, uint64_t offset) {
  if (cur().kind == Scope::Kind::InstanceType) return {};
  std::unordered_set<uint32_t> extra;
  if (visible(e, is_import, extra, 0)) return {};
  return err(offset, fmt::format("{} not valid to be used as {}", entity_kind_name(e.kind), is_import ? "import" : "export"));
}

// --- names -----------------------------------------------------------------------------

bool Validator::resources_named(const EntityType& e, const std::unordered_set<uint32_t>& named) const {
  if (e.kind != EntityKind::Func) return true;
  const ComponentFuncType& f = types_.func(e.type);
  std::vector<TypeId> todo;
  for (const auto& p : f.params) todo.push_back(p.second);
  if (f.result) todo.push_back(*f.result);
  size_t budget = 100000;
  while (!todo.empty() && budget--) {
    TypeId t = todo.back();
    todo.pop_back();
    if (!t.valid() || types_.kind(t) != TypeKind::Value) continue;
    const ValueType& v = types_.value(t);
    if (v.kind == ValueKind::Own || v.kind == ValueKind::Borrow) {
      if (!named.count(v.types[0].index)) return false;
      continue;
    }
    todo.insert(todo.end(), v.types.begin(), v.types.end());
  }
  return true;
}

Expected<void> Validator::check_annotated(const ExternName& n, const ExternNameInfo& info, const EntityType& e,
                                          const std::unordered_map<std::string, ResourceId>& names) {
  using K = ExternNameInfo::Kind;
  if (info.kind != K::Constructor && info.kind != K::Method && info.kind != K::Static) return {};
  if (e.kind != EntityKind::Func) return err(n.offset, fmt::format("item `{}` is not a func", n.name));
  const ComponentFuncType& f = types_.func(e.type);
  if (info.kind == K::Static) {
    if (names.count(std::string(info.resource))) return {};
    return err(n.offset, "static resource name is not known in this context");
  }
  // The resource a constructor returns or a method borrows.
  auto handle = [&](std::optional<TypeId> t, ValueKind kind) -> std::optional<ResourceId> {
    if (!t || types_.kind(*t) != TypeKind::Value) return std::nullopt;
    const ValueType& v = types_.value(*t);
    if (v.kind != kind) return std::nullopt;
    return types_.resource(v.types[0]);
  };
  std::optional<ResourceId> r;
  if (info.kind == K::Constructor) {
    if (!f.result) return err(n.offset, "function should return one value");
    r = handle(f.result, ValueKind::Own);
    if (!r && types_.kind(*f.result) == TypeKind::Value) {
      const ValueType& v = types_.value(*f.result);
      if (v.kind == ValueKind::Result && v.types[0].valid()) r = handle(v.types[0], ValueKind::Own);
    }
    if (!r) return err(n.offset, "function should return `(own $T)` or `(result (own $T))`");
  } else {
    if (f.params.empty()) return err(n.offset, "method should have at least one argument");
    if (f.params[0].first != "self") return err(n.offset, "method should have a first argument called `self`");
    r = handle(f.params[0].second, ValueKind::Borrow);
    if (!r) return err(n.offset, "method should take a first argument of `(borrow $T)`");
  }
  if (auto it = names.find(std::string(info.resource)); it != names.end() && it->second == *r) return {};
  for (const auto& [label, rid] : names) {
    if (rid == *r) return err(n.offset, fmt::format("function does not match expected resource name `{}`", label));
  }
  return err(n.offset, "resource used in function does not have a name in this context");
}

Expected<ExternNameInfo> Validator::check_extern_name(const ExternName& n, const EntityType& e,
                                                     std::unordered_map<std::string, std::string>& keys,
                                                     const std::unordered_map<std::string, ResourceId>& resources,
                                                     std::string_view what) {
  NameRules rules{f_.has(ComponentFeature::NestedNames), f_.has(ComponentFeature::CanonicalNames)};
  auto info = parse_extern_name(n.name, rules);
  if (!info) return err(n.offset, info.error().message);
  if (what != "import" && is_import_only(info->kind)) {
    return err(n.offset, fmt::format("`{}` is not a valid {} name: dependency, URL and hash names only name imports",
                                      n.name, what));
  }
  bool seen[3] = {false, false, false};
  for (const auto& a : n.attributes) {
    auto k = static_cast<size_t>(a.kind);
    if (seen[k]) return err(n.offset, fmt::format("duplicate '{}' option in name", attribute_name(a.kind)));
    seen[k] = true;
    switch (a.kind) {
      case NameAttribute::Kind::Implements: {
        WITC_TRY(require(ComponentFeature::Implements, n.offset, "an `implements` attribute"));
        if (a.value.empty()) return err(n.offset, "`implements` attribute is not a valid name");
        auto iface = parse_interface_name(a.value, rules);
        if (!iface) return err(n.offset, fmt::format("`{}` must be an interface name", a.value));
        if (e.kind != EntityKind::Instance) return err(n.offset, "only instances can have an `implements`");
        if (info->kind != ExternNameInfo::Kind::Label) {
          return err(n.offset, fmt::format("name `{}` is not valid with `implements`", n.name));
        }
        break;
      }
      case NameAttribute::Kind::VersionSuffix: {
        WITC_TRY(require(ComponentFeature::CanonicalNames, n.offset, "a `versionsuffix` attribute"));
        if (info->kind != ExternNameInfo::Kind::Interface || !info->iface.version) {
          return err(n.offset, "a `versionsuffix` requires an interface name with a version");
        }
        break;
      }
      case NameAttribute::Kind::ExternalId:
        WITC_TRY(require(ComponentFeature::Implements, n.offset, "an `external-id` attribute"));
        break;
    }
  }
  auto [pos, fresh] = keys.emplace(unique_key(n.name, *info), n.name);
  if (!fresh) {
    return err(n.offset, fmt::format("{} name `{}` conflicts with previous name `{}`", what, n.name, pos->second));
  }
  WITC_TRY(check_annotated(n, *info, e, resources));
  return info;
}

Expected<ExternNameInfo> Validator::check_name(const ExternName& n, bool is_import, const EntityType& e) {
  Scope& sc = cur();
  return check_extern_name(n, e, is_import ? sc.import_keys : sc.export_keys,
                           is_import ? sc.import_resources : sc.export_resources, is_import ? "import" : "export");
}

// --- imports and exports -------------------------------------------------------------------

EntityType Validator::freshen_instance(const EntityType& e, std::vector<ResourceId>& fresh) {
  if (types_.instance(e.type).defined_resources.empty()) return e;
  TypeInfo::Substitution s;
  const std::vector<ResourceId> defined = types_.instance(e.type).defined_resources;
  for (ResourceId r : defined) {
    ResourceId f = types_.new_resource(types_.resource_info(r));
    s.resources[r.index] = f;
    fresh.push_back(f);
  }
  EntityType out = e;
  out.type = types_.substitute(e.type, s);
  types_.instance_mut(out.type).defined_resources.clear();
  return out;
}

// Mints the entity an import or export declarator introduces: a fresh
// abstract resource for `(sub resource)`, a new node for `(eq T)`, fresh
// resources for an instance type's own. Fresh resources go to `fresh`.
Expected<EntityType> Validator::declared_entity(const ExternDesc& desc, uint64_t offset,
                                                std::vector<ResourceId>& fresh) {
  WITC_TRY_VAL(EntityType e, extern_desc(desc, offset));
  if (e.kind == EntityKind::Type) {
    if (desc.bound == ExternDesc::Bound::SubResource) {
      ResourceId r = types_.new_resource();
      fresh.push_back(r);
      e.type = types_.add_resource(r);
    } else {
      e.type = types_.copy(e.type);
    }
  } else if (e.kind == EntityKind::Instance) {
    e = freshen_instance(e, fresh);
  }
  return e;
}

// Records the names an import or export gives and adds it to the scope.
void Validator::add_extern(const ExternName& name, const ExternNameInfo& info, const EntityType& e, bool is_import) {
  Scope& sc = cur();
  auto& named = is_import ? sc.import_named : sc.export_named;
  if (e.kind == EntityKind::Type) {
    named.insert(e.type.index);
    if (types_.kind(e.type) == TypeKind::Resource && info.kind == ExternNameInfo::Kind::Label) {
      (is_import ? sc.import_resources : sc.export_resources)[std::string(info.label)] = types_.resource(e.type);
    }
  } else if (e.kind == EntityKind::Instance) {
    name_exports(e.type, named);
  }
  EntityType declared = e;
  if (const NameAttribute* ext = name.attribute(NameAttribute::Kind::ExternalId)) declared.external_id = ext->value;
  if (const NameAttribute* impl = name.attribute(NameAttribute::Kind::Implements)) declared.implements = impl->value;
  (is_import ? sc.own.imports : sc.own.exports).insert(name.name, std::move(declared));
  push_entity(e, is_import);
}

Expected<void> Validator::import(const ExternName& name, const ExternDesc& desc, uint64_t offset) {
  std::vector<ResourceId> fresh;
  WITC_TRY_VAL(EntityType e, declared_entity(desc, offset, fresh));
  auto& imported = cur().own.imported_resources;
  imported.insert(imported.end(), fresh.begin(), fresh.end());
  WITC_TRY_VAL(ExternNameInfo info, check_name(name, true, e));
  WITC_TRY(check_visible(e, true, offset));
  add_extern(name, info, e, true);
  return {};
}

Expected<void> Validator::export_decl(const ExternName& name, const ExternDesc& desc, uint64_t offset) {
  std::vector<ResourceId> fresh;
  WITC_TRY_VAL(EntityType e, declared_entity(desc, offset, fresh));
  auto& defined = cur().defined_resources;
  defined.insert(defined.end(), fresh.begin(), fresh.end());
  WITC_TRY_VAL(ExternNameInfo info, check_name(name, false, e));
  WITC_TRY(check_visible(e, false, offset));
  add_extern(name, info, e, false);
  return {};
}

Expected<void> Validator::export_def(const ExportDef& d) {
  WITC_TRY_VAL(EntityType e, entity_of(d.item, d.offset, true));
  if (d.ascribed) {
    WITC_TRY_VAL(EntityType want, extern_desc(*d.ascribed, d.offset));
    if (want.kind == EntityKind::Type && d.ascribed->bound == ExternDesc::Bound::SubResource) {
      if (e.kind != EntityKind::Type || types_.kind(e.type) != TypeKind::Resource) {
        return err(d.offset, "ascribed type of export is not compatible: expected a resource type");
      }
      // `(sub resource)` hides the identity: a fresh abstract resource.
      ResourceId r = types_.new_resource(types_.resource_info(types_.resource(e.type)));
      cur().defined_resources.push_back(r);
      e.type = types_.add_resource(r);
    } else {
      if (auto r = types_.check_subtype(e, want); !r) {
        return err(d.offset, fmt::format("ascribed type of export is not compatible: {}", r.error().message));
      }
      e = want;
    }
  }
  bool hidden = d.ascribed && d.ascribed->kind == ExternDesc::Kind::Type &&
                d.ascribed->bound == ExternDesc::Bound::SubResource;
  if (e.kind == EntityKind::Type && !hidden) e.type = types_.copy(e.type);
  WITC_TRY_VAL(ExternNameInfo info, check_name(d.name, false, e));
  WITC_TRY(check_visible(e, false, d.offset));
  add_extern(d.name, info, e, false);
  return {};
}

}  // namespace witc::bin::detail
