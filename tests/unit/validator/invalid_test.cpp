// Invalid modules: well-formed binaries that validation rejects (core spec 3).
// Every case asserts the exact message and the exact offset.
#include <functional>

#include "check.h"

using namespace witc;
using namespace witc::test;
using bin::Features;

namespace {

struct Fn {
  Bytes bin;
  uint64_t code;  // offset of the first instruction of the function under test
};

// A module whose first defined function has type params -> results and body
// `code`; `setup` adds whatever else the case needs (memories, tables, ...).
Fn fn(Bytes params, Bytes results, Bytes code, const std::function<void(ModuleBuilder&)>& setup = {},
      std::vector<std::pair<uint32_t, uint8_t>> locals = {}) {
  ModuleBuilder b;
  uint32_t t = b.type(std::move(params), std::move(results));
  if (setup) setup(b);
  b.func(t, std::move(code), std::move(locals));
  Bytes bin = b.build();
  return {bin, b.code_offset(0)};
}

Bytes v128_zero() {
  Bytes b(18, 0);  // v128.const with 16 zero bytes
  b[0] = op::prefix_fd;
  b[1] = 0x0c;
  return b;
}

}  // namespace

TEST_CASE("invalid: operand typing") {
  auto f = fn({}, {}, {op::i32_const, 0, op::i64_const, 0, op::i32_add, op::drop, op::end});
  CHECK_INVALID("type mismatch in i32.add: expected i32, found i64", f.code + 4, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::i32_add, op::drop, op::end});
  CHECK_INVALID("type mismatch in i32.add: expected i32, but the stack is empty", f.code + 2, f.bin);
  f = fn({}, {vt::i32}, {op::i64_const, 0, op::end});
  CHECK_INVALID("type mismatch in end: expected i32, found i64", f.code + 2, f.bin);
  f = fn({}, {vt::i32}, {op::end});
  CHECK_INVALID("type mismatch in end: expected i32, but the stack is empty", f.code, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::end});
  CHECK_INVALID("type mismatch in end: 1 value(s) left on the stack, expected []", f.code + 2, f.bin);
  f = fn({}, {}, {op::f32_const, 0, 0, 0, 0, op::i32_eqz, op::drop, op::end});
  CHECK_INVALID("type mismatch in i32.eqz: expected i32, found f32", f.code + 5, f.bin);
}

TEST_CASE("invalid: unreachable code keeps concrete operands") {
  // After `unreachable` the stack is polymorphic, but pushed values are typed.
  auto f = fn({}, {}, {op::unreachable, op::i32_add, op::drop, op::end});
  CHECK_VALID(f.bin);
  f = fn({}, {}, {op::unreachable, op::i64_const, 0, op::i32_add, op::drop, op::end});
  CHECK_INVALID("type mismatch in i32.add: expected i32, found i64", f.code + 3, f.bin);
  f = fn({}, {vt::i32}, {op::unreachable, op::end});
  CHECK_VALID(f.bin);
  f = fn({}, {}, {op::br, 0, op::i32_const, 0, op::end});
  CHECK_INVALID("type mismatch in end: 1 value(s) left on the stack, expected []", f.code + 4, f.bin);
}

TEST_CASE("invalid: blocks") {
  // block (param i32) (result i32) fed an i64.
  auto f = fn({}, {}, {op::i64_const, 0, op::block, 0x01, op::end, op::drop, op::end},
              [](ModuleBuilder& b) { b.type({vt::i32}, {vt::i32}); });
  CHECK_INVALID("type mismatch in block: expected i32, found i64", f.code + 2, f.bin);
  f = fn({}, {}, {op::block, 0x05, op::end, op::end});
  CHECK_INVALID("unknown type 5", f.code, f.bin);
  f = fn({}, {}, {op::i32_const, 1, op::if_, vt::i32, op::i32_const, 0, op::end, op::drop, op::end});
  CHECK_INVALID("type mismatch in if without else: parameters [] differ from results [i32]", f.code + 6, f.bin);
  f = fn({}, {}, {op::else_, op::end});
  CHECK_INVALID("else without matching if", f.code, f.bin);
  f = fn({}, {}, {op::i64_const, 0, op::if_, vt::empty, op::end, op::end});
  CHECK_INVALID("type mismatch in if: expected i32, found i64", f.code + 2, f.bin);
  f = fn({}, {}, {op::i32_const, 1, op::if_, vt::i32, op::i32_const, 0, op::else_, op::end, op::drop, op::end});
  CHECK_INVALID("type mismatch in end: expected i32, but the stack is empty", f.code + 7, f.bin);
  // A loop label carries the loop's parameters.
  f = fn({}, {}, {op::i32_const, 0, op::loop, 0x01, op::br, 0, op::end, op::end},
         [](ModuleBuilder& b) { b.type({vt::i32}, {}); });
  CHECK_VALID(f.bin);
}

TEST_CASE("invalid: branches") {
  auto f = fn({}, {}, {op::br, 1, op::end});
  CHECK_INVALID("unknown label 1", f.code, f.bin);
  f = fn({}, {vt::i32}, {op::i64_const, 0, op::br, 0, op::end});
  CHECK_INVALID("type mismatch in br: expected i32, found i64", f.code + 2, f.bin);
  f = fn({}, {}, {op::br_if, 0, op::end});
  CHECK_INVALID("type mismatch in br_if: expected i32, but the stack is empty", f.code, f.bin);
  f = fn({}, {}, {op::block, vt::i32, op::i32_const, 0, op::i32_const, 0, op::br_table, 1, 1, 0,
                  op::end, op::drop, op::end});
  CHECK_INVALID("type mismatch in br_table: label 1 carries 0 value(s), the default 1", f.code + 6, f.bin);
  f = fn({}, {}, {op::block, vt::i32, op::i64_const, 0, op::i32_const, 0, op::br_table, 0, 0, op::end,
                  op::drop, op::end});
  CHECK_INVALID("type mismatch in br_table: expected i32, found i64", f.code + 6, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::br_table, 0, 2, op::end});
  CHECK_INVALID("unknown label 2", f.code + 2, f.bin);
  f = fn({}, {vt::f32}, {op::i32_const, 0, op::return_, op::end});
  CHECK_INVALID("type mismatch in return: expected f32, found i32", f.code + 2, f.bin);
}

TEST_CASE("invalid: variables") {
  auto f = fn({vt::i32}, {}, {op::local_get, 1, op::drop, op::end});
  CHECK_INVALID("unknown local 1", f.code, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::local_set, 0, op::end}, {}, {{1, vt::i64}});
  CHECK_INVALID("type mismatch in local.set: expected i64, found i32", f.code + 2, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::global_set, 0, op::end},
         [](ModuleBuilder& b) { b.global(vt::i32, false, {op::i32_const, 0, op::end}); });
  CHECK_INVALID("global is immutable", f.code + 2, f.bin);
  f = fn({}, {}, {op::global_get, 3, op::drop, op::end});
  CHECK_INVALID("unknown global 3", f.code, f.bin);
  f = fn({}, {}, {op::f32_const, 0, 0, 0, 0, op::global_set, 0, op::end},
         [](ModuleBuilder& b) { b.global(vt::i32, true, {op::i32_const, 0, op::end}); });
  CHECK_INVALID("type mismatch in global.set: expected i32, found f32", f.code + 5, f.bin);
}

TEST_CASE("invalid: select") {
  auto f = fn({}, {}, {op::i32_const, 0, op::i64_const, 0, op::i32_const, 1, op::select, op::drop, op::end});
  CHECK_INVALID("type mismatch in select: operands i32 and i64 differ", f.code + 6, f.bin);
  f = fn({}, {}, {op::ref_null, vt::funcref, op::ref_null, vt::funcref, op::i32_const, 1, op::select,
                  op::drop, op::end});
  CHECK_INVALID("type mismatch in select: reference operands need a select with a type", f.code + 6, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::i32_const, 0, op::i32_const, 1, op::select_t, 2, vt::i32, vt::i32,
                  op::drop, op::end});
  CHECK_INVALID("invalid result arity", f.code + 6, f.bin);
  f = fn({}, {}, {op::ref_null, vt::funcref, op::ref_null, vt::funcref, op::i32_const, 1, op::select_t, 1,
                  vt::funcref, op::drop, op::end});
  CHECK_VALID(f.bin);
}

TEST_CASE("invalid: calls") {
  auto f = fn({}, {}, {op::call, 5, op::end});
  CHECK_INVALID("unknown function 5", f.code, f.bin);
  ModuleBuilder b;
  uint32_t takes_i32 = b.type({vt::i32}, {});
  uint32_t none = b.type({}, {});
  b.func(takes_i32, {op::end});
  b.func(none, {op::f32_const, 0, 0, 0, 0, op::call, 0, op::end});
  Bytes bin = b.build();
  CHECK_INVALID("type mismatch in call: expected i32, found f32", b.code_offset(1) + 5, bin);
  f = fn({}, {}, {op::i32_const, 0, op::call_indirect, 0, 0, op::end});
  CHECK_INVALID("unknown table 0", f.code + 2, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::call_indirect, 7, 0, op::end},
         [](ModuleBuilder& m) { m.table(vt::funcref, limits(1)); });
  CHECK_INVALID("unknown type 7", f.code + 2, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::call_indirect, 0, 0, op::end},
         [](ModuleBuilder& m) { m.table(vt::externref, limits(1)); });
  CHECK_INVALID("type mismatch in call_indirect: table 0 holds externref, not funcref", f.code + 2, f.bin);
  // return_call needs the callee's results to be the caller's.
  f = fn({}, {vt::i32}, {op::return_call, 0, op::end},
         [](ModuleBuilder& m) { m.import_func("m", "f", m.type({}, {vt::i64})); });
  CHECK_INVALID("type mismatch in return_call: the callee returns [i64], the function [i32]", f.code, f.bin);
}

TEST_CASE("invalid: memory instructions") {
  auto mem = [](ModuleBuilder& b) { b.memory(limits(1)); };
  auto f = fn({}, {}, {op::i32_const, 0, op::i32_load, 3, 0, op::drop, op::end}, mem);
  CHECK_INVALID("alignment must not be larger than natural", f.code + 2, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::i64_load, 3, 0, op::drop, op::end}, mem);
  CHECK_VALID(f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::i32_load8_u, 1, 0, op::drop, op::end}, mem);
  CHECK_INVALID("alignment must not be larger than natural", f.code + 2, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::i32_load, 2, 0, op::drop, op::end});
  CHECK_INVALID("unknown memory 0", f.code + 2, f.bin);
  f = fn({}, {}, {op::i64_const, 0, op::i32_const, 0, op::i32_store, 2, 0, op::end}, mem);
  CHECK_INVALID("type mismatch in i32.store: expected i32, found i64", f.code + 4, f.bin);
  f = fn({}, {}, {op::memory_size, 0, op::drop, op::end});
  CHECK_INVALID("unknown memory 0", f.code, f.bin);
  // memory.init and data.drop need the data count section.
  f = fn({}, {}, {op::i32_const, 0, op::i32_const, 0, op::i32_const, 0, op::prefix_fc, 8, 0, 0, op::end},
         [](ModuleBuilder& b) { b.memory(limits(1)); b.data({0x01, 0x00}); });
  CHECK_INVALID("data count section required", f.code + 6, f.bin);
  f = fn({}, {}, {op::prefix_fc, 9, 1, op::end}, [](ModuleBuilder& b) {
    b.data_count(1);
    b.data({0x01, 0x00});
  });
  CHECK_INVALID("unknown data segment 1", f.code, f.bin);
  // memory64: the offset of a 32-bit memory must fit in 32 bits, the
  // address of a 64-bit memory is an i64.
  f = fn({}, {}, Bytes{op::i32_const, 0, op::i32_load, 2} + uleb(uint64_t{1} << 32) + Bytes{op::drop, op::end}, mem);
  CHECK_INVALID("offset out of range: must be at most 2^32-1 for a 32-bit memory", f.code + 2, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::i32_load, 2, 0, op::drop, op::end},
         [](ModuleBuilder& b) { b.memory({0x04, 0x01}); });
  CHECK_INVALID("type mismatch in i32.load: expected i64, found i32", f.code + 2, f.bin);
}

TEST_CASE("invalid: tables and references") {
  auto table = [](ModuleBuilder& b) { b.table(vt::funcref, limits(1)); };
  Bytes three_zeros = {op::i32_const, 0, op::i32_const, 0, op::i32_const, 0};
  auto f = fn({}, {}, three_zeros + Bytes{op::prefix_fc, 12, 0, 0, op::end}, table);
  CHECK_INVALID("unknown elem segment 0", f.code + 6, f.bin);
  f = fn({}, {}, three_zeros + Bytes{op::prefix_fc, 12, 0, 0, op::end}, [](ModuleBuilder& b) {
    b.table(vt::funcref, limits(1));
    b.elem({0x05, vt::externref, 0x01, op::ref_null, vt::externref, op::end});  // passive externref
  });
  CHECK_INVALID("type mismatch in table.init: segment of externref, table of funcref", f.code + 6, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::table_get, 1, op::drop, op::end}, table);
  CHECK_INVALID("unknown table 1", f.code + 2, f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::ref_null, vt::externref, op::table_set, 0, op::end}, table);
  CHECK_INVALID("type mismatch in table.set: expected funcref, found externref", f.code + 4, f.bin);
  f = fn({}, {}, {op::ref_func, 0, op::drop, op::end});
  CHECK_INVALID("undeclared function reference", f.code, f.bin);
  f = fn({}, {}, {op::ref_func, 0, op::drop, op::end}, [](ModuleBuilder& b) { b.export_("f", 0, 0); });
  CHECK_VALID(f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::ref_is_null, op::drop, op::end});
  CHECK_INVALID("type mismatch in ref.is_null: expected a reference, found i32", f.code + 2, f.bin);
  f = fn({}, {vt::i32}, {op::ref_null, vt::funcref, op::end});
  CHECK_INVALID("type mismatch in end: expected i32, found funcref", f.code + 2, f.bin);
}

TEST_CASE("invalid: SIMD lanes") {
  auto f = fn({}, {}, v128_zero() + Bytes{op::prefix_fd, 0x15, 16, op::drop, op::end});
  CHECK_INVALID("invalid lane index", f.code + 18, f.bin);
  f = fn({}, {}, v128_zero() + Bytes{op::prefix_fd, 0x15, 15, op::drop, op::end});
  CHECK_VALID(f.bin);
  Bytes lanes(16, 0);
  lanes[7] = 32;
  f = fn({}, {}, v128_zero() + v128_zero() + Bytes{op::prefix_fd, 0x0d} + lanes + Bytes{op::drop, op::end});
  CHECK_INVALID("invalid lane index", f.code + 36, f.bin);
  f = fn({}, {}, v128_zero() + Bytes{op::prefix_fd, 0x1d, 2, op::drop, op::end});  // i64x2.extract_lane 2
  CHECK_INVALID("invalid lane index", f.code + 18, f.bin);
}

TEST_CASE("invalid: exception handling") {
  auto tag_i32 = [](ModuleBuilder& b) { b.tag(b.type({vt::i32}, {})); };
  auto f = fn({}, {}, {op::throw_, 0, op::end});
  CHECK_INVALID("unknown tag 0", f.code, f.bin);
  f = fn({}, {}, {op::throw_, 0, op::end}, tag_i32);
  CHECK_INVALID("type mismatch in throw: expected i32, but the stack is empty", f.code, f.bin);
  // catch $tag 0: the function's label carries [], the tag [i32].
  f = fn({}, {}, {op::try_table, vt::empty, 1, 0x00, 0, 0, op::end, op::end}, tag_i32);
  CHECK_INVALID("type mismatch in catch clause: label 0 expects []", f.code, f.bin);
  f = fn({}, {}, {op::block, vt::i32, op::try_table, vt::empty, 1, 0x00, 0, 0, op::end, op::unreachable,
                  op::end, op::drop, op::end},
         tag_i32);
  CHECK_VALID(f.bin);
  f = fn({}, {}, {op::i32_const, 0, op::throw_ref, op::end});
  CHECK_INVALID("type mismatch in throw_ref: expected exnref, found i32", f.code + 2, f.bin);
}

TEST_CASE("invalid: exports and start") {
  ModuleBuilder b;
  b.func(b.type({}, {}), {op::end});
  b.export_("f", 0, 0);
  b.export_("f", 0, 0);
  Bytes bin = b.build();
  CHECK_INVALID("duplicate export name \"f\"", b.section_offset(sec::export_) + 7, bin);

  ModuleBuilder c;
  c.export_("f", 0, 3);
  bin = c.build();
  CHECK_INVALID("unknown function 3", c.section_offset(sec::export_) + 3, bin);
  ModuleBuilder d;
  d.export_("m", 2, 0);
  bin = d.build();
  CHECK_INVALID("unknown memory 0", d.section_offset(sec::export_) + 3, bin);

  ModuleBuilder e;
  e.func(e.type({vt::i32}, {}), {op::end});
  e.start(0);
  bin = e.build();
  CHECK_INVALID("start function must have type [] -> []", e.section_offset(sec::start), bin);
  ModuleBuilder g;
  g.start(5);
  bin = g.build();
  CHECK_INVALID("unknown function 5", g.section_offset(sec::start), bin);
}

TEST_CASE("invalid: limits and index spaces") {
  ModuleBuilder b;
  b.memory(limits(1));
  b.memory(limits(1));
  Bytes bin = b.build();
  CHECK_INVALID_F(Features::wasm2(), "multiple memories", b.section_offset(sec::memory) + 5, bin);
  CHECK_VALID(bin);  // multi-memory
  ModuleBuilder c;
  c.memory(limits(65537));
  bin = c.build();
  CHECK_INVALID("memory size must be at most 65536 pages (4GiB)", c.section_offset(sec::memory) + 3, bin);
  ModuleBuilder d;
  d.memory(limits(2, 1));
  bin = d.build();
  CHECK_INVALID("size minimum must not be greater than maximum", d.section_offset(sec::memory) + 3, bin);
  ModuleBuilder e;
  e.table(vt::funcref, limits(5, 4));
  bin = e.build();
  CHECK_INVALID("size minimum must not be greater than maximum", e.section_offset(sec::table) + 3, bin);
  ModuleBuilder g;
  g.table(vt::funcref, limits(1));
  g.table(vt::funcref, limits(1));
  bin = g.build();
  CHECK_INVALID_F(Features::wasm1(), "multiple tables", g.section_offset(sec::table) + 6, bin);
  ModuleBuilder h;
  h.import_func("m", "f", 3);
  bin = h.build();
  CHECK_INVALID("unknown type 3", h.section_offset(sec::import) + 3, bin);
  ModuleBuilder k;
  k.type({}, {vt::i32, vt::i32});
  bin = k.build();
  CHECK_INVALID_F(Features::wasm1(), "a function type with several results requires the multi-value feature",
                  k.section_offset(sec::type) + 3, bin);
  ModuleBuilder t;
  t.tag(t.type({}, {vt::i32}));
  bin = t.build();
  CHECK_INVALID("tag types must not have results", t.section_offset(sec::tag) + 3, bin);
  ModuleBuilder mg;
  mg.import_global("m", "g", vt::i32, true);
  bin = mg.build();
  CHECK_INVALID_F(Features::none(), "importing a mutable global requires the mutable-global feature",
                  mg.section_offset(sec::import) + 3, bin);
}

TEST_CASE("invalid: constant expressions") {
  ModuleBuilder b;
  b.global(vt::i32, false, {op::i32_const, 1, op::i32_const, 2, op::i32_add, op::end});
  Bytes bin = b.build();
  CHECK_INVALID_F(Features::wasm2(), "constant expression required", b.section_offset(sec::global) + 9, bin);
  CHECK_VALID(bin);  // extended-const
  ModuleBuilder c;
  c.global(vt::i32, false, {op::i64_const, 0, op::end});
  bin = c.build();
  CHECK_INVALID("type mismatch in constant expression: expected [i32], found [i64]",
                c.section_offset(sec::global) + 7, bin);
  ModuleBuilder d;
  d.global(vt::i32, false, {op::i32_const, 0, op::end});
  d.global(vt::i32, false, {op::global_get, 0, op::end});
  bin = d.build();
  CHECK_INVALID("unknown global 0", d.section_offset(sec::global) + 10, bin);
  ModuleBuilder e;
  e.import_global("m", "g", vt::i32, true);
  e.global(vt::i32, false, {op::global_get, 0, op::end});
  bin = e.build();
  CHECK_INVALID("constant expression required", e.section_offset(sec::global) + 5, bin);
  ModuleBuilder g;
  g.global(vt::i32, false, {op::nop, op::i32_const, 0, op::end});
  bin = g.build();
  CHECK_INVALID("constant expression required", g.section_offset(sec::global) + 5, bin);
  ModuleBuilder h;
  h.global(vt::i32, false, {op::end});
  bin = h.build();
  CHECK_INVALID("type mismatch in constant expression: expected [i32], found []",
                h.section_offset(sec::global) + 5, bin);
}

TEST_CASE("invalid: element and data segments") {
  ModuleBuilder b;
  b.data({0x00, op::i32_const, 0, op::end, 0x00});
  Bytes bin = b.build();
  CHECK_INVALID("unknown memory 0", b.section_offset(sec::data) + 3, bin);
  ModuleBuilder c;
  c.memory(limits(1));
  c.data({0x00, op::i64_const, 0, op::end, 0x00});
  bin = c.build();
  CHECK_INVALID("type mismatch in constant expression: expected [i32], found [i64]",
                c.section_offset(sec::data) + 6, bin);
  ModuleBuilder d;
  d.func(d.type({}, {}), {op::end});
  d.elem({0x00, op::i32_const, 0, op::end, 0x01, 0x00});
  bin = d.build();
  CHECK_INVALID("unknown table 0", d.section_offset(sec::elem) + 3, bin);
  ModuleBuilder e;
  e.table(vt::funcref, limits(1));
  e.elem({0x00, op::i32_const, 0, op::end, 0x01, 0x09});
  bin = e.build();
  CHECK_INVALID("unknown function 9", e.section_offset(sec::elem) + 3, bin);
  ModuleBuilder g;
  g.func(g.type({}, {}), {op::end});
  g.table(vt::externref, limits(1));
  g.elem({0x00, op::i32_const, 0, op::end, 0x01, 0x00});
  bin = g.build();
  CHECK_INVALID("type mismatch: element segment of funcref for a table of externref",
                g.section_offset(sec::elem) + 3, bin);
  ModuleBuilder h;
  h.elem({0x05, vt::funcref, 0x01, op::ref_null, vt::externref, op::end});
  bin = h.build();
  CHECK_INVALID("type mismatch in constant expression: expected [funcref], found [externref]",
                h.section_offset(sec::elem) + 8, bin);
}

TEST_CASE("invalid: implementation limits of a body") {
  // One function frame plus 999,999 blocks is the deepest nesting accepted.
  Bytes code;
  for (int i = 0; i < 999'999; ++i) code += Bytes{op::block, vt::empty};
  for (int i = 0; i < 999'999; ++i) code.push_back(op::end);
  code.push_back(op::end);
  auto f = fn({}, {}, code);
  CHECK_VALID(f.bin);
  Bytes deeper = Bytes{op::block, vt::empty} + code + Bytes{op::end};
  f = fn({}, {}, deeper);
  CHECK_INVALID("control frames nested too deeply (the limit is 1000000)", f.code + 2 * 999'999, f.bin);
  // A body larger than 7,654,321 bytes is refused when its size is read.
  ModuleBuilder b;
  b.type({}, {});
  b.raw_section(sec::function, {0x01, 0x00});
  Bytes body(7'654'322, op::nop);
  body[0] = 0x00;
  body.back() = op::end;
  b.raw_section(sec::code, Bytes{0x01} + uleb(body.size()) + body);
  Bytes bin = b.build();
  // id, a 4-byte section size, the count: the body size is at +6.
  CHECK_INVALID("function body too large (7654322 bytes)", b.section_offset(sec::code) + 6, bin);
}
