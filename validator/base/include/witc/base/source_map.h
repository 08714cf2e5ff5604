// Source texts addressed by global offsets, so a Span is two integers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "witc/base/diagnostic.h"

namespace witc {

struct LineCol {
  uint32_t line = 0;  // 1-based
  uint32_t col = 0;   // 1-based, counted in characters (UTF-8 code points)
};

class SourceMap {
 public:
  struct File {
    std::string path;      // as the user named it; used in rendered errors
    std::string contents;
    uint32_t base = 0;     // global offset of contents[0]
  };

  // Registers a text and returns the global offset of its first byte. Files
  // are separated by one unused offset so an end-of-file span is unambiguous.
  uint32_t add(std::string path, std::string contents);

  const File* file_of(uint32_t global_offset) const;
  const std::vector<File>& files() const { return files_; }

  LineCol line_col(uint32_t global_offset) const;
  // "file:line:col" for the start of a span.
  std::string location(Span s) const;

  // The reference snippet rendering of `message` at `s`.
  std::string highlight(Span s, std::string_view message) const;

 private:
  std::vector<File> files_;
  uint32_t next_ = 0;
};

}  // namespace witc
