// `witc validate FILE... [--features LIST]`
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "core_binary.h"
#include "witc/bin/component_validate.h"
#include "witc/bin/features.h"

namespace witc::cli {

Expected<void> validate_binary(std::vector<uint8_t>&& bytes, bin::Features features) {
  auto kind = bin::detect_binary_kind(bytes);
  if (kind && *kind == bin::BinaryKind::Component) {
    return fail(Diagnostic::at_offset(4, "validating components is not supported yet"));
  }
  auto m = bin::read_module(std::move(bytes), features);
  if (!m) return fail(std::move(m.error()));
  auto info = bin::validate_module(*m, features);
  if (!info) return fail(std::move(info.error()));
  return {};
}

std::optional<bin::Features> parse_features(const std::string& text) {
  auto f = bin::Features::parse(text);
  if (!f) {
    std::fprintf(stderr, "error: --features: %s\n", f.error().message.c_str());
    return std::nullopt;
  }
  return *f;
}

namespace {

struct ValidateArgs {
  std::vector<std::string> paths;
  std::string features;
  bool verdicts = false;  // a verdict line even for one file
};

// One file: kExitOk, kExitError (invalid or unreadable: said on stderr) or
// kExitUsage (bad --features).
int validate_file(const std::string& path, const ValidateArgs& a) {
  auto bytes = read_binary_file(path);
  if (!bytes) {
    std::fprintf(stderr, "error: cannot read %s\n", path.c_str());
    return kExitError;
  }
  auto kind = bin::detect_binary_kind(*bytes);
  if (kind && *kind == bin::BinaryKind::Component) {
    // Component features ("wasi02", "wasi03", "cm-async", ...) mix with core
    // ones, which apply to the nested core modules.
    auto cf = bin::ComponentFeatures::parse(a.features);
    if (!cf) {
      std::fprintf(stderr, "error: --features: %s\n", cf.error().message.c_str());
      return kExitUsage;
    }
    auto info = bin::validate_component_binary(*bytes, *cf);
    if (!info) {
      std::fprintf(stderr, "%s: %s\n", path.c_str(), render(info.error()).c_str());
      return kExitError;
    }
    return kExitOk;
  }
  auto features = parse_features(a.features);
  if (!features) return kExitUsage;
  auto r = validate_binary(std::move(*bytes), *features);
  if (!r) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), render(r.error()).c_str());
    return kExitError;
  }
  return kExitOk;
}

// Several files are validated in one process; each gets a verdict line on
// standard output (`FILE: valid` / `FILE: invalid`), its error on standard
// error, and the exit status is 1 if any is invalid. One file prints no
// verdict line (as `wasm-tools validate`), unless --verdicts asks for it.
int run_validate(const ValidateArgs& a) {
  if (a.paths.size() == 1 && !a.verdicts) return validate_file(a.paths[0], a);
  int rc = kExitOk;
  for (const std::string& path : a.paths) {
    int one = validate_file(path, a);
    if (one == kExitUsage) return one;
    std::printf("%s: %s\n", path.c_str(), one == kExitOk ? "valid" : "invalid");
    std::fflush(stdout);
    if (one != kExitOk) rc = kExitError;
  }
  return rc;
}

}  // namespace

Runner add_validate_commands(CLI::App& app) {
  auto args = std::make_shared<ValidateArgs>();
  auto wast = std::make_shared<WastArgs>();
  auto* validate = app.add_subcommand("validate", "check that WebAssembly binaries are valid");
  validate->add_option("FILE", args->paths,
                       "a .wasm core module or component; with several, one `FILE: valid|invalid` line each")
      ->required();
  validate->add_flag("--verdicts", args->verdicts,
                     "print the `FILE: valid|invalid` line even for one file (for scripts)");
  validate->add_option("--features", args->features,
                       "features, e.g. wasm2,tail-call,-simd; for components also wasi02 (default), "
                       "wasi03, cm-async, cm-all");
  auto* wast_cmd = app.add_subcommand("wast", "run the module and validation commands of a wast2json manifest");
  add_wast_options(wast_cmd, *wast);
  return [=]() -> int {
    if (validate->parsed()) return run_validate(*args);
    if (wast_cmd->parsed()) return run_wast(*wast);
    return -1;
  };
}

}  // namespace witc::cli
