#include <cstdio>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"witc: a native toolchain for the WebAssembly Component Model", "witc"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "witc 0.1.0");
  std::vector<witc::cli::Runner> runners;
  runners.push_back(witc::cli::add_wit_commands(app));
  runners.push_back(witc::cli::add_validate_commands(app));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    // CLI11 returns 0 for --help/--version; every real usage error is 2.
    return rc == 0 ? 0 : witc::cli::kExitUsage;
  }
  for (auto& run : runners) {
    if (run) {
      if (int rc = run(); rc >= 0) return rc;
    }
  }
  return witc::cli::kExitUsage;
}
