// Resolver behaviour: what a user relies on when a WIT package is resolved.
#include <doctest/doctest.h>

#include <string>

#include "witc/wit/wit.h"

using namespace witc;
using namespace witc::wit;

namespace {

struct Loaded {
  Resolve resolve;
  std::vector<PackageId> roots;
  std::string error;
};

Loaded load(const std::string& text, std::vector<std::string> features = {}) {
  Loaded l;
  l.resolve.features.enabled = std::move(features);
  auto r = load_text(l.resolve, "test.wit", text);
  if (r) l.roots = *r;
  else l.error = render(r.error(), &l.resolve.sources);
  return l;
}

const Interface& iface(const Resolve& r, const std::string& name) {
  for (const auto& i : r.interfaces)
    if (i.name && *i.name == name) return i;
  FAIL("no interface " << name);
  return r.interfaces.raw().front();
}

const World& world(const Resolve& r, const std::string& name) {
  for (const auto& w : r.worlds)
    if (w.name == name) return w;
  FAIL("no world " << name);
  return r.worlds.raw().front();
}

std::vector<std::string> import_names(const Resolve& r, const World& w) {
  std::vector<std::string> out;
  for (const auto& [k, item] : w.imports)
    out.push_back(k.is_interface() ? *r.id_of(k.interface) : k.name);
  return out;
}

}  // namespace

TEST_CASE("types are ordered so every type follows the types it uses") {
  auto l = load(R"(package a:b;
interface i {
  record r { x: later }
  type later = list<u8>;
})");
  REQUIRE(l.error.empty());
  const auto& i = iface(l.resolve, "i");
  TypeId r = *i.types.find("r");
  TypeId later = *i.types.find("later");
  CHECK(later < r);
}

TEST_CASE("anonymous types are interned and own<T> is shared") {
  auto l = load(R"(package a:b;
interface i {
  resource res { constructor(); }
  f: func(a: list<u32>, b: list<u32>) -> res;
  g: func(x: own<res>);
})");
  REQUIRE(l.error.empty());
  const auto& i = iface(l.resolve, "i");
  const Function& f = *i.functions.find("f");
  CHECK(f.params[0].second == f.params[1].second);
  const Function& g = *i.functions.find("g");
  const Function& ctor = *i.functions.find("[constructor]res");
  // A resource named in a signature is an own handle, one per resource.
  REQUIRE(f.result->is_id());
  CHECK(*f.result == g.params[0].second);
  CHECK(*f.result == *ctor.result);
  const auto* h = std::get_if<Handle>(&l.resolve.types[f.result->id].kind);
  REQUIRE(h);
  CHECK(h->kind == Handle::Kind::Own);
}

TEST_CASE("methods get a borrowed self") {
  auto l = load(R"(package a:b;
interface i {
  resource r { m: func(); }
})");
  REQUIRE(l.error.empty());
  const Function& m = *iface(l.resolve, "i").functions.find("[method]r.m");
  REQUIRE(m.params.size() == 1);
  CHECK(m.params[0].first == "self");
  const auto* h = std::get_if<Handle>(&l.resolve.types[m.params[0].second.id].kind);
  REQUIRE(h);
  CHECK(h->kind == Handle::Kind::Borrow);
}

TEST_CASE("world imports what its imports and exports use") {
  auto l = load(R"(package a:b;
interface types { type t = u32; }
interface api { use types.{t}; f: func() -> t; }
world w { export api; })");
  REQUIRE(l.error.empty());
  const World& w = world(l.resolve, "w");
  CHECK(import_names(l.resolve, w) == std::vector<std::string>{"a:b/types"});
  REQUIRE(w.exports.size() == 1);
}

TEST_CASE("include merges worlds, with renames") {
  auto l = load(R"(package a:b;
world base { import f: func(); import g: func(); }
world top { include base with { f as f2 } })");
  REQUIRE(l.error.empty());
  CHECK(import_names(l.resolve, world(l.resolve, "top")) == std::vector<std::string>{"f2", "g"});
}

TEST_CASE("unstable items are dropped unless their feature is on") {
  const char* text = R"(package a:b;
interface i {
  @unstable(feature = fancy)
  f: func();
  g: func();
})";
  auto off = load(text);
  REQUIRE(off.error.empty());
  CHECK(iface(off.resolve, "i").functions.size() == 1);
  auto on = load(text, {"fancy"});
  REQUIRE(on.error.empty());
  CHECK(iface(on.resolve, "i").functions.size() == 2);
}

TEST_CASE("nested packages resolve against each other") {
  auto l = load(R"(package a:root;
package a:dep { interface d { type t = string; } }
interface i { use a:dep/d.{t}; })");
  REQUIRE(l.error.empty());
  CHECK(l.roots.size() == 2);
  // Dependencies first.
  CHECK(l.resolve.packages[PackageId(0)].name.to_string() == "a:dep");
}

TEST_CASE("resolution errors point at the offending name") {
  auto cycle = load("package a:b;\ninterface i {\n  type x = y;\n  type y = x;\n}\n");
  CHECK(cycle.error.find("depends on itself") != std::string::npos);
  CHECK(cycle.error.find("--> test.wit:") != std::string::npos);

  auto missing = load("package a:b;\ninterface i {\n  f: func(x: nope);\n}\n");
  CHECK(missing.error ==
        "name `nope` does not exist\n"
        "     --> test.wit:3:14\n"
        "      |\n"
        "    3 |   f: func(x: nope);\n"
        "      |              ^---");

  auto borrow = load("package a:b;\ninterface i {\n  resource r;\n  f: func() -> borrow<r>;\n}\n");
  CHECK(borrow.error.find("returns a type which contains a `borrow<T>`") != std::string::npos);

  auto dup = load("package a:b;\nworld w {\n  import f: func();\n  import f: func();\n}\n");
  CHECK(dup.error.find("import `f` conflicts with prior func of same name") == 0);

  auto pkg = load("package a:b;\ninterface i { use x:y/z.{t}; }\n");
  CHECK(pkg.error.find("package 'x:y' not found. known packages:\n    a:b") == 0);
}

TEST_CASE("@external-id is kept where it may stand and refused elsewhere") {
  auto placed = [](const std::string& text) {
    std::string e = load(text).error;
    return e.substr(0, e.find('\n'));
  };
  CHECK(placed("package a:b;\n@external-id(\"x\")\ninterface i {}") ==
        "`@external-id` cannot be placed on an interface");
  CHECK(placed("package a:b;\n@external-id(\"x\")\nworld w {}") == "`@external-id` cannot be placed on a world");
  CHECK(placed("package a:b;\nworld w { @external-id(\"a\") include x; }\nworld x {}") ==
        "`@external-id` cannot be placed on an `include`");
  CHECK(placed("package a:b;\ninterface i { @external-id(\"a\") use j.{t}; }\ninterface j { type t = u32; }") ==
        "`@external-id` cannot be placed on a `use`");
  CHECK(load("package a:b;\ninterface i { @external-id(\"a\") @external-id(\"b\") f: func(); }").error ==
        "duplicate `@external-id` attribute\n"
        "     --> test.wit:2:34\n"
        "      |\n"
        "    2 | interface i { @external-id(\"a\") @external-id(\"b\") f: func(); }\n"
        "      |                                  ^----------");

  auto ok = load("package a:b;\ninterface i {\n  @external-id(\"T\") type t = u32;\n"
                 "  @external-id(\"F\") f: func();\n}\n"
                 "world w {\n  @external-id(\"I\") import i;\n  @external-id(\"L\") import l: i;\n"
                 "  @external-id(\"E\") export i;\n}\n");
  REQUIRE(ok.error.empty());
  const Interface& i = iface(ok.resolve, "i");
  CHECK(ok.resolve.types[*i.types.find("t")].external_id == "T");
  CHECK(i.functions.find("f")->external_id == "F");
  const World& w = world(ok.resolve, "w");
  std::vector<std::string> ids;
  for (const auto& [k, item] : w.imports) ids.push_back(item.external_id.value_or("-"));
  for (const auto& [k, item] : w.exports) ids.push_back(item.external_id.value_or("-"));
  CHECK(ids == std::vector<std::string>{"I", "L", "E"});
}

TEST_CASE("no package header is an error") {
  auto l = load("interface i {}\n");
  CHECK(l.error == "no `package` header was found in any WIT file for this package");
}
