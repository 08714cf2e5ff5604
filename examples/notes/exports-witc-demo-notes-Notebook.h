// The `notebook` resource of witc:demo/notes (../../wit/demo.wit): notes kept
// in memory, by key. witc's bindings declare the class and include this
// header for its definition, as wit-bindgen's C++ bindings do.
#pragma once
#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "wit.h"

namespace exports::witc::demo::notes {

class Notebook : public wit::ResourceExportBase<Notebook> {
 public:
  explicit Notebook(std::string name) : name_(std::move(name)) {}
  static void Dtor(Notebook* self) { delete self; }
  static Owned New(wit::string name) { return Owned(new Notebook(name.to_string())); }

  std::expected<void, Error> Put(wit::string key, wit::vector<uint8_t> body, Tag tags);
  std::expected<Note, Error> Get(wit::string key);
  wit::vector<std::tuple<wit::string, uint64_t>> Entries(Order order);
  static Owned Merge(Owned a, std::reference_wrapper<const Notebook> b);

  static int32_t ResourceNew(Notebook* self);
  static Notebook* ResourceRep(int32_t id);
  static void ResourceDrop(int32_t id);

  static constexpr uint64_t kMaxBody = 1024;

 private:
  struct Entry {
    std::vector<uint8_t> body;
    Tag tags;
    ::wasi::clocks::wall_clock::Datetime created;
    uint64_t sequence;
  };
  std::string name_;
  std::map<std::string, Entry> entries_;
  uint64_t next_ = 0;
};

}  // namespace exports::witc::demo::notes
