// The WAC lexer and the token stream the generated WacParser reads. Private
// to the composer (src/wac_*.cpp).
//
// Tokens follow wac's lexer (crates/wac-parser `lexer.rs`): an identifier is
// `%`? word ('-' word)* with words all-lowercase or all-uppercase; a package
// name `id (':' id)+ ('@' semver)?` and a package path `id (':' id)+ ('/'
// id)+ ('@' semver)?` are single tokens (the longest match wins, so `a:b` is
// a package name, `a :b` an identifier and a colon); keywords are exact
// words without `%`; strings run to the next `"` (no escapes); block
// comments nest. `///` and `/** */` comments are documentation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wac_antlr.h"
#include "witc/base/diagnostic.h"

namespace witc::compose::wac::detail {

// Brackets ( { [ < nested deeper than this are rejected ("nesting is too
// deep"), which also bounds the parser's and the resolver's recursion.
inline constexpr uint32_t kMaxNesting = 100;

// One significant token; offsets are bytes into the document's text.
class WacToken final : public antlr4::Token {
 public:
  WacToken() = default;
  WacToken(size_t type, uint32_t begin, uint32_t end) : type_(type), begin_(begin), end_(end) {}

  size_t type_ = 0;
  uint32_t begin_ = 0, end_ = 0;
  uint32_t index_ = 0;
  uint32_t docs_begin_ = 0, docs_end_ = 0;  // the doc comments just before it (indices into Lexed::docs)

  std::string getText() const override { return {}; }
  size_t getType() const override { return type_; }
  size_t getLine() const override { return 0; }
  size_t getCharPositionInLine() const override { return 0; }
  size_t getChannel() const override { return DEFAULT_CHANNEL; }
  size_t getTokenIndex() const override { return index_; }
  size_t getStartIndex() const override { return begin_; }
  size_t getStopIndex() const override { return end_ == 0 ? 0 : end_ - 1; }
  antlr4::TokenSource* getTokenSource() const override { return nullptr; }
  antlr4::CharStream* getInputStream() const override { return nullptr; }
  std::string toString() const override { return {}; }
};

struct LexedDoc {
  std::string comment;  // trimmed, markers stripped
  uint32_t begin = 0, end = 0;
};

struct Lexed {
  std::vector<WacToken> tokens;  // ends with EOF
  std::vector<LexedDoc> docs;
  // Lexing stops at the first lexical error; the last token before EOF is
  // then LEX_ERROR and this is its error.
  std::optional<Diagnostic> stop;
};

// Lexes `text` (a whole document registered at global offset `base`). Fails
// only for what wac rejects before tokenizing: invalid UTF-8, control codes,
// bidirectional overrides and discouraged code points.
Expected<Lexed> lex(std::string_view text, uint32_t base);

// How wac names a token in "expected X, found Y" messages: "`func` keyword",
// "identifier", "`;`", "end of input".
std::string describe_token(size_t type);

// A TokenStream over the lexed tokens (the last token is EOF).
class WacTokenStream final : public antlr4::TokenStream {
 public:
  explicit WacTokenStream(std::vector<WacToken> tokens);

  const WacToken& at(size_t i) const { return tokens_[i < tokens_.size() ? i : tokens_.size() - 1]; }

  antlr4::Token* LT(ssize_t k) override;
  antlr4::Token* get(size_t index) const override { return const_cast<WacToken*>(&at(index)); }
  antlr4::TokenSource* getTokenSource() const override { return nullptr; }
  std::string getText(const antlr4::misc::Interval&) override { return {}; }
  std::string getText() override { return {}; }
  std::string getText(antlr4::RuleContext*) override { return {}; }
  std::string getText(antlr4::Token*, antlr4::Token*) override { return {}; }
  void consume() override {
    if (p_ + 1 < tokens_.size()) ++p_;
  }
  size_t LA(ssize_t i) override;
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return p_; }
  void seek(size_t index) override { p_ = index < tokens_.size() ? index : tokens_.size() - 1; }
  size_t size() override { return tokens_.size(); }
  std::string getSourceName() const override { return "wac"; }

 private:
  std::vector<WacToken> tokens_;
  size_t p_ = 0;
};

}  // namespace witc::compose::wac::detail
