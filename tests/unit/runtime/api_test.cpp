// The store/instance API: calls, host functions, memory, globals, tables,
// linking errors, re-entrancy.
#include "rt_check.h"

using namespace witc;
using namespace witc::test;
using rt::Val;

namespace {
constexpr uint8_t kI32Mul = 0x6C, kI32LtS = 0x48;
}

TEST_CASE("call an export; arguments are checked against the type") {
  ModuleBuilder b;
  uint32_t t = b.type({vt::i32, vt::i32}, {vt::i32});
  uint32_t f = b.func(t, body({lget(0), lget(1), {op::i32_add}, {op::end}}));
  b.export_("add", 0, f);
  Fixture fx(b.build());
  auto r = fx.call("add", {Val::i32(40), Val::i32(2)});
  REQUIRE(r);
  REQUIRE(r->size() == 1);
  CHECK((*r)[0] == Val::i32(42));
  auto wrong_count = fx.call("add", {Val::i32(1)});
  REQUIRE_FALSE(wrong_count);
  CHECK(wrong_count.error().message == "expected 2 arguments, got 1");
  auto wrong_type = fx.call("add", {Val::i32(1), Val::i64(2)});
  REQUIRE_FALSE(wrong_type);
  CHECK(wrong_type.error().message == "argument 1 has type i64, expected i32");
}

TEST_CASE("host functions: typed and raw, results, traps; the store survives") {
  ModuleBuilder b;
  uint32_t t = b.type({vt::i32}, {vt::i32});
  uint32_t twice = b.import_func("env", "twice", t);
  uint32_t fail = b.import_func("env", "fail", t);
  uint32_t f = b.func(t, body({lget(0), call(twice), call(twice), {op::end}}));
  uint32_t g = b.func(t, body({lget(0), call(fail), {op::end}}));
  b.export_("quad", 0, f);
  b.export_("fail", 0, g);
  rt::Store store;
  rt::Linker linker;
  bin::FuncType ft{{bin::ValType::I32}, {bin::ValType::I32}};
  int calls = 0;
  linker.define("env", "twice", rt::Extern::func(store.add_func(ft, [&](rt::Caller& c, std::span<const Val> a, std::span<Val> r)
                                                                    -> std::expected<void, rt::Trap> {
    ++calls;
    CHECK(c.instance() != nullptr);
    r[0] = Val::i32(a[0].as_i32() * 2);
    return {};
  })));
  linker.define("env", "fail", rt::Extern::func(store.add_func_raw(ft, [](rt::Caller&, uint64_t* io) -> std::expected<void, rt::Trap> {
    if (io[0] == 7) return std::unexpected(rt::Trap::make(rt::TrapKind::Host, "seven is not allowed"));
    io[0] = 1;
    return {};
  })));
  auto inst = linker.instantiate(store, compile(b.build()));
  REQUIRE(inst);
  auto r = store.call((*inst)->func("quad"), std::vector{Val::i32(5)});
  REQUIRE(r);
  CHECK((*r)[0] == Val::i32(20));
  CHECK(calls == 2);
  auto bad = store.call((*inst)->func("fail"), std::vector{Val::i32(7)});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().kind == rt::TrapKind::Host);
  CHECK(bad.error().message == "seven is not allowed");
  CHECK(bad.error().func_index == g);
  auto ok = store.call((*inst)->func("fail"), std::vector{Val::i32(8)});
  REQUIRE(ok);
  CHECK((*ok)[0] == Val::i32(1));
}

TEST_CASE("traps name the function and the offset, with a backtrace") {
  ModuleBuilder b;
  uint32_t t = b.type({}, {});
  uint32_t inner = b.func(t, body({{op::nop}, {op::unreachable}, {op::end}}));
  uint32_t outer = b.func(t, body({call(inner), {op::end}}));
  b.export_("outer", 0, outer);
  Bytes bytes = b.build();
  Fixture fx(bytes);
  auto r = fx.call("outer");
  REQUIRE_FALSE(r);
  const rt::Trap& trap = r.error();
  CHECK(trap.kind == rt::TrapKind::Unreachable);
  CHECK(trap.message == "unreachable");
  CHECK(trap.func_index == inner);
  CHECK(trap.offset == b.code_offset(0) + 1);  // after the nop
  REQUIRE(trap.frames.size() == 2);
  CHECK(trap.frames[1].func_index == outer);
  CHECK(trap.frames[1].offset == b.code_offset(1));
  CHECK(trap.to_string().find("called from function 1") != std::string::npos);
}

TEST_CASE("runaway recursion is the trap \"call stack exhausted\"; the store is usable afterwards") {
  ModuleBuilder b;
  uint32_t t = b.type({vt::i32}, {vt::i32});
  uint32_t f = b.func(t, body({lget(0), i32c(1), {op::i32_add}, call(0), {op::end}}));
  uint32_t id = b.func(t, body({lget(0), {op::end}}));
  b.export_("runaway", 0, f);
  b.export_("id", 0, id);
  rt::Config config;
  config.max_call_depth = 1000;
  Fixture fx(b.build(), config);
  auto r = fx.call("runaway", {Val::i32(0)});
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == rt::TrapKind::CallStackExhausted);
  CHECK(r.error().message == "call stack exhausted");
  CHECK(r.error().frames.size() >= 999);
  auto ok = fx.call("id", {Val::i32(3)});
  REQUIRE(ok);
  CHECK((*ok)[0] == Val::i32(3));
}

TEST_CASE("memory: host reads and writes, growth, the max-memory limit") {
  ModuleBuilder b;
  uint32_t t = b.type({vt::i32}, {vt::i32});
  b.memory(limits(1));
  b.func(t, body({lget(0), {op::i32_load, 2, 0}, {op::end}}));
  b.func(t, body({lget(0), {op::memory_grow, 0}, {op::end}}));
  b.export_("load", 0, 0);
  b.export_("grow", 0, 1);
  b.export_("memory", 2, 0);
  rt::Config config;
  config.max_memory_bytes = 4 * 65536;
  Fixture fx(b.build(), config);
  rt::Memory* mem = fx.inst->memory("memory");
  REQUIRE(mem != nullptr);
  CHECK(mem->size() == 65536);
  uint8_t bytes[4] = {0x78, 0x56, 0x34, 0x12};
  CHECK(mem->write(100, bytes));
  CHECK((*fx.call("load", {Val::i32(100)}))[0] == Val::i32(0x12345678));
  CHECK_FALSE(mem->write(65534, bytes));
  auto oob = fx.call("load", {Val::i32(65533)});
  REQUIRE_FALSE(oob);
  CHECK(oob.error().kind == rt::TrapKind::MemoryOutOfBounds);
  CHECK((*fx.call("grow", {Val::i32(3)}))[0] == Val::i32(1));
  CHECK(mem->pages() == 4);
  CHECK((*fx.call("grow", {Val::i32(1)}))[0] == Val::i32(UINT32_MAX));  // past max-memory
  CHECK((*fx.call("load", {Val::i32(4 * 65536 - 4)}))[0] == Val::i32(0));

  ModuleBuilder big;
  big.memory(limits(5));
  auto m = compile(big.build(), config);
  rt::Store store(config);
  auto inst = store.instantiate(m, {});
  REQUIRE_FALSE(inst);
  CHECK(inst.error().kind == rt::TrapKind::Resource);
}

TEST_CASE("fuel bounds execution; refuelling lets the store run again") {
  ModuleBuilder b;
  uint32_t t = b.type({}, {});
  uint32_t ti = b.type({vt::i32}, {vt::i32});
  b.func(t, body({{op::loop, vt::empty}, {op::br, 0}, {op::end}, {op::end}}));
  // count(n): loop until n is 0, return 1 (8 instructions per iteration)
  b.func(ti, body({{op::block, vt::empty}, {op::loop, vt::empty}, lget(0), {op::i32_eqz}, {op::br_if, 1}, lget(0), i32c(1),
                   {op::i32_sub}, lset(0), {op::br, 0}, {op::end}, {op::end}, i32c(1), {op::end}}));
  b.export_("spin", 0, 0);
  b.export_("count", 0, 1);
  rt::Config config;
  config.consume_fuel = true;
  Fixture fx(b.build(), config);
  fx.store.set_fuel(10'000);
  auto r = fx.call("spin");
  REQUIRE_FALSE(r);
  CHECK(r.error().kind == rt::TrapKind::OutOfFuel);
  CHECK(r.error().message == "all fuel consumed");
  CHECK(fx.store.fuel() == 0);
  fx.store.set_fuel(10'000);
  REQUIRE(fx.call("count", {Val::i32(100)}));
  CHECK(fx.store.fuel() < 10'000 - 700);
  CHECK(fx.store.fuel() > 10'000 - 1000);
  CHECK_FALSE(fx.call("count", {Val::i32(10'000)}));  // needs ~80,000
}

TEST_CASE("globals and tables from the host; call_indirect through a host-set table") {
  ModuleBuilder b;
  uint32_t ti = b.type({}, {vt::i32});
  uint32_t tc = b.type({vt::i32}, {vt::i32});
  b.table(vt::funcref, limits(2, 10));
  b.global(vt::i32, true, i32c(5) + Bytes{op::end});
  uint32_t seven = b.func(ti, body({i32c(7), {op::end}}));
  uint32_t get = b.func(ti, body({{op::global_get, 0}, {op::end}}));
  uint32_t dispatch = b.func(tc, body({lget(0), {op::call_indirect}, uleb(ti), {0}, {op::end}}));
  b.export_("seven", 0, seven);
  b.export_("get", 0, get);
  b.export_("dispatch", 0, dispatch);
  b.export_("g", 3, 0);
  b.export_("t", 1, 0);
  Fixture fx(b.build());
  rt::Global* g = fx.inst->global("g");
  REQUIRE(g);
  CHECK(g->get() == Val::i32(5));
  CHECK(g->set(Val::i32(9)));
  CHECK_FALSE(g->set(Val::i64(9)));
  CHECK((*fx.call("get"))[0] == Val::i32(9));
  rt::Table* tab = fx.inst->table("t");
  REQUIRE(tab);
  CHECK(tab->size() == 2);
  auto empty = fx.call("dispatch", {Val::i32(1)});
  REQUIRE_FALSE(empty);
  CHECK(empty.error().kind == rt::TrapKind::UninitializedElement);
  CHECK(empty.error().message == "uninitialized element 1");
  CHECK(tab->set(1, Val::funcref(fx.inst->func("seven"))));
  CHECK((*fx.call("dispatch", {Val::i32(1)}))[0] == Val::i32(7));
  CHECK(tab->grow(3, Val::null(bin::ValType::FuncRef)) == 2);
  CHECK(tab->size() == 5);
  CHECK(tab->grow(6, Val::null(bin::ValType::FuncRef)) == -1);
  auto past = fx.call("dispatch", {Val::i32(5)});
  REQUIRE_FALSE(past);
  CHECK(past.error().message == "undefined element 5");
  // A function of another type in the table.
  CHECK(tab->set(0, Val::funcref(fx.inst->func("dispatch"))));
  auto mismatch = fx.call("dispatch", {Val::i32(0)});
  REQUIRE_FALSE(mismatch);
  CHECK(mismatch.error().kind == rt::TrapKind::IndirectCallTypeMismatch);
}

TEST_CASE("linking: unknown and incompatible imports are refused before anything runs") {
  ModuleBuilder b;
  uint32_t t = b.type({vt::i32}, {});
  b.import_func("env", "f", t);
  Bytes bytes = b.build();
  rt::Store store;
  rt::Linker linker;
  auto missing = linker.instantiate(store, compile(bytes));
  REQUIRE_FALSE(missing);
  CHECK(missing.error().kind == rt::TrapKind::Link);
  CHECK(missing.error().message == "unknown import: env::f");
  bin::FuncType other{{bin::ValType::I64}, {}};
  linker.define("env", "f", rt::Extern::func(store.add_func_raw(other, [](rt::Caller&, uint64_t*) -> std::expected<void, rt::Trap> { return {}; })));
  auto wrong = linker.instantiate(store, compile(bytes));
  REQUIRE_FALSE(wrong);
  CHECK(wrong.error().message == "incompatible import type: env::f");
}

TEST_CASE("re-entrancy: a host function calls back into wasm") {
  ModuleBuilder b;
  uint32_t t = b.type({vt::i32}, {vt::i32});
  uint32_t back = b.import_func("env", "back", t);
  // fact(n) = n < 2 ? 1 : n * back(n - 1), where back calls fact again
  uint32_t fact = b.func(t, body({lget(0), i32c(2), {kI32LtS}, {op::if_, vt::i32}, i32c(1), {op::else_}, lget(0), lget(0),
                                  i32c(1), {op::i32_sub}, call(back), {kI32Mul}, {op::end}, {op::end}}));
  b.export_("fact", 0, fact);
  rt::Store store;
  rt::Linker linker;
  rt::Func* fact_fn = nullptr;
  bin::FuncType ft{{bin::ValType::I32}, {bin::ValType::I32}};
  linker.define("env", "back", rt::Extern::func(store.add_func(ft, [&](rt::Caller& c, std::span<const Val> a, std::span<Val> r)
                                                                   -> std::expected<void, rt::Trap> {
    auto x = c.store().call(fact_fn, a);
    if (!x) return std::unexpected(x.error());
    r[0] = (*x)[0];
    return {};
  })));
  auto inst = linker.instantiate(store, compile(b.build()));
  REQUIRE(inst);
  fact_fn = (*inst)->func("fact");
  auto r = store.call(fact_fn, std::vector{Val::i32(10)});
  REQUIRE(r);
  CHECK((*r)[0] == Val::i32(3628800));
}

TEST_CASE("multiple results, v128 values, i64 parameters") {
  ModuleBuilder b;
  uint32_t t = b.type({vt::i64, vt::v128}, {vt::v128, vt::i64, vt::i32});
  b.func(t, body({lget(1), lget(0), i32c(-1), {op::end}}));
  b.export_("swap", 0, 0);
  Fixture fx(b.build());
  rt::V128 v = rt::V128::from(0x0123456789abcdefull, 0xfedcba9876543210ull);
  auto r = fx.call("swap", {Val::i64(1ull << 40), Val::v128(v)});
  REQUIRE(r);
  REQUIRE(r->size() == 3);
  CHECK((*r)[0].as_v128() == v);
  CHECK((*r)[1] == Val::i64(1ull << 40));
  CHECK((*r)[2] == Val::i32(0xFFFFFFFFu));
}
