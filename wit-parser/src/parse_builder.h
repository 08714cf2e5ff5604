// Builds witc::wit::ast nodes from the rule contexts of one chunk, reading
// the grammar's element labels (no parse tree is built). Types go through
// the generated visitor interface (visitTy / visitTupleTy, called directly:
// the alternative taken is known from the first token). Spans follow the
// reference parser, so the resolver's errors point where wasm-tools points.
// Private to the parser.
#pragma once

#include <vector>

#include "parse_antlr.h"
#include "parse_errors.h"
#include "witc/wit/ast.h"

namespace witc::wit::detail {

class AstBuilder final : public antlrgen::WitBaseVisitor {
 public:
  using P = antlrgen::WitParser;

  explicit AstBuilder(const ParseState& st) : st_(st) {}

  // The doc comments before token `index`.
  ast::Docs docs_before(size_t index) const;
  Span span(const antlr4::Token* t) const { return st_.span(t); }
  // From the first to the last token of a rule.
  Span span(antlr4::ParserRuleContext* c) const;

  ast::Ident ident(const antlr4::Token* id) const;
  std::vector<ast::Attribute> gates(const std::vector<P::GateContext*>& gates) const;
  ast::PackageName package_name(P::PackageNameContext* c) const;
  ast::UsePath use_path(P::UsePathContext* c) const;
  ast::TopLevelUse toplevel_use(P::ToplevelUseContext* c, std::vector<ast::Attribute> attrs) const;

  ast::InterfaceItem interface_item(P::InterfaceItemContext* c, ast::Docs docs);
  // A world item; an inline `name: interface {` comes back with an empty
  // interface whose items the driver parses next.
  ast::WorldItem world_item(P::WorldItemContext* c, ast::Docs docs);

  ast::TypeExpr type(P::TyContext* c);
  antlrcpp::Any visitTy(P::TyContext* c) override;
  antlrcpp::Any visitTupleTy(P::TupleTyContext* c) override;

 private:
  ast::TypeDecl typedef_item(P::TypedefItemContext* c, ast::Docs docs, std::vector<ast::Attribute> attrs);
  ast::Use use_item(P::UseItemContext* c, std::vector<ast::Attribute> attrs);
  ast::Include include_item(P::IncludeItemContext* c, std::vector<ast::Attribute> attrs);
  ast::ImportExport extern_item(P::ExternKindContext* kind, bool is_export, antlr4::Token* keyword,
                                ast::Docs docs, std::vector<ast::Attribute> attrs);
  ast::Func func(P::FuncTypeContext* c);
  std::vector<ast::Param> params(P::ParamListContext* c);
  ast::ResourceFunc resource_func(P::ResourceFuncContext* c);
  Version version(P::VersionContext* c) const;

  const ParseState& st_;
  ast::TypeExpr* out_ = nullptr;  // where the type visitor writes
};

}  // namespace witc::wit::detail
