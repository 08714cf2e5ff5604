// C++ identifiers, namespaces and the spelling of WIT types (docs/bindgen-cpp.md).
#include <algorithm>
#include <cctype>

#include "cpp_gen.h"

namespace witc::bindgen::cpp {

namespace {

const std::set<std::string>& reserved() {
  static const std::set<std::string> k = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
      "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
      "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
      "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
      "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
      "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
      "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "final", "override",
      "import", "module",
      // macros of the C library and names the generated code relies on
      "errno", "assert", "stdin", "stdout", "stderr", "unix", "linux", "std", "wit", "NULL", "EOF"};
  return k;
}

}  // namespace

std::string Gen::pascal(std::string_view kebab) {
  std::string out;
  bool start = true;
  for (char c : kebab) {
    if (c == '-') {
      start = true;
      continue;
    }
    out.push_back(start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                        : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    start = false;
  }
  return out;
}

std::string Gen::snake(std::string_view kebab) {
  std::string out;
  for (char c : kebab) out.push_back(c == '-' ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return out;
}

std::string Gen::escape(std::string s) {
  if (reserved().count(s)) s.push_back('_');
  return s;
}

std::string Gen::qualify(const Path& ns, const std::string& name) {
  std::string s;
  for (const auto& p : ns) s.append("::").append(p);
  s.append("::").append(name);
  return s;
}

Gen::Gen(const wit::Resolve& resolve, wit::WorldId world, const CppOptions& options)
    : planner_(resolve), resolve_(resolve), world_id_(world), world_(resolve.worlds[world]),
      opts_(options) {
  stem_ = world_file_stem(resolve, world);
  plan_ = planner_.world(world);
  for (const auto& ip : plan_.imports)
    if (ip.interface) imported_ifaces_.insert(ip.interface->index);
  for (const auto& ip : plan_.exports)
    if (ip.interface) exported_ifaces_.insert(ip.interface->index);
  // Base namespaces: package namespace, package name, interface name; an
  // inline interface has no name of its own (as wit-bindgen). Two
  // interfaces landing on one path are told apart by version or key name.
  std::map<std::pair<bool, Path>, uint32_t> used;
  auto assign = [&](const std::vector<InterfacePlan>& ips, const wit::World& w, bool exports) {
    size_t k = 0;
    for (const auto& [key, item] : exports ? w.exports : w.imports) {
      (void)k;
      if (item.kind != wit::WorldItem::Kind::Interface) continue;
      uint32_t idx = item.interface.index;
      if (auto it = iface_ns_.find(idx); it != iface_ns_.end()) {
        used.emplace(std::make_pair(exports, it->second), idx);
        continue;
      }
      const wit::Interface& iface = resolve_.interfaces[item.interface];
      Path p;
      std::optional<wit::PackageId> pkg = iface.package ? iface.package : w.package;
      if (pkg) {
        const auto& pn = resolve_.packages[*pkg].name;
        p.push_back(escape(snake(pn.ns)));
        p.push_back(escape(snake(pn.name)));
      }
      if (iface.name) p.push_back(escape(snake(*iface.name)));
      if (auto it = used.find({exports, p}); it != used.end() && it->second != idx) {
        const auto& ver = pkg ? resolve_.packages[*pkg].name.version : std::nullopt;
        std::string extra = ver ? "v" + ver->to_string() : snake(key.is_interface() ? "iface" : key.name);
        for (char& c : extra)
          if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
        p.back().append("_").append(extra);
        while (used.count({exports, p})) p.back().append("_");
      }
      used.emplace(std::make_pair(exports, p), idx);
      iface_ns_[idx] = p;
    }
    (void)ips;
  };
  assign(plan_.imports, world_, false);
  assign(plan_.exports, world_, true);
  // --with IFACE=HEADER names an imported interface by its world key
  // (`ns:pkg/iface@1.0.0`, also without the version, or a plain name).
  for (const auto& [name, header] : opts_.with) {
    bool found = false;
    for (const auto& [key, item] : world_.imports) {
      if (item.kind != wit::WorldItem::Kind::Interface) continue;
      std::string full = planner_.key_name(key);
      if (full == name || (key.is_interface() && full.substr(0, full.find('@')) == name)) {
        with_ifaces_.insert(item.interface.index);
        found = true;
      }
    }
    if (!found) {
      with_error_ = "--with `" + name + "=" + header + "`: world `" + world_.name + "` imports no interface `" + name + "`";
      continue;
    }
    if (std::find(with_headers_.begin(), with_headers_.end(), header) == with_headers_.end())
      with_headers_.push_back(header);
  }
}

Path Gen::interface_ns(wit::InterfaceId id, bool exported) const {
  Path p;
  if (exported) p.push_back("exports");
  auto it = iface_ns_.find(id.index);
  if (it != iface_ns_.end()) {
    p.insert(p.end(), it->second.begin(), it->second.end());
    return p;
  }
  // An interface outside the world (not expected after elaboration).
  const wit::Interface& iface = resolve_.interfaces[id];
  if (iface.package) {
    const auto& pn = resolve_.packages[*iface.package].name;
    p.push_back(escape(snake(pn.ns)));
    p.push_back(escape(snake(pn.name)));
  }
  if (iface.name) p.push_back(escape(snake(*iface.name)));
  return p;
}

Path Gen::world_ns(bool exported) const {
  Path p;
  if (exported) p.push_back("exports");
  p.push_back(escape(snake(world_.name)));
  return p;
}

bool Gen::in_exports(wit::TypeId id, bool exported_ctx) const {
  const auto& owner = resolve_.types[id].owner;
  return exported_ctx && owner.kind == wit::TypeOwner::Kind::Interface && exports_interface(owner.interface);
}

Path Gen::owner_ns(const wit::TypeOwner& owner, bool exported) const {
  if (owner.kind == wit::TypeOwner::Kind::Interface) return interface_ns(owner.interface, exported);
  return world_ns(false);
}

const std::string& Gen::type_ident(wit::TypeId id) {
  auto it = type_idents_.find(id.index);
  if (it != type_idents_.end()) return it->second;
  const wit::TypeDef& td = resolve_.types[id];
  std::string name = escape(pascal(td.name ? *td.name : "anon"));
  Path key = owner_ns(td.owner, false);
  auto& taken = taken_[key];
  while (taken.count(name)) name.push_back('_');
  taken.insert(name);
  return type_idents_[id.index] = name;
}

std::string Gen::type_path(wit::TypeId id, bool exported_ctx) {
  const wit::TypeDef& td = resolve_.types[id];
  return qualify(owner_ns(td.owner, in_exports(id, exported_ctx)), type_ident(id));
}

std::string Gen::func_ident(const wit::Function& f, std::optional<wit::InterfaceId> iface) {
  uint32_t owner = iface ? iface->index : UINT32_MAX;
  auto k = std::make_pair(owner, f.name);
  if (auto it = func_idents_.find(k); it != func_idents_.end()) return it->second;
  // Type names of the namespace are reserved first.
  Path key = iface ? interface_ns(*iface, false) : world_ns(false);
  if (iface) {
    for (const auto& [n, id] : resolve_.interfaces[*iface].types) type_ident(id);
  } else {
    for (const auto& [wk, item] : world_.imports)
      if (item.kind == wit::WorldItem::Kind::Type) type_ident(item.type);
  }
  std::string name = escape(pascal(f.name));
  auto& taken = taken_[key];
  while (taken.count(name)) name.push_back('_');
  taken.insert(name);
  return func_idents_[k] = name;
}

std::string Gen::member_ident(const wit::Function& f) {
  static const std::set<std::string> members = {"Owned", "New", "Dtor", "ResourceNew", "ResourceRep",
                                                "ResourceDrop", "Deregister"};
  std::string name = pascal(f.item_name());
  const auto& cls = type_ident(f.resource);
  if (members.count(name) || name == cls) name.push_back('_');
  return escape(name);
}

static std::vector<std::string> unique(std::vector<std::string> names) {
  std::set<std::string> seen;
  for (auto& n : names) {
    while (seen.count(n)) n.push_back('_');
    seen.insert(n);
  }
  return names;
}

std::vector<std::string> Gen::field_idents(const wit::Record& r) {
  std::vector<std::string> out;
  for (const auto& f : r.fields) out.push_back(escape(snake(f.name)));
  return unique(std::move(out));
}

std::vector<std::string> Gen::label_idents(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const auto& n : names) out.push_back("k" + pascal(n));
  return unique(std::move(out));
}

wit::Type Gen::unalias(const wit::Type& t) const {
  if (!t.is_id()) return t;
  wit::TypeId id = resolve_.unalias(t.id);
  if (const auto* a = std::get_if<wit::Alias>(&resolve_.types[id].kind)) return a->target;
  return wit::Type::of(id);
}

std::string Gen::owned_handle(wit::TypeId resource, bool ctx) {
  resource = resolve_.unalias(resource);
  std::string cls = type_path(resource, ctx);
  if (in_exports(resource, ctx)) return "wit::ResourceExportBase<" + cls + ">::Owned";
  return cls;
}

}  // namespace witc::bindgen::cpp
