// WASI preview 1: setup, registration, and the functions that are not about
// files (arguments, environment, clocks, random, process, poll, sockets).
#include <fcntl.h>
#include <poll.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include <fmt/format.h>

#include "wasi_impl.h"

namespace witc::rt {

namespace wasi {

uint32_t errno_of(int e) {
  switch (e) {
    case 0: return kSuccess;
    case E2BIG: return 1;
    case EACCES: return 2;
    case EADDRINUSE: return 3;
    case EADDRNOTAVAIL: return 4;
    case EAFNOSUPPORT: return 5;
    case EAGAIN: return 6;
    case EALREADY: return 7;
    case EBADF: return 8;
    case EBADMSG: return 9;
    case EBUSY: return 10;
    case ECANCELED: return 11;
    case ECHILD: return 12;
    case ECONNABORTED: return 13;
    case ECONNREFUSED: return 14;
    case ECONNRESET: return 15;
    case EDEADLK: return 16;
    case EDESTADDRREQ: return 17;
    case EDOM: return 18;
    case EDQUOT: return 19;
    case EEXIST: return 20;
    case EFAULT: return 21;
    case EFBIG: return 22;
    case EHOSTUNREACH: return 23;
    case EIDRM: return 24;
    case EILSEQ: return 25;
    case EINPROGRESS: return 26;
    case EINTR: return 27;
    case EINVAL: return 28;
    case EIO: return 29;
    case EISCONN: return 30;
    case EISDIR: return 31;
    case ELOOP: return 32;
    case EMFILE: return 33;
    case EMLINK: return 34;
    case EMSGSIZE: return 35;
    case EMULTIHOP: return 36;
    case ENAMETOOLONG: return 37;
    case ENETDOWN: return 38;
    case ENETRESET: return 39;
    case ENETUNREACH: return 40;
    case ENFILE: return 41;
    case ENOBUFS: return 42;
    case ENODEV: return 43;
    case ENOENT: return 44;
    case ENOEXEC: return 45;
    case ENOLCK: return 46;
    case ENOLINK: return 47;
    case ENOMEM: return 48;
    case ENOMSG: return 49;
    case ENOPROTOOPT: return 50;
    case ENOSPC: return 51;
    case ENOSYS: return 52;
    case ENOTCONN: return 53;
    case ENOTDIR: return 54;
    case ENOTEMPTY: return 55;
    case ENOTRECOVERABLE: return 56;
    case ENOTSOCK: return 57;
    case ENOTSUP: return 58;
    case ENOTTY: return 59;
    case ENXIO: return 60;
    case EOVERFLOW: return 61;
    case EOWNERDEAD: return 62;
    case EPERM: return 63;
    case EPIPE: return 64;
    case EPROTO: return 65;
    case EPROTONOSUPPORT: return 66;
    case EPROTOTYPE: return 67;
    case ERANGE: return 68;
    case EROFS: return 69;
    case ESPIPE: return 70;
    case ESRCH: return 71;
    case ESTALE: return 72;
    case ETIMEDOUT: return 73;
    case ETXTBSY: return 74;
    case EXDEV: return 75;
    default: return kIo;
  }
}

uint8_t filetype_of(uint32_t mode) {
  switch (mode & S_IFMT) {
    case S_IFBLK: return kBlockDevice;
    case S_IFCHR: return kCharDevice;
    case S_IFDIR: return kDirectory;
    case S_IFREG: return kRegularFile;
    case S_IFSOCK: return kSocketStream;
    case S_IFLNK: return kSymlink;
    default: return kUnknown;
  }
}

}  // namespace wasi

namespace {

using wasi::Mem;
using R = std::expected<uint32_t, Trap>;

uint32_t u32(const uint64_t* a, int i) { return static_cast<uint32_t>(a[i]); }

// Writes a list of strings as argv/environ do: pointers at `ptrs`, the
// NUL-terminated bytes at `buf`.
uint32_t put_strings(Mem& mem, const std::vector<std::string>& list, uint32_t ptrs, uint32_t buf) {
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string& s = list[i];
    uint8_t* dst = mem.ptr(buf, s.size() + 1);
    if (!dst || !mem.store<uint32_t>(ptrs + 4 * i, buf)) return wasi::kFault;
    std::memcpy(dst, s.c_str(), s.size() + 1);
    buf += static_cast<uint32_t>(s.size() + 1);
  }
  return wasi::kSuccess;
}

uint32_t put_sizes(Mem& mem, const std::vector<std::string>& list, uint32_t count_ptr, uint32_t size_ptr) {
  uint64_t size = 0;
  for (const std::string& s : list) size += s.size() + 1;
  if (!mem.store<uint32_t>(count_ptr, static_cast<uint32_t>(list.size())) ||
      !mem.store<uint32_t>(size_ptr, static_cast<uint32_t>(size))) {
    return wasi::kFault;
  }
  return wasi::kSuccess;
}

R args_get(Wasi::State& s, Mem& m, const uint64_t* a) { return put_strings(m, s.options.args, u32(a, 0), u32(a, 1)); }
R args_sizes_get(Wasi::State& s, Mem& m, const uint64_t* a) {
  return put_sizes(m, s.options.args, u32(a, 0), u32(a, 1));
}
R environ_get(Wasi::State& s, Mem& m, const uint64_t* a) { return put_strings(m, s.options.env, u32(a, 0), u32(a, 1)); }
R environ_sizes_get(Wasi::State& s, Mem& m, const uint64_t* a) {
  return put_sizes(m, s.options.env, u32(a, 0), u32(a, 1));
}

bool host_clock(uint32_t id, clockid_t& out) {
  switch (id) {
    case 0: out = CLOCK_REALTIME; return true;
    case 1: out = CLOCK_MONOTONIC; return true;
    case 2: out = CLOCK_PROCESS_CPUTIME_ID; return true;
    case 3: out = CLOCK_THREAD_CPUTIME_ID; return true;
    default: return false;
  }
}

uint64_t ns(const timespec& t) { return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(t.tv_nsec); }

R clock_res_get(Wasi::State&, Mem& m, const uint64_t* a) {
  clockid_t c;
  if (!host_clock(u32(a, 0), c)) return wasi::kInval;
  timespec t{};
  if (clock_getres(c, &t) != 0) return wasi::errno_of(errno);
  return m.store<uint64_t>(u32(a, 1), ns(t)) ? wasi::kSuccess : wasi::kFault;
}

R clock_time_get(Wasi::State&, Mem& m, const uint64_t* a) {
  clockid_t c;
  if (!host_clock(u32(a, 0), c)) return wasi::kInval;
  timespec t{};
  if (clock_gettime(c, &t) != 0) return wasi::errno_of(errno);
  return m.store<uint64_t>(u32(a, 2), ns(t)) ? wasi::kSuccess : wasi::kFault;
}

R random_get(Wasi::State&, Mem& m, const uint64_t* a) {
  uint32_t len = u32(a, 1);
  uint8_t* p = m.ptr(u32(a, 0), len);
  if (!p) return wasi::kFault;
  while (len > 0) {
    ssize_t n = getrandom(p, len, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return wasi::errno_of(errno);
    }
    p += n;
    len -= static_cast<uint32_t>(n);
  }
  return wasi::kSuccess;
}

R proc_exit(Wasi::State&, Mem&, const uint64_t* a) { return std::unexpected(Trap::exit(static_cast<int>(u32(a, 0)))); }
R proc_raise(Wasi::State&, Mem&, const uint64_t*) { return wasi::kNosys; }
R sched_yield(Wasi::State&, Mem&, const uint64_t*) { return wasi::kSuccess; }

// poll_oneoff(in, out, nsubscriptions, nevents): clock subscriptions wait,
// fd subscriptions are polled on the host (core: subscription 48 bytes,
// event 32 bytes).
R poll_oneoff(Wasi::State& s, Mem& m, const uint64_t* a) {
  uint32_t in = u32(a, 0), out = u32(a, 1), n = u32(a, 2);
  if (n == 0) return wasi::kInval;
  if (!m.ptr(in, uint64_t{n} * 48) || !m.ptr(out, uint64_t{n} * 32)) return wasi::kFault;
  struct Sub {
    uint64_t userdata;
    uint8_t tag;
    uint32_t fd = 0;
    uint64_t deadline = 0;  // clocks: absolute monotonic ns
  };
  std::vector<Sub> subs(n);
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  uint64_t now_ns = ns(now);
  std::optional<uint64_t> earliest;
  std::vector<pollfd> pfds;
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t p = in + 48 * i;
    Sub& sub = subs[i];
    m.load(p, sub.userdata);
    m.load(p + 8, sub.tag);
    if (sub.tag == 0) {
      uint32_t id = 0;
      uint64_t timeout = 0;
      uint16_t flags = 0;
      m.load(p + 16, id);
      m.load(p + 24, timeout);
      m.load(p + 40, flags);
      clockid_t c;
      if (!host_clock(id, c)) c = CLOCK_MONOTONIC;
      if (flags & 1) {  // absolute time on that clock: convert to a relative wait
        timespec t{};
        clock_gettime(c, &t);
        uint64_t cur = ns(t);
        timeout = timeout > cur ? timeout - cur : 0;
      }
      sub.deadline = now_ns + timeout;
      earliest = std::min(earliest.value_or(UINT64_MAX), sub.deadline);
    } else {
      m.load(p + 16, sub.fd);
      Wasi::State::Fd* f = s.fd(sub.fd);
      pollfd pf{};
      pf.fd = f ? f->host : -1;
      pf.events = sub.tag == 1 ? POLLIN : POLLOUT;
      pfds.push_back(pf);
    }
  }
  int timeout_ms = -1;
  if (earliest) timeout_ms = static_cast<int>(std::min<uint64_t>((*earliest - std::min(*earliest, now_ns) + 999'999) / 1'000'000, INT32_MAX));
  if (!pfds.empty()) {
    while (poll(pfds.data(), pfds.size(), timeout_ms) < 0 && errno == EINTR) {
    }
  } else if (earliest) {
    uint64_t wait = *earliest > now_ns ? *earliest - now_ns : 0;
    timespec t{static_cast<time_t>(wait / 1'000'000'000u), static_cast<long>(wait % 1'000'000'000u)};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &now);
  now_ns = ns(now);
  uint32_t events = 0;
  size_t k = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const Sub& sub = subs[i];
    uint16_t error = 0;
    uint64_t nbytes = 0;
    uint16_t flags = 0;
    bool ready;
    if (sub.tag == 0) {
      ready = now_ns >= sub.deadline;
    } else {
      const pollfd& pf = pfds[k++];
      if (pf.fd < 0) {
        ready = true;
        error = wasi::kBadf;
      } else {
        ready = pf.revents != 0;
        if (pf.revents & POLLHUP) flags = 1;  // fd_readwrite hangup
        if (pf.revents & POLLNVAL) error = wasi::kBadf;
        nbytes = 1;
      }
    }
    if (!ready) continue;
    uint32_t q = out + 32 * events++;
    m.store(q, sub.userdata);
    m.store(q + 8, error);
    m.store(q + 10, sub.tag);
    m.store(q + 16, nbytes);
    m.store(q + 24, flags);
  }
  return m.store(u32(a, 3), events) ? wasi::kSuccess : wasi::kFault;
}

R sock_accept(Wasi::State&, Mem&, const uint64_t*) { return wasi::kNotsup; }
R sock_recv(Wasi::State&, Mem&, const uint64_t*) { return wasi::kNotsup; }
R sock_send(Wasi::State&, Mem&, const uint64_t*) { return wasi::kNotsup; }
R sock_shutdown(Wasi::State&, Mem&, const uint64_t*) { return wasi::kNotsup; }

const WasiFunc kCore[] = {
    {"args_get", "ii", true, args_get},
    {"args_sizes_get", "ii", true, args_sizes_get},
    {"environ_get", "ii", true, environ_get},
    {"environ_sizes_get", "ii", true, environ_sizes_get},
    {"clock_res_get", "ii", true, clock_res_get},
    {"clock_time_get", "iIi", true, clock_time_get},
    {"random_get", "ii", true, random_get},
    {"proc_exit", "i", false, proc_exit},
    {"proc_raise", "i", true, proc_raise},
    {"sched_yield", "", true, sched_yield},
    {"poll_oneoff", "iiii", true, poll_oneoff},
    {"sock_accept", "iii", true, sock_accept},
    {"sock_recv", "iiiiii", true, sock_recv},
    {"sock_send", "iiiii", true, sock_send},
    {"sock_shutdown", "ii", true, sock_shutdown},
};

}  // namespace

std::span<const WasiFunc> wasi_core_funcs() { return kCore; }

Wasi::State::~State() {
  for (auto& f : fds) {
    if (f && f->owned && f->host >= 0) close(f->host);
  }
}

uint32_t Wasi::State::add(Fd f) {
  for (size_t i = 0; i < fds.size(); ++i) {
    if (!fds[i]) {
      fds[i] = std::move(f);
      return static_cast<uint32_t>(i);
    }
  }
  fds.push_back(std::move(f));
  return static_cast<uint32_t>(fds.size() - 1);
}

Wasi::Wasi(std::unique_ptr<State> s) : state_(std::move(s)) {}
Wasi::~Wasi() = default;

Expected<std::unique_ptr<Wasi>> Wasi::create(WasiOptions options) {
  auto s = std::make_unique<State>();
  for (int i = 0; i < 3; ++i) {
    State::Fd f;
    f.host = i;
    f.owned = false;
    struct stat st{};
    f.filetype = fstat(i, &st) == 0 ? wasi::filetype_of(st.st_mode) : uint8_t{wasi::kCharDevice};
    s->fds.emplace_back(f);
  }
  for (const WasiOptions::Dir& d : options.dirs) {
    int fd = open(d.host.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      return fail(Diagnostic::plain(fmt::format("cannot open directory {}: {}", d.host, std::strerror(errno))));
    }
    State::Fd f;
    f.host = fd;
    f.preopen = true;
    f.guest = d.guest;
    f.filetype = wasi::kDirectory;
    s->fds.emplace_back(f);
  }
  s->options = std::move(options);
  return std::unique_ptr<Wasi>(new Wasi(std::move(s)));
}

void Wasi::add_to(Store& store, Linker& linker) {
  State* st = state_.get();
  auto add = [&](const WasiFunc& fn) {
    bin::FuncType t;
    for (const char* p = fn.params; *p; ++p) t.params.push_back(*p == 'I' ? bin::ValType::I64 : bin::ValType::I32);
    if (fn.returns) t.results.push_back(bin::ValType::I32);
    WasiBody body = fn.body;
    const char* name = fn.name;
    Func* f = store.add_func_raw(t, [st, body, name](Caller& c, uint64_t* io) -> std::expected<void, Trap> {
      Memory* m = c.memory();
      if (!m) return std::unexpected(Trap::make(TrapKind::Host, fmt::format("{}: the caller exports no memory", name)));
      wasi::Mem mem(*m);
      auto r = body(*st, mem, io);
      if (!r) return std::unexpected(std::move(r.error()));
      io[0] = *r;
      return {};
    });
    linker.define("wasi_snapshot_preview1", fn.name, Extern::func(f));
  };
  for (const WasiFunc& fn : wasi_core_funcs()) add(fn);
  for (const WasiFunc& fn : wasi_fs_funcs()) add(fn);
}

}  // namespace witc::rt
