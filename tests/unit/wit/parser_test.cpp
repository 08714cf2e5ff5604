// The WIT parser (witc::wit::ast::parse): tokens, comments and docs, every
// item and type form, and errors worded and placed like the reference
// (wasm-tools wit-parser), rendered the way the parse-fail corpus expects.
#include <doctest/doctest.h>

#include <string>

#include "witc/base/source_map.h"
#include "witc/wit/ast.h"

namespace {

using namespace witc;
using namespace witc::wit;

struct Parsed {
  SourceMap sources;
  Expected<ast::File> file;
  std::string text_of(Span s) const {
    const SourceMap::File* f = sources.file_of(s.begin);
    return f ? f->contents.substr(s.begin - f->base, s.end - s.begin) : std::string();
  }
};

Parsed parse(std::string text) {
  Parsed p{SourceMap{}, ast::File{}};
  uint32_t base = p.sources.add("t.wit", std::move(text));
  p.file = ast::parse(p.sources, base);
  return p;
}

// The rendered error for `text`, or "<ok>".
std::string error_of(std::string text) {
  Parsed p = parse(std::move(text));
  return p.file ? "<ok>" : render(p.file.error(), &p.sources);
}

// The first message line of the error for `text`, or "<ok>".
std::string message_of(std::string text) {
  Parsed p = parse(std::move(text));
  return p.file ? "<ok>" : p.file.error().message;
}

const ast::Interface& interface_at(const ast::File& f, size_t i) { return std::get<ast::Interface>(f.decls.at(i)); }
const ast::World& world_at(const ast::File& f, size_t i) { return std::get<ast::World>(f.decls.at(i)); }

// The type of `type t = <ty>;` in `interface i { ... }`.
ast::TypeExpr alias_type(const std::string& ty) {
  Parsed p = parse("package a:b;\ninterface i {\n  type t = " + ty + ";\n}\n");
  REQUIRE_MESSAGE(p.file, (p.file ? "" : render(p.file.error(), &p.sources)));
  return *std::get<ast::TypeDecl>(interface_at(*p.file, 0).items.at(0)).alias;
}

}  // namespace

TEST_CASE("empty input and comments only") {
  for (const char* text : {"", "   \n\t\r\n", "// just a comment\n", "/* a /* nested */ comment */", "\xEF\xBB\xBF"}) {
    Parsed p = parse(text);
    REQUIRE(p.file);
    CHECK(!p.file->package);
    CHECK(p.file->decls.empty());
  }
}

TEST_CASE("package header, version and docs") {
  Parsed p = parse("/// The package.\n/// Second line.\npackage wasi:io@0.2.12-rc.1+b7;\n");
  REQUIRE(p.file);
  REQUIRE(p.file->package);
  const ast::PackageDecl& d = *p.file->package;
  CHECK(d.name.ns == "wasi");
  CHECK(d.name.name == "io");
  REQUIRE(d.name.version);
  CHECK(d.name.version->to_string() == "0.2.12-rc.1+b7");
  CHECK(p.text_of(d.name.span) == "wasi:io@0.2.12-rc.1+b7");
  CHECK(d.docs.text == "The package.\nSecond line.");
  CHECK(p.text_of(d.docs.span) == "/// The package.\n/// Second line.");
}

TEST_CASE("doc comments are processed like the reference") {
  // Every comment before an item is a doc line (comments.wit in the corpus).
  Parsed p = parse(
      "package foo:comments;\n\n// hello\n// world\n/* this too */ /* is a comment */\n"
      "/* this /* is /* a */ nested */ comment */\n\ninterface foo {\n"
      "  /**\n   * Block doc.\n   */\n  type x = u32;\n\n  ///   Indented\n  ///     more\n  f: func();\n"
      "  record r {\n    /// the field\n    a: u32,\n  }\n}\n");
  REQUIRE(p.file);
  const ast::Interface& i = interface_at(*p.file, 0);
  CHECK(i.docs.text ==
        " hello\n world\n* this too */\n* is a comment */\n* this /* is /* a */ nested */ comment */");
  CHECK(std::get<ast::TypeDecl>(i.items[0]).docs.text == "\n   * Block doc.");
  CHECK(std::get<ast::NamedFunc>(i.items[1]).docs.text == "Indented\n  more");
  CHECK(std::get<ast::TypeDecl>(i.items[2]).fields.at(0).docs.text == "the field");
  CHECK(!std::get<ast::TypeDecl>(i.items[2]).docs.text);
}

TEST_CASE("every type form") {
  using K = ast::TypeExpr::Kind;
  const std::pair<const char*, K> prims[] = {
      {"bool", K::Bool}, {"u8", K::U8},     {"u16", K::U16},   {"u32", K::U32},       {"u64", K::U64},
      {"s8", K::S8},     {"s16", K::S16},   {"s32", K::S32},   {"s64", K::S64},       {"f32", K::F32},
      {"f64", K::F64},   {"char", K::Char}, {"string", K::String}, {"error-context", K::ErrorContext}};
  for (auto [text, kind] : prims) CHECK(alias_type(text).kind == kind);

  ast::TypeExpr t = alias_type("list<u8>");
  CHECK(t.kind == K::List);
  CHECK(t.args.at(0).kind == K::U8);
  t = alias_type("list<u8, 4>");
  CHECK(t.kind == K::FixedSizeList);
  CHECK(t.size == 4);
  t = alias_type("map<string, list<u8>>");
  CHECK(t.kind == K::Map);
  CHECK(t.args.at(1).kind == K::List);
  t = alias_type("option<%own>");
  CHECK(t.kind == K::Option);
  CHECK(t.args.at(0).kind == K::Named);
  CHECK(t.args.at(0).name.name == "own");
  t = alias_type("tuple<u8, string,>");
  CHECK(t.kind == K::Tuple);
  CHECK(t.args.size() == 2);
  CHECK(alias_type("tuple<>").args.empty());
  t = alias_type("future");
  CHECK((t.kind == K::Future && t.args.empty()));
  t = alias_type("stream<u8>");
  CHECK((t.kind == K::Stream && t.args.size() == 1));
  t = alias_type("own<r>");
  CHECK((t.kind == K::Own && t.name.name == "r"));
  t = alias_type("borrow<r>");
  CHECK((t.kind == K::Borrow && t.name.name == "r"));

  struct ResultCase {
    const char* text;
    bool ok, err;
    size_t args;
  };
  for (ResultCase c : {ResultCase{"result", false, false, 0}, ResultCase{"result<u8>", true, false, 1},
                       ResultCase{"result<_, u8>", false, true, 1}, ResultCase{"result<u8, string>", true, true, 2}}) {
    t = alias_type(c.text);
    CHECK(t.kind == K::Result);
    CHECK(t.has_ok == c.ok);
    CHECK(t.has_err == c.err);
    CHECK(t.args.size() == c.args);
  }
}

TEST_CASE("type spans are where the reference reports types") {
  Parsed p = parse("package a:b;\ninterface i {\n  type t = map<list<u8>, borrow<r>>;\n}\n");
  REQUIRE(p.file);
  const ast::TypeDecl& d = std::get<ast::TypeDecl>(interface_at(*p.file, 0).items.at(0));
  CHECK(p.text_of(d.alias->span) == "map");
  CHECK(p.text_of(d.alias->args[0].span) == "list");
  CHECK(p.text_of(d.alias->args[1].span) == "r");
  CHECK(p.text_of(d.name.span) == "t");
  CHECK(p.text_of(d.span) == "type t = map<list<u8>, borrow<r>>;");
}

TEST_CASE("interface items: typedefs, resources, functions, use") {
  Parsed p = parse(
      "package a:b;\n"
      "interface i {\n"
      "  use a:c/d@1.0.0.{x, y as z};\n"
      "  record r { a: u32, b: string }\n"
      "  flags f { read, write }\n"
      "  variant v { none, some(u32) }\n"
      "  enum e { a, b, }\n"
      "  resource blob;\n"
      "  resource file {\n"
      "    constructor(name: string);\n"
      "    open: static func(p: string) -> result<file, string>;\n"
      "    read: async func(n: u64) -> list<u8>;\n"
      "  }\n"
      "  f1: func();\n"
      "  f2: async func(a: u32, b: borrow<file>) -> option<string>;\n"
      "}\n");
  REQUIRE(p.file);
  const auto& items = interface_at(*p.file, 0).items;
  REQUIRE(items.size() == 9);
  const ast::Use& u = std::get<ast::Use>(items[0]);
  CHECK(u.from.kind == ast::UsePath::Kind::Package);
  CHECK(u.from.package.ns == "a");
  CHECK(u.from.package.name == "c");
  CHECK(u.from.name.name == "d");
  CHECK(u.from.package.version->to_string() == "1.0.0");
  CHECK(p.text_of(u.from.package.span) == "a:c");
  REQUIRE(u.names.size() == 2);
  CHECK(u.names[1].as->name == "z");
  CHECK(std::get<ast::TypeDecl>(items[1]).fields.size() == 2);
  CHECK(std::get<ast::TypeDecl>(items[2]).flags.size() == 2);
  const ast::TypeDecl& v = std::get<ast::TypeDecl>(items[3]);
  CHECK((v.cases.size() == 2 && !v.cases[0].type && v.cases[1].type));
  CHECK(std::get<ast::TypeDecl>(items[4]).enum_cases.size() == 2);
  CHECK(std::get<ast::TypeDecl>(items[5]).resource_funcs.empty());
  const ast::TypeDecl& file = std::get<ast::TypeDecl>(items[6]);
  REQUIRE(file.resource_funcs.size() == 3);
  CHECK(file.resource_funcs[0].kind == ast::ResourceFunc::Kind::Constructor);
  CHECK(file.resource_funcs[0].name.name == "constructor");
  CHECK(p.text_of(file.resource_funcs[0].name.span) == "constructor");
  CHECK(file.resource_funcs[1].kind == ast::ResourceFunc::Kind::Static);
  CHECK(file.resource_funcs[2].kind == ast::ResourceFunc::Kind::Method);
  CHECK(file.resource_funcs[2].func.is_async);
  const ast::NamedFunc& f2 = std::get<ast::NamedFunc>(items[8]);
  CHECK(f2.func.is_async);
  CHECK(f2.func.params.size() == 2);
  CHECK(f2.func.result->kind == ast::TypeExpr::Kind::Option);
  CHECK(p.text_of(f2.func.span) == "func");
}

TEST_CASE("world items: imports, exports, include, inline interfaces") {
  Parsed p = parse(
      "package a:b;\n"
      "world w {\n"
      "  import i;\n"
      "  import wasi:io/streams@0.2.0;\n"
      "  import label: i;\n"
      "  import label2: wasi:io/streams;\n"
      "  export run: func() -> u32;\n"
      "  export inline: interface {\n    f: func();\n  }\n"
      "  use i.{t};\n"
      "  type x = u8;\n"
      "  include other with { a as b, c as d }\n"
      "  include wasi:cli/imports@0.2.0;\n"
      "}\n");
  REQUIRE(p.file);
  const auto& items = world_at(*p.file, 0).items;
  REQUIRE(items.size() == 10);
  auto ie = [&](size_t i) { return std::get<ast::ImportExport>(items[i]); };
  CHECK((!ie(0).name && ie(0).target.path.kind == ast::UsePath::Kind::Name));
  CHECK((!ie(1).name && ie(1).target.path.kind == ast::UsePath::Kind::Package));
  CHECK(p.text_of(ie(1).target.path.span) == "wasi:io/streams@0.2.0");
  CHECK((ie(2).name->name == "label" && ie(2).target.path.name.name == "i"));
  CHECK((ie(3).name->name == "label2" && ie(3).target.path.package.ns == "wasi"));
  CHECK((ie(4).is_export && ie(4).target.kind == ast::ExternKind::Kind::Func));
  CHECK(ie(5).target.kind == ast::ExternKind::Kind::Interface);
  CHECK(ie(5).target.interface->items.size() == 1);
  CHECK(p.text_of(ie(5).span) == "export inline: interface {\n    f: func();\n  }");
  CHECK(std::holds_alternative<ast::Use>(items[6]));
  CHECK(std::holds_alternative<ast::TypeDecl>(items[7]));
  const ast::Include& inc = std::get<ast::Include>(items[8]);
  REQUIRE(inc.with.size() == 2);
  CHECK((inc.with[1].name.name == "c" && inc.with[1].as.name == "d"));
  CHECK(std::get<ast::Include>(items[9]).from.package.version->to_string() == "0.2.0");
}

TEST_CASE("top-level use, gates, explicit identifiers, nested packages") {
  Parsed p = parse(
      "package a:b@1.0.0;\n"
      "use wasi:io/streams@0.2.0 as s;\n"
      "@since(version = 0.2.0)\n@deprecated(version = 0.3.0)\n"
      "interface %interface {\n  @unstable(feature = fancy)\n  %type: func();\n}\n"
      "package c:d {\n  interface x {}\n  world y {}\n}\n");
  REQUIRE(p.file);
  REQUIRE(p.file->decls.size() == 3);
  const ast::TopLevelUse& u = std::get<ast::TopLevelUse>(p.file->decls[0]);
  CHECK(u.as->name == "s");
  CHECK(p.text_of(u.span) == "use");
  const ast::Interface& i = interface_at(*p.file, 1);
  CHECK(i.name.name == "interface");
  CHECK(p.text_of(i.name.span) == "%interface");
  REQUIRE(i.attributes.size() == 2);
  CHECK(i.attributes[0].kind == ast::Attribute::Kind::Since);
  CHECK(i.attributes[0].version.to_string() == "0.2.0");
  CHECK(p.text_of(i.attributes[1].span) == "deprecated");
  const ast::NamedFunc& f = std::get<ast::NamedFunc>(i.items.at(0));
  CHECK(f.name.name == "type");
  CHECK((f.attributes.at(0).kind == ast::Attribute::Kind::Unstable && f.attributes[0].feature == "fancy"));
  const auto& nested = std::get<std::unique_ptr<ast::NestedPackage>>(p.file->decls[2]);
  CHECK(nested->decl.name.ns == "c");
  CHECK(nested->decls.size() == 2);
}

TEST_CASE("a file may start with a nested package") {
  Parsed p = parse("package a:b { interface i {} }\npackage c:d { world w {} }\n");
  REQUIRE(p.file);
  CHECK(!p.file->package);
  CHECK(p.file->decls.size() == 2);
}

TEST_CASE("CRLF line endings and versions with pre-release parts") {
  Parsed p = parse("package a:b;\r\n\r\ninterface i {\r\n  use x:y/z@1.0.0-rc.1.{t};\r\n}\r\n");
  REQUIRE(p.file);
  const ast::Use& u = std::get<ast::Use>(interface_at(*p.file, 0).items.at(0));
  CHECK(u.from.package.version->to_string() == "1.0.0-rc.1");
}

TEST_CASE("syntax errors are reported like the reference") {
  // Whole-token spans for "expected <description>", one character for
  // "expected <token>".
  CHECK(error_of("interface foo {\n  type x = list<u32\n\n  type y = u32\n}\n") ==
        "expected '>', found keyword `type`\n     --> t.wit:4:3\n      |\n    4 |   type y = u32\n"
        "      |   ^");
  CHECK(error_of("interface foo {\n  type option = u32\n}\n") ==
        "expected an identifier or string, found keyword `option`\n     --> t.wit:2:8\n      |\n"
        "    2 |   type option = u32\n      |        ^-----");
  CHECK(error_of("interface foo {\n  type z = list<u32, u32>\n}\n") ==
        "expected fixed-length, found keyword `u32`\n     --> t.wit:2:22\n      |\n"
        "    2 |   type z = list<u32, u32>\n      |                      ^--");
  CHECK(error_of("interface foo {\n  type") ==
        "expected an identifier or string, found eof\n     --> t.wit:2:7\n      |\n    2 |   type\n"
        "      |       ^");
  CHECK(message_of("interface foo {\n  abcd\n}\n") == "expected ':', found '}'");
  CHECK(message_of("package a:b;\ninterface i {\n  resource z {\n    async constructor();\n  }\n}\n") ==
        "expected `constructor` or identifier, found keyword `async`");
  CHECK(message_of("interface i {\n  resource z {\n    x: async static func();\n  }\n}\n") ==
        "expected keyword `func`, found keyword `static`");
  CHECK(message_of("interface i {\n  t1: func() -> ();\n}\n") == "expected a type, found '('");
  CHECK(message_of("interface i { record r { a: u32 b: u32 } }") == "expected '}', found an identifier");
  CHECK(message_of("interface i { record r { a: u32, : u32 } }") == "expected an identifier or string, found ':'");
  CHECK(message_of("interface i { f: func(a: u32 b: u32); }") == "expected ')', found an identifier");
  CHECK(message_of("interface i { type t = tuple<u32 u32>; }") == "expected '>', found keyword `u32`");
  CHECK(message_of("world w { include a with { foo:foo/foo as x } }") == "expected keyword `as`, found ':'");
  CHECK(message_of("world w { import x: y z; }") == "expected `/`, found an identifier");
  CHECK(message_of("world w { import x }") == "expected ';', found '}'");
  CHECK(message_of("world w { bogus }") ==
        "expected `import`, `export`, `include`, `use`, or type definition, found an identifier");
  CHECK(message_of("}") == "expected `world`, `interface` or `use`, found '}'");
  CHECK(message_of("package a:b;\ninterface i {}\npackage c:d;\n") == "expected '{', found ';'");
  CHECK(message_of("interface i { use foo.bar; }") == "expected '{', found an identifier");
  CHECK(message_of("interface i { resource r }") == "expected ';', found '}'");
  CHECK(message_of("interface i {") == "expected `type`, `resource` or `func`, found eof");
}

TEST_CASE("gates are checked as they are parsed") {
  CHECK(message_of("@since\ninterface foo {}") == "expected '(', found keyword `interface`");
  CHECK(message_of("@deprecated()\ninterface foo {}") == "expected an identifier or string, found ')'");
  CHECK(error_of("@since(feature = foo, version = 1.0.0)\ninterface foo {}") ==
        "expected `version`, found `feature`\n     --> t.wit:1:8\n      |\n"
        "    1 | @since(feature = foo, version = 1.0.0)\n      |        ^------");
  CHECK(message_of("@foo(version = 1.0.0)\ninterface foo {}") == "unknown attribute `foo`");
  CHECK(message_of("@since(version = x)\ninterface foo {}") == "expected an integer, found an identifier");
  CHECK(message_of("@unstable(feature = 1.0.0)\ninterface foo {}") ==
        "expected an identifier or string, found an integer");
  CHECK(message_of("@since(version = 1.0.0)\npackage a:b {}") == "cannot place attributes on nested packages");
  // `@external-id("...")` takes a string, and only it does.
  CHECK(message_of("package a:b;\ninterface i { @external-id(version = 1.0.0) f: func(); }") ==
        "expected a string, found an identifier");
  CHECK(message_of("package a:b;\ninterface i { @since(\"x\") f: func(); }") ==
        "expected `version`, found a string literal");
  CHECK(message_of("package a:b;\ninterface i { @unstable(\"x\") f: func(); }") ==
        "expected `feature`, found a string literal");
  CHECK(message_of("package a:b;\ninterface i { @external-id(\"a\\q\") f: func(); }") ==
        "invalid string escape 'q'");
  CHECK(message_of("package a:b@1.0.0;\ninterface i {\n  @since(version = 1.0.0)\n  @external-id(\"a\")\n"
                   "  @deprecated(version = 1.0.1)\n  f: func();\n}\n") == "<ok>");
}

TEST_CASE("versions are validated like the semver crate") {
  CHECK(message_of("package a:b@01.0.0;") == "invalid leading zero in major version number");
  CHECK(message_of("package a:b@1.0.0-01;") == "invalid leading zero in pre-release identifier");
  CHECK(message_of("package a:b@1.0;") == "expected '.', found ';'");
  CHECK(message_of("package a:b@1.0.99999999999999999999;") == "value of patch version number exceeds u64::MAX");
  CHECK(message_of("package a:b@1.0.0+build.01;") == "<ok>");
}

TEST_CASE("identifiers are validated") {
  CHECK(error_of("interface Foo_bar {}") ==
        "invalid character in identifier 'o'\n     --> t.wit:1:11\n      |\n    1 | interface Foo_bar {}\n"
        "      |           ^");
  CHECK(message_of("interface a--b {}") == "identifiers must have characters between '-'s");
  CHECK(message_of("interface % {}") == "identifiers must have characters between '-'s");
  CHECK(message_of("interface caf\xC3\xA9 {}") == "invalid character in identifier '\xC3\xA9'");
  CHECK(message_of("interface ABC-def-9x {}") == "<ok>");
  CHECK(message_of("interface a { type t = float32; }") == "<ok>");  // a name; the resolver rejects it
}

TEST_CASE("lexical errors") {
  CHECK(error_of("package a:b;\n/* open /* nested */\ninterface i {}\n") ==
        "unterminated block comment\n     --> t.wit:2:1\n      |\n    2 | /* open /* nested */\n      | ^");
  CHECK(message_of("interface i { $ }") == "unexpected character '$'");
  CHECK(message_of("interface i { \"unterminated") == "unexpected end of file");
  CHECK(message_of("interface i { \"a\\q\" }") == "invalid string escape 'q'");
  CHECK(message_of("interface i { \"ok\" }") == "expected `type`, `resource` or `func`, found a string literal");
  CHECK(message_of("package a:b;\ninterface i {\x01}") == "Control code '\\u{1}'");
  CHECK(message_of("package a:b;\ninterface i \xE2\x80\xAE{}") ==
        "Input contains bidirectional override codepoint '\\u{202e}'");
  // A lexical error after a syntax error is never reached.
  CHECK(message_of("interface i { type } $") == "expected an identifier or string, found '}'");
}

TEST_CASE("invalid UTF-8 is reported at its first byte") {
  CHECK(error_of("package a:b;\ninterface i\xFF {}") ==
        "invalid UTF-8: invalid utf-8 sequence of 1 bytes from index 24\n     --> t.wit:2:12\n      |\n"
        "    2 | interface i\xFF {}\n      |            ^");
  CHECK(message_of("package a:b;\xE2\x82") == "invalid UTF-8: incomplete utf-8 byte sequence from index 12");
}

TEST_CASE("nesting limits") {
  auto nested_list = [](int depth) {
    std::string s = "package a:b;\ninterface i {\n  type t = ";
    for (int i = 0; i < depth; ++i) s += "list<";
    s += "u8";
    for (int i = 0; i < depth; ++i) s += ">";
    return s + ";\n}\n";
  };
  CHECK(message_of(nested_list(99)) == "<ok>");  // the innermost type is at depth 99
  CHECK(message_of(nested_list(101)) == "type nesting too deep");
  CHECK(message_of(nested_list(10000)) == "type nesting too deep");

  auto nested_packages = [](int depth) {
    std::string s;
    for (int i = 0; i < depth; ++i) s += "package a:b" + std::to_string(i) + " {\n";
    for (int i = 0; i < depth; ++i) s += "}\n";
    return s;
  };
  CHECK(message_of(nested_packages(2)) == "nested packages must be placed at the top-level");
  CHECK(message_of(nested_packages(101)) == "package nesting too deep");
  CHECK(message_of(nested_packages(10000)) == "package nesting too deep");

  std::string comments;
  for (int i = 0; i < 100000; ++i) comments += "/*";
  for (int i = 0; i < 100000; ++i) comments += "*/";
  CHECK(message_of(comments + "\ninterface i {}") == "<ok>");
}

TEST_CASE("very long lines are reported without a snippet") {
  std::string name(600, 'a');
  CHECK(error_of("interface " + name + " }") == "t.wit:1:612: expected '{', found '}'");
}
