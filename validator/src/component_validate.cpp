// Component validation: the driver, core modules and instances, component
// instances, aliases, start and values (Explainer.md, Binary.md).
// Imports, exports and names: component_validate_names.cpp; types:
// component_validate_types.cpp; canonical definitions:
// component_validate_canon.cpp.
#include "component_validator.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/cursor.h"
#include "witc/bin/reader.h"
#include "witc/bin/validate.h"

namespace witc::bin {

namespace detail {

namespace {

Unexpected with_context(Diagnostic d, std::string ctx) { return fail(std::move(d).with_context(std::move(ctx))); }

// The entity kind an alias or argument of `sort` denotes (component sorts and
// core modules).
std::optional<EntityKind> entity_kind_of(Sort s) {
  switch (s) {
    case Sort::CoreModule: return EntityKind::Module;
    case Sort::Func: return EntityKind::Func;
    case Sort::Value: return EntityKind::Value;
    case Sort::Type: return EntityKind::Type;
    case Sort::Component: return EntityKind::Component;
    case Sort::Instance: return EntityKind::Instance;
    default: return std::nullopt;
  }
}

std::optional<ExternKind> core_kind_of(Sort s) {
  switch (s) {
    case Sort::CoreFunc: return ExternKind::Func;
    case Sort::CoreTable: return ExternKind::Table;
    case Sort::CoreMemory: return ExternKind::Memory;
    case Sort::CoreGlobal: return ExternKind::Global;
    case Sort::CoreTag: return ExternKind::Tag;
    default: return std::nullopt;
  }
}

std::string_view core_kind_name(ExternKind k) {
  switch (k) {
    case ExternKind::Func: return "func";
    case ExternKind::Table: return "table";
    case ExternKind::Memory: return "memory";
    case ExternKind::Global: return "global";
    case ExternKind::Tag: return "tag";
  }
  return "item";
}

}  // namespace

Expected<TypeId> Validator::func_type_at(uint32_t i, uint64_t offset) {
  WITC_TRY_VAL(TypeId t, type_at(i, offset));
  if (types_.kind(t) != TypeKind::Func) return err(offset, fmt::format("type index {} is not a function type", i));
  return t;
}

Expected<EntityType> Validator::entity_of(const SortIdx& s, uint64_t offset, bool use_value) {
  Scope& sc = cur();
  EntityType e;
  switch (s.sort) {
    case Sort::CoreModule: {
      WITC_TRY_VAL(e.module, at(sc.core_modules, s.index, "module", offset));
      e.kind = EntityKind::Module;
      return e;
    }
    case Sort::Func: {
      WITC_TRY_VAL(e.type, at(sc.funcs, s.index, "function", offset));
      e.kind = EntityKind::Func;
      return e;
    }
    case Sort::Value: {
      WITC_TRY_VAL(e.type, at(sc.values, s.index, "value", offset));
      e.kind = EntityKind::Value;
      if (use_value) {
        if (sc.value_used[s.index]) return err(offset, fmt::format("value {} cannot be used more than once", s.index));
        sc.value_used[s.index] = true;
      }
      return e;
    }
    case Sort::Type: {
      WITC_TRY_VAL(e.type, at(sc.types, s.index, "type", offset));
      e.kind = EntityKind::Type;
      return e;
    }
    case Sort::Component: {
      WITC_TRY_VAL(e.type, at(sc.components, s.index, "component", offset));
      e.kind = EntityKind::Component;
      return e;
    }
    case Sort::Instance: {
      WITC_TRY_VAL(e.type, at(sc.instances, s.index, "instance", offset));
      e.kind = EntityKind::Instance;
      return e;
    }
    default: return err(offset, fmt::format("{} is not a component-level item", sort_name(s.sort)));
  }
}

void Validator::push_entity(const EntityType& e, bool imported) {
  Scope& sc = cur();
  switch (e.kind) {
    case EntityKind::Module: sc.core_modules.push_back(e.module); break;
    case EntityKind::Func: sc.funcs.push_back(e.type); break;
    case EntityKind::Value:
      sc.values.push_back(e.type);
      sc.value_used.push_back(false);
      break;
    case EntityKind::Type: sc.types.push_back(e.type); break;
    case EntityKind::Instance:
      sc.instances.push_back(e.type);
      sc.instance_imported.push_back(imported);
      break;
    case EntityKind::Component: sc.components.push_back(e.type); break;
  }
}

void Validator::name_exports(TypeId instance, std::unordered_set<uint32_t>& named, unsigned depth) const {
  if (depth > component_limits::kNesting) return;
  for (const auto& [name, e] : types_.instance(instance).exports) {
    if (e.kind == EntityKind::Type) named.insert(e.type.index);
    if (e.kind == EntityKind::Instance) name_exports(e.type, named, depth + 1);
  }
}

// --- core modules and instances -------------------------------------------------------

Expected<void> Validator::core_module(const Component& c, const CoreModuleDef& def, uint32_t index) {
  auto ctx = [&](Diagnostic d) { return with_context(std::move(d), fmt::format("in core module {}", index)); };
  auto m = read_module(c.core_module_bytes(def), f_.core, def.offset);
  if (!m) return ctx(std::move(m.error()));
  auto info = validate_module(*m, f_.core);
  if (!info) return ctx(std::move(info.error()));
  ModuleType mt;
  std::unordered_set<std::string> seen;
  for (const auto& im : m->imports) {
    // Module types map import names to types: names are unique in components.
    if (!seen.insert(im.module + '\0' + im.name).second) {
      return ctx(Diagnostic::at_offset(im.offset, fmt::format("duplicate import name `{}:{}`", im.module, im.name)));
    }
    CoreEntity e;
    e.kind = im.kind;
    switch (im.kind) {
      case ExternKind::Func: e.func = types_.intern_core_func(m->types[im.func.index]); break;
      case ExternKind::Table: e.table = im.table; break;
      case ExternKind::Memory: e.memory = im.memory; break;
      case ExternKind::Global: e.global = im.global; break;
      case ExternKind::Tag: e.func = types_.intern_core_func(m->types[im.tag.type.index]); break;
    }
    mt.imports.push_back({im.module, im.name, e});
  }
  for (const auto& ex : m->exports) {
    CoreEntity e;
    e.kind = ex.kind;
    switch (ex.kind) {
      case ExternKind::Func: e.func = types_.intern_core_func(info->func_type(*m, ex.index)); break;
      case ExternKind::Table: e.table = info->tables[ex.index]; break;
      case ExternKind::Memory: e.memory = info->memories[ex.index]; break;
      case ExternKind::Global: e.global = info->globals[ex.index]; break;
      case ExternKind::Tag: e.func = types_.intern_core_func(m->types[info->tags[ex.index].index]); break;
    }
    mt.exports.insert(ex.name, e);
  }
  cur().core_modules.push_back(types_.add_module(std::move(mt)));
  return {};
}

Expected<void> Validator::core_instance(const CoreInstanceDef& d) {
  Scope& sc = cur();
  CoreInstanceType result;
  if (d.kind == CoreInstanceDef::Kind::Instantiate) {
    WITC_TRY_VAL(ModuleTypeId mid, at(sc.core_modules, d.module.index, "module", d.offset));
    std::unordered_map<std::string, CoreInstanceTypeId> args;
    for (const auto& a : d.args) {
      WITC_TRY_VAL(CoreInstanceTypeId inst, at(sc.core_instances, a.instance.index, "core instance", a.offset));
      if (!args.emplace(a.name, inst).second) {
        return err(a.offset, fmt::format("duplicate module instantiation argument named `{}`", a.name));
      }
    }
    const ModuleType& mt = types_.module(mid);
    for (const auto& im : mt.imports) {
      auto it = args.find(im.module);
      if (it == args.end()) {
        return err(d.offset, fmt::format("missing module instantiation argument named `{}`", im.module));
      }
      const CoreEntity* found = types_.core_instance(it->second).exports.find(im.name);
      if (!found) {
        return err(d.offset, fmt::format("module instantiation argument `{}` does not export an item named `{}`",
                                         im.module, im.name));
      }
      if (auto r = types_.check_core_entity(*found, im.type); !r) {
        return err(d.offset, fmt::format("type mismatch for export `{}` of module instantiation argument `{}`: {}",
                                         im.name, im.module, r.error().message));
      }
    }
    result.exports = mt.exports;
  } else {
    for (const auto& e : d.exports) {
      auto kind = core_kind_of(e.item.sort);
      if (!kind) return err(e.offset, fmt::format("{} cannot be exported from a core instance", sort_name(e.item.sort)));
      CoreEntity ent;
      ent.kind = *kind;
      switch (*kind) {
        case ExternKind::Func: WITC_ASSIGN(ent.func, at(sc.core_funcs, e.item.index, "core function", e.offset)); break;
        case ExternKind::Table: WITC_ASSIGN(ent.table, at(sc.core_tables, e.item.index, "core table", e.offset)); break;
        case ExternKind::Memory: WITC_ASSIGN(ent.memory, at(sc.core_memories, e.item.index, "core memory", e.offset)); break;
        case ExternKind::Global: WITC_ASSIGN(ent.global, at(sc.core_globals, e.item.index, "core global", e.offset)); break;
        case ExternKind::Tag: WITC_ASSIGN(ent.func, at(sc.core_tags, e.item.index, "core tag", e.offset)); break;
      }
      if (!result.exports.insert(e.name, ent)) {
        return err(e.offset, fmt::format("export name `{}` already defined", e.name));
      }
    }
  }
  sc.core_instances.push_back(types_.add_core_instance(std::move(result)));
  return {};
}

// --- component instances ----------------------------------------------------------------


Expected<void> Validator::instance(const InstanceDef& d) {
  Scope& sc = cur();
  if (d.kind == InstanceDef::Kind::Exports) {
    InstanceType it;
    std::unordered_map<std::string, std::string> keys;
    std::unordered_map<std::string, ResourceId> resources;
    std::unordered_set<uint32_t> named;
    for (const auto& e : d.exports) {
      WITC_TRY_VAL(EntityType ent, entity_of(e.item, e.offset, true));
      // A resource exported by a bag of exports gets a name of its own.
      if (ent.kind == EntityKind::Type && types_.kind(ent.type) == TypeKind::Resource) ent.type = types_.copy(ent.type);
      WITC_TRY_VAL(ExternNameInfo info, check_extern_name(e.name, ent, keys, resources, "export"));
      if (info.kind != ExternNameInfo::Kind::Label && info.kind != ExternNameInfo::Kind::Interface &&
          !resources_named(ent, named)) {
        return err(e.name.offset, "resource used in function does not have a name in this context");
      }
      if (ent.kind == EntityKind::Type) {
        named.insert(ent.type.index);
        if (types_.kind(ent.type) == TypeKind::Resource && info.kind == ExternNameInfo::Kind::Label) {
          resources[std::string(info.label)] = types_.resource(ent.type);
        }
      }
      it.exports.insert(e.name.name, ent);
    }
    sc.instances.push_back(types_.add_instance(std::move(it)));
    sc.instance_imported.push_back(false);
    return {};
  }
  WITC_TRY_VAL(TypeId cid, at(sc.components, d.component.index, "component", d.offset));
  std::unordered_map<std::string, EntityType> args;
  for (const auto& a : d.args) {
    WITC_TRY_VAL(EntityType ent, entity_of(a.item, a.offset, true));
    if (!args.emplace(a.name, ent).second) {
      return err(a.offset, fmt::format("instantiation argument `{}` conflicts with previous argument `{}`", a.name, a.name));
    }
  }
  const ComponentType ct = types_.component(cid);  // a copy: substitution grows the arena
  std::unordered_set<uint32_t> quantified;
  for (ResourceId r : ct.imported_resources) quantified.insert(r.index);
  TypeInfo::Substitution s;
  for (const auto& [name, expected] : ct.imports) {
    auto it = args.find(name);
    if (it == args.end()) return err(d.offset, fmt::format("missing import named `{}`", name));
    types_.bind_imports(expected, it->second, quantified, s, false);
    s.memo.clear();  // bindings changed: earlier results may be stale
    EntityType want = types_.substitute(expected, s);
    if (auto r = types_.check_subtype(it->second, want); !r) {
      return err(d.offset, fmt::format("type mismatch for component instantiation argument `{}`: {}", name,
                                       r.error().message));
    }
    types_.bind_imports(expected, it->second, quantified, s, true);
    s.memo.clear();
  }
  for (ResourceId r : ct.defined_resources) {
    ResourceId fresh = types_.new_resource(types_.resource_info(r));
    s.resources[r.index] = fresh;
    sc.defined_resources.push_back(fresh);
  }
  InstanceType it;
  for (const auto& [name, e] : ct.exports) it.exports.insert(name, types_.substitute(e, s));
  TypeId iid = types_.add_instance(std::move(it));
  sc.instances.push_back(iid);
  sc.instance_imported.push_back(false);
  return {};
}

// --- aliases ----------------------------------------------------------------------------

Expected<void> Validator::alias_outer(const AliasDef& a, bool declarator) {
  if (declarator && a.sort != Sort::CoreType && a.sort != Sort::Type) {
    return err(a.offset, "outer aliases in type declarators may only refer to core types and types");
  }
  size_t n = scopes_.size();
  if (a.outer_count >= n) return err(a.offset, fmt::format("invalid outer alias count of {}", a.outer_count));
  const Scope& target = scopes_[n - 1 - a.outer_count];
  bool crosses = false;
  for (size_t i = n - a.outer_count; i < n; ++i) crosses |= scopes_[i].kind == Scope::Kind::Component;
  Scope& sc = cur();
  uint32_t idx = a.outer_index;
  switch (a.sort) {
    case Sort::CoreModule: {
      WITC_TRY_VAL(ModuleTypeId m, at(target.core_modules, idx, "module", a.offset));
      sc.core_modules.push_back(m);
      return {};
    }
    case Sort::CoreType: {
      WITC_TRY_VAL(CoreTypeEntry t, at(target.core_types, idx, "core type", a.offset));
      sc.core_types.push_back(t);
      return {};
    }
    case Sort::Component: {
      WITC_TRY_VAL(TypeId t, at(target.components, idx, "component", a.offset));
      sc.components.push_back(t);
      return {};
    }
    case Sort::Type: {
      WITC_TRY_VAL(TypeId t, at(target.types, idx, "type", a.offset));
      if (crosses && types_.node(t).contains_resource) {
        return err(a.offset, fmt::format("type index {} cannot be aliased here: it transitively refers to resources", idx));
      }
      sc.types.push_back(t);
      return {};
    }
    default: return err(a.offset, fmt::format("outer aliases cannot refer to {}", sort_name(a.sort)));
  }
}

Expected<void> Validator::alias(const AliasDef& a, bool declarator) {
  if (a.kind == AliasDef::Kind::Outer) return alias_outer(a, declarator);
  Scope& sc = cur();
  if (a.kind == AliasDef::Kind::InstanceExport) {
    if (declarator && a.sort != Sort::Instance && a.sort != Sort::Type) {
      return err(a.offset, "export aliases in type declarators may only refer to types or instances");
    }
    WITC_TRY_VAL(TypeId inst, at(sc.instances, a.instance, "instance", a.offset));
    const EntityType* e = types_.instance(inst).exports.find(a.name);
    if (!e) return err(a.offset, fmt::format("instance {} has no export named `{}`", a.instance, a.name));
    auto kind = entity_kind_of(a.sort);
    if (!kind || *kind != e->kind) {
      return err(a.offset, fmt::format("export `{}` for instance {} is not a {}", a.name, a.instance, sort_name(a.sort)));
    }
    EntityType copy = *e;
    push_entity(copy, sc.instance_imported[a.instance]);
    return {};
  }
  if (declarator) return err(a.offset, "core export aliases are not allowed in type declarators");
  WITC_TRY_VAL(CoreInstanceTypeId inst, at(sc.core_instances, a.instance, "core instance", a.offset));
  const CoreEntity* e = types_.core_instance(inst).exports.find(a.name);
  if (!e) return err(a.offset, fmt::format("core instance {} has no export named `{}`", a.instance, a.name));
  auto kind = core_kind_of(a.sort);
  if (!kind) return err(a.offset, fmt::format("core export aliases cannot refer to {}", sort_name(a.sort)));
  if (*kind != e->kind) {
    return err(a.offset, fmt::format("export `{}` for core instance {} is not a {}", a.name, a.instance,
                                     core_kind_name(*kind)));
  }
  switch (e->kind) {
    case ExternKind::Func: sc.core_funcs.push_back(e->func); break;
    case ExternKind::Table: sc.core_tables.push_back(e->table); break;
    case ExternKind::Memory: sc.core_memories.push_back(e->memory); break;
    case ExternKind::Global: sc.core_globals.push_back(e->global); break;
    case ExternKind::Tag: sc.core_tags.push_back(e->func); break;
  }
  return {};
}

// --- start and values (🪙) ------------------------------------------------------------

Expected<void> Validator::start(const StartDef& s) {
  WITC_TRY(require(ComponentFeature::Values, s.offset, "a start function"));
  Scope& sc = cur();
  WITC_TRY_VAL(TypeId ft, at(sc.funcs, s.func.index, "function", s.offset));
  const ComponentFuncType f = types_.func(ft);
  if (f.params.size() != s.args.size()) {
    return err(s.offset, fmt::format("start function requires {} arguments, found {}", f.params.size(), s.args.size()));
  }
  for (size_t i = 0; i < s.args.size(); ++i) {
    WITC_TRY_VAL(TypeId vt, at(sc.values, s.args[i].index, "value", s.offset));
    if (sc.value_used[s.args[i].index]) {
      return err(s.offset, fmt::format("value {} cannot be used more than once", s.args[i].index));
    }
    sc.value_used[s.args[i].index] = true;
    if (auto r = types_.check_value_subtype(vt, f.params[i].second); !r) {
      return err(s.offset, fmt::format("type mismatch in start argument {}: {}", i, r.error().message));
    }
  }
  if (s.results != (f.result ? 1u : 0u)) {
    return err(s.offset, fmt::format("start function results size {} does not match the function's {}", s.results,
                                     f.result ? 1 : 0));
  }
  if (f.result) {
    sc.values.push_back(*f.result);
    sc.value_used.push_back(false);
  }
  return {};
}

namespace {

// Checks the encoding of a value of type `t` (Binary.md "Value Definitions").
Expected<void> check_value_bytes(const TypeInfo& types, TypeId t, Cursor& c, unsigned depth) {
  if (depth > component_limits::kNesting) return fail(c.error("value nesting too deep"));
  const ValueType& v = types.value(t);
  switch (v.kind) {
    case ValueKind::Bool: {
      WITC_TRY_VAL(uint8_t b, c.u8());
      if (b > 1) return fail(c.error("invalid boolean value"));
      return {};
    }
    case ValueKind::S8:
    case ValueKind::U8: return discard(c.u8());
    case ValueKind::S16: return discard(c.sleb(16));
    case ValueKind::U16: return discard(c.uleb(16));
    case ValueKind::S32: return discard(c.sleb(32));
    case ValueKind::U32: return discard(c.uleb(32));
    case ValueKind::S64: return discard(c.sleb(64));
    case ValueKind::U64: return discard(c.uleb(64));
    case ValueKind::F32: {
      WITC_TRY_VAL(uint32_t bits, c.fixed32());
      if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x7fffffu) != 0 && bits != 0x7fc00000u) {
        return fail(c.error("non-canonical NaN"));
      }
      return {};
    }
    case ValueKind::F64: {
      WITC_TRY_VAL(uint64_t bits, c.fixed64());
      constexpr uint64_t kExp = 0x7ff0000000000000ull, kFrac = 0xfffffffffffffull;
      if ((bits & kExp) == kExp && (bits & kFrac) != 0 && bits != 0x7ff8000000000000ull) {
        return fail(c.error("non-canonical NaN"));
      }
      return {};
    }
    case ValueKind::Char: {
      WITC_TRY_VAL(uint8_t b, c.peek());
      size_t len = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : 4;
      WITC_TRY_VAL(auto bytes, c.bytes(len));
      if (!valid_utf8(bytes.data(), bytes.size())) return fail(c.error("malformed UTF-8 encoding"));
      return {};
    }
    case ValueKind::String: return discard(c.name());
    case ValueKind::Record:
    case ValueKind::Tuple:
      for (TypeId f : v.types) WITC_TRY(check_value_bytes(types, f, c, depth + 1));
      return {};
    case ValueKind::Variant:
    case ValueKind::Enum: {
      const uint8_t* at = c.pos();
      WITC_TRY_VAL(uint32_t i, c.u32());
      size_t n = v.kind == ValueKind::Enum ? v.labels.size() : v.types.size();
      if (i >= n) return fail(c.error_at(at, "invalid variant discriminant"));
      if (v.kind == ValueKind::Variant && v.types[i].valid()) return check_value_bytes(types, v.types[i], c, depth + 1);
      return {};
    }
    case ValueKind::List: {
      WITC_TRY_VAL(uint32_t n, c.u32());
      for (uint32_t i = 0; i < n; ++i) {
        if (c.at_end()) return fail(c.eof());
        WITC_TRY(check_value_bytes(types, v.types[0], c, depth + 1));
      }
      return {};
    }
    case ValueKind::FixedList:
      for (uint32_t i = 0; i < v.length; ++i) {
        if (c.at_end()) return fail(c.eof());
        WITC_TRY(check_value_bytes(types, v.types[0], c, depth + 1));
      }
      return {};
    case ValueKind::Flags: return discard(c.bytes((v.labels.size() + 7) / 8));
    case ValueKind::Option:
    case ValueKind::Result: {
      const uint8_t* at = c.pos();
      WITC_TRY_VAL(uint8_t b, c.u8());
      if (b > 1) return fail(c.error_at(at, "invalid discriminant"));
      TypeId payload = v.kind == ValueKind::Option ? (b == 1 ? v.types[0] : TypeId()) : v.types[b];
      if (payload.valid()) return check_value_bytes(types, payload, c, depth + 1);
      return {};
    }
    default: return fail(c.error(fmt::format("values of type {} cannot be defined", value_kind_name(v.kind))));
  }
}

}  // namespace

Expected<void> Validator::value(const Component& c, const ValueDef& v) {
  WITC_TRY(require(ComponentFeature::Values, v.offset, "a value definition"));
  WITC_TRY_VAL(TypeId t, valtype(v.type, v.offset));
  auto bytes = c.bytes(v.bytes);
  Cursor cur_bytes(bytes, v.offset, false);
  WITC_TRY(check_value_bytes(types_, t, cur_bytes, 0));
  if (!cur_bytes.at_end()) return err(cur_bytes.offset(), "value has trailing bytes");
  cur().values.push_back(t);
  cur().value_used.push_back(false);
  return {};
}

// --- the driver ----------------------------------------------------------------------------

Expected<void> Validator::nested_component(const Component& c, uint32_t index) {
  auto r = component(c);
  if (!r) return with_context(std::move(r.error()), fmt::format("in component {}", index));
  cur().components.push_back(*r);
  return {};
}

Expected<void> Validator::section(const Component& c, const ComponentSection& s) {
  uint32_t end = s.first + s.count;
  switch (s.id) {
    case ComponentSectionId::Custom: return {};
    case ComponentSectionId::CoreModule:
      return core_module(c, c.core_modules.at(s.first), static_cast<uint32_t>(cur().core_modules.size()));
    case ComponentSectionId::CoreInstance:
      for (uint32_t i = s.first; i < end; ++i) WITC_TRY(core_instance(c.core_instances.at(i)));
      return {};
    case ComponentSectionId::CoreType:
      for (uint32_t i = s.first; i < end; ++i) WITC_TRY(core_type(c.core_types.at(i)));
      return {};
    case ComponentSectionId::Component:
      return nested_component(c.components.at(s.first), static_cast<uint32_t>(cur().components.size()));
    case ComponentSectionId::Instance:
      for (uint32_t i = s.first; i < end; ++i) WITC_TRY(instance(c.instances.at(i)));
      return {};
    case ComponentSectionId::Alias:
      for (uint32_t i = s.first; i < end; ++i) WITC_TRY(alias(c.aliases.at(i), false));
      return {};
    case ComponentSectionId::Type:
      for (uint32_t i = s.first; i < end; ++i) WITC_TRY(type_def(c.types.at(i)));
      return {};
    case ComponentSectionId::Canon:
      for (uint32_t i = s.first; i < end; ++i) WITC_TRY(canon(c.canons.at(i)));
      return {};
    case ComponentSectionId::Start: return start(c.starts.at(s.first));
    case ComponentSectionId::Import:
      for (uint32_t i = s.first; i < end; ++i) {
        const auto& im = c.imports.at(i);
        WITC_TRY(import(im.name, im.desc, im.offset));
      }
      return {};
    case ComponentSectionId::Export:
      for (uint32_t i = s.first; i < end; ++i) WITC_TRY(export_def(c.exports.at(i)));
      return {};
    case ComponentSectionId::Value:
      for (uint32_t i = s.first; i < end; ++i) WITC_TRY(value(c, c.values.at(i)));
      return {};
  }
  return {};
}

Expected<TypeId> Validator::component(const Component& c, Scope* keep) {
  if (scopes_.size() >= component_limits::kNesting) return err(c.offset, "components are nested too deeply");
  scopes_.emplace_back();
  struct Pop {
    std::deque<Scope>& s;
    ~Pop() { s.pop_back(); }
  } pop{scopes_};
  for (const auto& s : c.sections) {
    auto r = section(c, s);
    if (r) continue;
    bool nested = s.id == ComponentSectionId::CoreModule || s.id == ComponentSectionId::Component;
    if (nested) return fail(std::move(r.error()));
    return with_context(std::move(r.error()), fmt::format("in component section {} ({})", static_cast<int>(s.id),
                                                          component_section_name(s.id)));
  }
  Scope& sc = cur();
  for (size_t i = 0; i < sc.values.size(); ++i) {
    if (!sc.value_used[i]) return err(c.offset, fmt::format("value index {} was not used", i));
  }
  ComponentType ct = sc.own;
  ct.defined_resources = sc.defined_resources;
  TypeId t = types_.add_component(std::move(ct));
  if (keep) *keep = std::move(sc);
  return t;
}

}  // namespace detail

Expected<ComponentInfo> validate_component(const Component& c, const ComponentFeatures& features) {
  ComponentInfo info;
  detail::Validator v(info.types, features);
  detail::Scope top;
  WITC_TRY_VAL(info.type, v.component(c, &top));
  info.core_funcs = std::move(top.core_funcs);
  info.core_tables = std::move(top.core_tables);
  info.core_memories = std::move(top.core_memories);
  info.core_globals = std::move(top.core_globals);
  info.core_tags = std::move(top.core_tags);
  info.core_types = std::move(top.core_types);
  info.core_modules = std::move(top.core_modules);
  info.core_instances = std::move(top.core_instances);
  info.funcs = std::move(top.funcs);
  info.values = std::move(top.values);
  info.type_space = std::move(top.types);
  info.components = std::move(top.components);
  info.instances = std::move(top.instances);
  return info;
}

Expected<ComponentInfo> validate_component_binary(std::span<const uint8_t> bytes, const ComponentFeatures& features) {
  WITC_TRY_VAL(Component c, read_component(bytes));
  return validate_component(c, features);
}

}  // namespace witc::bin
