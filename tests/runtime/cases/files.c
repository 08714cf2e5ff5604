// File I/O in a preopened directory: read, write, append, seek, stat,
// directories, rename, unlink, a symlink that stays inside.
// RUN: --dir {sandbox}::/data
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void* a, const void* b) { return strcmp(*(char* const*)a, *(char* const*)b); }

static void list(const char* path) {
  DIR* d = opendir(path);
  if (!d) {
    perror("opendir");
    return;
  }
  char* names[16];
  int n = 0;
  struct dirent* e;
  while ((e = readdir(d)) && n < 16) {
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) names[n++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, n, sizeof *names, cmp);
  printf("%s:", path);
  for (int i = 0; i < n; ++i) printf(" %s", names[i]);
  printf("\n");
}

int main(void) {
  char buf[128];
  FILE* f = fopen("/data/hello.txt", "r");
  if (!f || !fgets(buf, sizeof buf, f)) return 1;
  fclose(f);
  printf("read: %s", buf);

  f = fopen("/data/new.txt", "w");
  fprintf(f, "line one\n");
  fclose(f);
  f = fopen("/data/new.txt", "a");
  fprintf(f, "line two\n");
  fclose(f);
  struct stat st;
  stat("/data/new.txt", &st);
  printf("size after append: %lld, regular: %d\n", (long long)st.st_size, S_ISREG(st.st_mode));

  int fd = open("/data/new.txt", O_RDWR);
  lseek(fd, 5, SEEK_SET);
  write(fd, "ONE", 3);
  off_t pos = lseek(fd, 0, SEEK_CUR);
  pread(fd, buf, 8, 0);
  buf[8] = 0;
  printf("seek: %lld, pread: %s\n", (long long)pos, buf);
  ftruncate(fd, 8);
  fstat(fd, &st);
  printf("truncated size: %lld\n", (long long)st.st_size);
  close(fd);

  mkdir("/data/dir", 0755);
  close(open("/data/dir/b.txt", O_CREAT | O_WRONLY, 0644));
  close(open("/data/dir/a.txt", O_CREAT | O_WRONLY, 0644));
  list("/data/dir");
  rename("/data/dir/a.txt", "/data/dir/c.txt");
  list("/data/dir");
  printf("exists after rename: %d %d\n", access("/data/dir/a.txt", F_OK) == 0, access("/data/dir/c.txt", F_OK) == 0);
  unlink("/data/dir/b.txt");
  unlink("/data/dir/c.txt");
  printf("rmdir: %d\n", rmdir("/data/dir"));
  stat("/data/inner", &st);
  printf("inner is a directory: %d\n", S_ISDIR(st.st_mode));

  f = fopen("/data/ok", "r");
  if (!f || !fgets(buf, sizeof buf, f)) return 2;
  fclose(f);
  printf("through the inner symlink: %s", buf);
  symlink("new.txt", "/data/mine");
  ssize_t n = readlink("/data/mine", buf, sizeof buf - 1);
  buf[n > 0 ? n : 0] = 0;
  printf("readlink: %s\n", buf);
  unlink("/data/mine");
  unlink("/data/new.txt");
  list("/data");
  return 0;
}
