// The resolved graph as JSON in the reference schema (wit-parser's serde
// form of `Resolve`, as in the `.wit.json` files of its test corpus).
//
// Shape: {"worlds": [...], "interfaces": [...], "types": [...],
// "packages": [...]}; items refer to each other by arena index. Member order
// is part of the schema. Optional members are left out rather than written
// as null: `docs` when there are none, `stability` when Unknown, a
// function's `result` when it returns nothing. Members that are nullable in
// the schema itself (an anonymous type's `name` and `owner`, a result's
// `ok`/`err`, a payload-less future or stream) are written as null.
#include <nlohmann/json.hpp>

#include <string>
#include <variant>

#include "witc/wit/wit.h"

namespace witc::wit {

namespace {

using Json = nlohmann::ordered_json;

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};

Json type_json(const Type& t) {
  if (t.is_id()) return t.id.index;
  return primitive_name(t.kind);
}

Json optional_type_json(const std::optional<Type>& t) {
  return t ? type_json(*t) : Json(nullptr);
}

void add_docs(Json& obj, const Docs& docs) {
  if (!docs.empty()) obj["docs"] = Json{{"contents", *docs.contents}};
}

Json stability_json(const Stability& s) {
  Json body = Json::object();
  if (s.kind == Stability::Kind::Stable) {
    body["since"] = s.since.to_string();
  } else {
    body["feature"] = s.feature;
  }
  if (s.deprecated) body["deprecated"] = s.deprecated->to_string();
  return Json{{s.kind == Stability::Kind::Stable ? "stable" : "unstable", std::move(body)}};
}

void add_stability(Json& obj, const Stability& s) {
  if (!s.is_unknown()) obj["stability"] = stability_json(s);
}

Json kind_json(const TypeDefKind& kind) {
  return std::visit(
      Overloaded{
          [](const Record& r) {
            Json fields = Json::array();
            for (const Field& f : r.fields) {
              Json field{{"name", f.name}, {"type", type_json(f.type)}};
              add_docs(field, f.docs);
              fields.push_back(std::move(field));
            }
            return Json{{"record", Json{{"fields", std::move(fields)}}}};
          },
          [](const Resource&) { return Json("resource"); },
          [](const Handle& h) {
            const char* which = h.kind == Handle::Kind::Own ? "own" : "borrow";
            return Json{{"handle", Json{{which, h.resource.index}}}};
          },
          [](const Flags& f) {
            Json flags = Json::array();
            for (const Flag& flag : f.flags) {
              Json item{{"name", flag.name}};
              add_docs(item, flag.docs);
              flags.push_back(std::move(item));
            }
            return Json{{"flags", Json{{"flags", std::move(flags)}}}};
          },
          [](const Tuple& t) {
            Json types = Json::array();
            for (const Type& ty : t.types) types.push_back(type_json(ty));
            return Json{{"tuple", Json{{"types", std::move(types)}}}};
          },
          [](const Variant& v) {
            Json cases = Json::array();
            for (const Case& c : v.cases) {
              Json item{{"name", c.name}, {"type", optional_type_json(c.type)}};
              add_docs(item, c.docs);
              cases.push_back(std::move(item));
            }
            return Json{{"variant", Json{{"cases", std::move(cases)}}}};
          },
          [](const Enum& e) {
            Json cases = Json::array();
            for (const EnumCase& c : e.cases) {
              Json item{{"name", c.name}};
              add_docs(item, c.docs);
              cases.push_back(std::move(item));
            }
            return Json{{"enum", Json{{"cases", std::move(cases)}}}};
          },
          [](const Option& o) { return Json{{"option", type_json(o.type)}}; },
          [](const Result& r) {
            return Json{{"result", Json{{"ok", optional_type_json(r.ok)},
                                        {"err", optional_type_json(r.err)}}}};
          },
          [](const List& l) { return Json{{"list", type_json(l.element)}}; },
          [](const FixedSizeList& l) {
            return Json{{"fixed-length-list", Json::array({type_json(l.element), l.size})}};
          },
          [](const Map& m) {
            return Json{{"map", Json::array({type_json(m.key), type_json(m.value)})}};
          },
          [](const Future& f) { return Json{{"future", optional_type_json(f.type)}}; },
          [](const Stream& s) { return Json{{"stream", optional_type_json(s.type)}}; },
          [](const Alias& a) { return Json{{"type", type_json(a.target)}}; },
          [](const Unknown&) { return Json("unknown"); },
      },
      kind);
}

Json owner_json(const TypeOwner& owner) {
  switch (owner.kind) {
    case TypeOwner::Kind::Interface: return Json{{"interface", owner.interface.index}};
    case TypeOwner::Kind::World: return Json{{"world", owner.world.index}};
    case TypeOwner::Kind::None: break;
  }
  return nullptr;
}

Json typedef_json(const TypeDef& t) {
  Json obj{{"name", t.name ? Json(*t.name) : Json(nullptr)},
           {"kind", kind_json(t.kind)},
           {"owner", owner_json(t.owner)}};
  add_docs(obj, t.docs);
  add_stability(obj, t.stability);
  return obj;
}

// "freestanding" / "async-freestanding", or {"method": resource-index} etc.
Json function_kind_json(const Function& f) {
  using K = Function::Kind;
  const char* tag = "freestanding";
  switch (f.kind) {
    case K::Freestanding: return "freestanding";
    case K::AsyncFreestanding: return "async-freestanding";
    case K::Method: tag = "method"; break;
    case K::AsyncMethod: tag = "async-method"; break;
    case K::Static: tag = "static"; break;
    case K::AsyncStatic: tag = "async-static"; break;
    case K::Constructor: tag = "constructor"; break;
  }
  return Json{{tag, f.resource.index}};
}

Json function_json(const Function& f) {
  Json params = Json::array();
  for (const auto& [name, type] : f.params) {
    Json param = Json::object();
    if (!name.empty()) param["name"] = name;  // the reference omits empty names
    param["type"] = type_json(type);
    params.push_back(std::move(param));
  }
  Json obj{{"name", f.name}, {"kind", function_kind_json(f)}, {"params", std::move(params)}};
  if (f.result) obj["result"] = type_json(*f.result);
  add_docs(obj, f.docs);
  add_stability(obj, f.stability);
  return obj;
}

Json interface_json(const Interface& iface) {
  Json types = Json::object();
  for (const auto& [name, id] : iface.types) types[name] = id.index;
  Json functions = Json::object();
  for (const auto& [name, f] : iface.functions) functions[name] = function_json(f);
  Json obj{{"name", iface.name ? Json(*iface.name) : Json(nullptr)},
           {"types", std::move(types)},
           {"functions", std::move(functions)}};
  add_docs(obj, iface.docs);
  add_stability(obj, iface.stability);
  obj["package"] = iface.package ? Json(iface.package->index) : Json(nullptr);
  return obj;
}

std::string world_key_string(const WorldKey& key) {
  return key.is_interface() ? "interface-" + std::to_string(key.interface.index) : key.name;
}

Json world_item_json(const WorldItem& item) {
  switch (item.kind) {
    case WorldItem::Kind::Interface: {
      Json body{{"id", item.interface.index}};
      add_stability(body, item.stability);
      return Json{{"interface", std::move(body)}};
    }
    case WorldItem::Kind::Function: return Json{{"function", function_json(item.function)}};
    case WorldItem::Kind::Type: return Json{{"type", item.type.index}};
  }
  return nullptr;
}

Json world_json(const World& w) {
  auto items = [](const auto& map) {
    Json obj = Json::object();
    for (const auto& [key, item] : map) obj[world_key_string(key)] = world_item_json(item);
    return obj;
  };
  Json obj{{"name", w.name},
           {"imports", items(w.imports)},
           {"exports", items(w.exports)},
           {"package", w.package ? Json(w.package->index) : Json(nullptr)}};
  add_docs(obj, w.docs);
  add_stability(obj, w.stability);
  return obj;
}

Json package_json(const Package& p) {
  Json obj{{"name", p.name.to_string()}};
  add_docs(obj, p.docs);
  Json interfaces = Json::object();
  for (const auto& [name, id] : p.interfaces) interfaces[name] = id.index;
  Json worlds = Json::object();
  for (const auto& [name, id] : p.worlds) worlds[name] = id.index;
  obj["interfaces"] = std::move(interfaces);
  obj["worlds"] = std::move(worlds);
  return obj;
}

template <class T, class F>
Json arena_json(const Arena<T>& arena, F&& item_json) {
  Json out = Json::array();
  for (const T& item : arena) out.push_back(item_json(item));
  return out;
}

}  // namespace

std::string to_json(const Resolve& resolve) {
  Json root = Json::object();
  root["worlds"] = arena_json(resolve.worlds, world_json);
  root["interfaces"] = arena_json(resolve.interfaces, interface_json);
  root["types"] = arena_json(resolve.types, typedef_json);
  root["packages"] = arena_json(resolve.packages, package_json);
  // Invalid UTF-8 cannot come from a parsed source, but never throw over it.
  return root.dump(2, ' ', false, Json::error_handler_t::replace);
}

}  // namespace witc::wit
