// `witc component new` (composer/new.h) and the adapter reduction
// (adapter_gc.h).
//
// Against the reference: every dummy module of tests/fixtures/embed (and
// components/embedded) becomes a component whose WIT is what `jco wit`
// prints for the component `jco new` makes of the same module
// (tests/fixtures/new/*.jco.wit, regen.sh), with the standard `cm32p2` names
// of the fixture and with the legacy names of wit-bindgen. Then the errors
// for modules that do not fit their world, the reduction of synthetic
// adapters, and the jco preview1 reactor adapter merged in (when JCO_DIR has
// it).
#include "witc/composer/new.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "wasm_builder.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"
#include "witc/bin/reader.h"
#include "witc/bin/validate.h"
#include "witc/bin/writer.h"
#include "witc/composer/adapter_gc.h"
#include "witc/composer/decode.h"
#include "witc/composer/embed.h"
#include "witc/wit/wit.h"

namespace fs = std::filesystem;
using namespace witc;
using namespace witc::test;

namespace {

const fs::path kFixtures = fs::path(WITC_SOURCE_DIR) / "tests/fixtures";

std::vector<uint8_t> slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), {});
}

std::string slurp_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// The WIT `jco wit` would print for a component (with its final newline).
std::string wit_of(const std::vector<uint8_t>& component) {
  auto d = compose::decode_component_binary(component);
  REQUIRE_MESSAGE(d.has_value(), (d ? "" : render(d.error())));
  return compose::print_main_package(*d) + "\n";
}

std::vector<uint8_t> make(std::span<const uint8_t> core, const compose::NewOptions& options = {}) {
  auto c = compose::component_new(core, options);
  REQUIRE_MESSAGE(c.has_value(), (c ? "" : render(c.error())));
  return std::move(*c);
}

std::string error_of(std::span<const uint8_t> core, const compose::NewOptions& options = {}) {
  auto c = compose::component_new(core, options);
  REQUIRE_FALSE(c.has_value());
  return render(c.error());
}

struct EmbedCase {
  std::string name, world, wit;
  bool known_diff = false;
};

std::vector<EmbedCase> dummy_cases() {
  std::vector<EmbedCase> out;
  std::ifstream in(kFixtures / "embed/cases.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    EmbedCase c;
    std::string mode, enc, flag;
    ss >> c.name >> mode >> enc >> c.world >> c.wit >> flag;
    c.known_diff = flag == "known-diff";
    if (mode == "dummy") out.push_back(std::move(c));
  }
  return out;
}

std::string expand(const std::string& path) {
  if (path.starts_with("$SRC")) return std::string(WITC_SOURCE_DIR) + path.substr(4);
  if (path.starts_with("$SHARED")) return std::string(WITC_SHARED_DIR) + path.substr(7);
  return (kFixtures / "embed" / path).string();
}

// A WIT text loaded, its only world embedded into `core` (or into a dummy
// module with the given names).
struct World {
  wit::Resolve r;
  wit::WorldId world;
};
World load_world(const std::string& text) {
  World w;
  auto roots = wit::load_text(w.r, "test.wit", text);
  REQUIRE_MESSAGE(roots.has_value(), (roots ? "" : render(roots.error())));
  auto world = compose::select_world(w.r, *roots, std::nullopt);
  REQUIRE(world.has_value());
  w.world = *world;
  return w;
}
std::vector<uint8_t> embedded_dummy(const std::string& text, compose::DummyNames names) {
  World w = load_world(text);
  auto m = compose::dummy_module(w.r, w.world, names);
  REQUIRE(m.has_value());
  auto e = compose::embed_world(*m, w.r, w.world);
  REQUIRE(e.has_value());
  return std::move(*e);
}

// Edits a core module, then embeds the world again.
template <class F>
std::vector<uint8_t> edited_dummy(const std::string& text, F edit) {
  World w = load_world(text);
  auto m = compose::dummy_module(w.r, w.world, compose::DummyNames::Legacy);
  REQUIRE(m.has_value());
  auto module = bin::read_module(std::span<const uint8_t>(*m));
  REQUIRE(module.has_value());
  edit(*module);
  for (auto& s : module->sections) s.present = false;  // written afresh
  auto e = compose::embed_world(bin::write_module(*module), w.r, w.world);
  REQUIRE_MESSAGE(e.has_value(), (e ? "" : render(e.error())));
  return std::move(*e);
}

void drop_export(bin::Module& m, std::string_view name) {
  std::erase_if(m.exports, [&](const bin::Export& e) { return e.name == name; });
}

const char* kStrings = R"(package t:s;
interface i { greet: func(who: string) -> string; }
world w { import i; export run: func(x: string) -> string; }
)";

}  // namespace

TEST_CASE("new: every dummy module gives the WIT of jco new's component (standard and legacy names)") {
  int checked = 0;
  for (const auto& c : dummy_cases()) {
    CAPTURE(c.name);
    std::string expected = slurp_text(kFixtures / "new" / (c.name + ".jco.wit"));
    REQUIRE(!expected.empty());
    auto core = slurp(kFixtures / "embed" / (c.name + ".wasm"));
    auto component = make(core);
    CHECK(bin::validate_component_binary(component, bin::ComponentFeatures::all()).has_value());
    CHECK(wit_of(component) == expected);
    ++checked;
    // The same world with wit-bindgen's names (the legacy mangling). The
    // known-diff cases encode their world in another import order.
    if (c.known_diff) continue;
    wit::Resolve r;
    r.features.all = true;
    auto roots = wit::load_path(r, expand(c.wit));
    REQUIRE(roots.has_value());
    std::optional<std::string_view> name;
    if (c.world != "-") name = c.world;
    auto world = compose::select_world(r, *roots, name);
    REQUIRE(world.has_value());
    auto legacy = compose::dummy_module(r, *world, compose::DummyNames::Legacy);
    REQUIRE(legacy.has_value());
    auto embedded = compose::embed_world(*legacy, r, *world);
    REQUIRE(embedded.has_value());
    CHECK(wit_of(make(*embedded)) == expected);
  }
  for (const auto& entry : fs::directory_iterator(kFixtures / "components/embedded")) {
    std::string name = "embedded-" + entry.path().stem().string();
    CAPTURE(name);
    CHECK(wit_of(make(slurp(entry.path()))) == slurp_text(kFixtures / "new" / (name + ".jco.wit")));
    ++checked;
  }
  CHECK(checked >= 30);
}

TEST_CASE("new: a module must say which world it implements") {
  World w = load_world(kStrings);
  auto m = compose::dummy_module(w.r, w.world, compose::DummyNames::Legacy);
  REQUIRE(m.has_value());
  CHECK(error_of(*m).find("no `component-type` custom section") != std::string::npos);
  CHECK(error_of(std::vector<uint8_t>{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00}).find("failed to read the core module") !=
        std::string::npos);
}

TEST_CASE("new: errors name the export the module lacks or mistypes") {
  auto missing = edited_dummy(kStrings, [](bin::Module& m) { drop_export(m, "run"); });
  CHECK(error_of(missing) == "module does not export function `run` (export `run` of world `w`)");

  auto mistyped = edited_dummy(kStrings, [](bin::Module& m) {
    drop_export(m, "run");
    for (auto& e : m.exports) {
      if (e.name == "_initialize") e.name = "run";  // [] -> [], not [i32 i32] -> [i32]
    }
  });
  CHECK(error_of(mistyped).find("type mismatch for function `run` exported as `run`: expected [i32 i32] -> [i32]") !=
        std::string::npos);
}

TEST_CASE("new: errors name the import the world does not have") {
  auto unknown_module = edited_dummy(kStrings, [](bin::Module& m) {
    for (auto& im : m.imports) im.module = "t:s/other";
  });
  CHECK(error_of(unknown_module) ==
        "module imports function `greet` from `t:s/other`, which is neither an import of world `w` nor an adapter");

  auto unknown_func = edited_dummy(kStrings, [](bin::Module& m) {
    for (auto& im : m.imports) im.name = "farewell";
  });
  CHECK(error_of(unknown_func) == "module imports `farewell` from `t:s/i`, which interface `t:s/i` does not define");

  auto async_builtin = edited_dummy(kStrings, [](bin::Module& m) { m.imports[0].name = "[waitable-set-new]"; });
  CHECK(error_of(async_builtin) ==
        "module imports `[waitable-set-new]` from `t:s/i`, which interface `t:s/i` does not define (the "
        "canonical built-ins are imported from `$root`)");

  auto mistyped = edited_dummy(kStrings, [](bin::Module& m) {
    bin::FuncType t;
    t.params = {bin::ValType::I32};
    m.types.push_back(t);
    m.imports[0].func = bin::TypeIdx(static_cast<uint32_t>(m.types.size() - 1));
  });
  CHECK(error_of(mistyped) ==
        "type mismatch for function `greet` imported from `t:s/i`: expected [i32 i32 i32] -> [] but found [i32] -> []");
}

TEST_CASE("new: a lowering or lifting that allocates needs cabi_realloc") {
  auto no_realloc = edited_dummy(kStrings, [](bin::Module& m) { drop_export(m, "cabi_realloc"); });
  CHECK(error_of(no_realloc) == "the export `run` needs `cabi_realloc`, which the module does not export");

  const char* import_only = R"(package t:s;
interface i { greet: func(who: string) -> string; }
world w { import i; }
)";
  auto import_no_realloc = edited_dummy(import_only, [](bin::Module& m) { drop_export(m, "cabi_realloc"); });
  CHECK(error_of(import_no_realloc) ==
        "the import `greet` from `t:s/i` needs `cabi_realloc`, which the module does not export");

  auto no_memory = edited_dummy(import_only, [](bin::Module& m) { drop_export(m, "memory"); });
  CHECK(error_of(no_memory) == "the import `greet` from `t:s/i` needs the module's memory, which it does not export");
}

TEST_CASE("new: a lowering that needs the module's memory goes through the shim table") {
  auto core = embedded_dummy(kStrings, compose::DummyNames::Legacy);
  auto component = make(core);
  auto c = bin::read_component(std::span<const uint8_t>(component));
  REQUIRE(c.has_value());
  // main, shim, fixup, start module (for `_initialize`)
  REQUIRE(c->core_modules.size() == 4);
  auto shim = bin::read_module(c->core_module_bytes(c->core_modules[1]));
  REQUIRE(shim.has_value());
  REQUIRE(shim->tables.size() == 1);
  CHECK(shim->tables[0].type.limits.min == 1);  // `greet` alone: `run` is lifted
  auto fixup = bin::read_module(c->core_module_bytes(c->core_modules[2]));
  REQUIRE(fixup.has_value());
  CHECK(fixup->elements.size() == 1);
  // The main module keeps its bytes but loses its component-type section.
  auto main = bin::read_module(c->core_module_bytes(c->core_modules[0]));
  REQUIRE(main.has_value());
  for (const auto& cs : main->customs) CHECK_FALSE(cs.name.starts_with("component-type"));
  // No lowering needs anything: no shim at all.
  auto plain =
      make(embedded_dummy("package t:p;\ninterface i { f: func(x: u32) -> u32; }\n"
                          "world w { import i; export g: func(); }\n",
                          compose::DummyNames::Legacy));
  auto pc = bin::read_component(std::span<const uint8_t>(plain));
  REQUIRE(pc.has_value());
  CHECK(pc->core_modules.size() == 2);  // main and the start module
}

TEST_CASE("new: only what the module imports is imported") {
  const char* text = R"(package t:l;
interface types { resource blob; record big { s: own<blob> } record unused { x: u32 } }
interface a { use types.{blob, big}; f: func() -> big; g: func(x: u32); }
interface b { h: func(); }
world w { import a; import b; export run: func(); }
)";
  auto core = edited_dummy(text, [](bin::Module& m) {
    // Only `t:l/a` `f` stays imported (the other imports were unused).
    std::erase_if(m.imports, [](const bin::Import& im) { return im.name != "f"; });
    for (auto& e : m.exports) {
      if (e.kind == bin::ExternKind::Func) e.index -= 3;
    }
  });
  CHECK(wit_of(make(core)) ==
        "package root:component;\n\nworld root {\n  import t:l/types;\n  import t:l/a;\n\n"
        "  export run: func();\n}\n\n");
  auto d = compose::decode_component_binary(make(core));
  REQUIRE(d.has_value());
  const wit::Resolve& r = d->resolve;
  for (const auto& iface : r.interfaces) {
    if (iface.name == "types") {
      CHECK(iface.types.size() == 2);  // stream, big; not `unused`
      CHECK(iface.types.contains("big"));
    }
    if (iface.name == "a") {
      CHECK(iface.functions.size() == 1);
      CHECK(iface.functions.contains("f"));
    }
  }
}

// --- the adapter reduction ------------------------------------------------------------------

namespace {

// A name section naming globals (subsection 7).
Bytes global_names(const std::vector<std::pair<uint32_t, std::string>>& names) {
  Bytes sub = uleb(names.size());
  for (const auto& [i, n] : names) sub += uleb(i) + name(n);
  return Bytes{7} + uleb(sub.size()) + sub;
}

// A miniature preview1 adapter: `used` calls a helper that calls the import
// `b` and moves the stack pointer; `dead` calls `a` and goes through the
// table.
Bytes synthetic_adapter(bool with_allocation_state) {
  ModuleBuilder b;
  uint32_t void_i32 = b.type({vt::i32}, {});
  uint32_t realloc_t = b.type({vt::i32, vt::i32, vt::i32, vt::i32}, {vt::i32});
  uint32_t unused_t = b.type({vt::f64}, {vt::f64});
  b.import_memory("env", "memory", limits(0));
  uint32_t a = b.import_func("wasi:x/y@0.1.0", "a", void_i32);
  uint32_t realloc = b.import_func("__main_module__", "cabi_realloc", realloc_t);
  uint32_t imp_b = b.import_func("wasi:x/y@0.1.0", "b", void_i32);
  (void)realloc;
  (void)unused_t;
  b.global(vt::i32, true, Bytes{op::i32_const} + sleb(0) + Bytes{op::end});   // __stack_pointer
  b.global(vt::i32, true, Bytes{op::i32_const} + sleb(0) + Bytes{op::end});   // allocation_state
  b.global(vt::i32, false, Bytes{op::i32_const} + sleb(7) + Bytes{op::end});  // a constant
  b.table(vt::funcref, limits(1, 1));
  // helper: sp -= 16; *sp = x; b(x); (and reads the constant)
  uint32_t helper = b.func(void_i32, Bytes{op::global_get, 0, op::i32_const} + sleb(16) +
                                         Bytes{op::i32_sub, op::global_set, 0, op::global_get, 0, op::local_get, 0,
                                               op::i32_store, 2, 0, op::local_get, 0, op::call} +
                                         uleb(imp_b) + Bytes{op::global_get, 2, op::drop, op::end});
  uint32_t used = b.func(void_i32, Bytes{op::local_get, 0, op::call} + uleb(helper) + Bytes{op::end});
  Bytes state_use = with_allocation_state ? Bytes{op::global_get, 1, op::drop} : Bytes{};
  uint32_t dead = b.func(void_i32, state_use + Bytes{op::local_get, 0, op::call} + uleb(a) +
                                       Bytes{op::local_get, 0, op::i32_const, 0, op::call_indirect} + uleb(void_i32) +
                                       Bytes{0x00, op::end});
  if (with_allocation_state) {
    // `used` touches the allocation state too, keeping it live.
    used = b.func(void_i32,
                  Bytes{op::global_get, 1, op::drop, op::local_get, 0, op::call} + uleb(helper) + Bytes{op::end});
  }
  b.export_("used", 0x00, used);
  b.export_("dead", 0x00, dead);
  b.custom("name", global_names({{0, "__stack_pointer"}, {1, "allocation_state"}, {2, "constant"}}));
  return b.build();
}

bin::Module read(const std::vector<uint8_t>& bytes) {
  auto m = bin::read_module(std::span<const uint8_t>(bytes));
  REQUIRE_MESSAGE(m.has_value(), (m ? "" : render(m.error())));
  auto v = bin::validate_module(*m, bin::Features::all());
  REQUIRE_MESSAGE(v.has_value(), (v ? "" : render(v.error())));
  return std::move(*m);
}

std::vector<std::string> import_names(const bin::Module& m) {
  std::vector<std::string> out;
  for (const auto& im : m.imports) out.push_back(im.module + "." + im.name);
  return out;
}

}  // namespace

TEST_CASE("adapter gc: keeps what the kept exports reach, renumbered") {
  auto reduced = compose::gc_adapter(synthetic_adapter(true), {"used"}, std::string("cabi_realloc"));
  REQUIRE_MESSAGE(reduced.has_value(), (reduced ? "" : render(reduced.error())));
  bin::Module m = read(*reduced);
  // `a`, the table and `dead` are gone; the main module's realloc is
  // imported to allocate the stack with.
  CHECK(import_names(m) == std::vector<std::string>{"env.memory", "wasi:x/y@0.1.0.b", "__main_module__.cabi_realloc"});
  CHECK(m.tables.empty());
  REQUIRE(m.exports.size() == 1);
  CHECK(m.exports[0].name == "used");
  CHECK(m.globals.size() == 3);
  CHECK_FALSE(m.start.has_value());  // the stack is allocated lazily
  // helper, used, allocate_stack; `used` calls allocate_stack first.
  REQUIRE(m.functions.size() == 3);
  auto body = m.bytes(m.codes[1].body);
  REQUIRE(body.size() >= 3);
  CHECK(body[1] == 0x10);
  CHECK(body[2] == 4);  // 2 imports + helper + used -> allocate_stack is function 4
}

TEST_CASE("adapter gc: without an allocation state the stack comes from a start function") {
  auto reduced = compose::gc_adapter(synthetic_adapter(false), {"used"}, std::nullopt);
  REQUIRE_MESSAGE(reduced.has_value(), (reduced ? "" : render(reduced.error())));
  bin::Module m = read(*reduced);
  CHECK(import_names(m) == std::vector<std::string>{"env.memory", "wasi:x/y@0.1.0.b"});
  REQUIRE(m.start.has_value());
  // helper, used, realloc_via_memory_grow, allocate_stack (the start).
  CHECK(m.functions.size() == 4);
  CHECK(m.start->index == 1 + 3);
}

TEST_CASE("adapter gc: errors") {
  auto missing = compose::gc_adapter(synthetic_adapter(true), {"nope"}, std::nullopt);
  REQUIRE_FALSE(missing.has_value());
  CHECK(render(missing.error()) == "adapter module does not have export `nope`");
  auto table = compose::gc_adapter(synthetic_adapter(true), {"dead"}, std::nullopt);
  REQUIRE_FALSE(table.has_value());
  CHECK(render(table.error()) == "a table stays live in the reduced adapter module");
}

TEST_CASE("new: the jco preview1 reactor adapter, reduced to what the module imports") {
  const char* env = std::getenv("JCO_DIR");
  fs::path adapter_path =
      fs::path(env ? env : "/tmp/jco") / "node_modules/@bytecodealliance/jco/lib/wasi_snapshot_preview1.reactor.wasm";
  if (!fs::exists(adapter_path)) {
    MESSAGE("skipped: no preview1 adapter in JCO_DIR");
    return;
  }
  compose::NewOptions options;
  options.adapters.push_back({compose::adapter_name_from_path(adapter_path.string()), slurp(adapter_path)});
  CHECK(options.adapters[0].name == "wasi_snapshot_preview1");

  // A main module importing preview1 functions next to its world's.
  auto core_with = [&](std::vector<std::string> preview1) {
    return edited_dummy("package t:a;\nworld w { export run: func(); }\n", [&](bin::Module& m) {
      uint32_t n = 0;
      for (const auto& name : preview1) {
        bin::FuncType ft;
        ft.params.assign(name == "fd_write" ? 4 : 2, bin::ValType::I32);
        ft.results = {bin::ValType::I32};
        m.types.push_back(ft);
        bin::Import im;
        im.module = "wasi_snapshot_preview1";
        im.name = name;
        im.kind = bin::ExternKind::Func;
        im.func = bin::TypeIdx(static_cast<uint32_t>(m.types.size() - 1));
        m.imports.push_back(im);
        ++n;
      }
      for (auto& e : m.exports) {
        if (e.kind == bin::ExternKind::Func) e.index += n;
      }
    });
  };
  auto imports_of = [&](const std::vector<uint8_t>& component) {
    auto c = bin::read_component(std::span<const uint8_t>(component));
    REQUIRE(c.has_value());
    std::vector<std::string> names;
    for (const auto& im : c->imports) names.push_back(im.name.name);
    return names;
  };
  auto has = [](const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };

  // What `jco new` imports for the same modules (checked once by hand: the
  // adapter's error paths write to stderr).
  auto write = imports_of(make(core_with({"fd_write"}), options));
  CHECK(write == std::vector<std::string>{"wasi:io/error@0.2.12", "wasi:io/streams@0.2.12", "wasi:cli/stdin@0.2.12",
                                          "wasi:cli/stdout@0.2.12", "wasi:cli/stderr@0.2.12",
                                          "wasi:clocks/wall-clock@0.2.12", "wasi:filesystem/types@0.2.12",
                                          "wasi:filesystem/preopens@0.2.12"});
  auto random = imports_of(make(core_with({"random_get"}), options));
  CHECK(random == std::vector<std::string>{"wasi:io/error@0.2.12", "wasi:io/streams@0.2.12", "wasi:cli/stderr@0.2.12",
                                           "wasi:random/random@0.2.12"});
  CHECK(has(random, "wasi:random/random@0.2.12"));

  // Without the adapter the preview1 import means nothing.
  CHECK(error_of(core_with({"random_get"}))
            .find("module imports function `random_get` from "
                  "`wasi_snapshot_preview1`, which is neither") != std::string::npos);
}
