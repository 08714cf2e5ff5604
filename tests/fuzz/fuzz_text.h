// Shared by the text fuzz targets (fuzz-wit, fuzz-wac): whether their extra,
// stricter rules are on (WITC_FUZZ_STRICT=1; each target's header says which).
#pragma once

#include <cstdlib>
#include <string_view>

namespace witc::fuzz {

inline bool strict_mode() {
  static const bool strict = [] {
    const char* v = std::getenv("WITC_FUZZ_STRICT");
    return v != nullptr && std::string_view(v) == "1";
  }();
  return strict;
}

}  // namespace witc::fuzz
