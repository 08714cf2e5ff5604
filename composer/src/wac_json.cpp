// The WAC syntax tree as JSON in the shape of wac's serde AST (wac.h).
// Enumerations are externally tagged ({"ident": ...}), unit variants are
// strings ("none", "empty"), spans are {offset, length} in the document.
#include <nlohmann/json.hpp>

#include "witc/composer/wac.h"

namespace witc::compose::wac {

namespace {

using json = nlohmann::ordered_json;

class Printer {
 public:
  explicit Printer(uint32_t base) : base_(base) {}

  json document(const Document& d) const {
    json directive = json::object();
    directive["package"] = package_name(d.package);
    if (d.targets) directive["targets"] = package_path(*d.targets);
    json statements = json::array();
    for (const auto& s : d.statements) statements.push_back(statement(s));
    json out = json::object();
    out["docs"] = docs(d.docs);
    out["directive"] = std::move(directive);
    out["statements"] = std::move(statements);
    return out;
  }

 private:
  json span(Span s) const {
    json out = json::object();
    out["offset"] = s.begin - base_;
    out["length"] = s.end - s.begin;
    return out;
  }
  static json tagged(const char* tag, json value) {
    json out = json::object();
    out[tag] = std::move(value);
    return out;
  }
  json ident(const Ident& i) const {
    json out = json::object();
    out["string"] = i.name;
    out["span"] = span(i.span);
    return out;
  }
  json string(const std::string& value, Span s) const {
    json out = json::object();
    out["value"] = value;
    out["span"] = span(s);
    return out;
  }
  json name(const Name& n) const {
    if (n.is_string) return tagged("string", string(n.value, n.span));
    return tagged("ident", ident(Ident{n.value, n.span}));
  }
  json docs(const Docs& ds) const {
    json out = json::array();
    for (const auto& d : ds) {
      json doc = json::object();
      doc["comment"] = d.comment;
      doc["span"] = span(d.span);
      out.push_back(std::move(doc));
    }
    return out;
  }
  static json opt_string(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }
  json package_name(const PackageName& p) const {
    json out = json::object();
    out["string"] = p.text;
    out["name"] = p.name;
    out["version"] = opt_string(p.version);
    out["span"] = span(p.span);
    return out;
  }
  json package_path(const PackagePath& p) const {
    json out = json::object();
    out["span"] = span(p.span);
    out["string"] = p.text;
    out["name"] = p.name;
    out["segments"] = p.segments;
    out["version"] = opt_string(p.version);
    return out;
  }

  // --- types ---

  json type(const Type& t) const {
    using K = Type::Kind;
    static constexpr const char* kPrims[] = {"u8", "s8", "u16", "s16", "u32", "s32", "u64",
                                             "s64", "f32", "f64", "char", "bool", "string"};
    switch (t.kind) {
      case K::Tuple: {
        json elems = json::array();
        for (const auto& e : t.types) elems.push_back(type(e));
        return tagged("tuple", json::array({std::move(elems), span(t.span)}));
      }
      case K::List: return tagged("list", json::array({type(t.types[0]), span(t.span)}));
      case K::Option: return tagged("option", json::array({type(t.types[0]), span(t.span)}));
      case K::Result: {
        json r = json::object();
        r["ok"] = t.ok() ? type(*t.ok()) : json(nullptr);
        r["err"] = t.err() ? type(*t.err()) : json(nullptr);
        r["span"] = span(t.span);
        return tagged("result", std::move(r));
      }
      case K::Borrow: return tagged("borrow", json::array({ident(t.ident), span(t.span)}));
      case K::Ident: return tagged("ident", ident(t.ident));
      default: return tagged(kPrims[static_cast<size_t>(t.kind)], span(t.span));
    }
  }
  json named_type(const NamedType& n, bool with_docs) const {
    json out = json::object();
    if (with_docs) out["docs"] = docs(n.docs);
    out["id"] = ident(n.id);
    out["ty"] = type(n.ty);
    return out;
  }
  json params(const std::vector<NamedType>& ps) const {
    json out = json::array();
    for (const auto& p : ps) out.push_back(named_type(p, false));
    return out;
  }
  json func_type(const FuncType& f) const {
    json out = json::object();
    out["params"] = params(f.params);
    switch (f.results) {
      case FuncType::Results::Empty: out["results"] = "empty"; break;
      case FuncType::Results::Scalar: out["results"] = tagged("scalar", type(*f.scalar)); break;
      case FuncType::Results::Named: out["results"] = tagged("named", params(f.named)); break;
    }
    return out;
  }
  json func_type_ref(const FuncTypeRef& r) const {
    return r.func ? tagged("func", func_type(*r.func)) : tagged("ident", ident(r.id));
  }

  json type_decl(const TypeDecl& d) const {
    return std::visit(
        [&](const auto& x) -> json {
          using T = std::decay_t<decltype(x)>;
          json out = json::object();
          out["docs"] = docs(x.docs);
          out["id"] = ident(x.id);
          if constexpr (std::is_same_v<T, VariantDecl>) {
            json cases = json::array();
            for (const auto& c : x.cases) {
              json k = json::object();
              k["docs"] = docs(c.docs);
              k["id"] = ident(c.id);
              k["ty"] = c.ty ? type(*c.ty) : json(nullptr);
              cases.push_back(std::move(k));
            }
            out["cases"] = std::move(cases);
            return tagged("variant", std::move(out));
          } else if constexpr (std::is_same_v<T, RecordDecl>) {
            json fields = json::array();
            for (const auto& f : x.fields) fields.push_back(named_type(f, true));
            out["fields"] = std::move(fields);
            return tagged("record", std::move(out));
          } else if constexpr (std::is_same_v<T, FlagsDecl>) {
            out["flags"] = labels(x.flags);
            return tagged("flags", std::move(out));
          } else if constexpr (std::is_same_v<T, EnumDecl>) {
            out["cases"] = labels(x.cases);
            return tagged("enum", std::move(out));
          } else {
            out["kind"] = x.func ? tagged("func", func_type(*x.func)) : tagged("type", type(*x.ty));
            return tagged("alias", std::move(out));
          }
        },
        d);
  }
  json labels(const std::vector<LabelItem>& items) const {
    json out = json::array();
    for (const auto& l : items) {
      json k = json::object();
      k["docs"] = docs(l.docs);
      k["id"] = ident(l.id);
      out.push_back(std::move(k));
    }
    return out;
  }
  json item_type_decl(const ItemTypeDecl& d) const {
    if (const auto* r = std::get_if<ResourceDecl>(&d)) {
      json methods = json::array();
      for (const auto& m : r->methods) {
        json x = json::object();
        x["docs"] = docs(m.docs);
        if (m.is_constructor) {
          x["span"] = span(m.span);
          x["params"] = params(m.ty.params);
          methods.push_back(tagged("constructor", std::move(x)));
        } else {
          x["id"] = ident(m.id);
          x["isStatic"] = m.is_static;
          x["ty"] = func_type(m.ty);
          methods.push_back(tagged("method", std::move(x)));
        }
      }
      json out = json::object();
      out["docs"] = docs(r->docs);
      out["id"] = ident(r->id);
      out["methods"] = std::move(methods);
      return tagged("resource", std::move(out));
    }
    return type_decl(std::get<TypeDecl>(d));
  }

  json use_statement(const UseStatement& u) const {
    json out = json::object();
    out["docs"] = docs(u.docs);
    out["path"] = u.path ? tagged("package", package_path(*u.path)) : tagged("ident", ident(u.id));
    json items = json::array();
    for (const auto& i : u.items) {
      json x = json::object();
      x["id"] = ident(i.id);
      x["asId"] = i.as_id ? ident(*i.as_id) : json(nullptr);
      items.push_back(std::move(x));
    }
    out["items"] = std::move(items);
    return out;
  }

  json interface_items(const std::vector<InterfaceItem>& items) const {
    json out = json::array();
    for (const auto& item : items) {
      if (const auto* u = std::get_if<UseStatement>(&item)) {
        out.push_back(tagged("use", use_statement(*u)));
      } else if (const auto* d = std::get_if<ItemTypeDecl>(&item)) {
        out.push_back(tagged("type", item_type_decl(*d)));
      } else {
        const auto& e = std::get<InterfaceExport>(item);
        json x = json::object();
        x["docs"] = docs(e.docs);
        x["id"] = ident(e.id);
        x["ty"] = func_type_ref(e.ty);
        out.push_back(tagged("export", std::move(x)));
      }
    }
    return out;
  }
  json inline_interface(const InlineInterface& i) const {
    json out = json::object();
    out["items"] = interface_items(i.items);
    return out;
  }

  json world_items(const std::vector<WorldItem>& items) const {
    json out = json::array();
    for (const auto& item : items) {
      if (const auto* u = std::get_if<UseStatement>(&item)) {
        out.push_back(tagged("use", use_statement(*u)));
      } else if (const auto* d = std::get_if<ItemTypeDecl>(&item)) {
        out.push_back(tagged("type", item_type_decl(*d)));
      } else if (const auto* ie = std::get_if<WorldImportExport>(&item)) {
        json x = json::object();
        x["docs"] = docs(ie->docs);
        x["path"] = world_item_path(ie->path);
        out.push_back(tagged(ie->is_import ? "import" : "export", std::move(x)));
      } else {
        const auto& inc = std::get<WorldInclude>(item);
        json x = json::object();
        x["docs"] = docs(inc.docs);
        x["world"] = inc.path ? tagged("package", package_path(*inc.path)) : tagged("ident", ident(inc.id));
        json with = json::array();
        for (const auto& n : inc.with) {
          json w = json::object();
          w["from"] = ident(n.source);
          w["to"] = ident(n.target);
          with.push_back(std::move(w));
        }
        x["with"] = std::move(with);
        out.push_back(tagged("include", std::move(x)));
      }
    }
    return out;
  }
  json world_item_path(const WorldItemPath& p) const {
    switch (p.kind) {
      case WorldItemPath::Kind::Named: {
        json x = json::object();
        x["id"] = ident(p.id);
        x["ty"] = extern_type(p.ty);
        return tagged("named", std::move(x));
      }
      case WorldItemPath::Kind::Package: return tagged("package", package_path(*p.path));
      case WorldItemPath::Kind::Ident: return tagged("ident", ident(p.id));
    }
    return nullptr;
  }
  json extern_type(const ExternType& t) const {
    switch (t.kind) {
      case ExternType::Kind::Ident: return tagged("ident", ident(t.id));
      case ExternType::Kind::Func: return tagged("func", func_type(*t.func));
      case ExternType::Kind::Interface: return tagged("interface", inline_interface(*t.iface));
    }
    return nullptr;
  }

  // --- statements ---

  json statement(const Statement& s) const {
    if (const auto* i = std::get_if<ImportStatement>(&s)) {
      json x = json::object();
      x["docs"] = docs(i->docs);
      x["id"] = ident(i->id);
      x["name"] = i->name ? name(*i->name) : json(nullptr);
      switch (i->ty.kind) {
        case ImportType::Kind::Package: x["ty"] = tagged("package", package_path(*i->ty.path)); break;
        case ImportType::Kind::Func: x["ty"] = tagged("func", func_type(*i->ty.func)); break;
        case ImportType::Kind::Interface: x["ty"] = tagged("interface", inline_interface(*i->ty.iface)); break;
        case ImportType::Kind::Ident: x["ty"] = tagged("ident", ident(i->ty.id)); break;
      }
      return tagged("Import", std::move(x));
    }
    if (const auto* t = std::get_if<TypeStatement>(&s)) {
      json x;
      if (const auto* i = std::get_if<InterfaceDecl>(t)) {
        json d = json::object();
        d["docs"] = docs(i->docs);
        d["id"] = ident(i->id);
        d["items"] = interface_items(i->items);
        x = tagged("interface", std::move(d));
      } else if (const auto* w = std::get_if<WorldDecl>(t)) {
        json d = json::object();
        d["docs"] = docs(w->docs);
        d["id"] = ident(w->id);
        d["items"] = world_items(w->items);
        x = tagged("world", std::move(d));
      } else {
        x = tagged("type", type_decl(std::get<TypeDecl>(*t)));
      }
      return tagged("Type", std::move(x));
    }
    if (const auto* l = std::get_if<LetStatement>(&s)) {
      json x = json::object();
      x["docs"] = docs(l->docs);
      x["id"] = ident(l->id);
      x["expr"] = expr(l->value);
      return tagged("Let", std::move(x));
    }
    const auto& e = std::get<ExportStatement>(s);
    json x = json::object();
    x["docs"] = docs(e.docs);
    x["expr"] = expr(e.value);
    switch (e.options) {
      case ExportStatement::Options::None: x["options"] = "none"; break;
      case ExportStatement::Options::Spread: x["options"] = tagged("spread", span(e.spread)); break;
      case ExportStatement::Options::Rename: x["options"] = tagged("rename", name(e.rename)); break;
    }
    return tagged("Export", std::move(x));
  }

  json expr(const Expr& e) const {
    json out = json::object();
    out["span"] = span(e.span);
    switch (e.kind) {
      case Expr::Kind::Ident: out["primary"] = tagged("ident", ident(e.id)); break;
      case Expr::Kind::New: out["primary"] = tagged("new", new_expr(*e.created)); break;
      case Expr::Kind::Nested: {
        json n = json::object();
        n["span"] = span(e.nested_span);
        n["inner"] = expr(*e.nested);
        out["primary"] = tagged("nested", std::move(n));
        break;
      }
    }
    json postfix = json::array();
    for (const auto& p : e.postfix) {
      json x = json::object();
      x["span"] = span(p.span);
      if (p.named) {
        x["string"] = string(p.string.value, p.string.span);
        postfix.push_back(tagged("namedAccess", std::move(x)));
      } else {
        x["id"] = ident(p.id);
        postfix.push_back(tagged("access", std::move(x)));
      }
    }
    out["postfix"] = std::move(postfix);
    return out;
  }

  json new_expr(const NewExpr& n) const {
    json out = json::object();
    out["span"] = span(n.span);
    out["package"] = package_name(n.package);
    json args = json::array();
    for (const auto& a : n.args) {
      switch (a.kind) {
        case InstantiationArg::Kind::Inferred: args.push_back(tagged("ident", ident(a.id))); break;
        case InstantiationArg::Kind::Spread: args.push_back(tagged("spread", ident(a.id))); break;
        case InstantiationArg::Kind::Fill: args.push_back(tagged("fill", span(a.span))); break;
        case InstantiationArg::Kind::Named: {
          json x = json::object();
          x["name"] = name(a.name);
          x["expr"] = expr(*a.value);
          args.push_back(tagged("named", std::move(x)));
          break;
        }
      }
    }
    out["arguments"] = std::move(args);
    return out;
  }

  uint32_t base_;
};

}  // namespace

std::string to_json(const Document& doc) { return Printer(doc.file_base).document(doc).dump(2); }

}  // namespace witc::compose::wac
