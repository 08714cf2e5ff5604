// The binding plan (plan.h): wit::Resolve + the canonical-ABI engine.
#include "witc/bindgen/plan.h"

#include <algorithm>

namespace witc::bindgen {

using abi::Kind;
using abi::TypeRef;

namespace {

uint64_t align_to(uint64_t v, uint32_t a) { return (v + a - 1) / a * a; }

}  // namespace

Planner::Planner(const wit::Resolve& resolve)
    : resolve_(resolve), source_(resolve), engine_(source_) {}

const TypePlan& Planner::type(const wit::Type& t) {
  TypeRef r = source_.ref(t);
  if (plans_.size() <= r) plans_.resize(r + 1);
  if (plans_[r]) return *plans_[r];
  abi::Node n = source_.node(r);
  TypePlan p;
  p.kind = n.kind;
  abi::Layout l = engine_.layout(r);
  p.size = l.size;
  p.align = l.align;
  engine_.flatten(r, abi::PtrType::I32, p.flat);
  p.count = n.count;
  p.owns_memory = engine_.contains_list_or_string(r);
  switch (n.kind) {
    case Kind::Record:
    case Kind::Tuple: p.offsets = engine_.field_offsets(r); break;
    case Kind::Variant:
    case Kind::Enum:
    case Kind::Option:
    case Kind::Result: {
      uint64_t cases = n.kind == Kind::Variant ? n.children.size() : n.kind == Kind::Enum ? n.count : 2;
      p.count = static_cast<uint32_t>(cases);
      p.discriminant_size = abi::Engine::discriminant_size(cases);
      p.payload_offset = n.kind == Kind::Enum ? 0 : engine_.payload_offset(r);
      break;
    }
    case Kind::List: {
      Kind e = source_.node(n.children[0]).kind;
      bool scalar = e != Kind::Bool && (e <= Kind::Char);
      p.list_mode = scalar ? ListMode::Copy : ListMode::Elements;
      break;
    }
    default: break;
  }
  plans_[r] = std::move(p);
  return *plans_[r];
}

std::string Planner::key_name(const wit::WorldKey& key) const {
  if (!key.is_interface()) return key.name;
  auto id = resolve_.id_of(key.interface);
  return id ? *id : std::string();
}

FunctionPlan Planner::function(const wit::Function& f, Direction d, const std::string& module) {
  FunctionPlan fp;
  fp.function = &f;
  fp.direction = d;
  fp.async = f.is_async();
  fp.module = module;
  if (d == Direction::Import) {
    if (fp.async) fp.core_name = "[async-lower]";
    fp.core_name.append(f.name);
  } else {
    if (fp.async) fp.core_name = "[async-lift]";
    if (!module.empty()) fp.core_name.append(module).append("#");
    fp.core_name.append(f.name);
    if (fp.async) fp.callback = "[callback]" + fp.core_name;
  }
  // Built-ins tied to an export live in "[export]<module>" ("[export]$root"
  // for the world's own functions); an import's in the import's module.
  std::string intrinsics = d == Direction::Import ? module : "[export]" + (module.empty() ? std::string("$root") : module);
  uint32_t n = 0;
  for (wit::TypeId id : find_futures_and_streams(resolve_, f)) {
    AsyncValuePlan av;
    av.id = id;
    const auto& kind = resolve_.types[id].kind;
    av.is_stream = std::holds_alternative<wit::Stream>(kind);
    av.payload = av.is_stream ? std::get<wit::Stream>(kind).type : std::get<wit::Future>(kind).type;
    av.index = n++;
    av.intrinsic_module = intrinsics;
    av.function = f.name;
    fp.async_values.push_back(std::move(av));
  }
  std::vector<TypeRef> params;
  uint64_t off = 0;
  uint32_t align = 1;
  size_t flat = 0;
  for (const auto& [name, t] : f.params) {
    const TypePlan& tp = type(t);
    ParamPlan pp{name, t, flat, tp.flat.size(), 0};
    off = align_to(off, tp.align);
    pp.offset = off;
    off += tp.size;
    align = std::max(align, tp.align);
    flat += tp.flat.size();
    fp.params.push_back(std::move(pp));
    params.push_back(source_.ref(t));
  }
  fp.params_size = align_to(off, align);
  fp.params_align = align;
  std::optional<TypeRef> result;
  if (f.result) {
    fp.result = f.result;
    result = source_.ref(*f.result);
    const TypePlan& rp = type(*f.result);
    fp.ret_size = rp.size;
    fp.ret_align = rp.align;
  }
  abi::SignatureOptions opts;
  opts.async = fp.async;
  opts.callback = fp.async && d == Direction::Export;
  fp.signature = engine_.signature(params, result, opts,
                                   d == Direction::Import ? abi::Context::Lower : abi::Context::Lift);
  fp.params_indirect = fp.signature.params_indirect;
  fp.results_indirect = fp.signature.results_indirect;
  if (d == Direction::Export && f.result && type(*f.result).owns_memory && !fp.async) {
    fp.post_return = "cabi_post_" + fp.core_name;
  }
  if (d == Direction::Export && fp.async) {
    // `canon task.return` takes the result as a lowered call would take a
    // parameter (CanonicalABI.md `canon_task_return`).
    fp.task_return_module = intrinsics;
    fp.task_return_name = "[task-return]" + f.name;
    std::vector<TypeRef> rp;
    if (result) rp.push_back(*result);
    fp.task_return_signature = engine_.signature(rp, std::nullopt, abi::SignatureOptions{}, abi::Context::Lower);
  }
  return fp;
}

InterfacePlan Planner::interface_plan(const wit::WorldKey& key, const wit::WorldItem& item,
                                      Direction d) {
  InterfacePlan ip;
  ip.direction = d;
  ip.interface = item.interface;
  ip.module = key_name(key);
  const wit::Interface& iface = resolve_.interfaces[item.interface];
  for (const auto& [name, f] : iface.functions) ip.functions.push_back(function(f, d, ip.module));
  for (const auto& [name, id] : iface.types) {
    if (!std::holds_alternative<wit::Resource>(resolve_.types[id].kind)) continue;
    ResourcePlan rp;
    rp.id = id;
    rp.direction = d;
    rp.name = name;
    rp.module = d == Direction::Import ? ip.module : "[export]" + ip.module;
    if (d == Direction::Export) rp.dtor_export = ip.module + "#[dtor]" + name;
    ip.resources.push_back(std::move(rp));
  }
  return ip;
}

WorldPlan Planner::world(wit::WorldId w) {
  WorldPlan wp;
  wp.world = w;
  const wit::World& world = resolve_.worlds[w];
  InterfacePlan root_imports{Direction::Import, std::nullopt, "$root", {}, {}};
  InterfacePlan root_exports{Direction::Export, std::nullopt, "", {}, {}};
  for (const auto& [key, item] : world.imports) {
    if (item.kind == wit::WorldItem::Kind::Interface) {
      wp.imports.push_back(interface_plan(key, item, Direction::Import));
    } else if (item.kind == wit::WorldItem::Kind::Function) {
      root_imports.functions.push_back(function(item.function, Direction::Import, "$root"));
    } else if (std::holds_alternative<wit::Resource>(resolve_.types[item.type].kind)) {
      root_imports.resources.push_back(
          ResourcePlan{item.type, Direction::Import, "$root", key.name, {}});
    }
  }
  for (const auto& [key, item] : world.exports) {
    if (item.kind == wit::WorldItem::Kind::Interface) {
      wp.exports.push_back(interface_plan(key, item, Direction::Export));
    } else if (item.kind == wit::WorldItem::Kind::Function) {
      root_exports.functions.push_back(function(item.function, Direction::Export, ""));
    }
  }
  // World functions and resources hold a stable address: the vectors below
  // are not resized after plans point into `world`.
  if (!root_imports.functions.empty() || !root_imports.resources.empty())
    wp.imports.insert(wp.imports.begin(), std::move(root_imports));
  if (!root_exports.functions.empty()) wp.exports.insert(wp.exports.begin(), std::move(root_exports));
  auto scan = [&](const InterfacePlan& ip) {
    for (const auto& fp : ip.functions) {
      if (fp.async) wp.has_async = true;
      for (const auto& p : fp.params)
        if (uses_async_values(resolve_, p.type)) wp.has_async = true;
      if (fp.result && uses_async_values(resolve_, *fp.result)) wp.has_async = true;
    }
  };
  for (const auto& ip : wp.imports) scan(ip);
  for (const auto& ip : wp.exports) scan(ip);
  return wp;
}

namespace {

bool async_values(const wit::Resolve& r, const wit::Type& t, std::vector<char>& seen) {
  if (t.kind == wit::Type::Kind::ErrorContext) return true;
  if (!t.is_id()) return false;
  if (seen[t.id.index]) return false;
  seen[t.id.index] = 1;
  auto any = [&](const std::optional<wit::Type>& o) { return o && async_values(r, *o, seen); };
  return std::visit(
      [&](const auto& k) -> bool {
        using T = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<T, wit::Future> || std::is_same_v<T, wit::Stream>) {
          return true;
        } else if constexpr (std::is_same_v<T, wit::Record>) {
          for (const auto& f : k.fields)
            if (async_values(r, f.type, seen)) return true;
          return false;
        } else if constexpr (std::is_same_v<T, wit::Tuple>) {
          for (const auto& e : k.types)
            if (async_values(r, e, seen)) return true;
          return false;
        } else if constexpr (std::is_same_v<T, wit::Variant>) {
          for (const auto& c : k.cases)
            if (any(c.type)) return true;
          return false;
        } else if constexpr (std::is_same_v<T, wit::Option>) {
          return async_values(r, k.type, seen);
        } else if constexpr (std::is_same_v<T, wit::Result>) {
          return any(k.ok) || any(k.err);
        } else if constexpr (std::is_same_v<T, wit::List> || std::is_same_v<T, wit::FixedSizeList>) {
          return async_values(r, k.element, seen);
        } else if constexpr (std::is_same_v<T, wit::Map>) {
          return async_values(r, k.key, seen) || async_values(r, k.value, seen);
        } else if constexpr (std::is_same_v<T, wit::Alias>) {
          return async_values(r, k.target, seen);
        } else {
          return false;
        }
      },
      r.types[t.id].kind);
}

void collect_futures_and_streams(const wit::Resolve& r, const wit::Type& t, std::vector<wit::TypeId>& out) {
  if (!t.is_id()) return;
  auto opt = [&](const std::optional<wit::Type>& o) {
    if (o) collect_futures_and_streams(r, *o, out);
  };
  std::visit(
      [&](const auto& k) {
        using T = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<T, wit::Record>) {
          for (const auto& f : k.fields) collect_futures_and_streams(r, f.type, out);
        } else if constexpr (std::is_same_v<T, wit::Tuple>) {
          for (const auto& e : k.types) collect_futures_and_streams(r, e, out);
        } else if constexpr (std::is_same_v<T, wit::Variant>) {
          for (const auto& c : k.cases) opt(c.type);
        } else if constexpr (std::is_same_v<T, wit::Option>) {
          collect_futures_and_streams(r, k.type, out);
        } else if constexpr (std::is_same_v<T, wit::List> || std::is_same_v<T, wit::FixedSizeList>) {
          collect_futures_and_streams(r, k.element, out);
        } else if constexpr (std::is_same_v<T, wit::Alias>) {
          collect_futures_and_streams(r, k.target, out);
        } else if constexpr (std::is_same_v<T, wit::Map>) {
          collect_futures_and_streams(r, k.key, out);
          collect_futures_and_streams(r, k.value, out);
        } else if constexpr (std::is_same_v<T, wit::Result>) {
          opt(k.ok);
          opt(k.err);
        } else if constexpr (std::is_same_v<T, wit::Future> || std::is_same_v<T, wit::Stream>) {
          opt(k.type);
          out.push_back(t.id);
        }
      },
      r.types[t.id].kind);
}

}  // namespace

std::vector<wit::TypeId> find_futures_and_streams(const wit::Resolve& resolve, const wit::Function& f) {
  std::vector<wit::TypeId> out;
  for (const auto& [name, t] : f.params) collect_futures_and_streams(resolve, t, out);
  if (f.result) collect_futures_and_streams(resolve, *f.result, out);
  return out;
}

bool uses_async_values(const wit::Resolve& resolve, const wit::Type& t) {
  std::vector<char> seen(resolve.types.size(), 0);
  return async_values(resolve, t, seen);
}

}  // namespace witc::bindgen
