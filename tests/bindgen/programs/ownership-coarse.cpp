//@ wit = ../wit/ownership.wit
//@ world = client --ownership coarse-borrowing
//@ expect = uint32_t Put(::witc::ownership::store::EntryParam const& e);
//@ expect = ::witc::ownership::store::WithBlob const& w
// --ownership coarse-borrowing: records without owned handles are passed to
// imports as `…Param` structs of borrowed fields (std::string_view,
// std::span); a record with an owned handle stays owning.
#include "client_cpp.h"

namespace store = ::witc::ownership::store;

void exports::client::Run() {
  std::string_view tags[] = {"a", "b"};
  uint8_t bytes[] = {1, 2, 3};
  store::EntryParam e{"key", std::span<std::string_view const>(tags, 2), std::span<uint8_t const>(bytes, 3),
                      std::optional<std::string_view>("note"), std::tuple<std::string_view, uint32_t>("x", 7)};
  uint32_t n = store::Put(e);
  // Lists and nested records keep the owning types.
  auto owned = wit::vector<store::Entry>::allocate(1);
  owned.initialize(0, store::Entry{wit::string::from_view("k"), wit::vector<wit::string>(), wit::vector<uint8_t>(),
                                   std::nullopt, std::tuple<wit::string, uint32_t>(wit::string::from_view("y"), 2)});
  n += store::PutAll(owned.get_const_view());
  store::Blob blob(std::span<uint8_t const>(bytes, 3));
  wit::string name = store::Attach(store::WithBlob{wit::string::from_view("b"), std::move(blob)});
  double d = store::Sum(store::PlainParam{1, 2.5});
  n += store::Deep(store::NestedParam{std::move(owned[0]), 3});
  (void)n; (void)name; (void)d;
}
