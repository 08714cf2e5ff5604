// Which world item each core import and export stands for (new_internal.h).
//
// Two spellings are understood, item by item:
//  - wit-component's historical names (what wit-bindgen and witc's bindgen
//    write): imports from module "ns:pkg/iface@1.2.3" (or the plain name of
//    an inline interface, or "$root" for world functions) named after the
//    function ("[method]r.f") or "[resource-drop]r"; exported resources'
//    intrinsics from "[export]ns:pkg/iface@1.2.3"; exports "ns:pkg/iface#f",
//    "f", "cabi_post_<export>", "ns:pkg/iface#[dtor]r", "memory",
//    "cabi_realloc", "_initialize";
//  - the standard `wasm32` build target names (BuildTargets.md):
//    "cm32p2|ns:pkg/iface@1.2" / "cm32p2" and "r_drop", "cm32p2|_ex_..."
//    with "r_new", "r_rep", "r_drop"; exports "cm32p2|ns:pkg/iface@1.2|f",
//    "cm32p2||f", "<export>_post", "cm32p2|...|r_dtor", "cm32p2_memory",
//    "cm32p2_realloc", "cm32p2_initialize".
// Every import must mean something and have exactly the lowered signature;
// every function the world exports must be exported with the lifted one.
#include <fmt/format.h>

#include <functional>

#include "new_internal.h"
#include "witc/base/semver.h"
#include "witc/base/try.h"

namespace witc::compose::detail {

namespace {

std::string type_text(const bin::FuncType& t) {
  auto list = [](const std::vector<bin::ValType>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) s += " ";
      s += bin::to_string(v[i]);
    }
    return s + "]";
  };
  return list(t.params) + " -> " + list(t.results);
}

bin::FuncType func_type(std::vector<bin::ValType> params, std::vector<bin::ValType> results) {
  bin::FuncType t;
  t.params = std::move(params);
  t.results = std::move(results);
  return t;
}

// Whether a type holds lists or strings (wit-component TypeContents: not
// through handles, futures or streams, whose values stay elsewhere).
struct TypeContents {
  bool list = false, string = false;
  TypeContents operator|(TypeContents o) const { return {list || o.list, string || o.string}; }
};

TypeContents type_contents(const wit::Resolve& r, const wit::Type& t) {
  if (t.kind == wit::Type::Kind::String) return {false, true};
  if (!t.is_id()) return {};
  auto opt = [&](const std::optional<wit::Type>& o) { return o ? type_contents(r, *o) : TypeContents{}; };
  return std::visit(
      [&](const auto& k) -> TypeContents {
        using T = std::decay_t<decltype(k)>;
        TypeContents c;
        if constexpr (std::is_same_v<T, wit::Record>) {
          for (const auto& f : k.fields) c = c | type_contents(r, f.type);
        } else if constexpr (std::is_same_v<T, wit::Tuple>) {
          for (const auto& e : k.types) c = c | type_contents(r, e);
        } else if constexpr (std::is_same_v<T, wit::Variant>) {
          for (const auto& cs : k.cases) c = c | opt(cs.type);
        } else if constexpr (std::is_same_v<T, wit::Option>) {
          c = type_contents(r, k.type);
        } else if constexpr (std::is_same_v<T, wit::Result>) {
          c = opt(k.ok) | opt(k.err);
        } else if constexpr (std::is_same_v<T, wit::List>) {
          c = type_contents(r, k.element);
          c.list = true;
        } else if constexpr (std::is_same_v<T, wit::Map>) {
          c = type_contents(r, k.key) | type_contents(r, k.value);
          c.list = true;
        } else if constexpr (std::is_same_v<T, wit::FixedSizeList>) {
          c = type_contents(r, k.element);
        } else if constexpr (std::is_same_v<T, wit::Alias>) {
          c = type_contents(r, k.target);
        }
        return c;
      },
      r.types[t.id].kind);
}

bool is_resource(const wit::Resolve& r, wit::TypeId id) {
  return std::holds_alternative<wit::Resource>(r.types[id].kind);
}

// A resource an interface (or the world) names `name`, through `use` too.
std::optional<wit::TypeId> resource_named(const wit::Resolve& r, const OrderedMap<std::string, wit::TypeId>& types,
                                          const std::string& name) {
  const wit::TypeId* id = types.find(name);
  if (!id) return std::nullopt;
  wit::TypeId target = r.unalias(*id);
  if (!is_resource(r, target)) return std::nullopt;
  return target;
}

// Splits "[resource-drop]r" / "r_drop" into the resource name; nullopt when
// `name` is not that intrinsic.
std::optional<std::string> intrinsic(const std::string& name, std::string_view legacy, std::string_view standard) {
  if (name.starts_with(legacy)) return name.substr(legacy.size());
  if (name.size() > standard.size() && name.ends_with(standard)) return name.substr(0, name.size() - standard.size());
  return std::nullopt;
}

// "ns:pkg/iface@1.2" for "ns:pkg/iface@1.2.3"; nullopt without a version.
std::optional<std::string> version_track_of(std::string_view name) {
  size_t at = name.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  auto v = Version::parse(name.substr(at + 1));
  if (!v) return std::nullopt;
  return std::string(name.substr(0, at)) + "@" + version_track(*v);
}

// "[stream-new-3]f" with prefix "[stream-new-": 3 and "f".
std::optional<std::pair<size_t, std::string>> prefixed_index(const std::string& name, std::string_view prefix) {
  if (!name.starts_with(prefix)) return std::nullopt;
  size_t pos = prefix.size(), end = pos;
  while (end < name.size() && name[end] >= '0' && name[end] <= '9') ++end;
  if (end == pos || end - pos > 9 || end >= name.size() || name[end] != ']') return std::nullopt;
  return std::make_pair(static_cast<size_t>(std::stoul(name.substr(pos, end - pos))), name.substr(end + 1));
}

// The stream and future built-ins (`[stream-read-N]f`, ...): the canonical
// built-in, whether it is about a stream, and its core signature.
struct PayloadForm {
  std::string_view prefix;
  bin::CanonKind canon;
  bool stream;
};
constexpr PayloadForm kPayloadForms[] = {
    {"[future-new-", bin::CanonKind::FutureNew, false},
    {"[future-read-", bin::CanonKind::FutureRead, false},
    {"[future-write-", bin::CanonKind::FutureWrite, false},
    {"[future-cancel-read-", bin::CanonKind::FutureCancelRead, false},
    {"[future-cancel-write-", bin::CanonKind::FutureCancelWrite, false},
    {"[future-drop-readable-", bin::CanonKind::FutureDropReadable, false},
    {"[future-drop-writable-", bin::CanonKind::FutureDropWritable, false},
    {"[stream-new-", bin::CanonKind::StreamNew, true},
    {"[stream-read-", bin::CanonKind::StreamRead, true},
    {"[stream-write-", bin::CanonKind::StreamWrite, true},
    {"[stream-cancel-read-", bin::CanonKind::StreamCancelRead, true},
    {"[stream-cancel-write-", bin::CanonKind::StreamCancelWrite, true},
    {"[stream-drop-readable-", bin::CanonKind::StreamDropReadable, true},
    {"[stream-drop-writable-", bin::CanonKind::StreamDropWritable, true},
};

bin::FuncType payload_signature(bin::CanonKind k) {
  using K = bin::CanonKind;
  using V = bin::ValType;
  switch (k) {
    case K::FutureNew:
    case K::StreamNew: return func_type({}, {V::I64});
    case K::FutureRead:
    case K::FutureWrite: return func_type({V::I32, V::I32}, {V::I32});
    case K::StreamRead:
    case K::StreamWrite: return func_type({V::I32, V::I32, V::I32}, {V::I32});
    case K::FutureCancelRead:
    case K::FutureCancelWrite:
    case K::StreamCancelRead:
    case K::StreamCancelWrite: return func_type({V::I32}, {V::I32});
    default: return func_type({V::I32}, {});
  }
}

// The built-ins of Concurrency.md that name no type, imported from `$root`
// under wit-component's names (error-context and context.get/set below).
struct BuiltinForm {
  std::string_view name;
  bin::CanonKind canon;
  uint8_t params, results;  // how many i32s
  bool memory;              // needs the module's memory
  bool async_ok;            // may be `[async-lower]` (the `async` flag)
};
constexpr BuiltinForm kBuiltins[] = {
    {"[waitable-set-new]", bin::CanonKind::WaitableSetNew, 0, 1, false, false},
    {"[waitable-set-wait]", bin::CanonKind::WaitableSetWait, 2, 1, true, false},
    {"[waitable-set-poll]", bin::CanonKind::WaitableSetPoll, 2, 1, true, false},
    {"[waitable-set-drop]", bin::CanonKind::WaitableSetDrop, 1, 0, false, false},
    {"[waitable-join]", bin::CanonKind::WaitableJoin, 2, 0, false, false},
    {"[thread-yield]", bin::CanonKind::ThreadYield, 0, 1, false, false},
    {"[subtask-drop]", bin::CanonKind::SubtaskDrop, 1, 0, false, false},
    {"[subtask-cancel]", bin::CanonKind::SubtaskCancel, 1, 1, false, true},
    {"[backpressure-inc]", bin::CanonKind::BackpressureInc, 0, 0, false, false},
    {"[backpressure-dec]", bin::CanonKind::BackpressureDec, 0, 0, false, false},
    {"[error-context-drop]", bin::CanonKind::ErrorContextDrop, 1, 0, false, false},
    {"[thread-index]", bin::CanonKind::ThreadIndex, 0, 1, false, false},
    {"[thread-suspend]", bin::CanonKind::ThreadSuspend, 0, 1, false, false},
    {"[thread-resume-later]", bin::CanonKind::ThreadResumeLater, 1, 0, false, false},
    {"[thread-suspend-then-resume]", bin::CanonKind::ThreadSuspendThenResume, 1, 1, false, false},
    {"[thread-yield-then-resume]", bin::CanonKind::ThreadYieldThenResume, 1, 1, false, false},
    {"[thread-suspend-then-promote]", bin::CanonKind::ThreadSuspendThenPromote, 1, 1, false, false},
    {"[thread-yield-then-promote]", bin::CanonKind::ThreadYieldThenPromote, 1, 1, false, false},
};

constexpr std::pair<std::string_view, StringEncoding> kEncodings[] = {
    {"utf8", StringEncoding::Utf8}, {"utf16", StringEncoding::Utf16}, {"latin1+utf16", StringEncoding::CompactUtf16}};

std::vector<bin::ValType> i32s(size_t n) { return std::vector<bin::ValType>(n, bin::ValType::I32); }

// True for the names of the async ABI (wit-component's legacy mangling).
bool is_async_name(std::string_view name) {
  static constexpr std::string_view kPrefixes[] = {"[task-",     "[waitable",      "[stream-",     "[future-",
                                                   "[subtask-",  "[context-",      "[backpressure", "[error-context-",
                                                   "[thread-",   "[async-lower]",  "[async-lift",  "[callback]"};
  for (std::string_view p : kPrefixes) {
    if (name.starts_with(p)) return true;
  }
  return false;
}

class Matcher {
 public:
  Matcher(NewPlan& plan) : r_(plan.resolve), w_(plan.resolve.worlds[plan.world]) {
    for (size_t i = 0; i < w_.imports.size(); ++i) {
      const auto& [key, item] = w_.imports.at_index(i);
      if (item.kind == wit::WorldItem::Kind::Interface) {
        modules_[world_key_name(r_, key)] = i;
        modules_["cm32p2|" + standard_key_name(r_, key)] = i;
      } else if (item.kind == wit::WorldItem::Kind::Function) {
        root_funcs_[key.name] = i;
      } else {
        root_types_[key.name] = i;
      }
    }
    for (size_t i = 0; i < w_.exports.size(); ++i) {
      const auto& [key, item] = w_.exports.at_index(i);
      if (item.kind == wit::WorldItem::Kind::Function) {
        export_funcs_[key.name] = i;
        continue;
      }
      if (item.kind != wit::WorldItem::Kind::Interface) continue;
      export_modules_["[export]" + world_key_name(r_, key)] = i;
      export_modules_["cm32p2|_ex_" + standard_key_name(r_, key)] = i;
    }
  }

  // Classifies a function import; adapters are the adapter names the main
  // module may import from (empty for an adapter itself).
  Expected<CoreImport> import(const bin::Import& im, const bin::FuncType& type, const std::set<std::string>& adapters,
                              bool from_adapter);
  Expected<void> exports(ModuleUse& use, const std::vector<size_t>& items);

 private:
  Expected<CoreImport> world_import(CoreImport ci, size_t index, bool async);
  Expected<CoreImport> root_import(CoreImport ci, bool async, bool legacy);
  Expected<CoreImport> export_intrinsic(CoreImport ci, size_t index, bool async);
  Expected<CoreImport> export_root(CoreImport ci, bool async);
  // The built-ins of an exported function: `[task-return]f`, `[task-cancel]`.
  Expected<std::optional<CoreImport>> export_builtin(CoreImport& ci, bool async, size_t item,
                                                     const wit::Interface* iface);
  // `[stream-read-N]f` and the like of function `f` of world item `item`
  // (an import or an export); nullopt when the name is not of that form.
  Expected<std::optional<CoreImport>> payload(CoreImport& ci, bool async, size_t item, const wit::Interface* iface,
                                              bool exported);
  Expected<std::optional<CoreImport>> builtin(CoreImport& ci, bool async);
  Expected<CoreImport> func(CoreImport ci, size_t item, const wit::Function& f, bool async);
  Expected<void> check(const CoreImport& ci, const bin::FuncType& expected) const;
  Unexpected not_async(const CoreImport& ci, std::string_view what) const {
    return fail(Diagnostic::plain(
        fmt::format("module imports `{}` from `{}`: {} cannot be `[async-lower]`", shown_, ci.module, what)));
  }

  const wit::Resolve& r_;
  const wit::World& w_;
  std::unordered_map<std::string, size_t> modules_, export_modules_, root_funcs_, root_types_, export_funcs_;
  std::string shown_;  // the import's name as the module spells it (for messages)
};

Expected<void> Matcher::check(const CoreImport& ci, const bin::FuncType& expected) const {
  if (ci.type == expected) return {};
  return fail(
      Diagnostic::plain(fmt::format("type mismatch for function `{}` imported from `{}`: expected {} but found {}",
                                    shown_, ci.module, type_text(expected), type_text(ci.type))));
}

// A function of a world import, lowered synchronously or (`[async-lower]`)
// asynchronously.
Expected<CoreImport> Matcher::func(CoreImport ci, size_t item, const wit::Function& f, bool async) {
  if (async && !f.is_async()) {
    return fail(Diagnostic::plain(fmt::format("module imports `{}` from `{}`, but `{}` is not an async function, so it "
                                              "cannot be lowered with `async`",
                                              shown_, ci.module, f.name)));
  }
  ci.kind = CoreImport::Kind::Func;
  ci.item = item;
  ci.func = &f;
  ci.needs = needs_of(r_, f, abi::Context::Lower, async);
  abi::SignatureOptions opts;
  opts.async = async;
  WITC_TRY(check(ci, core_signature(r_, f, abi::Context::Lower, opts)));
  return ci;
}

Expected<std::optional<CoreImport>> Matcher::payload(CoreImport& ci, bool async, size_t item,
                                                     const wit::Interface* iface, bool exported) {
  using K = bin::CanonKind;
  for (const PayloadForm& form : kPayloadForms) {
    auto parsed = prefixed_index(ci.name, form.prefix);
    if (!parsed) continue;
    const auto& [n, fname] = *parsed;
    const wit::Function* f = nullptr;
    if (iface) {
      f = iface->functions.find(fname);
    } else {
      const auto& items = exported ? export_funcs_ : root_funcs_;
      if (auto it = items.find(fname); it != items.end()) {
        item = it->second;
        f = &(exported ? w_.exports : w_.imports).at_index(item).second.function;
      }
    }
    if (!f) {
      return fail(Diagnostic::plain(
          fmt::format("module imports `{}` from `{}`, but there is no {} function `{}` for it to refer to", shown_,
                      ci.module, exported ? "exported" : "imported", fname)));
    }
    std::vector<wit::TypeId> found = futures_and_streams(r_, *f);
    std::string_view want = form.stream ? "stream" : "future";
    if (n >= found.size() || std::holds_alternative<wit::Stream>(r_.types[found[n]].kind) != form.stream) {
      return fail(Diagnostic::plain(fmt::format(
          "module imports `{}` from `{}`, but function `{}` has no {} at index {} (it has {} futures and streams)",
          shown_, ci.module, f->name, want, n, found.size())));
    }
    bool may_be_async = form.canon == K::StreamRead || form.canon == K::StreamWrite || form.canon == K::FutureRead ||
                        form.canon == K::FutureWrite || form.canon == K::StreamCancelRead ||
                        form.canon == K::StreamCancelWrite || form.canon == K::FutureCancelRead ||
                        form.canon == K::FutureCancelWrite;
    if (async && !may_be_async) return not_async(ci, fmt::format("`{}.{}`", want, bin::canon_name(form.canon).substr(want.size() + 1)));
    ci.kind = CoreImport::Kind::Payload;
    ci.canon = form.canon;
    ci.item = item;
    ci.func = f;
    ci.payload = found[n];
    ci.exported = exported;
    ci.flag = async;
    WITC_TRY(check(ci, payload_signature(form.canon)));
    // read and write move values through memory: as lowering `func() -> T`
    // (read) or `func(a: T)` (write) would (wit-component).
    bool read = form.canon == K::StreamRead || form.canon == K::FutureRead;
    bool write = form.canon == K::StreamWrite || form.canon == K::FutureWrite;
    if (read || write) {
      ci.needs.memory = true;
      ci.needs.async = async;
      const wit::TypeDef& td = r_.types[found[n]];
      const std::optional<wit::Type>& t =
          form.stream ? std::get<wit::Stream>(td.kind).type : std::get<wit::Future>(td.kind).type;
      if (t) {
        TypeContents c = type_contents(r_, *t);
        if (read && (c.list || c.string)) ci.needs.realloc = true;
        if (c.string) ci.needs.encoding = true;
      }
    }
    return std::optional<CoreImport>(ci);
  }
  return std::optional<CoreImport>{};
}

Expected<std::optional<CoreImport>> Matcher::builtin(CoreImport& ci, bool async) {
  using V = bin::ValType;
  for (const BuiltinForm& form : kBuiltins) {
    if (ci.name != form.name) continue;
    if (async && !form.async_ok) return not_async(ci, fmt::format("`{}`", bin::canon_name(form.canon)));
    ci.kind = CoreImport::Kind::Builtin;
    ci.canon = form.canon;
    ci.flag = async;
    ci.needs.memory = form.memory;
    WITC_TRY(check(ci, func_type(i32s(form.params), i32s(form.results))));
    return std::optional<CoreImport>(ci);
  }
  for (const auto& [suffix, encoding] : kEncodings) {
    bool is_new = ci.name == fmt::format("[error-context-new-{}]", suffix);
    bool is_debug = ci.name == fmt::format("[error-context-debug-message-{}]", suffix);
    if (!is_new && !is_debug) continue;
    if (async) return not_async(ci, "an error-context built-in");
    ci.kind = CoreImport::Kind::Builtin;
    ci.canon = is_new ? bin::CanonKind::ErrorContextNew : bin::CanonKind::ErrorContextDebugMessage;
    ci.encoding = encoding;
    ci.needs.memory = true;
    ci.needs.encoding = true;
    ci.needs.realloc = is_debug;
    WITC_TRY(check(ci, is_new ? func_type({V::I32, V::I32}, {V::I32}) : func_type({V::I32, V::I32}, {})));
    return std::optional<CoreImport>(ci);
  }
  for (auto [prefix, canon] : {std::pair{std::string_view("[context-get-"), bin::CanonKind::ContextGet},
                               std::pair{std::string_view("[context-set-"), bin::CanonKind::ContextSet}}) {
    auto parsed = prefixed_index(ci.name, prefix);
    if (!parsed || !parsed->second.empty()) continue;
    if (async) return not_async(ci, fmt::format("`{}`", bin::canon_name(canon)));
    if (parsed->first >= 2) {
      return fail(Diagnostic::plain(fmt::format(
          "module imports `{}` from `{}`, but a task has context slots 0 and 1 only", shown_, ci.module)));
    }
    ci.kind = CoreImport::Kind::Builtin;
    ci.canon = canon;
    ci.slot = static_cast<uint32_t>(parsed->first);
    WITC_TRY(check(ci, canon == bin::CanonKind::ContextGet ? func_type({}, {V::I32}) : func_type({V::I32}, {})));
    return std::optional<CoreImport>(ci);
  }
  if (ci.name == "[thread-new-indirect-v0]") {
    return fail(Diagnostic::plain(fmt::format(
        "module imports `{}` from `{}`: `thread.new-indirect` is not supported by `component new`", ci.name,
        ci.module)));
  }
  return std::optional<CoreImport>{};
}

Expected<std::optional<CoreImport>> Matcher::export_builtin(CoreImport& ci, bool async, size_t item,
                                                            const wit::Interface* iface) {
  if (ci.name == "[task-cancel]") {
    if (async) return not_async(ci, "`task.cancel`");
    ci.kind = CoreImport::Kind::Builtin;
    ci.canon = bin::CanonKind::TaskCancel;
    WITC_TRY(check(ci, func_type({}, {})));
    return std::optional<CoreImport>(ci);
  }
  if (!ci.name.starts_with("[task-return]")) return std::optional<CoreImport>{};
  if (async) return not_async(ci, "`task.return`");
  std::string fname = ci.name.substr(std::string_view("[task-return]").size());
  const wit::Function* f = nullptr;
  if (iface) {
    f = iface->functions.find(fname);
  } else if (auto it = export_funcs_.find(fname); it != export_funcs_.end()) {
    item = it->second;
    f = &w_.exports.at_index(item).second.function;
  }
  if (!f) {
    return fail(Diagnostic::plain(fmt::format(
        "module imports `{}` from `{}`, but there is no exported function `{}` to return from", shown_, ci.module,
        fname)));
  }
  ci.kind = CoreImport::Kind::TaskReturn;
  ci.item = item;
  ci.func = f;
  // task.return lifts the result with the options of the async lift
  // (memory and string encoding; CanonicalABI.md `canon task.return`).
  Needs lift = needs_of(r_, *f, abi::Context::Lift, true);
  ci.needs.memory = lift.memory;
  ci.needs.encoding = lift.encoding;
  std::vector<abi::TypeRef> params;
  WitTypeSource src(r_);
  abi::Engine engine(src);
  if (f->result) params.push_back(src.ref(*f->result));
  bin::FuncType expected = engine.signature(params, std::nullopt, abi::SignatureOptions{}, abi::Context::Lower).type;
  WITC_TRY(check(ci, expected));
  return std::optional<CoreImport>(ci);
}

Expected<CoreImport> Matcher::world_import(CoreImport ci, size_t index, bool async) {
  const auto& [key, item] = w_.imports.at_index(index);
  const wit::Interface& iface = r_.interfaces[item.interface];
  ci.item = index;
  if (const wit::Function* f = iface.functions.find(ci.name)) return func(std::move(ci), index, *f, async);
  if (auto res = intrinsic(ci.name, "[resource-drop]", "_drop")) {
    if (auto id = resource_named(r_, iface.types, *res)) {
      if (async) return not_async(ci, "`resource.drop`");
      ci.kind = CoreImport::Kind::ResourceDrop;
      ci.resource = *id;
      WITC_TRY(check(ci, func_type({bin::ValType::I32}, {})));
      return ci;
    }
  }
  if (!ci.module.starts_with("cm32p2")) {
    WITC_TRY_VAL(std::optional<CoreImport> p, payload(ci, async, index, &iface, false));
    if (p) return std::move(*p);
  }
  // `[waitable-set-new]` and the like belong to `$root`.
  std::string hint = is_async_name(ci.name) && !ci.name.starts_with("[stream-") && !ci.name.starts_with("[future-")
                         ? " (the canonical built-ins are imported from `$root`)"
                         : "";
  return fail(Diagnostic::plain(fmt::format("module imports `{}` from `{}`, which interface `{}` does not define{}",
                                            shown_, ci.module, world_key_name(r_, key), hint)));
}

Expected<CoreImport> Matcher::root_import(CoreImport ci, bool async, bool legacy) {
  if (legacy) {
    WITC_TRY_VAL(std::optional<CoreImport> b, builtin(ci, async));
    if (b) return std::move(*b);
  }
  if (auto it = root_funcs_.find(ci.name); it != root_funcs_.end()) {
    return func(std::move(ci), it->second, w_.imports.at_index(it->second).second.function, async);
  }
  if (auto res = intrinsic(ci.name, "[resource-drop]", "_drop")) {
    if (auto it = root_types_.find(*res); it != root_types_.end()) {
      wit::TypeId id = r_.unalias(w_.imports.at_index(it->second).second.type);
      if (is_resource(r_, id)) {
        if (async) return not_async(ci, "`resource.drop`");
        ci.kind = CoreImport::Kind::ResourceDrop;
        ci.item = it->second;
        ci.resource = id;
        WITC_TRY(check(ci, func_type({bin::ValType::I32}, {})));
        return ci;
      }
    }
  }
  if (legacy) {
    WITC_TRY_VAL(std::optional<CoreImport> p, payload(ci, async, 0, nullptr, false));
    if (p) return std::move(*p);
  }
  if (legacy) {
    // Older wit-component names of built-ins the component model replaced.
    static constexpr std::pair<std::string_view, std::string_view> kReplaced[] = {
        {"[backpressure-set]", "`backpressure.set` is no longer part of the component model (Binary.md); import "
                               "`[backpressure-inc]` and `[backpressure-dec]` instead"},
        {"[yield]", "`yield` is now `thread.yield`, imported as `[thread-yield]` (it returns whether the task was "
                    "cancelled: [] -> [i32])"},
    };
    for (const auto& [old_name, why] : kReplaced) {
      if (ci.name == old_name) {
        return fail(Diagnostic::plain(fmt::format("module imports `{}` from `{}`: {}", shown_, ci.module, why)));
      }
    }
    if (is_async_name(ci.name)) {
      return fail(Diagnostic::plain(fmt::format(
          "module imports `{}` from `{}`, which is neither a canonical built-in nor a function world `{}` imports",
          shown_, ci.module, w_.name)));
    }
  }
  return fail(Diagnostic::plain(
      fmt::format("module imports function `{}` from the world, which world `{}` does not import", ci.name, w_.name)));
}

Expected<CoreImport> Matcher::export_intrinsic(CoreImport ci, size_t index, bool async) {
  const auto& [key, item] = w_.exports.at_index(index);
  const wit::Interface& iface = r_.interfaces[item.interface];
  using K = CoreImport::Kind;
  struct Form {
    std::string_view legacy, standard;
    K kind;
    bool result;
  };
  static constexpr Form kForms[] = {{"[resource-drop]", "_drop", K::ExportResourceDrop, false},
                                    {"[resource-new]", "_new", K::ExportResourceNew, true},
                                    {"[resource-rep]", "_rep", K::ExportResourceRep, true}};
  for (const Form& form : kForms) {
    auto res = intrinsic(ci.name, form.legacy, form.standard);
    if (!res) continue;
    const wit::TypeId* id = iface.types.find(*res);
    if (!id || !is_resource(r_, *id)) continue;
    if (async) return not_async(ci, "a resource intrinsic");
    ci.kind = form.kind;
    ci.item = index;
    ci.resource = *id;
    std::vector<bin::ValType> results;
    if (form.result) results.push_back(bin::ValType::I32);
    WITC_TRY(check(ci, func_type({bin::ValType::I32}, std::move(results))));
    return ci;
  }
  if (!ci.module.starts_with("cm32p2")) {
    ci.owner = item.interface;
    WITC_TRY_VAL(std::optional<CoreImport> b, export_builtin(ci, async, index, &iface));
    if (b) return std::move(*b);
    WITC_TRY_VAL(std::optional<CoreImport> p, payload(ci, async, index, &iface, true));
    if (p) return std::move(*p);
  }
  return fail(
      Diagnostic::plain(fmt::format("module imports `{}` from `{}`, which is not a resource intrinsic or built-in "
                                    "of the exported interface `{}`",
                                    shown_, ci.module, world_key_name(r_, key))));
}

// `[export]$root`: the built-ins of the world's exported functions.
Expected<CoreImport> Matcher::export_root(CoreImport ci, bool async) {
  WITC_TRY_VAL(std::optional<CoreImport> b, export_builtin(ci, async, 0, nullptr));
  if (b) return std::move(*b);
  WITC_TRY_VAL(std::optional<CoreImport> p, payload(ci, async, 0, nullptr, true));
  if (p) return std::move(*p);
  return fail(Diagnostic::plain(fmt::format(
      "module imports `{}` from `{}`, which is not a built-in of a function world `{}` exports", shown_, ci.module,
      w_.name)));
}

Expected<CoreImport> Matcher::import(const bin::Import& im, const bin::FuncType& type,
                                     const std::set<std::string>& adapters, bool from_adapter) {
  CoreImport ci;
  ci.module = im.module;
  ci.name = im.name;
  ci.type = type;
  shown_ = im.name;
  if (adapters.count(im.module)) {
    ci.kind = CoreImport::Kind::AdapterFunc;
    ci.adapter = im.module;
    return ci;
  }
  if (from_adapter && im.module == "__main_module__") {
    ci.kind = CoreImport::Kind::MainFunc;
    return ci;
  }
  bool standard = im.module == "cm32p2" || im.module.starts_with("cm32p2|");
  if (standard && is_async_name(im.name)) {
    return fail(Diagnostic::plain(fmt::format(
        "module imports `{}` from `{}`: the standard `cm32p2` names have no async forms (BuildTargets.md leaves "
        "the async ABI out); the async ABI uses wit-component's names (`$root`, `[export]ns:pkg/iface`, ...)",
        im.name, im.module)));
  }
  // `[async-lower]` marks the async ABI: of a function, or the `async`
  // flag of a built-in.
  bool async = false;
  if (!standard && ci.name.starts_with("[async-lower]")) {
    async = true;
    ci.name = ci.name.substr(std::string_view("[async-lower]").size());
  }
  // `[cancellable]` marks the `cancellable` immediate of waitable-set.wait,
  // waitable-set.poll and the thread built-ins that suspend (Binary.md
  // `cancel?`).
  bool cancellable = false;
  if (!standard && ci.name.starts_with("[cancellable]")) {
    cancellable = true;
    ci.name = ci.name.substr(std::string_view("[cancellable]").size());
  }
  CoreImport result;
  auto classified = [&]() -> Expected<CoreImport> {
    if (im.module == "$root" || im.module == "cm32p2") return root_import(ci, async, !standard);
    if (im.module == "[export]$root") return export_root(ci, async);
    if (auto it = modules_.find(im.module); it != modules_.end()) return world_import(ci, it->second, async);
    if (auto it = export_modules_.find(im.module); it != export_modules_.end()) {
      return export_intrinsic(ci, it->second, async);
    }
    // "ns:pkg/iface@0.2.6" for a world that has "ns:pkg/iface@0.2.12": the
    // same interface in a semver-compatible version.
    bool is_export = im.module.starts_with("[export]");
    if (auto track = version_track_of(is_export ? im.module.substr(8) : im.module)) {
      if (is_export) {
        if (auto it = export_modules_.find("cm32p2|_ex_" + *track); it != export_modules_.end()) {
          return export_intrinsic(ci, it->second, async);
        }
      } else if (auto it = modules_.find("cm32p2|" + *track); it != modules_.end()) {
        return world_import(ci, it->second, async);
      }
    }
    return fail(
        Diagnostic::plain(fmt::format("module imports function `{}` from `{}`, which is neither an import of "
                                      "world `{}` nor an adapter",
                                      im.name, im.module, w_.name)));
  };
  WITC_TRY_VAL(result, classified());
  if (cancellable) {
    using K = bin::CanonKind;
    bool may = result.kind == CoreImport::Kind::Builtin &&
               (result.canon == K::WaitableSetWait || result.canon == K::WaitableSetPoll ||
                result.canon == K::ThreadYield || result.canon == K::ThreadSuspend ||
                result.canon == K::ThreadSuspendThenResume || result.canon == K::ThreadYieldThenResume ||
                result.canon == K::ThreadSuspendThenPromote || result.canon == K::ThreadYieldThenPromote);
    if (!may) {
      return fail(Diagnostic::plain(fmt::format(
          "module imports `{}` from `{}`: only waitable-set.wait, waitable-set.poll and the thread built-ins that "
          "suspend can be `[cancellable]`",
          im.name, im.module)));
    }
    result.flag = true;
  }
  // Errors and the lowering name the import as the module spells it.
  result.name = im.name;
  return result;
}

// The export of `m` named by one of `names`, of kind `kind`.
std::optional<std::string> find_export(const bin::Module& m, std::initializer_list<std::string> names,
                                       bin::ExternKind kind) {
  for (const auto& name : names) {
    for (const auto& e : m.exports) {
      if (e.name == name && e.kind == kind) return name;
    }
  }
  return std::nullopt;
}

const bin::FuncType* export_type(const bin::Module& m, const std::string& name) {
  uint32_t imported = m.num_imports(bin::ExternKind::Func);
  for (const auto& e : m.exports) {
    if (e.name != name || e.kind != bin::ExternKind::Func) continue;
    if (e.index < imported) {
      uint32_t n = 0;
      for (const auto& im : m.imports) {
        if (im.kind != bin::ExternKind::Func) continue;
        if (n++ == e.index) return &m.types[im.func.index];
      }
      return nullptr;
    }
    uint32_t local = e.index - imported;
    if (local >= m.functions.size()) return nullptr;
    return &m.types[m.functions[local].type.index];
  }
  return nullptr;
}

Expected<void> Matcher::exports(ModuleUse& use, const std::vector<size_t>& items) {
  const bin::Module& m = use.module;
  use.memory = find_export(m, {"memory", "cm32p2_memory"}, bin::ExternKind::Memory);
  use.realloc = find_export(m, {"cabi_realloc", "cm32p2_realloc", "canonical_abi_realloc"}, bin::ExternKind::Func);
  use.import_realloc = find_export(m, {"cabi_import_realloc"}, bin::ExternKind::Func);
  use.export_realloc = find_export(m, {"cabi_export_realloc"}, bin::ExternKind::Func);
  use.initialize = find_export(m, {"_initialize", "cm32p2_initialize"}, bin::ExternKind::Func);
  const bin::FuncType realloc_type =
      func_type({bin::ValType::I32, bin::ValType::I32, bin::ValType::I32, bin::ValType::I32}, {bin::ValType::I32});
  for (const auto& name : {use.realloc, use.import_realloc, use.export_realloc}) {
    if (!name) continue;
    const bin::FuncType* t = export_type(m, *name);
    if (!t || *t != realloc_type) {
      return fail(Diagnostic::plain(fmt::format("the export `{}` must have type {}", *name, type_text(realloc_type))));
    }
  }
  if (use.initialize) {
    const bin::FuncType* t = export_type(m, *use.initialize);
    if (!t || !t->params.empty() || !t->results.empty()) {
      return fail(Diagnostic::plain(fmt::format("the export `{}` must have type [] -> []", *use.initialize)));
    }
  }

  auto lift = [&](size_t index, const wit::WorldKey* key, const wit::Function& f) -> Expected<void> {
    std::string legacy = key ? world_key_name(r_, *key) + "#" + f.name : f.name;
    std::string standard = "cm32p2|" + (key ? standard_key_name(r_, *key) : std::string()) + "|" + f.name;
    CoreExport ce;
    ce.item = index;
    ce.func = &f;
    auto name = find_export(m, {legacy, standard}, bin::ExternKind::Func);
    // The async ABI (wit-component's names): `[async-lift]` with its
    // `[callback][async-lift]` callback, or `[async-lift-stackful]`.
    if (!name) {
      if ((name = find_export(m, {"[async-lift]" + legacy}, bin::ExternKind::Func))) {
        ce.abi = LiftAbi::AsyncCallback;
        ce.callback = find_export(m, {"[callback]" + *name}, bin::ExternKind::Func);
        if (!ce.callback) {
          return fail(Diagnostic::plain(fmt::format(
              "module exports `{}` but not its callback `[callback]{}`, which an async lift needs", *name, *name)));
        }
        const bin::FuncType* ct = export_type(m, *ce.callback);
        bin::FuncType want = func_type({bin::ValType::I32, bin::ValType::I32, bin::ValType::I32}, {bin::ValType::I32});
        if (!ct || *ct != want) {
          return fail(Diagnostic::plain(fmt::format("type mismatch for callback `{}`: expected {} but found {}",
                                                    *ce.callback, type_text(want),
                                                    ct ? type_text(*ct) : "nothing")));
        }
      } else if ((name = find_export(m, {"[async-lift-stackful]" + legacy}, bin::ExternKind::Func))) {
        ce.abi = LiftAbi::AsyncStackful;
      }
    }
    if (!name) {
      return fail(Diagnostic::plain(fmt::format("module does not export function `{}` (export `{}` of world `{}`)",
                                                legacy, key ? world_key_name(r_, *key) : f.name, w_.name)));
    }
    bool async = ce.abi != LiftAbi::Sync;
    if (async && !f.is_async()) {
      return fail(Diagnostic::plain(fmt::format(
          "module exports `{}`, but `{}` is not an async function, so it cannot be lifted with `async`", *name,
          f.name)));
    }
    abi::SignatureOptions opts;
    opts.async = async;
    opts.callback = ce.abi == LiftAbi::AsyncCallback;
    bin::FuncType expected = core_signature(r_, f, abi::Context::Lift, opts);
    const bin::FuncType* actual = export_type(m, *name);
    if (!actual || *actual != expected) {
      return fail(
          Diagnostic::plain(fmt::format("type mismatch for function `{}` exported as `{}`: expected {} but found {}",
                                        f.name, *name, type_text(expected), actual ? type_text(*actual) : "nothing")));
    }
    ce.core_name = *name;
    ce.needs = needs_of(r_, f, abi::Context::Lift, async);
    // An async lift returns through task.return: no post-return.
    std::string post = *name == legacy ? "cabi_post_" + legacy : standard + "_post";
    if (const bin::FuncType* pt = async ? nullptr : export_type(m, post)) {
      if (pt->params != expected.results || !pt->results.empty()) {
        return fail(
            Diagnostic::plain(fmt::format("type mismatch for post-return function `{}`: expected {} but found {}", post,
                                          type_text(func_type(expected.results, {})), type_text(*pt))));
      }
      ce.post_return = post;
    }
    if (ce.needs.realloc && !use.realloc && !use.export_realloc) {
      return fail(Diagnostic::plain(
          fmt::format("the export `{}` needs `cabi_realloc`, which the module does not export", *name)));
    }
    if (ce.needs.memory && !use.memory) {
      return fail(
          Diagnostic::plain(fmt::format("the export `{}` needs the module's memory, which it does not export", *name)));
    }
    use.exports.push_back(std::move(ce));
    return {};
  };

  for (size_t index : items) {
    const auto& [key, item] = w_.exports.at_index(index);
    if (item.kind == wit::WorldItem::Kind::Function) {
      WITC_TRY(lift(index, nullptr, item.function));
      continue;
    }
    if (item.kind != wit::WorldItem::Kind::Interface) continue;
    const wit::Interface& iface = r_.interfaces[item.interface];
    for (const auto& [name, f] : iface.functions) WITC_TRY(lift(index, &key, f));
    for (const auto& [name, id] : iface.types) {
      if (!is_resource(r_, id)) continue;
      std::string legacy = world_key_name(r_, key) + "#[dtor]" + name;
      std::string standard = "cm32p2|" + standard_key_name(r_, key) + "|" + name + "_dtor";
      auto dtor = find_export(m, {legacy, standard}, bin::ExternKind::Func);
      if (!dtor) continue;
      const bin::FuncType* t = export_type(m, *dtor);
      if (!t || *t != func_type({bin::ValType::I32}, {})) {
        return fail(Diagnostic::plain(fmt::format("the destructor `{}` must have type [i32] -> []", *dtor)));
      }
      use.dtors[id.index] = *dtor;
    }
  }
  return {};
}

// Classifies every import of the module.
Expected<void> match_imports(Matcher& matcher, ModuleUse& use, const std::set<std::string>& adapters, bool is_adapter) {
  for (const auto& im : use.module.imports) {
    if (im.kind != bin::ExternKind::Func) {
      if (is_adapter && im.kind == bin::ExternKind::Memory && im.module == "env" && im.name == "memory") continue;
      return fail(Diagnostic::plain(fmt::format("module imports {} `{}` from `{}`; only functions can be imported",
                                                bin::to_string(im.kind), im.name, im.module)));
    }
    WITC_TRY_VAL(CoreImport ci, matcher.import(im, use.module.types[im.func.index], adapters, is_adapter));
    use.imports.push_back(std::move(ci));
  }
  return {};
}

}  // namespace

std::string world_key_name(const wit::Resolve& r, const wit::WorldKey& key) {
  if (!key.is_interface()) return key.name;
  return r.id_of(key.interface).value_or(key.name);
}

std::string standard_key_name(const wit::Resolve& r, const wit::WorldKey& key) {
  if (!key.is_interface()) return key.name;
  const wit::Interface& iface = r.interfaces[key.interface];
  if (!iface.name || !iface.package) return key.name;
  const wit::PackageName& pkg = r.packages[*iface.package].name;
  std::string s = pkg.ns + ":" + pkg.name + "/" + *iface.name;
  if (pkg.version) s.append("@").append(version_track(*pkg.version));
  return s;
}

Expected<void> match_main(NewPlan& plan, const std::set<std::string>& adapter_names) {
  Matcher matcher(plan);
  WITC_TRY(match_imports(matcher, plan.main, adapter_names, false));
  std::vector<size_t> items;
  for (size_t i = 0; i < plan.resolve.worlds[plan.world].exports.size(); ++i) {
    if (!plan.export_providers.count(i)) items.push_back(i);
  }
  WITC_TRY(matcher.exports(plan.main, items));
  for (const auto& ci : plan.main.imports) {
    using K = CoreImport::Kind;
    if (ci.kind != K::Func && ci.kind != K::Builtin && ci.kind != K::Payload && ci.kind != K::TaskReturn) continue;
    if (ci.needs.realloc && !plan.main.realloc) {
      return fail(
          Diagnostic::plain(fmt::format("the import `{}` from `{}` needs `cabi_realloc`, which the module does "
                                        "not export",
                                        ci.name, ci.module)));
    }
    if (ci.needs.memory && !plan.main.memory) {
      return fail(
          Diagnostic::plain(fmt::format("the import `{}` from `{}` needs the module's memory, which it does "
                                        "not export",
                                        ci.name, ci.module)));
    }
  }
  return {};
}

Expected<void> match_adapter(NewPlan& plan, ModuleUse& adapter) {
  Matcher matcher(plan);
  WITC_TRY(match_imports(matcher, adapter, {}, true));
  std::vector<size_t> items;
  for (const auto& [index, name] : plan.export_providers) {
    if (name == adapter.name) items.push_back(index);
  }
  // The adapter's memory is the main module's; only its realloc conventions
  // and its exports are its own.
  WITC_TRY(matcher.exports(adapter, items));
  for (const auto& ci : adapter.imports) {
    if (ci.kind == CoreImport::Kind::MainFunc) {
      const bin::Module& main = plan.main.module;
      bool found = false;
      for (const auto& e : main.exports) found = found || (e.name == ci.name && e.kind == bin::ExternKind::Func);
      if (!found) {
        return fail(
            Diagnostic::plain(fmt::format("adapter `{}` imports `{}` from the main module, which does not "
                                          "export it",
                                          adapter.name, ci.name)));
      }
    }
  }
  return {};
}

std::vector<std::string> adapter_exports_needed(const NewPlan& plan, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& ci : plan.main.imports) {
    if (ci.kind == CoreImport::Kind::AdapterFunc && ci.adapter == name) out.push_back(ci.name);
  }
  return out;
}

Needs needs_of(const wit::Resolve& r, const wit::Function& f, abi::Context context, bool async) {
  WitTypeSource src(r);
  abi::Engine abi(src);
  std::vector<abi::TypeRef> params;
  TypeContents pc, rc;
  for (const auto& [name, t] : f.params) {
    params.push_back(src.ref(t));
    pc = pc | type_contents(r, t);
  }
  std::optional<abi::TypeRef> result;
  if (f.result) {
    result = src.ref(*f.result);
    rc = type_contents(r, *f.result);
  }
  abi::SignatureOptions opts;
  opts.async = async;
  opts.callback = async && context == abi::Context::Lift;
  abi::CoreSignature sig = abi.signature(params, result, opts, context);
  Needs n;
  n.async = async;
  // Values this module reads from memory (lifted) need the memory; values
  // the other side writes into it (lowered) also need realloc.
  auto lifted = [&](TypeContents c) {
    n.memory = n.memory || c.list || c.string;
    n.encoding = n.encoding || c.string;
  };
  auto lowered = [&](TypeContents c) {
    lifted(c);
    n.realloc = n.realloc || c.list || c.string;
  };
  if (context == abi::Context::Lower) {
    lifted(pc);
    lowered(rc);
    n.memory = n.memory || sig.params_indirect || sig.results_indirect;
  } else {
    lowered(pc);
    lifted(rc);
    if (sig.params_indirect) n.memory = n.realloc = true;
    n.memory = n.memory || sig.results_indirect;
    // An async lift returns through task.return, which takes a result of
    // more than MAX_FLAT_PARAMS values through memory.
    std::vector<bin::ValType> flat;
    if (async && result && !abi.flatten(*result, abi::PtrType::I32, flat, abi::kMaxFlatParams)) n.memory = true;
  }
  return n;
}

bin::FuncType core_signature(const wit::Resolve& r, const wit::Function& f, abi::Context context,
                             abi::SignatureOptions options) {
  WitTypeSource src(r);
  abi::Engine abi(src);
  std::vector<abi::TypeRef> params;
  for (const auto& [name, t] : f.params) params.push_back(src.ref(t));
  std::optional<abi::TypeRef> result;
  if (f.result) result = src.ref(*f.result);
  return abi.signature(params, result, options, context).type;
}

std::vector<wit::TypeId> futures_and_streams(const wit::Resolve& r, const wit::Function& f) {
  std::vector<wit::TypeId> out;
  std::function<void(const wit::Type&)> walk = [&](const wit::Type& t) {
    if (!t.is_id()) return;
    auto opt = [&](const std::optional<wit::Type>& o) {
      if (o) walk(*o);
    };
    std::visit(
        [&](const auto& k) {
          using T = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<T, wit::Record>) {
            for (const auto& field : k.fields) walk(field.type);
          } else if constexpr (std::is_same_v<T, wit::Tuple>) {
            for (const auto& e : k.types) walk(e);
          } else if constexpr (std::is_same_v<T, wit::Variant>) {
            for (const auto& c : k.cases) opt(c.type);
          } else if constexpr (std::is_same_v<T, wit::Option>) {
            walk(k.type);
          } else if constexpr (std::is_same_v<T, wit::Result>) {
            opt(k.ok);
            opt(k.err);
          } else if constexpr (std::is_same_v<T, wit::List> || std::is_same_v<T, wit::FixedSizeList>) {
            walk(k.element);
          } else if constexpr (std::is_same_v<T, wit::Map>) {
            walk(k.key);
            walk(k.value);
          } else if constexpr (std::is_same_v<T, wit::Alias>) {
            walk(k.target);
          } else if constexpr (std::is_same_v<T, wit::Future> || std::is_same_v<T, wit::Stream>) {
            opt(k.type);
            out.push_back(t.id);
          }
        },
        r.types[t.id].kind);
  };
  for (const auto& [name, t] : f.params) walk(t);
  if (f.result) walk(*f.result);
  return out;
}

}  // namespace witc::compose::detail
