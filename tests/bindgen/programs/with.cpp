//@ wit = ../wit/with.wit
//@ world = base
//@ world = app --with witc:reuse/shared=base_cpp.h
//@ expect = #include "base_cpp.h"
// --with IFACE=HEADER: world `app` takes the bindings of witc:reuse/shared
// from the header generated for world `base` (and its code from base.cpp)
// instead of generating them again.
#include "app_cpp.h"

void exports::app::Run() {
  ::witc::reuse::shared::Cfg cfg = ::witc::reuse::shared::Get();
  ::witc::reuse::mine::Set(cfg);
}
