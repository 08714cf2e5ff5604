// The Canonical ABI layout and flattening engine (CanonicalABI.md).
#include "witc/bin/canonical_abi.h"

#include <algorithm>
#include <array>

#include "witc/bin/component_types.h"

namespace witc::abi {

using bin::ValType;

namespace {

constexpr uint64_t kSat = std::numeric_limits<uint64_t>::max();

uint64_t add_sat(uint64_t a, uint64_t b) { return a > kSat - b ? kSat : a + b; }
uint64_t mul_sat(uint64_t a, uint64_t b) { return (b != 0 && a > kSat / b) ? kSat : a * b; }
uint64_t align_to(uint64_t v, uint32_t a) {
  uint64_t r = v % a;
  return r == 0 ? v : add_sat(v, a - r);
}

Layout prim_layout(Kind k, PtrType p) {
  switch (k) {
    case Kind::Bool:
    case Kind::S8:
    case Kind::U8: return {1, 1};
    case Kind::S16:
    case Kind::U16: return {2, 2};
    case Kind::S32:
    case Kind::U32:
    case Kind::F32:
    case Kind::Char:
    case Kind::ErrorContext:
    case Kind::Own:
    case Kind::Borrow:
    case Kind::Stream:
    case Kind::Future: return {4, 4};
    case Kind::S64:
    case Kind::U64:
    case Kind::F64: return {8, 8};
    case Kind::String:
    case Kind::List:
    case Kind::Map: return {2ull * ptr_size(p), ptr_size(p)};
    default: return {0, 1};
  }
}

ValType join(ValType a, ValType b) {
  if (a == b) return a;
  if ((a == ValType::I32 && b == ValType::F32) || (a == ValType::F32 && b == ValType::I32)) {
    return ValType::I32;
  }
  return ValType::I64;
}

// The payload types of a variant-like node and its case count.
struct Cases {
  std::array<TypeRef, 2> small{kNone, kNone};
  std::span<const TypeRef> payloads;
  uint64_t count = 0;
};

Cases cases_of(const Node& n) {
  Cases c;
  switch (n.kind) {
    case Kind::Variant:
      c.payloads = n.children;
      c.count = n.children.size();
      break;
    case Kind::Enum: c.count = n.count; break;
    case Kind::Option:
      c.small = {kNone, n.children.empty() ? kNone : n.children[0]};
      c.payloads = c.small;
      c.count = 2;
      break;
    case Kind::Result:
      c.small = {n.children.size() > 0 ? n.children[0] : kNone, n.children.size() > 1 ? n.children[1] : kNone};
      c.payloads = c.small;
      c.count = 2;
      break;
    default: break;
  }
  return c;
}

}  // namespace

Node ComponentTypeSource::node(TypeRef t) const {
  const auto& v = types_.value(bin::TypeId(t));
  Node n;
  n.kind = static_cast<Kind>(v.kind);
  n.count = v.kind == bin::ValueKind::FixedList ? v.length : static_cast<uint32_t>(v.labels.size());
  if (v.kind != bin::ValueKind::Own && v.kind != bin::ValueKind::Borrow) {
    static_assert(sizeof(bin::TypeId) == sizeof(TypeRef));
    n.children = std::span<const TypeRef>(reinterpret_cast<const TypeRef*>(v.types.data()), v.types.size());
  }
  return n;
}

uint32_t Engine::discriminant_size(uint64_t cases) {
  if (cases <= (1ull << 8)) return 1;
  if (cases <= (1ull << 16)) return 2;
  return 4;
}

uint32_t Engine::flags_size(uint64_t n) {
  if (n <= 8) return 1;
  if (n <= 16) return 2;
  return 4 * static_cast<uint32_t>((n + 31) / 32);
}

uint32_t Engine::flags_flat_count(uint64_t n) { return n <= 32 ? 1 : static_cast<uint32_t>((n + 31) / 32); }

Layout Engine::layout(TypeRef t, PtrType p) {
  uint64_t key = (static_cast<uint64_t>(t) << 1) | (p == PtrType::I64 ? 1 : 0);
  if (auto it = layouts_.find(key); it != layouts_.end()) return it->second;
  Layout l = compute(t, p);
  layouts_.emplace(key, l);
  return l;
}

Layout Engine::variant_layout(const Node& n, std::span<const TypeRef> payloads, PtrType p) {
  Cases c = cases_of(n);
  uint32_t disc = discriminant_size(c.count);
  uint32_t max_align = 1;
  uint64_t max_size = 0;
  for (TypeRef pt : payloads) {
    if (pt == kNone) continue;
    Layout l = layout(pt, p);
    max_align = std::max(max_align, l.align);
    max_size = std::max(max_size, l.size);
  }
  uint32_t align = std::max(disc, max_align);
  uint64_t s = align_to(disc, max_align);
  s = add_sat(s, max_size);
  return {align_to(s, align), align};
}

Layout Engine::compute(TypeRef t, PtrType p) {
  Node n = source_.node(t);
  switch (n.kind) {
    case Kind::Record:
    case Kind::Tuple: {
      uint64_t s = 0;
      uint32_t a = 1;
      for (TypeRef f : n.children) {
        Layout l = layout(f, p);
        s = add_sat(align_to(s, l.align), l.size);
        a = std::max(a, l.align);
      }
      return {align_to(s, a), a};
    }
    case Kind::Variant:
    case Kind::Enum:
    case Kind::Option:
    case Kind::Result: {
      Cases c = cases_of(n);
      return variant_layout(n, c.payloads, p);
    }
    case Kind::Flags: {
      uint32_t s = flags_size(n.count);
      return {s, std::min<uint32_t>(s, 4)};
    }
    case Kind::FixedList: {
      Layout e = layout(n.children[0], p);
      return {mul_sat(e.size, n.count), e.align};
    }
    default: return prim_layout(n.kind, p);
  }
}

std::vector<uint64_t> Engine::field_offsets(TypeRef record, PtrType p) {
  Node n = source_.node(record);
  std::vector<uint64_t> out;
  uint64_t s = 0;
  for (TypeRef f : n.children) {
    Layout l = layout(f, p);
    s = align_to(s, l.align);
    out.push_back(s);
    s = add_sat(s, l.size);
  }
  return out;
}

uint64_t Engine::payload_offset(TypeRef variant, PtrType p) {
  Node n = source_.node(variant);
  Cases c = cases_of(n);
  uint32_t max_align = 1;
  for (TypeRef pt : c.payloads)
    if (pt != kNone) max_align = std::max(max_align, layout(pt, p).align);
  return align_to(discriminant_size(c.count), max_align);
}

bool Engine::flatten_variant(std::span<const TypeRef> payloads, uint64_t cases, PtrType p,
                             std::vector<ValType>& out, size_t limit) {
  out.push_back(ValType::I32);  // the discriminant (u8/u16/u32 flatten to i32)
  size_t base = out.size();
  std::vector<ValType> joined;
  std::vector<ValType> tmp;
  for (TypeRef pt : payloads) {
    if (pt == kNone) continue;
    tmp.clear();
    size_t room = limit > base ? limit - base : 0;
    if (!flatten(pt, p, tmp, room)) {
      out.insert(out.end(), tmp.begin(), tmp.end());
      return false;
    }
    for (size_t i = 0; i < tmp.size(); ++i) {
      if (i < joined.size()) {
        joined[i] = join(joined[i], tmp[i]);
      } else {
        joined.push_back(tmp[i]);
      }
    }
  }
  (void)cases;
  out.insert(out.end(), joined.begin(), joined.end());
  return out.size() <= limit;
}

bool Engine::flatten(TypeRef t, PtrType p, std::vector<ValType>& out, size_t limit) {
  Node n = source_.node(t);
  auto push = [&](ValType v) {
    out.push_back(v);
    return out.size() <= limit;
  };
  switch (n.kind) {
    case Kind::S64:
    case Kind::U64: return push(ValType::I64);
    case Kind::F32: return push(ValType::F32);
    case Kind::F64: return push(ValType::F64);
    case Kind::String:
    case Kind::List:
    case Kind::Map: return push(ptr_valtype(p)) && push(ptr_valtype(p));
    case Kind::Record:
    case Kind::Tuple:
      for (TypeRef f : n.children)
        if (!flatten(f, p, out, limit)) return false;
      return true;
    case Kind::FixedList: {
      size_t start = out.size();
      if (!flatten(n.children[0], p, out, limit)) return false;
      size_t per = out.size() - start;
      for (uint32_t i = 1; i < n.count; ++i) {
        for (size_t k = 0; k < per; ++k) {
          if (!push(out[start + k])) return false;
        }
        if (per == 0) break;
      }
      return true;
    }
    case Kind::Variant:
    case Kind::Enum:
    case Kind::Option:
    case Kind::Result: {
      Cases c = cases_of(n);
      return flatten_variant(c.payloads, c.count, p, out, limit);
    }
    case Kind::Flags:
      for (uint32_t i = 0; i < flags_flat_count(n.count); ++i)
        if (!push(ValType::I32)) return false;
      return true;
    default: return push(ValType::I32);
  }
}

bool Engine::flatten_all(std::span<const TypeRef> ts, PtrType p, std::vector<ValType>& out, size_t limit) {
  for (TypeRef t : ts)
    if (!flatten(t, p, out, limit)) return false;
  return true;
}

CoreSignature Engine::signature(std::span<const TypeRef> params, std::optional<TypeRef> result,
                                const SignatureOptions& opts, Context context) {
  CoreSignature sig;
  auto& ps = sig.type.params;
  auto& rs = sig.type.results;
  const ValType ptr = ptr_valtype(opts.memory);
  bool params_fit = flatten_all(params, opts.memory, ps, kMaxFlatParams);
  std::vector<ValType> results;
  bool results_fit = true;
  if (result) results_fit = flatten(*result, opts.memory, results, kMaxFlatParams);
  if (!opts.async) {
    if (!params_fit) {
      ps = {ptr};
      sig.params_indirect = true;
    }
    if (!results_fit || results.size() > kMaxFlatResults) {
      sig.results_indirect = true;
      if (context == Context::Lift) {
        rs = {ptr};
      } else {
        ps.push_back(ptr);
      }
    } else {
      rs = results;
    }
    return sig;
  }
  if (context == Context::Lift) {
    if (!params_fit) {
      ps = {ptr};
      sig.params_indirect = true;
    }
    if (opts.callback) rs = {ValType::I32};
    return sig;
  }
  if (!params_fit || ps.size() > kMaxFlatAsyncParams) {
    ps = {ptr};
    sig.params_indirect = true;
  }
  if (result && (!results.empty() || !results_fit)) {
    ps.push_back(ptr);
    sig.results_indirect = true;
  }
  rs = {ValType::I32};
  return sig;
}

bool Engine::contains_list_or_string(TypeRef t) {
  if (auto it = lists_.find(t); it != lists_.end()) return it->second;
  Node n = source_.node(t);
  bool r = false;
  switch (n.kind) {
    case Kind::String:
    case Kind::List:
    case Kind::Map: r = true; break;
    case Kind::Stream:
    case Kind::Future:
    case Kind::Own:
    case Kind::Borrow: r = false; break;
    default:
      for (TypeRef c : n.children)
        if (c != kNone && contains_list_or_string(c)) r = true;
  }
  lists_.emplace(t, r);
  return r;
}

}  // namespace witc::abi
