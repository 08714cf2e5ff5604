// Invalid components: well-formed binaries that component validation
// rejects. Every case asserts the exact message and the exact offset.
#include "component_check.h"

using namespace witc;
using namespace witc::test;
using namespace witc::test::cm;
using bin::ComponentFeature;
using bin::ComponentFeatures;

namespace {

// A core module exporting a memory and functions of the shapes the canon
// tests need: core funcs 0 "void" [] -> [], 1 "realloc" [i32 x4] -> [i32],
// 2 "ii_i" [i32 i32] -> [i32], 3 "i" [i32] -> [], 4 "r_i" [] -> [i32];
// core memory 0 "mem".
Bytes lib_module() {
  ModuleBuilder m;
  uint32_t t_void = m.type({}, {});
  uint32_t t_realloc = m.type({vt::i32, vt::i32, vt::i32, vt::i32}, {vt::i32});
  uint32_t t_ii_i = m.type({vt::i32, vt::i32}, {vt::i32});
  uint32_t t_i = m.type({vt::i32}, {});
  uint32_t t_r_i = m.type({}, {vt::i32});
  m.memory(limits(1));
  m.export_("void", 0, m.func(t_void, {op::end}));
  m.export_("realloc", 0, m.func(t_realloc, {op::i32_const, 0, op::end}));
  m.export_("ii_i", 0, m.func(t_ii_i, {op::i32_const, 0, op::end}));
  m.export_("i", 0, m.func(t_i, {op::end}));
  m.export_("r_i", 0, m.func(t_r_i, {op::i32_const, 0, op::end}));
  m.export_("mem", 2, 0);
  return m.build();
}

// Adds the library: module 0, core instance 0, the aliases above.
void lib(ComponentBuilder& b) {
  b.core_module(lib_module());
  b.core_instances({core_instantiate(0, {})});
  b.aliases({alias_core_export(sort::core_func, 0, "void"), alias_core_export(sort::core_func, 0, "realloc"),
             alias_core_export(sort::core_func, 0, "ii_i"), alias_core_export(sort::core_func, 0, "i"),
             alias_core_export(sort::core_func, 0, "r_i"), alias_core_export(sort::core_memory, 0, "mem")});
}

// One type definition that must be rejected with `msg`.
void check_bad_type(const Bytes& type, const char* msg, ComponentFeatures f = ComponentFeatures::all()) {
  ComponentBuilder b;
  size_t s = b.types({type});
  Bytes bin = b.build();
  CAPTURE(msg);
  CHECK_COMPONENT_INVALID_F(f, msg, b.item_offset(s), bin);
}

}  // namespace

TEST_CASE("component invalid: defined types") {
  check_bad_type(list(idx(5)), "unknown type 5: type index out of bounds");
  check_bad_type(record({}), "record type must have at least one field");
  check_bad_type(variant({}), "variant type must have at least one case");
  check_bad_type(tuple({}), "tuple type must have at least one type");
  check_bad_type(flags({}), "flags must have at least one entry");
  check_bad_type(enum_({}), "enum type must have at least one variant");
  check_bad_type(record({{"a-B-c", prim(pt::u8)}, {"A-b-C", prim(pt::u8)}}),
                 "record field name `A-b-C` conflicts with previous field name `a-B-c`");
  check_bad_type(record({{"GoNnA", prim(pt::u8)}}), "record field name `GoNnA` is not in kebab case");
  check_bad_type(variant({{"", std::nullopt}}), "variant case name cannot be empty");
  check_bad_type(enum_({"x", "X"}), "enum tag name `X` conflicts with previous tag name `x`");
  std::vector<std::string> names;
  std::vector<std::string_view> many;
  for (int i = 0; i < 33; ++i) {
    std::string n = "f";
    n += static_cast<char>('a' + i % 26);
    n += static_cast<char>('a' + i / 26);
    names.push_back(n);
  }
  for (const auto& n : names) many.push_back(n);
  check_bad_type(flags(many), "cannot have more than 32 flags");
  check_bad_type(func({{"x", prim(pt::u8)}, {"X", prim(pt::u8)}}),
                 "function parameter name `X` conflicts with previous parameter name `x`");
  check_bad_type(fixed_list(prim(pt::u8), 0), "fixed-length lists must have more than zero elements");
  check_bad_type(map(prim(pt::f32), prim(pt::u8)), "map key type `f32` is not a valid key type");
  check_bad_type(stream(prim(pt::char_)), "`stream<char>` is not valid at this time");
  // A list of 2**28 bytes is too large to lift or lower.
  check_bad_type(fixed_list(prim(pt::u8), 1u << 28), "type exceeds maximum byte size (2**28)");
}

TEST_CASE("component invalid: handles and resources") {
  ComponentBuilder b;
  size_t s = b.types({prim(pt::string), own(0)});
  Bytes bin = b.build();
  CHECK_COMPONENT_INVALID("type index 0 is not a resource type", b.item_offset(s, 1), bin);

  // borrow is not allowed in results, even nested.
  ComponentBuilder b2;
  s = b2.types({resource(), borrow(0), list(idx(1)), func({}, idx(2))});
  bin = b2.build();
  CHECK_COMPONENT_INVALID("function result cannot contain a `borrow` type", b2.item_offset(s, 3), bin);

  // Resources only in concrete components.
  ComponentBuilder b3;
  s = b3.types({instance_type({decl::type(resource())})});
  bin = b3.build();
  CHECK_COMPONENT_INVALID("resources can only be defined within a concrete component", b3.item_offset(s) + 3, bin);

  // i64 representations need the 64-bit feature.
  ComponentBuilder b4;
  s = b4.types({resource(vt::i64)});
  bin = b4.build();
  CHECK_COMPONENT_INVALID_F(ComponentFeatures(), "resources can only be represented by `i32`", b4.item_offset(s), bin);
  CHECK_COMPONENT_VALID(bin);

  // A destructor has type [rep] -> [].
  ComponentBuilder b5;
  lib(b5);
  s = b5.types({resource(vt::i32, 2)});
  bin = b5.build();
  CHECK_COMPONENT_INVALID("wrong signature for a destructor", b5.item_offset(s), bin);

  // resource.new/rep only on resources defined here.
  ComponentBuilder b6;
  b6.imports({import_("r", ext::type_sub_resource())});
  s = b6.canons({canon_resource_new(0)});
  bin = b6.build();
  CHECK_COMPONENT_INVALID("type index 0 is not a local resource", b6.item_offset(s), bin);

  ComponentBuilder b7;
  b7.types({prim(pt::u32)});
  s = b7.canons({canon_resource_rep(0)});
  bin = b7.build();
  CHECK_COMPONENT_INVALID("type index 0 is not a resource type", b7.item_offset(s), bin);

  // Stream elements cannot contain a borrow.
  ComponentBuilder b8;
  s = b8.types({resource(), borrow(0), stream(idx(1))});
  bin = b8.build();
  CHECK_COMPONENT_INVALID("the element type of a stream cannot contain a `borrow`", b8.item_offset(s, 2), bin);
}

TEST_CASE("component invalid: gated features") {
  ComponentFeatures wasi02;
  check_bad_type(func({}, std::nullopt, true), "an async function type requires the cm-async feature", wasi02);
  check_bad_type(stream(std::nullopt), "the `stream` type requires the cm-async feature", wasi02);
  check_bad_type(map(prim(pt::string), prim(pt::u8)), "the `map` type requires the cm-map feature", wasi02);
  check_bad_type(list(prim(pt::error_context)), "the `error-context` type requires the cm-error-context feature", wasi02);
  check_bad_type(fixed_list(prim(pt::u8), 2), "a fixed-length list requires the cm-fixed-length-lists feature", wasi02);
  ComponentBuilder b;
  size_t s = b.canons({Bytes{0x1f}});
  Bytes bin = b.build();
  CHECK_COMPONENT_INVALID_F(wasi02, "`waitable-set.new` requires the cm-async feature", b.item_offset(s), bin);
  CHECK_COMPONENT_VALID_F(ComponentFeatures::wasi03(), bin);
  ComponentBuilder b2;
  s = b2.raw_section(cm::sec::value, Bytes{0x01, pt::u8, 0x01, 0x07});
  bin = b2.build();
  CHECK_COMPONENT_INVALID_F(wasi02, "a value definition requires the cm-values feature", b2.item_offset(s) + 1, bin);
}

TEST_CASE("component invalid: import and export names") {
  auto bad_import = [](std::string_view n, const char* msg) {
    ComponentBuilder b;
    b.types({func({})});
    size_t s = b.imports({import_(n, ext::func(0))});
    Bytes bin = b.build();
    CAPTURE(msg);
    CHECK_COMPONENT_INVALID(msg, b.item_offset(s), bin);
  };
  bad_import("Foo", "`Foo` is not in kebab case");
  bad_import("foo-", "`foo-` is not in kebab case");
  bad_import("", "`` is not in kebab case");
  bad_import("a:b", "expected `/` after package name");
  bad_import("a:b/c@1.0", "`1.0` is not a valid semver: unexpected end of input while parsing minor version number");
  bad_import("[method]a", "failed to find `.` character");
  bad_import("[static]a.b", "static resource name is not known in this context");
  bad_import("[foo]a", "`[foo]a` is not a valid extern name");

  {
    // Nested projections are a gated feature (🪺).
    ComponentBuilder b;
    b.types({func({})});
    size_t s = b.imports({import_("a:b/c/d", ext::func(0))});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID_F(ComponentFeatures::all().set(ComponentFeature::NestedNames, false),
                              "trailing characters found: `/d`", b.item_offset(s), bin);
    CHECK_COMPONENT_VALID(bin);
  }

  // Strong uniqueness: case-folded, [method]r.r == r.
  ComponentBuilder b;
  b.types({func({})});
  size_t s = b.imports({import_("a", ext::func(0)), import_("A", ext::func(0))});
  Bytes bin = b.build();
  CHECK_COMPONENT_INVALID("import name `A` conflicts with previous name `a`", b.item_offset(s, 1), bin);

  ComponentBuilder b2;
  b2.types({func({})});
  b2.imports({import_("f", ext::func(0))});
  s = b2.exports({export_("foo-BAR", item(sort::func, 0)), export_("FOO-bar", item(sort::func, 0))});
  bin = b2.build();
  CHECK_COMPONENT_INVALID("export name `FOO-bar` conflicts with previous name `foo-BAR`", b2.item_offset(s, 1), bin);

  // Imports and exports are separate namespaces.
  ComponentBuilder b3;
  b3.types({func({})});
  b3.imports({import_("f", ext::func(0))});
  b3.exports({export_("f", item(sort::func, 0))});
  CHECK_COMPONENT_VALID(b3.build());

  // Dependency, URL and hash names name imports, never exports.
  ComponentBuilder b5;
  b5.types({func({})});
  b5.imports({import_("unlocked-dep=<a:b@{>=1.2.3}>", ext::func(0)), import_("locked-dep=<a:c@1.0.0>", ext::func(0)),
              import_("url=<https://example.com/x>", ext::func(0)), import_("integrity=<sha256-a>", ext::func(0))});
  s = b5.exports({export_("unlocked-dep=<a:b>", item(sort::func, 0))});
  bin = b5.build();
  CHECK_COMPONENT_INVALID(
      "`unlocked-dep=<a:b>` is not a valid export name: dependency, URL and hash names only name imports",
      b5.item_offset(s), bin);
  bad_import("unlocked-dep=<a:b@{<xyz}>", "`xyz` is not a valid semver: unexpected character 'x' while parsing major version number");

  // `implements` only on instances with plain names.
  ComponentBuilder b4;
  b4.types({func({})});
  Bytes with_attr = Bytes{0x02} + name("f") + Bytes{0x01, 0x00} + name("a:b/c") + ext::func(0);
  s = b4.imports({with_attr});
  bin = b4.build();
  CHECK_COMPONENT_INVALID("only instances can have an `implements`", b4.item_offset(s), bin);
}

TEST_CASE("component invalid: annotated names") {
  // [constructor]r must return own<r> (or result<own<r>>).
  ComponentBuilder b;
  b.imports({import_("r", ext::type_sub_resource())});
  b.types({func({}, prim(pt::u32))});
  size_t s = b.imports({import_("[constructor]r", ext::func(1))});
  Bytes bin = b.build();
  CHECK_COMPONENT_INVALID("function should return `(own $T)` or `(result (own $T))`", b.item_offset(s), bin);

  // [method]r.f takes self: borrow<r>.
  ComponentBuilder b2;
  b2.imports({import_("r", ext::type_sub_resource())});
  b2.types({borrow(0), func({{"this", idx(1)}})});
  s = b2.imports({import_("[method]r.f", ext::func(2))});
  bin = b2.build();
  CHECK_COMPONENT_INVALID("method should have a first argument called `self`", b2.item_offset(s), bin);

  // The borrowed resource must be the one named.
  ComponentBuilder b3;
  b3.imports({import_("r", ext::type_sub_resource()), import_("s", ext::type_sub_resource())});
  b3.types({borrow(1), func({{"self", idx(2)}})});
  s = b3.imports({import_("[method]r.f", ext::func(3))});
  bin = b3.build();
  CHECK_COMPONENT_INVALID("function does not match expected resource name `s`", b3.item_offset(s), bin);

  // Annotated names only on functions.
  ComponentBuilder b4;
  b4.imports({import_("r", ext::type_sub_resource())});
  b4.types({instance_type({})});
  s = b4.imports({import_("[static]r.f", ext::instance(1))});
  bin = b4.build();
  CHECK_COMPONENT_INVALID("item `[static]r.f` is not a func", b4.item_offset(s), bin);

  // A valid resource interface.
  ComponentBuilder ok;
  ok.imports({import_("r", ext::type_sub_resource())});
  ok.types({own(0), borrow(0), func({}, idx(1)), func({{"self", idx(2)}}, prim(pt::u32)), func({})});
  ok.imports({import_("[constructor]r", ext::func(3)), import_("[method]r.get", ext::func(4)),
              import_("[static]r.make", ext::func(5))});
  CHECK_COMPONENT_VALID(ok.build());
}

TEST_CASE("component invalid: canon lift and lower") {
  // string -> u32 lifted from [i32 i32] -> [i32] needs memory and realloc.
  auto base = [](ComponentBuilder& b) {
    lib(b);
    b.types({func({{"s", prim(pt::string)}}, prim(pt::u32)), func({{"x", prim(pt::u32)}}, prim(pt::u32)),
             func({}, prim(pt::string))});
  };
  {
    ComponentBuilder b;
    base(b);
    b.canons({canon_lift(2, {opt_::memory(0), opt_::realloc(1)}, 0)});
    CHECK_COMPONENT_VALID(b.build());
  }
  {
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(2, {}, 0)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("canonical option `memory` is required", b.item_offset(s), bin);
  }
  {
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(2, {opt_::memory(0)}, 0)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("canonical option `realloc` is required", b.item_offset(s), bin);
  }
  {
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(2, {}, 1)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("lowered parameter types `[I32]` do not match parameter types `[I32, I32]` of core function 2",
                            b.item_offset(s), bin);
  }
  {
    // A string result is returned through a pointer: [] -> [i32].
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(0, {opt_::memory(0)}, 2)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("lowered result types `[I32]` do not match result types `[]` of core function 0",
                            b.item_offset(s), bin);
  }
  {
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(2, {opt_::memory(0), opt_::memory(0)}, 0)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("canonical option `memory` is specified more than once", b.item_offset(s) + 6, bin);
  }
  {
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(2, {opt_::utf8(), opt_::utf16()}, 1)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("canonical encoding option `utf8` conflicts with option `utf16`", b.item_offset(s) + 5, bin);
  }
  {
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(2, {opt_::memory(0), opt_::realloc(2)}, 0)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("canonical option `realloc` uses a core function with an incorrect signature",
                            b.item_offset(s), bin);
  }
  {
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(2, {opt_::realloc(1)}, 0)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("canonical option `realloc` requires `memory` to also be specified", b.item_offset(s), bin);
  }
  {
    // post-return takes the flat results: [i32] -> [], not [] -> [].
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(2, {opt_::memory(0), opt_::realloc(1), opt_::post_return(0)}, 0)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("canonical option `post-return` uses a core function with an incorrect signature",
                            b.item_offset(s), bin);
  }
  {
    ComponentBuilder b;
    base(b);
    b.imports({import_("f", ext::func(1))});
    size_t s = b.canons({canon_lower(0, {opt_::post_return(0)})});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("canonical option `post-return` cannot be specified for lowerings", b.item_offset(s) + 4, bin);
  }
  {
    ComponentBuilder b;
    base(b);
    b.imports({import_("f", ext::func(1))});
    size_t s = b.canons({canon_lower(0, {opt_::async()})});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("the `async` canonical option requires an async function type", b.item_offset(s), bin);
  }
  {
    // Lowering a string parameter reads it from memory.
    ComponentBuilder b;
    base(b);
    b.imports({import_("f", ext::func(0))});
    size_t s = b.canons({canon_lower(0, {})});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("canonical option `memory` is required", b.item_offset(s), bin);
  }
  {
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(9, {}, 1)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("unknown core function 9: core function index out of bounds", b.item_offset(s), bin);
  }
  {
    ComponentBuilder b;
    base(b);
    size_t s = b.canons({canon_lift(2, {opt_::memory(0), opt_::realloc(1)}, 7)});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("unknown type 7: type index out of bounds", b.item_offset(s), bin);
  }
}

TEST_CASE("component invalid: aliases") {
  ComponentBuilder b;
  b.types({prim(pt::u32)});
  size_t s = b.aliases({alias_outer(sort::type, 1, 0)});
  Bytes bin = b.build();
  CHECK_COMPONENT_INVALID("invalid outer alias count of 1", b.item_offset(s), bin);

  // Resource types cannot be aliased across a component boundary.
  Bytes inner = cm::preamble() + section(cm::sec::alias, Bytes{0x01} + alias_outer(sort::type, 1, 0));
  ComponentBuilder b2;
  b2.types({resource()});
  size_t c = b2.component(inner);
  bin = b2.build();
  CHECK_COMPONENT_INVALID("type index 0 cannot be aliased here: it transitively refers to resources",
                          b2.item_offset(c) + 11, bin);
  // ... but a record can.
  ComponentBuilder b3;
  b3.types({record({{"a", prim(pt::u8)}})});
  b3.component(inner);
  CHECK_COMPONENT_VALID(b3.build());

  ComponentBuilder b4;
  b4.instances({inline_exports({})});
  s = b4.aliases({alias_export(sort::func, 0, "x")});
  bin = b4.build();
  CHECK_COMPONENT_INVALID("instance 0 has no export named `x`", b4.item_offset(s), bin);

  ComponentBuilder b5;
  lib(b5);
  s = b5.aliases({alias_core_export(sort::core_global, 0, "mem")});
  bin = b5.build();
  CHECK_COMPONENT_INVALID("export `mem` for core instance 0 is not a global", b5.item_offset(s), bin);

  ComponentBuilder b6;
  lib(b6);
  s = b6.aliases({alias_core_export(sort::core_func, 0, "nope")});
  bin = b6.build();
  CHECK_COMPONENT_INVALID("core instance 0 has no export named `nope`", b6.item_offset(s), bin);

  // Type declarators alias only types and instances by export.
  ComponentBuilder b7;
  b7.types({instance_type({decl::alias(alias_export(sort::func, 0, "f"))})});
  bin = b7.build();
  CHECK_COMPONENT_INVALID("export aliases in type declarators may only refer to types or instances",
                          b7.item_offset(0) + 3, bin);
}

TEST_CASE("component invalid: instantiation") {
  // A component importing f: func(x: u32).
  Bytes child = cm::preamble() + section(cm::sec::type, Bytes{0x01} + func({{"x", prim(pt::u32)}})) +
                section(cm::sec::import, Bytes{0x01} + import_("f", ext::func(0)));
  {
    ComponentBuilder b;
    b.component(child);
    size_t s = b.instances({instantiate(0, {})});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("missing import named `f`", b.item_offset(s), bin);
  }
  {
    ComponentBuilder b;
    b.component(child);
    b.types({func({{"x", prim(pt::string)}})});
    b.imports({import_("g", ext::func(0))});
    size_t s = b.instances({instantiate(0, {{"f", item(sort::func, 0)}})});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("type mismatch for component instantiation argument `f`: type mismatch in function "
                            "parameter `x`: expected primitive `u32` found primitive `string`",
                            b.item_offset(s), bin);
  }
  {
    ComponentBuilder b;
    b.component(child);
    b.types({func({{"x", prim(pt::u32)}})});
    b.imports({import_("g", ext::func(0))});
    b.instances({instantiate(0, {{"f", item(sort::func, 0)}})});
    CHECK_COMPONENT_VALID(b.build());
  }
  {
    // Core: a module importing "env" "f" instantiated without "env".
    ModuleBuilder m;
    m.import_func("env", "f", m.type({}, {}));
    ComponentBuilder b;
    b.core_module(m.build());
    size_t s = b.core_instances({core_instantiate(0, {})});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("missing module instantiation argument named `env`", b.item_offset(s), bin);
  }
  {
    // ... or with an argument of the wrong type.
    ModuleBuilder m;
    m.import_func("env", "void", m.type({vt::i32}, {}));
    ComponentBuilder b;
    lib(b);
    b.core_module(m.build());
    size_t s = b.core_instances({core_instantiate(1, {{"env", 0}})});
    Bytes bin = b.build();
    CHECK_COMPONENT_INVALID("type mismatch for export `void` of module instantiation argument `env`: "
                            "type mismatch: expected: (func (param i32)), found: (func)",
                            b.item_offset(s), bin);
  }
  {
    // A nested module that does not validate reports where, inside it.
    ModuleBuilder m;
    m.func(m.type({}, {vt::i32}), {op::end});
    ComponentBuilder b;
    b.core_module(m.build());
    auto r = load_component(b.build());
    REQUIRE_FALSE(r.has_value());
    CHECK(render(r.error()).starts_with("in core module 0: "));
    // Other errors name their section.
    ComponentBuilder b2;
    b2.types({list(idx(3))});
    r = load_component(b2.build());
    REQUIRE_FALSE(r.has_value());
    CHECK(render(r.error()) == "in component section 7 (type): unknown type 3: type index out of bounds (at offset 0xb)");
  }
}

TEST_CASE("component invalid: external visibility of exported types") {
  // An exported function may not use an unnamed record...
  ComponentBuilder b;
  lib(b);
  b.types({record({{"x", prim(pt::u32)}}), func({}, idx(0))});
  b.canons({canon_lift(4, {}, 1)});
  size_t s = b.exports({export_("f", item(sort::func, 0))});
  Bytes bin = b.build();
  CHECK_COMPONENT_INVALID("func not valid to be used as export", b.item_offset(s), bin);
  // ... but may use it once exported, through the exported index.
  ComponentBuilder ok;
  lib(ok);
  ok.types({record({{"x", prim(pt::u32)}})});
  ok.exports({export_("r", item(sort::type, 0))});
  ok.types({func({}, idx(1))});
  ok.canons({canon_lift(4, {}, 2)});
  ok.exports({export_("f", item(sort::func, 0))});
  CHECK_COMPONENT_VALID(ok.build());
  // A type export whose record mentions an unnamed record.
  ComponentBuilder b2;
  b2.types({record({{"x", prim(pt::u32)}}), record({{"r", idx(0)}})});
  s = b2.exports({export_("t", item(sort::type, 1))});
  bin = b2.build();
  CHECK_COMPONENT_INVALID("type not valid to be used as export", b2.item_offset(s), bin);
  // Imports cannot use types named by exports.
  ComponentBuilder b3;
  b3.types({resource()});
  b3.exports({export_("r", item(sort::type, 0))});
  b3.types({own(1), func({}, idx(2))});
  s = b3.imports({import_("f", ext::func(3))});
  bin = b3.build();
  CHECK_COMPONENT_INVALID("func not valid to be used as import", b3.item_offset(s), bin);
}

TEST_CASE("component validation: what it learns") {
  // An interface instance exporting a resource and a constructor.
  Bytes itype = instance_type({decl::export_("r", ext::type_sub_resource()), decl::type(own(0)),
                               decl::type(func({{"n", prim(pt::u32)}}, idx(1))),
                               decl::export_("[constructor]r", ext::func(2))});
  ComponentBuilder b;
  b.types({itype});
  b.imports({import_("ns:pkg/iface@1.2.3", ext::instance(0))});
  b.aliases({alias_export(sort::type, 0, "r")});
  auto r = load_component(b.build());
  REQUIRE(r.has_value());
  const auto& ct = r->component();
  REQUIRE(ct.imports.size() == 1);
  CHECK(ct.imports.at_index(0).first == "ns:pkg/iface@1.2.3");
  const auto& inst = r->types.instance(ct.imports.at_index(0).second.type);
  REQUIRE(inst.exports.size() == 2);
  const auto& res = *inst.exports.find("r");
  CHECK(res.kind == bin::EntityKind::Type);
  CHECK(r->types.kind(res.type) == bin::TypeKind::Resource);
  const auto& ctor = r->types.func(inst.exports.find("[constructor]r")->type);
  REQUIRE(ctor.params.size() == 1);
  CHECK(ctor.params[0].first == "n");
  CHECK(r->types.value(ctor.params[0].second).kind == bin::ValueKind::U32);
  const auto& own_r = r->types.value(*ctor.result);
  CHECK(own_r.kind == bin::ValueKind::Own);
  CHECK(r->types.resource(own_r.types[0]) == r->types.resource(res.type));
  // The alias put the same resource in the type index space.
  REQUIRE(r->type_space.size() == 2);
  CHECK(r->types.resource(r->type_space[1]) == r->types.resource(res.type));
  CHECK(ct.imported_resources.size() == 1);
  CHECK(r->types.describe(inst.exports.find("[constructor]r")->type) == "func(n: u32) -> own<resource 1>");
}

TEST_CASE("component features: --features spelling") {
  auto f = ComponentFeatures::parse("wasi03,-cm-map,cm-values,wasm2");
  REQUIRE(f.has_value());
  CHECK(f->has(ComponentFeature::Async));
  CHECK_FALSE(f->has(ComponentFeature::Map));
  CHECK(f->has(ComponentFeature::Values));
  CHECK(f->core == bin::Features::wasm2());
  CHECK(f->to_string() == "cm-async,cm-values,cm-implements");
  CHECK(ComponentFeatures::parse("cm-all")->bits() == ComponentFeatures::all().bits());
  auto bad = ComponentFeatures::parse("cm-nope");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message.find("cm-async") != std::string::npos);
  CHECK(ComponentFeatures().bits() == 0);
}
