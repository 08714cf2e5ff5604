// Nothing outside the preopened directory is reachable: `..`, symlinks that
// point out (relative or absolute), absolute paths; each refused with
// ENOTCAPABLE, while paths that stay inside work.
// RUN: --dir {sandbox}::.
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wasi/api.h>

static void try_open(const char* path) {
  errno = 0;
  int fd = open(path, O_RDONLY);
  if (fd >= 0) {
    char buf[64] = {0};
    read(fd, buf, sizeof buf - 1);
    close(fd);
    printf("open %-28s -> read: %s", path, buf);
  } else {
    printf("open %-28s -> %s\n", path, errno == ENOTCAPABLE ? "ENOTCAPABLE" : strerror(errno));
  }
}

static void result(const char* what, int r) {
  printf("%-33s -> %s\n", what, r == 0 ? "ok" : errno == ENOTCAPABLE ? "ENOTCAPABLE" : strerror(errno));
}

int main(void) {
  try_open("hello.txt");
  try_open("inner/../hello.txt");
  try_open("ok");
  try_open("../outside/secret.txt");
  try_open("inner/../../outside/secret.txt");
  try_open("up");
  try_open("abs");
  // The same requests made directly, past wasi-libc's own path handling:
  // the host refuses them (descriptor 3 is the preopened directory).
  const char* raw[] = {"/etc/passwd", "../outside/secret.txt", "up", "inner/../.."};
  for (int i = 0; i < 4; ++i) {
    __wasi_fd_t fd;
    __wasi_errno_t e = __wasi_path_open(3, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, raw[i], 0,
                                        __WASI_RIGHTS_FD_READ, 0, 0, &fd);
    printf("path_open %-23s -> %s\n", raw[i], e == __WASI_ERRNO_NOTCAPABLE ? "NOTCAPABLE" : e == 0 ? "OPENED" : "other");
  }
  struct stat st;
  result("lstat up (the link itself)", lstat("up", &st));
  result("stat up (follows it out)", stat("up", &st));
  result("mkdir ../evil", mkdir("../evil", 0755));
  result("rename hello.txt ../outside/x", rename("hello.txt", "../outside/x"));
  result("symlink ../outside/secret.txt", symlink("../outside/secret.txt", "mine"));
  try_open("mine");
  result("unlink ../outside/secret.txt", unlink("../outside/secret.txt"));
  int fd = open("../outside/secret.txt", O_WRONLY | O_TRUNC);
  printf("%-33s -> %s\n", "truncate ../outside/secret.txt", fd < 0 && errno == ENOTCAPABLE ? "ENOTCAPABLE" : "OPENED");
  return 0;
}
