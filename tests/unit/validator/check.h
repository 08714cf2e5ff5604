// Helpers for the validator unit tests: read + validate a binary and check
// the exact error message and offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <doctest/doctest.h>

#include "wasm_builder.h"
#include "witc/bin/features.h"
#include "witc/bin/reader.h"
#include "witc/bin/validate.h"

namespace witc::test {

// Reads and validates; the first error of either step.
inline Expected<bin::ModuleInfo> load(const Bytes& b, bin::Features f = {}) {
  auto m = bin::read_module(b, f);
  if (!m) return fail(std::move(m.error()));
  return bin::validate_module(*m, f);
}

inline uint64_t offset_of(const Diagnostic& d) { return d.offset.value_or(~uint64_t{0}); }

}  // namespace witc::test

// The binary (the last, variadic argument, so it may contain commas) is
// valid under `features`.
#define CHECK_VALID_F(features, ...)                                                       \
  do {                                                                                     \
    auto r_ = ::witc::test::load(__VA_ARGS__, features);                                   \
    CHECK_MESSAGE(r_.has_value(), (r_ ? std::string() : ::witc::render(r_.error())));      \
  } while (0)
#define CHECK_VALID(...) CHECK_VALID_F(::witc::bin::Features(), __VA_ARGS__)

// The binary is rejected under `features` with exactly `msg` at offset `off`.
#define CHECK_INVALID_F(features, msg, off, ...)                                           \
  do {                                                                                     \
    auto r_ = ::witc::test::load(__VA_ARGS__, features);                                   \
    REQUIRE_FALSE(r_.has_value());                                                         \
    CHECK(r_.error().message == std::string(msg));                                         \
    CHECK(::witc::test::offset_of(r_.error()) == static_cast<uint64_t>(off));              \
  } while (0)
#define CHECK_INVALID(msg, off, ...) CHECK_INVALID_F(::witc::bin::Features(), msg, off, __VA_ARGS__)
