// Which imported types and functions the component needs (new_internal.h).
//
// Only what the core modules use is imported: the functions they import,
// the resources whose drop they import, every type those refer to
// (transitively, through `use` into the owning interface), and the imported
// types the exports refer to. Types are visited depth first and recorded
// after what they refer to, which is also the order they are encoded in
// (wit-parser's LiveTypes: facts from wasm-tools crates/wit-parser `live.rs`,
// wit-component `encoding/world.rs`).
#include <unordered_set>

#include "new_internal.h"

namespace witc::compose::detail {

namespace {

// Types in post-order of a depth-first walk.
class LiveTypes {
 public:
  explicit LiveTypes(const wit::Resolve& r) : r_(r) {}

  const std::vector<wit::TypeId>& order() const { return order_; }

  void type(const wit::Type& t) {
    if (t.is_id()) type_id(t.id);
  }
  void opt(const std::optional<wit::Type>& t) {
    if (t) type(*t);
  }
  void func(const wit::Function& f) {
    if (f.kind == wit::Function::Kind::Static || f.kind == wit::Function::Kind::AsyncStatic) type_id(f.resource);
    for (const auto& [name, t] : f.params) type(t);
    opt(f.result);
  }
  void interface(wit::InterfaceId id) {
    const wit::Interface& iface = r_.interfaces[id];
    for (const auto& [name, t] : iface.types) type_id(t);
    for (const auto& [name, f] : iface.functions) func(f);
  }
  void type_id(wit::TypeId id) {
    if (!seen_.insert(id.index).second) return;
    std::visit(
        [&](const auto& k) {
          using T = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<T, wit::Record>) {
            for (const auto& f : k.fields) type(f.type);
          } else if constexpr (std::is_same_v<T, wit::Handle>) {
            type_id(k.resource);
          } else if constexpr (std::is_same_v<T, wit::Tuple>) {
            for (const auto& t : k.types) type(t);
          } else if constexpr (std::is_same_v<T, wit::Variant>) {
            for (const auto& c : k.cases) opt(c.type);
          } else if constexpr (std::is_same_v<T, wit::Option>) {
            type(k.type);
          } else if constexpr (std::is_same_v<T, wit::Result>) {
            opt(k.ok);
            opt(k.err);
          } else if constexpr (std::is_same_v<T, wit::List> || std::is_same_v<T, wit::FixedSizeList>) {
            type(k.element);
          } else if constexpr (std::is_same_v<T, wit::Map>) {
            type(k.key);
            type(k.value);
          } else if constexpr (std::is_same_v<T, wit::Future> || std::is_same_v<T, wit::Stream>) {
            opt(k.type);
          } else if constexpr (std::is_same_v<T, wit::Alias>) {
            type(k.target);
          }
        },
        r_.types[id].kind);
    order_.push_back(id);
  }

 private:
  const wit::Resolve& r_;
  std::unordered_set<uint32_t> seen_;
  std::vector<wit::TypeId> order_;
};

// The imports of one module as (world import -> function names, resource
// names). A stream or future built-in of an imported function makes the
// function's types live, not the function (wit-component).
struct Required {
  std::vector<std::set<std::string>> funcs;
  std::vector<std::set<std::string>> typed;  // functions whose types are live
  std::vector<std::set<uint32_t>> resources;  // TypeId indices
};

Required required_of(const NewPlan& plan, const ModuleUse& use) {
  size_t n = plan.resolve.worlds[plan.world].imports.size();
  Required req{std::vector<std::set<std::string>>(n), std::vector<std::set<std::string>>(n),
               std::vector<std::set<uint32_t>>(n)};
  for (const auto& ci : use.imports) {
    if (ci.kind == CoreImport::Kind::Func) req.funcs[ci.item].insert(ci.func->name);
    if (ci.kind == CoreImport::Kind::Payload && !ci.exported) req.typed[ci.item].insert(ci.func->name);
    if (ci.kind == CoreImport::Kind::ResourceDrop) req.resources[ci.item].insert(ci.resource.index);
  }
  return req;
}

void add_live_imports(const NewPlan& plan, const Required& req, LiveTypes& live) {
  const wit::Resolve& r = plan.resolve;
  const wit::World& w = r.worlds[plan.world];
  for (size_t i = 0; i < w.imports.size(); ++i) {
    const auto& [key, item] = w.imports.at_index(i);
    switch (item.kind) {
      case wit::WorldItem::Kind::Function:
        if (req.funcs[i].count(item.function.name) || req.typed[i].count(item.function.name)) {
          live.func(item.function);
        }
        break;
      case wit::WorldItem::Kind::Interface: {
        const wit::Interface& iface = r.interfaces[item.interface];
        for (const auto& [name, f] : iface.functions) {
          if (req.funcs[i].count(name) || req.typed[i].count(name)) live.func(f);
        }
        for (const auto& [name, t] : iface.types) {
          if (req.resources[i].count(r.unalias(t).index)) live.type_id(t);
        }
        break;
      }
      case wit::WorldItem::Kind::Type: live.type_id(item.type); break;
    }
  }
}

}  // namespace

void compute_liveness(NewPlan& plan) {
  const wit::Resolve& r = plan.resolve;
  const wit::World& w = r.worlds[plan.world];

  // Exported interfaces whose types an exported interface uses.
  for (const auto& [key, item] : w.exports) {
    if (item.kind != wit::WorldItem::Kind::Interface) continue;
    std::set<uint32_t> used;
    for (const auto& [name, t] : r.interfaces[item.interface].types) {
      const auto* alias = std::get_if<wit::Alias>(&r.types[t].kind);
      if (!alias || !alias->target.is_id()) continue;
      const wit::TypeOwner& owner = r.types[alias->target.id].owner;
      if (owner.kind != wit::TypeOwner::Kind::Interface || owner.interface == item.interface) continue;
      wit::WorldKey dep;
      dep.interface = owner.interface;
      if (!w.exports.contains(dep)) continue;
      if (used.insert(owner.interface.index).second) {
        const auto& inherited = plan.exports_used[owner.interface.index];
        used.insert(inherited.begin(), inherited.end());
      }
    }
    plan.exports_used[item.interface.index] = std::move(used);
  }

  LiveTypes live(r);
  Required all = required_of(plan, plan.main);
  add_live_imports(plan, all, live);
  for (const auto& adapter : plan.adapters) {
    Required req = required_of(plan, adapter);
    add_live_imports(plan, req, live);
    for (size_t i = 0; i < req.funcs.size(); ++i) {
      all.funcs[i].insert(req.funcs[i].begin(), req.funcs[i].end());
    }
  }
  // Imported types the exports refer to (not those of exported interfaces).
  for (const auto& [key, item] : w.exports) {
    if (item.kind == wit::WorldItem::Kind::Function) {
      live.func(item.function);
      continue;
    }
    if (item.kind != wit::WorldItem::Kind::Interface) continue;
    LiveTypes mine(r);
    mine.interface(item.interface);
    const auto& used = plan.exports_used[item.interface.index];
    for (wit::TypeId t : mine.order()) {
      const wit::TypeOwner& owner = r.types[t].owner;
      if (owner.kind != wit::TypeOwner::Kind::Interface) continue;
      if (owner.interface == item.interface || used.count(owner.interface.index)) continue;
      live.type_id(t);
    }
  }

  // Group by the world import of the owning interface.
  std::unordered_map<uint32_t, size_t> import_of;  // InterfaceId -> world import
  for (size_t i = 0; i < w.imports.size(); ++i) {
    const auto& item = w.imports.at_index(i).second;
    if (item.kind == wit::WorldItem::Kind::Interface) import_of.emplace(item.interface.index, i);
  }
  plan.live_types.assign(w.imports.size(), {});
  for (wit::TypeId t : live.order()) {
    const wit::TypeOwner& owner = r.types[t].owner;
    if (owner.kind != wit::TypeOwner::Kind::Interface) continue;
    auto it = import_of.find(owner.interface.index);
    if (it == import_of.end()) continue;
    plan.live_types[it->second].push_back(t);
    plan.live_type_ids.insert(t.index);
  }
  plan.live_funcs = std::move(all.funcs);
}

}  // namespace witc::compose::detail
