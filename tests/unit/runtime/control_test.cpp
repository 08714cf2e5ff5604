// Exception handling (try_table, throw, throw_ref), tail calls and memory64
// on the runtime: the parts of 3.0 that wast2json 1.0.32 cannot convert.
#include "rt_check.h"

using namespace witc;
using namespace witc::test;
using rt::Val;

namespace {

// try_table with one catch clause: kind 0 catch, 1 catch_ref, 2 catch_all, 3 catch_all_ref.
Bytes try_table(uint8_t blocktype, uint8_t kind, uint32_t tag, uint32_t label) {
  Bytes c{kind};
  if (kind < 2) c += uleb(tag);
  c += uleb(label);
  return Bytes{op::try_table, blocktype, 0x01} + c;
}
Bytes throw_(uint32_t tag) { return Bytes{op::throw_} + uleb(tag); }

}  // namespace

TEST_CASE("exceptions: a tag's values reach the catch clause, across calls") {
  ModuleBuilder b;
  uint32_t tv = b.type({vt::i32}, {});
  uint32_t ti = b.type({vt::i32}, {vt::i32});
  b.tag(tv);
  // thrower(x): if x != 0 throw $e(x)
  uint32_t thrower = b.func(tv, body({lget(0), {op::if_, vt::empty}, lget(0), throw_(0), {op::end}, {op::end}}));
  // middle(x): thrower(x); return 0   (an extra frame to unwind)
  uint32_t middle = b.func(ti, body({lget(0), call(thrower), i32c(0), {op::end}}));
  // catch(x): block $h (result i32) try_table (catch $e $h) middle(x) drop end; -1 end
  uint32_t catcher = b.func(ti, body({{op::block, vt::i32}, try_table(vt::empty, 0, 0, 0), lget(0), call(middle), {op::drop},
                                      {op::end}, i32c(-1), {op::end}, {op::end}}));
  b.export_("catch", 0, catcher);
  b.export_("throw", 0, thrower);
  b.export_("e", 4, 0);
  Fixture fx(b.build());
  CHECK((*fx.call("catch", {Val::i32(42)}))[0] == Val::i32(42));
  CHECK((*fx.call("catch", {Val::i32(0)}))[0] == Val::i32(0xFFFFFFFFu));
  auto r = fx.call("throw", {Val::i32(7)});
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == rt::TrapKind::UncaughtException);
  REQUIRE(r.error().exception != nullptr);
  CHECK(r.error().exception->tag() == fx.inst->get_export("e")->as_tag());
  auto values = r.error().exception->values();
  REQUIRE(values.size() == 1);
  CHECK(values[0] == Val::i32(7));
  // The store is still usable after the uncaught exception.
  CHECK((*fx.call("catch", {Val::i32(5)}))[0] == Val::i32(5));
}

TEST_CASE("exceptions: catch_all_ref and throw_ref rethrow to an outer handler") {
  ModuleBuilder b;
  uint32_t tv = b.type({vt::i32}, {});
  uint32_t ti = b.type({vt::i32}, {vt::i32});
  b.tag(tv);
  uint32_t thrower = b.func(tv, body({lget(0), throw_(0), {op::end}}));
  // rethrow(x):
  //   block $outer (result i32)
  //     try_table (catch $e $outer)
  //       block $inner (result exnref)
  //         try_table (catch_all_ref $inner)  thrower(x)  end
  //         unreachable
  //       end
  //       throw_ref
  //     end
  //     unreachable
  //   end
  uint32_t f = b.func(ti, body({{op::block, vt::i32}, try_table(vt::empty, 0, 0, 0), {op::block, vt::exnref},
                                try_table(vt::empty, 3, 0, 0), lget(0), call(thrower), {op::end}, {op::unreachable},
                                {op::end}, {op::throw_ref}, {op::end}, {op::unreachable}, {op::end}, {op::end}}));
  b.export_("rethrow", 0, f);
  Fixture fx(b.build());
  CHECK((*fx.call("rethrow", {Val::i32(99)}))[0] == Val::i32(99));
}

TEST_CASE("exceptions: an exception crosses a host function into the wasm caller") {
  ModuleBuilder b;
  uint32_t tv = b.type({vt::i32}, {});
  uint32_t ti = b.type({vt::i32}, {vt::i32});
  uint32_t host = b.import_func("env", "host", tv);
  b.tag(tv);
  uint32_t thrower = b.func(tv, body({lget(0), throw_(0), {op::end}}));
  uint32_t f = b.func(ti, body({{op::block, vt::i32}, try_table(vt::empty, 0, 0, 0), lget(0), call(host), {op::end},
                                i32c(-1), {op::end}, {op::end}}));
  b.export_("thrower", 0, thrower);
  b.export_("f", 0, f);
  rt::Store store;
  rt::Linker linker;
  rt::Func* thrower_fn = nullptr;
  bin::FuncType ft{{bin::ValType::I32}, {}};
  linker.define("env", "host", rt::Extern::func(store.add_func(ft, [&](rt::Caller& c, std::span<const Val> a, std::span<Val>)
                                                                   -> std::expected<void, rt::Trap> {
    auto r = c.store().call(thrower_fn, a);
    if (!r) return std::unexpected(r.error());  // hands the exception back
    return {};
  })));
  auto inst = linker.instantiate(store, compile(b.build()));
  REQUIRE(inst);
  thrower_fn = (*inst)->func("thrower");
  auto r = store.call((*inst)->func("f"), std::vector{Val::i32(13)});
  REQUIRE(r);
  CHECK((*r)[0] == Val::i32(13));
}

TEST_CASE("throw_ref of null traps") {
  ModuleBuilder b;
  uint32_t t = b.type({}, {});
  b.func(t, body({{op::ref_null, vt::exnref}, {op::throw_ref}, {op::end}}));
  b.export_("f", 0, 0);
  Fixture fx(b.build());
  auto r = fx.call("f");
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == rt::TrapKind::NullReference);
}

TEST_CASE("tail calls run in constant stack") {
  ModuleBuilder b;
  uint32_t ti = b.type({vt::i32, vt::i32}, {vt::i32});
  // count(n, acc) = n == 0 ? acc : return_call count(n - 1, acc + 1)
  b.func(ti, body({lget(0), {op::i32_eqz}, {op::if_, vt::i32}, lget(1), {op::else_}, lget(0), i32c(1), {op::i32_sub}, lget(1),
                   i32c(1), {op::i32_add}, {op::return_call, 0}, {op::end}, {op::end}}));
  b.export_("count", 0, 0);
  rt::Config config;
  config.max_call_depth = 100;
  Fixture fx(b.build(), config);
  auto r = fx.call("count", {Val::i32(1'000'000), Val::i32(0)});
  REQUIRE(r);
  CHECK((*r)[0] == Val::i32(1'000'000));
}

TEST_CASE("memory64: 64-bit addresses, bounds checked without wrapping") {
  ModuleBuilder b;
  uint32_t t = b.type({vt::i64}, {vt::i64});
  b.memory(Bytes{0x04} + uleb(1));  // i64 address type, min 1
  b.func(t, body({lget(0), i64c(0x1122334455667788), {op::i64_store, 3, 0}, lget(0), {op::i64_load, 3, 0}, {op::end}}));
  b.export_("rt", 0, 0);
  Fixture fx(b.build());
  CHECK((*fx.call("rt", {Val::i64(65536 - 8)}))[0] == Val::i64(0x1122334455667788));
  auto oob = fx.call("rt", {Val::i64(65536 - 7)});
  REQUIRE_FALSE(oob);
  CHECK(oob.error().kind == rt::TrapKind::MemoryOutOfBounds);
  auto wrap = fx.call("rt", {Val::i64(UINT64_MAX - 3)});
  REQUIRE_FALSE(wrap);
  CHECK(wrap.error().kind == rt::TrapKind::MemoryOutOfBounds);
}
