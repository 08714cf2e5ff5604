// Appending a world's component-type section to a core module (embed.h).
#include "encode_util.h"
#include "witc/base/try.h"
#include "witc/bin/reader.h"
#include "witc/composer/embed.h"

namespace witc::compose {

Expected<std::vector<uint8_t>> embed_world(std::span<const uint8_t> core, const wit::Resolve& resolve,
                                           wit::WorldId world, StringEncoding enc) {
  WITC_TRY_VAL(bin::BinaryKind kind, bin::detect_binary_kind(core));
  if (kind != bin::BinaryKind::Module) {
    return fail(Diagnostic::at_offset(4, "expected a core module, found a component"));
  }
  WITC_TRY(bin::read_module(core));
  WITC_TRY_VAL(std::vector<uint8_t> metadata, encode_world_metadata(resolve, world, enc));
  std::vector<uint8_t> out(core.begin(), core.end());
  detail::append_custom_section(out, kEmbedSectionName, metadata);
  return out;
}

}  // namespace witc::compose
