// libFuzzer target `fuzz-component`: arbitrary bytes as a component.
// read_component must return a component or a Diagnostic with an offset
// inside the input; what reads must validate or be rejected cleanly (WASI
// 0.2 and all component features), and write back byte-identically.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "fuzz_binary.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"

namespace {

constexpr const char* kTarget = "fuzz-component";
[[noreturn, maybe_unused]] void die(const char* what) { witc::fuzz::die(kTarget, what); }
void check_offset(const witc::Diagnostic& d, size_t size) {
  witc::fuzz::check_offset(kTarget, d, size);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  auto c = witc::bin::read_component(bytes);
  if (!c) {
    check_offset(c.error(), size);
    return 0;
  }
  for (const auto& f : {witc::bin::ComponentFeatures::wasi02(), witc::bin::ComponentFeatures::all()}) {
    auto v = witc::bin::validate_component(*c, f);
    if (!v) check_offset(v.error(), size);
  }
  std::vector<uint8_t> out = witc::bin::write_component(*c);
  if (out.size() != size || !std::equal(out.begin(), out.end(), data))
    die("read -> write changed the bytes");
  return 0;
}
