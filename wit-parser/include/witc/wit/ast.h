// The WIT syntax tree: what one .wit file says, with a source span on every
// name. Produced by the parser (ANTLR4 grammar in wit-parser/grammar), consumed
// by the resolver. Nothing ANTLR-shaped appears here.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/base/semver.h"
#include "witc/base/source_map.h"

namespace witc::wit::ast {

// An identifier, with a leading `%` already removed. `span` covers the
// identifier as written (including `%`).
struct Ident {
  std::string name;
  Span span;
};

// Doc comments attached to the next item. `text` is the processed content as
// the reference parser produces it (comment markers stripped, lines joined
// with '\n'); nullopt when there is none.
struct Docs {
  std::optional<std::string> text;
  Span span;  // the first doc comment (for "found doc comments on multiple 'package' items")
};

struct Attribute {
  enum class Kind { Since, Unstable, Deprecated, ExternalId };
  Kind kind;
  Version version;      // Since, Deprecated
  std::string feature;  // Unstable
  std::string text;     // ExternalId: the string, escapes decoded
  Span span;            // the name after `@` (where the reference reports attribute errors)
};

struct PackageName {
  std::string ns;
  std::string name;
  std::optional<Version> version;
  Span span;  // `ns:name@ver` in a package declaration; `ns:name` (no version) in a UsePath,
              // as the reference reports them
};

struct TypeExpr {
  enum class Kind {
    Bool, U8, U16, U32, U64, S8, S16, S32, S64, F32, F64, Char, String, ErrorContext,
    Named,          // `foo` (a type name in scope)
    List,           // list<T>           args[0]
    FixedSizeList,  // list<T, N>        args[0], size
    Map,            // map<K, V>         args[0], args[1]
    Option,         // option<T>         args[0]
    Result,         // result, result<T>, result<_, E>, result<T, E>: has_ok/has_err select args
    Tuple,          // tuple<T...>       args
    Future,         // future, future<T> args (0 or 1)
    Stream,         // stream, stream<T> args (0 or 1)
    Own,            // own<name>         name
    Borrow,         // borrow<name>      name
  };
  Kind kind = Kind::Bool;
  Span span;                   // where the reference reports this type: a primitive's token,
                               // the keyword of a constructed type (`list`, `result`, `tuple`,
                               // ...), the name of a Named type or of an Own/Borrow resource
  Ident name;                  // Named, Own, Borrow
  std::vector<TypeExpr> args;  // see above
  bool has_ok = false;         // Result: args[0] is ok when set
  bool has_err = false;        // Result: the last arg is err when set
  uint32_t size = 0;           // FixedSizeList
};

struct Param {
  Ident name;
  TypeExpr type;
};

struct Func {
  bool is_async = false;
  std::vector<Param> params;
  std::optional<TypeExpr> result;  // `-> T`
  Span span;                       // the `func` keyword (`constructor` for constructors), as the
                                   // reference reports a function
};

struct ResourceFunc {
  enum class Kind { Method, Static, Constructor };
  Kind kind = Kind::Method;
  Docs docs;
  std::vector<Attribute> attributes;
  Ident name;  // for constructors: "constructor" with the keyword's span
  Func func;
};

struct Field {
  Docs docs;
  Ident name;
  TypeExpr type;
};
struct FlagName {
  Docs docs;
  Ident name;
};
struct VariantCase {
  Docs docs;
  Ident name;
  std::optional<TypeExpr> type;
};
struct EnumCase {
  Docs docs;
  Ident name;
};

struct TypeDecl {
  enum class Kind { Resource, Record, Flags, Variant, Enum, Alias };
  Kind kind = Kind::Alias;
  Docs docs;
  std::vector<Attribute> attributes;
  Ident name;
  std::vector<ResourceFunc> resource_funcs;  // Resource (body may be absent: `resource r;`)
  std::vector<Field> fields;                 // Record
  std::vector<FlagName> flags;               // Flags
  std::vector<VariantCase> cases;            // Variant
  std::vector<EnumCase> enum_cases;          // Enum
  std::optional<TypeExpr> alias;             // Alias: `type name = T;`
  Span span;                                 // the whole declaration, from its keyword
                                             // (errors about the type use `name.span`)
};

// What a `use`, `import`, `export` or `include` names:
//   `iface`             (Kind::Name: an interface or world in this package,
//                        or a top-level `use` alias)
//   `ns:pkg/iface@1.0`  (Kind::Package)
struct UsePath {
  enum class Kind { Name, Package };
  Kind kind = Kind::Name;
  Ident name;           // Name: the item; Package: the interface/world name
  PackageName package;  // Package
  Span span;            // the whole path
};

struct UseName {
  Ident name;
  std::optional<Ident> as;
};

// `use path.{a, b as c};` inside an interface or world.
struct Use {
  std::vector<Attribute> attributes;
  UsePath from;
  std::vector<UseName> names;
  Span span;
};

struct NamedFunc {
  Docs docs;
  std::vector<Attribute> attributes;
  Ident name;
  Func func;
};

using InterfaceItem = std::variant<TypeDecl, Use, NamedFunc>;

struct Interface {
  Docs docs;
  std::vector<Attribute> attributes;
  Ident name;  // empty name for an inline `import x: interface { ... }`
  std::vector<InterfaceItem> items;
  Span span;
};

// The target of a world import/export.
struct ExternKind {
  enum class Kind { Interface, Path, Func };
  Kind kind = Kind::Path;
  std::optional<Interface> interface;  // Interface: inline `interface { ... }` (boxed by optional)
  UsePath path;                        // Path
  Func func;                           // Func
};

struct ImportExport {
  bool is_export = false;
  Docs docs;
  std::vector<Attribute> attributes;
  std::optional<Ident> name;  // `import name: ...`; absent for `import path;`
  ExternKind target;
  Span span;
};

struct IncludeName {
  Ident name;
  Ident as;
};

struct Include {
  std::vector<Attribute> attributes;
  UsePath from;
  std::vector<IncludeName> with;
  Span span;
};

using WorldItem = std::variant<ImportExport, Use, TypeDecl, Include>;

struct World {
  Docs docs;
  std::vector<Attribute> attributes;
  Ident name;
  std::vector<WorldItem> items;
  Span span;
};

// `use ns:pkg/iface@1.0 as name;` at file level.
struct TopLevelUse {
  std::vector<Attribute> attributes;
  UsePath item;
  std::optional<Ident> as;
  Span span;  // the `use` keyword
};

struct PackageDecl {
  Docs docs;
  PackageName name;
  Span span;  // the whole `package ...;` or the header of `package ... {`
};

struct NestedPackage;
using Decl = std::variant<Interface, World, TopLevelUse, std::unique_ptr<NestedPackage>>;

// `package ns:pkg { interface ... world ... }` inside a file.
struct NestedPackage {
  PackageDecl decl;
  std::vector<Decl> decls;  // never contains another NestedPackage (the parser rejects that:
                            // "nested packages must be placed at the top-level")
};

struct File {
  std::optional<PackageDecl> package;  // the `package ns:name;` header
  std::vector<Decl> decls;             // in source order
  uint32_t file_base = 0;              // SourceMap base offset of this file
};

// Parses one source text already registered in `sources` at global offset
// `base`. Errors are syntax or lexical errors with a span, worded and placed
// like the reference parser's (wasm-tools wit-parser). Never throws.
Expected<File> parse(const SourceMap& sources, uint32_t base);

}  // namespace witc::wit::ast
