// compose::Graph and plug: type-checked arguments, merged imports, encoding.
#include <doctest/doctest.h>

#include "component_builder.h"
#include "witc/bin/component_validate.h"
#include "witc/composer/encode.h"
#include "witc/composer/graph.h"
#include "witc/composer/plug.h"
#include "witc/wit/wit.h"

namespace {

using namespace witc;
using namespace witc::test;
using namespace witc::test::cm;

// An instance type exporting functions `funcs`, each `func(x: param)`.
Bytes iface_type(std::vector<std::string_view> funcs, uint8_t param = pt::u32) {
  std::vector<Bytes> decls;
  decls.push_back(decl::type(func({{"x", prim(param)}})));
  for (auto f : funcs) decls.push_back(decl::export_(f, ext::func(0)));
  return instance_type(decls);
}

// A component importing `imports` (name, instance type) and exporting its
// instance import `reexport` as `as`.
Bytes reexporter(const std::vector<std::pair<std::string_view, Bytes>>& imports, uint32_t reexport,
                 std::string_view as) {
  ComponentBuilder b;
  std::vector<Bytes> types, imps;
  uint32_t i = 0;
  for (const auto& [n, t] : imports) {
    types.push_back(t);
    imps.push_back(import_(n, ext::instance(i++)));
  }
  b.types(types);
  b.imports(imps);
  b.exports({export_(as, item(sort::instance, reexport))});
  return b.build();
}

// Encodes `g` with its packages imported (`unlocked-dep=<…>`), and validates it.
auto encode_importing(compose::Graph& g) {
  compose::EncodeOptions o;
  o.define_components = false;
  auto enc = g.encode(o);
  REQUIRE_MESSAGE(enc, (enc ? "" : render(enc.error())));
  auto info = bin::validate_component_binary(*enc, bin::ComponentFeatures::all());
  REQUIRE(info);
  return std::move(*info);
}

compose::PlugInput input(std::string name, Bytes b) { return {std::move(name), std::vector<uint8_t>(b.begin(), b.end())}; }

}  // namespace

TEST_CASE("plug: an export fills the import of the same name; shared imports merge") {
  // plug: imports dep:x/y {f}, exports it as test:demo/greet.
  Bytes plug = reexporter({{"dep:x/y@1.0.0", iface_type({"f"})}}, 0, "test:demo/greet");
  // socket: imports test:demo/greet {f} and dep:x/y {f, g}; exports greet as `out`.
  Bytes socket = reexporter({{"test:demo/greet", iface_type({"f"})}, {"dep:x/y@1.2.0", iface_type({"f", "g"})}}, 0,
                            "out");
  auto r = compose::plug(input("socket.wasm", socket), {input("plug.wasm", plug)});
  REQUIRE_MESSAGE(r, (r ? "" : render(r.error())));
  REQUIRE(r->connections.size() == 1);
  CHECK(r->connections[0].import_name == "test:demo/greet");
  CHECK(r->connections[0].export_name == "test:demo/greet");
  auto info = bin::validate_component_binary(r->component, bin::ComponentFeatures::all());
  REQUIRE(info);
  const bin::ComponentType& ct = info->component();
  // One import for both users, at the higher of the two compatible versions,
  // with everything either needs.
  REQUIRE(ct.imports.size() == 1);
  CHECK(ct.imports.at_index(0).first == "dep:x/y@1.2.0");
  CHECK(info->types.instance(ct.imports.at_index(0).second.type).exports.size() == 2);  // f and g
  REQUIRE(ct.exports.size() == 1);
  CHECK(ct.exports.at_index(0).first == "out");
}

TEST_CASE("plug: a name match with the wrong type is explained") {
  Bytes plug = reexporter({{"dep:x/y", iface_type({"f"}, pt::string)}}, 0, "test:demo/greet");
  Bytes socket = reexporter({{"test:demo/greet", iface_type({"f"})}}, 0, "out");
  auto r = compose::plug(input("socket.wasm", socket), {input("plug.wasm", plug)});
  REQUIRE(!r);
  CHECK(r.error().message == "the socket component `socket.wasm` has no imports that the plugs' exports can fill");
  REQUIRE(r.error().notes.size() == 1);
  CHECK(r.error().notes[0] ==
        "export `test:demo/greet` of instance of `plug.wasm` does not fit import `test:demo/greet` of instance of "
        "`socket.wasm`: in function `f`, parameter `x`: expected `u32`, found `string`");
}

TEST_CASE("plug: no export of any plug matches") {
  Bytes plug = reexporter({{"dep:x/y", iface_type({"f"})}}, 0, "test:demo/other");
  Bytes socket = reexporter({{"test:demo/greet", iface_type({"f"})}}, 0, "out");
  auto r = compose::plug(input("socket.wasm", socket), {input("plug.wasm", plug)});
  REQUIRE(!r);
  // The nearest offer: close in name, and its type fits.
  REQUIRE(r.error().notes.size() == 2);
  CHECK(r.error().notes[0] == "nothing is named like import `test:demo/greet`; the nearest offers:");
  CHECK(r.error().notes[1] ==
        "  export `test:demo/other` of plug `plug.wasm`: the name differs by 4 edits; its type fits");
}

TEST_CASE("graph: arguments are checked as they are added; cycles are refused") {
  Bytes a = reexporter({{"test:demo/greet", iface_type({"f"})}}, 0, "test:demo/greet");
  compose::Graph g;
  auto pa = g.add_package("a", std::vector<uint8_t>(a.begin(), a.end()));
  REQUIRE(pa);
  compose::NodeId i1 = g.instantiate(*pa);
  compose::NodeId i2 = g.instantiate(*pa);
  auto x1 = g.alias_export(i1, "test:demo/greet");
  auto x2 = g.alias_export(i2, "test:demo/greet");
  REQUIRE(x1);
  REQUIRE(x2);
  REQUIRE(g.set_argument(i2, "test:demo/greet", *x1));
  auto again = g.set_argument(i2, "test:demo/greet", *x1);
  REQUIRE(!again);
  CHECK(again.error().message == "argument `test:demo/greet` has already been passed to the instantiation");
  auto missing = g.set_argument(i1, "nope", *x2);
  REQUIRE(!missing);
  CHECK(missing.error().message == "argument name `nope` is not an import of package `a`");
  REQUIRE(g.set_argument(i1, "test:demo/greet", *x2));  // i1 <- i2 <- i1
  REQUIRE(g.export_node(*x2, "out"));
  auto enc = g.encode();
  REQUIRE(!enc);
  CHECK(enc.error().message.find("cycle") != std::string::npos);
}

TEST_CASE("graph: packages imported as `unlocked-dep=<...>` component types") {
  Bytes a = reexporter({{"test:demo/greet", iface_type({"f"})}}, 0, "test:demo/greet");
  compose::Graph g;
  auto pa = g.add_package("test:a", std::vector<uint8_t>(a.begin(), a.end()));
  REQUIRE(pa);
  g.set_package_version(*pa, "1.2.3");
  CHECK(compose::dependency_import_name(g.package(*pa)) == "unlocked-dep=<test:a@{>=1.2.3}>");
  compose::NodeId i = g.instantiate(*pa);
  auto x = g.alias_export(i, "test:demo/greet");
  REQUIRE(x);
  REQUIRE(g.export_node(*x, "test:demo/greet"));
  auto info = encode_importing(g);
  const bin::ComponentType& ct = info.component();
  // The instance's unfilled import, then the package as a component type.
  REQUIRE(ct.imports.size() == 2);
  CHECK(ct.imports.at_index(0).first == "test:demo/greet");
  CHECK(ct.imports.at_index(1).first == "unlocked-dep=<test:a@{>=1.2.3}>");
  CHECK(ct.imports.at_index(1).second.kind == bin::EntityKind::Component);
  CHECK(ct.exports.at_index(0).first == "test:demo/greet");
  // A package whose name is not `ns:pkg` cannot be imported as a dependency.
  compose::Graph g2;
  auto pb = g2.add_package("socket", std::vector<uint8_t>(a.begin(), a.end()));
  REQUIRE(pb);
  g2.instantiate(*pb);
  compose::EncodeOptions o;
  o.define_components = false;
  auto bad = g2.encode(o);
  REQUIRE(!bad);
  CHECK(bad.error().message.find("package `socket` cannot be imported as a dependency") == 0);
}

TEST_CASE("graph: a WIT world as a package known by its type") {
  wit::Resolve r;
  auto roots = wit::load_text(r, "w.wit", R"(package test:w;
interface greet { f: func(x: u32); }
world w { import greet; export run: func() -> string; }
)");
  REQUIRE(roots);
  auto world = compose::select_world(r, *roots, std::nullopt);
  REQUIRE(world);
  compose::Graph g;
  auto p = compose::add_world_package(g, "test:w", r, *world);
  REQUIRE_MESSAGE(p, (p ? "" : render(p.error())));
  CHECK_FALSE(g.package(*p).binary.has_value());
  CHECK(g.package_type(*p).imports.contains("test:w/greet"));
  compose::NodeId i = g.instantiate(*p);
  auto run = g.alias_export(i, "run");
  REQUIRE(run);
  REQUIRE(g.export_node(*run, "run"));
  // Embedding needs a binary; importing the type works.
  auto embedded = g.encode();
  REQUIRE(!embedded);
  CHECK(embedded.error().message ==
        "package `test:w` is known only by its type and cannot be embedded; import it instead "
        "(--import-dependencies)");
  auto info = encode_importing(g);
  CHECK(info.component().imports.at_index(0).first == "test:w/greet");
  CHECK(info.component().imports.at_index(1).first == "unlocked-dep=<test:w>");
  CHECK(info.component().exports.at_index(0).first == "run");
}

TEST_CASE("graph: type definitions are exported; unexport renames") {
  compose::Graph g;
  bin::ValueType rec;
  rec.kind = bin::ValueKind::Record;
  rec.labels = {"x"};
  rec.types = {g.types().prim(bin::ValueKind::U32)};
  bin::TypeId point = g.types().add_value(rec);
  bin::ValueType lst;
  lst.kind = bin::ValueKind::List;
  lst.types = {point};
  bin::TypeId points = g.types().add_value(lst);
  compose::NodeId a = g.define_type("point", {bin::EntityKind::Type, point, {}});
  compose::NodeId b = g.define_type("points", {bin::EntityKind::Type, points, {}});
  CHECK(g.describe(a) == "type `point`");
  REQUIRE(g.export_node(a, "point"));
  REQUIRE(g.export_node(b, "points"));
  g.unexport(a);
  CHECK_FALSE(g.exported("point").has_value());
  REQUIRE(g.export_node(a, "pt"));
  CHECK(g.exported("pt") == a);
  auto enc = g.encode();
  REQUIRE_MESSAGE(enc, (enc ? "" : render(enc.error())));
  // `points` refers to the exported `pt`, so both exports are valid.
  auto info = bin::validate_component_binary(*enc, bin::ComponentFeatures::all());
  REQUIRE_MESSAGE(info, (info ? "" : render(info.error())));
  REQUIRE(info->component().exports.size() == 2);
  CHECK(info->component().exports.contains("pt"));
  CHECK(info->component().exports.contains("points"));
}

TEST_CASE("graph: conflicting unfilled imports name both users") {
  // Two packages import `dep` as different kinds: an instance and a function.
  ComponentBuilder b1;
  b1.types({instance_type({})});
  b1.imports({import_("dep", ext::instance(0))});
  Bytes c1 = b1.build();
  ComponentBuilder b2;
  b2.types({func({})});
  b2.imports({import_("dep", ext::func(0))});
  Bytes c2 = b2.build();
  compose::Graph g;
  auto p1 = g.add_package("test:one", std::vector<uint8_t>(c1.begin(), c1.end()));
  auto p2 = g.add_package("test:two", std::vector<uint8_t>(c2.begin(), c2.end()));
  REQUIRE(p1);
  REQUIRE(p2);
  compose::NodeId i1 = g.instantiate(*p1);
  compose::NodeId i2 = g.instantiate(*p2);
  compose::ImportConflict c;
  auto imports = g.imports(&c);
  REQUIRE(!imports);
  CHECK(c.name == "dep");
  CHECK(c.node == i2);
  CHECK(c.previous == i1);
  CHECK_FALSE(c.explicit_import);
  CHECK(c.reason.message == "instance cannot be merged with function");
}

namespace {

// WIT worlds as packages known by their types, as wac's graph tests register
// WIT folders: one resolve holds the interfaces, each world is a package.
struct WitPackages {
  wit::Resolve resolve;
  std::vector<wit::PackageId> roots;
  compose::Graph g;

  explicit WitPackages(std::string_view text) {
    auto r = wit::load_text(resolve, "all.wit", std::string(text));
    REQUIRE_MESSAGE(r, (r ? "" : render(r.error())));
    roots = *r;
  }
  compose::PackageId add(std::string name, std::string_view world) {
    const std::string qualified = "test:all/" + std::string(world);
    auto w = compose::select_world(resolve, roots, qualified);
    REQUIRE_MESSAGE(w, (w ? "" : render(w.error())));
    auto p = compose::add_world_package(g, std::move(name), resolve, *w);
    REQUIRE_MESSAGE(p, (p ? "" : render(p.error())));
    return *p;
  }
  // An import of the composition typed as export `name` of package `p`.
  compose::NodeId import_export(compose::PackageId p, const std::string& name) {
    const bin::EntityType* e = g.package_type(p).exports.find(name);
    REQUIRE(e);
    auto n = g.add_import(name, *e);
    REQUIRE(n);
    return *n;
  }
  std::vector<std::string> encoded_imports() {
    auto info = encode_importing(g);
    std::vector<std::string> out;
    for (const auto& [name, e] : info.component().imports) out.push_back(name);
    return out;
  }
};

// wac-graph's implicit-resource-import: test:baz `use`s foo:dependency/types'
// resource `x` for `my-func`, which the composition's import provides, while
// its foo:dependency/types import is filled by test:bar's own instance.
constexpr std::string_view kImplicitResource = R"(package test:all;
package foo:dependency { interface types { resource x; } interface other { resource y; } }
package foo:test-import {
  interface my-interface { use foo:dependency/types.{x}; my-func: func() -> x; }
  interface wrong { use foo:dependency/other.{y}; my-func: func() -> y; }
}
world imp { export foo:test-import/my-interface; export foo:test-import/wrong; }
world bar { export foo:dependency/types; }
world baz { use foo:dependency/types.{x}; import my-func: func() -> x; import foo:dependency/types; }
world baz-get {
  use foo:dependency/types.{x};
  import my-func: func() -> x;
  import foo:dependency/types;
  export get: func() -> x;
}
)";

// The implicit-resource-import graph up to baz's instance: `my-func` from
// the composition's import of `iface` (an interface of world imp), and
// foo:dependency/types from an instance of bar.
struct ImplicitResourceGraph : WitPackages {
  compose::NodeId my_func, types, baz;
  explicit ImplicitResourceGraph(std::string_view iface, std::string_view baz_world = "baz")
      : WitPackages(kImplicitResource) {
    compose::PackageId imp = add("foo:import", "imp");
    compose::PackageId bar_p = add("test:bar", "bar");
    compose::PackageId baz_p = add("test:baz", baz_world);
    compose::NodeId import = import_export(imp, std::string(iface));
    compose::NodeId bar = g.instantiate(bar_p);
    auto f = g.alias_export(import, "my-func");
    auto t = g.alias_export(bar, "foo:dependency/types");
    REQUIRE((f && t));
    my_func = *f;
    types = *t;
    baz = g.instantiate(baz_p);
  }
};

}  // namespace

TEST_CASE("graph: a WIT package's `use`d resource stays the composition's when its interface is filled") {
  for (bool types_first : {false, true}) {
    CAPTURE(types_first);
    ImplicitResourceGraph w("foo:test-import/my-interface");
    auto set = [&](std::string_view name, compose::NodeId v) {
      auto r = w.g.set_argument(w.baz, name, v);
      REQUIRE_MESSAGE(r, (r ? "" : render(r.error())));
    };
    if (types_first) set("foo:dependency/types", w.types);
    set("my-func", w.my_func);
    if (!types_first) set("foo:dependency/types", w.types);
    // The interface that owns `x` is imported before the one that uses it,
    // and baz's unfilled `x` becomes an import equal to it.
    CHECK(w.encoded_imports() == std::vector<std::string>{"foo:dependency/types", "foo:test-import/my-interface", "x",
                                                          "unlocked-dep=<test:bar>", "unlocked-dep=<test:baz>"});
  }
}

TEST_CASE("graph: retyping a WIT package does not hide a real mismatch") {
  ImplicitResourceGraph w("foo:test-import/wrong");
  REQUIRE(w.g.set_argument(w.baz, "foo:dependency/types", w.types));
  auto r = w.g.set_argument(w.baz, "my-func", w.my_func);
  REQUIRE(!r);
  CHECK(r.error().context.front() == "mismatched instantiation argument `my-func`");
  // The refused argument left the instance as it was.
  CHECK(w.g.unfilled_imports(w.baz) == std::vector<std::string>{"x", "my-func"});
}

TEST_CASE("graph: an import using another interface's resource brings that interface") {
  WitPackages w(kImplicitResource);
  compose::PackageId imp = w.add("foo:import", "imp");
  compose::NodeId iface = w.import_export(imp, "foo:test-import/my-interface");
  REQUIRE(w.g.export_node(iface, "foo:test-import/my-interface"));
  CHECK(w.encoded_imports() == std::vector<std::string>{"foo:dependency/types", "foo:test-import/my-interface"});
}

TEST_CASE("graph: a WIT package whose export is already aliased is not retyped") {
  ImplicitResourceGraph w("foo:test-import/my-interface", "baz-get");
  REQUIRE(w.g.alias_export(w.baz, "get"));  // its type depends on how `x` is bound
  REQUIRE(w.g.set_argument(w.baz, "my-func", w.my_func));
  auto r = w.g.set_argument(w.baz, "foo:dependency/types", w.types);
  REQUIRE(!r);
  CHECK(r.error().context.at(1) == "argument `my-func` no longer fits");
}
