// Text rules the WIT parser shares with the reference implementation
// (wasm-tools wit-parser): identifier validation, semver error texts, doc
// comment processing, and Rust's way of printing a character in a message.
// Private to the parser (src/parse_*.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace witc::wit::detail {

// Unicode identifier classes (UAX #31), used to find where an identifier-like
// run of characters ends; WIT identifiers themselves are ASCII.
bool is_xid_start(char32_t c);
bool is_xid_continue(char32_t c);
// Characters Rust's `{:?}` prints as `\u{..}` (non-ASCII ones only).
bool needs_debug_escape(char32_t c);

// Decodes the code point at s[i] (which must be valid UTF-8) and advances i.
char32_t next_code_point(std::string_view s, size_t& i);

// Rust's `{:?}` of a `char`, quotes included: 'a', '\n', '\'', '\u{301}'.
std::string char_debug(char32_t c);

// Rust's `char::escape_unicode`: `\u{1f}`.
std::string escape_unicode(char32_t c);

struct Utf8Error {
  size_t offset;        // first byte that is not valid UTF-8
  std::string message;  // as Rust's `Utf8Error` displays it
};
std::optional<Utf8Error> check_utf8(std::string_view s);

// The reference's `validate_id`: kebab-case words, each all-lowercase or
// all-uppercase ASCII letters and digits, the first starting with a letter.
// Returns the error message (reported at the identifier's first byte).
std::optional<std::string> validate_id(std::string_view id);

// The semver crate's error for `text`, or nullopt if it is a valid version.
std::optional<std::string> semver_error(std::string_view text);

// Doc comments (raw comment texts before an item, in order) to the text the
// reference stores in `Docs::contents`; nullopt when there are none.
std::optional<std::string> doc_text(const std::vector<std::string_view>& comments);

}  // namespace witc::wit::detail
