// libFuzzer targets for core modules, one source, three modes (WITC_FUZZ_MODE):
//   fuzz-module-read       read_module must return a module or a Diagnostic
//                          whose offset lies inside the input.
//   fuzz-module-validate   ... and validate_module (all features, plus the
//                          wasm2 preset) must accept or reject cleanly.
//   fuzz-module-roundtrip  what reads must write back byte-identically, and
//                          the written bytes must read again.
// Any violation aborts, so libFuzzer keeps the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "fuzz_binary.h"
#include "witc/bin/features.h"
#include "witc/bin/reader.h"
#include "witc/bin/validate.h"
#include "witc/bin/writer.h"

namespace {

constexpr const char* kTarget = "fuzz-module";
[[noreturn, maybe_unused]] void die(const char* what) { witc::fuzz::die(kTarget, what); }
void check_offset(const witc::Diagnostic& d, size_t size) {
  witc::fuzz::check_offset(kTarget, d, size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  auto m = witc::bin::read_module(bytes);
  if (!m) {
    check_offset(m.error(), size);
    return 0;
  }
#if WITC_FUZZ_MODE == 1
  for (auto features : {witc::bin::Features{}, *witc::bin::Features::parse("wasm2")}) {
    auto v = witc::bin::validate_module(*m, features);
    if (!v) check_offset(v.error(), size);
  }
#elif WITC_FUZZ_MODE == 2
  std::vector<uint8_t> out = witc::bin::write_module(*m);
  if (out.size() != size || !std::equal(out.begin(), out.end(), data))
    die("read -> write changed the bytes");
  if (!witc::bin::read_module(std::span<const uint8_t>(out))) die("written module does not read");
#endif
  return 0;
}
