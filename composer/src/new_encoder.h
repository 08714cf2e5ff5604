// Private to the composer: the encoder of `component new` (new_internal.h),
// shared by new_encode.cpp (imports, core instances, shims) and
// new_export.cpp (lifted exports).
//
// The component follows wit-component's layout (facts from wasm-tools
// crates/wit-component `encoding.rs`):
//   imports (instance types of the live part of each imported interface,
//     then world functions)
//   core modules: the main module, the reduced adapters
//   the shim module and its instance: a table of `n` functions and `n`
//     exports calling through it, standing in for every core function that
//     needs something that does not exist yet (the main module's memory or
//     realloc, an adapter's exports, an exported resource's destructor)
//   exported resource types (with the destructor through the shim)
//   core instances of lowered imports, the main module's instance
//   the adapters' instances (memory and `__main_module__` from the main one)
//   the fixup module: its instance fills the shim's table with the real
//     functions (lowerings with memory and realloc, adapter exports, ...)
//   a start module calling the main module's initialisation function
//   exports: lifted functions; each exported interface re-typed through a
//     nested component that imports the lifted functions and types and
//     exports them under their WIT names, then instantiated and exported.
#pragma once

#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

#include "new_internal.h"

namespace witc::compose::detail {

class NewEncoder {
 public:
  explicit NewEncoder(const NewPlan& plan)
      : p_(plan), r_(plan.resolve), w_(plan.resolve.worlds[plan.world]), imports_(plan.resolve) {}

  Expected<std::vector<uint8_t>> run();

  // --- used by the export encoders (new_export.cpp) ---
  CompBuilder& builder() { return b_; }
  const wit::Resolve& resolve() const { return r_; }
  // The type index of a type another interface owns, as seen from exports:
  // aliased from the exported instance of an interface `exports_used` lists,
  // else from the imported instance.
  Expected<uint32_t> exported_view(wit::TypeId id, const std::set<uint32_t>& exports_used);
  // A world-level imported type (an `import t: type` item), if any.
  std::optional<uint32_t> world_type(wit::TypeId id) const;
  std::optional<uint32_t> exported_resource(wit::TypeId id) const {
    auto it = export_resource_.find(id.index);
    if (it == export_resource_.end()) return std::nullopt;
    return it->second;
  }
  // A named type of an imported interface, aliased from the imported
  // instance, if the component imports it (it is live).
  std::optional<uint32_t> imported_type(wit::TypeId id);
  const NewPlan& plan() const { return p_; }

 private:
  struct Shim {
    // Lower: a lowering or a built-in (new_builtin.cpp) of `import`.
    enum class Kind : uint8_t { Lower, AdapterExport, Dtor };
    Kind kind = Kind::Lower;
    bin::FuncType sig;
    const ModuleUse* module = nullptr;   // whose import (Lower) or export (Dtor) it is
    const CoreImport* import = nullptr;  // Lower, AdapterExport
    std::string dtor;                    // Dtor: the main module's export
  };

  // new_encode.cpp
  Expected<void> encode_imports();
  void plan_shims();
  void encode_shim_module();
  void encode_exported_resources();
  Expected<uint32_t> core_func(const ModuleUse& use, size_t import_index);
  Expected<uint32_t> lower(const CoreImport& ci, std::optional<uint32_t> realloc);
  // The realloc a lowering or built-in of `use` passes: the main module's, or
  // an adapter's own (`exported`: for values an export of it receives).
  std::optional<uint32_t> realloc_for(const ModuleUse& use, bool exported);
  Expected<uint32_t> imported_func(const CoreImport& ci);
  Expected<uint32_t> resource_type(wit::TypeId resource);
  Expected<uint32_t> instantiate(const ModuleUse& use, uint32_t module);
  Expected<void> encode_fixup();
  void encode_initialize();
  std::vector<bin::CanonOpt> options(const Needs& needs, std::optional<uint32_t> realloc) const;
  std::vector<bin::CanonOpt> options(const Needs& needs, std::optional<uint32_t> realloc,
                                     StringEncoding encoding) const;

  // new_builtin.cpp: a canonical built-in of Concurrency.md (CoreImport
  // kinds Builtin, Payload, TaskReturn), with the types it names defined
  // at the top level.
  Expected<uint32_t> builtin(const ModuleUse& use, const CoreImport& ci);
  Expected<bin::ValueTypeRef> builtin_valtype(const wit::Type& t, const CoreImport& ci);
  std::optional<uint32_t> adapter_import_realloc(const ModuleUse& adapter);

  // new_export.cpp
  Expected<void> encode_exports();
  Expected<uint32_t> lift(const ModuleUse& use, uint32_t instance, const CoreExport& ce, uint32_t type);
  Expected<void> export_interface(const ModuleUse& use, uint32_t instance, size_t item);

  const NewPlan& p_;
  const wit::Resolve& r_;
  const wit::World& w_;
  CompBuilder b_;
  TypeBuilder imports_;

  std::unordered_map<uint32_t, uint32_t> import_instance_;        // InterfaceId -> component instance
  std::unordered_map<size_t, uint32_t> import_func_;              // world import (a function) -> component func
  std::map<std::pair<uint32_t, std::string>, uint32_t> aliases_;  // (instance, name) -> func/type alias
  std::unordered_map<uint32_t, uint32_t> export_resource_;        // TypeId -> resource type index
  std::unordered_map<uint32_t, uint32_t> export_instance_;        // InterfaceId -> exported instance

  std::vector<uint32_t> module_index_;    // core module of main, then of each adapter
  std::vector<uint32_t> instance_index_;  // core instance of main, then of each adapter
  std::vector<Shim> shims_;
  std::map<std::pair<const ModuleUse*, size_t>, size_t> shim_of_import_;
  std::unordered_map<uint32_t, size_t> shim_of_dtor_;  // TypeId -> shim
  std::optional<uint32_t> shim_instance_;
  std::map<int64_t, TypeScope> builtin_scopes_;  // types of built-ins: -1 imports, else an exported interface
  std::optional<uint32_t> memory_;        // the main module's memory (core memory index)
  std::optional<uint32_t> main_realloc_;  // its realloc (core func index)
};

}  // namespace witc::compose::detail
