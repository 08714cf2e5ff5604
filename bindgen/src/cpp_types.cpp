// The C++ spelling of WIT types (the table in docs/bindgen-cpp.md).
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

std::string Gen::type(const wit::Type& t, Flavor f, bool ctx) {
  if (!t.is_id()) return prim_type(t.kind, f);
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
          return "wit::future<" + opt(k.type, "void") + ">";
        } else if constexpr (std::is_same_v<T, wit::Stream>) {
          return "wit::stream<" + opt(k.type, "void") + ">";
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
  if (d == Direction::Export) {
    if (opts_.api_style == ApiStyle::Symmetric) {
      if (u.kind == wit::Type::Kind::String) return "std::string_view";
      if (u.is_id()) {
        if (const auto* l = std::get_if<wit::List>(&resolve_.types[u.id].kind)) {
          if (planner_.type(u).list_mode == ListMode::Copy) return "std::span<" + type(l->element, Flavor::Owned, true) + " const>";
        }
      }
    }
    return type(t, Flavor::Owned, true);
  }
  if (u.is_id()) {
    const auto& kind = resolve_.types[u.id].kind;
    if (const auto* h = std::get_if<wit::Handle>(&kind); h && h->kind == wit::Handle::Kind::Own)
      return owned_handle(h->resource, false) + "&&";
    if (std::holds_alternative<wit::Resource>(kind)) return owned_handle(u.id, false) + "&&";
    if (std::holds_alternative<wit::Record>(kind) || std::holds_alternative<wit::Variant>(kind))
      return type(t, Flavor::Borrowed, false) + " const&";
  }
  return type(t, Flavor::Borrowed, false);
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
