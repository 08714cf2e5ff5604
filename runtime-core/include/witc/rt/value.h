// Runtime values: what crosses the boundary between the host and WebAssembly.
//
// A Val is a typed value (core spec 4.2.1): i32, i64, f32, f64, v128 or a
// reference. Numbers are kept as bit patterns, so a NaN payload survives a
// round trip through the host unchanged. References are one 64-bit word with
// 0 meaning null:
//   funcref    the address of an rt::Func
//   externref  the host's value plus one (host value UINT64_MAX is reserved)
//   exnref     the address of an rt::Exception
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

#include "witc/bin/types.h"

namespace witc::rt {

using bin::ValType;

class Func;
class Exception;

// 128 bits, lane 0 in bytes[0] (little-endian, as in linear memory).
struct V128 {
  std::array<uint8_t, 16> bytes{};
  uint64_t lo() const { uint64_t v; std::memcpy(&v, bytes.data(), 8); return v; }
  uint64_t hi() const { uint64_t v; std::memcpy(&v, bytes.data() + 8, 8); return v; }
  static V128 from(uint64_t lo, uint64_t hi) {
    V128 r;
    std::memcpy(r.bytes.data(), &lo, 8);
    std::memcpy(r.bytes.data() + 8, &hi, 8);
    return r;
  }
  friend bool operator==(const V128&, const V128&) = default;
};

struct Val {
  ValType type = ValType::I32;
  uint64_t bits = 0;  // i32 zero-extended; i64; f32/f64 bit patterns; reference word; v128 low half
  uint64_t high = 0;  // v128 high half

  static Val i32(uint32_t v) { return {ValType::I32, v, 0}; }
  static Val i64(uint64_t v) { return {ValType::I64, v, 0}; }
  static Val f32(float v) { return {ValType::F32, std::bit_cast<uint32_t>(v), 0}; }
  static Val f64(double v) { return {ValType::F64, std::bit_cast<uint64_t>(v), 0}; }
  static Val f32_bits(uint32_t b) { return {ValType::F32, b, 0}; }
  static Val f64_bits(uint64_t b) { return {ValType::F64, b, 0}; }
  static Val v128(V128 v) { return {ValType::V128, v.lo(), v.hi()}; }
  // A null reference of reference type `t`.
  static Val null(ValType t) { return {t, 0, 0}; }
  static Val funcref(const Func* f) { return {ValType::FuncRef, reinterpret_cast<uintptr_t>(f), 0}; }
  // A non-null externref carrying `host` (any value but UINT64_MAX).
  static Val externref(uint64_t host) { return {ValType::ExternRef, host + 1, 0}; }
  // The zero value of a type (locals, tables' default, globals).
  static Val zero(ValType t) { return {t, 0, 0}; }

  uint32_t as_i32() const { return static_cast<uint32_t>(bits); }
  uint64_t as_i64() const { return bits; }
  float as_f32() const { return std::bit_cast<float>(static_cast<uint32_t>(bits)); }
  double as_f64() const { return std::bit_cast<double>(bits); }
  V128 as_v128() const { return V128::from(bits, high); }
  bool is_null() const { return bits == 0; }
  Func* as_func() const { return reinterpret_cast<Func*>(static_cast<uintptr_t>(bits)); }
  // The host value of a non-null externref.
  uint64_t as_extern() const { return bits - 1; }
  Exception* as_exception() const { return reinterpret_cast<Exception*>(static_cast<uintptr_t>(bits)); }

  // Same type and same bits (NaNs compare by payload).
  friend bool operator==(const Val&, const Val&) = default;
};

// "i32:42", "f32:1.5", "v128:0x…", "funcref:null", … (for messages and --invoke).
std::string to_string(const Val& v);

}  // namespace witc::rt
