// libFuzzer target `fuzz-wac`: arbitrary bytes through the WAC front end.
//
// Each input is parsed as a WAC document. A rejected input must come back as
// a Diagnostic that renders (spans inside the source). An accepted one must
// print as JSON, resolve (packages are looked for in a folder that does not
// exist, so documents that instantiate anything stop with a located
// "unknown package" error; type declarations, imports and exports resolve
// fully), and, when it resolves, encode.
//
// Runtime option: WITC_FUZZ_STRICT=1 also requires every encoding of a
// resolved document to succeed and validate; off by default, because some
// shapes are refused on purpose ("cannot be encoded yet").
//
// Reproduce a crash: build-fuzz/bin/fuzz-wac build-fuzz/artifacts/fuzz-wac/crash-<sha1>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_text.h"
#include "witc/base/source_map.h"
#include "witc/composer/wac.h"

namespace {

using namespace witc;

using fuzz::strict_mode;

[[noreturn]] void die(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz-wac: %s\n%s\n", what, detail.c_str());
  std::abort();
}

void check_rendered(const Diagnostic& d, const SourceMap& sources) {
  if (render(d, &sources).empty()) die("empty error message", "");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  SourceMap sources;
  uint32_t base = sources.add("fuzz.wac", std::string(reinterpret_cast<const char*>(data), size));
  auto doc = compose::wac::parse(sources, base);
  if (!doc) {
    check_rendered(doc.error(), sources);
    return 0;
  }
  if (compose::wac::to_json(*doc).empty()) die("to_json returned nothing", "");
  compose::wac::PackageLocator locator;
  locator.deps_dir = "/nonexistent/witc-fuzz-wac-deps";
  auto resolved = compose::wac::resolve(*doc, sources, locator);
  if (!resolved) {
    check_rendered(resolved.error(), sources);
    return 0;
  }
  if (compose::wac::to_dot(*resolved).empty()) die("to_dot returned nothing", "");
  auto bytes = compose::wac::encode(*resolved, sources, compose::EncodeOptions{});
  if (!bytes) {
    check_rendered(bytes.error(), sources);
    if (strict_mode()) die("a resolved document does not encode", render(bytes.error(), &sources));
  }
  return 0;
}
