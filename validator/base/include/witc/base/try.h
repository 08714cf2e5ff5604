// Early return on an unexpected Expected.
//   WITC_TRY(expr);                 propagates expr's error
//   WITC_TRY_VAL(auto x, expr);     declares x = *expr or propagates the error
#pragma once

#include <utility>

#include "witc/base/diagnostic.h"

#define WITC_CAT_(a, b) a##b
#define WITC_CAT(a, b) WITC_CAT_(a, b)

#define WITC_TRY(expr)                                                          \
  do {                                                                          \
    auto witc_try_r_ = (expr);                                                  \
    if (!witc_try_r_) return ::witc::fail(std::move(witc_try_r_.error()));      \
  } while (0)

#define WITC_TRY_VAL_(decl, expr, tmp)                          \
  auto tmp = (expr);                                            \
  if (!tmp) return ::witc::fail(std::move(tmp.error()));        \
  decl = std::move(*tmp)

#define WITC_TRY_VAL(decl, expr) WITC_TRY_VAL_(decl, expr, WITC_CAT(witc_try_v_, __LINE__))

// Assigns the value of an Expected to an existing lvalue or propagates its
// error; a statement of its own (safe between case labels).
#define WITC_ASSIGN(lhs, expr)                                                   \
  do {                                                                           \
    auto witc_assign_r_ = (expr);                                                \
    if (!witc_assign_r_) return ::witc::fail(std::move(witc_assign_r_.error())); \
    lhs = std::move(*witc_assign_r_);                                            \
  } while (0)
