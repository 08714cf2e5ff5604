//@ wit = ../wit/ownership.wit
//@ world = server --ownership fine-borrowing
// The exporting side is the same in every --ownership mode: exported
// functions take owned values.
#include "server_cpp.h"

namespace ex = ::exports::witc::ownership::store;

uint32_t ex::Put(ex::Entry e) { return (uint32_t)e.key.size(); }
uint32_t ex::PutAll(wit::vector<ex::Entry> es) { return (uint32_t)es.size(); }
wit::string ex::Attach(ex::WithBlob w) { return std::move(w.name); }
double ex::Sum(ex::Plain p) { return p.a + p.b; }
uint32_t ex::Deep(ex::Nested n) { return n.count; }
std::optional<ex::Entry> ex::Get(wit::string key) { return std::nullopt; }

ex::Blob::Owned ex::Blob::New(wit::vector<uint8_t> data) { return Owned(new Blob); }
uint32_t ex::Blob::Size() { return 0; }
