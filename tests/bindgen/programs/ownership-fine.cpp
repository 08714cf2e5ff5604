//@ wit = ../wit/ownership.wit
//@ world = client --ownership fine-borrowing
//@ expect = uint32_t Put(::witc::ownership::store::EntryParam const& e);
//@ expect = ::witc::ownership::store::WithBlobParam const& w
// --ownership fine-borrowing: every record passed to an import has a
// `…Param` struct; its strings and lists are borrowed, handles owned.
#include "client_cpp.h"

namespace store = ::witc::ownership::store;

void exports::client::Run() {
  uint8_t bytes[] = {4, 5};
  store::EntryParam e{"key", {}, std::span<uint8_t const>(bytes, 2), std::nullopt,
                      std::tuple<std::string_view, uint32_t>("x", 1)};
  uint32_t n = store::Put(e);
  store::Blob blob(std::span<uint8_t const>(bytes, 2));
  store::WithBlobParam w{"blob", std::move(blob)};
  wit::string name = store::Attach(w);
  double d = store::Sum(store::PlainParam{3, 0.5});
  (void)n; (void)name; (void)d;
}
