// Reading core types (function and module types) and component types
// (defined value types, function, component, instance and resource types)
// (Binary.md "Type Definitions").
#include "component_read.h"
#include "witc/bin/code_reader.h"

namespace witc::bin {

bool is_prim_code(uint8_t b) { return (b >= 0x73 && b <= 0x7f) || b == 0x64; }

namespace detail {

Expected<ValueTypeRef> ComponentDecoder::valtype() {
  WITC_TRY_VAL(uint8_t b, c_.peek());
  if (is_prim_code(b)) {
    c_.u8();
    return ValueTypeRef::of(static_cast<PrimValType>(b));
  }
  // Type indices share the byte space with type codes: they are s33s that
  // must be non-negative (Binary.md "negative-SLEB128 scheme").
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(int64_t v, c_.s33());
  if (v < 0) return fail(c_.error_at(at, fmt::format("invalid leading byte ({:#x}) for value type", *at)));
  if (v > UINT32_MAX) return fail(c_.error_at(at, "type index too large"));
  return ValueTypeRef::at(static_cast<uint32_t>(v));
}

Expected<std::optional<ValueTypeRef>> ComponentDecoder::opt_valtype(std::string_view what) {
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t b, c_.u8());
  if (b == 0x00) return std::optional<ValueTypeRef>();
  if (b != 0x01) return fail(bad_byte(at, b, what));
  WITC_TRY_VAL(ValueTypeRef t, valtype());
  return std::optional<ValueTypeRef>(t);
}

Expected<Limits> ComponentDecoder::limits() {
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t flags, c_.u8());
  if (flags > 7) return fail(c_.error_at(at, "malformed limits flags"));
  Limits l;
  l.is64 = (flags & 4) != 0;
  l.shared = (flags & 2) != 0;
  unsigned bits = l.is64 ? 64 : 32;
  WITC_ASSIGN(l.min, c_.uleb(bits));
  if (flags & 1) {
    WITC_TRY_VAL(uint64_t max, c_.uleb(bits));
    l.max = max;
  }
  return l;
}

Expected<CoreExternDesc> ComponentDecoder::core_extern_desc() {
  CoreExternDesc d;
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t k, c_.u8());
  switch (k) {
    case 0x00: {
      WITC_TRY_VAL(uint32_t t, c_.u32());
      d.func = TypeIdx(t);
      break;
    }
    case 0x01:
      WITC_ASSIGN(d.table.elem, read_reftype(c_, Features()));
      WITC_ASSIGN(d.table.limits, limits());
      break;
    case 0x02: WITC_ASSIGN(d.memory.limits, limits()); break;
    case 0x03: {
      WITC_ASSIGN(d.global.type, read_valtype(c_, Features()));
      const uint8_t* mat = c_.pos();
      WITC_TRY_VAL(uint8_t m, c_.u8());
      if (m > 1) return fail(c_.error_at(mat, "malformed mutability"));
      d.global.mut = m == 1;
      break;
    }
    case 0x04: {
      const uint8_t* aat = c_.pos();
      WITC_ASSIGN(d.tag.attribute, c_.u8());
      if (d.tag.attribute != 0) return fail(c_.error_at(aat, "malformed tag attribute"));
      WITC_TRY_VAL(uint32_t t, c_.u32());
      d.tag.type = TypeIdx(t);
      break;
    }
    default: return fail(bad_byte(at, k, "external kind"));
  }
  d.kind = static_cast<ExternKind>(k);
  return d;
}

// A core function type after its 0x60, and the `sub` forms around it.
static Expected<void> read_core_func(Cursor& c, FuncType& ft) {
  WITC_TRY_VAL(uint32_t np, c.count(1000, "parameters"));
  ft.params.reserve(c.capacity_for(np));
  for (uint32_t i = 0; i < np; ++i) {
    WITC_TRY_VAL(ValType v, read_valtype(c, Features()));
    ft.params.push_back(v);
  }
  WITC_TRY_VAL(uint32_t nr, c.count(1000, "results"));
  ft.results.reserve(c.capacity_for(nr));
  for (uint32_t i = 0; i < nr; ++i) {
    WITC_TRY_VAL(ValType v, read_valtype(c, Features()));
    ft.results.push_back(v);
  }
  return {};
}

// subtype ::= 0x50 x* ct | 0x4f x* ct | ct, where ct must be a function
// type; `form` is the byte already read (0x50 after a 0x00 prefix at top level).
static Expected<void> read_core_subtype(ComponentDecoder& d, Cursor& c, uint8_t form,
                                        const uint8_t* at, CoreTypeDef& t) {
  if (form == 0x50 || form == 0x4f) {
    t.sub = true;
    t.final = form == 0x4f;
    WITC_TRY_VAL(uint32_t n, c.count(1, "supertypes"));
    for (uint32_t i = 0; i < n; ++i) {
      WITC_TRY_VAL(uint32_t s, c.u32());
      t.supertypes.push_back(TypeIdx(s));
    }
    at = c.pos();
    WITC_ASSIGN(form, c.u8());
  }
  if (form == 0x5e || form == 0x5f) return fail(c.error_at(at, "core GC types are not supported"));
  if (form != 0x60) return fail(d.bad_byte(at, form, "core composite type"));
  t.kind = CoreTypeDef::Kind::Func;
  return read_core_func(c, t.func);
}

Expected<CoreTypeDef> ComponentDecoder::core_type(unsigned depth) {
  CoreTypeDef t;
  t.offset = c_.offset();
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t form, c_.u8());
  if (form == 0x60) {
    t.kind = CoreTypeDef::Kind::Func;
    WITC_TRY(read_core_func(c_, t.func));
    t.func.offset = t.offset;
    return t;
  }
  if (form == 0x00 || form == 0x4f) {
    const uint8_t* sat = c_.pos();
    if (form == 0x00) {
      WITC_ASSIGN(form, c_.u8());
      if (form != 0x50) return fail(bad_byte(sat, form, "core subtype"));
    }
    WITC_TRY(read_core_subtype(*this, c_, form, sat, t));
    t.func.offset = t.offset;
    return t;
  }
  if (form == 0x4e) {
    t.kind = CoreTypeDef::Kind::Rec;
    WITC_TRY_VAL(uint32_t n, count("rec group types", component_limits::kItems));
    t.rec.reserve(c_.capacity_for(n, 3));
    for (uint32_t i = 0; i < n; ++i) {
      CoreTypeDef m;
      m.offset = c_.offset();
      const uint8_t* mat = c_.pos();
      WITC_TRY_VAL(uint8_t mf, c_.u8());
      WITC_TRY(read_core_subtype(*this, c_, mf, mat, m));
      m.func.offset = m.offset;
      t.rec.push_back(std::move(m));
    }
    return t;
  }
  if (form != 0x50) {
    if (form == 0x5e || form == 0x5f) return fail(c_.error_at(at, "core GC types are not supported"));
    return fail(bad_byte(at, form, "core type"));
  }
  if (depth + 1 >= component_limits::kNesting) return fail(c_.error_at(at, "types are nested too deeply"));
  t.kind = CoreTypeDef::Kind::Module;
  WITC_TRY_VAL(uint32_t n, count("module type declarations", component_limits::kDeclarators));
  t.decls.reserve(c_.capacity_for(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    ModuleDecl d;
    d.offset = c_.offset();
    const uint8_t* kat = c_.pos();
    WITC_TRY_VAL(uint8_t k, c_.u8());
    switch (k) {
      case 0x00:
        d.kind = ModuleDecl::Kind::Import;
        WITC_ASSIGN(d.module, name());
        WITC_ASSIGN(d.name, name());
        WITC_ASSIGN(d.desc, core_extern_desc());
        break;
      case 0x01: {
        d.kind = ModuleDecl::Kind::Type;
        WITC_TRY_VAL(CoreTypeDef inner, core_type(depth + 1));
        d.type = Box<CoreTypeDef>(std::move(inner));
        break;
      }
      case 0x02: {
        d.kind = ModuleDecl::Kind::Alias;
        const uint8_t* sat = c_.pos();
        WITC_TRY_VAL(uint8_t s, c_.u8());
        if (s != 0x10) return fail(bad_byte(sat, s, "outer alias kind"));
        const uint8_t* tat = c_.pos();
        WITC_TRY_VAL(uint8_t tg, c_.u8());
        if (tg != 0x01) return fail(bad_byte(tat, tg, "outer alias target"));
        WITC_ASSIGN(d.outer_count, c_.u32());
        WITC_ASSIGN(d.outer_index, c_.u32());
        break;
      }
      case 0x03:
        d.kind = ModuleDecl::Kind::Export;
        WITC_ASSIGN(d.name, name());
        WITC_ASSIGN(d.desc, core_extern_desc());
        break;
      default: return fail(bad_byte(kat, k, "type definition"));
    }
    t.decls.push_back(std::move(d));
  }
  return t;
}

Expected<DefinedType> ComponentDecoder::defined_type(uint8_t code, const uint8_t* at) {
  using K = DefinedType::Kind;
  DefinedType d;
  auto label_list = [&](std::string_view what) -> Expected<void> {
    WITC_TRY_VAL(uint32_t n, count(what));
    d.labels.reserve(c_.capacity_for(n));
    for (uint32_t i = 0; i < n; ++i) {
      WITC_TRY_VAL(std::string l, name());
      d.labels.push_back(std::move(l));
    }
    return {};
  };
  if (is_prim_code(code)) {
    d.kind = K::Prim;
    d.prim = static_cast<PrimValType>(code);
    return d;
  }
  switch (code) {
    case 0x72: {
      d.kind = K::Record;
      WITC_TRY_VAL(uint32_t n, count("record fields"));
      d.fields.reserve(c_.capacity_for(n, 2));
      for (uint32_t i = 0; i < n; ++i) {
        LabeledType f;
        WITC_ASSIGN(f.label, name());
        WITC_ASSIGN(f.type, valtype());
        d.fields.push_back(std::move(f));
      }
      return d;
    }
    case 0x71: {
      d.kind = K::Variant;
      WITC_TRY_VAL(uint32_t n, count("variant cases"));
      d.cases.reserve(c_.capacity_for(n, 3));
      for (uint32_t i = 0; i < n; ++i) {
        VariantCase vc;
        WITC_ASSIGN(vc.label, name());
        WITC_ASSIGN(vc.type, opt_valtype("optional variant case type"));
        const uint8_t* zat = c_.pos();
        WITC_TRY_VAL(uint8_t z, c_.u8());
        if (z != 0x00) return fail(bad_byte(zat, z, "zero byte required"));
        d.cases.push_back(std::move(vc));
      }
      return d;
    }
    case 0x70:
    case 0x6b: {
      d.kind = code == 0x70 ? K::List : K::Option;
      WITC_TRY_VAL(ValueTypeRef t, valtype());
      d.a = t;
      return d;
    }
    case 0x67: {
      d.kind = K::FixedList;
      WITC_TRY_VAL(ValueTypeRef t, valtype());
      d.a = t;
      WITC_ASSIGN(d.length, c_.u32());
      return d;
    }
    case 0x6f: {
      d.kind = K::Tuple;
      WITC_TRY_VAL(uint32_t n, count("tuple types"));
      d.elems.reserve(c_.capacity_for(n));
      for (uint32_t i = 0; i < n; ++i) {
        WITC_TRY_VAL(ValueTypeRef t, valtype());
        d.elems.push_back(t);
      }
      return d;
    }
    case 0x6e:
      d.kind = K::Flags;
      WITC_TRY(label_list("flags"));
      return d;
    case 0x6d:
      d.kind = K::Enum;
      WITC_TRY(label_list("enum cases"));
      return d;
    case 0x6a:
      d.kind = K::Result;
      WITC_ASSIGN(d.a, opt_valtype("optional result type"));
      WITC_ASSIGN(d.b, opt_valtype("optional error type"));
      return d;
    case 0x69:
    case 0x68: {
      d.kind = code == 0x69 ? K::Own : K::Borrow;
      WITC_TRY_VAL(uint32_t t, c_.u32());
      d.handle = ComponentTypeIdx(t);
      return d;
    }
    case 0x66:
    case 0x65:
      d.kind = code == 0x66 ? K::Stream : K::Future;
      WITC_ASSIGN(d.a, opt_valtype(code == 0x66 ? "optional stream type" : "optional future type"));
      return d;
    case 0x63: {
      d.kind = K::Map;
      WITC_TRY_VAL(ValueTypeRef k, valtype());
      WITC_TRY_VAL(ValueTypeRef v, valtype());
      d.a = k;
      d.b = v;
      return d;
    }
    default: return fail(bad_byte(at, code, "component defined type"));
  }
}

Expected<std::vector<Declarator>> ComponentDecoder::declarators(bool component, unsigned depth) {
  WITC_TRY_VAL(uint32_t n, count("type declarations", component_limits::kDeclarators));
  std::vector<Declarator> decls;
  decls.reserve(c_.capacity_for(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    Declarator d;
    d.offset = c_.offset();
    const uint8_t* at = c_.pos();
    WITC_TRY_VAL(uint8_t k, c_.u8());
    switch (k) {
      case 0x00: {
        d.kind = Declarator::Kind::CoreType;
        WITC_TRY_VAL(CoreTypeDef t, core_type(depth));
        d.core_type = Box<CoreTypeDef>(std::move(t));
        break;
      }
      case 0x01: {
        d.kind = Declarator::Kind::Type;
        WITC_TRY_VAL(TypeDef t, type(depth));
        d.type = Box<TypeDef>(std::move(t));
        break;
      }
      case 0x02:
        d.kind = Declarator::Kind::Alias;
        WITC_ASSIGN(d.alias, alias());
        break;
      case 0x03:
      case 0x04:
        if (k == 0x03 && !component) {
          return fail(bad_byte(at, k, "component or instance type declaration"));
        }
        d.kind = static_cast<Declarator::Kind>(k);
        WITC_ASSIGN(d.name, extern_name());
        WITC_ASSIGN(d.desc, extern_desc());
        break;
      default: return fail(bad_byte(at, k, "component or instance type declaration"));
    }
    decls.push_back(std::move(d));
  }
  return decls;
}

Expected<TypeDef> ComponentDecoder::type(unsigned depth) {
  TypeDef t;
  t.offset = c_.offset();
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t code, c_.u8());
  switch (code) {
    case 0x40:
    case 0x43: {
      t.kind = TypeDef::Kind::Func;
      t.func.async = code == 0x43;
      WITC_TRY_VAL(uint32_t n, count("function parameters"));
      t.func.params.reserve(c_.capacity_for(n, 2));
      for (uint32_t i = 0; i < n; ++i) {
        LabeledType p;
        WITC_ASSIGN(p.label, name());
        WITC_ASSIGN(p.type, valtype());
        t.func.params.push_back(std::move(p));
      }
      WITC_ASSIGN(t.func.result, result_list());
      return t;
    }
    case 0x41:
    case 0x42: {
      if (depth + 1 >= component_limits::kNesting) {
        return fail(c_.error_at(at, "types are nested too deeply"));
      }
      t.kind = code == 0x41 ? TypeDef::Kind::Component : TypeDef::Kind::Instance;
      WITC_ASSIGN(t.decls, declarators(code == 0x41, depth + 1));
      return t;
    }
    case 0x3f: {
      t.kind = TypeDef::Kind::Resource;
      WITC_ASSIGN(t.resource.rep, read_valtype(c_, Features()));
      const uint8_t* dat = c_.pos();
      WITC_TRY_VAL(uint8_t has, c_.u8());
      if (has == 0x01) {
        WITC_TRY_VAL(uint32_t f, c_.u32());
        t.resource.dtor = FuncIdx(f);
      } else if (has != 0x00) {
        return fail(bad_byte(dat, has, "resource destructor"));
      }
      return t;
    }
    default:
      t.kind = TypeDef::Kind::Defined;
      WITC_ASSIGN(t.defined, defined_type(code, at));
      return t;
  }
}

}  // namespace detail

}  // namespace witc::bin
