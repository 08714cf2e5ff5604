// Lifting (flat values and memory) and freeing results after return
// (CanonicalABI.md "Flat Lifting", "Loading", `post-return`).
#include "cpp_gen.h"

namespace witc::bindgen::cpp {

namespace {

using K = wit::Type::Kind;
using bin::ValType;

std::string narrow(ValType have, ValType want, const std::string& v) {
  if (have == want) return v;
  if (have == ValType::I64 && want == ValType::I32) return "(int32_t)(" + v + ")";
  if (have == ValType::I32 && want == ValType::F32) return "wit::detail::bits_f32(" + v + ")";
  if (have == ValType::I64 && want == ValType::F32) return "wit::detail::bits_f32((int32_t)(" + v + "))";
  if (have == ValType::I64 && want == ValType::F64) return "wit::detail::bits_f64(" + v + ")";
  return v;
}

struct Case {
  std::optional<wit::Type> type;
};

std::vector<Case> cases(const wit::Resolve& r, const wit::Type& t) {
  const auto& kind = r.types[t.id].kind;
  if (const auto* o = std::get_if<wit::Option>(&kind)) return {{std::nullopt}, {o->type}};
  if (const auto* res = std::get_if<wit::Result>(&kind)) return {{res->ok}, {res->err}};
  std::vector<Case> out;
  for (const auto& c : std::get<wit::Variant>(kind).cases) out.push_back({c.type});
  return out;
}

}  // namespace

std::string Gen::lift_flat(Body& b, const wit::Type& t0, const std::vector<std::string>& flat, size_t& pos,
                           bool ctx) {
  wit::Type t = unalias(t0);
  if (!t.is_id()) {
    if (t.kind == K::String) {
      std::string p = flat[pos++], l = flat[pos++];
      return "wit::string((char const*)(uintptr_t)(" + p + "), (size_t)(" + l + "))";
    }
    if (t.kind == K::ErrorContext) return "wit::error_context((int32_t)(" + flat[pos++] + "))";
    return lift_scalar(t, flat[pos++], ctx);
  }
  const auto& kind = resolve_.types[t.id].kind;
  std::string cty = type(t, Flavor::Owned, ctx);
  auto list_of = [&](const std::vector<wit::Type>& ts) {
    std::string s;
    for (size_t i = 0; i < ts.size(); ++i) {
      if (i) s.append(", ");
      s.append(lift_flat(b, ts[i], flat, pos, ctx));
    }
    return s;
  };
  if (const auto* rec = std::get_if<wit::Record>(&kind)) {
    std::vector<wit::Type> ts;
    for (const auto& f : rec->fields) ts.push_back(f.type);
    return cty + "{" + list_of(ts) + "}";
  }
  if (const auto* tup = std::get_if<wit::Tuple>(&kind)) return cty + "{" + list_of(tup->types) + "}";
  if (const auto* fl = std::get_if<wit::FixedSizeList>(&kind)) {
    std::vector<wit::Type> ts(fl->size, fl->element);
    return cty + "{" + list_of(ts) + "}";
  }
  if (const auto* fg = std::get_if<wit::Flags>(&kind)) {
    size_t n = fg->flags.size();
    if (n <= 32) return lift_scalar(t, flat[pos++], ctx);
    if (n <= 64) {
      std::string lo = flat[pos++], hi = flat[pos++];
      return cty + "((uint64_t)(uint32_t)(" + lo + ") | ((uint64_t)(uint32_t)(" + hi + ") << 32))";
    }
    std::string s = cty + "{{";
    for (size_t i = 0; i < (n + 31) / 32; ++i) s.append(i ? ", " : "").append("(uint32_t)(" + flat[pos++] + ")");
    return s + "}}";
  }
  if (std::holds_alternative<wit::Enum>(kind)) return lift_scalar(t, flat[pos++], ctx);
  if (std::holds_alternative<wit::Variant>(kind) || std::holds_alternative<wit::Option>(kind) ||
      std::holds_alternative<wit::Result>(kind))
    return lift_variant_flat(b, t, flat, pos, ctx);
  if (std::holds_alternative<wit::List>(kind) || std::holds_alternative<wit::Map>(kind)) {
    std::string p = flat[pos++], l = flat[pos++];
    return lift_list(b, t, p, l, ctx);
  }
  return lift_handle(b, t, flat[pos++], ctx);
}

// The C++ value of case `i` of a variant-like type built from `payload`.
static std::string make_case(Gen& g, const wit::Resolve& r, const wit::Type& t, size_t i,
                             const std::string& payload, bool ctx) {
  const auto& kind = r.types[t.id].kind;
  std::string cty = g.type(t, Flavor::Owned, ctx);
  if (std::holds_alternative<wit::Option>(kind)) return i == 0 ? "std::nullopt" : payload;
  if (const auto* res = std::get_if<wit::Result>(&kind)) {
    if (i == 0) return res->ok ? payload : "";
    std::string e = res->err ? g.type(*res->err, Flavor::Owned, ctx) : "wit::Void";
    return "std::unexpected<" + e + ">(" + (res->err ? payload : "wit::Void{}") + ")";
  }
  std::string ct = g.type_path(t.id, ctx) + "::" +
                   g.case_ident(t.id, i);
  return cty + "{" + ct + "{" + payload + "}}";
}

// Wraps per-case lifting code in an immediately invoked lambda returning
// the C++ value; `lift_case(sub, i)` emits into `sub` and returns the payload.
template <class F>
static std::string lift_cases(Gen& g, Body& b, const wit::Resolve& r, const wit::Type& t,
                              const std::string& disc, bool ctx, F lift_case) {
  std::string var = b.fresh("x");
  auto cs = cases(r, t);
  b.line("auto " + var + " = [&]() -> " + g.type(t, Flavor::Owned, ctx) + " {");
  b.indent++;
  b.line("switch (" + disc + ") {");
  for (size_t i = 0; i < cs.size(); ++i) {
    b.line("  case " + std::to_string(i) + ": {");
    b.indent += 2;
    std::string payload = cs[i].type ? lift_case(i, *cs[i].type) : std::string();
    std::string value = make_case(g, r, t, i, payload, ctx);
    b.line(value.empty() ? "return {};" : "return " + value + ";");
    b.indent -= 2;
    b.line("  }");
  }
  b.line("  default: wit::detail::trap();");
  b.line("}");
  b.indent--;
  b.line("}();");
  return "std::move(" + var + ")";
}

std::string Gen::lift_variant_flat(Body& b, const wit::Type& t, const std::vector<std::string>& flat,
                                   size_t& pos, bool ctx) {
  const TypePlan& tp = planner_.type(t);
  size_t base = pos;
  pos += tp.flat.size();
  std::string disc = flat[base];
  return lift_cases(*this, b, resolve_, t, disc, ctx, [&](size_t, const wit::Type& pt) {
    const TypePlan& pp = planner_.type(pt);
    std::vector<std::string> vals;
    for (size_t k = 0; k < pp.flat.size(); ++k) vals.push_back(narrow(tp.flat[k + 1], pp.flat[k], flat[base + 1 + k]));
    size_t p = 0;
    return lift_flat(b, pt, vals, p, ctx);
  });
}

std::string Gen::load(Body& b, const wit::Type& t0, const std::string& addr, bool ctx) {
  wit::Type t = unalias(t0);
  if (!t.is_id()) {
    if (t.kind == K::String) {
      return "wit::string((char const*)(uintptr_t)" + deref("int32_t", addr) + ", (size_t)" +
             deref("int32_t", at(addr, 4)) + ")";
    }
    if (t.kind == K::ErrorContext) return "wit::error_context(" + deref("int32_t", addr) + ")";
    if (t.kind == K::Bool) return "(" + deref("uint8_t", addr) + " != 0)";
    return deref(mem_type(t.kind), addr);
  }
  const TypePlan& tp = planner_.type(t);
  const auto& kind = resolve_.types[t.id].kind;
  std::string cty = type(t, Flavor::Owned, ctx);
  if (const auto* rec = std::get_if<wit::Record>(&kind)) {
    std::string s = cty + "{";
    for (size_t i = 0; i < rec->fields.size(); ++i)
      s.append(i ? ", " : "").append(load(b, rec->fields[i].type, at(addr, tp.offsets[i]), ctx));
    return s + "}";
  }
  if (const auto* tup = std::get_if<wit::Tuple>(&kind)) {
    std::string s = cty + "{";
    for (size_t i = 0; i < tup->types.size(); ++i)
      s.append(i ? ", " : "").append(load(b, tup->types[i], at(addr, tp.offsets[i]), ctx));
    return s + "}";
  }
  if (const auto* fl = std::get_if<wit::FixedSizeList>(&kind)) {
    uint64_t es = planner_.type(fl->element).size;
    std::string s = cty + "{";
    for (uint32_t i = 0; i < fl->size; ++i) s.append(i ? ", " : "").append(load(b, fl->element, at(addr, es * i), ctx));
    return s + "}";
  }
  if (const auto* fg = std::get_if<wit::Flags>(&kind)) {
    size_t n = fg->flags.size();
    if (n <= 32) {
      const char* ty = tp.size == 1 ? "uint8_t" : tp.size == 2 ? "uint16_t" : "uint32_t";
      return "(" + cty + ")(" + deref(ty, addr) + ")";
    }
    if (n <= 64)
      return cty + "((uint64_t)" + deref("uint32_t", addr) + " | ((uint64_t)" + deref("uint32_t", at(addr, 4)) + " << 32))";
    std::string s = cty + "{{";
    for (size_t i = 0; i < (n + 31) / 32; ++i) s.append(i ? ", " : "").append(deref("uint32_t", at(addr, 4 * i)));
    return s + "}}";
  }
  if (std::holds_alternative<wit::Enum>(kind)) return "(" + cty + ")(" + deref(disc_type(tp.discriminant_size), addr) + ")";
  if (std::holds_alternative<wit::Variant>(kind) || std::holds_alternative<wit::Option>(kind) ||
      std::holds_alternative<wit::Result>(kind))
    return load_variant(b, t, addr, ctx);
  if (std::holds_alternative<wit::List>(kind) || std::holds_alternative<wit::Map>(kind))
    return lift_list(b, t, deref("int32_t", addr), deref("int32_t", at(addr, 4)), ctx);
  return lift_handle(b, t, deref("int32_t", addr), ctx);
}

std::string Gen::load_variant(Body& b, const wit::Type& t, const std::string& addr, bool ctx) {
  const TypePlan& tp = planner_.type(t);
  std::string disc = deref(disc_type(tp.discriminant_size), addr);
  return lift_cases(*this, b, resolve_, t, disc, ctx,
                    [&](size_t, const wit::Type& pt) { return load(b, pt, at(addr, tp.payload_offset), ctx); });
}

void Gen::free_stored(Body& b, const wit::Type& t0, const std::string& addr) {
  wit::Type t = unalias(t0);
  if (!planner_.owns_memory(t)) return;
  if (!t.is_id()) {  // string
    b.line("if (" + deref("int32_t", at(addr, 4)) + " > 0) free((void*)(uintptr_t)" + deref("int32_t", addr) + ");");
    return;
  }
  const TypePlan& tp = planner_.type(t);
  const auto& kind = resolve_.types[t.id].kind;
  if (const auto* rec = std::get_if<wit::Record>(&kind)) {
    for (size_t i = 0; i < rec->fields.size(); ++i) free_stored(b, rec->fields[i].type, at(addr, tp.offsets[i]));
  } else if (const auto* tup = std::get_if<wit::Tuple>(&kind)) {
    for (size_t i = 0; i < tup->types.size(); ++i) free_stored(b, tup->types[i], at(addr, tp.offsets[i]));
  } else if (const auto* fl = std::get_if<wit::FixedSizeList>(&kind)) {
    uint64_t es = planner_.type(fl->element).size;
    for (uint32_t i = 0; i < fl->size; ++i) free_stored(b, fl->element, at(addr, es * i));
  } else if (std::holds_alternative<wit::List>(kind) || std::holds_alternative<wit::Map>(kind)) {
    std::vector<std::pair<wit::Type, uint64_t>> parts;
    uint64_t esize = 0;
    if (const auto* l = std::get_if<wit::List>(&kind)) {
      parts = {{l->element, 0}};
      esize = planner_.type(l->element).size;
    } else {
      const auto& mp = std::get<wit::Map>(kind);
      const TypePlan& kp = planner_.type(mp.key);
      const TypePlan& vp = planner_.type(mp.value);
      uint64_t voff = (kp.size + vp.align - 1) / vp.align * vp.align;
      uint32_t al = std::max(kp.align, vp.align);
      esize = (voff + vp.size + al - 1) / al * al;
      parts = {{mp.key, 0}, {mp.value, voff}};
    }
    std::string base = b.fresh("b"), n = b.fresh("n"), i = b.fresh("i");
    b.line("uint8_t* " + base + " = (uint8_t*)(uintptr_t)" + deref("int32_t", addr) + ";");
    b.line("size_t " + n + " = (size_t)" + deref("int32_t", at(addr, 4)) + ";");
    bool inner = false;
    for (const auto& p : parts) inner = inner || planner_.owns_memory(p.first);
    if (inner) {
      b.line("for (size_t " + i + " = 0; " + i + " < " + n + "; ++" + i + ") {");
      b.indent++;
      std::string el = base + " + " + i + " * " + std::to_string(esize);
      for (const auto& p : parts) free_stored(b, p.first, at("(" + el + ")", p.second));
      b.indent--;
      b.line("}");
    }
    if (esize > 0) b.line("if (" + n + " > 0) free(" + base + ");");
  } else {
    auto cs = cases(resolve_, t);
    b.line("switch (" + deref(disc_type(tp.discriminant_size), addr) + ") {");
    for (size_t i = 0; i < cs.size(); ++i) {
      if (!cs[i].type || !planner_.owns_memory(*cs[i].type)) continue;
      b.line("  case " + std::to_string(i) + ": {");
      b.indent += 2;
      free_stored(b, *cs[i].type, at(addr, tp.payload_offset));
      b.line("break;");
      b.indent -= 2;
      b.line("  }");
    }
    b.line("  default: break;");
    b.line("}");
  }
}

}  // namespace witc::bindgen::cpp
