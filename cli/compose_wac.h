// Private to the CLI: `witc compose FILE.wac` (the WAC language).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "witc/composer/graph.h"

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
  // --explain: show the resolved graph, encode and write nothing.
  bool explain = false;
  // Called with the resolved graph (--explain, --dot); false: it failed.
  std::function<bool(const compose::Graph&)> show;
};

int run_compose_wac(const ComposeWacArgs& a);

}  // namespace witc::cli
