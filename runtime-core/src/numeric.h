// WebAssembly numeric semantics that C++ does not give directly (core spec
// 4.3): float min/max with NaN propagation and signed zeros, round to
// nearest even, float-to-integer truncation (trapping and saturating),
// copysign/abs/neg as bit operations.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "code.h"

namespace witc::rt::detail {

template <class F>
using FBits = std::conditional_t<sizeof(F) == 4, uint32_t, uint64_t>;

template <class F>
constexpr FBits<F> fbits(F f) { return std::bit_cast<FBits<F>>(f); }
template <class F>
constexpr F ffrom(FBits<F> b) { return std::bit_cast<F>(b); }
template <class F>
constexpr FBits<F> sign_bit() { return FBits<F>{1} << (sizeof(F) * 8 - 1); }

// fmin/fmax (core spec 4.3.3): a NaN operand gives a NaN (here the quieted
// operand, an arithmetic NaN); -0 is less than +0.
template <class F>
inline F wasm_min(F a, F b) {
  if (a != a || b != b) return a + b;
  if (a == b) return ffrom<F>(fbits(a) | fbits(b));
  return a < b ? a : b;
}
template <class F>
inline F wasm_max(F a, F b) {
  if (a != a || b != b) return a + b;
  if (a == b) return ffrom<F>(fbits(a) & fbits(b));
  return a > b ? a : b;
}
// pmin/pmax (SIMD): b < a ? b : a, NaNs not special.
template <class F>
inline F wasm_pmin(F a, F b) { return b < a ? b : a; }
template <class F>
inline F wasm_pmax(F a, F b) { return a < b ? b : a; }

template <class F>
inline F wasm_abs(F a) { return ffrom<F>(fbits(a) & ~sign_bit<F>()); }
template <class F>
inline F wasm_neg(F a) { return ffrom<F>(fbits(a) ^ sign_bit<F>()); }
template <class F>
inline F wasm_copysign(F a, F b) {
  return ffrom<F>((fbits(a) & ~sign_bit<F>()) | (fbits(b) & sign_bit<F>()));
}
// Rounding (ceil, floor, trunc, nearest): a NaN operand gives an arithmetic
// NaN (libm may hand a signalling NaN back unchanged). Nearest rounds ties
// to even (the default rounding mode is never changed).
template <class F>
inline F wasm_ceil(F a) { return a != a ? a + a : std::ceil(a); }
template <class F>
inline F wasm_floor(F a) { return a != a ? a + a : std::floor(a); }
template <class F>
inline F wasm_trunc_f(F a) { return a != a ? a + a : std::trunc(a); }
template <class F>
inline F wasm_nearest(F a) { return a != a ? a + a : std::nearbyint(a); }

template <class F>
constexpr F pow2(int n) {
  F r = 1;
  for (int i = 0; i < n; ++i) r *= 2;
  return r;
}

// Truncation to an integer type I: 0 and the result, or a trap code.
template <class I, class F>
inline TrapCode wasm_trunc(F x, I& out) {
  if (x != x) return trap_code(TrapKind::InvalidConversion);
  F t = std::trunc(x);
  constexpr int bits = sizeof(I) * 8;
  constexpr F lower = std::is_signed_v<I> ? -pow2<F>(bits - 1) : F(0);
  constexpr F upper = std::is_signed_v<I> ? pow2<F>(bits - 1) : pow2<F>(bits);
  if (!(t >= lower && t < upper)) return trap_code(TrapKind::IntegerOverflow);
  out = static_cast<I>(t);
  return 0;
}

template <class I, class F>
inline I wasm_trunc_sat(F x) {
  if (x != x) return 0;
  F t = std::trunc(x);
  constexpr int bits = sizeof(I) * 8;
  constexpr F lower = std::is_signed_v<I> ? -pow2<F>(bits - 1) : F(0);
  constexpr F upper = std::is_signed_v<I> ? pow2<F>(bits - 1) : pow2<F>(bits);
  if (t < lower) return std::numeric_limits<I>::min();
  if (t >= upper) return std::numeric_limits<I>::max();
  return static_cast<I>(t);
}

}  // namespace witc::rt::detail
