// Private to the CLI: what `witc validate` and `witc wast` share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "io.h"

#include "witc/bin/features.h"
#include "witc/bin/reader.h"
#include "witc/bin/validate.h"

namespace witc::cli {

// Reads and validates a core module (components: not yet).
Expected<void> validate_binary(std::vector<uint8_t>&& bytes, bin::Features features);

// Parses --features; prints the error and returns nullopt if it is wrong.
std::optional<bin::Features> parse_features(const std::string& text);

struct WastArgs {
  std::string path;
  std::string features;
  bool messages = false;
  bool round_trip = false;
};
void add_wast_options(CLI::App* cmd, WastArgs& a);
int run_wast(const WastArgs& a);

}  // namespace witc::cli
