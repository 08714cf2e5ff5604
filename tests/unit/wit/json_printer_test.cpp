// to_json and print on small hand-built graphs: the reference schema's
// member order and omissions, and the reference printer's layout.
#include <doctest/doctest.h>

#include <string>

#include "witc/wit/wit.h"

using namespace witc;
using namespace witc::wit;

namespace {

// Builds a Resolve by hand, keeping the name maps in step with the arenas.
struct Builder {
  Resolve r;

  PackageId package(std::string ns, std::string name, std::optional<Version> v = {}) {
    Package p;
    p.name = PackageName{std::move(ns), std::move(name), std::move(v)};
    return r.packages.alloc(std::move(p));
  }
  InterfaceId interface(PackageId pkg, std::string name) {
    Interface i;
    i.name = name;
    i.package = pkg;
    InterfaceId id = r.interfaces.alloc(std::move(i));
    r.packages[pkg].interfaces.insert(name, id);
    return id;
  }
  InterfaceId inline_interface(PackageId pkg) {
    Interface i;
    i.package = pkg;
    return r.interfaces.alloc(std::move(i));
  }
  WorldId world(PackageId pkg, std::string name) {
    World w;
    w.name = name;
    w.package = pkg;
    WorldId id = r.worlds.alloc(std::move(w));
    r.packages[pkg].worlds.insert(name, id);
    return id;
  }
  // A named type owned by an interface (and listed in it).
  TypeId named(InterfaceId owner, std::string name, TypeDefKind kind) {
    TypeDef t;
    t.name = name;
    t.kind = std::move(kind);
    t.owner = TypeOwner::of(owner);
    TypeId id = r.types.alloc(std::move(t));
    r.interfaces[owner].types.insert(name, id);
    return id;
  }
  // A named type owned by a world (and imported by it).
  TypeId named(WorldId owner, std::string name, TypeDefKind kind) {
    TypeDef t;
    t.name = name;
    t.kind = std::move(kind);
    t.owner = TypeOwner::of(owner);
    TypeId id = r.types.alloc(std::move(t));
    WorldItem item;
    item.kind = WorldItem::Kind::Type;
    item.type = id;
    r.worlds[owner].imports.insert(WorldKey{name, {}}, item);
    return id;
  }
  TypeId anon(TypeDefKind kind) {
    TypeDef t;
    t.kind = std::move(kind);
    return r.types.alloc(std::move(t));
  }
  Function& func(InterfaceId owner, std::string name, Function::Kind kind = Function::Kind::Freestanding,
                 TypeId resource = {}) {
    Function f;
    f.name = name;
    f.kind = kind;
    f.resource = resource;
    // The reference is valid until the next function is added to `owner`.
    return r.interfaces[owner].functions.insert_or_assign(name, std::move(f));
  }
};

Type prim(Type::Kind k) { return Type::prim(k); }
Type of(TypeId id) { return Type::of(id); }
constexpr auto U32 = Type::Kind::U32;
constexpr auto U8 = Type::Kind::U8;
constexpr auto Str = Type::Kind::String;

WorldItem interface_item(InterfaceId id) {
  WorldItem item;
  item.kind = WorldItem::Kind::Interface;
  item.interface = id;
  return item;
}
WorldItem function_item(Function f) {
  WorldItem item;
  item.kind = WorldItem::Kind::Function;
  item.function = std::move(f);
  return item;
}
Function freestanding(std::string name, std::vector<std::pair<std::string, Type>> params,
                      std::optional<Type> result = {}) {
  Function f;
  f.name = std::move(name);
  f.params = std::move(params);
  f.result = result;
  return f;
}

}  // namespace

TEST_CASE("to_json: an empty graph") {
  Resolve r;
  CHECK(to_json(r) ==
        "{\n  \"worlds\": [],\n  \"interfaces\": [],\n  \"types\": [],\n  \"packages\": []\n}");
}

TEST_CASE("to_json: member order, omitted and null members") {
  Builder b;
  PackageId pkg = b.package("foo", "bar", Version{1, 2, 3, "", ""});
  InterfaceId i = b.interface(pkg, "i");
  b.r.interfaces[i].docs.contents = "An interface.";
  TypeId res = b.named(i, "r", Resource{});
  b.r.types[res].stability.kind = Stability::Kind::Unstable;
  b.r.types[res].stability.feature = "active";
  TypeId own = b.anon(Handle{Handle::Kind::Own, res});
  TypeId list = b.anon(List{prim(U8)});
  TypeId result = b.anon(Result{std::nullopt, prim(Str)});
  Function& ctor = b.func(i, "[constructor]r", Function::Kind::Constructor, res);
  ctor.result = of(own);
  Function& f = b.func(i, "f", Function::Kind::AsyncFreestanding);
  f.params = {{"x", of(list)}};
  f.result = of(result);
  f.stability.kind = Stability::Kind::Stable;
  f.stability.since = Version{0, 2, 0, "", ""};
  f.stability.deprecated = Version{0, 3, 0, "", ""};

  CHECK(to_json(b.r) == R"({
  "worlds": [],
  "interfaces": [
    {
      "name": "i",
      "types": {
        "r": 0
      },
      "functions": {
        "[constructor]r": {
          "name": "[constructor]r",
          "kind": {
            "constructor": 0
          },
          "params": [],
          "result": 1
        },
        "f": {
          "name": "f",
          "kind": "async-freestanding",
          "params": [
            {
              "name": "x",
              "type": 2
            }
          ],
          "result": 3,
          "stability": {
            "stable": {
              "since": "0.2.0",
              "deprecated": "0.3.0"
            }
          }
        }
      },
      "docs": {
        "contents": "An interface."
      },
      "package": 0
    }
  ],
  "types": [
    {
      "name": "r",
      "kind": "resource",
      "owner": {
        "interface": 0
      },
      "stability": {
        "unstable": {
          "feature": "active"
        }
      }
    },
    {
      "name": null,
      "kind": {
        "handle": {
          "own": 0
        }
      },
      "owner": null
    },
    {
      "name": null,
      "kind": {
        "list": "u8"
      },
      "owner": null
    },
    {
      "name": null,
      "kind": {
        "result": {
          "ok": null,
          "err": "string"
        }
      },
      "owner": null
    }
  ],
  "packages": [
    {
      "name": "foo:bar@1.2.3",
      "interfaces": {
        "i": 0
      },
      "worlds": {}
    }
  ]
})");
}

TEST_CASE("to_json: worlds, interface keys and the less common kinds") {
  Builder b;
  PackageId pkg = b.package("a", "b");
  b.r.packages[pkg].docs.contents = "pkg docs";
  InterfaceId i = b.interface(pkg, "i");
  WorldId w = b.world(pkg, "w");
  TypeId fl = b.anon(FixedSizeList{prim(U32), 4});
  TypeId m = b.anon(Map{prim(Str), of(fl)});
  TypeId fut = b.anon(Future{});
  TypeId st = b.anon(Stream{prim(Type::Kind::ErrorContext)});
  b.named(w, "t", Tuple{{of(m), of(fut), of(st)}});
  WorldItem imp = interface_item(i);
  imp.stability.kind = Stability::Kind::Unstable;
  imp.stability.feature = "x";
  b.r.worlds[w].imports.insert(WorldKey{"", i}, imp);
  b.r.worlds[w].exports.insert(WorldKey{"run", {}}, function_item(freestanding("run", {})));

  const std::string json = to_json(b.r);
  CHECK(json.find(R"("imports": {
        "t": {
          "type": 4
        },
        "interface-0": {
          "interface": {
            "id": 0,
            "stability": {
              "unstable": {
                "feature": "x"
              }
            }
          }
        }
      },)") != std::string::npos);
  CHECK(json.find(R"("exports": {
        "run": {
          "function": {
            "name": "run",
            "kind": "freestanding",
            "params": []
          }
        }
      },
      "package": 0
    })") != std::string::npos);
  CHECK(json.find(R"("fixed-length-list": [
          "u32",
          4
        ])") != std::string::npos);
  CHECK(json.find(R"("map": [
          "string",
          0
        ])") != std::string::npos);
  CHECK(json.find(R"("future": null)") != std::string::npos);
  CHECK(json.find(R"("stream": "error-context")") != std::string::npos);
  CHECK(json.find(R"("owner": {
        "world": 0
      })") != std::string::npos);
  CHECK(json.find(R"("name": "a:b",
      "docs": {
        "contents": "pkg docs"
      },
      "interfaces": {)") != std::string::npos);
}

TEST_CASE("print: types, resources, uses and keyword escapes") {
  Builder b;
  PackageId pkg = b.package("foo", "bar", Version{0, 1, 0, "", ""});
  InterfaceId base = b.interface(pkg, "types");
  TypeId t = b.named(base, "t", Alias{prim(U32)});
  TypeId other = b.named(base, "list", Record{{Field{"type", prim(Str), {}, {}}}});
  InterfaceId i = b.interface(pkg, "i");
  b.named(i, "t", Alias{of(t)});
  b.named(i, "l", Alias{of(other)});
  TypeId res = b.named(i, "res", Resource{});
  b.r.types[res].docs.contents = "A resource.\n\nWith docs.";
  TypeId own = b.anon(Handle{Handle::Kind::Own, res});
  TypeId borrow = b.anon(Handle{Handle::Kind::Borrow, res});
  b.named(i, "e", Enum{{EnumCase{"a", {}}, EnumCase{"enum", {}}}});
  b.named(i, "v", Variant{{Case{"none", std::nullopt, {}, {}}, Case{"some", of(own), {}, {}}}});
  b.named(i, "o", Handle{Handle::Kind::Own, res});
  b.func(i, "[constructor]res", Function::Kind::Constructor, res).result = of(own);
  TypeId opt = b.anon(Option{of(t)});
  Function& m = b.func(i, "[method]res.get", Function::Kind::Method, res);
  m.params = {{"self", of(borrow)}, {"n", prim(U32)}};
  m.result = of(opt);
  b.func(i, "[static]res.make", Function::Kind::AsyncStatic, res).result = of(own);
  Function& f = b.func(i, "func");
  f.params = {{"from", of(borrow)}};
  f.docs.contents = "Freestanding.";

  CHECK(print(b.r, {pkg}) == R"(package foo:bar@0.1.0;

interface types {
  type t = u32;

  record %list {
    %type: string,
  }
}

interface i {
  use types.{t, %list as l};

  /// A resource.
  ///
  /// With docs.
  resource res {
    constructor();
    get: func(n: u32) -> option<t>;
    make: static async func() -> res;
  }

  enum e {
    a,
    %enum,
  }

  variant v {
    none,
    some(res),
  }

  type o = own<res>;

  /// Freestanding.
  %func: func(%from: borrow<res>);
}

)");
}

TEST_CASE("print: worlds and nested packages") {
  Builder b;
  PackageId dep = b.package("wasi", "io", Version{0, 2, 0, "", ""});
  InterfaceId streams = b.interface(dep, "streams");
  TypeId err = b.named(streams, "error", Resource{});
  PackageId pkg = b.package("my", "app");
  WorldId w = b.world(pkg, "app");
  b.r.worlds[w].stability.kind = Stability::Kind::Stable;
  b.r.worlds[w].stability.since = Version{1, 0, 0, "", ""};
  b.r.worlds[w].imports.insert(WorldKey{"", streams}, interface_item(streams));
  b.named(w, "error", Alias{of(err)});
  b.named(w, "r", Resource{});
  InterfaceId inl = b.inline_interface(pkg);
  b.func(inl, "go").result = prim(Type::Kind::Bool);
  WorldItem inline_item = interface_item(inl);
  b.r.worlds[w].imports.insert(WorldKey{"host", {}}, inline_item);
  b.r.worlds[w].imports.insert(WorldKey{"log", {}}, function_item(freestanding("log", {{"msg", prim(Str)}})));
  b.r.worlds[w].exports.insert(WorldKey{"", streams}, interface_item(streams));
  b.r.worlds[w].exports.insert(WorldKey{"run", {}}, function_item(freestanding("run", {})));
  WorldId empty = b.world(pkg, "empty");
  (void)empty;

  CHECK(print(b.r, {pkg, dep}) == R"(package my:app;

@since(version = 1.0.0)
world app {
  import wasi:io/streams@0.2.0;
  import host: interface {
    go: func() -> bool;
  }
  use wasi:io/streams@0.2.0.{error};

  resource r;
  import log: func(msg: string);

  export wasi:io/streams@0.2.0;
  export run: func();
}
world empty {
}
package wasi:io@0.2.0 {
  interface streams {
    resource error;
  }
}
)");

  PackageId third = b.package("x", "y");
  b.interface(third, "z");
  CHECK(print(b.r, {third, dep, pkg}).starts_with(R"(package x:y;

interface z {
}

package wasi:io@0.2.0 {
  interface streams {
    resource error;
  }
}


package my:app {
  @since(version = 1.0.0)
  world app {
)"));
}

TEST_CASE("print: a function declared before a resource's methods stays before it") {
  Builder b;
  PackageId pkg = b.package("a", "b");
  InterfaceId i = b.interface(pkg, "i");
  TypeId res = b.named(i, "r", Resource{});
  TypeId borrow = b.anon(Handle{Handle::Kind::Borrow, res});
  b.func(i, "first");
  b.func(i, "[method]r.m", Function::Kind::Method, res).params = {{"self", of(borrow)}};
  b.func(i, "last");
  CHECK(print(b.r, {pkg}) == R"(package a:b;

interface i {
  first: func();

  resource r {
    m: func();
  }

  last: func();
}

)");
}
