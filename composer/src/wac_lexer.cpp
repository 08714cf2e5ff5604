// The WAC lexer (see wac_lexer.h).
#include "wac_lexer.h"

#include <array>

#include <fmt/format.h>

namespace witc::compose::wac::detail {

namespace {

using P = antlrgen::WacParser;

struct Keyword {
  std::string_view text;
  size_t type;
};

constexpr std::array<Keyword, 39> kKeywords{{
    {"func", P::FUNC},         {"u8", P::U8},           {"s8", P::S8},
    {"u16", P::U16},           {"s16", P::S16},         {"u32", P::U32},
    {"s32", P::S32},           {"u64", P::U64},         {"s64", P::S64},
    {"f32", P::F32},           {"f64", P::F64},         {"char", P::CHAR},
    {"bool", P::BOOL},         {"string", P::STRING_KW}, {"tuple", P::TUPLE},
    {"list", P::LIST},         {"option", P::OPTION},   {"result", P::RESULT},
    {"borrow", P::BORROW},     {"import", P::IMPORT},   {"with", P::WITH},
    {"type", P::TYPE},         {"resource", P::RESOURCE}, {"variant", P::VARIANT},
    {"record", P::RECORD},     {"flags", P::FLAGS},     {"enum", P::ENUM},
    {"static", P::STATIC},     {"constructor", P::CONSTRUCTOR}, {"interface", P::INTERFACE},
    {"world", P::WORLD},       {"export", P::EXPORT},   {"new", P::NEW},
    {"let", P::LET},           {"use", P::USE},         {"include", P::INCLUDE},
    {"as", P::AS},             {"package", P::PACKAGE}, {"targets", P::TARGETS},
}};

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Decodes one UTF-8 code point at s[i] and advances i; nullopt (i unchanged)
// if the bytes there are not UTF-8.
std::optional<char32_t> decode(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  if (b < 0x80) {
    ++i;
    return b;
  }
  size_t n = 0;
  char32_t c = 0;
  if (b >= 0xC2 && b <= 0xDF) {
    n = 1;
    c = b & 0x1F;
  } else if (b >= 0xE0 && b <= 0xEF) {
    n = 2;
    c = b & 0x0F;
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 3;
    c = b & 0x07;
  } else {
    return std::nullopt;
  }
  if (i + n >= s.size()) return std::nullopt;
  for (size_t k = 1; k <= n; ++k) {
    auto cont = static_cast<unsigned char>(s[i + k]);
    if ((cont & 0xC0) != 0x80) return std::nullopt;
    c = (c << 6) | (cont & 0x3F);
  }
  if ((n == 2 && c < 0x800) || (n == 3 && (c < 0x10000 || c > 0x10FFFF)) || (c >= 0xD800 && c <= 0xDFFF)) {
    return std::nullopt;
  }
  i += n + 1;
  return c;
}

std::string escape_unicode(char32_t c) { return fmt::format("\\u{{{:x}}}", static_cast<uint32_t>(c)); }

bool is_control(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// wac's `detect_invalid_input`, plus UTF-8 validity (wac reads the document
// as a Rust string).
Expected<void> check_input(std::string_view text, uint32_t base) {
  size_t i = 0;
  while (i < text.size()) {
    size_t at = i;
    auto c = decode(text, i);
    auto here = [&](size_t len, std::string msg) {
      return fail(Diagnostic::at(Span{base + static_cast<uint32_t>(at), base + static_cast<uint32_t>(at + len)},
                                 std::move(msg)));
    };
    if (!c) return here(1, "the document is not valid UTF-8");
    size_t len = i - at;
    switch (*c) {
      case '\r':
      case '\t':
      case '\n': continue;
      case 0x202a: case 0x202b: case 0x202c: case 0x202d: case 0x202e:
      case 0x2066: case 0x2067: case 0x2068: case 0x2069:
        return here(len, fmt::format("disallowed bidirectional override codepoint `{}`", escape_unicode(*c)));
      case 0x149: case 0x673: case 0xf77: case 0xf79: case 0x17a3: case 0x17a4: case 0x17b4: case 0x17b5:
        return here(len, fmt::format("codepoint `{}` is discouraged by Unicode", escape_unicode(*c)));
      default:
        if (is_control(*c)) return here(len, fmt::format("disallowed control code '{}'", escape_unicode(*c)));
    }
  }
  return {};
}

class Lexer {
 public:
  Lexer(std::string_view text, uint32_t base) : s_(text), base_(base) {}

  Lexed run() {
    while (skip_trivia()) {
      size_t begin = i_;
      if (auto type = token()) {
        push(*type, begin, i_);
        if (*type == P::LEX_ERROR) break;
      } else {
        break;
      }
    }
    WacToken eof(antlr4::Token::EOF, static_cast<uint32_t>(s_.size()), static_cast<uint32_t>(s_.size()));
    eof.docs_begin_ = docs_mark_;
    eof.docs_end_ = static_cast<uint32_t>(out_.docs.size());
    eof.index_ = static_cast<uint32_t>(out_.tokens.size());
    out_.tokens.push_back(eof);
    return std::move(out_);
  }

 private:
  void push(size_t type, size_t begin, size_t end) {
    WacToken t(type, static_cast<uint32_t>(begin), static_cast<uint32_t>(end));
    t.index_ = static_cast<uint32_t>(out_.tokens.size());
    t.docs_begin_ = docs_mark_;
    t.docs_end_ = static_cast<uint32_t>(out_.docs.size());
    docs_mark_ = t.docs_end_;
    out_.tokens.push_back(t);
  }

  size_t error(size_t begin, size_t end, std::string msg) {
    out_.stop = Diagnostic::at(Span{base_ + static_cast<uint32_t>(begin), base_ + static_cast<uint32_t>(end)},
                               std::move(msg));
    i_ = end;
    return P::LEX_ERROR;
  }

  void doc(size_t begin, size_t end, std::string_view body) {
    size_t b = body.find_first_not_of(" \t\r\n\f");
    size_t e = body.find_last_not_of(" \t\r\n\f");
    std::string text = b == std::string_view::npos ? std::string() : std::string(body.substr(b, e - b + 1));
    out_.docs.push_back({std::move(text), base_ + static_cast<uint32_t>(begin), base_ + static_cast<uint32_t>(end)});
  }

  // Skips whitespace and comments; false at the end of the text.
  bool skip_trivia() {
    for (;;) {
      while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\r' || s_[i_] == '\n' || s_[i_] == '\f'))
        ++i_;
      if (s_.substr(i_).starts_with("//")) {
        size_t begin = i_;
        size_t nl = s_.find('\n', i_);
        i_ = nl == std::string_view::npos ? s_.size() : nl;
        std::string_view c = s_.substr(begin, i_ - begin);
        if (c.starts_with("///")) doc(begin, i_, c.substr(3));
        continue;
      }
      if (s_.substr(i_).starts_with("/*")) {
        size_t begin = i_;
        size_t depth = 1;
        i_ += 2;
        while (i_ < s_.size() && depth > 0) {
          if (s_.substr(i_).starts_with("/*")) {
            ++depth;
            i_ += 2;
          } else if (s_.substr(i_).starts_with("*/")) {
            --depth;
            i_ += 2;
          } else {
            ++i_;
          }
        }
        if (depth > 0) {
          // Reported where the parser reaches it, like any lexical error.
          pending_comment_error_ = begin;
          return true;
        }
        std::string_view c = s_.substr(begin, i_ - begin);
        if (c.starts_with("/**") && c != "/**/") doc(begin, i_, c.substr(3, c.size() - 5));
        continue;
      }
      return i_ < s_.size();
    }
  }

  // word ::= [a-z][a-z0-9]* | [A-Z][A-Z0-9]*; returns its end, or `at`.
  size_t word(size_t at) const {
    if (at >= s_.size()) return at;
    bool lower = is_lower(s_[at]);
    if (!lower && !is_upper(s_[at])) return at;
    size_t e = at + 1;
    while (e < s_.size() && (is_digit(s_[e]) || (lower ? is_lower(s_[e]) : is_upper(s_[e])))) ++e;
    return e;
  }
  // id ::= '%'? word ('-' word)*; returns its end, or `at`.
  size_t id(size_t at) const {
    size_t p = at < s_.size() && s_[at] == '%' ? at + 1 : at;
    size_t e = word(p);
    if (e == p) return at;
    for (;;) {
      if (e >= s_.size() || s_[e] != '-') return e;
      size_t n = word(e + 1);
      if (n == e + 1) return e;
      e = n;
    }
  }
  // The semver run after '@' (a trailing '.' belongs to what follows, as in
  // `use ns:pkg/i@1.0.0.{x}`); returns its end, or `at`.
  size_t semver(size_t at) const {
    size_t e = at;
    while (e < s_.size() && (is_lower(s_[e]) || is_upper(s_[e]) || is_digit(s_[e]) || s_[e] == '-' || s_[e] == '.' ||
                             s_[e] == '+'))
      ++e;
    while (e > at && s_[e - 1] == '.') --e;
    return e;
  }

  size_t word_token() {
    size_t begin = i_;
    size_t e = id(begin);
    // A package name or path: (':' id)+ ('/' id)* ('@' semver)?
    size_t colons = 0, slashes = 0;
    for (;;) {
      if (e < s_.size() && s_[e] == ':' && slashes == 0) {
        size_t n = id(e + 1);
        if (n == e + 1) break;
        e = n;
        ++colons;
        continue;
      }
      if (e < s_.size() && s_[e] == '/' && colons > 0) {
        size_t n = id(e + 1);
        if (n == e + 1) break;
        e = n;
        ++slashes;
        continue;
      }
      break;
    }
    if (colons > 0 && e < s_.size() && s_[e] == '@') {
      size_t v = semver(e + 1);
      if (v > e + 1) e = v;
    }
    i_ = e;
    if (colons > 0) return slashes > 0 ? P::PACKAGE_PATH : P::PACKAGE_NAME;
    std::string_view text = s_.substr(begin, e - begin);
    for (const auto& k : kKeywords)
      if (k.text == text) return k.type;
    return P::IDENT;
  }

  std::optional<size_t> token() {
    if (pending_comment_error_) {
      size_t begin = *pending_comment_error_;
      return error(begin, s_.size(), "an unterminated comment was encountered");
    }
    char c = s_[i_];
    size_t begin = i_;
    if (c == '%' || is_lower(c) || is_upper(c)) {
      if (id(begin) == begin) return error(begin, begin + 1, "unexpected character `%`");
      return word_token();
    }
    if (c == '"') {
      size_t close = s_.find('"', i_ + 1);
      if (close == std::string_view::npos) return error(begin, s_.size(), "an unterminated string was encountered");
      i_ = close + 1;
      return P::STRING;
    }
    if (s_.substr(i_).starts_with("...")) {
      i_ += 3;
      return P::ELLIPSIS;
    }
    if (s_.substr(i_).starts_with("->")) {
      i_ += 2;
      return P::ARROW;
    }
    size_t type = 0;
    int nest = 0;
    switch (c) {
      case ';': type = P::SEMI; break;
      case '{': type = P::LBRACE; nest = 1; break;
      case '}': type = P::RBRACE; nest = -1; break;
      case ':': type = P::COLON; break;
      case '=': type = P::EQUALS; break;
      case '(': type = P::LPAREN; nest = 1; break;
      case ')': type = P::RPAREN; nest = -1; break;
      case '<': type = P::LT; nest = 1; break;
      case '>': type = P::GT; nest = -1; break;
      case '_': type = P::UNDERSCORE; break;
      case '[': type = P::LBRACKET; nest = 1; break;
      case ']': type = P::RBRACKET; nest = -1; break;
      case '.': type = P::DOT; break;
      case ',': type = P::COMMA; break;
      case '/': type = P::SLASH; break;
      case '@': type = P::AT; break;
      default: break;
    }
    if (type == 0) {
      size_t j = i_;
      auto cp = decode(s_, j);
      std::string shown = cp && *cp >= 0x20 ? std::string(s_.substr(i_, j - i_)) : escape_unicode(cp.value_or(0));
      return error(begin, j, fmt::format("unexpected character `{}`", shown));
    }
    if (nest > 0 && ++depth_ > kMaxNesting) return error(begin, begin + 1, "nesting is too deep");
    if (nest < 0 && depth_ > 0) --depth_;
    ++i_;
    return type;
  }

  std::string_view s_;
  uint32_t base_;
  size_t i_ = 0;
  uint32_t depth_ = 0;
  uint32_t docs_mark_ = 0;
  std::optional<size_t> pending_comment_error_;
  Lexed out_;
};

}  // namespace

Expected<Lexed> lex(std::string_view text, uint32_t base) {
  if (auto ok = check_input(text, base); !ok) return fail(std::move(ok.error()));
  return Lexer(text, base).run();
}

std::string describe_token(size_t type) {
  switch (type) {
    case antlr4::Token::EOF: return "end of input";
    case P::IDENT: return "identifier";
    case P::STRING: return "string literal";
    case P::PACKAGE_NAME: return "package name";
    case P::PACKAGE_PATH: return "package path";
    case P::SEMI: return "`;`";
    case P::LBRACE: return "`{`";
    case P::RBRACE: return "`}`";
    case P::COLON: return "`:`";
    case P::EQUALS: return "`=`";
    case P::LPAREN: return "`(`";
    case P::RPAREN: return "`)`";
    case P::ARROW: return "`->`";
    case P::LT: return "`<`";
    case P::GT: return "`>`";
    case P::UNDERSCORE: return "`_`";
    case P::LBRACKET: return "`[`";
    case P::RBRACKET: return "`]`";
    case P::DOT: return "`.`";
    case P::ELLIPSIS: return "`...`";
    case P::COMMA: return "`,`";
    case P::SLASH: return "`/`";
    case P::AT: return "`@`";
    case P::LEX_ERROR: return "an invalid token";
    default: break;
  }
  for (const auto& k : kKeywords)
    if (k.type == type) return fmt::format("`{}` keyword", k.text);
  return "a token";
}

// ---------------------------------------------------------------- stream

WacTokenStream::WacTokenStream(std::vector<WacToken> tokens) : tokens_(std::move(tokens)) {}

antlr4::Token* WacTokenStream::LT(ssize_t k) {
  if (k > 0) {
    size_t i = p_ + static_cast<size_t>(k) - 1;
    return &tokens_[i < tokens_.size() ? i : tokens_.size() - 1];
  }
  if (k == 0 || static_cast<size_t>(-k) > p_) return nullptr;
  return &tokens_[p_ - static_cast<size_t>(-k)];
}

size_t WacTokenStream::LA(ssize_t i) {
  if (i > 0) return at(p_ + static_cast<size_t>(i) - 1).type_;
  antlr4::Token* t = LT(i);
  return t ? t->getType() : 0;
}

}  // namespace witc::compose::wac::detail
