// Lift and lower code (CanonicalABI.md "Loading", "Storing", "Flat Lifting",
// "Flat Lowering"), spelled in C++ from the plan's layouts and flat types.
//
// Lowering an import's arguments borrows the caller's memory (strings and
// lists of canonical layout are passed in place; other lists get a
// temporary buffer freed after the call). Lowering an export's result
// transfers ownership: buffers are handed over (`leak()`) and freed by
// cabi_post_*. Lifting always takes ownership of what the other side
// allocated through our cabi_realloc (wit::string / wit::vector adopt the
// buffer; element-wise lists free it after copying).
#include "cpp_gen.h"

namespace witc::bindgen::cpp {

namespace {

using K = wit::Type::Kind;
using bin::ValType;

// A payload's flat value `v` of type `have` widened into a joined slot of type `want`.
std::string widen(ValType have, ValType want, const std::string& v) {
  if (have == want) return v;
  if (have == ValType::I32 && want == ValType::I64) return "(int64_t)(uint32_t)(" + v + ")";
  if (have == ValType::F32 && want == ValType::I32) return "wit::detail::f32_bits(" + v + ")";
  if (have == ValType::F32 && want == ValType::I64) return "(int64_t)(uint32_t)wit::detail::f32_bits(" + v + ")";
  if (have == ValType::F64 && want == ValType::I64) return "wit::detail::f64_bits(" + v + ")";
  return v;
}

}  // namespace

std::string at(const std::string& addr, uint64_t off) {
  if (off == 0) return addr;
  std::string s = "(";
  s.append(addr).append(" + ").append(std::to_string(off)).append(")");
  return s;
}

std::string deref(const char* ty, const std::string& addr) {
  std::string s = "*(";
  s.append(ty).append("*)(").append(addr).append(")");
  return s;
}

const char* mem_type(K k) {
  switch (k) {
    case K::Bool:
    case K::U8: return "uint8_t";
    case K::S8: return "int8_t";
    case K::U16: return "uint16_t";
    case K::S16: return "int16_t";
    case K::U32:
    case K::Char: return "uint32_t";
    case K::S32: return "int32_t";
    case K::U64: return "uint64_t";
    case K::S64: return "int64_t";
    case K::F32: return "float";
    case K::F64: return "double";
    default: return "int32_t";
  }
}

const char* disc_type(uint32_t size) { return size == 1 ? "uint8_t" : size == 2 ? "uint16_t" : "uint32_t"; }

const char* Gen::core_type(ValType v) {
  switch (v) {
    case ValType::I64: return "int64_t";
    case ValType::F32: return "float";
    case ValType::F64: return "double";
    default: return "int32_t";
  }
}

std::string Gen::flags_repr(size_t n) {
  if (n <= 8) return "uint8_t";
  if (n <= 16) return "uint16_t";
  if (n <= 32) return "uint32_t";
  if (n <= 64) return "uint64_t";
  return "";
}

const std::string& Gen::case_ident(wit::TypeId variant, size_t i) {
  auto it = case_idents_.find(variant.index);
  if (it == case_idents_.end()) {
    const auto& v = std::get<wit::Variant>(resolve_.types[variant].kind);
    std::set<std::string> seen{type_ident(variant)};
    std::vector<std::string> names;
    for (const auto& c : v.cases) {
      std::string name = escape(pascal(c.name));
      while (seen.count(name)) name.push_back('_');
      seen.insert(name);
      names.push_back(std::move(name));
    }
    it = case_idents_.emplace(variant.index, std::move(names)).first;
  }
  return it->second[i];
}

std::string Gen::case_type(const wit::Type& variant, size_t i, bool ctx) {
  std::string s = type_path(variant.id, ctx);
  s.append("::").append(case_ident(variant.id, i));
  return s;
}

std::string Gen::lower_scalar(const wit::Type& t, const std::string& v) {
  if (!t.is_id()) {
    switch (t.kind) {
      case K::Bool: return "(int32_t)((" + v + ") ? 1 : 0)";
      case K::U64:
      case K::S64: return "(int64_t)(" + v + ")";
      case K::F32: return "(float)(" + v + ")";
      case K::F64: return "(double)(" + v + ")";
      default: return "(int32_t)(" + v + ")";
    }
  }
  return "(int32_t)(" + v + ")";  // enum, flags of up to 32
}

std::string Gen::lift_scalar(const wit::Type& t, const std::string& v, bool ctx) {
  if (!t.is_id()) {
    if (t.kind == K::Bool) return "((" + v + ") != 0)";
    return "(" + std::string(mem_type(t.kind)) + ")(" + v + ")";
  }
  return "(" + type_path(t.id, ctx) + ")(" + v + ")";
}

std::pair<std::string, std::string> Gen::lower_string(Body& b, const std::string& v, Mode m) {
  std::string s = b.bind("s", v), p = b.fresh("p"), l = b.fresh("l");
  if (m == Mode::Copy) {
    b.cleanup = true;
    b.line("int32_t " + p + " = (int32_t)(uintptr_t)_cleanup.copy(" + s + ".data(), " + s + ".size() * sizeof(" +
           s + ".data()[0]));");
  } else {
    b.line("int32_t " + p + " = (int32_t)(uintptr_t)" + s + ".data();");
  }
  b.line("int32_t " + l + " = (int32_t)" + s + ".size();");
  if (m == Mode::Transfer) b.line(s + ".leak();");
  return {p, l};
}

bool Gen::list_compatible(const wit::Type& elem, Mode m) {
  if (m == Mode::Transfer) return mem_compatible(elem);
  wit::Type u = unalias(elem);
  if (!u.is_id()) return u.kind != K::Bool && u.kind != K::String && u.kind != K::ErrorContext;
  const auto& kind = resolve_.types[u.id].kind;
  if (std::holds_alternative<wit::Record>(kind)) return mem_compatible(u);
  if (const auto* f = std::get_if<wit::Flags>(&kind)) return f->flags.size() <= 32;
  return false;
}

// The element type and layout of a list or map.
struct ElemInfo {
  std::vector<wit::Type> parts;   // [elem] or [key, value]
  std::vector<uint64_t> offsets;  // of the parts in an element
  uint64_t size = 0;
  uint32_t align = 1;
};

static ElemInfo elem_info(Planner& pl, const wit::Resolve& r, const wit::Type& t) {
  ElemInfo e;
  const auto& kind = r.types[t.id].kind;
  if (const auto* l = std::get_if<wit::List>(&kind)) {
    e.parts = {l->element};
  } else if (const auto* f = std::get_if<wit::FixedSizeList>(&kind)) {
    e.parts = {f->element};
  } else {
    const auto& mp = std::get<wit::Map>(kind);
    e.parts = {mp.key, mp.value};
  }
  uint64_t off = 0;
  for (const auto& p : e.parts) {
    const TypePlan& tp = pl.type(p);
    off = (off + tp.align - 1) / tp.align * tp.align;
    e.offsets.push_back(off);
    off += tp.size;
    e.align = std::max(e.align, tp.align);
  }
  e.size = (off + e.align - 1) / e.align * e.align;
  return e;
}

std::pair<std::string, std::string> Gen::lower_list(Body& b, const wit::Type& t, const std::string& v,
                                                    Mode m, bool ctx) {
  ElemInfo e = elem_info(planner_, resolve_, t);
  bool is_map = e.parts.size() == 2;
  if (!is_map && list_compatible(e.parts[0], m)) return lower_string(b, v, m);
  std::string vec = b.bind("v", v), n = b.fresh("n"), buf = b.fresh("b"), i = b.fresh("i"), el = b.fresh("e");
  b.line("size_t " + n + " = " + vec + ".size();");
  std::string bytes = n + " * " + std::to_string(e.size);
  if (m == Mode::Transfer) {
    b.line("uint8_t* " + buf + " = (uint8_t*)wit::detail::alloc(" + bytes + ", " + std::to_string(e.align) + ");");
  } else {
    b.cleanup = true;
    b.line("uint8_t* " + buf + " = (uint8_t*)_cleanup.alloc(" + bytes + ");");
  }
  b.line("for (size_t " + i + " = 0; " + i + " < " + n + "; ++" + i + ") {");
  b.indent++;
  b.line("uint8_t* " + el + " = " + buf + " + " + i + " * " + std::to_string(e.size) + ";");
  if (is_map) {
    store(b, e.parts[0], vec + "[" + i + "].first", el, m, ctx);
    store(b, e.parts[1], vec + "[" + i + "].second", at(el, e.offsets[1]), m, ctx);
  } else {
    store(b, e.parts[0], vec + "[" + i + "]", el, m, ctx);
  }
  b.indent--;
  b.line("}");
  return {"(int32_t)(uintptr_t)" + buf, "(int32_t)" + n};
}

std::string Gen::lift_list(Body& b, const wit::Type& t, const std::string& ptr, const std::string& len,
                           bool ctx) {
  ElemInfo e = elem_info(planner_, resolve_, t);
  bool is_map = e.parts.size() == 2;
  std::string cty = type(t, Flavor::Owned, ctx);
  if (!is_map && mem_compatible(e.parts[0])) {
    std::string ety = type(e.parts[0], Flavor::Owned, ctx);
    return cty + "((" + ety + "*)(uintptr_t)(" + ptr + "), (size_t)(" + len + "))";
  }
  std::string base = b.fresh("b"), n = b.fresh("n"), vec = b.fresh("v"), i = b.fresh("i"), el = b.fresh("e");
  b.line("uint8_t* " + base + " = (uint8_t*)(uintptr_t)(" + ptr + ");");
  b.line("size_t " + n + " = (size_t)(" + len + ");");
  b.line("auto " + vec + " = " + cty + "::allocate(" + n + ");");
  b.line("for (size_t " + i + " = 0; " + i + " < " + n + "; ++" + i + ") {");
  b.indent++;
  b.line("uint8_t* " + el + " = " + base + " + " + i + " * " + std::to_string(e.size) + ";");
  std::string value;
  if (is_map) {
    std::string k = load(b, e.parts[0], el, ctx);
    std::string v = load(b, e.parts[1], at(el, e.offsets[1]), ctx);
    value = "std::pair<" + type(e.parts[0], Flavor::Owned, ctx) + ", " + type(e.parts[1], Flavor::Owned, ctx) +
            ">(" + k + ", " + v + ")";
  } else {
    value = load(b, e.parts[0], el, ctx);
  }
  b.line(vec + ".initialize(" + i + ", " + value + ");");
  b.indent--;
  b.line("}");
  if (e.size > 0) b.line("if (" + n + " > 0) free(" + base + ");");
  return "std::move(" + vec + ")";
}

std::string Gen::lower_handle(const wit::Type& t, const std::string& v, Mode m, bool ctx) {
  const auto& kind = resolve_.types[t.id].kind;
  wit::TypeId res = t.id;
  bool own = true;
  if (const auto* h = std::get_if<wit::Handle>(&kind)) {
    res = resolve_.unalias(h->resource);
    own = h->kind == wit::Handle::Kind::Own;
  } else if (!std::holds_alternative<wit::Resource>(kind)) {
    return "wit::detail::take_handle(" + v + ")";  // future, stream
  }
  if (!own) return "(" + v + ").get().get_handle()";
  if (in_exports(res, ctx)) return "(" + v + ").release()->into_handle()";
  if (m == Mode::Transfer) return "(" + v + ").into_handle()";
  return "wit::detail::take_handle(" + v + ")";
}

std::string Gen::lift_handle(Body& b, const wit::Type& t, const std::string& h, bool ctx) {
  const auto& kind = resolve_.types[t.id].kind;
  wit::TypeId res = t.id;
  bool own = true;
  if (const auto* hd = std::get_if<wit::Handle>(&kind)) {
    res = resolve_.unalias(hd->resource);
    own = hd->kind == wit::Handle::Kind::Own;
  } else if (!std::holds_alternative<wit::Resource>(kind)) {
    return type(t, Flavor::Owned, ctx) + "((int32_t)(" + h + "))";
  }
  std::string cls = type_path(res, ctx);
  if (in_exports(res, ctx)) {
    if (own) return cls + "::from_handle((int32_t)(" + h + "))";
    return "std::reference_wrapper<const " + cls + ">(*(" + cls + " const*)(uintptr_t)(" + h + "))";
  }
  if (own) return cls + "(wit::ResourceImportBase{(int32_t)(" + h + ")})";
  b.scope = true;
  return "std::cref(_scope.hold<" + cls + ">((int32_t)(" + h + ")))";
}

std::vector<std::string> Gen::lower_flat(Body& b, const wit::Type& t0, const std::string& v, Mode m,
                                         bool ctx) {
  wit::Type t = unalias(t0);
  if (!t.is_id()) {
    if (t.kind == K::String) {
      auto [p, l] = lower_string(b, v, m);
      return {p, l};
    }
    if (t.kind == K::ErrorContext) return {"wit::detail::take_handle(" + v + ")"};
    return {lower_scalar(t, v)};
  }
  const auto& kind = resolve_.types[t.id].kind;
  std::vector<std::string> out;
  if (const auto* rec = std::get_if<wit::Record>(&kind)) {
    std::string r = b.bind("v", v);
    auto names = field_idents(*rec);
    for (size_t i = 0; i < rec->fields.size(); ++i) {
      auto part = lower_flat(b, rec->fields[i].type, r + "." + names[i], m, ctx);
      out.insert(out.end(), part.begin(), part.end());
    }
  } else if (const auto* tup = std::get_if<wit::Tuple>(&kind)) {
    std::string r = b.bind("v", v);
    for (size_t i = 0; i < tup->types.size(); ++i) {
      auto part = lower_flat(b, tup->types[i], "std::get<" + std::to_string(i) + ">(" + r + ")", m, ctx);
      out.insert(out.end(), part.begin(), part.end());
    }
  } else if (const auto* fl = std::get_if<wit::FixedSizeList>(&kind)) {
    std::string r = b.bind("v", v);
    for (uint32_t i = 0; i < fl->size; ++i) {
      auto part = lower_flat(b, fl->element, r + "[" + std::to_string(i) + "]", m, ctx);
      out.insert(out.end(), part.begin(), part.end());
    }
  } else if (const auto* fg = std::get_if<wit::Flags>(&kind)) {
    size_t n = fg->flags.size();
    if (n <= 32) return {lower_scalar(t, v)};
    std::string r = b.bind("v", v);
    if (n <= 64) return {"(int32_t)(uint64_t)(" + r + ")", "(int32_t)((uint64_t)(" + r + ") >> 32)"};
    for (size_t i = 0; i < (n + 31) / 32; ++i) out.push_back("(int32_t)" + r + ".bits[" + std::to_string(i) + "]");
  } else if (std::holds_alternative<wit::Enum>(kind)) {
    return {lower_scalar(t, v)};
  } else if (std::holds_alternative<wit::Variant>(kind) || std::holds_alternative<wit::Option>(kind) ||
             std::holds_alternative<wit::Result>(kind)) {
    return lower_variant_flat(b, t, v, m, ctx);
  } else if (std::holds_alternative<wit::List>(kind) || std::holds_alternative<wit::Map>(kind)) {
    auto [p, l] = lower_list(b, t, v, m, ctx);
    return {p, l};
  } else {
    return {lower_handle(t, v, m, ctx)};
  }
  return out;
}

// Payloads of a variant-like type: (C++ access expression, payload type) per case.
struct CaseAccess {
  std::string test;     // condition selecting the case (option/result), or "" (variant: switch)
  std::string value;    // the payload expression
  std::optional<wit::Type> type;
};

static std::vector<CaseAccess> cases_of(const wit::Resolve& r, const wit::Type& t, const std::string& v) {
  std::vector<CaseAccess> out;
  const auto& kind = r.types[t.id].kind;
  if (const auto* o = std::get_if<wit::Option>(&kind)) {
    out.push_back({"!" + v + ".has_value()", "", std::nullopt});
    out.push_back({"", "(*" + v + ")", o->type});
  } else if (const auto* res = std::get_if<wit::Result>(&kind)) {
    out.push_back({v + ".has_value()", "(*" + v + ")", res->ok});
    out.push_back({"", v + ".error()", res->err});
  } else {
    const auto& var = std::get<wit::Variant>(kind);
    for (size_t i = 0; i < var.cases.size(); ++i)
      out.push_back({"", "std::get<" + std::to_string(i) + ">(" + v + ".variants).value", var.cases[i].type});
  }
  return out;
}

// Emits `if (test0) {..} else if ... else {..}` or a switch over variant cases.
template <class F>
static void each_case(Body& b, const wit::Resolve& r, const wit::Type& t, const std::string& v,
                      const std::string& index, F body) {
  auto cases = cases_of(r, t, v);
  bool is_variant = std::holds_alternative<wit::Variant>(r.types[t.id].kind);
  if (is_variant) {
    b.line("switch (" + index + ") {");
    for (size_t i = 0; i < cases.size(); ++i) {
      b.line("  case " + std::to_string(i) + ": {");
      b.indent += 2;
      body(i, cases[i]);
      b.line("break;");
      b.indent -= 2;
      b.line("  }");
    }
    b.line("}");
    return;
  }
  b.line("if (" + cases[0].test + ") {");
  b.indent++;
  body(0, cases[0]);
  b.indent--;
  b.line("} else {");
  b.indent++;
  body(1, cases[1]);
  b.indent--;
  b.line("}");
}

std::vector<std::string> Gen::lower_variant_flat(Body& b, const wit::Type& t, const std::string& v, Mode m,
                                                 bool ctx) {
  const TypePlan& tp = planner_.type(t);
  std::string r = b.bind("v", v);
  std::vector<std::string> slots;
  for (size_t i = 0; i < tp.flat.size(); ++i) {
    slots.push_back(b.fresh("f"));
    b.line(std::string(core_type(tp.flat[i])) + " " + slots.back() + " = 0;");
  }
  each_case(b, resolve_, t, r, r + ".variants.index()", [&](size_t i, const CaseAccess& c) {
    b.line(slots[0] + " = " + std::to_string(i) + ";");
    if (!c.type) return;
    const TypePlan& pp = planner_.type(*c.type);
    auto flat = lower_flat(b, *c.type, c.value, m, ctx);
    for (size_t k = 0; k < flat.size(); ++k)
      b.line(slots[k + 1] + " = " + widen(pp.flat[k], tp.flat[k + 1], flat[k]) + ";");
  });
  return slots;
}

void Gen::store_words(Body& b, const wit::Type& t, const std::string& v, const std::string& addr) {
  size_t n = std::get<wit::Flags>(resolve_.types[t.id].kind).flags.size();
  if (n <= 64) {
    b.line(deref("uint32_t", addr) + " = (uint32_t)(uint64_t)(" + v + ");");
    b.line(deref("uint32_t", at(addr, 4)) + " = (uint32_t)((uint64_t)(" + v + ") >> 32);");
    return;
  }
  for (size_t i = 0; i < (n + 31) / 32; ++i)
    b.line(deref("uint32_t", at(addr, 4 * i)) + " = (" + v + ").bits[" + std::to_string(i) + "];");
}

void Gen::store(Body& b, const wit::Type& t0, const std::string& v, const std::string& addr, Mode m, bool ctx) {
  wit::Type t = unalias(t0);
  auto pair = [&](const std::pair<std::string, std::string>& pl) {
    b.line(deref("int32_t", addr) + " = " + pl.first + ";");
    b.line(deref("int32_t", at(addr, 4)) + " = " + pl.second + ";");
  };
  if (!t.is_id()) {
    if (t.kind == K::String) return pair(lower_string(b, v, m));
    if (t.kind == K::ErrorContext) return b.line(deref("int32_t", addr) + " = wit::detail::take_handle(" + v + ");");
    if (t.kind == K::Bool) return b.line(deref("uint8_t", addr) + " = (uint8_t)((" + v + ") ? 1 : 0);");
    return b.line(deref(mem_type(t.kind), addr) + " = (" + mem_type(t.kind) + ")(" + v + ");");
  }
  const TypePlan& tp = planner_.type(t);
  const auto& kind = resolve_.types[t.id].kind;
  if (const auto* rec = std::get_if<wit::Record>(&kind)) {
    std::string r = b.bind("v", v);
    auto names = field_idents(*rec);
    for (size_t i = 0; i < rec->fields.size(); ++i)
      store(b, rec->fields[i].type, r + "." + names[i], at(addr, tp.offsets[i]), m, ctx);
  } else if (const auto* tup = std::get_if<wit::Tuple>(&kind)) {
    std::string r = b.bind("v", v);
    for (size_t i = 0; i < tup->types.size(); ++i)
      store(b, tup->types[i], "std::get<" + std::to_string(i) + ">(" + r + ")", at(addr, tp.offsets[i]), m, ctx);
  } else if (const auto* fl = std::get_if<wit::FixedSizeList>(&kind)) {
    std::string r = b.bind("v", v);
    uint64_t es = planner_.type(fl->element).size;
    for (uint32_t i = 0; i < fl->size; ++i)
      store(b, fl->element, r + "[" + std::to_string(i) + "]", at(addr, es * i), m, ctx);
  } else if (const auto* fg = std::get_if<wit::Flags>(&kind)) {
    if (fg->flags.size() > 32) return store_words(b, t, v, addr);
    const char* ty = tp.size == 1 ? "uint8_t" : tp.size == 2 ? "uint16_t" : "uint32_t";
    b.line(deref(ty, addr) + " = (" + ty + ")(" + v + ");");
  } else if (std::holds_alternative<wit::Enum>(kind)) {
    const char* ty = disc_type(tp.discriminant_size);
    b.line(deref(ty, addr) + " = (" + ty + ")(" + v + ");");
  } else if (std::holds_alternative<wit::Variant>(kind) || std::holds_alternative<wit::Option>(kind) ||
             std::holds_alternative<wit::Result>(kind)) {
    store_variant(b, t, v, addr, m, ctx);
  } else if (std::holds_alternative<wit::List>(kind) || std::holds_alternative<wit::Map>(kind)) {
    pair(lower_list(b, t, v, m, ctx));
  } else {
    b.line(deref("int32_t", addr) + " = " + lower_handle(t, v, m, ctx) + ";");
  }
}

void Gen::store_variant(Body& b, const wit::Type& t, const std::string& v, const std::string& addr, Mode m,
                        bool ctx) {
  const TypePlan& tp = planner_.type(t);
  std::string r = b.bind("v", v);
  const char* dt = disc_type(tp.discriminant_size);
  each_case(b, resolve_, t, r, r + ".variants.index()", [&](size_t i, const CaseAccess& c) {
    b.line(deref(dt, addr) + " = " + std::to_string(i) + ";");
    if (c.type) store(b, *c.type, c.value, at(addr, tp.payload_offset), m, ctx);
  });
}

}  // namespace witc::bindgen::cpp
