// Reading core modules from their binary format (core spec 5).
//
// read_module decodes the preamble and every section into a bin::Module. It
// checks everything the binary format requires (section order and sizes,
// LEB128 rules, UTF-8 names, function/code counts, data count) and nothing
// validation checks; function bodies are kept as byte ranges. The first
// problem is returned as "<message> (at offset 0x…)" with the section as
// context ("in section 10").
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bin/features.h"
#include "witc/bin/module.h"

namespace witc::bin {

// What an 8-byte preamble announces: a core module (version 1) or a
// component (version 0x0d, layer 1).
enum class BinaryKind { Module, Component };
Expected<BinaryKind> detect_binary_kind(std::span<const uint8_t> bytes);

// Reads a core module. The module keeps a copy of `bytes` as its storage;
// `base` is the absolute offset of bytes[0] (for modules nested in a
// component), used in every offset the module and its errors carry.
Expected<Module> read_module(std::span<const uint8_t> bytes, Features features = {},
                             uint64_t base = 0);
// As above, taking ownership of the bytes instead of copying them.
Expected<Module> read_module(std::vector<uint8_t>&& bytes, Features features = {},
                             uint64_t base = 0);

// "type", "import", ..., "data count", "tag"; "custom" for 0.
std::string_view section_name(SectionId id);

}  // namespace witc::bin
