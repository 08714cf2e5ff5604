// Component validation: core types (function and module types), type
// definitions, component and instance types and their declarators
// (Binary.md "Type Definitions", Explainer.md "Type Definitions").
#include "component_validator.h"
#include "witc/bin/component_reader.h"

namespace witc::bin::detail {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_key_type(ValueKind k) {
  return k == ValueKind::Bool || (k >= ValueKind::S8 && k <= ValueKind::U64) || k == ValueKind::Char ||
         k == ValueKind::String;
}

// Maximum elem_size of a defined value type (Explainer.md "Type Definitions").
constexpr uint64_t kMaxValueSize = uint64_t{1} << 28;
constexpr uint32_t kMaxTypeDepth = 100;

Expected<void> check_limits(const Limits& l, bool memory, uint64_t offset) {
  if (l.max && *l.max < l.min) {
    return fail(Diagnostic::at_offset(offset, "size minimum must not be greater than maximum"));
  }
  if (memory) {
    uint64_t cap = l.is64 ? (uint64_t{1} << 48) : 65536;
    if (l.min > cap || (l.max && *l.max > cap)) {
      return fail(Diagnostic::at_offset(offset, l.is64 ? "memory size must be at most 2**48 pages"
                                                       : "memory size must be at most 65536 pages (4GiB)"));
    }
  }
  return {};
}

}  // namespace

Expected<void> Validator::check_labels(const std::vector<std::string>& labels, std::string_view what,
                                       uint64_t offset) {
  std::unordered_map<std::string, const std::string*> seen;
  for (const auto& l : labels) {
    if (l.empty()) return err(offset, fmt::format("{} name cannot be empty", what));
    if (!is_kebab_label(l)) return err(offset, fmt::format("{} name `{}` is not in kebab case", what, l));
    auto [it, fresh] = seen.emplace(lower(l), &l);
    if (!fresh) {
      std::string_view last = what.substr(what.rfind(' ') == what.npos ? 0 : what.rfind(' ') + 1);
      return err(offset, fmt::format("{} name `{}` conflicts with previous {} name `{}`", what, l, last, *it->second));
    }
  }
  return {};
}

Expected<TypeId> Validator::valtype(const ValueTypeRef& r, uint64_t offset) {
  if (r.is_prim) {
    if (r.prim == PrimValType::ErrorContext) {
      WITC_TRY(require(ComponentFeature::ErrorContext, offset, "the `error-context` type"));
    }
    return types_.prim(r.prim);
  }
  WITC_TRY_VAL(TypeId t, type_at(r.index, offset));
  if (types_.kind(t) != TypeKind::Value) {
    return err(offset, fmt::format("type index {} is not a defined type", r.index));
  }
  return t;
}

// --- core types -------------------------------------------------------------------------

namespace {

// The core function of a (possibly `sub`) core type definition.
Expected<CoreFuncTypeId> core_func_def(TypeInfo& types, const CoreTypeDef& t, size_t space_size) {
  for (TypeIdx s : t.supertypes) {
    if (s.index >= space_size) {
      return fail(Diagnostic::at_offset(t.offset, fmt::format("core type index {} out of bounds", s.index)));
    }
  }
  return types.intern_core_func(t.func);
}

}  // namespace

Expected<void> Validator::core_type(const CoreTypeDef& t) {
  Scope& sc = cur();
  switch (t.kind) {
    case CoreTypeDef::Kind::Func: {
      WITC_TRY_VAL(CoreFuncTypeId f, core_func_def(types_, t, sc.core_types.size()));
      sc.core_types.push_back({false, f, {}});
      return {};
    }
    case CoreTypeDef::Kind::Rec:
      for (const auto& m : t.rec) {
        WITC_TRY_VAL(CoreFuncTypeId f, core_func_def(types_, m, sc.core_types.size() + t.rec.size()));
        sc.core_types.push_back({false, f, {}});
      }
      return {};
    case CoreTypeDef::Kind::Module: break;
  }
  // A module type: its own core type space, then imports and exports.
  std::vector<CoreTypeEntry> local;
  ModuleType mt;
  auto entity = [&](const CoreExternDesc& d, uint64_t offset) -> Expected<CoreEntity> {
    CoreEntity e;
    e.kind = d.kind;
    switch (d.kind) {
      case ExternKind::Func:
      case ExternKind::Tag: {
        uint32_t i = d.kind == ExternKind::Func ? d.func.index : d.tag.type.index;
        WITC_TRY_VAL(CoreTypeEntry te, at(local, i, "core type", offset));
        if (te.is_module) return err(offset, fmt::format("core type index {} is not a function type", i));
        e.func = te.func;
        if (d.kind == ExternKind::Tag && !types_.core_func(e.func).results.empty()) {
          return err(offset, "tag types must have no results");
        }
        break;
      }
      case ExternKind::Table:
        WITC_TRY(check_limits(d.table.limits, false, offset));
        e.table = d.table;
        break;
      case ExternKind::Memory:
        if (d.memory.limits.shared) return err(offset, "shared memories are not supported");
        WITC_TRY(check_limits(d.memory.limits, true, offset));
        e.memory = d.memory;
        break;
      case ExternKind::Global: e.global = d.global; break;
    }
    return e;
  };
  for (const auto& d : t.decls) {
    switch (d.kind) {
      case ModuleDecl::Kind::Import: {
        WITC_TRY_VAL(CoreEntity e, entity(d.desc, d.offset));
        for (const auto& im : mt.imports) {
          if (im.module == d.module && im.name == d.name) {
            return err(d.offset, fmt::format("duplicate import name `{}:{}`", d.module, d.name));
          }
        }
        mt.imports.push_back({d.module, d.name, e});
        break;
      }
      case ModuleDecl::Kind::Type: {
        const CoreTypeDef& inner = *d.type;
        if (inner.kind == CoreTypeDef::Kind::Module) {
          return err(inner.offset, "invalid leading byte (0x50) for type definition: module types cannot be nested");
        }
        const auto& members = inner.kind == CoreTypeDef::Kind::Rec ? inner.rec : std::vector<CoreTypeDef>{inner};
        for (const auto& m : members) {
          WITC_TRY_VAL(CoreFuncTypeId f, core_func_def(types_, m, local.size() + members.size()));
          local.push_back({false, f, {}});
        }
        break;
      }
      case ModuleDecl::Kind::Alias: {
        CoreTypeEntry te;
        if (d.outer_count == 0) {
          WITC_ASSIGN(te, at(local, d.outer_index, "core type", d.offset));
        } else {
          if (d.outer_count > scopes_.size()) {
            return err(d.offset, fmt::format("invalid outer alias count of {}", d.outer_count));
          }
          const Scope& target = scopes_[scopes_.size() - d.outer_count];
          WITC_ASSIGN(te, at(target.core_types, d.outer_index, "core type", d.offset));
        }
        if (te.is_module) return err(d.offset, "module types cannot alias module types");
        local.push_back(te);
        break;
      }
      case ModuleDecl::Kind::Export: {
        WITC_TRY_VAL(CoreEntity e, entity(d.desc, d.offset));
        if (!mt.exports.insert(d.name, e)) return err(d.offset, fmt::format("export name `{}` already defined", d.name));
        break;
      }
    }
  }
  sc.core_types.push_back({true, {}, types_.add_module(std::move(mt))});
  return {};
}

// --- component types ----------------------------------------------------------------------

namespace {

// Builds a defined value type, checking the rules of Binary.md "Type
// Definitions"; a friend-less helper with access through the Validator API.
class DefinedBuilder {
 public:
  DefinedBuilder(Validator& v, uint64_t offset) : v_(v), off_(offset) {}

  Expected<TypeId> build(const DefinedType& d) {
    using K = DefinedType::Kind;
    ValueType out;
    switch (d.kind) {
      case K::Prim: return prim(d.prim);
      case K::Record: {
        if (d.fields.empty()) return Validator::err(off_, "record type must have at least one field");
        std::vector<std::string> labels;
        for (const auto& f : d.fields) labels.push_back(f.label);
        WITC_TRY(v_.check_labels(labels, "record field", off_));
        out.kind = ValueKind::Record;
        out.labels = std::move(labels);
        for (const auto& f : d.fields) WITC_TRY(push(out, f.type));
        break;
      }
      case K::Variant: {
        if (d.cases.empty()) return Validator::err(off_, "variant type must have at least one case");
        std::vector<std::string> labels;
        for (const auto& c : d.cases) labels.push_back(c.label);
        WITC_TRY(v_.check_labels(labels, "variant case", off_));
        out.kind = ValueKind::Variant;
        out.labels = std::move(labels);
        for (const auto& c : d.cases) WITC_TRY(push_opt(out, c.type));
        break;
      }
      case K::List:
        out.kind = ValueKind::List;
        WITC_TRY(push(out, *d.a));
        break;
      case K::FixedList:
        WITC_TRY(v_.require(ComponentFeature::FixedLengthLists, off_, "a fixed-length list"));
        if (d.length == 0) return Validator::err(off_, "fixed-length lists must have more than zero elements");
        out.kind = ValueKind::FixedList;
        out.length = d.length;
        WITC_TRY(push(out, *d.a));
        break;
      case K::Tuple:
        if (d.elems.empty()) return Validator::err(off_, "tuple type must have at least one type");
        out.kind = ValueKind::Tuple;
        for (const auto& e : d.elems) WITC_TRY(push(out, e));
        break;
      case K::Flags:
        if (d.labels.empty()) return Validator::err(off_, "flags must have at least one entry");
        if (d.labels.size() > 32) return Validator::err(off_, "cannot have more than 32 flags");
        WITC_TRY(v_.check_labels(d.labels, "flag", off_));
        out.kind = ValueKind::Flags;
        out.labels = d.labels;
        break;
      case K::Enum:
        if (d.labels.empty()) return Validator::err(off_, "enum type must have at least one variant");
        WITC_TRY(v_.check_labels(d.labels, "enum tag", off_));
        out.kind = ValueKind::Enum;
        out.labels = d.labels;
        break;
      case K::Option:
        out.kind = ValueKind::Option;
        WITC_TRY(push(out, *d.a));
        break;
      case K::Result:
        out.kind = ValueKind::Result;
        WITC_TRY(push_opt(out, d.a));
        WITC_TRY(push_opt(out, d.b));
        break;
      case K::Own:
      case K::Borrow: {
        WITC_TRY_VAL(TypeId r, v_.type_at(d.handle.index, off_));
        if (v_.types().kind(r) != TypeKind::Resource) {
          return Validator::err(off_, fmt::format("type index {} is not a resource type", d.handle.index));
        }
        out.kind = d.kind == K::Own ? ValueKind::Own : ValueKind::Borrow;
        out.types.push_back(r);
        break;
      }
      case K::Stream:
      case K::Future: {
        bool stream = d.kind == K::Stream;
        WITC_TRY(v_.require(ComponentFeature::Async, off_, stream ? "the `stream` type" : "the `future` type"));
        out.kind = stream ? ValueKind::Stream : ValueKind::Future;
        WITC_TRY(push_opt(out, d.a));
        TypeId e = out.types[0];
        if (e.valid() && v_.types().node(e).contains_borrow) {
          return Validator::err(off_, fmt::format("the element type of a {} cannot contain a `borrow`",
                                                  stream ? "stream" : "future"));
        }
        if (stream && e.valid() && v_.types().value(e).kind == ValueKind::Char) {
          return Validator::err(off_, "`stream<char>` is not valid at this time");
        }
        break;
      }
      case K::Map: {
        WITC_TRY(v_.require(ComponentFeature::Map, off_, "the `map` type"));
        out.kind = ValueKind::Map;
        WITC_TRY(push(out, *d.a));
        WITC_TRY(push(out, *d.b));
        if (!is_key_type(v_.types().value(out.types[0]).kind)) {
          return Validator::err(off_, fmt::format("map key type `{}` is not a valid key type",
                                                  v_.types().describe(out.types[0])));
        }
        break;
      }
    }
    return finish(std::move(out));
  }

  Expected<TypeId> prim(PrimValType p) {
    if (p == PrimValType::ErrorContext) {
      WITC_TRY(v_.require(ComponentFeature::ErrorContext, off_, "the `error-context` type"));
    }
    ValueType out;
    out.kind = value_kind(p);
    return v_.types().add_value(std::move(out));
  }

 private:
  Expected<void> push(ValueType& out, const ValueTypeRef& r) {
    WITC_TRY_VAL(TypeId t, v_.valtype(r, off_));
    out.types.push_back(t);
    return {};
  }
  Expected<void> push_opt(ValueType& out, const std::optional<ValueTypeRef>& r) {
    if (!r) {
      out.types.push_back(TypeId());
      return {};
    }
    return push(out, *r);
  }
  Expected<TypeId> finish(ValueType out) {
    TypeId t = v_.types().add_value(std::move(out));
    if (v_.types().node(t).depth > kMaxTypeDepth) {
      return Validator::err(off_, fmt::format("type nesting is too deep (more than {} levels)", kMaxTypeDepth));
    }
    if (v_.abi().size(t.index, abi::PtrType::I64) >= kMaxValueSize) {
      return Validator::err(off_, "type exceeds maximum byte size (2**28)");
    }
    return t;
  }

  Validator& v_;
  uint64_t off_;
};

}  // namespace

Expected<void> Validator::type_def(const TypeDef& t) {
  switch (t.kind) {
    case TypeDef::Kind::Defined: {
      WITC_TRY_VAL(TypeId id, DefinedBuilder(*this, t.offset).build(t.defined));
      cur().types.push_back(id);
      return {};
    }
    case TypeDef::Kind::Func: {
      if (t.func.async) WITC_TRY(require(ComponentFeature::Async, t.offset, "an async function type"));
      std::vector<std::string> labels;
      for (const auto& p : t.func.params) labels.push_back(p.label);
      WITC_TRY(check_labels(labels, "function parameter", t.offset));
      ComponentFuncType f;
      f.async = t.func.async;
      for (const auto& p : t.func.params) {
        WITC_TRY_VAL(TypeId pt, valtype(p.type, t.offset));
        f.params.emplace_back(p.label, pt);
      }
      if (t.func.result) {
        WITC_TRY_VAL(TypeId rt, valtype(*t.func.result, t.offset));
        if (types_.node(rt).contains_borrow) return err(t.offset, "function result cannot contain a `borrow` type");
        f.result = rt;
      }
      cur().types.push_back(types_.add_func(std::move(f)));
      return {};
    }
    case TypeDef::Kind::Resource: {
      if (cur().kind != Scope::Kind::Component) {
        return err(t.offset, "resources can only be defined within a concrete component");
      }
      ValType rep = t.resource.rep;
      bool ok = rep == ValType::I32 || (rep == ValType::I64 && f_.has(ComponentFeature::Memory64));
      if (!ok) return err(t.offset, "resources can only be represented by `i32`");
      ResourceInfo info;
      info.rep = rep;
      if (t.resource.dtor) {
        WITC_TRY_VAL(CoreFuncTypeId d, core_func_at(t.resource.dtor->index, t.offset));
        const FuncType& ft = types_.core_func(d);
        if (ft.params != std::vector<ValType>{rep} || !ft.results.empty()) {
          return err(t.offset, "wrong signature for a destructor");
        }
        info.dtor = t.resource.dtor->index;
      }
      ResourceId r = types_.new_resource(info);
      cur().local_resources.insert(r.index);
      cur().defined_resources.push_back(r);
      cur().types.push_back(types_.add_resource(r));
      return {};
    }
    case TypeDef::Kind::Component:
    case TypeDef::Kind::Instance: break;
  }
  bool component = t.kind == TypeDef::Kind::Component;
  if (scopes_.size() >= component_limits::kNesting) return err(t.offset, "types are nested too deeply");
  scopes_.emplace_back();
  struct Pop {
    std::deque<Scope>& s;
    ~Pop() { s.pop_back(); }
  };
  TypeId result;
  {
    Pop pop{scopes_};
    cur().kind = component ? Scope::Kind::ComponentType : Scope::Kind::InstanceType;
    for (const auto& d : t.decls) WITC_TRY(declarator(d));
    Scope& sc = cur();
    if (component) {
      ComponentType ct = sc.own;
      ct.defined_resources = sc.defined_resources;
      result = types_.add_component(std::move(ct));
    } else {
      InstanceType it;
      it.exports = sc.own.exports;
      it.defined_resources = sc.defined_resources;
      result = types_.add_instance(std::move(it));
    }
  }
  cur().types.push_back(result);
  return {};
}

Expected<void> Validator::declarator(const Declarator& d) {
  switch (d.kind) {
    case Declarator::Kind::CoreType: return core_type(*d.core_type);
    case Declarator::Kind::Type: return type_def(*d.type);
    case Declarator::Kind::Alias: return alias(d.alias, true);
    case Declarator::Kind::Import: return import(d.name, d.desc, d.offset);
    case Declarator::Kind::Export: return export_decl(d.name, d.desc, d.offset);
  }
  return {};
}

Expected<EntityType> Validator::extern_desc(const ExternDesc& d, uint64_t offset) {
  EntityType e;
  switch (d.kind) {
    case ExternDesc::Kind::Module: {
      WITC_TRY_VAL(CoreTypeEntry te, at(cur().core_types, d.index, "core type", offset));
      if (!te.is_module) return err(offset, fmt::format("core type index {} is not a module type", d.index));
      e.kind = EntityKind::Module;
      e.module = te.module;
      return e;
    }
    case ExternDesc::Kind::Func:
      e.kind = EntityKind::Func;
      WITC_ASSIGN(e.type, func_type_at(d.index, offset));
      return e;
    case ExternDesc::Kind::Value:
      WITC_TRY(require(ComponentFeature::Values, offset, "a value import or export"));
      e.kind = EntityKind::Value;
      if (d.bound == ExternDesc::Bound::Eq) {
        WITC_ASSIGN(e.type, at(cur().values, d.index, "value", offset));
      } else {
        WITC_ASSIGN(e.type, valtype(d.value_type, offset));
      }
      return e;
    case ExternDesc::Kind::Type:
      e.kind = EntityKind::Type;
      if (d.bound == ExternDesc::Bound::Eq) WITC_ASSIGN(e.type, type_at(d.index, offset));
      return e;
    case ExternDesc::Kind::Component:
    case ExternDesc::Kind::Instance: {
      bool comp = d.kind == ExternDesc::Kind::Component;
      WITC_TRY_VAL(TypeId t, type_at(d.index, offset));
      if (types_.kind(t) != (comp ? TypeKind::Component : TypeKind::Instance)) {
        return err(offset, fmt::format("type index {} is not {} type", d.index, comp ? "a component" : "an instance"));
      }
      e.kind = comp ? EntityKind::Component : EntityKind::Instance;
      e.type = t;
      return e;
    }
  }
  return e;
}

}  // namespace witc::bin::detail
