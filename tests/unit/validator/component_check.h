// Helpers for the component unit tests: read + validate a component binary
// and check the exact error message and offset.
#pragma once

#include <cstdint>
#include <string>

#include <doctest/doctest.h>

#include "component_builder.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"

namespace witc::test {

// Reads and validates; the first error of either step.
inline Expected<bin::ComponentInfo> load_component(const Bytes& b,
                                                   const bin::ComponentFeatures& f = bin::ComponentFeatures::all()) {
  return bin::validate_component_binary(b, f);
}

inline uint64_t component_error_offset(const Diagnostic& d) { return d.offset.value_or(~uint64_t{0}); }

}  // namespace witc::test

// The component (the last, variadic argument) is valid under `features`.
#define CHECK_COMPONENT_VALID_F(features, ...)                                              \
  do {                                                                                      \
    auto r_ = ::witc::test::load_component(__VA_ARGS__, features);                          \
    CHECK_MESSAGE(r_.has_value(), (r_ ? std::string() : ::witc::render(r_.error())));       \
  } while (0)
#define CHECK_COMPONENT_VALID(...) CHECK_COMPONENT_VALID_F(::witc::bin::ComponentFeatures::all(), __VA_ARGS__)

// The component is rejected under `features` with exactly `msg` at `off`.
#define CHECK_COMPONENT_INVALID_F(features, msg, off, ...)                                  \
  do {                                                                                      \
    auto r_ = ::witc::test::load_component(__VA_ARGS__, features);                          \
    REQUIRE_FALSE(r_.has_value());                                                          \
    CHECK(r_.error().message == std::string(msg));                                          \
    CHECK(::witc::test::component_error_offset(r_.error()) == static_cast<uint64_t>(off)); \
  } while (0)
#define CHECK_COMPONENT_INVALID(msg, off, ...) \
  CHECK_COMPONENT_INVALID_F(::witc::bin::ComponentFeatures::all(), msg, off, __VA_ARGS__)
