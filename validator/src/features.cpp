#include "witc/bin/features.h"

#include <array>

namespace witc::bin {

namespace {

constexpr std::array<std::string_view, kFeatureCount> kNames = {
    "mutable-global", "sign-extension", "saturating-float-to-int", "multi-value",
    "bulk-memory",    "reference-types", "simd",                   "tail-call",
    "extended-const", "multi-memory",   "exceptions",              "memory64",
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view feature_name(Feature f) { return kNames[static_cast<size_t>(f)]; }

Features Features::wasm1() { return none().set(Feature::MutableGlobal); }

Features Features::wasm2() {
  return wasm1()
      .set(Feature::SignExtension)
      .set(Feature::SaturatingFloatToInt)
      .set(Feature::MultiValue)
      .set(Feature::BulkMemory)
      .set(Feature::ReferenceTypes)
      .set(Feature::Simd);
}

Features Features::wasm3() {
  return wasm2()
      .set(Feature::TailCall)
      .set(Feature::ExtendedConst)
      .set(Feature::MultiMemory)
      .set(Feature::Exceptions)
      .set(Feature::Memory64);
}

Expected<Features> Features::parse(std::string_view text) {
  Features f;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    if (item.empty()) continue;
    bool on = true;
    if (item.front() == '-') {
      on = false;
      item = trim(item.substr(1));
    } else if (item.front() == '+') {
      item = trim(item.substr(1));
    }
    if (item == "wasm1" || item == "wasm2" || item == "wasm3" || item == "all") {
      if (!on) return fail(Diagnostic::plain("a preset cannot be negated: -" + std::string(item)));
      f = item == "wasm1" ? wasm1() : item == "wasm2" ? wasm2() : item == "wasm3" ? wasm3() : all();
      continue;
    }
    bool found = false;
    for (size_t i = 0; i < kFeatureCount; ++i) {
      if (kNames[i] == item) {
        f.set(static_cast<Feature>(i), on);
        found = true;
        break;
      }
    }
    if (!found) {
      std::string valid = "wasm1, wasm2, wasm3, all";
      for (auto n : kNames) {
        valid += ", ";
        valid += n;
      }
      return fail(Diagnostic::plain("unknown feature '" + std::string(item) + "' (valid: " +
                                    valid + ")"));
    }
  }
  return f;
}

std::string Features::to_string() const {
  std::string out;
  for (size_t i = 0; i < kFeatureCount; ++i) {
    if (!has(static_cast<Feature>(i))) continue;
    if (!out.empty()) out += ',';
    out += kNames[i];
  }
  return out;
}

}  // namespace witc::bin
