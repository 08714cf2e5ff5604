// The token stream the ANTLR-generated WitParser reads: compact tokens made
// by the hand-written lexer (parse_lexer.cpp), all on the default channel
// (comments are kept aside for doc comments). Private to the parser.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "parse_antlr.h"

namespace witc::wit::detail {

// One significant token; offsets are bytes into the file's text.
class WitToken final : public antlr4::Token {
 public:
  WitToken() = default;
  WitToken(size_t type, uint32_t begin, uint32_t end) : type_(type), begin_(begin), end_(end) {}

  size_t type_ = 0;
  uint32_t begin_ = 0, end_ = 0;
  uint32_t index_ = 0;
  uint32_t comments_end_ = 0;  // comments before this token: [previous token's value, this one)

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

// A TokenStream over a fixed token vector (the last token is EOF).
class WitTokenStream final : public antlr4::TokenStream {
 public:
  explicit WitTokenStream(std::vector<WitToken> tokens);

  const WitToken& at(size_t i) const { return tokens_[i < tokens_.size() ? i : tokens_.size() - 1]; }

  antlr4::Token* LT(ssize_t k) override {
    if (k > 0) {
      size_t i = p_ + static_cast<size_t>(k) - 1;
      return &tokens_[i < tokens_.size() ? i : tokens_.size() - 1];
    }
    if (k == 0 || static_cast<size_t>(-k) > p_) return nullptr;
    return &tokens_[p_ - static_cast<size_t>(-k)];
  }
  antlr4::Token* get(size_t index) const override { return const_cast<WitToken*>(&at(index)); }
  antlr4::TokenSource* getTokenSource() const override { return nullptr; }
  std::string getText(const antlr4::misc::Interval&) override { return {}; }
  std::string getText() override { return {}; }
  std::string getText(antlr4::RuleContext*) override { return {}; }
  std::string getText(antlr4::Token*, antlr4::Token*) override { return {}; }

  void consume() override {
    if (p_ + 1 < tokens_.size()) ++p_;
  }
  size_t LA(ssize_t i) override {
    if (i > 0) return at(p_ + static_cast<size_t>(i) - 1).type_;
    antlr4::Token* t = LT(i);
    return t ? t->getType() : 0;
  }
  ssize_t mark() override { return -1; }
  void release(ssize_t) override {}
  size_t index() override { return p_; }
  void seek(size_t index) override { p_ = index < tokens_.size() ? index : tokens_.size() - 1; }
  size_t size() override { return tokens_.size(); }
  std::string getSourceName() const override { return "wit"; }

 private:
  std::vector<WitToken> tokens_;
  size_t p_ = 0;
};

}  // namespace witc::wit::detail
