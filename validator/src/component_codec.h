// Private: decoding and encoding one component section, shared by the reader
// and the writer (which re-decodes original bytes to decide whether to keep
// them).
#pragma once

#include <cstdint>
#include <vector>

#include "witc/bin/component.h"
#include "witc/bin/cursor.h"

namespace witc::bin::detail {

// Decodes the contents of section `id` from `c` (which spans exactly the
// contents and points into c_model.storage) and appends the items to the
// vectors of `comp`. `depth` is the nesting depth of `comp` (0: outermost).
Expected<void> read_component_section(Component& comp, ComponentSectionId id, Cursor& c,
                                      unsigned depth);

// Reads a whole component (preamble and sections) from `c` into `comp`.
Expected<void> read_component_body(Component& comp, Cursor& c, unsigned depth);

// Appends the canonical encoding of section `s`'s contents (without id and
// size) to `out`.
void encode_component_section(const Component& comp, const ComponentSection& s,
                              std::vector<uint8_t>& out);

inline ByteRange range_of(const Component& comp, std::span<const uint8_t> s) {
  return ByteRange{static_cast<uint32_t>(s.data() - comp.storage->data()),
                   static_cast<uint32_t>(s.size())};
}

}  // namespace witc::bin::detail
