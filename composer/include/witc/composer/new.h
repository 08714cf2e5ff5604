// `witc component new`: a core module that says which world it implements
// (its `component-type` custom sections, see metadata.h) becomes a
// component, as `wasm-tools component new` and `jco new` make it.
//
// The component imports the part of the world the module uses: every
// function it imports is lowered (directly, or through a table filled after
// instantiation when the lowering needs the module's own memory or realloc),
// every resource intrinsic it imports is a `canon resource.*`, and each
// function of the world's exports is lifted from the module's export with
// memory, realloc, string encoding and post-return as the canonical ABI
// needs. Exported interfaces define their resources (with the module's
// destructors) and are exported with their WIT names and types.
//
// Adapters: a core module the main module imports from by name (a WASI
// preview1 adapter, `wasi_snapshot_preview1.{reactor,command}.wasm` of the
// npm package @bytecodealliance/jco) is reduced to the functions the main
// module uses (adapter_gc.h), instantiated with the main module's memory and
// realloc, and its own WASI imports lowered; its world's imports join the
// component's, its exports (`wasi:cli/run` of the command adapter) are
// lifted from it.
//
// Both the historical wit-component names (wit-bindgen, witc bindgen) and
// the standard `cm32p2` names of core imports and exports are understood.
// Errors name the import or export that does not fit the world: no
// component-type section, an import the world does not have, a missing or
// mistyped export, a missing `cabi_realloc` or memory.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "witc/base/diagnostic.h"

namespace witc::compose {

// An adapter: the import module name it implements and its bytes.
struct AdapterModule {
  std::string name;
  std::vector<uint8_t> bytes;
};

struct NewOptions {
  std::vector<AdapterModule> adapters;
};

// The component for `core` (a core module with component-type sections).
Expected<std::vector<uint8_t>> component_new(std::span<const uint8_t> core, const NewOptions& options = {});

// The adapter name `--adapt PATH` means without `NAME=`: the file name
// without directories and without everything from its first '.'
// ("lib/wasi_snapshot_preview1.reactor.wasm" -> "wasi_snapshot_preview1").
std::string adapter_name_from_path(std::string_view path);

}  // namespace witc::compose
