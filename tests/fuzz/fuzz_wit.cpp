// libFuzzer target `fuzz-wit`: arbitrary bytes through the whole WIT front end.
//
// Each input is loaded as one `.wit` text into a fresh Resolve, twice: with no
// `@unstable` features and with all of them. A rejected input must come back
// as a Diagnostic that renders (spans inside the source). An accepted one must
// serialize (`to_json`), print, and the printed text must load again with the
// same features; if it does not, the printer or the parser is wrong and the
// target aborts so libFuzzer saves the input.
//
// Runtime option: WITC_FUZZ_STRICT=1 also requires the reloaded graph to give
// the same JSON (the golden round-trip rule). Off by default: besides printer
// bugs it reports differences that follow from the reference's own rules
// (nested packages coming back in another order, doc lines that start with a
// tab, worlds printed with `include ... with` already expanded).
//
// Reproduce a crash: build-asan/bin/fuzz-wit build-asan/artifacts/fuzz-wit/crash-<sha1>
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_text.h"
#include "witc/wit/wit.h"

namespace {

using namespace witc;

using fuzz::strict_mode;

[[noreturn]] void die(const char* what, const std::string& detail, const std::string& printed) {
  std::fprintf(stderr, "fuzz-wit: %s\n%s\n--- printed WIT ---\n%s\n--- end ---\n", what,
               detail.c_str(), printed.c_str());
  std::abort();
}

void configure(wit::Resolve& r, bool all_features) { r.features.all = all_features; }

void run_once(const std::string& text, bool all_features) {
  wit::Resolve r;
  configure(r, all_features);
  auto roots = wit::load_text(r, "fuzz.wit", text);
  if (!roots) {
    // Rendering walks the spans: a span outside its source shows up here.
    std::string rendered = render(roots.error(), &r.sources);
    if (rendered.empty()) die("empty error message", "", "");
    return;
  }
  std::string json = wit::to_json(r);
  if (json.empty()) die("to_json returned nothing", "", "");

  // Print every package (roots first), as the golden round trip does, so the
  // printed text is self-contained.
  std::vector<wit::PackageId> order = *roots;
  for (uint32_t i = 0; i < r.packages.size(); ++i) {
    wit::PackageId id(i);
    if (std::find(order.begin(), order.end(), id) == order.end()) order.push_back(id);
  }
  std::string printed = wit::print(r, order);

  wit::Resolve again;
  configure(again, all_features);
  auto reloaded = wit::load_text(again, "printed.wit", printed);
  if (!reloaded)
    die(all_features ? "printed WIT does not load again (all features)"
                     : "printed WIT does not load again (no features)",
        render(reloaded.error(), &again.sources), printed);
  if (strict_mode()) {
    std::string json2 = wit::to_json(again);
    if (json2 != json) die("JSON differs after print -> parse", json + "\n--- after ---\n" + json2, printed);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  run_once(text, false);
  run_once(text, true);
  return 0;
}
