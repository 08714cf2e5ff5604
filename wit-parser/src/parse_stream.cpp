#include "parse_stream.h"

namespace witc::wit::detail {

WitTokenStream::WitTokenStream(std::vector<WitToken> tokens) : tokens_(std::move(tokens)) {
  if (tokens_.empty()) tokens_.emplace_back(antlr4::Token::EOF, 0, 0);
}

}  // namespace witc::wit::detail
