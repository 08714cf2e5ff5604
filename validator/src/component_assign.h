// Private: WITC_ASSIGN, the companion of try.h's WITC_TRY_VAL for existing
// lvalues.
#pragma once

#include <utility>

#include "witc/base/diagnostic.h"

// Assigns the value of an Expected to an existing lvalue or propagates its
// error; a statement of its own (safe between case labels).
#define WITC_ASSIGN(lhs, expr)                                          \
  do {                                                                  \
    auto witc_assign_r_ = (expr);                                       \
    if (!witc_assign_r_) return ::witc::fail(std::move(witc_assign_r_.error())); \
    lhs = std::move(*witc_assign_r_);                                   \
  } while (0)

namespace witc::bin::detail {
// The error of an Expected, or success (GCC 12's std::expected has no
// transform()).
template <class T>
Expected<void> discard(Expected<T>&& r) {
  if (!r) return fail(std::move(r.error()));
  return {};
}
}  // namespace witc::bin::detail
