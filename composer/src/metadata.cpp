#include "witc/composer/metadata.h"

namespace witc::compose {

bool is_component_type_section(std::string_view name) {
  constexpr std::string_view kPrefix = "component-type";
  if (!name.starts_with(kPrefix)) return false;
  return name.size() == kPrefix.size() || name[kPrefix.size()] == ':';
}

std::vector<ComponentTypeSection> component_type_sections(const bin::Module& module) {
  std::vector<ComponentTypeSection> out;
  for (const bin::CustomSection& c : module.customs) {
    if (!is_component_type_section(c.name)) continue;
    // Ranges index the module's storage, which starts at its base offset.
    out.push_back({c.name, module.bytes(c.data), module.base_offset + c.data.begin});
  }
  return out;
}

}  // namespace witc::compose
