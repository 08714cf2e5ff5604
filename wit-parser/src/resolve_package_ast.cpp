// Stage 1 of WIT resolution: the ASTs of one package -> UnresolvedPackage.
//
// Order matters everywhere here because arena order is observable (JSON
// indices, printed order): foreign placeholders come first, then interfaces
// and worlds in a topological order that prefers source order, and inside
// each interface the types in a topological order of their definitions.
// (WIT.md, "Package resolution"; the reference is wasm-tools' wit-parser.)
#include <algorithm>
#include <functional>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "unresolved.h"

namespace witc::wit::detail {

namespace {

using ast::Ident;

enum class PathKind { Interface, World, Unknown };

using DeclList = std::vector<const ast::Decl*>;

// The callback sees every path named by a `use`, `import`, `export` or
// `include`: `owner` is the interface (or, for `include`, the world) whose
// definition depends on the path, when that dependency orders items.
using PathFn = std::function<Expected<void>(const Ident* owner,
                                            const std::vector<ast::Attribute>& attrs,
                                            const ast::UsePath& path,
                                            const std::vector<ast::UseName>* names, PathKind)>;

Expected<void> for_each_path(const DeclList& decls, const PathFn& f) {
  for (const ast::Decl* dp : decls) {
    const ast::Decl& decl = *dp;
    if (const auto* u = std::get_if<ast::TopLevelUse>(&decl)) {
      if (auto r = f(nullptr, u->attributes, u->item, nullptr, PathKind::Unknown); !r) return r;
    } else if (const auto* i = std::get_if<ast::Interface>(&decl)) {
      for (const auto& item : i->items) {
        if (const auto* use = std::get_if<ast::Use>(&item)) {
          if (auto r = f(&i->name, use->attributes, use->from, &use->names, PathKind::Interface); !r)
            return r;
        }
      }
    } else if (const auto* w = std::get_if<ast::World>(&decl)) {
      for (const auto& item : w->items) {
        if (const auto* use = std::get_if<ast::Use>(&item)) {
          if (auto r = f(nullptr, use->attributes, use->from, &use->names, PathKind::Interface); !r)
            return r;
        } else if (const auto* ie = std::get_if<ast::ImportExport>(&item)) {
          const auto& t = ie->target;
          if (t.kind == ast::ExternKind::Kind::Interface && t.interface) {
            for (const auto& iitem : t.interface->items) {
              if (const auto* iuse = std::get_if<ast::Use>(&iitem)) {
                if (auto r = f(nullptr, iuse->attributes, iuse->from, &iuse->names,
                               PathKind::Interface);
                    !r)
                  return r;
              }
            }
          } else if (t.kind == ast::ExternKind::Kind::Path) {
            if (auto r = f(nullptr, ie->attributes, t.path, nullptr, PathKind::Interface); !r)
              return r;
          }
        } else if (const auto* inc = std::get_if<ast::Include>(&item)) {
          if (auto r = f(&w->name, inc->attributes, inc->from, nullptr, PathKind::World); !r)
            return r;
        }
      }
    }
  }
  return {};
}

PackageName to_name(const ast::PackageName& p) { return PackageName{p.ns, p.name, p.version}; }

struct PackageNameHash {
  size_t operator()(const PackageName& n) const noexcept {
    return std::hash<std::string>{}(n.to_string());
  }
};

// Topological sort preferring original order among ready items: an item is
// emitted once all its dependencies are; among ready items the earliest
// defined goes first.
Expected<std::vector<std::string>> toposort(const std::string& kind,
                                            const OrderedMap<std::string, std::vector<Ident>>& deps,
                                            const char* hint_for_missing = nullptr) {
  size_t n = deps.size();
  std::vector<size_t> remaining(n);
  std::vector<std::vector<size_t>> reverse(n);
  for (size_t i = 0; i < n; ++i) {
    const auto& edges = deps.at_index(i).second;
    remaining[i] = edges.size();
    for (const auto& e : edges) {
      size_t j = deps.index_of(e.name);
      if (j == deps.npos) {
        std::string msg = fmt::format("{} `{}` does not exist", kind, e.name);
        if (hint_for_missing && (e.name == "float32" || e.name == "float64")) {
          msg += fmt::format(
              "\nthe `{}` type has been renamed to `{}` and is no longer accepted, but the "
              "`WIT_REQUIRE_F32_F64=0` environment variable can be used to temporarily disable "
              "this error",
              e.name, e.name == "float32" ? "f32" : "f64");
        }
        return fail(Diagnostic::at(e.span, msg));
      }
      reverse[j].push_back(i);
    }
  }
  // Min-heap on original index.
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i)
    if (remaining[i] == 0) ready.push(i);
  std::vector<std::string> order;
  order.reserve(n);
  while (!ready.empty()) {
    size_t i = ready.top();
    ready.pop();
    order.push_back(deps.at_index(i).first);
    for (size_t r : reverse[i])
      if (--remaining[r] == 0) ready.push(r);
  }
  if (order.size() == n) return order;
  for (size_t i = 0; i < n; ++i) {
    if (remaining[i] == 0) continue;
    for (const auto& e : deps.at_index(i).second) {
      if (remaining[deps.index_of(e.name)] == 0) continue;
      return fail(Diagnostic::at(e.span, fmt::format("{} `{}` depends on itself", kind, e.name)));
    }
  }
  return fail(Diagnostic::plain(fmt::format("{} dependency cycle", kind)));
}

// What a name inside an interface or world refers to.
struct TypeOrItem {
  bool is_type = true;
  TypeId type;
  const char* item = nullptr;  // "function"
};
using Lookup = OrderedMap<std::string, std::pair<TypeOrItem, Span>>;

Docs to_docs(const ast::Docs& d) { return Docs{d.text}; }

bool is_map_key(const Type& t) {
  switch (t.kind) {
    case Type::Kind::Bool: case Type::Kind::U8: case Type::Kind::U16: case Type::Kind::U32:
    case Type::Kind::U64: case Type::Kind::S8: case Type::Kind::S16: case Type::Kind::S32:
    case Type::Kind::S64: case Type::Kind::Char: case Type::Kind::String: return true;
    default: return false;
  }
}

std::string type_key(const Type& t) {
  return t.is_id() ? fmt::format("#{}", t.id.index) : std::string(primitive_name(t.kind));
}
std::string type_key(const std::optional<Type>& t) { return t ? type_key(*t) : "_"; }

class PackageResolver {
 public:
  Expected<void> push(const ast::File& file, const DeclList& decls,
                      const ast::PackageDecl* decl) {
    if (decl) {
      PackageName cur = to_name(decl->name);
      if (pkg_.name_span.end != 0 || have_name_) {
        if (!(cur == pkg_.name))
          return fail(Diagnostic::at(decl->name.span,
                                     fmt::format("package identifier `{}` does not match previous "
                                                 "package name of `{}`",
                                                 cur.to_string(), pkg_.name.to_string())));
      }
      pkg_.name = cur;
      pkg_.name_span = decl->name.span;
      have_name_ = true;
      if (decl->docs.text) {
        if (pkg_.docs.contents)
          return fail(Diagnostic::at(decl->docs.span,
                                     "found doc comments on multiple 'package' items"));
        pkg_.docs.contents = decl->docs.text;
      }
    }
    (void)file;
    decl_lists_.push_back(&decls);
    return {};
  }

  Expected<UnresolvedPackage> resolve() {
    if (!have_name_)
      return fail(Diagnostic::plain("no `package` header was found in any WIT file for this package"));
    populate_foreign_deps();
    auto orders = populate_ast_items();
    if (!orders) return fail(orders.error());
    if (auto r = populate_foreign_types(); !r) return fail(r.error());

    // Map ids back to their AST.
    std::unordered_map<uint32_t, std::pair<const ast::Interface*, size_t>> iface_ast;
    std::unordered_map<uint32_t, std::pair<const ast::World*, size_t>> world_ast;
    for (size_t i = 0; i < decl_lists_.size(); ++i) {
      for (const ast::Decl* dp : *decl_lists_[i]) {
        const ast::Decl& decl = *dp;
        if (const auto* iface = std::get_if<ast::Interface>(&decl)) {
          iface_ast[ast_items_[i].find(iface->name.name)->index] = {iface, i};
        } else if (const auto* w = std::get_if<ast::World>(&decl)) {
          world_ast[ast_items_[i].find(w->name.name)->index] = {w, i};
        }
      }
    }
    for (InterfaceId id : orders->first) {
      auto [iface, i] = iface_ast.at(id.index);
      cur_ast_ = i;
      if (auto r = no_external_id(iface->attributes, "an interface"); !r) return fail(r.error());
      if (auto r = resolve_interface(id, iface->items, iface->docs, iface->attributes); !r)
        return fail(r.error());
    }
    for (WorldId id : orders->second) {
      auto [w, i] = world_ast.at(id.index);
      cur_ast_ = i;
      if (auto r = resolve_world(id, *w); !r) return fail(r.error());
    }
    return std::move(pkg_);
  }

 private:
  // ---- structure ---------------------------------------------------------

  InterfaceId alloc_interface(Span span) {
    interface_types_.emplace_back();
    pkg_.interface_spans.push_back({span, {}});
    return pkg_.interfaces.alloc(Interface{});
  }
  WorldId alloc_world(Span span) {
    pkg_.world_spans.push_back({span, {}, {}, {}});
    pkg_.world_includes.emplace_back();
    return pkg_.worlds.alloc(World{});
  }

  ForeignDep& foreign_dep(const PackageName& name, Span span) {
    for (auto& d : pkg_.foreign_deps)
      if (d.name == name) return d;
    pkg_.foreign_deps.push_back(ForeignDep{name, span, {}});
    return pkg_.foreign_deps.back();
  }
  const ForeignItem& foreign_item(const ast::UsePath& path) const {
    PackageName name = to_name(path.package);
    for (const auto& d : pkg_.foreign_deps)
      if (d.name == name) return *d.items.find(path.name.name);
    std::abort();  // every package path was registered by populate_foreign_deps
  }

  void populate_foreign_deps() {
    for (const DeclList* decls : decl_lists_) {
      (void)for_each_path(*decls, [&](const Ident*, const std::vector<ast::Attribute>& attrs,
                                      const ast::UsePath& path, const std::vector<ast::UseName>*,
                                      PathKind kind) -> Expected<void> {
        if (path.kind != ast::UsePath::Kind::Package) return {};
        auto st = stability(attrs);
        ForeignDep& dep = foreign_dep(to_name(path.package), path.package.span);
        ForeignItem* item = dep.items.find(path.name.name);
        if (!item) {
          ItemRef ref;
          if (kind == PathKind::World) {
            ref = ItemRef{ItemRef::Kind::World, alloc_world(path.name.span).index};
            foreign_worlds_.insert(ref.index);
          } else {
            ref = ItemRef{ItemRef::Kind::Interface, alloc_interface(path.name.span).index};
            foreign_interfaces_.insert(ref.index);
          }
          dep.items.insert(path.name.name, ForeignItem{ref, {}});
          item = dep.items.find(path.name.name);
        }
        item->stabilities.push_back(st ? *st : Stability{});
        return {};
      });
    }
  }

  struct LocalSource {
    bool foreign = false;
    Ident id;
  };

  Expected<std::pair<std::vector<InterfaceId>, std::vector<WorldId>>> populate_ast_items() {
    OrderedMap<std::string, Span> package_items;
    std::unordered_map<std::string, bool> is_world;
    OrderedMap<std::string, std::vector<Ident>> order;
    for (const DeclList* decls : decl_lists_) {
      for (const ast::Decl* dp : *decls) {
        const ast::Decl& decl = *dp;
        const Ident* name = nullptr;
        bool world = false;
        if (const auto* i = std::get_if<ast::Interface>(&decl)) {
          name = &i->name;
        } else if (const auto* w = std::get_if<ast::World>(&decl)) {
          name = &w->name;
          world = true;
        }
        if (!name) continue;
        if (!package_items.insert(name->name, name->span))
          return fail(Diagnostic::at(name->span,
                                     fmt::format("duplicate item named `{}`", name->name)));
        order.insert(name->name, {});
        is_world[name->name] = world;
      }
    }

    for (const DeclList* decls : decl_lists_) {
      OrderedMap<std::string, LocalSource> ns;
      for (const ast::Decl* dp : *decls) {
        const ast::Decl& decl = *dp;
        const Ident* name = nullptr;
        LocalSource src;
        if (const auto* u = std::get_if<ast::TopLevelUse>(&decl)) {
          name = u->as ? &*u->as : &u->item.name;
          src.foreign = u->item.kind == ast::UsePath::Kind::Package;
          src.id = u->item.name;
        } else if (const auto* i = std::get_if<ast::Interface>(&decl)) {
          name = &i->name;
          src.id = i->name;
        } else if (const auto* w = std::get_if<ast::World>(&decl)) {
          name = &w->name;
          src.id = w->name;
        }
        if (!name) continue;
        if (!ns.insert(name->name, src))
          return fail(Diagnostic::at(name->span,
                                     fmt::format("duplicate name `{}` in this file", name->name)));
      }
      auto r = for_each_path(*decls, [&](const Ident* owner, const std::vector<ast::Attribute>&,
                                         const ast::UsePath& path,
                                         const std::vector<ast::UseName>*,
                                         PathKind) -> Expected<void> {
        if (!owner || path.kind != ast::UsePath::Kind::Name) return {};
        if (const LocalSource* s = ns.find(path.name.name)) {
          if (s->foreign) return {};
          order[owner->name].push_back(s->id);
          return {};
        }
        if (package_items.contains(path.name.name)) {
          order[owner->name].push_back(path.name);
          return {};
        }
        return fail(Diagnostic::at(
            path.name.span,
            fmt::format("interface or world `{}` does not exist", path.name.name)));
      });
      if (!r) return fail(r.error());
    }

    auto sorted = toposort("interface or world", order);
    if (!sorted) return fail(sorted.error());

    std::unordered_map<std::string, ItemRef> ids;
    std::vector<InterfaceId> iface_order;
    std::vector<WorldId> world_order;
    for (const auto& name : *sorted) {
      Span span = *package_items.find(name);
      if (is_world[name]) {
        WorldId id = alloc_world(span);
        pkg_.worlds[id].name = name;
        ids[name] = ItemRef{ItemRef::Kind::World, id.index};
        world_order.push_back(id);
      } else {
        InterfaceId id = alloc_interface(span);
        pkg_.interfaces[id].name = name;
        ids[name] = ItemRef{ItemRef::Kind::Interface, id.index};
        iface_order.push_back(id);
      }
    }

    for (const DeclList* decls : decl_lists_) {
      OrderedMap<std::string, ItemRef> items;
      for (const ast::Decl* dp : *decls) {
        const ast::Decl& decl = *dp;
        if (const auto* u = std::get_if<ast::TopLevelUse>(&decl)) {
          if (!u->attributes.empty())
            return fail(Diagnostic::at(u->span, "attributes not allowed on top-level use"));
          const Ident& name = u->as ? *u->as : u->item.name;
          ItemRef ref;
          if (u->item.kind == ast::UsePath::Kind::Name) {
            auto it = ids.find(u->item.name.name);
            if (it == ids.end())
              return fail(Diagnostic::at(
                  u->item.name.span,
                  fmt::format("interface or world `{}` does not exist", u->item.name.name)));
            ref = it->second;
          } else {
            ref = foreign_item(u->item).item;
          }
          items.insert(name.name, ref);
        } else if (const auto* i = std::get_if<ast::Interface>(&decl)) {
          items.insert(i->name.name, ids.at(i->name.name));
          package_items_.insert(i->name.name, ids.at(i->name.name));
        } else if (const auto* w = std::get_if<ast::World>(&decl)) {
          items.insert(w->name.name, ids.at(w->name.name));
          package_items_.insert(w->name.name, ids.at(w->name.name));
        }
      }
      ast_items_.push_back(std::move(items));
    }
    return std::make_pair(std::move(iface_order), std::move(world_order));
  }

  Expected<void> populate_foreign_types() {
    for (size_t i = 0; i < decl_lists_.size(); ++i) {
      cur_ast_ = i;
      auto r = for_each_path(*decl_lists_[i], [&](const Ident*,
                                                 const std::vector<ast::Attribute>& attrs,
                                                 const ast::UsePath& path,
                                                 const std::vector<ast::UseName>* names,
                                                 PathKind) -> Expected<void> {
        if (!names) return {};
        auto st = stability(attrs);
        if (!st) return fail(st.error());
        auto item = resolve_path(path);
        if (!item) return fail(item.error());
        auto iface = iface_of(*item, path);
        if (!iface) return fail(iface.error());
        if (!foreign_interfaces_.count(iface->index)) return {};
        auto& lookup = interface_types_[iface->index];
        for (const auto& n : *names) {
          if (lookup.contains(n.name.name)) continue;
          TypeDef def;
          def.name = n.name.name;
          def.kind = Unknown{};
          def.owner = TypeOwner::of(*iface);
          def.stability = *st;
          TypeId id = pkg_.types.alloc(std::move(def));
          pkg_.unknown_type_spans.push_back(n.name.span);
          pkg_.type_spans.push_back(n.name.span);
          lookup.insert(n.name.name, {TypeOrItem{true, id, nullptr}, n.name.span});
          pkg_.interfaces[*iface].types.insert(n.name.name, id);
        }
        return {};
      });
      if (!r) return r;
    }
    return {};
  }

  // ---- paths ---------------------------------------------------------------

  Expected<ItemRef> resolve_path(const ast::UsePath& path) const {
    if (path.kind == ast::UsePath::Kind::Package) return foreign_item(path).item;
    if (const ItemRef* r = ast_items_[cur_ast_].find(path.name.name)) return *r;
    if (const ItemRef* r = package_items_.find(path.name.name)) return *r;
    return fail(Diagnostic::at(path.name.span, fmt::format("interface or world `{}` does not exist",
                                                           path.name.name)));
  }
  Expected<InterfaceId> iface_of(const ItemRef& item, const ast::UsePath& path) const {
    if (item.kind == ItemRef::Kind::Interface) return InterfaceId(item.index);
    return fail(Diagnostic::at(
        path.name.span,
        fmt::format("name `{}` is defined as a world, not an interface", path.name.name)));
  }
  Expected<WorldId> world_of(const ItemRef& item, const ast::UsePath& path) const {
    if (item.kind == ItemRef::Kind::World) return WorldId(item.index);
    return fail(Diagnostic::at(
        path.name.span,
        fmt::format("name `{}` is defined as an interface, not a world", path.name.name)));
  }

  // ---- interfaces and worlds ----------------------------------------------

  Expected<void> resolve_interface(InterfaceId id, const std::vector<ast::InterfaceItem>& items,
                                   const ast::Docs& docs,
                                   const std::vector<ast::Attribute>& attrs) {
    pkg_.interfaces[id].docs = to_docs(docs);
    auto st = stability(attrs);
    if (!st) return fail(st.error());
    pkg_.interfaces[id].stability = *st;

      std::vector<std::pair<bool, const void*>> type_items;
    for (const auto& item : items) {
      if (const auto* u = std::get_if<ast::Use>(&item)) type_items.push_back({true, u});
      if (const auto* t = std::get_if<ast::TypeDecl>(&item)) type_items.push_back({false, t});
    }
    if (auto r = resolve_types(TypeOwner::of(id), type_items); !r) return r;
    for (const auto& [name, v] : type_lookup_) pkg_.interfaces[id].types.insert(name, v.first.type);

    std::vector<Function> funcs;
    for (const auto& item : items) {
      if (const auto* f = std::get_if<ast::NamedFunc>(&item)) {
        if (auto r = define_name(f->name, TypeOrItem{false, {}, "function"}); !r) return r;
        auto fn = resolve_function(f->docs, f->attributes, f->name.name, f->func,
                                   f->func.is_async ? Function::Kind::AsyncFreestanding
                                                    : Function::Kind::Freestanding,
                                   {});
        if (!fn) return fail(fn.error());
        fn->span = f->name.span;
        funcs.push_back(std::move(*fn));
        pkg_.interface_spans[id.index].funcs.push_back(f->name.span);
      } else if (const auto* t = std::get_if<ast::TypeDecl>(&item)) {
        if (t->kind != ast::TypeDecl::Kind::Resource) continue;
        for (const auto& rf : t->resource_funcs) {
          auto fn = resolve_resource_func(rf, t->name);
          if (!fn) return fail(fn.error());
          funcs.push_back(std::move(*fn));
          pkg_.interface_spans[id.index].funcs.push_back(rf.name.span);
        }
      }
    }
    for (auto& f : funcs) {
      std::string name = f.name;
      pkg_.interfaces[id].functions.insert(std::move(name), std::move(f));
    }
    interface_types_[id.index] = std::move(type_lookup_);
    type_lookup_.clear();
    return {};
  }

  Expected<void> resolve_world(WorldId id, const ast::World& world) {
    pkg_.worlds[id].docs = to_docs(world.docs);
    if (auto r = no_external_id(world.attributes, "a world"); !r) return r;
    auto st = stability(world.attributes);
    if (!st) return fail(st.error());
    pkg_.worlds[id].stability = *st;

    std::vector<std::pair<bool, const void*>> type_items;
    for (const auto& item : world.items) {
      if (const auto* u = std::get_if<ast::Use>(&item)) type_items.push_back({true, u});
      if (const auto* t = std::get_if<ast::TypeDecl>(&item)) type_items.push_back({false, t});
    }
    if (auto r = resolve_types(TypeOwner::of(id), type_items); !r) return r;

    for (const auto& item : world.items) {
      const auto* inc = std::get_if<ast::Include>(&item);
      if (!inc) continue;
      if (auto r = no_external_id(inc->attributes, "an `include`"); !r) return r;
      auto ist = stability(inc->attributes);
      if (!ist) return fail(ist.error());
      auto ref = resolve_path(inc->from);
      if (!ref) return fail(ref.error());
      auto from = world_of(*ref, inc->from);
      if (!from) return fail(from.error());
      WorldInclude wi{*ist, *from, {}};
      for (const auto& n : inc->with) wi.names.push_back({n.name.name, n.as.name});
      pkg_.world_includes[id.index].push_back(std::move(wi));
      pkg_.world_spans[id.index].includes.push_back(inc->from.name.span);
    }

    World& w = pkg_.worlds[id];
    std::vector<Span> import_spans, export_spans;
    for (const auto& [name, v] : type_lookup_) {
      WorldItem item;
      item.kind = WorldItem::Kind::Type;
      item.type = v.first.type;
      if (!w.imports.insert(WorldKey{name, {}}, item))
        return fail(Diagnostic::at(
            v.second, fmt::format("import `{}` conflicts with prior import of same name", name)));
      import_spans.push_back(v.second);
    }

    std::unordered_set<uint32_t> imported, exported;
    for (const auto& item : world.items) {
      if (const auto* t = std::get_if<ast::TypeDecl>(&item)) {
        if (t->kind != ast::TypeDecl::Kind::Resource) continue;
        for (const auto& rf : t->resource_funcs) {
          import_spans.push_back(rf.name.span);
          auto fn = resolve_resource_func(rf, t->name);
          if (!fn) return fail(fn.error());
          WorldItem wi;
          wi.kind = WorldItem::Kind::Function;
          std::string key = fn->name;
          wi.function = std::move(*fn);
          pkg_.worlds[id].imports.insert(WorldKey{key, {}}, std::move(wi));
        }
        continue;
      }
      const auto* ie = std::get_if<ast::ImportExport>(&item);
      if (!ie) continue;
      const char* desc = ie->is_export ? "export" : "import";
      auto wi = resolve_world_item(*ie);
      if (!wi) return fail(wi.error());
      Span kind_span = extern_span(*ie);
      WorldKey key;
      switch (ie->target.kind) {
        case ast::ExternKind::Kind::Interface: key.name = ie->name->name; break;
        case ast::ExternKind::Kind::Func: key.name = wi->function.name; break;
        case ast::ExternKind::Kind::Path:
          if (ie->name) key.name = ie->name->name;
          else key.interface = wi->interface;
          break;
      }
      if (wi->kind == WorldItem::Kind::Interface &&
          !(ie->target.kind == ast::ExternKind::Kind::Path && ie->name)) {
        auto& set = ie->is_export ? exported : imported;
        if (!set.insert(wi->interface.index).second)
          return fail(Diagnostic::at(kind_span,
                                     fmt::format("interface cannot be {}ed more than once", desc)));
      }
      auto& dst = ie->is_export ? pkg_.worlds[id].exports : pkg_.worlds[id].imports;
      if (const WorldItem* prev = dst.find(key)) {
        const char* what = prev->kind == WorldItem::Kind::Interface  ? "interface"
                           : prev->kind == WorldItem::Kind::Function ? "func"
                                                                     : "type";
        return fail(Diagnostic::at(kind_span, fmt::format("{} `{}` conflicts with prior {} of same name",
                                                          desc, key.name, what)));
      }
      dst.insert(key, std::move(*wi));
      (ie->is_export ? export_spans : import_spans).push_back(kind_span);
    }
    pkg_.world_spans[id.index].imports = std::move(import_spans);
    pkg_.world_spans[id.index].exports = std::move(export_spans);
    type_lookup_.clear();
    return {};
  }

  // The span an import/export is reported at: its name, or its path.
  static Span extern_span(const ast::ImportExport& ie) {
    if (ie.name) return ie.name->span;
    return ie.target.path.span;
  }

  Expected<WorldItem> resolve_world_item(const ast::ImportExport& ie) {
    WorldItem wi;
    switch (ie.target.kind) {
      case ast::ExternKind::Kind::Interface: {
        Lookup saved = std::move(type_lookup_);
        type_lookup_.clear();
        InterfaceId id = alloc_interface(ie.name->span);
        auto r = resolve_interface(id, ie.target.interface->items, ie.docs, ie.attributes);
        type_lookup_ = std::move(saved);
        if (!r) return fail(r.error());
        wi.kind = WorldItem::Kind::Interface;
        wi.interface = id;
        wi.stability = pkg_.interfaces[id].stability;
        auto ext = external_id(ie.attributes);
        if (!ext) return fail(ext.error());
        wi.external_id = std::move(*ext);
        return wi;
      }
      case ast::ExternKind::Kind::Path: {
        auto st = stability(ie.attributes);
        if (!st) return fail(st.error());
        auto ref = resolve_path(ie.target.path);
        if (!ref) return fail(ref.error());
        auto id = iface_of(*ref, ie.target.path);
        if (!id) return fail(id.error());
        wi.kind = WorldItem::Kind::Interface;
        wi.interface = *id;
        wi.stability = *st;
        auto ext = external_id(ie.attributes);
        if (!ext) return fail(ext.error());
        wi.external_id = std::move(*ext);
        return wi;
      }
      case ast::ExternKind::Kind::Func: {
        auto fn = resolve_function(ie.docs, ie.attributes, ie.name->name, ie.target.func,
                                   ie.target.func.is_async ? Function::Kind::AsyncFreestanding
                                                           : Function::Kind::Freestanding,
                                   {});
        if (!fn) return fail(fn.error());
        fn->span = ie.name->span;
        wi.kind = WorldItem::Kind::Function;
        wi.function = std::move(*fn);
        return wi;
      }
    }
    return wi;
  }

  // ---- types ---------------------------------------------------------------

  Expected<void> define_name(const Ident& name, TypeOrItem item) {
    if (!type_lookup_.insert(name.name, {item, name.span}))
      return fail(Diagnostic::at(name.span,
                                 fmt::format("name `{}` is defined more than once", name.name)));
    return {};
  }

  // `items`: (is_use, pointer) in source order.
  Expected<void> resolve_types(TypeOwner owner,
                               const std::vector<std::pair<bool, const void*>>& items) {
    for (const auto& [is_use, p] : items)
      if (is_use)
        if (auto r = resolve_use(owner, *static_cast<const ast::Use*>(p)); !r) return r;

    OrderedMap<std::string, std::vector<Ident>> deps;
    std::unordered_map<std::string, const ast::TypeDecl*> defs;
    for (const auto& [is_use, p] : items) {
      if (!is_use) {
        const auto* t = static_cast<const ast::TypeDecl*>(p);
        if (defs.count(t->name.name))
          return fail(Diagnostic::at(
              t->name.span, fmt::format("name `{}` is defined more than once", t->name.name)));
        defs[t->name.name] = t;
        std::vector<Ident> d;
        collect_deps(*t, d);
        deps.insert_or_assign(t->name.name, std::move(d));
      } else {
        for (const auto& n : static_cast<const ast::Use*>(p)->names) {
          const Ident& name = n.as ? *n.as : n.name;
          deps.insert_or_assign(name.name, {});
          defs[name.name] = nullptr;
        }
      }
    }
    auto order = toposort("type", deps, "float");
    if (!order) return fail(order.error());
    for (const auto& name : *order) {
      const ast::TypeDecl* def = defs[name];
      if (!def) continue;
      defs[name] = nullptr;  // a use of the same name later shadows nothing
      auto st = stability(def->attributes);
      if (!st) return fail(st.error());
      auto kind = resolve_decl_kind(*def, *st);
      if (!kind) return fail(kind.error());
      auto ext = external_id(def->attributes);
      if (!ext) return fail(ext.error());
      TypeDef td;
      td.docs = to_docs(def->docs);
      td.stability = *st;
      td.external_id = std::move(*ext);
      td.kind = std::move(*kind);
      td.name = def->name.name;
      td.owner = owner;
      td.span = def->name.span;
      TypeId id = pkg_.types.alloc(std::move(td));
      pkg_.type_spans.push_back(def->name.span);
      if (auto r = define_name(def->name, TypeOrItem{true, id, nullptr}); !r) return r;
    }
    return {};
  }

  Expected<void> resolve_use(TypeOwner owner, const ast::Use& u) {
    auto ref = resolve_path(u.from);
    if (!ref) return fail(ref.error());
    auto from = iface_of(*ref, u.from);
    if (!from) return fail(from.error());
    if (auto r = no_external_id(u.attributes, "a `use`"); !r) return r;
    auto st = stability(u.attributes);
    if (!st) return fail(st.error());
    for (const auto& n : u.names) {
      const auto* found = interface_types_[from->index].find(n.name.name);
      if (!found)
        return fail(Diagnostic::at(n.name.span,
                                   fmt::format("name `{}` does not exist", n.name.name)));
      if (!found->first.is_type)
        return fail(Diagnostic::at(n.name.span, fmt::format("cannot import {} `{}`",
                                                            found->first.item, n.name.name)));
      pkg_.type_spans.push_back(n.name.span);
      const Ident& name = n.as ? *n.as : n.name;
      TypeDef td;
      td.stability = *st;
      td.kind = Alias{Type::of(found->first.type)};
      td.name = name.name;
      td.owner = owner;
      td.span = name.span;
      TypeId id = pkg_.types.alloc(std::move(td));
      if (auto r = define_name(name, TypeOrItem{true, id, nullptr}); !r) return r;
    }
    return {};
  }

  static void collect_deps(const ast::TypeExpr& t, std::vector<Ident>& out) {
    switch (t.kind) {
      case ast::TypeExpr::Kind::Named:
      case ast::TypeExpr::Kind::Own:
      case ast::TypeExpr::Kind::Borrow: out.push_back(t.name); break;
      default:
        for (const auto& a : t.args) collect_deps(a, out);
    }
  }
  static void collect_deps(const ast::TypeDecl& t, std::vector<Ident>& out) {
    switch (t.kind) {
      case ast::TypeDecl::Kind::Record:
        for (const auto& f : t.fields) collect_deps(f.type, out);
        break;
      case ast::TypeDecl::Kind::Variant:
        for (const auto& c : t.cases)
          if (c.type) collect_deps(*c.type, out);
        break;
      case ast::TypeDecl::Kind::Alias:
        if (t.alias) collect_deps(*t.alias, out);
        break;
      default: break;
    }
  }

  Expected<TypeId> resolve_type_name(const Ident& name) {
    const auto* found = type_lookup_.find(name.name);
    if (!found)
      return fail(Diagnostic::at(name.span, fmt::format("name `{}` does not exist", name.name)));
    if (!found->first.is_type)
      return fail(Diagnostic::at(name.span, fmt::format("cannot use {} `{}` as a type",
                                                        found->first.item, name.name)));
    return found->first.type;
  }

  Expected<TypeId> validate_resource(const Ident& name) {
    auto id = resolve_type_name(name);
    if (!id) return id;
    TypeId cur = *id;
    for (;;) {
      const auto& kind = pkg_.types[cur].kind;
      if (std::holds_alternative<Resource>(kind)) return *id;
      if (const auto* a = std::get_if<Alias>(&kind); a && a->target.is_id()) {
        cur = a->target.id;
        continue;
      }
      if (std::holds_alternative<Unknown>(kind)) {
        pkg_.required_resource_types.push_back({cur, name.span});
        return *id;
      }
      return fail(Diagnostic::at(
          name.span, fmt::format("type `{}` used in a handle must be a resource", name.name)));
    }
  }

  Expected<TypeDefKind> resolve_decl_kind(const ast::TypeDecl& t, const Stability& st) {
    switch (t.kind) {
      case ast::TypeDecl::Kind::Resource: {
        int ctors = 0;
        std::unordered_set<std::string> names;
        for (const auto& f : t.resource_funcs) {
          if (f.kind == ast::ResourceFunc::Kind::Constructor) {
            if (++ctors > 1) return fail(Diagnostic::at(f.name.span, "duplicate constructors"));
          } else if (!names.insert(f.name.name).second) {
            return fail(Diagnostic::at(
                f.name.span, fmt::format("duplicate function name `{}`", f.name.name)));
          }
        }
        return Resource{};
      }
      case ast::TypeDecl::Kind::Record: {
        Record r;
        for (const auto& f : t.fields) {
          auto ty = resolve_type(f.type, st);
          if (!ty) return fail(ty.error());
          r.fields.push_back(Field{f.name.name, *ty, to_docs(f.docs), f.name.span});
        }
        return r;
      }
      case ast::TypeDecl::Kind::Flags: {
        Flags f;
        for (const auto& fl : t.flags) f.flags.push_back(Flag{fl.name.name, to_docs(fl.docs)});
        return f;
      }
      case ast::TypeDecl::Kind::Variant: {
        if (t.cases.empty()) return fail(Diagnostic::at(t.name.span, "empty variant"));
        Variant v;
        for (const auto& c : t.cases) {
          Case cs{c.name.name, std::nullopt, to_docs(c.docs), c.name.span};
          if (c.type) {
            auto ty = resolve_type(*c.type, st);
            if (!ty) return fail(ty.error());
            cs.type = *ty;
          }
          v.cases.push_back(std::move(cs));
        }
        return v;
      }
      case ast::TypeDecl::Kind::Enum: {
        if (t.enum_cases.empty()) return fail(Diagnostic::at(t.name.span, "empty enum"));
        Enum e;
        for (const auto& c : t.enum_cases) e.cases.push_back(EnumCase{c.name.name, to_docs(c.docs)});
        return e;
      }
      case ast::TypeDecl::Kind::Alias: return resolve_expr_kind(*t.alias, st);
    }
    return Unknown{};
  }

  static std::optional<Type::Kind> primitive(ast::TypeExpr::Kind k) {
    using K = ast::TypeExpr::Kind;
    switch (k) {
      case K::Bool: return Type::Kind::Bool;
      case K::U8: return Type::Kind::U8;
      case K::U16: return Type::Kind::U16;
      case K::U32: return Type::Kind::U32;
      case K::U64: return Type::Kind::U64;
      case K::S8: return Type::Kind::S8;
      case K::S16: return Type::Kind::S16;
      case K::S32: return Type::Kind::S32;
      case K::S64: return Type::Kind::S64;
      case K::F32: return Type::Kind::F32;
      case K::F64: return Type::Kind::F64;
      case K::Char: return Type::Kind::Char;
      case K::String: return Type::Kind::String;
      case K::ErrorContext: return Type::Kind::ErrorContext;
      default: return std::nullopt;
    }
  }

  Expected<std::optional<Type>> resolve_optional(const ast::TypeExpr* t, const Stability& st) {
    if (!t) return std::optional<Type>{};
    auto r = resolve_type(*t, st);
    if (!r) return fail(r.error());
    return std::optional<Type>(*r);
  }

  Expected<TypeDefKind> resolve_expr_kind(const ast::TypeExpr& t, const Stability& st) {
    using K = ast::TypeExpr::Kind;
    if (auto p = primitive(t.kind)) return Alias{Type::prim(*p)};
    switch (t.kind) {
      case K::Named: {
        auto id = resolve_type_name(t.name);
        if (!id) return fail(id.error());
        return Alias{Type::of(*id)};
      }
      case K::List: {
        auto e = resolve_type(t.args.at(0), st);
        if (!e) return fail(e.error());
        return List{*e};
      }
      case K::FixedSizeList: {
        auto e = resolve_type(t.args.at(0), st);
        if (!e) return fail(e.error());
        return FixedSizeList{*e, t.size};
      }
      case K::Map: {
        auto k = resolve_type(t.args.at(0), st);
        if (!k) return fail(k.error());
        auto v = resolve_type(t.args.at(1), st);
        if (!v) return fail(v.error());
        if (!is_map_key(*k))
          return fail(Diagnostic::at(t.span,
                                     "invalid map key type: map keys must be bool, u8, u16, u32, "
                                     "u64, s8, s16, s32, s64, char, or string"));
        return Map{*k, *v};
      }
      case K::Option: {
        auto e = resolve_type(t.args.at(0), st);
        if (!e) return fail(e.error());
        return Option{*e};
      }
      case K::Result: {
        const ast::TypeExpr* ok = t.has_ok ? &t.args.at(0) : nullptr;
        const ast::TypeExpr* err = t.has_err ? &t.args.back() : nullptr;
        auto o = resolve_optional(ok, st);
        if (!o) return fail(o.error());
        auto e = resolve_optional(err, st);
        if (!e) return fail(e.error());
        return Result{*o, *e};
      }
      case K::Tuple: {
        Tuple tu;
        for (const auto& a : t.args) {
          auto e = resolve_type(a, st);
          if (!e) return fail(e.error());
          tu.types.push_back(*e);
        }
        return tu;
      }
      case K::Future:
      case K::Stream: {
        auto e = resolve_optional(t.args.empty() ? nullptr : &t.args[0], st);
        if (!e) return fail(e.error());
        if (t.kind == K::Future) return Future{*e};
        return Stream{*e};
      }
      case K::Own:
      case K::Borrow: {
        auto id = validate_resource(t.name);
        if (!id) return fail(id.error());
        return Handle{t.kind == K::Own ? Handle::Kind::Own : Handle::Kind::Borrow, *id};
      }
      default: break;
    }
    return Unknown{};
  }

  // `option<T>` and friends inherit the stability of the first named type
  // they mention that has one, unless given one explicitly.
  Stability find_stability(const TypeDefKind& kind, const Stability& st) const {
    if (!st.is_unknown()) return st;
    auto of = [&](const std::optional<Type>& t) -> const Stability* {
      if (!t || !t->is_id()) return nullptr;
      const Stability& s = pkg_.types[t->id].stability;
      return s.is_unknown() ? nullptr : &s;
    };
    const Stability* found = nullptr;
    std::visit(
        [&](const auto& k) {
          using T = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<T, Alias>) found = of(k.target);
          else if constexpr (std::is_same_v<T, Handle>) found = of(Type::of(k.resource));
          else if constexpr (std::is_same_v<T, Tuple>) {
            for (const auto& t : k.types)
              if ((found = of(t))) break;
          } else if constexpr (std::is_same_v<T, List> || std::is_same_v<T, FixedSizeList>)
            found = of(k.element);
          else if constexpr (std::is_same_v<T, Option>) found = of(k.type);
          else if constexpr (std::is_same_v<T, Map>) {
            found = of(k.key);
            if (!found) found = of(k.value);
          } else if constexpr (std::is_same_v<T, Future> || std::is_same_v<T, Stream>)
            found = of(k.type);
          else if constexpr (std::is_same_v<T, Result>) {
            found = of(k.ok);
            if (!found) found = of(k.err);
          }
        },
        kind);
    return found ? *found : Stability{};
  }

  Expected<Type> resolve_type(const ast::TypeExpr& t, const Stability& st) {
    auto kind = resolve_expr_kind(t, st);
    if (!kind) return fail(kind.error());
    Stability s = find_stability(*kind, st);
    return anon_type(std::move(*kind), std::move(s), t.span);
  }

  // Interns anonymous types: equal structure, one TypeId.
  Type anon_type(TypeDefKind kind, Stability st, Span span) {
    std::string key;
    bool intern = true;
    std::visit(
        [&](const auto& k) {
          using T = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<T, Alias>) {
            intern = false;
          } else if constexpr (std::is_same_v<T, Handle>) {
            if (k.kind == Handle::Kind::Own) intern = false;
            else key = fmt::format("borrow {}", k.resource.index);
          } else if constexpr (std::is_same_v<T, Tuple>) {
            key = "tuple";
            for (const auto& t : k.types) {
              key += ' ';
              key += type_key(t);
            }
          } else if constexpr (std::is_same_v<T, List>) {
            key = "list " + type_key(k.element);
          } else if constexpr (std::is_same_v<T, FixedSizeList>) {
            key = fmt::format("fixed {} {}", type_key(k.element), k.size);
          } else if constexpr (std::is_same_v<T, Map>) {
            key = fmt::format("map {} {}", type_key(k.key), type_key(k.value));
          } else if constexpr (std::is_same_v<T, Option>) {
            key = "option " + type_key(k.type);
          } else if constexpr (std::is_same_v<T, Result>) {
            key = fmt::format("result {} {}", type_key(k.ok), type_key(k.err));
          } else if constexpr (std::is_same_v<T, Future>) {
            key = "future " + type_key(k.type);
          } else if constexpr (std::is_same_v<T, Stream>) {
            key = "stream " + type_key(k.type);
          } else {
            key = fmt::format("other {}", pkg_.types.size());  // never shared
          }
        },
        kind);
    if (!intern) {
      if (const auto* a = std::get_if<Alias>(&kind)) return a->target;
      return Type::of(std::get<Handle>(kind).resource);  // anonymous own<T> is T
    }
    auto it = anon_.find(key);
    if (it != anon_.end()) return Type::of(it->second);
    TypeDef td;
    td.kind = std::move(kind);
    td.stability = std::move(st);
    TypeId id = pkg_.types.alloc(std::move(td));
    pkg_.type_spans.push_back(span);
    anon_.emplace(std::move(key), id);
    return Type::of(id);
  }

  // ---- functions -------------------------------------------------------------

  Expected<Function> resolve_resource_func(const ast::ResourceFunc& f, const Ident& resource) {
    const auto* found = type_lookup_.find(resource.name);
    TypeId rid = found->first.type;
    std::string name;
    Function::Kind kind = Function::Kind::Method;
    bool async = f.func.is_async;
    switch (f.kind) {
      case ast::ResourceFunc::Kind::Method:
        name = fmt::format("[method]{}.{}", resource.name, f.name.name);
        kind = async ? Function::Kind::AsyncMethod : Function::Kind::Method;
        break;
      case ast::ResourceFunc::Kind::Static:
        name = fmt::format("[static]{}.{}", resource.name, f.name.name);
        kind = async ? Function::Kind::AsyncStatic : Function::Kind::Static;
        break;
      case ast::ResourceFunc::Kind::Constructor:
        name = fmt::format("[constructor]{}", resource.name);
        kind = Function::Kind::Constructor;
        break;
    }
    auto fn = resolve_function(f.docs, f.attributes, name, f.func, kind, rid);
    if (fn) fn->span = f.name.span;
    return fn;
  }

  Expected<Function> resolve_function(const ast::Docs& docs,
                                      const std::vector<ast::Attribute>& attrs,
                                      const std::string& name, const ast::Func& func,
                                      Function::Kind kind, TypeId resource) {
    Function fn;
    fn.docs = to_docs(docs);
    auto st = stability(attrs);
    if (!st) return fail(st.error());
    fn.stability = *st;
    auto ext = external_id(attrs);
    if (!ext) return fail(ext.error());
    fn.external_id = std::move(*ext);
    fn.name = name;
    fn.kind = kind;
    fn.resource = resource;
    fn.params.reserve(func.params.size() + 1);
    if (kind == Function::Kind::Method || kind == Function::Kind::AsyncMethod) {
      TypeDefKind self = Handle{Handle::Kind::Borrow, resource};
      Stability s = find_stability(self, Stability{});
      fn.params.emplace_back("self", anon_type(std::move(self), std::move(s), func.span));
    }
    for (const auto& p : func.params) {
      auto ty = resolve_type(p.type, Stability{});
      if (!ty) return fail(ty.error());
      // Parameter lists are short: a linear check beats a hash map here.
      for (const auto& [n, t] : fn.params)
        if (n == p.name.name)
          return fail(Diagnostic::at(
              p.name.span, fmt::format("param `{}` is defined more than once", p.name.name)));
      fn.params.emplace_back(p.name.name, *ty);
    }
    if (kind == Function::Kind::Constructor) {
      if (!func.result) {
        fn.result = Type::of(resource);
      } else {
        auto r = resolve_type(*func.result, Stability{});
        if (!r) return fail(r.error());
        const Result* res = r->is_id() ? std::get_if<Result>(&pkg_.types[r->id].kind) : nullptr;
        if (!res)
          return fail(Diagnostic::at(func.result->span,
                                     "if a constructor return type is declared it must be a `result`"));
        if (!res->ok || !res->ok->is_id() || !(res->ok->id == resource)) {
          Span ok_span = func.result->has_ok ? func.result->args.at(0).span : func.result->span;
          return fail(Diagnostic::at(ok_span, "the `ok` type must be the resource being constructed"));
        }
        fn.result = *r;
      }
    } else if (func.result) {
      auto r = resolve_type(*func.result, Stability{});
      if (!r) return fail(r.error());
      fn.result = *r;
    }
    return fn;
  }

  // ---- attributes --------------------------------------------------------------

  // `@external-id("...")` (WIT.md): at most one, on imports, exports, types
  // and functions.
  Expected<std::optional<std::string>> external_id(const std::vector<ast::Attribute>& attrs) const {
    std::optional<std::string> out;
    for (const auto& a : attrs) {
      if (a.kind != ast::Attribute::Kind::ExternalId) continue;
      if (out) return fail(Diagnostic::at(a.span, "duplicate `@external-id` attribute"));
      out = a.text;
    }
    return out;
  }
  Expected<void> no_external_id(const std::vector<ast::Attribute>& attrs, std::string_view what) const {
    for (const auto& a : attrs)
      if (a.kind == ast::Attribute::Kind::ExternalId)
        return fail(Diagnostic::at(a.span, fmt::format("`@external-id` cannot be placed on {}", what)));
    return {};
  }

  // The stability attributes (`@external-id` is not one and is skipped).
  Expected<Stability> stability(const std::vector<ast::Attribute>& all) const {
    using K = ast::Attribute::Kind;
    Stability s;
    std::vector<ast::Attribute> attrs;
    for (const auto& a : all)
      if (a.kind != K::ExternalId) attrs.push_back(a);
    if (attrs.empty()) return s;
    if (attrs.size() == 1) {
      const auto& a = attrs[0];
      if (a.kind == K::Since) {
        s.kind = Stability::Kind::Stable;
        s.since = a.version;
        return s;
      }
      if (a.kind == K::Unstable) {
        s.kind = Stability::Kind::Unstable;
        s.feature = a.feature;
        return s;
      }
      return fail(Diagnostic::at(a.span, "must pair @deprecated with either @since or @unstable"));
    }
    if (attrs.size() == 2) {
      const auto& a = attrs[0];
      const auto& b = attrs[1];
      const ast::Attribute* dep = a.kind == K::Deprecated ? &a : b.kind == K::Deprecated ? &b : nullptr;
      const ast::Attribute* other = dep == &a ? &b : &a;
      if (dep && other->kind == K::Since) {
        s.kind = Stability::Kind::Stable;
        s.since = other->version;
        s.deprecated = dep->version;
        return s;
      }
      if (dep && other->kind == K::Unstable) {
        s.kind = Stability::Kind::Unstable;
        s.feature = other->feature;
        s.deprecated = dep->version;
        return s;
      }
    }
    return fail(Diagnostic::at(attrs[1].span, "unsupported combination of attributes"));
  }

  UnresolvedPackage pkg_;
  bool have_name_ = false;
  std::vector<const DeclList*> decl_lists_;
  std::unordered_map<std::string, TypeId> anon_;
  size_t cur_ast_ = 0;
  std::vector<OrderedMap<std::string, ItemRef>> ast_items_;
  OrderedMap<std::string, ItemRef> package_items_;
  std::vector<Lookup> interface_types_;
  std::unordered_set<uint32_t> foreign_interfaces_;
  std::unordered_set<uint32_t> foreign_worlds_;
  Lookup type_lookup_;
};

}  // namespace

bool package_name_less(const PackageName& a, const PackageName& b) {
  if (a.ns != b.ns) return a.ns < b.ns;
  if (a.name != b.name) return a.name < b.name;
  if (!a.version || !b.version) return !a.version && b.version;
  auto c = *a.version <=> *b.version;
  if (c != 0) return c < 0;
  // Build metadata orders last (empty first).
  return a.version->build < b.version->build;
}

Expected<UnresolvedGroup> resolve_package_files(const std::vector<const ast::File*>& files) {
  PackageResolver main;
  std::vector<UnresolvedPackage> nested;
  // Nested packages become packages of their own, each resolved alone.
  for (size_t i = 0; i < files.size(); ++i) {
    const ast::File& f = *files[i];
    for (const auto& decl : f.decls) {
      if (const auto* np = std::get_if<std::unique_ptr<ast::NestedPackage>>(&decl)) {
        PackageResolver r;
        DeclList decls;
        for (const auto& d : (*np)->decls) decls.push_back(&d);
        if (auto p = r.push(f, decls, &(*np)->decl); !p) return fail(p.error());
        auto pkg = r.resolve();
        if (!pkg) return fail(pkg.error());
        nested.push_back(std::move(*pkg));
      }
    }
  }
  // The file-level items: the AST keeps nested packages inline, so the
  // top-level list is filtered through a view of pointers.
  std::vector<DeclList> filtered(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    for (const auto& decl : files[i]->decls)
      if (!std::holds_alternative<std::unique_ptr<ast::NestedPackage>>(decl))
        filtered[i].push_back(&decl);
    if (auto p = main.push(*files[i], filtered[i], files[i]->package ? &*files[i]->package : nullptr);
        !p)
      return fail(p.error());
  }
  auto pkg = main.resolve();
  if (!pkg) return fail(pkg.error());
  return UnresolvedGroup{std::move(*pkg), std::move(nested)};
}

}  // namespace witc::wit::detail
