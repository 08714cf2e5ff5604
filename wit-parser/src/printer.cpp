// Canonical WIT text of resolved packages, laid out as the reference printer
// lays it out (wasm-tools `WitPrinter`, what `wasm-tools component wit`
// prints), so that printing and parsing again yields the same graph.
//
// Layout rules, in the reference's order:
// - The first package gets `package ns:name;` and a blank line; further
//   packages follow as `package ns:name { ... }` blocks, two blank lines
//   apart. Top-level interfaces of the first package are followed by a blank
//   line; nothing else separates top-level items.
// - Inside an interface: `use` statements for types aliased from other
//   interfaces (consecutive ones from the same interface with the same
//   stability share one statement), then type definitions (a resource with
//   its constructor, methods and statics), then freestanding functions; a
//   blank line between items, not between `use` statements.
// - Inside a world: imported interfaces, then types (as above), then
//   imported functions, then one blank line and the exports.
// - Names that are keywords are written with a leading `%`.
//
// One deliberate difference: the reference always prints an interface's
// freestanding functions after all its types, which reorders the functions
// of an interface whose source declared a function before a resource with
// methods (an interface keeps its functions in source order). Here such a
// function is printed just before that resource, so the text parses back to
// the same function order and type indices. Sources laid out as the
// reference prints them come out identical. (Worlds need no such care:
// elaboration sorts a world's imports by class anyway.)
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <fmt/format.h>

#include "witc/wit/wit.h"

namespace witc::wit {

namespace {

bool is_keyword(std::string_view name) {
  static constexpr std::string_view kKeywords[] = {
      "use",     "type",     "func",      "u8",        "u16",      "u32",     "u64",
      "s8",      "s16",      "s32",       "s64",       "f32",      "f64",     "float32",
      "float64", "char",     "resource",  "record",    "flags",    "variant", "enum",
      "bool",    "string",   "option",    "result",    "future",   "stream",  "list",
      "own",     "borrow",   "_",         "as",        "from",     "static",  "interface",
      "tuple",   "world",    "import",    "export",    "package",  "with",    "include",
      "constructor", "error-context", "async", "map",
  };
  for (std::string_view k : kKeywords)
    if (k == name) return true;
  return false;
}

std::string escape(std::string_view name) {
  std::string out;
  if (is_keyword(name)) out += '%';
  out += name;
  return out;
}

// Text with lazy two-space indentation: a line is indented when its first
// piece is written, so blank lines carry no trailing spaces.
class Output {
 public:
  void str(std::string_view s) {
    indent_if_needed();
    out_ += s;
  }
  void newline() {
    out_ += '\n';
    at_line_start_ = true;
  }
  // " {" and a newline; what follows is one level deeper.
  void open_block() {
    out_ += " {";
    ++depth_;
    newline();
  }
  void close_block() {
    if (depth_ > 0) --depth_;
    str("}");
    newline();
  }
  void semicolon() {
    out_ += ';';
    newline();
  }
  std::string take() { return std::move(out_); }

 private:
  void indent_if_needed() {
    if (!at_line_start_) return;
    out_.append(2 * depth_, ' ');
    at_line_start_ = false;
  }
  std::string out_;
  int depth_ = 0;
  bool at_line_start_ = true;
};

// The functions of a resource, and where the first one stands among all the
// functions of its interface or world.
struct ResourceFunctions {
  size_t first = 0;
  std::vector<const Function*> funcs;
};
using ResourceFunctionMap = std::map<TypeId, ResourceFunctions>;

// Freestanding functions still to print, in order, each with its position
// among all the functions of its interface or world. One that comes before
// a resource's functions is printed before that resource, so that parsing
// the text yields the functions in their original order.
class PendingFunctions {
 public:
  void add(size_t position, std::function<void()> print) {
    items_.emplace_back(position, std::move(print));
  }
  void flush_before(size_t position) {
    while (next_ < items_.size() && items_[next_].first < position) items_[next_++].second();
  }
  void flush() { flush_before(SIZE_MAX); }

 private:
  std::vector<std::pair<size_t, std::function<void()>>> items_;
  size_t next_ = 0;
};

class Printer {
 public:
  Printer(const Resolve& resolve, const PrintOptions& options) : r_(resolve), options_(options) {}

  std::string print(const std::vector<PackageId>& packages) {
    for (size_t i = 0; i < packages.size(); ++i) {
      if (i > 1) {
        out_.newline();
        out_.newline();
      }
      print_package(packages[i], /*is_main=*/i == 0);
    }
    return out_.take();
  }

 private:
  void print_package(PackageId id, bool is_main) {
    const Package& pkg = r_.packages[id];
    print_docs(pkg.docs);
    out_.str("package " + escape(pkg.name.ns) + ":" + escape(pkg.name.name));
    if (pkg.name.version) out_.str("@" + pkg.name.version->to_string());
    if (is_main) {
      out_.semicolon();
      out_.newline();
    } else {
      out_.open_block();
    }
    for (const auto& [name, iface_id] : pkg.interfaces) {
      const Interface& iface = r_.interfaces[iface_id];
      print_docs(iface.docs);
      print_stability(iface.stability);
      out_.str("interface " + escape(name));
      out_.open_block();
      print_interface_body(iface_id, id);
      out_.close_block();
      if (is_main) out_.newline();
    }
    for (const auto& [name, world_id] : pkg.worlds) {
      const World& world = r_.worlds[world_id];
      print_docs(world.docs);
      print_stability(world.stability);
      out_.str("world " + escape(name));
      out_.open_block();
      print_world_body(world_id);
      out_.close_block();
    }
    if (!is_main) out_.close_block();
  }

  // A blank line before every item of a block but the first.
  void new_item() {
    if (any_items_) out_.newline();
    any_items_ = true;
  }

  // `pkg` is the package the interface is printed in (paths are relative to it).
  void print_interface_body(InterfaceId id, PackageId pkg) {
    bool saved = std::exchange(any_items_, false);
    const Interface& iface = r_.interfaces[id];
    ResourceFunctionMap resource_funcs;
    PendingFunctions freestanding;
    size_t position = 0;
    for (const auto& [name, f] : iface.functions) {
      if (!is_freestanding(f)) {
        add_resource_function(resource_funcs, f, position++);
        continue;
      }
      freestanding.add(position++, [this, &fn = f] {
        new_item();
        print_docs(fn.docs);
        print_stability(fn.stability);
        print_external_id(fn.external_id);
        out_.str(escape(fn.item_name()) + ": ");
        print_function(fn);
        out_.semicolon();
      });
    }
    std::vector<std::pair<std::string_view, TypeId>> types;
    for (const auto& [name, type_id] : iface.types) types.emplace_back(name, type_id);
    print_types(TypeOwner::of(id), pkg, types, resource_funcs, freestanding);
    freestanding.flush();
    any_items_ = saved;
  }

  static bool is_freestanding(const Function& f) {
    return f.kind == Function::Kind::Freestanding || f.kind == Function::Kind::AsyncFreestanding;
  }

  static void add_resource_function(ResourceFunctionMap& map, const Function& f, size_t position) {
    auto [it, inserted] = map.try_emplace(f.resource);
    if (inserted) it->second.first = position;
    it->second.funcs.push_back(&f);
  }

  // A type defined as an alias of a named type owned by another interface
  // or world is written as a `use`; everything else is declared here.
  void print_types(TypeOwner owner, PackageId my_pkg,
                   const std::vector<std::pair<std::string_view, TypeId>>& types,
                   const ResourceFunctionMap& resource_funcs, PendingFunctions& pending) {
    struct UseGroup {
      TypeOwner from;
      const Stability* stability;
      std::vector<std::pair<std::string_view, std::string_view>> names;  // (mine, theirs)
    };
    std::vector<UseGroup> uses;
    std::vector<TypeId> declared;
    for (const auto& [name, id] : types) {
      const TypeDef& ty = r_.types[id];
      const auto* alias = std::get_if<Alias>(&ty.kind);
      if (alias && alias->target.is_id()) {
        const TypeDef& other = r_.types[alias->target.id];
        if (other.owner.kind != TypeOwner::Kind::None && !(other.owner == owner)) {
          std::string_view other_name = other.name ? std::string_view(*other.name) : "";
          if (!uses.empty() && uses.back().from == other.owner &&
              *uses.back().stability == ty.stability) {
            uses.back().names.emplace_back(name, other_name);
          } else {
            uses.push_back({other.owner, &ty.stability, {{name, other_name}}});
          }
          continue;
        }
      }
      declared.push_back(id);
    }

    for (const UseGroup& use : uses) {
      any_items_ = true;
      print_stability(*use.stability);
      out_.str("use ");
      // Only interfaces can be used from today.
      if (use.from.kind == TypeOwner::Kind::Interface) print_interface_path(use.from.interface, my_pkg);
      out_.str(".{");
      for (size_t i = 0; i < use.names.size(); ++i) {
        const auto& [mine, theirs] = use.names[i];
        if (i > 0) out_.str(", ");
        out_.str(escape(theirs));
        if (mine != theirs) out_.str(" as " + escape(mine));
      }
      out_.str("}");
      out_.semicolon();
    }

    for (TypeId id : declared) {
      const TypeDef& ty = r_.types[id];
      auto funcs = resource_funcs.find(id);
      if (funcs != resource_funcs.end() && !options_.reference_layout)
        pending.flush_before(funcs->second.first);
      new_item();
      print_docs(ty.docs);
      print_stability(ty.stability);
      print_external_id(ty.external_id);
      if (std::holds_alternative<Resource>(ty.kind)) {
        print_resource(ty, funcs == resource_funcs.end() ? nullptr : &funcs->second.funcs);
      } else {
        declare_type(ty);
      }
    }
  }

  void print_resource(const TypeDef& ty, const std::vector<const Function*>* funcs) {
    out_.str("resource " + escape(ty.name.value_or("")));
    if (!funcs || funcs->empty()) {
      out_.semicolon();
      return;
    }
    out_.open_block();
    for (const Function* f : *funcs) {
      print_docs(f->docs);
      print_stability(f->stability);
      print_external_id(f->external_id);
      switch (f->kind) {
        case Function::Kind::Method:
        case Function::Kind::AsyncMethod: out_.str(escape(f->item_name()) + ": "); break;
        case Function::Kind::Static:
        case Function::Kind::AsyncStatic: out_.str(escape(f->item_name()) + ": static "); break;
        default: break;
      }
      print_function(*f);
      out_.semicolon();
    }
    out_.close_block();
  }

  // `constructor(...)` with the implied `own<self>` result is written
  // without the result.
  bool is_constructor_shorthand(const Function& f) const {
    if (f.kind != Function::Kind::Constructor || !f.result || !f.result->is_id()) return false;
    const auto* handle = std::get_if<Handle>(&r_.types[f.result->id].kind);
    return handle && handle->kind == Handle::Kind::Own && handle->resource == f.resource;
  }

  void print_function(const Function& f) {
    if (f.is_async()) out_.str("async ");
    out_.str(f.kind == Function::Kind::Constructor ? "constructor(" : "func(");
    bool is_method = f.kind == Function::Kind::Method || f.kind == Function::Kind::AsyncMethod;
    size_t first = is_method ? 1 : 0;  // `self` is implied
    for (size_t i = first; i < f.params.size(); ++i) {
      if (i > first) out_.str(", ");
      out_.str(escape(f.params[i].first) + ": ");
      print_type_name(f.params[i].second);
    }
    out_.str(")");
    if (is_constructor_shorthand(f)) return;
    if (f.result) {
      out_.str(" -> ");
      print_type_name(*f.result);
    }
  }

  void print_world_body(WorldId id) {
    bool saved = std::exchange(any_items_, false);
    const World& world = r_.worlds[id];
    PackageId pkg = world.package.value_or(PackageId());
    std::vector<std::pair<std::string_view, TypeId>> types;
    ResourceFunctionMap resource_funcs;
    std::vector<std::pair<const WorldKey*, const WorldItem*>> function_imports;
    for (const auto& [key, item] : world.imports) {
      switch (item.kind) {
        case WorldItem::Kind::Type: types.emplace_back(key.name, item.type); break;
        case WorldItem::Kind::Function:
          if (!is_freestanding(item.function)) {
            add_resource_function(resource_funcs, item.function, 0);
            break;
          }
          function_imports.emplace_back(&key, &item);
          break;
        case WorldItem::Kind::Interface:
          print_world_item(key, item, pkg, "import");
          any_items_ = true;  // no blank lines between imports, one after them
          break;
      }
    }
    // World imports are kept sorted by class (interfaces, types, functions,
    // resource functions) when a world is elaborated, so the functions can
    // always follow the types.
    PendingFunctions none;
    print_types(TypeOwner::of(id), pkg, types, resource_funcs, none);
    for (const auto& [key, item] : function_imports) {
      print_world_item(*key, *item, pkg, "import");
      any_items_ = true;  // no blank lines between them
    }
    if (!world.exports.empty()) new_item();
    for (const auto& [key, item] : world.exports) print_world_item(key, item, pkg, "export");
    any_items_ = saved;
  }

  const Stability& stability_of(const WorldItem& item) const {
    switch (item.kind) {
      case WorldItem::Kind::Interface: return item.stability;
      case WorldItem::Kind::Function: return item.function.stability;
      case WorldItem::Kind::Type: break;
    }
    return r_.types[item.type].stability;
  }

  const std::optional<std::string>& external_id_of(const WorldItem& item) const {
    switch (item.kind) {
      case WorldItem::Kind::Interface: return item.external_id;
      case WorldItem::Kind::Function: return item.function.external_id;
      case WorldItem::Kind::Type: break;
    }
    return r_.types[item.type].external_id;
  }

  void print_world_item(const WorldKey& key, const WorldItem& item, PackageId pkg,
                        std::string_view keyword) {
    if (!key.is_interface()) {
      if (item.kind == WorldItem::Kind::Interface) print_docs(r_.interfaces[item.interface].docs);
      if (item.kind == WorldItem::Kind::Function) print_docs(item.function.docs);
    }
    print_stability(stability_of(item));
    print_external_id(external_id_of(item));
    out_.str(keyword);
    out_.str(" ");
    if (key.is_interface()) {
      print_interface_path(key.interface, pkg);
      out_.semicolon();
      return;
    }
    if (item.kind == WorldItem::Kind::Interface && r_.interfaces[item.interface].name) {
      // `import label: iface;`, a named interface under a plain name.
      out_.str(escape(key.name) + ": ");
      print_interface_path(item.interface, pkg);
      out_.semicolon();
    } else if (item.kind == WorldItem::Kind::Interface) {
      out_.str(escape(key.name) + ": interface");
      out_.open_block();
      print_interface_body(item.interface, pkg);
      out_.close_block();
    } else if (item.kind == WorldItem::Kind::Function) {
      out_.str(escape(item.function.name) + ": ");
      print_function(item.function);
      out_.semicolon();
    }
  }

  // `iface` within the current package, `ns:pkg/iface@version` otherwise.
  void print_interface_path(InterfaceId id, PackageId current) {
    const Interface& iface = r_.interfaces[id];
    std::string name = escape(iface.name.value_or(""));
    if (!iface.package || *iface.package == current) {
      out_.str(name);
      return;
    }
    const PackageName& pkg = r_.packages[*iface.package].name;
    out_.str(escape(pkg.ns) + ":" + escape(pkg.name) + "/" + name);
    if (pkg.version) out_.str("@" + pkg.version->to_string());
  }

  void print_type_list(std::string_view head, std::initializer_list<Type> args) {
    out_.str(head);
    out_.str("<");
    bool first = true;
    for (const Type& t : args) {
      if (!first) out_.str(", ");
      first = false;
      print_type_name(t);
    }
    out_.str(">");
  }

  // A type as it is written where it is used: its name if it has one,
  // else its structure.
  void print_type_name(const Type& t) {
    if (!t.is_id()) {
      out_.str(primitive_name(t.kind));
      return;
    }
    const TypeDef& ty = r_.types[t.id];
    if (ty.name) {
      out_.str(escape(*ty.name));
      return;
    }
    print_anonymous(ty.kind);
  }

  void print_handle(const Handle& h, bool spell_own) {
    std::string resource = escape(r_.types[h.resource].name.value_or(""));
    if (h.kind == Handle::Kind::Borrow) {
      out_.str("borrow<" + resource + ">");
    } else if (spell_own) {
      out_.str("own<" + resource + ">");
    } else {
      out_.str(resource);
    }
  }

  void print_result(const Result& res) {
    out_.str("result");
    if (res.ok && res.err) {
      print_type_list("", {*res.ok, *res.err});
    } else if (res.err) {
      out_.str("<_, ");
      print_type_name(*res.err);
      out_.str(">");
    } else if (res.ok) {
      print_type_list("", {*res.ok});
    }
  }

  void print_optional_param(std::string_view head, const std::optional<Type>& t) {
    if (t)
      print_type_list(head, {*t});
    else
      out_.str(head);
  }

  void print_anonymous(const TypeDefKind& kind) {
    std::visit(
        [&](const auto& k) {
          using K = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<K, Handle>) {
            print_handle(k, /*spell_own=*/false);
          } else if constexpr (std::is_same_v<K, Tuple>) {
            out_.str("tuple<");
            for (size_t i = 0; i < k.types.size(); ++i) {
              if (i > 0) out_.str(", ");
              print_type_name(k.types[i]);
            }
            out_.str(">");
          } else if constexpr (std::is_same_v<K, Option>) {
            print_type_list("option", {k.type});
          } else if constexpr (std::is_same_v<K, Result>) {
            print_result(k);
          } else if constexpr (std::is_same_v<K, List>) {
            print_type_list("list", {k.element});
          } else if constexpr (std::is_same_v<K, Map>) {
            print_type_list("map", {k.key, k.value});
          } else if constexpr (std::is_same_v<K, FixedSizeList>) {
            out_.str("list<");
            print_type_name(k.element);
            out_.str(", " + std::to_string(k.size) + ">");
          } else if constexpr (std::is_same_v<K, Future>) {
            print_optional_param("future", k.type);
          } else if constexpr (std::is_same_v<K, Stream>) {
            print_optional_param("stream", k.type);
          } else if constexpr (std::is_same_v<K, Alias>) {
            print_type_name(k.target);
          } else {
            // Records, variants, enums, flags and resources always have a
            // name in a valid graph; the reference refuses to print them.
            out_.str("/* unnamed type */");
          }
        },
        kind);
  }

  // A named type's definition.
  void declare_type(const TypeDef& ty) {
    std::string name = escape(ty.name.value_or(""));
    std::visit(
        [&](const auto& k) {
          using K = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<K, Record>) {
            out_.str("record " + name);
            out_.open_block();
            for (const Field& f : k.fields) {
              print_docs(f.docs);
              out_.str(escape(f.name) + ": ");
              print_type_name(f.type);
              out_.str(",");
              out_.newline();
            }
            out_.close_block();
          } else if constexpr (std::is_same_v<K, Flags>) {
            out_.str("flags " + name);
            out_.open_block();
            for (const Flag& f : k.flags) {
              print_docs(f.docs);
              out_.str(escape(f.name) + ",");
              out_.newline();
            }
            out_.close_block();
          } else if constexpr (std::is_same_v<K, Variant>) {
            out_.str("variant " + name);
            out_.open_block();
            for (const Case& c : k.cases) {
              print_docs(c.docs);
              out_.str(escape(c.name));
              if (c.type) {
                out_.str("(");
                print_type_name(*c.type);
                out_.str(")");
              }
              out_.str(",");
              out_.newline();
            }
            out_.close_block();
          } else if constexpr (std::is_same_v<K, Enum>) {
            out_.str("enum " + name);
            out_.open_block();
            for (const EnumCase& c : k.cases) {
              print_docs(c.docs);
              out_.str(escape(c.name) + ",");
              out_.newline();
            }
            out_.close_block();
          } else if constexpr (std::is_same_v<K, Handle>) {
            // `type a = own<r>` stays spelled out: `type a = r` would be an
            // alias of the resource, a different graph.
            out_.str("type " + name + " = ");
            print_handle(k, /*spell_own=*/true);
            out_.semicolon();
          } else if constexpr (std::is_same_v<K, Resource> || std::is_same_v<K, Unknown>) {
            // Resources are printed by print_resource; Unknown never
            // survives resolution.
          } else {
            out_.str("type " + name + " = ");
            print_anonymous(ty.kind);
            out_.semicolon();
          }
        },
        ty.kind);
  }

  void print_docs(const Docs& docs) {
    if (!docs.contents) return;
    std::string_view text = *docs.contents;
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      out_.str(line.empty() ? "///" : "/// ");
      if (!line.empty()) out_.str(line);
      out_.newline();
      if (nl == std::string_view::npos) break;
      text.remove_prefix(nl + 1);
    }
  }

  // `@external-id("...")` as the reference prints it: letters, digits, space
  // and `-._/:` as they are; `\"`, `\\`, `\t`, `\n`, `\r`; every other
  // character as a `\u{hex}` escape.
  void print_external_id(const std::optional<std::string>& id) {
    if (!id) return;
    std::string text = "@external-id(\"";
    for (size_t i = 0; i < id->size();) {
      unsigned char b = static_cast<unsigned char>((*id)[i]);
      if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') ||
          std::string_view(" -._/:").find(static_cast<char>(b)) != std::string_view::npos) {
        text += static_cast<char>(b);
        ++i;
        continue;
      }
      const char* simple = b == '"' ? "\\\"" : b == '\\' ? "\\\\" : b == '\t' ? "\\t" : b == '\n' ? "\\n" : b == '\r' ? "\\r" : nullptr;
      if (simple) {
        text += simple;
        ++i;
        continue;
      }
      // Decode one UTF-8 sequence (the model holds valid UTF-8).
      uint32_t cp = b;
      size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
      if (len > 1) cp = b & (0x7F >> len);
      for (size_t k = 1; k < len && i + k < id->size(); ++k)
        cp = (cp << 6) | (static_cast<unsigned char>((*id)[i + k]) & 0x3F);
      i += len;
      text += fmt::format("\\u{{{:x}}}", cp);
    }
    text += "\")";
    out_.str(text);
    out_.newline();
  }

  void print_stability(const Stability& s) {
    if (s.is_unknown()) return;
    if (s.kind == Stability::Kind::Stable) {
      out_.str("@since(version = " + s.since.to_string() + ")");
    } else {
      out_.str("@unstable(feature = " + s.feature + ")");
    }
    out_.newline();
    if (s.deprecated) {
      out_.str("@deprecated(version = " + s.deprecated->to_string() + ")");
      out_.newline();
    }
  }

  const Resolve& r_;
  PrintOptions options_;
  Output out_;
  bool any_items_ = false;
};

}  // namespace

std::string print(const Resolve& resolve, const std::vector<PackageId>& packages,
                  const PrintOptions& options) {
  return Printer(resolve, options).print(packages);
}

}  // namespace witc::wit
