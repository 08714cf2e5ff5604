// Component validation: canonical definitions (CanonicalABI.md "Canonical
// Definitions"): option rules, lift/lower signatures against the flattened
// core types, and the core type of every built-in.
#include "component_validator.h"

namespace witc::bin::detail {

namespace {

using abi::PtrType;

// The options of one canonical definition, after the general rules.
struct Options {
  std::optional<CanonOpt::Kind> encoding;
  std::optional<uint32_t> memory, realloc, post_return, callback;
  bool async = false;
  PtrType ptr = PtrType::I32;
};

std::string_view option_name(CanonOpt::Kind k) {
  switch (k) {
    case CanonOpt::Kind::Utf8: return "utf8";
    case CanonOpt::Kind::Utf16: return "utf16";
    case CanonOpt::Kind::Latin1Utf16: return "latin1-utf16";
    case CanonOpt::Kind::Memory: return "memory";
    case CanonOpt::Kind::Realloc: return "realloc";
    case CanonOpt::Kind::PostReturn: return "post-return";
    case CanonOpt::Kind::Async: return "async";
    case CanonOpt::Kind::Callback: return "callback";
  }
  return "option";
}

std::string types_text(const std::vector<ValType>& ts) {
  std::string s = "[";
  for (size_t i = 0; i < ts.size(); ++i) {
    std::string_view n = to_string(ts[i]);
    std::string up(n);
    for (char& c : up) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    s += (i ? ", " : "") + up;
  }
  return s + "]";
}

FuncType sig(std::vector<ValType> params, std::vector<ValType> results) { return FuncType{std::move(params), std::move(results), 0}; }

}  // namespace

// Which options a definition accepts, and what it requires.
struct CanonChecker {
  Validator& v;
  const CanonDef& d;

  Scope& sc() { return v.cur(); }
  TypeInfo& types() { return v.types(); }
  Unexpected err(std::string msg) { return Validator::err(d.offset, std::move(msg)); }

  Expected<Options> options(bool allow_lift_only, std::string_view what) {
    Options o;
    for (const auto& opt : d.opts) {
      auto dup = [&](bool present) -> Expected<void> {
        if (present) {
          return Validator::err(opt.offset, fmt::format("canonical option `{}` is specified more than once", option_name(opt.kind)));
        }
        return {};
      };
      switch (opt.kind) {
        case CanonOpt::Kind::Utf8:
        case CanonOpt::Kind::Utf16:
        case CanonOpt::Kind::Latin1Utf16:
          if (o.encoding) {
            return Validator::err(opt.offset, fmt::format("canonical encoding option `{}` conflicts with option `{}`",
                                                          option_name(*o.encoding), option_name(opt.kind)));
          }
          o.encoding = opt.kind;
          break;
        case CanonOpt::Kind::Memory: {
          WITC_TRY(dup(o.memory.has_value()));
          WITC_TRY_VAL(MemoryType m, Validator::at(sc().core_memories, opt.index, "memory", opt.offset));
          if (m.limits.is64) {
            WITC_TRY(v.require(ComponentFeature::Memory64, opt.offset, "a 64-bit memory option"));
            o.ptr = PtrType::I64;
          }
          o.memory = opt.index;
          break;
        }
        case CanonOpt::Kind::Realloc:
          WITC_TRY(dup(o.realloc.has_value()));
          WITC_TRY(discard(v.core_func_at(opt.index, opt.offset)));
          o.realloc = opt.index;
          break;
        case CanonOpt::Kind::PostReturn:
          WITC_TRY(dup(o.post_return.has_value()));
          if (!allow_lift_only) {
            return Validator::err(opt.offset, fmt::format("canonical option `post-return` cannot be specified for {}", what));
          }
          WITC_TRY(discard(v.core_func_at(opt.index, opt.offset)));
          o.post_return = opt.index;
          break;
        case CanonOpt::Kind::Callback:
          WITC_TRY(dup(o.callback.has_value()));
          if (!allow_lift_only) {
            return Validator::err(opt.offset, fmt::format("canonical option `callback` cannot be specified for {}", what));
          }
          WITC_TRY(discard(v.core_func_at(opt.index, opt.offset)));
          o.callback = opt.index;
          break;
        case CanonOpt::Kind::Async:
          WITC_TRY(dup(o.async));
          WITC_TRY(v.require(ComponentFeature::Async, opt.offset, "the `async` canonical option"));
          o.async = true;
          break;
      }
    }
    if (o.realloc) {
      if (!o.memory) return err("canonical option `realloc` requires `memory` to also be specified");
      ValType p = abi::ptr_valtype(o.ptr);
      WITC_TRY_VAL(CoreFuncTypeId f, v.core_func_at(*o.realloc, d.offset));
      if (types().core_func(f) != sig({p, p, p, p}, {p})) {
        return err("canonical option `realloc` uses a core function with an incorrect signature");
      }
    }
    if (o.callback) {
      WITC_TRY_VAL(CoreFuncTypeId f, v.core_func_at(*o.callback, d.offset));
      if (types().core_func(f) != sig({ValType::I32, ValType::I32, ValType::I32}, {ValType::I32})) {
        return err("canonical option `callback` uses a core function with an incorrect signature");
      }
    }
    return o;
  }

  // Rejects options a built-in does not take.
  Expected<void> only(const Options& o, bool memory, bool realloc, bool encoding, bool async, std::string_view what) {
    auto reject = [&](std::string_view opt) {
      return err(fmt::format("canonical option `{}` cannot be specified for `{}`", opt, what));
    };
    if (!memory && o.memory) return reject("memory");
    if (!realloc && o.realloc) return reject("realloc");
    if (!encoding && o.encoding) return reject(option_name(*o.encoding));
    if (!async && o.async) return reject("async");
    return {};
  }

  Expected<void> need_memory(const Options& o) {
    if (!o.memory) return err("canonical option `memory` is required");
    return {};
  }
  Expected<void> need_realloc(const Options& o) {
    WITC_TRY(need_memory(o));
    if (!o.realloc) return err("canonical option `realloc` is required");
    return {};
  }

  void push_core(FuncType f) { sc().core_funcs.push_back(types().intern_core_func(f)); }

  Expected<TypeId> resource(uint32_t idx) {
    WITC_TRY_VAL(TypeId t, v.type_at(idx, d.offset));
    if (types().kind(t) != TypeKind::Resource) return err(fmt::format("type index {} is not a resource type", idx));
    return t;
  }

  Expected<TypeId> async_value(uint32_t idx, ValueKind kind) {
    WITC_TRY_VAL(TypeId t, v.type_at(idx, d.offset));
    if (types().kind(t) != TypeKind::Value || types().value(t).kind != kind) {
      return err(fmt::format("type index {} is not a {} type", idx, value_kind_name(kind)));
    }
    return t;
  }

  std::vector<abi::TypeRef> refs(const ComponentFuncType& f) {
    std::vector<abi::TypeRef> out;
    for (const auto& p : f.params) out.push_back(p.second.index);
    return out;
  }

  bool any_lists(std::span<const abi::TypeRef> ts) {
    for (auto t : ts)
      if (v.abi().contains_list_or_string(t)) return true;
    return false;
  }

  Expected<void> check_core(uint32_t func, const FuncType& want) {
    WITC_TRY_VAL(CoreFuncTypeId f, v.core_func_at(func, d.offset));
    const FuncType& have = types().core_func(f);
    if (have.params != want.params) {
      return err(fmt::format("lowered parameter types `{}` do not match parameter types `{}` of core function {}",
                             types_text(want.params), types_text(have.params), func));
    }
    if (have.results != want.results) {
      return err(fmt::format("lowered result types `{}` do not match result types `{}` of core function {}",
                             types_text(want.results), types_text(have.results), func));
    }
    return {};
  }

  Expected<void> lift() {
    WITC_TRY_VAL(TypeId ft, v.func_type_at(d.type, d.offset));
    const ComponentFuncType f = types().func(ft);
    WITC_TRY_VAL(Options o, options(true, "liftings"));
    if (o.async) {
      if (!f.async) return err("the `async` canonical option requires an async function type");
      if (!o.callback) WITC_TRY(v.require(ComponentFeature::AsyncStackful, d.offset, "an async lift without `callback`"));
      if (o.post_return) return err("canonical option `post-return` cannot be used with `async`");
    } else if (o.callback) {
      return err("canonical option `callback` requires the `async` option");
    }
    auto params = refs(f);
    if (any_lists(params)) WITC_TRY(need_realloc(o));
    if (f.result && v.abi().contains_list_or_string(f.result->index)) WITC_TRY(need_memory(o));
    std::optional<abi::TypeRef> result;
    if (f.result) result = f.result->index;
    abi::CoreSignature s = v.abi().signature(params, result, {o.ptr, o.async, o.callback.has_value()}, abi::Context::Lift);
    if (s.params_indirect) WITC_TRY(need_realloc(o));
    if (s.results_indirect) WITC_TRY(need_memory(o));
    if (o.async && result) {
      std::vector<ValType> flat;
      if (!v.abi().flatten(*result, o.ptr, flat, abi::kMaxFlatParams)) WITC_TRY(need_memory(o));
    }
    WITC_TRY(check_core(d.func, s.type));
    if (o.post_return) {
      WITC_TRY_VAL(CoreFuncTypeId pr, v.core_func_at(*o.post_return, d.offset));
      if (types().core_func(pr) != sig(s.type.results, {})) {
        return err("canonical option `post-return` uses a core function with an incorrect signature");
      }
    }
    sc().funcs.push_back(ft);
    return {};
  }

  Expected<void> lower() {
    WITC_TRY_VAL(TypeId ft, Validator::at(sc().funcs, d.func, "function", d.offset));
    const ComponentFuncType f = types().func(ft);
    WITC_TRY_VAL(Options o, options(false, "lowerings"));
    if (o.async && !f.async) return err("the `async` canonical option requires an async function type");
    auto params = refs(f);
    if (any_lists(params)) WITC_TRY(need_memory(o));
    if (f.result && v.abi().contains_list_or_string(f.result->index)) WITC_TRY(need_realloc(o));
    std::optional<abi::TypeRef> result;
    if (f.result) result = f.result->index;
    abi::CoreSignature s = v.abi().signature(params, result, {o.ptr, o.async, false}, abi::Context::Lower);
    if (s.params_indirect || s.results_indirect) WITC_TRY(need_memory(o));
    push_core(s.type);
    return {};
  }

  Expected<void> task_return() {
    WITC_TRY(v.require(ComponentFeature::Async, d.offset, "`task.return`"));
    WITC_TRY_VAL(Options o, options(false, "`task.return`"));
    WITC_TRY(only(o, true, false, true, false, "task.return"));
    std::vector<abi::TypeRef> params;
    if (d.result) {
      WITC_TRY_VAL(TypeId t, v.valtype(*d.result, d.offset));
      if (types().node(t).contains_borrow) return err("function result cannot contain a `borrow` type");
      params.push_back(t.index);
      if (v.abi().contains_list_or_string(t.index)) WITC_TRY(need_memory(o));
    }
    abi::CoreSignature s = v.abi().signature(params, std::nullopt, {o.ptr, false, false}, abi::Context::Lower);
    if (s.params_indirect) WITC_TRY(need_memory(o));
    push_core(s.type);
    return {};
  }

  // stream.read/write, future.read/write.
  Expected<void> copy(ValueKind kind, bool read) {
    WITC_TRY_VAL(TypeId t, async_value(d.type, kind));
    WITC_TRY_VAL(Options o, options(false, canon_name(d.kind)));
    TypeId elem = types().value(t).types[0];
    if (elem.valid()) {
      WITC_TRY(need_memory(o));
      if (read && v.abi().contains_list_or_string(elem.index)) WITC_TRY(need_realloc(o));
    }
    ValType p = abi::ptr_valtype(o.ptr);
    if (kind == ValueKind::Stream) {
      push_core(sig({ValType::I32, p, p}, {p}));
    } else {
      push_core(sig({ValType::I32, p}, {ValType::I32}));
    }
    return {};
  }

  Expected<void> run();
};

Expected<void> CanonChecker::run() {
  using K = CanonKind;
  const ValType i32 = ValType::I32;
  auto async_feature = [&]() { return v.require(ComponentFeature::Async, d.offset, fmt::format("`{}`", canon_name(d.kind))); };
  auto thread_feature = [&]() { return v.require(ComponentFeature::Threading, d.offset, fmt::format("`{}`", canon_name(d.kind))); };
  auto builtin_flag = [&]() -> Expected<void> {
    if (d.flag) return v.require(ComponentFeature::AsyncBuiltins, d.offset, fmt::format("`async` on `{}`", canon_name(d.kind)));
    return {};
  };
  switch (d.kind) {
    case K::Lift: return lift();
    case K::Lower: return lower();
    case K::ResourceNew:
    case K::ResourceRep: {
      WITC_TRY_VAL(TypeId t, resource(d.type));
      ResourceId r = types().resource(t);
      if (!sc().local_resources.count(r.index)) return err(fmt::format("type index {} is not a local resource", d.type));
      ValType rep = types().resource_info(r).rep.value_or(i32);
      push_core(d.kind == K::ResourceNew ? sig({rep}, {i32}) : sig({i32}, {rep}));
      return {};
    }
    case K::ResourceDrop:
      WITC_TRY(discard(resource(d.type)));
      push_core(sig({i32}, {}));
      return {};
    case K::TaskReturn: return task_return();
    case K::TaskCancel:
    case K::BackpressureInc:
    case K::BackpressureDec:
      WITC_TRY(async_feature());
      push_core(sig({}, {}));
      return {};
    case K::ContextGet:
    case K::ContextSet: {
      WITC_TRY(async_feature());
      bool ok = d.core_type == i32 || (d.core_type == ValType::I64 && v.features().has(ComponentFeature::Memory64));
      if (!ok) return err(fmt::format("`{}` type must be `i32`", canon_name(d.kind)));
      if (sc().context_type && *sc().context_type != d.core_type) {
        return err("all `context.get` and `context.set` built-ins must use the same type");
      }
      sc().context_type = d.core_type;
      if (d.index >= 2) return err(fmt::format("`{}` index {} is out of bounds (must be less than 2)", canon_name(d.kind), d.index));
      push_core(d.kind == K::ContextGet ? sig({}, {d.core_type}) : sig({d.core_type}, {}));
      return {};
    }
    case K::SubtaskCancel:
      WITC_TRY(async_feature());
      WITC_TRY(builtin_flag());
      push_core(sig({i32}, {i32}));
      return {};
    case K::SubtaskDrop:
    case K::WaitableSetDrop:
      WITC_TRY(async_feature());
      push_core(sig({i32}, {}));
      return {};
    case K::StreamNew:
    case K::FutureNew:
      WITC_TRY(async_feature());
      WITC_TRY(discard(async_value(d.type, d.kind == K::StreamNew ? ValueKind::Stream : ValueKind::Future)));
      push_core(sig({}, {ValType::I64}));
      return {};
    case K::StreamRead:
    case K::StreamWrite:
      WITC_TRY(async_feature());
      return copy(ValueKind::Stream, d.kind == K::StreamRead);
    case K::FutureRead:
    case K::FutureWrite:
      WITC_TRY(async_feature());
      return copy(ValueKind::Future, d.kind == K::FutureRead);
    case K::StreamCancelRead:
    case K::StreamCancelWrite:
    case K::FutureCancelRead:
    case K::FutureCancelWrite: {
      WITC_TRY(async_feature());
      bool stream = d.kind == K::StreamCancelRead || d.kind == K::StreamCancelWrite;
      WITC_TRY(discard(async_value(d.type, stream ? ValueKind::Stream : ValueKind::Future)));
      WITC_TRY(builtin_flag());
      push_core(sig({i32}, {i32}));
      return {};
    }
    case K::StreamDropReadable:
    case K::StreamDropWritable:
    case K::FutureDropReadable:
    case K::FutureDropWritable: {
      WITC_TRY(async_feature());
      bool stream = d.kind == K::StreamDropReadable || d.kind == K::StreamDropWritable;
      WITC_TRY(discard(async_value(d.type, stream ? ValueKind::Stream : ValueKind::Future)));
      push_core(sig({i32}, {}));
      return {};
    }
    case K::ErrorContextNew:
    case K::ErrorContextDebugMessage: {
      WITC_TRY(v.require(ComponentFeature::ErrorContext, d.offset, fmt::format("`{}`", canon_name(d.kind))));
      bool is_new = d.kind == K::ErrorContextNew;
      WITC_TRY_VAL(Options o, options(false, canon_name(d.kind)));
      WITC_TRY(only(o, true, !is_new, true, false, canon_name(d.kind)));
      if (is_new) {
        WITC_TRY(need_memory(o));
      } else {
        WITC_TRY(need_realloc(o));
      }
      ValType p = abi::ptr_valtype(o.ptr);
      push_core(is_new ? sig({p, p}, {i32}) : sig({i32, p}, {}));
      return {};
    }
    case K::ErrorContextDrop:
      WITC_TRY(v.require(ComponentFeature::ErrorContext, d.offset, "`error-context.drop`"));
      push_core(sig({i32}, {}));
      return {};
    case K::WaitableSetNew:
      WITC_TRY(async_feature());
      push_core(sig({}, {i32}));
      return {};
    case K::WaitableSetWait:
    case K::WaitableSetPoll: {
      WITC_TRY(async_feature());
      WITC_TRY_VAL(MemoryType m, Validator::at(sc().core_memories, d.memory, "memory", d.offset));
      ValType p = m.limits.is64 ? ValType::I64 : i32;
      if (m.limits.is64) WITC_TRY(v.require(ComponentFeature::Memory64, d.offset, "a 64-bit memory"));
      push_core(sig({i32, p}, {i32}));
      return {};
    }
    case K::WaitableJoin:
      WITC_TRY(async_feature());
      push_core(sig({i32, i32}, {}));
      return {};
    case K::ThreadYield:
      WITC_TRY(async_feature());
      push_core(sig({}, {i32}));
      return {};
    case K::ThreadIndex:
    case K::ThreadSuspend:
      WITC_TRY(thread_feature());
      push_core(sig({}, {i32}));
      return {};
    case K::ThreadResumeLater:
      WITC_TRY(thread_feature());
      push_core(sig({i32}, {}));
      return {};
    case K::ThreadSuspendThenResume:
    case K::ThreadYieldThenResume:
    case K::ThreadSuspendThenPromote:
    case K::ThreadYieldThenPromote:
      WITC_TRY(thread_feature());
      push_core(sig({i32}, {i32}));
      return {};
    case K::ThreadNewIndirect:
    case K::ThreadSpawnRef:
    case K::ThreadSpawnIndirect: {
      if (d.kind == K::ThreadNewIndirect) {
        WITC_TRY(thread_feature());
      } else {
        WITC_TRY(v.require(ComponentFeature::SharedThreads, d.offset, fmt::format("`{}`", canon_name(d.kind))));
      }
      WITC_TRY_VAL(CoreTypeEntry te, Validator::at(sc().core_types, d.type, "core type", d.offset));
      if (te.is_module) return err(fmt::format("core type index {} is not a function type", d.type));
      const FuncType& ft = types().core_func(te.func);
      bool ok = ft.results.empty() && ft.params.size() == 1 &&
                (ft.params[0] == i32 || (ft.params[0] == ValType::I64 && v.features().has(ComponentFeature::Memory64)));
      if (!ok) return err(fmt::format("`{}` requires a function type of the form (func (param i32))", canon_name(d.kind)));
      if (d.kind == K::ThreadSpawnRef) {
        push_core(sig({ValType::FuncRef, ft.params[0]}, {i32}));
        return {};
      }
      WITC_TRY_VAL(TableType tt, Validator::at(sc().core_tables, d.table, "table", d.offset));
      if (tt.elem != ValType::FuncRef) return err(fmt::format("table {} is not a table of `funcref`", d.table));
      push_core(sig({tt.limits.is64 ? ValType::I64 : i32, ft.params[0]}, {i32}));
      return {};
    }
    case K::ThreadAvailableParallelism:
      WITC_TRY(v.require(ComponentFeature::SharedThreads, d.offset, "`thread.available-parallelism`"));
      push_core(sig({}, {i32}));
      return {};
  }
  return err("unknown canonical function");
}

Expected<void> Validator::canon(const CanonDef& d) { return CanonChecker{*this, d}.run(); }

}  // namespace witc::bin::detail
