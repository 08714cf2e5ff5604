// wit-golden: the WIT corpus runner. One invocation checks one case, so
// ctest shows one test per input file; `summary` runs them all in-process
// and prints the totals.
//
//   wit-golden json      CASE [--skip-reason TEXT]   resolved JSON == CASE's .wit.json
//   wit-golden roundtrip CASE [--skip-reason TEXT]   print -> parse -> same JSON
//   wit-golden fail      CASE [--differences FILE]   loading fails with the .wit.result text
//   wit-golden own       CASE EXPECTED.json          witc's own cases; WITC_BLESS=1 rewrites
//   wit-golden summary   UI-DIR [--differences FILE] [--skip NAME]...
//
// Paths are used as given: run from a directory where `tests/ui` is the
// corpus so rendered errors name `tests/ui/parse-fail/...` like the reference.
// Exit status: 0 pass, 1 fail, 77 skipped (ctest SKIP_RETURN_CODE), 2 usage.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "witc/wit/wit.h"

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;
using namespace witc;

namespace {

constexpr int kPass = 0, kFail = 1, kUsage = 2, kSkip = 77;

struct Outcome {
  bool ok = false;
  std::string report;  // what went wrong (or a note)
};

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
  return static_cast<bool>(out);
}

// The reference's comparison normalisation: `\r\n` -> `\n`, trimmed; for
// error texts also `\` -> `/`.
std::string normalise(std::string s, bool slashes) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    out += slashes && s[i] == '\\' ? '/' : s[i];
  }
  size_t b = out.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = out.find_last_not_of(" \t\r\n");
  return out.substr(b, e - b + 1);
}

// `NAME.wit` -> `NAME.wit<suffix>`, directory `NAME` -> `NAME.wit<suffix>`,
// `NAME.wat`/`NAME.wasm` -> `NAME.wit<suffix>`.
fs::path expected_path(const fs::path& input, const std::string& suffix) {
  std::string s = input.string();
  while (!s.empty() && s.back() == '/') s.pop_back();
  for (std::string ext : {".wit", ".wat", ".wasm"}) {
    if (s.size() > ext.size() && s.ends_with(ext)) {
      s.resize(s.size() - ext.size());
      break;
    }
  }
  return s + ".wit" + suffix;
}

wit::Resolve fresh_resolve() {
  wit::Resolve r;
  r.features.enabled = {"active"};
  return r;
}

// The first JSON pointer at which two documents differ (member order counts).
std::string first_difference(const Json& a, const Json& b, const std::string& at = "") {
  if (a.type() != b.type()) return at + " (type differs)";
  if (a.is_object()) {
    auto ia = a.begin(), ib = b.begin();
    for (; ia != a.end() && ib != b.end(); ++ia, ++ib) {
      if (ia.key() != ib.key()) return at + " (member '" + ia.key() + "' vs '" + ib.key() + "')";
      if (ia.value() != ib.value()) return first_difference(ia.value(), ib.value(), at + "/" + ia.key());
    }
    if (ia != a.end() || ib != b.end()) return at + " (member count differs)";
    return at;
  }
  if (a.is_array()) {
    for (size_t i = 0; i < std::min(a.size(), b.size()); ++i)
      if (a[i] != b[i]) return first_difference(a[i], b[i], at + "/" + std::to_string(i));
    return at + " (length " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + ")";
  }
  return at + ": " + a.dump() + " vs " + b.dump();
}


// Type ids renumbered in a canonical order (first use, dependencies first),
// so two graphs that differ only in the arena order of their types compare
// equal; anonymous types nothing refers to are dropped. Used for the reviewed
// cases whose printed form necessarily creates types in another order
// (worlds elaborated from `include ... with`) or cannot recreate an orphan
// (an anonymous type interned for an item a feature gate then removed).
class Canonical {
 public:
  explicit Canonical(const Json& doc) : doc_(doc) {}

  Json run() {
    const Json& types = doc_["types"];
    number_.assign(types.size(), -1);
    for (const auto& w : doc_["worlds"]) {
      for (const char* dir : {"imports", "exports"})
        for (const auto& [k, item] : w[dir].items()) visit_item(item);
    }
    for (const auto& i : doc_["interfaces"]) {
      for (const auto& [k, t] : i["types"].items()) visit(t.get<size_t>());
      for (const auto& [k, f] : i["functions"].items()) visit_func(f);
    }
    for (size_t t = 0; t < types.size(); ++t)
      if (!types[t]["name"].is_null()) visit(t);
    Json out = doc_;
    Json new_types = Json::array();
    std::vector<size_t> order(static_cast<size_t>(next_));
    for (size_t t = 0; t < types.size(); ++t)
      if (number_[t] >= 0) order[static_cast<size_t>(number_[t])] = t;
    for (size_t n : order) {
      Json t = types[n];
      t["kind"] = map_kind(t["kind"]);
      new_types.push_back(std::move(t));
    }
    out["types"] = std::move(new_types);
    for (auto& w : out["worlds"])
      for (const char* dir : {"imports", "exports"})
        for (auto& [k, item] : w[dir].items()) item = map_item(item);
    for (auto& i : out["interfaces"]) {
      for (auto& [k, t] : i["types"].items()) t = map_id(t);
      for (auto& [k, f] : i["functions"].items()) f = map_func(f);
    }
    return out;
  }

 private:
  // Every type id a kind mentions, in order.
  static void kind_refs(const Json& kind, std::vector<const Json*>& out) {
    if (!kind.is_object()) return;
    for (const auto& [tag, body] : kind.items()) {
      if (tag == "record") {
        for (const auto& f : body["fields"]) out.push_back(&f["type"]);
      } else if (tag == "variant") {
        for (const auto& c : body["cases"]) out.push_back(&c["type"]);
      } else if (tag == "tuple") {
        for (const auto& t : body["types"]) out.push_back(&t);
      } else if (tag == "handle") {
        for (const auto& [h, id] : body.items()) out.push_back(&id);
      } else if (tag == "result") {
        out.push_back(&body["ok"]);
        out.push_back(&body["err"]);
      } else if (tag == "fixed-length-list") {
        out.push_back(&body[0]);
      } else if (tag == "map") {
        out.push_back(&body[0]);
        out.push_back(&body[1]);
      } else {
        out.push_back(&body);  // option, list, future, stream, type
      }
    }
  }
  void visit_ref(const Json& t) {
    if (t.is_number_unsigned()) visit(t.get<size_t>());
  }
  void visit(size_t t) {
    if (number_[t] != -1) return;
    number_[t] = -2;  // in progress (types are acyclic)
    std::vector<const Json*> refs;
    kind_refs(doc_["types"][t]["kind"], refs);
    for (const Json* r : refs) visit_ref(*r);
    number_[t] = next_++;
  }
  void visit_func(const Json& f) {
    if (f["kind"].is_object())
      for (const auto& [k, id] : f["kind"].items()) visit_ref(id);
    for (const auto& p : f["params"]) visit_ref(p["type"]);
    if (f.contains("result")) visit_ref(f["result"]);
  }
  void visit_item(const Json& item) {
    if (item.contains("type")) visit_ref(item["type"]);
    if (item.contains("function")) visit_func(item["function"]);
  }
  Json map_id(const Json& t) const {
    if (!t.is_number_unsigned()) return t;
    return number_[t.get<size_t>()];
  }
  Json map_kind(Json kind) const {
    if (!kind.is_object()) return kind;
    for (auto& [tag, body] : kind.items()) {
      if (tag == "record") {
        for (auto& f : body["fields"]) f["type"] = map_id(f["type"]);
      } else if (tag == "variant") {
        for (auto& c : body["cases"]) c["type"] = map_id(c["type"]);
      } else if (tag == "tuple") {
        for (auto& t : body["types"]) t = map_id(t);
      } else if (tag == "handle") {
        for (auto& [h, id] : body.items()) id = map_id(id);
      } else if (tag == "result") {
        body["ok"] = map_id(body["ok"]);
        body["err"] = map_id(body["err"]);
      } else if (tag == "fixed-length-list") {
        body[0] = map_id(body[0]);
      } else if (tag == "map") {
        body[0] = map_id(body[0]);
        body[1] = map_id(body[1]);
      } else {
        body = map_id(body);
      }
    }
    return kind;
  }
  Json map_func(Json f) const {
    if (f["kind"].is_object())
      for (auto& [k, id] : f["kind"].items()) id = map_id(id);
    for (auto& p : f["params"]) p["type"] = map_id(p["type"]);
    if (f.contains("result")) f["result"] = map_id(f["result"]);
    return f;
  }
  Json map_item(Json item) const {
    if (item.contains("type")) item["type"] = map_id(item["type"]);
    if (item.contains("function")) item["function"] = map_func(item["function"]);
    return item;
  }

  const Json& doc_;
  std::vector<long> number_;
  long next_ = 0;
};

// Cases whose round trip renumbers types (reviewed; see the list file).
std::set<std::string> g_renumbered;
std::string case_name(const std::string& path);
std::set<std::string> read_differences(const std::string& file);

Outcome compare_json(const std::string& actual_text, const std::string& expected_text,
                     const std::string& what) {
  Json actual = Json::parse(actual_text, nullptr, false);
  Json expected = Json::parse(expected_text, nullptr, false);
  if (actual.is_discarded()) return {false, what + ": to_json produced invalid JSON"};
  if (expected.is_discarded()) return {false, what + ": expected file is not valid JSON"};
  if (actual == expected) return {true, ""};
  return {false, what + " differs at " + first_difference(actual, expected)};
}

Outcome check_json(const std::string& path) {
  auto expected = read_file(expected_path(path, ".json"));
  if (!expected) return {false, "missing " + expected_path(path, ".json").string()};
  wit::Resolve r = fresh_resolve();
  auto loaded = wit::load_path(r, path);
  if (!loaded) return {false, "load failed:\n" + render(loaded.error(), &r.sources)};
  return compare_json(wit::to_json(r), *expected, "JSON");
}

// Loads `text` (one or more printed packages) into `r`, reporting failure.
Outcome load_printed(wit::Resolve& r, const std::string& name, const std::string& text) {
  auto loaded = wit::load_text(r, name, text);
  if (loaded) return {true, ""};
  return {false, "printed text does not load:\n" + render(loaded.error(), &r.sources) +
                     "\n--- printed ---\n" + text};
}

// The round trip, twice:
// 1. Every package printed on its own and loaded in the original package
//    order: the JSON must equal the original's, so the text lost nothing.
// 2. As a user would use it: the dependencies loaded as in 1, then the root
//    packages printed as one text (the first as the file's package, the
//    others as nested `package { }` blocks) and loaded; printing the roots
//    again must give the same text.
Outcome check_roundtrip(const std::string& path) {
  wit::Resolve r1 = fresh_resolve();
  auto roots = wit::load_path(r1, path);
  if (!roots) return {false, "load failed:\n" + render(roots.error(), &r1.sources)};
  auto is_root = [&](wit::PackageId id) {
    return std::find(roots->begin(), roots->end(), id) != roots->end();
  };

  wit::Resolve r2 = fresh_resolve();
  for (uint32_t i = 0; i < r1.packages.size(); ++i) {
    wit::PackageId id(i);
    std::string text = wit::print(r1, {id});
    Outcome o = load_printed(r2, path + "[" + r1.packages[id].name.to_string() + "].wit", text);
    if (!o.ok) return o;
  }
  Outcome o = compare_json(wit::to_json(r2), wit::to_json(r1), "JSON after round trip");
  if (!o.ok && g_renumbered.count(case_name(path))) {
    Json a = Canonical(Json::parse(wit::to_json(r2))).run();
    Json b = Canonical(Json::parse(wit::to_json(r1))).run();
    o = compare_json(a.dump(), b.dump(), "JSON after round trip (types renumbered canonically)");
  }
  if (!o.ok) {
    for (uint32_t i = 0; i < r1.packages.size(); ++i)
      o.report += "\n--- printed ---\n" + wit::print(r1, {wit::PackageId(i)});
    return o;
  }

  wit::Resolve r3 = fresh_resolve();
  for (uint32_t i = 0; i < r1.packages.size(); ++i) {
    if (is_root(wit::PackageId(i))) continue;
    o = load_printed(r3, path + ".dep.wit", wit::print(r1, {wit::PackageId(i)}));
    if (!o.ok) return o;
  }
  std::string text = wit::print(r1, *roots);
  o = load_printed(r3, path + ".printed.wit", text);
  if (!o.ok) return o;
  std::vector<wit::PackageId> roots3;
  for (wit::PackageId id : *roots) {
    auto found = r3.find_package(r1.packages[id].name);
    if (!found) return {false, "package " + r1.packages[id].name.to_string() + " lost in printing"};
    roots3.push_back(*found);
  }
  std::string again = wit::print(r3, roots3);
  if (again != text)
    return {false, "printing the reloaded roots gives different text\n--- first ---\n" + text +
                       "\n--- second ---\n" + again};
  return {true, ""};
}

// "tests/ui/x.wit:3:5" — the first location a rendered error names.
std::optional<std::string> first_location(const std::string& text) {
  static const std::regex loc(R"(([^\s:]+\.wit):(\d+):(\d+))");
  std::smatch m;
  if (!std::regex_search(text, m, loc)) return std::nullopt;
  return m.str(0);
}

struct FailOutcome {
  bool failed_to_load = false;
  bool location_ok = false;
  bool text_ok = false;
  std::string expected, actual;
};

FailOutcome run_fail(const std::string& path) {
  FailOutcome o;
  auto expected = read_file(expected_path(path, ".result"));
  o.expected = normalise(expected.value_or("<missing " + expected_path(path, ".result").string() + ">"), true);
  wit::Resolve r = fresh_resolve();
  auto loaded = wit::load_path(r, path);
  if (loaded) return o;
  o.failed_to_load = true;
  o.actual = normalise(render(loaded.error(), &r.sources), true);
  o.location_ok = first_location(o.actual) == first_location(o.expected);
  o.text_ok = o.actual == o.expected;
  return o;
}

// The reviewed list of parse-fail cases whose full text may differ: one
// case name per line (as in the parse-fail folder), `#` starts a comment.
std::set<std::string> read_differences(const std::string& file) {
  std::set<std::string> names;
  if (file.empty()) return names;
  std::istringstream in(read_file(file).value_or(""));
  for (std::string line; std::getline(in, line);) {
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    line = normalise(line, false);
    if (!line.empty()) names.insert(line);
  }
  return names;
}

std::string case_name(const std::string& path) {
  std::string s = path;
  while (!s.empty() && s.back() == '/') s.pop_back();
  return fs::path(s).filename().string();
}

int mode_fail(const std::string& path, const std::string& differences_file) {
  FailOutcome o = run_fail(path);
  bool listed = read_differences(differences_file).count(case_name(path)) != 0;
  std::string diff = "--- expected ---\n" + o.expected + "\n--- actual ---\n" + o.actual + "\n";
  if (!o.failed_to_load) {
    std::cout << "loading succeeded, but this case must fail\n" << diff;
    return kFail;
  }
  if (!o.location_ok) {
    std::cout << "error location differs\n" << diff;
    return kFail;
  }
  if (listed && o.text_ok) {
    std::cout << "full text now matches: remove " << case_name(path) << " from " << differences_file
              << "\n";
    return kFail;
  }
  if (!listed && !o.text_ok) {
    std::cout << "error text differs (location matches)\n" << diff;
    return kFail;
  }
  if (listed) std::cout << "location matches; full text differs (listed)\n" << diff;
  return kPass;
}

int report(const Outcome& o, const std::string& skip_reason) {
  if (o.ok) return kPass;
  std::cout << o.report << "\n";
  if (!skip_reason.empty()) {
    std::cout << "SKIPPED: " << skip_reason << "\n";
    return kSkip;
  }
  return kFail;
}

int mode_own(const std::string& path, const std::string& expected_file) {
  wit::Resolve r = fresh_resolve();
  auto loaded = wit::load_path(r, path);
  if (!loaded) {
    std::cout << "load failed:\n" << render(loaded.error(), &r.sources) << "\n";
    return kFail;
  }
  std::string json = wit::to_json(r);
  const char* bless = std::getenv("WITC_BLESS");
  if (bless && std::string(bless) == "1") {
    if (!write_file(expected_file, json)) {
      std::cout << "cannot write " << expected_file << "\n";
      return kFail;
    }
    std::cout << "blessed " << expected_file << "\n";
    return kPass;
  }
  auto expected = read_file(expected_file);
  if (!expected) {
    std::cout << "missing " << expected_file << " (run with WITC_BLESS=1 to create it)\n";
    return kFail;
  }
  return report(compare_json(json, *expected, "JSON"), "");
}

// Cases of a corpus folder: directories and .wit/.wat/.wasm files, sorted.
std::vector<std::string> cases_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (e.is_directory() ? name != "parse-fail"
                         : name.ends_with(".wit") || name.ends_with(".wat") || name.ends_with(".wasm"))
      out.push_back((dir / name).string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

int mode_summary(const std::string& ui_dir, const std::string& differences_file,
                 const std::set<std::string>& skipped) {
  int cases = 0, json_ok = 0, rt_ok = 0, skips = 0;
  for (const std::string& c : cases_in(ui_dir)) {
    if (skipped.count(case_name(c))) {
      ++skips;
      continue;
    }
    ++cases;
    bool j = check_json(c).ok, rt = check_roundtrip(c).ok;
    json_ok += j;
    rt_ok += rt;
    if (!j || !rt) std::cout << "  " << case_name(c) << (j ? "" : " json") << (rt ? "" : " roundtrip") << "\n";
  }
  std::set<std::string> listed = read_differences(differences_file);
  int fails = 0, rejected = 0, located = 0, texts = 0;
  for (const std::string& c : cases_in(fs::path(ui_dir) / "parse-fail")) {
    ++fails;
    FailOutcome o = run_fail(c);
    rejected += o.failed_to_load;
    located += o.failed_to_load && o.location_ok;
    texts += o.failed_to_load && o.text_ok;
  }
  std::cout << "wit-parser-ui passing cases: " << cases + skips << " (" << skips << " skipped)\n"
            << "  json:      " << json_ok << "/" << cases << "\n"
            << "  roundtrip: " << rt_ok << "/" << cases << "\n"
            << "wit-parser-ui parse-fail cases: " << fails << "\n"
            << "  rejected:      " << rejected << "/" << fails << "\n"
            << "  line:col:      " << located << "/" << fails << "\n"
            << "  full text:     " << texts << "/" << fails << " (" << listed.size()
            << " listed as allowed to differ)\n";
  return kPass;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() < 2) {
    std::cerr << "usage: wit-golden json|roundtrip|fail|own|summary PATH [options]\n";
    return kUsage;
  }
  std::string mode = args[0], path = args[1], skip_reason, differences, extra;
  std::set<std::string> skipped;
  for (size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--skip-reason" && i + 1 < args.size()) {
      skip_reason = args[++i];
    } else if (args[i] == "--differences" && i + 1 < args.size()) {
      differences = args[++i];
    } else if (args[i] == "--skip" && i + 1 < args.size()) {
      skipped.insert(args[++i]);
    } else if (args[i] == "--renumbered" && i + 1 < args.size()) {
      g_renumbered = read_differences(args[++i]);
    } else {
      extra = args[i];
    }
  }
  if (mode == "json") return report(check_json(path), skip_reason);
  if (mode == "roundtrip") return report(check_roundtrip(path), skip_reason);
  if (mode == "fail") return mode_fail(path, differences);
  if (mode == "own" && !extra.empty()) return mode_own(path, extra);
  if (mode == "summary") return mode_summary(path, differences, skipped);
  std::cerr << "wit-golden: unknown mode or missing argument\n";
  return kUsage;
}
