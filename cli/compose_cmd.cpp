// `witc compose INPUT [-o OUT] [--no-validate] [--explain] [--dot FILE|-]`:
//   FILE.wac [-d|--dep PKG=PATH]… [--deps-dir DIR] [--import-dependencies]
//            [--parse-only [--json] | --resolve-only]
//                               a WAC document (compose_wac_cmd.cpp)
//   GRAPH.json [--import-dependencies]
//                               a composition graph (docs/compose-graph-json.md)
//   ROOT.wasm [-c FILE.yml] [-d|--definition DEF.wasm]… [-p DIR]… [--import-dependencies]
//                               `wasm-tools compose`: the root's imports filled
//                               from components found by name (docs/compose.md)
// `-d` is one option for both meanings (CLI11 registers a name once): a
// WAC document reads PKG=PATH from it, a root component a definition file.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "commands.h"
#include "compose_wac.h"
#include "io.h"
#include "witc/base/try.h"
#include "witc/composer/dot.h"
#include "witc/composer/explain.h"
#include "witc/composer/graph_json.h"
#include "witc/composer/wasm_compose.h"

namespace witc::cli {

namespace {

struct ComposeArgs {
  std::string input;
  std::string output;
  bool no_validate = false;
  bool explain = false;
  std::string dot;
  bool import_dependencies = false;
  std::vector<std::string> d;  // -d: WAC PKG=PATH, or ROOT.wasm definitions
  // WAC mode
  ComposeWacArgs wac;
  // wasm-tools compose mode
  std::string config;
  std::vector<std::string> search_paths;
};

// --explain and --dot, for every mode.
bool show_graph(const ComposeArgs& a, const compose::Graph& g) {
  if (a.explain) std::fputs(compose::explain_graph(g).c_str(), stdout);
  if (!a.dot.empty()) {
    std::string text = compose::graph_to_dot(g);
    if (!write_output(a.dot == "-" ? std::string() : a.dot, text)) {
      std::fprintf(stderr, "error: cannot write %s\n", a.dot.c_str());
      return false;
    }
  }
  return true;
}

// ROOT.wasm with a wasm-tools compose configuration.
Expected<std::vector<uint8_t>> wasm_compose(const ComposeArgs& a, bool& shown) {
  compose::WasmComposeConfig config;
  if (!a.config.empty()) {
    WITC_ASSIGN(config, compose::read_wasm_compose_config(a.config));
  } else {
    config.dir = std::filesystem::path(a.input).parent_path();
  }
  // Paths on the command line are relative to the working directory.
  auto here = [&](const std::string& p) {
    std::filesystem::path path(p);
    return path.is_relative() && !config.dir.empty() ? std::filesystem::absolute(path) : path;
  };
  for (const std::string& d : a.d) config.definitions.push_back(here(d));
  for (const std::string& p : a.search_paths) config.search_paths.push_back(here(p));
  config.skip_validation |= a.no_validate;
  config.import_components |= a.import_dependencies;
  WITC_TRY_VAL(compose::WasmComposition c, compose::build_wasm_composition(a.input, config));
  if (a.explain) {
    for (const auto& [what, nearest] : c.unresolved) {
      std::printf("not found: %s stays an import\n", what.c_str());
      for (const std::string& n : nearest) std::printf("  nearest: %s\n", n.c_str());
    }
  }
  shown = show_graph(a, *c.graph);
  if (a.explain || !shown) return std::vector<uint8_t>();
  return compose::encode_wasm_composition(c, config);
}

enum class Mode : uint8_t { Wac, GraphJson, Root };

// Which composition the input is, and whether the options given apply to it.
std::optional<Mode> mode_of(const ComposeArgs& a, const CLI::App& cmd) {
  const std::filesystem::path in(a.input);
  const bool wac_only = a.wac.parse_only || a.wac.resolve_only || a.wac.json || cmd.count("--deps-dir");
  const bool root_only = !a.config.empty() || !a.search_paths.empty();
  Mode m;
  if (in.extension() == ".wac" || (wac_only && in.extension() != ".json" && in.extension() != ".wasm")) {
    m = Mode::Wac;
  } else if (in.extension() == ".json") {
    m = Mode::GraphJson;
  } else if (in.extension() == ".wasm" || !a.config.empty()) {
    m = Mode::Root;
  } else {
    std::fprintf(stderr,
                 "error: %s: expected a WAC document (.wac), a composition graph (.json) or a root component "
                 "(.wasm)\n",
                 a.input.c_str());
    return std::nullopt;
  }
  if (m != Mode::Wac && wac_only) {
    std::fprintf(stderr, "error: --parse-only, --resolve-only, --json and --deps-dir apply to WAC documents (.wac)\n");
    return std::nullopt;
  }
  if (m != Mode::Root && root_only) {
    std::fprintf(stderr, "error: --config and --search-path apply to a root component (.wasm)\n");
    return std::nullopt;
  }
  if (m == Mode::GraphJson && !a.d.empty()) {
    std::fprintf(stderr,
                 "error: -d applies to a WAC document (--dep PKG=PATH) or a root component (--definition "
                 "DEF.wasm); a graph names its packages itself\n");
    return std::nullopt;
  }
  return m;
}

int run_compose(ComposeArgs& a, const CLI::App& cmd) {
  std::optional<Mode> mode = mode_of(a, cmd);
  if (!mode) return kExitUsage;
  const bool writes = !a.explain && !a.wac.parse_only && !a.wac.resolve_only;
  if (writes && a.output.empty() && isatty(STDOUT_FILENO)) {
    std::fprintf(stderr, "error: refusing to write a component to a terminal; use -o FILE\n");
    return kExitUsage;
  }
  if (*mode == Mode::Wac) {
    a.wac.input = a.input;
    a.wac.output = a.output;
    a.wac.no_validate = a.no_validate;
    a.wac.import_dependencies = a.import_dependencies;
    a.wac.deps = a.d;
    a.wac.explain = a.explain;
    if (a.explain || !a.dot.empty()) a.wac.show = [&a](const compose::Graph& g) { return show_graph(a, g); };
    return run_compose_wac(a.wac);
  }
  bool shown = true;
  Expected<std::vector<uint8_t>> bytes = std::vector<uint8_t>();
  if (*mode == Mode::Root) {
    bytes = wasm_compose(a, shown);
  } else {
    auto text = read_binary_file(a.input);
    if (!text) {
      std::fprintf(stderr, "error: cannot read %s\n", a.input.c_str());
      return kExitError;
    }
    compose::GraphJsonOptions options;
    options.encoding.validate = !a.no_validate;
    options.encoding.define_components = !a.import_dependencies;
    options.encode = !a.explain;
    options.on_graph = [&](const compose::Graph& g) { shown = show_graph(a, g); };
    bytes = compose::compose_graph_json(std::string(text->begin(), text->end()),
                                       std::filesystem::path(a.input).parent_path(), options);
  }
  if (!bytes) {
    std::fprintf(stderr, "error: %s\n", render(bytes.error()).c_str());
    return kExitError;
  }
  if (!shown) return kExitError;
  if (a.explain) return kExitOk;
  if (!write_output(a.output, *bytes)) {
    std::fprintf(stderr, "error: cannot write %s\n", a.output.empty() ? "stdout" : a.output.c_str());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

Runner add_compose_command(CLI::App& app) {
  auto args = std::make_shared<ComposeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "compose", "Compose components: a WAC document, a composition graph, or a root component and what it imports");
  cmd->add_option("input", args->input,
                  "A WAC document (FILE.wac), a composition graph (GRAPH.json) or a root component (ROOT.wasm)")
      ->required();
  cmd->add_option("-o,--output", args->output, "Where to write the composed component");
  cmd->add_flag("--no-validate,--skip-validation", args->no_validate, "Do not validate the composed component");
  cmd->add_flag("--explain", args->explain, "Print which export fills which import; write no component");
  cmd->add_option("--dot", args->dot, "Write the composition as a Graphviz graph to FILE (`-`: standard output)");
  cmd->add_flag("--import-dependencies", args->import_dependencies,
                "Import the instantiated components instead of embedding them (FILE.wac, GRAPH.json: as "
                "`unlocked-dep=<ns:pkg>`; ROOT.wasm: by name, as `import-components: true`)");
  cmd->add_option("-d,--dep,--definition", args->d,
                  "FILE.wac: where package PKG is (PKG=PATH; PATH#WORLD: any component of that WIT world); "
                  "ROOT.wasm: a component whose instance exports fill "
                  "imports of the same name (DEF.wasm); repeatable");
  cmd->add_option("--deps-dir", args->wac.deps_dir,
                  "FILE.wac: where other packages are found, as ns/pkg.wasm or a WIT folder ns/pkg/ (default: deps)");
  cmd->add_flag("--parse-only", args->wac.parse_only, "FILE.wac: check the syntax only");
  cmd->add_flag("--resolve-only", args->wac.resolve_only,
                "FILE.wac: resolve the document and print its composition graph (wac's DOT form); write nothing");
  cmd->add_flag("--json", args->wac.json, "FILE.wac, with --parse-only: print the syntax tree as JSON");
  cmd->add_option("-c,--config", args->config, "ROOT.wasm: a wasm-tools compose configuration (YAML)");
  cmd->add_option("-p,--search-path", args->search_paths,
                  "ROOT.wasm: a folder to search for dependencies after the root's (repeatable)");
  return [cmd, args]() { return cmd->parsed() ? run_compose(*args, *cmd) : -1; };
}

}  // namespace witc::cli
