// libFuzzer target `fuzz-decode`: arbitrary bytes as a component, decoded
// into WIT. What reads and validates (all component features) must decode
// to a Resolve or be refused with a Diagnostic, never crash; a decoded graph
// must print as WIT and serialize as JSON. Core modules go through their
// component-type custom sections the same way, and then through `component
// new`: a module it accepts must give a component that decodes.
#include <cstddef>
#include <cstdint>
#include <span>

#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"
#include "witc/bin/reader.h"
#include "witc/composer/decode.h"
#include "witc/composer/new.h"
#include "witc/wit/wit.h"

namespace {

void exercise(const witc::compose::DecodedWit& d) {
  std::string text = witc::compose::print_main_package(d);
  std::string json = witc::wit::to_json(d.resolve);
  (void)text;
  (void)json;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  if (auto c = witc::bin::read_component(bytes)) {
    auto info = witc::bin::validate_component(*c, witc::bin::ComponentFeatures::all());
    if (!info) return 0;
    if (auto d = witc::compose::decode(*c, *info)) exercise(*d);
    return 0;
  }
  if (auto m = witc::bin::read_module(bytes)) {
    if (auto sections = witc::compose::decode_component_type_sections(*m)) {
      for (const auto& s : *sections) exercise(s.wit);
      if (sections->empty()) return 0;
      if (auto component = witc::compose::component_new(bytes)) {
        auto d = witc::compose::decode_component_binary(*component);
        if (!d) __builtin_trap();  // what component new writes must decode
        exercise(*d);
      }
    }
  }
  return 0;
}
