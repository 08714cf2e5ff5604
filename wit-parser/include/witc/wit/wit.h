// The WIT front end: load packages into a Resolve, print them, serialize them.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/wit/resolve.h"

namespace witc::wit {

// Loads a `.wit` file, or a directory of `.wit` files with an optional
// `deps/` folder, into `resolve`, and returns the ids of the root
// package(s) the path defines (a file may define several nested packages).
// `display_path` is how the path is shown in errors (defaults to `path`).
// On error the Resolve may hold part of the packages; render the Diagnostic
// with `resolve.sources`.
Expected<std::vector<PackageId>> load_path(Resolve& resolve, const std::string& path);

// Loads WIT text as if read from a file named `path`.
Expected<std::vector<PackageId>> load_text(Resolve& resolve, const std::string& path,
                                           std::string text);

// The whole graph as JSON in the reference schema (the `.wit.json` files of
// the wit-parser test corpus): 2-space indented, no trailing newline.
std::string to_json(const Resolve& resolve);

struct PrintOptions {
  // The reference printer puts an interface's freestanding functions after
  // all of its types. By default a function declared before a resource's
  // constructor or methods is printed before that resource instead, so that
  // the text parses back to the same function order; `reference_layout`
  // prints exactly as the reference does (what `jco wit` shows).
  bool reference_layout = false;
};

// Canonical WIT text of the given packages (as `wasm-tools component wit`
// prints them); several packages are printed as nested `package ... { }`
// blocks after the first.
std::string print(const Resolve& resolve, const std::vector<PackageId>& packages,
                  const PrintOptions& options = {});

}  // namespace witc::wit
