// The binding plan: sizes, alignments and flat types of WIT types
// (CanonicalABI.md "Element Size", "Alignment", "Flattening") and the
// per-function decisions (spilling to memory, return areas, post-return).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include "witc/bindgen/cpp.h"
#include "witc/bindgen/plan.h"
#include "witc/wit/wit.h"

using namespace witc;
using bin::ValType;
using bindgen::Direction;

namespace {

struct Fixture {
  wit::Resolve resolve;
  wit::InterfaceId iface;
  explicit Fixture(const std::string& body) {
    std::string text = "package t:t;\ninterface i {\n" + body + "\n}\nworld w { import i; export i; }\n";
    auto roots = wit::load_text(resolve, "t.wit", text);
    REQUIRE(roots.has_value());
    iface = *resolve.packages[roots->front()].interfaces.find("i");
  }
  wit::Type type(const std::string& name) {
    return wit::Type::of(*resolve.interfaces[iface].types.find(name));
  }
  const wit::Function& func(const std::string& name) { return *resolve.interfaces[iface].functions.find(name); }
};

using V = std::vector<ValType>;

}  // namespace

TEST_CASE("primitive layouts and flat types") {
  Fixture f("");
  bindgen::Planner p(f.resolve);
  using K = wit::Type::Kind;
  struct Row {
    K kind;
    uint64_t size;
    uint32_t align;
    V flat;
  };
  for (const Row& r : {Row{K::Bool, 1, 1, {ValType::I32}}, Row{K::S16, 2, 2, {ValType::I32}},
                       Row{K::U64, 8, 8, {ValType::I64}}, Row{K::F32, 4, 4, {ValType::F32}},
                       Row{K::F64, 8, 8, {ValType::F64}}, Row{K::Char, 4, 4, {ValType::I32}},
                       Row{K::String, 8, 4, {ValType::I32, ValType::I32}}}) {
    const auto& tp = p.type(wit::Type::prim(r.kind));
    CHECK(tp.size == r.size);
    CHECK(tp.align == r.align);
    CHECK(tp.flat == r.flat);
  }
  CHECK(p.type(wit::Type::prim(K::String)).owns_memory);
  CHECK_FALSE(p.type(wit::Type::prim(K::U32)).owns_memory);
}

TEST_CASE("records, variants, flags and lists") {
  Fixture f(R"(
    record r { a: u8, b: u32, c: u16 }
    variant v { a(f32), b(s64), c }
    flags f9 { a, b, c, d, e, f, g, h, i }
    flags f33 { a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17, a18, a19,
                a20, a21, a22, a23, a24, a25, a26, a27, a28, a29, a30, a31, a32 }
    enum e { x, y, z }
    type o = option<f64>;
    type res = result<string, u8>;
    type bytes = list<u8>;
    type strs = list<string>;
    type fixed = list<u16, 3>;
  )");
  bindgen::Planner p(f.resolve);
  const auto& r = p.type(f.type("r"));
  CHECK(r.size == 12);
  CHECK(r.align == 4);
  CHECK(r.offsets == std::vector<uint64_t>{0, 4, 8});
  CHECK(r.flat == V{ValType::I32, ValType::I32, ValType::I32});
  // Payloads f32 and s64 join to i64 (CanonicalABI.md `join`).
  const auto& v = p.type(f.type("v"));
  CHECK(v.size == 16);
  CHECK(v.align == 8);
  CHECK(v.payload_offset == 8);
  CHECK(v.discriminant_size == 1);
  CHECK(v.flat == V{ValType::I32, ValType::I64});
  CHECK(p.type(f.type("f9")).size == 2);
  CHECK(p.type(f.type("f33")).size == 8);
  CHECK(p.type(f.type("f33")).flat == V{ValType::I32, ValType::I32});
  CHECK(p.type(f.type("e")).size == 1);
  const auto& o = p.type(f.type("o"));
  CHECK(o.size == 16);
  CHECK(o.flat == V{ValType::I32, ValType::F64});
  const auto& res = p.type(f.type("res"));
  CHECK(res.size == 12);
  CHECK(res.payload_offset == 4);
  CHECK(res.flat == V{ValType::I32, ValType::I32, ValType::I32});
  CHECK(res.owns_memory);
  CHECK(p.type(f.type("bytes")).list_mode == bindgen::ListMode::Copy);
  CHECK(p.type(f.type("strs")).list_mode == bindgen::ListMode::Elements);
  CHECK(p.type(f.type("fixed")).size == 6);
  CHECK(p.type(f.type("fixed")).flat == V{ValType::I32, ValType::I32, ValType::I32});
}

TEST_CASE("function plans: flattening limits, return areas, post-return") {
  Fixture f(R"(
    small: func(a: u32, b: f64) -> u64;
    two: func() -> tuple<u32, u32>;
    text: func(s: string) -> string;
    wide: func(a: list<u8>, b: list<u8>, c: list<u8>, d: list<u8>, e: list<u8>, f: list<u8>,
               g: list<u8>, h: list<u8>, i: u32) -> u32;
  )");
  bindgen::Planner p(f.resolve);
  auto small = p.function(f.func("small"), Direction::Import, "t:t/i");
  CHECK(small.signature.type.params == V{ValType::I32, ValType::F64});
  CHECK(small.signature.type.results == V{ValType::I64});
  CHECK_FALSE(small.params_indirect);
  CHECK_FALSE(small.results_indirect);
  CHECK(small.core_name == "small");

  // Two flat results exceed MAX_FLAT_RESULTS: a pointer parameter (lower)
  // or a pointer result (lift).
  auto imp = p.function(f.func("two"), Direction::Import, "t:t/i");
  CHECK(imp.results_indirect);
  CHECK(imp.signature.type.params == V{ValType::I32});
  CHECK(imp.signature.type.results.empty());
  CHECK(imp.ret_size == 8);
  auto exp = p.function(f.func("two"), Direction::Export, "t:t/i");
  CHECK(exp.signature.type.results == V{ValType::I32});
  CHECK(exp.core_name == "t:t/i#two");
  CHECK(exp.post_return.empty());

  auto text = p.function(f.func("text"), Direction::Export, "t:t/i");
  CHECK(text.post_return == "cabi_post_t:t/i#text");
  CHECK(text.signature.type.params == V{ValType::I32, ValType::I32});

  // 17 flat parameters exceed MAX_FLAT_PARAMS: one pointer to a params record.
  auto wide = p.function(f.func("wide"), Direction::Import, "t:t/i");
  CHECK(wide.params_indirect);
  CHECK(wide.signature.type.params == V{ValType::I32});
  CHECK(wide.params.back().offset == 64);
  CHECK(wide.params_size == 68);
}

TEST_CASE("world plan: interfaces, modules and resources") {
  wit::Resolve resolve;
  auto roots = wit::load_text(resolve, "t.wit", R"(
    package t:t;
    interface i { resource r { constructor(); m: func(); } }
    world w { import i; export i; import f: func(); export g: func(); }
  )");
  REQUIRE(roots.has_value());
  bindgen::Planner p(resolve);
  auto wp = p.world(*resolve.packages[roots->front()].worlds.find("w"));
  REQUIRE(wp.imports.size() == 2);
  CHECK(wp.imports[0].module == "$root");
  CHECK(wp.imports[1].module == "t:t/i");
  REQUIRE(wp.imports[1].resources.size() == 1);
  CHECK(wp.imports[1].resources[0].module == "t:t/i");
  REQUIRE(wp.exports.size() == 2);
  CHECK(wp.exports[0].functions[0].core_name == "g");
  CHECK(wp.exports[1].resources[0].module == "[export]t:t/i");
  CHECK(wp.exports[1].resources[0].dtor_export == "t:t/i#[dtor]r");
  CHECK_FALSE(wp.has_async);
}

TEST_CASE("C++ names follow wit-bindgen cpp") {
  wit::Resolve resolve;
  auto roots = wit::load_text(resolve, "t.wit", R"(
    package my-ns:pkg;
    interface to-test { record r1 { a-b: u8 } roundtrip-u8: func(a: u8) -> u8; }
    world runner { import to-test; export run: func(); }
  )");
  REQUIRE(roots.has_value());
  auto files = bindgen::generate_cpp(resolve, *resolve.packages[roots->front()].worlds.find("runner"), {});
  REQUIRE(files.has_value());
  const auto* h = files->find("runner_cpp.h");
  REQUIRE(h);
  CHECK(h->contents.find("namespace my_ns::pkg::to_test {") != std::string::npos);
  CHECK(h->contents.find("uint8_t RoundtripU8(uint8_t a);") != std::string::npos);
  CHECK(h->contents.find("  uint8_t a_b;") != std::string::npos);
  CHECK(h->contents.find("namespace exports::runner {\nvoid Run();") != std::string::npos);
  CHECK(files->find("runner.cpp"));
  CHECK(files->find("wit.h"));
}
