// bench-bindgen: how fast `witc bindgen cpp` generates bindings, in process.
//
//   bench-bindgen [--src DIR] [--reps N] [--warmup N] [--no-header]
//
// Loads the shipped `wit/` (the demo package and the WASI 0.2.12 set in
// `wit/deps`) once, then times `bindgen::generate_cpp` (plan, C++ emitter,
// component-type object; all in memory) for every world of the `wasi:`
// packages: one row per world and one for all of them in a row. The whole
// process (`witc bindgen cpp wit -w WORLD --out-dir DIR`, file writes
// included) is timed by bench/run.sh with `bench-wit --process`.
// Prints Markdown table rows (median and min after a warmup).
// Exit status: 0, 1 when a world fails to generate, 2 on bad usage.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "witc/bindgen/cpp.h"
#include "witc/wit/wit.h"

namespace {

using namespace witc;
using Clock = std::chrono::steady_clock;

struct Stats {
  double median_ns = 0;
  double min_ns = 0;
  int runs = 0;
};

Stats measure(int warmup, int reps, const std::function<void()>& fn) {
  for (int i = 0; i < warmup; ++i) fn();
  std::vector<double> ns;
  for (int i = 0; i < reps; ++i) {
    auto t0 = Clock::now();
    fn();
    ns.push_back(std::chrono::duration<double, std::nano>(Clock::now() - t0).count());
  }
  std::sort(ns.begin(), ns.end());
  size_t n = ns.size();
  return {n % 2 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2, ns.front(), reps};
}

std::string human(double ns) {
  char buf[32];
  if (ns < 1e6) {
    std::snprintf(buf, sizeof buf, "%.1f µs", ns / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f ms", ns / 1e6);
  }
  return buf;
}

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "bench-bindgen: %s\n", msg.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  std::string src = ".";
  int reps = 200, warmup = 20;
  bool header = true;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "bench-bindgen: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--src") {
      src = value();
    } else if (a == "--reps") {
      reps = std::max(1, std::atoi(value().c_str()));
    } else if (a == "--warmup") {
      warmup = std::atoi(value().c_str());
    } else if (a == "--no-header") {
      header = false;
    } else {
      std::fprintf(stderr, "usage: bench-bindgen [--src DIR] [--reps N] [--warmup N] [--no-header]\n");
      return 2;
    }
  }
  wit::Resolve r;
  if (auto ids = wit::load_path(r, src + "/wit"); !ids) die(render(ids.error(), &r.sources));
  std::vector<std::pair<std::string, wit::WorldId>> worlds;
  for (uint32_t p = 0; p < r.packages.size(); ++p) {
    const auto& pkg = r.packages[wit::PackageId(p)];
    if (pkg.name.ns != "wasi") continue;
    for (const auto& [name, id] : pkg.worlds) worlds.emplace_back(pkg.name.to_string() + "/" + name, id);
  }
  if (worlds.empty()) die("no wasi: worlds under " + src + "/wit");
  if (header) {
    std::printf("| benchmark | median | min | runs |\n");
    std::printf("|---|---:|---:|---:|\n");
  }
  auto gen = [&](wit::WorldId w) {
    auto files = bindgen::generate_cpp(r, w, {});
    if (!files) die(render(files.error(), &r.sources));
  };
  for (const auto& [name, id] : worlds) {
    Stats s = measure(warmup, reps, [&] { gen(id); });
    std::printf("| `generate_cpp` %s, in memory | %s | %s | %d |\n", name.c_str(), human(s.median_ns).c_str(),
                human(s.min_ns).c_str(), s.runs);
  }
  Stats all = measure(warmup / 4, std::max(1, reps / 4), [&] {
    for (const auto& w : worlds) gen(w.second);
  });
  std::printf("| `generate_cpp` all %zu WASI 0.2.12 worlds, in memory | %s | %s | %d |\n", worlds.size(),
              human(all.median_ns).c_str(), human(all.min_ns).c_str(), all.runs);
  return 0;
}
