// Opcodes: bin::Op and its metadata, generated from opcodes.def.
//
// The table in opcodes.def is the one place an instruction is described; the
// reader (immediates), the validator (signature), the writer and printers
// (mnemonic) and a future compiler all index `op_info(op)`. Lookup from the
// binary encoding is a constant-time table (`lookup_op`).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "witc/bin/features.h"

namespace witc::bin {

// How the reader decodes the immediates that follow an opcode.
enum class Imm : uint8_t {
  None,
  Block,         // blocktype
  Label,         // labelidx
  BrTable,       // vec(labelidx) labelidx
  Func,          // funcidx
  CallIndirect,  // typeidx tableidx
  TryTable,      // blocktype vec(catch)
  Tag,           // tagidx
  SelectT,       // vec(valtype)
  Local,         // localidx
  Global,        // globalidx
  Table,         // tableidx
  TableInit,     // elemidx tableidx
  TableCopy,     // tableidx tableidx (destination, source)
  Elem,          // elemidx
  MemArg,        // memarg
  MemArgLane,    // memarg laneidx
  Mem,           // memidx (a zero byte without multi-memory)
  MemInit,       // dataidx memidx
  MemCopy,       // memidx memidx (destination, source)
  Data,          // dataidx
  I32,           // i32 (signed LEB)
  I64,           // i64 (signed LEB)
  F32,           // 4 bytes
  F64,           // 8 bytes
  V128,          // 16 bytes
  Shuffle,       // 16 lane indices
  Lane,          // laneidx
  HeapType,      // heap type of ref.null
};

enum class Op : uint16_t {
#define WITC_OP(name, prefix, code, text, imm, sig, arg, feature) name,
#include "witc/bin/opcodes.def"
#undef WITC_OP
  Count_
};

inline constexpr size_t kOpCount = static_cast<size_t>(Op::Count_);

// One operand of a plain signature; Addr is the memory's address type.
enum class SigType : uint8_t { I32, I64, F32, F64, V128, Addr };

// A plain signature ("ii:i"), decoded at compile time; `special` for "*".
struct OpSig {
  bool special = false;
  uint8_t n_params = 0;
  uint8_t n_results = 0;
  std::array<SigType, 3> params{};
  SigType result{};
};

struct OpInfo {
  uint8_t prefix;         // 0x00, 0xFC or 0xFD
  uint32_t code;
  std::string_view text;  // mnemonic
  Imm imm;
  OpSig sig;
  uint8_t arg;            // bytes accessed (MemArg*), lane count (Lane)
  bool mvp;               // in the 1.0 MVP: needs no feature
  Feature feature;        // the enabling feature when !mvp
};

namespace detail {

constexpr SigType sig_type(char c) {
  switch (c) {
    case 'i': return SigType::I32;
    case 'l': return SigType::I64;
    case 'f': return SigType::F32;
    case 'd': return SigType::F64;
    case 'v': return SigType::V128;
    case 'a': return SigType::Addr;
    default: throw "opcodes.def: bad signature letter";  // compile-time error only
  }
}

constexpr OpSig parse_sig(std::string_view s) {
  OpSig sig;
  if (s == "*") {
    sig.special = true;
    return sig;
  }
  bool results = false;
  for (char c : s) {
    if (c == ':') {
      results = true;
    } else if (!results) {
      sig.params[sig.n_params++] = sig_type(c);
    } else {
      if (sig.n_results == 1) throw "opcodes.def: at most one result";
      sig.result = sig_type(c);
      sig.n_results = 1;
    }
  }
  if (!results) throw "opcodes.def: signature needs ':'";
  return sig;
}

// Feature column values: Mvp or a Feature enumerator.
struct FeatureCol {
  bool mvp;
  Feature f;
};
namespace feat {
inline constexpr FeatureCol Mvp{true, Feature::MutableGlobal};
#define WITC_FEATURE(name) inline constexpr FeatureCol name{false, Feature::name};
WITC_FEATURE(SignExtension)
WITC_FEATURE(SaturatingFloatToInt)
WITC_FEATURE(BulkMemory)
WITC_FEATURE(ReferenceTypes)
WITC_FEATURE(Simd)
WITC_FEATURE(TailCall)
WITC_FEATURE(Exceptions)
#undef WITC_FEATURE
}  // namespace feat

}  // namespace detail

inline constexpr std::array<OpInfo, kOpCount> kOpInfo = {{
#define WITC_OP(name, prefix, code, text, imm, sig, arg, feature)                             \
  OpInfo{prefix, code, text, Imm::imm, detail::parse_sig(sig), arg, detail::feat::feature.mvp, \
         detail::feat::feature.f},
#include "witc/bin/opcodes.def"
#undef WITC_OP
}};

constexpr const OpInfo& op_info(Op op) { return kOpInfo[static_cast<size_t>(op)]; }
constexpr std::string_view op_name(Op op) { return op_info(op).text; }

namespace detail {

inline constexpr uint16_t kNoOp = 0xFFFF;
inline constexpr size_t kFcCodes = 32;
inline constexpr size_t kFdCodes = 256;

template <size_t N>
constexpr std::array<uint16_t, N> build_lookup(uint8_t prefix) {
  std::array<uint16_t, N> t{};
  for (auto& x : t) x = kNoOp;
  for (size_t i = 0; i < kOpCount; ++i) {
    if (kOpInfo[i].prefix != prefix) continue;
    if (kOpInfo[i].code >= N) throw "opcodes.def: code out of table range";
    if (t[kOpInfo[i].code] != kNoOp) throw "opcodes.def: duplicate opcode";
    t[kOpInfo[i].code] = static_cast<uint16_t>(i);
  }
  return t;
}

inline constexpr auto kLookup00 = build_lookup<256>(0x00);
inline constexpr auto kLookupFC = build_lookup<kFcCodes>(0xFC);
inline constexpr auto kLookupFD = build_lookup<kFdCodes>(0xFD);

}  // namespace detail

// The opcode with this encoding, or Op::Count_ if there is none. `prefix` is
// 0x00 for one-byte opcodes (then `code` is the byte).
constexpr Op lookup_op(uint8_t prefix, uint32_t code) {
  uint16_t i = detail::kNoOp;
  if (prefix == 0x00) {
    if (code < 256) i = detail::kLookup00[code];
  } else if (prefix == 0xFC) {
    if (code < detail::kFcCodes) i = detail::kLookupFC[code];
  } else if (prefix == 0xFD) {
    if (code < detail::kFdCodes) i = detail::kLookupFD[code];
  }
  return i == detail::kNoOp ? Op::Count_ : static_cast<Op>(i);
}

}  // namespace witc::bin
