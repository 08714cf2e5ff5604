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

}  // namespace witc::compose::wac
