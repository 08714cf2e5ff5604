// bin::Module: the syntactic model of a core WebAssembly module (core spec 2.5).
//
// The model is what the binary says, decoded but not validated. Every item
// remembers the absolute byte offset it was read from (0 for items built in
// memory). Function bodies, constant expressions and data stay byte ranges into
// the module's own `storage` until someone iterates them (code_reader.h), so
// reading is one pass with no per-instruction work.
//
// Byte-exact round trips: the reader records each section's original bytes.
// The writer re-encodes every section and emits the original bytes instead when
// they decode to the same content (non-minimal LEB128s in valid input survive;
// an edited section is written canonically). See writer.h.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "witc/bin/types.h"

namespace witc::bin {

// Section ids (core spec 5.5.2). Tag (13) comes from exception handling.
enum class SectionId : uint8_t {
  Custom = 0,
  Type = 1,
  Import = 2,
  Function = 3,
  Table = 4,
  Memory = 5,
  Global = 6,
  Export = 7,
  Start = 8,
  Element = 9,
  Code = 10,
  Data = 11,
  DataCount = 12,
  Tag = 13,
};
inline constexpr size_t kSectionIds = 14;

// A range of Module::storage.
struct ByteRange {
  uint32_t begin = 0;
  uint32_t size = 0;
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  TypeIdx func;       // kind == Func
  TableType table;    // kind == Table
  MemoryType memory;  // kind == Memory
  GlobalType global;  // kind == Global
  TagType tag;        // kind == Tag
  uint64_t offset = 0;
};

struct Function {  // an entry of the function section
  TypeIdx type;
  uint64_t offset = 0;
};

struct Table {
  TableType type;
  uint64_t offset = 0;
};

struct Memory {
  MemoryType type;
  uint64_t offset = 0;
};

struct Global {
  GlobalType type;
  ByteRange init;  // constant expression, including its final `end`
  uint64_t offset = 0;
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;  // into the index space of `kind`
  uint64_t offset = 0;
};

struct Tag {
  TagType type;
  uint64_t offset = 0;
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

// An element segment (core spec 5.5.12). `flags` is the encoding (0–7) and
// decides how it is written back: bit 0 passive/declarative, bit 1 explicit
// table index or declarative, bit 2 expressions instead of function indices.
struct ElemSegment {
  uint32_t flags = 0;
  SegmentMode mode = SegmentMode::Active;
  TableIdx table{0};
  ByteRange offset_expr;         // Active only
  ValType type = ValType::FuncRef;
  std::vector<uint32_t> funcs;   // flags & 4 == 0
  std::vector<ByteRange> exprs;  // flags & 4 != 0
  uint64_t offset = 0;
  bool uses_exprs() const { return (flags & 4) != 0; }
  size_t size() const { return uses_exprs() ? exprs.size() : funcs.size(); }
};

// A data segment (core spec 5.5.14); flags 0 active memory 0, 1 passive,
// 2 active with an explicit memory index.
struct DataSegment {
  uint32_t flags = 0;
  SegmentMode mode = SegmentMode::Active;
  MemIdx memory{0};
  ByteRange offset_expr;  // Active only
  ByteRange data;
  uint64_t offset = 0;
};

// A function body: locals and expression, without the size prefix.
struct Code {
  ByteRange body;
  uint64_t offset = 0;  // absolute offset of the body's first byte
};

struct CustomSection {
  std::string name;
  ByteRange data;
  uint8_t after = 0;  // id of the last non-custom section before it (0: none)
  std::optional<ByteRange> raw;  // the whole section as read (id, size, contents)
  uint64_t offset = 0;
};

// How a non-custom section appeared in the input.
struct SectionRecord {
  bool present = false;
  ByteRange raw;        // id, size and contents as read
  uint64_t offset = 0;  // absolute offset of the id byte
};

struct Module {
  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<Function> functions;
  std::vector<Table> tables;
  std::vector<Memory> memories;
  std::vector<Tag> tags;
  std::vector<Global> globals;
  std::vector<Export> exports;
  std::optional<FuncIdx> start;
  std::vector<ElemSegment> elements;
  std::optional<uint32_t> data_count;
  std::vector<Code> codes;
  std::vector<DataSegment> datas;
  std::vector<CustomSection> customs;

  std::array<SectionRecord, kSectionIds> sections{};  // by id; [0] unused

  // Bytes the ranges above point into: the input for a module that was read.
  std::vector<uint8_t> storage;
  uint64_t base_offset = 0;  // absolute offset of the module's first byte

  std::span<const uint8_t> bytes(ByteRange r) const {
    return std::span<const uint8_t>(storage).subspan(r.begin, r.size);
  }
  // Appends bytes to storage (for modules built in memory).
  ByteRange add_bytes(std::span<const uint8_t> b);

  // Number of imports of one kind (they come first in each index space).
  uint32_t num_imports(ExternKind k) const;
};

}  // namespace witc::bin
