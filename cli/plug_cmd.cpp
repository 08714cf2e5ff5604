// `witc plug SOCKET --plug PLUG… [-o OUT] [--explain] [--dot FILE] [--no-validate]`
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "core_binary.h"
#include "io.h"
#include "witc/composer/dot.h"
#include "witc/composer/explain.h"
#include "witc/composer/plug.h"

namespace witc::cli {

namespace {

struct PlugArgs {
  std::string socket;
  std::vector<std::string> plugs;
  std::string output;
  bool explain = false;
  bool no_validate = false;
  std::string dot;
};

int run_plug(const PlugArgs& a) {
  auto load = [](const std::string& path) -> std::optional<compose::PlugInput> {
    auto bytes = read_binary_file(path);
    if (!bytes) {
      std::fprintf(stderr, "error: cannot read %s\n", path.c_str());
      return std::nullopt;
    }
    return compose::PlugInput{std::filesystem::path(path).filename().string(), std::move(*bytes)};
  };
  auto socket = load(a.socket);
  if (!socket) return kExitError;
  std::vector<compose::PlugInput> plugs;
  for (const std::string& p : a.plugs) {
    auto in = load(p);
    if (!in) return kExitError;
    plugs.push_back(std::move(*in));
  }
  if (!a.explain && a.output.empty() && isatty(STDOUT_FILENO)) {
    std::fprintf(stderr, "error: refusing to write a component to a terminal; use -o FILE\n");
    return kExitUsage;
  }
  compose::PlugOptions options;
  options.encode = !a.explain;
  options.encoding.validate = !a.no_validate;
  std::string listing, dot;
  options.on_graph = [&](const compose::Graph& g) {
    if (a.explain) listing = compose::explain_graph(g);
    if (!a.dot.empty()) dot = compose::graph_to_dot(g);
  };
  auto r = compose::plug(*socket, plugs, options);
  if (!r) {
    std::fprintf(stderr, "error: %s\n", render(r.error()).c_str());
    return kExitError;
  }
  for (const std::string& m : r->mismatches) std::fprintf(stderr, "warning: not plugged: %s\n", m.c_str());
  if (!a.dot.empty() && !write_output(a.dot == "-" ? std::string() : a.dot, dot)) {
    std::fprintf(stderr, "error: cannot write %s\n", a.dot.c_str());
    return kExitError;
  }
  if (a.explain) {
    std::fputs(listing.c_str(), stdout);
    for (const auto& [import, nearest] : r->unfilled) {
      if (nearest.empty()) continue;
      std::printf("nothing is named like import `%s` of %s; the nearest offers:\n", import.c_str(),
                  socket->name.c_str());
      for (const std::string& n : nearest) std::printf("  %s\n", n.c_str());
    }
    return kExitOk;
  }
  if (!write_output(a.output, r->component)) {
    std::fprintf(stderr, "error: cannot write %s\n", a.output.empty() ? "stdout" : a.output.c_str());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

Runner add_plug_command(CLI::App& app) {
  auto args = std::make_shared<PlugArgs>();
  CLI::App* cmd = app.add_subcommand(
      "plug", "Fill a socket component's imports with the exports of plug components (as `wac plug`)");
  cmd->add_option("socket", args->socket, "The component whose imports are filled")->required();
  cmd->add_option("--plug", args->plugs, "A component whose exports fill the socket's imports (repeatable)")
      ->required();
  cmd->add_option("-o,--output", args->output, "Where to write the composed component");
  cmd->add_flag("--explain", args->explain, "Print which export fills which import; write nothing");
  cmd->add_flag("--no-validate", args->no_validate, "Do not validate the composed component");
  cmd->add_option("--dot", args->dot, "Write the composition as a Graphviz graph to FILE (`-`: standard output)");
  return [cmd, args]() { return cmd->parsed() ? run_plug(*args) : -1; };
}

}  // namespace witc::cli
