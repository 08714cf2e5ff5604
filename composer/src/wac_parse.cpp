// wac::parse: lexes a WAC document, parses it with the generated WacParser
// (composer/wac/Wac.g4) and builds the AST (wac_ast.h) from the rules'
// labelled fields. Errors are phrased as wac's parser phrases them ("expected
// `;`, found end of input", "expected either `func` keyword, `u8` keyword,
// ..., or more..., found ...").
#include <memory>

#include <fmt/format.h>

#include "wac_antlr.h"
#include "wac_lexer.h"
#include "witc/base/semver.h"
#include "witc/base/source_map.h"
#include "witc/composer/wac.h"

namespace witc::compose::wac {

namespace {

using P = antlrgen::WacParser;
using detail::WacToken;

// Thrown through the generated parser to abandon the parse; caught in
// parse() and never outside it.
struct ParseFailure : std::exception {
  explicit ParseFailure(Diagnostic d) : diag(std::move(d)) {}
  const char* what() const noexcept override { return "WAC parse error"; }
  Diagnostic diag;
};

class State {
 public:
  State(std::string_view text, uint32_t base, const detail::Lexed& lexed, detail::WacTokenStream& stream)
      : text_(text), base_(base), lexed_(lexed), stream_(stream) {}

  std::string_view text() const { return text_; }
  uint32_t base() const { return base_; }
  const detail::Lexed& lexed() const { return lexed_; }

  Span span(const antlr4::Token* t) const {
    auto* w = static_cast<const WacToken*>(t);
    return Span{base_ + w->begin_, base_ + w->end_};
  }
  std::string_view text_of(const antlr4::Token* t) const {
    auto* w = static_cast<const WacToken*>(t);
    return text_.substr(w->begin_, w->end_ - w->begin_);
  }
  // Where an error at `t` points: the token, or at the end of the input the
  // last token (its last byte when it ends the text), as wac does.
  Span error_span(const antlr4::Token* t) const {
    auto* w = static_cast<const WacToken*>(t);
    if (w->type_ != antlr4::Token::EOF) return span(t);
    if (w->index_ == 0) return Span{base_, base_};
    const WacToken& last = stream_.at(w->index_ - 1);
    Span s{base_ + last.begin_, base_ + last.end_};
    if (last.end_ == text_.size() && last.end_ > 0) s = Span{base_ + last.end_ - 1, base_ + last.end_};
    return s;
  }

  // "expected X, found Y" at `found`; a lexical error where the parser
  // reaches it.
  [[noreturn]] void expected(const antlr4::Token* found, const antlr4::misc::IntervalSet& set) const {
    if (found->getType() == P::LEX_ERROR && lexed_.stop) throw ParseFailure(*lexed_.stop);
    std::vector<std::string> items;
    for (size_t t : set.toList()) {
      if (t == antlr4::Token::EPSILON) continue;
      items.push_back(detail::describe_token(t));
    }
    std::string what;
    if (items.empty()) {
      what = "a token";
    } else if (items.size() == 1) {
      what = items[0];
    } else if (items.size() == 2) {
      what = fmt::format("either {} or {}", items[0], items[1]);
    } else {
      what = "either ";
      size_t shown = std::min<size_t>(items.size(), 10);
      for (size_t i = 0; i < shown; ++i) {
        what += items[i];
        what += ", ";
        if (i + 2 == shown && items.size() <= 10) what += "or ";
      }
      if (items.size() > 10) {
        what += "or more...";
      } else {
        what.resize(what.size() - 2);
      }
    }
    throw ParseFailure(Diagnostic::at(error_span(found), fmt::format("expected {}, found {}", what,
                                                                     detail::describe_token(found->getType()))));
  }

  // The doc comments just before token `t`.
  Docs docs(const antlr4::Token* t) const {
    Docs out;
    auto* w = static_cast<const WacToken*>(t);
    for (uint32_t i = w->docs_begin_; i < w->docs_end_ && i < lexed_.docs.size(); ++i) {
      const auto& d = lexed_.docs[i];
      out.push_back(Doc{d.comment, Span{d.begin, d.end}});
    }
    return out;
  }

 private:
  std::string_view text_;
  uint32_t base_;
  const detail::Lexed& lexed_;
  detail::WacTokenStream& stream_;
};

// Never recovers: the first error is reported and the parse abandoned.
class ErrorStrategy final : public antlr4::ANTLRErrorStrategy {
 public:
  explicit ErrorStrategy(State& st) : st_(st) {}
  void reset(antlr4::Parser*) override {}
  antlr4::Token* recoverInline(antlr4::Parser* p) override { st_.expected(p->getCurrentToken(), p->getExpectedTokens()); }
  void recover(antlr4::Parser*, std::exception_ptr e) override { std::rethrow_exception(e); }
  // Called at every decision and loop: a token nothing here can start is
  // reported with everything that could have come instead.
  void sync(antlr4::Parser* p) override {
    const antlr4::atn::ATN& atn = p->getATN();
    antlr4::atn::ATNState* s = atn.states[p->getState()];
    antlr4::misc::IntervalSet next = atn.nextTokens(s);
    size_t la = p->getTokenStream()->LA(1);
    if (next.contains(antlr4::Token::EPSILON) || next.contains(la)) return;
    st_.expected(p->getCurrentToken(), p->getExpectedTokens());
  }
  bool inErrorRecoveryMode(antlr4::Parser*) override { return false; }
  void reportMatch(antlr4::Parser*) override {}
  void reportError(antlr4::Parser* p, const antlr4::RecognitionException& e) override {
    antlr4::Token* found = e.getOffendingToken() ? e.getOffendingToken() : p->getCurrentToken();
    st_.expected(found, p->getExpectedTokens());
  }

 private:
  State& st_;
};

// The generated parser plus the checks wac makes while parsing, made as the
// tokens are consumed.
class CheckedParser final : public P {
 public:
  CheckedParser(State& st, antlr4::TokenStream* input) : P(input), st_(st) {}

  antlr4::Token* consume() override {
    antlr4::Token* t = getCurrentToken();
    size_t type = t->getType();
    if (type == PACKAGE_NAME || type == PACKAGE_PATH) {
      check_version(t);
    } else if (type == RBRACE) {
      check_not_empty(t);
    }
    return P::consume();
  }

 private:
  void check_version(antlr4::Token* t) {
    std::string_view text = st_.text_of(t);
    size_t at = text.find('@');
    if (at == std::string_view::npos) return;
    std::string_view v = text.substr(at + 1);
    if (Version::parse(v)) return;
    Span s = st_.span(t);
    s.begin += static_cast<uint32_t>(at + 1);
    throw ParseFailure(Diagnostic::at(s, fmt::format("`{}` is not a valid semantic version", v)));
  }

  void check_not_empty(antlr4::Token* t) {
    antlr4::ParserRuleContext* ctx = getContext();
    if (!ctx) return;
    const char* msg = nullptr;
    switch (ctx->getRuleIndex()) {
      case RuleEnumDecl:
        if (static_cast<EnumDeclContext*>(ctx)->cases.empty()) msg = "enum must contain at least one case";
        break;
      case RuleFlagsDecl:
        if (static_cast<FlagsDeclContext*>(ctx)->flags.empty()) msg = "flags must contain at least one flag";
        break;
      case RuleVariantDecl:
        if (static_cast<VariantDeclContext*>(ctx)->cases.empty()) msg = "variant must contain at least one case";
        break;
      case RuleRecordDecl:
        if (static_cast<RecordDeclContext*>(ctx)->fields.empty()) msg = "record must contain at least one field";
        break;
      default: break;
    }
    if (msg) throw ParseFailure(Diagnostic::at(st_.span(t), msg));
  }

  State& st_;
};

// ---------------------------------------------------------------- AST builder

class Builder {
 public:
  explicit Builder(const State& st) : st_(st) {}

  Document document(P::DocumentContext* ctx) {
    Document doc;
    doc.file_base = st_.base();
    P::PackageDirectiveContext* dir = ctx->directive;
    doc.docs = st_.docs(dir->getStart());
    doc.package = package_name(dir->name);
    if (dir->targets) doc.targets = package_path(dir->targets);
    for (P::StatementContext* s : ctx->statements) doc.statements.push_back(statement(s));
    return doc;
  }

 private:
  Span span(const antlr4::Token* t) const { return st_.span(t); }
  Span span(antlr4::ParserRuleContext* c) const {
    Span a = st_.span(c->getStart()), b = st_.span(c->getStop());
    return Span{a.begin, b.end};
  }
  Span span(const antlr4::Token* a, const antlr4::Token* b) const { return Span{span(a).begin, span(b).end}; }

  Ident ident(const antlr4::Token* t) const {
    std::string_view text = st_.text_of(t);
    if (!text.empty() && text.front() == '%') text.remove_prefix(1);
    return Ident{std::string(text), span(t)};
  }
  StringLit string(const antlr4::Token* t) const {
    std::string_view text = st_.text_of(t);
    return StringLit{std::string(text.substr(1, text.size() - 2)), span(t)};
  }
  Name name(const antlr4::Token* id, const antlr4::Token* str) const {
    if (str) {
      StringLit s = string(str);
      return Name{true, std::move(s.value), s.span};
    }
    Ident i = ident(id);
    return Name{false, std::move(i.name), i.span};
  }

  PackageName package_name(const antlr4::Token* t) const {
    std::string_view text = st_.text_of(t);
    PackageName n;
    n.text = std::string(text);
    n.span = span(t);
    size_t at = text.find('@');
    n.name = std::string(text.substr(0, at));
    if (at != std::string_view::npos) n.version = std::string(text.substr(at + 1));
    return n;
  }
  PackagePath package_path(const antlr4::Token* t) const {
    std::string_view text = st_.text_of(t);
    PackagePath p;
    p.text = std::string(text);
    p.span = span(t);
    size_t at = text.find('@');
    std::string_view path = text.substr(0, at);
    size_t slash = path.find('/');
    p.name = std::string(path.substr(0, slash));
    p.segments = std::string(path.substr(slash + 1));
    if (at != std::string_view::npos) p.version = std::string(text.substr(at + 1));
    return p;
  }

  // --- statements ---

  Statement statement(P::StatementContext* s) {
    if (auto* i = s->imp) return import_statement(i);
    if (auto* t = s->type) return type_statement(t);
    if (auto* l = s->let) {
      LetStatement out;
      out.docs = st_.docs(l->getStart());
      out.id = ident(l->id);
      out.value = expr(l->value);
      return out;
    }
    P::ExportStatementContext* e = s->exp;
    ExportStatement out;
    out.docs = st_.docs(e->getStart());
    out.value = expr(e->value);
    if (e->spread) {
      out.options = ExportStatement::Options::Spread;
      out.spread = span(e->spread);
    } else if (e->asId || e->asStr) {
      out.options = ExportStatement::Options::Rename;
      out.rename = name(e->asId, e->asStr);
    }
    return out;
  }

  ImportStatement import_statement(P::ImportStatementContext* i) {
    ImportStatement out;
    out.docs = st_.docs(i->getStart());
    out.id = ident(i->id);
    if (i->asId || i->asStr) out.name = name(i->asId, i->asStr);
    P::ImportTypeContext* t = i->ty;
    if (t->path) {
      out.ty.kind = ImportType::Kind::Package;
      out.ty.path = package_path(t->path);
    } else if (t->func) {
      out.ty.kind = ImportType::Kind::Func;
      out.ty.func = func_type(t->func);
    } else if (t->iface) {
      out.ty.kind = ImportType::Kind::Interface;
      out.ty.iface = inline_interface(t->iface);
    } else {
      out.ty.kind = ImportType::Kind::Ident;
      out.ty.id = ident(t->id);
    }
    return out;
  }

  TypeStatement type_statement(P::TypeStatementContext* t) {
    if (auto* i = t->iface) {
      InterfaceDecl out;
      out.docs = st_.docs(i->getStart());
      out.id = ident(i->id);
      for (auto* item : i->items) out.items.push_back(interface_item(item));
      return out;
    }
    if (auto* w = t->world) {
      WorldDecl out;
      out.docs = st_.docs(w->getStart());
      out.id = ident(w->id);
      for (auto* item : w->items) out.items.push_back(world_item(item));
      return out;
    }
    return type_decl(t->decl);
  }

  // --- interfaces and worlds ---

  std::unique_ptr<InlineInterface> inline_interface(P::InlineInterfaceContext* c) {
    auto out = std::make_unique<InlineInterface>();
    out->span = span(c->getStart());
    for (auto* item : c->items) out->items.push_back(interface_item(item));
    return out;
  }

  InterfaceItem interface_item(P::InterfaceItemContext* c) {
    if (c->use) return use_statement(c->use);
    if (c->decl) return item_type_decl(c->decl);
    InterfaceExport out;
    out.docs = st_.docs(c->getStart());
    out.id = ident(c->id);
    if (c->ty->func) {
      out.ty.func = func_type(c->ty->func);
    } else {
      out.ty.id = ident(c->ty->id);
    }
    return out;
  }

  UseStatement use_statement(P::UseStatementContext* c) {
    UseStatement out;
    out.docs = st_.docs(c->getStart());
    out.span = span(c->getStart());
    if (c->path->path) {
      out.path = package_path(c->path->path);
    } else {
      out.id = ident(c->path->id);
    }
    for (auto* item : c->items) {
      UseItem u;
      u.id = ident(item->id);
      if (item->asId) u.as_id = ident(item->asId);
      out.items.push_back(std::move(u));
    }
    return out;
  }

  WorldItem world_item(P::WorldItemContext* c) {
    if (c->use) return use_statement(c->use);
    if (c->decl) return item_type_decl(c->decl);
    if (auto* inc = c->incl) {
      WorldInclude out;
      out.docs = st_.docs(inc->getStart());
      if (inc->path) {
        out.path = package_path(inc->path);
      } else {
        out.id = ident(inc->id);
      }
      for (auto* n : inc->names) out.with.push_back(IncludeName{ident(n->source), ident(n->target)});
      return out;
    }
    WorldImportExport out;
    out.docs = st_.docs(c->getStart());
    out.is_import = c->imp != nullptr;
    P::WorldItemPathContext* p = c->path;
    if (p->ty) {
      out.path.kind = WorldItemPath::Kind::Named;
      out.path.id = ident(p->id);
      P::ExternTypeContext* t = p->ty;
      if (t->func) {
        out.path.ty.kind = ExternType::Kind::Func;
        out.path.ty.func = func_type(t->func);
      } else if (t->iface) {
        out.path.ty.kind = ExternType::Kind::Interface;
        out.path.ty.iface = inline_interface(t->iface);
      } else {
        out.path.ty.kind = ExternType::Kind::Ident;
        out.path.ty.id = ident(t->id);
      }
    } else if (p->path) {
      out.path.kind = WorldItemPath::Kind::Package;
      out.path.path = package_path(p->path);
    } else {
      out.path.kind = WorldItemPath::Kind::Ident;
      out.path.id = ident(p->ref);
    }
    return out;
  }

  // --- type declarations ---

  ItemTypeDecl item_type_decl(P::ItemTypeDeclContext* c) {
    if (auto* r = c->resource) {
      ResourceDecl out;
      out.docs = st_.docs(r->getStart());
      out.id = ident(r->id);
      for (auto* m : r->methods) {
        ResourceMethod rm;
        rm.docs = st_.docs(m->getStart());
        if (m->ctor) {
          rm.is_constructor = true;
          rm.span = span(m->ctor);
          rm.ty.params = params(m->params);
          rm.ty.span = span(m->params);
        } else {
          rm.id = ident(m->id);
          rm.is_static = m->isStatic != nullptr;
          rm.ty = func_type(m->ty);
        }
        out.methods.push_back(std::move(rm));
      }
      return out;
    }
    return type_decl(c->decl);
  }

  TypeDecl type_decl(P::TypeDeclContext* c) {
    if (auto* v = c->variant) {
      VariantDecl out;
      out.docs = st_.docs(v->getStart());
      out.id = ident(v->id);
      for (auto* vc : v->cases) {
        VariantCase k;
        k.docs = st_.docs(vc->getStart());
        k.id = ident(vc->id);
        if (vc->ty) k.ty = value_type(vc->ty);
        out.cases.push_back(std::move(k));
      }
      return out;
    }
    if (auto* r = c->record) {
      RecordDecl out;
      out.docs = st_.docs(r->getStart());
      out.id = ident(r->id);
      for (auto* f : r->fields) out.fields.push_back(named_type(f));
      return out;
    }
    if (auto* f = c->flags) {
      FlagsDecl out;
      out.docs = st_.docs(f->getStart());
      out.id = ident(f->id);
      for (auto* t : f->flags) out.flags.push_back(LabelItem{st_.docs(t), ident(t)});
      return out;
    }
    if (auto* e = c->enumDecl_) {
      EnumDecl out;
      out.docs = st_.docs(e->getStart());
      out.id = ident(e->id);
      for (auto* t : e->cases) out.cases.push_back(LabelItem{st_.docs(t), ident(t)});
      return out;
    }
    P::TypeAliasContext* a = c->alias;
    TypeAlias out;
    out.docs = st_.docs(a->getStart());
    out.id = ident(a->id);
    if (a->func) {
      out.func = func_type(a->func);
    } else {
      out.ty = value_type(a->ty);
    }
    return out;
  }

  NamedType named_type(P::NamedTypeContext* c) {
    NamedType out;
    out.docs = st_.docs(c->getStart());
    out.id = ident(c->id);
    out.ty = value_type(c->ty);
    return out;
  }

  std::vector<NamedType> params(P::ParamListContext* c) {
    std::vector<NamedType> out;
    for (auto* p : c->params) out.push_back(named_type(p));
    return out;
  }

  FuncType func_type(P::FuncTypeContext* c) {
    FuncType out;
    out.span = span(c);
    out.params = params(c->params);
    if (P::ResultListContext* r = c->results) {
      if (r->scalar) {
        out.results = FuncType::Results::Scalar;
        out.scalar = value_type(r->scalar);
      } else {
        out.results = FuncType::Results::Named;
        for (auto* n : r->named) out.named.push_back(named_type(n));
      }
    }
    return out;
  }

  Type value_type(P::ValueTypeContext* c) {
    Type t;
    t.span = span(c);
    using K = Type::Kind;
    switch (c->getStart()->getType()) {
      case P::U8: t.kind = K::U8; break;
      case P::S8: t.kind = K::S8; break;
      case P::U16: t.kind = K::U16; break;
      case P::S16: t.kind = K::S16; break;
      case P::U32: t.kind = K::U32; break;
      case P::S32: t.kind = K::S32; break;
      case P::U64: t.kind = K::U64; break;
      case P::S64: t.kind = K::S64; break;
      case P::F32: t.kind = K::F32; break;
      case P::F64: t.kind = K::F64; break;
      case P::CHAR: t.kind = K::Char; break;
      case P::BOOL: t.kind = K::Bool; break;
      case P::STRING_KW: t.kind = K::String; break;
      case P::TUPLE:
        t.kind = K::Tuple;
        for (auto* e : c->types) t.types.push_back(value_type(e));
        break;
      case P::LIST:
        t.kind = K::List;
        t.types.push_back(value_type(c->elem));
        break;
      case P::OPTION:
        t.kind = K::Option;
        t.types.push_back(value_type(c->elem));
        break;
      case P::RESULT:
        t.kind = K::Result;
        if (c->ok) {
          t.has_ok = true;
          t.types.push_back(value_type(c->ok));
        }
        if (c->err) {
          t.has_err = true;
          t.types.push_back(value_type(c->err));
        }
        break;
      case P::BORROW:
        t.kind = K::Borrow;
        t.ident = ident(c->id);
        break;
      default:
        t.kind = K::Ident;
        t.ident = ident(c->id);
        break;
    }
    return t;
  }

  // --- expressions ---

  Expr expr(P::ExprContext* c) {
    Expr out;
    out.span = span(c);
    P::PrimaryExprContext* p = c->primary;
    if (p->created) {
      out.kind = Expr::Kind::New;
      out.created = new_expr(p->created);
    } else if (p->nested) {
      out.kind = Expr::Kind::Nested;
      out.nested = std::make_unique<Expr>(expr(p->nested));
      out.nested_span = span(p->open, p->close);
    } else {
      out.kind = Expr::Kind::Ident;
      out.id = ident(p->id);
    }
    for (auto* x : c->postfix) {
      PostfixExpr pe;
      pe.span = span(x);
      if (x->str) {
        pe.named = true;
        pe.string = string(x->str);
      } else {
        pe.id = ident(x->id);
      }
      out.postfix.push_back(std::move(pe));
    }
    return out;
  }

  std::unique_ptr<NewExpr> new_expr(P::NewExprContext* c) {
    auto out = std::make_unique<NewExpr>();
    out->span = span(c);
    out->package = package_name(c->pkg);
    for (auto* a : c->args) {
      InstantiationArg arg;
      if (a->spread) {
        arg.kind = InstantiationArg::Kind::Spread;
        arg.id = ident(a->id);
        arg.span = span(a->spread, a->id);
      } else if (a->value) {
        arg.kind = InstantiationArg::Kind::Named;
        arg.name = name(a->name, a->str);
        arg.value = std::make_unique<Expr>(expr(a->value));
        arg.span = span(a);
      } else {
        arg.kind = InstantiationArg::Kind::Inferred;
        arg.id = ident(a->id);
        arg.span = arg.id.span;
      }
      out->args.push_back(std::move(arg));
    }
    if (c->fill) {
      InstantiationArg fill;
      fill.kind = InstantiationArg::Kind::Fill;
      fill.span = span(c->fill);
      out->args.push_back(std::move(fill));
    }
    return out;
  }

  const State& st_;
};

}  // namespace

const Docs& docs_of(const Statement& s) {
  return std::visit(
      [](const auto& x) -> const Docs& {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, TypeStatement>) {
          return std::visit(
              [](const auto& y) -> const Docs& {
                using U = std::decay_t<decltype(y)>;
                if constexpr (std::is_same_v<U, TypeDecl>) {
                  return std::visit([](const auto& z) -> const Docs& { return z.docs; }, y);
                } else {
                  return y.docs;
                }
              },
              x);
        } else {
          return x.docs;
        }
      },
      s);
}

Expected<Document> parse(const SourceMap& sources, uint32_t base) {
  const SourceMap::File* f = sources.file_of(base);
  if (!f || f->base != base) return fail(Diagnostic::plain("no WAC source registered at this offset"));
  try {
    auto lexed = detail::lex(f->contents, base);
    if (!lexed) return fail(std::move(lexed.error()));
    detail::WacTokenStream stream(lexed->tokens);
    State st(f->contents, base, *lexed, stream);
    auto strategy = std::make_shared<ErrorStrategy>(st);
    CheckedParser parser(st, &stream);
    parser.removeErrorListeners();
    parser.setErrorHandler(strategy);
    parser.setBuildParseTree(false);
    P::DocumentContext* ctx = parser.document();
    return Builder(st).document(ctx);
  } catch (const ParseFailure& e) {
    return fail(e.diag);
  } catch (const std::exception& e) {
    return fail(Diagnostic::at(Span{base, base}, std::string("internal WAC parser error: ") + e.what()));
  } catch (...) {
    return fail(Diagnostic::at(Span{base, base}, "internal WAC parser error"));
  }
}

}  // namespace witc::compose::wac
