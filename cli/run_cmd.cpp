// `witc run [OPTIONS] FILE.wasm [ARGS...]`: runs a core module on the runtime
// with WASI preview 1 (option names as `wasmtime run`).
//
//   witc run prog.wasm a b            calls _start; exit code = the guest's
//   witc run prog.wasm -- -x --y      arguments that look like options after --
//   witc run --dir data::/data ...    preopens host dir `data` as /data
//   witc run --env K=V --env HOME ... environment (a bare name inherits)
//   witc run --fuel N --max-memory BYTES ...
//   witc run --invoke add m.wasm 1 2  calls an export with numeric arguments
//                                     and prints its results, one per line
//
// Exit codes: the guest's proc_exit status (0 when _start returns); 134 when
// the module traps (as an abort, like wasmtime), with the trap on stderr;
// 1 for an invalid module or a failed instantiation; 2 for bad usage.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "commands.h"
#include "core_binary.h"
#include "witc/rt/runtime.h"
#include "witc/rt/wasi.h"

namespace witc::cli {

namespace {

constexpr int kExitTrap = 134;

struct RunArgs {
  std::vector<std::string> dirs;
  std::vector<std::string> envs;
  std::optional<uint64_t> fuel;
  std::optional<uint64_t> max_memory;
  std::string invoke;
  std::string features;
  std::string file;
  std::vector<std::string> guest;
  std::vector<std::string> rest;  // FILE then the guest's arguments
};

std::optional<rt::Val> parse_arg(bin::ValType t, const std::string& s) {
  char* end = nullptr;
  errno = 0;
  switch (t) {
    case bin::ValType::I32:
    case bin::ValType::I64: {
      uint64_t v = s.starts_with("-") ? static_cast<uint64_t>(std::strtoll(s.c_str(), &end, 0))
                                      : std::strtoull(s.c_str(), &end, 0);
      if (s.empty() || *end || errno) return std::nullopt;
      return t == bin::ValType::I32 ? rt::Val::i32(static_cast<uint32_t>(v)) : rt::Val::i64(v);
    }
    case bin::ValType::F32: {
      float v = std::strtof(s.c_str(), &end);
      if (s.empty() || *end) return std::nullopt;
      return rt::Val::f32(v);
    }
    case bin::ValType::F64: {
      double v = std::strtod(s.c_str(), &end);
      if (s.empty() || *end) return std::nullopt;
      return rt::Val::f64(v);
    }
    default: return std::nullopt;
  }
}

std::string show(const rt::Val& v) {
  switch (v.type) {
    case bin::ValType::I32: return fmt::format("{}", static_cast<int32_t>(v.as_i32()));
    case bin::ValType::I64: return fmt::format("{}", static_cast<int64_t>(v.as_i64()));
    case bin::ValType::F32: return fmt::format("{}", v.as_f32());
    case bin::ValType::F64: return fmt::format("{}", v.as_f64());
    default: return rt::to_string(v);
  }
}

int report_trap(const std::string& path, const rt::Trap& t) {
  if (t.kind == rt::TrapKind::Exit) return t.exit_code;
  std::fprintf(stderr, "error: %s: wasm trap: %s\n", path.c_str(), t.to_string().c_str());
  return kExitTrap;
}

int run(const RunArgs& a) {
  if (a.rest.empty()) {
    std::fprintf(stderr, "error: witc run: a module file is required\n");
    return kExitUsage;
  }
  const std::string& path = a.rest[0];
  auto features = parse_features(a.features);
  if (!features) return kExitUsage;
  rt::Config config;
  config.features = *features;
  config.consume_fuel = a.fuel.has_value();
  if (a.max_memory) config.max_memory_bytes = *a.max_memory;

  rt::WasiOptions wo;
  wo.args.assign(a.rest.begin(), a.rest.end());
  for (const std::string& e : a.envs) {
    if (e.find('=') != std::string::npos) {
      wo.env.push_back(e);
    } else if (const char* v = std::getenv(e.c_str())) {
      wo.env.push_back(e + "=" + v);
    }
  }
  for (const std::string& d : a.dirs) {
    size_t sep = d.find("::");
    rt::WasiOptions::Dir dir;
    dir.host = sep == std::string::npos ? d : d.substr(0, sep);
    dir.guest = sep == std::string::npos ? d : d.substr(sep + 2);
    if (dir.host.empty() || dir.guest.empty()) {
      std::fprintf(stderr, "error: --dir %s: expected HOST[::GUEST]\n", d.c_str());
      return kExitUsage;
    }
    wo.dirs.push_back(std::move(dir));
  }

  auto bytes = read_binary_file(path);
  if (!bytes) {
    std::fprintf(stderr, "error: cannot read %s\n", path.c_str());
    return kExitError;
  }
  auto kind = bin::detect_binary_kind(*bytes);
  if (kind && *kind == bin::BinaryKind::Component) {
    std::fprintf(stderr, "error: %s: running components is not supported yet\n", path.c_str());
    return kExitError;
  }
  auto module = rt::Module::compile(*bytes, config);
  if (!module) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), render(module.error()).c_str());
    return kExitError;
  }
  auto wasi = rt::Wasi::create(std::move(wo));
  if (!wasi) {
    std::fprintf(stderr, "error: %s\n", wasi.error().message.c_str());
    return kExitError;
  }
  rt::Store store(config);
  if (a.fuel) store.set_fuel(*a.fuel);
  rt::Linker linker;
  (*wasi)->add_to(store, linker);
  auto inst = linker.instantiate(store, *module);
  if (!inst) {
    if (inst.error().kind == rt::TrapKind::Link || inst.error().kind == rt::TrapKind::Resource) {
      std::fprintf(stderr, "error: %s: %s\n", path.c_str(), inst.error().message.c_str());
      return kExitError;
    }
    return report_trap(path, inst.error());
  }

  if (a.invoke.empty()) {
    rt::Func* start = (*inst)->func("_start");
    if (!start) {
      std::fprintf(stderr, "error: %s exports no _start function (use --invoke NAME)\n", path.c_str());
      return kExitError;
    }
    auto r = store.call(start, {});
    if (!r) return report_trap(path, r.error());
    return kExitOk;
  }

  if (rt::Func* init = (*inst)->func("_initialize")) {
    auto r = store.call(init, {});
    if (!r) return report_trap(path, r.error());
  }
  rt::Func* f = (*inst)->func(a.invoke);
  if (!f) {
    std::fprintf(stderr, "error: %s exports no function %s\n", path.c_str(), a.invoke.c_str());
    return kExitError;
  }
  const bin::FuncType& ft = f->type();
  if (a.rest.size() - 1 != ft.params.size()) {
    std::fprintf(stderr, "error: %s takes %zu arguments, %zu given\n", a.invoke.c_str(), ft.params.size(),
                 a.rest.size() - 1);
    return kExitUsage;
  }
  std::vector<rt::Val> args;
  for (size_t i = 0; i < ft.params.size(); ++i) {
    auto v = parse_arg(ft.params[i], a.rest[i + 1]);
    if (!v) {
      std::fprintf(stderr, "error: argument %zu: \"%s\" is not a valid %s\n", i + 1, a.rest[i + 1].c_str(),
                   std::string(bin::to_string(ft.params[i])).c_str());
      return kExitUsage;
    }
    args.push_back(*v);
  }
  auto r = store.call(f, args);
  if (!r) return report_trap(path, r.error());
  for (const rt::Val& v : *r) std::printf("%s\n", show(v).c_str());
  return kExitOk;
}

}  // namespace

Runner add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "run a WebAssembly module (a WASI command, or one export with --invoke)");
  cmd->add_option("--dir", args->dirs, "preopen a host directory: HOST[::GUEST] (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--env", args->envs, "set an environment variable: NAME=VALUE, or NAME to inherit (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--fuel", args->fuel, "stop with a trap after about N executed instructions");
  cmd->add_option("--max-memory", args->max_memory, "the largest size of a linear memory, in bytes");
  cmd->add_option("--invoke", args->invoke, "call this export with the arguments and print its results");
  cmd->add_option("--features", args->features, "WebAssembly features (default: all implemented)");
  cmd->add_option("FILE", args->file, "the module");
  cmd->add_option("ARGS", args->guest, "the arguments passed to the module (after `--` if they look like options)");
  return [cmd, args]() -> int {
    if (!cmd->parsed()) return -1;
    if (!args->file.empty()) args->rest.push_back(args->file);
    args->rest.insert(args->rest.end(), args->guest.begin(), args->guest.end());
    return run(*args);
  };
}

}  // namespace witc::cli
