// What a Store owns (private to runtime-core).
#pragma once

#include <deque>
#include <vector>

#include "code.h"

namespace witc::rt::detail {

// The largest table the runtime allocates (elements); growth beyond fails.
inline constexpr uint64_t kMaxTableElems = 10'000'000;

struct StoreState {
  std::deque<Func> funcs;
  std::deque<Memory> memories;
  std::deque<Table> tables;
  std::deque<Global> globals;
  std::deque<Tag> tags;
  std::deque<Exception> exceptions;
  std::deque<Instance> instances;
  Exec exec;
  std::vector<CallFrame> frames;
  size_t stack_bytes = 0;
};

}  // namespace witc::rt::detail
