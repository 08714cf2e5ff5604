// Dense matrix multiplication in double precision (i-k-j order).
#include <stdio.h>

#define N 256
static double a[N][N], b[N][N], c[N][N];

int main(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      a[i][j] = (double)((i * 7 + j * 3) % 17) / 8.0;
      b[i][j] = (double)((i * 5 + j * 11) % 13) / 4.0;
    }
  for (int rep = 0; rep < 12; ++rep) {
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j) c[i][j] = 0;
    for (int i = 0; i < N; ++i)
      for (int k = 0; k < N; ++k) {
        double x = a[i][k];
        for (int j = 0; j < N; ++j) c[i][j] += x * b[k][j];
      }
  }
  double sum = 0;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) sum += c[i][j] * (double)((i + j) % 5);
  printf("checksum %.6f\n", sum);
  return 0;
}
