// The guest's resource `counter` of witc:values/guest.
#pragma once
#include <cstdint>
#include <utility>

#include "wit.h"

namespace exports::witc::values::guest {
class Counter : public wit::ResourceExportBase<Counter> {
  int64_t value_;

 public:
  explicit Counter(int64_t start) : value_(start) {}
  static void Dtor(Counter* self) { delete self; }
  static Owned New(int64_t start) { return Owned(new Counter(start)); }
  int64_t Add(int64_t n) { return value_ += n; }
  int64_t Value() const { return value_; }
  static Owned Merge(Owned a, std::reference_wrapper<const Counter> b) {
    a->value_ += b.get().value_;
    return a;
  }
  static int32_t ResourceNew(Counter* self);
  static Counter* ResourceRep(int32_t id);
  static void ResourceDrop(int32_t id);
};
}  // namespace exports::witc::values::guest
