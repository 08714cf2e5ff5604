// The Component Model reference tests that are pure decoding and validation
// (../shared/corpus/component-model-tests, see its README): every binary a
// `component`/`definition`/`assert_uninstantiable` command carries must
// validate (instantiation and execution belong to the runtime), every
// `assert_invalid`/`assert_malformed` binary must be rejected, and every
// binary that reads must write back byte-identically.
//
// Upstream runs with every Component Model feature; so do we, except 🪺
// nested names, which the reference implementation (wasmparser) does not
// implement and two tests reject as malformed names. Text-only commands
// (no binary) cannot be run without a text parser and are not counted.
// WITC_CM_TESTS overrides the corpus location; without a corpus the test
// is skipped.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"

namespace fs = std::filesystem;
using namespace witc;

namespace {

fs::path corpus_root() {
  if (const char* env = std::getenv("WITC_CM_TESTS")) return env;
  // tests/unit/validator/ -> the repository, beside ../shared.
  return fs::path(__FILE__).parent_path() / "../../../../shared/corpus/component-model-tests";
}

std::vector<uint8_t> slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), {});
}

}  // namespace

TEST_CASE("component corpus: reference tests (validation)") {
  fs::path root = corpus_root();
  if (!fs::exists(root)) {
    MESSAGE("component model reference tests not found at " << root.string() << "; skipped");
    return;
  }
  auto features = bin::ComponentFeatures::all().set(bin::ComponentFeature::NestedNames, false);
  int valid = 0, invalid = 0, failed = 0, round_trips = 0, messages = 0;
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(root)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream jf(file);
    auto j = nlohmann::json::parse(jf, nullptr, false);
    REQUIRE_FALSE(j.is_discarded());
    for (const auto& c : j["commands"]) {
      std::string type = c.value("type", "");
      if (!c.contains("filename") || c.value("kind", "") != "component") continue;
      bool want_valid = type == "component" || type == "definition" || type == "assert_uninstantiable";
      bool want_invalid = type == "assert_invalid" || type == "assert_malformed";
      if (!want_valid && !want_invalid) continue;
      auto bytes = slurp(file.parent_path() / c.value("filename", ""));
      auto read = bin::read_component(bytes);
      if (read) {
        CHECK_MESSAGE(bin::write_component(*read) == bytes, file.string() << ": round trip");
        ++round_trips;
      }
      auto r = read ? bin::validate_component(*read, features) : Expected<bin::ComponentInfo>(fail(read.error()));
      bool ok = r.has_value() == want_valid;
      if (!ok) {
        ++failed;
        FAIL_CHECK(file.string() << ":" << c.value("line", 0) << " (" << type << "): "
                                 << (r ? std::string("accepted") : render(r.error())));
      }
      if (want_valid) ++valid;
      if (want_invalid) {
        ++invalid;
        if (!r && r.error().message.find(c.value("text", "")) != std::string::npos) ++messages;
      }
    }
  }
  MESSAGE("component reference tests: " << valid << " valid and " << invalid << " invalid binaries, " << failed
                                        << " disagreements; " << round_trips << " round trips; " << messages
                                        << " rejections quote the expected text");
  CHECK(valid + invalid > 700);
}
