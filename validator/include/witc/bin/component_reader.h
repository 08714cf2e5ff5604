// Reading and writing components in their binary format (Binary.md).
//
// read_component decodes the preamble (magic, version 0x0d 0x00, layer
// 0x01 0x00) and every section into a bin::Component. It checks what the
// binary format requires — section ids, sizes, LEB128 rules, UTF-8 names,
// the opcodes of every production, the preambles of nested modules, the
// nesting depth — and nothing validation checks. Nested core modules are kept
// as byte ranges; nested components are read recursively. The first problem
// is returned as "<message> (at offset 0x…)" with the section as context
// ("in component section 7 (type)"). Declared counts are checked against
// component_limits and the remaining bytes before anything is allocated.
//
// write_component encodes a model; reading then writing any input that
// read_component accepts gives identical bytes: a section whose original
// bytes still decode to the content the model holds is copied verbatim
// (which keeps non-minimal LEB128s); an edited or new section is encoded
// canonically.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bin/component.h"

namespace witc::bin {

namespace component_limits {
inline constexpr size_t kItems = 1'000'000;       // definitions in one section
inline constexpr size_t kNames = 1'000'000;       // fields, cases, labels, args, ...
inline constexpr size_t kDeclarators = 1'000'000;  // in one component/instance/module type
inline constexpr size_t kCanonOptions = 16;
inline constexpr size_t kAttributes = 16;
inline constexpr size_t kSections = 10'000'000;
// Components in components, and component/instance/module types in types:
// bounded so that no input can exhaust the native stack.
inline constexpr unsigned kNesting = 100;
}  // namespace component_limits

// Reads a component. The component keeps a copy of `bytes` as its storage;
// `base` is the absolute offset of bytes[0], used in every offset the model
// and its errors carry.
Expected<Component> read_component(std::span<const uint8_t> bytes, uint64_t base = 0);
// As above, taking ownership of the bytes instead of copying them.
Expected<Component> read_component(std::vector<uint8_t>&& bytes, uint64_t base = 0);

// Encodes a component (see the header comment).
std::vector<uint8_t> write_component(const Component& c);

// "custom", "core module", "core instance", "core type", "component",
// "instance", "alias", "type", "canon", "start", "import", "export", "value".
std::string_view component_section_name(ComponentSectionId id);

}  // namespace witc::bin
