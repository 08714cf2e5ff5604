// The store: runtime objects, calls into WebAssembly, traps and backtraces.
#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <deque>

#include <fmt/format.h>

#include "code.h"
#include "store_state.h"

namespace witc::rt {

using detail::Slot;

// ---- values and traps -----------------------------------------------------------

std::string_view trap_message(TrapKind kind) {
  switch (kind) {
    case TrapKind::Unreachable: return "unreachable";
    case TrapKind::IntegerDivideByZero: return "integer divide by zero";
    case TrapKind::IntegerOverflow: return "integer overflow";
    case TrapKind::InvalidConversion: return "invalid conversion to integer";
    case TrapKind::MemoryOutOfBounds: return "out of bounds memory access";
    case TrapKind::TableOutOfBounds: return "out of bounds table access";
    case TrapKind::UndefinedElement: return "undefined element";
    case TrapKind::UninitializedElement: return "uninitialized element";
    case TrapKind::IndirectCallTypeMismatch: return "indirect call type mismatch";
    case TrapKind::NullReference: return "null exception reference";
    case TrapKind::CallStackExhausted: return "call stack exhausted";
    case TrapKind::OutOfFuel: return "all fuel consumed";
    case TrapKind::UncaughtException: return "uncaught exception";
    case TrapKind::Host: return "host function failed";
    case TrapKind::Resource: return "resource limit exceeded";
    case TrapKind::Link: return "link error";
    case TrapKind::Exit: return "exit";
  }
  return "trap";
}

std::string Trap::to_string() const {
  std::string s = message;
  if (func_index != UINT32_MAX) s += fmt::format(" (in function {} at offset {:#x})", func_index, offset);
  for (size_t i = 1; i < frames.size(); ++i) {
    s += fmt::format("\n  called from function {} at offset {:#x}", frames[i].func_index, frames[i].offset);
  }
  return s;
}

std::string to_string(const Val& v) {
  switch (v.type) {
    case ValType::I32: return fmt::format("i32:{}", v.as_i32());
    case ValType::I64: return fmt::format("i64:{}", v.as_i64());
    case ValType::F32: return fmt::format("f32:{}", v.as_f32());
    case ValType::F64: return fmt::format("f64:{}", v.as_f64());
    case ValType::V128: return fmt::format("v128:{:#018x}{:016x}", v.high, v.bits);
    case ValType::FuncRef: return v.is_null() ? "funcref:null" : "funcref";
    case ValType::ExternRef: return v.is_null() ? "externref:null" : fmt::format("externref:{}", v.as_extern());
    case ValType::ExnRef: return v.is_null() ? "exnref:null" : "exnref";
    default: return "?";
  }
}

// ---- objects ----------------------------------------------------------------------

Memory::~Memory() {
  if (reserved_) munmap(base_, reserved_);
}

int64_t Memory::grow(uint64_t delta) {
  uint64_t pages = size_ >> 16;
  if (delta > max_pages_ - pages) return -1;
  if (delta == 0) return static_cast<int64_t>(pages);
  uint64_t bytes = delta << 16;
  if (mprotect(base_ + size_, bytes, PROT_READ | PROT_WRITE) != 0) return -1;
  size_ += bytes;
  return static_cast<int64_t>(pages);
}

bool Memory::read(uint64_t addr, std::span<uint8_t> out) const {
  if (addr > size_ || size_ - addr < out.size()) return false;
  if (!out.empty()) std::memcpy(out.data(), base_ + addr, out.size());
  return true;
}

bool Memory::write(uint64_t addr, std::span<const uint8_t> in) {
  if (addr > size_ || size_ - addr < in.size()) return false;
  if (!in.empty()) std::memcpy(base_ + addr, in.data(), in.size());
  return true;
}

std::optional<Val> Table::get(uint64_t i) const {
  if (i >= elems_.size()) return std::nullopt;
  return Val{type_.elem, elems_[i], 0};
}

bool Table::set(uint64_t i, const Val& v) {
  if (i >= elems_.size() || v.type != type_.elem) return false;
  elems_[i] = v.bits;
  return true;
}

int64_t Table::grow(uint64_t delta, const Val& init) {
  uint64_t old = elems_.size();
  if (delta > max_ - old) return -1;
  elems_.resize(old + delta, init.bits);
  return static_cast<int64_t>(old);
}

bool Global::set(const Val& v) {
  if (v.type != type_.type) return false;
  value_[0] = v.bits;
  value_[1] = v.high;
  return true;
}

std::vector<Val> Exception::values() const {
  std::vector<Val> out;
  size_t w = 0;
  for (ValType t : tag_->type_->params) {
    Val v{t, payload_[w], t == ValType::V128 ? payload_[w + 1] : 0};
    w += detail::slot_width(t);
    out.push_back(v);
  }
  return out;
}

std::optional<Extern> Instance::get_export(std::string_view name) const {
  for (const auto& [n, e] : exports_) {
    if (n == name) return e;
  }
  return std::nullopt;
}

Func* Instance::func(std::string_view name) const {
  auto e = get_export(name);
  return e ? e->as_func() : nullptr;
}
Memory* Instance::memory(std::string_view name) const {
  auto e = get_export(name);
  return e ? e->as_memory() : nullptr;
}
Table* Instance::table(std::string_view name) const {
  auto e = get_export(name);
  return e ? e->as_table() : nullptr;
}
Global* Instance::global(std::string_view name) const {
  auto e = get_export(name);
  return e ? e->as_global() : nullptr;
}

Memory* Caller::memory() const {
  if (!instance_) return nullptr;
  if (Memory* m = instance_->memory("memory")) return m;
  return instance_->memories_.empty() ? nullptr : instance_->memories_[0];
}

// ---- the store ----------------------------------------------------------------------

Store::Store(Config config) : config_(config), state_(std::make_unique<detail::StoreState>()) {
  detail::Exec& cx = state_->exec;
  cx.store = this;
  size_t bytes = std::max<uint64_t>(config_.value_stack_bytes, 4096);
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    // Without a value stack every call reports exhaustion.
    bytes = 0;
    p = nullptr;
  }
  state_->stack_bytes = bytes;
  cx.stack_begin = static_cast<Slot*>(p);
  cx.stack_end = cx.stack_begin + bytes / sizeof(Slot);
  cx.sp = cx.stack_begin;
  state_->frames.resize(static_cast<size_t>(config_.max_call_depth) + 1);
  cx.frames_begin = state_->frames.data();
  cx.frames_end = cx.frames_begin + state_->frames.size();
  cx.frame_top = cx.frames_begin;
  cx.exit_word = detail::handler(detail::IOp::Exit);
}

Store::~Store() {
  if (state_->stack_bytes) munmap(state_->exec.stack_begin, state_->stack_bytes);
}

Func* Store::add_func_raw(const bin::FuncType& type, RawHostFunc fn) {
  Func& f = state_->funcs.emplace_back();
  f.type_id_ = detail::canon_type_id(type);
  f.type_ = detail::canon_type(f.type_id_);
  f.param_slots_ = detail::slot_count(type.params);
  f.result_slots_ = detail::slot_count(type.results);
  f.host_ = std::move(fn);
  return &f;
}

Func* Store::add_func(const bin::FuncType& type, HostFunc fn) {
  const bin::FuncType* canon = detail::canon_type(detail::canon_type_id(type));
  auto wrapper = [canon, fn = std::move(fn)](Caller& c, uint64_t* io) -> std::expected<void, Trap> {
    std::vector<Val> args, results;
    size_t w = 0;
    for (ValType t : canon->params) {
      args.push_back(Val{t, io[w], t == ValType::V128 ? io[w + 1] : 0});
      w += detail::slot_width(t);
    }
    for (ValType t : canon->results) results.push_back(Val::zero(t));
    auto r = fn(c, args, results);
    if (!r) return r;
    w = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      ValType t = canon->results[i];
      if (results[i].type != t) return std::unexpected(Trap::make(TrapKind::Host, "host function returned a value of the wrong type"));
      io[w] = t == ValType::I32 || t == ValType::F32 ? static_cast<uint32_t>(results[i].bits) : results[i].bits;
      if (t == ValType::V128) io[w + 1] = results[i].high;
      w += detail::slot_width(t);
    }
    return {};
  };
  return add_func_raw(type, std::move(wrapper));
}

Result<Memory*> Store::add_memory(const bin::MemoryType& type) {
  const bin::Limits& l = type.limits;
  uint64_t cap = l.is64 ? (uint64_t{1} << 48) : 65536;
  uint64_t max_pages = std::min<uint64_t>(l.max ? *l.max : cap, cap);
  max_pages = std::min<uint64_t>(max_pages, config_.max_memory_bytes >> 16);
  if (l.min > max_pages) {
    return trap(Trap::make(TrapKind::Resource,
                           fmt::format("memory of {} pages exceeds the limit of {} pages", l.min, max_pages)));
  }
  Memory& m = state_->memories.emplace_back();
  m.type_ = type;
  m.max_pages_ = max_pages;
  uint64_t reserve = max_pages << 16;
  if (reserve == 0) {
    static uint8_t empty[16];
    m.base_ = empty;
    return &m;
  }
  void* p = mmap(nullptr, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    state_->memories.pop_back();
    return trap(Trap::make(TrapKind::Resource, "cannot reserve address space for a memory"));
  }
  m.base_ = static_cast<uint8_t*>(p);
  m.reserved_ = reserve;
  if (l.min && m.grow(l.min) < 0) {
    state_->memories.pop_back();
    return trap(Trap::make(TrapKind::Resource, "cannot allocate the memory"));
  }
  return &m;
}

Result<Table*> Store::add_table(const bin::TableType& type, const Val& init) {
  const bin::Limits& l = type.limits;
  uint64_t max = l.max ? *l.max : (l.is64 ? UINT64_MAX : UINT32_MAX);
  max = std::min<uint64_t>(max, detail::kMaxTableElems);
  if (l.min > max) {
    return trap(Trap::make(TrapKind::Resource, fmt::format("table of {} elements exceeds the limit", l.min)));
  }
  Table& t = state_->tables.emplace_back();
  t.type_ = type;
  t.max_ = max;
  t.elems_.assign(l.min, init.bits);
  return &t;
}

Global* Store::add_global(const bin::GlobalType& type, const Val& init) {
  Global& g = state_->globals.emplace_back();
  g.type_ = type;
  g.value_[0] = init.bits;
  g.value_[1] = init.high;
  return &g;
}

Tag* Store::add_tag(const bin::FuncType& type) {
  Tag& t = state_->tags.emplace_back();
  t.type_ = detail::canon_type(detail::canon_type_id(type));
  return &t;
}

Exception* Store::new_exception(const Tag* tag, const uint64_t* payload, size_t words) {
  Exception& e = state_->exceptions.emplace_back();
  e.tag_ = tag;
  e.payload_.assign(payload, payload + words);
  return &e;
}

void Store::set_fuel(uint64_t fuel) {
  state_->exec.fuel = static_cast<int64_t>(std::min<uint64_t>(fuel, INT64_MAX));
}

uint64_t Store::fuel() const { return static_cast<uint64_t>(std::max<int64_t>(state_->exec.fuel, 0)); }

namespace {

// The function index and offset of the instruction at `pc` in `inst`'s code.
TrapFrame locate(const Instance* inst, const detail::Word* pc) {
  TrapFrame f;
  if (!inst || !inst->module_) return f;
  const detail::Compiled& c = *inst->module_->compiled_;
  size_t at = static_cast<size_t>(pc - c.code.data());
  if (at >= c.code.size()) return f;
  if (const detail::FuncCode* fc = c.func_at(at)) f.func_index = fc->func_index;
  f.offset = c.offset_at(at);
  return f;
}

}  // namespace

Result<std::vector<Val>> Store::call(const Func* f, std::span<const Val> args) {
  detail::Exec& cx = state_->exec;
  const bin::FuncType& ft = *f->type_;
  if (args.size() != ft.params.size()) {
    return trap(Trap::make(TrapKind::Host, fmt::format("expected {} arguments, got {}", ft.params.size(), args.size())));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].type != ft.params[i]) {
      return trap(Trap::make(TrapKind::Host, fmt::format("argument {} has type {}, expected {}", i,
                                                         bin::to_string(args[i].type), bin::to_string(ft.params[i]))));
    }
  }
  Slot* base = cx.sp;
  uint32_t need = std::max(f->param_slots_, f->result_slots_);
  if (!f->is_host()) need = std::max(need, f->code_->frame_slots);
  if (static_cast<size_t>(cx.stack_end - base) < need || cx.frame_top == cx.frames_end) {
    return trap(Trap::make(TrapKind::CallStackExhausted));
  }
  size_t w = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    ValType t = ft.params[i];
    base[w].u64 = t == ValType::I32 || t == ValType::F32 ? static_cast<uint32_t>(args[i].bits) : args[i].bits;
    if (t == ValType::V128) base[w + 1].u64 = args[i].high;
    w += detail::slot_width(t);
  }
  Slot* saved_sp = cx.sp;
  Instance* saved_inst = cx.inst;
  if (f->is_host()) {
    cx.sp = base + need;
    Caller caller(*this, nullptr);
    auto r = f->host_(caller, &base->u64);
    cx.sp = saved_sp;
    if (!r) return trap(std::move(r.error()));
  } else {
    detail::CallFrame* entry = cx.frame_top;
    entry->ret_pc = &cx.exit_word;
    entry->fp = nullptr;
    entry->inst = f->instance_;
    ++cx.frame_top;
    const detail::FuncCode* fc = f->code_;
    for (uint32_t i = fc->param_slots; i < fc->local_slots; ++i) base[i].u64 = 0;
    cx.inst = f->instance_;
    detail::TrapCode code = 0;
    detail::RunStatus st = detail::run(cx, fc->code, base, &code);
    cx.sp = saved_sp;
    if (st != detail::RunStatus::Ok) {
      Trap t;
      if (st == detail::RunStatus::Exception) {
        t = Trap::make(TrapKind::UncaughtException);
        t.exception = cx.exception;
        cx.exception = nullptr;
      } else {
        TrapKind kind = static_cast<TrapKind>(code - 1);
        if (kind == TrapKind::Host && cx.has_host_trap) {
          t = std::move(cx.host_trap);
          cx.has_host_trap = false;
        } else {
          t = Trap::make(kind);
          if (kind == TrapKind::UndefinedElement || kind == TrapKind::UninitializedElement) {
            t.message += fmt::format(" {}", cx.trap_index);
          }
        }
        TrapFrame top = locate(cx.inst, cx.trap_pc);
        if (t.func_index == UINT32_MAX) {
          t.func_index = top.func_index;
          t.offset = top.offset;
        }
        t.frames.clear();
        t.frames.push_back(top);
        for (detail::CallFrame* fr = cx.frame_top; fr-- > entry + 1;) {
          t.frames.push_back(locate(fr->inst, fr->ret_pc - 1));
        }
      }
      cx.frame_top = entry;
      cx.inst = saved_inst;
      return trap(std::move(t));
    }
    cx.inst = saved_inst;
  }
  std::vector<Val> out;
  out.reserve(ft.results.size());
  w = 0;
  for (ValType t : ft.results) {
    out.push_back(Val{t, base[w].u64, t == ValType::V128 ? base[w + 1].u64 : 0});
    w += detail::slot_width(t);
  }
  return out;
}

// ---- linker -------------------------------------------------------------------------

void Linker::define(const std::string& module, const std::string& name, Extern e) {
  defs_[{module, name}] = e;
}

void Linker::define_instance(const std::string& module, const Instance& inst) {
  for (const auto& [name, e] : inst.exports()) defs_[{module, name}] = e;
}

std::optional<Extern> Linker::lookup(const std::string& module, const std::string& name) const {
  auto it = defs_.find(std::pair{module, name});
  if (it == defs_.end()) return std::nullopt;
  return it->second;
}

Result<std::vector<Extern>> Linker::resolve(const Module& m) const {
  std::vector<Extern> out;
  for (const bin::Import& im : m.binary().imports) {
    auto e = lookup(im.module, im.name);
    if (!e) return trap(Trap::make(TrapKind::Link, fmt::format("unknown import: {}::{}", im.module, im.name)));
    out.push_back(*e);
  }
  return out;
}

Result<Instance*> Linker::instantiate(Store& store, std::shared_ptr<const Module> m) const {
  auto imports = resolve(*m);
  if (!imports) return trap(std::move(imports.error()));
  return store.instantiate(std::move(m), *imports);
}

}  // namespace witc::rt
