// The syntax tree of a WAC document (wac's LANGUAGE.md; the composer's
// grammar is composer/wac/Wac.g4).
//
// Every node carries the source span it was parsed from (global offsets in
// the SourceMap the document was registered in), so resolution errors point
// at the exact text. The shapes follow wac's own AST (crates/wac-parser
// `ast`), which is also what `--parse-only --json` prints: identifiers
// without their `%`, strings without their quotes, documentation comments
// (`///`, `/** */`) attached to the item they precede.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "witc/base/diagnostic.h"

namespace witc::compose::wac {

struct Ident {
  std::string name;  // without a leading `%`
  Span span;         // as written, `%` included
};

struct StringLit {
  std::string value;  // without the quotes
  Span span;          // quotes included
};

// `ident` or `"string"` (import/export names, named arguments).
struct Name {
  bool is_string = false;
  std::string value;
  Span span;  // the identifier, or the string with its quotes
};

struct Doc {
  std::string comment;  // trimmed, markers stripped
  Span span;            // the whole comment
};
using Docs = std::vector<Doc>;

// `ns:pkg@1.2.3` (a `new` expression, the package directive).
struct PackageName {
  std::string text;                    // as written
  std::string name;                    // `ns:pkg`
  std::optional<std::string> version;  // validated semver
  Span span;
};

// `ns:pkg/a/b@1.2.3`.
struct PackagePath {
  std::string text;                    // as written
  std::string name;                    // `ns:pkg`
  std::string segments;                // `a/b`
  std::optional<std::string> version;  // validated semver
  Span span;
};

// --- types ---------------------------------------------------------------------------------

struct Type {
  enum class Kind : uint8_t {
    U8, S8, U16, S16, U32, S32, U64, S64, F32, F64, Char, Bool, String,
    Tuple, List, Option, Result, Borrow, Ident,
  };
  Kind kind = Kind::U8;
  Span span;
  std::vector<Type> types;  // Tuple: elements; List, Option: the element; Result: ok and/or err
  bool has_ok = false;      // Result: whether `types` holds an ok type (first)
  bool has_err = false;     // Result: whether `types` holds an err type (last)
  Ident ident;              // Ident, Borrow

  const Type* ok() const { return has_ok ? &types.front() : nullptr; }
  const Type* err() const { return has_err ? &types.back() : nullptr; }
};

struct NamedType {
  Docs docs;  // record fields
  Ident id;
  Type ty;
};

struct FuncType {
  std::vector<NamedType> params;
  enum class Results : uint8_t { Empty, Scalar, Named };
  Results results = Results::Empty;
  std::optional<Type> scalar;
  std::vector<NamedType> named;
  Span span;  // from `func` (or `(` of a constructor) to the end
};

// `func(...)` or the name of a function type.
struct FuncTypeRef {
  std::optional<FuncType> func;
  Ident id;  // when !func
};

struct ResourceMethod {
  Docs docs;
  bool is_constructor = false;
  Span span;  // the `constructor` keyword
  Ident id;   // methods
  bool is_static = false;
  FuncType ty;  // constructors: params only
};

struct ResourceDecl {
  Docs docs;
  Ident id;
  std::vector<ResourceMethod> methods;
};

struct VariantCase {
  Docs docs;
  Ident id;
  std::optional<Type> ty;
};
struct VariantDecl {
  Docs docs;
  Ident id;
  std::vector<VariantCase> cases;
};
struct RecordDecl {
  Docs docs;
  Ident id;
  std::vector<NamedType> fields;
};
struct LabelItem {
  Docs docs;
  Ident id;
};
struct FlagsDecl {
  Docs docs;
  Ident id;
  std::vector<LabelItem> flags;
};
struct EnumDecl {
  Docs docs;
  Ident id;
  std::vector<LabelItem> cases;
};
struct TypeAlias {
  Docs docs;
  Ident id;
  std::optional<FuncType> func;  // `type f = func(...)`
  std::optional<Type> ty;        // otherwise
};

using TypeDecl = std::variant<VariantDecl, RecordDecl, FlagsDecl, EnumDecl, TypeAlias>;
using ItemTypeDecl = std::variant<ResourceDecl, TypeDecl>;

struct UseItem {
  Ident id;
  std::optional<Ident> as_id;
};
struct UseStatement {
  Docs docs;
  std::optional<PackagePath> path;  // `use ns:pkg/i.{...}`
  Ident id;                         // `use i.{...}`
  std::vector<UseItem> items;
  Span span;  // the `use` keyword
};

struct InterfaceExport {
  Docs docs;
  Ident id;
  FuncTypeRef ty;
};

using InterfaceItem = std::variant<UseStatement, ItemTypeDecl, InterfaceExport>;

struct InlineInterface {
  std::vector<InterfaceItem> items;
  Span span;  // the `interface` keyword
};

struct InterfaceDecl {
  Docs docs;
  Ident id;
  std::vector<InterfaceItem> items;
};

struct ExternType {
  enum class Kind : uint8_t { Ident, Func, Interface };
  Kind kind = Kind::Ident;
  Ident id;
  std::optional<FuncType> func;
  std::unique_ptr<InlineInterface> iface;
};

// What a world import/export names: `id: extern-type`, a package path, or an
// interface by local name.
struct WorldItemPath {
  enum class Kind : uint8_t { Named, Package, Ident };
  Kind kind = Kind::Ident;
  Ident id;                  // Named: the name; Ident: the interface
  ExternType ty;             // Named
  std::optional<PackagePath> path;  // Package
};

struct WorldImportExport {
  Docs docs;
  bool is_import = true;
  WorldItemPath path;
};

struct IncludeName {
  Ident source;
  Ident target;
};
struct WorldInclude {
  Docs docs;
  std::optional<PackagePath> path;  // `include ns:pkg/w`
  Ident id;                         // `include w`
  std::vector<IncludeName> with;
};

using WorldItem = std::variant<UseStatement, ItemTypeDecl, WorldImportExport, WorldInclude>;

struct WorldDecl {
  Docs docs;
  Ident id;
  std::vector<WorldItem> items;
};

// --- statements ----------------------------------------------------------------------------

struct ImportType {
  enum class Kind : uint8_t { Package, Func, Interface, Ident };
  Kind kind = Kind::Ident;
  std::optional<PackagePath> path;
  std::optional<FuncType> func;
  std::unique_ptr<InlineInterface> iface;
  Ident id;
};

struct ImportStatement {
  Docs docs;
  Ident id;
  std::optional<Name> name;  // `as name`
  ImportType ty;
};

using TypeStatement = std::variant<InterfaceDecl, WorldDecl, TypeDecl>;

struct Expr;

struct InstantiationArg {
  enum class Kind : uint8_t { Inferred, Spread, Named, Fill };
  Kind kind = Kind::Inferred;
  Ident id;                     // Inferred, Spread
  Name name;                    // Named
  std::unique_ptr<Expr> value;  // Named
  Span span;                    // Fill: the `...`; Spread: `...` and the name
};

struct NewExpr {
  PackageName package;
  std::vector<InstantiationArg> args;
  Span span;  // `new` to `}`
};

struct PostfixExpr {
  bool named = false;  // `["name"]` (else `.id`)
  Ident id;
  StringLit string;
  Span span;  // `.id` or `["name"]`
};

struct Expr {
  enum class Kind : uint8_t { Ident, New, Nested };
  Kind kind = Kind::Ident;
  Ident id;
  std::unique_ptr<NewExpr> created;
  std::unique_ptr<Expr> nested;
  Span nested_span;  // Nested: `(` to `)`
  std::vector<PostfixExpr> postfix;
  Span span;
};

struct LetStatement {
  Docs docs;
  Ident id;
  Expr value;
};

struct ExportStatement {
  Docs docs;
  Expr value;
  enum class Options : uint8_t { None, Spread, Rename };
  Options options = Options::None;
  Span spread;  // the `...`
  Name rename;
};

using Statement = std::variant<ImportStatement, TypeStatement, LetStatement, ExportStatement>;

struct Document {
  Docs docs;  // before the package directive
  PackageName package;
  std::optional<PackagePath> targets;
  std::vector<Statement> statements;
  uint32_t file_base = 0;  // global offset of the document's first byte
};

// The docs of a statement (every statement kind has them).
const Docs& docs_of(const Statement& s);

}  // namespace witc::compose::wac
