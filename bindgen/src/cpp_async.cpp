// Async functions, streams and futures (Concurrency.md, CanonicalABI.md
// `canon lower` async, `canon lift` async callback, `canon task.return`,
// `canon {stream,future}.*`); the C++ API is in wit.h and docs/bindgen-cpp.md.
//
// An async import is lowered asynchronously (`[async-lower]f`): the wrapper
// copies the arguments into buffers the call owns, calls the import and
// returns a wit::subtask<R> that lifts the result from the call's return
// area when the callee returns. An async export is lifted with a callback
// (`[async-lift]f` + `[callback][async-lift]f`): the adapter starts a task,
// lifts the arguments, calls the program's function with a
// wit::task_return<R>, and hands the event loop to wit::detail.
//
// Streams and futures: for every payload type that occurs in a function of
// the world, the header specializes wit::stream_traits<T, K> /
// wit::future_traits<T, K> and the .cpp defines them on the built-ins named
// after the first function that carries the type (`[stream-new-N]f`, …).
// K (async_args) keeps WIT types apart that map to one C++ type T.
#include <algorithm>

#include "cpp_gen.h"

namespace witc::bindgen::cpp {

namespace {

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (size_t i = 0; i < args.size(); ++i) s.append(i ? ", " : "").append(args[i]);
  return s;
}

std::string num(uint64_t v) { return std::to_string(v); }

// Traits members are weak: the .cpp of several worlds linked together
// (--with) may each define them, on equivalent built-ins.
const char* const kWeak = "__attribute__((weak)) ";

// A macro name for one payload key: headers of several worlds included
// together (--with) specialize each traits template once.
std::string guard(const std::string& key) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : key) h = (h ^ c) * 1099511628211ull;
  static const char* hex = "0123456789ABCDEF";
  std::string s = "WITC_TRAITS_";
  for (int i = 60; i >= 0; i -= 4) s.push_back(hex[(h >> i) & 15]);
  return s;
}

}  // namespace

void Gen::emit_async_import(const FunctionPlan& fp, const InterfacePlan& ip) {
  std::string sym = declare_import(fp.module, fp.core_name, fp.signature.type.params, fp.signature.type.results);
  std::string rt = result_type(fp);
  // The result's lifting, from the call's return area.
  std::string lift = c_symbol("__witc_lift_", fp.module + "_" + fp.function->name);
  std::string vt = fp.result ? rt : "wit::detail::unit";
  set_ns(cpp_, cpp_ns_, {});
  Body l;
  if (fp.result) {
    std::string v = load(l, *fp.result, "_rp", false);
    l.line("return " + returned(v) + ";");
  } else {
    l.line("return {};");
  }
  cpp_.append("static ").append(vt).append(" ").append(lift).append("(uint8_t* _rp) {\n");
  if (!fp.result) cpp_.append("  (void)_rp;\n");
  if (l.scope) cpp_.append("  wit::detail::borrow_scope _scope;\n");
  cpp_.append(l.out).append("}\n");

  Callee c = callee(fp, ip);
  set_ns(cpp_, cpp_ns_, c.ns);
  Body b;
  std::vector<std::string> args = lower_args(b, fp, Mode::Copy);
  if (fp.result) args.push_back("(int32_t)(uintptr_t)_call->ret");
  b.line("int32_t _status = " + sym + "(" + joined(args) + ");");
  b.line("return wit::subtask<" + rt + ">(std::move(_call), _status);");
  cpp_.append(signature(fp, c.name, false)).append(" {\n");
  cpp_.append("  auto _call = std::make_unique<wit::detail::call<").append(rt).append(">>(");
  cpp_.append(num(fp.result ? fp.ret_size : 0)).append(", &").append(lift).append(");\n");
  // The call owns the argument buffers until the callee has started.
  if (b.cleanup) cpp_.append("  wit::detail::cleanup& _cleanup = _call->args;\n");
  cpp_.append(b.out).append("}\n");
}

void Gen::emit_async_export(const FunctionPlan& fp, const InterfacePlan& ip) {
  set_ns(cpp_, cpp_ns_, {});
  std::string rt = result_type(fp);
  // task.return: the result lowered as a call would lower a parameter.
  const auto& trs = fp.task_return_signature;
  std::string tr = declare_import(fp.task_return_module, fp.task_return_name, trs.type.params, trs.type.results);
  std::string ret_fn = c_symbol("__witc_return_", fp.core_name);
  Body r;
  std::vector<std::string> targs;
  if (fp.result && trs.params_indirect) {
    r.line("alignas(" + num(fp.ret_align) + ") uint8_t _area[" + num(std::max<uint64_t>(fp.ret_size, 1)) + "];");
    store(r, *fp.result, "_v", "_area", Mode::Borrow, true);
    targs.push_back("(int32_t)(uintptr_t)_area");
  } else if (fp.result) {
    targs = lower_flat(r, *fp.result, "_v", Mode::Borrow, true);
  }
  r.line(tr + "(" + joined(targs) + ");");
  cpp_.append("static void ").append(ret_fn).append("(").append(fp.result ? rt + "&& _v" : "").append(") {\n");
  if (r.cleanup) cpp_.append("  wit::detail::cleanup _cleanup;\n");
  cpp_.append(r.out).append("}\n");

  std::vector<std::string> flat;
  std::string head = export_head(fp.core_name, c_symbol("__wasm_export_", fp.core_name), fp.signature.type, flat);
  Body b;
  std::vector<std::string> args;
  lift_args(b, fp, flat, args);
  args.push_back("wit::task_return<" + rt + ">(_task, &" + ret_fn + ")");
  b.line(callee(fp, ip).name + "(" + joined(args) + ");");
  b.line("return wit::detail::task_status();");
  cpp_.append(head).append(" {\n");
  cpp_.append("  wit::detail::task* _task = wit::detail::enter_task();\n");
  if (b.cleanup) cpp_.append("  wit::detail::cleanup _cleanup;\n");
  if (b.keep) cpp_.append("  wit::detail::keeper _keep;\n");
  // Borrowed handles stay lent until the task returns (wit::task_return drops them).
  if (b.scope) cpp_.append("  wit::detail::borrow_scope& _scope = *(_task->borrows = new wit::detail::borrow_scope);\n");
  cpp_.append(b.out).append("}\n");
  cpp_.append("extern \"C\" __attribute__((__export_name__(\"").append(fp.callback).append("\")))\n");
  cpp_.append("int32_t ").append(c_symbol("__wasm_callback_", fp.core_name));
  cpp_.append("(int32_t code, int32_t index, int32_t payload) {\n");
  cpp_.append("  return wit::detail::task_callback(code, index, payload);\n}\n");
}

// --- streams and futures ---------------------------------------------------

void Gen::collect_async_payloads() {
  auto scan = [&](const std::vector<InterfacePlan>& ips, bool ctx) {
    for (const auto& ip : ips) {
      if (!ctx && ip.interface && with_ifaces_.count(ip.interface->index)) continue;
      for (const auto& fp : ip.functions) {
        for (const auto& av : fp.async_values) {
          std::string key = std::string(av.is_stream ? "s:" : "f:") + async_args(av.payload, ctx);
          if (std::none_of(payloads_.begin(), payloads_.end(), [&](const AsyncPayload& p) { return p.key == key; }))
            payloads_.push_back({key, av, ctx});
        }
      }
    }
  };
  scan(plan_.imports, false);
  scan(plan_.exports, true);
}

void Gen::emit_async_traits_decls() {
  if (payloads_.empty()) return;
  set_ns(h_, h_ns_, {"wit"});
  for (const auto& p : payloads_) {
    const AsyncValuePlan& av = p.value;
    std::string t = av.payload ? type(*av.payload, Flavor::Owned, p.ctx) : "void";
    uint64_t size = av.payload ? planner_.type(*av.payload).size : 0;
    h_.append("#ifndef ").append(guard(p.key)).append("\n#define ").append(guard(p.key)).append("\n");
    h_.append("template <> struct ").append(av.is_stream ? "stream_traits<" : "future_traits<");
    h_.append(async_args(av.payload, p.ctx)).append("> {\n");
    h_.append("  static constexpr uint32_t size = ").append(num(size)).append(";\n");
    h_.append("  static int64_t new_();\n");
    if (av.is_stream) {
      h_.append("  static uint32_t read(int32_t, uint8_t*, uint32_t);\n");
      h_.append("  static uint32_t write(int32_t, uint8_t*, uint32_t);\n");
      h_.append("  static uint32_t cancel_read(int32_t);\n  static uint32_t cancel_write(int32_t);\n");
    } else {
      h_.append("  static uint32_t read(int32_t, uint8_t*);\n  static uint32_t write(int32_t, uint8_t*);\n");
      h_.append("  static uint32_t cancel_read(int32_t);\n  static uint32_t cancel_write(int32_t);\n");
    }
    h_.append("  static void drop_readable(int32_t);\n  static void drop_writable(int32_t);\n");
    if (av.payload && av.is_stream) {
      h_.append("  static wit::vector<").append(t).append("> lift(uint8_t*, size_t);\n");
      h_.append("  static uint8_t* lower(wit::vector<").append(t).append(">&&);\n");
      h_.append("  static wit::vector<").append(t).append("> finish_write(uint8_t*, size_t, size_t);\n");
    } else if (av.payload) {
      h_.append("  static ").append(t).append(" lift(uint8_t*);\n");
      h_.append("  static uint8_t* lower(").append(t).append("&&);\n");
      h_.append("  static void written(uint8_t*);\n  static void discard(uint8_t*);\n");
    }
    h_.append("};\n#endif\n");
  }
  set_ns(h_, h_ns_, {});
}

// Defines the built-in wrappers and the element lifting/lowering of one
// payload type: `wit::stream_traits<T, K>::…` / `wit::future_traits<T, K>::…`.
void Gen::emit_async_traits_defs() {
  using V = bin::ValType;
  set_ns(cpp_, cpp_ns_, {});
  for (const auto& p : payloads_) {
    const AsyncValuePlan& av = p.value;
    std::string kind = av.is_stream ? "stream" : "future";
    std::string t = av.payload ? type(*av.payload, Flavor::Owned, p.ctx) : "void";
    std::string cls = "wit::" + kind + "_traits<" + async_args(av.payload, p.ctx) + ">";
    std::string n = num(av.index) + "]" + av.function;
    auto import = [&](const std::string& what, bool async, std::vector<V> params, std::vector<V> results) {
      std::string field = std::string(async ? "[async-lower]" : "") + "[" + kind + "-" + what + "-" + n;
      return declare_import(av.intrinsic_module, field, params, results);
    };
    cpp_.append(kWeak).append("int64_t ").append(cls).append("::new_() { return ").append(import("new", false, {}, {V::I64}));
    cpp_.append("(); }\n");
    if (av.is_stream) {
      for (const char* op : {"read", "write"}) {
        std::string sym = import(op, true, {V::I32, V::I32, V::I32}, {V::I32});
        cpp_.append(kWeak).append("uint32_t ").append(cls).append("::").append(op).append("(int32_t h, uint8_t* b, uint32_t n) {\n");
        cpp_.append("  return (uint32_t)").append(sym).append("(h, (int32_t)(uintptr_t)b, (int32_t)n);\n}\n");
      }
    } else {
      for (const char* op : {"read", "write"}) {
        std::string sym = import(op, true, {V::I32, V::I32}, {V::I32});
        cpp_.append(kWeak).append("uint32_t ").append(cls).append("::").append(op).append("(int32_t h, uint8_t* b) {\n");
        cpp_.append("  return (uint32_t)").append(sym).append("(h, (int32_t)(uintptr_t)b);\n}\n");
      }
    }
    for (const char* op : {"cancel-read", "cancel-write"}) {
      std::string sym = import(op, false, {V::I32}, {V::I32});
      std::string fn = op[7] == 'r' ? "cancel_read" : "cancel_write";
      cpp_.append(kWeak).append("uint32_t ").append(cls).append("::").append(fn).append("(int32_t h) { return (uint32_t)");
      cpp_.append(sym).append("(h); }\n");
    }
    for (const char* op : {"drop-readable", "drop-writable"}) {
      std::string sym = import(op, false, {V::I32}, {});
      std::string fn = op[5] == 'r' ? "drop_readable" : "drop_writable";
      cpp_.append(kWeak).append("void ").append(cls).append("::").append(fn).append("(int32_t h) { ").append(sym).append("(h); }\n");
    }
    if (!av.payload) continue;
    if (av.is_stream) {
      emit_stream_elements(cls, t, *av.payload, p.ctx);
    } else {
      emit_future_value(cls, t, *av.payload, p.ctx);
    }
  }
}

void Gen::emit_stream_elements(const std::string& cls, const std::string& t, const wit::Type& elem, bool ctx) {
  const TypePlan& ep = planner_.type(elem);
  std::string size = num(ep.size);
  std::string vec = "wit::vector<" + t + ">";
  // lift: the buffer becomes the values (adopted when the C++ layout is the
  // canonical one, else lifted element by element and freed).
  Body l;
  l.line("if (_n == 0) {");
  l.line("  free(_buf);");
  l.line("  return " + vec + "();");
  l.line("}");
  if (mem_compatible(elem)) {
    l.line("return " + vec + "((" + t + "*)_buf, _n);");
  } else {
    l.line("auto _vals = " + vec + "::allocate(_n);");
    l.line("for (size_t _i = 0; _i < _n; ++_i) {");
    l.indent++;
    l.line("uint8_t* _e = _buf + _i * " + size + ";");
    l.line("_vals.initialize(_i, " + t + "(" + load(l, elem, "_e", ctx) + "));");
    l.indent--;
    l.line("}");
    l.line("free(_buf);");
    l.line("return _vals;");
  }
  cpp_.append(kWeak).append(vec).append(" ").append(cls).append("::lift(uint8_t* _buf, size_t _n) {\n");
  if (l.scope) cpp_.append("  wit::detail::borrow_scope _scope;\n");
  cpp_.append(l.out).append("}\n");
  // lower: ownership of every value moves into a new canonical buffer.
  Body w;
  w.line("size_t _n = _vals.size();");
  w.line("uint8_t* _buf = (uint8_t*)malloc(_n * " + size + " + 1);");
  w.line("if (!_buf) abort();");
  w.line("for (size_t _i = 0; _i < _n; ++_i) {");
  w.indent++;
  w.line("uint8_t* _e = _buf + _i * " + size + ";");
  store(w, elem, "_vals[_i]", "_e", Mode::Transfer, ctx);
  w.indent--;
  w.line("}");
  w.line("return _buf;");
  cpp_.append(kWeak).append("uint8_t* ").append(cls).append("::lower(").append(vec).append("&& _vals) {\n");
  if (w.cleanup) cpp_.append("  wit::detail::cleanup _cleanup;\n");
  cpp_.append(w.out).append("}\n");
  // finish_write: what the reader took was copied out: free it; lift the rest back.
  Body f;
  f.line("for (size_t _i = 0; _i < _written; ++_i) {");
  f.indent++;
  f.line("uint8_t* _e = _buf + _i * " + size + ";");
  size_t before = f.out.size();
  free_stored(f, elem, "_e");
  if (f.out.size() == before) f.line("(void)_e;");
  f.indent--;
  f.line("}");
  f.line("auto _rest = " + vec + "::allocate(_n - _written);");
  f.line("for (size_t _i = _written; _i < _n; ++_i) {");
  f.indent++;
  f.line("uint8_t* _e = _buf + _i * " + size + ";");
  f.line("_rest.initialize(_i - _written, " + t + "(" + load(f, elem, "_e", ctx) + "));");
  f.indent--;
  f.line("}");
  f.line("free(_buf);");
  f.line("return _rest;");
  cpp_.append(kWeak).append(vec).append(" ").append(cls).append("::finish_write(uint8_t* _buf, size_t _written, size_t _n) {\n");
  if (f.scope) cpp_.append("  wit::detail::borrow_scope _scope;\n");
  cpp_.append(f.out).append("}\n");
}

void Gen::emit_future_value(const std::string& cls, const std::string& t, const wit::Type& value, bool ctx) {
  const TypePlan& vp = planner_.type(value);
  Body l;
  std::string v = load(l, value, "_buf", ctx);
  l.line("auto _v = " + v + ";");
  l.line("free(_buf);");
  l.line("return _v;");
  cpp_.append(kWeak).append(t).append(" ").append(cls).append("::lift(uint8_t* _buf) {\n");
  if (l.scope) cpp_.append("  wit::detail::borrow_scope _scope;\n");
  cpp_.append(l.out).append("}\n");
  Body w;
  w.line("uint8_t* _buf = (uint8_t*)malloc(" + num(vp.size) + " + 1);");
  w.line("if (!_buf) abort();");
  store(w, value, "_v", "_buf", Mode::Transfer, ctx);
  w.line("return _buf;");
  cpp_.append(kWeak).append("uint8_t* ").append(cls).append("::lower(").append(t).append("&& _v) {\n");
  if (w.cleanup) cpp_.append("  wit::detail::cleanup _cleanup;\n");
  cpp_.append(w.out).append("}\n");
  Body f;
  free_stored(f, value, "_buf");
  f.line("free(_buf);");
  cpp_.append(kWeak).append("void ").append(cls).append("::written(uint8_t* _buf) {\n").append(f.out).append("}\n");
  cpp_.append(kWeak).append("void ").append(cls).append("::discard(uint8_t* _buf) { (void)lift(_buf); }\n");
}

}  // namespace witc::bindgen::cpp
