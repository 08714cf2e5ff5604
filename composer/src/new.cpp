// `component new` (new.h): reading the metadata of the main module and the
// adapters into one world, reducing the adapters, then encoding.
#include "witc/composer/new.h"

#include <fmt/format.h>

#include "new_internal.h"
#include "witc/base/try.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/component_validate.h"
#include "witc/bin/reader.h"
#include "witc/bin/validate.h"
#include "witc/bin/writer.h"
#include "witc/composer/adapter_gc.h"
#include "witc/composer/decode.h"
#include "witc/composer/metadata.h"

namespace witc::compose {

namespace {

using detail::ModuleUse;
using detail::NewPlan;

// The string encoding a component-type section records (its
// `wit-component-encoding` custom section), UTF-8 when absent.
StringEncoding section_encoding(const ComponentTypeSection& s) {
  auto c = bin::read_component(s.bytes, s.offset);
  if (!c) return StringEncoding::Utf8;
  for (const auto& cs : c->customs) {
    if (cs.name != "wit-component-encoding") continue;
    auto data = c->bytes(cs.data);
    if (data.size() >= 2 && data[1] == 1) return StringEncoding::Utf16;
    if (data.size() >= 2 && data[1] == 2) return StringEncoding::CompactUtf16;
  }
  return StringEncoding::Utf8;
}

// The module without its component-type sections (they describe the
// component, which is now what carries the types).
std::vector<uint8_t> strip_metadata(const bin::Module& m) {
  bin::Module copy = m;
  std::erase_if(copy.customs, [](const bin::CustomSection& cs) { return is_component_type_section(cs.name); });
  return bin::write_module(copy);
}

// Reads a core module and the worlds of its component-type sections, merged
// into the plan's Resolve; returns the (merged) world, or nullopt without
// sections.
Expected<std::optional<wit::WorldId>> load_metadata(NewPlan& plan, const bin::Module& m, bool first) {
  WITC_TRY_VAL(std::vector<DecodedWorldSection> sections, decode_component_type_sections(m));
  if (sections.empty()) return std::optional<wit::WorldId>{};
  std::optional<wit::WorldId> world;
  for (auto& s : sections) {
    if (first && !world) {
      plan.resolve = std::move(s.wit.resolve);
      world = s.wit.world;
      continue;
    }
    detail::ResolveMap map = detail::merge_resolve(plan.resolve, s.wit.resolve);
    wit::WorldId w = map.worlds[s.wit.world.index];
    if (world) {
      detail::merge_world_items(plan.resolve, *world, w);
    } else {
      world = w;
    }
  }
  if (first) {
    for (const auto& s : component_type_sections(m)) {
      plan.encoding = section_encoding(s);
      break;
    }
  }
  return world;
}

Expected<bin::Module> read_core(std::span<const uint8_t> bytes, const std::string& what) {
  auto kind = bin::detect_binary_kind(bytes);
  if (kind && *kind == bin::BinaryKind::Component) {
    return fail(Diagnostic::plain(fmt::format("{} is a component, not a core module", what)));
  }
  auto m = bin::read_module(bytes, bin::Features::all());
  if (!m) return fail(std::move(m.error()).with_context(fmt::format("failed to read {}", what)));
  auto info = bin::validate_module(*m, bin::Features::all());
  if (!info) return fail(std::move(info.error()).with_context(fmt::format("{} is not valid", what)));
  return std::move(*m);
}

struct LoadedAdapter {
  std::string name;
  std::vector<uint8_t> bytes;
};

// The adapter reduced to what is needed; repeated while lowering its imports
// turns out to need its `cabi_import_realloc`, which the reduction must keep.
Expected<std::optional<ModuleUse>> reduce_adapter(NewPlan& plan, const LoadedAdapter& a) {
  std::vector<std::string> keep = detail::adapter_exports_needed(plan, a.name);
  const wit::World& w = plan.resolve.worlds[plan.world];
  for (const auto& [index, provider] : plan.export_providers) {
    if (provider != a.name) continue;
    const auto& [key, item] = w.exports.at_index(index);
    if (item.kind == wit::WorldItem::Kind::Function) {
      keep.push_back(item.function.name);
    } else if (item.kind == wit::WorldItem::Kind::Interface) {
      for (const auto& [name, f] : plan.resolve.interfaces[item.interface].functions) {
        keep.push_back(detail::world_key_name(plan.resolve, key) + "#" + f.name);
      }
    }
  }
  if (keep.empty()) return std::optional<ModuleUse>{};
  WITC_TRY_VAL(bin::Module original, bin::read_module(a.bytes, bin::Features::all()));
  auto has_export = [&](std::string_view name) {
    for (const auto& e : original.exports) {
      if (e.name == name) return true;
    }
    return false;
  };
  // The post-return functions of the lifted exports.
  for (size_t i = 0, n = keep.size(); i < n; ++i) {
    if (has_export("cabi_post_" + keep[i])) keep.push_back("cabi_post_" + keep[i]);
  }
  for (int round = 0;; ++round) {
    auto reduced = gc_adapter(a.bytes, keep, plan.main.realloc);
    if (!reduced) {
      return fail(std::move(reduced.error())
                      .with_context(fmt::format("failed to reduce adapter `{}` to its minimal size", a.name)));
    }
    ModuleUse use;
    use.name = a.name;
    WITC_TRY_VAL(use.module, bin::read_module(std::span<const uint8_t>(*reduced), bin::Features::all()));
    use.bytes = std::move(*reduced);
    auto ok = detail::match_adapter(plan, use);
    if (!ok) return fail(std::move(ok.error()).with_context(fmt::format("adapter `{}` does not fit", a.name)));
    bool needs_realloc = false;
    for (const auto& ci : use.imports)
      needs_realloc = needs_realloc || (ci.kind == detail::CoreImport::Kind::Func && ci.needs.realloc);
    bool changed = false;
    for (std::string_view conv : {"cabi_import_realloc", "cabi_export_realloc"}) {
      bool needed = conv == "cabi_import_realloc" ? needs_realloc : !use.exports.empty();
      if (needed && has_export(conv) && std::find(keep.begin(), keep.end(), conv) == keep.end()) {
        keep.emplace_back(conv);
        changed = true;
      }
    }
    if (!changed || round > 2) return std::optional<ModuleUse>(std::move(use));
  }
}

}  // namespace

std::string adapter_name_from_path(std::string_view path) {
  if (auto slash = path.find_last_of("/\\"); slash != std::string_view::npos) path = path.substr(slash + 1);
  return std::string(path.substr(0, path.find('.')));
}

Expected<std::vector<uint8_t>> component_new(std::span<const uint8_t> core, const NewOptions& options) {
  NewPlan plan;
  WITC_TRY_VAL(bin::Module main, read_core(core, "the core module"));
  WITC_TRY_VAL(std::optional<wit::WorldId> world, load_metadata(plan, main, true));
  if (!world) {
    return fail(Diagnostic::plain(
        "the core module has no `component-type` custom section, so it does not say which world it implements "
        "(add one with `witc component embed` or link the `<world>_component_type.o` of the bindings)"));
  }
  plan.world = *world;
  plan.main.bytes = strip_metadata(main);
  plan.main.module = std::move(main);

  // Adapters: their worlds join the main one.
  std::vector<LoadedAdapter> adapters;
  std::set<std::string> names;
  for (const auto& a : options.adapters) {
    if (!names.insert(a.name).second) {
      return fail(Diagnostic::plain(fmt::format("adapter `{}` is given more than once", a.name)));
    }
    std::string what = fmt::format("adapter `{}`", a.name);
    WITC_TRY_VAL(bin::Module m, read_core(a.bytes, what));
    auto aw = load_metadata(plan, m, false);
    if (!aw) return fail(std::move(aw.error()).with_context(fmt::format("failed to decode the WIT of {}", what)));
    if (!*aw) return fail(Diagnostic::plain(fmt::format("{} has no `component-type` custom section", what)));
    const wit::World& mine = plan.resolve.worlds[**aw];
    wit::World& w = plan.resolve.worlds[plan.world];
    for (const auto& [key, item] : mine.exports) {
      if (w.exports.contains(key)) continue;
      w.exports.insert(key, item);
      plan.export_providers[w.exports.index_of(key)] = a.name;
    }
    detail::merge_world_items(plan.resolve, plan.world, **aw);
    adapters.push_back({a.name, a.bytes});
  }

  WITC_TRY(detail::match_main(plan, names));
  for (const auto& a : adapters) {
    WITC_TRY_VAL(std::optional<ModuleUse> use, reduce_adapter(plan, a));
    if (use) plan.adapters.push_back(std::move(*use));
  }
  for (const auto& ci : plan.main.imports) {
    if (ci.kind != detail::CoreImport::Kind::AdapterFunc) continue;
    bool found = false;
    for (const auto& a : plan.adapters) found = found || a.name == ci.adapter;
    if (!found) return fail(Diagnostic::plain(fmt::format("internal error: adapter `{}` was dropped", ci.adapter)));
  }
  detail::compute_liveness(plan);
  WITC_TRY_VAL(std::vector<uint8_t> bytes, detail::encode_component(plan));

  // What witc writes, witc must accept.
  auto check = bin::read_component(std::span<const uint8_t>(bytes));
  if (!check) return fail(std::move(check.error()).with_context("internal error: the component does not read back"));
  auto valid = bin::validate_component(*check, bin::ComponentFeatures::all());
  if (!valid) return fail(std::move(valid.error()).with_context("internal error: the component is not valid"));
  return bytes;
}

}  // namespace witc::compose
