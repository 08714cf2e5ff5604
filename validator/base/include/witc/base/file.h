// Reading a whole file into memory, for every library and the CLI.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace witc {

// The bytes of a regular file; nullopt if it is missing, unreadable or not a
// regular file (libstdc++ throws from a filebuf reading a directory, so
// directories are refused before opening).
std::optional<std::vector<uint8_t>> read_file_bytes(const std::filesystem::path& path);

}  // namespace witc
