// Private to the CLI: `witc compose FILE.wac` (the WAC language).
#pragma once

#include <string>
#include <vector>

namespace witc::cli {

struct ComposeWacArgs {
  std::string input;
  std::string output;
  std::vector<std::string> deps;  // PKG=PATH
  std::string deps_dir = "deps";
  bool import_dependencies = false;
  bool no_validate = false;
  bool parse_only = false;
  bool resolve_only = false;
  bool json = false;
};

int run_compose_wac(const ComposeWacArgs& a);

}  // namespace witc::cli
