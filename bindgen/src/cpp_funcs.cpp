// The generated `<world>.cpp`: imported functions (lower the arguments, call
// the core import, lift the result), export adapters (lift the arguments,
// call the program's function, lower the result; cabi_post_* frees it) and
// the canonical built-ins of resources.
#include <algorithm>
#include <cctype>

#include "cpp_gen.h"
#include "witc/composer/encode.h"

namespace witc::bindgen::cpp {

namespace {

bool is_method(const wit::Function& f) {
  return f.kind == wit::Function::Kind::Method || f.kind == wit::Function::Kind::AsyncMethod;
}


std::string params_list(const std::vector<std::string>& args) {
  std::string s;
  for (size_t i = 0; i < args.size(); ++i) s.append(i ? ", " : "").append(args[i]);
  return s;
}

}  // namespace

std::string returned(const std::string& v) {
  if (v.rfind("std::move(_", 0) == 0 && v.back() == ')' && v.find_first_of("(.[ ", 10) == std::string::npos)
    return v.substr(10, v.size() - 11);
  return v;
}

std::string Gen::c_symbol(std::string_view prefix, std::string_view name) {
  std::string s(prefix);
  for (char c : name) s.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  std::string base = s;
  for (int n = 2; symbols_.count(s); ++n) s = base + "_" + std::to_string(n);
  symbols_.insert(s);
  return s;
}

std::string Gen::declare_import(const std::string& module, const std::string& name,
                                const std::vector<bin::ValType>& params, const std::vector<bin::ValType>& results) {
  std::string sym = c_symbol("__wasm_import_", module + "_" + name);
  externs_.append("extern \"C\" __attribute__((import_module(\"").append(module);
  externs_.append("\"), import_name(\"").append(name).append("\")))\n");
  externs_.append(results.empty() ? "void" : core_type(results[0])).append(" ").append(sym).append("(");
  for (size_t i = 0; i < params.size(); ++i) externs_.append(i ? ", " : "").append(core_type(params[i]));
  externs_.append(");\n");
  return sym;
}

// The C++ name and namespace of a function's definition.
Gen::Callee Gen::callee(const FunctionPlan& fp, const InterfacePlan& ip) {
  const wit::Function& f = *fp.function;
  Callee c;
  c.method = is_method(f);
  bool ctor = f.kind == wit::Function::Kind::Constructor;
  bool member = f.kind != wit::Function::Kind::Freestanding && f.kind != wit::Function::Kind::AsyncFreestanding;
  bool exported = fp.direction == Direction::Export;
  if (!exported) {
    std::string cls = member ? type_ident(resolve_.unalias(f.resource)) : "";
    c.name = !member ? func_ident(f, ip.interface) : ctor ? cls : member_ident(f);
    if (member) c.name = cls + "::" + c.name;
    c.ns = ip.interface ? interface_ns(*ip.interface, false) : world_ns(false);
    if (member) c.ns = owner_ns(resolve_.types[resolve_.unalias(f.resource)].owner, false);
    return c;
  }
  if (member) {
    wit::TypeId res = resolve_.unalias(f.resource);
    std::string cls = type_path(res, true);
    c.name = c.method ? "((" + cls + "*)(uintptr_t)_self)->" + member_ident(f)
                      : cls + "::" + (ctor ? std::string("New") : member_ident(f));
  } else {
    Path ns = ip.interface ? interface_ns(*ip.interface, true) : world_ns(true);
    c.name = qualify(ns, func_ident(f, ip.interface));
  }
  return c;
}

std::vector<std::string> Gen::lower_args(Body& b, const FunctionPlan& fp, Mode m) {
  const wit::Function& f = *fp.function;
  bool method = is_method(f);
  std::vector<std::string> args;
  auto value_of = [&](size_t i) {
    return method && i == 0 ? std::string("(*this)") : "(" + param_ident(f.params[i].first) + ")";
  };
  if (fp.params_indirect) {
    std::string size = std::to_string(std::max<uint64_t>(fp.params_size, 1));
    if (m == Mode::Copy) {
      b.cleanup = true;
      b.line("uint8_t* _params = (uint8_t*)_cleanup.alloc(" + size + ");");
    } else {
      b.line("alignas(" + std::to_string(fp.params_align) + ") uint8_t _params[" + size + "];");
    }
    for (size_t i = 0; i < fp.params.size(); ++i) {
      std::string addr = "(_params + " + std::to_string(fp.params[i].offset) + ")";
      if (method && i == 0) {
        b.line("*(int32_t*)" + addr + " = this->get_handle();");
      } else {
        store(b, fp.params[i].type, value_of(i), addr, m, false);
      }
    }
    args.push_back("(int32_t)(uintptr_t)_params");
    return args;
  }
  for (size_t i = 0; i < fp.params.size(); ++i) {
    if (method && i == 0) {
      args.push_back("this->get_handle()");
      continue;
    }
    auto flat = lower_flat(b, fp.params[i].type, value_of(i), m, false);
    args.insert(args.end(), flat.begin(), flat.end());
  }
  return args;
}

void Gen::emit_import(const FunctionPlan& fp, const InterfacePlan& ip) {
  if (fp.async) return emit_async_import(fp, ip);
  const wit::Function& f = *fp.function;
  std::string sym = declare_import(fp.module, fp.core_name, fp.signature.type.params, fp.signature.type.results);
  bool ctor = f.kind == wit::Function::Kind::Constructor;
  Callee c = callee(fp, ip);
  set_ns(cpp_, cpp_ns_, c.ns);
  std::string sig = signature(fp, c.name, false);
  Body b;
  std::vector<std::string> args = lower_args(b, fp, Mode::Borrow);
  if (fp.results_indirect) {
    b.line("alignas(" + std::to_string(fp.ret_align) + ") uint8_t _ret_area[" +
           std::to_string(std::max<uint64_t>(fp.ret_size, 1)) + "];");
    args.push_back("(int32_t)(uintptr_t)_ret_area");
  }
  std::string call = sym + "(" + params_list(args) + ")";
  if (!fp.result) {
    b.line(call + ";");
  } else if (ctor) {
    b.line("this->handle = " + call + ";");
  } else if (fp.results_indirect) {
    b.line(call + ";");
    b.line("uint8_t* _rp = _ret_area;");
    std::string v = load(b, *fp.result, "_rp", false);
    b.line("return " + returned(v) + ";");
  } else {
    b.line("auto _ret = " + call + ";");
    size_t pos = 0;
    std::string v = lift_flat(b, *fp.result, {"_ret"}, pos, false);
    b.line("return " + returned(v) + ";");
  }
  cpp_.append(sig).append(" {\n");
  if (b.cleanup) cpp_.append("  wit::detail::cleanup _cleanup;\n");
  if (b.scope) cpp_.append("  wit::detail::borrow_scope _scope;\n");
  cpp_.append(b.out).append("}\n");
}

std::string Gen::export_head(const std::string& name, const std::string& sym, const bin::FuncType& sig,
                             std::vector<std::string>& flat) {
  std::string head = "extern \"C\" __attribute__((__export_name__(\"" + name + "\")))\n";
  head.append(sig.results.empty() ? "void" : core_type(sig.results[0])).append(" ").append(sym).append("(");
  for (size_t i = 0; i < sig.params.size(); ++i) {
    flat.push_back("arg" + std::to_string(i));
    head.append(i ? ", " : "").append(core_type(sig.params[i])).append(" ").append(flat.back());
  }
  head.append(")");
  return head;
}

void Gen::lift_args(Body& b, const FunctionPlan& fp, const std::vector<std::string>& flat,
                    std::vector<std::string>& args) {
  bool method = is_method(*fp.function);
  auto take = [&](size_t i, const std::string& value) {
    std::string p = b.fresh("a");
    b.line("auto " + p + " = " + value + ";");
    args.push_back(fp.async ? "std::move(" + p + ")" : export_arg(b, fp.params[i].type, p));
  };
  if (fp.params_indirect) {
    b.line("uint8_t* _params = (uint8_t*)(uintptr_t)arg0;");
    for (size_t i = 0; i < fp.params.size(); ++i) {
      std::string addr = "(_params + " + std::to_string(fp.params[i].offset) + ")";
      if (method && i == 0) {
        b.line("int32_t _self = *(int32_t*)" + addr + ";");
        continue;
      }
      take(i, load(b, fp.params[i].type, addr, true));
    }
    b.line("free(_params);");
    return;
  }
  size_t pos = 0;
  for (size_t i = 0; i < fp.params.size(); ++i) {
    if (method && i == 0) {
      b.line("int32_t _self = " + flat[pos++] + ";");
      continue;
    }
    take(i, lift_flat(b, fp.params[i].type, flat, pos, true));
  }
}

std::string Gen::export_arg(Body& b, const wit::Type& t, const std::string& local) {
  if (opts_.api_style == ApiStyle::Asymmetric) return "std::move(" + local + ")";
  std::string pt = param_type(t, Direction::Export);
  if (pt.ends_with(" const&")) return local;
  return borrow_view(b, t, local, true);
}

std::string Gen::borrow_view(Body& b, const wit::Type& t0, const std::string& v, bool ctx) {
  wit::Type t = unalias(t0);
  std::string bt = type(t, Flavor::Borrowed, ctx);
  if (bt == type(t, Flavor::Owned, ctx)) return "std::move(" + v + ")";
  if (!t.is_id()) return v + ".get_view()";  // string
  const auto& kind = resolve_.types[t.id].kind;
  auto elem_of = [&]() -> std::optional<wit::Type> {
    if (const auto* l = std::get_if<wit::List>(&kind)) return l->element;
    return std::nullopt;
  };
  if (std::holds_alternative<wit::List>(kind) || std::holds_alternative<wit::Map>(kind)) {
    std::string et = bt.substr(10, bt.size() - 17);  // std::span<E const>
    std::string k = b.fresh("k"), i = b.fresh("i");
    b.keep = true;
    b.line("auto& " + k + " = _keep.keep(wit::vector<" + et + ">::allocate(" + v + ".size()));");
    b.line("for (size_t " + i + " = 0; " + i + " < " + v + ".size(); ++" + i + ") {");
    b.indent++;
    std::string item;
    if (auto e = elem_of()) {
      item = borrow_view(b, *e, v + "[" + i + "]", ctx);
    } else {
      const auto& mp = std::get<wit::Map>(kind);
      std::string kv = borrow_view(b, mp.key, v + "[" + i + "].first", ctx);
      std::string vv = borrow_view(b, mp.value, v + "[" + i + "].second", ctx);
      item = et + "(" + kv + ", " + vv + ")";
    }
    b.line(k + ".initialize(" + i + ", " + item + ");");
    b.indent--;
    b.line("}");
    return k + ".get_const_view()";
  }
  if (const auto* tup = std::get_if<wit::Tuple>(&kind)) {
    std::string s = bt + "{";
    for (size_t i = 0; i < tup->types.size(); ++i)
      s.append(i ? ", " : "").append(borrow_view(b, tup->types[i], "std::get<" + std::to_string(i) + ">(" + v + ")", ctx));
    return s + "}";
  }
  if (const auto* fl = std::get_if<wit::FixedSizeList>(&kind)) {
    std::string s = bt + "{";
    for (uint32_t i = 0; i < fl->size; ++i)
      s.append(i ? ", " : "").append(borrow_view(b, fl->element, v + "[" + std::to_string(i) + "]", ctx));
    return s + "}";
  }
  // option / result: decided at run time, inside a lambda.
  std::string x = b.fresh("x");
  b.line("auto " + x + " = [&]() -> " + bt + " {");
  b.indent++;
  if (const auto* o = std::get_if<wit::Option>(&kind)) {
    b.line("if (!" + v + ".has_value()) return std::nullopt;");
    b.line("return " + borrow_view(b, o->type, "(*" + v + ")", ctx) + ";");
  } else {
    const auto& r = std::get<wit::Result>(kind);
    b.line("if (" + v + ".has_value()) {");
    b.indent++;
    b.line(r.ok ? "return " + borrow_view(b, *r.ok, "(*" + v + ")", ctx) + ";" : "return {};");
    b.indent--;
    b.line("}");
    std::string et = r.err ? type(*r.err, Flavor::Borrowed, ctx) : "wit::Void";
    b.line("return std::unexpected<" + et + ">(" + (r.err ? borrow_view(b, *r.err, v + ".error()", ctx) : "wit::Void{}") + ");");
  }
  b.indent--;
  b.line("}();");
  return "std::move(" + x + ")";
}

void Gen::emit_export(const FunctionPlan& fp, const InterfacePlan& ip) {
  if (fp.async) return emit_async_export(fp, ip);
  set_ns(cpp_, cpp_ns_, {});
  std::vector<std::string> flat;
  std::string head = export_head(fp.core_name, c_symbol("__wasm_export_", fp.core_name), fp.signature.type, flat);
  Body b;
  std::vector<std::string> args;
  lift_args(b, fp, flat, args);
  std::string call = callee(fp, ip).name + "(" + params_list(args) + ")";
  if (!fp.result) {
    b.line(call + ";");
  } else if (fp.results_indirect) {
    b.line("auto _r = " + call + ";");
    b.line("alignas(" + std::to_string(fp.ret_align) + ") static uint8_t _ret_area[" +
           std::to_string(std::max<uint64_t>(fp.ret_size, 1)) + "];");
    store(b, *fp.result, "_r", "_ret_area", Mode::Transfer, true);
    b.line("return (int32_t)(uintptr_t)_ret_area;");
  } else {
    b.line("auto _r = " + call + ";");
    auto out = lower_flat(b, *fp.result, "_r", Mode::Transfer, true);
    b.line("return " + out[0] + ";");
  }
  cpp_.append(head).append(" {\n");
  if (b.cleanup) cpp_.append("  wit::detail::cleanup _cleanup;\n");
  if (b.scope) cpp_.append("  wit::detail::borrow_scope _scope;\n");
  if (b.keep) cpp_.append("  wit::detail::keeper _keep;\n");
  cpp_.append(b.out).append("}\n");
  if (fp.post_return.empty() || !fp.results_indirect) return;
  Body p;
  p.line("uint8_t* _base = (uint8_t*)(uintptr_t)arg0;");
  free_stored(p, *fp.result, "_base");
  cpp_.append("extern \"C\" __attribute__((__weak__, __export_name__(\"").append(fp.post_return).append("\")))\n");
  cpp_.append("void ").append(c_symbol("__wasm_post_", fp.core_name)).append("(int32_t arg0) {\n");
  cpp_.append(p.out).append("}\n");
}

void Gen::emit_resource_glue(const ResourcePlan& rp, const InterfacePlan& ip) {
  using V = bin::ValType;
  const std::string& name = type_ident(rp.id);
  Path ns = owner_ns(resolve_.types[rp.id].owner, rp.direction == Direction::Export);
  if (rp.direction == Direction::Import) {
    std::string drop = declare_import(rp.module, "[resource-drop]" + rp.name, {V::I32}, {});
    set_ns(cpp_, cpp_ns_, ns);
    cpp_.append(name).append("::~").append(name).append("() {\n  if (handle >= 0) ").append(drop).append("(handle);\n}\n");
    cpp_.append(name).append("::").append(name).append("(wit::ResourceImportBase&& base) : wit::ResourceImportBase(std::move(base)) {}\n");
    return;
  }
  std::string rnew = declare_import(rp.module, "[resource-new]" + rp.name, {V::I32}, {V::I32});
  std::string rrep = declare_import(rp.module, "[resource-rep]" + rp.name, {V::I32}, {V::I32});
  std::string rdrop = declare_import(rp.module, "[resource-drop]" + rp.name, {V::I32}, {});
  set_ns(cpp_, cpp_ns_, ns);
  cpp_.append("int32_t ").append(name).append("::ResourceNew(").append(name).append("* self) {\n  return ");
  cpp_.append(rnew).append("((int32_t)(uintptr_t)self);\n}\n");
  cpp_.append(name).append("* ").append(name).append("::ResourceRep(int32_t id) {\n  return (").append(name);
  cpp_.append("*)(uintptr_t)").append(rrep).append("(id);\n}\n");
  cpp_.append("void ").append(name).append("::ResourceDrop(int32_t id) {\n  ").append(rdrop).append("(id);\n}\n");
  set_ns(cpp_, cpp_ns_, {});
  std::string cls = qualify(ns, name);
  cpp_.append("extern \"C\" __attribute__((__export_name__(\"").append(rp.dtor_export).append("\")))\n");
  cpp_.append("void ").append(c_symbol("__wasm_export_", rp.dtor_export)).append("(int32_t arg0) {\n");
  cpp_.append("  auto* self = (").append(cls).append("*)(uintptr_t)arg0;\n  self->handle = -1;\n  ");
  cpp_.append(cls).append("::Dtor(self);\n}\n");
  (void)ip;
}

Expected<Files> Gen::run() {
  if (!with_error_.empty()) return std::unexpected(Diagnostic::plain(with_error_));
  std::string guard = "WITC_CPP_GUEST_BINDINGS_" + stem_;
  std::transform(guard.begin(), guard.end(), guard.begin(), [](unsigned char c) { return std::toupper(c); });
  h_ = "// Generated by `witc bindgen cpp`. DO NOT EDIT!\n#ifndef " + guard + "_H\n#define " + guard + "_H\n";
  h_.append("#include \"wit.h\"\n");
  for (const auto& header : with_headers_) h_.append("#include \"").append(header).append("\"\n");
  emit_types();
  collect_async_payloads();
  emit_async_traits_decls();
  emit_declarations();
  h_.append("#endif\n");
  for (int dir = 0; dir < 2; ++dir) {
    for (const auto& ip : dir == 0 ? plan_.imports : plan_.exports) {
      if (dir == 0 && ip.interface && with_ifaces_.count(ip.interface->index)) continue;
      for (const auto& rp : ip.resources) emit_resource_glue(rp, ip);
      for (const auto& fp : ip.functions) {
        if (dir == 0) {
          emit_import(fp, ip);
        } else {
          emit_export(fp, ip);
        }
      }
    }
  }
  emit_async_traits_defs();
  set_ns(cpp_, cpp_ns_, {});
  std::string c = "// Generated by `witc bindgen cpp`. DO NOT EDIT!\n#include \"" + stem_ + "_cpp.h\"\n";
  c.append("#include <cstdlib>\n\n");
  c.append("extern \"C\" __attribute__((__weak__, __export_name__(\"cabi_realloc\")))\n");
  c.append("void* cabi_realloc(void* ptr, size_t old_size, size_t align, size_t new_size) {\n");
  c.append("  (void)old_size;\n  if (new_size == 0) return (void*)align;\n");
  c.append("  void* ret = realloc(ptr, new_size);\n  if (!ret) abort();\n  return ret;\n}\n\n");
  // Referencing the component-type object's symbol makes wasm-ld keep it.
  std::string link = compose::component_type_link_symbol(resolve_, world_id_);
  c.append("// Keeps ").append(stem_).append("_component_type.o (the world's type) in the link.\n");
  c.append("#ifdef __wasm32__\nextern \"C\" void ").append(link).append("(void);\n");
  c.append("void ").append(link).append("_public_use_in_this_compilation_unit(void) {\n  ").append(link);
  c.append("();\n}\n#endif\n\n");
  c.append(externs_).append("\n").append(cpp_);
  auto object = compose::component_type_object(resolve_, world_id_, compose::StringEncoding::Utf8);
  if (!object) return std::unexpected(object.error());
  Files files;
  files.add(stem_ + "_component_type.o", std::string(object->begin(), object->end()));
  files.add(stem_ + "_cpp.h", std::move(h_));
  files.add(stem_ + ".cpp", std::move(c));
  files.add("wit.h", wit_header());
  for (auto& [file, text] : user_headers_) files.add(file, std::move(text));
  return files;
}

}  // namespace witc::bindgen::cpp

namespace witc::bindgen {

std::string world_file_stem(const wit::Resolve& resolve, wit::WorldId world) {
  return cpp::Gen::snake(resolve.worlds[world].name);
}

Expected<Files> generate_cpp(const wit::Resolve& resolve, wit::WorldId world, const CppOptions& options) {
  cpp::Gen gen(resolve, world, options);
  return gen.run();
}

}  // namespace witc::bindgen
