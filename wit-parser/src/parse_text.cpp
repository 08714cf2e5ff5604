#include "parse_text.h"

#include <cstring>

#include <fmt/format.h>

namespace witc::wit::detail {

char32_t next_code_point(std::string_view s, size_t& i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  if (c < 0x80) {
    i += 1;
    return c;
  }
  if (c < 0xE0) {
    char32_t r = ((c & 0x1Fu) << 6) | (b(1) & 0x3Fu);
    i += 2;
    return r;
  }
  if (c < 0xF0) {
    char32_t r = ((c & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
    i += 3;
    return r;
  }
  char32_t r = ((c & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) | (b(3) & 0x3Fu);
  i += 4;
  return r;
}

std::string escape_unicode(char32_t c) { return fmt::format("\\u{{{:x}}}", static_cast<uint32_t>(c)); }

std::string char_debug(char32_t c) {
  std::string out = "'";
  switch (c) {
    case U'\0': out += "\\0"; break;
    case U'\t': out += "\\t"; break;
    case U'\r': out += "\\r"; break;
    case U'\n': out += "\\n"; break;
    case U'\\': out += "\\\\"; break;
    case U'\'': out += "\\'"; break;
    default:
      if (c < 0x20 || c == 0x7F || needs_debug_escape(c)) {
        out += escape_unicode(c);
      } else if (c < 0x80) {
        out += static_cast<char>(c);
      } else {
        char buf[4];
        int n = 0;
        if (c < 0x800) {
          buf[n++] = static_cast<char>(0xC0 | (c >> 6));
        } else if (c < 0x10000) {
          buf[n++] = static_cast<char>(0xE0 | (c >> 12));
          buf[n++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        } else {
          buf[n++] = static_cast<char>(0xF0 | (c >> 18));
          buf[n++] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
          buf[n++] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        }
        buf[n++] = static_cast<char>(0x80 | (c & 0x3F));
        out.append(buf, n);
      }
  }
  out += '\'';
  return out;
}

// Mirrors Rust's `str::from_utf8` validation so the message matches its
// `Utf8Error` ("invalid utf-8 sequence of N bytes from index I").
std::optional<Utf8Error> check_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  auto cont = [&](size_t k) { return k < n && (at(k) & 0xC0) == 0x80; };
  while (i < n) {
    // Skip ASCII eight bytes at a time.
    while (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ull) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char c = at(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t bad = 0;  // invalid sequence length; 0 = truncated at end of input
    size_t width = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    if (width == 0) {
      bad = 1;
    } else if (i + 1 >= n) {
      bad = 0;
    } else {
      unsigned char d = at(i + 1);
      bool ok2 = width == 2   ? (d & 0xC0) == 0x80
                 : width == 3 ? (c == 0xE0 ? d >= 0xA0 && d <= 0xBF
                                : c == 0xED ? d >= 0x80 && d <= 0x9F
                                            : (d & 0xC0) == 0x80)
                              : (c == 0xF0 ? d >= 0x90 && d <= 0xBF
                                 : c == 0xF4 ? d >= 0x80 && d <= 0x8F
                                             : (d & 0xC0) == 0x80);
      if (!ok2) {
        bad = 1;
      } else if (width == 2) {
        i += 2;
        continue;
      } else if (i + 2 >= n) {
        bad = 0;
      } else if (!cont(i + 2)) {
        bad = 2;
      } else if (width == 3) {
        i += 3;
        continue;
      } else if (i + 3 >= n) {
        bad = 0;
      } else if (!cont(i + 3)) {
        bad = 3;
      } else {
        i += 4;
        continue;
      }
    }
    if (bad == 0) return Utf8Error{i, fmt::format("incomplete utf-8 byte sequence from index {}", i)};
    return Utf8Error{i, fmt::format("invalid utf-8 sequence of {} bytes from index {}", bad, i)};
  }
  return std::nullopt;
}

namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The code point at byte `i` of an identifier (ids may hold any XID text).
char32_t cp_at(std::string_view s, size_t i) { return next_code_point(s, i); }

}  // namespace

std::optional<std::string> validate_id(std::string_view id) {
  // Fast path: lowercase kebab-case words, the common case.
  bool simple = !id.empty() && is_lower(id[0]) && id.back() != '-';
  for (size_t i = 0; simple && i < id.size(); ++i) {
    char c = id[i];
    if (is_lower(c) || is_digit(c)) continue;
    simple = c == '-' && i + 1 < id.size() && (is_lower(id[i + 1]) || is_digit(id[i + 1]));
  }
  if (simple) return std::nullopt;
  static const std::string kEmptyPart = "identifiers must have characters between '-'s";
  if (id.empty()) return kEmptyPart;
  size_t start = 0;
  for (size_t idx = 0;; ++idx) {
    size_t dash = id.find('-', start);
    std::string_view part = id.substr(start, dash == std::string_view::npos ? id.npos : dash - start);
    if (part.empty()) return kEmptyPart;
    if (idx == 0 && !is_lower(part[0]) && !is_upper(part[0]))
      return "invalid character in identifier " + char_debug(cp_at(part, 0));
    int upper = -1;  // unknown
    for (size_t i = 0; i < part.size(); ++i) {
      char c = part[i];
      if (is_digit(c)) continue;
      if (is_upper(c) || is_lower(c)) {
        int u = is_upper(c) ? 1 : 0;
        if (upper == -1) upper = u;
        if (upper == u) continue;
      }
      return "invalid character in identifier " + char_debug(cp_at(part, i));
    }
    if (dash == std::string_view::npos) return std::nullopt;
    start = dash + 1;
  }
}

// ---------------------------------------------------------------- semver

namespace {

enum class Pos { Major, Minor, Patch, Pre, Build };

const char* pos_name(Pos p) {
  switch (p) {
    case Pos::Major: return "major version number";
    case Pos::Minor: return "minor version number";
    case Pos::Patch: return "patch version number";
    case Pos::Pre: return "pre-release identifier";
    case Pos::Build: return "build metadata";
  }
  return "";
}

std::string quoted(std::string_view s) {
  size_t i = 0;
  return char_debug(next_code_point(s, i));
}

struct SemverParser {
  std::string_view t;
  std::optional<std::string> err;

  bool fail(std::string msg) {
    err = std::move(msg);
    return false;
  }
  bool numeric(Pos p) {
    size_t len = 0;
    uint64_t v = 0;
    while (len < t.size() && is_digit(t[len])) {
      if (v == 0 && len > 0) return fail(fmt::format("invalid leading zero in {}", pos_name(p)));
      uint64_t d = static_cast<uint64_t>(t[len] - '0');
      if (v > (UINT64_MAX - d) / 10) return fail(fmt::format("value of {} exceeds u64::MAX", pos_name(p)));
      v = v * 10 + d;
      ++len;
    }
    if (len == 0) {
      if (t.empty()) return fail(fmt::format("unexpected end of input while parsing {}", pos_name(p)));
      return fail(fmt::format("unexpected character {} while parsing {}", quoted(t), pos_name(p)));
    }
    t.remove_prefix(len);
    return true;
  }
  bool dot(Pos p) {
    if (!t.empty() && t[0] == '.') {
      t.remove_prefix(1);
      return true;
    }
    if (t.empty()) return fail(fmt::format("unexpected end of input while parsing {}", pos_name(p)));
    return fail(fmt::format("unexpected character {} after {}", quoted(t), pos_name(p)));
  }
  // Dot-separated [0-9A-Za-z-]+ segments; returns the consumed length.
  bool identifier(Pos p, size_t& consumed) {
    size_t acc = 0, seg = 0;
    bool nondigit = false;
    for (;;) {
      char c = acc + seg < t.size() ? t[acc + seg] : '\0';
      bool at_end = acc + seg >= t.size();
      if (!at_end && (is_lower(c) || is_upper(c) || c == '-')) {
        ++seg;
        nondigit = true;
        continue;
      }
      if (!at_end && is_digit(c)) {
        ++seg;
        continue;
      }
      bool dot_boundary = !at_end && c == '.';
      if (seg == 0) {
        if (acc == 0 && !dot_boundary) {
          consumed = 0;
          return true;
        }
        return fail(fmt::format("empty identifier segment in {}", pos_name(p)));
      }
      if (p == Pos::Pre && seg > 1 && !nondigit && t[acc] == '0')
        return fail(fmt::format("invalid leading zero in {}", pos_name(p)));
      acc += seg;
      if (!dot_boundary) {
        consumed = acc;
        return true;
      }
      acc += 1;
      seg = 0;
      nondigit = false;
    }
  }
  bool run() {
    if (t.empty()) return fail("empty string, expected a semver version");
    if (!numeric(Pos::Major) || !dot(Pos::Major) || !numeric(Pos::Minor) || !dot(Pos::Minor) ||
        !numeric(Pos::Patch))
      return false;
    Pos p = Pos::Patch;
    for (Pos part : {Pos::Pre, Pos::Build}) {
      char lead = part == Pos::Pre ? '-' : '+';
      if (t.empty() || t[0] != lead) continue;
      t.remove_prefix(1);
      p = part;
      size_t n = 0;
      if (!identifier(part, n)) return false;
      if (n == 0) return fail(fmt::format("empty identifier segment in {}", pos_name(part)));
      t.remove_prefix(n);
    }
    if (!t.empty()) return fail(fmt::format("unexpected character {} after {}", quoted(t), pos_name(p)));
    return true;
  }
};

// Rust's `char::is_whitespace` (Unicode White_Space).
bool is_unicode_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// `str::trim_end`.
std::string_view trim_end(std::string_view s) {
  while (!s.empty()) {
    size_t start = s.size() - 1;
    while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    size_t i = start;
    if (!is_unicode_space(next_code_point(s, i))) break;
    s.remove_suffix(s.size() - start);
  }
  return s;
}

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\x0C' || c == '\r'; }

}  // namespace

std::optional<std::string> semver_error(std::string_view text) {
  SemverParser p{text, std::nullopt};
  p.run();
  return p.err;
}

// The reference (`Resolver::docs`): every comment before an item is a doc
// line; `/** .. */` loses its delimiters, `//` comments their leading
// slashes; the common leading indentation of non-empty lines is removed.
std::optional<std::string> doc_text(const std::vector<std::string_view>& comments) {
  if (comments.empty()) return std::nullopt;
  std::vector<std::string_view> docs;
  docs.reserve(comments.size());
  for (std::string_view c : comments) {
    std::string_view body;
    if (c.starts_with("/**")) {
      body = c.substr(3);
      body = body.ends_with("*/") ? body.substr(0, body.size() - 2) : std::string_view{};
    } else {
      size_t k = 0;
      while (k < c.size() && c[k] == '/') ++k;
      body = c.substr(k);
    }
    docs.push_back(trim_end(body));
  }
  size_t min_ws = SIZE_MAX;
  for (std::string_view d : docs) {
    if (d.empty()) continue;
    size_t k = 0;
    while (k < d.size() && is_ascii_space(d[k])) ++k;
    min_ws = std::min(min_ws, k);
  }
  if (min_ws != SIZE_MAX && min_ws > 0) {
    std::string pad(min_ws, ' ');
    for (std::string_view& d : docs)
      if (d.starts_with(pad)) d.remove_prefix(min_ws);
  }
  std::string out;
  for (std::string_view d : docs) {
    if (d.empty()) {
      out += '\n';
      continue;
    }
    // `str::lines`: split at '\n', drop one '\r' before it, no empty tail.
    while (!d.empty()) {
      size_t nl = d.find('\n');
      std::string_view line = d.substr(0, nl);
      if (nl != std::string_view::npos && line.ends_with('\r')) line.remove_suffix(1);
      out += line;
      out += '\n';
      if (nl == std::string_view::npos) break;
      d.remove_prefix(nl + 1);
    }
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace witc::wit::detail
