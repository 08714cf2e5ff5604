// Private: the component validator, split over component_validate.cpp
// (driver, instances, aliases, imports, exports, names),
// component_validate_types.cpp (type definitions and declarators) and
// component_validate_canon.cpp (canonical definitions).
#pragma once

#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "component_assign.h"
#include "try.h"
#include "witc/bin/canonical_abi.h"
#include "witc/bin/component.h"
#include "witc/bin/component_names.h"
#include "witc/bin/component_types.h"
#include "witc/bin/component_validate.h"

namespace witc::bin::detail {

// One scope of index spaces: a component, a component type or an instance
// type (Binary.md: "each component and instance type is validated with an
// initially-empty type index space"). Module types use a ModuleScope.
struct Scope {
  enum class Kind : uint8_t { Component, ComponentType, InstanceType };
  Kind kind = Kind::Component;

  std::vector<CoreTypeEntry> core_types;
  std::vector<CoreFuncTypeId> core_funcs;
  std::vector<TableType> core_tables;
  std::vector<MemoryType> core_memories;
  std::vector<GlobalType> core_globals;
  std::vector<CoreFuncTypeId> core_tags;
  std::vector<ModuleTypeId> core_modules;
  std::vector<CoreInstanceTypeId> core_instances;

  std::vector<TypeId> types;
  std::vector<TypeId> funcs;
  std::vector<TypeId> components;
  std::vector<TypeId> instances;
  std::vector<bool> instance_imported;  // parallel to `instances`
  std::vector<TypeId> values;
  std::vector<bool> value_used;  // parallel to `values`

  ComponentType own;  // imports and exports (InstanceType: exports)
  std::unordered_map<std::string, std::string> import_keys;  // unique key -> name
  std::unordered_map<std::string, std::string> export_keys;
  std::unordered_set<uint32_t> import_named;  // TypeIds with an external name via imports
  std::unordered_set<uint32_t> export_named;  // ... via exports and instances' exports
  std::unordered_map<std::string, ResourceId> import_resources;  // plain name -> resource
  std::unordered_map<std::string, ResourceId> export_resources;
  std::unordered_set<uint32_t> local_resources;  // defined here: resource.new/rep allowed
  std::vector<ResourceId> defined_resources;      // generated inside (local, or by instantiation)
  std::optional<ValType> context_type;            // of context.get/set
};

class Validator {
 public:
  Validator(TypeInfo& types, const ComponentFeatures& f)
      : types_(types), f_(f), source_(types), abi_(source_) {}

  // Validates a component in a new Component scope pushed on the stack;
  // returns its component type.
  Expected<TypeId> component(const Component& c, Scope* keep = nullptr);

  // --- component_validate_types.cpp ---
  Expected<void> core_type(const CoreTypeDef& t);
  Expected<void> type_def(const TypeDef& t);
  Expected<TypeId> valtype(const ValueTypeRef& r, uint64_t offset);
  Expected<EntityType> extern_desc(const ExternDesc& d, uint64_t offset);
  Expected<void> declarator(const Declarator& d);
  Expected<void> check_labels(const std::vector<std::string>& labels, std::string_view what,
                              uint64_t offset);

  // --- component_validate_canon.cpp ---
  Expected<void> canon(const CanonDef& d);

  // --- component_validate.cpp ---
  Expected<void> alias(const AliasDef& a, bool declarator);
  Expected<void> import(const ExternName& name, const ExternDesc& desc, uint64_t offset);
  Expected<void> export_decl(const ExternName& name, const ExternDesc& desc, uint64_t offset);

  Scope& cur() { return scopes_.back(); }
  TypeInfo& types() { return types_; }
  const ComponentFeatures& features() const { return f_; }
  abi::Engine& abi() { return abi_; }

  // Errors.
  static Unexpected err(uint64_t offset, std::string msg) {
    return fail(Diagnostic::at_offset(offset, std::move(msg)));
  }
  Expected<void> require(ComponentFeature f, uint64_t offset, std::string_view what) const {
    if (f_.has(f)) return {};
    return err(offset, fmt::format("{} requires the {} feature", what, component_feature_name(f)));
  }
  // Index lookups ("<what> index out of bounds").
  template <class T>
  static Expected<T> at(const std::vector<T>& space, uint32_t i, std::string_view what, uint64_t offset) {
    if (i >= space.size()) return err(offset, fmt::format("unknown {0} {1}: {0} index out of bounds", what, i));
    return space[i];
  }
  Expected<TypeId> type_at(uint32_t i, uint64_t offset) { return at(cur().types, i, "type", offset); }
  Expected<TypeId> func_type_at(uint32_t i, uint64_t offset);
  Expected<CoreFuncTypeId> core_func_at(uint32_t i, uint64_t offset) {
    return at(cur().core_funcs, i, "core function", offset);
  }

  // The entity a sortidx denotes in the current scope.
  Expected<EntityType> entity_of(const SortIdx& s, uint64_t offset, bool use_value);
  // Pushes an entity into the index space of its kind.
  void push_entity(const EntityType& e, bool imported);

  // True if `t` (a TypeId) has an external name in the current scope.
  bool is_named(TypeId t, bool for_import) const;

 private:
  Expected<void> section(const Component& c, const ComponentSection& s);
  Expected<void> core_module(const Component& c, const CoreModuleDef& m, uint32_t index);
  Expected<void> core_instance(const CoreInstanceDef& d);
  Expected<void> nested_component(const Component& c, uint32_t index);
  Expected<void> instance(const InstanceDef& d);
  Expected<void> start(const StartDef& s);
  Expected<void> value(const Component& c, const ValueDef& v);
  Expected<void> export_def(const ExportDef& e);
  Expected<ExternNameInfo> check_name(const ExternName& n, bool is_import, const EntityType& e);
  Expected<void> check_annotated(const ExternName& n, const ExternNameInfo& info, const EntityType& e,
                                 const std::unordered_map<std::string, ResourceId>& resources);
  Expected<void> check_visible(const EntityType& e, bool is_import, uint64_t offset);
  bool visible(const EntityType& e, bool is_import, std::unordered_set<uint32_t>& extra, unsigned depth) const;
  bool visible_valtype(TypeId t, bool is_import, const std::unordered_set<uint32_t>& extra, unsigned depth) const;
  void name_exports(TypeId instance, std::unordered_set<uint32_t>& named, unsigned depth = 0) const;
  Expected<ExternNameInfo> check_extern_name(const ExternName& n, const EntityType& e,
                                             std::unordered_map<std::string, std::string>& keys,
                                             const std::unordered_map<std::string, ResourceId>& resources,
                                             std::string_view what);
  bool resources_named(const EntityType& func, const std::unordered_set<uint32_t>& named) const;
  EntityType freshen_instance(const EntityType& e, std::vector<ResourceId>& fresh);
  Expected<EntityType> declared_entity(const ExternDesc& desc, uint64_t offset, std::vector<ResourceId>& fresh);
  void add_extern(const ExternName& name, const ExternNameInfo& info, const EntityType& e, bool is_import);
  Expected<void> alias_outer(const AliasDef& a, bool declarator);

  TypeInfo& types_;
  ComponentFeatures f_;
  std::deque<Scope> scopes_;  // a deque: references stay valid while nested scopes come and go
  abi::ComponentTypeSource source_;
  abi::Engine abi_;
};

}  // namespace witc::bin::detail
