// Private to the composer: the pieces of `component new` (new.h).
//
//   new_merge.cpp   the WIT of several component-type sections as one Resolve
//   new_match.cpp   which world item each core import and export stands for
//   new_live.cpp    which imported types and functions the component needs
//   new_encode.cpp  the component: imports, shims, instances, fixups
//   new_export.cpp  lifting the exports and re-typing exported interfaces
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "encode_types.h"
#include "witc/base/diagnostic.h"
#include "witc/bin/canonical_abi.h"
#include "witc/bin/component.h"
#include "witc/bin/module.h"
#include "witc/composer/encode.h"
#include "witc/composer/wit_abi.h"
#include "witc/wit/resolve.h"

namespace witc::compose::detail {

// --- merging WIT ----------------------------------------------------------------------

// Where the items of a merged Resolve went (indexed by the old id).
struct ResolveMap {
  std::vector<wit::PackageId> packages;
  std::vector<wit::InterfaceId> interfaces;
  std::vector<wit::WorldId> worlds;
  std::vector<wit::TypeId> types;
};

// Adds `from` to `into` (see new_merge.cpp for what counts as the same).
ResolveMap merge_resolve(wit::Resolve& into, const wit::Resolve& from);
// Adds the imports and exports of world `from` that `into` lacks, in order.
void merge_world_items(wit::Resolve& r, wit::WorldId into, wit::WorldId from);

// --- the component under construction ------------------------------------------------------

// A component being written item by item, counting its index spaces. As a
// DeclSink it takes the declarators TypeBuilder writes for the top level.
class CompBuilder final : public DeclSink {
 public:
  bin::Component c;

  uint32_t add(bin::Declarator d) override;
  uint32_t count(bin::Sort s) const { return counts_[static_cast<size_t>(s)]; }

  uint32_t type(bin::TypeDef t);
  uint32_t import(std::string name, bin::ExternDesc desc);
  uint32_t import(bin::ExternName name, bin::ExternDesc desc);
  uint32_t alias(bin::AliasDef a);
  uint32_t alias_export(uint32_t instance, std::string name, bin::Sort sort);
  uint32_t alias_core_export(uint32_t core_instance, std::string name, bin::Sort sort);
  uint32_t core_module(std::span<const uint8_t> bytes);
  uint32_t core_instantiate(uint32_t module, std::vector<std::pair<std::string, uint32_t>> args);
  uint32_t core_instance_of(std::vector<bin::CoreInlineExport> exports);
  uint32_t canon(bin::CanonDef d);
  uint32_t component(bin::Component nested);
  uint32_t instantiate(uint32_t component, std::vector<bin::InstantiateArg> args);
  uint32_t export_item(std::string name, bin::SortIdx item, std::optional<bin::ExternDesc> ascribed = {});
  uint32_t export_item(bin::ExternName name, bin::SortIdx item, std::optional<bin::ExternDesc> ascribed = {});
  void custom(std::string name, const std::vector<uint8_t>& data);

 private:
  uint32_t next(bin::Sort s) { return counts_[static_cast<size_t>(s)]++; }
  void section(bin::ComponentSectionId id, size_t index);

  std::array<uint32_t, bin::kSortCount> counts_{};
};

bin::CoreInlineExport core_export(std::string name, bin::Sort sort, uint32_t index);

// --- what the core modules mean ------------------------------------------------------------

// Canonical options a lift, lower or built-in needs (wit-component
// RequiredOptions): `memory`, `realloc`, a string encoding, `async`.
struct Needs {
  bool memory = false;
  bool realloc = false;
  bool encoding = false;
  bool async = false;
};

// How an export is lifted: synchronously, async with a `callback`
// ([async-lift] and [callback][async-lift]), or async stackful.
enum class LiftAbi : uint8_t { Sync, AsyncCallback, AsyncStackful };

// What one core function import of the main module or of an adapter is.
struct CoreImport {
  enum class Kind : uint8_t {
    Func,                // a function of a world import (of an interface or the world)
    ResourceDrop,        // `[resource-drop]r` of an imported resource
    ExportResourceDrop,  // the intrinsics of a resource an exported interface defines
    ExportResourceNew,
    ExportResourceRep,
    AdapterFunc,  // an export of an adapter module (main module only)
    MainFunc,     // an export of the main module (`__main_module__`, adapters only)
    Builtin,      // a canonical built-in of Concurrency.md that names no type (`canon`)
    Payload,      // a stream or future built-in (`canon`; `payload` is the type)
    TaskReturn,   // `[task-return]f` of an exported async function
  };
  Kind kind = Kind::Func;
  std::string module;
  std::string name;
  bin::FuncType type;
  // Func, ResourceDrop, Payload of an imported function: world import;
  // Export*, TaskReturn, Payload of an exported function: world export.
  size_t item = 0;
  const wit::Function* func = nullptr;  // Func, Payload, TaskReturn
  wit::TypeId resource;                 // resource kinds
  std::string adapter;                  // AdapterFunc
  Needs needs;                          // Func, Builtin, Payload, TaskReturn
  bin::CanonKind canon = bin::CanonKind::Lower;  // Builtin, Payload
  bool flag = false;                    // Builtin, Payload: the `async` flag of cancel built-ins
  uint32_t slot = 0;                    // Builtin: the slot of context.get/set
  StringEncoding encoding = StringEncoding::Utf8;  // Builtin: error-context.new/debug-message
  wit::TypeId payload;                  // Payload: the stream or future type
  bool exported = false;                // Payload: of a function of a world export
  std::optional<wit::InterfaceId> owner;  // Payload, TaskReturn: the function's interface
};

// One lifted export: a function of a world export and the core export
// implementing it.
struct CoreExport {
  size_t item = 0;  // world export
  const wit::Function* func = nullptr;
  std::string core_name;
  std::optional<std::string> post_return;
  Needs needs;
  LiftAbi abi = LiftAbi::Sync;
  std::optional<std::string> callback;  // AsyncCallback: `[callback][async-lift]...`
};

// A core module as the component sees it.
struct ModuleUse {
  std::string name;            // "" for the main module, else the adapter's name
  std::vector<uint8_t> bytes;  // the module to embed (stripped or reduced)
  bin::Module module;
  std::vector<CoreImport> imports;        // function imports, in import order
  std::vector<CoreExport> exports;        // lifted from this module, in world order
  std::map<uint32_t, std::string> dtors;  // exported resource (TypeId index) -> core export
  std::optional<std::string> memory;      // export names of the conventions
  std::optional<std::string> realloc;
  std::optional<std::string> import_realloc;  // adapters: cabi_import_realloc
  std::optional<std::string> export_realloc;  // adapters: cabi_export_realloc
  std::optional<std::string> initialize;
};

// Everything `component new` learned before encoding.
struct NewPlan {
  wit::Resolve resolve;
  wit::WorldId world;
  StringEncoding encoding = StringEncoding::Utf8;
  ModuleUse main;
  std::vector<ModuleUse> adapters;  // only the adapters something needs
  // Which world export each adapter provides (world export index -> adapter).
  std::map<size_t, std::string> export_providers;
  // Liveness (new_live.cpp): for each world import, the types (in the order
  // they are encoded) and the functions the component imports.
  std::vector<std::vector<wit::TypeId>> live_types;
  std::set<uint32_t> live_type_ids;  // all of live_types (TypeId indices)
  std::vector<std::set<std::string>> live_funcs;
  // For each exported interface, the other exported interfaces whose types it
  // uses (transitively).
  std::unordered_map<uint32_t, std::set<uint32_t>> exports_used;
};

// "ns:pkg/iface@1.2.3" or the plain name (the component's name for the item,
// and the legacy core module name).
std::string world_key_name(const wit::Resolve& r, const wit::WorldKey& key);
// "ns:pkg/iface@1.2" (the version track) or the plain name (BuildTargets.md).
std::string standard_key_name(const wit::Resolve& r, const wit::WorldKey& key);

// The options lifting (export) or lowering (import) the function needs,
// synchronously or async (`async` sets Needs::async).
Needs needs_of(const wit::Resolve& r, const wit::Function& f, abi::Context context, bool async = false);
// The core signature of lifting or lowering the function.
bin::FuncType core_signature(const wit::Resolve& r, const wit::Function& f, abi::Context context,
                             abi::SignatureOptions options = {});
// The futures and streams of a function's signature, parameters first, each
// after the ones its payload holds (wit-parser's find_futures_and_streams:
// `[stream-new-N]f` names the N-th).
std::vector<wit::TypeId> futures_and_streams(const wit::Resolve& r, const wit::Function& f);

// new_match.cpp: classifies the imports and exports of the main module
// (which may import from the adapters named) and of a reduced adapter (which
// may import from the main module and lifts the exports it provides).
Expected<void> match_main(NewPlan& plan, const std::set<std::string>& adapter_names);
Expected<void> match_adapter(NewPlan& plan, ModuleUse& adapter);
// The adapter exports the main module imports from `name` (to keep in gc).
std::vector<std::string> adapter_exports_needed(const NewPlan& plan, const std::string& name);

// new_live.cpp
void compute_liveness(NewPlan& plan);

// new_encode.cpp
Expected<std::vector<uint8_t>> encode_component(const NewPlan& plan);

}  // namespace witc::compose::detail
