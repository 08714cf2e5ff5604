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
//
// The text is streamed straight into a string (no document tree): 2-space
// indentation, every container broken over lines, empty ones as `{}`/`[]`,
// no trailing newline — the layout of serde_json's pretty printer.
#include <cstdio>
#include <string>
#include <variant>
#include <vector>

#include "witc/wit/wit.h"

namespace witc::wit {

namespace {

class Writer {
 public:
  std::string take() { return std::move(out_); }

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  // Starts the next member of the current object.
  Writer& key(std::string_view k) {
    next_item();
    quoted(k);
    out_ += ": ";
    pending_value_ = true;
    return *this;
  }

  void string(std::string_view s) {
    item_start();
    quoted(s);
  }
  void number(uint64_t v) {
    item_start();
    out_ += std::to_string(v);
  }
  void null() {
    item_start();
    out_ += "null";
  }

 private:
  void quoted(std::string_view s) {
    out_ += '"';
    for (unsigned char c : s) {
      switch (c) {
        case '"': out_ += "\\\""; break;
        case '\\': out_ += "\\\\"; break;
        case '\b': out_ += "\\b"; break;
        case '\f': out_ += "\\f"; break;
        case '\n': out_ += "\\n"; break;
        case '\r': out_ += "\\r"; break;
        case '\t': out_ += "\\t"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out_ += buf;
          } else {
            out_ += static_cast<char>(c);
          }
      }
    }
    out_ += '"';
  }

  struct Frame {
    char close;
    bool empty = true;
  };

  void open(char c) {
    item_start();
    out_ += c;
    stack_.push_back({c == '{' ? '}' : ']'});
  }
  void close(char c) {
    Frame f = stack_.back();
    stack_.pop_back();
    if (!f.empty) {
      out_ += '\n';
      indent(stack_.size());
    }
    out_ += c;
  }
  // A value inside an array begins a new line; after a key it follows it.
  void item_start() {
    if (pending_value_) {
      pending_value_ = false;
      return;
    }
    if (!stack_.empty()) next_item();
  }
  void next_item() {
    Frame& f = stack_.back();
    out_ += f.empty ? "\n" : ",\n";
    f.empty = false;
    indent(stack_.size());
  }
  void indent(size_t depth) { out_.append(depth * 2, ' '); }

  std::string out_;
  std::vector<Frame> stack_;
  bool pending_value_ = false;
};

void type_ref(Writer& w, const Type& t) {
  if (t.is_id()) w.number(t.id.index);
  else w.string(primitive_name(t.kind));
}

void optional_type(Writer& w, const std::optional<Type>& t) {
  if (t) type_ref(w, *t);
  else w.null();
}

void docs(Writer& w, const Docs& d) {
  if (d.empty()) return;
  w.key("docs").begin_object();
  w.key("contents").string(*d.contents);
  w.end_object();
}

void stability(Writer& w, const Stability& s) {
  if (s.is_unknown()) return;
  w.key("stability").begin_object();
  if (s.kind == Stability::Kind::Stable) {
    w.key("stable").begin_object();
    w.key("since").string(s.since.to_string());
  } else {
    w.key("unstable").begin_object();
    w.key("feature").string(s.feature);
  }
  if (s.deprecated) w.key("deprecated").string(s.deprecated->to_string());
  w.end_object();
  w.end_object();
}

template <class... Fs>
struct Overloaded : Fs... {
  using Fs::operator()...;
};

void kind(Writer& w, const TypeDefKind& k) {
  auto tagged = [&](const char* tag) -> Writer& {
    w.begin_object();
    return w.key(tag);
  };
  std::visit(
      Overloaded{
          [&](const Record& r) {
            tagged("record").begin_object();
            w.key("fields").begin_array();
            for (const Field& f : r.fields) {
              w.begin_object();
              w.key("name").string(f.name);
              type_ref(w.key("type"), f.type);
              docs(w, f.docs);
              w.end_object();
            }
            w.end_array();
            w.end_object();
            w.end_object();
          },
          [&](const Resource&) { w.string("resource"); },
          [&](const Handle& h) {
            tagged("handle").begin_object();
            w.key(h.kind == Handle::Kind::Own ? "own" : "borrow").number(h.resource.index);
            w.end_object();
            w.end_object();
          },
          [&](const Flags& f) {
            tagged("flags").begin_object();
            w.key("flags").begin_array();
            for (const Flag& flag : f.flags) {
              w.begin_object();
              w.key("name").string(flag.name);
              docs(w, flag.docs);
              w.end_object();
            }
            w.end_array();
            w.end_object();
            w.end_object();
          },
          [&](const Tuple& t) {
            tagged("tuple").begin_object();
            w.key("types").begin_array();
            for (const Type& ty : t.types) type_ref(w, ty);
            w.end_array();
            w.end_object();
            w.end_object();
          },
          [&](const Variant& v) {
            tagged("variant").begin_object();
            w.key("cases").begin_array();
            for (const Case& c : v.cases) {
              w.begin_object();
              w.key("name").string(c.name);
              optional_type(w.key("type"), c.type);
              docs(w, c.docs);
              w.end_object();
            }
            w.end_array();
            w.end_object();
            w.end_object();
          },
          [&](const Enum& e) {
            tagged("enum").begin_object();
            w.key("cases").begin_array();
            for (const EnumCase& c : e.cases) {
              w.begin_object();
              w.key("name").string(c.name);
              docs(w, c.docs);
              w.end_object();
            }
            w.end_array();
            w.end_object();
            w.end_object();
          },
          [&](const Option& o) {
            type_ref(tagged("option"), o.type);
            w.end_object();
          },
          [&](const Result& r) {
            tagged("result").begin_object();
            optional_type(w.key("ok"), r.ok);
            optional_type(w.key("err"), r.err);
            w.end_object();
            w.end_object();
          },
          [&](const List& l) {
            type_ref(tagged("list"), l.element);
            w.end_object();
          },
          [&](const FixedSizeList& l) {
            tagged("fixed-length-list").begin_array();
            type_ref(w, l.element);
            w.number(l.size);
            w.end_array();
            w.end_object();
          },
          [&](const Map& m) {
            tagged("map").begin_array();
            type_ref(w, m.key);
            type_ref(w, m.value);
            w.end_array();
            w.end_object();
          },
          [&](const Future& f) {
            optional_type(tagged("future"), f.type);
            w.end_object();
          },
          [&](const Stream& s) {
            optional_type(tagged("stream"), s.type);
            w.end_object();
          },
          [&](const Alias& a) {
            type_ref(tagged("type"), a.target);
            w.end_object();
          },
          [&](const Unknown&) { w.string("unknown"); },
      },
      k);
}

void owner(Writer& w, const TypeOwner& o) {
  switch (o.kind) {
    case TypeOwner::Kind::Interface:
      w.begin_object();
      w.key("interface").number(o.interface.index);
      w.end_object();
      return;
    case TypeOwner::Kind::World:
      w.begin_object();
      w.key("world").number(o.world.index);
      w.end_object();
      return;
    case TypeOwner::Kind::None: w.null(); return;
  }
}

void typedef_json(Writer& w, const TypeDef& t) {
  w.begin_object();
  if (t.name) w.key("name").string(*t.name);
  else w.key("name").null();
  w.key("kind");
  kind(w, t.kind);
  w.key("owner");
  owner(w, t.owner);
  docs(w, t.docs);
  stability(w, t.stability);
  if (t.external_id) w.key("external_id").string(*t.external_id);
  w.end_object();
}

// "freestanding" / "async-freestanding", or {"method": resource-index} etc.
void function_kind(Writer& w, const Function& f) {
  using K = Function::Kind;
  const char* tag = nullptr;
  switch (f.kind) {
    case K::Freestanding: w.string("freestanding"); return;
    case K::AsyncFreestanding: w.string("async-freestanding"); return;
    case K::Method: tag = "method"; break;
    case K::AsyncMethod: tag = "async-method"; break;
    case K::Static: tag = "static"; break;
    case K::AsyncStatic: tag = "async-static"; break;
    case K::Constructor: tag = "constructor"; break;
  }
  w.begin_object();
  w.key(tag).number(f.resource.index);
  w.end_object();
}

void function_json(Writer& w, const Function& f) {
  w.begin_object();
  w.key("name").string(f.name);
  w.key("kind");
  function_kind(w, f);
  w.key("params").begin_array();
  for (const auto& [name, type] : f.params) {
    w.begin_object();
    if (!name.empty()) w.key("name").string(name);  // the reference omits empty names
    type_ref(w.key("type"), type);
    w.end_object();
  }
  w.end_array();
  if (f.result) type_ref(w.key("result"), *f.result);
  docs(w, f.docs);
  stability(w, f.stability);
  if (f.external_id) w.key("external_id").string(*f.external_id);
  w.end_object();
}

void interface_json(Writer& w, const Interface& iface) {
  w.begin_object();
  if (iface.name) w.key("name").string(*iface.name);
  else w.key("name").null();
  w.key("types").begin_object();
  for (const auto& [name, id] : iface.types) w.key(name).number(id.index);
  w.end_object();
  w.key("functions").begin_object();
  for (const auto& [name, f] : iface.functions) {
    w.key(name);
    function_json(w, f);
  }
  w.end_object();
  docs(w, iface.docs);
  stability(w, iface.stability);
  if (iface.package) w.key("package").number(iface.package->index);
  else w.key("package").null();
  w.end_object();
}

void world_items(Writer& w, const OrderedMap<WorldKey, WorldItem, WorldKeyHash>& items) {
  w.begin_object();
  for (const auto& [key, item] : items) {
    if (key.is_interface()) w.key("interface-" + std::to_string(key.interface.index));
    else w.key(key.name);
    w.begin_object();
    switch (item.kind) {
      case WorldItem::Kind::Interface:
        w.key("interface").begin_object();
        w.key("id").number(item.interface.index);
        stability(w, item.stability);
        if (item.external_id) w.key("external_id").string(*item.external_id);
        w.end_object();
        break;
      case WorldItem::Kind::Function:
        w.key("function");
        function_json(w, item.function);
        break;
      case WorldItem::Kind::Type: w.key("type").number(item.type.index); break;
    }
    w.end_object();
  }
  w.end_object();
}

void world_json(Writer& w, const World& world) {
  w.begin_object();
  w.key("name").string(world.name);
  w.key("imports");
  world_items(w, world.imports);
  w.key("exports");
  world_items(w, world.exports);
  if (world.package) w.key("package").number(world.package->index);
  else w.key("package").null();
  docs(w, world.docs);
  stability(w, world.stability);
  w.end_object();
}

void package_json(Writer& w, const Package& p) {
  w.begin_object();
  w.key("name").string(p.name.to_string());
  docs(w, p.docs);
  w.key("interfaces").begin_object();
  for (const auto& [name, id] : p.interfaces) w.key(name).number(id.index);
  w.end_object();
  w.key("worlds").begin_object();
  for (const auto& [name, id] : p.worlds) w.key(name).number(id.index);
  w.end_object();
  w.end_object();
}

}  // namespace

std::string to_json(const Resolve& resolve) {
  Writer w;
  w.begin_object();
  w.key("worlds").begin_array();
  for (const World& x : resolve.worlds) world_json(w, x);
  w.end_array();
  w.key("interfaces").begin_array();
  for (const Interface& x : resolve.interfaces) interface_json(w, x);
  w.end_array();
  w.key("types").begin_array();
  for (const TypeDef& x : resolve.types) typedef_json(w, x);
  w.end_array();
  w.key("packages").begin_array();
  for (const Package& x : resolve.packages) package_json(w, x);
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace witc::wit
