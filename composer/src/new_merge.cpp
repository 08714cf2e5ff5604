// Merging the WIT of several component-type sections into one Resolve
// (new_internal.h): the main module may carry several sections, and every
// adapter carries its own.
//
// Packages are the same when their names (with version) are; interfaces and
// worlds when they have the same name in the same package; types of a shared
// interface when they have the same name. Everything else of `from` is
// copied, in arena order, so that every type still comes after the types it
// refers to. Items a shared interface lacks are added to it, so that the
// merged interface is the union of two slices of the same WIT interface.
#include <fmt/format.h>

#include "new_internal.h"
#include "witc/base/try.h"

namespace witc::compose::detail {

namespace {

class Merger {
 public:
  Merger(wit::Resolve& into, const wit::Resolve& from) : into_(into), from_(from) {}

  ResolveMap run();

 private:
  wit::Type type(wit::Type t) const {
    if (t.is_id()) t.id = map_.types[t.id.index];
    return t;
  }
  std::optional<wit::Type> type(const std::optional<wit::Type>& t) const {
    if (!t) return t;
    return type(*t);
  }
  wit::TypeId id(wit::TypeId t) const { return t.valid() ? map_.types[t.index] : t; }
  wit::TypeDefKind kind(const wit::TypeDefKind& k) const;
  wit::Function function(const wit::Function& f) const;
  wit::TypeOwner owner(const wit::TypeOwner& o) const;

  wit::Resolve& into_;
  const wit::Resolve& from_;
  ResolveMap map_;
  std::vector<bool> interface_shared_;
};

wit::TypeDefKind Merger::kind(const wit::TypeDefKind& k) const {
  return std::visit(
      [&](const auto& v) -> wit::TypeDefKind {
        using T = std::decay_t<decltype(v)>;
        T c = v;
        if constexpr (std::is_same_v<T, wit::Record>) {
          for (auto& f : c.fields) f.type = type(f.type);
        } else if constexpr (std::is_same_v<T, wit::Handle>) {
          c.resource = id(c.resource);
        } else if constexpr (std::is_same_v<T, wit::Tuple>) {
          for (auto& t : c.types) t = type(t);
        } else if constexpr (std::is_same_v<T, wit::Variant>) {
          for (auto& cs : c.cases) cs.type = type(cs.type);
        } else if constexpr (std::is_same_v<T, wit::Option>) {
          c.type = type(c.type);
        } else if constexpr (std::is_same_v<T, wit::Result>) {
          c.ok = type(c.ok);
          c.err = type(c.err);
        } else if constexpr (std::is_same_v<T, wit::List> || std::is_same_v<T, wit::FixedSizeList>) {
          c.element = type(c.element);
        } else if constexpr (std::is_same_v<T, wit::Map>) {
          c.key = type(c.key);
          c.value = type(c.value);
        } else if constexpr (std::is_same_v<T, wit::Future> || std::is_same_v<T, wit::Stream>) {
          c.type = type(c.type);
        } else if constexpr (std::is_same_v<T, wit::Alias>) {
          c.target = type(c.target);
        }
        return c;
      },
      k);
}

wit::Function Merger::function(const wit::Function& f) const {
  wit::Function c = f;
  c.resource = id(f.resource);
  for (auto& [name, t] : c.params) t = type(t);
  c.result = type(f.result);
  return c;
}

wit::TypeOwner Merger::owner(const wit::TypeOwner& o) const {
  switch (o.kind) {
    case wit::TypeOwner::Kind::Interface: return wit::TypeOwner::of(map_.interfaces[o.interface.index]);
    case wit::TypeOwner::Kind::World: return wit::TypeOwner::of(map_.worlds[o.world.index]);
    case wit::TypeOwner::Kind::None: break;
  }
  return o;
}

ResolveMap Merger::run() {
  // Packages.
  std::vector<bool> package_shared;
  for (const auto& p : from_.packages) {
    if (auto found = into_.find_package(p.name)) {
      map_.packages.push_back(*found);
      package_shared.push_back(true);
      continue;
    }
    wit::Package np;
    np.name = p.name;
    np.docs = p.docs;
    map_.packages.push_back(into_.packages.alloc(std::move(np)));
    package_shared.push_back(false);
  }
  auto package = [&](const std::optional<wit::PackageId>& p) -> std::optional<wit::PackageId> {
    if (!p) return p;
    return map_.packages[p->index];
  };

  // Interfaces: shared ones by name, the others as empty copies for now.
  for (const auto& iface : from_.interfaces) {
    std::optional<wit::PackageId> pkg = package(iface.package);
    if (iface.name && pkg && package_shared[iface.package->index]) {
      if (const auto* found = into_.packages[*pkg].interfaces.find(*iface.name)) {
        map_.interfaces.push_back(*found);
        interface_shared_.push_back(true);
        continue;
      }
    }
    wit::Interface ni;
    ni.name = iface.name;
    ni.docs = iface.docs;
    ni.stability = iface.stability;
    ni.package = pkg;
    wit::InterfaceId nid = into_.interfaces.alloc(std::move(ni));
    if (iface.name && pkg) into_.packages[*pkg].interfaces.insert(*iface.name, nid);
    map_.interfaces.push_back(nid);
    interface_shared_.push_back(false);
  }

  // Worlds likewise.
  std::vector<bool> world_shared;
  for (const auto& w : from_.worlds) {
    std::optional<wit::PackageId> pkg = package(w.package);
    if (pkg && package_shared[w.package->index]) {
      if (const auto* found = into_.packages[*pkg].worlds.find(w.name)) {
        map_.worlds.push_back(*found);
        world_shared.push_back(true);
        continue;
      }
    }
    wit::World nw;
    nw.name = w.name;
    nw.package = pkg;
    nw.docs = w.docs;
    nw.stability = w.stability;
    wit::WorldId nid = into_.worlds.alloc(std::move(nw));
    if (pkg) into_.packages[*pkg].worlds.insert(w.name, nid);
    map_.worlds.push_back(nid);
    world_shared.push_back(false);
  }

  // Types, in arena order: a named type of a shared interface is the one
  // already there; any other type is copied.
  for (uint32_t i = 0; i < from_.types.size(); ++i) {
    const wit::TypeDef& td = from_.types[wit::TypeId(i)];
    if (td.owner.kind == wit::TypeOwner::Kind::Interface && td.name && interface_shared_[td.owner.interface.index]) {
      wit::InterfaceId target = map_.interfaces[td.owner.interface.index];
      if (const auto* found = into_.interfaces[target].types.find(*td.name)) {
        map_.types.push_back(*found);
        continue;
      }
    }
    wit::TypeDef copy;
    copy.name = td.name;
    copy.kind = kind(td.kind);
    copy.owner = owner(td.owner);
    copy.docs = td.docs;
    copy.stability = td.stability;
    wit::TypeId nid = into_.types.alloc(std::move(copy));
    map_.types.push_back(nid);
    if (td.owner.kind == wit::TypeOwner::Kind::Interface && td.name && interface_shared_[td.owner.interface.index]) {
      into_.interfaces[map_.interfaces[td.owner.interface.index]].types.insert(*td.name, nid);
    }
  }

  // Interface contents.
  for (uint32_t i = 0; i < from_.interfaces.size(); ++i) {
    const wit::Interface& src = from_.interfaces[wit::InterfaceId(i)];
    wit::Interface& dst = into_.interfaces[map_.interfaces[i]];
    for (const auto& [name, tid] : src.types) {
      if (!dst.types.contains(name)) dst.types.insert(name, map_.types[tid.index]);
    }
    for (const auto& [name, f] : src.functions) {
      if (!dst.functions.contains(name)) dst.functions.insert(name, function(f));
    }
  }

  // World contents (a shared world gets what it lacks).
  auto key = [&](const wit::WorldKey& k) {
    wit::WorldKey c = k;
    if (k.interface.valid()) c.interface = map_.interfaces[k.interface.index];
    return c;
  };
  auto item = [&](const wit::WorldItem& it) {
    wit::WorldItem c = it;
    if (it.interface.valid()) c.interface = map_.interfaces[it.interface.index];
    c.function = function(it.function);
    c.type = id(it.type);
    return c;
  };
  for (uint32_t i = 0; i < from_.worlds.size(); ++i) {
    const wit::World& src = from_.worlds[wit::WorldId(i)];
    wit::World& dst = into_.worlds[map_.worlds[i]];
    for (const auto& [k, it] : src.imports) {
      if (!dst.imports.contains(key(k))) dst.imports.insert(key(k), item(it));
    }
    for (const auto& [k, it] : src.exports) {
      if (!dst.exports.contains(key(k))) dst.exports.insert(key(k), item(it));
    }
  }
  return std::move(map_);
}

}  // namespace

ResolveMap merge_resolve(wit::Resolve& into, const wit::Resolve& from) { return Merger(into, from).run(); }

void merge_world_items(wit::Resolve& r, wit::WorldId into, wit::WorldId from) {
  if (into == from) return;
  const wit::World src = r.worlds[from];
  wit::World& dst = r.worlds[into];
  for (const auto& [k, it] : src.imports) {
    if (!dst.imports.contains(k)) dst.imports.insert(k, it);
  }
  for (const auto& [k, it] : src.exports) {
    if (!dst.exports.contains(k)) dst.exports.insert(k, it);
  }
}

}  // namespace witc::compose::detail
