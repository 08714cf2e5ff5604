// The resolved-type arena: building, hash-consing, describing and
// substituting component types.
#include "witc/bin/component_types.h"

#include <fmt/format.h>

namespace witc::bin {

namespace {

void put_u32(std::string& key, uint32_t v) { key.append(reinterpret_cast<const char*>(&v), sizeof v); }
void put_str(std::string& key, const std::string& s) {
  put_u32(key, static_cast<uint32_t>(s.size()));
  key += s;
}

}  // namespace

ValueKind value_kind(PrimValType p) {
  switch (p) {
    case PrimValType::Bool: return ValueKind::Bool;
    case PrimValType::S8: return ValueKind::S8;
    case PrimValType::U8: return ValueKind::U8;
    case PrimValType::S16: return ValueKind::S16;
    case PrimValType::U16: return ValueKind::U16;
    case PrimValType::S32: return ValueKind::S32;
    case PrimValType::U32: return ValueKind::U32;
    case PrimValType::S64: return ValueKind::S64;
    case PrimValType::U64: return ValueKind::U64;
    case PrimValType::F32: return ValueKind::F32;
    case PrimValType::F64: return ValueKind::F64;
    case PrimValType::Char: return ValueKind::Char;
    case PrimValType::String: return ValueKind::String;
    case PrimValType::ErrorContext: return ValueKind::ErrorContext;
  }
  return ValueKind::Bool;
}

std::string_view value_kind_name(ValueKind k) {
  static constexpr std::string_view kNames[] = {
      "bool",   "s8",   "u8",   "s16",   "u16",   "s32",    "u32",        "s64",
      "u64",    "f32",  "f64",  "char",  "string", "error-context", "record", "variant",
      "list",   "list", "tuple", "flags", "enum",  "option", "result",     "own",
      "borrow", "stream", "future", "map"};
  return kNames[static_cast<size_t>(k)];
}

std::string_view entity_kind_name(EntityKind k) {
  switch (k) {
    case EntityKind::Module: return "module";
    case EntityKind::Func: return "func";
    case EntityKind::Value: return "value";
    case EntityKind::Type: return "type";
    case EntityKind::Instance: return "instance";
    case EntityKind::Component: return "component";
  }
  return "unknown";
}

TypeInfo::TypeInfo() {
  for (uint32_t k = 0; k <= static_cast<uint32_t>(ValueKind::ErrorContext); ++k) {
    ValueType v;
    v.kind = static_cast<ValueKind>(k);
    add_value(std::move(v));
  }
}

TypeId TypeInfo::prim(PrimValType p) const { return prim(value_kind(p)); }

TypeId TypeInfo::definition(TypeId t) const {
  while (nodes_[t.index].origin.valid()) t = nodes_[t.index].origin;
  return t;
}

uint32_t TypeInfo::intern(const std::string& key) {
  auto [it, fresh] = classes_.emplace(key, next_class_);
  if (fresh) ++next_class_;
  return it->second;
}

TypeId TypeInfo::add_node(TypeNode n) {
  nodes_.push_back(n);
  return TypeId(static_cast<uint32_t>(nodes_.size() - 1));
}

TypeId TypeInfo::add_value(ValueType v) {
  TypeNode n;
  n.kind = TypeKind::Value;
  n.index = static_cast<uint32_t>(values_.size());
  std::string key = "V";
  key += static_cast<char>(v.kind);
  put_u32(key, v.length);
  put_u32(key, static_cast<uint32_t>(v.labels.size()));
  for (const auto& l : v.labels) put_str(key, l);
  uint32_t depth = 0;
  for (TypeId c : v.types) {
    if (!c.valid()) {
      put_u32(key, UINT32_MAX);
      continue;
    }
    const TypeNode& cn = nodes_[c.index];
    put_u32(key, cn.canon);
    depth = std::max(depth, cn.depth);
    n.contains_borrow |= cn.contains_borrow;
    n.contains_resource |= cn.contains_resource;
  }
  n.depth = depth + 1;
  if (v.kind == ValueKind::Borrow) n.contains_borrow = true;
  if (v.kind == ValueKind::Own || v.kind == ValueKind::Borrow) n.contains_resource = true;
  n.canon = intern(key);
  values_.push_back(std::move(v));
  return add_node(n);
}

TypeId TypeInfo::add_func(ComponentFuncType f) {
  TypeNode n;
  n.kind = TypeKind::Func;
  n.index = static_cast<uint32_t>(funcs_.size());
  std::string key = "F";
  key += f.async ? 'a' : 's';
  for (const auto& [name, t] : f.params) {
    put_str(key, name);
    put_u32(key, nodes_[t.index].canon);
    n.contains_borrow |= nodes_[t.index].contains_borrow;
    n.contains_resource |= nodes_[t.index].contains_resource;
  }
  key += f.result ? 'r' : 'n';
  if (f.result) {
    put_u32(key, nodes_[f.result->index].canon);
    n.contains_resource |= nodes_[f.result->index].contains_resource;
  }
  n.canon = intern(key);
  funcs_.push_back(std::move(f));
  return add_node(n);
}

TypeId TypeInfo::add_component(ComponentType c) {
  TypeNode n;
  n.kind = TypeKind::Component;
  n.index = static_cast<uint32_t>(components_.size());
  n.canon = next_class_++;
  n.contains_resource = !c.imported_resources.empty() || !c.defined_resources.empty();
  for (const auto* map : {&c.imports, &c.exports}) {
    for (const auto& [name, e] : *map) {
      if (e.kind != EntityKind::Module) n.contains_resource |= nodes_[e.type.index].contains_resource;
    }
  }
  components_.push_back(std::move(c));
  return add_node(n);
}

TypeId TypeInfo::add_instance(InstanceType i) {
  TypeNode n;
  n.kind = TypeKind::Instance;
  n.index = static_cast<uint32_t>(instances_.size());
  n.canon = next_class_++;
  n.contains_resource = !i.defined_resources.empty();
  for (const auto& [name, e] : i.exports) {
    if (e.kind != EntityKind::Module) n.contains_resource |= nodes_[e.type.index].contains_resource;
  }
  instances_.push_back(std::move(i));
  return add_node(n);
}

TypeId TypeInfo::add_resource(ResourceId r) {
  TypeNode n;
  n.kind = TypeKind::Resource;
  n.index = r.index;
  std::string key = "R";
  put_u32(key, r.index);
  n.canon = intern(key);
  n.contains_resource = true;
  return add_node(n);
}

TypeId TypeInfo::copy(TypeId t) {
  TypeNode n = nodes_[t.index];
  n.origin = t;
  return add_node(n);
}

ResourceId TypeInfo::new_resource(ResourceInfo info) {
  resources_.push_back(info);
  return ResourceId(static_cast<uint32_t>(resources_.size() - 1));
}

CoreFuncTypeId TypeInfo::intern_core_func(const FuncType& f) {
  std::string key;
  put_u32(key, static_cast<uint32_t>(f.params.size()));
  for (ValType v : f.params) key += static_cast<char>(v);
  for (ValType v : f.results) key += static_cast<char>(v);
  auto [it, fresh] = core_func_index_.emplace(key, static_cast<uint32_t>(core_funcs_.size()));
  if (fresh) {
    FuncType copy{f.params, f.results, 0};
    core_funcs_.push_back(std::move(copy));
  }
  return CoreFuncTypeId(it->second);
}

ModuleTypeId TypeInfo::add_module(ModuleType m) {
  modules_.push_back(std::move(m));
  return ModuleTypeId(static_cast<uint32_t>(modules_.size() - 1));
}

CoreInstanceTypeId TypeInfo::add_core_instance(CoreInstanceType i) {
  core_instances_.push_back(std::move(i));
  return CoreInstanceTypeId(static_cast<uint32_t>(core_instances_.size() - 1));
}

std::string TypeInfo::describe(TypeId t) const {
  if (!t.valid()) return "none";
  const TypeNode& n = nodes_[t.index];
  switch (n.kind) {
    case TypeKind::Resource: return fmt::format("resource {}", n.index);
    case TypeKind::Component: return "component";
    case TypeKind::Instance: return "instance";
    case TypeKind::Func: {
      const auto& f = func(t);
      std::string s = f.async ? "async func(" : "func(";
      for (size_t i = 0; i < f.params.size(); ++i) {
        s += fmt::format("{}{}: {}", i ? ", " : "", f.params[i].first, describe(f.params[i].second));
      }
      s += ")";
      if (f.result) s += " -> " + describe(*f.result);
      return s;
    }
    case TypeKind::Value: break;
  }
  const ValueType& v = value(t);
  if (n.depth > 4 && !is_primitive(v.kind)) return std::string(value_kind_name(v.kind));
  auto args = [&](size_t from, size_t to) {
    std::string s;
    for (size_t i = from; i < to && i < v.types.size(); ++i) {
      if (!s.empty()) s += ", ";
      s += v.types[i].valid() ? describe(v.types[i]) : "_";
    }
    return s;
  };
  switch (v.kind) {
    case ValueKind::List:
    case ValueKind::Option: return fmt::format("{}<{}>", value_kind_name(v.kind), args(0, 1));
    case ValueKind::FixedList: return fmt::format("list<{}, {}>", args(0, 1), v.length);
    case ValueKind::Tuple: return fmt::format("tuple<{}>", args(0, v.types.size()));
    case ValueKind::Result: return fmt::format("result<{}>", args(0, 2));
    case ValueKind::Map: return fmt::format("map<{}>", args(0, 2));
    case ValueKind::Stream:
    case ValueKind::Future:
      return v.types.empty() || !v.types[0].valid() ? std::string(value_kind_name(v.kind))
                                                     : fmt::format("{}<{}>", value_kind_name(v.kind), args(0, 1));
    case ValueKind::Own:
    case ValueKind::Borrow: return fmt::format("{}<{}>", value_kind_name(v.kind), describe(v.types[0]));
    default: return std::string(value_kind_name(v.kind));
  }
}

// --- substitution -------------------------------------------------------------------

bool TypeInfo::subst_entity(EntityType& e, Substitution& s) {
  if (e.kind == EntityKind::Module) return false;
  TypeId t = substitute(e.type, s);
  bool changed = t != e.type;
  e.type = t;
  return changed;
}

EntityType TypeInfo::substitute(const EntityType& e, Substitution& s) {
  if (e.kind == EntityKind::Module) return e;
  EntityType out = e;
  out.type = substitute(e.type, s);
  return out;
}

TypeId TypeInfo::substitute(TypeId t, Substitution& s) {
  if (!t.valid() || s.empty()) return t;
  if (s.types.empty() && !nodes_[t.index].contains_resource) return t;
  if (auto it = s.memo.find(t.index); it != s.memo.end()) return it->second;
  if (auto it = s.types.find(t.index); it != s.types.end()) return it->second;
  TypeId result = t;
  const TypeNode n = nodes_[t.index];
  auto map_res = [&](ResourceId r) {
    auto it = s.resources.find(r.index);
    return it == s.resources.end() ? r : it->second;
  };
  switch (n.kind) {
    case TypeKind::Resource: {
      ResourceId r = ResourceId(n.index), m = map_res(r);
      if (m != r) result = add_resource(m);
      break;
    }
    case TypeKind::Value: {
      ValueType v = values_[n.index];
      bool changed = false;
      for (TypeId& c : v.types) {
        TypeId nc = substitute(c, s);
        changed |= nc != c;
        c = nc;
      }
      if (changed) result = add_value(std::move(v));
      break;
    }
    case TypeKind::Func: {
      ComponentFuncType f = funcs_[n.index];
      bool changed = false;
      for (auto& p : f.params) {
        TypeId np = substitute(p.second, s);
        changed |= np != p.second;
        p.second = np;
      }
      if (f.result) {
        TypeId nr = substitute(*f.result, s);
        changed |= nr != *f.result;
        f.result = nr;
      }
      if (changed) result = add_func(std::move(f));
      break;
    }
    case TypeKind::Instance: {
      InstanceType i = instances_[n.index];
      bool changed = false;
      for (auto& [name, e] : i.exports) changed |= subst_entity(e, s);
      for (auto& r : i.defined_resources) changed |= map_res(r) != r, r = map_res(r);
      if (changed) result = add_instance(std::move(i));
      break;
    }
    case TypeKind::Component: {
      ComponentType c = components_[n.index];
      bool changed = false;
      for (auto& [name, e] : c.imports) changed |= subst_entity(e, s);
      for (auto& [name, e] : c.exports) changed |= subst_entity(e, s);
      for (auto& r : c.imported_resources) changed |= map_res(r) != r, r = map_res(r);
      for (auto& r : c.defined_resources) changed |= map_res(r) != r, r = map_res(r);
      if (changed) result = add_component(std::move(c));
      break;
    }
  }
  // Identity follows substitution too: a copy of a replaced type import
  // (an export `(eq $imported)`) becomes a copy of the argument, even when
  // its structure is unchanged (Binary.md "Instance Definitions"). Bounded,
  // so that long chains of copies cannot exhaust the native stack.
  if (n.origin.valid() && origin_depth_ < kMaxOriginDepth) {
    ++origin_depth_;
    TypeId origin = substitute(n.origin, s);
    --origin_depth_;
    if (result == t && origin != n.origin) result = copy(t);
    if (result != t) nodes_[result.index].origin = origin;
  }
  s.memo.emplace(t.index, result);
  return result;
}

// --- instantiation ----------------------------------------------------------------------

void TypeInfo::bind_imports(const EntityType& expected, const EntityType& actual,
                            const std::unordered_set<uint32_t>& quantified, Substitution& s, bool after) const {
  bind_imports(expected, actual, quantified, s, after, 0);
}

void TypeInfo::bind_imports(const EntityType& expected, const EntityType& actual,
                            const std::unordered_set<uint32_t>& quantified, Substitution& s, bool after,
                            unsigned depth) const {
  if (expected.kind != actual.kind || depth > 100) return;
  if (expected.kind == EntityKind::Type) {
    bool resources = kind(expected.type) == TypeKind::Resource && kind(actual.type) == TypeKind::Resource;
    if (!after && resources) {
      ResourceId r = resource(expected.type);
      if (quantified.count(r.index) && !s.resources.count(r.index)) {
        s.resources[r.index] = resource(actual.type);
        s.types[expected.type.index] = actual.type;
      }
    }
    if (after && !s.types.count(expected.type.index)) s.types[expected.type.index] = actual.type;
  } else if (expected.kind == EntityKind::Instance) {
    const auto& ie = instance(expected.type);
    const auto& ia = instance(actual.type);
    for (const auto& [name, e] : ie.exports) {
      if (const EntityType* a = ia.exports.find(name)) bind_imports(e, *a, quantified, s, after, depth + 1);
    }
  }
}

}  // namespace witc::bin
