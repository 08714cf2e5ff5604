// Validating components (Explainer.md, Binary.md, CanonicalABI.md
// "Canonical Definitions").
//
// validate_component checks a bin::Component read by read_component:
// index spaces (core and component, per sort, built definition by
// definition), aliases (export aliases by name and sort; outer aliases only
// to modules, components, core types and types, within the enclosing scopes,
// never to resource-carrying types across a component boundary),
// instantiation arguments against the imports of the instantiated module or
// component with subtyping and resource substitution, type definitions (label
// rules, resources only in concrete components, handles only of resources,
// no borrow in results), canon lift/lower signatures against the flattened
// core types, every canonical built-in, import/export names (kebab-case,
// interface names with semver, strong uniqueness, [constructor]/[method]/
// [static] rules), external visibility of the types of imports and exports,
// and every nested core module (validate_module) and component.
//
// What validation learns is returned as a ComponentInfo: the resolved types
// of everything (component_types.h), the component's own component type
// (its imports and exports), and the index spaces of the outermost scope.
//
// Features: the WASI 0.2 feature set is always on; the later additions are
// gated by ComponentFeatures (Explainer.md "Gated Features").
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bin/component.h"
#include "witc/bin/component_types.h"
#include "witc/bin/features.h"

namespace witc::bin {

enum class ComponentFeature : uint8_t {
  Async,             // 🔀 async func types and lift/lower, stream/future, task/waitable/subtask built-ins
  AsyncBuiltins,     // 🚝 more options on async built-ins
  AsyncStackful,     // 🚟 async lift without callback
  Threading,         // 🧵 thread.* built-ins
  SharedThreads,     // 🧵② thread.spawn-ref/-indirect, thread.available-parallelism
  ErrorContext,      // 📝 the error-context type and built-ins
  FixedLengthLists,  // 🔧 list<T, N>
  Map,               // 🗺️ map<K, V>
  Values,            // 🪙 value definitions, value imports/exports, start
  NestedNames,       // 🪺 nested namespaces and packages in interface names
  Implements,        // 🏷️ `implements` and `external-id` name attributes
  CanonicalNames,    // 🔗 canonical interface versions and `versionsuffix`
  Memory64,          // 🐘 64-bit memories, tables and resource representations
  Count_
};
inline constexpr size_t kComponentFeatureCount = static_cast<size_t>(ComponentFeature::Count_);

// "cm-async", "cm-map", ...
std::string_view component_feature_name(ComponentFeature f);

class ComponentFeatures {
 public:
  // The default: WASI 0.2 (no gated feature); core modules with every
  // implemented core feature.
  ComponentFeatures() = default;
  static ComponentFeatures wasi02() { return {}; }
  // WASI 0.3: async, map and implements (the features already shipped).
  static ComponentFeatures wasi03();
  // Every gated feature (the reference tests run this way).
  static ComponentFeatures all();

  // A comma-separated list mixing component features ("cm-async",
  // "-cm-map"), presets ("wasi02", "wasi03", "cm-all") and core features or
  // presets (Features::parse); items apply left to right.
  static Expected<ComponentFeatures> parse(std::string_view text);

  bool has(ComponentFeature f) const { return (bits_ >> static_cast<unsigned>(f)) & 1u; }
  ComponentFeatures& set(ComponentFeature f, bool on = true) {
    if (on) {
      bits_ |= 1u << static_cast<unsigned>(f);
    } else {
      bits_ &= ~(1u << static_cast<unsigned>(f));
    }
    return *this;
  }
  uint32_t bits() const { return bits_; }
  std::string to_string() const;

  Features core;  // for nested core modules

 private:
  uint32_t bits_ = 0;
};

// What validation learns about a component.
struct ComponentInfo {
  TypeInfo types;
  TypeId type;  // the component's component type: imports and exports

  // Index spaces of the outermost component, in definition order.
  std::vector<CoreFuncTypeId> core_funcs;
  std::vector<TableType> core_tables;
  std::vector<MemoryType> core_memories;
  std::vector<GlobalType> core_globals;
  std::vector<CoreFuncTypeId> core_tags;
  std::vector<CoreTypeEntry> core_types;
  std::vector<ModuleTypeId> core_modules;
  std::vector<CoreInstanceTypeId> core_instances;
  std::vector<TypeId> funcs;       // function types
  std::vector<TypeId> values;      // value types
  std::vector<TypeId> type_space;  // the type index space
  std::vector<TypeId> components;  // component types
  std::vector<TypeId> instances;   // instance types

  const ComponentType& component() const { return types.component(type); }
};

// Validates a component; the first error as "<message> (at offset 0x…)",
// with context for nested modules and components ("in core module 2").
Expected<ComponentInfo> validate_component(const Component& c, const ComponentFeatures& features = {});

// Reads and validates a component binary (read_component + validate_component);
// what `witc validate` runs on a component.
Expected<ComponentInfo> validate_component_binary(std::span<const uint8_t> bytes,
                                                  const ComponentFeatures& features = {});

}  // namespace witc::bin
