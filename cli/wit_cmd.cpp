// `witc wit check|json|print PATH`
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

#include <fmt/format.h>

#include "commands.h"
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

// Loads the path; prints the rendered error and returns nullopt on failure.
std::optional<std::vector<wit::PackageId>> load(wit::Resolve& r, const WitArgs& a) {
  std::stringstream ss(a.features);
  for (std::string f; std::getline(ss, f, ',');) {
    auto b = f.find_first_not_of(" \t");
    auto e = f.find_last_not_of(" \t");
    if (b != std::string::npos) r.features.enabled.push_back(f.substr(b, e - b + 1));
  }
  r.features.all = a.all_features;
  auto roots = wit::load_path(r, a.path);
  if (!roots) {
    std::fprintf(stderr, "error: %s\n", render(roots.error(), &r.sources).c_str());
    return std::nullopt;
  }
  return *roots;
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
    auto roots = load(r, *args);
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
