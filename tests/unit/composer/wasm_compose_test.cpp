// `witc compose ROOT.wasm` (wasm_compose.h): configuration, search, wiring and
// the errors the corpus does not cover.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "component_builder.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"
#include "witc/composer/explain.h"
#include "witc/composer/wasm_compose.h"

namespace {

using namespace witc;
using namespace witc::test;
using namespace witc::test::cm;
namespace fs = std::filesystem;

// An instance type exporting functions `funcs`, each `func(x: u32)`.
Bytes iface(std::vector<std::string_view> funcs) {
  std::vector<Bytes> decls;
  decls.push_back(decl::type(func({{"x", prim(pt::u32)}})));
  for (auto f : funcs) decls.push_back(decl::export_(f, ext::func(0)));
  return instance_type(decls);
}

// A component importing instances `imports` (name, functions) and
// exporting its import number `reexport` as `as` (none if `as` is empty).
Bytes component(const std::vector<std::pair<std::string_view, std::vector<std::string_view>>>& imports,
                uint32_t reexport = 0, std::string_view as = "") {
  ComponentBuilder b;
  std::vector<Bytes> types, imps;
  uint32_t i = 0;
  for (const auto& [n, fs] : imports) {
    types.push_back(iface(fs));
    imps.push_back(import_(n, ext::instance(i++)));
  }
  if (!types.empty()) b.types(types);
  if (!imps.empty()) b.imports(imps);
  if (!as.empty()) b.exports({export_(as, item(sort::instance, reexport))});
  return b.build();
}

// A scratch folder, removed at the end of the test.
struct Scratch {
  fs::path dir;
  Scratch() {
    dir = fs::temp_directory_path() / ("witc-wasm-compose-" + std::to_string(::getpid()) + "-" +
                                       std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  fs::path write(const std::string& rel, const Bytes& b) const {
    fs::path p = dir / rel;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<long>(b.size()));
    return p;
  }
  compose::WasmComposeConfig config(const std::string& yaml) const {
    auto c = compose::parse_wasm_compose_config(yaml, dir / "config.yml");
    REQUIRE_MESSAGE(c, (c ? "" : render(c.error())));
    return std::move(*c);
  }
};

std::string error_of(const Expected<compose::WasmComposition>& r) { return r ? std::string() : render(r.error()); }

}  // namespace

TEST_CASE("wasm-compose config: every key, string and map forms") {
  auto c = compose::parse_wasm_compose_config(R"(
search-paths: [lib, ../shared]
definitions: [defs/a.wasm]
skip-validation: true
disallow-imports: false
dependencies:
  a: a/a.wasm
  b:
    path: b.wasm
instantiations:
  root:
    arguments:
      x: y
      z:
        instance: w
        export: e
  y:
    dependency: a
)",
                                              "cfg/compose.yml");
  REQUIRE_MESSAGE(c, (c ? "" : render(c.error())));
  CHECK(c->dir == "cfg");
  CHECK(c->search_paths == std::vector<fs::path>{"lib", "../shared"});
  CHECK(c->definitions == std::vector<fs::path>{"defs/a.wasm"});
  CHECK(c->skip_validation);
  CHECK(!c->disallow_imports);
  REQUIRE(c->dependencies.size() == 2);
  CHECK(*c->dependencies.find("a") == "a/a.wasm");
  CHECK(*c->dependencies.find("b") == "b.wasm");
  const auto* root = c->instantiations.find("root");
  REQUIRE(root);
  CHECK(root->arguments.find("x")->instance == "y");
  CHECK(!root->arguments.find("x")->export_name);
  CHECK(root->arguments.find("z")->instance == "w");
  CHECK(*root->arguments.find("z")->export_name == "e");
  CHECK(c->dependency_name("y") == "a");
  CHECK(c->dependency_name("w") == "w");
}

TEST_CASE("wasm-compose config: errors name the key and the place") {
  auto unknown = compose::parse_wasm_compose_config("search-path: [lib]\n", "c.yml");
  REQUIRE(!unknown);
  CHECK(render(unknown.error()) ==
        "failed to parse configuration file `c.yml`: unknown field `search-path`, expected one of `definitions`, "
        "`search-paths`, `skip-validation`, `import-components`, `disallow-imports`, `dependencies`, "
        "`instantiations` at line 1 column 1");
  auto type = compose::parse_wasm_compose_config("skip-validation: 3\n", "c.yml");
  REQUIRE(!type);
  CHECK(render(type.error()) ==
        "failed to parse configuration file `c.yml`: invalid type: string, expected a boolean at line 1 column 18");
  auto arg = compose::parse_wasm_compose_config("instantiations:\n  r:\n    arguments:\n      a: {export: x}\n",
                                                "c.yml");
  REQUIRE(!arg);
  CHECK(render(arg.error()) == "failed to parse configuration file `c.yml`: missing field `instance` at line 4 column 10");
  auto syntax = compose::parse_wasm_compose_config("a: [b\n", "c.yml");
  REQUIRE(!syntax);
  CHECK(render(syntax.error()).starts_with("failed to parse configuration file `c.yml`: "));
}

TEST_CASE("wasm-compose: search paths, an instance export that fits, unfilled imports stay imports") {
  Scratch s;
  // root imports x {f}; lib/x.wasm imports dep {f} and exports it as the instance `x`:
  // the instance of x does not fit as a whole, its export `x` does.
  s.write("root.wasm", component({{"x", {"f"}}}, 0, "out"));
  s.write("lib/x.wasm", component({{"dep", {"f"}}}, 0, "x"));
  auto c = compose::build_wasm_composition(s.dir / "root.wasm", s.config("search-paths: [lib]\n"));
  REQUIRE_MESSAGE(c, error_of(c));
  CHECK(compose::explain_graph(*c->graph) ==
        "instance `root` of `root`\n"
        "  import `x` <- export `x` of instance `x` of `x`\n"
        "instance `x` of `x`\n"
        "  import `dep` <- import `dep` of the composition\n"
        "import `dep`\n"
        "export `out` <- export `out` of instance `root` of `root`\n");
  REQUIRE(c->unresolved.size() == 1);
  CHECK(c->unresolved[0].first == "import `dep` of instance `x` of `x`");
  auto bytes = c->graph->encode();
  REQUIRE_MESSAGE(bytes, (bytes ? "" : render(bytes.error())));
  auto info = bin::validate_component_binary(*bytes, bin::ComponentFeatures::all());
  REQUIRE(info);
  REQUIRE(info->component().imports.size() == 1);
  CHECK(info->component().imports.at_index(0).first == "dep");
  REQUIRE(info->component().exports.size() == 1);
  CHECK(info->component().exports.at_index(0).first == "out");
}

TEST_CASE("wasm-compose: explicit instantiations, dependencies and exports") {
  Scratch s;
  s.write("root.wasm", component({{"x", {"f"}}}, 0, "out"));
  s.write("impl/provider.wasm", component({{"dep", {"f", "g"}}}, 0, "api"));
  auto c = compose::build_wasm_composition(s.dir / "root.wasm", s.config(R"(
dependencies:
  provider: impl/provider.wasm
instantiations:
  root:
    arguments:
      x: {instance: p1, export: api}
  p1:
    dependency: provider
)"));
  REQUIRE_MESSAGE(c, error_of(c));
  CHECK(compose::explain_graph(*c->graph) ==
        "instance `root` of `root`\n"
        "  import `x` <- export `api` of instance `p1` of `provider`\n"
        "instance `p1` of `provider`\n"
        "  import `dep` <- import `dep` of the composition\n"
        "import `dep`\n"
        "export `out` <- export `out` of instance `root` of `root`\n");
  CHECK(c->graph->encode());
}

TEST_CASE("wasm-compose: disallow-imports names the nearest component files") {
  Scratch s;
  s.write("root.wasm", component({{"x", {"f"}}}, 0, "out"));
  s.write("xx.wasm", component({}));
  auto c = compose::build_wasm_composition(s.dir / "root.wasm", s.config("disallow-imports: true\n"));
  REQUIRE(!c);
  CHECK(c.error().message == "a dependency named `x` could not be found and instance imports are not allowed");
  REQUIRE(c.error().notes.size() == 1);
  CHECK(c.error().notes[0] ==
        "nearest: component `" + (s.dir / "xx.wasm").string() + "` (the name differs by 1 edit)");
}

TEST_CASE("wasm-compose: a cycle of instantiations is refused") {
  Scratch s;
  // root <- a <- b <- a
  s.write("root.wasm", component({{"a", {"f"}}}));
  s.write("a.wasm", component({{"b", {"f"}}}, 0, "e"));
  s.write("b.wasm", component({{"a", {"f"}}}, 0, "e"));
  auto c = compose::build_wasm_composition(s.dir / "root.wasm", s.config(""));
  REQUIRE(!c);
  CHECK(c.error().message ==
        "an instantiation of component `a` and its dependencies form a cycle in the instantiation graph");
}

TEST_CASE("wasm-compose: only instance imports can be resolved") {
  Scratch s;
  ComponentBuilder b;
  b.types({func({})});
  b.imports({import_("g", ext::func(0))});
  const fs::path root = s.write("root.wasm", b.build());
  auto c = compose::build_wasm_composition(root, s.config(""));
  REQUIRE(!c);
  CHECK(c.error().message == "component `" + root.string() + "` has a non-instance import named `g`");
}

TEST_CASE("wasm-compose: a definition fills imports of its exports' names") {
  Scratch s;
  s.write("root.wasm", component({{"x", {"f"}}, {"y", {"f"}}}, 1, "out"));
  s.write("defs.wasm", component({{"dep", {"f"}}}, 0, "x"));
  s.write("y.wasm", component({{"dep", {"f"}}}, 0, "y"));
  auto c = compose::build_wasm_composition(s.dir / "root.wasm", s.config("definitions: [defs.wasm]\n"));
  REQUIRE_MESSAGE(c, error_of(c));
  // `dep` is needed by both instances: one import of the composition.
  CHECK(compose::explain_graph(*c->graph) ==
        "instance `root` of `root`\n"
        "  import `x` <- export `x` of instance `defs` of `defs`\n"
        "  import `y` <- export `y` of instance `y` of `y`\n"
        "instance `defs` of `defs`\n"
        "  import `dep` <- import `dep` of the composition\n"
        "instance `y` of `y`\n"
        "  import `dep` <- import `dep` of the composition\n"
        "import `dep`\n"
        "export `out` <- export `out` of instance `root` of `root`\n");
  auto bytes = c->graph->encode();
  REQUIRE_MESSAGE(bytes, (bytes ? "" : render(bytes.error())));
}

TEST_CASE("wasm-compose: an import nothing is named for lists components whose exports fit") {
  Scratch s;
  // root imports a {f} and helper {f}; a.wasm exports `api` {f} (and fills `a`
  // through it); no component is named `helper`.
  s.write("root.wasm", component({{"a", {"f"}}, {"helper", {"f"}}}, 0, "out"));
  const fs::path a = s.write("a.wasm", component({{"dep", {"f"}}}, 0, "api"));
  auto c = compose::build_wasm_composition(s.dir / "root.wasm", s.config(""));
  REQUIRE_MESSAGE(c, error_of(c));
  REQUIRE(c->unresolved.size() == 2);
  CHECK(c->unresolved[0].first == "import `helper` of instance `root` of `root`");
  REQUIRE(c->unresolved[0].second.size() == 1);
  CHECK(c->unresolved[0].second[0] ==
        "export `api` of component `" + a.string() + "`: the name differs by 5 edits; its type fits");
  // a's own import: a's export would make a cycle, and root uses a.
  CHECK(c->unresolved[1].first == "import `dep` of instance `a` of `a`");
  CHECK(c->unresolved[1].second.empty());
}

TEST_CASE("wasm-compose: component import names in kebab case, as wasm-tools spells them") {
  CHECK(compose::kebab_case("$input") == "input");
  CHECK(compose::kebab_case("b") == "b");
  CHECK(compose::kebab_case("fooBar_baz") == "foo-bar-baz");
  CHECK(compose::kebab_case("HTTPServer") == "http-server");
  CHECK(compose::kebab_case("my-lib2") == "my-lib2");
}

TEST_CASE("wasm-compose: import-components imports each component instantiated instead of embedding it") {
  Scratch s;
  // root imports x {f} and y {f}; x.wasm imports dep {f}; defs.wasm, a
  // definition, fills y; unused.wasm is a definition nothing uses.
  s.write("root.wasm", component({{"x", {"f"}}, {"y", {"f"}}}, 1, "out"));
  s.write("x.wasm", component({{"dep", {"f"}}}, 0, "x"));
  s.write("my_defs.wasm", component({{"dep", {"f"}}}, 0, "y"));
  s.write("unused.wasm", component({{"dep", {"f"}}}, 0, "z"));
  compose::WasmComposeConfig config = s.config("import-components: true\ndefinitions: [my_defs.wasm, unused.wasm]\n");
  auto c = compose::build_wasm_composition(s.dir / "root.wasm", config);
  REQUIRE_MESSAGE(c, error_of(c));
  auto bytes = compose::encode_wasm_composition(*c, config);
  REQUIRE_MESSAGE(bytes, (bytes ? "" : render(bytes.error())));
  auto info = bin::validate_component_binary(*bytes, bin::ComponentFeatures::all());
  REQUIRE_MESSAGE(info, (info ? "" : render(info.error())));
  // The components first, in the order they were loaded (root, definitions,
  // then those found by name), then the instantiation arguments left over.
  const auto& imports = info->component().imports;
  REQUIRE(imports.size() == 4);
  CHECK(imports.at_index(0).first == "input");
  CHECK(imports.at_index(0).second.kind == bin::EntityKind::Component);
  CHECK(imports.at_index(1).first == "my-defs");
  CHECK(imports.at_index(1).second.kind == bin::EntityKind::Component);
  CHECK(imports.at_index(2).first == "x");
  CHECK(imports.at_index(2).second.kind == bin::EntityKind::Component);
  CHECK(imports.at_index(3).first == "dep");
  CHECK(imports.at_index(3).second.kind == bin::EntityKind::Instance);
  // Nothing is embedded.
  auto parsed = bin::read_component(*bytes);
  REQUIRE(parsed);
  CHECK(parsed->components.empty());
  CHECK(parsed->instances.size() == 3);
  REQUIRE(info->component().exports.size() == 1);
  CHECK(info->component().exports.at_index(0).first == "out");
}

TEST_CASE("wasm-compose: import-components refuses an argument import named like a component") {
  Scratch s;
  // root imports x {f} and helper {f}; x.wasm imports `input` (the root
  // component's import name), which no component fills.
  s.write("root.wasm", component({{"x", {"f"}}}, 0, "out"));
  s.write("x.wasm", component({{"input", {"f"}}}, 0, "x"));
  compose::WasmComposeConfig config = s.config("import-components: true\n");
  auto c = compose::build_wasm_composition(s.dir / "root.wasm", config);
  REQUIRE_MESSAGE(c, error_of(c));
  auto bytes = compose::encode_wasm_composition(*c, config);
  REQUIRE(!bytes);
  CHECK(bytes.error().message ==
        "cannot import instance `input` for an instantiation argument of component `x` because it conflicts with a "
        "component imported with the same name");
  // Embedded, the same composition is fine.
  config.import_components = false;
  CHECK(compose::encode_wasm_composition(*c, config));
}
