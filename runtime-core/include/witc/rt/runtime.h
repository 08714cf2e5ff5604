// The WebAssembly runtime: compile modules, instantiate them in a store, call
// their exports, give them host functions (core spec 4, "Execution").
//
//   auto mod = rt::Module::compile(bytes);          // validate + compile
//   rt::Store store;                                // owns every runtime object
//   rt::Linker linker;                              // (module, name) -> Extern
//   linker.define("env", "log", rt::Extern::func(store.add_func(type, fn)));
//   auto inst = linker.instantiate(store, **mod);   // Result<Instance*>
//   auto out = store.call((*inst)->func("run"), {rt::Val::i32(7)});
//
// Compiling validates the module (validator/) and translates each function
// body once into the interpreter's internal code; a Module is immutable and
// may be instantiated any number of times, in any number of stores.
//
// A Store owns everything instantiation and the host create: functions,
// memories, tables, globals, tags, exceptions, instances. Objects are handed
// out as plain pointers that stay valid as long as the store lives. A store
// is single-threaded. Execution never throws: traps come back as
// rt::Trap values (trap.h) and the store remains usable; a host function may
// call back into the store (re-entrancy), up to the configured call depth.
//
// Resource limits live in Config: the wasm call depth (runaway recursion is
// the trap "call stack exhausted", never a native stack overflow), the value
// stack size, the largest memory, and fuel (a budget of executed
// instructions, see Store::set_fuel).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bin/features.h"
#include "witc/bin/module.h"
#include "witc/bin/types.h"
#include "witc/bin/validate.h"
#include "witc/rt/trap.h"
#include "witc/rt/value.h"

namespace witc::rt {

namespace detail {
struct Compiled;
struct FuncCode;
struct StoreState;
}  // namespace detail

class Store;
class Instance;

struct Config {
  // Features the module reader and validator accept (default: all implemented).
  bin::Features features = bin::Features::all();
  // Compile fuel checks into the code: every function entry and loop
  // iteration charges the number of instructions it runs straight through.
  // Without it Store::set_fuel has no effect (and the code is a bit faster).
  bool consume_fuel = false;
  // The largest size one memory may have, in bytes: instantiation fails
  // beyond it (TrapKind::Resource) and memory.grow returns -1.
  uint64_t max_memory_bytes = uint64_t{4} << 30;
  // The deepest nesting of wasm calls before "call stack exhausted".
  uint32_t max_call_depth = 50'000;
  // The size of the value stack (locals and operands of all active calls).
  uint64_t value_stack_bytes = uint64_t{64} << 20;
};

// A validated and compiled module.
class Module {
 public:
  // Reads, validates (under config.features) and compiles a binary module.
  // Errors are the validator's: "<message> (at offset 0x…)".
  static Expected<std::shared_ptr<const Module>> compile(std::span<const uint8_t> bytes,
                                                         const Config& config = {});

  const bin::Module& binary() const;
  const bin::ModuleInfo& info() const;
  // The type of function `func` (imports counted).
  const bin::FuncType& func_type(uint32_t func) const { return info().func_type(binary(), func); }

  ~Module();
  // internal
  std::unique_ptr<detail::Compiled> compiled_;
};

// A function: defined by a module instance or by the host.
class Func {
 public:
  const bin::FuncType& type() const { return *type_; }
  bool is_host() const { return instance_ == nullptr; }

  // internal
  uint32_t type_id_ = 0;                   // canonical id: equal ids, equal types
  const bin::FuncType* type_ = nullptr;    // canonical, lives for the process
  Instance* instance_ = nullptr;           // defining instance (wasm functions)
  const detail::FuncCode* code_ = nullptr;  // compiled body (wasm functions)
  uint32_t index_ = 0;                     // index in the defining module
  uint32_t param_slots_ = 0;               // 8-byte slots of the parameters / results
  uint32_t result_slots_ = 0;
  std::function<std::expected<void, Trap>(class Caller&, uint64_t*)> host_;
};

// A linear memory (core spec 4.2.8). The bytes stay at the same address
// while the memory grows up to the space reserved at creation.
class Memory {
 public:
  uint8_t* data() const { return base_; }
  uint64_t size() const { return size_; }  // bytes
  uint64_t pages() const { return size_ >> 16; }
  const bin::MemoryType& type() const { return type_; }
  // Grows by `delta` pages of 64 KiB, zero-filled; returns the old size in
  // pages, or -1 if the maximum, the address type or Config::max_memory_bytes
  // forbids it.
  int64_t grow(uint64_t delta);
  // Bounds-checked copies; false (and nothing copied) if out of bounds.
  bool read(uint64_t addr, std::span<uint8_t> out) const;
  bool write(uint64_t addr, std::span<const uint8_t> in);

  Memory() = default;
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;
  ~Memory();

  // internal
  uint8_t* base_ = nullptr;
  uint64_t size_ = 0;
  uint64_t reserved_ = 0;   // bytes of address space mapped at base_
  uint64_t max_pages_ = 0;  // effective limit (type, address type, config)
  bin::MemoryType type_;
};

// A table of references (core spec 4.2.7).
class Table {
 public:
  uint64_t size() const { return elems_.size(); }
  const bin::TableType& type() const { return type_; }
  std::optional<Val> get(uint64_t i) const;
  bool set(uint64_t i, const Val& v);  // false if out of bounds or of the wrong type
  // Returns the old size, or -1 past the maximum.
  int64_t grow(uint64_t delta, const Val& init);

  // internal
  std::vector<uint64_t> elems_;  // reference words (value.h)
  uint64_t max_ = 0;
  bin::TableType type_;
};

class Global {
 public:
  const bin::GlobalType& type() const { return type_; }
  Val get() const { return Val{type_.type, value_[0], value_[1]}; }
  // Sets a mutable or immutable global from the host (types must match).
  bool set(const Val& v);

  // internal
  uint64_t value_[2] = {0, 0};
  bin::GlobalType type_;
};

// An exception tag (exception handling): identity plus a parameter type.
class Tag {
 public:
  const bin::FuncType& type() const { return *type_; }
  // internal
  const bin::FuncType* type_ = nullptr;
};

// A thrown exception (exnref): its tag and its values.
class Exception {
 public:
  const Tag* tag() const { return tag_; }
  std::vector<Val> values() const;
  // internal
  const Tag* tag_ = nullptr;
  std::vector<uint64_t> payload_;  // slots: one word per value, two for v128
};

// Anything that can be imported or exported.
struct Extern {
  bin::ExternKind kind = bin::ExternKind::Func;
  void* ptr = nullptr;

  static Extern func(Func* f) { return {bin::ExternKind::Func, f}; }
  static Extern table(Table* t) { return {bin::ExternKind::Table, t}; }
  static Extern memory(Memory* m) { return {bin::ExternKind::Memory, m}; }
  static Extern global(Global* g) { return {bin::ExternKind::Global, g}; }
  static Extern tag(Tag* t) { return {bin::ExternKind::Tag, t}; }
  Func* as_func() const { return kind == bin::ExternKind::Func ? static_cast<Func*>(ptr) : nullptr; }
  Table* as_table() const { return kind == bin::ExternKind::Table ? static_cast<Table*>(ptr) : nullptr; }
  Memory* as_memory() const { return kind == bin::ExternKind::Memory ? static_cast<Memory*>(ptr) : nullptr; }
  Global* as_global() const { return kind == bin::ExternKind::Global ? static_cast<Global*>(ptr) : nullptr; }
  Tag* as_tag() const { return kind == bin::ExternKind::Tag ? static_cast<Tag*>(ptr) : nullptr; }
};

// An instantiated module.
class Instance {
 public:
  const Module& module() const { return *module_; }
  std::optional<Extern> get_export(std::string_view name) const;
  // Typed lookups; nullptr if there is no such export of that kind.
  Func* func(std::string_view name) const;
  Memory* memory(std::string_view name) const;
  Table* table(std::string_view name) const;
  Global* global(std::string_view name) const;
  const std::vector<std::pair<std::string, Extern>>& exports() const { return exports_; }

  // internal: the index spaces (imports first) and per-instance segment state
  std::shared_ptr<const Module> module_;
  std::vector<Func*> funcs_;
  std::vector<Table*> tables_;
  std::vector<Memory*> memories_;
  std::vector<Global*> globals_;
  std::vector<Tag*> tags_;
  std::vector<std::vector<uint64_t>> elems_;        // element segments (dropped: empty)
  std::vector<std::span<const uint8_t>> datas_;      // data segments (dropped: empty)
  std::vector<std::pair<std::string, Extern>> exports_;
  Memory* mem0_ = nullptr;                           // memory 0, if any
};

// What a host function sees of its caller.
class Caller {
 public:
  Caller(Store& store, Instance* instance) : store_(store), instance_(instance) {}
  Store& store() const { return store_; }
  // The calling instance; nullptr when the host itself made the call.
  Instance* instance() const { return instance_; }
  // The caller's exported memory "memory", else its memory 0, else nullptr.
  Memory* memory() const;

 private:
  Store& store_;
  Instance* instance_;
};

// A host function with typed values: `args` has the parameters, `results`
// must be filled (it arrives sized and typed to the results). Return a Trap
// to stop the calling wasm code.
using HostFunc = std::function<std::expected<void, Trap>(Caller&, std::span<const Val> args,
                                                         std::span<Val> results)>;
// The fast form: `io` holds the parameters, one 64-bit word each (two for
// v128, low half first; i32 and f32 zero-extended) and receives the results
// in the same layout, starting again at io[0].
using RawHostFunc = std::function<std::expected<void, Trap>(Caller&, uint64_t* io)>;

class Store {
 public:
  explicit Store(Config config = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const Config& config() const { return config_; }

  Func* add_func(const bin::FuncType& type, HostFunc fn);
  Func* add_func_raw(const bin::FuncType& type, RawHostFunc fn);
  Result<Memory*> add_memory(const bin::MemoryType& type);
  Result<Table*> add_table(const bin::TableType& type, const Val& init);
  Global* add_global(const bin::GlobalType& type, const Val& init);
  Tag* add_tag(const bin::FuncType& type);

  // Instantiates (core spec 4.5.4): checks `imports` (one per module import,
  // in order) against the import types, allocates, evaluates the global
  // initialisers, applies active element and data segments in order and runs
  // the start function. A failure while applying segments or in the start
  // function is a trap; effects on imported objects remain, as the spec says.
  Result<Instance*> instantiate(std::shared_ptr<const Module> module, std::span<const Extern> imports);

  // Calls a function with arguments of its parameter types.
  Result<std::vector<Val>> call(const Func* f, std::span<const Val> args);

  // Fuel (with Config::consume_fuel): the budget of instructions left.
  // Running out is the trap "all fuel consumed". Default: unlimited.
  void set_fuel(uint64_t fuel);
  uint64_t fuel() const;

  // Arbitrary data the embedder attaches (e.g. the WASI context).
  void* host_data = nullptr;

  // internal
  Exception* new_exception(const Tag* tag, const uint64_t* payload, size_t words);
  Config config_;
  std::unique_ptr<detail::StoreState> state_;
};

// Name-based import resolution: (module, name) -> Extern.
class Linker {
 public:
  void define(const std::string& module, const std::string& name, Extern e);
  // Defines every export of `inst` under `module`.
  void define_instance(const std::string& module, const Instance& inst);
  std::optional<Extern> lookup(const std::string& module, const std::string& name) const;
  // The externs for a module's imports, in order; TrapKind::Link
  // "unknown import: module.name" if one is missing.
  Result<std::vector<Extern>> resolve(const Module& m) const;
  Result<Instance*> instantiate(Store& store, std::shared_ptr<const Module> m) const;

 private:
  std::map<std::pair<std::string, std::string>, Extern, std::less<>> defs_;
};

}  // namespace witc::rt
