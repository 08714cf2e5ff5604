// Errors of the WIT parser, phrased like the reference (wasm-tools
// wit-parser). The ANTLR error strategy turns the first syntax error into
// "expected X, found Y" named after the failing rule; WitCheckedParser makes
// the checks the reference makes while it parses (identifier validation,
// versions, attribute names, nesting of packages) at the same points, so the
// first error in source order is the one reported. Private to the parser.
#pragma once

#include <exception>
#include <string>
#include <string_view>

#include "parse_antlr.h"
#include "parse_lexer.h"
#include "parse_stream.h"
#include "witc/base/diagnostic.h"

namespace witc::wit::detail {

// Thrown through the generated parser to abandon the parse; caught by the
// driver (parser.cpp) and never outside the library.
struct ParseFailure : std::exception {
  explicit ParseFailure(Diagnostic d) : diag(std::move(d)) {}
  const char* what() const noexcept override { return "WIT parse error"; }
  Diagnostic diag;
};

// What the parser, its error strategy and the AST builder share about a file.
class ParseState {
 public:
  ParseState(std::string_view text, uint32_t base, const Lexed& lexed, WitTokenStream& stream)
      : text_(text), base_(base), lexed_(lexed), stream_(stream) {}

  std::string_view text() const { return text_; }
  uint32_t base() const { return base_; }
  const Lexed& lexed() const { return lexed_; }
  WitTokenStream& stream() { return stream_; }
  const WitTokenStream& stream() const { return stream_; }

  Span span(const antlr4::Token* t) const;
  std::string_view text_of(const antlr4::Token* t) const;

  // The error when the parser stops at `found` expecting `what`: whole-token
  // spans for "expected <description>" (the reference's err_expected),
  // one-character spans for "expected <token>" (its expect()). At a LEX_ERROR
  // or DEPTH_LIMIT token, that token's own error.
  Diagnostic expected(const antlr4::Token* found, std::string_view what, bool whole_token) const;

  [[noreturn]] void raise(Diagnostic d) const { throw ParseFailure(std::move(d)); }

 private:
  std::string_view text_;
  uint32_t base_;
  const Lexed& lexed_;
  WitTokenStream& stream_;
};

// The error strategy: never recovers; reports the first error and throws.
// Its sync() (called at every LL(1) decision) also rejects a missing comma
// after an item of a comma list, where the reference's `expect(close)` does.
class WitErrorStrategy final : public antlr4::ANTLRErrorStrategy {
 public:
  explicit WitErrorStrategy(ParseState& st) : st_(st) {}
  void reset(antlr4::Parser*) override {}
  antlr4::Token* recoverInline(antlr4::Parser* p) override;
  void recover(antlr4::Parser*, std::exception_ptr e) override { std::rethrow_exception(e); }
  void sync(antlr4::Parser* p) override;
  bool inErrorRecoveryMode(antlr4::Parser*) override { return false; }
  void reportMatch(antlr4::Parser*) override {}
  void reportError(antlr4::Parser* p, const antlr4::RecognitionException& e) override;

 private:
  ParseState& st_;
};

// The generated parser plus the reference's in-parse checks, hooked into
// enterRule (before a rule starts) and consume (as a token is taken).
class WitCheckedParser final : public antlrgen::WitParser {
 public:
  WitCheckedParser(ParseState& st, antlr4::TokenStream* input) : WitParser(input), st_(st) {}
  void enterRule(antlr4::ParserRuleContext* ctx, size_t state, size_t rule) override;
  antlr4::Token* consume() override;

 private:
  ParseState& st_;
};

// An identifier token's name, without a leading `%`.
std::string_view id_name(const ParseState& st, const antlr4::Token* id);

// [first byte, end of the last version component) of a parsed version.
Span version_span(const ParseState& st, antlrgen::WitParser::VersionContext* v);

}  // namespace witc::wit::detail
