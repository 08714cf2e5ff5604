// Worlds as component types (encode.h): the metadata component's layout,
// the relocatable object file, world selection and the dummy's names.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"
#include "witc/bin/reader.h"
#include "witc/bin/validate.h"
#include "witc/composer/decode.h"
#include "witc/composer/embed.h"
#include "witc/composer/encode.h"
#include "witc/composer/metadata.h"
#include "witc/wit/wit.h"

using namespace witc;

namespace {

struct Loaded {
  wit::Resolve r;
  std::vector<wit::PackageId> roots;
};

Loaded load(const std::string& text) {
  Loaded l;
  auto roots = wit::load_text(l.r, "test.wit", text);
  REQUIRE_MESSAGE(roots, (roots ? "" : render(roots.error(), &l.r.sources)));
  l.roots = *roots;
  return l;
}

wit::WorldId world(const Loaded& l, std::optional<std::string_view> name = std::nullopt) {
  auto w = compose::select_world(l.r, l.roots, name);
  REQUIRE_MESSAGE(w, (w ? "" : render(w.error())));
  return *w;
}

const char* kWorld = R"(package foo:bar@1.2.3;
interface types {
  record point { x: u32, y: u32 }
  resource r { constructor(a: u32); get: func() -> u32; }
  f: func(p: point) -> string;
}
world w {
  import types;
  use types.{point};
  import log: func(msg: string, at: point);
  export run: func(x: list<u8>) -> result<u32, string>;
  export types;
}
world other {}
)";

}  // namespace

TEST_CASE("metadata: the component a component-type section carries") {
  Loaded l = load(kWorld);
  auto bytes = compose::encode_world_metadata(l.r, world(l, "w"));
  REQUIRE(bytes);
  auto c = bin::read_component(*bytes);
  REQUIRE(c);
  // custom, type, export, custom — in that order.
  REQUIRE(c->sections.size() == 4);
  CHECK(c->sections[0].id == bin::ComponentSectionId::Custom);
  CHECK(c->customs[0].name == "wit-component-encoding");
  auto enc = c->bytes(c->customs[0].data);
  CHECK(std::vector<uint8_t>(enc.begin(), enc.end()) == std::vector<uint8_t>{0x04, 0x00});
  CHECK(c->sections[1].id == bin::ComponentSectionId::Type);
  CHECK(c->sections[2].id == bin::ComponentSectionId::Export);
  REQUIRE(c->exports.size() == 1);
  CHECK(c->exports[0].name.name == "w");
  CHECK(c->customs[1].name == "producers");
  // The wrapper exports the world under its full name.
  const bin::TypeDef& outer = c->types.at(0);
  REQUIRE(outer.decls.size() == 2);
  CHECK(outer.decls[1].name.name == "foo:bar/w@1.2.3");
  const bin::TypeDef& inner = *outer.decls[0].type;
  std::vector<std::string> names;
  for (const auto& d : inner.decls) {
    if (d.kind == bin::Declarator::Kind::Import || d.kind == bin::Declarator::Kind::Export) {
      names.push_back(d.name.name);
    }
  }
  CHECK(names == std::vector<std::string>{"foo:bar/types@1.2.3", "point", "log", "run",
                                          "foo:bar/types@1.2.3"});
  CHECK(bin::validate_component_binary(*bytes));
}

TEST_CASE("metadata: string encodings and producers") {
  Loaded l = load(kWorld);
  auto w = world(l, "w");
  auto utf16 = compose::encode_world_metadata(l.r, w, compose::StringEncoding::Utf16);
  auto compact = compose::encode_world_metadata(l.r, w, compose::StringEncoding::CompactUtf16);
  REQUIRE(utf16);
  REQUIRE(compact);
  // preamble (8), custom id + size (2), name (1 + 22), version, encoding
  CHECK((*utf16)[8 + 2 + 23 + 1] == 0x01);
  CHECK((*compact)[8 + 2 + 23 + 1] == 0x02);
  auto mine = compose::encode_world_metadata(l.r, w, compose::StringEncoding::Utf8, {{"witc", "9.9"}});
  REQUIRE(mine);
  std::string text(mine->begin(), mine->end());
  CHECK(text.find("witc") != std::string::npos);
  CHECK(text.find("0.259.0") == std::string::npos);  // no reference producer
}

TEST_CASE("component_type_object: a relocatable object wasm-ld keeps") {
  Loaded l = load(kWorld);
  auto w = world(l, "w");
  auto obj = compose::component_type_object(l.r, w);
  REQUIRE(obj);
  auto m = bin::read_module(*obj);
  REQUIRE(m);
  CHECK(bin::validate_module(*m, {}));
  REQUIRE(m->customs.size() == 2);
  CHECK(m->customs[0].name == "component-type:w");
  CHECK(m->customs[1].name == "linking");
  CHECK(compose::component_type_link_symbol(l.r, w) == "__component_type_object_force_link_w");
  auto sections = compose::component_type_sections(*m);
  REQUIRE(sections.size() == 1);
  CHECK(bin::validate_component_binary(sections[0].bytes));
  auto linking = m->bytes(m->customs[1].data);
  CHECK(linking[0] == 2);  // linking version
  CHECK(linking[1] == 8);  // symbol table
}

TEST_CASE("select_world: names, qualified names and the reference's errors") {
  Loaded l = load(kWorld);
  CHECK(compose::select_world(l.r, l.roots, "foo:bar/other@1.2.3"));
  CHECK(compose::select_world(l.r, l.roots, "foo:bar/other"));  // the only version
  auto none = compose::select_world(l.r, l.roots, std::nullopt);
  REQUIRE_FALSE(none);
  CHECK(none.error().message ==
        "there are multiple worlds in `foo:bar@1.2.3`; one must be explicitly chosen:\n"
        "  foo:bar/w@1.2.3\n  foo:bar/other@1.2.3");
  auto missing = compose::select_world(l.r, l.roots, "nope");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().message == "world `nope` not found in package `foo:bar@1.2.3`");
  auto pkg = compose::select_world(l.r, l.roots, "a:b/w");
  REQUIRE_FALSE(pkg);
  CHECK(pkg.error().message == "unknown package `a:b`");
}

TEST_CASE("dummy: standard and legacy names") {
  Loaded l = load(kWorld);
  auto w = world(l, "w");
  auto names_of = [](const bin::Module& m) {
    std::vector<std::string> out;
    for (const auto& i : m.imports) out.push_back(i.module + " " + i.name);
    for (const auto& e : m.exports) out.push_back(e.name);
    return out;
  };
  auto standard = compose::dummy_module(l.r, w);
  REQUIRE(standard);
  auto sm = bin::read_module(*standard);
  REQUIRE(sm);
  CHECK(bin::validate_module(*sm, {}));
  CHECK(names_of(*sm) == std::vector<std::string>{
                             "cm32p2|foo:bar/types@1 [constructor]r",
                             "cm32p2|foo:bar/types@1 [method]r.get",
                             "cm32p2|foo:bar/types@1 f",
                             "cm32p2|foo:bar/types@1 r_drop",
                             "cm32p2 log",
                             "cm32p2|_ex_foo:bar/types@1 r_drop",
                             "cm32p2|_ex_foo:bar/types@1 r_new",
                             "cm32p2|_ex_foo:bar/types@1 r_rep",
                             "cm32p2||run",
                             "cm32p2||run_post",
                             "cm32p2|foo:bar/types@1|[constructor]r",
                             "cm32p2|foo:bar/types@1|[constructor]r_post",
                             "cm32p2|foo:bar/types@1|[method]r.get",
                             "cm32p2|foo:bar/types@1|[method]r.get_post",
                             "cm32p2|foo:bar/types@1|f",
                             "cm32p2|foo:bar/types@1|f_post",
                             "cm32p2|foo:bar/types@1|r_dtor",
                             "cm32p2_memory",
                             "cm32p2_realloc",
                             "cm32p2_initialize",
                         });
  auto legacy = compose::dummy_module(l.r, w, compose::DummyNames::Legacy);
  REQUIRE(legacy);
  auto lm = bin::read_module(*legacy);
  REQUIRE(lm);
  auto names = names_of(*lm);
  CHECK(names.front() == "foo:bar/types@1.2.3 [constructor]r");
  CHECK(std::find(names.begin(), names.end(), "$root log") != names.end());
  CHECK(std::find(names.begin(), names.end(), "[export]foo:bar/types@1.2.3 [resource-new]r") != names.end());
  CHECK(std::find(names.begin(), names.end(), "cabi_post_foo:bar/types@1.2.3#f") != names.end());
  CHECK(std::find(names.begin(), names.end(), "foo:bar/types@1.2.3#[dtor]r") != names.end());
  CHECK(names.back() == "_initialize");
}

TEST_CASE("embed: malformed core modules are refused with an offset") {
  Loaded l = load(kWorld);
  auto w = world(l, "w");
  std::vector<uint8_t> bad = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01};
  auto out = compose::embed_world(bad, l.r, w);
  REQUIRE_FALSE(out);
  CHECK(out.error().offset.has_value());
  std::vector<uint8_t> comp = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  auto c = compose::embed_world(comp, l.r, w);
  REQUIRE_FALSE(c);
  CHECK(c.error().message == "expected a core module, found a component");
}

TEST_CASE("component_type_object: wasm-ld keeps the section (needs clang-19)") {
  if (std::system("command -v clang-19 >/dev/null 2>&1") != 0) {
    MESSAGE("clang-19 not found: skipped");
    return;
  }
  Loaded l = load(R"(package demo:greet;
world greeter {
  import log: func(msg: string);
  export greet: func(name: string) -> string;
}
)");
  auto w = world(l);
  auto obj = compose::component_type_object(l.r, w);
  REQUIRE(obj);
  auto dir = std::filesystem::temp_directory_path() / "witc-encode-link-test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "ct.o", std::ios::binary)
      .write(reinterpret_cast<const char*>(obj->data()), static_cast<std::streamsize>(obj->size()));
  std::ofstream(dir / "guest.c") << R"(
__attribute__((import_module("$root"), import_name("log"))) void host_log(const char*, unsigned long);
__attribute__((export_name("greet"))) int greet(char* p, unsigned long n) { host_log(p, n); return 0; }
)";
  std::string cmd = "cd '" + dir.string() +
                    "' && clang-19 --target=wasm32 -nostdlib -Wl,--no-entry -O1 guest.c ct.o -o linked.wasm";
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(dir / "linked.wasm", std::ios::binary);
  std::vector<uint8_t> linked{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto m = bin::read_module(linked);
  REQUIRE(m);
  auto sections = compose::component_type_sections(*m);
  REQUIRE(sections.size() == 1);
  CHECK(sections[0].name == "component-type:greeter");
  auto meta = compose::encode_world_metadata(l.r, w, compose::StringEncoding::Utf8,
                                             {compose::reference_producer(), {"witc", "0.1.0"}});
  REQUIRE(meta);
  CHECK(std::vector<uint8_t>(sections[0].bytes.begin(), sections[0].bytes.end()) == *meta);
  std::filesystem::remove_all(dir);
}

// A whole package as a type-only component: it validates, is recognised as
// a WIT package encoding, and decodes to the same package (docs aside).
TEST_CASE("encode_wit_package: decodes back to the package") {
  const char* text = R"(package foo:bar@1.2.3;

interface types {
  record point {
    x: u32,
    y: u32,
  }

  resource r {
    constructor(a: u32);
    get: func() -> u32;
  }

  f: func(p: point) -> string;
}

interface uses {
  use types.{point, r};

  g: func(p: point, r: borrow<r>) -> list<point>;
}

world w {
  import uses;
  import log: func(msg: string);

  export types;
}

world other {
}
)";
  Loaded l = load(text);
  REQUIRE(l.roots.size() == 1);
  auto bytes = compose::encode_wit_package(l.r, l.roots[0]);
  REQUIRE_MESSAGE(bytes, (bytes ? "" : render(bytes.error())));
  auto c = bin::read_component(*bytes);
  REQUIRE(c);
  auto info = bin::validate_component(*c, bin::ComponentFeatures::all());
  REQUIRE_MESSAGE(info, (info ? "" : render(info.error())));
  CHECK(compose::is_wit_package(*c, *info));
  // Interfaces, then worlds, each exported under its name.
  REQUIRE(c->exports.size() == 4);
  CHECK(c->exports[0].name.name == "types");
  CHECK(c->exports[1].name.name == "uses");
  CHECK(c->exports[2].name.name == "w");
  CHECK(c->exports[3].name.name == "other");
  auto decoded = compose::decode(*c, *info);
  REQUIRE_MESSAGE(decoded, (decoded ? "" : render(decoded.error())));
  CHECK(compose::print_main_package(*decoded) == wit::print(l.r, l.roots));
}
