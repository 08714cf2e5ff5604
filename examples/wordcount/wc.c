// A small WASI command for `witc run` (scripts/demo.sh): counts the lines,
// words and bytes of the files named by its arguments, as `wc` does, and
// prints the most frequent words. The files come through a directory the
// host preopens (`witc run --dir`); WC_TOP (environment) says how many words
// to list (default 3).
//
//   clang-19 --target=wasm32-wasi -O2 wc.c -o wc.wasm
//   witc run --dir DATA::/data --env WC_TOP=5 wc.wasm -- /data/a.txt /data/b.txt
//
// It also exports `percent(part, whole)`, for `witc run --invoke`: an integer
// division, so that `percent 1 0` traps (integer divide by zero).
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORD 64
#define TABLE_SIZE 4096  // a power of two; open addressing

struct word {
  char text[MAX_WORD];
  unsigned count;
};

static struct word table[TABLE_SIZE];
static unsigned distinct;

static void count_word(const char* text, size_t n) {
  unsigned h = 2166136261u;  // FNV-1a
  for (size_t i = 0; i < n; ++i) h = (h ^ (unsigned char)text[i]) * 16777619u;
  for (unsigned i = h & (TABLE_SIZE - 1);; i = (i + 1) & (TABLE_SIZE - 1)) {
    struct word* w = &table[i];
    if (w->count == 0) {
      if (distinct == TABLE_SIZE - 1) return;  // full: stop counting new words
      memcpy(w->text, text, n);
      w->text[n] = '\0';
      w->count = 1;
      ++distinct;
      return;
    }
    if (strncmp(w->text, text, n) == 0 && w->text[n] == '\0') {
      ++w->count;
      return;
    }
  }
}

struct counts {
  unsigned long lines, words, bytes;
};

static int count_file(const char* path, struct counts* c) {
  FILE* f = fopen(path, "r");
  if (!f) {
    fprintf(stderr, "wc: %s: %s\n", path, strerror(errno));
    return -1;
  }
  char word[MAX_WORD];
  size_t n = 0;
  int ch;
  while ((ch = fgetc(f)) != EOF) {
    ++c->bytes;
    if (ch == '\n') ++c->lines;
    if (isalnum(ch) || ch == '\'') {
      if (n < MAX_WORD - 1) word[n++] = (char)tolower(ch);
    } else if (n > 0) {
      ++c->words;
      count_word(word, n);
      n = 0;
    }
  }
  if (n > 0) {
    ++c->words;
    count_word(word, n);
  }
  fclose(f);
  return 0;
}

static int by_count(const void* a, const void* b) {
  const struct word* x = a;
  const struct word* y = b;
  if (x->count != y->count) return x->count < y->count ? 1 : -1;
  return strcmp(x->text, y->text);
}

__attribute__((export_name("percent"))) int percent(int part, int whole) { return part * 100 / whole; }

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: wc FILE...\n");
    return 2;
  }
  const char* top_env = getenv("WC_TOP");
  int top = top_env ? atoi(top_env) : 3;
  struct counts total = {0, 0, 0};
  int failed = 0;
  for (int i = 1; i < argc; ++i) {
    struct counts c = {0, 0, 0};
    if (count_file(argv[i], &c) != 0) {
      failed = 1;
      continue;
    }
    printf("%7lu %7lu %7lu %s\n", c.lines, c.words, c.bytes, argv[i]);
    total.lines += c.lines;
    total.words += c.words;
    total.bytes += c.bytes;
  }
  if (argc > 2) printf("%7lu %7lu %7lu total\n", total.lines, total.words, total.bytes);
  if (total.words > 0 && top > 0) {
    qsort(table, TABLE_SIZE, sizeof table[0], by_count);
    printf("most frequent of %u distinct words:", distinct);
    for (int i = 0; i < top && i < (int)distinct; ++i) {
      printf(" %s (%u, %d%%)", table[i].text, table[i].count, percent((int)table[i].count, (int)total.words));
    }
    printf("\n");
  }
  return failed;
}
