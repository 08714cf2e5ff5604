#include "witc/base/source_map.h"

#include <algorithm>

#include <fmt/format.h>

namespace witc {

namespace {

// Counts UTF-8 code points in a byte range (continuation bytes don't count).
uint32_t count_chars(std::string_view s) {
  uint32_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

uint32_t SourceMap::add(std::string path, std::string contents) {
  uint32_t base = next_;
  next_ = base + static_cast<uint32_t>(contents.size()) + 1;
  files_.push_back(File{std::move(path), std::move(contents), base});
  return base;
}

const SourceMap::File* SourceMap::file_of(uint32_t off) const {
  auto it = std::upper_bound(files_.begin(), files_.end(), off,
                             [](uint32_t o, const File& f) { return o < f.base; });
  if (it == files_.begin()) return nullptr;
  --it;
  if (off > it->base + it->contents.size()) return nullptr;
  return &*it;
}

LineCol SourceMap::line_col(uint32_t off) const {
  const File* f = file_of(off);
  if (!f) return {};
  std::string_view text = f->contents;
  size_t pos = std::min<size_t>(off - f->base, text.size());
  uint32_t line = 1;
  size_t line_start = 0;
  for (size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return {line, count_chars(text.substr(line_start, pos - line_start)) + 1};
}

std::string SourceMap::location(Span s) const {
  const File* f = file_of(s.begin);
  if (!f) return "<unknown>";
  LineCol lc = line_col(s.begin);
  return fmt::format("{}:{}:{}", f->path, lc.line, lc.col);
}

std::string SourceMap::highlight(Span s, std::string_view message) const {
  const File* f = file_of(s.begin);
  if (!f) return std::string(message);
  std::string_view text = f->contents;
  size_t pos = std::min<size_t>(s.begin - f->base, text.size());
  size_t line_start = 0;
  if (pos > 0) {
    size_t nl = text.rfind('\n', pos - 1);
    line_start = nl == std::string_view::npos ? 0 : nl + 1;
  }
  size_t line_end = text.find('\n', pos);
  if (line_end == std::string_view::npos) line_end = text.size();
  std::string_view line = text.substr(line_start, line_end - line_start);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  LineCol lc = line_col(s.begin);
  // Very long lines are not echoed (the reference's rule for lines over 500
  // bytes): just "file:line:col: message".
  if (line.size() > 500) {
    return fmt::format("{}:{}:{}: {}", f->path, lc.line, lc.col, message);
  }
  std::string out = fmt::format("{}\n     --> {}:{}:{}\n      |\n {:4} | {}\n      | {:>{}}",
                                message, f->path, lc.line, lc.col, lc.line, line, "^", lc.col);
  size_t end = std::min<size_t>(s.end > s.begin ? s.end - f->base : pos, text.size());
  if (end > pos) {
    uint32_t n = count_chars(text.substr(pos, end - pos));
    if (n > 1) out.append(n - 1, '-');
  }
  return out;
}

}  // namespace witc
