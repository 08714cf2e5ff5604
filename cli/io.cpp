#include "io.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "witc/base/file.h"
#include "witc/wit/wit.h"

namespace witc::cli {

std::optional<std::vector<uint8_t>> read_binary_file(const std::string& path) { return read_file_bytes(path); }

bool write_output(const std::string& path, std::string_view bytes) {
  if (path.empty()) {
    return std::fwrite(bytes.data(), 1, bytes.size(), stdout) == bytes.size() && std::fflush(stdout) == 0;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out.flush());
}

bool write_output(const std::string& path, const std::vector<uint8_t>& bytes) {
  return write_output(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::optional<std::vector<wit::PackageId>> load_wit(wit::Resolve& r, const std::string& path,
                                                    const std::string& features, bool all_features) {
  std::stringstream ss(features);
  for (std::string f; std::getline(ss, f, ',');) {
    auto b = f.find_first_not_of(" \t");
    auto e = f.find_last_not_of(" \t");
    if (b != std::string::npos) r.features.enabled.push_back(f.substr(b, e - b + 1));
  }
  r.features.all = all_features;
  auto roots = wit::load_path(r, path);
  if (!roots) {
    std::fprintf(stderr, "error: %s\n", render(roots.error(), &r.sources).c_str());
    return std::nullopt;
  }
  return *roots;
}

}  // namespace witc::cli
