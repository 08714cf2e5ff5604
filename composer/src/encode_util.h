// Private to the composer: small byte-level helpers shared by the encoders.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "witc/bin/component.h"
#include "witc/bin/cursor.h"
#include "witc/composer/encode.h"

namespace witc::compose::detail {

inline void put_name(std::vector<uint8_t>& out, std::string_view s) {
  bin::write_uleb(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

// Appends a custom section to a component being built.
inline void add_custom(bin::Component& c, std::string name, const std::vector<uint8_t>& data) {
  bin::ComponentCustom cs;
  cs.name = std::move(name);
  cs.data = c.add_bytes(data);
  c.customs.push_back(std::move(cs));
  auto first = static_cast<uint32_t>(c.customs.size() - 1);
  c.sections.push_back({bin::ComponentSectionId::Custom, first, 1, std::nullopt, 0});
}

// The contents of a `producers` section (tool-conventions ProducersSection.md)
// with one `processed-by` field.
inline std::vector<uint8_t> producers_section(const std::vector<Producer>& processed_by) {
  std::vector<uint8_t> out;
  bin::write_uleb(out, 1);
  put_name(out, "processed-by");
  bin::write_uleb(out, processed_by.size());
  for (const auto& [tool, version] : processed_by) {
    put_name(out, tool);
    put_name(out, version);
  }
  return out;
}

// Appends a whole custom section (id, size, name, contents) to a binary.
inline void append_custom_section(std::vector<uint8_t>& out, std::string_view name,
                                  const std::vector<uint8_t>& data) {
  std::vector<uint8_t> body;
  put_name(body, name);
  body.insert(body.end(), data.begin(), data.end());
  out.push_back(0x00);
  bin::write_uleb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

}  // namespace witc::compose::detail
