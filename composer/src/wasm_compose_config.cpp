// The `wasm-tools compose` YAML configuration (see wasm_compose.h), read with
// yaml-cpp. yaml-cpp reports problems by exceptions; they stop here.
#include <array>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "witc/base/file.h"
#include "witc/base/try.h"
#include "witc/composer/wasm_compose.h"

namespace witc::compose {

namespace {

std::string where(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.is_null()) return {};
  return fmt::format(" at line {} column {}", m.line + 1, m.column + 1);
}

std::string_view type_name(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null: return "null";
    case YAML::NodeType::Scalar: return "string";
    case YAML::NodeType::Sequence: return "sequence";
    case YAML::NodeType::Map: return "map";
    default: return "nothing";
  }
}

Unexpected invalid(const YAML::Node& n, std::string_view expected) {
  return fail(Diagnostic::plain(fmt::format("invalid type: {}, expected {}{}", type_name(n), expected, where(n))));
}

// Keys of a map, each checked against `allowed` (serde's deny_unknown_fields).
template <size_t N>
Expected<void> known_keys(const YAML::Node& map, const std::array<std::string_view, N>& allowed) {
  for (const auto& kv : map) {
    if (!kv.first.IsScalar()) return invalid(kv.first, "a field name");
    const std::string key = kv.first.Scalar();
    bool ok = false;
    for (std::string_view a : allowed) ok |= a == key;
    if (ok) continue;
    std::string list;
    for (std::string_view a : allowed) list += fmt::format("{}`{}`", list.empty() ? "" : ", ", a);
    return fail(Diagnostic::plain(fmt::format("unknown field `{}`, expected one of {}{}", key, list, where(kv.first))));
  }
  return {};
}

Expected<std::string> string_of(const YAML::Node& n) {
  if (!n.IsScalar()) return invalid(n, "a string");
  return n.Scalar();
}

Expected<bool> bool_of(const YAML::Node& n) {
  if (n.IsScalar()) {
    const std::string& s = n.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  return invalid(n, "a boolean");
}

Expected<std::vector<std::filesystem::path>> paths_of(const YAML::Node& n) {
  std::vector<std::filesystem::path> out;
  if (n.IsNull()) return out;
  if (!n.IsSequence()) return invalid(n, "a sequence");
  for (const auto& item : n) {
    WITC_TRY_VAL(std::string s, string_of(item));
    out.emplace_back(s);
  }
  return out;
}

// A map whose values are a string or a map (`dependencies`, `arguments`).
template <class F>
Expected<void> each_entry(const YAML::Node& n, F&& f) {
  if (n.IsNull()) return {};
  if (!n.IsMap()) return invalid(n, "a map");
  for (const auto& kv : n) {
    WITC_TRY_VAL(std::string key, string_of(kv.first));
    WITC_TRY(f(key, kv.first, kv.second));
  }
  return {};
}

Expected<WasmComposeConfig::Argument> argument_of(const YAML::Node& v) {
  WasmComposeConfig::Argument a;
  if (v.IsScalar()) {
    a.instance = v.Scalar();
    return a;
  }
  if (!v.IsMap()) return invalid(v, "a string or map");
  WITC_TRY(known_keys(v, std::array<std::string_view, 2>{"instance", "export"}));
  if (!v["instance"]) return fail(Diagnostic::plain(fmt::format("missing field `instance`{}", where(v))));
  WITC_ASSIGN(a.instance, string_of(v["instance"]));
  if (const YAML::Node e = v["export"]; e && !e.IsNull()) WITC_ASSIGN(a.export_name, string_of(e));
  return a;
}

Expected<WasmComposeConfig::Instantiation> instantiation_of(const YAML::Node& v) {
  WasmComposeConfig::Instantiation inst;
  if (v.IsNull()) return inst;
  if (!v.IsMap()) return invalid(v, "a map");
  WITC_TRY(known_keys(v, std::array<std::string_view, 2>{"dependency", "arguments"}));
  if (const YAML::Node d = v["dependency"]; d && !d.IsNull()) WITC_ASSIGN(inst.dependency, string_of(d));
  if (const YAML::Node args = v["arguments"]) {
    auto add = [&](const std::string& name, const YAML::Node& key, const YAML::Node& value) -> Expected<void> {
      WITC_TRY_VAL(WasmComposeConfig::Argument a, argument_of(value));
      if (!inst.arguments.insert(name, std::move(a))) {
        return fail(Diagnostic::plain(fmt::format("duplicate argument `{}`{}", name, where(key))));
      }
      return {};
    };
    WITC_TRY(each_entry(args, add));
  }
  return inst;
}

Expected<WasmComposeConfig> config_of(const YAML::Node& root) {
  WasmComposeConfig c;
  if (!root || root.IsNull()) return c;
  if (!root.IsMap()) return invalid(root, "a map");
  WITC_TRY(known_keys(root, std::array<std::string_view, 7>{"definitions", "search-paths", "skip-validation",
                                                             "import-components", "disallow-imports",
                                                             "dependencies", "instantiations"}));
  if (const YAML::Node n = root["definitions"]) WITC_ASSIGN(c.definitions, paths_of(n));
  if (const YAML::Node n = root["search-paths"]) WITC_ASSIGN(c.search_paths, paths_of(n));
  if (const YAML::Node n = root["skip-validation"]) WITC_ASSIGN(c.skip_validation, bool_of(n));
  if (const YAML::Node n = root["import-components"]) WITC_ASSIGN(c.import_components, bool_of(n));
  if (const YAML::Node n = root["disallow-imports"]) WITC_ASSIGN(c.disallow_imports, bool_of(n));
  if (const YAML::Node n = root["dependencies"]) {
    auto add = [&](const std::string& name, const YAML::Node& key, const YAML::Node& v) -> Expected<void> {
      std::string path;
      if (v.IsScalar()) {
        path = v.Scalar();
      } else if (v.IsMap()) {
        WITC_TRY(known_keys(v, std::array<std::string_view, 1>{"path"}));
        if (!v["path"]) return fail(Diagnostic::plain(fmt::format("missing field `path`{}", where(v))));
        WITC_ASSIGN(path, string_of(v["path"]));
      } else {
        return invalid(v, "a string or map");
      }
      if (!c.dependencies.insert(name, std::filesystem::path(path))) {
        return fail(Diagnostic::plain(fmt::format("duplicate dependency `{}`{}", name, where(key))));
      }
      return {};
    };
    WITC_TRY(each_entry(n, add));
  }
  if (const YAML::Node n = root["instantiations"]) {
    if (!n.IsNull() && !n.IsMap()) return invalid(n, "a map");
    for (const auto& kv : n) {
      WITC_TRY_VAL(std::string name, string_of(kv.first));
      WITC_TRY_VAL(WasmComposeConfig::Instantiation inst, instantiation_of(kv.second));
      if (!c.instantiations.insert(name, std::move(inst))) {
        return fail(Diagnostic::plain(fmt::format("duplicate instantiation `{}`{}", name, where(kv.first))));
      }
    }
  }
  return c;
}

}  // namespace

const std::string& WasmComposeConfig::dependency_name(const std::string& instance) const {
  const Instantiation* i = instantiations.find(instance);
  return i && i->dependency ? *i->dependency : instance;
}

Expected<WasmComposeConfig> parse_wasm_compose_config(std::string_view yaml, const std::filesystem::path& path) {
  auto context = [&] { return fmt::format("failed to parse configuration file `{}`", path.string()); };
  Expected<WasmComposeConfig> c = [&]() -> Expected<WasmComposeConfig> {
    try {
      return config_of(YAML::Load(std::string(yaml)));
    } catch (const YAML::Exception& e) {
      std::string at = e.mark.is_null() ? "" : fmt::format(" at line {} column {}", e.mark.line + 1, e.mark.column + 1);
      return fail(Diagnostic::plain(e.msg + at));
    } catch (const std::exception& e) {
      return fail(Diagnostic::plain(e.what()));
    }
  }();
  if (!c) return fail(std::move(c.error()).with_context(context()));
  c->dir = path.parent_path();
  return c;
}

Expected<WasmComposeConfig> read_wasm_compose_config(const std::filesystem::path& path) {
  auto bytes = read_file_bytes(path);
  if (!bytes) {
    return fail(Diagnostic::plain(fmt::format("failed to read configuration file `{}`", path.string())));
  }
  return parse_wasm_compose_config(std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()),
                                   path);
}

}  // namespace witc::compose
