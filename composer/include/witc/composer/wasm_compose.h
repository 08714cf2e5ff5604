// `wasm-tools compose` semantics on compose::Graph: a root component's
// imports are filled from components found by name, transitively.
//
// Starting from the root instance, every instance import (in order) is one
// dependency, processed breadth first:
//  - if a definition component exports an instance of the import's name, that
//    export fills it (definitions are instantiated once, when first used);
//  - otherwise the import is filled by the instance that the configuration
//    names (`instantiations.I.arguments.IMPORT`, optionally an export of it)
//    or by default by an instance named like the import. An instance `X`
//    instantiates dependency `instantiations.X.dependency`, else `X`; its
//    file is `dependencies.NAME.path`, else NAME.wasm / NAME.wat in the
//    configuration's folder and then in each search path;
//  - a dependency that is not found stays an import of the result (an error
//    under `disallow-imports`);
//  - an instance serves every import that names it: as a whole if its exports
//    fit the import's type, else through its first instance export that fits.
// With `import-components: true` the components instantiated are imported
// (see encode_wasm_composition) instead of embedded.
// The root instance's exports become the result's exports. Cycles, explicit
// arguments naming no import, imports that are not instances, and imports
// that several instances need with incompatible types are errors worded as
// wasm-tools words them.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/base/ordered_map.h"
#include "witc/composer/graph.h"

namespace witc::compose {

// The YAML configuration (wasm-compose's CONFIG.md); relative paths are
// relative to `dir`, the configuration file's folder (or the root
// component's folder when there is no file).
struct WasmComposeConfig {
  struct Argument {
    std::string instance;                     // the instance passed
    std::optional<std::string> export_name;   // an instance export of it, if given
  };
  struct Instantiation {
    std::optional<std::string> dependency;    // default: the instance's name
    OrderedMap<std::string, Argument> arguments;  // import name -> argument
  };

  std::filesystem::path dir;
  std::vector<std::filesystem::path> definitions;
  std::vector<std::filesystem::path> search_paths;
  bool skip_validation = false;
  bool import_components = false;
  bool disallow_imports = false;
  OrderedMap<std::string, std::filesystem::path> dependencies;  // name -> component file
  OrderedMap<std::string, Instantiation> instantiations;

  // The dependency an instance named `instance` instantiates.
  const std::string& dependency_name(const std::string& instance) const;
};

// Parses a configuration (`path` names it in errors; its folder becomes `dir`).
// Unknown keys are errors, as in wasm-tools.
Expected<WasmComposeConfig> parse_wasm_compose_config(std::string_view yaml, const std::filesystem::path& path);
// Reads and parses a configuration file.
Expected<WasmComposeConfig> read_wasm_compose_config(const std::filesystem::path& path);

// The graph built for a root component, with names for its instances
// ("root", "b1", ...): encode it, or explain or draw it.
struct WasmComposition {
  std::unique_ptr<Graph> graph;
  NodeId root;
  // Imports left unfilled because no component was found: import name and
  // the nearest candidates (components in the search paths, definitions).
  std::vector<std::pair<std::string, std::vector<std::string>>> unresolved;
};

// Builds the composition of `root` (the instance named "root").
Expected<WasmComposition> build_wasm_composition(const std::filesystem::path& root, const WasmComposeConfig& config);

// Encodes a composition (validated unless the configuration skips
// validation). With `import-components`, the components are imported instead
// of embedded, before the other imports, each as a component type named
// like the component in kebab case (the root: `input`), as wasm-tools does.
Expected<std::vector<uint8_t>> encode_wasm_composition(WasmComposition& c, const WasmComposeConfig& config);

// Builds and encodes.
Expected<std::vector<uint8_t>> wasm_compose(const std::filesystem::path& root, const WasmComposeConfig& config);

// `name` in kebab case as wasm-tools spells a component's import name
// ("$input" -> "input", "fooBar_baz" -> "foo-bar-baz").
std::string kebab_case(std::string_view name);

}  // namespace witc::compose
