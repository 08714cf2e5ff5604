// Private: decoding one section's contents, shared by the reader and the
// writer (which re-decodes original bytes to decide whether to keep them).
#pragma once

#include "witc/bin/cursor.h"
#include "witc/bin/features.h"
#include "witc/bin/module.h"

namespace witc::bin::detail {

// Decodes the contents of non-custom section `id` from `c` (which spans
// exactly the contents) into `m`, whose storage `c` must point into.
Expected<void> read_section_contents(Module& m, SectionId id, Cursor& c, Features f);

// The rank of a section in the required order, or 0 for an unknown id.
int section_rank(uint8_t id);

inline ByteRange range_in(const Module& m, std::span<const uint8_t> s) {
  return ByteRange{static_cast<uint32_t>(s.data() - m.storage.data()),
                   static_cast<uint32_t>(s.size())};
}

}  // namespace witc::bin::detail
