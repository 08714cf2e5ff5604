// bin::TypeInfo: the resolved types of a validated component.
//
// Validation turns the index-based type definitions of a component into a
// tree you can walk without the binary: every component-level type is a node
// of one arena, addressed by a TypeId — value types (primitives included),
// function types, component types, instance types and resource types. Core
// function, module and instance types have arenas of their own. The composer
// and `witc inspect` read a component's imports and exports from here.
//
// Identity and equality. Every definition, import and export mints its own
// TypeId (an exported record is a new node with the same structure), because
// the component model's "externally visible name" rules depend on *which*
// index a function type mentions (Explainer.md "External Visibility of
// Types"). Structural equality is a hash-consed class number per node
// (`canon`), so comparing two value types is one integer comparison; copies
// keep a link to the node they duplicate (`origin`). Resource types are
// abstract: their identity is a ResourceId (Explainer.md "Type Checking").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "witc/base/arena.h"
#include "witc/base/diagnostic.h"
#include "witc/base/ordered_map.h"
#include "witc/bin/component.h"
#include "witc/bin/types.h"

namespace witc::bin {

struct ResolvedTypeTag;
struct ResourceTag;
struct CoreFuncTypeTag;
struct ModuleTypeTag;
struct CoreInstanceTypeTag;
using TypeId = Id<ResolvedTypeTag>;
using ResourceId = Id<ResourceTag>;
using CoreFuncTypeId = Id<CoreFuncTypeTag>;
using ModuleTypeId = Id<ModuleTypeTag>;
using CoreInstanceTypeId = Id<CoreInstanceTypeTag>;

enum class ValueKind : uint8_t {
  Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String, ErrorContext,
  Record, Variant, List, FixedList, Tuple, Flags, Enum, Option, Result, Own, Borrow, Stream,
  Future, Map,
};
constexpr bool is_primitive(ValueKind k) { return k <= ValueKind::ErrorContext; }
ValueKind value_kind(PrimValType p);
// "u32", "record", "own", ...
std::string_view value_kind_name(ValueKind k);

// A component value type. `labels` name the fields of a record, the cases of
// a variant, the flags and enum cases. `types` holds the field types, case
// payloads and tuple elements; the element of a list, fixed list, option,
// stream or future; [ok, error] of a result; [key, value] of a map; the
// resource type of own/borrow. An invalid TypeId means "none" (a case
// without payload, a result without ok/error, a stream without elements).
struct ValueType {
  ValueKind kind = ValueKind::Bool;
  std::vector<std::string> labels;
  std::vector<TypeId> types;
  uint32_t length = 0;  // FixedList
};

struct ComponentFuncType {
  bool async = false;
  std::vector<std::pair<std::string, TypeId>> params;
  std::optional<TypeId> result;
};

// What an import, export or index-space entry is.
enum class EntityKind : uint8_t { Module, Func, Value, Type, Instance, Component };
std::string_view entity_kind_name(EntityKind k);

struct EntityType {
  EntityKind kind = EntityKind::Func;
  TypeId type;          // all kinds but Module (Value: the value's type)
  ModuleTypeId module;  // Module
  // The `(external-id n)` and `(implements "i")` attributes of the import or
  // export name that declared it, when it had them. Not part of the type:
  // attributes are ignored when types are compared (Binary.md, "Import and
  // Export Definitions").
  std::optional<std::string> external_id = std::nullopt;
  std::optional<std::string> implements = std::nullopt;
};

struct ComponentType {
  OrderedMap<std::string, EntityType> imports;
  OrderedMap<std::string, EntityType> exports;
  std::vector<ResourceId> imported_resources;  // abstract resources its imports introduce
  std::vector<ResourceId> defined_resources;   // fresh for every instantiation
};

struct InstanceType {
  OrderedMap<std::string, EntityType> exports;
  std::vector<ResourceId> defined_resources;  // fresh for every import of the type
};

// Core definitions (core types are by value: they are small).
struct CoreEntity {
  ExternKind kind = ExternKind::Func;
  CoreFuncTypeId func;  // Func, Tag
  TableType table;
  MemoryType memory;
  GlobalType global;
};

struct CoreImportType {
  std::string module;
  std::string name;
  CoreEntity type;
};

struct ModuleType {
  std::vector<CoreImportType> imports;
  OrderedMap<std::string, CoreEntity> exports;
};

struct CoreInstanceType {
  OrderedMap<std::string, CoreEntity> exports;
};

// An entry of the core type index space of a component.
struct CoreTypeEntry {
  bool is_module = false;
  CoreFuncTypeId func;
  ModuleTypeId module;
};

// A resource and, for one defined by a `resource` type definition, its
// representation and destructor (a core function of the defining scope).
struct ResourceInfo {
  std::optional<ValType> rep;
  std::optional<uint32_t> dtor;
};

enum class TypeKind : uint8_t { Value, Func, Component, Instance, Resource };

// One step of the way from two compared types down to where they first
// differ (for explanations; see TypeInfo::check_subtype). `expected` is the
// supertype's side, `found` the subtype's; either is invalid where the step
// has no type there (a missing export, a module).
struct SubtypeStep {
  enum class Kind : uint8_t {
    Export,    // instance or component export `name`
    Import,    // component import `name`
    Param,     // function parameter `name`
    Result,    // function result
    Field,     // record field `name`
    Case,      // variant case `name`
    Tuple,     // tuple element `name` ("0", "1", ...)
    Element,   // element of a list, fixed list, option, stream or future
    Ok,        // ok type of a result
    Err,       // error type of a result
    MapKey,
    MapValue,
  };
  Kind kind = Kind::Export;
  std::string name;
  TypeId expected;
  TypeId found;
};

struct TypeNode {
  TypeKind kind = TypeKind::Value;
  uint32_t index = 0;    // into the vector of its kind (Resource: the ResourceId)
  uint32_t canon = 0;    // structural class (Value, Func, Resource); unique otherwise
  TypeId origin;         // the node this one copies (import/export/alias), if any
  uint32_t depth = 1;    // nesting depth of value types
  bool contains_borrow = false;
  bool contains_resource = false;  // own/borrow/resource anywhere inside
};

class TypeInfo {
 public:
  TypeInfo();

  // --- reading ---
  const TypeNode& node(TypeId t) const { return nodes_[t.index]; }
  TypeKind kind(TypeId t) const { return nodes_[t.index].kind; }
  const ValueType& value(TypeId t) const { return values_[nodes_[t.index].index]; }
  const ComponentFuncType& func(TypeId t) const { return funcs_[nodes_[t.index].index]; }
  const ComponentType& component(TypeId t) const { return components_[nodes_[t.index].index]; }
  const InstanceType& instance(TypeId t) const { return instances_[nodes_[t.index].index]; }
  ResourceId resource(TypeId t) const { return ResourceId(nodes_[t.index].index); }
  const ResourceInfo& resource_info(ResourceId r) const { return resources_[r.index]; }
  const FuncType& core_func(CoreFuncTypeId f) const { return core_funcs_[f.index]; }
  const ModuleType& module(ModuleTypeId m) const { return modules_[m.index]; }
  const CoreInstanceType& core_instance(CoreInstanceTypeId i) const { return core_instances_[i.index]; }
  size_t size() const { return nodes_.size(); }

  // The predefined node of a primitive.
  TypeId prim(PrimValType p) const;
  TypeId prim(ValueKind k) const { return TypeId(static_cast<uint32_t>(k)); }
  // Follows `origin` links to the first definition.
  TypeId definition(TypeId t) const;

  // Structural equality (Value, Func and Resource types; component and
  // instance types compare by mutual subtyping).
  bool equal(TypeId a, TypeId b) const;

  // A readable rendering for messages: "u32", "list<string>", "record",
  // "own<resource 3>", "func(x: u32) -> string", "instance", ...
  std::string describe(TypeId t) const;

  // --- building (the validator; also usable to synthesize types) ---
  TypeId add_value(ValueType v);
  TypeId add_func(ComponentFuncType f);
  TypeId add_component(ComponentType c);
  TypeId add_instance(InstanceType i);
  TypeId add_resource(ResourceId r);
  // A new node with the same structure as `t` and origin `t`.
  TypeId copy(TypeId t);
  ResourceId new_resource(ResourceInfo info = {});
  ResourceInfo& resource_info(ResourceId r) { return resources_[r.index]; }
  CoreFuncTypeId intern_core_func(const FuncType& f);
  ModuleTypeId add_module(ModuleType m);
  CoreInstanceTypeId add_core_instance(CoreInstanceType i);
  ComponentType& component_mut(TypeId t) { return components_[nodes_[t.index].index]; }
  InstanceType& instance_mut(TypeId t) { return instances_[nodes_[t.index].index]; }

  // --- subtyping (Explainer.md "Type Checking") ---
  // Checks that `a` may be used where `b` is expected; the error names the
  // first difference ("type mismatch in record field `x`: expected u32,
  // found string").
  Expected<void> check_subtype(const EntityType& a, const EntityType& b) const;
  // The same check; on failure `path` (cleared first) holds the steps from
  // `a`/`b` down to the first difference, outermost first.
  Expected<void> check_subtype(const EntityType& a, const EntityType& b, std::vector<SubtypeStep>& path) const;
  Expected<void> check_value_subtype(TypeId a, TypeId b) const;
  Expected<void> check_module_subtype(ModuleTypeId a, ModuleTypeId b) const;
  Expected<void> check_core_entity(const CoreEntity& a, const CoreEntity& b) const;

  // Substitution: replaces resources (and resource type nodes) in a type,
  // creating new nodes only where something changes. Used when a component
  // is instantiated (imports replaced by arguments, defined resources made
  // fresh) and when an instance type is imported (its resources made fresh).
  struct Substitution {
    std::unordered_map<uint32_t, ResourceId> resources;  // ResourceId -> ResourceId
    std::unordered_map<uint32_t, TypeId> types;         // resource TypeId -> replacement TypeId
    std::unordered_map<uint32_t, TypeId> memo;          // filled while substituting
    bool empty() const { return resources.empty() && types.empty(); }
  };
  TypeId substitute(TypeId t, Substitution& s);
  EntityType substitute(const EntityType& e, Substitution& s);

  // Instantiation (Binary.md "Instance Definitions"): walks an expected
  // import type and the argument given for it in parallel. Before the
  // argument is checked (`after` false) the abstract resources of the
  // expected type that are in `quantified` bind to the argument's; after it
  // (`after` true) every type import is replaced by the argument's type for
  // the imports that follow. Used by the validator and the composer.
  void bind_imports(const EntityType& expected, const EntityType& actual,
                    const std::unordered_set<uint32_t>& quantified, Substitution& s, bool after) const;

 private:
  TypeId add_node(TypeNode n);
  bool subst_entity(EntityType& e, Substitution& s);
  void bind_imports(const EntityType& expected, const EntityType& actual,
                    const std::unordered_set<uint32_t>& quantified, Substitution& s, bool after,
                    unsigned depth) const;
  uint32_t intern(const std::string& key);

  static constexpr unsigned kMaxOriginDepth = 256;
  unsigned origin_depth_ = 0;  // origin links followed by the substitution in progress

  std::vector<TypeNode> nodes_;
  std::vector<ValueType> values_;
  std::vector<ComponentFuncType> funcs_;
  std::vector<ComponentType> components_;
  std::vector<InstanceType> instances_;
  std::vector<ResourceInfo> resources_;
  std::vector<FuncType> core_funcs_;
  std::unordered_map<std::string, uint32_t> core_func_index_;
  std::vector<ModuleType> modules_;
  std::vector<CoreInstanceType> core_instances_;
  std::unordered_map<std::string, uint32_t> classes_;
  uint32_t next_class_ = 0;
};

}  // namespace witc::bin
