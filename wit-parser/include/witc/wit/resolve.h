// The resolved WIT package graph: witc's model of everything a set of WIT
// packages says, after names are resolved and worlds elaborated.
//
// Arenas of packages, interfaces, worlds and types are addressed by typed ids.
// Arena order is meaningful: dependencies come before dependents, and a type
// comes after every type it refers to, so the JSON form matches the
// reference parser's indices (wasm-tools crates/wit-parser, `Resolve`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "witc/base/arena.h"
#include "witc/base/diagnostic.h"
#include "witc/base/ordered_map.h"
#include "witc/base/semver.h"
#include "witc/base/source_map.h"

namespace witc::wit {

struct Package;
struct Interface;
struct World;
struct TypeDef;

using PackageId = Id<Package>;
using InterfaceId = Id<Interface>;
using WorldId = Id<World>;
using TypeId = Id<TypeDef>;

struct Docs {
  std::optional<std::string> contents;  // doc comment text, markers stripped
  bool empty() const { return !contents.has_value(); }
};

// `@since(version = ...)`, `@unstable(feature = ...)`, `@deprecated(version = ...)`.
struct Stability {
  enum class Kind { Unknown, Stable, Unstable };
  Kind kind = Kind::Unknown;
  Version since;                      // Stable
  std::string feature;                // Unstable
  std::optional<Version> deprecated;  // Stable or Unstable
  bool is_unknown() const { return kind == Kind::Unknown; }
  friend bool operator==(const Stability&, const Stability&) = default;
};

// A WIT type: a primitive or a reference to a TypeDef.
struct Type {
  enum class Kind : uint8_t {
    Bool, U8, U16, U32, U64, S8, S16, S32, S64, F32, F64, Char, String, ErrorContext, Id
  };
  Kind kind = Kind::Bool;
  TypeId id;  // valid when kind == Id

  static Type prim(Kind k) { return Type{k, {}}; }
  static Type of(TypeId id) { return Type{Kind::Id, id}; }
  bool is_id() const { return kind == Kind::Id; }
  friend bool operator==(const Type& a, const Type& b) {
    return a.kind == b.kind && (a.kind != Kind::Id || a.id == b.id);
  }
};
// "u32", "string", ... for primitives (the names WIT and the JSON use).
const char* primitive_name(Type::Kind k);

struct Field {
  std::string name;
  Type type;
  Docs docs;
  Span span;  // the field's name in the source (zero when not from source)
};
struct Flag {
  std::string name;
  Docs docs;
};
struct Case {
  std::string name;
  std::optional<Type> type;
  Docs docs;
  Span span;  // the case's name in the source
};
struct EnumCase {
  std::string name;
  Docs docs;
};

struct Record { std::vector<Field> fields; };
struct Resource {};
struct Handle {
  enum class Kind { Own, Borrow };
  Kind kind;
  TypeId resource;  // the resource (possibly through aliases)
};
struct Flags { std::vector<Flag> flags; };
struct Tuple { std::vector<Type> types; };
struct Variant { std::vector<Case> cases; };
struct Enum { std::vector<EnumCase> cases; };
struct Option { Type type; };
struct Result {
  std::optional<Type> ok;
  std::optional<Type> err;
};
struct List { Type element; };
struct FixedSizeList {
  Type element;
  uint32_t size;
};
struct Map {
  Type key;
  Type value;
};
struct Future { std::optional<Type> type; };
struct Stream { std::optional<Type> type; };
struct Alias { Type target; };  // `type a = b;`
struct Unknown {};              // placeholder during resolution only

using TypeDefKind = std::variant<Record, Resource, Handle, Flags, Tuple, Variant, Enum, Option,
                                 Result, List, FixedSizeList, Map, Future, Stream, Alias, Unknown>;

struct TypeOwner {
  enum class Kind { None, Interface, World };
  Kind kind = Kind::None;
  InterfaceId interface;
  WorldId world;
  static TypeOwner of(InterfaceId i) { return {Kind::Interface, i, {}}; }
  static TypeOwner of(WorldId w) { return {Kind::World, {}, w}; }
  friend bool operator==(const TypeOwner&, const TypeOwner&) = default;
};

struct TypeDef {
  std::optional<std::string> name;
  TypeDefKind kind;
  TypeOwner owner;
  Docs docs;
  Stability stability;
  std::optional<std::string> external_id;  // `@external-id("...")`
  Span span;  // where it was defined (zero for anonymous types)
};

struct Function {
  enum class Kind { Freestanding, AsyncFreestanding, Method, AsyncMethod, Static, AsyncStatic, Constructor };
  std::string name;  // mangled: "f", "[method]r.f", "[static]r.f", "[constructor]r"
  Kind kind = Kind::Freestanding;
  TypeId resource;  // for methods, statics, constructors
  std::vector<std::pair<std::string, Type>> params;
  std::optional<Type> result;
  Docs docs;
  Stability stability;
  std::optional<std::string> external_id;  // `@external-id("...")`
  Span span;

  bool is_async() const {
    return kind == Kind::AsyncFreestanding || kind == Kind::AsyncMethod || kind == Kind::AsyncStatic;
  }
  // The name as written in WIT ("f" for "[method]r.f").
  std::string item_name() const;
};

struct Interface {
  std::optional<std::string> name;  // nullopt for inline `import x: interface { ... }`
  OrderedMap<std::string, TypeId> types;
  OrderedMap<std::string, Function> functions;
  Docs docs;
  Stability stability;
  std::optional<PackageId> package;
  Span span;
  // For interfaces cloned while elaborating (none today); kept for symmetry.
};

// A world import/export key: a plain name or an interface identity.
struct WorldKey {
  std::string name;       // when !interface.valid()
  InterfaceId interface;  // for `import ns:pkg/iface;` and `import iface;`
  bool is_interface() const { return interface.valid(); }
  friend bool operator==(const WorldKey& a, const WorldKey& b) {
    return a.interface == b.interface && (a.is_interface() || a.name == b.name);
  }
};
struct WorldKeyHash {
  size_t operator()(const WorldKey& k) const noexcept {
    return k.is_interface() ? std::hash<uint32_t>{}(k.interface.index) * 31 + 1
                            : std::hash<std::string>{}(k.name);
  }
};

struct WorldItem {
  enum class Kind { Interface, Function, Type };
  Kind kind = Kind::Interface;
  InterfaceId interface;   // Interface
  Stability stability;     // Interface
  std::optional<std::string> external_id;  // Interface (functions and types carry their own)
  Function function;       // Function
  TypeId type;             // Type
};

struct World {
  std::string name;
  OrderedMap<WorldKey, WorldItem, WorldKeyHash> imports;
  OrderedMap<WorldKey, WorldItem, WorldKeyHash> exports;
  std::optional<PackageId> package;
  Docs docs;
  Stability stability;
  Span span;
};

struct PackageName {
  std::string ns;
  std::string name;
  std::optional<Version> version;
  // "ns:name" or "ns:name@1.2.3"
  std::string to_string() const;
  // "ns:name/iface@1.2.3"
  std::string interface_id(std::string_view iface) const;
  friend bool operator==(const PackageName&, const PackageName&) = default;
};

struct Package {
  PackageName name;
  Docs docs;
  OrderedMap<std::string, InterfaceId> interfaces;
  OrderedMap<std::string, WorldId> worlds;
};

// Which `@unstable` features are on.
struct FeatureSet {
  std::vector<std::string> enabled;
  bool all = false;
  bool has(std::string_view f) const;
};

struct Resolve {
  Arena<World> worlds;
  Arena<Interface> interfaces;
  Arena<TypeDef> types;
  Arena<Package> packages;
  FeatureSet features;
  // All source texts the graph was built from; spans point into it.
  SourceMap sources;

  std::optional<PackageId> find_package(const PackageName& name) const;
  // "ns:pkg/iface@ver" for a named interface in a package, else nullopt.
  std::optional<std::string> id_of(InterfaceId id) const;
  // The resolved target of a chain of aliases.
  TypeId unalias(TypeId id) const;
};

}  // namespace witc::wit
