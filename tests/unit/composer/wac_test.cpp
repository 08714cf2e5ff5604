// The WAC language (composer/include/witc/composer/wac.h): the lexer's and
// parser's corner cases, name inference, spreads, renames, targets and
// encoding. The wac-parser corpus (ctest -L compose) covers wac's own cases.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "witc/bin/component_validate.h"
#include "witc/composer/decode.h"
#include "witc/composer/wac.h"

using namespace witc;
namespace wac = witc::compose::wac;
namespace fs = std::filesystem;

namespace {

struct Parsed {
  SourceMap sources;
  Expected<wac::Document> doc = fail(Diagnostic::plain(""));
};

std::unique_ptr<Parsed> parse(std::string text) {
  auto p = std::make_unique<Parsed>();
  uint32_t base = p->sources.add("test.wac", std::move(text));
  p->doc = wac::parse(p->sources, base);
  return p;
}

// "message at line:col".
std::string error_at(const Parsed& p, const Diagnostic& d) {
  std::string out;
  for (const auto& c : d.context) out += c + ": ";
  out += d.message;
  if (d.span) {
    LineCol lc = p.sources.line_col(d.span->begin);
    out += " @" + std::to_string(lc.line) + ":" + std::to_string(lc.col);
  }
  return out;
}

std::string parse_error(std::string text) {
  auto p = parse(std::move(text));
  REQUIRE_FALSE(p->doc.has_value());
  return error_at(*p, p->doc.error());
}

// A folder of WIT worlds used as packages (`PATH#world`).
const char* kLibWit = R"(package demo:lib;

interface types {
  record point { x: u32, y: u32 }
  resource counter {
    constructor(start: u32);
    next: func() -> u32;
  }
}

interface greet {
  use types.{point};
  hello: func(at: point) -> string;
}

world lib {
  import log: func(msg: string);
  import wasi:clocks/now@0.2.3;
  export types;
  export greet;
  export run: func() -> u32;
}

world app {
  import greet;
  import counters: interface {
    get: func() -> u32;
  }
  export run: func() -> u32;
}

world target {
  import log: func(msg: string);
  import wasi:clocks/now@0.2.3;
  export run: func() -> u32;
}
)";

const char* kClocksWit = R"(package wasi:clocks@0.2.3;

interface now {
  now: func() -> u64;
}
)";

class Deps {
 public:
  Deps() : dir_(fs::temp_directory_path() / ("witc-wac-test-" + std::to_string(::getpid()))) {
    fs::create_directories(dir_ / "lib" / "deps" / "clocks");
    std::ofstream(dir_ / "lib" / "lib.wit") << kLibWit;
    std::ofstream(dir_ / "lib" / "deps" / "clocks" / "now.wit") << kClocksWit;
  }
  ~Deps() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  wac::PackageLocator locator() const {
    wac::PackageLocator l;
    l.deps["demo:lib"] = (dir_ / "lib").string() + "#lib";
    l.deps["demo:app"] = (dir_ / "lib").string() + "#app";
    l.deps["demo:wit"] = dir_ / "lib";
    l.deps["wasi:clocks"] = dir_ / "lib" / "deps" / "clocks";
    l.deps_dir = dir_ / "none";
    return l;
  }

 private:
  fs::path dir_;
};

struct Resolved {
  std::unique_ptr<Parsed> parsed;
  Expected<wac::Resolution> r = fail(Diagnostic::plain(""));
};

Resolved resolve(std::string text, const Deps& deps) {
  Resolved out;
  out.parsed = parse(std::move(text));
  REQUIRE_MESSAGE(out.parsed->doc, render(out.parsed->doc.error(), &out.parsed->sources));
  out.r = wac::resolve(*out.parsed->doc, out.parsed->sources, deps.locator());
  return out;
}

std::string resolve_error(std::string text, const Deps& deps) {
  Resolved r = resolve(std::move(text), deps);
  REQUIRE_FALSE(r.r.has_value());
  return error_at(*r.parsed, r.r.error());
}

}  // namespace

TEST_CASE("wac lexer: comments, identifiers, package names and paths") {
  auto p = parse(R"(/* a /* nested */ comment */
/// The package docs.
package demo:app@1.0.0-rc.1;

/// Two lines
/** of docs */
type %type = list<tuple<u8, %u32>>;
interface i { use demo:lib/types@0.1.0.{point as p}; f: func(a: p) -> option<p>; }
export %type as "TYPE-A";
)");
  REQUIRE_MESSAGE(p->doc, render(p->doc.error(), &p->sources));
  const wac::Document& d = *p->doc;
  REQUIRE(d.docs.size() == 1);
  CHECK(d.docs[0].comment == "The package docs.");
  CHECK(d.package.name == "demo:app");
  CHECK(d.package.version == "1.0.0-rc.1");
  REQUIRE(d.statements.size() == 3);
  const auto& alias = std::get<wac::TypeAlias>(std::get<wac::TypeDecl>(std::get<wac::TypeStatement>(d.statements[0])));
  CHECK(alias.id.name == "type");
  REQUIRE(alias.docs.size() == 2);
  CHECK(alias.docs[1].comment == "of docs");
  CHECK(alias.ty->types[0].types[1].kind == wac::Type::Kind::Ident);  // %u32 is a name
  const auto& iface = std::get<wac::InterfaceDecl>(std::get<wac::TypeStatement>(d.statements[1]));
  const auto& use = std::get<wac::UseStatement>(iface.items[0]);
  REQUIRE(use.path);
  CHECK(use.path->segments == "types");
  CHECK(use.path->version == "0.1.0");  // the `.` before `{` is not part of the version
  const auto& e = std::get<wac::ExportStatement>(d.statements[2]);
  CHECK(e.rename.is_string);
  CHECK(e.rename.value == "TYPE-A");
}

TEST_CASE("wac parser: errors are reported where the parser gets to them") {
  CHECK(parse_error("package a:b;\nlet x = \"unterminated;\n") ==
        "an unterminated string was encountered @2:9");
  CHECK(parse_error("package a:b;\n/* open /* nested */\n") == "an unterminated comment was encountered @2:1");
  // A lexical error after a syntax error is not reached.
  CHECK(parse_error("package a:b;\nimport;\n$") == "expected identifier, found `;` @2:7");
  CHECK(parse_error("package a:b;\nlet x = y $;") == "unexpected character `$` @2:11");
  CHECK(parse_error("package a:b;\nlet x = new a:c { ..., y };") == "expected either identifier, string literal, `}`, or `...`, found `,` @2:22");
  CHECK(parse_error("package a:b;\nexport x... as y;") == "expected `;`, found `as` keyword @2:13");
  CHECK(parse_error("package a:b;\nrecord r {}") == "record must contain at least one field @2:11");
  CHECK(parse_error("package a:b;\nimport f: func(x: u32 y: u32);") ==
        "expected either `)` or `,`, found identifier @2:23");
  CHECK(parse_error("") == "expected `package` keyword, found end of input @1:1");
  CHECK(parse_error("package a:b;\n\xe2\x80\xae") == "disallowed bidirectional override codepoint `\\u{202e}` @2:1");
  CHECK(parse_error("package a:b;\n\xff") == "the document is not valid UTF-8 @2:1");
  CHECK(parse_error("package a:b;\ntype x = u32;\x07") == "disallowed control code '\\u{7}' @2:14");
}

TEST_CASE("wac parser: nesting is bounded") {
  std::string deep = "package a:b;\nlet x = ";
  for (int i = 0; i < 150; ++i) deep += "(";
  deep += "y";
  for (int i = 0; i < 150; ++i) deep += ")";
  deep += ";";
  CHECK(parse_error(deep) == "nesting is too deep @2:109");
  std::string ok = "package a:b;\nlet x = ";
  for (int i = 0; i < 90; ++i) ok += "(";
  ok += "y";
  for (int i = 0; i < 90; ++i) ok += ")";
  ok += ";";
  CHECK(parse(ok)->doc.has_value());
}

TEST_CASE("wac: argument and access names are inferred from interface paths") {
  Deps deps;
  Resolved r = resolve(R"(package demo:composition;

import log: func(msg: string);
import clock: wasi:clocks/now@0.2.3;

let lib = new demo:lib { log, now: clock };
let g = lib.greet;
let app = new demo:app { g, counters: new demo:lib { ... }.types, ... };
export app.run;
)",
                       deps);
  // `counters` needs `get`, which `types` lacks: the mismatch names it.
  REQUIRE_FALSE(r.r.has_value());
  CHECK(error_at(*r.parsed, r.r.error()) ==
        "mismatched instantiation argument `counters`: instance is missing expected function export `get` @8:29");

  Resolved ok = resolve(R"(package demo:composition;

import log: func(msg: string);
import clock: wasi:clocks/now@0.2.3;
import counters: interface { get: func() -> u32; };

let lib = new demo:lib { log, now: clock };
let app = new demo:app { greet: lib.greet, counters, ...lib };
export app.run;
export lib...;
)",
                        deps);
  REQUIRE_MESSAGE(ok.r, render(ok.r.error(), &ok.parsed->sources));
  const compose::Graph& g = *ok.r->graph;
  // `now: clock` named `wasi:clocks/now@0.2.3`; `lib.greet` is `demo:lib/greet`.
  CHECK(g.node(*g.exported("demo:lib/greet")).name == "demo:lib/greet");
  CHECK(g.exported("demo:lib/types").has_value());
  // `export lib...` skipped `run`, which `app.run` already exports.
  CHECK(g.describe(*g.exported("run")) == "export `run` of instance `app` of `demo:app`");
  std::string dot = wac::to_dot(*ok.r);
  CHECK(dot.find("3 [ label = \"instantiation of package \\\"demo:lib\\\"\"; kind = \"instance\"]") !=
        std::string::npos);
  CHECK(dot.find("    5 -> 4 [ label = \"argument to\" ]\n") != std::string::npos);  // lib.greet -> app
  CHECK(dot.find("    3 -> 6 [ label = \"aliased export\" ]\n") != std::string::npos);  // ...lib

  compose::EncodeOptions o;
  o.define_components = false;
  auto bytes = wac::encode(*ok.r, ok.parsed->sources, o);
  REQUIRE_MESSAGE(bytes, render(bytes.error(), &ok.parsed->sources));
  auto decoded = compose::decode_component_binary(*bytes);
  REQUIRE_MESSAGE(decoded, render(decoded.error()));
  CHECK(compose::print_main_package(*decoded) == R"(package root:component;

world root {
  import wasi:clocks/now@0.2.3;
  import counters: interface {
    get: func() -> u32;
  }
  import log: func(msg: string);

  export run: func() -> u32;
  export demo:lib/types;
  export demo:lib/greet;
}
)");
  // Embedding needs component binaries; these packages are WIT worlds.
  auto embedded = wac::encode(*ok.r, ok.parsed->sources, compose::EncodeOptions{});
  REQUIRE_FALSE(embedded.has_value());
  CHECK(embedded.error().message.find("known only by its type") != std::string::npos);
}

TEST_CASE("wac: WIT package definitions, type renames and targets") {
  Deps deps;
  Resolved ok = resolve(R"(package demo:composition targets demo:wit/target;

import log: func(msg: string);
import now: wasi:clocks/now@0.2.3;
world needs { import demo:wit/greet; export run: func() -> u32; }
record pair { a: u32, b: u32 }

let lib = new demo:lib { log, now };
export lib.run;
export pair as "the-pair";
)",
                        deps);
  REQUIRE_MESSAGE(ok.r, render(ok.r.error(), &ok.parsed->sources));
  const compose::Graph& g = *ok.r->graph;
  CHECK(g.exported("the-pair").has_value());
  CHECK_FALSE(g.exported("pair").has_value());
  REQUIRE(g.exported("needs").has_value());
  CHECK(ok.r->node_kinds[g.exported("needs")->index] == "world");
  auto bytes = wac::encode(*ok.r, ok.parsed->sources, compose::EncodeOptions{.define_components = false});
  REQUIRE_MESSAGE(bytes, render(bytes.error(), &ok.parsed->sources));
  CHECK(bin::validate_component_binary(*bytes, bin::ComponentFeatures::all()).has_value());

  CHECK(resolve_error(R"(package demo:composition targets demo:wit/target;

import log: func(msg: string);
import extra: func();
)",
                      deps) == "target world `demo:wit/target` does not have an import named `extra` @4:8");
  CHECK(resolve_error("package demo:composition targets demo:wit/target;\nimport log: func(msg: string);\n"
                      "let x = new demo:lib { ... };",
                      deps) ==
        "import `log` conflicts with an item that was implicitly imported by an instantiation of `demo:lib` @2:8");
  CHECK(resolve_error("package demo:composition;\nlet x = new demo:lib { ... };\nlet x = x;", deps) ==
        "`x` is already defined @3:5");
  CHECK(resolve_error("package demo:composition;\nlet x = new demo:app { ... };\nexport x.nope;", deps) ==
        "the instance has no export named `nope` @3:9");
  CHECK(resolve_error("package demo:composition;\nimport f: func();\nlet y = f.g;", deps) ==
        "a function cannot be accessed @3:10");
  CHECK(resolve_error("package demo:composition;\nimport i: demo:wit/types;\nexport i as \"locked-dep=<a:b>\";",
                      deps) ==
        "export name `locked-dep=<a:b>` is not valid: export name cannot be a hash, url, or dependency @3:13");
  CHECK(resolve_error("package demo:composition;\nlet x = new demo:composition { };", deps) ==
        "cannot instantiate the package being defined @2:13");
}
