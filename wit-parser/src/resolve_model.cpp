// Small queries on the resolved model (resolve.h).
#include <algorithm>

#include "witc/wit/resolve.h"

namespace witc::wit {

const char* primitive_name(Type::Kind k) {
  switch (k) {
    case Type::Kind::Bool: return "bool";
    case Type::Kind::U8: return "u8";
    case Type::Kind::U16: return "u16";
    case Type::Kind::U32: return "u32";
    case Type::Kind::U64: return "u64";
    case Type::Kind::S8: return "s8";
    case Type::Kind::S16: return "s16";
    case Type::Kind::S32: return "s32";
    case Type::Kind::S64: return "s64";
    case Type::Kind::F32: return "f32";
    case Type::Kind::F64: return "f64";
    case Type::Kind::Char: return "char";
    case Type::Kind::String: return "string";
    case Type::Kind::ErrorContext: return "error-context";
    case Type::Kind::Id: return "<id>";
  }
  return "?";
}

std::string Function::item_name() const {
  switch (kind) {
    case Kind::Freestanding:
    case Kind::AsyncFreestanding: return name;
    case Kind::Constructor: return "constructor";
    default: {
      auto dot = name.find('.');
      return dot == std::string::npos ? name : name.substr(dot + 1);
    }
  }
}

// Built with append: GCC 12 warns (-Wrestrict, a false positive) on chains
// of operator+ here.
std::string PackageName::to_string() const {
  std::string s;
  s.append(ns).append(":").append(name);
  if (version) s.append("@").append(version->to_string());
  return s;
}

std::string PackageName::interface_id(std::string_view iface) const {
  std::string s;
  s.append(ns).append(":").append(name).append("/").append(iface);
  if (version) s.append("@").append(version->to_string());
  return s;
}

bool FeatureSet::has(std::string_view f) const {
  return all || std::find(enabled.begin(), enabled.end(), f) != enabled.end();
}

std::optional<PackageId> Resolve::find_package(const PackageName& name) const {
  for (uint32_t i = 0; i < packages.size(); ++i)
    if (packages[PackageId(i)].name == name) return PackageId(i);
  return std::nullopt;
}

std::optional<std::string> Resolve::id_of(InterfaceId id) const {
  const Interface& iface = interfaces[id];
  if (!iface.name || !iface.package) return std::nullopt;
  return packages[*iface.package].name.interface_id(*iface.name);
}

TypeId Resolve::unalias(TypeId id) const {
  // Bounded by the arena size: alias chains are acyclic after resolution.
  for (size_t n = 0; n <= types.size(); ++n) {
    const auto* a = std::get_if<Alias>(&types[id].kind);
    if (!a || !a->target.is_id()) return id;
    id = a->target.id;
  }
  return id;
}

}  // namespace witc::wit
