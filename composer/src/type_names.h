// Names that type exports give types and resources, for messages that
// call a type by its name (`point`, resource `x`) instead of its structure.
// Private to the composer's mismatch explainers.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "witc/bin/component_types.h"

namespace witc::compose {

// The names that type exports give types and resources, gathered from the
// instance and component types being compared.
class TypeNames {
 public:
  explicit TypeNames(const bin::TypeInfo& t) : t_(t) {}

  // An instance or component, or a type defined as one (a WAC interface
  // or world).
  void collect(const bin::EntityType& e, unsigned depth = 0) {
    if (depth > 32 || e.kind == bin::EntityKind::Module || !e.type.valid()) return;
    const bin::TypeId d = t_.definition(e.type);
    if (t_.kind(d) == bin::TypeKind::Instance) {
      for (const auto& [name, x] : t_.instance(d).exports) add(name, x, depth);
    } else if (t_.kind(d) == bin::TypeKind::Component) {
      const bin::ComponentType& c = t_.component(d);
      for (const auto& [name, x] : c.imports) add(name, x, depth);
      for (const auto& [name, x] : c.exports) add(name, x, depth);
    }
  }

  std::optional<std::string> type(bin::TypeId t) const {
    for (unsigned i = 0; t.valid() && i < 64; ++i, t = t_.node(t).origin) {
      if (auto it = types_.find(t.index); it != types_.end()) return it->second;
      if (t_.kind(t) == bin::TypeKind::Resource) return resource(t_.resource(t));
    }
    return std::nullopt;
  }
  std::optional<std::string> resource(bin::ResourceId r) const {
    auto it = resources_.find(r.index);
    if (it == resources_.end()) return std::nullopt;
    return it->second;
  }

 private:
  void add(const std::string& name, const bin::EntityType& x, unsigned depth) {
    if (x.kind == bin::EntityKind::Type && x.type.valid()) {
      types_.emplace(x.type.index, name);
      if (t_.kind(x.type) == bin::TypeKind::Resource) resources_.emplace(t_.resource(x.type).index, name);
    }
    collect(x, depth + 1);
  }

  const bin::TypeInfo& t_;
  std::unordered_map<uint32_t, std::string> types_;
  std::unordered_map<uint32_t, std::string> resources_;
};

}  // namespace witc::compose
