// Core WebAssembly types shared by the model, reader, writer and validator.
//
// Value types are one byte holding their binary encoding (core spec 5.3.1–5.3.4),
// so decoding a type is a table lookup and printing one needs no mapping. Each
// index space has its own strong type (core spec 2.5.1); instruction immediates
// stay plain integers because one field serves several spaces.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "witc/base/arena.h"

namespace witc::bin {

enum class ValType : uint8_t {
  Bottom = 0x00,  // the unknown operand of a polymorphic (unreachable) stack
  I32 = 0x7F,
  I64 = 0x7E,
  F32 = 0x7D,
  F64 = 0x7C,
  V128 = 0x7B,
  FuncRef = 0x70,
  ExternRef = 0x6F,
  ExnRef = 0x69,
};

// "i32", "funcref", ..., "bottom".
std::string_view to_string(ValType t);

constexpr bool is_num(ValType t) {
  return t == ValType::I32 || t == ValType::I64 || t == ValType::F32 || t == ValType::F64;
}
constexpr bool is_ref(ValType t) {
  return t == ValType::FuncRef || t == ValType::ExternRef || t == ValType::ExnRef;
}

// Index spaces (core spec 2.5.1).
struct TypeTag;
struct FuncTag;
struct TableTag;
struct MemoryTag;
struct GlobalTag;
struct ElemTag;
struct DataTag;
struct TagTag;
using TypeIdx = Id<TypeTag>;
using FuncIdx = Id<FuncTag>;
using TableIdx = Id<TableTag>;
using MemIdx = Id<MemoryTag>;
using GlobalIdx = Id<GlobalTag>;
using ElemIdx = Id<ElemTag>;
using DataIdx = Id<DataTag>;
using TagIdx = Id<TagTag>;

struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  uint64_t offset = 0;  // where a type-section entry was read; not part of equality
  friend bool operator==(const FuncType& a, const FuncType& b) {
    return a.params == b.params && a.results == b.results;
  }
};

// Limits of a table or memory (core spec 2.3.4). `is64` selects the 64-bit
// address type (memory64); `shared` is reserved for threads and never set.
struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  bool is64 = false;
  bool shared = false;
  friend bool operator==(const Limits&, const Limits&) = default;
};

struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;
  friend bool operator==(const TableType&, const TableType&) = default;
};

struct MemoryType {
  Limits limits;
  friend bool operator==(const MemoryType&, const MemoryType&) = default;
};

struct GlobalType {
  ValType type = ValType::I32;
  bool mut = false;
  friend bool operator==(const GlobalType&, const GlobalType&) = default;
};

// A tag (exception handling): attribute 0 (exception) and a function type with
// no results.
struct TagType {
  uint8_t attribute = 0;
  TypeIdx type;
  friend bool operator==(const TagType&, const TagType&) = default;
};

enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };

std::string_view to_string(ExternKind k);

// A block type (core spec 5.4.1): empty, one value type, or a type index.
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, Index };
  Kind kind = Kind::Empty;
  ValType value = ValType::Bottom;
  uint32_t index = 0;
};

}  // namespace witc::bin
