// WIT types as component-model type definitions (see encode_types.h).
#include "encode_types.h"

#include <algorithm>
#include <variant>

#include <fmt/format.h>

#include "witc/base/try.h"

namespace witc::compose::detail {

namespace {

using bin::Declarator;
using bin::DefinedType;
using bin::ExternDesc;
using bin::ValueTypeRef;

Declarator type_decl(bin::TypeDef t) {
  Declarator d;
  d.kind = Declarator::Kind::Type;
  d.type = bin::Box<bin::TypeDef>(std::move(t));
  return d;
}

Declarator extern_decl(Declarator::Kind kind, std::string name, ExternDesc desc,
                       const std::optional<std::string>& external_id = std::nullopt) {
  Declarator d;
  d.kind = kind;
  d.name = plain_name(std::move(name), external_id);
  d.desc = desc;
  return d;
}

ExternDesc type_eq(uint32_t index) {
  ExternDesc d;
  d.kind = ExternDesc::Kind::Type;
  d.index = index;
  return d;
}

ExternDesc sub_resource() {
  ExternDesc d;
  d.kind = ExternDesc::Kind::Type;
  d.bound = ExternDesc::Bound::SubResource;
  return d;
}

Declarator type_alias(bin::AliasDef::Kind kind, uint32_t a, uint32_t b, std::string name) {
  Declarator d;
  d.kind = Declarator::Kind::Alias;
  d.alias.sort = bin::Sort::Type;
  d.alias.kind = kind;
  if (kind == bin::AliasDef::Kind::Outer) {
    d.alias.outer_count = a;
    d.alias.outer_index = b;
  } else {
    d.alias.instance = a;
    d.alias.name = std::move(name);
  }
  return d;
}

// The part of a dedup key naming one WIT type: its primitive or its TypeId.
void key_type(std::string& k, const wit::Type& t) {
  if (t.is_id()) {
    k.append("#").append(std::to_string(t.id.index));
  } else {
    k.append("p").append(std::to_string(static_cast<int>(t.kind)));
  }
  k.push_back(',');
}
void key_opt(std::string& k, const std::optional<wit::Type>& t) {
  if (t) {
    key_type(k, *t);
  } else {
    k.append("-,");
  }
}

// A key equal for two type definitions exactly when their kinds are equal
// (names of fields and cases included; referenced types by TypeId).
std::string def_key(const wit::TypeDefKind& kind) {
  std::string k = std::to_string(kind.index());
  k.push_back(':');
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, wit::Record>) {
          for (const auto& f : v.fields) key_type(k.append(f.name).append("="), f.type);
        } else if constexpr (std::is_same_v<T, wit::Handle>) {
          k.append(v.kind == wit::Handle::Kind::Own ? "own" : "borrow")
              .append(std::to_string(v.resource.index));
        } else if constexpr (std::is_same_v<T, wit::Flags>) {
          for (const auto& f : v.flags) k.append(f.name).append(",");
        } else if constexpr (std::is_same_v<T, wit::Tuple>) {
          for (const auto& t : v.types) key_type(k, t);
        } else if constexpr (std::is_same_v<T, wit::Variant>) {
          for (const auto& c : v.cases) key_opt(k.append(c.name).append("="), c.type);
        } else if constexpr (std::is_same_v<T, wit::Enum>) {
          for (const auto& c : v.cases) k.append(c.name).append(",");
        } else if constexpr (std::is_same_v<T, wit::Option> || std::is_same_v<T, wit::Alias>) {
          if constexpr (std::is_same_v<T, wit::Option>) key_type(k, v.type);
          else key_type(k, v.target);
        } else if constexpr (std::is_same_v<T, wit::Result>) {
          key_opt(k, v.ok);
          key_opt(k, v.err);
        } else if constexpr (std::is_same_v<T, wit::List>) {
          key_type(k, v.element);
        } else if constexpr (std::is_same_v<T, wit::FixedSizeList>) {
          key_type(k, v.element);
          k.append(std::to_string(v.size));
        } else if constexpr (std::is_same_v<T, wit::Map>) {
          key_type(k, v.key);
          key_type(k, v.value);
        } else if constexpr (std::is_same_v<T, wit::Future> || std::is_same_v<T, wit::Stream>) {
          key_opt(k, v.type);
        }
      },
      kind);
  return k;
}

// A key equal for two functions whose types the reference shares.
std::string func_key(const wit::Function& f) {
  std::string k = f.is_async() ? "async(" : "(";
  for (const auto& [name, t] : f.params) key_type(k.append(name).append(":"), t);
  k.append(")");
  key_opt(k, f.result);
  return k;
}

DefinedType defined(DefinedType::Kind kind) {
  DefinedType d;
  d.kind = kind;
  return d;
}

bin::TypeDef of_defined(DefinedType d) {
  bin::TypeDef t;
  t.kind = bin::TypeDef::Kind::Defined;
  t.defined = std::move(d);
  return t;
}

}  // namespace

bin::PrimValType prim_of(wit::Type::Kind k) {
  using K = wit::Type::Kind;
  using P = bin::PrimValType;
  switch (k) {
    case K::Bool: return P::Bool;
    case K::U8: return P::U8;
    case K::U16: return P::U16;
    case K::U32: return P::U32;
    case K::U64: return P::U64;
    case K::S8: return P::S8;
    case K::S16: return P::S16;
    case K::S32: return P::S32;
    case K::S64: return P::S64;
    case K::F32: return P::F32;
    case K::F64: return P::F64;
    case K::Char: return P::Char;
    case K::String: return P::String;
    case K::ErrorContext: return P::ErrorContext;
    case K::Id: break;
  }
  return P::Bool;
}

bin::ExternName plain_name(std::string name, const std::optional<std::string>& external_id) {
  bin::ExternName n;
  n.name = std::move(name);
  if (external_id) {  // Binary.md nameattributes: form 0x02 with `(external-id n)`
    n.form = 0x02;
    n.attributes.push_back({bin::NameAttribute::Kind::ExternalId, *external_id});
  }
  return n;
}

bin::ExternName world_item_name(const wit::Resolve& r, const wit::WorldKey& key, const wit::WorldItem& item) {
  bin::ExternName name;
  name.name = key.is_interface() ? r.id_of(key.interface).value_or(key.name) : key.name;
  std::optional<std::string> implements;
  if (item.kind == wit::WorldItem::Kind::Interface && !key.is_interface()) implements = r.id_of(item.interface);
  const std::optional<std::string>& ext =
      item.kind == wit::WorldItem::Kind::Function ? item.function.external_id : item.external_id;
  if (implements || ext) name.form = 0x02;  // Binary.md nameattributes, 🏷️
  if (implements) name.attributes.push_back({bin::NameAttribute::Kind::Implements, *implements});
  if (ext) name.attributes.push_back({bin::NameAttribute::Kind::ExternalId, *ext});
  return name;
}

uint32_t TypeScope::add(Declarator d) {
  if (sink) return sink->add(std::move(d));
  uint32_t index = 0;
  switch (d.kind) {
    case Declarator::Kind::Type: index = types++; break;
    case Declarator::Kind::Alias:
      if (d.alias.sort == bin::Sort::Type) index = types++;
      if (d.alias.sort == bin::Sort::Instance) index = instances++;
      break;
    case Declarator::Kind::Import:
    case Declarator::Kind::Export:
      if (d.desc.kind == ExternDesc::Kind::Type) index = types++;
      if (d.desc.kind == ExternDesc::Kind::Instance) index = instances++;
      break;
    case Declarator::Kind::CoreType: break;
  }
  decls.push_back(std::move(d));
  return index;
}

bin::TypeDef TypeScope::finish(bin::TypeDef::Kind kind) && {
  bin::TypeDef t;
  t.kind = kind;
  t.decls = std::move(decls);
  return t;
}

uint32_t ValtypeEncoder::define(bin::TypeDef t) { return cur().add(type_decl(std::move(t))); }

uint32_t ValtypeEncoder::define_prim(bin::PrimValType p) {
  DefinedType d = defined(DefinedType::Kind::Prim);
  d.prim = p;
  return define(of_defined(std::move(d)));
}

void TypeBuilder::outer_import(bin::ExternName name, ExternDesc desc) {
  Declarator d = extern_decl(Declarator::Kind::Import, {}, desc);
  d.name = std::move(name);
  outer_.add(std::move(d));
}

void TypeBuilder::outer_export(bin::ExternName name, ExternDesc desc) {
  Declarator d = extern_decl(Declarator::Kind::Export, {}, desc);
  d.name = std::move(name);
  outer_.add(std::move(d));
}

Expected<std::optional<ValueTypeRef>> ValtypeEncoder::opt_valtype(const std::optional<wit::Type>& t) {
  if (!t) return std::optional<ValueTypeRef>{};
  WITC_TRY_VAL(ValueTypeRef v, valtype(*t));
  return std::optional<ValueTypeRef>(v);
}

Expected<ValueTypeRef> ValtypeEncoder::valtype(wit::Type t) {
  if (!t.is_id()) return ValueTypeRef::of(prim_of(t.kind));
  wit::TypeId id = t.id;
  if (auto it = cur().id_to_index.find(id.index); it != cur().id_to_index.end()) {
    return ValueTypeRef::at(it->second);
  }
  WITC_TRY_VAL(std::optional<uint32_t> imported, foreign(id));
  if (imported) {
    cur().id_to_index[id.index] = *imported;
    return ValueTypeRef::at(*imported);
  }
  const wit::TypeDef& td = r_.types[id];
  std::string key;
  if (!td.name) {
    key = def_key(td.kind);
    if (auto it = cur().def_to_index.find(key); it != cur().def_to_index.end()) {
      cur().id_to_index[id.index] = it->second;
      return ValueTypeRef::at(it->second);
    }
  }
  if (std::holds_alternative<wit::Resource>(td.kind)) {
    if (!td.name) return fail(Diagnostic::plain("internal error: anonymous resource"));
    WITC_TRY_VAL(uint32_t index, resource(id));
    cur().id_to_index[id.index] = index;
    return ValueTypeRef::at(index);
  }
  WITC_TRY_VAL(ValueTypeRef encoded, define_kind(td));
  if (td.name) {
    uint32_t index = encoded.is_prim ? define_prim(encoded.prim) : encoded.index;
    encoded = ValueTypeRef::at(named(index, id));
  }
  if (!encoded.is_prim) {
    cur().id_to_index[id.index] = encoded.index;
    if (!td.name) cur().def_to_index.emplace(std::move(key), encoded.index);
  }
  return encoded;
}

// Defines the structure of a non-resource type; aliases yield their target.
Expected<ValueTypeRef> ValtypeEncoder::define_kind(const wit::TypeDef& td) {
  using K = DefinedType::Kind;
  DefinedType d;
  if (const auto* rec = std::get_if<wit::Record>(&td.kind)) {
    d.kind = K::Record;
    for (const auto& f : rec->fields) {
      WITC_TRY_VAL(ValueTypeRef v, valtype(f.type));
      d.fields.push_back({f.name, v});
    }
  } else if (const auto* tup = std::get_if<wit::Tuple>(&td.kind)) {
    d.kind = K::Tuple;
    for (const auto& t : tup->types) {
      WITC_TRY_VAL(ValueTypeRef v, valtype(t));
      d.elems.push_back(v);
    }
  } else if (const auto* fl = std::get_if<wit::Flags>(&td.kind)) {
    d.kind = K::Flags;
    for (const auto& f : fl->flags) d.labels.push_back(f.name);
  } else if (const auto* var = std::get_if<wit::Variant>(&td.kind)) {
    d.kind = K::Variant;
    for (const auto& c : var->cases) {
      WITC_TRY_VAL(auto v, opt_valtype(c.type));
      d.cases.push_back({c.name, v});
    }
  } else if (const auto* en = std::get_if<wit::Enum>(&td.kind)) {
    d.kind = K::Enum;
    for (const auto& c : en->cases) d.labels.push_back(c.name);
  } else if (const auto* opt = std::get_if<wit::Option>(&td.kind)) {
    d.kind = K::Option;
    WITC_TRY_VAL(d.a, valtype(opt->type));
  } else if (const auto* res = std::get_if<wit::Result>(&td.kind)) {
    d.kind = K::Result;
    WITC_TRY_VAL(d.a, opt_valtype(res->ok));
    WITC_TRY_VAL(d.b, opt_valtype(res->err));
  } else if (const auto* list = std::get_if<wit::List>(&td.kind)) {
    d.kind = K::List;
    WITC_TRY_VAL(d.a, valtype(list->element));
  } else if (const auto* fixed = std::get_if<wit::FixedSizeList>(&td.kind)) {
    d.kind = K::FixedList;
    WITC_TRY_VAL(d.a, valtype(fixed->element));
    d.length = fixed->size;
  } else if (const auto* map = std::get_if<wit::Map>(&td.kind)) {
    d.kind = K::Map;
    WITC_TRY_VAL(d.a, valtype(map->key));
    WITC_TRY_VAL(d.b, valtype(map->value));
  } else if (const auto* fut = std::get_if<wit::Future>(&td.kind)) {
    d.kind = K::Future;
    WITC_TRY_VAL(d.a, opt_valtype(fut->type));
  } else if (const auto* st = std::get_if<wit::Stream>(&td.kind)) {
    d.kind = K::Stream;
    WITC_TRY_VAL(d.a, opt_valtype(st->type));
  } else if (const auto* h = std::get_if<wit::Handle>(&td.kind)) {
    d.kind = h->kind == wit::Handle::Kind::Own ? K::Own : K::Borrow;
    WITC_TRY_VAL(ValueTypeRef v, valtype(wit::Type::of(h->resource)));
    if (v.is_prim) return fail(Diagnostic::plain("internal error: handle to a primitive"));
    d.handle = bin::ComponentTypeIdx(v.index);
  } else if (const auto* al = std::get_if<wit::Alias>(&td.kind)) {
    return valtype(al->target);
  } else {
    return fail(Diagnostic::plain("internal error: unresolved type in encoding"));
  }
  return ValueTypeRef::at(define(of_defined(std::move(d))));
}

Expected<std::optional<uint32_t>> TypeBuilder::foreign(wit::TypeId id) {
  const wit::TypeDef& td = r_.types[id];
  if (td.owner.kind != wit::TypeOwner::Kind::Interface) return std::optional<uint32_t>{};
  if (interface_ && *interface_ == td.owner.interface) return std::optional<uint32_t>{};
  WITC_TRY_VAL(uint32_t index, import_type(td.owner.interface, id));
  return std::optional<uint32_t>(index);
}

Expected<uint32_t> TypeBuilder::import_type(wit::InterfaceId owner, wit::TypeId id) {
  auto inst = import_map_.find(owner.index);
  const wit::TypeDef& td = r_.types[id];
  if (inst == import_map_.end() || !td.name) {
    return fail(Diagnostic::plain(fmt::format(
        "type `{}` is used from an interface the world does not import", td.name.value_or("?"))));
  }
  uint32_t outer_idx;
  if (auto it = outer_type_map_.find(id.index); it != outer_type_map_.end()) {
    outer_idx = it->second;
  } else {
    outer_idx = outer_.add(type_alias(bin::AliasDef::Kind::InstanceExport, inst->second, 0, *td.name));
    outer_type_map_[id.index] = outer_idx;
  }
  if (!inst_) return outer_idx;
  return inst_->add(type_alias(bin::AliasDef::Kind::Outer, 1, outer_idx, {}));
}

uint32_t TypeBuilder::export_type(uint32_t index, const std::string& name,
                                  const std::optional<std::string>& external_id) {
  auto kind = inst_ || !import_types_ ? Declarator::Kind::Export : Declarator::Kind::Import;
  return cur().add(extern_decl(kind, name, type_eq(index), external_id));
}

uint32_t TypeBuilder::export_resource(const std::string& name, const std::optional<std::string>& external_id) {
  auto kind = inst_ || !import_types_ ? Declarator::Kind::Export : Declarator::Kind::Import;
  return cur().add(extern_decl(kind, name, sub_resource(), external_id));
}

uint32_t TypeBuilder::named(uint32_t index, wit::TypeId id) {
  return export_type(index, *r_.types[id].name, r_.types[id].external_id);
}

Expected<uint32_t> TypeBuilder::resource(wit::TypeId id) {
  return export_resource(*r_.types[id].name, r_.types[id].external_id);
}

Expected<uint32_t> ValtypeEncoder::func_type(const wit::Function& f) {
  std::string key = func_key(f);
  if (auto it = cur().func_types.find(key); it != cur().func_types.end()) return it->second;
  bin::TypeDef t;
  t.kind = bin::TypeDef::Kind::Func;
  t.func.async = f.is_async();
  for (const auto& [name, ty] : f.params) {
    WITC_TRY_VAL(ValueTypeRef v, valtype(ty));
    t.func.params.push_back({name, v});
  }
  WITC_TRY_VAL(t.func.result, opt_valtype(f.result));
  uint32_t index = define(std::move(t));
  cur().func_types.emplace(std::move(key), index);
  return index;
}

void TypeBuilder::push_instance() { inst_.emplace(); }

uint32_t TypeBuilder::pop_instance(wit::InterfaceId id) {
  TypeScope scope = std::move(*inst_);
  inst_.reset();
  uint32_t index = define(std::move(scope).finish(bin::TypeDef::Kind::Instance));
  import_map_[id.index] = instances_++;
  return index;
}

Expected<uint32_t> TypeBuilder::instance(wit::InterfaceId id) {
  std::vector<wit::TypeId> types;
  for (const auto& [name, tid] : r_.interfaces[id].types) types.push_back(tid);
  return instance(id, types, [](const wit::Function&) { return true; });
}

Expected<uint32_t> TypeBuilder::instance(wit::InterfaceId id, std::span<const wit::TypeId> types,
                                         const std::function<bool(const wit::Function&)>& keep) {
  push_instance();
  const wit::Interface& iface = r_.interfaces[id];
  std::vector<wit::TypeId> order;
  for (wit::TypeId tid : types) {
    WITC_TRY(valtype(wit::Type::of(tid)));
    order.push_back(tid);
  }
  // Resource functions first, in their resource's order; then the rest.
  auto rank = [&](const wit::Function& f) -> size_t {
    if (f.kind == wit::Function::Kind::Freestanding ||
        f.kind == wit::Function::Kind::AsyncFreestanding) {
      return order.size();
    }
    auto it = std::find(order.begin(), order.end(), f.resource);
    return static_cast<size_t>(it - order.begin());
  };
  std::vector<const std::pair<std::string, wit::Function>*> funcs;
  for (const auto& item : iface.functions) {
    if (keep(item.second)) funcs.push_back(&item);
  }
  std::stable_sort(funcs.begin(), funcs.end(),
                   [&](const auto* a, const auto* b) { return rank(a->second) < rank(b->second); });
  for (const auto* item : funcs) {
    WITC_TRY_VAL(uint32_t ty, func_type(item->second));
    ExternDesc desc;
    desc.kind = ExternDesc::Kind::Func;
    desc.index = ty;
    inst_->add(extern_decl(Declarator::Kind::Export, item->first, desc, item->second.external_id));
  }
  return pop_instance(id);
}

}  // namespace witc::compose::detail
