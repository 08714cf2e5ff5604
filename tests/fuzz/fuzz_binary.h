// Shared by the binary fuzz targets: how a target reports a violated rule,
// and the check every rejected input must pass (its offset lies inside the
// input and the Diagnostic renders).
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>

#include "witc/base/diagnostic.h"

namespace witc::fuzz {

[[noreturn]] inline void die(const char* target, const char* what) {
  std::fprintf(stderr, "%s: %s\n", target, what);
  std::abort();
}

inline void check_offset(const char* target, const Diagnostic& d, size_t size) {
  if (d.offset && *d.offset > size) die(target, "error offset beyond the end of the input");
  (void)render(d);
}

}  // namespace witc::fuzz
