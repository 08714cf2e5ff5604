// Reading then writing gives identical bytes; edited modules are written
// canonically and read back to what was edited.
#include "check.h"
#include "witc/bin/writer.h"

using namespace witc;
using namespace witc::test;

namespace {

bin::Module read_ok(const Bytes& b) {
  auto m = bin::read_module(b);
  REQUIRE_MESSAGE(m.has_value(), render(m.error()));
  return std::move(*m);
}

void check_round_trip(const Bytes& b) {
  bin::Module m = read_ok(b);
  CHECK(bin::write_module(m) == b);
}

// A module that uses every section, several segment encodings and custom
// sections in three places.
Bytes everything() {
  ModuleBuilder b;
  uint32_t t0 = b.type({vt::i32, vt::i64}, {vt::f32});
  uint32_t t1 = b.type({}, {});
  b.import_func("env", "f", t1);
  b.import_table("env", "t", vt::funcref, limits(1, 10));
  b.import_memory("env", "m", limits(1));
  b.import_global("env", "g", vt::i32, false);
  b.func(t0, {op::f32_const, 0, 0, 0x80, 0x3f, op::end}, {{2, vt::f64}});
  b.func(t1, {op::call, 0, op::end});
  b.table(vt::externref, limits(0));
  b.global(vt::i64, true, {op::i64_const, 0x7f, op::end});
  b.export_("f", 0, 1);
  b.export_("mem", 2, 0);
  b.start(2);
  b.elem({0x00, op::global_get, 0, op::end, 0x02, 0x01, 0x02});
  b.elem({0x01, 0x00, 0x01, 0x02});
  b.elem({0x03, 0x00, 0x01, 0x01});
  b.elem({0x05, vt::externref, 0x01, op::ref_null, vt::externref, op::end});
  b.elem({0x06, 0x01, op::i32_const, 0, op::end, vt::externref, 0x00});
  b.data_count(3);
  b.data({0x00, op::i32_const, 8, op::end, 0x02, 'h', 'i'});
  b.data({0x01, 0x00});
  b.data({0x02, 0x00, op::i32_const, 0, op::end, 0x01, 'x'});
  b.custom("trailing", {1, 2, 3});
  Bytes body = b.build();
  // Put a custom section right after the preamble and one after the type section.
  Bytes first = section(0, name("first") + Bytes{9});
  Bytes out = preamble() + first;
  size_t type_end = 8 + 2 + body[9];  // id, one-byte size, contents
  out += Bytes(body.begin() + 8, body.begin() + static_cast<long>(type_end));
  out += section(0, name("after-types"));
  out += Bytes(body.begin() + static_cast<long>(type_end), body.end());
  return out;
}

}  // namespace

TEST_CASE("round trip: a module using every section") {
  Bytes b = everything();
  CHECK_VALID(b);
  check_round_trip(b);
  bin::Module m = read_ok(b);
  REQUIRE(m.customs.size() == 3);
  CHECK(m.customs[0].name == "first");
  CHECK(m.customs[0].after == 0);
  CHECK(m.customs[1].after == 1);
  CHECK(m.customs[2].name == "trailing");
  CHECK(m.elements.size() == 5);
  CHECK(m.elements[2].mode == bin::SegmentMode::Declarative);
  CHECK(m.datas[1].mode == bin::SegmentMode::Passive);
}

TEST_CASE("round trip: non-minimal LEB128 and empty sections survive") {
  // Padded section size, count, type index, name length and limits.
  Bytes b = preamble() + Bytes{0x01, 0x85, 0x80, 0x00, 0x81, 0x00, 0x60, 0x00, 0x00} +
            section(3, Bytes{0x01} + uleb_padded(0, 5)) +
            section(5, Bytes{0x01, 0x01} + uleb_padded(1, 3) + uleb_padded(2, 4)) +
            section(7, Bytes{0x01} + uleb_padded(1, 2) + Bytes{'f', 0x00} + uleb_padded(0, 3)) +
            section(10, Bytes{0x01} + uleb_padded(2, 4) + Bytes{0x00, op::end});
  CHECK_VALID(b);
  check_round_trip(b);
  // Present but empty sections are kept.
  check_round_trip(preamble() + section(1, {0}) + section(3, {0}) + section(10, {0}));
  check_round_trip(preamble() + Bytes{0x00, 0x8a, 0x00, 0x01, '1', '2', '3', '4', '5', '6', '7', '8', '9'});
}

TEST_CASE("round trip: an edited section is written canonically") {
  Bytes b = preamble() + section(1, {0x01, 0x60, 0x00, 0x00}) + section(3, {0x01, 0x00}) +
            section(7, Bytes{0x01} + uleb_padded(1, 3) + Bytes{'f', 0x00, 0x00}) +
            section(10, {0x01, 0x02, 0x00, op::end});
  bin::Module m = read_ok(b);
  m.exports[0].name = "renamed";
  Bytes out = bin::write_module(m);
  Bytes expected = preamble() + section(1, {0x01, 0x60, 0x00, 0x00}) + section(3, {0x01, 0x00}) +
                   section(7, Bytes{0x01} + name("renamed") + Bytes{0x00, 0x00}) +
                   section(10, {0x01, 0x02, 0x00, op::end});
  CHECK(out == expected);
  bin::Module back = read_ok(out);
  CHECK(back.exports[0].name == "renamed");
}

TEST_CASE("round trip: a module built in memory") {
  bin::Module m;
  m.types.push_back({{bin::ValType::I32}, {bin::ValType::I32}});
  m.functions.push_back({bin::TypeIdx(0), 0});
  const uint8_t body[] = {0x00, op::local_get, 0x00, op::end};
  m.codes.push_back({m.add_bytes(body), 0});
  m.exports.push_back({"id", bin::ExternKind::Func, 0, 0});
  m.memories.push_back({bin::MemoryType{bin::Limits{1, 2, false, false}}, 0});
  Bytes out = bin::write_module(m);
  CHECK_VALID(out);
  bin::Module back = read_ok(out);
  CHECK(back.types == m.types);
  CHECK(back.exports[0].name == "id");
  CHECK(back.memories[0].type.limits.max == std::optional<uint64_t>(2));
  CHECK(bin::write_module(back) == out);
}

TEST_CASE("items remember their offsets") {
  ModuleBuilder b;
  b.func(b.type({}, {}), {op::end});
  b.export_("f", 0, 0);
  Bytes bin = b.build();
  bin::Module m = read_ok(bin);
  CHECK(m.exports[0].offset == b.section_offset(sec::export_) + 3);
  CHECK(m.codes[0].offset == b.code_offset(0) - 1);  // the body starts with its locals
  CHECK(m.sections[static_cast<size_t>(bin::SectionId::Export)].offset == b.section_offset(sec::export_));
  // A module nested at offset 100 of a larger file reports absolute offsets.
  auto nested = bin::read_module(bin, bin::Features(), 100);
  REQUIRE(nested);
  CHECK(nested->exports[0].offset == 100 + b.section_offset(sec::export_) + 3);
}
