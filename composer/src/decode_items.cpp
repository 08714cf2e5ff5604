// Interfaces, worlds and packages of a decoded component (see decoder.h).
#include <fmt/format.h>

#include "decoder.h"
#include "witc/base/try.h"
#include "witc/bin/component_names.h"

namespace witc::compose::detail {

namespace {

Diagnostic error(std::string msg) { return Diagnostic::plain(std::move(msg)); }

template <class T>
Expected<T> with_context(Expected<T> r, std::string ctx) {
  if (!r) return fail(std::move(r.error()).with_context(std::move(ctx)));
  return r;
}

std::string join(const std::vector<std::string_view>& parts, char sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out.append(parts[i]);
  }
  return out;
}

}  // namespace

Expected<std::pair<wit::PackageName, std::string>> split_interface_name(std::string_view name) {
  bin::NameRules rules{true, true};
  auto parsed = bin::parse_interface_name(name, rules);
  if (!parsed) return fail(error(fmt::format("`{}` is not an interface name: {}", name, parsed.error().message)));
  wit::PackageName pkg;
  pkg.ns = join(parsed->namespaces, ':');
  pkg.name = std::string(parsed->package);
  if (parsed->version) {
    auto v = Version::parse(*parsed->version);
    if (!v) return fail(error(fmt::format("version `{}` of `{}` is not a semver version", *parsed->version, name)));
    pkg.version = *v;
  }
  return std::pair{std::move(pkg), join(parsed->projections, '/')};
}

// --- real components ------------------------------------------------------------------------

Expected<void> Decoder::component_import(const std::string& name, const bin::EntityType& e, wit::WorldId world,
                                         PackageFields& fields, const std::string* implements) {
  if (e.kind != bin::EntityKind::Instance && e.kind != bin::EntityKind::Func && e.kind != bin::EntityKind::Type) {
    return {};  // modules, components and values are not part of a world
  }
  auto item = world_item(name, e, wit::TypeOwner::of(world), fields, implements);
  if (!item) return fail(std::move(item.error()).with_context(fmt::format("failed to decode WIT from import `{}`", name)));
  resolve.worlds[world].imports.insert(std::move(item->key), std::move(item->item));
  return {};
}

Expected<void> Decoder::component_export(const std::string& name, const bin::EntityType& e, wit::WorldId world,
                                         PackageFields& fields, const std::string* implements) {
  if (e.kind != bin::EntityKind::Instance && e.kind != bin::EntityKind::Func) {
    return fail(error(fmt::format("component export `{}` was not a function or instance", name)));
  }
  auto item = world_item(name, e, wit::TypeOwner::of(world), fields, implements);
  if (!item) return fail(std::move(item.error()).with_context(fmt::format("failed to decode WIT from export `{}`", name)));
  resolve.worlds[world].exports.insert(std::move(item->key), std::move(item->item));
  return {};
}

Expected<KeyedItem> Decoder::world_item(const std::string& name, const bin::EntityType& e, wit::TypeOwner owner,
                                        PackageFields& fields, const std::string* implements) {
  KeyedItem out;
  switch (e.kind) {
    case bin::EntityKind::Instance: {
      const bin::InstanceType& it = t_.instance(e.type);
      out.item.kind = wit::WorldItem::Kind::Interface;
      if (implements && name.find('/') == std::string::npos) {
        // `import label: ns:pkg/iface;`: a named interface under a plain name.
        WITC_TRY_VAL(out.item.interface, register_import(*implements, it));
        out.key.name = name;
      } else if (name.find('/') != std::string::npos) {
        WITC_TRY_VAL(out.item.interface, register_import(name, it));
        out.key.interface = out.item.interface;
      } else {
        WITC_TRY_VAL(auto keyed, register_interface(name, it, fields));
        out.key = keyed.first;
        out.item.interface = keyed.second;
      }
      out.item.external_id = e.external_id;
      return out;
    }
    case bin::EntityKind::Func: {
      out.item.kind = wit::WorldItem::Kind::Function;
      WITC_TRY_VAL(out.item.function, function(name, e.type, owner));
      out.item.function.external_id = e.external_id;
      out.key.name = name;
      return out;
    }
    case bin::EntityKind::Type: {
      out.item.kind = wit::WorldItem::Kind::Type;
      WITC_TRY_VAL(out.item.type, type_export(name, owner, e.type));
      set_external_id(out.item.type, owner, e);
      out.key.name = name;
      return out;
    }
    default: break;
  }
  return fail(error(fmt::format("`{}` is not an instance, function or type", name)));
}

// --- interfaces -------------------------------------------------------------------------------

// The interface `name` (an interface id) of a foreign package, created on
// first use; foreign interfaces only hold what the component uses of them.
Expected<wit::InterfaceId> Decoder::dep_interface(const std::string& name) {
  WITC_TRY_VAL(auto split, split_interface_name(name));
  auto& [pkg_name, iface_name] = split;
  std::string key = pkg_name.to_string();
  size_t index = foreign_.index_of(key);
  if (index == foreign_.npos) {
    wit::Package p;
    p.name = pkg_name;
    foreign_.insert(key, std::move(p));
    index = foreign_.size() - 1;
  }
  wit::Package& pkg = foreign_.at_index(index).second;
  wit::InterfaceId id;
  if (const wit::InterfaceId* found = pkg.interfaces.find(iface_name)) {
    id = *found;
  } else {
    wit::Interface iface;
    iface.name = iface_name;
    id = resolve.interfaces.alloc(std::move(iface));
    pkg.interfaces.insert(iface_name, id);
  }
  iface_package_[id.index] = index;
  return id;
}

// Adds the types and functions of an instance type to an interface. Items
// it already has (an interface imported twice, or defined by the package
// being decoded) are matched by name; a local interface must have them all.
Expected<void> Decoder::fill_interface(wit::InterfaceId id, const bin::InstanceType& it, bool is_local) {
  wit::TypeOwner owner = wit::TypeOwner::of(id);
  for (const auto& [name, e] : it.exports) {
    if (e.kind == bin::EntityKind::Type) {
      if (const wit::TypeId* existing = resolve.interfaces[id].types.find(name)) {
        map_type(e.type, *existing);
        continue;
      }
      if (is_local) return fail(error(fmt::format("instance type export `{}` not defined in interface", name)));
      auto ty = type_export(name, owner, e.type);
      if (!ty) return fail(std::move(ty.error()).with_context(fmt::format("type `{}`", name)));
      set_external_id(*ty, owner, e);
      resolve.interfaces[id].types.insert(name, *ty);
    } else if (e.kind == bin::EntityKind::Func) {
      if (resolve.interfaces[id].functions.contains(name)) continue;
      if (is_local) return fail(error(fmt::format("instance function export `{}` not defined in interface", name)));
      auto f = function(name, e.type, owner);
      if (!f) return fail(std::move(f.error()).with_context(fmt::format("function `{}`", name)));
      f->external_id = e.external_id;
      resolve.interfaces[id].functions.insert(name, std::move(*f));
    } else {
      return fail(error(fmt::format("instance type export `{}` is not a type or function", name)));
    }
  }
  return {};
}

Expected<wit::InterfaceId> Decoder::register_import(const std::string& name, const bin::InstanceType& it) {
  auto local = named_interfaces_.find(name);
  bool is_local = local != named_interfaces_.end();
  wit::InterfaceId id;
  if (is_local) {
    id = local->second;
  } else {
    WITC_TRY_VAL(id, dep_interface(name));
  }
  WITC_TRY(fill_interface(id, it, is_local));
  return id;
}

// An interface defined here: inline in a world (a plain name) or one of the
// package's own (an interface id).
Expected<std::pair<wit::WorldKey, wit::InterfaceId>> Decoder::register_interface(const std::string& name,
                                                                                const bin::InstanceType& it,
                                                                                PackageFields& fields) {
  if (named_interfaces_.count(name)) {
    WITC_TRY_VAL(wit::InterfaceId id, register_import(name, it));
    return std::pair{wit::WorldKey{{}, id}, id};
  }
  std::optional<std::string> iface_name;
  if (name.find(':') != std::string::npos) {
    WITC_TRY_VAL(auto split, split_interface_name(name));
    iface_name = std::move(split.second);
  } else if (!bin::is_kebab_label(name)) {
    return fail(error(fmt::format("cannot extract item name from: {}", name)));
  }
  wit::Interface iface;
  iface.name = iface_name;
  wit::InterfaceId id = resolve.interfaces.alloc(std::move(iface));
  wit::TypeOwner owner = wit::TypeOwner::of(id);
  for (const auto& [ename, e] : it.exports) {
    if (e.kind == bin::EntityKind::Type) {
      auto ty = type_export(ename, owner, e.type);
      if (!ty) return fail(std::move(ty.error()).with_context(fmt::format("type `{}`", ename)));
      set_external_id(*ty, owner, e);
      resolve.interfaces[id].types.insert(ename, *ty);
    } else if (e.kind == bin::EntityKind::Func) {
      auto f = function(ename, e.type, owner);
      if (!f) return fail(std::move(f.error()).with_context(fmt::format("function `{}`", ename)));
      f->external_id = e.external_id;
      resolve.interfaces[id].functions.insert(ename, std::move(*f));
    } else {
      return fail(error(fmt::format("instance type export `{}` is not a type or function", ename)));
    }
  }
  if (!iface_name) return std::pair{wit::WorldKey{name, {}}, id};
  if (!fields.interfaces->insert(*iface_name, id)) {
    return fail(error(fmt::format("duplicate interface `{}`", *iface_name)));
  }
  named_interfaces_.emplace(name, id);
  return std::pair{wit::WorldKey{{}, id}, id};
}

// --- WIT package encodings ----------------------------------------------------------------------

Expected<wit::PackageName> Decoder::decode_world(const std::string& name, const bin::ComponentType& ct,
                                                 PackageFields& fields) {
  if (name.find('/') == std::string::npos) {
    return fail(error(fmt::format("expected world name `{}` to be fully qualified", name)));
  }
  WITC_TRY_VAL(auto split, split_interface_name(name));
  wit::World world;
  world.name = split.second;
  wit::WorldId id = resolve.worlds.alloc(std::move(world));
  wit::TypeOwner owner = wit::TypeOwner::of(id);
  auto implements = [](const bin::EntityType& e) { return e.implements ? &*e.implements : nullptr; };
  for (const auto& [iname, e] : ct.imports) {
    WITC_TRY_VAL(KeyedItem item, with_context(world_item(iname, e, owner, fields, implements(e)),
                                              fmt::format("import `{}`", iname)));
    resolve.worlds[id].imports.insert(std::move(item.key), std::move(item.item));
  }
  for (const auto& [ename, e] : ct.exports) {
    WITC_TRY_VAL(KeyedItem item, with_context(world_item(ename, e, owner, fields, implements(e)),
                                              fmt::format("export `{}`", ename)));
    resolve.worlds[id].exports.insert(std::move(item.key), std::move(item.item));
  }
  if (!fields.worlds->insert(split.second, id)) return fail(error(fmt::format("duplicate world `{}`", split.second)));
  return split.first;
}

Expected<wit::PackageName> Decoder::decode_interface(const std::string& name, const bin::ComponentType& outer,
                                                     const bin::InstanceType& it, PackageFields& fields) {
  if (name.find('/') == std::string::npos) {
    return fail(error(fmt::format("expected interface name `{}` to be fully qualified", name)));
  }
  WITC_TRY_VAL(auto split, split_interface_name(name));
  for (const auto& [iname, e] : outer.imports) {
    if (e.kind != bin::EntityKind::Instance) return fail(error(fmt::format("import `{}` is not an instance", iname)));
    WITC_TRY(with_context(register_import(iname, t_.instance(e.type)), fmt::format("failed to process import `{}`", iname)));
  }
  WITC_TRY(with_context(register_interface(name, it, fields), fmt::format("failed to process export `{}`", name)));
  return split.first;
}

// --- packages -----------------------------------------------------------------------------------

// Depth-first: the packages whose interfaces the interfaces of package
// `index` use come first. state: 0 new, 1 on the stack, 2 done.
void Decoder::visit_package(size_t index, std::vector<size_t>& order, std::vector<uint8_t>& state) const {
  if (state[index] != 0) return;
  state[index] = 1;
  const wit::Package& pkg = foreign_.at_index(index).second;
  for (const auto& [iname, iface] : pkg.interfaces) {
    for (const auto& [tname, tid] : resolve.interfaces[iface].types) {
      const wit::TypeDef& ty = resolve.types[tid];
      const auto* alias = std::get_if<wit::Alias>(&ty.kind);
      if (!alias || !alias->target.is_id()) continue;
      const wit::TypeDef& other = resolve.types[alias->target.id];
      if (other.owner == ty.owner || other.owner.kind != wit::TypeOwner::Kind::Interface) continue;
      auto dep = iface_package_.find(other.owner.interface.index);
      if (dep != iface_package_.end() && dep->second != index) visit_package(dep->second, order, state);
    }
  }
  state[index] = 2;
  order.push_back(index);
}

wit::PackageId Decoder::finish(wit::Package main) {
  std::vector<size_t> order;
  std::vector<uint8_t> state(foreign_.size(), 0);
  for (size_t i = 0; i < foreign_.size(); ++i) visit_package(i, order, state);
  auto insert = [&](wit::Package pkg) {
    wit::PackageId id;
    if (auto existing = resolve.find_package(pkg.name)) {
      id = *existing;
    } else {
      wit::Package fresh;
      fresh.name = pkg.name;
      fresh.docs = pkg.docs;
      id = resolve.packages.alloc(std::move(fresh));
    }
    for (auto& [name, iface] : pkg.interfaces) {
      resolve.packages[id].interfaces.insert(name, iface);
      resolve.interfaces[iface].package = id;
    }
    for (auto& [name, world] : pkg.worlds) {
      resolve.packages[id].worlds.insert(name, world);
      wit::World& w = resolve.worlds[world];
      w.package = id;
      for (auto* items : {&w.imports, &w.exports}) {
        for (const auto& [key, item] : *items) {
          if (!key.is_interface() && item.kind == wit::WorldItem::Kind::Interface &&
              !resolve.interfaces[item.interface].name) {
            resolve.interfaces[item.interface].package = id;
          }
        }
      }
    }
    return id;
  };
  for (size_t index : order) insert(std::move(foreign_.at_index(index).second));
  return insert(std::move(main));
}

}  // namespace witc::compose::detail
