// Features, the opcode table, LEB128/UTF-8 primitives, error context and the
// instruction visitor.
#include <cstdio>
#include <set>
#include <string>

#include "check.h"
#include "witc/bin/cursor.h"
#include "witc/bin/func_validator.h"
#include "witc/bin/opcodes.h"

using namespace witc;
using namespace witc::test;
using bin::Feature;
using bin::Features;
using bin::ValType;

TEST_CASE("features: presets and the --features syntax") {
  Features all;
  CHECK(all.has(Feature::Memory64));
  CHECK(Features::wasm1().has(Feature::MutableGlobal));
  CHECK_FALSE(Features::wasm1().has(Feature::SignExtension));
  CHECK(Features::wasm2().has(Feature::Simd));
  CHECK_FALSE(Features::wasm2().has(Feature::TailCall));
  CHECK(Features::wasm3() == Features::all());
  auto f = Features::parse("wasm2,tail-call");
  REQUIRE(f);
  CHECK(f->has(Feature::TailCall));
  CHECK(f->has(Feature::BulkMemory));
  CHECK_FALSE(f->has(Feature::MultiMemory));
  f = Features::parse("-simd, -memory64");
  REQUIRE(f);
  CHECK_FALSE(f->has(Feature::Simd));
  CHECK_FALSE(f->has(Feature::Memory64));
  CHECK(f->has(Feature::Exceptions));
  CHECK(Features::parse("wasm1")->to_string() == "mutable-global");
  auto bad = Features::parse("wasm2,gc");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.starts_with("unknown feature 'gc' (valid: wasm1, wasm2, wasm3, all,"));
  CHECK_FALSE(Features::parse("-wasm2"));
}

TEST_CASE("opcodes: the table is consistent") {
  std::set<std::pair<uint8_t, uint32_t>> codes;
  size_t simd = 0;
  for (size_t i = 0; i < bin::kOpCount; ++i) {
    auto op = static_cast<bin::Op>(i);
    const auto& info = bin::op_info(op);
    CHECK(bin::lookup_op(info.prefix, info.code) == op);
    CHECK(codes.insert({info.prefix, info.code}).second);
    simd += info.prefix == 0xFD;
  }
  CHECK(simd == 236);  // the 2.0 SIMD instruction set
  CHECK(bin::lookup_op(0x00, 0x06) == bin::Op::Count_);   // legacy try: not supported
  CHECK(bin::lookup_op(0xFD, 154) == bin::Op::Count_);    // a reserved SIMD code
  CHECK(bin::op_name(bin::Op::I32Add) == "i32.add");
  CHECK(bin::op_info(bin::Op::I64Load32U).arg == 4);
  CHECK(bin::op_info(bin::Op::F32x4ReplaceLane).sig.n_params == 2);
}

TEST_CASE("LEB128 and UTF-8 primitives") {
  auto u = [](Bytes b, unsigned bits, uint64_t& v) {
    size_t len = 0;
    return bin::decode_uleb(b.data(), b.data() + b.size(), bits, v, len);
  };
  auto s = [](Bytes b, unsigned bits, int64_t& v) {
    size_t len = 0;
    return bin::decode_sleb(b.data(), b.data() + b.size(), bits, v, len);
  };
  uint64_t v = 0;
  int64_t sv = 0;
  CHECK(u({0xff, 0xff, 0xff, 0xff, 0x0f}, 32, v) == bin::LebError::None);
  CHECK(v == 0xffffffff);
  CHECK(u({0xff, 0xff, 0xff, 0xff, 0x1f}, 32, v) == bin::LebError::TooLarge);
  CHECK(u({0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, v) == bin::LebError::TooLong);
  CHECK(u({0x80, 0x80}, 32, v) == bin::LebError::Eof);
  CHECK(u({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}, 64, v) == bin::LebError::None);
  CHECK(v == UINT64_MAX);
  CHECK(s({0x7f}, 32, sv) == bin::LebError::None);
  CHECK(sv == -1);
  CHECK(s({0x80, 0x80, 0x80, 0x80, 0x78}, 32, sv) == bin::LebError::None);
  CHECK(sv == INT32_MIN);
  CHECK(s({0x80, 0x80, 0x80, 0x80, 0x08}, 32, sv) == bin::LebError::TooLarge);
  CHECK(s({0xff, 0xff, 0xff, 0xff, 0x0f}, 33, sv) == bin::LebError::None);  // s33: 2^32-1
  CHECK(sv == 0xffffffff);
  CHECK(s({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, 64, sv) == bin::LebError::None);
  CHECK(sv == INT64_MIN);
  std::vector<uint8_t> out;
  bin::write_sleb(out, -129);
  CHECK(out == Bytes{0xff, 0x7e});
  auto utf8 = [](std::string_view t) {
    return bin::valid_utf8(reinterpret_cast<const uint8_t*>(t.data()), t.size());
  };
  CHECK(utf8("plain"));
  CHECK(utf8("\xe2\x8c\xa3 \xf0\x9f\x98\x80"));
  CHECK_FALSE(utf8("\xc0\xaf"));          // overlong
  CHECK_FALSE(utf8("\xed\xbf\xbf"));      // surrogate
  CHECK_FALSE(utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(utf8("\xe2\x8c"));          // truncated
}

namespace {
std::string hex(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}
}  // namespace

TEST_CASE("errors carry their context") {
  ModuleBuilder b;
  uint32_t t = b.type({}, {});
  b.import_func("m", "f", t);
  b.func(t, {op::end});
  b.func(t, {op::i64_const, 0, op::end});
  Bytes bin = b.build();
  auto r = load(bin);
  REQUIRE_FALSE(r);
  CHECK(r.error().context == std::vector<std::string>{"in section 10", "in function 2"});
  CHECK(render(r.error()) ==
        "in section 10: in function 2: type mismatch in end: 1 value(s) left on the stack, expected [] "
        "(at offset " + hex(b.code_offset(1) + 2) + ")");
  auto malformed = load(preamble() + Bytes{0x01, 0x02, 0x00, 0x00});
  REQUIRE_FALSE(malformed);
  CHECK(render(malformed.error()) == "in section 1: section size mismatch (at offset 0xb)");
}

namespace {

struct Recorder : bin::InstrVisitor {
  std::vector<std::string> lines;
  Expected<void> on_instr(const bin::Instr& ins, const bin::StackEffect& e, const bin::FuncValidator& v) override {
    std::string s(bin::op_name(ins.op));
    s += " [";
    for (ValType t : e.popped) s.append(" ").append(to_string(t));
    s += " ] -> [";
    for (ValType t : e.pushed) s.append(" ").append(to_string(t));
    s += " ] depth " + std::to_string(v.frames().size());
    lines.push_back(s);
    return {};
  }
};

}  // namespace

TEST_CASE("the instruction visitor sees operand types") {
  ModuleBuilder b;
  uint32_t t = b.type({vt::f64}, {vt::i32});
  b.func(t,
         {op::local_get, 0, op::drop,                        // f64
          op::block, vt::i32, op::i32_const, 1, op::end,    // block result
          op::i32_const, 2, op::i32_add,                     // i32 i32 -> i32
          op::return_, op::i32_add, op::end});               // unreachable: bottom operands
  Bytes bin = b.build();
  auto m = bin::read_module(bin);
  REQUIRE(m);
  Recorder rec;
  auto info = bin::validate_module(*m, Features(), &rec);
  REQUIRE(info);
  CHECK(rec.lines == std::vector<std::string>{
                         "local.get [ ] -> [ f64 ] depth 1",
                         "drop [ f64 ] -> [ ] depth 1",
                         "block [ ] -> [ ] depth 2",
                         "i32.const [ ] -> [ i32 ] depth 2",
                         "end [ i32 ] -> [ i32 ] depth 1",
                         "i32.const [ ] -> [ i32 ] depth 1",
                         "i32.add [ i32 i32 ] -> [ i32 ] depth 1",
                         "return [ i32 ] -> [ ] depth 1",
                         "i32.add [ bottom bottom ] -> [ i32 ] depth 1",
                         "end [ i32 ] -> [ ] depth 0",
                     });
}
