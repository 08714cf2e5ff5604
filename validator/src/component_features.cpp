// Component model feature sets and their --features spelling.
#include <fmt/format.h>

#include "witc/bin/component_validate.h"

namespace witc::bin {

namespace {

constexpr std::string_view kNames[kComponentFeatureCount] = {
    "cm-async",         "cm-async-builtins", "cm-async-stackful", "cm-threading",
    "cm-shared-threads", "cm-error-context", "cm-fixed-length-lists", "cm-map",
    "cm-values",        "cm-nested-names",   "cm-implements",     "cm-canonical-names",
    "cm64"};

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view component_feature_name(ComponentFeature f) { return kNames[static_cast<size_t>(f)]; }

ComponentFeatures ComponentFeatures::wasi03() {
  ComponentFeatures f;
  f.set(ComponentFeature::Async).set(ComponentFeature::Map).set(ComponentFeature::Implements);
  return f;
}

ComponentFeatures ComponentFeatures::all() {
  ComponentFeatures f;
  for (size_t i = 0; i < kComponentFeatureCount; ++i) f.set(static_cast<ComponentFeature>(i));
  return f;
}

Expected<ComponentFeatures> ComponentFeatures::parse(std::string_view text) {
  ComponentFeatures out;
  std::string core_items;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item = trim(text.substr(start, comma == text.npos ? text.npos : comma - start));
    start = comma == text.npos ? text.size() + 1 : comma + 1;
    if (item.empty()) continue;
    bool off = item.front() == '-';
    std::string_view name = off ? item.substr(1) : item;
    Features core = out.core;
    if (name == "wasi02" || name == "wasi03" || name == "cm-all") {
      if (off) return fail(Diagnostic::plain(fmt::format("a preset cannot be disabled: `{}`", item)));
      out = name == "wasi02" ? wasi02() : name == "wasi03" ? wasi03() : all();
      out.core = core;
      continue;
    }
    bool known = false;
    for (size_t i = 0; i < kComponentFeatureCount; ++i) {
      if (kNames[i] == name) {
        out.set(static_cast<ComponentFeature>(i), !off);
        known = true;
      }
    }
    if (known) continue;
    if (!core_items.empty()) core_items += ',';
    core_items += item;
  }
  if (!core_items.empty()) {
    auto core = Features::parse(core_items);
    if (!core) {
      std::string names;
      for (auto n : kNames) names += fmt::format(", {}", n);
      core.error().message += fmt::format(" (component features: wasi02, wasi03, cm-all{})", names);
      return fail(std::move(core.error()));
    }
    out.core = *core;
  }
  return out;
}

std::string ComponentFeatures::to_string() const {
  std::string s;
  for (size_t i = 0; i < kComponentFeatureCount; ++i) {
    if (!has(static_cast<ComponentFeature>(i))) continue;
    if (!s.empty()) s += ',';
    s += kNames[i];
  }
  return s;
}

}  // namespace witc::bin
