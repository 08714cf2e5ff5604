// `witc component new` on modules of async worlds (the async ABI of
// Concurrency.md under wit-component's names): async lifts with a callback
// or stackful, `[async-lower]` lowerings, `[task-return]`, and every family
// of canonical built-ins, each a small module spelled with wasm_builder.h.
// Each component must validate and carry the canonical definition the
// import stands for, with its options; wrong names and signatures give an
// error naming the import. (tests/compnew compares whole clang-built modules
// with `jco new`.)
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "wasm_builder.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"
#include "witc/composer/decode.h"
#include "witc/composer/embed.h"
#include "witc/composer/encode.h"
#include "witc/composer/new.h"
#include "witc/wit/wit.h"

using namespace witc;
using namespace witc::test;

namespace {

// A core function: module/name (imports) or name (exports) and its type.
struct Fn {
  std::string module, name;
  Bytes params, results;
};
Fn imp(std::string module, std::string name, Bytes params, Bytes results) {
  return {std::move(module), std::move(name), std::move(params), std::move(results)};
}
Fn exp(std::string name, Bytes params, Bytes results) { return {"", std::move(name), std::move(params), std::move(results)}; }

const Bytes I32 = {vt::i32}, I32x2 = {vt::i32, vt::i32}, I32x3 = {vt::i32, vt::i32, vt::i32}, I64 = {vt::i64}, None;

// A module with `memory`, `cabi_realloc`, the imports and the exports
// (bodies `unreachable`), its world (the only one of `wit`) embedded.
std::vector<uint8_t> module_of(const std::string& wit, const std::vector<Fn>& imports, const std::vector<Fn>& exports) {
  ModuleBuilder b;
  for (const auto& f : imports) b.import_func(f.module, f.name, b.type(f.params, f.results));
  b.memory(limits(1));
  b.export_("memory", 0x02, 0);
  uint32_t realloc = b.func(b.type({vt::i32, vt::i32, vt::i32, vt::i32}, {vt::i32}), {op::unreachable, op::end});
  b.export_("cabi_realloc", 0x00, realloc);
  for (const auto& f : exports) b.export_(f.name, 0x00, b.func(b.type(f.params, f.results), {op::unreachable, op::end}));
  Bytes core = b.build();

  wit::Resolve r;
  auto roots = wit::load_text(r, "async.wit", wit);
  REQUIRE_MESSAGE(roots.has_value(), (roots ? "" : render(roots.error())));
  auto world = compose::select_world(r, *roots, std::nullopt);
  REQUIRE(world.has_value());
  auto embedded = compose::embed_world(core, r, *world);
  REQUIRE_MESSAGE(embedded.has_value(), (embedded ? "" : render(embedded.error())));
  return std::move(*embedded);
}

// The component of a module; it must validate.
bin::Component component_of(const std::vector<uint8_t>& core) {
  auto c = compose::component_new(core);
  REQUIRE_MESSAGE(c.has_value(), (c ? "" : render(c.error())));
  auto v = bin::validate_component_binary(*c, bin::ComponentFeatures::all());
  REQUIRE_MESSAGE(v.has_value(), (v ? "" : render(v.error())));
  auto read = bin::read_component(std::move(*c));
  REQUIRE(read.has_value());
  return std::move(*read);
}

std::string error_of(const std::vector<uint8_t>& core) {
  auto c = compose::component_new(core);
  REQUIRE_FALSE(c.has_value());
  return render(c.error());
}

std::vector<bin::CanonDef> canons(const bin::Component& c, bin::CanonKind k) {
  std::vector<bin::CanonDef> out;
  for (const auto& d : c.canons) {
    if (d.kind == k) out.push_back(d);
  }
  return out;
}

// The canonical definition of kind `k` (there must be exactly one).
bin::CanonDef one(const bin::Component& c, bin::CanonKind k) {
  auto all = canons(c, k);
  CAPTURE(bin::canon_name(k));
  REQUIRE(all.size() == 1);
  return all[0];
}

bool has(const bin::CanonDef& d, bin::CanonOpt::Kind k) {
  return std::any_of(d.opts.begin(), d.opts.end(), [&](const bin::CanonOpt& o) { return o.kind == k; });
}

// The option kinds of a definition, sorted ("memory realloc utf8 async").
std::string opts(const bin::CanonDef& d) {
  using K = bin::CanonOpt::Kind;
  std::vector<std::string> names;
  for (const auto& o : d.opts) {
    switch (o.kind) {
      case K::Utf8: names.push_back("utf8"); break;
      case K::Utf16: names.push_back("utf16"); break;
      case K::Latin1Utf16: names.push_back("latin1+utf16"); break;
      case K::Memory: names.push_back("memory"); break;
      case K::Realloc: names.push_back("realloc"); break;
      case K::PostReturn: names.push_back("post-return"); break;
      case K::Async: names.push_back("async"); break;
      case K::Callback: names.push_back("callback"); break;
    }
  }
  std::sort(names.begin(), names.end());
  std::string s;
  for (const auto& n : names) s += (s.empty() ? "" : " ") + n;
  return s;
}

// The defined type a built-in names.
const bin::DefinedType& type_at(const bin::Component& c, uint32_t index) {
  // Count the type index space: imports and exports of types, aliases of
  // types, type definitions.
  uint32_t n = 0;
  for (const auto& s : c.sections) {
    for (uint32_t i = s.first; i < s.first + s.count; ++i) {
      bool is_type = false;
      const bin::TypeDef* def = nullptr;
      switch (s.id) {
        case bin::ComponentSectionId::Type:
          is_type = true;
          def = &c.types[i];
          break;
        case bin::ComponentSectionId::Alias: is_type = c.aliases[i].sort == bin::Sort::Type; break;
        case bin::ComponentSectionId::Import: is_type = c.imports[i].desc.kind == bin::ExternDesc::Kind::Type; break;
        case bin::ComponentSectionId::Export: is_type = c.exports[i].item.sort == bin::Sort::Type; break;
        default: break;
      }
      if (!is_type) continue;
      if (n++ == index) {
        REQUIRE_MESSAGE(def != nullptr, "the type is not defined here");
        REQUIRE(def->kind == bin::TypeDef::Kind::Defined);
        return def->defined;
      }
    }
  }
  FAIL("no type " << index);
  static bin::DefinedType none;
  return none;
}

std::string wit_of(const std::vector<uint8_t>& core) {
  auto c = compose::component_new(core);
  REQUIRE(c.has_value());
  auto d = compose::decode_component_binary(*c);
  REQUIRE_MESSAGE(d.has_value(), (d ? "" : render(d.error())));
  return compose::print_main_package(*d);
}

using CK = bin::CanonKind;
using OK = bin::CanonOpt::Kind;

const char* kRun = R"(package t:a;
world w { export run: async func(s: string) -> string; }
)";

}  // namespace

TEST_CASE("new async: an [async-lift] export lifts with `async` and its callback, and returns through task.return") {
  auto core = module_of(kRun, {imp("[export]$root", "[task-return]run", I32x2, None)},
                        {exp("[async-lift]run", I32x2, I32), exp("[callback][async-lift]run", I32x3, I32)});
  auto c = component_of(core);
  auto lift = one(c, CK::Lift);
  CHECK(opts(lift) == "async callback memory realloc utf8");
  CHECK_FALSE(has(lift, OK::PostReturn));
  auto ret = one(c, CK::TaskReturn);
  REQUIRE(ret.result.has_value());
  CHECK(ret.result->is_prim);
  CHECK(ret.result->prim == bin::PrimValType::String);
  CHECK(opts(ret) == "memory utf8");  // task.return lifts the result: no realloc
  CHECK(wit_of(core).find("export run: async func(s: string) -> string;") != std::string::npos);
}

TEST_CASE("new async: an [async-lift-stackful] export lifts with `async` and no callback") {
  auto core = module_of(kRun, {imp("[export]$root", "[task-return]run", I32x2, None)},
                        {exp("[async-lift-stackful]run", I32x2, None)});
  auto c = component_of(core);
  CHECK(opts(one(c, CK::Lift)) == "async memory realloc utf8");
}

TEST_CASE("new async: task.return of interface functions, with and without a result") {
  const char* wit = R"(package t:a;
interface api {
  record point { x: s32, y: s32 }
  none: async func();
  many: async func() -> tuple<string, string, string, string, string, string, string, string, point>;
}
world w { export api; }
)";
  auto core = module_of(wit,
                        {imp("[export]t:a/api", "[task-return]none", None, None),
                         imp("[export]t:a/api", "[task-return]many", I32, None)},
                        {exp("[async-lift]t:a/api#none", None, I32), exp("[callback][async-lift]t:a/api#none", I32x3, I32),
                         exp("[async-lift]t:a/api#many", None, I32), exp("[callback][async-lift]t:a/api#many", I32x3, I32)});
  auto c = component_of(core);
  auto rets = canons(c, CK::TaskReturn);
  REQUIRE(rets.size() == 2);
  CHECK_FALSE(rets[0].result.has_value());
  CHECK(opts(rets[0]).empty());
  // 18 flat values, more than 16: one pointer into the module's memory.
  REQUIRE(rets[1].result.has_value());
  CHECK_FALSE(rets[1].result->is_prim);
  CHECK(type_at(c, rets[1].result->index).kind == bin::DefinedType::Kind::Tuple);
  CHECK(opts(rets[1]) == "memory utf8");
}

TEST_CASE("new async: [async-lower] lowers an async import with `async`; the same function may be lowered sync") {
  const char* wit = R"(package t:a;
interface i { f: async func(a: u32, b: u32, c: u32, d: u32, e: u32) -> string; }
world w { import i; import g: async func(x: u32); }
)";
  // Async: more than 4 flat parameters go through memory, the result is
  // written to memory (realloc for the string).
  auto core = module_of(wit, {imp("t:a/i", "[async-lower]f", I32x2, I32), imp("$root", "[async-lower]g", I32, I32)},
                        {});
  auto c = component_of(core);
  auto lowers = canons(c, CK::Lower);
  REQUIRE(lowers.size() == 2);
  std::vector<std::string> both = {opts(lowers[0]), opts(lowers[1])};
  std::sort(both.begin(), both.end());
  CHECK(both == std::vector<std::string>{"async", "async memory realloc utf8"});
  auto sync = component_of(module_of(wit, {imp("t:a/i", "f", {vt::i32, vt::i32, vt::i32, vt::i32, vt::i32, vt::i32}, None)}, {}));
  CHECK(opts(one(sync, CK::Lower)) == "memory realloc utf8");
  CHECK(wit_of(core).find("import g: async func(x: u32);") != std::string::npos);
}

TEST_CASE("new async: waitable sets") {
  auto core = module_of(kRun,
                        {imp("$root", "[waitable-set-new]", None, I32), imp("$root", "[waitable-set-wait]", I32x2, I32),
                         imp("$root", "[waitable-set-poll]", I32x2, I32), imp("$root", "[waitable-set-drop]", I32, None),
                         imp("$root", "[waitable-join]", I32x2, None),
                         imp("$root", "[cancellable][waitable-set-poll]", I32x2, I32)},
                        {exp("run", I32x2, I32)});
  auto c = component_of(core);
  one(c, CK::WaitableSetNew);
  one(c, CK::WaitableSetDrop);
  one(c, CK::WaitableJoin);
  CHECK_FALSE(one(c, CK::WaitableSetWait).flag);
  auto polls = canons(c, CK::WaitableSetPoll);
  REQUIRE(polls.size() == 2);
  CHECK_FALSE(polls[0].flag);
  CHECK(polls[1].flag);  // cancellable
}

TEST_CASE("new async: subtasks") {
  auto core = module_of(kRun,
                        {imp("$root", "[subtask-drop]", I32, None), imp("$root", "[subtask-cancel]", I32, I32),
                         imp("$root", "[async-lower][subtask-cancel]", I32, I32)},
                        {exp("run", I32x2, I32)});
  auto c = component_of(core);
  one(c, CK::SubtaskDrop);
  auto cancels = canons(c, CK::SubtaskCancel);
  REQUIRE(cancels.size() == 2);
  CHECK_FALSE(cancels[0].flag);
  CHECK(cancels[1].flag);  // async
}

TEST_CASE("new async: streams of an imported function, by the index of the stream in its signature") {
  const char* wit = R"(package t:a;
interface i { f: func(s: stream<u8>) -> stream<string>; }
world w { import i; }
)";
  auto core = module_of(wit,
                        {imp("t:a/i", "f", I32, I32), imp("t:a/i", "[stream-new-1]f", None, I64),
                         imp("t:a/i", "[async-lower][stream-read-1]f", I32x3, I32),
                         imp("t:a/i", "[stream-write-1]f", I32x3, I32),
                         imp("t:a/i", "[async-lower][stream-cancel-read-1]f", I32, I32),
                         imp("t:a/i", "[stream-cancel-write-1]f", I32, I32),
                         imp("t:a/i", "[stream-drop-readable-1]f", I32, None),
                         imp("t:a/i", "[stream-drop-writable-1]f", I32, None), imp("t:a/i", "[stream-new-0]f", None, I64)},
                        {});
  auto c = component_of(core);
  auto news = canons(c, CK::StreamNew);
  REQUIRE(news.size() == 2);
  const auto& strings = type_at(c, news[0].type);
  REQUIRE(strings.kind == bin::DefinedType::Kind::Stream);
  REQUIRE(strings.a.has_value());
  CHECK(strings.a->prim == bin::PrimValType::String);
  const auto& bytes = type_at(c, news[1].type);
  REQUIRE(bytes.a.has_value());
  CHECK(bytes.a->prim == bin::PrimValType::U8);
  auto read = one(c, CK::StreamRead);
  CHECK(opts(read) == "async memory realloc utf8");  // strings are allocated in the reader's memory
  CHECK(opts(one(c, CK::StreamWrite)) == "memory utf8");
  CHECK(one(c, CK::StreamCancelRead).flag);
  CHECK_FALSE(one(c, CK::StreamCancelWrite).flag);
  one(c, CK::StreamDropReadable);
  one(c, CK::StreamDropWritable);
}

TEST_CASE("new async: streams of a function the world imports, from `$root`") {
  const char* wit = "package t:a;\nworld w { import f: func() -> stream<list<u8>>; }\n";
  auto core = module_of(wit,
                        {imp("$root", "[stream-new-0]f", None, I64), imp("$root", "[stream-read-0]f", I32x3, I32),
                         imp("$root", "[async-lower][stream-write-0]f", I32x3, I32)},
                        {});
  auto c = component_of(core);
  const auto& lists = type_at(c, one(c, CK::StreamNew).type);
  REQUIRE(lists.kind == bin::DefinedType::Kind::Stream);
  CHECK(opts(one(c, CK::StreamRead)) == "memory realloc");
  CHECK(opts(one(c, CK::StreamWrite)) == "async memory");
  // Only the function's types are needed: the function is not imported.
  CHECK(canons(c, CK::Lower).empty());
  CHECK(error_of(module_of(wit, {imp("$root", "[async-lower][stream-new-0]g", None, I64)}, {})) ==
        "module imports `[async-lower][stream-new-0]g` from `$root`, but there is no imported function `g` for it to "
        "refer to");
}

TEST_CASE("new async: futures of exported functions, and of an exported interface's resource") {
  const char* wit = R"(package t:a;
interface out {
  resource blob { constructor(); }
  blobs: func() -> future<blob>;
}
world w {
  export out;
  export later: func() -> future<list<u32>>;
}
)";
  auto core = module_of(wit,
                        {imp("[export]t:a/out", "[resource-new]blob", I32, I32),
                         imp("[export]t:a/out", "[future-new-0]blobs", None, I64),
                         imp("[export]t:a/out", "[future-write-0]blobs", I32x2, I32),
                         imp("[export]$root", "[future-new-0]later", None, I64),
                         imp("[export]$root", "[async-lower][future-read-0]later", I32x2, I32),
                         imp("[export]$root", "[future-cancel-read-0]later", I32, I32),
                         imp("[export]$root", "[async-lower][future-cancel-write-0]later", I32, I32),
                         imp("[export]$root", "[future-drop-readable-0]later", I32, None),
                         imp("[export]$root", "[future-drop-writable-0]later", I32, None)},
                        {exp("t:a/out#[constructor]blob", None, I32), exp("t:a/out#blobs", None, I32),
                         exp("later", None, I32)});
  auto c = component_of(core);
  auto news = canons(c, CK::FutureNew);
  REQUIRE(news.size() == 2);
  const auto& blobs = type_at(c, news[0].type);
  REQUIRE(blobs.kind == bin::DefinedType::Kind::Future);
  REQUIRE(blobs.a.has_value());
  CHECK(type_at(c, blobs.a->index).kind == bin::DefinedType::Kind::Own);  // of the component's own resource
  CHECK(type_at(c, news[1].type).kind == bin::DefinedType::Kind::Future);
  CHECK(opts(one(c, CK::FutureWrite)) == "memory");
  CHECK(opts(one(c, CK::FutureRead)) == "async memory realloc");
  CHECK_FALSE(one(c, CK::FutureCancelRead).flag);
  CHECK(one(c, CK::FutureCancelWrite).flag);
  one(c, CK::FutureDropReadable);
  one(c, CK::FutureDropWritable);
}

TEST_CASE("new async: error-context in each string encoding") {
  auto core = module_of(kRun,
                        {imp("$root", "[error-context-new-utf8]", I32x2, I32),
                         imp("$root", "[error-context-new-utf16]", I32x2, I32),
                         imp("$root", "[error-context-debug-message-latin1+utf16]", I32x2, None),
                         imp("$root", "[error-context-drop]", I32, None)},
                        {exp("run", I32x2, I32)});
  auto c = component_of(core);
  auto news = canons(c, CK::ErrorContextNew);
  REQUIRE(news.size() == 2);
  CHECK(opts(news[0]) == "memory utf8");
  CHECK(opts(news[1]) == "memory utf16");
  CHECK(opts(one(c, CK::ErrorContextDebugMessage)) == "latin1+utf16 memory realloc");
  one(c, CK::ErrorContextDrop);
}

TEST_CASE("new async: context, backpressure, thread.yield, task.cancel") {
  auto core = module_of(kRun,
                        {imp("$root", "[context-get-0]", None, I32), imp("$root", "[context-set-1]", I32, None),
                         imp("$root", "[backpressure-inc]", None, None), imp("$root", "[backpressure-dec]", None, None),
                         imp("$root", "[thread-yield]", None, I32),
                         imp("[export]$root", "[task-cancel]", None, None)},
                        {exp("run", I32x2, I32)});
  auto c = component_of(core);
  auto get = one(c, CK::ContextGet);
  CHECK(get.core_type == bin::ValType::I32);
  CHECK(get.index == 0);
  CHECK(one(c, CK::ContextSet).index == 1);
  one(c, CK::BackpressureInc);
  one(c, CK::BackpressureDec);
  CHECK_FALSE(one(c, CK::ThreadYield).flag);
  one(c, CK::TaskCancel);
}

TEST_CASE("new async: a wrong built-in signature names the import and both types") {
  CHECK(error_of(module_of(kRun, {imp("$root", "[waitable-set-wait]", I32, I32)}, {exp("run", I32x2, I32)})) ==
        "type mismatch for function `[waitable-set-wait]` imported from `$root`: expected [i32 i32] -> [i32] but "
        "found [i32] -> [i32]");
  CHECK(error_of(module_of(kRun, {imp("$root", "[thread-yield]", None, None)}, {exp("run", I32x2, I32)})) ==
        "type mismatch for function `[thread-yield]` imported from `$root`: expected [] -> [i32] but found [] -> []");
  CHECK(error_of(module_of(kRun, {imp("[export]$root", "[task-return]run", I32, None)},
                           {exp("[async-lift]run", I32x2, I32), exp("[callback][async-lift]run", I32x3, I32)})) ==
        "type mismatch for function `[task-return]run` imported from `[export]$root`: expected [i32 i32] -> [] but "
        "found [i32] -> []");
  const char* wit = "package t:a;\ninterface i { f: func() -> stream<u8>; }\nworld w { import i; }\n";
  CHECK(error_of(module_of(wit, {imp("t:a/i", "[async-lower][stream-read-0]f", I32x2, I32)}, {})) ==
        "type mismatch for function `[async-lower][stream-read-0]f` imported from `t:a/i`: expected [i32 i32 i32] -> "
        "[i32] but found [i32 i32] -> [i32]");
}

TEST_CASE("new async: errors name the import that means no built-in") {
  auto err = [](std::vector<Fn> imports) { return error_of(module_of(kRun, imports, {exp("run", I32x2, I32)})); };
  CHECK(err({imp("$root", "[async-lower][waitable-set-new]", None, I32)}) ==
        "module imports `[async-lower][waitable-set-new]` from `$root`: `waitable-set.new` cannot be `[async-lower]`");
  CHECK(err({imp("$root", "[cancellable][waitable-set-new]", None, I32)}) ==
        "module imports `[cancellable][waitable-set-new]` from `$root`: only waitable-set.wait, waitable-set.poll and "
        "the thread built-ins that suspend can be `[cancellable]`");
  CHECK(err({imp("$root", "[context-get-2]", None, I32)}) ==
        "module imports `[context-get-2]` from `$root`, but a task has context slots 0 and 1 only");
  CHECK(err({imp("$root", "[backpressure-set]", I32, None)}) ==
        "module imports `[backpressure-set]` from `$root`: `backpressure.set` is no longer part of the component model "
        "(Binary.md); import `[backpressure-inc]` and `[backpressure-dec]` instead");
  CHECK(err({imp("$root", "[yield]", None, None)}).find("`yield` is now `thread.yield`, imported as `[thread-yield]`") !=
        std::string::npos);
  CHECK(err({imp("$root", "[waitable-set-frobnicate]", None, I32)}) ==
        "module imports `[waitable-set-frobnicate]` from `$root`, which is neither a canonical built-in nor a function "
        "world `w` imports");
  CHECK(err({imp("[export]$root", "[task-return]nope", None, None)}) ==
        "module imports `[task-return]nope` from `[export]$root`, but there is no exported function `nope` to return "
        "from");
  CHECK(err({imp("cm32p2", "[waitable-set-new]", None, I32)}).find("the standard `cm32p2` names have no async forms") !=
        std::string::npos);

  const char* wit = "package t:a;\ninterface i { f: func(x: future<u8>) -> stream<u8>; g: func(); }\nworld w { import i; }\n";
  CHECK(error_of(module_of(wit, {imp("t:a/i", "[stream-new-0]f", None, I64)}, {})) ==
        "module imports `[stream-new-0]f` from `t:a/i`, but function `f` has no stream at index 0 (it has 2 futures "
        "and streams)");
  CHECK(error_of(module_of(wit, {imp("t:a/i", "[future-new-2]f", None, I64)}, {})) ==
        "module imports `[future-new-2]f` from `t:a/i`, but function `f` has no future at index 2 (it has 2 futures "
        "and streams)");
  CHECK(error_of(module_of(wit, {imp("t:a/i", "[async-lower][future-new-0]f", None, I64)}, {})) ==
        "module imports `[async-lower][future-new-0]f` from `t:a/i`: `future.new` cannot be `[async-lower]`");
  CHECK(error_of(module_of(wit, {imp("t:a/i", "[async-lower]g", None, I32)}, {})) ==
        "module imports `[async-lower]g` from `t:a/i`, but `g` is not an async function, so it cannot be lowered "
        "with `async`");
  CHECK(error_of(module_of(wit, {imp("t:a/i", "[waitable-set-new]", None, I32)}, {})) ==
        "module imports `[waitable-set-new]` from `t:a/i`, which interface `t:a/i` does not define (the canonical "
        "built-ins are imported from `$root`)");
}

TEST_CASE("new async: errors name the async export that does not fit") {
  CHECK(error_of(module_of(kRun, {}, {exp("[async-lift]run", I32x2, I32)})) ==
        "module exports `[async-lift]run` but not its callback `[callback][async-lift]run`, which an async lift needs");
  CHECK(error_of(module_of(kRun, {}, {exp("[async-lift]run", I32x2, I32), exp("[callback][async-lift]run", I32, I32)})) ==
        "type mismatch for callback `[callback][async-lift]run`: expected [i32 i32 i32] -> [i32] but found [i32] -> "
        "[i32]");
  CHECK(error_of(module_of(kRun, {}, {exp("[async-lift]run", I32x2, None), exp("[callback][async-lift]run", I32x3, I32)})) ==
        "type mismatch for function `run` exported as `[async-lift]run`: expected [i32 i32] -> [i32] but found "
        "[i32 i32] -> []");
  const char* sync = "package t:a;\nworld w { export run: func(); }\n";
  CHECK(error_of(module_of(sync, {}, {exp("[async-lift]run", None, I32), exp("[callback][async-lift]run", I32x3, I32)})) ==
        "module exports `[async-lift]run`, but `run` is not an async function, so it cannot be lifted with `async`");
}
