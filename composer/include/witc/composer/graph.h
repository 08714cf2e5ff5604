// compose::Graph: a composition of components, built step by step and encoded
// into one component.
//
// A graph holds packages (component binaries, validated when added), and
// nodes: imports of the composed component, instantiations of packages, and
// aliases of instance exports. Instantiation arguments are edges from a node
// to a named import of the instantiated package; each is type-checked with
// component subtyping (Explainer.md "Type Checking") when it is added, and the
// error names the argument, the export it came from and the first difference.
//
// All packages' types live in one bin::TypeInfo owned by the graph. Resources
// that a package imports through an interface (`wasi:io/streams@0.2.0`,
// resource `input-stream`) are identified across packages by that path, so two
// components importing the same interface agree on its resources before the
// import is merged; the encoded component is validated as a whole at the end,
// which checks every identity exactly.
//
// A package is a component binary, or a component type alone (a WIT world,
// `add_package_type`): such a package can only be imported, never embedded.
// Type definition nodes (`define_type`) are types the composition exports
// (a WAC document's `type`, `interface` and `world` declarations).
//
// A package known by its type alone is a WIT world, and its `use` of an
// interface's resource names that interface, not whichever instance an
// argument supplies for it. When an argument for such an import binds a
// resource that other arguments already use as the shared one (wac's
// `implicit-resource-import` graph), the package's type is taken with that
// import's resources its own (`sub resource`) and every other mention of
// them left on the shared resource, which the composition imports with its
// interface; the encoded dependency type aliases it from the composition
// (`alias outer`). Only a package with one instance, which no other node
// uses yet (an alias, an argument), is retyped; a component binary never is.
//
// encode() writes the component: imports (explicit import nodes, then every
// import an instantiation leaves unfilled, merged by name: the union of what
// the users need), the packages as nested components (or, with
// `define_components` off, as imports of their component types named
// `unlocked-dep=<ns:pkg>`), the instantiations with their arguments, the
// aliases and the exports.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "witc/base/arena.h"
#include "witc/base/diagnostic.h"
#include "witc/base/ordered_map.h"
#include "witc/bin/component.h"
#include "witc/bin/component_types.h"
#include "witc/bin/component_validate.h"
#include "witc/wit/resolve.h"

namespace witc::compose {

struct PackageTag;
struct NodeTag;
using PackageId = Id<PackageTag>;
using NodeId = Id<NodeTag>;

// A registered component.
struct Package {
  std::string name;                      // how errors and the graph picture name it ("socket", "ns:pkg")
  std::optional<std::string> version;    // the package's version, if it has one ("1.2.3")
  std::optional<bin::Component> binary;  // as read (embedded unchanged); nullopt: known by its type alone
  bin::TypeId type;                      // its component type, in the graph's TypeInfo
  // The name it is imported under when not embedded; default:
  // `unlocked-dep=<name[@{>=version}]>` (see dependency_import_name).
  std::optional<std::string> import_name;
};

struct Node {
  enum class Kind : uint8_t { Import, Instance, Alias, Type };
  Kind kind = Kind::Import;
  std::string name;        // Import: the import name; Alias: the export name; Type: the type's name;
                           // Instance: a label, if any
  bin::EntityType type;    // what the node is (Instance: an instance of the package's exports; Type: a type)
  PackageId package;       // Instance
  NodeId source;           // Alias: the instance node
  OrderedMap<std::string, NodeId> args;  // Instance: import name -> argument
  std::optional<std::string> export_name;  // set when the node is exported
  bool removed = false;    // see Graph::remove
};

struct EncodeOptions {
  bool validate = true;  // validate the result before returning it
  bin::ComponentFeatures features = bin::ComponentFeatures::all();
  // Embed the instantiated packages (true), or import each as a component
  // type named `unlocked-dep=<ns:pkg>` (`unlocked-dep=<ns:pkg@{>=1.2.3}>`
  // for a versioned package), as `wac compose --import-dependencies` does.
  bool define_components = true;
  // With define_components off: import every instantiated package before
  // the other imports, in package order (as `wasm-tools compose` does with
  // `import-components`), instead of where it is first instantiated.
  bool dependencies_first = false;
};

// An import of the composed component: an explicit import node, or what the
// instances leave unfilled, merged by name.
struct ComposedImport {
  std::string name;
  bin::EntityType type;
  std::optional<NodeId> node;  // the import node, when explicit
  std::vector<NodeId> users;   // instance nodes that leave it unfilled, in node order
};

// Why the unfilled imports of two nodes could not become one import.
struct ImportConflict {
  std::string name;               // the import
  NodeId node;                    // the instance whose import could not be merged
  NodeId previous;                // the import node or instance it conflicts with
  bool explicit_import = false;   // `previous` is an explicit import node
  Diagnostic reason;
};

// The name a package is imported under when not embedded: its import_name
// if set, else `unlocked-dep=<ns:pkg>`, with `@{>=version}` for a versioned one.
std::string dependency_import_name(const Package& p);

// The key under which imports merge: the name, with an interface's version
// reduced to its semver track ("wasi:io/streams@0.2.3" -> "wasi:io/streams@@0.2");
// names that are not versioned interface names are their own key.
std::string import_merge_key(std::string_view name);

class Graph {
 public:
  Graph();
  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;

  // Reads and validates a component binary and registers it under `name`.
  Expected<PackageId> add_package(std::string name, std::vector<uint8_t> bytes,
                                  const bin::ComponentFeatures& features = bin::ComponentFeatures::all());
  // Registers a package known only by its component type (`component`, a
  // component type in `types`): it can be instantiated and imported, not
  // embedded.
  Expected<PackageId> add_package_type(std::string name, const bin::TypeInfo& types, bin::TypeId component);
  // Sets the version a package's dependency import name carries.
  void set_package_version(PackageId p, std::string version) { packages_[p.index].version = std::move(version); }
  // Sets the name a package is imported under when not embedded.
  void set_package_import_name(PackageId p, std::string name) { packages_[p.index].import_name = std::move(name); }

  // An import of the composed component. `type` lives in types().
  Expected<NodeId> add_import(std::string name, bin::EntityType type);
  // A new instance of a package; its imports start unfilled.
  NodeId instantiate(PackageId package);
  // The export `name` of an instance node (the export's type after the
  // instance's arguments so far are substituted in).
  Expected<NodeId> alias_export(NodeId instance, std::string_view name);
  // Fills import `name` of an instance node with `value`, checking the type.
  // `value` may be an instance node itself (its type: instance_type()). A
  // failed call leaves the graph unchanged; `*expected`, if given, is the
  // type the argument was checked against.
  Expected<void> set_argument(NodeId instance, std::string_view name, NodeId value,
                              bin::EntityType* expected = nullptr);
  // Names an instance node in messages and pictures ("instance `b1` of `b`").
  void set_instance_name(NodeId instance, std::string name);
  // The type import `name` of an instance node expects, with the arguments
  // set so far substituted (what an import of the composition must provide
  // if no argument fills it).
  Expected<bin::EntityType> import_type(NodeId instance, std::string_view name);
  // A type the composition defines (exported with export_node); `type` is
  // an entity of kind Type in types(). `name` names it in errors and pictures.
  NodeId define_type(std::string name, bin::EntityType type);
  // Removes a node nothing refers to (an alias or instance that turned out
  // not to be needed); fails if an argument, alias or export still uses it.
  Expected<void> remove(NodeId node);
  // Exports a node from the composed component under `name`.
  Expected<void> export_node(NodeId node, std::string name);
  // Takes a node's export back (a type definition exported under another name).
  void unexport(NodeId node);
  // The node exported as `name`, if any.
  std::optional<NodeId> exported(std::string_view name) const;

  // The type of an instance node used as a value: an instance type of its
  // package's exports with the arguments given so far substituted in (any
  // other node: its type).
  bin::EntityType instance_type(NodeId instance);

  // The imports of an instance node that no argument fills, in the package's order.
  std::vector<std::string> unfilled_imports(NodeId instance) const;

  // The imports the encoded component has, in order: explicit import nodes,
  // then the imports instances leave unfilled, merged by name (the union of
  // the instance exports each user needs; semver-compatible versions merge
  // into the higher one), then reordered where needed so that each comes
  // after the imports whose types it uses. On a conflict, fails and fills
  // `*conflict` if given. Merging may add types to types().
  Expected<std::vector<ComposedImport>> imports(ImportConflict* conflict = nullptr);

  // Encodes the composition as a component binary.
  Expected<std::vector<uint8_t>> encode(const EncodeOptions& options = {});

  // "import `x`", "instance of `pkg`", "export `run` of instance of `pkg`",
  // "type `t`".
  std::string describe(NodeId n) const;

  // The interface import that names a resource shared across packages
  // (`foo:dep/types` for its resource `x`), with the instance type the first
  // package that imported it gave it; nullptr for any other resource.
  struct ResourceHome {
    std::string import;
    bin::EntityType type;
  };
  const ResourceHome* resource_home(bin::ResourceId r) const {
    auto it = resource_homes_.find(r.index);
    return it == resource_homes_.end() ? nullptr : &it->second;
  }

  // The exported nodes, in the order they were exported.
  const std::vector<NodeId>& exported_nodes() const { return export_order_; }
  const Package& package(PackageId p) const { return packages_[p.index]; }
  const Node& node(NodeId n) const { return nodes_[n.index]; }
  size_t node_count() const { return nodes_.size(); }
  size_t package_count() const { return packages_.size(); }
  const bin::ComponentType& package_type(PackageId p) const { return types_->component(package(p).type); }
  const bin::TypeInfo& types() const { return *types_; }
  bin::TypeInfo& types() { return *types_; }

 private:
  friend class Encoder;

  void note_resource_homes(bin::TypeId component);
  void add_resource_homes(std::vector<ComposedImport>& out) const;
  // set_argument without retyping: checks and binds, or leaves the node unchanged.
  Expected<void> bind_argument(NodeId instance, const std::string& name, NodeId value, bin::EntityType* expected);
  // The package's type with the shared resources import `name` names made
  // its own; an invalid TypeId when it has none.
  bin::TypeId with_own_resources(bin::TypeId component, const std::string& name);
  // Retries a refused argument of a type-only package with one import's
  // resources made its own (see above); false if no retyping fits.
  bool retype_for(NodeId instance, const std::string& name, NodeId value, bin::EntityType* expected);

  std::unique_ptr<bin::TypeInfo> types_;
  std::vector<Package> packages_;
  std::vector<Node> nodes_;
  std::vector<bin::TypeInfo::Substitution> bindings_;  // by node index (Instance nodes)
  // Resources imported through an interface path ("wasi:io/streams@0.2.0/input-stream").
  std::unordered_map<std::string, bin::ResourceId> shared_resources_;
  std::unordered_map<uint32_t, ResourceHome> resource_homes_;  // ResourceId -> its interface import
  std::unordered_map<std::string, NodeId> exports_;
  std::vector<NodeId> export_order_;
};

// Registers a WIT world as a package known by its type: the component type
// of a component targeting the world (wac's harness makes a component of
// the world; only its type matters when packages are imported).
Expected<PackageId> add_world_package(Graph& g, std::string name, const wit::Resolve& resolve, wit::WorldId world);

}  // namespace witc::compose
