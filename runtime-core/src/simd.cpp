// 128-bit SIMD (core spec 4.4.3 "Vector instructions"), out of line.
//
// A v128 occupies two frame slots. Each instruction is a lane loop over a
// union of lane views; the compiler vectorises the simple ones. Operands
// (u32, in the Ext instruction): the destination first when there is a
// result, then the inputs bottom first, then the immediates (lane index;
// shuffle lanes as four words; memarg as memory, offset low, offset high).
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "compiler.h"
#include "numeric.h"

namespace witc::rt::detail {

namespace {

union V {
  int8_t i8[16];
  uint8_t u8[16];
  int16_t i16[8];
  uint16_t u16[8];
  int32_t i32[4];
  uint32_t u32[4];
  int64_t i64[2];
  uint64_t u64[2];
  float f32[4];
  double f64[2];
};
static_assert(sizeof(V) == 16);

inline V vget(const Slot* s) {
  V v;
  std::memcpy(&v, s, 16);
  return v;
}
inline void vput(Slot* s, const V& v) { std::memcpy(s, &v, 16); }

template <class T>
T sat(int64_t v) {
  if (v < std::numeric_limits<T>::min()) return std::numeric_limits<T>::min();
  if (v > std::numeric_limits<T>::max()) return std::numeric_limits<T>::max();
  return static_cast<T>(v);
}

#define WITC_FN(name) TrapCode name(Exec& cx [[maybe_unused]], Slot* fp, const uint32_t* ops)

// r.L[i] = expr(x = a.L[i], y = b.L[i])
#define WITC_BIN(name, L, N, expr)          \
  WITC_FN(name) {                           \
    V a = vget(fp + ops[1]), b = vget(fp + ops[2]), r; \
    for (int i = 0; i < N; ++i) {           \
      auto x [[maybe_unused]] = a.L[i];     \
      auto y = b.L[i];                      \
      r.L[i] = (expr);                      \
    }                                       \
    vput(fp + ops[0], r);                   \
    return 0;                               \
  }
// r.R[i] = cond ? -1 : 0
#define WITC_CMP(name, L, R, N, cond)       \
  WITC_FN(name) {                           \
    V a = vget(fp + ops[1]), b = vget(fp + ops[2]), r; \
    for (int i = 0; i < N; ++i) {           \
      auto x = a.L[i];                      \
      auto y = b.L[i];                      \
      r.R[i] = (cond) ? -1 : 0;             \
    }                                       \
    vput(fp + ops[0], r);                   \
    return 0;                               \
  }
#define WITC_UN(name, L, N, expr)           \
  WITC_FN(name) {                           \
    V a = vget(fp + ops[1]), r;             \
    for (int i = 0; i < N; ++i) {           \
      auto x = a.L[i];                      \
      r.L[i] = (expr);                      \
    }                                       \
    vput(fp + ops[0], r);                   \
    return 0;                               \
  }
// Shift by a scalar i32 count, modulo the lane width.
#define WITC_SHIFT(name, L, N, bits, expr)  \
  WITC_FN(name) {                           \
    V a = vget(fp + ops[1]), r;             \
    uint32_t s = fp[ops[2]].u32 & (bits - 1); \
    for (int i = 0; i < N; ++i) {           \
      auto x = a.L[i];                      \
      r.L[i] = (expr);                      \
    }                                       \
    vput(fp + ops[0], r);                   \
    return 0;                               \
  }

// ---- splat, lanes, shuffle -----------------------------------------------------

#define WITC_SPLAT(name, L, N, T, get) \
  WITC_FN(name) {                      \
    V r;                               \
    T v = get;                         \
    for (int i = 0; i < N; ++i) r.L[i] = v; \
    vput(fp + ops[0], r);              \
    return 0;                          \
  }
WITC_SPLAT(i8x16_splat, u8, 16, uint8_t, static_cast<uint8_t>(fp[ops[1]].u32))
WITC_SPLAT(i16x8_splat, u16, 8, uint16_t, static_cast<uint16_t>(fp[ops[1]].u32))
WITC_SPLAT(i32x4_splat, u32, 4, uint32_t, fp[ops[1]].u32)
WITC_SPLAT(i64x2_splat, u64, 2, uint64_t, fp[ops[1]].u64)
WITC_SPLAT(f32x4_splat, u32, 4, uint32_t, fp[ops[1]].u32)
WITC_SPLAT(f64x2_splat, u64, 2, uint64_t, fp[ops[1]].u64)

// extract_lane: d, a, lane
WITC_FN(i8x16_extract_lane_s) { fp[ops[0]].u64 = static_cast<uint32_t>(static_cast<int32_t>(vget(fp + ops[1]).i8[ops[2]])); return 0; }
WITC_FN(i8x16_extract_lane_u) { fp[ops[0]].u64 = vget(fp + ops[1]).u8[ops[2]]; return 0; }
WITC_FN(i16x8_extract_lane_s) { fp[ops[0]].u64 = static_cast<uint32_t>(static_cast<int32_t>(vget(fp + ops[1]).i16[ops[2]])); return 0; }
WITC_FN(i16x8_extract_lane_u) { fp[ops[0]].u64 = vget(fp + ops[1]).u16[ops[2]]; return 0; }
WITC_FN(i32x4_extract_lane) { fp[ops[0]].u64 = vget(fp + ops[1]).u32[ops[2]]; return 0; }
WITC_FN(i64x2_extract_lane) { fp[ops[0]].u64 = vget(fp + ops[1]).u64[ops[2]]; return 0; }
// replace_lane: d, a, value, lane
#define WITC_REPLACE(name, L, T, get) \
  WITC_FN(name) {                     \
    V a = vget(fp + ops[1]);          \
    a.L[ops[3]] = static_cast<T>(get); \
    vput(fp + ops[0], a);             \
    return 0;                         \
  }
WITC_REPLACE(i8x16_replace_lane, u8, uint8_t, fp[ops[2]].u32)
WITC_REPLACE(i16x8_replace_lane, u16, uint16_t, fp[ops[2]].u32)
WITC_REPLACE(i32x4_replace_lane, u32, uint32_t, fp[ops[2]].u32)
WITC_REPLACE(i64x2_replace_lane, u64, uint64_t, fp[ops[2]].u64)

// shuffle: d, a, b, lanes (4 words)
WITC_FN(i8x16_shuffle) {
  V a = vget(fp + ops[1]), b = vget(fp + ops[2]), r;
  uint8_t lanes[16];
  std::memcpy(lanes, ops + 3, 16);
  for (int i = 0; i < 16; ++i) r.u8[i] = lanes[i] < 16 ? a.u8[lanes[i]] : b.u8[lanes[i] - 16];
  vput(fp + ops[0], r);
  return 0;
}
WITC_BIN(i8x16_swizzle, u8, 16, y < 16 ? a.u8[y] : 0)

// ---- comparisons ---------------------------------------------------------------

WITC_CMP(i8x16_eq, u8, i8, 16, x == y)
WITC_CMP(i8x16_ne, u8, i8, 16, x != y)
WITC_CMP(i8x16_lt_s, i8, i8, 16, x < y)
WITC_CMP(i8x16_lt_u, u8, i8, 16, x < y)
WITC_CMP(i8x16_gt_s, i8, i8, 16, x > y)
WITC_CMP(i8x16_gt_u, u8, i8, 16, x > y)
WITC_CMP(i8x16_le_s, i8, i8, 16, x <= y)
WITC_CMP(i8x16_le_u, u8, i8, 16, x <= y)
WITC_CMP(i8x16_ge_s, i8, i8, 16, x >= y)
WITC_CMP(i8x16_ge_u, u8, i8, 16, x >= y)
WITC_CMP(i16x8_eq, u16, i16, 8, x == y)
WITC_CMP(i16x8_ne, u16, i16, 8, x != y)
WITC_CMP(i16x8_lt_s, i16, i16, 8, x < y)
WITC_CMP(i16x8_lt_u, u16, i16, 8, x < y)
WITC_CMP(i16x8_gt_s, i16, i16, 8, x > y)
WITC_CMP(i16x8_gt_u, u16, i16, 8, x > y)
WITC_CMP(i16x8_le_s, i16, i16, 8, x <= y)
WITC_CMP(i16x8_le_u, u16, i16, 8, x <= y)
WITC_CMP(i16x8_ge_s, i16, i16, 8, x >= y)
WITC_CMP(i16x8_ge_u, u16, i16, 8, x >= y)
WITC_CMP(i32x4_eq, u32, i32, 4, x == y)
WITC_CMP(i32x4_ne, u32, i32, 4, x != y)
WITC_CMP(i32x4_lt_s, i32, i32, 4, x < y)
WITC_CMP(i32x4_lt_u, u32, i32, 4, x < y)
WITC_CMP(i32x4_gt_s, i32, i32, 4, x > y)
WITC_CMP(i32x4_gt_u, u32, i32, 4, x > y)
WITC_CMP(i32x4_le_s, i32, i32, 4, x <= y)
WITC_CMP(i32x4_le_u, u32, i32, 4, x <= y)
WITC_CMP(i32x4_ge_s, i32, i32, 4, x >= y)
WITC_CMP(i32x4_ge_u, u32, i32, 4, x >= y)
WITC_CMP(i64x2_eq, u64, i64, 2, x == y)
WITC_CMP(i64x2_ne, u64, i64, 2, x != y)
WITC_CMP(i64x2_lt_s, i64, i64, 2, x < y)
WITC_CMP(i64x2_gt_s, i64, i64, 2, x > y)
WITC_CMP(i64x2_le_s, i64, i64, 2, x <= y)
WITC_CMP(i64x2_ge_s, i64, i64, 2, x >= y)
WITC_CMP(f32x4_eq, f32, i32, 4, x == y)
WITC_CMP(f32x4_ne, f32, i32, 4, x != y)
WITC_CMP(f32x4_lt, f32, i32, 4, x < y)
WITC_CMP(f32x4_gt, f32, i32, 4, x > y)
WITC_CMP(f32x4_le, f32, i32, 4, x <= y)
WITC_CMP(f32x4_ge, f32, i32, 4, x >= y)
WITC_CMP(f64x2_eq, f64, i64, 2, x == y)
WITC_CMP(f64x2_ne, f64, i64, 2, x != y)
WITC_CMP(f64x2_lt, f64, i64, 2, x < y)
WITC_CMP(f64x2_gt, f64, i64, 2, x > y)
WITC_CMP(f64x2_le, f64, i64, 2, x <= y)
WITC_CMP(f64x2_ge, f64, i64, 2, x >= y)

// ---- bitwise -------------------------------------------------------------------

WITC_UN(v128_not, u64, 2, ~x)
WITC_BIN(v128_and, u64, 2, x & y)
WITC_BIN(v128_andnot, u64, 2, x & ~y)
WITC_BIN(v128_or, u64, 2, x | y)
WITC_BIN(v128_xor, u64, 2, x ^ y)
WITC_FN(v128_bitselect) {
  V a = vget(fp + ops[1]), b = vget(fp + ops[2]), c = vget(fp + ops[3]), r;
  for (int i = 0; i < 2; ++i) r.u64[i] = (a.u64[i] & c.u64[i]) | (b.u64[i] & ~c.u64[i]);
  vput(fp + ops[0], r);
  return 0;
}
WITC_FN(v128_any_true) {
  V a = vget(fp + ops[1]);
  fp[ops[0]].u64 = (a.u64[0] | a.u64[1]) != 0;
  return 0;
}
#define WITC_ALL_TRUE(name, L, N)                     \
  WITC_FN(name) {                                     \
    V a = vget(fp + ops[1]);                          \
    bool all = true;                                  \
    for (int i = 0; i < N; ++i) all = all && a.L[i] != 0; \
    fp[ops[0]].u64 = all;                             \
    return 0;                                         \
  }
WITC_ALL_TRUE(i8x16_all_true, u8, 16)
WITC_ALL_TRUE(i16x8_all_true, u16, 8)
WITC_ALL_TRUE(i32x4_all_true, u32, 4)
WITC_ALL_TRUE(i64x2_all_true, u64, 2)
#define WITC_BITMASK(name, L, N)                          \
  WITC_FN(name) {                                         \
    V a = vget(fp + ops[1]);                              \
    uint32_t m = 0;                                       \
    for (int i = 0; i < N; ++i) m |= (a.L[i] < 0 ? 1u : 0u) << i; \
    fp[ops[0]].u64 = m;                                   \
    return 0;                                             \
  }
WITC_BITMASK(i8x16_bitmask, i8, 16)
WITC_BITMASK(i16x8_bitmask, i16, 8)
WITC_BITMASK(i32x4_bitmask, i32, 4)
WITC_BITMASK(i64x2_bitmask, i64, 2)

// ---- integer arithmetic --------------------------------------------------------

WITC_UN(i8x16_abs, u8, 16, static_cast<uint8_t>(static_cast<int8_t>(x) < 0 ? -x : x))
WITC_UN(i16x8_abs, u16, 8, static_cast<uint16_t>(static_cast<int16_t>(x) < 0 ? -x : x))
WITC_UN(i32x4_abs, u32, 4, static_cast<int32_t>(x) < 0 ? 0u - x : x)
WITC_UN(i64x2_abs, u64, 2, static_cast<int64_t>(x) < 0 ? 0ull - x : x)
WITC_UN(i8x16_neg, u8, 16, static_cast<uint8_t>(-x))
WITC_UN(i16x8_neg, u16, 8, static_cast<uint16_t>(-x))
WITC_UN(i32x4_neg, u32, 4, 0u - x)
WITC_UN(i64x2_neg, u64, 2, 0ull - x)
WITC_UN(i8x16_popcnt, u8, 16, static_cast<uint8_t>(std::popcount(x)))
WITC_BIN(i8x16_add, u8, 16, static_cast<uint8_t>(x + y))
WITC_BIN(i16x8_add, u16, 8, static_cast<uint16_t>(x + y))
WITC_BIN(i32x4_add, u32, 4, x + y)
WITC_BIN(i64x2_add, u64, 2, x + y)
WITC_BIN(i8x16_sub, u8, 16, static_cast<uint8_t>(x - y))
WITC_BIN(i16x8_sub, u16, 8, static_cast<uint16_t>(x - y))
WITC_BIN(i32x4_sub, u32, 4, x - y)
WITC_BIN(i64x2_sub, u64, 2, x - y)
WITC_BIN(i16x8_mul, u16, 8, static_cast<uint16_t>(static_cast<uint32_t>(x) * y))
WITC_BIN(i32x4_mul, u32, 4, x * y)
WITC_BIN(i64x2_mul, u64, 2, x * y)
WITC_BIN(i8x16_add_sat_s, i8, 16, sat<int8_t>(int64_t{x} + y))
WITC_BIN(i8x16_add_sat_u, u8, 16, sat<uint8_t>(int64_t{x} + y))
WITC_BIN(i8x16_sub_sat_s, i8, 16, sat<int8_t>(int64_t{x} - y))
WITC_BIN(i8x16_sub_sat_u, u8, 16, sat<uint8_t>(int64_t{x} - y))
WITC_BIN(i16x8_add_sat_s, i16, 8, sat<int16_t>(int64_t{x} + y))
WITC_BIN(i16x8_add_sat_u, u16, 8, sat<uint16_t>(int64_t{x} + y))
WITC_BIN(i16x8_sub_sat_s, i16, 8, sat<int16_t>(int64_t{x} - y))
WITC_BIN(i16x8_sub_sat_u, u16, 8, sat<uint16_t>(int64_t{x} - y))
WITC_BIN(i8x16_min_s, i8, 16, x < y ? x : y)
WITC_BIN(i8x16_min_u, u8, 16, x < y ? x : y)
WITC_BIN(i8x16_max_s, i8, 16, x > y ? x : y)
WITC_BIN(i8x16_max_u, u8, 16, x > y ? x : y)
WITC_BIN(i16x8_min_s, i16, 8, x < y ? x : y)
WITC_BIN(i16x8_min_u, u16, 8, x < y ? x : y)
WITC_BIN(i16x8_max_s, i16, 8, x > y ? x : y)
WITC_BIN(i16x8_max_u, u16, 8, x > y ? x : y)
WITC_BIN(i32x4_min_s, i32, 4, x < y ? x : y)
WITC_BIN(i32x4_min_u, u32, 4, x < y ? x : y)
WITC_BIN(i32x4_max_s, i32, 4, x > y ? x : y)
WITC_BIN(i32x4_max_u, u32, 4, x > y ? x : y)
WITC_BIN(i8x16_avgr_u, u8, 16, static_cast<uint8_t>((uint32_t{x} + y + 1) >> 1))
WITC_BIN(i16x8_avgr_u, u16, 8, static_cast<uint16_t>((uint32_t{x} + y + 1) >> 1))
WITC_BIN(i16x8_q15mulr_sat_s, i16, 8, sat<int16_t>((int64_t{x} * y + 0x4000) >> 15))

WITC_SHIFT(i8x16_shl, u8, 16, 8, static_cast<uint8_t>(x << s))
WITC_SHIFT(i8x16_shr_s, i8, 16, 8, static_cast<int8_t>(x >> s))
WITC_SHIFT(i8x16_shr_u, u8, 16, 8, static_cast<uint8_t>(x >> s))
WITC_SHIFT(i16x8_shl, u16, 8, 16, static_cast<uint16_t>(x << s))
WITC_SHIFT(i16x8_shr_s, i16, 8, 16, static_cast<int16_t>(x >> s))
WITC_SHIFT(i16x8_shr_u, u16, 8, 16, static_cast<uint16_t>(x >> s))
WITC_SHIFT(i32x4_shl, u32, 4, 32, x << s)
WITC_SHIFT(i32x4_shr_s, i32, 4, 32, x >> s)
WITC_SHIFT(i32x4_shr_u, u32, 4, 32, x >> s)
WITC_SHIFT(i64x2_shl, u64, 2, 64, x << s)
WITC_SHIFT(i64x2_shr_s, i64, 2, 64, x >> s)
WITC_SHIFT(i64x2_shr_u, u64, 2, 64, x >> s)

// Narrowing with saturation: lanes of a then lanes of b.
#define WITC_NARROW(name, IN, OUT, T, N)                 \
  WITC_FN(name) {                                        \
    V a = vget(fp + ops[1]), b = vget(fp + ops[2]), r;   \
    for (int i = 0; i < N; ++i) {                        \
      r.OUT[i] = sat<T>(a.IN[i]);                        \
      r.OUT[i + N] = sat<T>(b.IN[i]);                    \
    }                                                    \
    vput(fp + ops[0], r);                                \
    return 0;                                            \
  }
WITC_NARROW(i8x16_narrow_i16x8_s, i16, i8, int8_t, 8)
WITC_NARROW(i8x16_narrow_i16x8_u, i16, u8, uint8_t, 8)
WITC_NARROW(i16x8_narrow_i32x4_s, i32, i16, int16_t, 4)
WITC_NARROW(i16x8_narrow_i32x4_u, i32, u16, uint16_t, 4)

// Extension of the low or high half.
#define WITC_EXTEND(name, IN, OUT, N, HIGH)                \
  WITC_FN(name) {                                          \
    V a = vget(fp + ops[1]), r;                            \
    for (int i = 0; i < N; ++i) r.OUT[i] = a.IN[i + (HIGH ? N : 0)]; \
    vput(fp + ops[0], r);                                  \
    return 0;                                              \
  }
WITC_EXTEND(i16x8_extend_low_i8x16_s, i8, i16, 8, false)
WITC_EXTEND(i16x8_extend_high_i8x16_s, i8, i16, 8, true)
WITC_EXTEND(i16x8_extend_low_i8x16_u, u8, u16, 8, false)
WITC_EXTEND(i16x8_extend_high_i8x16_u, u8, u16, 8, true)
WITC_EXTEND(i32x4_extend_low_i16x8_s, i16, i32, 4, false)
WITC_EXTEND(i32x4_extend_high_i16x8_s, i16, i32, 4, true)
WITC_EXTEND(i32x4_extend_low_i16x8_u, u16, u32, 4, false)
WITC_EXTEND(i32x4_extend_high_i16x8_u, u16, u32, 4, true)
WITC_EXTEND(i64x2_extend_low_i32x4_s, i32, i64, 2, false)
WITC_EXTEND(i64x2_extend_high_i32x4_s, i32, i64, 2, true)
WITC_EXTEND(i64x2_extend_low_i32x4_u, u32, u64, 2, false)
WITC_EXTEND(i64x2_extend_high_i32x4_u, u32, u64, 2, true)

// Extending multiplication of the low or high halves.
#define WITC_EXTMUL(name, IN, OUT, W, N, HIGH)                              \
  WITC_FN(name) {                                                           \
    V a = vget(fp + ops[1]), b = vget(fp + ops[2]), r;                      \
    for (int i = 0; i < N; ++i) {                                           \
      int j = i + (HIGH ? N : 0);                                           \
      r.OUT[i] = static_cast<W>(static_cast<W>(a.IN[j]) * static_cast<W>(b.IN[j])); \
    }                                                                       \
    vput(fp + ops[0], r);                                                   \
    return 0;                                                               \
  }
WITC_EXTMUL(i16x8_extmul_low_i8x16_s, i8, i16, int32_t, 8, false)
WITC_EXTMUL(i16x8_extmul_high_i8x16_s, i8, i16, int32_t, 8, true)
WITC_EXTMUL(i16x8_extmul_low_i8x16_u, u8, u16, uint32_t, 8, false)
WITC_EXTMUL(i16x8_extmul_high_i8x16_u, u8, u16, uint32_t, 8, true)
WITC_EXTMUL(i32x4_extmul_low_i16x8_s, i16, i32, int64_t, 4, false)
WITC_EXTMUL(i32x4_extmul_high_i16x8_s, i16, i32, int64_t, 4, true)
WITC_EXTMUL(i32x4_extmul_low_i16x8_u, u16, u32, uint64_t, 4, false)
WITC_EXTMUL(i32x4_extmul_high_i16x8_u, u16, u32, uint64_t, 4, true)
WITC_EXTMUL(i64x2_extmul_low_i32x4_s, i32, i64, int64_t, 2, false)
WITC_EXTMUL(i64x2_extmul_high_i32x4_s, i32, i64, int64_t, 2, true)
WITC_EXTMUL(i64x2_extmul_low_i32x4_u, u32, u64, uint64_t, 2, false)
WITC_EXTMUL(i64x2_extmul_high_i32x4_u, u32, u64, uint64_t, 2, true)

// Pairwise extending addition.
#define WITC_EXTADD(name, IN, OUT, N)                                         \
  WITC_FN(name) {                                                             \
    V a = vget(fp + ops[1]), r;                                               \
    for (int i = 0; i < N; ++i) r.OUT[i] = static_cast<std::remove_reference_t<decltype(r.OUT[0])>>(a.IN[2 * i] + a.IN[2 * i + 1]); \
    vput(fp + ops[0], r);                                                     \
    return 0;                                                                 \
  }
WITC_EXTADD(i16x8_extadd_pairwise_i8x16_s, i8, i16, 8)
WITC_EXTADD(i16x8_extadd_pairwise_i8x16_u, u8, u16, 8)
WITC_EXTADD(i32x4_extadd_pairwise_i16x8_s, i16, i32, 4)
WITC_EXTADD(i32x4_extadd_pairwise_i16x8_u, u16, u32, 4)

WITC_FN(i32x4_dot_i16x8_s) {
  V a = vget(fp + ops[1]), b = vget(fp + ops[2]), r;
  for (int i = 0; i < 4; ++i) {
    int64_t s = int64_t{a.i16[2 * i]} * b.i16[2 * i] + int64_t{a.i16[2 * i + 1]} * b.i16[2 * i + 1];
    r.u32[i] = static_cast<uint32_t>(s);
  }
  vput(fp + ops[0], r);
  return 0;
}

// ---- floating point ------------------------------------------------------------

WITC_UN(f32x4_abs, f32, 4, wasm_abs(x))
WITC_UN(f32x4_neg, f32, 4, wasm_neg(x))
WITC_UN(f32x4_sqrt, f32, 4, std::sqrt(x))
WITC_UN(f32x4_ceil, f32, 4, wasm_ceil(x))
WITC_UN(f32x4_floor, f32, 4, wasm_floor(x))
WITC_UN(f32x4_trunc, f32, 4, wasm_trunc_f(x))
WITC_UN(f32x4_nearest, f32, 4, wasm_nearest(x))
WITC_BIN(f32x4_add, f32, 4, x + y)
WITC_BIN(f32x4_sub, f32, 4, x - y)
WITC_BIN(f32x4_mul, f32, 4, x * y)
WITC_BIN(f32x4_div, f32, 4, x / y)
WITC_BIN(f32x4_min, f32, 4, wasm_min(x, y))
WITC_BIN(f32x4_max, f32, 4, wasm_max(x, y))
WITC_BIN(f32x4_pmin, f32, 4, wasm_pmin(x, y))
WITC_BIN(f32x4_pmax, f32, 4, wasm_pmax(x, y))
WITC_UN(f64x2_abs, f64, 2, wasm_abs(x))
WITC_UN(f64x2_neg, f64, 2, wasm_neg(x))
WITC_UN(f64x2_sqrt, f64, 2, std::sqrt(x))
WITC_UN(f64x2_ceil, f64, 2, wasm_ceil(x))
WITC_UN(f64x2_floor, f64, 2, wasm_floor(x))
WITC_UN(f64x2_trunc, f64, 2, wasm_trunc_f(x))
WITC_UN(f64x2_nearest, f64, 2, wasm_nearest(x))
WITC_BIN(f64x2_add, f64, 2, x + y)
WITC_BIN(f64x2_sub, f64, 2, x - y)
WITC_BIN(f64x2_mul, f64, 2, x * y)
WITC_BIN(f64x2_div, f64, 2, x / y)
WITC_BIN(f64x2_min, f64, 2, wasm_min(x, y))
WITC_BIN(f64x2_max, f64, 2, wasm_max(x, y))
WITC_BIN(f64x2_pmin, f64, 2, wasm_pmin(x, y))
WITC_BIN(f64x2_pmax, f64, 2, wasm_pmax(x, y))

WITC_FN(i32x4_trunc_sat_f32x4_s) {
  V a = vget(fp + ops[1]), r;
  for (int i = 0; i < 4; ++i) r.i32[i] = wasm_trunc_sat<int32_t>(a.f32[i]);
  vput(fp + ops[0], r);
  return 0;
}
WITC_FN(i32x4_trunc_sat_f32x4_u) {
  V a = vget(fp + ops[1]), r;
  for (int i = 0; i < 4; ++i) r.u32[i] = wasm_trunc_sat<uint32_t>(a.f32[i]);
  vput(fp + ops[0], r);
  return 0;
}
WITC_FN(i32x4_trunc_sat_f64x2_s_zero) {
  V a = vget(fp + ops[1]), r{};
  for (int i = 0; i < 2; ++i) r.i32[i] = wasm_trunc_sat<int32_t>(a.f64[i]);
  vput(fp + ops[0], r);
  return 0;
}
WITC_FN(i32x4_trunc_sat_f64x2_u_zero) {
  V a = vget(fp + ops[1]), r{};
  for (int i = 0; i < 2; ++i) r.u32[i] = wasm_trunc_sat<uint32_t>(a.f64[i]);
  vput(fp + ops[0], r);
  return 0;
}
WITC_FN(f32x4_convert_i32x4_s) {
  V a = vget(fp + ops[1]), r;
  for (int i = 0; i < 4; ++i) r.f32[i] = static_cast<float>(a.i32[i]);
  vput(fp + ops[0], r);
  return 0;
}
WITC_FN(f32x4_convert_i32x4_u) {
  V a = vget(fp + ops[1]), r;
  for (int i = 0; i < 4; ++i) r.f32[i] = static_cast<float>(a.u32[i]);
  vput(fp + ops[0], r);
  return 0;
}
WITC_FN(f64x2_convert_low_i32x4_s) {
  V a = vget(fp + ops[1]), r;
  for (int i = 0; i < 2; ++i) r.f64[i] = static_cast<double>(a.i32[i]);
  vput(fp + ops[0], r);
  return 0;
}
WITC_FN(f64x2_convert_low_i32x4_u) {
  V a = vget(fp + ops[1]), r;
  for (int i = 0; i < 2; ++i) r.f64[i] = static_cast<double>(a.u32[i]);
  vput(fp + ops[0], r);
  return 0;
}
WITC_FN(f32x4_demote_f64x2_zero) {
  V a = vget(fp + ops[1]), r{};
  for (int i = 0; i < 2; ++i) r.f32[i] = static_cast<float>(a.f64[i]);
  vput(fp + ops[0], r);
  return 0;
}
WITC_FN(f64x2_promote_low_f32x4) {
  V a = vget(fp + ops[1]), r;
  for (int i = 0; i < 2; ++i) r.f64[i] = static_cast<double>(a.f32[i]);
  vput(fp + ops[0], r);
  return 0;
}
// f32x4/f64x2 extract and replace lane (bits).
WITC_FN(f32x4_extract_lane) { fp[ops[0]].u64 = vget(fp + ops[1]).u32[ops[2]]; return 0; }
WITC_FN(f64x2_extract_lane) { fp[ops[0]].u64 = vget(fp + ops[1]).u64[ops[2]]; return 0; }
WITC_REPLACE(f32x4_replace_lane, u32, uint32_t, fp[ops[2]].u32)
WITC_REPLACE(f64x2_replace_lane, u64, uint64_t, fp[ops[2]].u64)

// ---- memory --------------------------------------------------------------------

inline uint64_t off64(const uint32_t* ops, int i) { return ops[i] | (uint64_t{ops[i + 1]} << 32); }

// The address of n bytes at memory `mem` (ops[k] is the memory index,
// ops[k+1..k+2] the offset), or nullptr if out of bounds.
inline uint8_t* mem_at(Exec& cx, const Slot& addr_slot, const uint32_t* ops, int k, uint64_t n) {
  Memory* m = cx.inst->memories_[ops[k]];
  uint64_t addr = m->type_.limits.is64 ? addr_slot.u64 : addr_slot.u32;
  uint64_t ea;
  if (__builtin_add_overflow(addr, off64(ops, k + 1), &ea)) return nullptr;
  if (ea > m->size_ || m->size_ - ea < n) return nullptr;
  return m->base_ + ea;
}
constexpr TrapCode kOob = trap_code(TrapKind::MemoryOutOfBounds);

// v128.load: d, addr, memarg
WITC_FN(v128_load) {
  uint8_t* p = mem_at(cx, fp[ops[1]], ops, 2, 16);
  if (!p) return kOob;
  std::memcpy(fp + ops[0], p, 16);
  return 0;
}
#define WITC_LOAD_EXTEND(name, IN_T, OUT, N)             \
  WITC_FN(name) {                                        \
    uint8_t* p = mem_at(cx, fp[ops[1]], ops, 2, 8);      \
    if (!p) return kOob;                                 \
    IN_T in[N];                                          \
    std::memcpy(in, p, 8);                               \
    V r;                                                 \
    for (int i = 0; i < N; ++i) r.OUT[i] = in[i];        \
    vput(fp + ops[0], r);                                \
    return 0;                                            \
  }
WITC_LOAD_EXTEND(v128_load8x8_s, int8_t, i16, 8)
WITC_LOAD_EXTEND(v128_load8x8_u, uint8_t, u16, 8)
WITC_LOAD_EXTEND(v128_load16x4_s, int16_t, i32, 4)
WITC_LOAD_EXTEND(v128_load16x4_u, uint16_t, u32, 4)
WITC_LOAD_EXTEND(v128_load32x2_s, int32_t, i64, 2)
WITC_LOAD_EXTEND(v128_load32x2_u, uint32_t, u64, 2)
#define WITC_LOAD_SPLAT(name, T, L, N)                   \
  WITC_FN(name) {                                        \
    uint8_t* p = mem_at(cx, fp[ops[1]], ops, 2, sizeof(T)); \
    if (!p) return kOob;                                 \
    T v;                                                 \
    std::memcpy(&v, p, sizeof(T));                       \
    V r;                                                 \
    for (int i = 0; i < N; ++i) r.L[i] = v;              \
    vput(fp + ops[0], r);                                \
    return 0;                                            \
  }
WITC_LOAD_SPLAT(v128_load8_splat, uint8_t, u8, 16)
WITC_LOAD_SPLAT(v128_load16_splat, uint16_t, u16, 8)
WITC_LOAD_SPLAT(v128_load32_splat, uint32_t, u32, 4)
WITC_LOAD_SPLAT(v128_load64_splat, uint64_t, u64, 2)
#define WITC_LOAD_ZERO(name, T)                          \
  WITC_FN(name) {                                        \
    uint8_t* p = mem_at(cx, fp[ops[1]], ops, 2, sizeof(T)); \
    if (!p) return kOob;                                 \
    V r{};                                               \
    std::memcpy(&r, p, sizeof(T));                       \
    vput(fp + ops[0], r);                                \
    return 0;                                            \
  }
WITC_LOAD_ZERO(v128_load32_zero, uint32_t)
WITC_LOAD_ZERO(v128_load64_zero, uint64_t)
// v128.store: addr, v, memarg
WITC_FN(v128_store) {
  uint8_t* p = mem_at(cx, fp[ops[0]], ops, 2, 16);
  if (!p) return kOob;
  std::memcpy(p, fp + ops[1], 16);
  return 0;
}
// load_lane: d, addr, v, memarg, lane
#define WITC_LOAD_LANE(name, T, L)                       \
  WITC_FN(name) {                                        \
    uint8_t* p = mem_at(cx, fp[ops[1]], ops, 3, sizeof(T)); \
    if (!p) return kOob;                                 \
    V r = vget(fp + ops[2]);                             \
    std::memcpy(&r.L[ops[6]], p, sizeof(T));             \
    vput(fp + ops[0], r);                                \
    return 0;                                            \
  }
WITC_LOAD_LANE(v128_load8_lane, uint8_t, u8)
WITC_LOAD_LANE(v128_load16_lane, uint16_t, u16)
WITC_LOAD_LANE(v128_load32_lane, uint32_t, u32)
WITC_LOAD_LANE(v128_load64_lane, uint64_t, u64)
// store_lane: addr, v, memarg, lane
#define WITC_STORE_LANE(name, T, L)                      \
  WITC_FN(name) {                                        \
    uint8_t* p = mem_at(cx, fp[ops[0]], ops, 2, sizeof(T)); \
    if (!p) return kOob;                                 \
    V v = vget(fp + ops[1]);                             \
    std::memcpy(p, &v.L[ops[5]], sizeof(T));             \
    return 0;                                            \
  }
WITC_STORE_LANE(v128_store8_lane, uint8_t, u8)
WITC_STORE_LANE(v128_store16_lane, uint16_t, u16)
WITC_STORE_LANE(v128_store32_lane, uint32_t, u32)
WITC_STORE_LANE(v128_store64_lane, uint64_t, u64)

}  // namespace

ExtFn ext_for(bin::Op op) {
  using bin::Op;
  switch (op) {
    case Op::MemorySize: return kExtMemorySize;
    case Op::MemoryGrow: return kExtMemoryGrow;
    case Op::MemoryFill: return kExtMemoryFill;
    case Op::MemoryInit: return kExtMemoryInit;
#define WITC_MAP(O, fn) \
  case Op::O: return fn;
    WITC_MAP(V128Load, v128_load) WITC_MAP(V128Load8x8S, v128_load8x8_s)
    WITC_MAP(V128Load8x8U, v128_load8x8_u) WITC_MAP(V128Load16x4S, v128_load16x4_s)
    WITC_MAP(V128Load16x4U, v128_load16x4_u) WITC_MAP(V128Load32x2S, v128_load32x2_s)
    WITC_MAP(V128Load32x2U, v128_load32x2_u) WITC_MAP(V128Load8Splat, v128_load8_splat)
    WITC_MAP(V128Load16Splat, v128_load16_splat) WITC_MAP(V128Load32Splat, v128_load32_splat)
    WITC_MAP(V128Load64Splat, v128_load64_splat) WITC_MAP(V128Store, v128_store)
    WITC_MAP(V128Load32Zero, v128_load32_zero) WITC_MAP(V128Load64Zero, v128_load64_zero)
    WITC_MAP(V128Load8Lane, v128_load8_lane) WITC_MAP(V128Load16Lane, v128_load16_lane)
    WITC_MAP(V128Load32Lane, v128_load32_lane) WITC_MAP(V128Load64Lane, v128_load64_lane)
    WITC_MAP(V128Store8Lane, v128_store8_lane) WITC_MAP(V128Store16Lane, v128_store16_lane)
    WITC_MAP(V128Store32Lane, v128_store32_lane) WITC_MAP(V128Store64Lane, v128_store64_lane)
    WITC_MAP(I8x16Shuffle, i8x16_shuffle) WITC_MAP(I8x16Swizzle, i8x16_swizzle)
    WITC_MAP(I8x16Splat, i8x16_splat) WITC_MAP(I16x8Splat, i16x8_splat)
    WITC_MAP(I32x4Splat, i32x4_splat) WITC_MAP(I64x2Splat, i64x2_splat)
    WITC_MAP(F32x4Splat, f32x4_splat) WITC_MAP(F64x2Splat, f64x2_splat)
    WITC_MAP(I8x16ExtractLaneS, i8x16_extract_lane_s) WITC_MAP(I8x16ExtractLaneU, i8x16_extract_lane_u)
    WITC_MAP(I8x16ReplaceLane, i8x16_replace_lane)
    WITC_MAP(I16x8ExtractLaneS, i16x8_extract_lane_s) WITC_MAP(I16x8ExtractLaneU, i16x8_extract_lane_u)
    WITC_MAP(I16x8ReplaceLane, i16x8_replace_lane)
    WITC_MAP(I32x4ExtractLane, i32x4_extract_lane) WITC_MAP(I32x4ReplaceLane, i32x4_replace_lane)
    WITC_MAP(I64x2ExtractLane, i64x2_extract_lane) WITC_MAP(I64x2ReplaceLane, i64x2_replace_lane)
    WITC_MAP(F32x4ExtractLane, f32x4_extract_lane) WITC_MAP(F32x4ReplaceLane, f32x4_replace_lane)
    WITC_MAP(F64x2ExtractLane, f64x2_extract_lane) WITC_MAP(F64x2ReplaceLane, f64x2_replace_lane)
    WITC_MAP(I8x16Eq, i8x16_eq) WITC_MAP(I8x16Ne, i8x16_ne) WITC_MAP(I8x16LtS, i8x16_lt_s)
    WITC_MAP(I8x16LtU, i8x16_lt_u) WITC_MAP(I8x16GtS, i8x16_gt_s) WITC_MAP(I8x16GtU, i8x16_gt_u)
    WITC_MAP(I8x16LeS, i8x16_le_s) WITC_MAP(I8x16LeU, i8x16_le_u) WITC_MAP(I8x16GeS, i8x16_ge_s)
    WITC_MAP(I8x16GeU, i8x16_ge_u)
    WITC_MAP(I16x8Eq, i16x8_eq) WITC_MAP(I16x8Ne, i16x8_ne) WITC_MAP(I16x8LtS, i16x8_lt_s)
    WITC_MAP(I16x8LtU, i16x8_lt_u) WITC_MAP(I16x8GtS, i16x8_gt_s) WITC_MAP(I16x8GtU, i16x8_gt_u)
    WITC_MAP(I16x8LeS, i16x8_le_s) WITC_MAP(I16x8LeU, i16x8_le_u) WITC_MAP(I16x8GeS, i16x8_ge_s)
    WITC_MAP(I16x8GeU, i16x8_ge_u)
    WITC_MAP(I32x4Eq, i32x4_eq) WITC_MAP(I32x4Ne, i32x4_ne) WITC_MAP(I32x4LtS, i32x4_lt_s)
    WITC_MAP(I32x4LtU, i32x4_lt_u) WITC_MAP(I32x4GtS, i32x4_gt_s) WITC_MAP(I32x4GtU, i32x4_gt_u)
    WITC_MAP(I32x4LeS, i32x4_le_s) WITC_MAP(I32x4LeU, i32x4_le_u) WITC_MAP(I32x4GeS, i32x4_ge_s)
    WITC_MAP(I32x4GeU, i32x4_ge_u)
    WITC_MAP(F32x4Eq, f32x4_eq) WITC_MAP(F32x4Ne, f32x4_ne) WITC_MAP(F32x4Lt, f32x4_lt)
    WITC_MAP(F32x4Gt, f32x4_gt) WITC_MAP(F32x4Le, f32x4_le) WITC_MAP(F32x4Ge, f32x4_ge)
    WITC_MAP(F64x2Eq, f64x2_eq) WITC_MAP(F64x2Ne, f64x2_ne) WITC_MAP(F64x2Lt, f64x2_lt)
    WITC_MAP(F64x2Gt, f64x2_gt) WITC_MAP(F64x2Le, f64x2_le) WITC_MAP(F64x2Ge, f64x2_ge)
    WITC_MAP(V128Not, v128_not) WITC_MAP(V128And, v128_and) WITC_MAP(V128Andnot, v128_andnot)
    WITC_MAP(V128Or, v128_or) WITC_MAP(V128Xor, v128_xor) WITC_MAP(V128Bitselect, v128_bitselect)
    WITC_MAP(V128AnyTrue, v128_any_true)
    WITC_MAP(F32x4DemoteF64x2Zero, f32x4_demote_f64x2_zero)
    WITC_MAP(F64x2PromoteLowF32x4, f64x2_promote_low_f32x4)
    WITC_MAP(I8x16Abs, i8x16_abs) WITC_MAP(I8x16Neg, i8x16_neg) WITC_MAP(I8x16Popcnt, i8x16_popcnt)
    WITC_MAP(I8x16AllTrue, i8x16_all_true) WITC_MAP(I8x16Bitmask, i8x16_bitmask)
    WITC_MAP(I8x16NarrowI16x8S, i8x16_narrow_i16x8_s) WITC_MAP(I8x16NarrowI16x8U, i8x16_narrow_i16x8_u)
    WITC_MAP(F32x4Ceil, f32x4_ceil) WITC_MAP(F32x4Floor, f32x4_floor) WITC_MAP(F32x4Trunc, f32x4_trunc)
    WITC_MAP(F32x4Nearest, f32x4_nearest)
    WITC_MAP(I8x16Shl, i8x16_shl) WITC_MAP(I8x16ShrS, i8x16_shr_s) WITC_MAP(I8x16ShrU, i8x16_shr_u)
    WITC_MAP(I8x16Add, i8x16_add) WITC_MAP(I8x16AddSatS, i8x16_add_sat_s)
    WITC_MAP(I8x16AddSatU, i8x16_add_sat_u) WITC_MAP(I8x16Sub, i8x16_sub)
    WITC_MAP(I8x16SubSatS, i8x16_sub_sat_s) WITC_MAP(I8x16SubSatU, i8x16_sub_sat_u)
    WITC_MAP(F64x2Ceil, f64x2_ceil) WITC_MAP(F64x2Floor, f64x2_floor)
    WITC_MAP(I8x16MinS, i8x16_min_s) WITC_MAP(I8x16MinU, i8x16_min_u)
    WITC_MAP(I8x16MaxS, i8x16_max_s) WITC_MAP(I8x16MaxU, i8x16_max_u)
    WITC_MAP(F64x2Trunc, f64x2_trunc) WITC_MAP(I8x16AvgrU, i8x16_avgr_u)
    WITC_MAP(I16x8ExtaddPairwiseI8x16S, i16x8_extadd_pairwise_i8x16_s)
    WITC_MAP(I16x8ExtaddPairwiseI8x16U, i16x8_extadd_pairwise_i8x16_u)
    WITC_MAP(I32x4ExtaddPairwiseI16x8S, i32x4_extadd_pairwise_i16x8_s)
    WITC_MAP(I32x4ExtaddPairwiseI16x8U, i32x4_extadd_pairwise_i16x8_u)
    WITC_MAP(I16x8Abs, i16x8_abs) WITC_MAP(I16x8Neg, i16x8_neg)
    WITC_MAP(I16x8Q15mulrSatS, i16x8_q15mulr_sat_s)
    WITC_MAP(I16x8AllTrue, i16x8_all_true) WITC_MAP(I16x8Bitmask, i16x8_bitmask)
    WITC_MAP(I16x8NarrowI32x4S, i16x8_narrow_i32x4_s) WITC_MAP(I16x8NarrowI32x4U, i16x8_narrow_i32x4_u)
    WITC_MAP(I16x8ExtendLowI8x16S, i16x8_extend_low_i8x16_s)
    WITC_MAP(I16x8ExtendHighI8x16S, i16x8_extend_high_i8x16_s)
    WITC_MAP(I16x8ExtendLowI8x16U, i16x8_extend_low_i8x16_u)
    WITC_MAP(I16x8ExtendHighI8x16U, i16x8_extend_high_i8x16_u)
    WITC_MAP(I16x8Shl, i16x8_shl) WITC_MAP(I16x8ShrS, i16x8_shr_s) WITC_MAP(I16x8ShrU, i16x8_shr_u)
    WITC_MAP(I16x8Add, i16x8_add) WITC_MAP(I16x8AddSatS, i16x8_add_sat_s)
    WITC_MAP(I16x8AddSatU, i16x8_add_sat_u) WITC_MAP(I16x8Sub, i16x8_sub)
    WITC_MAP(I16x8SubSatS, i16x8_sub_sat_s) WITC_MAP(I16x8SubSatU, i16x8_sub_sat_u)
    WITC_MAP(F64x2Nearest, f64x2_nearest) WITC_MAP(I16x8Mul, i16x8_mul)
    WITC_MAP(I16x8MinS, i16x8_min_s) WITC_MAP(I16x8MinU, i16x8_min_u)
    WITC_MAP(I16x8MaxS, i16x8_max_s) WITC_MAP(I16x8MaxU, i16x8_max_u)
    WITC_MAP(I16x8AvgrU, i16x8_avgr_u)
    WITC_MAP(I16x8ExtmulLowI8x16S, i16x8_extmul_low_i8x16_s)
    WITC_MAP(I16x8ExtmulHighI8x16S, i16x8_extmul_high_i8x16_s)
    WITC_MAP(I16x8ExtmulLowI8x16U, i16x8_extmul_low_i8x16_u)
    WITC_MAP(I16x8ExtmulHighI8x16U, i16x8_extmul_high_i8x16_u)
    WITC_MAP(I32x4Abs, i32x4_abs) WITC_MAP(I32x4Neg, i32x4_neg)
    WITC_MAP(I32x4AllTrue, i32x4_all_true) WITC_MAP(I32x4Bitmask, i32x4_bitmask)
    WITC_MAP(I32x4ExtendLowI16x8S, i32x4_extend_low_i16x8_s)
    WITC_MAP(I32x4ExtendHighI16x8S, i32x4_extend_high_i16x8_s)
    WITC_MAP(I32x4ExtendLowI16x8U, i32x4_extend_low_i16x8_u)
    WITC_MAP(I32x4ExtendHighI16x8U, i32x4_extend_high_i16x8_u)
    WITC_MAP(I32x4Shl, i32x4_shl) WITC_MAP(I32x4ShrS, i32x4_shr_s) WITC_MAP(I32x4ShrU, i32x4_shr_u)
    WITC_MAP(I32x4Add, i32x4_add) WITC_MAP(I32x4Sub, i32x4_sub) WITC_MAP(I32x4Mul, i32x4_mul)
    WITC_MAP(I32x4MinS, i32x4_min_s) WITC_MAP(I32x4MinU, i32x4_min_u)
    WITC_MAP(I32x4MaxS, i32x4_max_s) WITC_MAP(I32x4MaxU, i32x4_max_u)
    WITC_MAP(I32x4DotI16x8S, i32x4_dot_i16x8_s)
    WITC_MAP(I32x4ExtmulLowI16x8S, i32x4_extmul_low_i16x8_s)
    WITC_MAP(I32x4ExtmulHighI16x8S, i32x4_extmul_high_i16x8_s)
    WITC_MAP(I32x4ExtmulLowI16x8U, i32x4_extmul_low_i16x8_u)
    WITC_MAP(I32x4ExtmulHighI16x8U, i32x4_extmul_high_i16x8_u)
    WITC_MAP(I64x2Abs, i64x2_abs) WITC_MAP(I64x2Neg, i64x2_neg)
    WITC_MAP(I64x2AllTrue, i64x2_all_true) WITC_MAP(I64x2Bitmask, i64x2_bitmask)
    WITC_MAP(I64x2ExtendLowI32x4S, i64x2_extend_low_i32x4_s)
    WITC_MAP(I64x2ExtendHighI32x4S, i64x2_extend_high_i32x4_s)
    WITC_MAP(I64x2ExtendLowI32x4U, i64x2_extend_low_i32x4_u)
    WITC_MAP(I64x2ExtendHighI32x4U, i64x2_extend_high_i32x4_u)
    WITC_MAP(I64x2Shl, i64x2_shl) WITC_MAP(I64x2ShrS, i64x2_shr_s) WITC_MAP(I64x2ShrU, i64x2_shr_u)
    WITC_MAP(I64x2Add, i64x2_add) WITC_MAP(I64x2Sub, i64x2_sub) WITC_MAP(I64x2Mul, i64x2_mul)
    WITC_MAP(I64x2Eq, i64x2_eq) WITC_MAP(I64x2Ne, i64x2_ne) WITC_MAP(I64x2LtS, i64x2_lt_s)
    WITC_MAP(I64x2GtS, i64x2_gt_s) WITC_MAP(I64x2LeS, i64x2_le_s) WITC_MAP(I64x2GeS, i64x2_ge_s)
    WITC_MAP(I64x2ExtmulLowI32x4S, i64x2_extmul_low_i32x4_s)
    WITC_MAP(I64x2ExtmulHighI32x4S, i64x2_extmul_high_i32x4_s)
    WITC_MAP(I64x2ExtmulLowI32x4U, i64x2_extmul_low_i32x4_u)
    WITC_MAP(I64x2ExtmulHighI32x4U, i64x2_extmul_high_i32x4_u)
    WITC_MAP(F32x4Abs, f32x4_abs) WITC_MAP(F32x4Neg, f32x4_neg) WITC_MAP(F32x4Sqrt, f32x4_sqrt)
    WITC_MAP(F32x4Add, f32x4_add) WITC_MAP(F32x4Sub, f32x4_sub) WITC_MAP(F32x4Mul, f32x4_mul)
    WITC_MAP(F32x4Div, f32x4_div) WITC_MAP(F32x4Min, f32x4_min) WITC_MAP(F32x4Max, f32x4_max)
    WITC_MAP(F32x4Pmin, f32x4_pmin) WITC_MAP(F32x4Pmax, f32x4_pmax)
    WITC_MAP(F64x2Abs, f64x2_abs) WITC_MAP(F64x2Neg, f64x2_neg) WITC_MAP(F64x2Sqrt, f64x2_sqrt)
    WITC_MAP(F64x2Add, f64x2_add) WITC_MAP(F64x2Sub, f64x2_sub) WITC_MAP(F64x2Mul, f64x2_mul)
    WITC_MAP(F64x2Div, f64x2_div) WITC_MAP(F64x2Min, f64x2_min) WITC_MAP(F64x2Max, f64x2_max)
    WITC_MAP(F64x2Pmin, f64x2_pmin) WITC_MAP(F64x2Pmax, f64x2_pmax)
    WITC_MAP(I32x4TruncSatF32x4S, i32x4_trunc_sat_f32x4_s)
    WITC_MAP(I32x4TruncSatF32x4U, i32x4_trunc_sat_f32x4_u)
    WITC_MAP(F32x4ConvertI32x4S, f32x4_convert_i32x4_s)
    WITC_MAP(F32x4ConvertI32x4U, f32x4_convert_i32x4_u)
    WITC_MAP(I32x4TruncSatF64x2SZero, i32x4_trunc_sat_f64x2_s_zero)
    WITC_MAP(I32x4TruncSatF64x2UZero, i32x4_trunc_sat_f64x2_u_zero)
    WITC_MAP(F64x2ConvertLowI32x4S, f64x2_convert_low_i32x4_s)
    WITC_MAP(F64x2ConvertLowI32x4U, f64x2_convert_low_i32x4_u)
#undef WITC_MAP
    default: return nullptr;
  }
}

}  // namespace witc::rt::detail
