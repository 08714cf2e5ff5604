// bench-wit: how fast the WIT front end is, in process and as a whole process.
//
//   bench-wit [--src DIR] [--corpus DIR] [--reps N] [--warmup N] [--filter TEXT] [--no-header]
//   bench-wit --process N [--label TEXT] [--target-ms X] [--no-header] -- CMD [ARGS...]
//
// The first form times, in process, each of:
//   - parse+resolve of the WASI set (`wit/deps/*`), texts already in memory,
//     one Resolve, packages loaded in dependency order;
//   - `load_path("wit/")`: the shipped package with its deps, file reads included;
//   - `to_json` and `print` of the WASI set;
//   - parse+resolve of every passing case of the wit-parser corpus (skipping
//     `parse-fail`, `.wat` and `kinds-of-deps`, which need the decoder).
// The second form starts CMD N times (stdout and stderr to /dev/null) and
// times each run from spawn to exit.
// Each prints Markdown table rows: median and min of N repetitions after a
// warmup; --filter keeps the rows whose name contains TEXT (for profiling).
// Exit status: 0, 1 when an input fails to load, 2 on bad usage.
#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "witc/wit/wit.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace witc;
using Clock = std::chrono::steady_clock;

struct Stats {
  double median_ns = 0;
  double min_ns = 0;
  int runs = 0;
};

// Runs `fn` `warmup` times untimed, then `reps` times timed.
Stats measure(int warmup, int reps, const std::function<void()>& fn) {
  for (int i = 0; i < warmup; ++i) fn();
  std::vector<double> ns;
  ns.reserve(static_cast<size_t>(reps));
  for (int i = 0; i < reps; ++i) {
    auto t0 = Clock::now();
    fn();
    auto t1 = Clock::now();
    ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
  }
  std::sort(ns.begin(), ns.end());
  size_t n = ns.size();
  double median = n % 2 ? ns[n / 2] : (ns[n / 2 - 1] + ns[n / 2]) / 2;
  return {median, ns.front(), reps};
}

std::string human(double ns) {
  char buf[32];
  if (ns < 1e3) std::snprintf(buf, sizeof buf, "%.0f ns", ns);
  else if (ns < 1e6) std::snprintf(buf, sizeof buf, "%.1f µs", ns / 1e3);
  else if (ns < 1e9) std::snprintf(buf, sizeof buf, "%.2f ms", ns / 1e6);
  else std::snprintf(buf, sizeof buf, "%.2f s", ns / 1e9);
  return buf;
}

void header() {
  std::printf("| benchmark | median | min | runs | target |\n");
  std::printf("|---|---:|---:|---:|---|\n");
}

void row(const std::string& name, const Stats& s, std::optional<double> target_ms = {}) {
  std::string target = "";
  if (target_ms) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "< %g ms: %s", *target_ms,
                  s.median_ns < *target_ms * 1e6 ? "met" : "**missed**");
    target = buf;
  }
  std::printf("| %s | %s | %s | %d | %s |\n", name.c_str(), human(s.median_ns).c_str(),
              human(s.min_ns).c_str(), s.runs, target.c_str());
  std::fflush(stdout);
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

[[noreturn]] void die(const std::string& msg) {
  std::fprintf(stderr, "bench-wit: %s\n", msg.c_str());
  std::exit(1);
}

// ---- the WASI set -----------------------------------------------------------

struct PackageText {
  std::string name;  // "wasi:io"
  std::string path;
  std::string text;
  std::set<std::string> uses;  // other packages it names ("wasi:clocks")
};

// One `.wit` file per package under `deps`, ordered so dependencies come first
// (by the `ns:pkg/` references in the text).
std::vector<PackageText> wasi_packages(const fs::path& deps) {
  std::vector<PackageText> pkgs;
  static const std::regex header(R"(package\s+([a-z0-9-]+:[a-z0-9-]+))");
  static const std::regex ref(R"(([a-z0-9-]+:[a-z0-9-]+)/)");
  std::vector<fs::path> entries;
  for (const auto& e : fs::directory_iterator(deps)) entries.push_back(e.path());
  std::sort(entries.begin(), entries.end());
  for (const auto& p : entries) {
    std::vector<fs::path> files;
    if (fs::is_directory(p)) {
      for (const auto& f : fs::directory_iterator(p))
        if (f.path().extension() == ".wit") files.push_back(f.path());
    } else if (p.extension() == ".wit") {
      files.push_back(p);
    }
    if (files.empty()) continue;
    if (files.size() != 1) die(p.string() + ": expected one .wit file per package");
    PackageText t;
    t.path = files[0].string();
    t.text = read_file(files[0]).value_or("");
    std::smatch m;
    if (!std::regex_search(t.text, m, header)) die(t.path + ": no package header");
    t.name = m[1];
    for (auto it = std::sregex_iterator(t.text.begin(), t.text.end(), ref); it != std::sregex_iterator(); ++it)
      if ((*it)[1] != t.name) t.uses.insert((*it)[1]);
    pkgs.push_back(std::move(t));
  }
  // Topological order (stable: alphabetical among ready packages).
  std::vector<PackageText> ordered;
  std::set<std::string> done;
  while (!pkgs.empty()) {
    auto ready = std::find_if(pkgs.begin(), pkgs.end(), [&](const PackageText& t) {
      return std::all_of(t.uses.begin(), t.uses.end(), [&](const std::string& u) {
        return done.count(u) || std::none_of(pkgs.begin(), pkgs.end(),
                                             [&](const PackageText& o) { return o.name == u; });
      });
    });
    if (ready == pkgs.end()) die("dependency cycle among " + deps.string());
    done.insert(ready->name);
    ordered.push_back(std::move(*ready));
    pkgs.erase(ready);
  }
  return ordered;
}

std::vector<wit::PackageId> load_wasi(wit::Resolve& r, const std::vector<PackageText>& pkgs) {
  std::vector<wit::PackageId> all;
  for (const auto& p : pkgs) {
    auto ids = wit::load_text(r, p.path, p.text);
    if (!ids) die("cannot load " + p.path + ":\n" + render(ids.error(), &r.sources));
    all.insert(all.end(), ids->begin(), ids->end());
  }
  return all;
}

// ---- the wit-parser corpus ----------------------------------------------------

std::vector<std::string> corpus_cases(const fs::path& dir) {
  std::vector<std::string> cases;
  if (!fs::is_directory(dir)) return cases;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (e.is_directory()) {
      if (name == "parse-fail" || name == "kinds-of-deps") continue;
    } else if (e.path().extension() != ".wit") {
      continue;  // .wit.json, .wat, licences
    }
    cases.push_back(e.path().string());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

wit::Resolve corpus_resolve() {
  wit::Resolve r;
  r.features.enabled = {"active"};  // as the reference's ui tests run
  return r;
}

// ---- whole-process timing -------------------------------------------------------

int run_process(const std::vector<std::string>& cmd) {
  std::vector<char*> argv;
  for (const auto& a : cmd) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) die("cannot start " + cmd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int process_mode(int reps, const std::string& label, std::optional<double> target_ms, bool with_header,
                 const std::vector<std::string>& cmd) {
  if (int rc = run_process(cmd); rc != 0) die(label + ": exit status " + std::to_string(rc));
  Stats s = measure(3, reps, [&] { run_process(cmd); });
  if (with_header) header();
  row(label, s, target_ms);
  return 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: bench-wit [--src DIR] [--corpus DIR] [--reps N] [--warmup N] [--filter TEXT]\n"
               "                 [--no-header]\n"
               "       bench-wit --process N [--label TEXT] [--target-ms X] [--no-header] -- CMD...\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string src = WITC_SOURCE_DIR, corpus = WITC_SHARED_DIR "/corpus/wit-parser-ui", label, filter;
  int reps = 200, warmup = 20, process_reps = 0;
  std::optional<double> target_ms;
  bool with_header = true;
  std::vector<std::string> cmd;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) std::exit(usage());
      return argv[++i];
    };
    if (a == "--src") src = value();
    else if (a == "--corpus") corpus = value();
    else if (a == "--reps") reps = std::atoi(value().c_str());
    else if (a == "--warmup") warmup = std::atoi(value().c_str());
    else if (a == "--process") process_reps = std::atoi(value().c_str());
    else if (a == "--label") label = value();
    else if (a == "--filter") filter = value();
    else if (a == "--target-ms") target_ms = std::atof(value().c_str());
    else if (a == "--no-header") with_header = false;
    else if (a == "--") {
      cmd.assign(argv + i + 1, argv + argc);
      break;
    } else return usage();
  }
  if (reps < 1 || warmup < 0) return usage();
  if (process_reps > 0) {
    if (cmd.empty()) return usage();
    return process_mode(process_reps, label.empty() ? cmd[0] : label, target_ms, with_header, cmd);
  }

  size_t sink = 0;  // keeps results observable so nothing is optimized away
  int failures = 0;
  auto wanted = [&](const std::string& name) {
    return filter.empty() || name.find(filter) != std::string::npos;
  };
  if (with_header) header();

  auto wasi = wasi_packages(fs::path(src) / "wit" / "deps");
  size_t wasi_bytes = 0;
  for (const auto& p : wasi) wasi_bytes += p.text.size();
  char what[160];
  std::snprintf(what, sizeof what, "WASI 0.2.12 parse+resolve, in memory (%zu packages, %.1f KB)",
                wasi.size(), wasi_bytes / 1024.0);
  if (wanted(what))
    row(what, measure(warmup, reps, [&] {
          wit::Resolve r;
          sink += load_wasi(r, wasi).size();
        }),
        2.0);

  std::string name = "`load_path(\"wit/\")`: shipped package + deps, with file reads";
  std::string wit_dir = (fs::path(src) / "wit").string();
  if (wanted(name)) {
    wit::Resolve r;
    if (auto ids = wit::load_path(r, wit_dir); !ids) {
      std::fprintf(stderr, "bench-wit: cannot load %s:\n%s\n", wit_dir.c_str(),
                   render(ids.error(), &r.sources).c_str());
      std::printf("| %s | fails to load | | | |\n", name.c_str());
      ++failures;
    } else {
      row(name, measure(warmup, reps, [&] {
            wit::Resolve fresh;
            sink += wit::load_path(fresh, wit_dir).has_value();
          }));
    }
  }

  wit::Resolve wasi_resolve;
  auto wasi_ids = load_wasi(wasi_resolve, wasi);
  name = "`to_json` of the WASI set";
  if (wanted(name))
    row(name, measure(warmup, reps, [&] { sink += wit::to_json(wasi_resolve).size(); }));
  name = "`print` of the WASI set";
  if (wanted(name))
    row(name, measure(warmup, reps, [&] { sink += wit::print(wasi_resolve, wasi_ids).size(); }));

  auto cases = corpus_cases(corpus);
  if (cases.empty()) std::fprintf(stderr, "bench-wit: no corpus at %s; skipped\n", corpus.c_str());
  std::snprintf(what, sizeof what, "wit-parser corpus parse+resolve, with file reads (%zu cases)",
                cases.size());
  if (!cases.empty() && wanted(what)) {
    std::vector<std::string> passing;
    for (const auto& c : cases) {
      wit::Resolve r = corpus_resolve();
      if (wit::load_path(r, c)) {
        passing.push_back(c);
      } else {
        std::fprintf(stderr, "bench-wit: corpus case fails to load, left out: %s\n", c.c_str());
        ++failures;
      }
    }
    if (passing.size() != cases.size())
      std::snprintf(what, sizeof what,
                    "wit-parser corpus parse+resolve, with file reads (%zu of %zu cases)",
                    passing.size(), cases.size());
    row(what, measure(std::max(1, warmup / 10), std::max(5, reps / 10), [&] {
          for (const auto& c : passing) {
            wit::Resolve r = corpus_resolve();
            sink += wit::load_path(r, c).has_value();
          }
        }));
  }
  if (sink == 0) std::fprintf(stderr, "bench-wit: nothing was measured\n");
  return failures == 0 ? 0 : 1;
}
