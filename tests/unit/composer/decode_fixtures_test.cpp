// Decoding real components and component-type sections into WIT, checked
// against the reference: the components in tests/fixtures/components (built
// by tests/fixtures/build.sh) with the output of `jco wit` stored beside
// each, and the source WIT of each embedded world.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "witc/bin/reader.h"
#include "witc/composer/decode.h"
#include "witc/wit/wit.h"

namespace fs = std::filesystem;
using namespace witc;

namespace {

fs::path fixtures() { return fs::path(WITC_SOURCE_DIR) / "tests/fixtures/components"; }

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

compose::DecodedWit decode_file(const fs::path& p) {
  auto bytes = slurp(p);
  REQUIRE_MESSAGE(!bytes.empty(), p.string());
  auto d = compose::decode_component_binary(bytes);
  REQUIRE_MESSAGE(d.has_value(), (d ? "" : render(d.error())));
  return std::move(*d);
}

// The text without `///` lines (docs come from comments in the sources and
// are not encoded in the binaries).
std::string without_docs(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(' ') != std::string::npos && line.substr(line.find_first_not_of(' ')).starts_with("///"))
      continue;
    out += line;
    out += '\n';
  }
  return out;
}

const wit::TypeDef& type_in(const wit::Resolve& r, wit::InterfaceId i, const std::string& name) {
  const wit::TypeId* t = r.interfaces[i].types.find(name);
  REQUIRE_MESSAGE(t != nullptr, name);
  return r.types[*t];
}

wit::InterfaceId interface_in(const wit::Resolve& r, const std::string& pkg, const std::string& name) {
  for (uint32_t p = 0; p < r.packages.size(); ++p) {
    const wit::Package& package = r.packages[wit::PackageId(p)];
    if (package.name.to_string() != pkg) continue;
    const wit::InterfaceId* i = package.interfaces.find(name);
    REQUIRE_MESSAGE(i != nullptr, name);
    return *i;
  }
  FAIL("no package " << pkg);
  return {};
}

}  // namespace

TEST_CASE("decode: every component fixture prints what `jco wit` prints") {
  int n = 0;
  for (const fs::path& dir : {fixtures(), fixtures() / "async"}) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".wasm") continue;
      CAPTURE(e.path().string());
      fs::path expected = e.path();
      expected.replace_extension(".jco.wit");
      REQUIRE(fs::exists(expected));
      compose::DecodedWit d = decode_file(e.path());
      CHECK(d.kind == compose::DecodedWit::Kind::Component);
      // `jco wit` prints the text with console.log, which adds a newline.
      CHECK(compose::print_main_package(d) + "\n" == slurp_text(expected));
      // The JSON form of the same graph is well-formed.
      CHECK(!wit::to_json(d.resolve).empty());
      ++n;
    }
  }
  CHECK(n >= 6);
}

TEST_CASE("decode: foreign packages, uses and resources of resources-use") {
  compose::DecodedWit d = decode_file(fixtures() / "resources-use.wasm");
  const wit::Resolve& r = d.resolve;
  // Dependencies first, the component's own package last.
  REQUIRE(r.packages.size() == 3);
  CHECK(r.packages[wit::PackageId(0)].name.to_string() == "witc:base@1.2.0");
  CHECK(r.packages[wit::PackageId(1)].name.to_string() == "witc:fixtures");
  CHECK(r.packages[wit::PackageId(2)].name.to_string() == "root:component");
  CHECK(d.package == wit::PackageId(2));

  wit::InterfaceId types = interface_in(r, "witc:base@1.2.0", "types");
  wit::InterfaceId reader = interface_in(r, "witc:base@1.2.0", "reader");
  wit::InterfaceId api = interface_in(r, "witc:fixtures", "api");
  CHECK(std::holds_alternative<wit::Resource>(type_in(r, types, "buffer").kind));
  // `use types.{buffer}` in an imported interface...
  const auto* used = std::get_if<wit::Alias>(&type_in(r, reader, "buffer").kind);
  REQUIRE(used);
  CHECK(r.types[used->target.id].owner == wit::TypeOwner::of(types));
  // ... and in an exported one, through the instantiation of its shim.
  const auto* blob = std::get_if<wit::Alias>(&type_in(r, api, "blob").kind);
  REQUIRE(blob);
  CHECK(r.types[blob->target.id].owner == wit::TypeOwner::of(types));

  const wit::Interface& t = r.interfaces[types];
  REQUIRE(t.functions.contains("[static]buffer.merge"));
  CHECK(t.functions.find("[static]buffer.merge")->kind == wit::Function::Kind::Static);
  CHECK(t.functions.find("[method]buffer.len")->kind == wit::Function::Kind::Method);
  CHECK(t.functions.find("[constructor]buffer")->kind == wit::Function::Kind::Constructor);
  // Only what the component uses of a foreign interface is there.
  CHECK(!r.interfaces[reader].functions.empty());

  // The world: the inline interface belongs to the root package.
  const wit::World& w = r.worlds[d.world];
  const wit::WorldItem* host = w.imports.find(wit::WorldKey{"host", {}});
  REQUIRE(host);
  CHECK(!r.interfaces[host->interface].name);
  CHECK(r.interfaces[host->interface].package == d.package);
  const wit::WorldItem* code = w.imports.find(wit::WorldKey{"error-code", {}});
  REQUIRE(code);
  CHECK(code->kind == wit::WorldItem::Kind::Type);
}

TEST_CASE("decode: component-type sections give back the source WIT") {
  for (const char* name : {"shapes", "resources-use", "values"}) {
    CAPTURE(name);
    auto bytes = slurp(fixtures() / "embedded" / (std::string(name) + ".wasm"));
    auto m = bin::read_module(std::move(bytes));
    REQUIRE(m.has_value());
    auto sections = compose::decode_component_type_sections(*m);
    REQUIRE_MESSAGE(sections.has_value(), (sections ? "" : render(sections.error())));
    REQUIRE(sections->size() == 1);
    const compose::DecodedWit& d = (*sections)[0].wit;
    CHECK(d.kind == compose::DecodedWit::Kind::WitPackage);
    REQUIRE(d.world.valid());

    wit::Resolve source;
    auto roots = wit::load_path(source, (fixtures() / "src" / (std::string(name) + ".wit")).string());
    REQUIRE(roots.has_value());
    CHECK(compose::print_main_package(d) == without_docs(wit::print(source, {roots->front()})));
    CHECK(d.resolve.worlds[d.world].name == source.worlds[source.packages[roots->front()].worlds.at_index(0).second].name);
  }
}

TEST_CASE("decode: a core module without component-type sections has no worlds") {
  // The smallest module: the preamble alone.
  std::vector<uint8_t> bytes{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  auto m = bin::read_module(std::move(bytes));
  REQUIRE(m.has_value());
  auto sections = compose::decode_component_type_sections(*m);
  REQUIRE(sections.has_value());
  CHECK(sections->empty());
}
