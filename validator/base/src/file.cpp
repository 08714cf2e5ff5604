#include "witc/base/file.h"

#include <cstdio>
#include <memory>

namespace witc {

std::optional<std::vector<uint8_t>> read_file_bytes(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return std::nullopt;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return std::nullopt;
  std::vector<uint8_t> bytes;
  // Regular files are read in one go at their size; pipes and other streams
  // grow the buffer as they go.
  auto size = std::filesystem::file_size(path, ec);
  bytes.resize(!ec && size > 0 ? static_cast<size_t>(size) + 1 : 64 * 1024);
  size_t used = 0;
  for (;;) {
    used += std::fread(bytes.data() + used, 1, bytes.size() - used, f.get());
    if (used < bytes.size()) break;
    bytes.resize(bytes.size() * 2);
  }
  if (std::ferror(f.get())) return std::nullopt;
  bytes.resize(used);
  return bytes;
}

}  // namespace witc
