// Malformed binaries: what the binary format itself rejects (core spec 5).
// Every case asserts the exact message and the exact offset.
#include "check.h"

using namespace witc;
using namespace witc::test;
using bin::Features;

namespace {

// A module with one function () -> () whose body is `code` (+ locals).
struct OneFunc {
  Bytes bin;
  uint64_t code;  // offset of the first instruction
};
OneFunc one_func(Bytes code, std::vector<std::pair<uint32_t, uint8_t>> locals = {},
                 bool with_memory = false, Bytes params = {}) {
  ModuleBuilder b;
  uint32_t t = b.type(std::move(params), {});
  if (with_memory) b.memory(limits(1));
  b.func(t, std::move(code), std::move(locals));
  Bytes bin = b.build();
  return {bin, b.code_offset(0)};
}

}  // namespace

TEST_CASE("malformed: preamble") {
  CHECK_INVALID("unexpected end", 0, Bytes{});
  CHECK_INVALID("unexpected end", 3, (Bytes{0x00, 0x61, 0x73}));
  CHECK_INVALID("magic header not detected", 0, (Bytes{'a', 's', 'm', 0x00}));
  CHECK_INVALID("unexpected end", 7, (Bytes{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00}));
  CHECK_INVALID("unknown binary version:        0x2", 4, (Bytes{0x00, 'a', 's', 'm', 0x02, 0x00, 0x00, 0x00}));
  // A component preamble is not a core module.
  CHECK_INVALID("unknown binary version:    0x1000d", 4, (Bytes{0x00, 'a', 's', 'm', 0x0d, 0x00, 0x01, 0x00}));
}

TEST_CASE("malformed: section framing") {
  CHECK_INVALID("malformed section id", 8, preamble() + Bytes{0x0e, 0x00});
  CHECK_INVALID_F(Features::wasm2(), "malformed section id", 8, preamble() + Bytes{0x0d, 0x00});
  // With exception handling, 13 is the tag section: its count is missing.
  CHECK_INVALID("unexpected end of section or function", 10, preamble() + Bytes{0x0d, 0x00});
  CHECK_INVALID("length out of bounds", 8, preamble() + Bytes{0x01, 0x05, 0x00});
  CHECK_INVALID("section size mismatch", 11, preamble() + Bytes{0x01, 0x02, 0x00, 0x00});
  CHECK_INVALID("integer representation too long", 9, preamble() + Bytes{0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  // Five bytes are allowed for a u32: this is an empty type section.
  CHECK_INVALID("unexpected end of section or function", 14, preamble() + Bytes{0x01, 0x80, 0x80, 0x80, 0x80, 0x00});
  // Out of order, duplicated, and data count after code.
  CHECK_INVALID("unexpected content after last section", 11, preamble() + section(3, {0}) + section(1, {0}));
  CHECK_INVALID("unexpected content after last section", 11, preamble() + section(1, {0}) + section(1, {0}));
  CHECK_INVALID("unexpected content after last section", 11, preamble() + section(10, {0}) + section(12, {0}));
}

TEST_CASE("malformed: counts that disagree between sections") {
  Bytes funcs_without_code = preamble() + section(1, vec({{0x60, 0, 0}})) + section(3, {1, 0});
  CHECK_INVALID("function and code section have inconsistent lengths", funcs_without_code.size(), funcs_without_code);
  Bytes count_without_data = preamble() + section(12, {1});
  CHECK_INVALID("data count and data section have inconsistent lengths", 11, count_without_data);
  // A count beyond the implementation limit is refused before anything is allocated.
  CHECK_INVALID("too many types (2000000; the limit is 1000000)", 10, preamble() + section(1, uleb(2'000'000)));
}

TEST_CASE("malformed: LEB128") {
  // Unsigned: one byte too many, then unused bits set.
  CHECK_INVALID("integer representation too long", 12, preamble() + Bytes{0x05, 0x08, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x80, 0x00});
  CHECK_INVALID("integer too large", 12, preamble() + Bytes{0x05, 0x07, 0x01, 0x00, 0x82, 0x80, 0x80, 0x80, 0x70});
  // Signed i32: one byte too many; sign bits not copied into the unused bits.
  CHECK_INVALID("integer representation too long", 14, preamble() + Bytes{0x06, 0x0b, 0x01, 0x7f, 0x00, 0x41, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b});
  CHECK_INVALID("integer too large", 14, preamble() + Bytes{0x06, 0x0a, 0x01, 0x7f, 0x00, 0x41, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x0b});
  // Signed i64: the tenth byte may only be 0x00 or 0x7f.
  CHECK_INVALID("integer too large", 14, preamble() + Bytes{0x06, 0x0f, 0x01, 0x7e, 0x00, 0x42, 0x80, 0x80, 0x80, 0x80, 0x80,
                                   0x80, 0x80, 0x80, 0x80, 0x7e, 0x0b});
  // The section ends inside a LEB128.
  CHECK_INVALID("unexpected end of section or function", 13, preamble() + Bytes{0x05, 0x03, 0x01, 0x00, 0x80});
}

TEST_CASE("malformed: names") {
  ModuleBuilder b;
  b.func(b.type({}, {}), {op::end});
  b.export_("\xff", 0, 0);
  Bytes bin = b.build();
  CHECK_INVALID("malformed UTF-8 encoding", b.section_offset(sec::export_) + 4, bin);
  // Overlong encoding and a surrogate.
  CHECK_INVALID("malformed UTF-8 encoding", 11, preamble() + section(0, name("\xc0\x80")));
  CHECK_INVALID("malformed UTF-8 encoding", 12, preamble() + section(2, Bytes{1} + name("\xed\xa0\x80") + name("x") + Bytes{0, 0}));
  // A name longer than its section.
  CHECK_INVALID("length out of bounds", 11, preamble() + section(7, {0x01, 0x05, 'a'}));
}

TEST_CASE("malformed: kinds, forms and flags") {
  CHECK_INVALID("malformed import kind", 13, preamble() + section(2, {0x01, 0x00, 0x00, 0x05}));
  CHECK_INVALID_F(Features::wasm2(), "malformed import kind", 13, preamble() + section(2, {0x01, 0x00, 0x00, 0x04, 0x00, 0x00}));
  CHECK_INVALID("malformed export kind", 12, preamble() + section(7, {0x01, 0x00, 0x05, 0x00}));
  CHECK_INVALID("malformed function type form 0x61", 11, preamble() + section(1, {0x01, 0x61, 0x00, 0x00}));
  CHECK_INVALID("malformed value type", 13, preamble() + section(1, {0x01, 0x60, 0x01, 0x7a, 0x00}));
  CHECK_INVALID("malformed mutability", 12, preamble() + section(6, {0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b}));
  CHECK_INVALID_F(Features::wasm2(), "integer too large", 11, preamble() + section(5, {0x01, 0x02, 0x00}));
  CHECK_INVALID("malformed limits flags", 11, preamble() + section(5, {0x01, 0x02, 0x00}));
  CHECK_INVALID("integer representation too long", 11, preamble() + section(5, {0x01, 0x81, 0x00, 0x00}));
  CHECK_INVALID("malformed elements segment kind", 11, preamble() + section(9, {0x01, 0x08}));
  CHECK_INVALID("malformed elements segment kind", 12, preamble() + section(9, {0x01, 0x01, 0x01, 0x00}));
  CHECK_INVALID("malformed reference type", 12, preamble() + section(9, {0x01, 0x05, 0x7f, 0x00}));
  CHECK_INVALID("malformed data segment kind", 11, preamble() + section(11, {0x01, 0x03}));
  CHECK_INVALID("malformed tag attribute", 17, preamble() + section(1, {0x01, 0x60, 0x00, 0x00}) + section(13, {0x01, 0x01, 0x00}));
}

TEST_CASE("malformed: lengths inside sections") {
  // Data bytes and a function body that run past their section.
  CHECK_INVALID("unexpected end of section or function", 14, preamble() + section(11, {0x01, 0x01, 0x05, 'a'}));
  ModuleBuilder b;
  b.type({}, {});
  b.raw_section(sec::function, {0x01, 0x00});
  b.raw_section(sec::code, {0x01, 0x05, 0x00, 0x0b});
  Bytes bin = b.build();
  CHECK_INVALID("unexpected end of section or function", bin.size(), bin);
}

TEST_CASE("malformed: opcodes and immediates") {
  auto f = one_func({0x06, op::end});
  CHECK_INVALID("illegal opcode 0x06", f.code, f.bin);
  f = one_func({op::prefix_fc, 0x20, op::end});
  CHECK_INVALID("illegal opcode 0xfc 0x20", f.code, f.bin);
  f = one_func({op::prefix_fd, 0x9a, 0x01, op::end});  // 154: reserved
  CHECK_INVALID("illegal opcode 0xfd 0x9a", f.code, f.bin);
  f = one_func({op::i32_const, 0x00, op::memory_grow, 0x01, op::drop, op::end}, {}, true);
  CHECK_INVALID_F(Features::wasm2(), "zero byte expected", f.code + 3, f.bin);
  f = one_func({op::memory_size, 0x80, 0x00, op::drop, op::end}, {}, true);
  CHECK_INVALID_F(Features::wasm2(), "zero byte expected", f.code + 1, f.bin);
  // Without reference types the table index of call_indirect is a zero byte.
  f = one_func({op::i32_const, 0x00, op::call_indirect, 0x00, 0x01, op::end});
  CHECK_INVALID_F(Features::wasm1(), "zero byte expected", f.code + 4, f.bin);
  f = one_func({op::block, 0x80, 0x7f, op::end, op::end});
  CHECK_INVALID("malformed block type", f.code + 1, f.bin);
  f = one_func({op::block, 0x00, op::end, op::end});
  CHECK_INVALID_F(Features::wasm1(), "a block type index requires the multi-value feature", f.code + 1, f.bin);
  f = one_func({op::i32_const, 0x00, op::br_table, 0xff, 0xff, 0xff, 0xff, 0x0f, op::end});
  CHECK_INVALID("too many br_table targets (4294967295; the limit is 7654321)", f.code + 3, f.bin);
  f = one_func({op::f64_const, 0x00, 0x00, 0x00});
  CHECK_INVALID("unexpected end of section or function", f.code + 4, f.bin);
  f = one_func({op::prefix_fd, 0x0c, 0x01, 0x02});  // v128.const cut short
  CHECK_INVALID("unexpected end of section or function", f.code + 4, f.bin);
}

TEST_CASE("malformed: feature-gated encodings") {
  auto f = one_func({op::return_call, 0x00, op::end});
  CHECK_INVALID_F(Features::wasm2(), "return_call requires the tail-call feature", f.code, f.bin);
  f = one_func({op::i32_const, 0x00, 0xc0, op::drop, op::end});
  CHECK_INVALID_F(Features::wasm1(), "i32.extend8_s requires the sign-extension feature", f.code + 2, f.bin);
  f = one_func({op::end}, {{1, vt::v128}});
  CHECK_INVALID_F(Features::wasm1(), "v128 requires the simd feature", f.code - 1, f.bin);
  CHECK_INVALID_F(Features::parse("all,-simd").value(), "v128 requires the simd feature", f.code - 1, f.bin);
}

TEST_CASE("malformed: function bodies") {
  auto f = one_func({op::nop});
  CHECK_INVALID("END opcode expected", f.code + 1, f.bin);
  f = one_func({op::end, op::nop});
  CHECK_INVALID("operators remaining after end of function", f.code + 1, f.bin);
  // 0xffffffff + 2 locals: more than a u32 (and than the implementation limit).
  f = one_func({op::end}, {{0xffffffff, vt::i32}, {2, vt::i64}});
  CHECK_INVALID("too many locals", f.code - 8, f.bin);
  f = one_func({op::end}, {{50'001, vt::i32}});
  CHECK_INVALID("too many locals", f.code - 4, f.bin);
  // Parameters count towards the limit.
  f = one_func({op::end}, {{50'000, vt::i32}}, false, {vt::i32});
  CHECK_INVALID("too many locals", f.code - 4, f.bin);
  f = one_func({op::end}, {{49'999, vt::i32}}, false, {vt::i32});
  CHECK_VALID(f.bin);
}
