// Reducing a WASI adapter module to what one component needs.
//
// A preview1 adapter (`wasi_snapshot_preview1.{reactor,command}.wasm`) is a
// core module that implements the preview1 functions on top of WASI 0.2
// imports. `component new` keeps only the adapter exports the main module
// (or the adapter's own world) uses, and with them only the functions,
// globals and types those reach, so that the component imports only the WASI
// interfaces it really calls — what wit-component's `gc` pass does (facts:
// wasm-tools crates/wit-component `gc.rs`).
//
// Beyond removing dead items, the adapter is fitted to the main module:
//  - its import `__main_module__` "cabi_realloc" is renamed to the main
//    module's realloc export (or, when the main module has none, replaced by
//    a function that allocates whole pages with `memory.grow`);
//  - its `__stack_pointer` global (found through the name section) gets a
//    stack: lazily, when the adapter also has an `allocation_state` global and
//    the main module a realloc (a call to `allocate_stack` at the start of
//    every export, allocating one 64 KiB page through the realloc); otherwise
//    from a start function.
// Adapters may not have data, element, start or tag sections, nor their own
// memory, and no table may stay live.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "witc/base/diagnostic.h"

namespace witc::compose {

// The module with only the exports `keep` (each must exist) and what they
// reach. `main_realloc` names the main module's realloc export, if any.
// Errors name the export or the section that cannot be handled.
Expected<std::vector<uint8_t>> gc_adapter(std::span<const uint8_t> adapter, const std::vector<std::string>& keep,
                                          std::optional<std::string> main_realloc);

}  // namespace witc::compose
