// Component value types, type exports and function types -> WIT types and
// functions (see decoder.h for how identities are tracked).
#include <fmt/format.h>

#include "decoder.h"
#include "witc/base/try.h"
#include "witc/bin/component_names.h"

namespace witc::compose::detail {

namespace {

using bin::ValueKind;

wit::Type primitive(ValueKind k) {
  using K = wit::Type::Kind;
  switch (k) {
    case ValueKind::Bool: return wit::Type::prim(K::Bool);
    case ValueKind::S8: return wit::Type::prim(K::S8);
    case ValueKind::U8: return wit::Type::prim(K::U8);
    case ValueKind::S16: return wit::Type::prim(K::S16);
    case ValueKind::U16: return wit::Type::prim(K::U16);
    case ValueKind::S32: return wit::Type::prim(K::S32);
    case ValueKind::U32: return wit::Type::prim(K::U32);
    case ValueKind::S64: return wit::Type::prim(K::S64);
    case ValueKind::U64: return wit::Type::prim(K::U64);
    case ValueKind::F32: return wit::Type::prim(K::F32);
    case ValueKind::F64: return wit::Type::prim(K::F64);
    case ValueKind::Char: return wit::Type::prim(K::Char);
    case ValueKind::String: return wit::Type::prim(K::String);
    default: return wit::Type::prim(K::ErrorContext);
  }
}

// Kinds a type may have without a name (records, variants, enums, flags
// and resources are only reachable through a type export).
bool may_be_anonymous(const wit::TypeDefKind& k) {
  return !std::holds_alternative<wit::Record>(k) && !std::holds_alternative<wit::Variant>(k) &&
         !std::holds_alternative<wit::Enum>(k) && !std::holds_alternative<wit::Flags>(k) &&
         !std::holds_alternative<wit::Resource>(k);
}

Diagnostic error(std::string msg) { return Diagnostic::plain(std::move(msg)); }

}  // namespace

uint64_t Decoder::owner_key(wit::TypeOwner o) {
  switch (o.kind) {
    case wit::TypeOwner::Kind::Interface: return (uint64_t{1} << 32) | o.interface.index;
    case wit::TypeOwner::Kind::World: return (uint64_t{2} << 32) | o.world.index;
    case wit::TypeOwner::Kind::None: break;
  }
  return 0;
}

void Decoder::map_type(bin::TypeId created, wit::TypeId id) { type_map_[created.index] = id; }

// The wit type the node `t`, or a node it copies, was mapped to.
std::optional<wit::TypeId> Decoder::find_alias(bin::TypeId t) const {
  for (size_t steps = 0; t.valid() && steps <= t_.size(); ++steps) {
    if (auto it = type_map_.find(t.index); it != type_map_.end()) return it->second;
    t = t_.node(t).origin;
  }
  return std::nullopt;
}

Expected<wit::TypeId> Decoder::type_export(const std::string& name, wit::TypeOwner owner, bin::TypeId created) {
  const bin::TypeNode& node = t_.node(created);
  if (node.kind != bin::TypeKind::Value && node.kind != bin::TypeKind::Resource) {
    return fail(error(fmt::format("type export `{}` is not a value or resource type", name)));
  }
  std::optional<wit::TypeId> prev = find_alias(node.origin);
  if (!prev && node.kind == bin::TypeKind::Resource) {
    // A resource is its identity: another name for it is an alias.
    if (auto it = resource_ids_.find(t_.resource(created).index); it != resource_ids_.end()) prev = it->second;
  }
  wit::TypeDef def;
  def.name = name;
  def.owner = owner;
  if (prev) {
    def.kind = wit::Alias{wit::Type::of(*prev)};
  } else if (node.kind == bin::TypeKind::Resource) {
    def.kind = wit::Resource{};
  } else {
    WITC_TRY_VAL(def.kind, defined(created));
  }
  bool is_resource = std::holds_alternative<wit::Resource>(def.kind);
  wit::TypeId id = resolve.types.alloc(std::move(def));
  if (is_resource) {
    resources_.emplace(std::pair{owner_key(owner), name}, id);
    resource_ids_.emplace(t_.resource(created).index, id);
  }
  type_map_[created.index] = id;
  return id;
}

Expected<wit::Type> Decoder::valtype(bin::TypeId t) {
  if (auto it = type_map_.find(t.index); it != type_map_.end()) return wit::Type::of(it->second);
  if (t_.kind(t) != bin::TypeKind::Value) return fail(error("expected a value type"));
  const bin::ValueType& v = t_.value(t);
  if (bin::is_primitive(v.kind) && t == t_.prim(v.kind)) return primitive(v.kind);
  WITC_TRY_VAL(wit::TypeDefKind kind, defined(t));
  if (!may_be_anonymous(kind)) {
    return fail(error(fmt::format("unexpected unnamed type of kind `{}`", bin::value_kind_name(v.kind))));
  }
  wit::TypeDef def;
  def.kind = std::move(kind);
  wit::TypeId id = resolve.types.alloc(std::move(def));
  type_map_[t.index] = id;
  return wit::Type::of(id);
}

// The resource a handle's type node names.
Expected<wit::TypeId> Decoder::handle_resource(bin::TypeId t) {
  if (auto hit = find_alias(t)) return *hit;
  if (t.valid() && t_.kind(t) == bin::TypeKind::Resource) {
    if (auto it = resource_ids_.find(t_.resource(t).index); it != resource_ids_.end()) return it->second;
  }
  return fail(error("handle of a resource that has no name"));
}

Expected<wit::TypeDefKind> Decoder::defined(bin::TypeId t) {
  // Copy what is needed: converting element types grows nothing in t_, but
  // keeps the code independent of reference lifetimes.
  const bin::ValueType v = t_.value(t);
  auto opt = [&](size_t i) -> Expected<std::optional<wit::Type>> {
    if (i >= v.types.size() || !v.types[i].valid()) return std::optional<wit::Type>();
    WITC_TRY_VAL(wit::Type x, valtype(v.types[i]));
    return std::optional<wit::Type>(x);
  };
  auto req = [&](size_t i) -> Expected<wit::Type> {
    if (i >= v.types.size() || !v.types[i].valid()) return fail(error("malformed value type"));
    return valtype(v.types[i]);
  };
  if (bin::is_primitive(v.kind)) return wit::Alias{primitive(v.kind)};
  switch (v.kind) {
    case ValueKind::Record: {
      wit::Record r;
      for (size_t i = 0; i < v.labels.size(); ++i) {
        auto ft = req(i);
        if (!ft) return fail(std::move(ft.error()).with_context(fmt::format("record field `{}`", v.labels[i])));
        r.fields.push_back(wit::Field{v.labels[i], *ft, {}, {}});
      }
      return r;
    }
    case ValueKind::Variant: {
      wit::Variant r;
      for (size_t i = 0; i < v.labels.size(); ++i) {
        WITC_TRY_VAL(std::optional<wit::Type> ct, opt(i));
        r.cases.push_back(wit::Case{v.labels[i], ct, {}, {}});
      }
      return r;
    }
    case ValueKind::Flags: {
      wit::Flags r;
      for (const auto& l : v.labels) r.flags.push_back(wit::Flag{l, {}});
      return r;
    }
    case ValueKind::Enum: {
      wit::Enum r;
      for (const auto& l : v.labels) r.cases.push_back(wit::EnumCase{l, {}});
      return r;
    }
    case ValueKind::Tuple: {
      wit::Tuple r;
      for (size_t i = 0; i < v.types.size(); ++i) {
        WITC_TRY_VAL(wit::Type x, req(i));
        r.types.push_back(x);
      }
      return r;
    }
    case ValueKind::List: {
      WITC_TRY_VAL(wit::Type e, req(0));
      return wit::List{e};
    }
    case ValueKind::FixedList: {
      WITC_TRY_VAL(wit::Type e, req(0));
      return wit::FixedSizeList{e, v.length};
    }
    case ValueKind::Option: {
      WITC_TRY_VAL(wit::Type e, req(0));
      return wit::Option{e};
    }
    case ValueKind::Result: {
      WITC_TRY_VAL(std::optional<wit::Type> ok, opt(0));
      WITC_TRY_VAL(std::optional<wit::Type> err, opt(1));
      return wit::Result{ok, err};
    }
    case ValueKind::Map: {
      WITC_TRY_VAL(wit::Type k, req(0));
      WITC_TRY_VAL(wit::Type x, req(1));
      return wit::Map{k, x};
    }
    case ValueKind::Stream: {
      WITC_TRY_VAL(std::optional<wit::Type> e, opt(0));
      return wit::Stream{e};
    }
    case ValueKind::Future: {
      WITC_TRY_VAL(std::optional<wit::Type> e, opt(0));
      return wit::Future{e};
    }
    case ValueKind::Own:
    case ValueKind::Borrow: {
      if (v.types.empty()) return fail(error("malformed handle type"));
      WITC_TRY_VAL(wit::TypeId r, handle_resource(v.types[0]));
      return wit::Handle{v.kind == ValueKind::Own ? wit::Handle::Kind::Own : wit::Handle::Kind::Borrow, r};
    }
    default: break;
  }
  return fail(error(fmt::format("unsupported value type `{}`", bin::value_kind_name(v.kind))));
}

Expected<wit::Function> Decoder::function(const std::string& name, bin::TypeId func, wit::TypeOwner owner) {
  if (t_.kind(func) != bin::TypeKind::Func) return fail(error(fmt::format("`{}` is not a function type", name)));
  bin::NameRules rules{true, true};
  WITC_TRY_VAL(bin::ExternNameInfo info, bin::parse_extern_name(name, rules));
  const bin::ComponentFuncType ft = t_.func(func);
  wit::Function f;
  f.name = name;
  for (const auto& [pname, ptype] : ft.params) {
    auto pt = valtype(ptype);
    if (!pt) return fail(std::move(pt.error()).with_context(fmt::format("parameter `{}`", pname)));
    f.params.emplace_back(pname, *pt);
  }
  if (ft.result) {
    auto rt = valtype(*ft.result);
    if (!rt) return fail(std::move(rt.error()).with_context("result"));
    f.result = *rt;
  }
  using K = wit::Function::Kind;
  auto resource = [&](std::string_view r) -> Expected<wit::TypeId> {
    auto it = resources_.find(std::pair{owner_key(owner), std::string(r)});
    if (it == resources_.end()) {
      return fail(error(fmt::format("function `{}` refers to resource `{}`, which is not defined here", name, r)));
    }
    return it->second;
  };
  switch (info.kind) {
    case bin::ExternNameInfo::Kind::Label: f.kind = ft.async ? K::AsyncFreestanding : K::Freestanding; break;
    case bin::ExternNameInfo::Kind::Constructor: {
      WITC_TRY_VAL(f.resource, resource(info.resource));
      f.kind = K::Constructor;
      break;
    }
    case bin::ExternNameInfo::Kind::Method: {
      WITC_TRY_VAL(f.resource, resource(info.resource));
      f.kind = ft.async ? K::AsyncMethod : K::Method;
      break;
    }
    case bin::ExternNameInfo::Kind::Static: {
      WITC_TRY_VAL(f.resource, resource(info.resource));
      f.kind = ft.async ? K::AsyncStatic : K::Static;
      break;
    }
    case bin::ExternNameInfo::Kind::Interface:
      return fail(error(fmt::format("function name `{}` is an interface name", name)));
    case bin::ExternNameInfo::Kind::Dependency:
    case bin::ExternNameInfo::Kind::Url:
    case bin::ExternNameInfo::Kind::Hash:
      return fail(error(fmt::format("function name `{}` is a dependency, URL or hash name", name)));
  }
  return f;
}

}  // namespace witc::compose::detail
