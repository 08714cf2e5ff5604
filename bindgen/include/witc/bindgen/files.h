// bindgen::Files: generated output held in memory, path -> contents. The
// generators only fill it; the CLI decides where (and whether) to write.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace witc::bindgen {

struct File {
  std::string path;      // relative to the output directory, '/'-separated
  std::string contents;  // text or binary (an object file)
};

class Files {
 public:
  // Adds a file; a second file with the same path replaces the first.
  void add(std::string path, std::string contents);
  // The file at `path`, or nullptr.
  const File* find(std::string_view path) const;
  const std::vector<File>& all() const { return files_; }

 private:
  std::vector<File> files_;  // in the order first added
};

}  // namespace witc::bindgen
