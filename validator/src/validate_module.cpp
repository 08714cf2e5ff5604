// Module-level validation (core spec 3.2, 3.4): index spaces, limits,
// constant expressions, segments, exports, start; then every body.
#include <string_view>
#include <unordered_set>

#include <fmt/format.h>

#include "try.h"
#include "witc/bin/code_reader.h"
#include "witc/bin/func_validator.h"
#include "witc/bin/limits.h"
#include "witc/bin/validate.h"

namespace witc::bin {

namespace {

// Checks constant expressions; one instance per module reuses its stack.
class ConstExprChecker {
 public:
  ConstExprChecker(const Module& m, ModuleInfo& info, Features f) : m_(m), info_(info), f_(f) {}

  Expected<void> check(ByteRange expr, ValType expected, bool declare) {
    CodeReader rd(m_.bytes(expr), m_.base_offset + expr.begin, f_);
    stack_.clear();
    Instr ins;
    for (;;) {
      if (rd.at_end()) return fail(Diagnostic::at_offset(rd.offset(), "END opcode expected"));
      WITC_TRY(rd.next(ins));
      auto err = [&](std::string msg) { return fail(Diagnostic::at_offset(ins.offset, std::move(msg))); };
      switch (ins.op) {
        case Op::I32Const: stack_.push_back(ValType::I32); break;
        case Op::I64Const: stack_.push_back(ValType::I64); break;
        case Op::F32Const: stack_.push_back(ValType::F32); break;
        case Op::F64Const: stack_.push_back(ValType::F64); break;
        case Op::V128Const: stack_.push_back(ValType::V128); break;
        case Op::RefNull: stack_.push_back(ins.type); break;
        case Op::RefFunc:
          if (ins.index >= info_.funcs.size()) return err(fmt::format("unknown function {}", ins.index));
          if (declare) info_.declared_funcs[ins.index] = true;
          stack_.push_back(ValType::FuncRef);
          break;
        case Op::GlobalGet: {
          // Only imported globals are visible to constant expressions (2.0).
          if (ins.index >= info_.imported_globals) return err(fmt::format("unknown global {}", ins.index));
          const GlobalType& g = info_.globals[ins.index];
          if (g.mut) return err("constant expression required");
          stack_.push_back(g.type);
          break;
        }
        case Op::I32Add:
        case Op::I32Sub:
        case Op::I32Mul:
        case Op::I64Add:
        case Op::I64Sub:
        case Op::I64Mul: {
          if (!f_.has(Feature::ExtendedConst)) return err("constant expression required");
          ValType t = op_info(ins.op).sig.result == SigType::I32 ? ValType::I32 : ValType::I64;
          if (stack_.size() < 2 || stack_[stack_.size() - 1] != t || stack_[stack_.size() - 2] != t) {
            return err(fmt::format("type mismatch in {}: expected two {} operands", op_name(ins.op),
                                   to_string(t)));
          }
          stack_.pop_back();
          break;
        }
        case Op::End:
          if (stack_.size() != 1 || stack_[0] != expected) {
            std::string found;
            for (ValType t : stack_) found += fmt::format("{}{}", found.empty() ? "" : " ", to_string(t));
            return err(fmt::format("type mismatch in constant expression: expected [{}], found [{}]",
                                   to_string(expected), found));
          }
          if (!rd.at_end()) {
            return fail(Diagnostic::at_offset(rd.offset(), "operators remaining after end of expression"));
          }
          return {};
        default: return err("constant expression required");
      }
    }
  }

 private:
  const Module& m_;
  ModuleInfo& info_;
  Features f_;
  std::vector<ValType> stack_;
};

class ModuleValidator {
 public:
  ModuleValidator(const Module& m, Features f) : m_(m), f_(f), consts_(m, info_, f) {}

  Expected<ModuleInfo> run() {
    WITC_TRY(in(SectionId::Type, types()));
    WITC_TRY(in(SectionId::Import, imports()));
    WITC_TRY(in(SectionId::Function, functions()));
    WITC_TRY(in(SectionId::Table, tables()));
    WITC_TRY(in(SectionId::Memory, memories()));
    WITC_TRY(in(SectionId::Tag, tags()));
    WITC_TRY(in(SectionId::Global, globals()));
    WITC_TRY(in(SectionId::Export, exports()));
    WITC_TRY(in(SectionId::Start, start()));
    WITC_TRY(in(SectionId::Element, elements()));
    WITC_TRY(in(SectionId::Data, datas()));
    if (m_.functions.size() != m_.codes.size()) {
      return fail(Diagnostic::plain("function and code section have inconsistent lengths"));
    }
    return std::move(info_);
  }

 private:
  static Expected<void> in(SectionId id, Expected<void> r) {
    if (r) return r;
    return fail(std::move(r.error()).with_context(fmt::format("in section {}", static_cast<int>(id))));
  }
  static Unexpected err(uint64_t offset, std::string msg) {
    return fail(Diagnostic::at_offset(offset, std::move(msg)));
  }

  Expected<void> type_index(uint32_t idx, uint64_t offset) {
    if (idx >= m_.types.size()) return err(offset, fmt::format("unknown type {}", idx));
    return {};
  }

  Expected<void> limits(const Limits& l, bool memory, uint64_t offset) {
    if (memory) {
      uint64_t cap = l.is64 ? limits::kMemoryPages64 : limits::kMemoryPages32;
      if (l.min > cap || (l.max && *l.max > cap)) {
        return err(offset, l.is64 ? "memory size must be at most 2^48 pages"
                                  : "memory size must be at most 65536 pages (4GiB)");
      }
    }
    if (l.max && l.min > *l.max) return err(offset, "size minimum must not be greater than maximum");
    return {};
  }

  Expected<void> tag_type(const TagType& t, uint64_t offset) {
    WITC_TRY(type_index(t.type.index, offset));
    if (!m_.types[t.type.index].results.empty()) return err(offset, "tag types must not have results");
    return {};
  }

  Expected<void> types() {
    for (const auto& t : m_.types) {
      if (t.results.size() > 1 && !f_.has(Feature::MultiValue)) {
        return err(t.offset, "a function type with several results requires the multi-value feature");
      }
    }
    return {};
  }

  Expected<void> imports() {
    for (const auto& im : m_.imports) {
      switch (im.kind) {
        case ExternKind::Func:
          WITC_TRY(type_index(im.func.index, im.offset));
          info_.funcs.push_back(im.func);
          ++info_.imported_funcs;
          break;
        case ExternKind::Table:
          WITC_TRY(limits(im.table.limits, false, im.offset));
          info_.tables.push_back(im.table);
          break;
        case ExternKind::Memory:
          WITC_TRY(limits(im.memory.limits, true, im.offset));
          info_.memories.push_back(im.memory);
          break;
        case ExternKind::Global:
          if (im.global.mut && !f_.has(Feature::MutableGlobal)) {
            return err(im.offset, "importing a mutable global requires the mutable-global feature");
          }
          info_.globals.push_back(im.global);
          ++info_.imported_globals;
          break;
        case ExternKind::Tag:
          WITC_TRY(tag_type(im.tag, im.offset));
          info_.tags.push_back(im.tag.type);
          break;
      }
    }
    return {};
  }

  Expected<void> functions() {
    for (const auto& fn : m_.functions) {
      WITC_TRY(type_index(fn.type.index, fn.offset));
      info_.funcs.push_back(fn.type);
    }
    info_.declared_funcs.assign(info_.funcs.size(), false);
    return {};
  }

  Expected<void> tables() {
    for (const auto& t : m_.tables) {
      WITC_TRY(limits(t.type.limits, false, t.offset));
      info_.tables.push_back(t.type);
    }
    if (info_.tables.size() > 1 && !f_.has(Feature::ReferenceTypes)) {
      return err(m_.tables.empty() ? 0 : m_.tables.back().offset, "multiple tables");
    }
    return {};
  }

  Expected<void> memories() {
    for (const auto& mem : m_.memories) {
      WITC_TRY(limits(mem.type.limits, true, mem.offset));
      info_.memories.push_back(mem.type);
    }
    if (info_.memories.size() > 1 && !f_.has(Feature::MultiMemory)) {
      uint64_t off = m_.memories.empty() ? 0 : m_.memories.back().offset;
      if (m_.memories.empty()) {
        for (const auto& im : m_.imports) {
          if (im.kind == ExternKind::Memory) off = im.offset;
        }
      }
      return err(off, "multiple memories");
    }
    return {};
  }

  Expected<void> tags() {
    for (const auto& t : m_.tags) {
      WITC_TRY(tag_type(t.type, t.offset));
      info_.tags.push_back(t.type.type);
    }
    return {};
  }

  Expected<void> globals() {
    for (const auto& g : m_.globals) info_.globals.push_back(g.type);
    for (const auto& g : m_.globals) WITC_TRY(consts_.check(g.init, g.type.type, true));
    return {};
  }

  Expected<void> exports() {
    std::unordered_set<std::string_view> names;
    names.reserve(m_.exports.size());
    for (const auto& e : m_.exports) {
      if (!names.insert(e.name).second) {
        return err(e.offset, fmt::format("duplicate export name \"{}\"", e.name));
      }
      size_t count = 0;
      switch (e.kind) {
        case ExternKind::Func: count = info_.funcs.size(); break;
        case ExternKind::Table: count = info_.tables.size(); break;
        case ExternKind::Memory: count = info_.memories.size(); break;
        case ExternKind::Global: count = info_.globals.size(); break;
        case ExternKind::Tag: count = info_.tags.size(); break;
      }
      if (e.index >= count) return err(e.offset, fmt::format("unknown {} {}", to_string(e.kind), e.index));
      if (e.kind == ExternKind::Func) info_.declared_funcs[e.index] = true;
      if (e.kind == ExternKind::Global && info_.globals[e.index].mut && !f_.has(Feature::MutableGlobal)) {
        return err(e.offset, "exporting a mutable global requires the mutable-global feature");
      }
    }
    return {};
  }

  Expected<void> start() {
    if (!m_.start) return {};
    uint64_t off = m_.sections[static_cast<size_t>(SectionId::Start)].offset;
    uint32_t f = m_.start->index;
    if (f >= info_.funcs.size()) return err(off, fmt::format("unknown function {}", f));
    const FuncType& ft = info_.func_type(m_, f);
    if (!ft.params.empty() || !ft.results.empty()) {
      return err(off, "start function must have type [] -> []");
    }
    return {};
  }

  Expected<void> elements() {
    for (const auto& s : m_.elements) {
      if (s.uses_exprs()) {
        for (ByteRange e : s.exprs) WITC_TRY(consts_.check(e, s.type, true));
      } else {
        for (uint32_t f : s.funcs) {
          if (f >= info_.funcs.size()) return err(s.offset, fmt::format("unknown function {}", f));
          info_.declared_funcs[f] = true;
        }
      }
      if (s.mode == SegmentMode::Active) {
        uint32_t t = s.table.index;
        if (t >= info_.tables.size()) return err(s.offset, fmt::format("unknown table {}", t));
        ValType addr = info_.tables[t].limits.is64 ? ValType::I64 : ValType::I32;
        WITC_TRY(consts_.check(s.offset_expr, addr, true));
        if (info_.tables[t].elem != s.type) {
          return err(s.offset, fmt::format("type mismatch: element segment of {} for a table of {}",
                                           to_string(s.type), to_string(info_.tables[t].elem)));
        }
      }
      info_.elems.push_back(s.type);
    }
    return {};
  }

  Expected<void> datas() {
    info_.data_count = m_.data_count;
    for (const auto& d : m_.datas) {
      if (d.mode != SegmentMode::Active) continue;
      uint32_t mem = d.memory.index;
      if (mem >= info_.memories.size()) return err(d.offset, fmt::format("unknown memory {}", mem));
      ValType addr = info_.memories[mem].limits.is64 ? ValType::I64 : ValType::I32;
      WITC_TRY(consts_.check(d.offset_expr, addr, false));
    }
    return {};
  }

  const Module& m_;
  Features f_;
  ModuleInfo info_;
  ConstExprChecker consts_;
};

}  // namespace

Expected<ModuleInfo> validate_module_header(const Module& m, Features features) {
  return ModuleValidator(m, features).run();
}

Expected<ModuleInfo> validate_module(const Module& m, Features features, InstrVisitor* visitor) {
  WITC_TRY_VAL(ModuleInfo info, validate_module_header(m, features));
  FuncValidator v(m, info, features);
  for (uint32_t i = 0; i < m.codes.size(); ++i) {
    auto r = v.validate(i, visitor);
    if (!r) {
      return fail(std::move(r.error()).with_context(
          fmt::format("in section {}", static_cast<int>(SectionId::Code))));
    }
  }
  return info;
}

Expected<void> validate_const_expr(const Module& m, ModuleInfo& info, Features features,
                                   ByteRange expr, ValType expected, bool declare) {
  return ConstExprChecker(m, info, features).check(expr, expected, declare);
}

}  // namespace witc::bin
