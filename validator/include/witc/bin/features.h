// WebAssembly feature sets for the core-module reader and validator.
//
// A Features value is a set of proposals the reader decodes and the validator
// accepts. Presets follow the spec releases (wasm1 = the 1.0 MVP with mutable
// globals, wasm2 = 2.0, wasm3 = 2.0 plus the 3.0 features witc implements); the
// default is every implemented feature. Text form, as wasm-tools spells it:
// "wasm2,tail-call,-simd" — items apply left to right, a preset replaces the
// whole set, "name" enables, "-name" disables.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "witc/base/diagnostic.h"

namespace witc::bin {

enum class Feature : uint8_t {
  MutableGlobal,      // import/export of mutable globals (1.0)
  SignExtension,      // i32.extend8_s, ... (2.0)
  SaturatingFloatToInt,  // i32.trunc_sat_f32_s, ... (2.0)
  MultiValue,         // several results, block types by type index (2.0)
  BulkMemory,         // memory.copy/fill/init, data.drop, table.init/copy, elem.drop (2.0)
  ReferenceTypes,     // funcref/externref values, table.*, several tables (2.0)
  Simd,               // 128-bit SIMD (2.0)
  TailCall,           // return_call, return_call_indirect (3.0)
  ExtendedConst,      // i32/i64 add, sub, mul in constant expressions (3.0)
  MultiMemory,        // several memories, memory index in memarg (3.0)
  Exceptions,         // tags, throw, throw_ref, try_table, exnref (3.0)
  Memory64,           // 64-bit memories and tables (3.0)
  Count_
};

inline constexpr size_t kFeatureCount = static_cast<size_t>(Feature::Count_);

// The spelling used by --features ("tail-call", "reference-types", ...).
std::string_view feature_name(Feature f);

class Features {
 public:
  // The default: every implemented feature.
  constexpr Features() : bits_((1u << kFeatureCount) - 1) {}

  static constexpr Features none() { return Features(0); }
  static Features wasm1();
  static Features wasm2();
  static Features wasm3();
  static Features all() { return Features(); }

  // Parses a comma-separated list (see the header comment), starting from the
  // default set. Unknown names are an error naming the valid ones.
  static Expected<Features> parse(std::string_view text);

  constexpr bool has(Feature f) const { return (bits_ >> static_cast<unsigned>(f)) & 1u; }
  constexpr Features& set(Feature f, bool on = true) {
    if (on) {
      bits_ |= 1u << static_cast<unsigned>(f);
    } else {
      bits_ &= ~(1u << static_cast<unsigned>(f));
    }
    return *this;
  }
  constexpr uint32_t bits() const { return bits_; }
  friend constexpr bool operator==(Features, Features) = default;

  // "sign-extension,simd,..." (enabled features in declaration order).
  std::string to_string() const;

 private:
  constexpr explicit Features(uint32_t bits) : bits_(bits) {}
  uint32_t bits_;
};

}  // namespace witc::bin
