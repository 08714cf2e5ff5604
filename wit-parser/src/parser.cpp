// ast::parse: lexes a file, then walks it chunk by chunk with the generated
// WitParser (grammar/Wit.g4): the file header, each top-level item, each
// item of an interface or world body. After a chunk's AST is built its rule
// contexts are freed, so memory follows the largest item, not the file.
// Scopes (file, nested package, interface, world) are sequenced here;
// everything inside an item is the grammar's.
#include <memory>

#include "parse_antlr.h"
#include "parse_builder.h"
#include "parse_errors.h"
#include "parse_lexer.h"
#include "witc/wit/ast.h"

namespace witc::wit::ast {

namespace {

using P = antlrgen::WitParser;
using detail::AstBuilder;
using detail::ParseFailure;
using detail::ParseState;

class Driver {
 public:
  Driver(std::string_view text, uint32_t base, detail::Lexed lexed)
      : lexed_(std::move(lexed)),
        stream_(std::move(lexed_.tokens)),
        state_(text, base, lexed_, stream_),
        strategy_(std::make_shared<detail::WitErrorStrategy>(state_)),
        parser_(state_, &stream_),
        builder_(state_) {
    parser_.removeErrorListeners();
    parser_.setErrorHandler(strategy_);
    parser_.setBuildParseTree(false);  // the builder reads the rules' labels
  }

  File run() {
    File file;
    file.file_base = state_.base();
    if (la() == P::PACKAGE) {
      Docs docs = builder_.docs_before(stream_.index());
      P::PackageLeadContext* lead = parser_.packageLead();
      PackageDecl decl{std::move(docs), builder_.package_name(lead->name), builder_.span(lead)};
      bool header = lead->end->semi != nullptr;
      release();
      if (header) {
        file.package = std::move(decl);
      } else {
        auto nested = std::make_unique<NestedPackage>();
        nested->decl = std::move(decl);
        scope(nested->decls, 1);
        file.decls.emplace_back(std::move(nested));
      }
    }
    scope(file.decls, 0);
    if (nested_error_) throw ParseFailure(*nested_error_);
    return file;
  }

 private:
  size_t la() { return stream_.LA(1); }

  void release() { parser_.getTreeTracker().reset(); }

  // Items of the file (depth 0, up to EOF) or of a nested package (up to '}').
  void scope(std::vector<Decl>& out, int depth) {
    for (;;) {
      if (depth > 0 && la() == P::RBRACE) {
        stream_.consume();
        return;
      }
      if (depth == 0 && la() == antlr4::Token::EOF) return;
      Docs docs = builder_.docs_before(stream_.index());
      P::DeclItemContext* item = parser_.declItem();
      std::vector<Attribute> attrs = builder_.gates(item->gates);
      if (item->ikw) {
        Interface iface;
        iface.docs = std::move(docs);
        iface.attributes = std::move(attrs);
        iface.name = builder_.ident(item->name);
        iface.span = builder_.span(item->ikw);
        release();
        iface.span.end = interface_body(iface.items);
        out.emplace_back(std::move(iface));
      } else if (item->wkw) {
        World world;
        world.docs = std::move(docs);
        world.attributes = std::move(attrs);
        world.name = builder_.ident(item->name);
        world.span = builder_.span(item->wkw);
        release();
        world.span.end = world_body(world.items);
        out.emplace_back(std::move(world));
      } else if (P::ToplevelUseContext* use = item->use) {
        out.emplace_back(builder_.toplevel_use(use, std::move(attrs)));
        release();
      } else {
        P::NestedPackageOpenContext* open_pkg = item->pkg;
        auto nested = std::make_unique<NestedPackage>();
        nested->decl = PackageDecl{std::move(docs), builder_.package_name(open_pkg->name),
                                   builder_.span(open_pkg)};
        // The reference parses packages nested in nested packages and then
        // rejects them once the whole file has parsed.
        if (depth > 0 && !nested_error_)
          nested_error_ = Diagnostic::at(nested->decl.name.span, "nested packages must be placed at the top-level");
        release();
        scope(nested->decls, depth + 1);
        if (depth == 0) out.emplace_back(std::move(nested));
      }
    }
  }

  // Items up to the closing '}'; returns the end of that brace.
  uint32_t interface_body(std::vector<InterfaceItem>& items) {
    for (;;) {
      if (la() == P::RBRACE) return consume_close();
      Docs docs = builder_.docs_before(stream_.index());
      P::InterfaceItemContext* item = parser_.interfaceItem();
      items.push_back(builder_.interface_item(item, std::move(docs)));
      release();
    }
  }

  uint32_t world_body(std::vector<WorldItem>& items) {
    for (;;) {
      if (la() == P::RBRACE) return consume_close();
      Docs docs = builder_.docs_before(stream_.index());
      P::WorldItemContext* item = parser_.worldItem();
      WorldItem wi = builder_.world_item(item, std::move(docs));
      release();
      if (auto* ie = std::get_if<ImportExport>(&wi); ie && ie->target.kind == ExternKind::Kind::Interface) {
        uint32_t end = interface_body(ie->target.interface->items);
        ie->target.interface->span.end = end;
        ie->span.end = end;
      }
      items.push_back(std::move(wi));
    }
  }

  uint32_t consume_close() {
    uint32_t end = state_.base() + stream_.at(stream_.index()).end_;
    stream_.consume();
    return end;
  }

  detail::Lexed lexed_;
  detail::WitTokenStream stream_;
  ParseState state_;
  std::shared_ptr<detail::WitErrorStrategy> strategy_;
  detail::WitCheckedParser parser_;
  AstBuilder builder_;
  std::optional<Diagnostic> nested_error_;
};

}  // namespace

Expected<File> parse(const SourceMap& sources, uint32_t base) {
  const SourceMap::File* f = sources.file_of(base);
  if (!f || f->base != base) return fail(Diagnostic::plain("no WIT source registered at this offset"));
  try {
    auto lexed = detail::lex(f->contents, base);
    if (!lexed) return fail(std::move(lexed.error()));
    Driver driver(f->contents, base, std::move(*lexed));
    return driver.run();
  } catch (const ParseFailure& e) {
    return fail(e.diag);
  } catch (const std::exception& e) {
    return fail(Diagnostic::at(Span{base, base}, std::string("internal WIT parser error: ") + e.what()));
  } catch (...) {
    return fail(Diagnostic::at(Span{base, base}, "internal WIT parser error"));
  }
}

}  // namespace witc::wit::ast
