#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"witc: a native toolchain for the WebAssembly Component Model", "witc"};
  // Subcommands are not `require`d: CLI11 would then answer a mistyped one
  // with "A subcommand is required"; unrequired, it names the stray word.
  app.set_version_flag("--version", "witc 0.1.0");
  std::vector<witc::cli::Runner> runners;
  runners.push_back(witc::cli::add_wit_commands(app));
  runners.push_back(witc::cli::add_validate_commands(app));
  runners.push_back(witc::cli::add_inspect_command(app));
  runners.push_back(witc::cli::add_bindgen_command(app));
  runners.push_back(witc::cli::add_component_commands(app));
  runners.push_back(witc::cli::add_plug_command(app));
  runners.push_back(witc::cli::add_compose_command(app));
  runners.push_back(witc::cli::add_run_command(app));
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
  // Nothing ran: no subcommand, or a group (`witc wit`) without its own.
  std::string path = "witc";
  for (const CLI::App* cur = &app;;) {
    auto subs = cur->get_subcommands();
    if (subs.empty()) break;
    cur = subs.front();
    path += " " + cur->get_name();
  }
  std::fprintf(stderr, "%s: a subcommand is required\nRun with --help for more information.\n",
               path.c_str());
  return witc::cli::kExitUsage;
}
