// Real components built by clang-19 and wasm-component-ld from the sources
// in tests/fixtures/components/src (tests/fixtures/build.sh rebuilds them):
// each reads, validates under the WASI 0.2 feature set, writes back
// byte-identically, and its imports and exports resolve to the types of
// its WIT world.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"

namespace fs = std::filesystem;
using namespace witc;
using bin::EntityKind;
using bin::ValueKind;

namespace {

fs::path fixtures() { return fs::path(__FILE__).parent_path() / "../../fixtures/components"; }

std::vector<uint8_t> slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), {});
}

bin::ComponentInfo load(std::string_view file) {
  auto bytes = slurp(fixtures() / file);
  REQUIRE_MESSAGE(!bytes.empty(), file);
  auto c = bin::read_component(bytes);
  REQUIRE_MESSAGE(c.has_value(), (c ? "" : render(c.error())));
  CHECK(bin::write_component(*c) == bytes);
  auto info = bin::validate_component(*c);
  REQUIRE_MESSAGE(info.has_value(), (info ? "" : render(info.error())));
  return std::move(*info);
}

const bin::EntityType& export_of(const bin::TypeInfo& t, const bin::EntityType& instance, const char* name) {
  const bin::EntityType* e = t.instance(instance.type).exports.find(name);
  REQUIRE_MESSAGE(e != nullptr, name);
  return *e;
}

}  // namespace

TEST_CASE("component fixtures: every fixture reads, validates, round-trips") {
  int n = 0;
  for (const auto& e : fs::directory_iterator(fixtures())) {
    if (e.path().extension() != ".wasm") continue;
    CAPTURE(e.path().filename().string());
    load(e.path().filename().string());
    ++n;
  }
  CHECK(n >= 3);
}

TEST_CASE("component fixtures: shapes (exported interface)") {
  auto info = load("shapes.wasm");
  const auto& ct = info.component();
  CHECK(ct.imports.empty());
  REQUIRE(ct.exports.size() == 1);
  const auto& [name, iface] = ct.exports.at_index(0);
  CHECK(name == "witc:fixtures/shapes");
  REQUIRE(iface.kind == EntityKind::Instance);
  const auto& t = info.types;
  std::vector<std::string> names;
  for (const auto& [n, e] : t.instance(iface.type).exports) names.push_back(n);
  CHECK(names == std::vector<std::string>{"point", "shape", "color", "perms", "counter", "[constructor]counter",
                                          "[method]counter.inc", "[method]counter.get", "area", "translate",
                                          "describe", "sum", "parse"});
  const auto& point = t.value(export_of(t, iface, "point").type);
  CHECK(point.kind == ValueKind::Record);
  CHECK(point.labels == std::vector<std::string>{"x", "y"});
  CHECK(t.kind(export_of(t, iface, "counter").type) == bin::TypeKind::Resource);
  const auto& area = t.func(export_of(t, iface, "area").type);
  REQUIRE(area.params.size() == 1);
  const auto& shape = t.value(area.params[0].second);
  CHECK(shape.kind == ValueKind::Variant);
  CHECK(shape.labels == std::vector<std::string>{"circle", "rect", "empty"});
  CHECK(t.value(*area.result).kind == ValueKind::F64);
  CHECK(t.describe(export_of(t, iface, "parse").type) == "func(s: string) -> result<u32, string>");
  CHECK(t.describe(export_of(t, iface, "sum").type) == "func(xs: list<u32>) -> option<u64>");
  const auto& inc = t.func(export_of(t, iface, "[method]counter.inc").type);
  CHECK(inc.params[0].first == "self");
  CHECK(t.value(inc.params[0].second).kind == ValueKind::Borrow);
  CHECK(t.resource(t.value(inc.params[0].second).types[0]) == t.resource(export_of(t, iface, "counter").type));
  CHECK(t.value(export_of(t, iface, "perms").type).labels == std::vector<std::string>{"read", "write", "exec"});
}

TEST_CASE("component fixtures: host-calls (imports and WASI)") {
  auto info = load("host-calls.wasm");
  const auto& ct = info.component();
  const auto& t = info.types;
  const bin::EntityType* logger = ct.imports.find("witc:fixtures/logger");
  REQUIRE(logger != nullptr);
  CHECK(t.describe(export_of(t, *logger, "get-config").type) == "func(key: string) -> option<string>");
  CHECK(t.describe(export_of(t, *logger, "[method]sink.write").type).starts_with("func(self: borrow<resource"));
  CHECK(ct.imports.find("wasi:clocks/monotonic-clock@0.2.6") != nullptr);
  const bin::EntityType* run = ct.exports.find("run");
  REQUIRE(run != nullptr);
  CHECK(t.describe(run->type) == "func(n: u32) -> u64");
  // The component lowered the imports into core functions and lifted `run`.
  CHECK(info.funcs.size() >= 1);
  CHECK(info.core_funcs.size() >= 7);
}

TEST_CASE("component fixtures: hello (WASI command)") {
  auto info = load("hello.wasm");
  const auto& ct = info.component();
  const auto& t = info.types;
  const bin::EntityType* run = ct.exports.find("wasi:cli/run@0.2.6");
  REQUIRE(run != nullptr);
  CHECK(t.describe(export_of(t, *run, "run").type) == "func() -> result<_, _>");
  CHECK(ct.imports.find("wasi:cli/stdout@0.2.6") != nullptr);
  const auto& streams = *ct.imports.find("wasi:io/streams@0.2.6");
  CHECK(t.kind(export_of(t, streams, "output-stream").type) == bin::TypeKind::Resource);
}
