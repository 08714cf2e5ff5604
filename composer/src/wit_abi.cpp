#include "witc/composer/wit_abi.h"

#include <type_traits>
#include <variant>

namespace witc::compose {

using abi::Kind;
using abi::TypeRef;

namespace {

Kind prim_kind(wit::Type::Kind k) {
  using K = wit::Type::Kind;
  switch (k) {
    case K::Bool: return Kind::Bool;
    case K::U8: return Kind::U8;
    case K::U16: return Kind::U16;
    case K::U32: return Kind::U32;
    case K::U64: return Kind::U64;
    case K::S8: return Kind::S8;
    case K::S16: return Kind::S16;
    case K::S32: return Kind::S32;
    case K::S64: return Kind::S64;
    case K::F32: return Kind::F32;
    case K::F64: return Kind::F64;
    case K::Char: return Kind::Char;
    case K::String: return Kind::String;
    case K::ErrorContext: return Kind::ErrorContext;
    case K::Id: break;
  }
  return Kind::Bool;
}

}  // namespace

WitTypeSource::WitTypeSource(const wit::Resolve& resolve) {
  defs_.resize(resolve.types.size());
  auto opt = [&](const std::optional<wit::Type>& t) { return t ? ref(*t) : abi::kNone; };
  for (uint32_t i = 0; i < resolve.types.size(); ++i) {
    Def& d = defs_[i];
    const auto& kind = resolve.types[wit::TypeId(i)].kind;
    std::visit(
        [&](const auto& k) {
          using T = std::decay_t<decltype(k)>;
          if constexpr (std::is_same_v<T, wit::Record>) {
            d.kind = Kind::Record;
            for (const auto& f : k.fields) d.children.push_back(ref(f.type));
          } else if constexpr (std::is_same_v<T, wit::Handle>) {
            d.kind = k.kind == wit::Handle::Kind::Own ? Kind::Own : Kind::Borrow;
          } else if constexpr (std::is_same_v<T, wit::Flags>) {
            d.kind = Kind::Flags;
            d.count = static_cast<uint32_t>(k.flags.size());
          } else if constexpr (std::is_same_v<T, wit::Tuple>) {
            d.kind = Kind::Tuple;
            for (const auto& t : k.types) d.children.push_back(ref(t));
          } else if constexpr (std::is_same_v<T, wit::Variant>) {
            d.kind = Kind::Variant;
            for (const auto& c : k.cases) d.children.push_back(opt(c.type));
          } else if constexpr (std::is_same_v<T, wit::Enum>) {
            d.kind = Kind::Enum;
            d.count = static_cast<uint32_t>(k.cases.size());
          } else if constexpr (std::is_same_v<T, wit::Option>) {
            d.kind = Kind::Option;
            d.children = {ref(k.type)};
          } else if constexpr (std::is_same_v<T, wit::Result>) {
            d.kind = Kind::Result;
            d.children = {opt(k.ok), opt(k.err)};
          } else if constexpr (std::is_same_v<T, wit::List>) {
            d.kind = Kind::List;
            d.children = {ref(k.element)};
          } else if constexpr (std::is_same_v<T, wit::FixedSizeList>) {
            d.kind = Kind::FixedList;
            d.children = {ref(k.element)};
            d.count = k.size;
          } else if constexpr (std::is_same_v<T, wit::Map>) {
            d.kind = Kind::Map;
            d.children = {ref(k.key), ref(k.value)};
          } else if constexpr (std::is_same_v<T, wit::Future>) {
            d.kind = Kind::Future;
            d.children = {opt(k.type)};
          } else if constexpr (std::is_same_v<T, wit::Stream>) {
            d.kind = Kind::Stream;
            d.children = {opt(k.type)};
          } else if constexpr (std::is_same_v<T, wit::Alias>) {
            d.alias = ref(k.target);
          } else {
            d.kind = Kind::Own;  // a resource (never a value itself) or unknown
          }
        },
        kind);
  }
}

TypeRef WitTypeSource::ref(const wit::Type& t) const {
  if (!t.is_id()) return static_cast<TypeRef>(t.kind);
  return kIdBase + t.id.index;
}

abi::Node WitTypeSource::node(TypeRef t) const {
  if (t < kIdBase) return abi::Node{prim_kind(static_cast<wit::Type::Kind>(t)), {}, 0};
  const Def* d = &defs_[t - kIdBase];
  // Alias chains are acyclic after resolution; bounded anyway.
  for (size_t n = 0; d->alias != abi::kNone && n <= defs_.size(); ++n) {
    if (d->alias < kIdBase) return node(d->alias);
    d = &defs_[d->alias - kIdBase];
  }
  return abi::Node{d->kind, d->children, d->count};
}

}  // namespace witc::compose
