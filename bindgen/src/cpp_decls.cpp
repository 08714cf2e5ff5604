// The generated header `<world>_cpp.h`: type definitions in dependency
// order, imported resource classes, the user class headers of exported
// resources, and the declarations of imported and exported functions.
#include <algorithm>

#include "cpp_gen.h"

namespace witc::bindgen::cpp {

namespace {

std::string join(const Path& p, const char* sep) {
  std::string s;
  for (size_t i = 0; i < p.size(); ++i) s.append(i ? sep : "").append(p[i]);
  return s;
}

void docs(std::string& out, const wit::Docs& d) {
  if (!d.contents) return;
  size_t start = 0;
  const std::string& text = *d.contents;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.append("/// ").append(text, start, end - start).append("\n");
    start = end + 1;
  }
}

}  // namespace

void Gen::set_ns(std::string& out, Path& cur, const Path& target) {
  if (cur == target) return;
  if (!cur.empty()) out.append("}  // namespace ").append(join(cur, "::")).append("\n");
  if (!target.empty()) out.append("namespace ").append(join(target, "::")).append(" {\n");
  cur = target;
}

// Visits the named types the header defines, in dependency (arena) order.
template <class F>
static void each_type(const wit::Resolve& r, wit::WorldId world, const std::set<uint32_t>& imported,
                      const std::set<uint32_t>& exported, const std::set<uint32_t>& with, F f) {
  for (uint32_t i = 0; i < r.types.size(); ++i) {
    wit::TypeId id(i);
    const auto& owner = r.types[id].owner;
    if (owner.kind == wit::TypeOwner::Kind::World) {
      if (owner.world == world) f(id, false);
      continue;
    }
    if (owner.kind != wit::TypeOwner::Kind::Interface) continue;
    if (imported.count(owner.interface.index) && !with.count(owner.interface.index)) f(id, false);
    if (exported.count(owner.interface.index)) f(id, true);
  }
}

void Gen::emit_types() {
  // Forward declarations first: a resource's methods may name any type of
  // the interface, and exported resources' classes come from user headers
  // included after all types.
  each_type(resolve_, world_id_, imported_ifaces_, exported_ifaces_, with_ifaces_, [&](wit::TypeId id, bool exported) {
    const wit::TypeDef& td = resolve_.types[id];
    if (!td.name) return;
    std::string decl;
    if (std::holds_alternative<wit::Resource>(td.kind)) {
      decl = "class " + type_ident(id) + ";";
    } else if (std::holds_alternative<wit::Record>(td.kind) || std::holds_alternative<wit::Variant>(td.kind)) {
      decl = "struct " + type_ident(id) + ";";
      if (!exported && std::holds_alternative<wit::Record>(td.kind)) plan_param_struct(id);
    } else if (const auto* en = std::get_if<wit::Enum>(&td.kind)) {
      size_t n = en->cases.size();
      decl = "enum class " + type_ident(id) + " : " + (n <= 256 ? "uint8_t" : n <= 65536 ? "uint16_t" : "uint32_t") + ";";
    } else if (const auto* fl = std::get_if<wit::Flags>(&td.kind)) {
      std::string repr = flags_repr(fl->flags.size());
      decl = repr.empty() ? "struct " + type_ident(id) + ";" : "enum class " + type_ident(id) + " : " + repr + ";";
    } else {
      return;
    }
    set_ns(h_, h_ns_, owner_ns(td.owner, exported));
    h_.append(decl).append("\n");
  });
  each_type(resolve_, world_id_, imported_ifaces_, exported_ifaces_, with_ifaces_,
            [&](wit::TypeId id, bool exported) { emit_type(id, exported); });
  set_ns(h_, h_ns_, {});
  for (const auto& [file, text] : user_headers_) h_.append("#include \"").append(file).append("\"\n");
}

void Gen::emit_type(wit::TypeId id, bool exported) {
  const wit::TypeDef& td = resolve_.types[id];
  if (!td.name) return;
  const std::string& name = type_ident(id);
  if (!std::holds_alternative<wit::Resource>(td.kind) || !exported) set_ns(h_, h_ns_, owner_ns(td.owner, exported));
  if (std::holds_alternative<wit::Resource>(td.kind)) {
    for (const auto& ip : exported ? plan_.exports : plan_.imports) {
      for (const auto& rp : ip.resources) {
        if (rp.id != id) continue;
        if (exported) {
          emit_user_header(id, ip);
        } else {
          emit_import_resource(id, ip);
        }
      }
    }
    return;
  }
  docs(h_, td.docs);
  if (const auto* rec = std::get_if<wit::Record>(&td.kind)) {
    h_.append("struct ").append(name).append(" {\n");
    auto names = field_idents(*rec);
    for (size_t i = 0; i < rec->fields.size(); ++i) {
      docs(h_, rec->fields[i].docs);
      h_.append("  ").append(type(rec->fields[i].type, Flavor::Owned, exported)).append(" ").append(names[i]).append(";\n");
    }
    h_.append("};\n");
    if (const std::string* pn = exported ? nullptr : param_struct(id)) {
      // What an imported function takes for this record (--ownership
      // coarse-/fine-borrowing): strings and lists borrowed, handles owned.
      h_.append("struct ").append(*pn).append(" {\n");
      for (size_t i = 0; i < rec->fields.size(); ++i)
        h_.append("  ").append(type(rec->fields[i].type, Flavor::Borrowed, false)).append(" ").append(names[i]).append(";\n");
      h_.append("};\n");
    }
  } else if (const auto* var = std::get_if<wit::Variant>(&td.kind)) {
    h_.append("struct ").append(name).append(" {\n");
    std::string all;
    for (size_t i = 0; i < var->cases.size(); ++i) {
      const std::string& cn = case_ident(id, i);
      h_.append("  struct ").append(cn).append(" {");
      if (var->cases[i].type) h_.append(" ").append(type(*var->cases[i].type, Flavor::Owned, exported)).append(" value;");
      h_.append(" };\n");
      all.append(i ? ", " : "").append(cn);
    }
    h_.append("  std::variant<").append(all).append("> variants;\n};\n");
  } else if (const auto* en = std::get_if<wit::Enum>(&td.kind)) {
    size_t n = en->cases.size();
    const char* repr = n <= 256 ? "uint8_t" : n <= 65536 ? "uint16_t" : "uint32_t";
    h_.append("enum class ").append(name).append(" : ").append(repr).append(" {\n");
    std::vector<std::string> labels;
    for (const auto& c : en->cases) labels.push_back(c.name);
    labels = label_idents(labels);
    for (size_t i = 0; i < n; ++i) h_.append("  ").append(labels[i]).append(" = ").append(std::to_string(i)).append(",\n");
    h_.append("};\n");
  } else if (const auto* fl = std::get_if<wit::Flags>(&td.kind)) {
    std::string repr = flags_repr(fl->flags.size());
    std::vector<std::string> labels;
    for (const auto& f : fl->flags) labels.push_back(f.name);
    labels = label_idents(labels);
    if (repr.empty()) {
      size_t words = (fl->flags.size() + 31) / 32;
      std::string w = std::to_string(words);
      h_.append("struct ").append(name).append(" {\n  uint32_t bits[").append(w).append("];\n");
      h_.append("  static const ").append(name).append(" k_None;\n");
      for (const auto& l : labels) h_.append("  static const ").append(name).append(" ").append(l).append(";\n");
      h_.append("  friend bool operator==(const ").append(name).append("&, const ").append(name).append("&) = default;\n};\n");
      h_.append("inline constexpr ").append(name).append(" ").append(name).append("::k_None{};\n");
      for (size_t i = 0; i < fl->flags.size(); ++i) {
        h_.append("inline constexpr ").append(name).append(" ").append(name).append("::").append(labels[i]);
        h_.append("{{");
        for (size_t k = 0; k < words; ++k) h_.append(k ? ", " : "").append(k == i / 32 ? std::to_string(1u << (i % 32)) + "u" : "0");
        h_.append("}};\n");
      }
      for (const char* op : {"|", "&"}) {
        h_.append("inline ").append(name).append(" operator").append(op).append("(").append(name).append(" a, ");
        h_.append(name).append(" b) { for (int i = 0; i < ").append(w).append("; ++i) a.bits[i] = a.bits[i] ").append(op);
        h_.append(" b.bits[i]; return a; }\n");
      }
      return;
    }
    h_.append("enum class ").append(name).append(" : ").append(repr).append(" {\n  k_None = 0,\n");
    for (size_t i = 0; i < fl->flags.size(); ++i)
      h_.append("  ").append(labels[i]).append(" = (1ULL << ").append(std::to_string(i)).append("),\n");
    h_.append("};\n");
    for (const char* op : {"|", "&", "^"}) {
      h_.append("static inline ").append(name).append(" operator").append(op).append("(").append(name).append(" a, ");
      h_.append(name).append(" b) { return ").append(name).append("(").append(repr).append("(a) ").append(op).append(" ");
      h_.append(repr).append("(b)); }\n");
    }
    h_.append("static inline ").append(name).append(" operator~(").append(name).append(" a) { return ").append(name);
    h_.append("(").append(repr).append("(~").append(repr).append("(a))); }\n");
  } else if (const auto* al = std::get_if<wit::Alias>(&td.kind)) {
    wit::Type target = al->target;
    if (target.is_id() && std::holds_alternative<wit::Resource>(resolve_.types[resolve_.unalias(target.id)].kind)) {
      h_.append("using ").append(name).append(" = ").append(type_path(resolve_.unalias(target.id), exported)).append(";\n");
    } else {
      h_.append("using ").append(name).append(" = ").append(type(target, Flavor::Owned, exported)).append(";\n");
    }
  } else {
    h_.append("using ").append(name).append(" = ").append(type(wit::Type::of(id), Flavor::Owned, exported)).append(";\n");
  }
}

std::string Gen::result_type(const FunctionPlan& fp) {
  const wit::Function& f = *fp.function;
  return f.result ? type(*f.result, Flavor::Owned, fp.direction == Direction::Export) : "void";
}

std::string Gen::signature(const FunctionPlan& fp, const std::string& name, bool in_class) {
  const wit::Function& f = *fp.function;
  bool exported = fp.direction == Direction::Export;
  bool method = f.kind == wit::Function::Kind::Method || f.kind == wit::Function::Kind::AsyncMethod;
  bool ctor = f.kind == wit::Function::Kind::Constructor;
  std::string s;
  if (in_class && (f.kind == wit::Function::Kind::Static || f.kind == wit::Function::Kind::AsyncStatic ||
                   (ctor && exported)))
    s.append("static ");
  if (ctor && exported) {
    s.append("Owned ");
  } else if (fp.async && exported) {
    s.append("void ");  // the result goes through the task_return parameter
  } else if (fp.async) {
    s.append("wit::subtask<").append(result_type(fp)).append("> ");
  } else if (!ctor) {
    s.append(result_type(fp)).append(" ");
  }
  s.append(name).append("(");
  size_t n = 0;
  for (size_t i = method ? 1 : 0; i < f.params.size(); ++i, ++n) {
    if (n) s.append(", ");
    // An async export owns its parameters in both API styles: its task may outlive the call.
    std::string pt = fp.async && exported ? type(f.params[i].second, Flavor::Owned, true)
                                          : param_type(f.params[i].second, fp.direction);
    s.append(pt).append(" ").append(param_ident(f.params[i].first));
  }
  if (fp.async && exported) {
    if (n) s.append(", ");
    s.append("wit::task_return<").append(result_type(fp)).append("> _return");
  }
  s.append(")");
  if (method && !exported) s.append(" const");
  return s;
}

void Gen::emit_import_resource(wit::TypeId id, const InterfacePlan& ip) {
  const std::string& name = type_ident(id);
  docs(h_, resolve_.types[id].docs);
  h_.append("class ").append(name).append(" : public wit::ResourceImportBase {\n public:\n");
  h_.append("  ~").append(name).append("();\n");
  for (const auto& fp : ip.functions) {
    const wit::Function& f = *fp.function;
    if (f.kind == wit::Function::Kind::Freestanding || f.kind == wit::Function::Kind::AsyncFreestanding) continue;
    if (resolve_.unalias(f.resource) != id) continue;
    std::string ident = f.kind == wit::Function::Kind::Constructor ? name : member_ident(f);
    docs(h_, f.docs);
    h_.append("  ").append(signature(fp, ident, true)).append(";\n");
  }
  h_.append("  ").append(name).append("(wit::ResourceImportBase&& base);\n");
  h_.append("  ").append(name).append("(").append(name).append("&&) = default;\n");
  h_.append("  ").append(name).append("& operator=(").append(name).append("&&) = default;\n};\n");
}

// The default class of an exported resource, `exports-<ns>-<Name>.h`: the
// program's author provides the real one (wit-bindgen's convention).
void Gen::emit_user_header(wit::TypeId id, const InterfacePlan& ip) {
  const std::string& name = type_ident(id);
  Path ns = owner_ns(resolve_.types[id].owner, true);
  std::string file = join(ns, "-") + "-" + name + ".h";
  std::string s = "// Generated by `witc bindgen cpp` as a starting point: the class of an exported\n"
                  "// resource is the program's own. Replace this file with your implementation.\n";
  s.append("#pragma once\n#include <cstdint>\n#include <utility>\n#include \"wit.h\"\n\n");
  s.append("namespace ").append(join(ns, "::")).append(" {\n");
  s.append("class ").append(name).append(" : public wit::ResourceExportBase<").append(name).append("> {\n public:\n");
  s.append("  static void Dtor(").append(name).append("* self) { delete self; }\n");
  for (const auto& fp : ip.functions) {
    const wit::Function& f = *fp.function;
    if (f.kind == wit::Function::Kind::Freestanding || f.kind == wit::Function::Kind::AsyncFreestanding) continue;
    if (resolve_.unalias(f.resource) != id) continue;
    std::string ident = f.kind == wit::Function::Kind::Constructor ? "New" : member_ident(f);
    s.append("  ").append(signature(fp, ident, true)).append(";\n");
  }
  s.append("  static int32_t ResourceNew(").append(name).append("* self);\n");
  s.append("  static ").append(name).append("* ResourceRep(int32_t id);\n");
  s.append("  static void ResourceDrop(int32_t id);\n};\n}  // namespace ").append(join(ns, "::")).append("\n");
  user_headers_[file] = std::move(s);
}

void Gen::emit_declarations() {
  for (int dir = 0; dir < 2; ++dir) {
    for (const auto& ip : dir == 0 ? plan_.imports : plan_.exports) {
      if (dir == 0 && ip.interface && with_ifaces_.count(ip.interface->index)) continue;
      Path ns = ip.interface ? interface_ns(*ip.interface, dir == 1) : world_ns(dir == 1);
      for (const auto& fp : ip.functions) {
        const wit::Function& f = *fp.function;
        if (f.kind != wit::Function::Kind::Freestanding && f.kind != wit::Function::Kind::AsyncFreestanding) continue;
        set_ns(h_, h_ns_, ns);
        docs(h_, f.docs);
        h_.append(signature(fp, func_ident(f, ip.interface), false)).append(";\n");
      }
    }
  }
  set_ns(h_, h_ns_, {});
}

}  // namespace witc::bindgen::cpp
