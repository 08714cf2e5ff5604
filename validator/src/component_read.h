// Private: the decoder of component sections (component_reader.cpp: sections
// and definitions; component_reader_types.cpp: core and component types).
#pragma once

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "component_codec.h"
#include "component_assign.h"
#include "try.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/cursor.h"

namespace witc::bin::detail {

class ComponentDecoder {
 public:
  ComponentDecoder(Component& comp, Cursor& c, unsigned depth) : comp_(comp), c_(c), depth_(depth) {}

  Expected<void> section(ComponentSectionId id);

  // Productions shared by several sections.
  Expected<std::string> name();
  Expected<ExternName> extern_name();
  Expected<Sort> sort();
  Expected<Sort> core_sort();
  Expected<SortIdx> sort_idx();
  Expected<ValueTypeRef> valtype();
  Expected<std::optional<ValueTypeRef>> opt_valtype(std::string_view what);
  Expected<ExternDesc> extern_desc();
  Expected<AliasDef> alias();
  Expected<CoreTypeDef> core_type(unsigned depth);
  Expected<TypeDef> type(unsigned depth);
  Expected<CoreExternDesc> core_extern_desc();
  Expected<std::vector<CanonOpt>> canon_opts();
  Expected<bool> flag();
  Expected<std::optional<ValueTypeRef>> result_list();

  // "invalid leading byte (0x6) for component external kind" at `at`.
  Diagnostic bad_byte(const uint8_t* at, uint8_t b, std::string_view what) const {
    return c_.error_at(at, fmt::format("invalid leading byte ({:#x}) for {}", b, what));
  }
  Expected<uint32_t> count(std::string_view what, size_t limit = component_limits::kNames) {
    return c_.count(limit, what);
  }

 private:
  Expected<void> core_modules();
  Expected<void> core_instances();
  Expected<void> core_types();
  Expected<void> nested_component();
  Expected<void> instances();
  Expected<void> aliases();
  Expected<void> types();
  Expected<void> canons();
  Expected<void> start();
  Expected<void> imports();
  Expected<void> exports();
  Expected<void> values();
  Expected<void> custom();
  Expected<CanonDef> canon();
  Expected<DefinedType> defined_type(uint8_t code, const uint8_t* at);
  Expected<std::vector<Declarator>> declarators(bool component, unsigned depth);
  Expected<Limits> limits();

  Component& comp_;
  Cursor& c_;
  unsigned depth_;
};

}  // namespace witc::bin::detail

