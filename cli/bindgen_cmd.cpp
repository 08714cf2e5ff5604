// `witc bindgen cpp WIT [-w NAME] [--out-dir DIR] ...`: C++ guest bindings,
// the options and file names of `wit-bindgen cpp`.
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

#include "commands.h"
#include "io.h"
#include "witc/bindgen/cpp.h"
#include "witc/composer/encode.h"
#include "witc/wit/wit.h"

namespace witc::cli {

namespace {

struct BindgenArgs {
  std::string path;
  std::string world;
  std::string out_dir = ".";
  std::string features;
  bool all_features = false;
  std::string api_style = "asymmetric";
  std::string ownership = "owning";
  std::vector<std::string> with;
  bool format = false;
};

extern "C" char** environ;

// Runs `clang-format -i FILE` (no shell). Returns false if clang-format could
// not be started (not installed) or failed.
bool clang_format(const std::string& file, bool& missing) {
  std::string prog = "clang-format", flag = "-i";
  char* argv[] = {prog.data(), flag.data(), const_cast<char*>(file.c_str()), nullptr};
  pid_t pid;
  if (posix_spawnp(&pid, "clang-format", nullptr, nullptr, argv, environ) != 0) {
    missing = true;
    return false;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return false;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) missing = true;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int run(const BindgenArgs& a) {
  bindgen::CppOptions opts;
  if (a.api_style == "symmetric") {
    opts.api_style = bindgen::ApiStyle::Symmetric;
  } else if (a.api_style != "asymmetric") {
    std::fprintf(stderr, "error: --api-style must be asymmetric or symmetric\n");
    return kExitUsage;
  }
  if (a.ownership == "coarse-borrowing") {
    opts.ownership = bindgen::Ownership::CoarseBorrowing;
  } else if (a.ownership == "fine-borrowing") {
    opts.ownership = bindgen::Ownership::FineBorrowing;
  } else if (a.ownership != "owning") {
    std::fprintf(stderr, "error: --ownership must be owning, coarse-borrowing or fine-borrowing\n");
    return kExitUsage;
  }
  for (const auto& w : a.with) {
    std::stringstream ss(w);
    for (std::string item; std::getline(ss, item, ',');) {
      auto eq = item.find('=');
      if (eq == std::string::npos) {
        std::fprintf(stderr, "error: --with expects IFACE=HEADER, got `%s`\n", item.c_str());
        return kExitUsage;
      }
      opts.with.emplace_back(item.substr(0, eq), item.substr(eq + 1));
    }
  }
  wit::Resolve r;
  auto roots = load_wit(r, a.path, a.features, a.all_features);
  if (!roots) return kExitError;
  std::optional<std::string_view> name;
  if (!a.world.empty()) name = a.world;
  auto world = compose::select_world(r, *roots, name);
  if (!world) {
    std::fprintf(stderr, "error: %s\n", render(world.error()).c_str());
    return kExitError;
  }
  auto files = bindgen::generate_cpp(r, *world, opts);
  if (!files) {
    std::fprintf(stderr, "error: %s\n", render(files.error(), &r.sources).c_str());
    return kExitError;
  }
  namespace fsys = std::filesystem;
  std::error_code ec;
  fsys::create_directories(a.out_dir, ec);
  bool format_missing = false;
  for (const auto& f : files->all()) {
    fsys::path p = fsys::path(a.out_dir) / f.path;
    // A user class header that exists is the program's: keep it, write a template.
    if (f.path.rfind("exports-", 0) == 0 && fsys::exists(p)) p += ".template";
    if (!write_output(p.string(), f.contents)) {
      std::fprintf(stderr, "error: cannot write %s\n", p.string().c_str());
      return kExitError;
    }
    bool source = f.path.ends_with(".h") || f.path.ends_with(".cpp");
    if (a.format && source && !format_missing && !clang_format(p.string(), format_missing)) {
      if (format_missing) {
        std::fprintf(stderr, "warning: --format: clang-format not found; the sources are left as generated\n");
      } else {
        std::fprintf(stderr, "warning: clang-format failed on %s\n", p.string().c_str());
      }
    }
  }
  return kExitOk;
}

}  // namespace

Runner add_bindgen_command(CLI::App& app) {
  auto* bindgen = app.add_subcommand("bindgen", "generate guest bindings for a WIT world");
  auto* cpp = bindgen->add_subcommand("cpp", "C++ bindings (the API of `wit-bindgen cpp`)");
  auto a = std::make_shared<BindgenArgs>();
  cpp->add_option("WIT", a->path, "a .wit file or a directory of .wit files (with deps/)")->required();
  cpp->add_option("-w,--world", a->world, "the world (NAME or ns:pkg/NAME); default: the package's only world");
  cpp->add_option("--out-dir", a->out_dir, "where to write the files (default: .)");
  cpp->add_option("--features", a->features, "comma-separated @unstable features to enable");
  cpp->add_flag("--all-features", a->all_features, "enable every @unstable feature");
  cpp->add_option("--api-style", a->api_style, "asymmetric (default) or symmetric");
  cpp->add_option("--ownership", a->ownership, "owning (default), coarse-borrowing or fine-borrowing");
  cpp->add_option("--with", a->with, "IFACE=HEADER,...: take the interface's bindings from HEADER");
  cpp->add_flag("--format", a->format, "run clang-format on the generated sources");
  auto ran = std::make_shared<bool>(false);
  cpp->callback([ran] { *ran = true; });
  return [a, ran]() -> int { return *ran ? run(*a) : -1; };
}

}  // namespace witc::cli
