// `witc compose GRAPH.json [-o OUT] [--no-validate]`: a composition graph
// described as JSON (docs/compose-graph-json.md); `witc compose FILE.wac`: a
// WAC document (compose_wac_cmd.cpp). `wasm-tools compose`-style roots come
// later under the same command.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "commands.h"
#include "compose_wac.h"
#include "io.h"
#include "witc/composer/graph_json.h"

namespace witc::cli {

namespace {

struct ComposeArgs {
  std::string input;
  std::string output;
  bool no_validate = false;
  ComposeWacArgs wac;
};

int run_compose(ComposeArgs& a) {
  std::filesystem::path in(a.input);
  if (in.extension() == ".wac") {
    a.wac.input = a.input;
    a.wac.output = a.output;
    a.wac.no_validate = a.no_validate;
    return run_compose_wac(a.wac);
  }
  if (a.wac.parse_only || a.wac.resolve_only) {
    std::fprintf(stderr, "error: --parse-only and --resolve-only apply to WAC documents (.wac)\n");
    return kExitUsage;
  }
  if (in.extension() != ".json") {
    std::fprintf(stderr, "error: %s: only composition graphs (.json) are supported so far\n", a.input.c_str());
    return kExitUsage;
  }
  auto bytes_in = read_binary_file(a.input);
  if (!bytes_in) {
    std::fprintf(stderr, "error: cannot read %s\n", a.input.c_str());
    return kExitError;
  }
  std::string text(bytes_in->begin(), bytes_in->end());
  if (a.output.empty() && isatty(STDOUT_FILENO)) {
    std::fprintf(stderr, "error: refusing to write a component to a terminal; use -o FILE\n");
    return kExitUsage;
  }
  compose::GraphJsonOptions options;
  options.encoding.validate = !a.no_validate;
  options.encoding.define_components = !a.wac.import_dependencies;
  auto bytes = compose::compose_graph_json(text, in.parent_path(), options);
  if (!bytes) {
    std::fprintf(stderr, "error: %s\n", render(bytes.error()).c_str());
    return kExitError;
  }
  if (!write_output(a.output, *bytes)) {
    std::fprintf(stderr, "error: cannot write %s\n", a.output.empty() ? "stdout" : a.output.c_str());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

Runner add_compose_command(CLI::App& app) {
  auto args = std::make_shared<ComposeArgs>();
  CLI::App* cmd = app.add_subcommand("compose", "Compose components as a composition graph describes");
  cmd->add_option("input", args->input, "A composition: a WAC document (FILE.wac) or a graph (GRAPH.json)")
      ->required();
  cmd->add_option("-o,--output", args->output, "Where to write the composed component");
  cmd->add_flag("--no-validate", args->no_validate, "Do not validate the composed component");
  cmd->add_option("-d,--dep", args->wac.deps, "WAC: where package PKG is (PKG=PATH, repeatable)");
  cmd->add_option("--deps-dir", args->wac.deps_dir,
                  "WAC: where other packages are found, as ns/pkg.wasm or a WIT folder ns/pkg/ (default: deps)");
  cmd->add_flag("--import-dependencies", args->wac.import_dependencies,
                "Import the instantiated components (as `unlocked-dep=<ns:pkg>`) instead of embedding them");
  cmd->add_flag("--parse-only", args->wac.parse_only, "WAC: check the syntax only");
  cmd->add_flag("--resolve-only", args->wac.resolve_only,
                "WAC: resolve the document and print its composition graph (wac's DOT form); write nothing");
  cmd->add_flag("--json", args->wac.json, "WAC, with --parse-only: print the syntax tree as JSON");
  return [cmd, args]() { return cmd->parsed() ? run_compose(*args) : -1; };
}

}  // namespace witc::cli
