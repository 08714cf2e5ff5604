// Reading and writing components: malformed binaries (each with its exact
// message and offset), the model a binary decodes to, and byte-identical
// round trips.
#include "component_check.h"

using namespace witc;
using namespace witc::test;
using namespace witc::test::cm;

namespace {

Expected<bin::Component> read(const Bytes& b) { return bin::read_component(b); }

#define CHECK_MALFORMED(msg, off, ...)                                                   \
  do {                                                                                     \
    auto r_ = read(__VA_ARGS__);                                                           \
    REQUIRE_FALSE(r_.has_value());                                                         \
    CHECK(r_.error().message == std::string(msg));                                         \
    CHECK(::witc::test::component_error_offset(r_.error()) == static_cast<uint64_t>(off)); \
  } while (0)

}  // namespace

TEST_CASE("component reader: preamble") {
  CHECK_MALFORMED("unexpected end", 0, Bytes{});
  CHECK_MALFORMED("magic header not detected", 0, (Bytes{0x00, 0x41, 0x53, 0x4d, 0x0d, 0x00, 0x01, 0x00}));
  CHECK_MALFORMED("unexpected end", 6, (Bytes{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00}));
  // A core module preamble is not a component; nor is another layer.
  CHECK_MALFORMED("unknown binary version:        0x1", 4, test::preamble());
  CHECK_MALFORMED("unknown binary version:    0x2000d", 4, (Bytes{0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x02, 0x00}));
  CHECK(bin::read_component(cm::preamble()).has_value());
}

TEST_CASE("component reader: section framing") {
  CHECK_MALFORMED("malformed section id", 8, cm::preamble() + Bytes{0x0d, 0x00});
  CHECK_MALFORMED("length out of bounds", 8, cm::preamble() + Bytes{0x07, 0x05, 0x00});
  CHECK_MALFORMED("unexpected end", 9, cm::preamble() + Bytes{0x07});
  // Section size LEB128s: too long, too large.
  CHECK_MALFORMED("integer representation too long", 9, cm::preamble() + Bytes{0x07, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  CHECK_MALFORMED("integer too large", 9, cm::preamble() + Bytes{0x07, 0x81, 0x80, 0x80, 0x80, 0x70, 0x00});
  // A type section with one byte more than its vector holds.
  CHECK_MALFORMED("section size mismatch", 12, cm::preamble() + section(cm::sec::type, Bytes{0x01, pt::u8, pt::u8}));
  // Declared counts beyond the data fail at the end of the data, without
  // allocating for a million items.
  CHECK_MALFORMED("unexpected end of section or function", 14,
                  cm::preamble() + section(cm::sec::type, Bytes{0xbf, 0x84, 0x3d, pt::string}));
  CHECK_MALFORMED("unexpected end of section or function", 12, cm::preamble() + section(cm::sec::type, Bytes{0x02, pt::string}));
}

TEST_CASE("component reader: section context") {
  auto r = read(cm::preamble() + section(cm::sec::type, Bytes{0x01, 0x62}));
  REQUIRE_FALSE(r.has_value());
  CHECK(render(r.error()) == "in component section 7 (type): invalid leading byte (0x62) for component defined type (at offset 0xb)");
}

TEST_CASE("component reader: type encodings") {
  ComponentBuilder b;
  size_t s = b.types({Bytes{0x62}});
  auto bin = b.build();
  CHECK_MALFORMED("invalid leading byte (0x62) for component defined type", b.item_offset(s), bin);
  // variant case: the byte after the payload must be 0x00.
  Bytes bad_case = Bytes{0x71, 0x01} + name("c") + Bytes{0x00, 0x01};
  ComponentBuilder b2;
  s = b2.types({bad_case});
  bin = b2.build();
  CHECK_MALFORMED("invalid leading byte (0x1) for zero byte required", b2.item_offset(s) + 5, bin);
  // resultlist: 0x00 t or 0x01 0x00.
  ComponentBuilder b3;
  s = b3.types({Bytes{0x40, 0x00, 0x02, 0x00}});
  bin = b3.build();
  CHECK_MALFORMED("invalid leading byte (0x2) for component function results", b3.item_offset(s) + 2, bin);
  ComponentBuilder b4;
  s = b4.types({Bytes{0x40, 0x00, 0x01, 0x01}});
  bin = b4.build();
  CHECK_MALFORMED("invalid leading byte (0x1) for number of results", b4.item_offset(s) + 3, bin);
  // A type index is an s33 and must not be negative.
  ComponentBuilder b5;
  s = b5.types({list(Bytes{0x40})});
  bin = b5.build();
  CHECK_MALFORMED("invalid leading byte (0x40) for value type", b5.item_offset(s) + 1, bin);
  // An instance type has no import declarators.
  ComponentBuilder b6;
  s = b6.types({instance_type({decl::import_("a", ext::func(0))})});
  bin = b6.build();
  CHECK_MALFORMED("invalid leading byte (0x3) for component or instance type declaration", b6.item_offset(s) + 2, bin);
  // Optional values: 0x00 or 0x01.
  ComponentBuilder b7;
  s = b7.types({Bytes{0x6a, 0x02}});
  bin = b7.build();
  CHECK_MALFORMED("invalid leading byte (0x2) for optional result type", b7.item_offset(s) + 1, bin);
}

TEST_CASE("component reader: imports, exports, canon, aliases") {
  ComponentBuilder b;
  size_t s = b.imports({ename("x") + Bytes{0x06, 0x00}});
  auto bin = b.build();
  CHECK_MALFORMED("invalid leading byte (0x6) for component external kind", b.item_offset(s) + 3, bin);

  ComponentBuilder b2;
  s = b2.imports({Bytes{0x00, 0x02, 0xff, 0xfe, 0x01, 0x00}});
  bin = b2.build();
  CHECK_MALFORMED("malformed UTF-8 encoding", b2.item_offset(s) + 2, bin);

  ComponentBuilder b3;
  s = b3.imports({Bytes{0x03} + name("a") + ext::func(0)});
  bin = b3.build();
  CHECK_MALFORMED("invalid leading byte (0x3) for component name", b3.item_offset(s), bin);

  ComponentBuilder b4;
  s = b4.exports({ename("f") + sort::func + Bytes{0x00, 0x02}});
  bin = b4.build();
  CHECK_MALFORMED("invalid leading byte (0x2) for optional component export type", b4.item_offset(s) + 5, bin);

  ComponentBuilder b5;
  s = b5.canons({Bytes{0x07}});
  bin = b5.build();
  CHECK_MALFORMED("invalid leading byte (0x7) for canonical function", b5.item_offset(s), bin);

  ComponentBuilder b6;
  s = b6.canons({Bytes{0x00, 0x00, 0x00, 0x01, 0x0a, 0x00}});
  bin = b6.build();
  CHECK_MALFORMED("invalid leading byte (0xa) for canonical option", b6.item_offset(s) + 4, bin);

  ComponentBuilder b7;
  s = b7.canons({Bytes{0x0c, 0x02}});
  bin = b7.build();
  CHECK_MALFORMED("invalid boolean value (0x2)", b7.item_offset(s) + 1, bin);

  // func is not an outer alias sort.
  ComponentBuilder b8;
  s = b8.aliases({alias_outer(sort::func, 0, 0)});
  bin = b8.build();
  CHECK_MALFORMED("invalid leading byte (0x1) for component outer alias kind", b8.item_offset(s), bin);

  ComponentBuilder b9;
  s = b9.core_instances({Bytes{0x00, 0x00, 0x01} + name("a") + Bytes{0x00, 0x00}});
  bin = b9.build();
  CHECK_MALFORMED("invalid leading byte (0x0) for instantiation arg kind", b9.item_offset(s) + 5, bin);
}

TEST_CASE("component reader: nested modules and components") {
  ComponentBuilder b;
  size_t s = b.core_module(cm::preamble());
  auto bin = b.build();
  CHECK_MALFORMED("expected a version header for a module", b.item_offset(s) + 4, bin);

  ComponentBuilder b2;
  s = b2.component(test::preamble());
  bin = b2.build();
  CHECK_MALFORMED("expected a version header for a component", b2.item_offset(s) + 4, bin);

  // 100 levels of nested components exceed the nesting limit.
  Bytes nested = cm::preamble();
  for (int i = 0; i < 100; ++i) nested = cm::preamble() + section(cm::sec::component, nested);
  auto r = read(nested);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message == "components are nested too deeply");
  // ... and so do 100 levels of instance types.
  Bytes t = instance_type({});
  for (int i = 0; i < 100; ++i) t = instance_type({decl::type(t)});
  r = read(cm::preamble() + section(cm::sec::type, Bytes{0x01} + t));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message == "types are nested too deeply");
}

TEST_CASE("component reader: the model") {
  ComponentBuilder b;
  b.types({record({{"a", prim(pt::u32)}, {"b", prim(pt::string)}}), func({{"x", idx(0)}}, prim(pt::u8))});
  b.imports({import_("f", ext::func(1))});
  b.exports({export_("g", item(sort::func, 0), ext::func(1))});
  auto bin = b.build();
  auto c = read(bin);
  REQUIRE(c.has_value());
  REQUIRE(c->sections.size() == 3);
  CHECK(c->sections[0].id == bin::ComponentSectionId::Type);
  CHECK(c->sections[0].offset == b.section_offset(0));
  REQUIRE(c->types.size() == 2);
  CHECK(c->types[0].defined.kind == bin::DefinedType::Kind::Record);
  CHECK(c->types[0].defined.fields[1].label == "b");
  CHECK(c->types[0].defined.fields[1].type == bin::ValueTypeRef::of(bin::PrimValType::String));
  CHECK(c->types[0].offset == b.item_offset(0, 0));
  CHECK(c->types[1].kind == bin::TypeDef::Kind::Func);
  CHECK(c->types[1].func.params[0].type == bin::ValueTypeRef::at(0));
  CHECK(c->types[1].offset == b.item_offset(0, 1));
  REQUIRE(c->imports.size() == 1);
  CHECK(c->imports[0].name.name == "f");
  CHECK(c->imports[0].desc.kind == bin::ExternDesc::Kind::Func);
  CHECK(c->imports[0].offset == b.item_offset(1, 0));
  REQUIRE(c->exports.size() == 1);
  CHECK(c->exports[0].item == bin::SortIdx{bin::Sort::Func, 0});
  REQUIRE(c->exports[0].ascribed.has_value());
  CHECK(bin::write_component(*c) == bin);
}

TEST_CASE("component writer: round trips") {
  // Non-minimal LEB128s survive a read/write round trip.
  Bytes padded = cm::preamble() + Bytes{cm::sec::type} + uleb_padded(3, 5) + Bytes{0x01, 0x70, pt::u8} +
                 Bytes{cm::sec::import} + uleb(9) + Bytes{0x01, 0x00} + name("x") + Bytes{0x03, 0x00} + uleb_padded(0, 3);
  auto c = read(padded);
  REQUIRE(c.has_value());
  CHECK(bin::write_component(*c) == padded);
  // An edited section is encoded canonically; the others keep their bytes.
  c->imports[0].name.name.assign(1, 'y');  // not `= "y"`: GCC 12 -Wrestrict false positive
  Bytes edited = bin::write_component(*c);
  Bytes expected = cm::preamble() + Bytes{cm::sec::type} + uleb_padded(3, 5) + Bytes{0x01, 0x70, pt::u8} +
                   section(cm::sec::import, Bytes{0x01, 0x00} + name("y") + Bytes{0x03, 0x00, 0x00});
  CHECK(edited == expected);
  // A component built in memory is written canonically.
  bin::Component m;
  bin::TypeDef t;
  t.defined.kind = bin::DefinedType::Kind::List;
  t.defined.a = bin::ValueTypeRef::of(bin::PrimValType::U8);
  m.types.push_back(t);
  m.sections.push_back({bin::ComponentSectionId::Type, 0, 1, std::nullopt, 0});
  CHECK(bin::write_component(m) == cm::preamble() + section(cm::sec::type, Bytes{0x01, 0x70, pt::u8}));
  // Every kind of section, nested components included.
  Bytes inner = cm::preamble() + section(cm::sec::type, Bytes{0x01} + resource());
  ComponentBuilder all;
  all.core_module(test::preamble());
  all.core_types({core_func_type({vt::i32}, {}), module_type({Bytes{0x03} + name("m") + Bytes{0x02, 0x00, 0x01}})});
  all.component(inner);
  all.core_instances({core_instantiate(0, {})});
  all.instances({instantiate(0, {}), inline_exports({})});
  all.types({instance_type({decl::export_("t", ext::type_sub_resource()), decl::alias(alias_outer(sort::type, 1, 0))})});
  all.canons({Bytes{0x1f}, Bytes{0x20, 0x01, 0x00}, Bytes{0x0a, vt::i32, 0x00}});
  all.raw_section(cm::sec::custom, name("hello") + Bytes{1, 2, 3});
  Bytes bin = all.build();
  c = read(bin);
  REQUIRE(c.has_value());
  CHECK(c->components.size() == 1);
  CHECK(c->customs.at(0).name == "hello");
  CHECK(bin::write_component(*c) == bin);
}
