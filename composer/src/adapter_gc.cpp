// Reducing an adapter module to the exports a component needs (adapter_gc.h).
//
// Liveness starts at the kept exports and follows every reference an
// instruction or constant expression makes, using the immediate kinds of the
// opcode table (opcodes.def), so no instruction is special-cased by name.
// The reduced module renumbers types, functions, globals, tables and
// memories densely in their original order; bodies are copied instruction by
// instruction, re-encoding only the immediates that hold a renumbered index.
#include "witc/composer/adapter_gc.h"

#include <unordered_map>

#include <fmt/format.h>

#include "core_emit.h"
#include "witc/base/try.h"
#include "witc/bin/code_reader.h"
#include "witc/bin/reader.h"
#include "witc/bin/validate.h"
#include "witc/bin/writer.h"

namespace witc::compose {

namespace {

using bin::ExternKind;
using bin::Imm;
using bin::ValType;

constexpr int32_t kPageSize = 64 * 1024;
constexpr uint32_t kNoCall = UINT32_MAX;

// The function and global names of a `name` section (best effort: a
// malformed section yields what was read before the problem).
struct NameSection {
  std::unordered_map<uint32_t, std::string> funcs;
  std::unordered_map<uint32_t, std::string> globals;
};

void read_name_map(bin::Cursor& c, std::unordered_map<uint32_t, std::string>& out) {
  auto n = c.u32();
  if (!n) return;
  for (uint32_t i = 0; i < *n; ++i) {
    auto idx = c.u32();
    auto len = idx ? c.u32() : idx;
    if (!len || *len > c.remaining()) return;
    out[*idx] = std::string(reinterpret_cast<const char*>(c.pos()), *len);
    c.seek(c.pos() + *len);
  }
}

NameSection read_names(const bin::Module& m) {
  NameSection names;
  for (const auto& cs : m.customs) {
    if (cs.name != "name") continue;
    bin::Cursor c(m.bytes(cs.data));
    while (!c.at_end()) {
      auto id = c.u8();
      auto size = id ? c.u32() : Expected<uint32_t>(0u);
      if (!id || !size || *size > c.remaining()) break;
      bin::Cursor sub(std::span<const uint8_t>(c.pos(), *size));
      if (*id == 1) read_name_map(sub, names.funcs);
      if (*id == 7) read_name_map(sub, names.globals);
      c.seek(c.pos() + *size);
    }
  }
  return names;
}

void put_name_map(std::vector<uint8_t>& out, uint8_t id, const std::vector<std::pair<uint32_t, std::string>>& names) {
  if (names.empty()) return;
  std::vector<uint8_t> sub;
  bin::write_uleb(sub, names.size());
  for (const auto& [index, name] : names) {
    bin::write_uleb(sub, index);
    bin::write_uleb(sub, name.size());
    sub.insert(sub.end(), name.begin(), name.end());
  }
  out.push_back(id);
  bin::write_uleb(out, sub.size());
  out.insert(out.end(), sub.begin(), sub.end());
}

// Old index -> new index for one index space.
struct Remap {
  std::vector<uint32_t> to;  // UINT32_MAX: dead
  uint32_t next = 0;
  void resize(size_t n) { to.assign(n, UINT32_MAX); }
  void keep(uint32_t old) { to[old] = next++; }
  uint32_t operator[](uint32_t old) const { return to[old]; }
};

class Gc {
 public:
  Gc(const bin::Module& m, const bin::ModuleInfo& info) : m_(m), info_(info), names_(read_names(m)) {
    for (const auto& im : m.imports) {
      if (im.kind == ExternKind::Func) func_imports_.push_back(&im);
      if (im.kind == ExternKind::Global) global_imports_.push_back(&im);
    }
    live_types_.assign(m.types.size(), false);
    live_funcs_.assign(info.funcs.size(), false);
    live_globals_.assign(info.globals.size(), false);
    live_tables_.assign(info.tables.size(), false);
    live_memories_.assign(info.memories.size(), false);
  }

  Expected<void> mark(const std::vector<const bin::Export*>& roots);
  Expected<std::vector<uint8_t>> encode(const std::vector<const bin::Export*>& exports,
                                        const std::optional<std::string>& main_realloc);

 private:
  bool is_import(uint32_t func) const { return func < func_imports_.size(); }
  bool is_realloc_import(uint32_t func) const {
    if (!is_import(func)) return false;
    const auto* im = func_imports_[func];
    return im->module == "__main_module__" && (im->name == "cabi_realloc" || im->name == "canonical_abi_realloc");
  }
  std::span<const uint8_t> body(uint32_t func) const { return m_.bytes(m_.codes[func - func_imports_.size()].body); }
  uint64_t body_offset(uint32_t func) const { return m_.codes[func - func_imports_.size()].offset; }

  void func(uint32_t f) {
    if (f >= live_funcs_.size() || live_funcs_[f]) return;
    live_funcs_[f] = true;
    live_types_[info_.funcs[f].index] = true;
    if (!is_import(f)) work_funcs_.push_back(f);
  }
  void global(uint32_t g) {
    if (g >= live_globals_.size() || live_globals_[g]) return;
    live_globals_[g] = true;
    if (g >= global_imports_.size()) work_globals_.push_back(g);
  }
  void mark_instr(const bin::Instr& ins);
  Expected<void> scan(std::span<const uint8_t> bytes, uint64_t base, bool body);
  Expected<std::vector<uint8_t>> rewrite(std::span<const uint8_t> bytes, uint64_t base, bool body,
                                         uint32_t prologue_call);
  std::optional<uint32_t> find_global(std::string_view name) const;

  const bin::Module& m_;
  const bin::ModuleInfo& info_;
  NameSection names_;
  std::vector<const bin::Import*> func_imports_;
  std::vector<const bin::Import*> global_imports_;
  std::vector<bool> live_types_, live_funcs_, live_globals_, live_tables_, live_memories_;
  std::vector<uint32_t> work_funcs_, work_globals_;
  Remap types_, funcs_, globals_, tables_, memories_;
};

void Gc::mark_instr(const bin::Instr& ins) {
  switch (bin::op_info(ins.op).imm) {
    case Imm::Func: func(ins.index); break;
    case Imm::Global: global(ins.index); break;
    case Imm::CallIndirect:
      if (ins.index < live_types_.size()) live_types_[ins.index] = true;
      if (ins.index2 < live_tables_.size()) live_tables_[ins.index2] = true;
      break;
    case Imm::Block:
    case Imm::TryTable:
      if (ins.block.kind == bin::BlockType::Kind::Index && ins.block.index < live_types_.size()) {
        live_types_[ins.block.index] = true;
      }
      break;
    case Imm::Table:
      if (ins.index < live_tables_.size()) live_tables_[ins.index] = true;
      break;
    case Imm::TableInit:
      if (ins.index2 < live_tables_.size()) live_tables_[ins.index2] = true;
      break;
    case Imm::TableCopy:
      if (ins.index < live_tables_.size()) live_tables_[ins.index] = true;
      if (ins.index2 < live_tables_.size()) live_tables_[ins.index2] = true;
      break;
    case Imm::MemArg:
    case Imm::MemArgLane:
    case Imm::Mem:
    case Imm::MemInit:
      if (ins.mem.memory < live_memories_.size()) live_memories_[ins.mem.memory] = true;
      break;
    case Imm::MemCopy:
      if (ins.mem.memory < live_memories_.size()) live_memories_[ins.mem.memory] = true;
      if (ins.index2 < live_memories_.size()) live_memories_[ins.index2] = true;
      break;
    default: break;
  }
}

Expected<void> Gc::scan(std::span<const uint8_t> bytes, uint64_t base, bool body) {
  bin::CodeReader r(bytes, base, bin::Features::all());
  if (body) {
    std::vector<ValType> locals;
    WITC_TRY(r.read_locals(locals));
  }
  bin::Instr ins;
  while (!r.at_end()) {
    WITC_TRY(r.next(ins));
    mark_instr(ins);
  }
  return {};
}

Expected<void> Gc::mark(const std::vector<const bin::Export*>& roots) {
  for (const auto* e : roots) {
    switch (e->kind) {
      case ExternKind::Func: func(e->index); break;
      case ExternKind::Global: global(e->index); break;
      case ExternKind::Table: live_tables_[e->index] = true; break;
      case ExternKind::Memory: live_memories_[e->index] = true; break;
      case ExternKind::Tag:
        return fail(Diagnostic::plain(fmt::format("adapter export `{}` is a tag, which is not supported", e->name)));
    }
  }
  while (!work_funcs_.empty() || !work_globals_.empty()) {
    if (!work_funcs_.empty()) {
      uint32_t f = work_funcs_.back();
      work_funcs_.pop_back();
      WITC_TRY(scan(body(f), body_offset(f), true));
    } else {
      uint32_t g = work_globals_.back();
      work_globals_.pop_back();
      const auto& gl = m_.globals[g - global_imports_.size()];
      WITC_TRY(scan(m_.bytes(gl.init), gl.offset, false));
    }
  }
  return {};
}

// Copies the instructions, re-encoding the immediates that name a renumbered
// item; `prologue_call` is a function to call before the first instruction
// (kNoCall: none).
Expected<std::vector<uint8_t>> Gc::rewrite(std::span<const uint8_t> bytes, uint64_t base, bool body,
                                           uint32_t prologue_call) {
  std::vector<uint8_t> out;
  bin::CodeReader r(bytes, base, bin::Features::all());
  if (body) {
    std::vector<ValType> locals;
    WITC_TRY(r.read_locals(locals));
    out.assign(bytes.data(), r.pos());
  }
  if (prologue_call != kNoCall) {
    out.push_back(0x10);
    bin::write_uleb(out, prologue_call);
  }
  bin::Instr ins;
  while (!r.at_end()) {
    const uint8_t* start = r.pos();
    WITC_TRY(r.next(ins));
    const bin::OpInfo& info = bin::op_info(ins.op);
    auto opcode = [&] {
      if (info.prefix == 0) {
        out.push_back(static_cast<uint8_t>(info.code));
      } else {
        out.push_back(info.prefix);
        bin::write_uleb(out, info.code);
      }
    };
    auto blocktype = [&] {
      switch (ins.block.kind) {
        case bin::BlockType::Kind::Empty: out.push_back(0x40); break;
        case bin::BlockType::Kind::Value: out.push_back(static_cast<uint8_t>(ins.block.value)); break;
        case bin::BlockType::Kind::Index: bin::write_sleb(out, types_[ins.block.index]); break;
      }
    };
    switch (info.imm) {
      case Imm::Func:
        opcode();
        bin::write_uleb(out, funcs_[ins.index]);
        continue;
      case Imm::Global:
        opcode();
        bin::write_uleb(out, globals_[ins.index]);
        continue;
      case Imm::CallIndirect:
        opcode();
        bin::write_uleb(out, types_[ins.index]);
        bin::write_uleb(out, tables_[ins.index2]);
        continue;
      case Imm::Block:
        if (ins.block.kind != bin::BlockType::Kind::Index) break;
        opcode();
        blocktype();
        continue;
      case Imm::TryTable:
        opcode();
        blocktype();
        bin::write_uleb(out, ins.catches.size());
        for (const auto& c : ins.catches) {
          out.push_back(static_cast<uint8_t>(c.kind));
          if (c.kind == bin::Catch::Kind::Catch || c.kind == bin::Catch::Kind::CatchRef) {
            bin::write_uleb(out, c.tag);
          }
          bin::write_uleb(out, c.label);
        }
        continue;
      case Imm::Table:
      case Imm::TableCopy:
      case Imm::TableInit:
      case Imm::Elem:
      case Imm::Data:
      case Imm::MemInit:
      case Imm::Tag:
        // Tables cannot stay live and the adapter has no segments or tags
        // (checked before): reaching one of these means a dead function.
        return fail(
            Diagnostic::at_offset(ins.offset, fmt::format("adapter instruction `{}` is not supported", info.text)));
      default: break;
    }
    out.insert(out.end(), start, r.pos());
  }
  return out;
}

std::optional<uint32_t> Gc::find_global(std::string_view name) const {
  for (const auto& [index, n] : names_.globals) {
    if (n != name || index >= live_globals_.size() || !live_globals_[index]) continue;
    const bin::GlobalType& t = info_.globals[index];
    if (t.mut && t.type == ValType::I32) return index;
  }
  return std::nullopt;
}

// The body of a realloc that only hands out fresh whole pages.
std::vector<uint8_t> realloc_via_memory_grow() {
  detail::BodyWriter b({{1, ValType::I32}});
  for (uint32_t param : {0u, 1u}) {  // old pointer and old size must be zero
    b.i32_const(0).local_get(param).op(0x47).if_empty().op(0x00).end();
  }
  b.i32_const(kPageSize).local_get(3).op(0x47).if_empty().op(0x00).end();  // new size must be a page
  b.i32_const(1).op(0x40, 0).local_tee(4).i32_const(-1).op(0x46).if_empty().op(0x00).end();
  b.local_get(4).i32_const(16).op(0x74);
  return std::move(b).finish();
}

// Sets the stack pointer to the top of a fresh page from `realloc`; with an
// allocation state, only the first time (and not while already allocating).
std::vector<uint8_t> allocate_stack(uint32_t realloc, uint32_t sp, std::optional<uint32_t> state) {
  detail::BodyWriter b;
  if (state) b.global_get(*state).i32_const(0).op(0x46).if_empty().i32_const(1).global_set(*state);
  b.i32_const(0).i32_const(0).i32_const(8).i32_const(kPageSize).call(realloc);
  b.i32_const(kPageSize).op(0x6a).global_set(sp);
  if (state) b.i32_const(2).global_set(*state).end();
  return std::move(b).finish();
}

bin::FuncType realloc_type() {
  bin::FuncType t;
  t.params = {ValType::I32, ValType::I32, ValType::I32, ValType::I32};
  t.results = {ValType::I32};
  return t;
}

Expected<std::vector<uint8_t>> Gc::encode(const std::vector<const bin::Export*>& exports,
                                          const std::optional<std::string>& main_realloc) {
  for (size_t i = 0; i < live_tables_.size(); ++i) {
    if (live_tables_[i]) return fail(Diagnostic::plain("a table stays live in the reduced adapter module"));
  }
  size_t live_memories = 0;
  for (size_t i = 0; i < live_memories_.size(); ++i) {
    if (!live_memories_[i]) continue;
    ++live_memories;
    if (i >= static_cast<size_t>(m_.num_imports(ExternKind::Memory))) {
      return fail(Diagnostic::plain("the adapter module defines its own memory; it must import it"));
    }
  }
  if (live_memories > 1) return fail(Diagnostic::plain("the adapter module uses several memories"));

  bin::Module out;
  types_.resize(m_.types.size());
  for (uint32_t i = 0; i < m_.types.size(); ++i) {
    if (!live_types_[i]) continue;
    types_.keep(i);
    out.types.push_back(m_.types[i]);
  }
  funcs_.resize(live_funcs_.size());
  globals_.resize(live_globals_.size());
  tables_.resize(live_tables_.size());
  memories_.resize(live_memories_.size());

  // Imports, in their original order: the live ones, except a realloc import
  // that becomes a local function.
  std::optional<uint32_t> realloc;
  uint32_t import_funcs = 0, import_globals = 0, import_memories = 0;
  for (const auto& im : m_.imports) {
    uint32_t old = 0;
    switch (im.kind) {
      case ExternKind::Func: old = import_funcs++; break;
      case ExternKind::Global: old = import_globals++; break;
      case ExternKind::Memory: old = import_memories++; break;
      default:
        return fail(Diagnostic::plain(fmt::format("adapter import `{}` `{}` is a {}, which is not supported", im.module,
                                                  im.name, bin::to_string(im.kind))));
    }
    bin::Import copy = im;
    copy.offset = 0;
    if (im.kind == ExternKind::Func) {
      if (!live_funcs_[old] || (is_realloc_import(old) && !main_realloc)) continue;
      if (is_realloc_import(old)) {
        realloc = funcs_.next;
        copy.name = *main_realloc;
      }
      funcs_.keep(old);
      copy.func = bin::TypeIdx(types_[im.func.index]);
    } else if (im.kind == ExternKind::Global) {
      if (!live_globals_[old]) continue;
      globals_.keep(old);
    } else {
      if (!live_memories_[old]) continue;
      memories_.keep(old);
    }
    out.imports.push_back(std::move(copy));
  }

  std::optional<uint32_t> sp = find_global("__stack_pointer");
  std::optional<uint32_t> state = find_global("allocation_state");
  // The main module's realloc, imported to allocate the stack with.
  if (main_realloc && sp && !realloc) {
    bin::Import im;
    im.module = "__main_module__";
    im.name = *main_realloc;
    im.kind = ExternKind::Func;
    im.func = bin::TypeIdx(detail::intern_type(out, realloc_type()));
    out.imports.push_back(std::move(im));
    realloc = funcs_.next++;
  }
  // Local functions keep their order; the realloc import without a main
  // realloc turns into one.
  std::vector<uint32_t> locals;
  for (uint32_t f = 0; f < live_funcs_.size(); ++f) {
    if (!live_funcs_[f] || (is_import(f) && !is_realloc_import(f))) continue;
    if (is_import(f) && main_realloc) continue;
    if (is_import(f)) realloc = funcs_.next;
    funcs_.keep(f);
    locals.push_back(f);
  }
  std::optional<uint32_t> lazy;
  if (sp && state && main_realloc) lazy = funcs_.next++;
  for (uint32_t i = 0; i < m_.globals.size(); ++i) {
    uint32_t old = import_globals + i;
    if (!live_globals_[old]) continue;
    globals_.keep(old);
  }

  // Globals.
  for (uint32_t i = 0; i < m_.globals.size(); ++i) {
    uint32_t old = import_globals + i;
    if (!live_globals_[old]) continue;
    const auto& g = m_.globals[i];
    WITC_TRY_VAL(std::vector<uint8_t> init, rewrite(m_.bytes(g.init), g.offset, false, kNoCall));
    bin::Global ng;
    ng.type = g.type;
    ng.init = out.add_bytes(init);
    out.globals.push_back(ng);
  }

  // Function bodies; with a lazy stack every export first allocates it.
  std::vector<bool> exported(live_funcs_.size(), false);
  for (const auto* e : exports) {
    if (e->kind == ExternKind::Func) exported[e->index] = true;
  }
  for (uint32_t f : locals) {
    uint32_t type = types_[info_.funcs[f].index];
    if (is_import(f)) {
      detail::add_function(out, type, realloc_via_memory_grow());
      continue;
    }
    uint32_t prologue = exported[f] && lazy ? *lazy : kNoCall;
    WITC_TRY_VAL(std::vector<uint8_t> b, rewrite(body(f), body_offset(f), true, prologue));
    detail::add_function(out, type, std::move(b));
  }
  std::vector<std::pair<uint32_t, std::string>> func_names;
  if (lazy) {
    uint32_t empty = detail::intern_type(out, bin::FuncType{});
    detail::add_function(out, empty, allocate_stack(*realloc, globals_[*sp], globals_[*state]));
    func_names.push_back({*lazy, "allocate_stack"});
  } else if (sp && live_memories == 1) {
    if (!realloc || !state) {
      realloc = detail::add_function(out, detail::intern_type(out, realloc_type()), realloc_via_memory_grow());
      func_names.push_back({*realloc, "realloc_via_memory_grow"});
    }
    std::optional<uint32_t> st;
    if (state) st = globals_[*state];
    uint32_t start = detail::add_function(out, detail::intern_type(out, bin::FuncType{}),
                                          allocate_stack(*realloc, globals_[*sp], st));
    out.start = bin::FuncIdx(start);
    func_names.push_back({start, "allocate_stack"});
  }

  for (const auto* e : exports) {
    uint32_t index = 0;
    switch (e->kind) {
      case ExternKind::Func: index = funcs_[e->index]; break;
      case ExternKind::Global: index = globals_[e->index]; break;
      case ExternKind::Memory: index = memories_[e->index]; break;
      default: index = tables_[e->index]; break;
    }
    out.exports.push_back(detail::make_export(e->name, e->kind, index));
  }

  // A fresh name section for what is left; the producers section stays.
  for (uint32_t f = 0; f < live_funcs_.size(); ++f) {
    auto it = names_.funcs.find(f);
    if (live_funcs_[f] && funcs_[f] != UINT32_MAX && it != names_.funcs.end()) {
      func_names.push_back({funcs_[f], it->second});
    }
  }
  std::sort(func_names.begin(), func_names.end());
  std::vector<std::pair<uint32_t, std::string>> global_names;
  for (uint32_t g = 0; g < live_globals_.size(); ++g) {
    auto it = names_.globals.find(g);
    if (live_globals_[g] && it != names_.globals.end()) global_names.push_back({globals_[g], it->second});
  }
  std::sort(global_names.begin(), global_names.end());
  std::vector<uint8_t> names;
  put_name_map(names, 1, func_names);
  put_name_map(names, 7, global_names);
  auto custom = [&](std::string name, std::span<const uint8_t> data) {
    bin::CustomSection cs;
    cs.name = std::move(name);
    cs.data = out.add_bytes(data);
    cs.after = static_cast<uint8_t>(bin::SectionId::Data);
    out.customs.push_back(std::move(cs));
  };
  if (!names.empty()) custom("name", names);
  for (const auto& cs : m_.customs) {
    if (cs.name == "producers") custom(cs.name, m_.bytes(cs.data));
  }

  std::vector<uint8_t> bytes = bin::write_module(out);
  auto check = bin::read_module(std::span<const uint8_t>(bytes));
  if (check) {
    auto valid = bin::validate_module(*check, bin::Features::all());
    if (!valid) return fail(std::move(valid.error()).with_context("internal error: the reduced adapter is invalid"));
  }
  return bytes;
}

}  // namespace

Expected<std::vector<uint8_t>> gc_adapter(std::span<const uint8_t> adapter, const std::vector<std::string>& keep,
                                          std::optional<std::string> main_realloc) {
  WITC_TRY_VAL(bin::Module m, bin::read_module(adapter, bin::Features::all()));
  WITC_TRY_VAL(bin::ModuleInfo info, bin::validate_module(m, bin::Features::all()));
  if (!m.datas.empty() || !m.elements.empty() || m.start || !m.tags.empty()) {
    return fail(
        Diagnostic::plain("the adapter module has data, element, start or tag sections, which adapters may not have"));
  }
  std::vector<const bin::Export*> kept;
  for (const auto& name : keep) {
    const bin::Export* found = nullptr;
    for (const auto& e : m.exports) {
      if (e.name == name) found = &e;
    }
    if (!found) return fail(Diagnostic::plain(fmt::format("adapter module does not have export `{}`", name)));
    bool dup = false;
    for (const auto* k : kept) dup = dup || k == found;
    if (!dup) kept.push_back(found);
  }
  // Keep the original export order.
  std::sort(kept.begin(), kept.end());
  if (kept.empty()) return fail(Diagnostic::plain("nothing of the adapter module is needed"));
  Gc gc(m, info);
  WITC_TRY(gc.mark(kept));
  return gc.encode(kept, std::move(main_realloc));
}

}  // namespace witc::compose
