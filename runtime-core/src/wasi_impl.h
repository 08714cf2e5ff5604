// WASI preview 1 internals (private to runtime-core): errno values, the
// descriptor table, guest memory access and sandboxed path resolution.
#pragma once

#include <cstdint>
#include <cstring>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "witc/rt/wasi.h"

namespace witc::rt {

namespace wasi {

// Preview 1 errno values (wasi_snapshot_preview1 witx, "errno").
enum Errno : uint32_t {
  kSuccess = 0, k2Big = 1, kAcces = 2, kAgain = 6, kBadf = 8, kExist = 20, kFault = 21, kInval = 28,
  kIo = 29, kIsdir = 31, kLoop = 32, kNametoolong = 37, kNoent = 44, kNomem = 48, kNosys = 52,
  kNotdir = 54, kNotempty = 55, kNotsup = 58, kOverflow = 61, kPerm = 63, kSpipe = 70,
  kNotcapable = 76,
};

// Host errno -> WASI errno.
uint32_t errno_of(int host_errno);

// Filetype values.
enum Filetype : uint8_t {
  kUnknown = 0, kBlockDevice = 1, kCharDevice = 2, kDirectory = 3, kRegularFile = 4,
  kSocketDgram = 5, kSocketStream = 6, kSymlink = 7,
};
uint8_t filetype_of(uint32_t st_mode);

// Guest memory, bounds-checked.
class Mem {
 public:
  explicit Mem(Memory& m) : m_(m) {}
  uint8_t* ptr(uint64_t p, uint64_t n) const {
    if (p > m_.size() || m_.size() - p < n) return nullptr;
    return m_.data() + p;
  }
  template <class T>
  bool load(uint64_t p, T& out) const {
    uint8_t* q = ptr(p, sizeof(T));
    if (!q) return false;
    std::memcpy(&out, q, sizeof(T));
    return true;
  }
  template <class T>
  bool store(uint64_t p, T v) const {
    uint8_t* q = ptr(p, sizeof(T));
    if (!q) return false;
    std::memcpy(q, &v, sizeof(T));
    return true;
  }
  // A guest string (not NUL-terminated) as a host string; nullopt if out of bounds.
  std::optional<std::string> string(uint64_t p, uint64_t n) const {
    uint8_t* q = ptr(p, n);
    if (!q) return std::nullopt;
    return std::string(reinterpret_cast<const char*>(q), n);
  }

 private:
  Memory& m_;
};

// Opens `path` beneath directory `root` (never outside it): openat2 with
// RESOLVE_BENEATH, or a careful walk. Returns the fd or -errno; an escape is
// -EXDEV. With O_NOFOLLOW in `flags` the last component is not followed.
int open_beneath(int root, const std::string& path, int flags, unsigned mode);

// Resolves all but the last component of `path` beneath `root` and returns
// an O_PATH descriptor of that directory (or -errno); `last` receives the
// final name, which is never empty, "." or ".." (those are -EINVAL).
int parent_beneath(int root, const std::string& path, std::string& last);

}  // namespace wasi

struct Wasi::State {
  struct Fd {
    int host = -1;
    bool owned = true;       // closed with the descriptor (not stdio)
    bool preopen = false;
    std::string guest;       // preopens: the guest path
    uint8_t filetype = wasi::kUnknown;
    uint16_t fdflags = 0;
  };
  WasiOptions options;
  std::vector<std::optional<Fd>> fds;

  ~State();
  Fd* fd(uint32_t n) {
    if (n >= fds.size() || !fds[n]) return nullptr;
    return &*fds[n];
  }
  uint32_t add(Fd f);  // the lowest free descriptor number
};

// The function table: every preview 1 function, name, signature and body.
// A body returns the errno (or a Trap: proc_exit, a missing memory).
using WasiBody = std::expected<uint32_t, Trap> (*)(Wasi::State& s, wasi::Mem& mem, const uint64_t* a);
struct WasiFunc {
  const char* name;
  const char* params;  // 'i' i32, 'I' i64
  bool returns;        // an errno result (all but proc_exit)
  WasiBody body;
};
std::span<const WasiFunc> wasi_core_funcs();  // args, env, clocks, random, proc, poll, sockets
std::span<const WasiFunc> wasi_fs_funcs();    // fd_* and path_*

}  // namespace witc::rt
