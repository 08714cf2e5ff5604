#include "parse_lexer.h"

#include <array>
#include <cstring>
#include <string>

#include <fmt/format.h>

#include "parse_text.h"

namespace witc::wit::detail {

namespace {

using P = antlrgen::WitParser;

struct Keyword {
  std::string_view text;
  size_t type;
};

// Every keyword (looked up through kKeywordTable below).
constexpr auto kKeywords = std::to_array<Keyword>({
    {"_", P::UNDERSCORE},       {"as", P::AS},
    {"async", P::ASYNC},        {"bool", P::BOOL},
    {"borrow", P::BORROW},      {"char", P::CHAR},
    {"constructor", P::CONSTRUCTOR}, {"enum", P::ENUM},
    {"error-context", P::ERROR_CONTEXT}, {"export", P::EXPORT},
    {"f32", P::F32},            {"f64", P::F64},
    {"flags", P::FLAGS},        {"from", P::FROM},
    {"func", P::FUNC},          {"future", P::FUTURE},
    {"import", P::IMPORT},      {"include", P::INCLUDE},
    {"interface", P::INTERFACE}, {"list", P::LIST},
    {"map", P::MAP},            {"option", P::OPTION},
    {"own", P::OWN},            {"package", P::PACKAGE},
    {"record", P::RECORD},      {"resource", P::RESOURCE},
    {"result", P::RESULT},      {"s16", P::S16},
    {"s32", P::S32},            {"s64", P::S64},
    {"s8", P::S8},              {"static", P::STATIC},
    {"stream", P::STREAM},      {"string", P::STRING},
    {"tuple", P::TUPLE},        {"type", P::TYPE},
    {"u16", P::U16},            {"u32", P::U32},
    {"u64", P::U64},            {"u8", P::U8},
    {"use", P::USE},            {"variant", P::VARIANT},
    {"with", P::WITH},          {"world", P::WORLD},
});

// A small open-addressed hash table of the keywords, built at compile time.
constexpr size_t kKeywordSlots = 128;
constexpr size_t keyword_hash(std::string_view s) {
  return (static_cast<unsigned char>(s[0]) * 7 + static_cast<unsigned char>(s[s.size() - 1]) * 31 +
          static_cast<unsigned char>(s[s.size() / 2]) * 3 + s.size()) %
         kKeywordSlots;
}
constexpr std::array<int, kKeywordSlots> make_keyword_table() {
  std::array<int, kKeywordSlots> t{};
  for (int& x : t) x = -1;
  for (size_t k = 0; k < kKeywords.size(); ++k) {
    size_t h = keyword_hash(kKeywords[k].text);
    while (t[h] != -1) h = (h + 1) % kKeywordSlots;
    t[h] = static_cast<int>(k);
  }
  return t;
}
constexpr auto kKeywordTable = make_keyword_table();

size_t keyword_type(std::string_view s) {
  if (s.size() > 13) return P::ID;
  for (size_t h = keyword_hash(s);; h = (h + 1) % kKeywordSlots) {
    int k = kKeywordTable[h];
    if (k < 0) return P::ID;
    if (kKeywords[static_cast<size_t>(k)].text == s) return kKeywords[static_cast<size_t>(k)].type;
  }
}

bool keylike_start(char32_t c) { return c == '_' || c == '-' || is_xid_start(c); }
constexpr std::array<bool, 128> make_keylike_table() {
  std::array<bool, 128> t{};
  for (int c = 0; c < 128; ++c)
    t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  return t;
}
constexpr auto kKeylikeContinue = make_keylike_table();

constexpr std::array<bool, 128> make_id_start_table() {
  std::array<bool, 128> t{};
  for (int c = 0; c < 128; ++c) t[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return t;
}
constexpr auto kIdStart = make_id_start_table();

// Single-byte punctuation tokens ('/' is handled with comments).
constexpr std::array<size_t, 256> make_punct_table() {
  std::array<size_t, 256> t{};
  t['='] = P::EQUALS;
  t[','] = P::COMMA;
  t[':'] = P::COLON;
  t['.'] = P::PERIOD;
  t[';'] = P::SEMI;
  t['('] = P::LPAREN;
  t[')'] = P::RPAREN;
  t['{'] = P::LBRACE;
  t['}'] = P::RBRACE;
  t['<'] = P::LT;
  t['>'] = P::GT;
  t['*'] = P::STAR;
  t['@'] = P::AT;
  t['+'] = P::PLUS;
  t['-'] = P::MINUS;
  return t;
}
constexpr auto kPunct = make_punct_table();
bool keylike_continue(char32_t c) { return c == '-' || is_xid_continue(c); }
bool is_hex(char32_t c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
uint32_t hex_value(char32_t c) {
  return c <= '9' ? c - '0' : c <= 'F' ? c - 'A' + 10 : c - 'a' + 10;
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// What the reference refuses before tokenizing (`detect_invalid_input`).
std::optional<Diagnostic> forbidden_code_point(std::string_view s, uint32_t base) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  for (size_t i = 0; i < s.size();) {
    // Eight printable ASCII bytes at a time (none below 0x20, none above 0x7e).
    while (i + 8 <= s.size()) {
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      uint64_t below = (w - kOnes * 0x20) & ~w & kHigh;
      uint64_t above = ((w + kOnes) | w) & kHigh;
      if (below | above) break;
      i += 8;
    }
    if (i >= s.size()) break;
    unsigned char byte = static_cast<unsigned char>(s[i]);
    if (byte >= 0x20 && byte < 0x7F) {  // printable ASCII
      ++i;
      continue;
    }
    size_t at = i;
    char32_t c = next_code_point(s, i);
    if (c == '\n' || c == '\r' || c == '\t') continue;
    std::string msg;
    if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)) {
      msg = fmt::format("Input contains bidirectional override codepoint '{}'", escape_unicode(c));
    } else if (c == 0x149 || c == 0x673 || c == 0xF77 || c == 0xF79 || c == 0x17A3 || c == 0x17A4 ||
               c == 0x17B4 || c == 0x17B5) {
      msg = fmt::format("Codepoint '{}' is discouraged by Unicode", escape_unicode(c));
    } else if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) {
      msg = fmt::format("Control code '{}'", escape_unicode(c));
    } else {
      continue;
    }
    uint32_t b = base + static_cast<uint32_t>(at);
    return Diagnostic::at(Span{b, b + 1}, std::move(msg));
  }
  return std::nullopt;
}

class Lexer {
 public:
  Lexer(std::string_view s, uint32_t base) : s_(s), base_(base) {}

  Lexed run() {
    out_.tokens.reserve(s_.size() / 6 + 16);
    const char* p = s_.data();
    size_t n = s_.size();
    size_t i = s_.starts_with("\xEF\xBB\xBF") ? 3 : 0;
    while (i < n) {
      unsigned char c = static_cast<unsigned char>(p[i]);
      if (c == ' ' || c == '\n' || c == '\t') {
        ++i;
        continue;
      }
      // Punctuation: one token type per byte.
      if (size_t type = kPunct[c]; type != 0) {
        size_t end = i + 1;
        if (c == '-' && end < n && p[end] == '>') type = P::RARROW, ++end;
        i = token(type, i, end);
        continue;
      }
      if (c < 0x80 && kIdStart[c]) {
        size_t end = identifier_end(i + 1);
        i = token(keyword_type(s_.substr(i, end - i)), i, end);
        continue;
      }
      if (c >= '0' && c <= '9') {
        size_t end = i + 1;
        while (end < n && p[end] >= '0' && p[end] <= '9') ++end;
        i = token(P::INTEGER, i, end);
        continue;
      }
      i = other(i);
    }
    add(antlr4::Token::EOF, n, n);
    return std::move(out_);
  }

 private:
  // Lexes what starts at i that is not whitespace, punctuation, an ASCII
  // identifier or an integer; returns where the next token may start.
  size_t other(size_t i) {
    unsigned char c = static_cast<unsigned char>(s_[i]);
    auto next_is = [&](char ch) { return i + 1 < s_.size() && s_[i + 1] == ch; };
    switch (c) {
      case '\r':
        if (next_is('\n')) return i + 2;
        return error(i, fmt::format("unexpected character {}", char_debug(U'\r')));
      case '/':
        if (next_is('/')) {
          size_t nl = s_.find('\n', i + 2);
          size_t end = nl == std::string_view::npos ? s_.size() : nl + 1;
          out_.comments.emplace_back(static_cast<uint32_t>(i), static_cast<uint32_t>(end));
          return end;
        }
        if (next_is('*')) return block_comment(i);
        return token(P::SLASH, i, i + 1);
      case '%': {
        size_t j = i + 1;
        if (j < s_.size()) {
          size_t k = j;
          if (keylike_start(next_code_point(s_, k))) j = identifier_end(k);
        }
        return token(P::EXPLICIT_ID, i, j);
      }
      case '"':
        return string_literal(i);
      default:
        break;
    }
    size_t j = i;
    char32_t cp = next_code_point(s_, j);
    if (keylike_start(cp)) {
      size_t end = identifier_end(j);
      return token(keyword_type(s_.substr(i, end - i)), i, end);
    }
    return error(i, fmt::format("unexpected character {}", char_debug(cp)));
  }

  size_t identifier_end(size_t j) {
    const char* p = s_.data();
    size_t n = s_.size();
    while (j < n) {
      unsigned char b = static_cast<unsigned char>(p[j]);
      if (b < 0x80) {
        if (!kKeylikeContinue[b]) break;
        ++j;
        continue;
      }
      size_t k = j;
      if (!keylike_continue(next_code_point(s_, k))) break;
      j = k;
    }
    return j;
  }

  // `/* ... */`, nesting; `/*` and `*/` are matched left to right.
  size_t block_comment(size_t start) {
    size_t depth = 1, i = start + 2, n = s_.size();
    while (depth > 0) {
      if (i >= n) return error(start, "unterminated block comment");
      if (s_[i] == '/' && i + 1 < n && s_[i + 1] == '*') {
        ++depth;
        i += 2;
      } else if (s_[i] == '*' && i + 1 < n && s_[i + 1] == '/') {
        --depth;
        i += 2;
      } else {
        ++i;
      }
    }
    out_.comments.emplace_back(static_cast<uint32_t>(start), static_cast<uint32_t>(i));
    return i;
  }

  // A character of a string literal: its position and value, CRLF as '\n';
  // false at the end of input.
  bool next_char(size_t& i, size_t& pos, char32_t& c) {
    if (i >= s_.size()) return false;
    pos = i;
    if (s_[i] == '\r' && i + 1 < s_.size() && s_[i + 1] == '\n') {
      i += 2;
      c = '\n';
      return true;
    }
    c = next_code_point(s_, i);
    return true;
  }

  size_t string_literal(size_t start) {
    size_t i = start + 1, pos = 0;
    char32_t c = 0;
    std::string bytes;
    auto eof = [&] { return error(s_.size(), "unexpected end of file"); };
    for (;;) {
      if (!next_char(i, pos, c)) return eof();
      if (c == '"') break;
      if (c < 0x20 || c == 0x7F) return error(pos, fmt::format("invalid string character {}", char_debug(c)));
      if (c != '\\') {
        append_utf8(bytes, c);
        continue;
      }
      size_t epos = 0;
      if (!next_char(i, epos, c)) return eof();
      switch (c) {
        case '"': bytes += '"'; continue;
        case '\'': bytes += '\''; continue;
        case 't': bytes += '\t'; continue;
        case 'n': bytes += '\n'; continue;
        case 'r': bytes += '\r'; continue;
        case '\\': bytes += '\\'; continue;
        default: break;
      }
      if (c == 'u') {
        if (!next_char(i, pos, c)) return eof();
        if (c != '{') return error(pos, fmt::format("expected character {}", char_debug(U'{')));
        uint32_t value = 0;
        if (size_t r = hex_number(i, value); r != 0) return r;
        bool valid = value <= 0x10FFFF && (value < 0xD800 || value > 0xDFFF);
        if (!valid) return error(epos, fmt::format("invalid unicode value {:#x}", value));
        append_utf8(bytes, value);
        if (!next_char(i, pos, c)) return eof();
        if (c != '}') return error(pos, fmt::format("expected character {}", char_debug(U'}')));
      } else if (is_hex(c)) {
        char32_t c2 = 0;
        if (!next_char(i, pos, c2)) return eof();
        if (!is_hex(c2)) return error(pos, fmt::format("invalid hex digit {}", char_debug(c2)));
        bytes += static_cast<char>(hex_value(c) * 16 + hex_value(c2));
      } else {
        return error(epos, fmt::format("invalid string escape {}", char_debug(c)));
      }
    }
    if (auto bad = check_utf8(bytes)) return error(start, "invalid UTF-8: " + bad->message);
    return token(P::STRING_LITERAL, start, i);
  }

  // Hex digits with `_` separators after `\u{`; returns 0 on success or the
  // position to resume at (the end of input) after recording an error.
  size_t hex_number(size_t& i, uint32_t& value) {
    size_t pos = 0;
    char32_t c = 0;
    if (!next_char(i, pos, c)) return error(s_.size(), "unexpected end of file");
    if (!is_hex(c)) return error(pos, fmt::format("invalid hex digit {}", char_debug(c)));
    size_t first = pos;
    value = hex_value(c);
    bool trailing_underscore = false;
    for (;;) {
      if (i < s_.size() && s_[i] == '_') {
        ++i;
        trailing_underscore = true;
        continue;
      }
      size_t peek = i;
      if (!next_char(peek, pos, c)) return error(s_.size(), "unexpected end of file");
      if (!is_hex(c)) break;
      trailing_underscore = false;
      i = peek;
      if (value > (UINT32_MAX - hex_value(c)) / 16) return error(pos, "number is too big to fit in a u32");
      value = value * 16 + hex_value(c);
    }
    if (trailing_underscore) return error(first, "trailing underscore in number");
    return 0;
  }

  size_t token(size_t type, size_t b, size_t e) {
    // Depth limits: the first token inside 100 unclosed `<` (a type nested
    // too deeply) or the 101st nested `package` stops the token stream.
    if (lt_depth_ >= kMaxNesting) return stop(P::DEPTH_LIMIT, b, e, "type nesting too deep");
    if (type == P::PACKAGE && pkg_depth_ >= kMaxNesting)
      return stop(P::DEPTH_LIMIT, b, e, "package nesting too deep");
    if (type <= P::GT || type == P::PACKAGE) track_nesting(type);  // punctuation or `package`
    add(type, b, e);
    return e;
  }

  void track_nesting(size_t type) {
    switch (type) {
      case P::LT: ++lt_depth_; break;
      case P::GT: lt_depth_ -= lt_depth_ > 0; break;
      case P::PACKAGE: pending_package_ = true; break;
      case P::SEMI: pending_package_ = false; break;
      case P::LBRACE:
        braces_.push_back(pending_package_);
        pkg_depth_ += pending_package_;
        pending_package_ = false;
        break;
      case P::RBRACE:
        if (!braces_.empty()) {
          pkg_depth_ -= braces_.back();
          braces_.pop_back();
        }
        break;
      default: break;
    }
  }

  size_t stop(size_t type, size_t b, size_t e, std::string msg) {
    out_.stop = Diagnostic::at(Span{base_ + static_cast<uint32_t>(b), base_ + static_cast<uint32_t>(e)},
                               std::move(msg));
    add(type, b, e);
    return s_.size();
  }

  // A lexical error at byte `at`, reported with a one-character span.
  size_t error(size_t at, std::string msg) { return stop(P::LEX_ERROR, at, at + 1, std::move(msg)); }

  void add(size_t type, size_t b, size_t e) {
    auto& toks = out_.tokens;
    // A '.' followed by what continues a version (`1.2.3-rc.1`) is DOT_CONT,
    // which keeps the version rules LL(1).
    if (!toks.empty() && toks.back().type_ == P::PERIOD &&
        (type == P::ID || type == P::INTEGER || type == P::MINUS || type == P::LEX_ERROR))
      toks.back().type_ = P::DOT_CONT;
    WitToken& t = toks.emplace_back(type, static_cast<uint32_t>(b), static_cast<uint32_t>(e));
    t.index_ = static_cast<uint32_t>(toks.size() - 1);
    t.comments_end_ = static_cast<uint32_t>(out_.comments.size());
  }

  std::string_view s_;
  uint32_t base_;
  Lexed out_;
  uint32_t lt_depth_ = 0, pkg_depth_ = 0;
  bool pending_package_ = false;
  std::vector<bool> braces_;
};

}  // namespace

Expected<Lexed> lex(std::string_view text, uint32_t base) {
  if (auto bad = check_utf8(text)) {
    uint32_t at = base + static_cast<uint32_t>(bad->offset);
    return fail(Diagnostic::at(Span{at, at + 1}, "invalid UTF-8: " + bad->message));
  }
  if (auto bad = forbidden_code_point(text, base)) return fail(std::move(*bad));
  return Lexer(text, base).run();
}

std::string describe_token(size_t type) {
  switch (type) {
    case antlr4::Token::EOF: return "eof";
    case P::EQUALS: return "'='";
    case P::COMMA: return "','";
    case P::COLON: return "':'";
    case P::PERIOD: case P::DOT_CONT: return "'.'";
    case P::SEMI: return "';'";
    case P::LPAREN: return "'('";
    case P::RPAREN: return "')'";
    case P::LBRACE: return "'{'";
    case P::RBRACE: return "'}'";
    case P::LT: return "'<'";
    case P::GT: return "'>'";
    case P::RARROW: return "`->`";
    case P::STAR: return "`*`";
    case P::AT: return "`@`";
    case P::SLASH: return "`/`";
    case P::PLUS: return "`+`";
    case P::MINUS: return "`-`";
    case P::ID: return "an identifier";
    case P::EXPLICIT_ID: return "an '%' identifier";
    case P::INTEGER: return "an integer";
    case P::STRING_LITERAL: return "a string literal";
    default: break;
  }
  for (const Keyword& k : kKeywords) {
    if (k.type == type) return fmt::format("keyword `{}`", k.text);
  }
  return "a token";
}

std::string string_literal_value(std::string_view text) {
  std::string out;
  if (text.size() < 2) return out;
  std::string_view s = text.substr(1, text.size() - 2);
  for (size_t i = 0; i < s.size();) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      out += '\n';
      i += 2;
      continue;
    }
    if (s[i] != '\\') {
      append_utf8(out, next_code_point(s, i));
      continue;
    }
    ++i;
    if (i >= s.size()) break;
    char c = s[i++];
    switch (c) {
      case '"': out += '"'; continue;
      case '\'': out += '\''; continue;
      case 't': out += '\t'; continue;
      case 'n': out += '\n'; continue;
      case 'r': out += '\r'; continue;
      case '\\': out += '\\'; continue;
      default: break;
    }
    if (c == 'u') {  // `\u{1F_600}`
      uint32_t value = 0;
      for (++i; i < s.size() && s[i] != '}'; ++i)
        if (s[i] != '_') value = value * 16 + hex_value(static_cast<unsigned char>(s[i]));
      ++i;
      append_utf8(out, value);
    } else if (i < s.size()) {  // `\41`
      out += static_cast<char>(hex_value(static_cast<unsigned char>(c)) * 16 +
                               hex_value(static_cast<unsigned char>(s[i])));
      ++i;
    }
  }
  return out;
}

}  // namespace witc::wit::detail
