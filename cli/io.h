// Private to the CLI: reading inputs and writing outputs the same way in
// every command.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "witc/wit/resolve.h"

namespace witc::cli {

// The bytes of a file (witc::read_file_bytes); nullopt if it cannot be read.
std::optional<std::vector<uint8_t>> read_binary_file(const std::string& path);

// Writes `bytes` to `path`, or to stdout when `path` is empty; false on failure.
bool write_output(const std::string& path, std::string_view bytes);
bool write_output(const std::string& path, const std::vector<uint8_t>& bytes);

// Loads a `.wit` file or package directory into `r` with the comma-separated
// @unstable `features` (or all of them) on; prints the rendered error and
// returns nullopt on failure.
std::optional<std::vector<wit::PackageId>> load_wit(wit::Resolve& r, const std::string& path,
                                                    const std::string& features, bool all_features);

}  // namespace witc::cli
