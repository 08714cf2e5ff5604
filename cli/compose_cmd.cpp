// `witc compose INPUT [-o OUT] [--no-validate] [--explain] [--dot FILE]`:
//   GRAPH.json                  a composition graph (docs/compose-graph-json.md)
//   ROOT.wasm [-c FILE.yml] [-d DEF.wasm]… [-p DIR]…
//                               `wasm-tools compose`: the root's imports filled
//                               from components found by name (docs/compose.md)
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "commands.h"
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
  // wasm-tools compose mode
  std::string config;
  std::vector<std::string> definitions;
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
  for (const std::string& d : a.definitions) config.definitions.push_back(here(d));
  for (const std::string& p : a.search_paths) config.search_paths.push_back(here(p));
  config.skip_validation |= a.no_validate;
  WITC_TRY_VAL(compose::WasmComposition c, compose::build_wasm_composition(a.input, config));
  if (a.explain) {
    for (const auto& [what, nearest] : c.unresolved) {
      std::printf("not found: %s stays an import\n", what.c_str());
      for (const std::string& n : nearest) std::printf("  nearest: %s\n", n.c_str());
    }
  }
  shown = show_graph(a, *c.graph);
  if (a.explain || !shown) return std::vector<uint8_t>();
  compose::EncodeOptions options;
  options.validate = !config.skip_validation;
  return c.graph->encode(options);
}

int run_compose(const ComposeArgs& a) {
  std::filesystem::path in(a.input);
  const bool graph_json = in.extension() == ".json";
  const bool root_mode = !graph_json && (in.extension() == ".wasm" || !a.config.empty());
  if (!graph_json && !root_mode) {
    std::fprintf(stderr, "error: %s: expected a composition graph (.json) or a root component (.wasm)\n",
                 a.input.c_str());
    return kExitUsage;
  }
  if (graph_json && (!a.config.empty() || !a.definitions.empty() || !a.search_paths.empty())) {
    std::fprintf(stderr, "error: --config, --definition and --search-path apply to a root component (.wasm)\n");
    return kExitUsage;
  }
  if (!a.explain && a.output.empty() && isatty(STDOUT_FILENO)) {
    std::fprintf(stderr, "error: refusing to write a component to a terminal; use -o FILE\n");
    return kExitUsage;
  }
  bool shown = true;
  Expected<std::vector<uint8_t>> bytes = std::vector<uint8_t>();
  if (root_mode) {
    bytes = wasm_compose(a, shown);
  } else {
    auto text = read_binary_file(a.input);
    if (!text) {
      std::fprintf(stderr, "error: cannot read %s\n", a.input.c_str());
      return kExitError;
    }
    compose::GraphJsonOptions options;
    options.encoding.validate = !a.no_validate;
    options.encode = !a.explain;
    options.on_graph = [&](const compose::Graph& g) { shown = show_graph(a, g); };
    bytes = compose::compose_graph_json(std::string(text->begin(), text->end()), in.parent_path(), options);
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
  CLI::App* cmd = app.add_subcommand("compose", "Compose components: a composition graph, or a root component and what it imports");
  cmd->add_option("input", args->input, "A composition graph (GRAPH.json) or a root component (ROOT.wasm)")
      ->required();
  cmd->add_option("-o,--output", args->output, "Where to write the composed component");
  cmd->add_flag("--no-validate,--skip-validation", args->no_validate, "Do not validate the composed component");
  cmd->add_flag("--explain", args->explain, "Print which export fills which import; write no component");
  cmd->add_option("--dot", args->dot, "Write the composition as a Graphviz graph to FILE (`-`: standard output)");
  cmd->add_option("-c,--config", args->config, "ROOT.wasm: a wasm-tools compose configuration (YAML)");
  cmd->add_option("-d,--definition", args->definitions,
                  "ROOT.wasm: a component whose instance exports fill imports of the same name (repeatable)");
  cmd->add_option("-p,--search-path", args->search_paths,
                  "ROOT.wasm: a folder to search for dependencies after the root's (repeatable)");
  return [cmd, args]() { return cmd->parsed() ? run_compose(*args) : -1; };
}

}  // namespace witc::cli
