#include "parse_errors.h"

#include <array>
#include <charconv>
#include <optional>

#include <fmt/format.h>

#include "parse_text.h"

namespace witc::wit::detail {

namespace {

using P = antlrgen::WitParser;

// Comma lists `open ( item ','? )* close`: their delimiters and what the
// reference expects where an item should start.
struct ListRule {
  size_t open = 0, close = 0;
  const char* item = nullptr;
};

constexpr std::array<ListRule, 64> make_list_rules() {
  std::array<ListRule, 64> t{};
  const char* id = "an identifier or string";
  t[P::RuleIncludeNames] = {P::LBRACE, P::RBRACE, id};
  t[P::RuleUseNames] = {P::LBRACE, P::RBRACE, id};
  t[P::RuleRecordFields] = {P::LBRACE, P::RBRACE, id};
  t[P::RuleFlagsNames] = {P::LBRACE, P::RBRACE, id};
  t[P::RuleVariantCases] = {P::LBRACE, P::RBRACE, id};
  t[P::RuleEnumNames] = {P::LBRACE, P::RBRACE, id};
  t[P::RuleParamList] = {P::LPAREN, P::RPAREN, id};
  t[P::RuleTupleTy] = {P::LT, P::GT, "a type"};
  return t;
}
constexpr std::array<ListRule, 64> kLists = make_list_rules();

const ListRule* list_rule(size_t rule) {
  return rule < kLists.size() && kLists[rule].item ? &kLists[rule] : nullptr;
}

// What the reference says when no alternative of a rule's decision fits: a
// description and whether the error spans the whole token ("expected a
// type") or one character ("expected ';'").
struct Expectation {
  const char* what;
  bool whole_token;
};

std::optional<Expectation> decision_expectation(size_t rule) {
  switch (rule) {
    case P::RuleExternTarget:
    case P::RuleGate:  // `@name(` then neither a key nor a string
      return Expectation{"an identifier or string", true};
    case P::RuleTy: return Expectation{"a type", true};
    case P::RuleDeclItem: return Expectation{"`world`, `interface` or `use`", true};
    case P::RuleInterfaceItem: return Expectation{"`type`, `resource` or `func`", true};
    case P::RuleWorldItem:
      return Expectation{"`import`, `export`, `include`, `use`, or type definition", true};
    case P::RuleResourceFunc: return Expectation{"`constructor` or identifier", true};
    case P::RuleTypedefItem:  // `resource r` then neither ';' nor '{'
    case P::RuleExternKindRest:
    case P::RuleIncludeTail: return Expectation{"';'", false};
    case P::RuleExternPathTail: return Expectation{"`/`", false};
    case P::RulePackageLeadEnd: return Expectation{"'{'", false};
    case P::RuleDot: return Expectation{"'.'", false};
    default: return std::nullopt;
  }
}

bool is_id(size_t type) { return type == P::ID || type == P::EXPLICIT_ID; }

// `@<name>(...)`: the gate's name as written.
std::string_view gate_name(const ParseState& st, P::GateContext* gate) {
  return gate && gate->name && gate->name->name ? id_name(st, gate->name->name) : std::string_view{};
}

}  // namespace

// ---------------------------------------------------------------- state

Span ParseState::span(const antlr4::Token* t) const {
  auto* w = static_cast<const WitToken*>(t);
  return Span{base_ + w->begin_, base_ + w->end_};
}

std::string_view ParseState::text_of(const antlr4::Token* t) const {
  auto* w = static_cast<const WitToken*>(t);
  return text_.substr(w->begin_, w->end_ - w->begin_);
}

Diagnostic ParseState::expected(const antlr4::Token* found, std::string_view what, bool whole_token) const {
  size_t type = found->getType();
  if ((type == P::LEX_ERROR || type == P::DEPTH_LIMIT) && lexed_.stop) return *lexed_.stop;
  Span s = span(found);
  if (!whole_token) s.end = s.begin + 1;
  return Diagnostic::at(s, fmt::format("expected {}, found {}", what, describe_token(type)));
}

std::string_view id_name(const ParseState& st, const antlr4::Token* id) {
  std::string_view t = st.text_of(id);
  if (id->getType() == P::EXPLICIT_ID) t.remove_prefix(1);
  return t;
}

Span version_span(const ParseState& st, P::VersionContext* v) {
  Span s = st.span(v->getStart());
  if (v->patch) s.end = st.span(v->patch).end;
  auto last_piece = [&](const std::vector<P::VerPieceContext*>& pieces) {
    if (!pieces.empty() && pieces.back()->getStop()) s.end = st.span(pieces.back()->getStop()).end;
  };
  if (v->pre) last_piece(v->pre->pieces);
  if (v->build) last_piece(v->build->pieces);
  return s;
}

// ---------------------------------------------------------------- strategy

void WitErrorStrategy::sync(antlr4::Parser* p) {
  const ListRule* l = list_rule(p->getContext()->getRuleIndex());
  if (!l) return;
  antlr4::TokenStream* in = p->getTokenStream();
  antlr4::Token* prev = in->LT(-1);
  if (!prev || prev->getType() == P::COMMA || prev->getType() == l->open) return;
  // Just after an item: the reference wants ',' or the closing token.
  size_t next = in->LA(1);
  if (next == P::COMMA || next == l->close) return;
  st_.raise(st_.expected(in->LT(1), describe_token(l->close), false));
}

void WitErrorStrategy::reportError(antlr4::Parser* p, const antlr4::RecognitionException& e) {
  antlr4::Token* found = e.getOffendingToken() ? e.getOffendingToken() : p->getCurrentToken();
  size_t rule = p->getContext()->getRuleIndex();
  if (auto x = decision_expectation(rule)) st_.raise(st_.expected(found, x->what, x->whole_token));
  // Not reached with the rules above; name the first option.
  antlr4::misc::IntervalSet set = p->getExpectedTokens();
  std::string what = set.isEmpty() ? "a token" : describe_token(set.getMinElement());
  st_.raise(st_.expected(found, what, false));
}

antlr4::Token* WitErrorStrategy::recoverInline(antlr4::Parser* p) {
  antlr4::Token* found = p->getCurrentToken();
  size_t rule = p->getContext()->getRuleIndex();
  antlr4::misc::IntervalSet set = p->getExpectedTokens();
  if (set.size() == 2 && set.contains(static_cast<size_t>(P::ID)) && set.contains(static_cast<size_t>(P::EXPLICIT_ID)))
    st_.raise(st_.expected(found, "an identifier or string", true));
  if (set.size() != 1) {
    auto x = decision_expectation(rule);
    std::string what = x ? x->what : set.isEmpty() ? "a token" : describe_token(set.getMinElement());
    st_.raise(st_.expected(found, what, x && x->whole_token));
  }
  size_t want = static_cast<size_t>(set.getSingleElement());
  if (const ListRule* l = list_rule(rule); l && want == l->close) {
    // After `open` or ',' the reference parses an item.
    antlr4::Token* prev = p->getTokenStream()->LT(-1);
    if (prev && (prev->getType() == P::COMMA || prev->getType() == l->open))
      st_.raise(st_.expected(found, l->item, true));
  }
  if (rule == P::RuleTypedefItem && want == P::RBRACE)  // the end of a resource's body
    st_.raise(st_.expected(found, "`constructor` or identifier", true));
  if (rule == P::RuleTy && want == P::INTEGER)  // `list<T, N>`
    st_.raise(st_.expected(found, "fixed-length", true));
  if (want == P::PERIOD && found->getType() == P::DOT_CONT) {
    // `use foo.bar`: the reference takes the '.' and wants the '{' next.
    st_.raise(st_.expected(p->getTokenStream()->LT(2), "'{'", false));
  }
  st_.raise(st_.expected(found, describe_token(want), false));
}

// ---------------------------------------------------------------- checks

void WitCheckedParser::enterRule(antlr4::ParserRuleContext* ctx, size_t state, size_t rule) {
  switch (rule) {
    case RuleGateValue: {
      // `@unstable(feature = <id>)`; the others take a version.
      antlr4::Token* t = getCurrentToken();
      size_t type = t->getType();
      if (gate_name(st_, static_cast<GateContext*>(ctx->parent)) == "unstable") {
        if (!is_id(type)) st_.raise(st_.expected(t, "an identifier or string", true));
      } else if (type != INTEGER) {
        st_.raise(st_.expected(t, "an integer", false));
      }
      break;
    }
    case RuleNestedPackageOpen: {
      auto* item = static_cast<antlr4::ParserRuleContext*>(ctx->parent);
      if (item && item->getRuleIndex() == RuleDeclItem && !static_cast<DeclItemContext*>(item)->gates.empty())
        st_.raise(Diagnostic::at(st_.span(getCurrentToken()), "cannot place attributes on nested packages"));
      break;
    }
    case RuleVersionEnd: {
      auto* v = static_cast<VersionContext*>(ctx->parent);
      Span s = version_span(st_, v);
      std::string_view text = st_.text().substr(s.begin - st_.base(), s.end - s.begin);
      if (auto err = semver_error(text)) st_.raise(Diagnostic::at(s, std::move(*err)));
      break;
    }
    default:
      break;
  }
  WitParser::enterRule(ctx, state, rule);
}

antlr4::Token* WitCheckedParser::consume() {
  antlr4::Token* t = getCurrentToken();
  size_t type = t->getType();
  antlr4::ParserRuleContext* ctx = getContext();
  size_t rule = ctx ? ctx->getRuleIndex() : SIZE_MAX;
  if (is_id(type) && rule != RuleVerPiece) {
    // Identifiers are validated as the reference's parse_id does.
    std::string_view name = id_name(st_, t);
    if (auto err = validate_id(name)) {
      Span s = st_.span(t);
      st_.raise(Diagnostic::at(Span{s.begin, s.begin + 1}, std::move(*err)));
    }
    if (rule == RuleGateName) {
      if (name != "since" && name != "unstable" && name != "deprecated" && name != "external-id")
        st_.raise(Diagnostic::at(st_.span(t), fmt::format("unknown attribute `{}`", name)));
    } else if (rule == RuleGateKey) {
      if (gate_name(st_, static_cast<GateContext*>(ctx->parent)) == "external-id")
        st_.raise(st_.expected(t, "a string", false));
      std::string_view want = gate_name(st_, static_cast<GateContext*>(ctx->parent)) == "unstable" ? "feature" : "version";
      if (name != want)
        st_.raise(Diagnostic::at(st_.span(t), fmt::format("expected `{}`, found `{}`", want, name)));
    }
  } else if (type == STRING_LITERAL && rule == RuleGate) {
    // Only `@external-id("...")` takes a string.
    std::string_view name = gate_name(st_, static_cast<GateContext*>(ctx));
    if (name != "external-id")
      st_.raise(st_.expected(t, name == "unstable" ? "`feature`" : "`version`", false));
  } else if (type == INTEGER && rule == RuleTy) {  // the length of `list<T, N>`
    std::string_view digits = st_.text_of(t);
    uint32_t value = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size())
      st_.raise(Diagnostic::at(st_.span(t), "number too large to fit in target type"));
  }
  return WitParser::consume();
}

}  // namespace witc::wit::detail
