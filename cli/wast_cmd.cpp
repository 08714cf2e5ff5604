// `witc wast [--features LIST] FILE.json`: runs the module-loading and
// validation commands of a wast2json manifest; execution commands are
// counted as skipped until the interpreter exists.
//
// Output: one line per failure, "FAIL <manifest>:<line> <command> <file>: <why>",
// then exactly one summary line "N passed, N failed, N skipped".
#include <cstdio>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "core_binary.h"
#include "witc/bin/writer.h"

namespace witc::cli {

namespace {

using json = nlohmann::json;

struct Counts {
  int passed = 0, failed = 0, skipped = 0;
};

std::string str_field(const json& cmd, const char* key) {
  auto it = cmd.find(key);
  return it != cmd.end() && it->is_string() ? it->get<std::string>() : std::string();
}

class WastRunner {
 public:
  WastRunner(const WastArgs& a, bin::Features f, std::filesystem::path dir)
      : args_(a), features_(f), dir_(std::move(dir)), name_(std::filesystem::path(a.path).filename().string()) {}

  void run(const json& cmd) {
    std::string type = str_field(cmd, "type");
    int line = cmd.value("line", 0);
    std::string file = str_field(cmd, "filename");
    if (type == "module") {
      auto r = check(file, line, type);
      if (r) {
        ++counts_.passed;
      } else {
        failure(line, type, file, "module is invalid: " + render(r.error()));
      }
    } else if (type == "assert_invalid" || type == "assert_malformed") {
      if (str_field(cmd, "module_type") == "text") {
        ++counts_.skipped;  // a text-format case: tests a text parser
        return;
      }
      auto r = check(file, line, type);
      std::string expected = str_field(cmd, "text");
      if (r) {
        failure(line, type, file, fmt::format("module was accepted (expected: {})", expected));
        return;
      }
      ++counts_.passed;
      if (args_.messages && r.error().message.find(expected) == std::string::npos) {
        std::printf("NOTE %s:%d %s %s: expected \"%s\", got: %s\n", name_.c_str(), line, type.c_str(),
                    file.c_str(), expected.c_str(), render(r.error()).c_str());
      }
    } else if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
      // The module must be valid; linking and instantiation need the runtime.
      auto r = check(file, line, type);
      if (r) {
        ++counts_.skipped;
      } else {
        failure(line, type, file, "module is invalid: " + render(r.error()));
      }
    } else {
      ++counts_.skipped;  // register, action, assert_return, assert_trap, ...
    }
  }

  Counts counts() const {
    Counts c = counts_;
    c.failed += round_trip_failures_;
    return c;
  }

 private:
  // Reads and validates; with --round-trip, a module that reads must also
  // write back to the identical bytes (a failure there is reported at once).
  Expected<void> check(const std::string& file, int line, const std::string& type) {
    auto bytes = read_binary_file((dir_ / file).string());
    if (!bytes) return fail(Diagnostic::plain("cannot read " + (dir_ / file).string()));
    if (args_.round_trip) {
      auto m = bin::read_module(*bytes, features_);
      if (m) {
        std::vector<uint8_t> out = bin::write_module(*m);
        if (out != *bytes) {
          size_t i = 0;
          while (i < out.size() && i < bytes->size() && out[i] == (*bytes)[i]) ++i;
          round_trip_failure(line, type, file, fmt::format("round trip changed the bytes at offset {:#x}", i));
        }
      }
    }
    return validate_binary(std::move(*bytes), features_);
  }

  void round_trip_failure(int line, const std::string& type, const std::string& file, const std::string& why) {
    ++round_trip_failures_;
    std::printf("FAIL %s:%d %s %s: %s\n", name_.c_str(), line, type.c_str(), file.c_str(), why.c_str());
  }

  void failure(int line, const std::string& type, const std::string& file, const std::string& why) {
    ++counts_.failed;
    std::printf("FAIL %s:%d %s %s: %s\n", name_.c_str(), line, type.c_str(), file.c_str(), why.c_str());
  }

  const WastArgs& args_;
  bin::Features features_;
  std::filesystem::path dir_;
  std::string name_;
  Counts counts_;
  int round_trip_failures_ = 0;
};

}  // namespace

void add_wast_options(CLI::App* cmd, WastArgs& a) {
  cmd->add_option("FILE", a.path, "the .json manifest written by wast2json")->required();
  cmd->add_option("--features", a.features,
                  "features, e.g. wasm2,tail-call,-simd (default: all implemented)");
  cmd->add_flag("--round-trip", a.round_trip,
                "also check that every module that reads writes back to identical bytes");
  cmd->add_flag("--messages", a.messages,
                "also print a NOTE when a rejection's message differs from the expected text");
}

int run_wast(const WastArgs& a) {
  auto features = parse_features(a.features);
  if (!features) return kExitUsage;
  auto text = read_binary_file(a.path);
  if (!text) {
    std::fprintf(stderr, "error: cannot read %s\n", a.path.c_str());
    return kExitError;
  }
  json doc = json::parse(text->begin(), text->end(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("commands") || !doc["commands"].is_array()) {
    std::fprintf(stderr, "error: %s is not a wast2json manifest\n", a.path.c_str());
    return kExitError;
  }
  WastRunner runner(a, *features, std::filesystem::path(a.path).parent_path());
  for (const json& cmd : doc["commands"]) {
    if (cmd.is_object()) runner.run(cmd);
  }
  Counts c = runner.counts();
  std::printf("%d passed, %d failed, %d skipped\n", c.passed, c.failed, c.skipped);
  return c.failed > 0 ? kExitError : kExitOk;
}

}  // namespace witc::cli
