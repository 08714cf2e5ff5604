// Private to the composer: WIT types as component-model type definitions.
//
// TypeBuilder writes WIT types, functions and interfaces into a component
// type (the "outer" scope) and, while an interface is being encoded, into an
// instance type nested in it. It follows the reference encoder
// (wasm-tools crates/wit-component, `encoding/types.rs` + `encoding/wit.rs`)
// rule for rule, because the bytes must match:
//   - a type is defined once per scope: by TypeId, and anonymous types also
//     by their definition (kind plus the TypeIds/primitives they name), so
//     `list<u8>` from two packages is one definition but `option<that>` is
//     not;
//   - function types are shared by identical (params, result) TypeIds;
//   - a type owned by another interface is aliased from that interface's
//     instance into the outer scope once (`alias export`), then into the
//     instance with `alias outer 1`;
//   - named types are exported (in an instance), or imported/exported
//     (in the outer scope) with an `eq` bound; resources as `sub resource`;
//   - an interface's functions are exported after its types, methods of a
//     resource grouped in the resource's order, freestanding ones last.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bin/component.h"
#include "witc/wit/resolve.h"

namespace witc::compose::detail {

// Where the declarators of a scope go instead of `TypeScope::decls`: the
// definitions of a component under construction, which has its own index
// spaces (new.cpp). `add` returns the index the item gets in its sort.
class DeclSink {
 public:
  virtual ~DeclSink() = default;
  virtual uint32_t add(bin::Declarator d) = 0;
};

// A component-type or instance-type body under construction (or, with a
// sink, the top level of a component).
struct TypeScope {
  std::vector<bin::Declarator> decls;
  DeclSink* sink = nullptr;  // when set, declarators go there, not to `decls`
  uint32_t types = 0;      // size of the type index space
  uint32_t instances = 0;  // size of the instance index space
  std::unordered_map<uint32_t, uint32_t> id_to_index;  // wit TypeId -> type index
  std::map<std::string, uint32_t> def_to_index;        // anonymous definition -> type index
  std::map<std::string, uint32_t> func_types;          // function signature -> type index

  // Appends a declarator; returns the index it creates in its index space
  // (type, instance, ...), or 0 for sorts not tracked here.
  uint32_t add(bin::Declarator d);
  // The body as a component (0x41) or instance (0x42) type.
  bin::TypeDef finish(bin::TypeDef::Kind kind) &&;
};

// WIT types and function types as definitions in the current scope. What
// a named type, a resource and a type owned by another interface become
// depends on the scope (exported from an instance type, imported into a
// component, aliased, ...) and is left to the subclass; the structure of
// types, their sharing and the function types are the same everywhere.
class ValtypeEncoder {
 public:
  explicit ValtypeEncoder(const wit::Resolve& resolve) : r_(resolve) {}
  virtual ~ValtypeEncoder() = default;

  Expected<bin::ValueTypeRef> valtype(wit::Type t);
  Expected<uint32_t> func_type(const wit::Function& f);

 protected:
  // The scope definitions go to.
  virtual TypeScope& cur() = 0;
  // A type owned by another interface than the one being encoded: its index
  // here, or nullopt to define it here like an own type.
  virtual Expected<std::optional<uint32_t>> foreign(wit::TypeId id) = 0;
  // A named (non-resource) type whose structure was defined at `index`:
  // the index that carries its name (an export or import of it).
  virtual uint32_t named(uint32_t index, wit::TypeId id) = 0;
  // A resource type of this scope: its index.
  virtual Expected<uint32_t> resource(wit::TypeId id) = 0;

  uint32_t define(bin::TypeDef t);
  uint32_t define_prim(bin::PrimValType p);

  const wit::Resolve& r_;

 private:
  Expected<bin::ValueTypeRef> define_kind(const wit::TypeDef& td);
  Expected<std::optional<bin::ValueTypeRef>> opt_valtype(const std::optional<wit::Type>& t);
};

// Types of a world as a component type: imports and exports of the outer
// scope, each interface an instance type (see the header comment).
class TypeBuilder final : public ValtypeEncoder {
 public:
  explicit TypeBuilder(const wit::Resolve& resolve) : ValtypeEncoder(resolve) {}

  // The interface being encoded (its own types are defined, others aliased).
  void set_interface(std::optional<wit::InterfaceId> i) { interface_ = i; }
  // World-level types are imported (not exported) from the outer scope.
  void set_import_types(bool on) { import_types_ = on; }

  // Encodes the interface as an instance type in the outer scope and records
  // it as the next instance; returns the instance type's index.
  Expected<uint32_t> instance(wit::InterfaceId id);
  // As instance(), with only some of the interface: `types` (in this order,
  // each with what it refers to) and then the functions `keep` accepts.
  Expected<uint32_t> instance(wit::InterfaceId id, std::span<const wit::TypeId> types,
                              const std::function<bool(const wit::Function&)>& keep);
  // The instance index that holds an interface's types (for aliases).
  void set_instance(wit::InterfaceId id, uint32_t instance) { import_map_[id.index] = instance; }
  // Sends the outer scope's declarators to a component (see DeclSink).
  void set_outer_sink(DeclSink* sink) { outer_.sink = sink; }

  void outer_import(bin::ExternName name, bin::ExternDesc desc);
  void outer_export(bin::ExternName name, bin::ExternDesc desc);
  TypeScope& outer() { return outer_; }
  const TypeScope& outer() const { return outer_; }

 private:
  TypeScope& cur() override { return inst_ ? *inst_ : outer_; }
  Expected<std::optional<uint32_t>> foreign(wit::TypeId id) override;
  uint32_t named(uint32_t index, wit::TypeId id) override;
  Expected<uint32_t> resource(wit::TypeId id) override;
  Expected<uint32_t> import_type(wit::InterfaceId owner, wit::TypeId id);
  uint32_t export_type(uint32_t index, const std::string& name,
                       const std::optional<std::string>& external_id = std::nullopt);
  uint32_t export_resource(const std::string& name,
                           const std::optional<std::string>& external_id = std::nullopt);
  void push_instance();
  uint32_t pop_instance(wit::InterfaceId id);

  TypeScope outer_;
  std::optional<TypeScope> inst_;
  std::unordered_map<uint32_t, uint32_t> import_map_;      // InterfaceId -> instance index
  std::unordered_map<uint32_t, uint32_t> outer_type_map_;  // TypeId -> outer alias index
  uint32_t instances_ = 0;
  bool import_types_ = false;
  std::optional<wit::InterfaceId> interface_;
};

// The primitive's binary code.
bin::PrimValType prim_of(wit::Type::Kind k);
// An extern descriptor: `kind` with the index of its type (or core module type).
bin::ExternDesc extern_desc(bin::ExternDesc::Kind kind, uint32_t index);

// A plain (attribute-less) extern name.
// A name, with an `(external-id ...)` attribute when given.
bin::ExternName plain_name(std::string name, const std::optional<std::string>& external_id = std::nullopt);

// The import/export name of a world item (its plain name or the interface's
// "ns:pkg/iface@version") with its attributes: `implements` for a named
// interface under a plain name (`import label: ns:pkg/iface;`) and the item's
// `@external-id`.
bin::ExternName world_item_name(const wit::Resolve& r, const wit::WorldKey& key, const wit::WorldItem& item);

// A world as a WIT package encodes it: (component (type (component <the
// world>)) (export "ns:pkg/w" (component 0))), `qualified` being "ns:pkg/w".
Expected<bin::TypeDef> world_definition(const wit::Resolve& r, wit::WorldId id, const std::string& qualified);

}  // namespace witc::compose::detail
