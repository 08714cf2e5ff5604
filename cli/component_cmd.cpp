// `witc component embed WIT [CORE.wasm] [-w WORLD] [--dummy] [-o OUT]`
// `witc component new CORE.wasm [--adapt [NAME=]ADAPTER.wasm]... [-o OUT]`
//
// embed adds the world's `component-type` custom section to a core module (as
// `wasm-tools component embed`), or with --dummy makes a stub core module
// for the world first. new turns a core module with that section into a
// component (as `wasm-tools component new`), merging WASI preview1 adapters
// in. The output goes to OUT, or to stdout.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "commands.h"
#include "core_binary.h"
#include "witc/composer/embed.h"
#include "witc/composer/encode.h"
#include "witc/composer/new.h"
#include "witc/wit/wit.h"

namespace witc::cli {

namespace {

struct EmbedArgs {
  std::string wit;
  std::string core;
  std::string world;
  std::string output;
  std::string encoding = "utf8";
  std::string dummy_names = "standard";
  std::string features;
  bool all_features = false;
  bool dummy = false;
};

void add_embed_options(CLI::App* cmd, EmbedArgs& a) {
  cmd->add_option("WIT", a.wit, "a .wit file or a directory of .wit files (with deps/)")->required();
  cmd->add_option("CORE", a.core, "the core module to add the section to (not with --dummy)");
  cmd->add_option("-w,--world", a.world, "the world: `name` or `ns:pkg/name` (default: the only one)");
  cmd->add_option("-o,--output", a.output, "where to write the module (default: stdout)");
  cmd->add_option("--string-encoding", a.encoding, "utf8 (default), utf16 or compact-utf16")
      ->check(CLI::IsMember({"utf8", "utf16", "compact-utf16"}));
  cmd->add_flag("--dummy", a.dummy, "make a core module with stub exports for the world");
  cmd->add_option("--dummy-names", a.dummy_names,
                  "the dummy's import/export names: standard (cm32p2, default) or legacy")
      ->check(CLI::IsMember({"standard", "legacy"}));
  cmd->add_option("--features", a.features, "comma-separated @unstable features to enable");
  cmd->add_flag("--all-features", a.all_features, "enable every @unstable feature");
}

compose::StringEncoding encoding_of(const std::string& s) {
  if (s == "utf16") return compose::StringEncoding::Utf16;
  if (s == "compact-utf16") return compose::StringEncoding::CompactUtf16;
  return compose::StringEncoding::Utf8;
}

// Loads the WIT and picks the world; prints the error and returns nullopt.
std::optional<wit::WorldId> load_world(wit::Resolve& r, const EmbedArgs& a) {
  auto roots = load_wit(r, a.wit, a.features, a.all_features);
  if (!roots) return std::nullopt;
  std::optional<std::string_view> name;
  if (!a.world.empty()) name = a.world;
  auto world = compose::select_world(r, *roots, name);
  if (!world) {
    std::fprintf(stderr, "error: %s\n", render(world.error()).c_str());
    return std::nullopt;
  }
  return *world;
}

int run_embed(const EmbedArgs& a) {
  if (a.dummy == !a.core.empty()) {
    std::fprintf(stderr, "error: give either a core module or --dummy\n"
                         "Run with --help for more information.\n");
    return kExitUsage;
  }
  wit::Resolve r;
  auto world = load_world(r, a);
  if (!world) return kExitError;
  std::vector<uint8_t> core;
  if (a.dummy) {
    auto names = a.dummy_names == "legacy" ? compose::DummyNames::Legacy : compose::DummyNames::Standard;
    auto m = compose::dummy_module(r, *world, names);
    if (!m) {
      std::fprintf(stderr, "error: %s\n", render(m.error()).c_str());
      return kExitError;
    }
    core = std::move(*m);
  } else {
    auto bytes = read_binary_file(a.core);
    if (!bytes) {
      std::fprintf(stderr, "error: cannot read %s\n", a.core.c_str());
      return kExitError;
    }
    core = std::move(*bytes);
  }
  auto out = compose::embed_world(core, r, *world, encoding_of(a.encoding));
  if (!out) {
    std::string what = a.dummy ? "the dummy module" : a.core;
    std::fprintf(stderr, "error: %s: %s\n", what.c_str(), render(out.error()).c_str());
    return kExitError;
  }
  if (!write_output(a.output, *out)) {
    std::fprintf(stderr, "error: cannot write %s\n", a.output.empty() ? "stdout" : a.output.c_str());
    return kExitError;
  }
  return kExitOk;
}

struct NewArgs {
  std::string core;
  std::vector<std::string> adapters;
  std::string output;
};

int run_new(const NewArgs& a) {
  auto core = read_binary_file(a.core);
  if (!core) {
    std::fprintf(stderr, "error: cannot read %s\n", a.core.c_str());
    return kExitError;
  }
  compose::NewOptions options;
  for (const auto& spec : a.adapters) {
    compose::AdapterModule adapter;
    std::string path = spec;
    if (auto eq = spec.find('='); eq != std::string::npos) {
      adapter.name = spec.substr(0, eq);
      path = spec.substr(eq + 1);
    } else {
      adapter.name = compose::adapter_name_from_path(spec);
    }
    if (adapter.name.empty() || path.empty()) {
      std::fprintf(stderr, "error: --adapt takes [NAME=]ADAPTER.wasm, not `%s`\n"
                           "Run with --help for more information.\n", spec.c_str());
      return kExitUsage;
    }
    auto bytes = read_binary_file(path);
    if (!bytes) {
      std::fprintf(stderr, "error: cannot read %s\n", path.c_str());
      return kExitError;
    }
    adapter.bytes = std::move(*bytes);
    options.adapters.push_back(std::move(adapter));
  }
  auto out = compose::component_new(*core, options);
  if (!out) {
    std::fprintf(stderr, "error: %s: %s\n", a.core.c_str(), render(out.error()).c_str());
    return kExitError;
  }
  if (!write_output(a.output, *out)) {
    std::fprintf(stderr, "error: cannot write %s\n", a.output.empty() ? "stdout" : a.output.c_str());
    return kExitError;
  }
  return kExitOk;
}

}  // namespace

Runner add_component_commands(CLI::App& app) {
  auto* component = app.add_subcommand("component", "build components from core modules and WIT");
  auto args = std::make_shared<EmbedArgs>();
  auto new_args = std::make_shared<NewArgs>();
  auto ran = std::make_shared<int>(0);
  auto* embed = component->add_subcommand(
      "embed", "add a world's component-type section to a core module (or make a --dummy one)");
  add_embed_options(embed, *args);
  embed->callback([ran] { *ran = 1; });
  auto* make = component->add_subcommand(
      "new", "turn a core module with a component-type section into a component");
  make->add_option("CORE", new_args->core, "the core module (with `component-type` sections)")->required();
  make->add_option("--adapt", new_args->adapters,
                   "[NAME=]ADAPTER.wasm: a core module implementing the imports from module NAME "
                   "(default: the file name up to its first '.'), e.g. a WASI preview1 adapter");
  make->add_option("-o,--output", new_args->output, "where to write the component (default: stdout)");
  make->callback([ran] { *ran = 2; });
  return [args, new_args, ran]() -> int {
    if (*ran == 1) return run_embed(*args);
    if (*ran == 2) return run_new(*new_args);
    return -1;
  };
}

}  // namespace witc::cli
