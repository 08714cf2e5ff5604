// WASI preview 1 (`wasi_snapshot_preview1`): the host interface ordinary
// `wasm32-wasi` programs (wasi-libc) import.
//
//   auto wasi = rt::Wasi::create({.args = {"prog", "x"}, .dirs = {{"data", "/data"}}});
//   (*wasi)->add_to(store, linker);     // defines every preview 1 function
//   ... instantiate, call "_start"; proc_exit arrives as TrapKind::Exit.
//
// Provided: arguments, environment, clocks, random bytes, stdin/stdout/
// stderr (the process's own), proc_exit, poll_oneoff (clocks and fds),
// and the file system through preopened directories only. Every path is
// resolved beneath its directory descriptor: absolute paths, `..` that would
// climb above it and symlinks that point outside are refused with
// ERRNO_NOTCAPABLE (openat2 with RESOLVE_BENEATH; where the kernel lacks
// openat2, an equivalent walk one component at a time). Sockets: not
// supported (ERRNO_NOTSUP / ERRNO_BADF).
//
// Guest memory is the calling instance's exported "memory"; every pointer
// is bounds-checked (ERRNO_FAULT).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/rt/runtime.h"

namespace witc::rt {

struct WasiOptions {
  std::vector<std::string> args;  // args[0] is the program name
  std::vector<std::string> env;   // "KEY=VALUE"
  struct Dir {
    std::string host;   // a directory on the host
    std::string guest;  // the name the guest sees (e.g. "/data" or ".")
  };
  std::vector<Dir> dirs;  // preopened, as descriptors 3, 4, ...
};

class Wasi {
 public:
  // Opens the preopened directories; an error names the one that failed.
  static Expected<std::unique_ptr<Wasi>> create(WasiOptions options);
  ~Wasi();
  Wasi(const Wasi&) = delete;
  Wasi& operator=(const Wasi&) = delete;

  // Creates the host functions in `store` and defines them in `linker`
  // under "wasi_snapshot_preview1". The Wasi object must outlive the store.
  void add_to(Store& store, Linker& linker);

  struct State;

 private:
  explicit Wasi(std::unique_ptr<State> s);
  std::unique_ptr<State> state_;
};

}  // namespace witc::rt
