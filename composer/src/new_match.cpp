// Which world item each core import and export stands for (new_internal.h).
//
// Two spellings are understood, item by item:
//  - wit-component's historical names (what wit-bindgen and witc's bindgen
//    write): imports from module "ns:pkg/iface@1.2.3" (or the plain name of
//    an inline interface, or "$root" for world functions) named after the
//    function ("[method]r.f") or "[resource-drop]r"; exported resources'
//    intrinsics from "[export]ns:pkg/iface@1.2.3"; exports "ns:pkg/iface#f",
//    "f", "cabi_post_<export>", "ns:pkg/iface#[dtor]r", "memory",
//    "cabi_realloc", "_initialize";
//  - the standard `wasm32` build target names (BuildTargets.md):
//    "cm32p2|ns:pkg/iface@1.2" / "cm32p2" and "r_drop", "cm32p2|_ex_..."
//    with "r_new", "r_rep", "r_drop"; exports "cm32p2|ns:pkg/iface@1.2|f",
//    "cm32p2||f", "<export>_post", "cm32p2|...|r_dtor", "cm32p2_memory",
//    "cm32p2_realloc", "cm32p2_initialize".
// Every import must mean something and have exactly the lowered signature;
// every function the world exports must be exported with the lifted one.
#include <fmt/format.h>

#include "new_internal.h"
#include "witc/base/semver.h"
#include "witc/base/try.h"

namespace witc::compose::detail {

namespace {

std::string type_text(const bin::FuncType& t) {
  auto list = [](const std::vector<bin::ValType>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) s += " ";
      s += bin::to_string(v[i]);
    }
    return s + "]";
  };
  return list(t.params) + " -> " + list(t.results);
}

bin::FuncType func_type(std::vector<bin::ValType> params, std::vector<bin::ValType> results) {
  bin::FuncType t;
  t.params = std::move(params);
  t.results = std::move(results);
  return t;
}

bool is_resource(const wit::Resolve& r, wit::TypeId id) {
  return std::holds_alternative<wit::Resource>(r.types[id].kind);
}

// A resource an interface (or the world) names `name`, through `use` too.
std::optional<wit::TypeId> resource_named(const wit::Resolve& r, const OrderedMap<std::string, wit::TypeId>& types,
                                          const std::string& name) {
  const wit::TypeId* id = types.find(name);
  if (!id) return std::nullopt;
  wit::TypeId target = r.unalias(*id);
  if (!is_resource(r, target)) return std::nullopt;
  return target;
}

// Splits "[resource-drop]r" / "r_drop" into the resource name; nullopt when
// `name` is not that intrinsic.
std::optional<std::string> intrinsic(const std::string& name, std::string_view legacy, std::string_view standard) {
  if (name.starts_with(legacy)) return name.substr(legacy.size());
  if (name.size() > standard.size() && name.ends_with(standard)) return name.substr(0, name.size() - standard.size());
  return std::nullopt;
}

// "ns:pkg/iface@1.2" for "ns:pkg/iface@1.2.3"; nullopt without a version.
std::optional<std::string> version_track_of(std::string_view name) {
  size_t at = name.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  auto v = Version::parse(name.substr(at + 1));
  if (!v) return std::nullopt;
  return std::string(name.substr(0, at)) + "@" + version_track(*v);
}

class Matcher {
 public:
  Matcher(NewPlan& plan) : plan_(plan), r_(plan.resolve), w_(plan.resolve.worlds[plan.world]) {
    for (size_t i = 0; i < w_.imports.size(); ++i) {
      const auto& [key, item] = w_.imports.at_index(i);
      if (item.kind == wit::WorldItem::Kind::Interface) {
        modules_[world_key_name(r_, key)] = i;
        modules_["cm32p2|" + standard_key_name(r_, key)] = i;
      } else if (item.kind == wit::WorldItem::Kind::Function) {
        root_funcs_[key.name] = i;
      } else {
        root_types_[key.name] = i;
      }
    }
    for (size_t i = 0; i < w_.exports.size(); ++i) {
      const auto& [key, item] = w_.exports.at_index(i);
      if (item.kind != wit::WorldItem::Kind::Interface) continue;
      export_modules_["[export]" + world_key_name(r_, key)] = i;
      export_modules_["cm32p2|_ex_" + standard_key_name(r_, key)] = i;
    }
  }

  // Classifies a function import; adapters are the adapter names the main
  // module may import from (empty for an adapter itself).
  Expected<CoreImport> import(const bin::Import& im, const bin::FuncType& type, const std::set<std::string>& adapters,
                              bool from_adapter);
  Expected<void> exports(ModuleUse& use, const std::vector<size_t>& items);

 private:
  Expected<CoreImport> world_import(CoreImport ci, size_t index);
  Expected<CoreImport> root_import(CoreImport ci);
  Expected<CoreImport> export_intrinsic(CoreImport ci, size_t index);
  Expected<void> check(const CoreImport& ci, const bin::FuncType& expected) const;

  NewPlan& plan_;
  const wit::Resolve& r_;
  const wit::World& w_;
  std::unordered_map<std::string, size_t> modules_, export_modules_, root_funcs_, root_types_;
};

Expected<void> Matcher::check(const CoreImport& ci, const bin::FuncType& expected) const {
  if (ci.type == expected) return {};
  return fail(
      Diagnostic::plain(fmt::format("type mismatch for function `{}` imported from `{}`: expected {} but found {}",
                                    ci.name, ci.module, type_text(expected), type_text(ci.type))));
}

Expected<CoreImport> Matcher::world_import(CoreImport ci, size_t index) {
  const auto& [key, item] = w_.imports.at_index(index);
  const wit::Interface& iface = r_.interfaces[item.interface];
  ci.item = index;
  if (const wit::Function* f = iface.functions.find(ci.name)) {
    ci.kind = CoreImport::Kind::Func;
    ci.func = f;
    ci.needs = needs_of(r_, *f, abi::Context::Lower);
    WITC_TRY(check(ci, core_signature(r_, *f, abi::Context::Lower)));
    return ci;
  }
  if (auto res = intrinsic(ci.name, "[resource-drop]", "_drop")) {
    if (auto id = resource_named(r_, iface.types, *res)) {
      ci.kind = CoreImport::Kind::ResourceDrop;
      ci.resource = *id;
      WITC_TRY(check(ci, func_type({bin::ValType::I32}, {})));
      return ci;
    }
  }
  return fail(Diagnostic::plain(fmt::format("module imports `{}` from `{}`, which interface `{}` does not define",
                                            ci.name, ci.module, world_key_name(r_, key))));
}

Expected<CoreImport> Matcher::root_import(CoreImport ci) {
  if (auto it = root_funcs_.find(ci.name); it != root_funcs_.end()) {
    const wit::Function& f = w_.imports.at_index(it->second).second.function;
    ci.kind = CoreImport::Kind::Func;
    ci.item = it->second;
    ci.func = &f;
    ci.needs = needs_of(r_, f, abi::Context::Lower);
    WITC_TRY(check(ci, core_signature(r_, f, abi::Context::Lower)));
    return ci;
  }
  if (auto res = intrinsic(ci.name, "[resource-drop]", "_drop")) {
    if (auto it = root_types_.find(*res); it != root_types_.end()) {
      wit::TypeId id = r_.unalias(w_.imports.at_index(it->second).second.type);
      if (is_resource(r_, id)) {
        ci.kind = CoreImport::Kind::ResourceDrop;
        ci.item = it->second;
        ci.resource = id;
        WITC_TRY(check(ci, func_type({bin::ValType::I32}, {})));
        return ci;
      }
    }
  }
  return fail(Diagnostic::plain(
      fmt::format("module imports function `{}` from the world, which world `{}` does not import", ci.name, w_.name)));
}

Expected<CoreImport> Matcher::export_intrinsic(CoreImport ci, size_t index) {
  const auto& [key, item] = w_.exports.at_index(index);
  const wit::Interface& iface = r_.interfaces[item.interface];
  using K = CoreImport::Kind;
  struct Form {
    std::string_view legacy, standard;
    K kind;
    bool result;
  };
  static constexpr Form kForms[] = {{"[resource-drop]", "_drop", K::ExportResourceDrop, false},
                                    {"[resource-new]", "_new", K::ExportResourceNew, true},
                                    {"[resource-rep]", "_rep", K::ExportResourceRep, true}};
  for (const Form& form : kForms) {
    auto res = intrinsic(ci.name, form.legacy, form.standard);
    if (!res) continue;
    const wit::TypeId* id = iface.types.find(*res);
    if (!id || !is_resource(r_, *id)) continue;
    ci.kind = form.kind;
    ci.item = index;
    ci.resource = *id;
    std::vector<bin::ValType> results;
    if (form.result) results.push_back(bin::ValType::I32);
    WITC_TRY(check(ci, func_type({bin::ValType::I32}, std::move(results))));
    return ci;
  }
  return fail(
      Diagnostic::plain(fmt::format("module imports `{}` from `{}`, which is not a resource intrinsic of the "
                                    "exported interface `{}`",
                                    ci.name, ci.module, world_key_name(r_, key))));
}

// The canonical built-ins of Concurrency.md as wit-component names them.
bool is_async_builtin(std::string_view name) {
  static constexpr std::string_view kPrefixes[] = {"[task-",        "[waitable", "[stream-",      "[future-",
                                                   "[subtask-",     "[context-", "[backpressure", "[error-context-",
                                                   "[async-lower]", "[thread-",  "[yield]",       "[async-lift]"};
  for (std::string_view p : kPrefixes) {
    if (name.starts_with(p)) return true;
  }
  return false;
}

Expected<CoreImport> Matcher::import(const bin::Import& im, const bin::FuncType& type,
                                     const std::set<std::string>& adapters, bool from_adapter) {
  if (is_async_builtin(im.name)) {
    return fail(
        Diagnostic::plain(fmt::format("module imports `{}` from `{}`: the async built-ins of the canonical "
                                      "ABI are not supported by `component new` yet",
                                      im.name, im.module)));
  }
  CoreImport ci;
  ci.module = im.module;
  ci.name = im.name;
  ci.type = type;
  if (adapters.count(im.module)) {
    ci.kind = CoreImport::Kind::AdapterFunc;
    ci.adapter = im.module;
    return ci;
  }
  if (from_adapter && im.module == "__main_module__") {
    ci.kind = CoreImport::Kind::MainFunc;
    return ci;
  }
  if (im.module == "$root" || im.module == "cm32p2") return root_import(std::move(ci));
  if (auto it = modules_.find(im.module); it != modules_.end()) return world_import(std::move(ci), it->second);
  if (auto it = export_modules_.find(im.module); it != export_modules_.end()) {
    return export_intrinsic(std::move(ci), it->second);
  }
  // "ns:pkg/iface@0.2.6" for a world that has "ns:pkg/iface@0.2.12": the
  // same interface in a semver-compatible version.
  bool is_export = im.module.starts_with("[export]");
  if (auto track = version_track_of(is_export ? im.module.substr(8) : im.module)) {
    if (is_export) {
      if (auto it = export_modules_.find("cm32p2|_ex_" + *track); it != export_modules_.end()) {
        return export_intrinsic(std::move(ci), it->second);
      }
    } else if (auto it = modules_.find("cm32p2|" + *track); it != modules_.end()) {
      return world_import(std::move(ci), it->second);
    }
  }
  return fail(
      Diagnostic::plain(fmt::format("module imports function `{}` from `{}`, which is neither an import of "
                                    "world `{}` nor an adapter",
                                    im.name, im.module, w_.name)));
}

// The export of `m` named by one of `names`, of kind `kind`.
std::optional<std::string> find_export(const bin::Module& m, std::initializer_list<std::string> names,
                                       bin::ExternKind kind) {
  for (const auto& name : names) {
    for (const auto& e : m.exports) {
      if (e.name == name && e.kind == kind) return name;
    }
  }
  return std::nullopt;
}

const bin::FuncType* export_type(const bin::Module& m, const std::string& name) {
  uint32_t imported = m.num_imports(bin::ExternKind::Func);
  for (const auto& e : m.exports) {
    if (e.name != name || e.kind != bin::ExternKind::Func) continue;
    if (e.index < imported) {
      uint32_t n = 0;
      for (const auto& im : m.imports) {
        if (im.kind != bin::ExternKind::Func) continue;
        if (n++ == e.index) return &m.types[im.func.index];
      }
      return nullptr;
    }
    uint32_t local = e.index - imported;
    if (local >= m.functions.size()) return nullptr;
    return &m.types[m.functions[local].type.index];
  }
  return nullptr;
}

Expected<void> Matcher::exports(ModuleUse& use, const std::vector<size_t>& items) {
  const bin::Module& m = use.module;
  use.memory = find_export(m, {"memory", "cm32p2_memory"}, bin::ExternKind::Memory);
  use.realloc = find_export(m, {"cabi_realloc", "cm32p2_realloc", "canonical_abi_realloc"}, bin::ExternKind::Func);
  use.import_realloc = find_export(m, {"cabi_import_realloc"}, bin::ExternKind::Func);
  use.export_realloc = find_export(m, {"cabi_export_realloc"}, bin::ExternKind::Func);
  use.initialize = find_export(m, {"_initialize", "cm32p2_initialize"}, bin::ExternKind::Func);
  const bin::FuncType realloc_type =
      func_type({bin::ValType::I32, bin::ValType::I32, bin::ValType::I32, bin::ValType::I32}, {bin::ValType::I32});
  for (const auto& name : {use.realloc, use.import_realloc, use.export_realloc}) {
    if (!name) continue;
    const bin::FuncType* t = export_type(m, *name);
    if (!t || *t != realloc_type) {
      return fail(Diagnostic::plain(fmt::format("the export `{}` must have type {}", *name, type_text(realloc_type))));
    }
  }
  if (use.initialize) {
    const bin::FuncType* t = export_type(m, *use.initialize);
    if (!t || !t->params.empty() || !t->results.empty()) {
      return fail(Diagnostic::plain(fmt::format("the export `{}` must have type [] -> []", *use.initialize)));
    }
  }

  auto lift = [&](size_t index, const wit::WorldKey* key, const wit::Function& f) -> Expected<void> {
    std::string legacy = key ? world_key_name(r_, *key) + "#" + f.name : f.name;
    std::string standard = "cm32p2|" + (key ? standard_key_name(r_, *key) : std::string()) + "|" + f.name;
    auto name = find_export(m, {legacy, standard}, bin::ExternKind::Func);
    if (!name && find_export(m, {"[async-lift]" + legacy, "[async-lift-stackful]" + legacy}, bin::ExternKind::Func)) {
      return fail(
          Diagnostic::plain(fmt::format("module exports `{}` as an async lift, which `component new` does not "
                                        "support yet",
                                        legacy)));
    }
    if (!name) {
      return fail(Diagnostic::plain(fmt::format("module does not export function `{}` (export `{}` of world `{}`)",
                                                legacy, key ? world_key_name(r_, *key) : f.name, w_.name)));
    }
    bin::FuncType expected = core_signature(r_, f, abi::Context::Lift);
    const bin::FuncType* actual = export_type(m, *name);
    if (!actual || *actual != expected) {
      return fail(
          Diagnostic::plain(fmt::format("type mismatch for function `{}` exported as `{}`: expected {} but found {}",
                                        f.name, *name, type_text(expected), actual ? type_text(*actual) : "nothing")));
    }
    CoreExport ce;
    ce.item = index;
    ce.func = &f;
    ce.core_name = *name;
    ce.needs = needs_of(r_, f, abi::Context::Lift);
    std::string post = *name == legacy ? "cabi_post_" + legacy : standard + "_post";
    if (const bin::FuncType* pt = export_type(m, post)) {
      if (pt->params != expected.results || !pt->results.empty()) {
        return fail(
            Diagnostic::plain(fmt::format("type mismatch for post-return function `{}`: expected {} but found {}", post,
                                          type_text(func_type(expected.results, {})), type_text(*pt))));
      }
      ce.post_return = post;
    }
    if (ce.needs.realloc && !use.realloc && !use.export_realloc) {
      return fail(Diagnostic::plain(
          fmt::format("the export `{}` needs `cabi_realloc`, which the module does not export", *name)));
    }
    if (ce.needs.memory && !use.memory) {
      return fail(
          Diagnostic::plain(fmt::format("the export `{}` needs the module's memory, which it does not export", *name)));
    }
    use.exports.push_back(std::move(ce));
    return {};
  };

  for (size_t index : items) {
    const auto& [key, item] = w_.exports.at_index(index);
    if (item.kind == wit::WorldItem::Kind::Function) {
      WITC_TRY(lift(index, nullptr, item.function));
      continue;
    }
    if (item.kind != wit::WorldItem::Kind::Interface) continue;
    const wit::Interface& iface = r_.interfaces[item.interface];
    for (const auto& [name, f] : iface.functions) WITC_TRY(lift(index, &key, f));
    for (const auto& [name, id] : iface.types) {
      if (!is_resource(r_, id)) continue;
      std::string legacy = world_key_name(r_, key) + "#[dtor]" + name;
      std::string standard = "cm32p2|" + standard_key_name(r_, key) + "|" + name + "_dtor";
      auto dtor = find_export(m, {legacy, standard}, bin::ExternKind::Func);
      if (!dtor) continue;
      const bin::FuncType* t = export_type(m, *dtor);
      if (!t || *t != func_type({bin::ValType::I32}, {})) {
        return fail(Diagnostic::plain(fmt::format("the destructor `{}` must have type [i32] -> []", *dtor)));
      }
      use.dtors[id.index] = *dtor;
    }
  }
  return {};
}

// Classifies every import of the module.
Expected<void> match_imports(Matcher& matcher, ModuleUse& use, const std::set<std::string>& adapters, bool is_adapter) {
  for (const auto& im : use.module.imports) {
    if (im.kind != bin::ExternKind::Func) {
      if (is_adapter && im.kind == bin::ExternKind::Memory && im.module == "env" && im.name == "memory") continue;
      return fail(Diagnostic::plain(fmt::format("module imports {} `{}` from `{}`; only functions can be imported",
                                                bin::to_string(im.kind), im.name, im.module)));
    }
    WITC_TRY_VAL(CoreImport ci, matcher.import(im, use.module.types[im.func.index], adapters, is_adapter));
    use.imports.push_back(std::move(ci));
  }
  return {};
}

}  // namespace

std::string world_key_name(const wit::Resolve& r, const wit::WorldKey& key) {
  if (!key.is_interface()) return key.name;
  return r.id_of(key.interface).value_or(key.name);
}

std::string standard_key_name(const wit::Resolve& r, const wit::WorldKey& key) {
  if (!key.is_interface()) return key.name;
  const wit::Interface& iface = r.interfaces[key.interface];
  if (!iface.name || !iface.package) return key.name;
  const wit::PackageName& pkg = r.packages[*iface.package].name;
  std::string s = pkg.ns + ":" + pkg.name + "/" + *iface.name;
  if (pkg.version) s.append("@").append(version_track(*pkg.version));
  return s;
}

Expected<void> match_main(NewPlan& plan, const std::set<std::string>& adapter_names) {
  Matcher matcher(plan);
  WITC_TRY(match_imports(matcher, plan.main, adapter_names, false));
  std::vector<size_t> items;
  for (size_t i = 0; i < plan.resolve.worlds[plan.world].exports.size(); ++i) {
    if (!plan.export_providers.count(i)) items.push_back(i);
  }
  WITC_TRY(matcher.exports(plan.main, items));
  for (const auto& ci : plan.main.imports) {
    if (ci.kind != CoreImport::Kind::Func) continue;
    if (ci.needs.realloc && !plan.main.realloc) {
      return fail(
          Diagnostic::plain(fmt::format("the import `{}` from `{}` needs `cabi_realloc`, which the module does "
                                        "not export",
                                        ci.name, ci.module)));
    }
    if (ci.needs.memory && !plan.main.memory) {
      return fail(
          Diagnostic::plain(fmt::format("the import `{}` from `{}` needs the module's memory, which it does "
                                        "not export",
                                        ci.name, ci.module)));
    }
  }
  return {};
}

Expected<void> match_adapter(NewPlan& plan, ModuleUse& adapter) {
  Matcher matcher(plan);
  WITC_TRY(match_imports(matcher, adapter, {}, true));
  std::vector<size_t> items;
  for (const auto& [index, name] : plan.export_providers) {
    if (name == adapter.name) items.push_back(index);
  }
  // The adapter's memory is the main module's; only its realloc conventions
  // and its exports are its own.
  WITC_TRY(matcher.exports(adapter, items));
  for (const auto& ci : adapter.imports) {
    if (ci.kind == CoreImport::Kind::MainFunc) {
      const bin::Module& main = plan.main.module;
      bool found = false;
      for (const auto& e : main.exports) found = found || (e.name == ci.name && e.kind == bin::ExternKind::Func);
      if (!found) {
        return fail(
            Diagnostic::plain(fmt::format("adapter `{}` imports `{}` from the main module, which does not "
                                          "export it",
                                          adapter.name, ci.name)));
      }
    }
  }
  return {};
}

std::vector<std::string> adapter_exports_needed(const NewPlan& plan, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& ci : plan.main.imports) {
    if (ci.kind == CoreImport::Kind::AdapterFunc && ci.adapter == name) out.push_back(ci.name);
  }
  return out;
}

Needs needs_of(const wit::Resolve& r, const wit::Function& f, abi::Context context) {
  WitTypeSource src(r);
  abi::Engine abi(src);
  std::vector<abi::TypeRef> params;
  bool params_lists = false, result_lists = false;
  for (const auto& [name, t] : f.params) {
    params.push_back(src.ref(t));
    params_lists = params_lists || abi.contains_list_or_string(params.back());
  }
  std::optional<abi::TypeRef> result;
  if (f.result) {
    result = src.ref(*f.result);
    result_lists = abi.contains_list_or_string(*result);
  }
  abi::CoreSignature sig = abi.signature(params, result, abi::SignatureOptions{}, context);
  Needs n;
  n.memory = sig.params_indirect || sig.results_indirect || params_lists || result_lists;
  if (context == abi::Context::Lower) {
    n.realloc = result_lists;
  } else {
    n.realloc = sig.params_indirect || params_lists;
  }
  return n;
}

bin::FuncType core_signature(const wit::Resolve& r, const wit::Function& f, abi::Context context) {
  WitTypeSource src(r);
  abi::Engine abi(src);
  std::vector<abi::TypeRef> params;
  for (const auto& [name, t] : f.params) params.push_back(src.ref(t));
  std::optional<abi::TypeRef> result;
  if (f.result) result = src.ref(*f.result);
  return abi.signature(params, result, abi::SignatureOptions{}, context).type;
}

}  // namespace witc::compose::detail
