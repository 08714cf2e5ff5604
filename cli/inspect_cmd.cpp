// `witc inspect FILE [--json]`: what a binary imports and exports.
//
// Core modules: imports, exports, memories, tables, globals, tags and custom
// sections, with function signatures, and the world of each component-type
// custom section. Components: their imports and exports as a WIT world, the
// text `jco wit FILE` (wasm-tools `component wit`) prints; with --json the
// decoded package graph (wit::to_json).
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "core_binary.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"
#include "witc/bin/reader.h"
#include "witc/bin/validate.h"
#include "witc/composer/decode.h"
#include "witc/wit/wit.h"

namespace witc::cli {

namespace {

using Json = nlohmann::ordered_json;

struct InspectArgs {
  std::string path;
  bool json = false;
};

std::string types_list(const std::vector<bin::ValType>& ts) {
  std::string s = "(";
  for (size_t i = 0; i < ts.size(); ++i) {
    if (i) s += ", ";
    s += bin::to_string(ts[i]);
  }
  return s + ")";
}

std::string func_sig(const bin::Module& m, bin::TypeIdx t) {
  if (t.index >= m.types.size()) return fmt::format("<type {}>", t.index);
  const bin::FuncType& ft = m.types[t.index];
  return types_list(ft.params) + " -> " + types_list(ft.results);
}

std::string limits_text(const bin::Limits& l, const char* unit) {
  std::string s = fmt::format("min {}{}", l.min, unit);
  if (l.max) s += fmt::format(", max {}{}", *l.max, unit);
  if (l.is64) s += ", 64-bit";
  if (l.shared) s += ", shared";
  return s;
}

Json limits_json(const bin::Limits& l) {
  Json j{{"min", l.min}};
  j["max"] = l.max ? Json(*l.max) : Json(nullptr);
  if (l.is64) j["address"] = "i64";
  if (l.shared) j["shared"] = true;
  return j;
}

// The type index of function `f` (imports first, then the function section).
std::optional<bin::TypeIdx> func_type(const bin::Module& m, uint32_t f) {
  uint32_t n = 0;
  for (const auto& imp : m.imports) {
    if (imp.kind != bin::ExternKind::Func) continue;
    if (n++ == f) return imp.func;
  }
  uint32_t local = f - n;
  if (local < m.functions.size()) return m.functions[local].type;
  return std::nullopt;
}

std::string extern_desc(const bin::Module& m, const bin::Import& imp) {
  switch (imp.kind) {
    case bin::ExternKind::Func: return "func " + func_sig(m, imp.func);
    case bin::ExternKind::Table:
      return fmt::format("table {} ({})", bin::to_string(imp.table.elem),
                         limits_text(imp.table.limits, ""));
    case bin::ExternKind::Memory:
      return fmt::format("memory ({})", limits_text(imp.memory.limits, " pages"));
    case bin::ExternKind::Global:
      return fmt::format("global {}{}", imp.global.mut ? "mut " : "", bin::to_string(imp.global.type));
    case bin::ExternKind::Tag: return "tag " + func_sig(m, imp.tag.type);
  }
  return "?";
}

std::string export_desc(const bin::Module& m, const bin::Export& e) {
  if (e.kind == bin::ExternKind::Func) {
    auto t = func_type(m, e.index);
    return fmt::format("func {}", t ? func_sig(m, *t) : "<unknown type>");
  }
  return fmt::format("{} {}", bin::to_string(e.kind), e.index);
}

using Worlds = std::vector<compose::DecodedWorldSection>;

void print_worlds_text(const Worlds& worlds) {
  if (worlds.empty()) return;
  std::printf("\ncomponent-type sections (%zu):\n", worlds.size());
  for (const auto& w : worlds) {
    const wit::Resolve& r = w.wit.resolve;
    const wit::World& world = r.worlds[w.wit.world];
    std::string id = r.packages[*world.package].name.interface_id(world.name);
    std::printf("  %s: world %s\n", w.section.c_str(), id.c_str());
    // The package the world belongs to, as WIT, indented.
    std::string text = compose::print_main_package(w.wit);
    size_t pos = 0;
    while (pos < text.size()) {
      size_t nl = text.find('\n', pos);
      if (nl == std::string::npos) nl = text.size();
      std::string_view line(text.data() + pos, nl - pos);
      if (line.empty()) {
        std::printf("\n");
      } else {
        std::printf("    %.*s\n", static_cast<int>(line.size()), line.data());
      }
      pos = nl + 1;
    }
  }
}

Json worlds_json(const Worlds& worlds) {
  Json out = Json::array();
  for (const auto& w : worlds) {
    const wit::Resolve& r = w.wit.resolve;
    const wit::World& world = r.worlds[w.wit.world];
    Json j{{"section", w.section}, {"world", r.packages[*world.package].name.interface_id(world.name)}};
    j["wit"] = compose::print_main_package(w.wit);
    j["resolve"] = Json::parse(wit::to_json(r), nullptr, false);
    out.push_back(std::move(j));
  }
  return out;
}

void print_module_text(const bin::Module& m, size_t size) {
  std::printf("core module (%zu bytes)\n", size);
  auto section = [](const char* title, size_t n) {
    std::printf("\n%s (%zu):\n", title, n);
  };
  section("imports", m.imports.size());
  for (const auto& imp : m.imports)
    std::printf("  %s::%s: %s\n", imp.module.c_str(), imp.name.c_str(), extern_desc(m, imp).c_str());
  section("exports", m.exports.size());
  for (const auto& e : m.exports)
    std::printf("  %s: %s\n", e.name.c_str(), export_desc(m, e).c_str());
  section("functions defined", m.functions.size());
  section("memories defined", m.memories.size());
  for (size_t i = 0; i < m.memories.size(); ++i)
    std::printf("  memory %zu: %s\n", i + m.num_imports(bin::ExternKind::Memory),
                limits_text(m.memories[i].type.limits, " pages").c_str());
  section("tables defined", m.tables.size());
  for (size_t i = 0; i < m.tables.size(); ++i)
    std::printf("  table %zu: %s (%s)\n", i + m.num_imports(bin::ExternKind::Table),
                std::string(bin::to_string(m.tables[i].type.elem)).c_str(),
                limits_text(m.tables[i].type.limits, "").c_str());
  section("globals defined", m.globals.size());
  for (size_t i = 0; i < m.globals.size(); ++i)
    std::printf("  global %zu: %s%s\n", i + m.num_imports(bin::ExternKind::Global),
                m.globals[i].type.mut ? "mut " : "",
                std::string(bin::to_string(m.globals[i].type.type)).c_str());
  if (!m.tags.empty()) {
    section("tags defined", m.tags.size());
    for (size_t i = 0; i < m.tags.size(); ++i)
      std::printf("  tag %zu: %s\n", i + m.num_imports(bin::ExternKind::Tag),
                  func_sig(m, m.tags[i].type.type).c_str());
  }
  if (m.start) std::printf("\nstart function: %u\n", m.start->index);
  section("custom sections", m.customs.size());
  for (const auto& c : m.customs)
    std::printf("  %s (%u bytes)\n", c.name.c_str(), c.data.size);
}

Json module_json(const bin::Module& m, size_t size) {
  Json j{{"kind", "core-module"}, {"size", size}};
  Json imports = Json::array();
  for (const auto& imp : m.imports) {
    Json i{{"module", imp.module}, {"name", imp.name}, {"kind", bin::to_string(imp.kind)}};
    switch (imp.kind) {
      case bin::ExternKind::Func:
      case bin::ExternKind::Tag: i["type"] = func_sig(m, imp.kind == bin::ExternKind::Func ? imp.func : imp.tag.type); break;
      case bin::ExternKind::Table:
        i["element"] = bin::to_string(imp.table.elem);
        i["limits"] = limits_json(imp.table.limits);
        break;
      case bin::ExternKind::Memory: i["limits"] = limits_json(imp.memory.limits); break;
      case bin::ExternKind::Global:
        i["type"] = bin::to_string(imp.global.type);
        i["mutable"] = imp.global.mut;
        break;
    }
    imports.push_back(std::move(i));
  }
  j["imports"] = std::move(imports);
  Json exports = Json::array();
  for (const auto& e : m.exports) {
    Json x{{"name", e.name}, {"kind", bin::to_string(e.kind)}, {"index", e.index}};
    if (e.kind == bin::ExternKind::Func)
      if (auto t = func_type(m, e.index)) x["type"] = func_sig(m, *t);
    exports.push_back(std::move(x));
  }
  j["exports"] = std::move(exports);
  j["functions"] = m.functions.size();
  Json mems = Json::array();
  for (const auto& mem : m.memories) mems.push_back(limits_json(mem.type.limits));
  j["memories"] = std::move(mems);
  Json tables = Json::array();
  for (const auto& t : m.tables)
    tables.push_back(Json{{"element", bin::to_string(t.type.elem)}, {"limits", limits_json(t.type.limits)}});
  j["tables"] = std::move(tables);
  Json globals = Json::array();
  for (const auto& g : m.globals)
    globals.push_back(Json{{"type", bin::to_string(g.type.type)}, {"mutable", g.type.mut}});
  j["globals"] = std::move(globals);
  j["start"] = m.start ? Json(m.start->index) : Json(nullptr);
  Json customs = Json::array();
  for (const auto& c : m.customs) customs.push_back(Json{{"name", c.name}, {"size", c.data.size}});
  j["custom-sections"] = std::move(customs);
  return j;
}

// A component: its world as WIT (exactly what `jco wit` prints: the text
// and the newline console.log adds), or the decoded graph as JSON.
int inspect_component(const InspectArgs& a, std::vector<uint8_t>&& bytes) {
  auto c = bin::read_component(std::move(bytes));
  if (!c) {
    std::fprintf(stderr, "%s: %s\n", a.path.c_str(), render(c.error()).c_str());
    return kExitError;
  }
  auto info = bin::validate_component(*c, bin::ComponentFeatures::all());
  if (!info) {
    std::fprintf(stderr, "%s: %s\n", a.path.c_str(), render(info.error()).c_str());
    return kExitError;
  }
  auto decoded = compose::decode(*c, *info);
  if (!decoded) {
    std::fprintf(stderr, "%s: %s\n", a.path.c_str(), render(decoded.error()).c_str());
    return kExitError;
  }
  if (a.json) {
    std::printf("%s\n", wit::to_json(decoded->resolve).c_str());
  } else {
    std::printf("%s\n", compose::print_main_package(*decoded).c_str());
  }
  return kExitOk;
}

int run_inspect(const InspectArgs& a) {
  auto bytes = read_binary_file(a.path);
  if (!bytes) {
    std::fprintf(stderr, "error: cannot read %s\n", a.path.c_str());
    return kExitError;
  }
  size_t size = bytes->size();
  auto kind = bin::detect_binary_kind(*bytes);
  if (!kind) {
    std::fprintf(stderr, "%s: %s\n", a.path.c_str(), render(kind.error()).c_str());
    return kExitError;
  }
  if (*kind == bin::BinaryKind::Component) return inspect_component(a, std::move(*bytes));
  auto m = bin::read_module(std::move(*bytes));
  if (!m) {
    std::fprintf(stderr, "%s: %s\n", a.path.c_str(), render(m.error()).c_str());
    return kExitError;
  }
  // Describe only what is valid: a signature shown must mean something.
  if (auto v = bin::validate_module(*m, bin::Features{}); !v) {
    std::fprintf(stderr, "%s: %s\n", a.path.c_str(), render(v.error()).c_str());
    return kExitError;
  }
  auto worlds = compose::decode_component_type_sections(*m);
  if (!worlds) {
    std::fprintf(stderr, "%s: %s\n", a.path.c_str(), render(worlds.error()).c_str());
    return kExitError;
  }
  if (a.json) {
    Json j = module_json(*m, size);
    if (!worlds->empty()) j["component-types"] = worlds_json(*worlds);
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    print_module_text(*m, size);
    print_worlds_text(*worlds);
  }
  return kExitOk;
}

}  // namespace

Runner add_inspect_command(CLI::App& app) {
  auto args = std::make_shared<InspectArgs>();
  auto* cmd = app.add_subcommand("inspect", "show what a WebAssembly binary imports and exports");
  cmd->add_option("FILE", args->path, "a .wasm core module or component")->required();
  cmd->add_flag("--json", args->json, "print the description as JSON");
  return [args, cmd]() -> int {
    if (!cmd->parsed()) return -1;
    return run_inspect(*args);
  };
}

}  // namespace witc::cli
