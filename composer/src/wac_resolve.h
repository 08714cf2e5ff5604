// The WAC resolver (wac.h `resolve`): a document evaluated top-down into a
// compose::Graph. Private to the composer; its methods are split by topic:
// wac_resolve.cpp (statements, expressions, exports, targets),
// wac_types.cpp (type, interface and world declarations),
// wac_packages.cpp (finding and loading packages, their definitions).
//
// Types live in the graph's TypeInfo: a WAC interface is an instance type, a
// world a component type, records and friends value types, a resource a
// ResourceId with its type node. What TypeInfo does not hold (an
// interface's id and the interfaces it uses, how wac names a kind in
// messages) is kept here beside it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "witc/base/ordered_map.h"
#include "witc/composer/wac.h"

namespace witc::compose::wac::detail {

// What a name stands for: a value (a function, an instance, an
// instantiation, ...) or a type (EntityKind::Type).
struct Item {
  bin::EntityType entity;
  std::optional<NodeId> node;            // the graph node, if it has one
  std::optional<PackageId> instantiation;  // `new ns:pkg {...}`
  std::optional<std::string> extern_name;  // the import name or the export name it was accessed by
  Span span;                               // where the name was defined
};

// A dependency of an interface: an interface it uses types from.
struct InterfaceDep {
  std::string id;  // "ns:pkg/iface@1.0.0"
  bin::TypeId type;  // its instance type
};

// What TypeInfo does not say about an interface (instance type) or world
// (component type).
struct TypeMeta {
  std::string id;                    // "ns:pkg/name@v" (empty for inline interfaces)
  std::vector<InterfaceDep> deps;    // interfaces: used interfaces, transitively, dependencies first
};

// A loaded package: the graph package and its definitions (interfaces and
// worlds it exports as types, by name).
struct LoadedPackage {
  PackageId id;
  OrderedMap<std::string, bin::EntityType> definitions;  // Type entities: instance or component types
};

// A name in an interface or world being declared: the types it defines or
// uses (in order) and where.
struct LocalTypes {
  OrderedMap<std::string, std::pair<bin::TypeId, Span>> types;
};

// What a type or an item is, as wac names kinds in messages: "u32",
// "function type", "interface", "world", "resource"; "function",
// "instance", "component", "module", "value" (wac_check.cpp).
std::string kind_name(const bin::TypeInfo& t, bin::TypeId type);
std::string item_kind_name(const bin::TypeInfo& t, const bin::EntityType& e);

// Why `found` is not a subtype of `expected`, worded as wac's checker words
// it (wac_check.cpp); nullopt when it finds no difference.
std::optional<Diagnostic> explain_mismatch(const bin::TypeInfo& t, const bin::EntityType& found,
                                           const bin::EntityType& expected);

// An import conflict (Graph::imports) as a WAC error at the explicit import
// or the instantiations involved.
Diagnostic conflict_error(const Resolution& r, const SourceMap& sources, ImportConflict c);

class Resolver {
 public:
  Resolver(const Document& doc, const SourceMap& sources, const PackageLocator& locator);
  Expected<Resolution> run();

 private:
  // --- wac_resolve.cpp ---
  Expected<void> statement(const Statement& s);
  Expected<void> import_statement(const ImportStatement& s);
  Expected<void> let_statement(const LetStatement& s);
  Expected<void> export_statement(const ExportStatement& s);
  Expected<Item> expr(const Expr& e);
  Expected<Item> new_expr(const NewExpr& e);
  Expected<Item> access(const Item& item, const PostfixExpr& p);
  Expected<void> targets();
  Expected<void> define_name(const std::string& name, Item item);
  const Item* lookup(const std::string& name) const;
  Expected<const Item*> lookup_or_fail(const Ident& id) const;
  // Records where a new node comes from and what wac calls its kind.
  void record(NodeId n, Span s, std::string kind);
  Expected<NodeId> alias(const Item& item, const std::string& name, Span span);
  // The one name of `names` that is an interface path ending in `/id`, if exactly one is.
  static std::optional<std::string> path_ending_in(const std::vector<std::string>& names, const std::string& id);

  // --- wac_types.cpp ---
  Expected<void> type_statement(const TypeStatement& s);
  Expected<bin::TypeId> type_decl(const TypeDecl& d, LocalTypes* local, const std::string& owner);
  Expected<bin::TypeId> value_type(const Type& t, const LocalTypes* local);
  Expected<bin::TypeId> func_type(const FuncType& f, const LocalTypes* local, const char* kind);
  Expected<bin::TypeId> interface(const std::vector<InterfaceItem>& items, const std::string& id,
                                  const std::optional<std::string>& name);
  Expected<bin::TypeId> world(const WorldDecl& w, const std::string& id);
  Expected<bin::TypeId> resolve_type_name(const Ident& id, const LocalTypes* local) const;
  Expected<std::pair<bin::TypeId, std::string>> interface_ref(const Ident* id, const PackagePath* path);
  Expected<bin::TypeId> world_ref(const Ident* id, const PackagePath* path);
  bin::TypeId definition_type(bin::TypeId t, const std::string& name);
  std::string kind_name(bin::TypeId t) const { return detail::kind_name(g_->types(), t); }
  std::string item_kind_name(const bin::EntityType& e) const { return detail::item_kind_name(g_->types(), e); }

  // --- wac_packages.cpp ---
  Expected<const LoadedPackage*> package(const std::string& name, const std::optional<std::string>& version,
                                         Span span);
  Expected<bin::EntityType> package_path(const PackagePath& p);

  // Errors: a message at a span; `note(s, label)` renders a secondary place.
  static Diagnostic at(Span s, std::string msg) { return Diagnostic::at(s, std::move(msg)); }
  std::string note(Span s, std::string_view label) const;

  const Document& doc_;
  const SourceMap& sources_;
  const PackageLocator& locator_;
  Resolution out_;
  Graph* g_ = nullptr;
  std::string package_name_;                   // "ns:pkg"
  std::optional<std::string> package_version_;  // of the document
  OrderedMap<std::string, Item> scope_;        // the document's names
  std::unordered_map<uint32_t, TypeMeta> meta_;  // instance/component TypeId -> its id and deps
  std::map<std::string, LoadedPackage> packages_;  // "ns:pkg@ver" -> loaded
  std::unordered_map<std::string, Span> export_spans_;  // export name -> the name in the document
  std::unordered_map<std::string, bool> export_is_type_;  // export name -> exported by a type declaration
  std::map<std::pair<uint32_t, std::string>, NodeId> aliases_;  // (instance node, export) -> alias node
  std::unordered_map<std::string, Span> import_spans_;  // import name -> where
  std::unordered_map<uint32_t, bin::TypeId> world_of_;  // world definition node -> world component type
};

}  // namespace witc::compose::wac::detail
