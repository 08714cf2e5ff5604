// The Canonical ABI layout and flattening engine against values computed by
// hand from CanonicalABI.md ("Alignment", "Element Size", "Flattening").
#include <doctest/doctest.h>

#include <map>

#include "witc/bin/canonical_abi.h"
#include "witc/bin/component_types.h"

using namespace witc;
using abi::Kind;
using abi::PtrType;
using bin::ValType;

namespace {

// A type graph written directly as engine nodes (the shape a WIT adapter
// would present).
class TestSource final : public abi::TypeSource {
 public:
  abi::TypeRef add(Kind k, std::vector<abi::TypeRef> children = {}, uint32_t count = 0) {
    nodes_.push_back({k, std::move(children), count});
    return static_cast<abi::TypeRef>(nodes_.size() - 1);
  }
  abi::Node node(abi::TypeRef t) const override {
    const auto& n = nodes_.at(t);
    return abi::Node{n.kind, n.children, n.count};
  }

 private:
  struct Stored {
    Kind kind;
    std::vector<abi::TypeRef> children;
    uint32_t count;
  };
  std::vector<Stored> nodes_;
};

using Flat = std::vector<ValType>;
constexpr ValType I32 = ValType::I32, I64 = ValType::I64, F32 = ValType::F32, F64 = ValType::F64;

Flat flat(abi::Engine& e, abi::TypeRef t, PtrType p = PtrType::I32) {
  Flat out;
  e.flatten(t, p, out);
  return out;
}

}  // namespace

TEST_CASE("abi: primitives") {
  TestSource s;
  auto b = s.add(Kind::Bool), u16 = s.add(Kind::U16), s64 = s.add(Kind::S64), f32 = s.add(Kind::F32),
       f64 = s.add(Kind::F64), ch = s.add(Kind::Char), str = s.add(Kind::String), ec = s.add(Kind::ErrorContext);
  abi::Engine e(s);
  CHECK(e.size(b) == 1);
  CHECK(e.alignment(b) == 1);
  CHECK(e.size(u16) == 2);
  CHECK(e.alignment(u16) == 2);
  CHECK(e.size(s64) == 8);
  CHECK(e.alignment(s64) == 8);
  CHECK(e.size(f32) == 4);
  CHECK(e.size(f64) == 8);
  CHECK(e.size(ch) == 4);
  CHECK(e.size(ec) == 4);
  // string: (ptr, len) pairs, pointer-sized.
  CHECK(e.size(str) == 8);
  CHECK(e.alignment(str) == 4);
  CHECK(e.size(str, PtrType::I64) == 16);
  CHECK(e.alignment(str, PtrType::I64) == 8);
  CHECK(flat(e, b) == Flat{I32});
  CHECK(flat(e, s64) == Flat{I64});
  CHECK(flat(e, f32) == Flat{F32});
  CHECK(flat(e, f64) == Flat{F64});
  CHECK(flat(e, ch) == Flat{I32});
  CHECK(flat(e, str) == Flat{I32, I32});
  CHECK(flat(e, str, PtrType::I64) == Flat{I64, I64});
}

TEST_CASE("abi: records and tuples") {
  TestSource s;
  auto u8 = s.add(Kind::U8), u16 = s.add(Kind::U16), u32 = s.add(Kind::U32), u64 = s.add(Kind::U64);
  auto r1 = s.add(Kind::Record, {u8, u32, u16});  // offsets 0, 4, 8; size 10 -> 12
  auto r2 = s.add(Kind::Record, {u8, u64});       // offsets 0, 8; size 16
  auto t = s.add(Kind::Tuple, {u8, u16, u8});     // offsets 0, 2, 4; size 5 -> 6
  abi::Engine e(s);
  CHECK(e.field_offsets(r1) == std::vector<uint64_t>{0, 4, 8});
  CHECK(e.size(r1) == 12);
  CHECK(e.alignment(r1) == 4);
  CHECK(flat(e, r1) == Flat{I32, I32, I32});
  CHECK(e.field_offsets(r2) == std::vector<uint64_t>{0, 8});
  CHECK(e.size(r2) == 16);
  CHECK(e.alignment(r2) == 8);
  CHECK(flat(e, r2) == Flat{I32, I64});
  CHECK(e.field_offsets(t) == std::vector<uint64_t>{0, 2, 4});
  CHECK(e.size(t) == 6);
  CHECK(e.alignment(t) == 2);
}

TEST_CASE("abi: variants, options, results, enums") {
  TestSource s;
  auto u8 = s.add(Kind::U8), u32 = s.add(Kind::U32), u64 = s.add(Kind::U64), f32 = s.add(Kind::F32),
       f64 = s.add(Kind::F64), str = s.add(Kind::String);
  // variant { a, b(u64), c(f32) }: u8 discriminant, payload at 8, size 16.
  auto v = s.add(Kind::Variant, {abi::kNone, u64, f32});
  // variant { a(f32), b(u32) }: join(f32, i32) = i32.
  auto v2 = s.add(Kind::Variant, {f32, u32});
  // variant { a(f32), b(f64) }: join(f32, f64) = i64.
  auto v3 = s.add(Kind::Variant, {f32, f64});
  auto o = s.add(Kind::Option, {u8});
  auto r = s.add(Kind::Result, {u32, str});
  auto r_empty = s.add(Kind::Result, {abi::kNone, abi::kNone});
  auto e256 = s.add(Kind::Enum, {}, 256);
  auto e257 = s.add(Kind::Enum, {}, 257);
  abi::Engine e(s);
  CHECK(e.payload_offset(v) == 8);
  CHECK(e.size(v) == 16);
  CHECK(e.alignment(v) == 8);
  CHECK(flat(e, v) == Flat{I32, I64});
  CHECK(flat(e, v2) == Flat{I32, I32});
  CHECK(flat(e, v3) == Flat{I32, I64});
  CHECK(e.size(o) == 2);
  CHECK(e.alignment(o) == 1);
  CHECK(e.payload_offset(o) == 1);
  CHECK(flat(e, o) == Flat{I32, I32});
  // result<u32, string>: payload at 4, max payload 8 -> 12.
  CHECK(e.payload_offset(r) == 4);
  CHECK(e.size(r) == 12);
  CHECK(e.alignment(r) == 4);
  CHECK(flat(e, r) == Flat{I32, I32, I32});
  CHECK(e.size(r_empty) == 1);
  CHECK(flat(e, r_empty) == Flat{I32});
  CHECK(e.size(e256) == 1);
  CHECK(e.size(e257) == 2);
  CHECK(e.alignment(e257) == 2);
  CHECK(abi::Engine::discriminant_size(1) == 1);
  CHECK(abi::Engine::discriminant_size(65536) == 2);
  CHECK(abi::Engine::discriminant_size(65537) == 4);
}

TEST_CASE("abi: flags, lists, handles, maps") {
  TestSource s;
  auto u16 = s.add(Kind::U16), u8 = s.add(Kind::U8), str = s.add(Kind::String), u32 = s.add(Kind::U32);
  auto f8 = s.add(Kind::Flags, {}, 8), f9 = s.add(Kind::Flags, {}, 9), f17 = s.add(Kind::Flags, {}, 17),
       f32 = s.add(Kind::Flags, {}, 32), f33 = s.add(Kind::Flags, {}, 33), f65 = s.add(Kind::Flags, {}, 65);
  auto l = s.add(Kind::List, {u8});
  auto fl = s.add(Kind::FixedList, {u16}, 3);
  auto own = s.add(Kind::Own), borrow = s.add(Kind::Borrow), stream = s.add(Kind::Stream, {abi::kNone});
  auto m = s.add(Kind::Map, {str, u32});
  abi::Engine e(s);
  CHECK(e.size(f8) == 1);
  CHECK(e.alignment(f8) == 1);
  CHECK(e.size(f9) == 2);
  CHECK(e.alignment(f9) == 2);
  CHECK(e.size(f17) == 4);
  CHECK(e.size(f32) == 4);
  CHECK(flat(e, f32) == Flat{I32});
  // More than 32 flags: one i32 per 32 (the pre-0.2 rule, kept for tools).
  CHECK(e.size(f33) == 8);
  CHECK(e.alignment(f33) == 4);
  CHECK(flat(e, f33) == Flat{I32, I32});
  CHECK(e.size(f65) == 12);
  CHECK(abi::Engine::flags_flat_count(65) == 3);
  CHECK(e.size(l) == 8);
  CHECK(e.alignment(l) == 4);
  CHECK(e.size(l, PtrType::I64) == 16);
  CHECK(flat(e, l) == Flat{I32, I32});
  CHECK(e.size(fl) == 6);
  CHECK(e.alignment(fl) == 2);
  CHECK(flat(e, fl) == Flat{I32, I32, I32});
  CHECK(e.size(own) == 4);
  CHECK(flat(e, borrow) == Flat{I32});
  CHECK(flat(e, stream) == Flat{I32});
  CHECK(e.size(m) == 8);
  CHECK(flat(e, m) == Flat{I32, I32});
  CHECK(e.contains_list_or_string(m));
  CHECK(e.contains_list_or_string(l));
  CHECK_FALSE(e.contains_list_or_string(fl));
}

TEST_CASE("abi: flatten_functype limits") {
  TestSource s;
  auto u32 = s.add(Kind::U32), str = s.add(Kind::String), f64 = s.add(Kind::F64);
  abi::Engine e(s);
  using abi::Context;
  abi::SignatureOptions sync;
  // func(a: u32, b: string) -> string
  std::vector<abi::TypeRef> ps{u32, str};
  auto lift = e.signature(ps, str, sync, Context::Lift);
  CHECK(lift.type.params == Flat{I32, I32, I32});
  CHECK(lift.type.results == Flat{I32});
  CHECK(lift.results_indirect);
  auto lower = e.signature(ps, str, sync, Context::Lower);
  CHECK(lower.type.params == Flat{I32, I32, I32, I32});
  CHECK(lower.type.results.empty());
  // One flat result stays in registers.
  auto one = e.signature(ps, f64, sync, Context::Lower);
  CHECK(one.type.results == Flat{F64});
  CHECK_FALSE(one.results_indirect);
  // 16 flat parameters fit, 17 go through memory.
  std::vector<abi::TypeRef> p16(16, u32), p17(17, u32);
  CHECK(e.signature(p16, std::nullopt, sync, Context::Lift).type.params.size() == 16);
  auto ind = e.signature(p17, std::nullopt, sync, Context::Lift);
  CHECK(ind.type.params == Flat{I32});
  CHECK(ind.params_indirect);
  // async lower: 4 flat parameters, results through a pointer, i32 status.
  abi::SignatureOptions async;
  async.async = true;
  std::vector<abi::TypeRef> p4(4, u32), p5(5, u32);
  CHECK(e.signature(p4, u32, async, Context::Lower).type.params == Flat{I32, I32, I32, I32, I32});
  CHECK(e.signature(p5, u32, async, Context::Lower).type.params == Flat{I32, I32});
  CHECK(e.signature(p5, u32, async, Context::Lower).type.results == Flat{I32});
  CHECK(e.signature(p4, std::nullopt, async, Context::Lower).type.params.size() == 4);
  // async lift: callback returns an i32 code; stackful returns nothing.
  async.callback = true;
  auto cb = e.signature(ps, str, async, Context::Lift);
  CHECK(cb.type.params == Flat{I32, I32, I32});
  CHECK(cb.type.results == Flat{I32});
  async.callback = false;
  CHECK(e.signature(ps, str, async, Context::Lift).type.results.empty());
  // 64-bit memories flatten pointers to i64.
  abi::SignatureOptions m64;
  m64.memory = PtrType::I64;
  auto wide = e.signature(ps, str, m64, Context::Lower);
  CHECK(wide.type.params == Flat{I32, I64, I64, I64});
}

TEST_CASE("abi: component types through ComponentTypeSource") {
  bin::TypeInfo types;
  bin::ValueType rec;
  rec.kind = bin::ValueKind::Record;
  rec.labels = {"a", "b"};
  rec.types = {types.prim(bin::PrimValType::U8), types.prim(bin::PrimValType::String)};
  bin::TypeId r = types.add_value(rec);
  bin::ValueType lst;
  lst.kind = bin::ValueKind::List;
  lst.types = {r};
  bin::TypeId l = types.add_value(lst);
  abi::ComponentTypeSource src(types);
  abi::Engine e(src);
  CHECK(e.size(r.index) == 12);
  CHECK(e.alignment(r.index) == 4);
  CHECK(e.field_offsets(r.index) == std::vector<uint64_t>{0, 4});
  Flat f;
  e.flatten(r.index, PtrType::I32, f);
  CHECK(f == Flat{I32, I32, I32});
  CHECK(e.size(l.index) == 8);
  CHECK(e.contains_list_or_string(r.index));
}
