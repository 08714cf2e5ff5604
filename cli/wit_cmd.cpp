// `witc wit check|json|print PATH`
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "commands.h"
#include "io.h"
#include "witc/wit/wit.h"

namespace witc::cli {

namespace {

struct WitArgs {
  std::string path;
  std::string features;
  bool all_features = false;
};

void add_common(CLI::App* cmd, WitArgs& a) {
  cmd->add_option("PATH", a.path, "a .wit file or a directory of .wit files (with deps/)")
      ->required();
  cmd->add_option("--features", a.features,
                  "comma-separated @unstable features to enable");
  cmd->add_flag("--all-features", a.all_features, "enable every @unstable feature");
}

}  // namespace

Runner add_wit_commands(CLI::App& app) {
  auto* wit = app.add_subcommand("wit", "parse, resolve and print WIT packages");
  auto args = std::make_shared<WitArgs>();
  auto which = std::make_shared<std::string>();
  auto* check = wit->add_subcommand("check", "resolve PATH; print nothing on success");
  auto* json = wit->add_subcommand("json", "print the resolved package graph as JSON");
  auto* print = wit->add_subcommand("print", "print the resolved root package(s) as WIT");
  for (auto* c : {check, json, print}) {
    add_common(c, *args);
    c->callback([which, c] { *which = c->get_name(); });
  }
  return [args, which]() -> int {
    if (which->empty()) return -1;
    wit::Resolve r;
    auto roots = load_wit(r, args->path, args->features, args->all_features);
    if (!roots) return kExitError;
    if (*which == "json") {
      std::string out = wit::to_json(r);
      std::fwrite(out.data(), 1, out.size(), stdout);
      std::fputc('\n', stdout);
    } else if (*which == "print") {
      std::string out = wit::print(r, *roots);
      std::fwrite(out.data(), 1, out.size(), stdout);
    }
    return kExitOk;
  };
}

}  // namespace witc::cli
