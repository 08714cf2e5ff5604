// Where a core module says which world it implements: its
// `component-type[:name]` custom sections (the encoding that
// `wit-bindgen`'s object files and `witc component embed` put there).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "witc/bin/module.h"

namespace witc::compose {

// One `component-type` custom section of a core module.
struct ComponentTypeSection {
  std::string name;                // the full section name, "component-type:my-world"
  std::span<const uint8_t> bytes;  // its contents: a component encoding a world
  uint64_t offset = 0;             // absolute offset of the contents' first byte
};

// True for "component-type" and names starting with "component-type:".
bool is_component_type_section(std::string_view name);

// The module's component-type sections in file order (views into its storage).
std::vector<ComponentTypeSection> component_type_sections(const bin::Module& module);

}  // namespace witc::compose
