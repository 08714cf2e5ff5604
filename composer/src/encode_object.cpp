// The world's `component-type` section in a relocatable object file (encode.h).
//
// The object follows the WebAssembly object-file conventions
// (tool-conventions Linking.md): one empty function, `() -> ()`, defined as
// a global function symbol in the `linking` section (version 2), and the
// `component-type:<world>` custom section. wasm-ld copies custom sections of
// every object it loads into its output, concatenating equal names; the
// world name in the section name keeps different worlds apart.
#include "encode_util.h"
#include "witc/base/try.h"
#include "witc/composer/encode.h"

namespace witc::compose {

namespace {

constexpr uint32_t kLinkingVersion = 2;
constexpr uint8_t kSymbolTable = 8;     // WASM_SYMBOL_TABLE
constexpr uint8_t kSymbolFunction = 0;  // SYMTAB_FUNCTION

void section(std::vector<uint8_t>& out, uint8_t id, const std::vector<uint8_t>& body) {
  out.push_back(id);
  bin::write_uleb(out, body.size());
  out.insert(out.end(), body.begin(), body.end());
}

std::vector<uint8_t> linking_section(const std::string& symbol) {
  std::vector<uint8_t> symtab;
  bin::write_uleb(symtab, 1);  // one symbol
  symtab.push_back(kSymbolFunction);
  bin::write_uleb(symtab, 0);  // flags: global binding, default visibility
  bin::write_uleb(symtab, 0);  // function index
  detail::put_name(symtab, symbol);
  std::vector<uint8_t> out;
  bin::write_uleb(out, kLinkingVersion);
  out.push_back(kSymbolTable);
  bin::write_uleb(out, symtab.size());
  out.insert(out.end(), symtab.begin(), symtab.end());
  return out;
}

}  // namespace

Expected<std::vector<uint8_t>> component_type_object(const wit::Resolve& resolve, wit::WorldId world,
                                                     StringEncoding enc) {
  std::vector<Producer> producers = {reference_producer(), {"witc", "0.1.0"}};
  WITC_TRY_VAL(std::vector<uint8_t> metadata, encode_world_metadata(resolve, world, enc, producers));
  std::vector<uint8_t> out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  section(out, 1, {0x01, 0x60, 0x00, 0x00});        // type 0: (func)
  section(out, 3, {0x01, 0x00});                    // func 0: type 0
  section(out, 10, {0x01, 0x02, 0x00, 0x0b});       // body: no locals, end
  detail::append_custom_section(out, component_type_section_name(resolve, world), metadata);
  detail::append_custom_section(out, "linking", linking_section(component_type_link_symbol(resolve, world)));
  return out;
}

}  // namespace witc::compose
