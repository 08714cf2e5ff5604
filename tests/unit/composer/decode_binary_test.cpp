// Decoding hand-built components (tests/support/component_builder.h): the
// less common value types, WIT package encodings and what cannot be
// expressed in WIT.
#include <doctest/doctest.h>

#include <string>

#include "component_builder.h"
#include "witc/composer/decode.h"
#include "witc/wit/wit.h"

using namespace witc;
using namespace witc::test;
using namespace witc::test::cm;

namespace {

Expected<compose::DecodedWit> decode_bytes(const Bytes& b) {
  return compose::decode_component_binary(b, bin::ComponentFeatures::all());
}

std::string print_package(const compose::DecodedWit& d, const std::string& name) {
  for (uint32_t p = 0; p < d.resolve.packages.size(); ++p) {
    if (d.resolve.packages[wit::PackageId(p)].name.to_string() == name) {
      return wit::print(d.resolve, {wit::PackageId(p)});
    }
  }
  std::string missing = "<no package ";
  missing.append(name).append(">");
  return missing;
}

// An instance type `a:b/c` exporting types and one function over them.
Bytes instance_with(const std::vector<Bytes>& value_types) {
  std::vector<Bytes> decls;
  std::vector<Field> params;
  uint32_t next = 0;
  for (size_t i = 0; i < value_types.size(); ++i) {
    decls.push_back(decl::type(value_types[i]));
    std::string n = "t";
    n.append(std::to_string(i));
    decls.push_back(decl::export_(n, ext::type_eq(next)));
    next += 2;
  }
  std::vector<std::string> names;  // outlives `params`, which views it
  for (size_t i = 0; i < value_types.size(); ++i) names.push_back(std::string("p").append(std::to_string(i)));
  for (size_t i = 0; i < value_types.size(); ++i) params.push_back({names[i], idx(static_cast<uint32_t>(2 * i + 1))});
  decls.push_back(decl::type(func(params)));
  decls.push_back(decl::export_("f", ext::func(next)));
  return instance_type(decls);
}

}  // namespace

TEST_CASE("decode: an empty component is an empty world") {
  ComponentBuilder b;
  auto d = decode_bytes(b.build());
  REQUIRE(d.has_value());
  CHECK(d->kind == compose::DecodedWit::Kind::Component);
  CHECK(compose::print_main_package(*d) == "package root:component;\n\nworld root {\n}\n");
}

TEST_CASE("decode: maps, fixed-length lists, streams, futures and error-context") {
  ComponentBuilder b;
  b.types({instance_with({map(prim(pt::string), prim(pt::u32)), fixed_list(prim(pt::u8), 4),
                          stream(prim(pt::u8)), future(std::nullopt), tuple({prim(pt::error_context), prim(pt::char_)}),
                          result(std::nullopt, std::nullopt)})});
  b.imports({import_("a:b/c@1.0.0", ext::instance(0))});
  auto d = decode_bytes(b.build());
  REQUIRE_MESSAGE(d.has_value(), (d ? "" : render(d.error())));
  CHECK(compose::print_main_package(*d) == "package root:component;\n\nworld root {\n  import a:b/c@1.0.0;\n}\n");
  CHECK(print_package(*d, "a:b@1.0.0") ==
        "package a:b@1.0.0;\n\n"
        "interface c {\n"
        "  type t0 = map<string, u32>;\n\n"
        "  type t1 = list<u8, 4>;\n\n"
        "  type t2 = stream<u8>;\n\n"
        "  type t3 = future;\n\n"
        "  type t4 = tuple<error-context, char>;\n\n"
        "  type t5 = result;\n\n"
        "  f: func(p0: t0, p1: t1, p2: t2, p3: t3, p4: t4, p5: t5);\n"
        "}\n\n");
}

TEST_CASE("decode: a type exported by a component is not a world item") {
  ComponentBuilder b;
  b.types({record({{"x", prim(pt::u32)}})});
  b.exports({export_("r", item(sort::type, 0))});
  auto d = decode_bytes(b.build());
  REQUIRE(!d.has_value());
  CHECK(d.error().message == "component export `r` was not a function or instance");
}

TEST_CASE("decode: a WIT package encoding") {
  // `package a:b; interface i { type x = u32; g: func() -> x; }` as
  // `wasm-tools component wit --wasm` writes it.
  Bytes iface = instance_type({decl::type(prim(pt::u32)), decl::export_("x", ext::type_eq(0)),
                               decl::type(func({}, idx(1))), decl::export_("g", ext::func(2))});
  Bytes pkg = component_type({decl::type(iface), decl::export_("a:b/i", ext::instance(0))});
  ComponentBuilder b;
  b.types({pkg});
  b.exports({export_("i", item(sort::type, 0))});
  auto d = decode_bytes(b.build());
  REQUIRE_MESSAGE(d.has_value(), (d ? "" : render(d.error())));
  CHECK(d->kind == compose::DecodedWit::Kind::WitPackage);
  CHECK(!d->world.valid());
  CHECK(compose::print_main_package(*d) ==
        "package a:b;\n\ninterface i {\n  type x = u32;\n\n  g: func() -> x;\n}\n\n");
}

TEST_CASE("decode: the legacy WIT package encoding is refused") {
  Bytes pkg = component_type({decl::type(instance_type({})), decl::export_("a:b/i", ext::instance(0))});
  ComponentBuilder b;
  b.types({pkg});
  b.exports({export_("a:b/wit", item(sort::type, 0))});
  auto d = decode_bytes(b.build());
  REQUIRE(!d.has_value());
  CHECK(d.error().message.find("legacy") != std::string::npos);
}

TEST_CASE("decode: plain-named instances implementing an interface") {
  Bytes bytes = Bytes{0x02} + name("store") + vec({Bytes{0x00} + name("a:b/kv")});  // [implements=<a:b/kv>]store
  ComponentBuilder b;
  b.types({instance_type({})});
  b.imports({bytes + ext::instance(0)});
  auto d = decode_bytes(b.build());
  REQUIRE_MESSAGE(d.has_value(), (d ? "" : render(d.error())));
  CHECK(compose::print_main_package(*d) == "package root:component;\n\nworld root {\n  import store: a:b/kv;\n}\n");
}
