//@ wit = ../wit/ownership.wit
//@ world = client --format --ownership coarse-borrowing
//@ expect-formatted = Blob(wit::ResourceImportBase &&base);
// --format: the bindings go through clang-format (when installed) and still
// compile.
#include "client_cpp.h"

void exports::client::Run() {
  double d = ::witc::ownership::store::Sum(::witc::ownership::store::PlainParam{1, 2.0});
  (void)d;
}
