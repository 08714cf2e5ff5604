// Validating core modules (core spec 3).
//
// validate_module checks a bin::Module read by read_module against the spec's
// validation rules under a feature set: types, imports, limits, constant
// expressions, element and data segments, exports (unique names), the start
// function and, instruction by instruction, every function body (see
// func_validator.h). It returns what validation learns — the index spaces —
// as a ModuleInfo, which the runtime reuses instead of recomputing.
//
// Errors are "<message> (at offset 0x…)" with context ("in function 7"), and
// use the wording of the spec interpreter where the spec tests fix one
// ("type mismatch", "unknown global 1", "alignment must not be larger than
// natural", ...).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bin/features.h"
#include "witc/bin/module.h"

namespace witc::bin {

class InstrVisitor;

// The index spaces of a module, imports first (core spec 3.4.10, context C).
struct ModuleInfo {
  std::vector<TypeIdx> funcs;         // the type of every function
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<GlobalType> globals;
  std::vector<TypeIdx> tags;          // the type of every tag
  std::vector<ValType> elems;         // the reference type of every element segment
  std::optional<uint32_t> data_count;  // from the data count section
  uint32_t imported_funcs = 0;
  uint32_t imported_globals = 0;
  std::vector<bool> declared_funcs;   // C.refs: functions ref.func may name

  const FuncType& func_type(const Module& m, uint32_t func) const {
    return m.types[funcs[func].index];
  }
};

// Validates everything except function bodies and returns the index spaces.
Expected<ModuleInfo> validate_module_header(const Module& m, Features features);

// Validates the whole module. If `visitor` is given it sees every instruction
// of every body after the instruction type-checks (see func_validator.h).
Expected<ModuleInfo> validate_module(const Module& m, Features features,
                                     InstrVisitor* visitor = nullptr);

// Validates a constant expression of type `expected` (core spec 3.3.10):
// only constant instructions, global.get of immutable imported globals,
// ref.func of existing functions (recorded in info.declared_funcs when
// `declare` is set).
Expected<void> validate_const_expr(const Module& m, ModuleInfo& info, Features features,
                                   ByteRange expr, ValType expected, bool declare);

}  // namespace witc::bin
