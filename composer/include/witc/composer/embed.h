// `witc component embed`: a core module that says which world it implements.
//
// embed_world appends the world's `component-type` custom section to a core
// module, as `wasm-tools component embed` and `jco embed` do (the module's
// bytes are kept, the section goes last). dummy_module makes a core module
// for a world with every import the world implies and a stub export
// (`unreachable`) for everything it must provide, as `wasm-tools component
// embed --dummy` does: for tests of `component new` without a compiler.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/composer/encode.h"
#include "witc/wit/resolve.h"

namespace witc::compose {

// The name `embed` gives the section (plain "component-type", as the
// reference's embed does).
inline constexpr std::string_view kEmbedSectionName = "component-type";

// Checks that `core` is a well-formed core module (errors name the offset)
// and returns it with the world's component-type section appended.
Expected<std::vector<uint8_t>> embed_world(std::span<const uint8_t> core, const wit::Resolve& resolve,
                                           wit::WorldId world, StringEncoding enc = StringEncoding::Utf8);

// How the dummy names its imports and exports.
enum class DummyNames {
  // The standard `wasm32` build target (BuildTargets.md): "cm32p2|ns:pkg/i@0.2"
  // "f", "cm32p2||g", "cm32p2_memory", "cm32p2_realloc", "cm32p2_initialize".
  // What `jco embed --dummy` writes.
  Standard,
  // wit-component's historical names: "ns:pkg/i@0.2.1" "f", "g", "memory",
  // "cabi_realloc", "[resource-drop]r", "ns:pkg/i#f", "cabi_post_...".
  Legacy,
};

// A core module implementing the world with stubs (no component-type section).
Expected<std::vector<uint8_t>> dummy_module(const wit::Resolve& resolve, wit::WorldId world,
                                            DummyNames names = DummyNames::Standard);

}  // namespace witc::compose
