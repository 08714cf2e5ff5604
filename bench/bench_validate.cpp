// bench-validate FILE [RUNS]: in-process read and read+validate of a core
// module or a component (told apart by the preamble's layer field), median
// and best of RUNS, as throughput (MB/s) over the file size.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <span>
#include <vector>

#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"
#include "witc/bin/reader.h"
#include "witc/bin/validate.h"

namespace {

using Clock = std::chrono::steady_clock;

template <class F>
std::pair<double, double> time_ms(int runs, F&& f) {
  std::vector<double> t;
  for (int i = 0; i < runs; ++i) {
    auto start = Clock::now();
    f();
    t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(t.begin(), t.end());
  return {t[t.size() / 2], t.front()};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench-validate FILE [RUNS]\n");
    return 2;
  }
  int runs = argc > 2 ? std::atoi(argv[2]) : 20;
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) {
    std::fprintf(stderr, "bench-validate: cannot read %s\n", argv[1]);
    return 1;
  }
  double mb = static_cast<double>(bytes.size()) / 1e6;
  bool ok = true;
  std::span<const uint8_t> view(bytes);
  // Preamble: magic, then version (2 bytes) and layer (2 bytes); layer 1 is a component.
  bool component = bytes.size() >= 8 && bytes[6] == 1 && bytes[7] == 0;
  auto read = time_ms(runs, [&] {
    ok &= component ? witc::bin::read_component(view).has_value() : witc::bin::read_module(view).has_value();
  });
  auto full = time_ms(runs, [&] {
    if (component) {
      auto c = witc::bin::read_component(view);
      ok &= c && witc::bin::validate_component(*c, witc::bin::ComponentFeatures::all()).has_value();
    } else {
      auto m = witc::bin::read_module(view);
      ok &= m && witc::bin::validate_module(*m, witc::bin::Features{}).has_value();
    }
  });
  if (!ok) {
    std::fprintf(stderr, "bench-validate: %s does not validate\n", argv[1]);
    return 1;
  }
  std::printf("| read `%s` (%.2f MB), in-process | %.2f ms | %.2f ms | %.0f MB/s |\n", argv[1], mb,
              read.first, read.second, mb / (read.first / 1e3));
  std::printf("| read + validate, in-process | %.2f ms | %.2f ms | %.0f MB/s |\n", full.first,
              full.second, mb / (full.first / 1e3));
  return 0;
}
