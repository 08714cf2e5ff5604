// The component of `component new`: imports, core instances, shims and
// fixups (see new_encoder.h for the layout).
#include <fmt/format.h>

#include "core_emit.h"
#include "encode_util.h"
#include "new_encoder.h"
#include "witc/base/try.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/writer.h"

namespace witc::compose::detail {

namespace {

using bin::Sort;
using bin::ValType;

bin::CanonOpt opt(bin::CanonOpt::Kind kind, uint32_t index = 0) {
  bin::CanonOpt o;
  o.kind = kind;
  o.index = index;
  return o;
}

bin::CanonOpt::Kind encoding_opt(StringEncoding e) {
  switch (e) {
    case StringEncoding::Utf8: return bin::CanonOpt::Kind::Utf8;
    case StringEncoding::Utf16: return bin::CanonOpt::Kind::Utf16;
    case StringEncoding::CompactUtf16: return bin::CanonOpt::Kind::Latin1Utf16;
  }
  return bin::CanonOpt::Kind::Utf8;
}

// The shim: `n` functions calling through a table of `n` entries, exported
// as "0".."n-1", and the table as "$imports".
std::vector<uint8_t> shim_module(const std::vector<bin::FuncType>& sigs) {
  bin::Module m;
  for (uint32_t i = 0; i < sigs.size(); ++i) {
    uint32_t type = intern_type(m, sigs[i]);
    BodyWriter body;
    for (uint32_t p = 0; p < sigs[i].params.size(); ++p) body.local_get(p);
    body.i32_const(static_cast<int32_t>(i)).call_indirect(type, 0);
    add_function(m, type, std::move(body).finish());
    m.exports.push_back(make_export(std::to_string(i), bin::ExternKind::Func, i));
  }
  bin::Table t;
  t.type.elem = ValType::FuncRef;
  t.type.limits.min = sigs.size();
  t.type.limits.max = sigs.size();
  m.tables.push_back(t);
  m.exports.push_back(make_export("$imports", bin::ExternKind::Table, 0));
  return bin::write_module(m);
}

// The fixup: imports the real functions and the shim's table and fills the
// table with an active element segment.
std::vector<uint8_t> fixup_module(const std::vector<bin::FuncType>& sigs) {
  bin::Module m;
  std::vector<uint32_t> funcs;
  for (uint32_t i = 0; i < sigs.size(); ++i) {
    bin::Import im;
    im.module = "";
    im.name = std::to_string(i);
    im.kind = bin::ExternKind::Func;
    im.func = bin::TypeIdx(intern_type(m, sigs[i]));
    m.imports.push_back(std::move(im));
    funcs.push_back(i);
  }
  bin::Import table;
  table.module = "";
  table.name = "$imports";
  table.kind = bin::ExternKind::Table;
  table.table.elem = ValType::FuncRef;
  table.table.limits.min = sigs.size();
  table.table.limits.max = sigs.size();
  m.imports.push_back(std::move(table));
  bin::ElemSegment seg;
  seg.flags = 0;
  seg.mode = bin::SegmentMode::Active;
  std::vector<uint8_t> offset = {0x41, 0x00, 0x0b};  // i32.const 0
  seg.offset_expr = m.add_bytes(offset);
  seg.funcs = std::move(funcs);
  m.elements.push_back(std::move(seg));
  return bin::write_module(m);
}

// A module whose start function calls its only import.
std::vector<uint8_t> start_module() {
  bin::Module m;
  bin::Import im;
  im.module = "";
  im.name = "initialize";
  im.kind = bin::ExternKind::Func;
  im.func = bin::TypeIdx(intern_type(m, bin::FuncType{}));
  m.imports.push_back(std::move(im));
  m.start = bin::FuncIdx(0);
  return bin::write_module(m);
}

}  // namespace

std::vector<bin::CanonOpt> NewEncoder::options(const Needs& needs, std::optional<uint32_t> realloc) const {
  return options(needs, realloc, p_.encoding);
}

// In wit-component's order: memory, realloc, string encoding, async.
std::vector<bin::CanonOpt> NewEncoder::options(const Needs& needs, std::optional<uint32_t> realloc,
                                               StringEncoding encoding) const {
  std::vector<bin::CanonOpt> opts;
  if (needs.memory && memory_) opts.push_back(opt(bin::CanonOpt::Kind::Memory, *memory_));
  if (needs.realloc && realloc) opts.push_back(opt(bin::CanonOpt::Kind::Realloc, *realloc));
  if (needs.encoding) opts.push_back(opt(encoding_opt(encoding)));
  if (needs.async) opts.push_back(opt(bin::CanonOpt::Kind::Async));
  return opts;
}

// --- imports -------------------------------------------------------------------------------

Expected<void> NewEncoder::encode_imports() {
  imports_.set_outer_sink(&b_);
  for (size_t i = 0; i < w_.imports.size(); ++i) {
    const auto& [key, item] = w_.imports.at_index(i);
    if (item.kind != wit::WorldItem::Kind::Interface) continue;
    const auto& types = p_.live_types[i];
    const auto& funcs = p_.live_funcs[i];
    if (types.empty() && funcs.empty()) continue;
    imports_.set_interface(item.interface);
    auto ty =
        imports_.instance(item.interface, types, [&](const wit::Function& f) { return funcs.count(f.name) != 0; });
    if (!ty) {
      return fail(
          std::move(ty.error()).with_context(fmt::format("failed to encode import `{}`", world_key_name(r_, key))));
    }
    uint32_t inst = b_.import(world_item_name(r_, key, item), extern_desc(bin::ExternDesc::Kind::Instance, *ty));
    imports_.set_instance(item.interface, inst);
    import_instance_[item.interface.index] = inst;
  }
  imports_.set_interface(std::nullopt);
  for (const auto& [key, item] : w_.imports) {
    if (item.kind != wit::WorldItem::Kind::Type) continue;
    imports_.set_import_types(true);
    auto v = imports_.valtype(wit::Type::of(item.type));
    imports_.set_import_types(false);
    if (!v) return fail(std::move(v.error()).with_context(fmt::format("failed to encode import `{}`", key.name)));
  }
  for (size_t i = 0; i < w_.imports.size(); ++i) {
    const auto& [key, item] = w_.imports.at_index(i);
    if (item.kind != wit::WorldItem::Kind::Function || !p_.live_funcs[i].count(item.function.name)) continue;
    auto ty = imports_.func_type(item.function);
    if (!ty) return fail(std::move(ty.error()).with_context(fmt::format("failed to encode import `{}`", key.name)));
    import_func_[i] = b_.import(world_item_name(r_, key, item), extern_desc(bin::ExternDesc::Kind::Func, *ty));
  }
  return {};
}

std::optional<uint32_t> NewEncoder::world_type(wit::TypeId id) const {
  const auto& map = imports_.outer().id_to_index;
  auto it = map.find(id.index);
  if (it == map.end()) return std::nullopt;
  return it->second;
}

// --- shims ---------------------------------------------------------------------------------

// The kinds of core imports made by a `canon` with options.
static bool has_options(const CoreImport& ci) {
  using K = CoreImport::Kind;
  return ci.kind == K::Func || ci.kind == K::Builtin || ci.kind == K::Payload || ci.kind == K::TaskReturn;
}

void NewEncoder::plan_shims() {
  auto add = [&](const ModuleUse& use, size_t i) {
    const CoreImport& ci = use.imports[i];
    Shim s;
    s.kind = ci.kind == CoreImport::Kind::AdapterFunc ? Shim::Kind::AdapterExport : Shim::Kind::Lower;
    s.sig = ci.type;
    s.module = &use;
    s.import = &ci;
    shim_of_import_[{&use, i}] = shims_.size();
    shims_.push_back(std::move(s));
  };
  // The main module's lowerings that need its memory or realloc, and what
  // it imports from adapters.
  for (size_t i = 0; i < p_.main.imports.size(); ++i) {
    const CoreImport& ci = p_.main.imports[i];
    bool indirect =
        ci.kind == CoreImport::Kind::AdapterFunc || (has_options(ci) && (ci.needs.memory || ci.needs.realloc));
    if (indirect) add(p_.main, i);
  }
  // Destructors of exported resources (the types exist before the module).
  for (const auto& [key, item] : w_.exports) {
    if (item.kind != wit::WorldItem::Kind::Interface) continue;
    for (const auto& [name, id] : r_.interfaces[item.interface].types) {
      auto dtor = p_.main.dtors.find(id.index);
      if (dtor == p_.main.dtors.end()) continue;
      Shim s;
      s.kind = Shim::Kind::Dtor;
      s.sig.params = {ValType::I32};
      s.module = &p_.main;
      s.dtor = dtor->second;
      shim_of_dtor_[id.index] = shims_.size();
      shims_.push_back(std::move(s));
    }
  }
  // The adapters' lowerings whose realloc is the adapter's own export.
  for (const auto& adapter : p_.adapters) {
    for (size_t i = 0; i < adapter.imports.size(); ++i) {
      const CoreImport& ci = adapter.imports[i];
      if (has_options(ci) && ci.needs.realloc) add(adapter, i);
    }
  }
}

void NewEncoder::encode_shim_module() {
  if (shims_.empty()) return;
  std::vector<bin::FuncType> sigs;
  for (const auto& s : shims_) sigs.push_back(s.sig);
  uint32_t module = b_.core_module(shim_module(sigs));
  shim_instance_ = b_.core_instantiate(module, {});
}

// --- core functions for imports -----------------------------------------------------------------

Expected<uint32_t> NewEncoder::imported_func(const CoreImport& ci) {
  const auto& item = w_.imports.at_index(ci.item).second;
  if (item.kind == wit::WorldItem::Kind::Function) {
    auto it = import_func_.find(ci.item);
    if (it == import_func_.end()) return fail(Diagnostic::plain("internal error: world function not imported"));
    return it->second;
  }
  auto inst = import_instance_.find(item.interface.index);
  if (inst == import_instance_.end()) return fail(Diagnostic::plain("internal error: interface not imported"));
  auto key = std::make_pair(inst->second, ci.func->name);
  if (auto it = aliases_.find(key); it != aliases_.end()) return it->second;
  uint32_t f = b_.alias_export(inst->second, ci.func->name, Sort::Func);
  aliases_[key] = f;
  return f;
}

Expected<uint32_t> NewEncoder::resource_type(wit::TypeId resource) {
  const wit::TypeDef& td = r_.types[resource];
  if (td.owner.kind == wit::TypeOwner::Kind::Interface) {
    auto inst = import_instance_.find(td.owner.interface.index);
    if (inst != import_instance_.end()) {
      auto key = std::make_pair(inst->second, "type " + *td.name);
      if (auto it = aliases_.find(key); it != aliases_.end()) return it->second;
      uint32_t t = b_.alias_export(inst->second, *td.name, Sort::Type);
      aliases_[key] = t;
      return t;
    }
  }
  if (auto t = world_type(resource)) return *t;
  return fail(Diagnostic::plain(fmt::format("internal error: resource `{}` is not imported", td.name.value_or("?"))));
}

Expected<uint32_t> NewEncoder::lower(const CoreImport& ci, std::optional<uint32_t> realloc) {
  WITC_TRY_VAL(uint32_t func, imported_func(ci));
  bin::CanonDef d;
  d.kind = bin::CanonKind::Lower;
  d.func = func;
  d.opts = options(ci.needs, realloc);
  return b_.canon(std::move(d));
}

Expected<uint32_t> NewEncoder::core_func(const ModuleUse& use, size_t i) {
  const CoreImport& ci = use.imports[i];
  if (auto it = shim_of_import_.find({&use, i}); it != shim_of_import_.end()) {
    return b_.alias_core_export(*shim_instance_, std::to_string(it->second), Sort::CoreFunc);
  }
  using K = CoreImport::Kind;
  switch (ci.kind) {
    case K::Func:
      // Only the main module's memory exists by now: adapters use it.
      return lower(ci, std::nullopt);
    case K::Builtin:
    case K::Payload:
    case K::TaskReturn: return builtin(use, ci);
    case K::ResourceDrop: {
      WITC_TRY_VAL(uint32_t t, resource_type(ci.resource));
      bin::CanonDef d;
      d.kind = bin::CanonKind::ResourceDrop;
      d.type = t;
      return b_.canon(std::move(d));
    }
    case K::ExportResourceDrop:
    case K::ExportResourceNew:
    case K::ExportResourceRep: {
      auto t = exported_resource(ci.resource);
      if (!t) return fail(Diagnostic::plain("internal error: exported resource not defined"));
      bin::CanonDef d;
      d.kind = ci.kind == K::ExportResourceDrop  ? bin::CanonKind::ResourceDrop
               : ci.kind == K::ExportResourceNew ? bin::CanonKind::ResourceNew
                                                 : bin::CanonKind::ResourceRep;
      d.type = *t;
      return b_.canon(std::move(d));
    }
    case K::MainFunc: return b_.alias_core_export(instance_index_[0], ci.name, Sort::CoreFunc);
    case K::AdapterFunc: break;
  }
  return fail(Diagnostic::plain("internal error: adapter function without shim"));
}

void NewEncoder::encode_exported_resources() {
  for (size_t i = 0; i < w_.exports.size(); ++i) {
    const auto& [key, item] = w_.exports.at_index(i);
    if (item.kind != wit::WorldItem::Kind::Interface || p_.export_providers.count(i)) continue;
    for (const auto& [name, id] : r_.interfaces[item.interface].types) {
      if (!std::holds_alternative<wit::Resource>(r_.types[id].kind)) continue;
      bin::TypeDef t;
      t.kind = bin::TypeDef::Kind::Resource;
      t.resource.rep = ValType::I32;
      if (auto s = shim_of_dtor_.find(id.index); s != shim_of_dtor_.end()) {
        t.resource.dtor =
            bin::FuncIdx(b_.alias_core_export(*shim_instance_, std::to_string(s->second), Sort::CoreFunc));
      }
      export_resource_[id.index] = b_.type(std::move(t));
    }
  }
}

// Instantiates a module with one core instance per import module (in order
// of first use); adapters get the main module's memory as `env` and the main
// instance as `__main_module__`.
Expected<uint32_t> NewEncoder::instantiate(const ModuleUse& use, uint32_t module) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<bin::CoreInlineExport>> groups;
  bool is_adapter = !use.name.empty();
  for (size_t i = 0; i < use.imports.size(); ++i) {
    const CoreImport& ci = use.imports[i];
    if (is_adapter && ci.kind == CoreImport::Kind::MainFunc) continue;
    auto f = core_func(use, i);
    if (!f) {
      return fail(
          std::move(f.error()).with_context(fmt::format("failed to lower import `{}` from `{}`", ci.name, ci.module)));
    }
    if (!groups.count(ci.module)) order.push_back(ci.module);
    groups[ci.module].push_back(core_export(ci.name, Sort::CoreFunc, *f));
  }
  std::vector<std::pair<std::string, uint32_t>> args;
  if (is_adapter) {
    bool memory = false, main = false;
    for (const auto& im : use.module.imports) {
      memory = memory || im.kind == bin::ExternKind::Memory;
      main = main || (im.kind == bin::ExternKind::Func && im.module == "__main_module__");
    }
    if (memory) {
      if (!memory_) {
        return fail(Diagnostic::plain(
            fmt::format("adapter `{}` needs the main module's memory, which it does not export", use.name)));
      }
      args.push_back({"env", b_.core_instance_of({core_export("memory", Sort::CoreMemory, *memory_)})});
    }
    // The realloc (renamed to the main module's by the reduction) and
    // `_start` of the command adapter are the main instance's exports.
    if (main) args.push_back({"__main_module__", instance_index_[0]});
  }
  for (const auto& name : order) args.push_back({name, b_.core_instance_of(std::move(groups[name]))});
  return b_.core_instantiate(module, std::move(args));
}

std::optional<uint32_t> NewEncoder::realloc_for(const ModuleUse& use, bool exported) {
  if (use.name.empty()) {
    if (exported && use.export_realloc) return b_.alias_core_export(instance_index_[0], *use.export_realloc, Sort::CoreFunc);
    return main_realloc_;
  }
  if (!exported) return adapter_import_realloc(use);
  size_t index = static_cast<size_t>(&use - p_.adapters.data()) + 1;
  if (use.export_realloc) return b_.alias_core_export(instance_index_[index], *use.export_realloc, Sort::CoreFunc);
  if (use.realloc) return b_.alias_core_export(instance_index_[index], *use.realloc, Sort::CoreFunc);
  return main_realloc_;
}

std::optional<uint32_t> NewEncoder::adapter_import_realloc(const ModuleUse& adapter) {
  size_t index = static_cast<size_t>(&adapter - p_.adapters.data()) + 1;
  if (adapter.import_realloc)
    return b_.alias_core_export(instance_index_[index], *adapter.import_realloc, Sort::CoreFunc);
  if (adapter.realloc) return b_.alias_core_export(instance_index_[index], *adapter.realloc, Sort::CoreFunc);
  return main_realloc_;
}

// --- fixups --------------------------------------------------------------------------------

Expected<void> NewEncoder::encode_fixup() {
  if (shims_.empty()) return {};
  std::vector<bin::CoreInlineExport> actual;
  std::vector<bin::FuncType> sigs;
  for (size_t k = 0; k < shims_.size(); ++k) {
    const Shim& s = shims_[k];
    uint32_t f = 0;
    switch (s.kind) {
      case Shim::Kind::Lower: {
        auto lowered = s.import->kind == CoreImport::Kind::Func ? lower(*s.import, realloc_for(*s.module, false))
                                                                 : builtin(*s.module, *s.import);
        if (!lowered) {
          return fail(std::move(lowered.error())
                          .with_context(
                              fmt::format("failed to lower import `{}` from `{}`", s.import->name, s.import->module)));
        }
        f = *lowered;
        break;
      }
      case Shim::Kind::AdapterExport: {
        size_t index = 0;
        for (size_t a = 0; a < p_.adapters.size(); ++a) {
          if (p_.adapters[a].name == s.import->adapter) index = a + 1;
        }
        if (index == 0) {
          return fail(
              Diagnostic::plain(fmt::format("internal error: adapter `{}` was not instantiated", s.import->adapter)));
        }
        f = b_.alias_core_export(instance_index_[index], s.import->name, Sort::CoreFunc);
        break;
      }
      case Shim::Kind::Dtor: f = b_.alias_core_export(instance_index_[0], s.dtor, Sort::CoreFunc); break;
    }
    actual.push_back(core_export(std::to_string(k), Sort::CoreFunc, f));
    sigs.push_back(s.sig);
  }
  actual.push_back(
      core_export("$imports", Sort::CoreTable, b_.alias_core_export(*shim_instance_, "$imports", Sort::CoreTable)));
  uint32_t inst = b_.core_instance_of(std::move(actual));
  uint32_t module = b_.core_module(fixup_module(sigs));
  b_.core_instantiate(module, {{"", inst}});
  return {};
}

void NewEncoder::encode_initialize() {
  if (!p_.main.initialize) return;
  uint32_t f = b_.alias_core_export(instance_index_[0], *p_.main.initialize, Sort::CoreFunc);
  uint32_t inst = b_.core_instance_of({core_export("initialize", Sort::CoreFunc, f)});
  uint32_t module = b_.core_module(start_module());
  b_.core_instantiate(module, {{"", inst}});
}

// --- the whole ---------------------------------------------------------------------------------

Expected<std::vector<uint8_t>> NewEncoder::run() {
  WITC_TRY(encode_imports());
  module_index_.push_back(b_.core_module(p_.main.bytes));
  for (const auto& a : p_.adapters) module_index_.push_back(b_.core_module(a.bytes));
  plan_shims();
  encode_shim_module();
  encode_exported_resources();

  WITC_TRY_VAL(uint32_t main, instantiate(p_.main, module_index_[0]));
  instance_index_.push_back(main);
  if (p_.main.memory) memory_ = b_.alias_core_export(main, *p_.main.memory, Sort::CoreMemory);
  if (p_.main.realloc) main_realloc_ = b_.alias_core_export(main, *p_.main.realloc, Sort::CoreFunc);
  for (size_t a = 0; a < p_.adapters.size(); ++a) {
    auto inst = instantiate(p_.adapters[a], module_index_[a + 1]);
    if (!inst) {
      return fail(
          std::move(inst.error()).with_context(fmt::format("failed to instantiate adapter `{}`", p_.adapters[a].name)));
    }
    instance_index_.push_back(*inst);
  }
  WITC_TRY(encode_fixup());
  encode_initialize();
  WITC_TRY(encode_exports());
  b_.custom("producers", producers_section({{"witc", "0.1.0"}}));
  return bin::write_component(b_.c);
}

Expected<std::vector<uint8_t>> encode_component(const NewPlan& plan) { return NewEncoder(plan).run(); }

}  // namespace witc::compose::detail
