// Subtyping of component and core types (Explainer.md "Type Checking"):
// value and function types must be equal, instance and component types may
// export more and import less, core module types likewise; abstract resources
// of the expected type bind to the resources found in the same place.
#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "witc/bin/component_types.h"

namespace witc::bin {

namespace {

Unexpected mismatch(std::string msg) { return fail(Diagnostic::plain(std::move(msg))); }

using Step = SubtypeStep::Kind;

class Checker {
 public:
  explicit Checker(const TypeInfo& t, std::vector<SubtypeStep>* path = nullptr) : t_(t), path_(path) {}

  Expected<void> entity(const EntityType& a, const EntityType& b);
  Expected<void> value(TypeId a, TypeId b);
  Expected<void> func(TypeId a, TypeId b);
  Expected<void> instance(TypeId a, TypeId b);
  Expected<void> component(TypeId a, TypeId b);
  Expected<void> module(ModuleTypeId a, ModuleTypeId b);
  Expected<void> core_entity(const CoreEntity& a, const CoreEntity& b);

 private:
  bool resources_match(ResourceId a, ResourceId b);
  bool value_equal(TypeId a, TypeId b);
  Expected<void> type_entity(TypeId a, TypeId b);
  // Binds the abstract resources of `b` (or `a`) found in the same places.
  void bind(const EntityType& a, const EntityType& b, unsigned depth = 0);

  // Prefixes the message of a failed check with `ctx` and records the step
  // (the path is built innermost first while the failure unwinds).
  Expected<void> within(Expected<void> r, const std::string& ctx, Step kind, std::string name, TypeId expected,
                        TypeId found) {
    if (r) return r;
    r.error().message = ctx + ": " + r.error().message;
    if (path_) path_->push_back({kind, std::move(name), expected, found});
    return r;
  }

  const TypeInfo& t_;
  std::vector<SubtypeStep>* path_;
  std::unordered_map<uint32_t, uint32_t> equiv_;  // resource -> resource, both directions
  std::unordered_set<uint32_t> bindable_;
};

bool Checker::resources_match(ResourceId a, ResourceId b) {
  if (a == b) return true;
  if (auto it = equiv_.find(a.index); it != equiv_.end() && it->second == b.index) return true;
  bool free_a = bindable_.count(a.index) && !equiv_.count(a.index);
  bool free_b = bindable_.count(b.index) && !equiv_.count(b.index);
  if (free_a || free_b) {
    equiv_[a.index] = b.index;
    equiv_[b.index] = a.index;
    return true;
  }
  return false;
}

bool Checker::value_equal(TypeId a, TypeId b) {
  if (a == b) return true;
  if (!a.valid() || !b.valid()) return false;
  const TypeNode &na = t_.node(a), &nb = t_.node(b);
  if (na.canon == nb.canon) return true;
  if (equiv_.empty() && bindable_.empty()) return false;
  if (!na.contains_resource || !nb.contains_resource) return false;
  if (na.kind == TypeKind::Resource && nb.kind == TypeKind::Resource) {
    return resources_match(t_.resource(a), t_.resource(b));
  }
  if (na.kind != TypeKind::Value || nb.kind != TypeKind::Value) return false;
  const ValueType &va = t_.value(a), &vb = t_.value(b);
  if (va.kind != vb.kind || va.labels != vb.labels || va.length != vb.length ||
      va.types.size() != vb.types.size()) {
    return false;
  }
  for (size_t i = 0; i < va.types.size(); ++i)
    if (!value_equal(va.types[i], vb.types[i])) return false;
  return true;
}

Expected<void> Checker::value(TypeId a, TypeId b) {
  if (value_equal(a, b)) return {};
  const ValueType &va = t_.value(a), &vb = t_.value(b);
  auto what = [&](TypeId t) { return t_.describe(t); };
  if (va.kind != vb.kind) {
    if (is_primitive(va.kind) && is_primitive(vb.kind)) {
      return mismatch(fmt::format("expected primitive `{}` found primitive `{}`", what(b), what(a)));
    }
    if (is_primitive(vb.kind)) return mismatch(fmt::format("expected primitive, found {}", value_kind_name(va.kind)));
    return mismatch(fmt::format("expected {}, found {}", value_kind_name(vb.kind), what(a)));
  }
  auto count = [&](std::string_view items) -> Expected<void> {
    if (va.types.size() != vb.types.size()) {
      return mismatch(fmt::format("expected {} {}, found {}", vb.types.size(), items, va.types.size()));
    }
    return {};
  };
  switch (va.kind) {
    case ValueKind::Record:
      if (auto r = count("fields"); !r) return r;
      for (size_t i = 0; i < va.types.size(); ++i) {
        if (va.labels[i] != vb.labels[i]) {
          return mismatch(fmt::format("expected field name `{}`, found `{}`", vb.labels[i], va.labels[i]));
        }
        if (auto r = within(value(va.types[i], vb.types[i]), fmt::format("type mismatch in record field `{}`", vb.labels[i]), Step::Field, vb.labels[i], vb.types[i], va.types[i]); !r) return r;
      }
      return {};
    case ValueKind::Variant:
      if (auto r = count("cases"); !r) return r;
      for (size_t i = 0; i < va.types.size(); ++i) {
        if (va.labels[i] != vb.labels[i]) {
          return mismatch(fmt::format("expected case named `{}`, found `{}`", vb.labels[i], va.labels[i]));
        }
        if (va.types[i].valid() != vb.types[i].valid()) {
          return mismatch(vb.types[i].valid()
                              ? fmt::format("expected case `{}` to have a type, found none", vb.labels[i])
                              : fmt::format("expected case `{}` to have no type", vb.labels[i]));
        }
        if (!va.types[i].valid()) continue;
        if (auto r = within(value(va.types[i], vb.types[i]), fmt::format("type mismatch in variant case `{}`", vb.labels[i]), Step::Case, vb.labels[i], vb.types[i], va.types[i]); !r) return r;
      }
      return {};
    case ValueKind::Tuple:
      if (auto r = count("types"); !r) return r;
      for (size_t i = 0; i < va.types.size(); ++i) {
        if (auto r = within(value(va.types[i], vb.types[i]), fmt::format("type mismatch in tuple field {}", i), Step::Tuple, std::to_string(i), vb.types[i], va.types[i]); !r) return r;
      }
      return {};
    case ValueKind::Flags:
    case ValueKind::Enum:
      return mismatch(fmt::format("mismatch in {} elements", value_kind_name(va.kind)));
    case ValueKind::FixedList:
      if (va.length != vb.length) {
        return mismatch(fmt::format("expected list of length {}, found length {}", vb.length, va.length));
      }
      [[fallthrough]];
    case ValueKind::List:
    case ValueKind::Option:
      return within(value(va.types[0], vb.types[0]), fmt::format("type mismatch in {} element", value_kind_name(va.kind)),
                    Step::Element, "", vb.types[0], va.types[0]);
    case ValueKind::Stream:
    case ValueKind::Future:
      if (va.types[0].valid() != vb.types[0].valid()) {
        return mismatch(fmt::format("expected {} {} element type", value_kind_name(va.kind),
                                    vb.types[0].valid() ? "with an" : "without an"));
      }
      return within(value(va.types[0], vb.types[0]), fmt::format("type mismatch in {} element", value_kind_name(va.kind)),
                    Step::Element, "", vb.types[0], va.types[0]);
    case ValueKind::Result:
      for (int i = 0; i < 2; ++i) {
        const char* which = i == 0 ? "ok" : "err";
        if (va.types[i].valid() != vb.types[i].valid()) {
          return mismatch(vb.types[i].valid() ? fmt::format("expected {} type, but found none", which)
                                              : fmt::format("expected {} type to not be present", which));
        }
        if (!va.types[i].valid()) continue;
        if (auto r = within(value(va.types[i], vb.types[i]), fmt::format("type mismatch in {} variant", which), i == 0 ? Step::Ok : Step::Err, "", vb.types[i], va.types[i]); !r) return r;
      }
      return {};
    case ValueKind::Map:
      if (auto r = within(value(va.types[0], vb.types[0]), "type mismatch in map key", Step::MapKey, "", vb.types[0], va.types[0]); !r) return r;
      return within(value(va.types[1], vb.types[1]), "type mismatch in map value", Step::MapValue, "", vb.types[1], va.types[1]);
    case ValueKind::Own:
    case ValueKind::Borrow: return mismatch("resource types are not the same");
    default: return mismatch(fmt::format("expected {}, found {}", what(b), what(a)));
  }
}

Expected<void> Checker::func(TypeId a, TypeId b) {
  const ComponentFuncType &fa = t_.func(a), &fb = t_.func(b);
  if (fa.async != fb.async) {
    return mismatch(fb.async ? "expected an async function, found a sync function"
                             : "expected a sync function, found an async function");
  }
  if (fa.params.size() != fb.params.size()) {
    return mismatch(fmt::format("expected {} parameters, found {}", fb.params.size(), fa.params.size()));
  }
  for (size_t i = 0; i < fa.params.size(); ++i) {
    if (fa.params[i].first != fb.params[i].first) {
      return mismatch(fmt::format("expected parameter named `{}`, found `{}`", fb.params[i].first, fa.params[i].first));
    }
    if (auto r = within(value(fa.params[i].second, fb.params[i].second),
                        fmt::format("type mismatch in function parameter `{}`", fb.params[i].first), Step::Param,
                        fb.params[i].first, fb.params[i].second, fa.params[i].second);
        !r) {
      return r;
    }
  }
  if (fa.result.has_value() != fb.result.has_value()) {
    return mismatch(fb.result ? "expected a result, found none" : "expected no result, found one");
  }
  if (fa.result) return within(value(*fa.result, *fb.result), "type mismatch with result type", Step::Result, "", *fb.result, *fa.result);
  return {};
}

Expected<void> Checker::type_entity(TypeId a, TypeId b) {
  const TypeNode &na = t_.node(a), &nb = t_.node(b);
  auto kind_name = [](TypeKind k) {
    switch (k) {
      case TypeKind::Value: return "defined type";
      case TypeKind::Func: return "func type";
      case TypeKind::Component: return "component type";
      case TypeKind::Instance: return "instance type";
      case TypeKind::Resource: return "resource";
    }
    return "type";
  };
  if (na.kind != nb.kind) return mismatch(fmt::format("expected {}, found {}", kind_name(nb.kind), kind_name(na.kind)));
  switch (na.kind) {
    case TypeKind::Resource:
      if (!resources_match(t_.resource(a), t_.resource(b))) return mismatch("resource types are not the same");
      return {};
    case TypeKind::Value:
      if (auto r = value(a, b); !r) return r;
      return value(b, a);
    case TypeKind::Func: return func(a, b);
    case TypeKind::Instance:
      if (auto r = instance(a, b); !r) return r;
      return instance(b, a);
    case TypeKind::Component:
      if (auto r = component(a, b); !r) return r;
      return component(b, a);
  }
  return {};
}

Expected<void> Checker::entity(const EntityType& a, const EntityType& b) {
  if (a.kind != b.kind) {
    return mismatch(fmt::format("expected {}, found {}", entity_kind_name(b.kind), entity_kind_name(a.kind)));
  }
  switch (a.kind) {
    case EntityKind::Module: return module(a.module, b.module);
    case EntityKind::Func: return func(a.type, b.type);
    case EntityKind::Value: return value(a.type, b.type);
    case EntityKind::Type: return type_entity(a.type, b.type);
    case EntityKind::Instance: return instance(a.type, b.type);
    case EntityKind::Component: return component(a.type, b.type);
  }
  return {};
}

void Checker::bind(const EntityType& a, const EntityType& b, unsigned depth) {
  if (a.kind != b.kind || depth > 100) return;
  if (a.kind == EntityKind::Type) {
    if (t_.kind(a.type) == TypeKind::Resource && t_.kind(b.type) == TypeKind::Resource) {
      resources_match(t_.resource(a.type), t_.resource(b.type));
    }
  } else if (a.kind == EntityKind::Instance) {
    const auto &ia = t_.instance(a.type), &ib = t_.instance(b.type);
    for (const auto& [name, eb] : ib.exports)
      if (const EntityType* ea = ia.exports.find(name)) bind(*ea, eb, depth + 1);
  }
}

Expected<void> Checker::instance(TypeId a, TypeId b) {
  if (a == b) return {};
  const InstanceType &ia = t_.instance(a), &ib = t_.instance(b);
  for (ResourceId r : ib.defined_resources) bindable_.insert(r.index);
  for (const auto& [name, eb] : ib.exports) {
    const EntityType* ea = ia.exports.find(name);
    if (!ea) return mismatch(fmt::format("missing expected export `{}`", name));
    bind(*ea, eb);
    if (auto r = within(entity(*ea, eb), fmt::format("type mismatch in instance export `{}`", name), Step::Export, name, eb.type, ea->type); !r) return r;
  }
  return {};
}

Expected<void> Checker::component(TypeId a, TypeId b) {
  if (a == b) return {};
  const ComponentType &ca = t_.component(a), &cb = t_.component(b);
  for (ResourceId r : ca.imported_resources) bindable_.insert(r.index);
  for (ResourceId r : cb.defined_resources) bindable_.insert(r.index);
  for (const auto& [name, ea] : ca.imports) {
    const EntityType* eb = cb.imports.find(name);
    if (!eb) return mismatch(fmt::format("missing expected import `{}`", name));
    bind(*eb, ea);
    if (auto r = within(entity(*eb, ea), fmt::format("type mismatch in import `{}`", name), Step::Import, name, ea.type, eb->type); !r) return r;
  }
  for (const auto& [name, eb] : cb.exports) {
    const EntityType* ea = ca.exports.find(name);
    if (!ea) return mismatch(fmt::format("missing expected export `{}`", name));
    bind(*ea, eb);
    if (auto r = within(entity(*ea, eb), fmt::format("type mismatch in export `{}`", name), Step::Export, name, eb.type, ea->type); !r) return r;
  }
  return {};
}

std::string core_func_text(const FuncType& f) {
  std::string s = "(func";
  if (!f.params.empty()) {
    s += " (param";
    for (ValType v : f.params) s += fmt::format(" {}", to_string(v));
    s += ")";
  }
  if (!f.results.empty()) {
    s += " (result";
    for (ValType v : f.results) s += fmt::format(" {}", to_string(v));
    s += ")";
  }
  return s + ")";
}

bool limits_match(const Limits& a, const Limits& b) {
  if (a.min < b.min) return false;
  if (b.max && (!a.max || *a.max > *b.max)) return false;
  return true;
}

Expected<void> Checker::core_entity(const CoreEntity& a, const CoreEntity& b) {
  if (a.kind != b.kind) {
    return mismatch(fmt::format("expected {}, found {}", to_string(b.kind) == "function" ? "func" : to_string(b.kind),
                                to_string(a.kind) == "function" ? "func" : to_string(a.kind)));
  }
  switch (a.kind) {
    case ExternKind::Func:
    case ExternKind::Tag:
      if (a.func != b.func) {
        return mismatch(fmt::format("type mismatch: expected: {}, found: {}", core_func_text(t_.core_func(b.func)),
                                    core_func_text(t_.core_func(a.func))));
      }
      return {};
    case ExternKind::Table:
      if (a.table.elem != b.table.elem) {
        return mismatch(fmt::format("expected table element type {}, found {}", to_string(b.table.elem),
                                    to_string(a.table.elem)));
      }
      if (a.table.limits.is64 != b.table.limits.is64 || !limits_match(a.table.limits, b.table.limits)) {
        return mismatch("mismatch in table limits");
      }
      return {};
    case ExternKind::Memory:
      if (a.memory.limits.shared != b.memory.limits.shared) return mismatch("mismatch in the shared flag for memories");
      if (a.memory.limits.is64 != b.memory.limits.is64) return mismatch("mismatch in index type used for memories");
      if (!limits_match(a.memory.limits, b.memory.limits)) return mismatch("mismatch in memory limits");
      return {};
    case ExternKind::Global:
      if (a.global.type != b.global.type) {
        return mismatch(fmt::format("expected global type {}, found {}", to_string(b.global.type), to_string(a.global.type)));
      }
      if (a.global.mut != b.global.mut) return mismatch("global types differ in mutability");
      return {};
  }
  return {};
}

Expected<void> Checker::module(ModuleTypeId a, ModuleTypeId b) {
  if (a == b) return {};
  const ModuleType &ma = t_.module(a), &mb = t_.module(b);
  for (const auto& ia : ma.imports) {
    const CoreImportType* found = nullptr;
    for (const auto& ib : mb.imports) {
      if (ib.module == ia.module && ib.name == ia.name) {
        found = &ib;
        break;
      }
    }
    if (!found) return mismatch(fmt::format("missing expected import `{}::{}`", ia.module, ia.name));
    if (auto r = within(core_entity(found->type, ia.type), fmt::format("type mismatch in import `{}::{}`", ia.module, ia.name),
                        Step::Import, fmt::format("{}::{}", ia.module, ia.name), {}, {});
        !r) {
      return r;
    }
  }
  for (const auto& [name, eb] : mb.exports) {
    const CoreEntity* ea = ma.exports.find(name);
    if (!ea) return mismatch(fmt::format("missing expected export `{}`", name));
    if (auto r = within(core_entity(*ea, eb), fmt::format("type mismatch in export `{}`", name), Step::Export, name, {}, {});
        !r) {
      return r;
    }
  }
  return {};
}

}  // namespace

bool TypeInfo::equal(TypeId a, TypeId b) const {
  if (a == b) return true;
  const TypeNode &na = node(a), &nb = node(b);
  if (na.kind != nb.kind) return false;
  if (na.kind == TypeKind::Instance || na.kind == TypeKind::Component) {
    EntityType ea{na.kind == TypeKind::Instance ? EntityKind::Instance : EntityKind::Component, a, {}};
    EntityType eb{ea.kind, b, {}};
    return check_subtype(ea, eb).has_value() && check_subtype(eb, ea).has_value();
  }
  return na.canon == nb.canon;
}

Expected<void> TypeInfo::check_subtype(const EntityType& a, const EntityType& b) const {
  Checker c(*this);
  return c.entity(a, b);
}

Expected<void> TypeInfo::check_subtype(const EntityType& a, const EntityType& b, std::vector<SubtypeStep>& path) const {
  path.clear();
  Checker c(*this, &path);
  auto r = c.entity(a, b);
  std::reverse(path.begin(), path.end());
  return r;
}

Expected<void> TypeInfo::check_value_subtype(TypeId a, TypeId b) const {
  Checker c(*this);
  return c.value(a, b);
}

Expected<void> TypeInfo::check_module_subtype(ModuleTypeId a, ModuleTypeId b) const {
  Checker c(*this);
  return c.module(a, b);
}

Expected<void> TypeInfo::check_core_entity(const CoreEntity& a, const CoreEntity& b) const {
  Checker c(*this);
  return c.core_entity(a, b);
}

}  // namespace witc::bin
