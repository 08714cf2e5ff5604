// --invoke calls an export with arguments parsed by the parameter types.
// RUN: --invoke mul_add -- 6 7 -0.5
__attribute__((export_name("mul_add"))) double mul_add(int a, long long b, double c) { return a * b + c; }

int main(void) { return 0; }
