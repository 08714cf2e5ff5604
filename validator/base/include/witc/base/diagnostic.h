// Diagnostics shared by every witc library.
//
// A Diagnostic is a message plus where it happened: a span in a source text
// registered in a SourceMap (WIT, WAC) or a byte offset in a binary. Context
// ("failed to parse package: ...") is added as the error unwinds, outermost
// first. Public library functions return std::expected<T, Diagnostic>.
#pragma once

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace witc {

class SourceMap;

// A half-open range [begin, end) of global offsets in a SourceMap.
struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  friend bool operator==(const Span&, const Span&) = default;
};

struct Diagnostic {
  std::string message;
  std::optional<Span> span;           // source location (text inputs)
  std::optional<uint64_t> offset;     // byte offset (binary inputs)
  std::vector<std::string> context;   // outermost first, joined with ": "
  std::vector<std::string> notes;     // extra lines printed after the message

  static Diagnostic at(Span s, std::string msg) {
    Diagnostic d;
    d.message = std::move(msg);
    d.span = s;
    return d;
  }
  static Diagnostic at_offset(uint64_t off, std::string msg) {
    Diagnostic d;
    d.message = std::move(msg);
    d.offset = off;
    return d;
  }
  static Diagnostic plain(std::string msg) {
    Diagnostic d;
    d.message = std::move(msg);
    return d;
  }
  // Adds an outer layer of context ("failed to parse package: X").
  Diagnostic&& with_context(std::string ctx) && {
    context.insert(context.begin(), std::move(ctx));
    return std::move(*this);
  }
};

template <class T>
using Expected = std::expected<T, Diagnostic>;
using Unexpected = std::unexpected<Diagnostic>;

inline Unexpected fail(Diagnostic d) { return Unexpected(std::move(d)); }

// Renders a diagnostic. Text locations follow the reference WIT parser:
//   <context>: <message>
//        --> file:line:col
//         |
//      6 |   type y = u32
//         |   ^---
// Binary locations: "<message> (at offset 0x1a)".
std::string render(const Diagnostic& d, const SourceMap* sources = nullptr);

}  // namespace witc
