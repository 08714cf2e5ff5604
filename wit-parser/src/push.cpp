// Stage 2 of WIT resolution: append an UnresolvedPackage to a Resolve.
//
// Items come over in arena order with their ids remapped. Along the way:
// foreign placeholders are bound to packages already present, `@since` /
// `@unstable` gates drop what is not enabled, a reference to a resource in a
// type or signature becomes an (interned) `own<T>` handle, and each world is
// elaborated: the interfaces its imports and exports depend on become imports
// too, and `include`s are merged in (WIT.md, "Worlds").
#include <algorithm>
#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "unresolved.h"

namespace witc::wit::detail {

namespace {

std::string join_known_packages(const Resolve& r, const PackageName& current) {
  std::vector<std::string> names;
  for (const auto& p : r.packages) names.push_back(p.name.to_string());
  names.push_back(current.to_string());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const auto& n : names) out += "\n    " + n;
  return out;
}

template <class T>
Expected<Id<T>> apply_map(const std::vector<std::optional<Id<T>>>& map, Id<T> id,
                          const char* desc, std::optional<Span> span) {
  if (id.index < map.size() && map[id.index]) return *map[id.index];
  std::string msg = fmt::format(
      "found a reference to a {} which is excluded due to its feature not being activated", desc);
  if (span) return fail(Diagnostic::at(*span, msg));
  return fail(Diagnostic::plain(msg));
}

const Stability& item_stability(const Resolve& r, const WorldItem& item) {
  switch (item.kind) {
    case WorldItem::Kind::Interface: return item.stability;
    case WorldItem::Kind::Function: return item.function.stability;
    case WorldItem::Kind::Type: return r.types[item.type].stability;
  }
  return item.stability;
}

class Remap {
 public:
  Remap(Resolve& r, UnresolvedPackage& u) : r_(r), u_(u) {}

  Expected<PackageId> append() {
    pkg_ = r_.packages.alloc(Package{u_.name, u_.docs, {}, {}});
    if (auto e = process_foreign_deps(); !e) return fail(e.error());
    size_t foreign_types = types_.size();
    size_t foreign_ifaces = ifaces_.size();
    size_t foreign_worlds = worlds_.size();

    for (size_t i = foreign_types; i < u_.types.size(); ++i) {
      TypeDef ty = std::move(u_.types[TypeId(static_cast<uint32_t>(i))]);
      Span span = u_.type_spans[i];
      auto inc = include(ty.stability, span);
      if (!inc) return fail(inc.error());
      if (!*inc) {
        types_.push_back(std::nullopt);
        continue;
      }
      if (auto e = update_typedef(ty, span); !e) return fail(e.error());
      TypeId id = r_.types.alloc(std::move(ty));
      types_.push_back(id);
    }

    for (size_t i = foreign_ifaces; i < u_.interfaces.size(); ++i) {
      Interface iface = std::move(u_.interfaces[InterfaceId(static_cast<uint32_t>(i))]);
      const InterfaceSpans& spans = u_.interface_spans[i];
      auto inc = include(iface.stability, spans.span);
      if (!inc) return fail(inc.error());
      if (!*inc) {
        ifaces_.push_back(std::nullopt);
        continue;
      }
      iface.package = pkg_;
      iface.span = spans.span;
      if (auto e = update_interface(iface, spans); !e) return fail(e.error());
      ifaces_.push_back(r_.interfaces.alloc(std::move(iface)));
    }

    for (size_t i = foreign_types; i < types_.size(); ++i) {
      if (!types_[i]) continue;
      TypeOwner& owner = r_.types[*types_[i]].owner;
      if (owner.kind != TypeOwner::Kind::Interface) continue;
      auto id = apply_map(ifaces_, owner.interface, "interface", u_.type_spans[i]);
      if (!id) {
        Diagnostic d = id.error();
        d.message += "; this type is not gated by a feature but its interface is";
        return fail(std::move(d));
      }
      owner.interface = *id;
    }

    for (size_t i = foreign_worlds; i < u_.worlds.size(); ++i) {
      World world = std::move(u_.worlds[WorldId(static_cast<uint32_t>(i))]);
      const WorldSpans& spans = u_.world_spans[i];
      auto inc = include(world.stability, spans.span);
      if (!inc) return fail(inc.error());
      if (!*inc) {
        worlds_.push_back(std::nullopt);
        continue;
      }
      world.span = spans.span;
      if (auto e = update_world(world, spans, u_.world_includes[i]); !e) return fail(e.error());
      worlds_.push_back(r_.worlds.alloc(std::move(world)));
    }

    for (size_t i = foreign_types; i < types_.size(); ++i) {
      if (!types_[i]) continue;
      TypeOwner& owner = r_.types[*types_[i]].owner;
      if (owner.kind != TypeOwner::Kind::World) continue;
      auto id = apply_map(worlds_, owner.world, "world", u_.type_spans[i]);
      if (!id) {
        Diagnostic d = id.error();
        d.message += "; this type is not gated by a feature but its world is";
        return fail(std::move(d));
      }
      owner.world = *id;
    }

    for (size_t i = foreign_ifaces; i < ifaces_.size(); ++i) {
      if (!ifaces_[i]) continue;
      Interface& iface = r_.interfaces[*ifaces_[i]];
      iface.package = pkg_;
      if (iface.name) r_.packages[pkg_].interfaces.insert(*iface.name, *ifaces_[i]);
    }
    for (size_t i = foreign_worlds; i < worlds_.size(); ++i) {
      if (!worlds_[i]) continue;
      World& w = r_.worlds[*worlds_[i]];
      w.package = pkg_;
      r_.packages[pkg_].worlds.insert(w.name, *worlds_[i]);
    }
    return pkg_;
  }

 private:
  // ---- foreign references ---------------------------------------------------

  Expected<PackageId> find_package(const ForeignDep& dep) {
    if (auto id = r_.find_package(dep.name)) return *id;
    return fail(Diagnostic::at(dep.span, fmt::format("package '{}' not found. known packages:{}",
                                                     dep.name.to_string(),
                                                     join_known_packages(r_, u_.name))));
  }

  Expected<void> process_foreign_deps() {
    // Foreign interfaces and worlds are at the front of their arenas, in the
    // order the foreign dependencies were registered.
    struct Ref {
      const ForeignDep* dep;
      std::string name;
      const ForeignItem* item;
    };
    std::unordered_map<uint32_t, Ref> iface_dep, world_dep;
    for (const auto& dep : u_.foreign_deps) {
      for (const auto& [name, item] : dep.items) {
        auto& m = item.item.kind == ItemRef::Kind::Interface ? iface_dep : world_dep;
        m[item.item.index] = {&dep, name, &item};
      }
    }
    // A foreign item every use of which is gated off is not needed.
    auto needed = [&](const ForeignItem& item, Span span) -> Expected<bool> {
      if (item.stabilities.empty()) return true;
      for (const auto& st : item.stabilities) {
        auto inc = include(st, span);
        if (!inc) return fail(inc.error());
        if (*inc) return true;
      }
      return false;
    };
    // Binds the placeholders at the front of one arena (interfaces or
    // worlds) to the items of the packages already in the Resolve.
    auto bind = [&](const auto& deps, size_t count, auto span_of, auto& remap, auto lookup,
                    const char* what) -> Expected<void> {
      for (uint32_t i = 0; i < count; ++i) {
        auto it = deps.find(i);
        if (it == deps.end()) break;
        const Ref& ref = it->second;
        auto need = needed(*ref.item, span_of(i));
        if (!need) return fail(need.error());
        if (!*need) {
          remap.push_back(std::nullopt);
          continue;
        }
        auto pkg = find_package(*ref.dep);
        if (!pkg) return fail(pkg.error());
        const auto* id = lookup(r_.packages[*pkg]).find(ref.name);
        if (!id)
          return fail(Diagnostic::at(span_of(i), fmt::format("{} '{}' not found in package '{}'", what,
                                                             ref.name, ref.dep->name.to_string())));
        remap.push_back(*id);
      }
      return {};
    };
    if (auto e = bind(iface_dep, u_.interfaces.size(),
                      [&](uint32_t i) { return u_.interface_spans[i].span; }, ifaces_,
                      [](Package& p) -> auto& { return p.interfaces; }, "interface");
        !e)
      return e;
    if (auto e = bind(world_dep, u_.worlds.size(), [&](uint32_t i) { return u_.world_spans[i].span; },
                      worlds_, [](Package& p) -> auto& { return p.worlds; }, "world");
        !e)
      return e;
    for (uint32_t i = 0; i < u_.types.size(); ++i) {
      const TypeDef& t = u_.types[TypeId(i)];
      if (!std::holds_alternative<Unknown>(t.kind)) break;
      auto inc = include(t.stability, u_.unknown_type_spans[i]);
      if (!inc) return fail(inc.error());
      if (!*inc || !ifaces_[t.owner.interface.index]) {
        types_.push_back(std::nullopt);
        continue;
      }
      auto iface = apply_map(ifaces_, t.owner.interface, "interface", std::nullopt);
      if (!iface) return fail(iface.error());
      const TypeId* id = r_.interfaces[*iface].types.find(*t.name);
      if (!id)
        return fail(Diagnostic::at(u_.unknown_type_spans[i],
                                   fmt::format("type `{}` not defined in interface", *t.name)));
      types_.push_back(*id);
    }
    for (const auto& [id, span] : u_.required_resource_types) {
      if (id.index < types_.size() && !types_[id.index]) continue;  // gated off
      auto mapped = apply_map(types_, id, "type", span);
      if (!mapped) return fail(mapped.error());
      TypeId cur = *mapped;
      for (;;) {
        const auto& kind = r_.types[cur].kind;
        if (std::holds_alternative<Resource>(kind)) break;
        if (const auto* a = std::get_if<Alias>(&kind); a && a->target.is_id()) {
          cur = a->target.id;
          continue;
        }
        return fail(Diagnostic::at(span, "type used in a handle must be a resource"));
      }
    }
    return {};
  }

  // ---- feature gates ----------------------------------------------------------

  Expected<bool> include(const Stability& st, Span span) {
    switch (st.kind) {
      case Stability::Kind::Unknown: return true;
      case Stability::Kind::Unstable: return r_.features.has(st.feature);
      case Stability::Kind::Stable: {
        const Package& p = r_.packages[pkg_];
        if (!p.name.version)
          return fail(Diagnostic::at(
              span, fmt::format("package [{}] contains a feature gate with a version specifier, "
                                "so it must have a version",
                                p.name.to_string())));
        if (st.since > *p.name.version)
          return fail(Diagnostic::at(
              span, fmt::format("feature gate cannot reference unreleased version {} of package "
                                "[{}] (current version {})",
                                st.since.to_string(), p.name.to_string(),
                                p.name.version->to_string())));
        return true;
      }
    }
    return true;
  }

  // ---- types --------------------------------------------------------------------

  Expected<void> map_id(TypeId& id, std::optional<Span> span) {
    auto m = apply_map(types_, id, "type", span);
    if (!m) return fail(m.error());
    id = *m;
    return {};
  }

  // Maps a type reference; a reference to a resource becomes `own<T>`.
  Expected<void> update_ty(Type& t, std::optional<Span> span) {
    if (!t.is_id()) return {};
    if (auto e = map_id(t.id, span); !e) return e;
    TypeId cur = t.id;
    for (;;) {
      const auto& kind = r_.types[cur].kind;
      if (const auto* a = std::get_if<Alias>(&kind); a && a->target.is_id()) {
        cur = a->target.id;
        continue;
      }
      if (!std::holds_alternative<Resource>(kind)) return {};
      break;
    }
    auto it = own_handles_.find(t.id.index);
    if (it == own_handles_.end()) {
      TypeDef h;
      h.kind = Handle{Handle::Kind::Own, t.id};
      it = own_handles_.emplace(t.id.index, r_.types.alloc(std::move(h))).first;
    }
    t.id = it->second;
    return {};
  }
  Expected<void> update_ty(std::optional<Type>& t, std::optional<Span> span) {
    if (!t) return {};
    return update_ty(*t, span);
  }

  Expected<void> update_typedef(TypeDef& ty, Span span) {
    Expected<void> ok;
    std::visit(
        [&](auto& k) {
          using T = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<T, Handle>) {
            ok = map_id(k.resource, span);
          } else if constexpr (std::is_same_v<T, Record>) {
            for (auto& f : k.fields)
              if (ok) ok = update_ty(f.type, f.span.end ? f.span : span);
          } else if constexpr (std::is_same_v<T, Tuple>) {
            for (auto& t : k.types)
              if (ok) ok = update_ty(t, span);
          } else if constexpr (std::is_same_v<T, Variant>) {
            for (auto& c : k.cases)
              if (ok) ok = update_ty(c.type, c.span.end ? c.span : span);
          } else if constexpr (std::is_same_v<T, Option>) {
            ok = update_ty(k.type, span);
          } else if constexpr (std::is_same_v<T, Result>) {
            ok = update_ty(k.ok, span);
            if (ok) ok = update_ty(k.err, span);
          } else if constexpr (std::is_same_v<T, List> || std::is_same_v<T, FixedSizeList>) {
            ok = update_ty(k.element, span);
          } else if constexpr (std::is_same_v<T, Map>) {
            ok = update_ty(k.key, span);
            if (ok) ok = update_ty(k.value, span);
          } else if constexpr (std::is_same_v<T, Future> || std::is_same_v<T, Stream>) {
            ok = update_ty(k.type, span);
          } else if constexpr (std::is_same_v<T, Alias>) {
            // `type a = r` keeps naming the resource itself (usable as both
            // the resource and a handle), so no `own` here.
            if (k.target.is_id()) ok = map_id(k.target.id, span);
          }
        },
        ty.kind);
    return ok;
  }

  bool type_has_borrow(const Type& t) {
    if (!t.is_id()) return false;
    if (auto it = has_borrow_.find(t.id.index); it != has_borrow_.end()) return it->second;
    bool result = false;
    auto any = [&](const std::optional<Type>& x) { return x && type_has_borrow(*x); };
    std::visit(
        [&](const auto& k) {
          using T = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<T, Alias>) result = type_has_borrow(k.target);
          else if constexpr (std::is_same_v<T, Handle>) result = k.kind == Handle::Kind::Borrow;
          else if constexpr (std::is_same_v<T, Record>) {
            for (const auto& f : k.fields) result = result || type_has_borrow(f.type);
          } else if constexpr (std::is_same_v<T, Variant>) {
            for (const auto& c : k.cases) result = result || any(c.type);
          } else if constexpr (std::is_same_v<T, Tuple>) {
            for (const auto& x : k.types) result = result || type_has_borrow(x);
          } else if constexpr (std::is_same_v<T, List> || std::is_same_v<T, FixedSizeList>)
            result = type_has_borrow(k.element);
          else if constexpr (std::is_same_v<T, Option>) result = type_has_borrow(k.type);
          else if constexpr (std::is_same_v<T, Map>)
            result = type_has_borrow(k.key) || type_has_borrow(k.value);
          else if constexpr (std::is_same_v<T, Future> || std::is_same_v<T, Stream>)
            result = any(k.type);
          else if constexpr (std::is_same_v<T, Result>) result = any(k.ok) || any(k.err);
        },
        r_.types[t.id].kind);
    has_borrow_[t.id.index] = result;
    return result;
  }

  // ---- functions and interfaces ------------------------------------------------

  Expected<void> update_function(Function& f, std::optional<Span> span) {
    if (f.kind != Function::Kind::Freestanding && f.kind != Function::Kind::AsyncFreestanding)
      if (auto e = map_id(f.resource, span); !e) return e;
    for (auto& [name, t] : f.params)
      if (auto e = update_ty(t, span); !e) return e;
    if (auto e = update_ty(f.result, span); !e) return e;
    if (f.result && type_has_borrow(*f.result)) {
      std::string msg = fmt::format(
          "function `{}` returns a type which contains a `borrow<T>` which is not supported",
          f.name);
      return fail(span ? Diagnostic::at(*span, msg) : Diagnostic::plain(msg));
    }
    return {};
  }

  Expected<void> update_interface(Interface& iface, const InterfaceSpans& spans) {
    OrderedMap<std::string, TypeId> types;
    for (auto& [name, id] : iface.types) {
      if (id.index >= types_.size() || !types_[id.index]) continue;
      types.insert(name, *types_[id.index]);
    }
    iface.types = std::move(types);
    OrderedMap<std::string, Function> funcs;
    size_t i = 0;
    for (auto& [name, f] : iface.functions) {
      Span span = i < spans.funcs.size() ? spans.funcs[i] : spans.span;
      ++i;
      auto inc = include(f.stability, span);
      if (!inc) return fail(inc.error());
      if (!*inc) continue;
      if (auto e = update_function(f, span); !e) return e;
      funcs.insert(name, std::move(f));
    }
    iface.functions = std::move(funcs);
    return {};
  }

  // ---- worlds -------------------------------------------------------------------

  // The interfaces `id` uses types from (directly), in type order.
  std::vector<InterfaceId> interface_direct_deps(InterfaceId id) const {
    std::vector<InterfaceId> out;
    for (const auto& [name, tid] : r_.interfaces[id].types) {
      const TypeDef& t = r_.types[tid];
      const auto* a = std::get_if<Alias>(&t.kind);
      if (!a || !a->target.is_id()) continue;
      const TypeDef& other = r_.types[a->target.id];
      if (other.owner == t.owner) continue;
      if (other.owner.kind == TypeOwner::Kind::Interface) out.push_back(other.owner.interface);
    }
    return out;
  }

  void add_world_import(World& w, const WorldKey& key, InterfaceId id, const Stability& st,
                        const std::optional<std::string>& external_id = std::nullopt) {
    if (w.imports.contains(key)) return;
    for (InterfaceId dep : interface_direct_deps(id))
      add_world_import(w, WorldKey{{}, dep}, dep, st);
    WorldItem item;
    item.kind = WorldItem::Kind::Interface;
    item.interface = id;
    item.stability = st;
    item.external_id = external_id;
    w.imports.insert(key, std::move(item));
  }

  struct ExportInfo {
    WorldKey key;
    Span span;
    Stability stability;
    std::optional<std::string> external_id;
  };

  bool add_world_export(World& w, const OrderedMap<uint32_t, ExportInfo>& exports,
                        std::unordered_set<uint32_t>& required_imports, InterfaceId id,
                        const WorldKey& key, bool add_export, const Stability& st) {
    if (w.exports.contains(key)) return add_export;
    if (!add_export && required_imports.count(id.index)) return true;
    for (InterfaceId dep : interface_direct_deps(id)) {
      bool dep_export = add_export && exports.contains(dep.index);
      if (!add_world_export(w, exports, required_imports, dep, WorldKey{{}, dep}, dep_export, st))
        return false;
    }
    WorldItem item;
    item.kind = WorldItem::Kind::Interface;
    item.interface = id;
    item.stability = st;
    if (add_export) {
      if (required_imports.count(id.index)) return false;
      if (const ExportInfo* info = exports.find(id.index)) item.external_id = info->external_id;
      w.exports.insert(key, std::move(item));
    } else {
      required_imports.insert(id.index);
      w.imports.insert(key, std::move(item));
    }
    return true;
  }

  std::string key_name(const WorldKey& k) const {
    if (!k.is_interface()) return k.name;
    auto id = r_.id_of(k.interface);
    return id ? *id : "<anonymous>";
  }

  Expected<void> update_world(World& w, const WorldSpans& spans,
                              const std::vector<WorldInclude>& includes) {
    struct Named {
      std::string name;
      Function func;
      TypeId type;
      Span span;
    };
    std::vector<Named> import_funcs, import_types, export_funcs;

    auto imports = std::move(w.imports);
    w.imports.clear();
    size_t i = 0;
    for (auto& [key0, item] : imports) {
      Span span = i < spans.imports.size() ? spans.imports[i] : spans.span;
      ++i;
      WorldKey key = key0;
      if (item.kind == WorldItem::Kind::Type)
        if (auto e = map_id(item.type, span); !e) return e;
      auto inc = include(item_stability(r_, item), span);
      if (!inc) return fail(inc.error());
      if (!*inc) continue;
      if (key.is_interface()) {
        auto m = apply_map(ifaces_, key.interface, "interface", span);
        if (!m) return fail(m.error());
        key.interface = *m;
      }
      switch (item.kind) {
        case WorldItem::Kind::Interface: {
          auto m = apply_map(ifaces_, item.interface, "interface", span);
          if (!m) return fail(m.error());
          add_world_import(w, key, *m, item.stability, item.external_id);
          break;
        }
        case WorldItem::Kind::Function:
          if (auto e = update_function(item.function, span); !e) return e;
          import_funcs.push_back({key.name, std::move(item.function), {}, span});
          break;
        case WorldItem::Kind::Type: import_types.push_back({key.name, {}, item.type, span}); break;
      }
    }

    OrderedMap<uint32_t, ExportInfo> export_ifaces;
    auto exports = std::move(w.exports);
    w.exports.clear();
    i = 0;
    for (auto& [key0, item] : exports) {
      Span span = i < spans.exports.size() ? spans.exports[i] : spans.span;
      ++i;
      WorldKey key = key0;
      auto inc = include(item_stability(r_, item), span);
      if (!inc) return fail(inc.error());
      if (!*inc) continue;
      if (key.is_interface()) {
        auto m = apply_map(ifaces_, key.interface, "interface", span);
        if (!m) return fail(m.error());
        key.interface = *m;
      }
      if (item.kind == WorldItem::Kind::Interface) {
        auto m = apply_map(ifaces_, item.interface, "interface", span);
        if (!m) return fail(m.error());
        export_ifaces.insert(m->index, ExportInfo{key, span, item.stability, item.external_id});
      } else {
        if (auto e = update_function(item.function, span); !e) return e;
        export_funcs.push_back({key.name, std::move(item.function), {}, span});
      }
    }

    // The imports that exported interfaces depend on are collected apart and
    // appended after every other import (the included worlds' too): the
    // reference elaborates a world's exports after merging its includes.
    auto imports_so_far = std::move(w.imports);
    w.imports.clear();
    std::unordered_set<uint32_t> required_imports;
    for (const auto& [idx, info] : export_ifaces) {
      if (!add_world_export(w, export_ifaces, required_imports, InterfaceId(idx), info.key, true,
                            info.stability))
        return fail(Diagnostic::at(
            spans.span, fmt::format("interface `{}` transitively depends on an interface in "
                                    "incompatible ways",
                                    key_name(info.key))));
    }
    auto export_deps = std::move(w.imports);
    w.imports = std::move(imports_so_far);

    for (auto& f : import_funcs) {
      WorldItem item;
      item.kind = WorldItem::Kind::Function;
      item.function = std::move(f.func);
      if (!w.imports.insert(WorldKey{f.name, {}}, std::move(item)))
        return fail(Diagnostic::at(
            f.span,
            fmt::format("import of function `{}` shadows previously imported interface", f.name)));
    }
    for (auto& f : export_funcs) {
      WorldItem item;
      item.kind = WorldItem::Kind::Function;
      item.function = std::move(f.func);
      if (!w.exports.insert(WorldKey{f.name, {}}, std::move(item)))
        return fail(Diagnostic::at(
            f.span,
            fmt::format("export of function `{}` shadows previously exported interface", f.name)));
    }

    for (size_t n = 0; n < includes.size(); ++n) {
      const WorldInclude& inc = includes[n];
      Span span = n < spans.includes.size() ? spans.includes[n] : spans.span;
      auto ok = include(inc.stability, span);
      if (!ok) return fail(ok.error());
      if (!*ok) continue;
      if (auto e = resolve_include(w, inc, span); !e) return e;
    }

    // Types the world uses from interfaces bring those interfaces in.
    for (const auto& t : import_types) {
      const TypeDef& td = r_.types[t.type];
      const auto* a = std::get_if<Alias>(&td.kind);
      if (!a || !a->target.is_id()) continue;
      const TypeOwner& owner = r_.types[a->target.id].owner;
      if (owner.kind != TypeOwner::Kind::Interface) continue;
      add_world_import(w, WorldKey{{}, owner.interface}, owner.interface, td.stability);
    }
    for (auto& t : import_types) {
      WorldItem item;
      item.kind = WorldItem::Kind::Type;
      item.type = t.type;
      if (!w.imports.insert(WorldKey{t.name, {}}, std::move(item)))
        return fail(Diagnostic::at(
            t.span, fmt::format("export of type `{}` shadows previously imported interface", t.name)));
    }

    for (auto& [key, item] : export_deps)
      if (!w.imports.contains(key)) w.imports.insert(key, std::move(item));

    // Imports in a fixed order of kinds: interfaces, types from interfaces,
    // the world's own types, functions, then resource functions. Exports:
    // functions, then interfaces. Both sorts are stable.
    auto import_rank = [&](const WorldItem& item) {
      switch (item.kind) {
        case WorldItem::Kind::Interface: return 0;
        case WorldItem::Kind::Type: {
          const TypeDef& td = r_.types[item.type];
          const auto* a = std::get_if<Alias>(&td.kind);
          if (a && a->target.is_id() && !(r_.types[a->target.id].owner == td.owner)) return 1;
          return 2;
        }
        case WorldItem::Kind::Function:
          return item.function.kind == Function::Kind::Freestanding ||
                         item.function.kind == Function::Kind::AsyncFreestanding
                     ? 3
                     : 4;
      }
      return 5;
    };
    auto export_rank = [](const WorldItem& item) {
      return item.kind == WorldItem::Kind::Function ? 0 : 1;
    };
    stable_sort_items(w.imports, import_rank);
    stable_sort_items(w.exports, export_rank);

    if (auto e = check_case_insensitive(w, w.imports, "import"); !e) return e;
    return check_case_insensitive(w, w.exports, "export");
  }

  // Stable sort by a small integer rank (0..7): one pass per rank.
  template <class Rank>
  static void stable_sort_items(OrderedMap<WorldKey, WorldItem, WorldKeyHash>& items, Rank rank) {
    std::vector<std::pair<WorldKey, WorldItem>> v(items.begin(), items.end());
    std::vector<int> ranks;
    ranks.reserve(v.size());
    for (const auto& [k, item] : v) ranks.push_back(rank(item));
    items.clear();
    for (int r = 0; r < 8; ++r)
      for (size_t i = 0; i < v.size(); ++i)
        if (ranks[i] == r) items.insert(std::move(v[i].first), std::move(v[i].second));
  }

  Expected<void> check_case_insensitive(const World& w,
                                        const OrderedMap<WorldKey, WorldItem, WorldKeyHash>& items,
                                        const char* desc) {
    std::unordered_map<std::string, std::string> seen;
    for (const auto& [k, item] : items) {
      if (k.is_interface()) continue;
      std::string lower = k.name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      auto [it, fresh] = seen.emplace(lower, k.name);
      if (!fresh)
        return fail(Diagnostic::plain(fmt::format(
            "{} `{}` in world `{}` conflicts with {} `{}` (kebab-case identifiers are "
            "case-insensitive)",
            desc, k.name, w.name, desc, it->second)));
    }
    return {};
  }

  // `include` copies another world's imports and exports into this one.
  // The included world's own types (resources, records, `use`d names) are
  // cloned so that this world owns them, and so is every anonymous type or
  // function signature that mentions them; `with { a as b }` renames.
  Expected<void> resolve_include(World& w, const WorldInclude& inc, Span span) {
    auto wid = apply_map(worlds_, inc.world, "world", span);
    if (!wid) return fail(wid.error());
    const World from = r_.worlds[*wid];
    std::vector<IncludeName> names = inc.names;
    auto drop_matching = [&](const auto& items) {
      for (const auto& [k, item] : items) {
        if (k.is_interface()) continue;
        std::erase_if(names, [&](const IncludeName& n) { return n.name == k.name; });
      }
    };
    drop_matching(from.imports);
    drop_matching(from.exports);
    if (!names.empty())
      return fail(Diagnostic::at(
          span, fmt::format("no import or export kebab-name `{}`. Note that an ID does not support "
                            "renaming",
                            names[0].name)));

    auto rename = [&](const std::string& n) {
      for (const auto& in : inc.names)
        if (in.name == n) return in.as;
      return n;
    };
    IncludeClone clone{*this, {}, {}, {}};
    WorldId self(static_cast<uint32_t>(r_.worlds.size()));
    for (const auto& [k, item] : from.imports) {
      if (item.kind != WorldItem::Kind::Type) continue;
      const TypeDef& old = r_.types[item.type];
      if (!(old.owner == TypeOwner::of(*wid))) continue;
      TypeDef td = old;
      td.name = rename(k.name);
      td.owner = TypeOwner::of(self);
      clone.clone_kind(td.kind);
      TypeId id = r_.types.alloc(std::move(td));
      clone.memo[item.type.index] = id;
      if (k.name != rename(k.name)) clone.renamed[item.type.index] = rename(k.name);
    }

    // Worlds of the package being pushed get their package id at the end.
    bool other_package = from.package.has_value() && *from.package != pkg_;
    auto copy_item = [&](const WorldKey& k, const WorldItem& item) {
      WorldItem out = item;
      if (out.kind == WorldItem::Kind::Type) {
        out.type = clone.clone_id(out.type);
      } else if (out.kind == WorldItem::Kind::Function) {
        clone.clone_function(out.function);
        if (!k.is_interface() && out.function.kind == Function::Kind::Freestanding)
          out.function.name = rename(k.name);
        if (!k.is_interface() && out.function.kind == Function::Kind::AsyncFreestanding)
          out.function.name = rename(k.name);
      } else if (other_package && out.stability.kind == Stability::Kind::Stable) {
        // `@since` versions refer to the package that wrote them.
        out.stability = Stability{};
      }
      return out;
    };
    for (const auto& [k, item] : from.imports) {
      WorldItem out = copy_item(k, item);
      WorldKey key = k;
      if (!k.is_interface())
        key.name = out.kind == WorldItem::Kind::Function ? out.function.name : rename(k.name);
      if (auto e = include_item(w.imports, key, std::move(out), span, "import"); !e) return e;
    }
    for (const auto& [k, item] : from.exports) {
      WorldItem out = copy_item(k, item);
      WorldKey key = k;
      if (!k.is_interface())
        key.name = out.kind == WorldItem::Kind::Function ? out.function.name : rename(k.name);
      if (auto e = include_item(w.exports, key, std::move(out), span, "export"); !e) return e;
    }
    return {};
  }

  // Deep-copies types that mention a cloned type (memoized).
  struct IncludeClone {
    Remap& self;
    std::unordered_map<uint32_t, TypeId> memo;      // old id -> clone
    std::unordered_map<uint32_t, std::string> renamed;  // cloned resource -> new name
    std::unordered_map<uint32_t, bool> mentions;    // old id -> mentions a cloned type

    bool mentions_clone(const Type& t) { return t.is_id() && mentions_clone(t.id); }
    bool mentions_clone(const std::optional<Type>& t) { return t && mentions_clone(*t); }
    bool mentions_clone(TypeId id) {
      if (memo.count(id.index)) return true;
      if (auto it = mentions.find(id.index); it != mentions.end()) return it->second;
      bool m = false;
      std::visit(
          [&](const auto& k) {
            using T = std::decay_t<decltype(k)>;
            if constexpr (std::is_same_v<T, Alias>) m = mentions_clone(k.target);
            else if constexpr (std::is_same_v<T, Handle>) m = mentions_clone(k.resource);
            else if constexpr (std::is_same_v<T, Record>) {
              for (const auto& f : k.fields) m = m || mentions_clone(f.type);
            } else if constexpr (std::is_same_v<T, Variant>) {
              for (const auto& c : k.cases) m = m || mentions_clone(c.type);
            } else if constexpr (std::is_same_v<T, Tuple>) {
              for (const auto& x : k.types) m = m || mentions_clone(x);
            } else if constexpr (std::is_same_v<T, List> || std::is_same_v<T, FixedSizeList>)
              m = mentions_clone(k.element);
            else if constexpr (std::is_same_v<T, Option>) m = mentions_clone(k.type);
            else if constexpr (std::is_same_v<T, Map>) m = mentions_clone(k.key) || mentions_clone(k.value);
            else if constexpr (std::is_same_v<T, Result>) m = mentions_clone(k.ok) || mentions_clone(k.err);
            else if constexpr (std::is_same_v<T, Future> || std::is_same_v<T, Stream>)
              m = mentions_clone(k.type);
          },
          self.r_.types[id].kind);
      mentions[id.index] = m;
      return m;
    }

    void clone_ty(Type& t) {
      if (t.is_id()) t.id = clone_id(t.id);
    }
    void clone_ty(std::optional<Type>& t) {
      if (t) clone_ty(*t);
    }
    TypeId clone_id(TypeId id) {
      if (auto it = memo.find(id.index); it != memo.end()) return it->second;
      if (!mentions_clone(id)) return id;
      TypeDef td = self.r_.types[id];
      clone_kind(td.kind);
      TypeId out = self.r_.types.alloc(std::move(td));
      memo[id.index] = out;
      return out;
    }
    void clone_kind(TypeDefKind& kind) {
      std::visit(
          [&](auto& k) {
            using T = std::decay_t<decltype(k)>;
            if constexpr (std::is_same_v<T, Alias>) clone_ty(k.target);
            else if constexpr (std::is_same_v<T, Handle>) k.resource = clone_id(k.resource);
            else if constexpr (std::is_same_v<T, Record>) {
              for (auto& f : k.fields) clone_ty(f.type);
            } else if constexpr (std::is_same_v<T, Variant>) {
              for (auto& c : k.cases) clone_ty(c.type);
            } else if constexpr (std::is_same_v<T, Tuple>) {
              for (auto& x : k.types) clone_ty(x);
            } else if constexpr (std::is_same_v<T, List> || std::is_same_v<T, FixedSizeList>)
              clone_ty(k.element);
            else if constexpr (std::is_same_v<T, Option>) clone_ty(k.type);
            else if constexpr (std::is_same_v<T, Map>) {
              clone_ty(k.key);
              clone_ty(k.value);
            } else if constexpr (std::is_same_v<T, Result>) {
              clone_ty(k.ok);
              clone_ty(k.err);
            } else if constexpr (std::is_same_v<T, Future> || std::is_same_v<T, Stream>)
              clone_ty(k.type);
          },
          kind);
    }
    void clone_function(Function& f) {
      bool on_resource = f.kind != Function::Kind::Freestanding &&
                         f.kind != Function::Kind::AsyncFreestanding;
      if (on_resource) {
        if (auto it = renamed.find(f.resource.index); it != renamed.end()) {
          // "[method]old.m" -> "[method]new.m"
          auto close = f.name.find(']');
          auto dot = f.name.find('.', close);
          std::string rest = dot == std::string::npos ? "" : f.name.substr(dot);
          f.name = f.name.substr(0, close + 1) + it->second + rest;
        }
        f.resource = clone_id(f.resource);
      }
      for (auto& [n, t] : f.params) clone_ty(t);
      clone_ty(f.result);
    }
  };

  Expected<void> include_item(OrderedMap<WorldKey, WorldItem, WorldKeyHash>& items,
                              const WorldKey& key, WorldItem item, Span span, const char* desc) {
    WorldItem* prev = items.find(key);
    if (!key.is_interface()) {
      if (prev)
        return fail(Diagnostic::at(span, fmt::format("{} of `{}` shadows previously {}ed items",
                                                     desc, key.name, desc)));
      items.insert(key, std::move(item));
      return {};
    }
    if (!prev) {
      items.insert(key, std::move(item));
      return {};
    }
    // The same interface reached twice: keep one, reconciling stability.
    if (item.stability == prev->stability || item.stability.is_unknown()) return {};
    if (prev->stability.is_unknown()) {
      prev->stability = item.stability;
      return {};
    }
    return fail(Diagnostic::at(span, "mismatch in stability attributes"));
  }

  Resolve& r_;
  UnresolvedPackage& u_;
  PackageId pkg_;
  std::vector<std::optional<TypeId>> types_;
  std::vector<std::optional<InterfaceId>> ifaces_;
  std::vector<std::optional<WorldId>> worlds_;
  std::unordered_map<uint32_t, TypeId> own_handles_;
  std::unordered_map<uint32_t, bool> has_borrow_;
};

}  // namespace

Expected<PackageId> push_package(Resolve& resolve, UnresolvedPackage pkg) {
  Remap remap(resolve, pkg);
  return remap.append();
}

}  // namespace witc::wit::detail
