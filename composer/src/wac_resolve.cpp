// Resolving a WAC document into a composition graph (wac.h `resolve`):
// statements, expressions, exports and the `targets` check. Messages are
// wac's ("mismatched instantiation argument `x`", "duplicate export `x`").
#include <fmt/format.h>

#include "wac_resolve.h"
#include "witc/base/try.h"
#include "witc/bin/component_names.h"

namespace witc::compose::wac {

namespace detail {

namespace {

using bin::EntityKind;
using bin::EntityType;
using bin::TypeId;
using bin::TypeKind;

// An instance type imported: the resources it defines become fresh ones for
// this import (Explainer.md "Type Checking").
EntityType fresh_instance(bin::TypeInfo& t, TypeId instance) {
  EntityType out{EntityKind::Instance, instance, {}};
  const std::vector<bin::ResourceId> defined = t.instance(instance).defined_resources;
  if (defined.empty()) return out;
  bin::TypeInfo::Substitution s;
  for (bin::ResourceId r : defined) s.resources[r.index] = t.new_resource(t.resource_info(r));
  out.type = t.substitute(instance, s);
  t.instance_mut(out.type).defined_resources.clear();
  return out;
}

// The last segment of an interface path (`ns:pkg/a/b@1.0` -> `b`), or
// nullopt for a plain name.
std::optional<std::string_view> last_segment(std::string_view name) {
  if (name.find(':') == std::string_view::npos) return std::nullopt;
  size_t at = name.find('@');
  std::string_view path = name.substr(0, at);
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  return path.substr(slash + 1);
}

}  // namespace

Resolver::Resolver(const Document& doc, const SourceMap& sources, const PackageLocator& locator)
    : doc_(doc), sources_(sources), locator_(locator) {}

std::string Resolver::note(Span s, std::string_view label) const { return sources_.highlight(s, label); }

void Resolver::record(NodeId n, Span s, std::string kind) {
  if (out_.node_spans.size() <= n.index) {
    out_.node_spans.resize(n.index + 1);
    out_.node_kinds.resize(n.index + 1);
  }
  out_.node_spans[n.index] = s;
  out_.node_kinds[n.index] = std::move(kind);
}

std::optional<std::string> Resolver::path_ending_in(const std::vector<std::string>& names, const std::string& id) {
  std::optional<std::string> found;
  for (const std::string& n : names) {
    auto seg = last_segment(n);
    if (!seg || *seg != id) continue;
    if (found) return std::nullopt;
    found = n;
  }
  return found;
}

const Item* Resolver::lookup(const std::string& name) const { return scope_.find(name); }

Expected<const Item*> Resolver::lookup_or_fail(const Ident& id) const {
  const Item* item = lookup(id.name);
  if (!item) return fail(at(id.span, fmt::format("undefined name `{}`", id.name)));
  return item;
}

Expected<void> Resolver::define_name(const std::string& name, Item item) {
  if (const Item* prev = scope_.find(name)) {
    Diagnostic d = at(item.span, fmt::format("`{}` is already defined", name));
    d.notes.push_back(note(prev->span, fmt::format("`{}` previously defined here", name)));
    return fail(std::move(d));
  }
  scope_.insert(name, std::move(item));
  return {};
}

Expected<Resolution> Resolver::run() {
  out_.graph = std::make_unique<Graph>();
  g_ = out_.graph.get();
  package_name_ = doc_.package.name;
  package_version_ = doc_.package.version;
  for (const Statement& s : doc_.statements) WITC_TRY(statement(s));
  WITC_TRY(targets());
  return std::move(out_);
}

Expected<void> Resolver::statement(const Statement& s) {
  if (const auto* i = std::get_if<ImportStatement>(&s)) return import_statement(*i);
  if (const auto* t = std::get_if<TypeStatement>(&s)) return type_statement(*t);
  if (const auto* l = std::get_if<LetStatement>(&s)) return let_statement(*l);
  return export_statement(std::get<ExportStatement>(s));
}

// --- imports ------------------------------------------------------------------------------

Expected<void> Resolver::import_statement(const ImportStatement& s) {
  std::string name;
  Span name_span;
  bool inferred = true;
  if (s.name) {
    name = s.name->value;
    name_span = s.name->span;
    inferred = false;
  } else if (s.ty.kind == ImportType::Kind::Package) {
    name = s.ty.path->text;
    name_span = s.ty.path->span;
  } else {
    name = s.id.name;
    name_span = s.id.span;
  }
  if (auto parsed = bin::parse_extern_name(name); !parsed) {
    Diagnostic d = at(name_span, parsed.error().message);
    d.context.push_back(fmt::format("import name `{}` is not valid", name));
    return fail(std::move(d));
  }
  if (auto prev = import_spans_.find(name); prev != import_spans_.end()) {
    Diagnostic d = at(name_span, fmt::format("duplicate import `{}`", name));
    d.notes.push_back(note(prev->second, "previous import here"));
    if (inferred) d.notes.push_back("help: consider using an `as` clause to use a different name");
    return fail(std::move(d));
  }
  bin::TypeInfo& ti = g_->types();
  EntityType e;
  auto from_type = [&](TypeId t, const std::string& what, Span span) -> Expected<EntityType> {
    switch (ti.kind(t)) {
      case TypeKind::Func: return EntityType{EntityKind::Func, t, {}};
      case TypeKind::Instance: return fresh_instance(ti, t);
      case TypeKind::Component: return EntityType{EntityKind::Component, t, {}};
      default:
        return fail(at(span, fmt::format("`{}` ({}) is not a function type or interface", what, kind_name(t))));
    }
  };
  switch (s.ty.kind) {
    case ImportType::Kind::Package: {
      WITC_TRY_VAL(EntityType def, package_path(*s.ty.path));
      WITC_ASSIGN(e, from_type(def.type, s.ty.path->text, s.ty.path->span));
      break;
    }
    case ImportType::Kind::Func: {
      WITC_TRY_VAL(TypeId f, func_type(*s.ty.func, nullptr, "function"));
      e = EntityType{EntityKind::Func, f, {}};
      break;
    }
    case ImportType::Kind::Interface: {
      WITC_TRY_VAL(TypeId i, interface(s.ty.iface->items, "", std::nullopt));
      e = fresh_instance(ti, i);
      break;
    }
    case ImportType::Kind::Ident: {
      WITC_TRY_VAL(TypeId t, resolve_type_name(s.ty.id, nullptr));
      WITC_ASSIGN(e, from_type(t, s.ty.id.name, s.ty.id.span));
      break;
    }
  }
  WITC_TRY_VAL(NodeId node, g_->add_import(name, e));
  record(node, name_span, item_kind_name(e));
  import_spans_[name] = name_span;
  Item item;
  item.entity = e;
  item.node = node;
  item.extern_name = name;
  item.span = s.id.span;
  return define_name(s.id.name, std::move(item));
}

// --- let and expressions -----------------------------------------------------------------

Expected<void> Resolver::let_statement(const LetStatement& s) {
  WITC_TRY_VAL(Item item, expr(s.value));
  item.span = s.id.span;
  return define_name(s.id.name, std::move(item));
}

Expected<Item> Resolver::expr(const Expr& e) {
  Item cur;
  switch (e.kind) {
    case Expr::Kind::Ident: {
      WITC_TRY_VAL(const Item* item, lookup_or_fail(e.id));
      cur = *item;
      break;
    }
    case Expr::Kind::New: WITC_ASSIGN(cur, new_expr(*e.created)); break;
    case Expr::Kind::Nested: WITC_ASSIGN(cur, expr(*e.nested)); break;
  }
  for (const PostfixExpr& p : e.postfix) WITC_ASSIGN(cur, access(cur, p));
  return cur;
}

// The names of an instance item's exports.
static std::vector<std::string> export_names(const bin::TypeInfo& t, const EntityType& e) {
  std::vector<std::string> out;
  if (e.kind != EntityKind::Instance) return out;
  for (const auto& [name, x] : t.instance(e.type).exports) out.push_back(name);
  return out;
}

Expected<NodeId> Resolver::alias(const Item& item, const std::string& name, Span span) {
  auto key = std::pair{item.node->index, name};
  if (auto it = aliases_.find(key); it != aliases_.end()) return it->second;
  auto node = g_->alias_export(*item.node, name);
  if (!node) return fail(at(span, fmt::format("the instance has no export named `{}`", name)));
  record(*node, span, item_kind_name(g_->node(*node).type));
  out_.edges.push_back({*item.node, *node, Resolution::Edge::Kind::Alias});
  aliases_.emplace(key, *node);
  return *node;
}

Expected<Item> Resolver::access(const Item& item, const PostfixExpr& p) {
  if (item.entity.kind != EntityKind::Instance || !item.node) {
    std::string kind = item.entity.kind == EntityKind::Type && g_->types().kind(item.entity.type) == TypeKind::Instance
                           ? "interface"
                           : item_kind_name(item.entity);
    const char* article = kind == "interface" || kind == "instance" || kind == "enum" ? "an" : "a";
    return fail(at(p.span, fmt::format("{} {} cannot be accessed", article, kind)));
  }
  std::string name;
  if (p.named) {
    name = p.string.value;
  } else {
    // `i.stream` names `wasi:io/stream` when that is the one such export.
    name = path_ending_in(export_names(g_->types(), item.entity), p.id.name).value_or(p.id.name);
  }
  WITC_TRY_VAL(NodeId node, alias(item, name, p.span));
  Item out;
  out.entity = g_->node(node).type;
  out.node = node;
  out.extern_name = name;
  out.span = p.span;
  return out;
}

Expected<Item> Resolver::new_expr(const NewExpr& e) {
  const PackageName& pn = e.package;
  if (pn.name == package_name_) return fail(at(pn.span, "cannot instantiate the package being defined"));
  Span name_span{pn.span.begin, pn.span.begin + static_cast<uint32_t>(pn.name.size())};
  WITC_TRY_VAL(const LoadedPackage* pkg, package(pn.name, pn.version, name_span));
  NodeId node = g_->instantiate(pkg->id);
  record(node, pn.span, "instance");
  std::vector<std::string> imports;
  for (const auto& [name, x] : g_->package_type(pkg->id).imports) imports.push_back(name);
  auto has_import = [&](const std::string& n) { return std::find(imports.begin(), imports.end(), n) != imports.end(); };
  std::unordered_map<std::string, bool> given;

  auto pass = [&](const std::string& name, const Item& value, Span span) -> Expected<void> {
    if (given.count(name)) return fail(at(span, fmt::format("duplicate instantiation argument `{}`", name)));
    if (!value.node) return fail(at(span, fmt::format("`{}` cannot be passed as an argument", name)));
    bin::EntityType want;
    if (auto r = g_->set_argument(node, name, *value.node, &want); !r) {
      Diagnostic d = std::move(r.error());
      if (d.message.starts_with("argument name") || d.message.starts_with("argument `")) {
        d.span = span;
        d.notes.clear();
        return fail(std::move(d));
      }
      // Worded as wac words a mismatch, when it sees the same difference.
      if (auto why = explain_mismatch(g_->types(), g_->node(*value.node).type, want)) {
        d = std::move(*why);
        d.context.insert(d.context.begin(), fmt::format("mismatched instantiation argument `{}`", name));
      }
      d.span = span;
      d.offset.reset();
      d.notes.clear();
      return fail(std::move(d));
    }
    out_.edges.push_back({*value.node, node, Resolution::Edge::Kind::Argument});
    given[name] = true;
    return {};
  };

  bool fill = false;
  // Named and inferred arguments first, then spreads, in order (LANGUAGE.md).
  for (const InstantiationArg& arg : e.args) {
    switch (arg.kind) {
      case InstantiationArg::Kind::Fill: fill = true; break;
      case InstantiationArg::Kind::Spread: break;
      case InstantiationArg::Kind::Named: {
        WITC_TRY_VAL(Item value, expr(*arg.value));
        std::string name = arg.name.value;
        if (!arg.name.is_string) name = path_ending_in(imports, name).value_or(name);
        if (!has_import(name)) {
          return fail(at(arg.name.span, fmt::format("component `{}` has no import named `{}`", pn.name, name)));
        }
        WITC_TRY(pass(name, value, arg.name.span));
        break;
      }
      case InstantiationArg::Kind::Inferred: {
        WITC_TRY_VAL(const Item* value, lookup_or_fail(arg.id));
        std::string name;
        if (value->extern_name && has_import(*value->extern_name)) {
          name = *value->extern_name;
        } else {
          name = path_ending_in(imports, arg.id.name).value_or(arg.id.name);
        }
        if (!has_import(name)) {
          return fail(at(arg.id.span, fmt::format("component `{}` has no import named `{}`", pn.name, name)));
        }
        WITC_TRY(pass(name, *value, arg.id.span));
        break;
      }
    }
  }
  for (const InstantiationArg& arg : e.args) {
    if (arg.kind != InstantiationArg::Kind::Spread) continue;
    WITC_TRY_VAL(const Item* value, lookup_or_fail(arg.id));
    if (value->entity.kind != EntityKind::Instance || !value->node) {
      Diagnostic d = at(arg.id.span, "an instance is required to perform a spread operation");
      d.notes.push_back(note(arg.id.span, fmt::format("this evaluated to a {} when an instance was expected",
                                                      item_kind_name(value->entity))));
      return fail(std::move(d));
    }
    std::vector<std::string> exports = export_names(g_->types(), value->entity);
    size_t matched = 0;
    for (const std::string& im : imports) {
      if (given.count(im) || std::find(exports.begin(), exports.end(), im) == exports.end()) continue;
      WITC_TRY_VAL(NodeId a, alias(*value, im, arg.span));
      Item x;
      x.entity = g_->node(a).type;
      x.node = a;
      WITC_TRY(pass(im, x, arg.id.span));
      ++matched;
    }
    if (matched == 0) {
      return fail(at(arg.id.span, "the instance has no matching exports for the remaining unsatisfied arguments"));
    }
  }
  if (!fill) {
    for (const std::string& im : imports) {
      if (!given.count(im)) {
        return fail(at(name_span, fmt::format("missing instantiation argument `{}` for package `{}`", im, pn.name)));
      }
    }
  }
  Item item;
  item.entity = g_->instance_type(node);
  item.node = node;
  item.instantiation = pkg->id;
  item.span = e.span;
  return item;
}

// --- exports ------------------------------------------------------------------------------

Expected<void> Resolver::export_statement(const ExportStatement& s) {
  WITC_TRY_VAL(Item item, expr(s.value));
  if (s.options == ExportStatement::Options::Spread) {
    if (item.entity.kind != EntityKind::Instance || !item.node) {
      return fail(at(s.value.span, "an instance is required to perform a spread operation"));
    }
    size_t exported = 0;
    for (const std::string& name : export_names(g_->types(), item.entity)) {
      if (g_->exported(name)) continue;
      WITC_TRY_VAL(NodeId a, alias(item, name, s.value.span));
      WITC_TRY(g_->export_node(a, name));
      export_spans_[name] = s.value.span;
      ++exported;
    }
    if (exported == 0) {
      Diagnostic d = at(s.value.span,
                        "instance has no exports or all exports of the instance match previously exported names");
      return fail(std::move(d));
    }
    return {};
  }
  std::string name;
  Span name_span;
  bool inferred = s.options != ExportStatement::Options::Rename;
  if (!inferred) {
    name = s.rename.value;
    name_span = s.rename.span;
  } else {
    if (!item.extern_name || item.instantiation) {
      return fail(at(s.value.span, "export statement requires an `as` clause as the export name cannot be inferred"));
    }
    name = *item.extern_name;
    name_span = s.value.span;
  }
  auto parsed = bin::parse_extern_name(name);
  if (!parsed || bin::is_import_only(parsed->kind)) {
    Diagnostic d = at(name_span, parsed ? "export name cannot be a hash, url, or dependency" : parsed.error().message);
    d.context.push_back(fmt::format("export name `{}` is not valid", name));
    return fail(std::move(d));
  }
  if (auto prev = export_spans_.find(name); prev != export_spans_.end()) {
    Diagnostic d;
    if (export_is_type_[name]) {
      NodeId other = *g_->exported(name);
      d = at(name_span, fmt::format("export `{}` conflicts with {} definition", name, out_.node_kinds[other.index]));
      d.notes.push_back(note(prev->second, "previous definition is here"));
    } else {
      d = at(name_span, fmt::format("duplicate export `{}`", name));
      d.notes.push_back(note(prev->second, "previous export here"));
    }
    if (inferred) d.notes.push_back("help: consider using an `as` clause to use a different name");
    return fail(std::move(d));
  }
  if (!item.node) return fail(at(s.value.span, "this item cannot be exported"));
  const Node& n = g_->node(*item.node);
  if (n.export_name) {
    // A type declaration is exported under its name; exporting it again
    // renames it (`type a = u32; export a as "a2";`).
    if (n.kind == Node::Kind::Type) {
      export_spans_.erase(*n.export_name);
      export_is_type_.erase(*n.export_name);
      g_->unexport(*item.node);
    } else {
      return fail(at(name_span, fmt::format("this item is already exported as `{}`", *n.export_name)));
    }
  }
  WITC_TRY(g_->export_node(*item.node, name));
  export_spans_[name] = name_span;
  export_is_type_[name] = n.kind == Node::Kind::Type;
  return {};
}

// --- targets ------------------------------------------------------------------------------

Expected<void> Resolver::targets() {
  if (!doc_.targets) return {};
  const PackagePath& path = *doc_.targets;
  WITC_TRY_VAL(TypeId world, world_ref(nullptr, &path));
  bin::TypeInfo& ti = g_->types();
  const bin::ComponentType w = ti.component(world);
  ImportConflict conflict;
  auto imports = g_->imports(&conflict);
  if (!imports) return fail(std::move(conflict.reason));
  for (const ComposedImport& m : *imports) {
    std::optional<Span> span;
    if (m.node && m.node->index < out_.node_spans.size()) span = out_.node_spans[m.node->index];
    auto located = [&](std::string msg) {
      Diagnostic d = Diagnostic::plain(std::move(msg));
      d.span = span;
      return d;
    };
    const EntityType* want = w.imports.find(m.name);
    if (!want) {
      return fail(located(fmt::format("target world `{}` does not have an import named `{}`", path.text, m.name)));
    }
    if (auto r = ti.check_subtype(m.type, *want); !r) {
      Diagnostic d = std::move(r.error());
      if (auto why = explain_mismatch(ti, m.type, *want)) d = std::move(*why);
      d.offset.reset();
      d.span = span;
      d.context.insert(d.context.begin(),
                       fmt::format("import `{}` has a mismatched type for target world `{}`", m.name, path.text));
      return fail(std::move(d));
    }
  }
  for (const auto& [name, want] : w.exports) {
    std::optional<NodeId> node = g_->exported(name);
    if (!node) {
      return fail(at(path.span, fmt::format("target world `{}` requires an export named `{}`", path.text, name)));
    }
    const Node& n = g_->node(*node);
    EntityType have = n.kind == Node::Kind::Instance ? g_->instance_type(*node) : n.type;
    if (auto r = ti.check_subtype(have, want); !r) {
      Diagnostic d = std::move(r.error());
      if (auto why = explain_mismatch(ti, have, want)) d = std::move(*why);
      d.offset.reset();
      d.span = export_spans_.count(name) ? std::optional<Span>(export_spans_[name]) : std::nullopt;
      d.context.insert(d.context.begin(),
                       fmt::format("export `{}` has a mismatched type for target world `{}`", name, path.text));
      return fail(std::move(d));
    }
  }
  return {};
}

}  // namespace detail

// --- public entry points -------------------------------------------------------------------

Expected<Resolution> resolve(const Document& doc, const SourceMap& sources, const PackageLocator& locator) {
  return detail::Resolver(doc, sources, locator).run();
}

Expected<std::vector<uint8_t>> encode(Resolution& r, const SourceMap& sources, const EncodeOptions& options) {
  ImportConflict c;
  auto imports = r.graph->imports(&c);
  if (!imports) {
    auto span_of = [&](NodeId n) { return n.index < r.node_spans.size() ? r.node_spans[n.index] : Span{}; };
    const Graph& g = *r.graph;
    Diagnostic d;
    if (c.explicit_import) {
      d = Diagnostic::at(span_of(c.previous),
                         fmt::format("import `{}` conflicts with an item that was implicitly imported by an "
                                     "instantiation of `{}`",
                                     c.name, g.package(g.node(c.node).package).name));
      d.notes.push_back(sources.highlight(span_of(c.node), "conflicting instantiation here"));
    } else {
      d = std::move(c.reason);
      d.context = {fmt::format("failed to merge the type definition for implicit import `{}` due to conflicting types",
                               c.name)};
      d.span = span_of(c.node);
      d.offset.reset();
      d.notes.push_back(sources.highlight(span_of(c.previous), "previous instantiation here"));
    }
    return fail(std::move(d));
  }
  return r.graph->encode(options);
}

std::string to_dot(const Resolution& r) {
  const Graph& g = *r.graph;
  auto quoted = [](std::string_view s) {
    std::string out;
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  };
  std::string out = "digraph {\n";
  for (size_t i = 0; i < g.node_count(); ++i) {
    const Node& n = g.node(NodeId(static_cast<uint32_t>(i)));
    std::string label;
    switch (n.kind) {
      case Node::Kind::Import: label = fmt::format("import \"{}\"", n.name); break;
      case Node::Kind::Instance: {
        const Package& p = g.package(n.package);
        label = fmt::format("instantiation of package \"{}{}\"", p.name, p.version ? "@" + *p.version : "");
        break;
      }
      case Node::Kind::Alias: label = fmt::format("alias of export \"{}\"", n.name); break;
      case Node::Kind::Type: label = fmt::format("type definition \"{}\"", n.export_name.value_or(n.name)); break;
    }
    std::string kind = i < r.node_kinds.size() ? r.node_kinds[i] : std::string();
    out += fmt::format("    {} [ label = \"{}\"; kind = \"{}\"", i, quoted(label), quoted(kind));
    if (n.export_name) out += fmt::format("; export = \"{}\"", quoted(*n.export_name));
    out += "]\n";
  }
  for (const Resolution::Edge& e : r.edges) {
    out += fmt::format("    {} -> {} [ label = \"{}\" ]\n", e.from.index, e.to.index,
                       e.kind == Resolution::Edge::Kind::Argument ? "argument to" : "aliased export");
  }
  out += "}\n";
  return out;
}

}  // namespace witc::compose::wac
