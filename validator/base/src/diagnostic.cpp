#include "witc/base/diagnostic.h"

#include <fmt/format.h>

#include "witc/base/source_map.h"

namespace witc {

std::string render(const Diagnostic& d, const SourceMap* sources) {
  std::string prefix;
  for (const auto& c : d.context) {
    prefix += c;
    prefix += ": ";
  }
  std::string body;
  if (d.span && sources && sources->file_of(d.span->begin)) {
    body = sources->highlight(*d.span, d.message);
  } else if (d.offset) {
    body = fmt::format("{} (at offset {:#x})", d.message, *d.offset);
  } else {
    body = d.message;
  }
  std::string out = prefix + body;
  for (const auto& n : d.notes) {
    out += '\n';
    out += n;
  }
  return out;
}

}  // namespace witc
