// Private: the two stages of WIT resolution.
//
// Stage 1 (resolve_package_ast.cpp) turns the ASTs of one package into an
// UnresolvedPackage: its own arenas, with every reference into another
// package left as a placeholder (foreign interfaces/worlds first, then
// foreign types of kind Unknown). Names inside the package are resolved, types
// are topologically ordered, and anonymous types are interned.
//
// Stage 2 (push.cpp) appends an UnresolvedPackage to a Resolve: placeholders
// are bound to packages already in the Resolve, feature gates are applied,
// references to resources become `own` handles, and worlds are elaborated
// (implicit imports, includes).
#pragma once

#include <string>
#include <vector>

#include "witc/wit/ast.h"
#include "witc/wit/resolve.h"

namespace witc::wit::detail {

struct ItemRef {
  enum class Kind { Interface, World };
  Kind kind = Kind::Interface;
  uint32_t index = 0;
  friend bool operator==(const ItemRef&, const ItemRef&) = default;
};

struct InterfaceSpans {
  Span span;
  std::vector<Span> funcs;
};
struct WorldSpans {
  Span span;
  std::vector<Span> imports;
  std::vector<Span> exports;
  std::vector<Span> includes;
};

struct IncludeName {
  std::string name;
  std::string as;
};
struct WorldInclude {
  Stability stability;
  WorldId world;
  std::vector<IncludeName> names;
};

struct ForeignItem {
  ItemRef item;
  std::vector<Stability> stabilities;
};
struct ForeignDep {
  PackageName name;
  Span span;  // where the package was first named
  OrderedMap<std::string, ForeignItem> items;
};

struct UnresolvedPackage {
  PackageName name;
  Span name_span;
  Docs docs;
  Arena<World> worlds;
  Arena<Interface> interfaces;
  Arena<TypeDef> types;
  std::vector<ForeignDep> foreign_deps;
  std::vector<Span> unknown_type_spans;  // one per foreign (Unknown) type at the front of `types`
  std::vector<Span> type_spans;          // one per type
  std::vector<InterfaceSpans> interface_spans;
  std::vector<WorldSpans> world_spans;
  std::vector<std::vector<WorldInclude>> world_includes;  // one list per world
  std::vector<std::pair<TypeId, Span>> required_resource_types;
};

// One parsed source: the file-level package (if any items are at file level)
// plus nested `package x:y { ... }` blocks, each its own package.
struct UnresolvedGroup {
  UnresolvedPackage main;
  std::vector<UnresolvedPackage> nested;
};

// Stage 1 for a set of files forming one package (a directory, or one file).
Expected<UnresolvedGroup> resolve_package_files(const std::vector<const ast::File*>& files);

// Stage 2: appends `pkg` to `resolve`.
Expected<PackageId> push_package(Resolve& resolve, UnresolvedPackage pkg);

// Total order of package names (namespace, name, version; no version first),
// as the reference sorts packages before visiting them.
bool package_name_less(const PackageName& a, const PackageName& b);

}  // namespace witc::wit::detail
