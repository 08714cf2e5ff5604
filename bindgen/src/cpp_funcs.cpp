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

// `return std::move(local);` would prevent copy elision: return the local.
std::string returned(const std::string& v) {
  if (v.rfind("std::move(_", 0) == 0 && v.back() == ')' && v.find_first_of("(.[ ", 10) == std::string::npos)
    return v.substr(10, v.size() - 11);
  return v;
}

std::string params_list(const std::vector<std::string>& args) {
  std::string s;
  for (size_t i = 0; i < args.size(); ++i) s.append(i ? ", " : "").append(args[i]);
  return s;
}

}  // namespace

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

void Gen::emit_import(const FunctionPlan& fp, const InterfacePlan& ip) {
  const wit::Function& f = *fp.function;
  if (fp.async) return;  // declared as an #error in the header
  std::string sym = declare_import(fp.module, fp.core_name, fp.signature.type.params, fp.signature.type.results);
  bool method = is_method(f);
  bool ctor = f.kind == wit::Function::Kind::Constructor;
  bool member = f.kind != wit::Function::Kind::Freestanding;
  std::string cls = member ? type_ident(resolve_.unalias(f.resource)) : "";
  std::string name = !member ? func_ident(f, ip.interface) : ctor ? cls : member_ident(f);
  if (member) name = cls + "::" + name;
  Path ns = ip.interface ? interface_ns(*ip.interface, false) : world_ns(false);
  if (member) ns = owner_ns(resolve_.types[resolve_.unalias(f.resource)].owner, false);
  set_ns(cpp_, cpp_ns_, ns);
  std::string sig = signature(fp, name, false);
  Body b;
  std::vector<std::string> args;
  auto value_of = [&](size_t i) {
    return method && i == 0 ? std::string("(*this)") : "(" + param_ident(f.params[i].first) + ")";
  };
  if (fp.params_indirect) {
    b.line("alignas(" + std::to_string(fp.params_align) + ") uint8_t _params[" +
           std::to_string(std::max<uint64_t>(fp.params_size, 1)) + "];");
    for (size_t i = 0; i < fp.params.size(); ++i) {
      std::string addr = "(_params + " + std::to_string(fp.params[i].offset) + ")";
      if (method && i == 0) {
        b.line("*(int32_t*)" + addr + " = this->get_handle();");
      } else {
        store(b, fp.params[i].type, value_of(i), addr, Mode::Borrow, false);
      }
    }
    args.push_back("(int32_t)(uintptr_t)_params");
  } else {
    for (size_t i = 0; i < fp.params.size(); ++i) {
      if (method && i == 0) {
        args.push_back("this->get_handle()");
        continue;
      }
      auto flat = lower_flat(b, fp.params[i].type, value_of(i), Mode::Borrow, false);
      args.insert(args.end(), flat.begin(), flat.end());
    }
  }
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

void Gen::emit_export(const FunctionPlan& fp, const InterfacePlan& ip) {
  const wit::Function& f = *fp.function;
  if (fp.async) return;
  set_ns(cpp_, cpp_ns_, {});
  bool method = is_method(f);
  bool ctor = f.kind == wit::Function::Kind::Constructor;
  bool member = f.kind != wit::Function::Kind::Freestanding;
  std::string callee;
  if (member) {
    wit::TypeId res = resolve_.unalias(f.resource);
    std::string cls = type_path(res, true);
    callee = method ? "((" + cls + "*)(uintptr_t)_self)->" + member_ident(f)
                    : cls + "::" + (ctor ? std::string("New") : member_ident(f));
  } else {
    Path ns = ip.interface ? interface_ns(*ip.interface, true) : world_ns(true);
    callee = qualify(ns, func_ident(f, ip.interface));
  }
  std::string sym = c_symbol("__wasm_export_", fp.core_name);
  const auto& sig = fp.signature.type;
  std::string head = "extern \"C\" __attribute__((__export_name__(\"" + fp.core_name + "\")))\n";
  head.append(sig.results.empty() ? "void" : core_type(sig.results[0])).append(" ").append(sym).append("(");
  std::vector<std::string> flat;
  for (size_t i = 0; i < sig.params.size(); ++i) {
    flat.push_back("arg" + std::to_string(i));
    head.append(i ? ", " : "").append(core_type(sig.params[i])).append(" ").append(flat.back());
  }
  head.append(")");
  Body b;
  std::vector<std::string> args;
  bool symmetric = opts_.api_style == ApiStyle::Symmetric;
  auto take = [&](size_t i, const std::string& value) {
    std::string p = b.fresh("a");
    b.line("auto " + p + " = " + value + ";");
    std::string pt = param_type(fp.params[i].type, Direction::Export);
    if (symmetric && pt == "std::string_view") {
      args.push_back(p + ".get_view()");
    } else if (symmetric && pt.rfind("std::span<", 0) == 0) {
      args.push_back(p + ".get_const_view()");
    } else {
      args.push_back("std::move(" + p + ")");
    }
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
  } else {
    size_t pos = 0;
    for (size_t i = 0; i < fp.params.size(); ++i) {
      if (method && i == 0) {
        b.line("int32_t _self = " + flat[pos++] + ";");
        continue;
      }
      take(i, lift_flat(b, fp.params[i].type, flat, pos, true));
    }
  }
  std::string call = callee + "(" + params_list(args) + ")";
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
  std::string guard = "WITC_CPP_GUEST_BINDINGS_" + stem_;
  std::transform(guard.begin(), guard.end(), guard.begin(), [](unsigned char c) { return std::toupper(c); });
  h_ = "// Generated by `witc bindgen cpp`. DO NOT EDIT!\n#ifndef " + guard + "_H\n#define " + guard + "_H\n";
  h_.append("#include \"wit.h\"\n");
  for (const auto& header : with_headers_) h_.append("#include \"").append(header).append("\"\n");
  emit_types();
  emit_declarations();
  h_.append("#endif\n");
  for (int dir = 0; dir < 2; ++dir) {
    for (const auto& ip : dir == 0 ? plan_.imports : plan_.exports) {
      if (ip.interface && with_ifaces_.count(ip.interface->index)) continue;
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
