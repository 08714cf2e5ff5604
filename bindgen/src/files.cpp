#include "witc/bindgen/files.h"

namespace witc::bindgen {

void Files::add(std::string path, std::string contents) {
  for (File& f : files_) {
    if (f.path == path) {
      f.contents = std::move(contents);
      return;
    }
  }
  files_.push_back({std::move(path), std::move(contents)});
}

const File* Files::find(std::string_view path) const {
  for (const File& f : files_) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

}  // namespace witc::bindgen
