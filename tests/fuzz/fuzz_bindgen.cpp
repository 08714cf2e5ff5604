// libFuzzer target `fuzz-bindgen`: WIT text through the front end and
// `witc bindgen cpp` (the plan, the C++ emitter and the component-type
// object), for every world the input resolves to.
//
// The input is `.wit` text, loaded with all `@unstable` features; inputs the
// front end rejects are skipped. For an accepted one, every world of every
// package must generate, with the default options and with the api style
// and ownership a hash of the input picks: "nothing the front end resolves
// is refused" (docs/bindgen-cpp.md), so an error from generate_cpp aborts
// and libFuzzer keeps the input, as does a generated file left empty. Seeds:
// the WIT corpora and tests/bindgen/wit; dictionary: the WIT one.
//
// Reproduce: build-fuzz/bin/fuzz-bindgen build-fuzz/artifacts/fuzz-bindgen/crash-<sha1>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "witc/bindgen/cpp.h"
#include "witc/wit/wit.h"

namespace {

using namespace witc;

[[noreturn]] void die(const char* what, const std::string& detail, const std::string& text) {
  std::fprintf(stderr, "fuzz-bindgen: %s\n%s\n--- WIT ---\n%s\n--- end ---\n", what, detail.c_str(), text.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  wit::Resolve r;
  r.features.all = true;
  auto roots = wit::load_text(r, "fuzz.wit", text);
  if (!roots) return 0;
  uint32_t hash = 2166136261u;
  for (size_t i = 0; i < size; ++i) hash = (hash ^ data[i]) * 16777619u;
  bindgen::CppOptions picked;
  picked.api_style = (hash & 1) ? bindgen::ApiStyle::Symmetric : bindgen::ApiStyle::Asymmetric;
  picked.ownership = static_cast<bindgen::Ownership>((hash >> 1) % 3);
  for (const bindgen::CppOptions& opts : {bindgen::CppOptions{}, picked}) {
    for (uint32_t w = 0; w < r.worlds.size(); ++w) {
      auto files = bindgen::generate_cpp(r, wit::WorldId(w), opts);
      if (!files) die("bindgen refused a world the front end resolved", render(files.error(), &r.sources), text);
      for (const auto& f : files->all())
        if (f.contents.empty()) die("an empty generated file", f.path, text);
    }
  }
  return 0;
}
