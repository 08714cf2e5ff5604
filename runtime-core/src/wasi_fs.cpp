// WASI preview 1: descriptors and paths. Every path is resolved beneath the
// directory descriptor it is relative to (wasi_impl.h, open_beneath).
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <atomic>
#include <cerrno>
#include <deque>

#include "wasi_impl.h"

namespace witc::rt {

namespace wasi {

namespace {

// Set when the kernel has no openat2 (or a filter refuses it); the
// environment variable WITC_WASI_NO_OPENAT2=1 forces the walk (for tests).
std::atomic<bool> g_no_openat2{[] {
  const char* e = std::getenv("WITC_WASI_NO_OPENAT2");
  return e && *e && *e != '0';
}()};

std::deque<std::string> components(std::string_view path) {
  std::deque<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// The walk for kernels without openat2 (or where it is filtered): one
// component at a time with O_NOFOLLOW, ".." on our own stack of directory
// descriptors (never above root), symlinks read and spliced in (absolute
// targets refused), at most 40 of them.
int walk_open(int root, const std::string& path, int flags, unsigned mode) {
  if (!path.empty() && path[0] == '/') return -EXDEV;
  std::deque<std::string> comps = components(path);
  std::vector<int> stack;
  auto cur = [&] { return stack.empty() ? root : stack.back(); };
  auto cleanup = [&](int r) {
    for (int fd : stack) close(fd);
    return r;
  };
  bool follow_last = (flags & O_NOFOLLOW) == 0;
  int links = 0;
  if (comps.empty()) {
    int fd = openat(root, ".", flags & ~O_CREAT, mode);
    return fd < 0 ? -errno : fd;
  }
  while (!comps.empty()) {
    std::string name = std::move(comps.front());
    comps.pop_front();
    bool last = comps.empty();
    if (name == "." || name == "..") {
      if (name == "..") {
        if (stack.empty()) return cleanup(-EXDEV);
        close(stack.back());
        stack.pop_back();
      }
      if (last) {
        int fd = openat(cur(), ".", flags & ~O_CREAT, mode);
        return cleanup(fd < 0 ? -errno : fd);
      }
      continue;
    }
    struct stat st{};
    bool exists = fstatat(cur(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0;
    if (exists && S_ISLNK(st.st_mode) && (!last || follow_last)) {
      if (++links > 40) return cleanup(-ELOOP);
      char buf[4096];
      ssize_t n = readlinkat(cur(), name.c_str(), buf, sizeof buf);
      if (n < 0) return cleanup(-errno);
      std::string target(buf, static_cast<size_t>(n));
      if (!target.empty() && target[0] == '/') return cleanup(-EXDEV);
      std::deque<std::string> t = components(target);
      if (t.empty()) t.push_back(".");
      comps.insert(comps.begin(), t.begin(), t.end());
      continue;
    }
    if (!last) {
      int fd = openat(cur(), name.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) return cleanup(-errno);
      stack.push_back(fd);
      continue;
    }
    int fd = openat(cur(), name.c_str(), flags | O_NOFOLLOW, mode);
    return cleanup(fd < 0 ? -errno : fd);
  }
  return cleanup(-ENOENT);
}

}  // namespace

int open_beneath(int root, const std::string& path, int flags, unsigned mode) {
  if (path.empty()) return -ENOENT;
  if (path.find('\0') != std::string::npos) return -EINVAL;
  flags |= O_CLOEXEC;
  if (!g_no_openat2.load(std::memory_order_relaxed)) {
    open_how how{};
    how.flags = static_cast<uint64_t>(flags);
    how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    for (;;) {
      long r = syscall(SYS_openat2, root, path.c_str(), &how, sizeof how);
      if (r >= 0) return static_cast<int>(r);
      if (errno == EINTR || errno == EAGAIN) continue;
      if (errno != ENOSYS) return -errno;
      g_no_openat2.store(true, std::memory_order_relaxed);
      break;
    }
  }
  return walk_open(root, path, flags, mode);
}

int parent_beneath(int root, const std::string& path, std::string& last) {
  std::string_view p = path;
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  if (p.empty()) return -ENOENT;
  size_t slash = p.rfind('/');
  std::string dir(slash == std::string_view::npos ? std::string_view(".") : p.substr(0, slash));
  if (dir.empty()) dir.assign(1, '/');  // "/name": absolute, refused below
  last.assign(slash == std::string_view::npos ? p : p.substr(slash + 1));
  if (last.empty() || last == "." || last == "..") return -EINVAL;
  return open_beneath(root, dir, O_PATH | O_DIRECTORY, 0);
}

}  // namespace wasi

namespace {

using wasi::Mem;
using R = std::expected<uint32_t, Trap>;
using Fd = Wasi::State::Fd;

uint32_t u32(const uint64_t* a, int i) { return static_cast<uint32_t>(a[i]); }

// A resolution error: escaping the directory is "not capable".
uint32_t path_errno(int neg) { return neg == -EXDEV ? wasi::kNotcapable : wasi::errno_of(-neg); }

// "/proc/self/fd/N": reaches an O_PATH descriptor where a call needs a path.
std::string proc_path(int fd) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "/proc/self/fd/%d", fd);
  return buf;
}

// Every right (preview 1 rights are advisory here: the host enforces access).
constexpr uint64_t kAllRights = (uint64_t{1} << 30) - 1;

struct Iovecs {
  std::vector<iovec> v;
  bool ok = true;
};
Iovecs iovecs(Mem& m, uint32_t ptr, uint32_t n) {
  Iovecs r;
  if (!m.ptr(ptr, uint64_t{n} * 8)) {
    r.ok = false;
    return r;
  }
  for (uint32_t i = 0; i < n; ++i) {
    uint32_t buf = 0, len = 0;
    m.load(ptr + 8 * i, buf);
    m.load(ptr + 8 * i + 4, len);
    uint8_t* p = m.ptr(buf, len);
    if (!p) {
      r.ok = false;
      return r;
    }
    r.v.push_back({p, len});
  }
  return r;
}

// filestat: dev, ino, filetype (u8), nlink, size, atim, mtim, ctim (64 bytes).
bool put_filestat(Mem& m, uint32_t p, const struct stat& st) {
  if (!m.ptr(p, 64)) return false;
  std::memset(m.ptr(p, 64), 0, 64);
  m.store<uint64_t>(p, st.st_dev);
  m.store<uint64_t>(p + 8, st.st_ino);
  m.store<uint8_t>(p + 16, wasi::filetype_of(st.st_mode));
  m.store<uint64_t>(p + 24, st.st_nlink);
  m.store<uint64_t>(p + 32, static_cast<uint64_t>(st.st_size));
  auto ns = [](const timespec& t) { return static_cast<uint64_t>(t.tv_sec) * 1'000'000'000u + static_cast<uint64_t>(t.tv_nsec); };
  m.store<uint64_t>(p + 40, ns(st.st_atim));
  m.store<uint64_t>(p + 48, ns(st.st_mtim));
  m.store<uint64_t>(p + 56, ns(st.st_ctim));
  return true;
}

// fstflags: ATIM 1, ATIM_NOW 2, MTIM 4, MTIM_NOW 8.
bool times_of(uint64_t atim, uint64_t mtim, uint32_t flags, timespec out[2]) {
  if (((flags & 1) && (flags & 2)) || ((flags & 4) && (flags & 8))) return false;
  auto set = [](timespec& t, uint64_t v, bool given, bool now) {
    if (now) {
      t.tv_sec = 0;
      t.tv_nsec = UTIME_NOW;
    } else if (given) {
      t.tv_sec = static_cast<time_t>(v / 1'000'000'000u);
      t.tv_nsec = static_cast<long>(v % 1'000'000'000u);
    } else {
      t.tv_sec = 0;
      t.tv_nsec = UTIME_OMIT;
    }
  };
  set(out[0], atim, flags & 1, flags & 2);
  set(out[1], mtim, flags & 4, flags & 8);
  return true;
}

#define WITC_FD(var, n)                   \
  Fd* var = s.fd(n);                      \
  if (!var) return wasi::kBadf;

R fd_advise(Wasi::State& s, Mem&, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  if (f->filetype == wasi::kDirectory) return wasi::kBadf;
  int advice[] = {POSIX_FADV_NORMAL, POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM, POSIX_FADV_WILLNEED,
                  POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE};
  if (u32(a, 3) > 5) return wasi::kInval;
  posix_fadvise(f->host, static_cast<off_t>(a[1]), static_cast<off_t>(a[2]), advice[u32(a, 3)]);
  return wasi::kSuccess;
}

R fd_allocate(Wasi::State& s, Mem&, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  int r = posix_fallocate(f->host, static_cast<off_t>(a[1]), static_cast<off_t>(a[2]));
  return wasi::errno_of(r);
}

R fd_close(Wasi::State& s, Mem&, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  if (f->owned) close(f->host);
  s.fds[u32(a, 0)].reset();
  return wasi::kSuccess;
}

R fd_datasync(Wasi::State& s, Mem&, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  return fdatasync(f->host) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

R fd_sync(Wasi::State& s, Mem&, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  return fsync(f->host) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

// fdstat: filetype u8, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16.
R fd_fdstat_get(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  uint32_t p = u32(a, 1);
  if (!m.ptr(p, 24)) return wasi::kFault;
  int fl = fcntl(f->host, F_GETFL);
  uint16_t flags = 0;
  if (fl >= 0) {
    if (fl & O_APPEND) flags |= 1;
    if (fl & O_DSYNC) flags |= 2;
    if (fl & O_NONBLOCK) flags |= 4;
    if (fl & O_SYNC) flags |= 16;
  }
  std::memset(m.ptr(p, 24), 0, 24);
  m.store<uint8_t>(p, f->filetype);
  m.store<uint16_t>(p + 2, flags);
  m.store<uint64_t>(p + 8, kAllRights);
  m.store<uint64_t>(p + 16, kAllRights);
  return wasi::kSuccess;
}

R fd_fdstat_set_flags(Wasi::State& s, Mem&, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  uint32_t flags = u32(a, 1);
  int fl = fcntl(f->host, F_GETFL);
  if (fl < 0) return wasi::errno_of(errno);
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags & 1) fl |= O_APPEND;
  if (flags & 4) fl |= O_NONBLOCK;
  if (flags & (2 | 8 | 16)) return wasi::kNotsup;
  return fcntl(f->host, F_SETFL, fl) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

R fd_fdstat_set_rights(Wasi::State& s, Mem&, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  (void)f;
  return wasi::kSuccess;
}

R fd_filestat_get(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  struct stat st{};
  if (fstat(f->host, &st) != 0) return wasi::errno_of(errno);
  return put_filestat(m, u32(a, 1), st) ? wasi::kSuccess : wasi::kFault;
}

R fd_filestat_set_size(Wasi::State& s, Mem&, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  return ftruncate(f->host, static_cast<off_t>(a[1])) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

R fd_filestat_set_times(Wasi::State& s, Mem&, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  timespec t[2];
  if (!times_of(a[1], a[2], u32(a, 3), t)) return wasi::kInval;
  return futimens(f->host, t) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

R fd_read(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  Iovecs io = iovecs(m, u32(a, 1), u32(a, 2));
  if (!io.ok) return wasi::kFault;
  ssize_t n;
  do {
    n = readv(f->host, io.v.data(), static_cast<int>(io.v.size()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return wasi::errno_of(errno);
  return m.store<uint32_t>(u32(a, 3), static_cast<uint32_t>(n)) ? wasi::kSuccess : wasi::kFault;
}

R fd_pread(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  Iovecs io = iovecs(m, u32(a, 1), u32(a, 2));
  if (!io.ok) return wasi::kFault;
  ssize_t n = preadv(f->host, io.v.data(), static_cast<int>(io.v.size()), static_cast<off_t>(a[3]));
  if (n < 0) return wasi::errno_of(errno);
  return m.store<uint32_t>(u32(a, 4), static_cast<uint32_t>(n)) ? wasi::kSuccess : wasi::kFault;
}

R fd_write(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  Iovecs io = iovecs(m, u32(a, 1), u32(a, 2));
  if (!io.ok) return wasi::kFault;
  ssize_t n;
  do {
    n = writev(f->host, io.v.data(), static_cast<int>(io.v.size()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return wasi::errno_of(errno);
  return m.store<uint32_t>(u32(a, 3), static_cast<uint32_t>(n)) ? wasi::kSuccess : wasi::kFault;
}

R fd_pwrite(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  Iovecs io = iovecs(m, u32(a, 1), u32(a, 2));
  if (!io.ok) return wasi::kFault;
  ssize_t n = pwritev(f->host, io.v.data(), static_cast<int>(io.v.size()), static_cast<off_t>(a[3]));
  if (n < 0) return wasi::errno_of(errno);
  return m.store<uint32_t>(u32(a, 4), static_cast<uint32_t>(n)) ? wasi::kSuccess : wasi::kFault;
}

// prestat: tag u8 (0 = dir), name length u32 @4.
R fd_prestat_get(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  if (!f->preopen) return wasi::kBadf;
  uint32_t p = u32(a, 1);
  if (!m.ptr(p, 8)) return wasi::kFault;
  m.store<uint32_t>(p, 0);
  m.store<uint32_t>(p + 4, static_cast<uint32_t>(f->guest.size()));
  return wasi::kSuccess;
}

R fd_prestat_dir_name(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  if (!f->preopen) return wasi::kBadf;
  uint32_t len = u32(a, 2);
  if (len < f->guest.size()) return wasi::kNametoolong;
  uint8_t* p = m.ptr(u32(a, 1), f->guest.size());
  if (!p) return wasi::kFault;
  std::memcpy(p, f->guest.data(), f->guest.size());
  return wasi::kSuccess;
}

// fd_readdir(fd, buf, len, cookie, bufused): dirent is next u64, ino u64,
// namlen u32, type u8 (24 bytes), then the name. The cookie is the index of
// the next entry; a full buffer means "more may follow".
R fd_readdir(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  uint32_t buf = u32(a, 1), len = u32(a, 2);
  uint64_t cookie = a[3];
  uint8_t* out = m.ptr(buf, len);
  if (!out) return wasi::kFault;
  int dupfd = openat(f->host, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dupfd < 0) return wasi::errno_of(errno);
  DIR* d = fdopendir(dupfd);
  if (!d) {
    close(dupfd);
    return wasi::errno_of(errno);
  }
  uint32_t used = 0;
  uint64_t index = 0;
  while (used < len) {
    errno = 0;
    dirent* e = readdir(d);
    if (!e) break;
    if (index++ < cookie) continue;
    uint8_t type = wasi::kUnknown;
    switch (e->d_type) {
      case DT_BLK: type = wasi::kBlockDevice; break;
      case DT_CHR: type = wasi::kCharDevice; break;
      case DT_DIR: type = wasi::kDirectory; break;
      case DT_REG: type = wasi::kRegularFile; break;
      case DT_SOCK: type = wasi::kSocketStream; break;
      case DT_LNK: type = wasi::kSymlink; break;
      default: break;
    }
    uint32_t namlen = static_cast<uint32_t>(std::strlen(e->d_name));
    uint8_t head[24] = {};
    uint64_t next = index, ino = e->d_ino;
    std::memcpy(head, &next, 8);
    std::memcpy(head + 8, &ino, 8);
    std::memcpy(head + 16, &namlen, 4);
    head[20] = type;
    uint32_t n = std::min<uint32_t>(24, len - used);
    std::memcpy(out + used, head, n);
    used += n;
    n = std::min<uint32_t>(namlen, len - used);
    std::memcpy(out + used, e->d_name, n);
    used += n;
  }
  closedir(d);
  return m.store<uint32_t>(u32(a, 4), used) ? wasi::kSuccess : wasi::kFault;
}

R fd_renumber(Wasi::State& s, Mem&, const uint64_t* a) {
  uint32_t from = u32(a, 0), to = u32(a, 1);
  WITC_FD(f, from);
  WITC_FD(t, to);
  if (from == to) return wasi::kSuccess;
  if (t->owned) close(t->host);
  s.fds[to] = std::move(s.fds[from]);
  s.fds[from].reset();
  return wasi::kSuccess;
}

R fd_seek(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  int whence;
  switch (u32(a, 2)) {
    case 0: whence = SEEK_SET; break;
    case 1: whence = SEEK_CUR; break;
    case 2: whence = SEEK_END; break;
    default: return wasi::kInval;
  }
  if (f->filetype == wasi::kDirectory) return wasi::kBadf;
  off_t r = lseek(f->host, static_cast<off_t>(a[1]), whence);
  if (r < 0) return wasi::errno_of(errno);
  return m.store<uint64_t>(u32(a, 3), static_cast<uint64_t>(r)) ? wasi::kSuccess : wasi::kFault;
}

R fd_tell(Wasi::State& s, Mem& m, const uint64_t* a) {
  WITC_FD(f, u32(a, 0));
  off_t r = lseek(f->host, 0, SEEK_CUR);
  if (r < 0) return wasi::errno_of(errno);
  return m.store<uint64_t>(u32(a, 1), static_cast<uint64_t>(r)) ? wasi::kSuccess : wasi::kFault;
}

// ---- paths ---------------------------------------------------------------------

// The directory descriptor and guest path of a path operation.
struct PathArg {
  Fd* dir = nullptr;
  std::string path;
  uint32_t err = 0;
};
PathArg path_arg(Wasi::State& s, Mem& m, uint32_t fd, uint32_t ptr, uint32_t len) {
  PathArg p;
  p.dir = s.fd(fd);
  if (!p.dir) {
    p.err = wasi::kBadf;
    return p;
  }
  if (p.dir->filetype != wasi::kDirectory) {
    p.err = wasi::kNotdir;
    return p;
  }
  auto str = m.string(ptr, len);
  if (!str) {
    p.err = wasi::kFault;
    return p;
  }
  p.path = std::move(*str);
  return p;
}

// A parent directory descriptor that closes itself.
struct Parent {
  int fd = -1;
  std::string last;
  ~Parent() {
    if (fd >= 0) close(fd);
  }
};
uint32_t open_parent(const PathArg& p, Parent& out) {
  int fd = wasi::parent_beneath(p.dir->host, p.path, out.last);
  if (fd < 0) return path_errno(fd);
  out.fd = fd;
  return wasi::kSuccess;
}

R path_create_directory(Wasi::State& s, Mem& m, const uint64_t* a) {
  PathArg p = path_arg(s, m, u32(a, 0), u32(a, 1), u32(a, 2));
  if (p.err) return p.err;
  Parent parent;
  if (uint32_t e = open_parent(p, parent)) return e;
  return mkdirat(parent.fd, parent.last.c_str(), 0777) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

R path_filestat_get(Wasi::State& s, Mem& m, const uint64_t* a) {
  PathArg p = path_arg(s, m, u32(a, 0), u32(a, 2), u32(a, 3));
  if (p.err) return p.err;
  bool follow = u32(a, 1) & 1;
  int fd = wasi::open_beneath(p.dir->host, p.path, O_PATH | (follow ? 0 : O_NOFOLLOW), 0);
  if (fd < 0) return path_errno(fd);
  struct stat st{};
  int r = fstat(fd, &st);
  int err = errno;
  close(fd);
  if (r != 0) return wasi::errno_of(err);
  return put_filestat(m, u32(a, 4), st) ? wasi::kSuccess : wasi::kFault;
}

R path_filestat_set_times(Wasi::State& s, Mem& m, const uint64_t* a) {
  PathArg p = path_arg(s, m, u32(a, 0), u32(a, 2), u32(a, 3));
  if (p.err) return p.err;
  timespec t[2];
  if (!times_of(a[4], a[5], u32(a, 6), t)) return wasi::kInval;
  bool follow = u32(a, 1) & 1;
  int fd = wasi::open_beneath(p.dir->host, p.path, O_PATH | (follow ? 0 : O_NOFOLLOW), 0);
  if (fd < 0) return path_errno(fd);
  // Through /proc: utimensat cannot take an O_PATH descriptor directly.
  std::string proc = proc_path(fd);
  int r = utimensat(AT_FDCWD, proc.c_str(), t, 0);
  int err = errno;
  close(fd);
  return r == 0 ? wasi::kSuccess : wasi::errno_of(err);
}

R path_link(Wasi::State& s, Mem& m, const uint64_t* a) {
  PathArg from = path_arg(s, m, u32(a, 0), u32(a, 2), u32(a, 3));
  if (from.err) return from.err;
  PathArg to = path_arg(s, m, u32(a, 4), u32(a, 5), u32(a, 6));
  if (to.err) return to.err;
  Parent dst;
  if (uint32_t e = open_parent(to, dst)) return e;
  if (u32(a, 1) & 1) {  // follow: link what the path resolves to (beneath its directory)
    int fd = wasi::open_beneath(from.dir->host, from.path, O_PATH, 0);
    if (fd < 0) return path_errno(fd);
    std::string proc = proc_path(fd);
    int r = linkat(AT_FDCWD, proc.c_str(), dst.fd, dst.last.c_str(), AT_SYMLINK_FOLLOW);
    int err = errno;
    close(fd);
    return r == 0 ? wasi::kSuccess : wasi::errno_of(err);
  }
  Parent src;
  if (uint32_t e = open_parent(from, src)) return e;
  return linkat(src.fd, src.last.c_str(), dst.fd, dst.last.c_str(), 0) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

// path_open(fd, dirflags, path, len, oflags, rights, rights_inheriting, fdflags, out)
R path_open(Wasi::State& s, Mem& m, const uint64_t* a) {
  PathArg p = path_arg(s, m, u32(a, 0), u32(a, 2), u32(a, 3));
  if (p.err) return p.err;
  uint32_t dirflags = u32(a, 1), oflags = u32(a, 4), fdflags = u32(a, 7);
  uint64_t rights = a[5];
  constexpr uint64_t kRead = (1u << 1) | (1u << 14);  // fd_read, fd_readdir
  constexpr uint64_t kWrite = (1u << 6) | (1u << 22) | (1u << 8);  // fd_write, fd_filestat_set_size, fd_allocate
  bool r = rights & kRead, w = rights & kWrite;
  int flags = (r && w) ? O_RDWR : w ? O_WRONLY : O_RDONLY;
  if (oflags & 1) flags |= O_CREAT;
  if (oflags & 2) flags |= O_DIRECTORY;
  if (oflags & 4) flags |= O_EXCL;
  if (oflags & 8) flags |= O_TRUNC;
  if (fdflags & 1) flags |= O_APPEND;
  if (fdflags & 2) flags |= O_DSYNC;
  if (fdflags & 4) flags |= O_NONBLOCK;
  if (fdflags & 16) flags |= O_SYNC;
  if (!(dirflags & 1)) flags |= O_NOFOLLOW;
  if ((oflags & 2) && (flags & (O_WRONLY | O_RDWR))) flags &= ~(O_WRONLY | O_RDWR);
  flags |= O_NOCTTY;
  int fd = wasi::open_beneath(p.dir->host, p.path, flags, 0666);
  if (fd == -EISDIR && !(oflags & 2) && w) return wasi::kIsdir;
  if (fd < 0) return path_errno(fd);
  struct stat st{};
  fstat(fd, &st);
  Fd f;
  f.host = fd;
  f.filetype = wasi::filetype_of(st.st_mode);
  uint32_t n = s.add(std::move(f));
  if (!m.store<uint32_t>(u32(a, 8), n)) {
    close(fd);
    s.fds[n].reset();
    return wasi::kFault;
  }
  return wasi::kSuccess;
}

R path_readlink(Wasi::State& s, Mem& m, const uint64_t* a) {
  PathArg p = path_arg(s, m, u32(a, 0), u32(a, 1), u32(a, 2));
  if (p.err) return p.err;
  Parent parent;
  if (uint32_t e = open_parent(p, parent)) return e;
  uint32_t len = u32(a, 4);
  uint8_t* buf = m.ptr(u32(a, 3), len);
  if (!buf) return wasi::kFault;
  ssize_t n = readlinkat(parent.fd, parent.last.c_str(), reinterpret_cast<char*>(buf), len);
  if (n < 0) return wasi::errno_of(errno);
  return m.store<uint32_t>(u32(a, 5), static_cast<uint32_t>(n)) ? wasi::kSuccess : wasi::kFault;
}

R path_remove_directory(Wasi::State& s, Mem& m, const uint64_t* a) {
  PathArg p = path_arg(s, m, u32(a, 0), u32(a, 1), u32(a, 2));
  if (p.err) return p.err;
  Parent parent;
  if (uint32_t e = open_parent(p, parent)) return e;
  return unlinkat(parent.fd, parent.last.c_str(), AT_REMOVEDIR) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

R path_rename(Wasi::State& s, Mem& m, const uint64_t* a) {
  PathArg from = path_arg(s, m, u32(a, 0), u32(a, 1), u32(a, 2));
  if (from.err) return from.err;
  PathArg to = path_arg(s, m, u32(a, 3), u32(a, 4), u32(a, 5));
  if (to.err) return to.err;
  Parent src, dst;
  if (uint32_t e = open_parent(from, src)) return e;
  if (uint32_t e = open_parent(to, dst)) return e;
  return renameat(src.fd, src.last.c_str(), dst.fd, dst.last.c_str()) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

// path_symlink(old_path, old_len, fd, new_path, new_len): the link's
// contents are data; following it later is what the sandbox checks.
R path_symlink(Wasi::State& s, Mem& m, const uint64_t* a) {
  auto target = m.string(u32(a, 0), u32(a, 1));
  if (!target) return wasi::kFault;
  PathArg p = path_arg(s, m, u32(a, 2), u32(a, 3), u32(a, 4));
  if (p.err) return p.err;
  if (target->find('\0') != std::string::npos) return wasi::kInval;
  Parent parent;
  if (uint32_t e = open_parent(p, parent)) return e;
  return symlinkat(target->c_str(), parent.fd, parent.last.c_str()) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

R path_unlink_file(Wasi::State& s, Mem& m, const uint64_t* a) {
  PathArg p = path_arg(s, m, u32(a, 0), u32(a, 1), u32(a, 2));
  if (p.err) return p.err;
  Parent parent;
  if (uint32_t e = open_parent(p, parent)) return e;
  return unlinkat(parent.fd, parent.last.c_str(), 0) == 0 ? wasi::kSuccess : wasi::errno_of(errno);
}

#undef WITC_FD

const WasiFunc kFs[] = {
    {"fd_advise", "iIIi", true, fd_advise},
    {"fd_allocate", "iII", true, fd_allocate},
    {"fd_close", "i", true, fd_close},
    {"fd_datasync", "i", true, fd_datasync},
    {"fd_fdstat_get", "ii", true, fd_fdstat_get},
    {"fd_fdstat_set_flags", "ii", true, fd_fdstat_set_flags},
    {"fd_fdstat_set_rights", "iII", true, fd_fdstat_set_rights},
    {"fd_filestat_get", "ii", true, fd_filestat_get},
    {"fd_filestat_set_size", "iI", true, fd_filestat_set_size},
    {"fd_filestat_set_times", "iIIi", true, fd_filestat_set_times},
    {"fd_pread", "iiiIi", true, fd_pread},
    {"fd_prestat_get", "ii", true, fd_prestat_get},
    {"fd_prestat_dir_name", "iii", true, fd_prestat_dir_name},
    {"fd_pwrite", "iiiIi", true, fd_pwrite},
    {"fd_read", "iiii", true, fd_read},
    {"fd_readdir", "iiiIi", true, fd_readdir},
    {"fd_renumber", "ii", true, fd_renumber},
    {"fd_seek", "iIii", true, fd_seek},
    {"fd_sync", "i", true, fd_sync},
    {"fd_tell", "ii", true, fd_tell},
    {"fd_write", "iiii", true, fd_write},
    {"path_create_directory", "iii", true, path_create_directory},
    {"path_filestat_get", "iiiii", true, path_filestat_get},
    {"path_filestat_set_times", "iiiiIIi", true, path_filestat_set_times},
    {"path_link", "iiiiiii", true, path_link},
    {"path_open", "iiiiiIIii", true, path_open},
    {"path_readlink", "iiiiii", true, path_readlink},
    {"path_remove_directory", "iii", true, path_remove_directory},
    {"path_rename", "iiiiii", true, path_rename},
    {"path_symlink", "iiiii", true, path_symlink},
    {"path_unlink_file", "iii", true, path_unlink_file},
};

}  // namespace

std::span<const WasiFunc> wasi_fs_funcs() { return kFs; }

}  // namespace witc::rt
