// Private: discard(), and WITC_ASSIGN (now in witc/base/try.h).
#pragma once

#include <utility>

#include "witc/base/diagnostic.h"
#include "witc/base/try.h"

namespace witc::bin::detail {
// The error of an Expected, or success (GCC 12's std::expected has no
// transform()).
template <class T>
Expected<void> discard(Expected<T>&& r) {
  if (!r) return fail(std::move(r.error()));
  return {};
}
}  // namespace witc::bin::detail
