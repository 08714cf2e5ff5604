// The Canonical ABI layout and flattening engine (CanonicalABI.md
// "Despecialization", "Alignment", "Element Size", "Flattening").
//
// The engine answers, for a component value type: its size and alignment in
// linear memory (for 32- and 64-bit memories), the offsets of record fields
// and variant payloads, the discriminant of a variant, the representation of
// flags, and its flat core types; and, for a function type, the core
// signature of `canon lift` and `canon lower` with the MAX_FLAT_PARAMS (16),
// MAX_FLAT_ASYNC_PARAMS (4) and MAX_FLAT_RESULTS (1) limits.
//
// It knows nothing of WIT or of the binary: types come from a TypeSource,
// which presents any type graph (bin::TypeInfo via ComponentTypeSource, the
// WIT resolver via an adapter of its own) as nodes of the full value-type
// vocabulary; despecialization (tuple → record, enum/option/result →
// variant, map → list of pairs) happens inside the engine. Results are
// memoized per (type, pointer size). Recursion follows the type's nesting, so
// sources must bound nesting depth (validated components do: 100 levels).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "witc/bin/types.h"

namespace witc::bin {
class TypeInfo;
}

namespace witc::abi {

enum class Kind : uint8_t {
  Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String, ErrorContext,
  Record, Variant, List, FixedList, Tuple, Flags, Enum, Option, Result, Own, Borrow, Stream,
  Future, Map,
};

using TypeRef = uint32_t;
inline constexpr TypeRef kNone = std::numeric_limits<uint32_t>::max();

// One type as the engine sees it. `children`: Record fields, Tuple elements,
// Variant case payloads (kNone for no payload); [elem] of List, FixedList,
// Option, Stream, Future (kNone: no element); [ok, error] of Result (kNone:
// absent); [key, value] of Map; nothing otherwise. `count`: the number of
// Flags / Enum labels, the length of a FixedList.
struct Node {
  Kind kind = Kind::Bool;
  std::span<const TypeRef> children;
  uint32_t count = 0;
};

class TypeSource {
 public:
  virtual ~TypeSource() = default;
  virtual Node node(TypeRef t) const = 0;
};

// bin::TypeInfo's value types as a TypeSource (TypeRef = TypeId index).
class ComponentTypeSource final : public TypeSource {
 public:
  explicit ComponentTypeSource(const bin::TypeInfo& types) : types_(types) {}
  Node node(TypeRef t) const override;

 private:
  const bin::TypeInfo& types_;
};

enum class PtrType : uint8_t { I32, I64 };
inline uint32_t ptr_size(PtrType p) { return p == PtrType::I32 ? 4 : 8; }
inline bin::ValType ptr_valtype(PtrType p) { return p == PtrType::I32 ? bin::ValType::I32 : bin::ValType::I64; }

struct Layout {
  uint64_t size = 0;   // elem_size (saturates at UINT64_MAX)
  uint32_t align = 1;
};

inline constexpr size_t kMaxFlatParams = 16;
inline constexpr size_t kMaxFlatAsyncParams = 4;
inline constexpr size_t kMaxFlatResults = 1;

// The canonical options that shape a core signature.
struct SignatureOptions {
  PtrType memory = PtrType::I32;  // the address type of the `memory` option
  bool async = false;
  bool callback = false;  // async lift with a `callback`
};

enum class Context : uint8_t { Lift, Lower };

// A flattened function type and how it passes values.
struct CoreSignature {
  bin::FuncType type;
  bool params_indirect = false;   // parameters passed through one pointer
  bool results_indirect = false;  // result returned through a pointer (lift) or written to a pointer parameter (lower)
};

class Engine {
 public:
  explicit Engine(const TypeSource& source) : source_(source) {}

  Layout layout(TypeRef t, PtrType p = PtrType::I32);
  uint64_t size(TypeRef t, PtrType p = PtrType::I32) { return layout(t, p).size; }
  uint32_t alignment(TypeRef t, PtrType p = PtrType::I32) { return layout(t, p).align; }

  // Offsets of the fields of a record or tuple (the elements of a fixed
  // list follow at multiples of the element size).
  std::vector<uint64_t> field_offsets(TypeRef record, PtrType p = PtrType::I32);
  // Offset of the payload of a variant-like type (variant, enum, option,
  // result) after its discriminant.
  uint64_t payload_offset(TypeRef variant, PtrType p = PtrType::I32);

  // Appends flatten_type(t); returns false (leaving `out` with more than
  // `limit` entries) as soon as more than `limit` values would result.
  bool flatten(TypeRef t, PtrType p, std::vector<bin::ValType>& out,
               size_t limit = std::numeric_limits<size_t>::max());
  // flatten_types of a list of types, counting at most limit + 1 values.
  bool flatten_all(std::span<const TypeRef> ts, PtrType p, std::vector<bin::ValType>& out,
                   size_t limit = std::numeric_limits<size_t>::max());

  // flatten_functype(opts, ft, context).
  CoreSignature signature(std::span<const TypeRef> params, std::optional<TypeRef> result,
                          const SignatureOptions& opts, Context context);

  // True if a value of the type holds a string or a (variable-length) list
  // anywhere, i.e. lifting it needs `memory` and lowering it `realloc`.
  bool contains_list_or_string(TypeRef t);

  // Byte size of a variant discriminant for `cases` cases (1, 2 or 4).
  static uint32_t discriminant_size(uint64_t cases);
  // Flags: bytes in memory (1, 2, 4, then 4 per 32 flags) and flat i32s.
  static uint32_t flags_size(uint64_t n);
  static uint32_t flags_flat_count(uint64_t n);

 private:
  Layout compute(TypeRef t, PtrType p);
  Layout variant_layout(const Node& n, std::span<const TypeRef> payloads, PtrType p);
  bool flatten_variant(std::span<const TypeRef> payloads, uint64_t cases, PtrType p,
                       std::vector<bin::ValType>& out, size_t limit);

  const TypeSource& source_;
  std::unordered_map<uint64_t, Layout> layouts_;
  std::unordered_map<TypeRef, bool> lists_;
};

}  // namespace witc::abi
