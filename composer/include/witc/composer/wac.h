// The WAC language: compositions written as documents (wac's LANGUAGE.md).
//
//   package example:composition targets wasi:http/proxy;
//   let server = new example:server { ... };
//   let logger = new example:logger { handler: server.handler, ... };
//   export logger.handler;
//
// parse() turns a document into its syntax tree (wac_ast.h); resolve()
// evaluates it top-down into a compose::Graph: the package directive,
// imports, type/interface/world declarations (exported from the composition
// as type definitions), `let` bindings of `new` instantiations (named,
// inferred, spread and `...` arguments), accesses `x.name` / `x["name"]`,
// exports (`as`, `...`) and the `targets` check. Packages referred to by
// name (`new ns:pkg`, `ns:pkg/iface`) are loaded through a PackageLoader:
// components, or WIT packages (their interfaces and worlds are definitions).
// Every error points at the document (`--> file:line:col`, the line, a
// caret) and names the import, export or type involved.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/base/source_map.h"
#include "witc/composer/graph.h"
#include "witc/composer/wac_ast.h"

namespace witc::compose::wac {

// Parses the document registered in `sources` at global offset `base`.
// Errors: the first syntax error, as wac words it.
Expected<Document> parse(const SourceMap& sources, uint32_t base);

// The syntax tree as JSON in the shape of wac's serde AST (two-space indent,
// spans as {offset, length} relative to the document).
std::string to_json(const Document& doc);

// Where packages are found: `deps` first (`ns:pkg` or `ns:pkg@1.2.3` -> a
// component binary, a `.wit` file or a WIT folder), then under `deps_dir`:
// `ns/pkg/1.2.3` for a versioned package, `ns/pkg` (a WIT folder), or
// `ns/pkg.wasm`. A WIT package's interfaces and worlds are its definitions.
struct PackageLocator {
  std::map<std::string, std::filesystem::path> deps;
  std::filesystem::path deps_dir = "deps";
  bin::ComponentFeatures features = bin::ComponentFeatures::all();
};

// A resolved document: the composition graph, and where each node came from.
struct Resolution {
  std::unique_ptr<Graph> graph;
  std::vector<Span> node_spans;         // by node index: the import name, the `new` package, the declaration
  std::vector<std::string> node_kinds;  // by node index: what wac calls its kind ("function", "record", ...)
  struct Edge {
    NodeId from, to;
    enum class Kind : uint8_t { Argument, Alias } kind;
  };
  std::vector<Edge> edges;  // in the order they were made
};

// Evaluates the document top-down into a composition graph, loading the
// packages it names. Errors point at the document; secondary places
// ("previous import here") are notes rendered with `sources`.
Expected<Resolution> resolve(const Document& doc, const SourceMap& sources, const PackageLocator& locator);

// The graph in wac's Graphviz form (petgraph's DOT: one line per node in
// creation order with its label, kind and export name, then one line per
// edge, "argument to" / "aliased export").
std::string to_dot(const Resolution& r);

// Encodes the composition; imports that instantiations leave unfilled and
// that cannot be merged are reported at the instantiations (or at the
// explicit import) that need them.
Expected<std::vector<uint8_t>> encode(Resolution& r, const SourceMap& sources, const EncodeOptions& options);

}  // namespace witc::compose::wac
