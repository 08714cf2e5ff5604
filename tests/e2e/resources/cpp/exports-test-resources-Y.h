// The exported resource `y` of the `leaf` world: a boxed s32.
#pragma once
#include <cstdint>
#include <utility>
#include "wit.h"

namespace exports::test::resources {
class Y : public wit::ResourceExportBase<Y> {
    int32_t value;

 public:
    static void Dtor(Y* self) { delete self; }
    explicit Y(int32_t a) : value(a) {}
    static Owned New(int32_t a) { return Owned(new Y(a)); }
    int32_t GetA() { return value; }
    void SetA(int32_t a) { value = a; }
    static Owned Add(Owned y, int32_t a) {
        y->value += a;
        return y;
    }
    static int32_t ResourceNew(Y* self);
    static Y* ResourceRep(int32_t id);
    static void ResourceDrop(int32_t id);
};
}  // namespace exports::test::resources
