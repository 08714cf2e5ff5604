#include "parse_builder.h"

#include <charconv>

#include "parse_lexer.h"
#include "parse_text.h"

namespace witc::wit::detail {

using P = antlrgen::WitParser;

namespace {

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\x0C' || c == '\r'; }

}  // namespace

ast::Docs AstBuilder::docs_before(size_t index) const {
  const WitTokenStream& ts = st_.stream();
  uint32_t begin = index > 0 ? ts.at(index - 1).comments_end_ : 0;
  uint32_t end = ts.at(index).comments_end_;
  ast::Docs docs;
  if (begin >= end) return docs;
  const auto& comments = st_.lexed().comments;
  std::vector<std::string_view> texts;
  texts.reserve(end - begin);
  for (uint32_t i = begin; i < end; ++i)
    texts.push_back(st_.text().substr(comments[i].first, comments[i].second - comments[i].first));
  docs.text = doc_text(texts);
  // The reference's span: first comment to last, without trailing blanks.
  std::string_view last = texts.back();
  size_t trailing = 0;
  while (trailing < last.size() && is_ascii_space(last[last.size() - 1 - trailing])) ++trailing;
  docs.span = Span{st_.base() + comments[begin].first,
                   st_.base() + comments[end - 1].second - static_cast<uint32_t>(trailing)};
  return docs;
}

Span AstBuilder::span(antlr4::ParserRuleContext* c) const {
  Span s = st_.span(c->getStart());
  if (c->getStop()) s.end = std::max(s.end, st_.span(c->getStop()).end);
  return s;
}

ast::Ident AstBuilder::ident(const antlr4::Token* id) const {
  return ast::Ident{std::string(id_name(st_, id)), span(id)};
}

Version AstBuilder::version(P::VersionContext* c) const {
  Span s = version_span(st_, c);
  return Version::parse(st_.text().substr(s.begin - st_.base(), s.end - s.begin)).value_or(Version{});
}

std::vector<ast::Attribute> AstBuilder::gates(const std::vector<P::GateContext*>& gates) const {
  std::vector<ast::Attribute> out;
  out.reserve(gates.size());
  for (P::GateContext* g : gates) {
    ast::Attribute a;
    std::string_view name = id_name(st_, g->name->name);
    a.kind = name == "since"         ? ast::Attribute::Kind::Since
             : name == "unstable"    ? ast::Attribute::Kind::Unstable
             : name == "external-id" ? ast::Attribute::Kind::ExternalId
                                     : ast::Attribute::Kind::Deprecated;
    if (a.kind == ast::Attribute::Kind::ExternalId)
      a.text = string_literal_value(st_.text_of(g->str));
    else if (a.kind == ast::Attribute::Kind::Unstable)
      a.feature = std::string(id_name(st_, g->value->feature));
    else
      a.version = version(g->value->ver);
    a.span = span(g->name->name);
    out.push_back(std::move(a));
  }
  return out;
}

ast::PackageName AstBuilder::package_name(P::PackageNameContext* c) const {
  ast::PackageName n;
  n.ns = std::string(id_name(st_, c->ns));
  n.name = std::string(id_name(st_, c->name));
  n.span = Span{span(c->ns).begin, span(c->name).end};
  if (c->ver) {
    n.version = version(c->ver);
    n.span.end = version_span(st_, c->ver).end;
  }
  return n;
}

namespace {

// `ns:pkg/iface@version`; the package's span stops before the version, as
// in the reference.
ast::UsePath package_path(const AstBuilder& b, const ParseState& st, const antlr4::Token* ns,
                          const antlr4::Token* pkg, const antlr4::Token* iface, P::VersionContext* v) {
  ast::UsePath p;
  p.kind = ast::UsePath::Kind::Package;
  p.package.ns = std::string(id_name(st, ns));
  p.package.name = std::string(id_name(st, pkg));
  p.package.span = Span{b.span(ns).begin, b.span(pkg).end};
  p.name = b.ident(iface);
  p.span = Span{p.package.span.begin, p.name.span.end};
  if (v) {
    Span vs = version_span(st, v);
    p.package.version = Version::parse(st.text().substr(vs.begin - st.base(), vs.end - vs.begin)).value_or(Version{});
    p.span.end = vs.end;
  }
  return p;
}

ast::UsePath name_path(const AstBuilder& b, const antlr4::Token* id) {
  ast::UsePath p;
  p.kind = ast::UsePath::Kind::Name;
  p.name = b.ident(id);
  p.span = p.name.span;
  return p;
}

}  // namespace

ast::UsePath AstBuilder::use_path(P::UsePathContext* c) const {
  if (!c->pkg) return name_path(*this, c->first);
  return package_path(*this, st_, c->first, c->pkg, c->name, c->ver);
}

ast::TopLevelUse AstBuilder::toplevel_use(P::ToplevelUseContext* c, std::vector<ast::Attribute> attrs) const {
  ast::TopLevelUse u;
  u.attributes = std::move(attrs);
  u.item = use_path(c->path);
  if (c->alias) u.as = ident(c->alias);
  u.span = span(c->kw);
  return u;
}

// ---------------------------------------------------------------- items

ast::InterfaceItem AstBuilder::interface_item(P::InterfaceItemContext* c, ast::Docs docs) {
  std::vector<ast::Attribute> attrs = gates(c->gates);
  if (c->tdef) return typedef_item(c->tdef, std::move(docs), std::move(attrs));
  if (c->use) return use_item(c->use, std::move(attrs));
  ast::NamedFunc nf;
  nf.docs = std::move(docs);
  nf.attributes = std::move(attrs);
  nf.name = ident(c->name);
  nf.func = func(c->sig);
  return nf;
}

ast::WorldItem AstBuilder::world_item(P::WorldItemContext* c, ast::Docs docs) {
  std::vector<ast::Attribute> attrs = gates(c->gates);
  if (c->imp) return extern_item(c->ext, false, c->imp, std::move(docs), std::move(attrs));
  if (c->exp) return extern_item(c->ext, true, c->exp, std::move(docs), std::move(attrs));
  if (c->use) return use_item(c->use, std::move(attrs));
  if (c->tdef) return typedef_item(c->tdef, std::move(docs), std::move(attrs));
  return include_item(c->incl, std::move(attrs));
}

ast::Include AstBuilder::include_item(P::IncludeItemContext* c, std::vector<ast::Attribute> attrs) {
  ast::Include in;
  in.attributes = std::move(attrs);
  in.from = use_path(c->path);
  if (P::IncludeNamesContext* names = c->tail->names)
    for (size_t i = 0; i < names->names.size() && i < names->aliases.size(); ++i)
      in.with.push_back(ast::IncludeName{ident(names->names[i]), ident(names->aliases[i])});
  in.span = span(c);
  return in;
}

ast::ImportExport AstBuilder::extern_item(P::ExternKindContext* kind, bool is_export, antlr4::Token* keyword,
                                          ast::Docs docs, std::vector<ast::Attribute> attrs) {
  ast::ImportExport ie;
  ie.is_export = is_export;
  ie.docs = std::move(docs);
  ie.attributes = std::move(attrs);
  ie.span = Span{span(keyword).begin, span(kind).end};
  ast::ExternKind& t = ie.target;
  P::ExternTargetContext* target = kind->rest->target;
  if (!target) {  // `import iface;`
    t.kind = ast::ExternKind::Kind::Path;
    t.path = name_path(*this, kind->first);
    return ie;
  }
  if (target->func) {  // `import name: func(...);`
    ie.name = ident(kind->first);
    t.kind = ast::ExternKind::Kind::Func;
    t.func = func(target->func);
    return ie;
  }
  if (target->kw) {  // `import name: interface {` (the items follow)
    ie.name = ident(kind->first);
    t.kind = ast::ExternKind::Kind::Interface;
    t.interface.emplace();
    t.interface->name = ast::Ident{"", span(target->kw)};
    t.interface->span = span(target);
    return ie;
  }
  P::ExternPathTailContext* tail = target->tail;
  t.kind = ast::ExternKind::Kind::Path;
  if (tail->slash) {  // `ns:pkg/iface@v`
    t.path = package_path(*this, st_, kind->first, target->second, tail->name, tail->ver);
  } else if (tail->colon) {  // `label: ns:pkg/iface@v`
    ie.name = ident(kind->first);
    t.path = package_path(*this, st_, target->second, tail->pkg, tail->name, tail->ver);
  } else {  // `label: iface`
    ie.name = ident(kind->first);
    t.path = name_path(*this, target->second);
  }
  return ie;
}

ast::Use AstBuilder::use_item(P::UseItemContext* c, std::vector<ast::Attribute> attrs) {
  ast::Use u;
  u.attributes = std::move(attrs);
  u.from = use_path(c->path);
  u.names.reserve(c->names->items.size());
  for (P::UseNameContext* n : c->names->items) {
    ast::UseName un{ident(n->name), std::nullopt};
    if (n->alias) un.as = ident(n->alias);
    u.names.push_back(std::move(un));
  }
  u.span = span(c);
  return u;
}

ast::Func AstBuilder::func(P::FuncTypeContext* c) {
  ast::Func f;
  f.is_async = c->async != nullptr;
  f.params = params(c->params);
  if (c->result) f.result = type(c->result);
  f.span = span(c->kw);
  return f;
}

std::vector<ast::Param> AstBuilder::params(P::ParamListContext* c) {
  std::vector<ast::Param> out;
  out.reserve(c->types.size());
  for (size_t i = 0; i < c->types.size(); ++i) out.push_back(ast::Param{ident(c->names[i]), type(c->types[i])});
  return out;
}

ast::TypeDecl AstBuilder::typedef_item(P::TypedefItemContext* c, ast::Docs docs,
                                       std::vector<ast::Attribute> attrs) {
  using K = ast::TypeDecl::Kind;
  ast::TypeDecl d;
  d.docs = std::move(docs);
  d.attributes = std::move(attrs);
  d.span = span(c);
  d.name = ident(c->name);
  auto item_docs = [&](const antlr4::Token* first) { return docs_before(first->getTokenIndex()); };
  switch (c->getStart()->getType()) {
    case P::TYPE:
      d.kind = K::Alias;
      d.alias = type(c->type);
      break;
    case P::RECORD:
      d.kind = K::Record;
      d.fields.reserve(c->fields->types.size());
      for (size_t i = 0; i < c->fields->types.size(); ++i) {
        const antlr4::Token* name = c->fields->names[i];
        d.fields.push_back(ast::Field{item_docs(name), ident(name), type(c->fields->types[i])});
      }
      break;
    case P::FLAGS:
      d.kind = K::Flags;
      for (const antlr4::Token* f : c->flags->items) d.flags.push_back(ast::FlagName{item_docs(f), ident(f)});
      break;
    case P::VARIANT:
      d.kind = K::Variant;
      for (P::VariantCaseContext* vc : c->cases->items) {
        ast::VariantCase cs{item_docs(vc->name), ident(vc->name), std::nullopt};
        if (vc->type) cs.type = type(vc->type);
        d.cases.push_back(std::move(cs));
      }
      break;
    case P::ENUM:
      d.kind = K::Enum;
      for (const antlr4::Token* e : c->enumCases->items)
        d.enum_cases.push_back(ast::EnumCase{item_docs(e), ident(e)});
      break;
    default:
      d.kind = K::Resource;
      for (P::ResourceFuncContext* f : c->funcs) d.resource_funcs.push_back(resource_func(f));
      break;
  }
  return d;
}

ast::ResourceFunc AstBuilder::resource_func(P::ResourceFuncContext* c) {
  ast::ResourceFunc rf;
  rf.docs = docs_before(c->getStart()->getTokenIndex());
  rf.attributes = gates(c->gates);
  if (c->ckw) {
    rf.kind = ast::ResourceFunc::Kind::Constructor;
    rf.name = ast::Ident{"constructor", span(c->ckw)};
    rf.func.params = params(c->params);
    if (c->result) rf.func.result = type(c->result);
    rf.func.span = rf.name.span;
    return rf;
  }
  rf.kind = c->isStatic ? ast::ResourceFunc::Kind::Static : ast::ResourceFunc::Kind::Method;
  rf.name = ident(c->name);
  rf.func = func(c->sig);
  return rf;
}

// ---------------------------------------------------------------- types

ast::TypeExpr AstBuilder::type(P::TyContext* c) {
  ast::TypeExpr t;
  ast::TypeExpr* saved = out_;
  out_ = &t;
  if (c->tuple)
    visitTupleTy(c->tuple);
  else
    visitTy(c);
  out_ = saved;
  return t;
}

antlrcpp::Any AstBuilder::visitTy(P::TyContext* c) {
  using K = ast::TypeExpr::Kind;
  ast::TypeExpr* t = out_;
  antlr4::Token* first = c->getStart();
  t->span = span(first);  // the keyword, as the reference reports it
  auto arg = [&](P::TyContext* x) { t->args.push_back(type(x)); };
  switch (first->getType()) {
    case P::BOOL: t->kind = K::Bool; break;
    case P::U8: t->kind = K::U8; break;
    case P::U16: t->kind = K::U16; break;
    case P::U32: t->kind = K::U32; break;
    case P::U64: t->kind = K::U64; break;
    case P::S8: t->kind = K::S8; break;
    case P::S16: t->kind = K::S16; break;
    case P::S32: t->kind = K::S32; break;
    case P::S64: t->kind = K::S64; break;
    case P::F32: t->kind = K::F32; break;
    case P::F64: t->kind = K::F64; break;
    case P::CHAR: t->kind = K::Char; break;
    case P::STRING: t->kind = K::String; break;
    case P::ERROR_CONTEXT: t->kind = K::ErrorContext; break;
    case P::LIST:
      arg(c->elem);
      t->kind = c->size ? K::FixedSizeList : K::List;
      if (c->size) {
        std::string_view digits = st_.text_of(c->size);
        std::from_chars(digits.data(), digits.data() + digits.size(), t->size);
      }
      break;
    case P::MAP:
      t->kind = K::Map;
      arg(c->key);
      arg(c->value);
      break;
    case P::OPTION:
      t->kind = K::Option;
      arg(c->elem);
      break;
    case P::RESULT:
      t->kind = K::Result;
      t->has_ok = c->ok != nullptr;
      t->has_err = c->err != nullptr;
      if (c->ok) arg(c->ok);
      if (c->err) arg(c->err);
      break;
    case P::FUTURE:
    case P::STREAM:
      t->kind = first->getType() == P::FUTURE ? K::Future : K::Stream;
      if (c->elem) arg(c->elem);
      break;
    default:  // own<r>, borrow<r>, a name: the reference points at the name
      t->kind = first->getType() == P::OWN ? K::Own : first->getType() == P::BORROW ? K::Borrow : K::Named;
      t->name = ident(c->name);
      t->span = t->name.span;
      break;
  }
  return {};
}

antlrcpp::Any AstBuilder::visitTupleTy(P::TupleTyContext* c) {
  ast::TypeExpr* t = out_;
  t->kind = ast::TypeExpr::Kind::Tuple;
  t->span = span(c->getStart());
  t->args.reserve(c->items.size());
  for (P::TyContext* a : c->items) t->args.push_back(type(a));
  return {};
}

}  // namespace witc::wit::detail
