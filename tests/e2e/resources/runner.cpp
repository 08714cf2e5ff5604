// The `runner` world of wit-bindgen-runtime/resources in C++ (upstream has
// it only in other languages): every call of the `exports` interface the
// middle component implements, with owned and borrowed handles, statics and
// the destruction count of `z`.
#include <assert.h>
#include <runner_cpp.h>

void exports::runner::Run() {
    using namespace ::test::resources;

    X x(5);
    assert(x.GetA() == 5);
    x.SetA(10);
    assert(x.GetA() == 10);

    Z z1(10);
    assert(z1.GetA() == 10);
    Z z2(20);
    assert(z2.GetA() == 20);

    X xadd = X::Add(std::move(x), 5);
    assert(xadd.GetA() == 15);

    Z zadd = Add(z1, z2);
    assert(zadd.GetA() == 30);

    uint32_t dropped_start = Z::NumDropped();
    {
        Z gone1 = std::move(z1);
        Z gone2 = std::move(z2);
    }
    Consume(std::move(xadd));
    uint32_t dropped_end = Z::NumDropped();
    if (dropped_start != 0) {
        assert(dropped_end == dropped_start + 2);
    }

    assert(TestImports().has_value());

    KebabCase k(2);
    assert(k.GetA() == 2);
    assert(KebabCase::TakeOwned(std::move(k)) == 2);
}
