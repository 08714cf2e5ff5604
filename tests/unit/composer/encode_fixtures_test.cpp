// `witc component embed` against the reference: every case of
// tests/fixtures/embed/cases.txt must give exactly the bytes `jco embed`
// wrote (regen.sh), and every component-type payload must validate.
#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "witc/bin/component_validate.h"
#include "witc/composer/embed.h"
#include "witc/composer/encode.h"
#include "witc/composer/metadata.h"
#include "witc/bin/reader.h"
#include "witc/wit/wit.h"

using namespace witc;

namespace {

const std::string kDir = std::string(WITC_SOURCE_DIR) + "/tests/fixtures/embed/";

std::vector<uint8_t> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Case {
  std::string name, mode, encoding, world, wit;
  bool known_diff = false;
};

std::vector<Case> read_cases() {
  std::vector<Case> out;
  std::ifstream in(kDir + "cases.txt");
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    Case c;
    std::string flag;
    ss >> c.name >> c.mode >> c.encoding >> c.world >> c.wit >> flag;
    c.known_diff = flag == "known-diff";
    out.push_back(std::move(c));
  }
  return out;
}

std::string expand(const std::string& path) {
  if (path.starts_with("$SRC")) return std::string(WITC_SOURCE_DIR) + path.substr(4);
  if (path.starts_with("$SHARED")) return std::string(WITC_SHARED_DIR) + path.substr(7);
  return kDir + path;
}

compose::StringEncoding encoding_of(const std::string& s) {
  if (s == "utf16") return compose::StringEncoding::Utf16;
  if (s == "compact-utf16") return compose::StringEncoding::CompactUtf16;
  return compose::StringEncoding::Utf8;
}

// What `witc component embed` writes for the case.
Expected<std::vector<uint8_t>> run_case(const Case& c) {
  wit::Resolve r;
  r.features.all = true;
  auto roots = wit::load_path(r, expand(c.wit));
  if (!roots) return fail(std::move(roots.error()));
  std::optional<std::string_view> name;
  if (c.world != "-") name = c.world;
  auto world = compose::select_world(r, *roots, name);
  if (!world) return fail(std::move(world.error()));
  std::vector<uint8_t> core = read_file(kDir + "empty.wasm");
  if (c.mode == "dummy") {
    auto m = compose::dummy_module(r, *world);
    if (!m) return fail(std::move(m.error()));
    core = std::move(*m);
  }
  return compose::embed_world(core, r, *world, encoding_of(c.encoding));
}

}  // namespace

TEST_CASE("embed: byte-identical to jco embed (tests/fixtures/embed)") {
  auto cases = read_cases();
  REQUIRE(cases.size() >= 30);
  size_t same = 0;
  for (const Case& c : cases) {
    CAPTURE(c.name);
    auto out = run_case(c);
    REQUIRE_MESSAGE(out, (out ? "" : render(out.error())));
    std::vector<uint8_t> expected = read_file(kDir + c.name + ".wasm");
    REQUIRE(!expected.empty());
    if (c.known_diff) {
      // A known difference (cases.txt says why): fixing it must update the list.
      CHECK(*out != expected);
      CHECK(out->size() == expected.size());
    } else {
      CHECK(*out == expected);
      same += *out == expected;
    }
    // The section's component validates (async and map types need their features).
    auto module = bin::read_module(*out);
    REQUIRE(module);
    auto sections = compose::component_type_sections(*module);
    REQUIRE(sections.size() == 1);
    CHECK(sections[0].name == "component-type");
    auto valid = bin::validate_component_binary(sections[0].bytes, bin::ComponentFeatures::all());
    CHECK_MESSAGE(valid, (valid ? "" : render(valid.error())));
  }
  MESSAGE(same << " cases byte-identical to jco embed");
}
