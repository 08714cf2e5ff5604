// `witc wast [--features LIST] FILE.json`: runs a wast2json manifest on the
// runtime (runtime-core): modules, registrations, actions and every
// assertion (assert_return with NaN patterns, assert_trap, assert_exhaustion,
// assert_exception, assert_invalid, binary assert_malformed,
// assert_unlinkable, assert_uninstantiable), with the `spectest` host module.
// Text-format assert_malformed/assert_invalid cases test a text parser and
// are counted as skipped.
//
// Output: one line per failure, "FAIL <manifest>:<line> <command> <file>: <why>",
// then exactly one summary line "N passed, N failed, N skipped".
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "core_binary.h"
#include "witc/bin/writer.h"
#include "witc/rt/runtime.h"

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

// A value or expectation of the manifest: {"type": "...", "value": ...}.
struct Expect {
  rt::Val val;
  enum class Nan : uint8_t { None, Canonical, Arithmetic } nan = Nan::None;
  std::vector<Nan> lane_nans;  // v128 with float lanes
  std::string lane_type;
  bool any_ref = false;        // a non-null reference of unknown identity
};

uint64_t parse_u64(const std::string& s) { return std::strtoull(s.c_str(), nullptr, 10); }

Expect::Nan nan_of(const std::string& s) {
  if (s == "nan:canonical") return Expect::Nan::Canonical;
  if (s == "nan:arithmetic") return Expect::Nan::Arithmetic;
  return Expect::Nan::None;
}

std::optional<Expect> parse_value(const json& j) {
  if (!j.is_object()) return std::nullopt;
  std::string type = str_field(j, "type");
  Expect e;
  auto value = j.find("value");
  std::string v = value != j.end() && value->is_string() ? value->get<std::string>() : std::string();
  if (type == "i32") {
    e.val = rt::Val::i32(static_cast<uint32_t>(parse_u64(v)));
  } else if (type == "i64") {
    e.val = rt::Val::i64(parse_u64(v));
  } else if (type == "f32") {
    e.nan = nan_of(v);
    e.val = rt::Val::f32_bits(e.nan == Expect::Nan::None ? static_cast<uint32_t>(parse_u64(v)) : 0);
  } else if (type == "f64") {
    e.nan = nan_of(v);
    e.val = rt::Val::f64_bits(e.nan == Expect::Nan::None ? parse_u64(v) : 0);
  } else if (type == "v128") {
    if (value == j.end() || !value->is_array()) return std::nullopt;
    e.lane_type = str_field(j, "lane_type");
    int bits = e.lane_type == "i8" ? 8 : e.lane_type == "i16" ? 16 : e.lane_type == "i32" || e.lane_type == "f32" ? 32 : 64;
    size_t lanes = 128 / bits;
    if (value->size() != lanes) return std::nullopt;
    rt::V128 r;
    for (size_t i = 0; i < lanes; ++i) {
      std::string lane = (*value)[i].is_string() ? (*value)[i].get<std::string>() : std::string("0");
      Expect::Nan n = nan_of(lane);
      e.lane_nans.push_back(n);
      uint64_t x = n == Expect::Nan::None ? parse_u64(lane) : 0;
      std::memcpy(r.bytes.data() + i * bits / 8, &x, bits / 8);
    }
    e.val = rt::Val::v128(r);
  } else if (type == "funcref" || type == "externref" || type == "exnref") {
    bin::ValType t = type == "funcref" ? bin::ValType::FuncRef : type == "externref" ? bin::ValType::ExternRef : bin::ValType::ExnRef;
    if (v == "null") {
      e.val = rt::Val::null(t);
    } else if (t == bin::ValType::ExternRef && !v.empty()) {
      e.val = rt::Val::externref(parse_u64(v));
    } else {
      e.val = rt::Val{t, 1, 0};
      e.any_ref = true;
    }
  } else {
    return std::nullopt;
  }
  return e;
}

template <class T>
bool nan_matches(T bits, Expect::Nan n) {
  constexpr int w = sizeof(T) * 8;
  constexpr T sign = T{1} << (w - 1);
  constexpr T quiet = static_cast<T>(w == 32 ? 0x7fc00000ull : 0x7ff8000000000000ull);
  if (n == Expect::Nan::Canonical) return (bits & ~sign) == quiet;
  return (bits & quiet) == quiet;  // arithmetic: exponent all ones, quiet bit set
}

bool matches(const rt::Val& got, const Expect& want) {
  if (got.type != want.val.type) return false;
  switch (got.type) {
    case bin::ValType::I32: return got.as_i32() == want.val.as_i32();
    case bin::ValType::F32:
      if (want.nan != Expect::Nan::None) return nan_matches<uint32_t>(got.as_i32(), want.nan);
      return got.as_i32() == want.val.as_i32();
    case bin::ValType::F64:
      if (want.nan != Expect::Nan::None) return nan_matches<uint64_t>(got.bits, want.nan);
      return got.bits == want.val.bits;
    case bin::ValType::V128: {
      rt::V128 g = got.as_v128(), w = want.val.as_v128();
      size_t lanes = want.lane_nans.size();
      size_t bytes = 16 / lanes;
      for (size_t i = 0; i < lanes; ++i) {
        uint64_t gl = 0, wl = 0;
        std::memcpy(&gl, g.bytes.data() + i * bytes, bytes);
        std::memcpy(&wl, w.bytes.data() + i * bytes, bytes);
        if (want.lane_nans[i] != Expect::Nan::None) {
          bool ok = bytes == 4 ? nan_matches<uint32_t>(static_cast<uint32_t>(gl), want.lane_nans[i])
                               : nan_matches<uint64_t>(gl, want.lane_nans[i]);
          if (!ok) return false;
        } else if (gl != wl) {
          return false;
        }
      }
      return true;
    }
    default:
      if (want.any_ref) return !got.is_null();
      return got.bits == want.val.bits;
  }
}

std::string show(const rt::Val& v) { return rt::to_string(v); }

class WastRunner {
 public:
  WastRunner(const WastArgs& a, bin::Features f, std::filesystem::path dir)
      : args_(a), features_(f), dir_(std::move(dir)), name_(std::filesystem::path(a.path).filename().string()) {
    rt::Config config;
    config.features = f;
    config_ = config;
    store_ = std::make_unique<rt::Store>(config);
    add_spectest();
  }

  void run(const json& cmd) {
    std::string type = str_field(cmd, "type");
    line_ = cmd.value("line", 0);
    type_ = type;
    file_ = str_field(cmd, "filename");
    if (type == "module") {
      auto m = compile(file_);
      if (!m) return failure("module is invalid: " + render(m.error()));
      auto inst = linker_.instantiate(*store_, *m);
      if (!inst) return failure("instantiation failed: " + inst.error().to_string());
      current_ = *inst;
      if (std::string n = str_field(cmd, "name"); !n.empty()) named_[n] = *inst;
      pass();
    } else if (type == "register") {
      rt::Instance* inst = instance(str_field(cmd, "name"));
      if (!inst) return failure("no such module");
      linker_.define_instance(str_field(cmd, "as"), *inst);
      pass();
    } else if (type == "action") {
      auto r = act(cmd);
      if (!r) return failure("trapped: " + r.error().to_string());
      pass();
    } else if (type == "assert_return") {
      assert_return(cmd);
    } else if (type == "assert_trap" || type == "assert_exhaustion") {
      auto r = act(cmd);
      std::string expected = str_field(cmd, "text");
      if (r) return failure(fmt::format("returned, expected the trap \"{}\"", expected));
      if (type == "assert_exhaustion" && r.error().kind != rt::TrapKind::CallStackExhausted) {
        return failure("trapped with \"" + r.error().message + "\", expected exhaustion");
      }
      if (!r.error().message.starts_with(expected)) {
        return failure(fmt::format("trapped with \"{}\", expected \"{}\"", r.error().message, expected));
      }
      pass();
    } else if (type == "assert_exception") {
      auto r = act(cmd);
      if (r) return failure("returned, expected an exception");
      if (r.error().kind != rt::TrapKind::UncaughtException) return failure("trapped: " + r.error().message);
      pass();
    } else if (type == "assert_invalid" || type == "assert_malformed") {
      if (str_field(cmd, "module_type") == "text") {
        ++counts_.skipped;  // a text-format case: tests a text parser
        return;
      }
      auto m = compile(file_);
      std::string expected = str_field(cmd, "text");
      if (m) return failure(fmt::format("module was accepted (expected: {})", expected));
      pass();
      if (args_.messages && m.error().message.find(expected) == std::string::npos) {
        std::printf("NOTE %s:%d %s %s: expected \"%s\", got: %s\n", name_.c_str(), line_, type.c_str(),
                    file_.c_str(), expected.c_str(), render(m.error()).c_str());
      }
    } else if (type == "assert_unlinkable" || type == "assert_uninstantiable") {
      auto m = compile(file_);
      if (!m) return failure("module is invalid: " + render(m.error()));
      auto inst = linker_.instantiate(*store_, *m);
      if (inst) return failure("module was instantiated");
      bool link = inst.error().kind == rt::TrapKind::Link;
      if (link != (type == "assert_unlinkable")) {
        return failure(fmt::format("{} error: {}", link ? "link" : "instantiation", inst.error().to_string()));
      }
      pass();
    } else {
      ++counts_.skipped;
    }
  }

  Counts counts() const {
    Counts c = counts_;
    c.failed += round_trip_failures_;
    return c;
  }

 private:
  void pass() { ++counts_.passed; }

  void failure(const std::string& why) {
    ++counts_.failed;
    std::printf("FAIL %s:%d %s %s: %s\n", name_.c_str(), line_, type_.c_str(), file_.c_str(), why.c_str());
  }

  rt::Instance* instance(const std::string& name) {
    if (name.empty()) return current_;
    auto it = named_.find(name);
    return it == named_.end() ? nullptr : it->second;
  }

  // Reads and compiles; with --round-trip, a module that reads must also
  // write back to the identical bytes (a failure there is reported at once).
  Expected<std::shared_ptr<const rt::Module>> compile(const std::string& file) {
    auto bytes = read_binary_file((dir_ / file).string());
    if (!bytes) return fail(Diagnostic::plain("cannot read " + (dir_ / file).string()));
    if (args_.round_trip) {
      auto m = bin::read_module(*bytes, features_);
      if (m) {
        std::vector<uint8_t> out = bin::write_module(*m);
        if (out != *bytes) {
          size_t i = 0;
          while (i < out.size() && i < bytes->size() && out[i] == (*bytes)[i]) ++i;
          ++round_trip_failures_;
          std::printf("FAIL %s:%d %s %s: round trip changed the bytes at offset %#zx\n", name_.c_str(), line_,
                      type_.c_str(), file.c_str(), i);
        }
      }
    }
    auto kind = bin::detect_binary_kind(*bytes);
    if (kind && *kind == bin::BinaryKind::Component) {
      return fail(Diagnostic::at_offset(4, "components are not supported here"));
    }
    return rt::Module::compile(*bytes, config_);
  }

  rt::Result<std::vector<rt::Val>> act(const json& cmd) {
    auto a = cmd.find("action");
    if (a == cmd.end() || !a->is_object()) return rt::trap(rt::Trap::make(rt::TrapKind::Host, "no action"));
    rt::Instance* inst = instance(str_field(*a, "module"));
    if (!inst) return rt::trap(rt::Trap::make(rt::TrapKind::Host, "no such module"));
    std::string field = str_field(*a, "field");
    if (str_field(*a, "type") == "get") {
      rt::Global* g = inst->global(field);
      if (!g) return rt::trap(rt::Trap::make(rt::TrapKind::Host, "no global export " + field));
      return std::vector<rt::Val>{g->get()};
    }
    rt::Func* f = inst->func(field);
    if (!f) return rt::trap(rt::Trap::make(rt::TrapKind::Host, "no function export " + field));
    std::vector<rt::Val> args;
    auto jargs = a->find("args");
    if (jargs != a->end() && jargs->is_array()) {
      for (const json& j : *jargs) {
        auto v = parse_value(j);
        if (!v) return rt::trap(rt::Trap::make(rt::TrapKind::Host, "unsupported argument " + j.dump()));
        args.push_back(v->val);
      }
    }
    return store_->call(f, args);
  }

  void assert_return(const json& cmd) {
    auto r = act(cmd);
    if (!r) return failure("trapped: " + r.error().to_string());
    std::vector<Expect> want;
    auto jexp = cmd.find("expected");
    if (jexp != cmd.end() && jexp->is_array()) {
      for (const json& j : *jexp) {
        auto v = parse_value(j);
        if (!v) return failure("unsupported expectation " + j.dump());
        want.push_back(*v);
      }
    }
    if (r->size() != want.size()) return failure(fmt::format("{} results, expected {}", r->size(), want.size()));
    for (size_t i = 0; i < want.size(); ++i) {
      if (!matches((*r)[i], want[i])) {
        return failure(fmt::format("result {} is {}, expected {}", i, show((*r)[i]), show(want[i].val)));
      }
    }
    pass();
  }

  // The host module the spec tests import (spectest.wast conventions).
  void add_spectest() {
    using bin::ValType;
    auto print = [this](const char* name, std::vector<ValType> params) {
      bin::FuncType t;
      t.params = std::move(params);
      linker_.define("spectest", name,
                     rt::Extern::func(store_->add_func_raw(t, [](rt::Caller&, uint64_t*) -> std::expected<void, rt::Trap> {
                       return {};
                     })));
    };
    print("print", {});
    print("print_i32", {ValType::I32});
    print("print_i64", {ValType::I64});
    print("print_f32", {ValType::F32});
    print("print_f64", {ValType::F64});
    print("print_i32_f32", {ValType::I32, ValType::F32});
    print("print_f64_f64", {ValType::F64, ValType::F64});
    auto global = [this](const char* name, ValType t, rt::Val v) {
      linker_.define("spectest", name, rt::Extern::global(store_->add_global({t, false}, v)));
    };
    global("global_i32", ValType::I32, rt::Val::i32(666));
    global("global_i64", ValType::I64, rt::Val::i64(666));
    global("global_f32", ValType::F32, rt::Val::f32(666.6f));
    global("global_f64", ValType::F64, rt::Val::f64(666.6));
    bin::TableType tt;
    tt.elem = ValType::FuncRef;
    tt.limits.min = 10;
    tt.limits.max = 20;
    if (auto t = store_->add_table(tt, rt::Val::null(ValType::FuncRef))) linker_.define("spectest", "table", rt::Extern::table(*t));
    tt.limits.is64 = true;
    if (auto t = store_->add_table(tt, rt::Val::null(ValType::FuncRef))) linker_.define("spectest", "table64", rt::Extern::table(*t));
    bin::MemoryType mt;
    mt.limits.min = 1;
    mt.limits.max = 2;
    if (auto m = store_->add_memory(mt)) linker_.define("spectest", "memory", rt::Extern::memory(*m));
  }

  const WastArgs& args_;
  bin::Features features_;
  rt::Config config_;
  std::filesystem::path dir_;
  std::string name_;
  std::unique_ptr<rt::Store> store_;
  rt::Linker linker_;
  rt::Instance* current_ = nullptr;
  std::map<std::string, rt::Instance*> named_;
  Counts counts_;
  int round_trip_failures_ = 0;
  int line_ = 0;
  std::string type_, file_;
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
