// Private to the component decoder (decode*.cpp): the state that turns the
// resolved types of a validated component (bin::TypeInfo) into a
// wit::Resolve.
//
// Identity. Each bin::TypeId node a type export creates is mapped to the
// wit::TypeId it became (`type_map_`). A later type export whose definition
// reaches a mapped node through `origin` links (alias, import, export
// copies) is a `use` of it; anything else is a new definition. Resources are
// also mapped by ResourceId, their identity.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "witc/base/diagnostic.h"
#include "witc/base/ordered_map.h"
#include "witc/bin/component_types.h"
#include "witc/wit/resolve.h"

namespace witc::compose::detail {

// Where the interfaces and worlds of the package being decoded go.
struct PackageFields {
  OrderedMap<std::string, wit::InterfaceId>* interfaces = nullptr;
  OrderedMap<std::string, wit::WorldId>* worlds = nullptr;
};

// A world import/export with its key.
struct KeyedItem {
  wit::WorldKey key;
  wit::WorldItem item;
};

class Decoder {
 public:
  explicit Decoder(const bin::TypeInfo& types) : t_(types) {}

  // --- worlds and interfaces (decode_items.cpp) ---
  // One import of a real component into `world` (items that are not
  // instances, functions or types are not part of a world and are skipped).
  // `implements` is the interface an instance with a plain name implements
  // (its `[implements=<ns:pkg/iface>]` name attribute), if any.
  Expected<void> component_import(const std::string& name, const bin::EntityType& e, wit::WorldId world,
                                  PackageFields& fields, const std::string* implements = nullptr);
  // One export of a real component: a function or an instance.
  Expected<void> component_export(const std::string& name, const bin::EntityType& e, wit::WorldId world,
                                  PackageFields& fields, const std::string* implements = nullptr);
  // A world encoded as a component type exported as `ns:pkg/world`.
  Expected<wit::PackageName> decode_world(const std::string& name, const bin::ComponentType& ct,
                                          PackageFields& fields);
  // An interface encoded as a component type that imports the interfaces it
  // uses and exports one instance `ns:pkg/iface`.
  Expected<wit::PackageName> decode_interface(const std::string& name, const bin::ComponentType& outer,
                                              const bin::InstanceType& it, PackageFields& fields);
  // Adds the foreign packages (in dependency order) and then `main` to the
  // Resolve; returns the id of `main` (merged into a foreign package of the
  // same name when there is one).
  wit::PackageId finish(wit::Package main);

  wit::Resolve resolve;

 private:
  Expected<KeyedItem> world_item(const std::string& name, const bin::EntityType& e, wit::TypeOwner owner,
                                 PackageFields& fields, const std::string* implements = nullptr);
  Expected<wit::InterfaceId> register_import(const std::string& name, const bin::InstanceType& it);
  Expected<std::pair<wit::WorldKey, wit::InterfaceId>> register_interface(const std::string& name,
                                                                         const bin::InstanceType& it,
                                                                         PackageFields& fields);
  Expected<void> fill_interface(wit::InterfaceId id, const bin::InstanceType& it, bool is_local);
  Expected<wit::InterfaceId> dep_interface(const std::string& name);
  void visit_package(size_t index, std::vector<size_t>& order, std::vector<uint8_t>& state) const;
  // A type `owner` defines (not one it `use`s) takes the export's external id.
  void set_external_id(wit::TypeId id, wit::TypeOwner owner, const bin::EntityType& e) {
    if (e.external_id && resolve.types[id].owner == owner) resolve.types[id].external_id = e.external_id;
  }

 public:
  // --- types and functions (decode_types.cpp) ---
  // A named type export `name` of `owner`; `created` is the node the export
  // introduced (its origin is what it is equal to).
  Expected<wit::TypeId> type_export(const std::string& name, wit::TypeOwner owner, bin::TypeId created);
  Expected<wit::Function> function(const std::string& name, bin::TypeId func, wit::TypeOwner owner);
  // Records that the node `created` is the existing named type `id`.
  void map_type(bin::TypeId created, wit::TypeId id);

 private:
  Expected<wit::Type> valtype(bin::TypeId t);
  Expected<wit::TypeDefKind> defined(bin::TypeId t);
  Expected<wit::TypeId> handle_resource(bin::TypeId t);
  std::optional<wit::TypeId> find_alias(bin::TypeId t) const;
  static uint64_t owner_key(wit::TypeOwner o);

  const bin::TypeInfo& t_;
  std::unordered_map<uint32_t, wit::TypeId> type_map_;      // bin node -> wit type
  std::unordered_map<uint32_t, wit::TypeId> resource_ids_;  // ResourceId -> first wit resource
  std::map<std::pair<uint64_t, std::string>, wit::TypeId> resources_;  // (owner, name) -> resource
  OrderedMap<std::string, wit::Package> foreign_;           // "ns:pkg@v" -> package being built
  std::unordered_map<uint32_t, size_t> iface_package_;      // interface -> index in foreign_
  std::unordered_map<std::string, wit::InterfaceId> named_interfaces_;  // local, by full name
};

// A package name from an interface name (`ns:pkg/iface@1.0.0`) and the
// interface (or world) name after the `/`.
Expected<std::pair<wit::PackageName, std::string>> split_interface_name(std::string_view name);

}  // namespace witc::compose::detail
