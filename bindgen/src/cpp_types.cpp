// The C++ spelling of WIT types (the table in docs/bindgen-cpp.md).
#include <algorithm>
#include <utility>

#include "cpp_gen.h"

namespace witc::bindgen::cpp {

namespace {

const char* prim_type(wit::Type::Kind k, Flavor f) {
  using K = wit::Type::Kind;
  switch (k) {
    case K::Bool: return "bool";
    case K::U8: return "uint8_t";
    case K::U16: return "uint16_t";
    case K::U32: return "uint32_t";
    case K::U64: return "uint64_t";
    case K::S8: return "int8_t";
    case K::S16: return "int16_t";
    case K::S32: return "int32_t";
    case K::S64: return "int64_t";
    case K::F32: return "float";
    case K::F64: return "double";
    case K::Char: return "uint32_t";
    case K::String: return f == Flavor::Borrowed ? "std::string_view" : "wit::string";
    case K::ErrorContext: return "wit::error_context";
    case K::Id: break;
  }
  return "void";
}

}  // namespace

std::string Gen::async_args(const std::optional<wit::Type>& payload, bool ctx) {
  if (!payload) return "void";
  bool saved = std::exchange(key_mode_, false);
  std::string t = type(*payload, Flavor::Owned, ctx);
  key_mode_ = true;
  std::string k = type(*payload, Flavor::Owned, ctx);
  key_mode_ = saved;
  return k == t ? t : t + ", " + k;
}

std::string Gen::type(const wit::Type& t, Flavor f, bool ctx) {
  if (!t.is_id()) return key_mode_ && t.kind == wit::Type::Kind::Char ? "wit::char_tag" : prim_type(t.kind, f);
  const wit::TypeDef& td = resolve_.types[t.id];
  auto opt = [&](const std::optional<wit::Type>& o, const char* none) {
    return o ? type(*o, f, ctx) : std::string(none);
  };
  return std::visit(
      [&](const auto& k) -> std::string {
        using T = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<T, wit::Record> || std::is_same_v<T, wit::Variant> ||
                      std::is_same_v<T, wit::Enum> || std::is_same_v<T, wit::Flags>) {
          return type_path(t.id, ctx);
        } else if constexpr (std::is_same_v<T, wit::Resource>) {
          return owned_handle(t.id, ctx);
        } else if constexpr (std::is_same_v<T, wit::Handle>) {
          if (k.kind == wit::Handle::Kind::Own) return owned_handle(k.resource, ctx);
          return "std::reference_wrapper<const " + type_path(resolve_.unalias(k.resource), ctx) + ">";
        } else if constexpr (std::is_same_v<T, wit::Tuple>) {
          std::string s = "std::tuple<";
          for (size_t i = 0; i < k.types.size(); ++i) {
            if (i) s.append(", ");
            s.append(type(k.types[i], f, ctx));
          }
          return s.append(">");
        } else if constexpr (std::is_same_v<T, wit::Option>) {
          return "std::optional<" + type(k.type, f, ctx) + ">";
        } else if constexpr (std::is_same_v<T, wit::Result>) {
          std::string s = "std::expected<";
          s.append(opt(k.ok, "void")).append(", ").append(opt(k.err, "wit::Void")).append(">");
          return s;
        } else if constexpr (std::is_same_v<T, wit::List>) {
          std::string e = type(k.element, f, ctx);
          return f == Flavor::Borrowed ? "std::span<" + e + " const>" : "wit::vector<" + e + ">";
        } else if constexpr (std::is_same_v<T, wit::FixedSizeList>) {
          std::string s = "std::array<";
          s.append(type(k.element, f, ctx)).append(", ").append(std::to_string(k.size)).append(">");
          return s;
        } else if constexpr (std::is_same_v<T, wit::Map>) {
          std::string e = "std::pair<";
          e.append(type(k.key, f, ctx)).append(", ").append(type(k.value, f, ctx)).append(">");
          return f == Flavor::Borrowed ? "std::span<" + e + " const>" : "wit::vector<" + e + ">";
        } else if constexpr (std::is_same_v<T, wit::Future>) {
          // A payload is always an owned value, whatever the flavor.
          return "wit::future<" + async_args(k.type, ctx) + ">";
        } else if constexpr (std::is_same_v<T, wit::Stream>) {
          return "wit::stream<" + async_args(k.type, ctx) + ">";
        } else if constexpr (std::is_same_v<T, wit::Alias>) {
          return type(k.target, f, ctx);
        } else {
          return "void";
        }
      },
      td.kind);
}

std::string Gen::param_type(const wit::Type& t, Direction d) {
  wit::Type u = unalias(t);
  const wit::TypeDef* td = u.is_id() ? &resolve_.types[u.id] : nullptr;
  bool handle = td && (std::holds_alternative<wit::Resource>(td->kind) ||
                       (std::holds_alternative<wit::Handle>(td->kind) &&
                        std::get<wit::Handle>(td->kind).kind == wit::Handle::Kind::Own));
  bool aggregate = td && (std::holds_alternative<wit::Record>(td->kind) || std::holds_alternative<wit::Variant>(td->kind));
  if (d == Direction::Export) {
    // Asymmetric: exports take owned values. Symmetric: the types of an
    // import's parameters (owned handles stay owned).
    if (opts_.api_style == ApiStyle::Asymmetric || handle) return type(t, Flavor::Owned, true);
    if (aggregate) return type(t, Flavor::Owned, true) + " const&";
    return type(t, Flavor::Borrowed, true);
  }
  if (handle) {
    wit::TypeId res = std::holds_alternative<wit::Resource>(td->kind) ? u.id : std::get<wit::Handle>(td->kind).resource;
    return owned_handle(res, false) + "&&";
  }
  if (td && std::holds_alternative<wit::Record>(td->kind)) {
    if (const std::string* pn = param_struct(u.id)) return qualify(owner_ns(td->owner, false), *pn) + " const&";
  }
  if (aggregate) return type(t, Flavor::Borrowed, false) + " const&";
  return type(t, Flavor::Borrowed, false);
}

bool Gen::has_own_handle(const wit::Type& t) {
  if (!t.is_id()) return false;
  const auto& kind = resolve_.types[t.id].kind;
  auto opt = [&](const std::optional<wit::Type>& o) { return o && has_own_handle(*o); };
  return std::visit(
      [&](const auto& k) -> bool {
        using T = std::decay_t<decltype(k)>;
        if constexpr (std::is_same_v<T, wit::Resource>) {
          return true;
        } else if constexpr (std::is_same_v<T, wit::Handle>) {
          return k.kind == wit::Handle::Kind::Own;
        } else if constexpr (std::is_same_v<T, wit::Record>) {
          return std::any_of(k.fields.begin(), k.fields.end(), [&](const auto& f) { return has_own_handle(f.type); });
        } else if constexpr (std::is_same_v<T, wit::Tuple>) {
          return std::any_of(k.types.begin(), k.types.end(), [&](const auto& e) { return has_own_handle(e); });
        } else if constexpr (std::is_same_v<T, wit::Variant>) {
          return std::any_of(k.cases.begin(), k.cases.end(), [&](const auto& c) { return opt(c.type); });
        } else if constexpr (std::is_same_v<T, wit::Option>) {
          return has_own_handle(k.type);
        } else if constexpr (std::is_same_v<T, wit::Result>) {
          return opt(k.ok) || opt(k.err);
        } else if constexpr (std::is_same_v<T, wit::List> || std::is_same_v<T, wit::FixedSizeList>) {
          return has_own_handle(k.element);
        } else if constexpr (std::is_same_v<T, wit::Map>) {
          return has_own_handle(k.key) || has_own_handle(k.value);
        } else if constexpr (std::is_same_v<T, wit::Alias>) {
          return has_own_handle(k.target);
        } else {
          return false;  // enum, flags, future, stream (handles of their own kind)
        }
      },
      kind);
}

const std::string* Gen::param_struct(wit::TypeId record) {
  auto it = param_idents_.find(record.index);
  return it == param_idents_.end() ? nullptr : &it->second;
}

void Gen::plan_param_struct(wit::TypeId id) {
  if (opts_.ownership == Ownership::Owning || param_idents_.count(id.index)) return;
  if (opts_.ownership == Ownership::CoarseBorrowing && has_own_handle(wit::Type::of(id))) return;
  std::string name = type_ident(id) + "Param";
  auto& taken = taken_[owner_ns(resolve_.types[id].owner, false)];
  while (taken.count(name)) name.push_back('_');
  taken.insert(name);
  param_idents_[id.index] = name;
}

bool Gen::mem_compatible(const wit::Type& t) {
  wit::Type u = unalias(t);
  using K = wit::Type::Kind;
  if (!u.is_id()) return u.kind != K::Bool && u.kind != K::ErrorContext;
  const auto& kind = resolve_.types[u.id].kind;
  if (const auto* r = std::get_if<wit::Record>(&kind)) {
    for (const auto& f : r->fields)
      if (!mem_compatible(f.type)) return false;
    return true;
  }
  if (const auto* l = std::get_if<wit::List>(&kind)) return mem_compatible(l->element);
  if (const auto* fl = std::get_if<wit::Flags>(&kind)) return fl->flags.size() <= 32;
  return false;
}

}  // namespace witc::bindgen::cpp
