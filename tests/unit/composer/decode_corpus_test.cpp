// The decoder against `jco wit` on the shared corpus: every component of
// component-model-tests and composition that jco accepts is listed in
// tests/fixtures/corpus-jco-wit.txt with what jco printed (regenerate with
// `tests/fixtures/build.sh corpus`); witc must print the same, except for
// the files tests/fixtures/corpus-jco-wit.known lists with a reason.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "witc/composer/decode.h"

namespace fs = std::filesystem;
using namespace witc;

namespace {

std::string slurp_text(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

// path -> expected text, from the `=== PATH` entries of the golden file.
std::map<std::string, std::string> golden() {
  std::map<std::string, std::string> out;
  std::istringstream in(slurp_text(fs::path(WITC_SOURCE_DIR) / "tests/fixtures/corpus-jco-wit.txt"));
  std::string line, path;
  while (std::getline(in, line)) {
    if (line.starts_with("=== ")) {
      path = line.substr(4);
      out[path];
      continue;
    }
    out[path].append(line).append("\n");
  }
  return out;
}

std::set<std::string> known_differences() {
  std::set<std::string> out;
  std::istringstream in(slurp_text(fs::path(WITC_SOURCE_DIR) / "tests/fixtures/corpus-jco-wit.known"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    out.insert(line.substr(0, line.find('\t')));
  }
  return out;
}

}  // namespace

TEST_CASE("decode: corpus components print what `jco wit` prints") {
  fs::path corpus = fs::path(WITC_SHARED_DIR) / "corpus";
  if (!fs::exists(corpus)) {
    MESSAGE("no shared corpus at " << corpus.string());
    return;
  }
  auto expected = golden();
  auto known = known_differences();
  REQUIRE(expected.size() > 300);
  size_t same = 0;
  for (const auto& [path, text] : expected) {
    if (known.count(path)) continue;
    CAPTURE(path);
    std::ifstream f(corpus / path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
    REQUIRE(!bytes.empty());
    auto d = compose::decode_component_binary(bytes);
    REQUIRE_MESSAGE(d.has_value(), (d ? "" : render(d.error())));
    CHECK(compose::print_main_package(*d) + "\n" == text);
    ++same;
  }
  // Every listed difference is still a file of the golden list.
  for (const auto& k : known) CHECK_MESSAGE(expected.count(k), k);
  MESSAGE(same << " of " << expected.size() << " components print exactly what jco prints");
  CHECK(same + known.size() == expected.size());
}
