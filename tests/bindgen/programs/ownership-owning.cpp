//@ wit = ../wit/ownership.wit
//@ world = client --ownership owning
//@ expect = uint32_t Put(::witc::ownership::store::Entry const& e);
// --ownership owning (the default): imported functions take records of
// owned fields by const reference.
#include "client_cpp.h"

namespace store = ::witc::ownership::store;

static wit::string s(std::string_view v) { return wit::string::from_view(v); }

void exports::client::Run() {
  auto tags = wit::vector<wit::string>::allocate(1);
  tags.initialize(0, s("t"));
  store::Entry e{s("k"), std::move(tags), wit::vector<uint8_t>(), std::optional<wit::string>(s("n")),
                 std::tuple<wit::string, uint32_t>(s("x"), 1)};
  uint32_t n = store::Put(e);
  std::span<store::Entry const> all(&e, 1);
  n += store::PutAll(all);
  uint8_t bytes[] = {1, 2};
  store::Blob blob(std::span<uint8_t const>(bytes, 2));
  wit::string name = store::Attach(store::WithBlob{s("b"), std::move(blob)});
  double d = store::Sum(store::Plain{1, 2.5});
  n += store::Deep(store::Nested{std::move(e), 3});
  auto got = store::Get("k");
  (void)n; (void)name; (void)d; (void)got;
}
