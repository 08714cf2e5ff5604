// `witc bindgen cpp`: C++ guest bindings for a world, source-compatible with
// `wit-bindgen cpp` (names, namespaces and C++ types; see docs/bindgen-cpp.md).
//
// The generator fills a bindgen::Files with `<world>_cpp.h`, `<world>.cpp`,
// `wit.h` and, for each exported resource, a default class header
// `exports-<namespace>-<Resource>.h` that the program's author replaces.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bindgen/files.h"
#include "witc/wit/resolve.h"

namespace witc::bindgen {

enum class ApiStyle { Asymmetric, Symmetric };
enum class Ownership { Owning, CoarseBorrowing, FineBorrowing };

struct CppOptions {
  ApiStyle api_style = ApiStyle::Asymmetric;  // symmetric: exports take import-style parameters
  Ownership ownership = Ownership::Owning;    // borrowing: `…Param` records for imports
  // `--with IFACE=HEADER`: the imported interface's bindings come from HEADER.
  std::vector<std::pair<std::string, std::string>> with;
};

// The snake_case file stem of a world's generated files.
std::string world_file_stem(const wit::Resolve& resolve, wit::WorldId world);

// Generates the bindings of `world` (async functions in the callback form;
// docs/bindgen-cpp.md "Async"). A `--with` key the world does not import is
// an error.
Expected<Files> generate_cpp(const wit::Resolve& resolve, wit::WorldId world,
                             const CppOptions& options);

// The text of the `wit.h` support header the generated code includes.
const std::string& wit_header();

}  // namespace witc::bindgen
