//@ wit = ../wit/async-all.wit
//@ world = server
//@ expect = static void Open(wit::string name, wit::task_return<wit::ResourceExportBase<::exports::witc::async_all::types::Conn>::Owned> _return);
// An exported resource with an async method and an async static function:
// the user class (the generated starting-point header) returns through
// wit::task_return.
#include <memory>

#include "server_cpp.h"

namespace ty = ::exports::witc::async_all::types;

ty::Conn::Owned ty::Conn::New(wit::string name) { return Owned(new Conn); }

void ty::Conn::Send(wit::vector<uint8_t> data, wit::task_return<std::expected<uint32_t, wit::string>> _return) {
  if (data.empty()) return _return(std::unexpected(wit::string::from_view("empty")));
  _return(uint32_t(data.size()));
}

wit::string ty::Conn::Name() { return wit::string::from_view("conn"); }

void ty::Conn::Open(wit::string name, wit::task_return<Owned> _return) {
  _return(Owned(new Conn));
}
