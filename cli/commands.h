// Subcommand registration: each cli/<name>.cpp adds its subcommand to the app.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace witc::cli {

// Exit codes: 0 success, 1 the input is wrong (invalid WIT, bad binary),
// 2 bad usage (unknown option, missing argument).
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;

// Registers a subcommand; the returned callback runs it after parsing.
using Runner = std::function<int()>;
Runner add_wit_commands(CLI::App& app);
// `witc validate` and `witc wast` (core WebAssembly binaries).
Runner add_validate_commands(CLI::App& app);
// `witc inspect`.
Runner add_inspect_command(CLI::App& app);
// `witc bindgen cpp`.
Runner add_bindgen_command(CLI::App& app);
// `witc component embed` (composer/: WIT worlds as component types).
Runner add_component_commands(CLI::App& app);
// `witc plug`.
Runner add_plug_command(CLI::App& app);
// `witc compose`.
Runner add_compose_command(CLI::App& app);
// `witc run` (runtime-core: WebAssembly modules with WASI preview 1).
Runner add_run_command(CLI::App& app);

}  // namespace witc::cli
