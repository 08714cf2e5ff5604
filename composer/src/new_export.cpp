// The exports of `component new`: lifted functions, and each exported
// interface re-typed through a nested component (see new_encoder.h).
//
// Lifting needs component function types at the top level. Their types are
// defined there structurally, except those owned by another interface, which
// are aliased from the instance that names them (an imported one, or an
// exported one the interface `use`s). Those definitions have no names; the
// names come from the nested component: it imports every type it needs
// ("import-type-<name>", bounded `eq` to the top-level definition, or a
// resource) and every lifted function ("import-func-f", "import-method-r-m",
// ...), and exports the interface's types and functions under their WIT names,
// each function with its type ascribed in terms of the exported types
// (Explainer.md "Type Checking": exports give types new identities).
#include <fmt/format.h>

#include "new_encoder.h"
#include "witc/base/try.h"

namespace witc::compose::detail {

namespace {

// Types for top-level lifts.
class RootEncoder final : public ValtypeEncoder {
 public:
  RootEncoder(NewEncoder& enc, std::optional<wit::InterfaceId> iface, const std::set<uint32_t>& exports_used)
      : ValtypeEncoder(enc.resolve()), enc_(enc), iface_(iface), exports_used_(exports_used) {
    scope_.sink = &enc.builder();
  }

 private:
  TypeScope& cur() override { return scope_; }
  Expected<std::optional<uint32_t>> foreign(wit::TypeId id) override {
    const wit::TypeDef& td = r_.types[id];
    if (auto res = enc_.exported_resource(id)) return std::optional<uint32_t>(*res);
    if (td.owner.kind == wit::TypeOwner::Kind::World) {
      if (auto t = enc_.world_type(id)) return std::optional<uint32_t>(*t);
      return std::optional<uint32_t>{};
    }
    if (td.owner.kind != wit::TypeOwner::Kind::Interface || !td.name) return std::optional<uint32_t>{};
    if (iface_ && td.owner.interface == *iface_) return std::optional<uint32_t>{};
    WITC_TRY_VAL(uint32_t index, enc_.exported_view(id, exports_used_));
    return std::optional<uint32_t>(index);
  }
  uint32_t named(uint32_t index, wit::TypeId) override { return index; }
  Expected<uint32_t> resource(wit::TypeId id) override {
    return fail(Diagnostic::plain(
        fmt::format("internal error: resource `{}` has no definition", r_.types[id].name.value_or("?"))));
  }

  NewEncoder& enc_;
  std::optional<wit::InterfaceId> iface_;
  const std::set<uint32_t>& exports_used_;
  TypeScope scope_;
};

// The nested component re-typing one exported interface.
class NestedEncoder final : public ValtypeEncoder {
 public:
  enum class Phase { Import, Export };
  CompBuilder b;
  Phase phase = Phase::Import;
  wit::InterfaceId current;  // the interface whose types are defined here now
  std::vector<std::pair<std::string, wit::TypeId>> type_imports;

  explicit NestedEncoder(const wit::Resolve& r) : ValtypeEncoder(r) { scope_.sink = &b; }
  TypeScope& scope() { return scope_; }

 private:
  TypeScope& cur() override { return scope_; }
  Expected<std::optional<uint32_t>> foreign(wit::TypeId id) override {
    const wit::TypeDef& td = r_.types[id];
    if (td.owner.kind != wit::TypeOwner::Kind::Interface || td.owner.interface == current) {
      return std::optional<uint32_t>{};
    }
    return fail(Diagnostic::plain(
        fmt::format("internal error: type `{}` of another interface is not imported", td.name.value_or("?"))));
  }
  std::string unique(const std::string& name) {
    std::string n = "import-type-" + name;
    for (int k = 0; used_.count(n); ++k) n = "import-type-" + name + std::to_string(k);
    used_.insert(n);
    return n;
  }
  uint32_t named(uint32_t index, wit::TypeId id) override {
    const std::string& name = *r_.types[id].name;
    if (phase == Phase::Export) return b.export_item(plain_name(name, r_.types[id].external_id), {bin::Sort::Type, index});
    std::string n = unique(name);
    type_imports.push_back({n, id});
    return b.import(n, extern_desc(bin::ExternDesc::Kind::Type, index));
  }
  Expected<uint32_t> resource(wit::TypeId id) override {
    const std::string& name = *r_.types[id].name;
    if (phase == Phase::Export) return fail(Diagnostic::plain("internal error: resource not re-exported"));
    std::string n = unique(name);
    type_imports.push_back({n, id});
    bin::ExternDesc d;
    d.kind = bin::ExternDesc::Kind::Type;
    d.bound = bin::ExternDesc::Bound::SubResource;
    return b.import(n, d);
  }

  TypeScope scope_;
  std::set<std::string> used_;
};

// "import-func-f", or "import-method-r-m" for "[method]r.m".
std::string import_func_name(const wit::Function& f) {
  if (f.kind == wit::Function::Kind::Freestanding || f.kind == wit::Function::Kind::AsyncFreestanding) {
    return "import-func-" + f.name;
  }
  std::string s = "import-";
  for (char c : f.name) {
    if (c == '[') continue;
    s.push_back(c == ']' || c == '.' || c == ' ' ? '-' : c);
  }
  return s;
}

// The types an interface refers to, depth first, each after what it refers
// to (as new_live.cpp's walk, for one interface).
void collect(const wit::Resolve& r, wit::TypeId id, std::set<uint32_t>& seen, std::vector<wit::TypeId>& out);
void collect_type(const wit::Resolve& r, const std::optional<wit::Type>& t, std::set<uint32_t>& seen,
                  std::vector<wit::TypeId>& out) {
  if (t && t->is_id()) collect(r, t->id, seen, out);
}
void collect(const wit::Resolve& r, wit::TypeId id, std::set<uint32_t>& seen, std::vector<wit::TypeId>& out) {
  if (!seen.insert(id.index).second) return;
  std::visit(
      [&](const auto& k) {
        using T = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<T, wit::Record>) {
          for (const auto& f : k.fields) collect_type(r, f.type, seen, out);
        } else if constexpr (std::is_same_v<T, wit::Handle>) {
          collect(r, k.resource, seen, out);
        } else if constexpr (std::is_same_v<T, wit::Tuple>) {
          for (const auto& t : k.types) collect_type(r, t, seen, out);
        } else if constexpr (std::is_same_v<T, wit::Variant>) {
          for (const auto& c : k.cases) collect_type(r, c.type, seen, out);
        } else if constexpr (std::is_same_v<T, wit::Option>) {
          collect_type(r, k.type, seen, out);
        } else if constexpr (std::is_same_v<T, wit::Result>) {
          collect_type(r, k.ok, seen, out);
          collect_type(r, k.err, seen, out);
        } else if constexpr (std::is_same_v<T, wit::List> || std::is_same_v<T, wit::FixedSizeList>) {
          collect_type(r, k.element, seen, out);
        } else if constexpr (std::is_same_v<T, wit::Map>) {
          collect_type(r, k.key, seen, out);
          collect_type(r, k.value, seen, out);
        } else if constexpr (std::is_same_v<T, wit::Future> || std::is_same_v<T, wit::Stream>) {
          collect_type(r, k.type, seen, out);
        } else if constexpr (std::is_same_v<T, wit::Alias>) {
          collect_type(r, k.target, seen, out);
        }
      },
      r.types[id].kind);
  out.push_back(id);
}

std::vector<wit::TypeId> interface_types(const wit::Resolve& r, wit::InterfaceId id) {
  std::set<uint32_t> seen;
  std::vector<wit::TypeId> out;
  const wit::Interface& iface = r.interfaces[id];
  for (const auto& [name, t] : iface.types) collect(r, t, seen, out);
  for (const auto& [name, f] : iface.functions) {
    if (f.kind == wit::Function::Kind::Static || f.kind == wit::Function::Kind::AsyncStatic) {
      collect(r, f.resource, seen, out);
    }
    for (const auto& [pn, t] : f.params) collect_type(r, t, seen, out);
    collect_type(r, f.result, seen, out);
  }
  return out;
}

}  // namespace

Expected<uint32_t> NewEncoder::exported_view(wit::TypeId id, const std::set<uint32_t>& exports_used) {
  const wit::TypeDef& td = r_.types[id];
  uint32_t owner = td.owner.interface.index;
  std::optional<uint32_t> inst;
  if (exports_used.count(owner) && export_instance_.count(owner)) {
    inst = export_instance_[owner];
  } else if (import_instance_.count(owner)) {
    inst = import_instance_[owner];
  } else if (export_instance_.count(owner)) {
    inst = export_instance_[owner];
  }
  if (!inst) {
    return fail(Diagnostic::plain(
        fmt::format("type `{}` comes from an interface that is neither imported nor exported", td.name.value_or("?"))));
  }
  auto key = std::make_pair(*inst, "type " + *td.name);
  if (auto it = aliases_.find(key); it != aliases_.end()) return it->second;
  uint32_t t = b_.alias_export(*inst, *td.name, bin::Sort::Type);
  aliases_[key] = t;
  return t;
}

Expected<uint32_t> NewEncoder::lift(const ModuleUse& use, uint32_t instance, const CoreExport& ce, uint32_t type) {
  uint32_t core = b_.alias_core_export(instance, ce.core_name, bin::Sort::CoreFunc);
  std::optional<uint32_t> realloc;
  if (ce.needs.realloc) {
    if (use.export_realloc) {
      realloc = b_.alias_core_export(instance, *use.export_realloc, bin::Sort::CoreFunc);
    } else if (use.realloc && instance != instance_index_[0]) {
      realloc = b_.alias_core_export(instance, *use.realloc, bin::Sort::CoreFunc);
    } else {
      realloc = main_realloc_;
    }
  }
  bin::CanonDef d;
  d.kind = bin::CanonKind::Lift;
  d.func = core;
  d.type = type;
  d.opts = options(ce.needs, realloc);
  if (ce.post_return) {
    bin::CanonOpt post;
    post.kind = bin::CanonOpt::Kind::PostReturn;
    post.index = b_.alias_core_export(instance, *ce.post_return, bin::Sort::CoreFunc);
    d.opts.push_back(post);
  }
  if (ce.callback) {
    bin::CanonOpt callback;
    callback.kind = bin::CanonOpt::Kind::Callback;
    callback.index = b_.alias_core_export(instance, *ce.callback, bin::Sort::CoreFunc);
    d.opts.push_back(callback);
  }
  return b_.canon(std::move(d));
}

Expected<void> NewEncoder::export_interface(const ModuleUse& use, uint32_t instance, size_t item_index) {
  const auto& [key, item] = w_.exports.at_index(item_index);
  const wit::InterfaceId id = item.interface;
  const wit::Interface& iface = r_.interfaces[id];
  static const std::set<uint32_t> kNone;
  auto used_it = p_.exports_used.find(id.index);
  const std::set<uint32_t>& used = used_it == p_.exports_used.end() ? kNone : used_it->second;

  // Lift every function with top-level types.
  RootEncoder root(*this, id, used);
  std::vector<bin::InstantiateArg> args;
  std::vector<uint32_t> lifted;
  for (const auto& [name, f] : iface.functions) {
    const CoreExport* ce = nullptr;
    for (const auto& e : use.exports) {
      if (e.item == item_index && e.func == &f) ce = &e;
    }
    if (!ce) return fail(Diagnostic::plain(fmt::format("internal error: `{}` was not matched", f.name)));
    WITC_TRY_VAL(uint32_t ty, root.func_type(f));
    WITC_TRY_VAL(uint32_t func, lift(use, instance, *ce, ty));
    lifted.push_back(func);
  }

  // The nested component: first the types of other interfaces, ...
  NestedEncoder nested(r_);
  for (wit::TypeId t : interface_types(r_, id)) {
    const wit::TypeDef& td = r_.types[t];
    if (td.owner.kind != wit::TypeOwner::Kind::Interface || td.owner.interface == id) continue;
    nested.current = td.owner.interface;
    WITC_TRY(nested.valtype(wit::Type::of(t)));
  }
  nested.current = id;
  TypeScope imported = nested.scope();
  imported.sink = nullptr;
  // ... then this interface's resources and functions.
  std::unordered_map<uint32_t, uint32_t> resources;
  for (const auto& [name, t] : iface.types) {
    if (!std::holds_alternative<wit::Resource>(r_.types[t].kind)) continue;
    WITC_TRY_VAL(bin::ValueTypeRef v, nested.valtype(wit::Type::of(t)));
    resources[t.index] = v.index;
  }
  std::vector<std::string> func_names;
  for (const auto& [name, f] : iface.functions) {
    WITC_TRY_VAL(uint32_t ty, nested.func_type(f));
    func_names.push_back(import_func_name(f));
    nested.b.import(func_names.back(), extern_desc(bin::ExternDesc::Kind::Func, ty));
  }
  // Exports under the WIT names, in terms of the exported types.
  TypeScope& scope = nested.scope();
  scope.id_to_index = std::move(imported.id_to_index);
  scope.def_to_index = std::move(imported.def_to_index);
  scope.func_types.clear();
  nested.phase = NestedEncoder::Phase::Export;
  for (const auto& [name, t] : iface.types) {
    if (auto res = resources.find(t.index); res != resources.end()) {
      scope.id_to_index[t.index] =
          nested.b.export_item(plain_name(name, r_.types[t].external_id), {bin::Sort::Type, res->second});
      continue;
    }
    WITC_TRY(nested.valtype(wit::Type::of(t)));
  }
  uint32_t i = 0;
  for (const auto& [name, f] : iface.functions) {
    WITC_TRY_VAL(uint32_t ty, nested.func_type(f));
    nested.b.export_item(plain_name(f.name, f.external_id), {bin::Sort::Func, i++},
                         extern_desc(bin::ExternDesc::Kind::Func, ty));
  }

  // Instantiate it with the top-level types and the lifted functions.
  for (const auto& [name, t] : nested.type_imports) {
    WITC_TRY_VAL(bin::ValueTypeRef v, root.valtype(wit::Type::of(t)));
    if (v.is_prim) return fail(Diagnostic::plain("internal error: a named type is a primitive"));
    bin::InstantiateArg a;
    a.name = name;
    a.item = {bin::Sort::Type, v.index};
    args.push_back(std::move(a));
  }
  for (size_t k = 0; k < lifted.size(); ++k) {
    bin::InstantiateArg a;
    a.name = func_names[k];
    a.item = {bin::Sort::Func, lifted[k]};
    args.push_back(std::move(a));
  }
  uint32_t component = b_.component(std::move(nested.b.c));
  uint32_t inst = b_.instantiate(component, std::move(args));
  export_instance_[id.index] = b_.export_item(world_item_name(r_, key, item), {bin::Sort::Instance, inst});
  return {};
}

Expected<void> NewEncoder::encode_exports() {
  for (size_t i = 0; i < w_.exports.size(); ++i) {
    const auto& [key, item] = w_.exports.at_index(i);
    const ModuleUse* use = &p_.main;
    uint32_t instance = instance_index_[0];
    if (auto pr = p_.export_providers.find(i); pr != p_.export_providers.end()) {
      for (size_t a = 0; a < p_.adapters.size(); ++a) {
        if (p_.adapters[a].name == pr->second) {
          use = &p_.adapters[a];
          instance = instance_index_[a + 1];
        }
      }
    }
    if (item.kind == wit::WorldItem::Kind::Interface) {
      auto ok = export_interface(*use, instance, i);
      if (!ok) {
        return fail(
            std::move(ok.error()).with_context(fmt::format("failed to encode export `{}`", world_key_name(r_, key))));
      }
      continue;
    }
    if (item.kind != wit::WorldItem::Kind::Function) continue;
    const CoreExport* ce = nullptr;
    for (const auto& e : use->exports) {
      if (e.item == i) ce = &e;
    }
    if (!ce) return fail(Diagnostic::plain(fmt::format("internal error: export `{}` was not matched", key.name)));
    static const std::set<uint32_t> kNone;
    RootEncoder root(*this, std::nullopt, kNone);
    WITC_TRY_VAL(uint32_t ty, root.func_type(item.function));
    WITC_TRY_VAL(uint32_t func, lift(*use, instance, *ce, ty));
    b_.export_item(world_item_name(r_, key, item), {bin::Sort::Func, func});
  }
  return {};
}

}  // namespace witc::compose::detail
