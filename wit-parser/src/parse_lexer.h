// The WIT lexer: text -> the token types of grammar/Wit.g4, with byte
// offsets. It follows the reference tokenizer (wasm-tools `ast/lex.rs`):
// CRLF counts as one newline, block comments nest, identifiers are XID runs
// validated later by the parser, `'@' '-' '+'` and integers exist for
// versions. Private to the parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parse_stream.h"
#include "witc/base/diagnostic.h"

namespace witc::wit::detail {

// Nesting beyond this many levels is rejected ("type nesting too deep",
// "package nesting too deep"), which also bounds the parser's recursion.
inline constexpr uint32_t kMaxNesting = 100;

struct Lexed {
  std::vector<WitToken> tokens;                          // ends with EOF
  std::vector<std::pair<uint32_t, uint32_t>> comments;   // [begin, end) of every comment
  // Lexing stops at the first lexical error or over-deep nesting; the last
  // token before EOF is then LEX_ERROR or DEPTH_LIMIT and this is its error.
  std::optional<Diagnostic> stop;
};

// Lexes `text` (a whole file registered at global offset `base`). Fails only
// for what the reference rejects before tokenizing: invalid UTF-8, control
// codes, bidirectional overrides and deprecated code points. Errors at a
// token (an unexpected character, an unterminated comment) are returned as a
// LEX_ERROR token so the parser reports them only if it gets that far.
Expected<Lexed> lex(std::string_view text, uint32_t base);

// How the reference names a token in "expected X, found Y" messages.
std::string describe_token(size_t type);

// The value of a STRING_LITERAL token the lexer accepted (its text with the
// quotes): escapes decoded, CRLF read as '\n'.
std::string string_literal_value(std::string_view token_text);

}  // namespace witc::wit::detail
