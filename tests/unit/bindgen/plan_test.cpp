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

TEST_CASE("async function plans: [async-lower], [async-lift], callback, task.return") {
  Fixture f(R"(
    get: async func(a: u32, s: string) -> string;
    many: async func(a: u32, b: u32, c: u32, d: u32, e: u32);
    none: async func();
    big: async func() -> tuple<u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64, u64>;
  )");
  bindgen::Planner p(f.resolve);
  // Async lower (CanonicalABI.md flatten_functype): at most 4 flat
  // parameters, the result through a pointer, an i32 status.
  auto get = p.function(f.func("get"), Direction::Import, "t:t/i");
  CHECK(get.core_name == "[async-lower]get");
  CHECK(get.signature.type.params == V{ValType::I32, ValType::I32, ValType::I32, ValType::I32});
  CHECK(get.signature.type.results == V{ValType::I32});
  CHECK_FALSE(get.params_indirect);
  auto many = p.function(f.func("many"), Direction::Import, "t:t/i");
  CHECK(many.params_indirect);
  CHECK(many.signature.type.params == V{ValType::I32});
  CHECK(many.params_size == 20);
  auto none = p.function(f.func("none"), Direction::Import, "$root");
  CHECK(none.signature.type.params.empty());
  CHECK(none.signature.type.results == V{ValType::I32});

  // Async lift with a callback: MAX_FLAT_PARAMS, an i32 callback code; the
  // result goes through task.return, which takes it as parameters.
  auto exp = p.function(f.func("get"), Direction::Export, "t:t/i");
  CHECK(exp.core_name == "[async-lift]t:t/i#get");
  CHECK(exp.callback == "[callback][async-lift]t:t/i#get");
  CHECK(exp.signature.type.params == V{ValType::I32, ValType::I32, ValType::I32});
  CHECK(exp.signature.type.results == V{ValType::I32});
  CHECK(exp.post_return.empty());
  CHECK(exp.task_return_module == "[export]t:t/i");
  CHECK(exp.task_return_name == "[task-return]get");
  CHECK(exp.task_return_signature.type.params == V{ValType::I32, ValType::I32});
  CHECK(exp.task_return_signature.type.results.empty());
  auto root = p.function(f.func("none"), Direction::Export, "");
  CHECK(root.core_name == "[async-lift]none");
  CHECK(root.task_return_module == "[export]$root");
  CHECK(root.task_return_signature.type.params.empty());
  // 17 flat result values exceed MAX_FLAT_PARAMS: task.return takes a pointer.
  auto big = p.function(f.func("big"), Direction::Export, "t:t/i");
  CHECK(big.task_return_signature.params_indirect);
  CHECK(big.task_return_signature.type.params == V{ValType::I32});
}

TEST_CASE("futures and streams of a signature, in find_futures_and_streams order") {
  Fixture f(R"(
    type t = stream<u8>;
    foo: func(x: future<future<u32>>, y: u32) -> t;
    bar: func(r: result<stream, future<list<string>>>);
  )");
  bindgen::Planner p(f.resolve);
  // wit-parser's example: [future<u32>, future<future<u32>>, stream<u8>].
  auto imp = p.function(f.func("foo"), Direction::Import, "t:t/i");
  REQUIRE(imp.async_values.size() == 3);
  CHECK_FALSE(imp.async_values[0].is_stream);
  CHECK(imp.async_values[0].payload == wit::Type::prim(wit::Type::Kind::U32));
  CHECK_FALSE(imp.async_values[1].is_stream);
  CHECK(imp.async_values[2].is_stream);
  CHECK(imp.async_values[2].payload == wit::Type::prim(wit::Type::Kind::U8));
  for (uint32_t i = 0; i < 3; ++i) {
    CHECK(imp.async_values[i].index == i);
    CHECK(imp.async_values[i].intrinsic_module == "t:t/i");
    CHECK(imp.async_values[i].function == "foo");
  }
  auto exp = p.function(f.func("bar"), Direction::Export, "t:t/i");
  REQUIRE(exp.async_values.size() == 2);
  CHECK(exp.async_values[0].is_stream);
  CHECK_FALSE(exp.async_values[0].payload.has_value());
  CHECK_FALSE(exp.async_values[1].is_stream);
  CHECK(exp.async_values[1].intrinsic_module == "[export]t:t/i");
  auto root = p.function(f.func("bar"), Direction::Export, "");
  CHECK(root.async_values[0].intrinsic_module == "[export]$root");
}

TEST_CASE("C++ async API: declarations of async imports and exports") {
  wit::Resolve resolve;
  auto roots = wit::load_text(resolve, "t.wit", R"(
    package t:t;
    interface i { get: async func(a: string) -> list<u8>; put: func(s: stream<u8>) -> future<u32>; }
    world w { import i; export i; }
  )");
  REQUIRE(roots.has_value());
  auto files = bindgen::generate_cpp(resolve, *resolve.packages[roots->front()].worlds.find("w"), {});
  REQUIRE(files.has_value());
  const std::string& h = files->find("w_cpp.h")->contents;
  CHECK(h.find("wit::subtask<wit::vector<uint8_t>> Get(std::string_view a);") != std::string::npos);
  CHECK(h.find("void Get(wit::string a, wit::task_return<wit::vector<uint8_t>> _return);") != std::string::npos);
  CHECK(h.find("template <> struct stream_traits<uint8_t> {") != std::string::npos);
  CHECK(h.find("template <> struct future_traits<uint32_t> {") != std::string::npos);
  const std::string& c = files->find("w.cpp")->contents;
  CHECK(c.find("import_module(\"t:t/i\"), import_name(\"[async-lower]get\")") != std::string::npos);
  CHECK(c.find("import_name(\"[async-lower][stream-read-0]put\")") != std::string::npos);
  CHECK(c.find("import_name(\"[future-new-1]put\")") != std::string::npos);
  CHECK(c.find("__export_name__(\"[callback][async-lift]t:t/i#get\")") != std::string::npos);
  CHECK(c.find("import_module(\"[export]t:t/i\"), import_name(\"[task-return]get\")") != std::string::npos);
}

TEST_CASE("C++ async API: WIT types of one C++ type keep their own traits and built-ins") {
  wit::Resolve resolve;
  auto roots = wit::load_text(resolve, "t.wit", R"(
    package t:t;
    interface i {
      n: func() -> future<u32>;
      c: func(l: stream<list<char>>) -> future<char>;
      m: func() -> future<future<char>>;
    }
    world w { import i; }
  )");
  REQUIRE(roots.has_value());
  auto files = bindgen::generate_cpp(resolve, *resolve.packages[roots->front()].worlds.find("w"), {});
  REQUIRE(files.has_value());
  const std::string& h = files->find("w_cpp.h")->contents;
  CHECK(h.find("wit::future<uint32_t> N();") != std::string::npos);
  CHECK(h.find("wit::future<uint32_t, wit::char_tag> C(wit::stream<wit::vector<uint32_t>, wit::vector<wit::char_tag>> l);") !=
        std::string::npos);
  CHECK(h.find("wit::future<wit::future<uint32_t, wit::char_tag>> M();") != std::string::npos);
  CHECK(h.find("template <> struct future_traits<uint32_t> {") != std::string::npos);
  CHECK(h.find("template <> struct future_traits<uint32_t, wit::char_tag> {") != std::string::npos);
  const std::string& c = files->find("w.cpp")->contents;
  CHECK(c.find("wit::future_traits<uint32_t>::new_() { return __wasm_import_t_t_i__future_new_0_n(); }") != std::string::npos);
  CHECK(c.find("wit::future_traits<uint32_t, wit::char_tag>::new_() { return __wasm_import_t_t_i__future_new_1_c(); }") !=
        std::string::npos);
  CHECK(c.find("import_name(\"[future-cancel-read-1]c\")") != std::string::npos);
}

TEST_CASE("--with names an imported interface; an unknown one is an error") {
  wit::Resolve resolve;
  auto roots = wit::load_text(resolve, "t.wit", R"(
    package t:t@1.0.0;
    interface i { f: func(); }
    world w { import i; export run: func(); }
  )");
  REQUIRE(roots.has_value());
  auto world = *resolve.packages[roots->front()].worlds.find("w");
  bindgen::CppOptions opts;
  opts.with = {{"t:t/i@1.0.0", "i.h"}};
  auto files = bindgen::generate_cpp(resolve, world, opts);
  REQUIRE(files.has_value());
  CHECK(files->find("w_cpp.h")->contents.find("#include \"i.h\"") != std::string::npos);
  CHECK(files->find("w.cpp")->contents.find("import_name(\"f\")") == std::string::npos);
  opts.with = {{"t:t/i", "i.h"}};  // without the version
  CHECK(bindgen::generate_cpp(resolve, world, opts).has_value());
  opts.with = {{"t:t/nope", "i.h"}};
  auto bad = bindgen::generate_cpp(resolve, world, opts);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message == "--with `t:t/nope=i.h`: world `w` imports no interface `t:t/nope`");
}
