// Sorting: quicksort (insertion sort for short runs) of pseudo-random integers.
#include <stdint.h>
#include <stdio.h>

#define N 400000
static int32_t data[N];

static void insertion(int32_t* a, int n) {
  for (int i = 1; i < n; ++i) {
    int32_t x = a[i];
    int j = i - 1;
    while (j >= 0 && a[j] > x) {
      a[j + 1] = a[j];
      --j;
    }
    a[j + 1] = x;
  }
}

static void quicksort(int32_t* a, int n) {
  while (n > 16) {
    int32_t p = a[n / 2];
    int i = 0, j = n - 1;
    while (i <= j) {
      while (a[i] < p) ++i;
      while (a[j] > p) --j;
      if (i <= j) {
        int32_t t = a[i];
        a[i] = a[j];
        a[j] = t;
        ++i;
        --j;
      }
    }
    if (j + 1 < n - i) {
      quicksort(a, j + 1);
      a += i;
      n -= i;
    } else {
      quicksort(a + i, n - i);
      n = j + 1;
    }
  }
  insertion(a, n);
}

int main(void) {
  uint32_t seed = 42;
  uint64_t check = 0;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < N; ++i) {
      seed ^= seed << 13;
      seed ^= seed >> 17;
      seed ^= seed << 5;
      data[i] = (int32_t)(seed % 1000000);
    }
    quicksort(data, N);
    for (int i = 1; i < N; ++i)
      if (data[i - 1] > data[i]) {
        printf("not sorted at %d\n", i);
        return 1;
      }
    for (int i = 0; i < N; i += 997) check = check * 31 + (uint32_t)data[i];
  }
  printf("sorted, checksum %llu\n", (unsigned long long)check);
  return 0;
}
