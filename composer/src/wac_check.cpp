// Why one type is not a subtype of another, in the words of wac's subtype
// checker (wac-types `checker.rs`), for WAC errors: "mismatched type for
// export `f`" / "mismatched type for function result" / "expected u8, found
// string". The graph decides whether a type fits (component subtyping,
// Explainer.md "Type Checking"); this only words the first difference.
#include <fmt/format.h>

#include "type_names.h"
#include "wac_resolve.h"

namespace witc::compose::wac::detail {

namespace {

using bin::EntityKind;
using bin::EntityType;
using bin::TypeId;
using bin::TypeKind;
using bin::ValueKind;

class Explainer {
 public:
  Explainer(const bin::TypeInfo& t, const TypeNames& names) : t_(t), names_(names) {}

  // Explains `a` (found) against `b` (expected); false when no difference
  // is found in wac's terms.
  bool entity(const EntityType& a, const EntityType& b) {
    if (a.kind != b.kind) {
      return mismatch(fmt::format("expected {}, found {}", entity_desc(expected(a, b)), entity_desc(found(a, b))));
    }
    switch (a.kind) {
      case EntityKind::Func: return func(a.type, b.type);
      case EntityKind::Instance: return instance(a.type, b.type);
      case EntityKind::Component: return component(a.type, b.type);
      case EntityKind::Value: return value(a.type, b.type);
      case EntityKind::Type: return type(a.type, b.type);
      case EntityKind::Module: return false;
    }
    return false;
  }

  std::vector<std::string> context;
  std::string message;

 private:
  const EntityType& expected(const EntityType& a, const EntityType& b) const { return contra_ ? a : b; }
  const EntityType& found(const EntityType& a, const EntityType& b) const { return contra_ ? b : a; }
  template <class T>
  std::pair<T, T> ef(T a, T b) const {
    return contra_ ? std::pair{a, b} : std::pair{b, a};
  }

  bool mismatch(std::string m) {
    message = std::move(m);
    return true;
  }
  // Contexts are added innermost first as a failure unwinds.
  bool within(std::string ctx, bool failed) {
    if (failed) context.push_back(std::move(ctx));
    return failed;
  }

  std::string type_desc(TypeId t) const { return kind_name(t_, t); }
  std::string entity_desc(const EntityType& e) const { return item_kind_name(t_, e); }
  std::string resource_name(TypeId t) const {
    return names_.resource(t_.resource(t)).value_or("resource");
  }

  bool type(TypeId a, TypeId b) {
    TypeKind ka = t_.kind(t_.definition(a)), kb = t_.kind(t_.definition(b));
    if (ka == kb) {
      switch (ka) {
        case TypeKind::Resource: return resource(a, b);
        case TypeKind::Func: return func(a, b);
        case TypeKind::Value: return value(a, b);
        case TypeKind::Instance: return instance(a, b);
        case TypeKind::Component: return component(a, b);
      }
    }
    auto [e, f] = ef(a, b);
    return mismatch(fmt::format("expected {}, found {}", type_desc(e), type_desc(f)));
  }

  bool resource(TypeId a, TypeId b) {
    if (t_.resource(a) == t_.resource(b)) return false;
    std::string na = resource_name(a), nb = resource_name(b);
    if (na == nb) return false;
    auto [e, f] = ef(na, nb);
    return mismatch(fmt::format("expected resource `{}`, found resource `{}`", e, f));
  }

  bool func(TypeId ai, TypeId bi) {
    const bin::ComponentFuncType& a = t_.func(t_.definition(ai));
    const bin::ComponentFuncType& b = t_.func(t_.definition(bi));
    if (a.params.size() != b.params.size()) {
      auto [e, f] = ef(a.params.size(), b.params.size());
      return mismatch(fmt::format("expected function with parameter count {}, found parameter count {}", e, f));
    }
    for (size_t i = 0; i < a.params.size(); ++i) {
      if (a.params[i].first != b.params[i].first) {
        auto [e, f] = ef(a.params[i].first, b.params[i].first);
        return mismatch(fmt::format("expected function parameter {} to be named `{}`, found name `{}`", i, e, f));
      }
      if (within(fmt::format("mismatched type for function parameter `{}`", b.params[i].first),
                 nested([&] { return value(a.params[i].second, b.params[i].second); }))) {
        return true;
      }
    }
    if (a.result && b.result) {
      return within("mismatched type for function result", nested([&] { return value(*a.result, *b.result); }));
    }
    if (a.result.has_value() == b.result.has_value()) return false;
    bool expected_has = contra_ ? a.result.has_value() : b.result.has_value();
    return mismatch(expected_has ? "expected function with a result, found function without a result"
                                 : "expected function without a result, found function with a result");
  }

  bool exports(const OrderedMap<std::string, EntityType>& a, const OrderedMap<std::string, EntityType>& b,
               const char* what) {
    for (const auto& [k, be] : b) {
      const EntityType* ae = a.find(k);
      if (!ae) {
        return mismatch(contra_ ? fmt::format("{} has unexpected {} export `{}`", what, entity_desc(be), k)
                                : fmt::format("{} is missing expected {} export `{}`", what, entity_desc(be), k));
      }
      bool saved = contra_;
      contra_ = false;
      bool failed = nested([&] { return entity(*ae, be); });
      contra_ = saved;
      if (within(fmt::format("mismatched type for export `{}`", k), failed)) return true;
    }
    return false;
  }

  bool instance(TypeId a, TypeId b) {
    TypeId da = t_.definition(a), db = t_.definition(b);
    if (da == db) return false;
    return exports(t_.instance(da).exports, t_.instance(db).exports, "instance");
  }

  bool component(TypeId ai, TypeId bi) {
    const bin::ComponentType& a = t_.component(t_.definition(ai));
    const bin::ComponentType& b = t_.component(t_.definition(bi));
    for (const auto& [k, ae] : a.imports) {
      const EntityType* be = b.imports.find(k);
      if (!be) {
        return mismatch(contra_ ? fmt::format("component has unexpected import {} `{}`", entity_desc(ae), k)
                                : fmt::format("component is missing expected {} import `{}`", entity_desc(ae), k));
      }
      bool saved = contra_;
      contra_ = true;
      bool failed = nested([&] { return entity(*be, ae); });
      contra_ = saved;
      if (within(fmt::format("mismatched type for import `{}`", k), failed)) return true;
    }
    return exports(a.exports, b.exports, "component");
  }

  bool value(TypeId ai, TypeId bi) {
    TypeId da = t_.definition(ai), db = t_.definition(bi);
    if (t_.kind(da) != TypeKind::Value || t_.kind(db) != TypeKind::Value) return type(ai, bi);
    const bin::ValueType& a = t_.value(da);
    const bin::ValueType& b = t_.value(db);
    auto kind_mismatch = [&] {
      auto [e, f] = ef(std::string(bin::value_kind_name(a.kind)), std::string(bin::value_kind_name(b.kind)));
      return mismatch(fmt::format("expected {}, found {}", e, f));
    };
    if (a.kind != b.kind) return kind_mismatch();
    if (bin::is_primitive(a.kind)) return false;
    switch (a.kind) {
      case ValueKind::Own:
      case ValueKind::Borrow: return resource(a.types[0], b.types[0]);
      case ValueKind::List:
        return within("mismatched type for list element", nested([&] { return value(a.types[0], b.types[0]); }));
      case ValueKind::Option:
        return within("mismatched type for option", nested([&] { return value(a.types[0], b.types[0]); }));
      case ValueKind::Result: return result("ok", a.types[0], b.types[0]) || result("err", a.types[1], b.types[1]);
      case ValueKind::Tuple: {
        if (a.types.size() != b.types.size()) {
          auto [e, f] = ef(a.types.size(), b.types.size());
          return mismatch(fmt::format("expected a tuple of size {}, found a tuple of size {}", e, f));
        }
        for (size_t i = 0; i < a.types.size(); ++i) {
          if (within(fmt::format("mismatched type for tuple item {}", i),
                     nested([&] { return value(a.types[i], b.types[i]); }))) {
            return true;
          }
        }
        return false;
      }
      case ValueKind::Record: return fields(a, b, "a record field", "record field", "a field named", true);
      case ValueKind::Variant: return variant(a, b);
      case ValueKind::Flags: return labels(a, b, "a flags type flag", "flag", "a flag named");
      case ValueKind::Enum: return labels(a, b, "an enum type case", "enum case", "an enum case named");
      default: return false;
    }
  }

  bool result(const char* which, TypeId a, TypeId b) {
    if (a.valid() && b.valid()) {
      return within(fmt::format("mismatched type for result `{}`", which), nested([&] { return value(a, b); }));
    }
    if (a.valid() == b.valid()) return false;
    bool expected_has = contra_ ? a.valid() : b.valid();
    return mismatch(expected_has ? fmt::format("expected an `{}` for result type", which)
                                 : fmt::format("expected no `{}` for result type", which));
  }

  bool labels(const bin::ValueType& a, const bin::ValueType& b, const char* count, const char* item,
              const char* named) {
    if (a.labels.size() != b.labels.size()) {
      auto [e, f] = ef(a.labels.size(), b.labels.size());
      return mismatch(fmt::format("expected {} count of {}, found a count of {}", count, e, f));
    }
    for (size_t i = 0; i < a.labels.size(); ++i) {
      if (a.labels[i] != b.labels[i]) {
        auto [e, f] = ef(a.labels[i], b.labels[i]);
        return mismatch(fmt::format("expected {} {} to be named `{}`, found {} `{}`", item, i, e, named, f));
      }
    }
    return false;
  }

  bool fields(const bin::ValueType& a, const bin::ValueType& b, const char* count, const char* item, const char* named,
              bool typed) {
    if (labels(a, b, count, item, named)) return true;
    if (!typed) return false;
    for (size_t i = 0; i < a.labels.size(); ++i) {
      if (within(fmt::format("mismatched type for {} `{}`", item, b.labels[i]),
                 nested([&] { return value(a.types[i], b.types[i]); }))) {
        return true;
      }
    }
    return false;
  }

  bool variant(const bin::ValueType& a, const bin::ValueType& b) {
    if (labels(a, b, "a variant case", "variant case", "a case named")) return true;
    for (size_t i = 0; i < a.labels.size(); ++i) {
      bool ha = a.types[i].valid(), hb = b.types[i].valid();
      if (ha && hb) {
        if (within(fmt::format("mismatched type for variant case `{}`", b.labels[i]),
                   nested([&] { return value(a.types[i], b.types[i]); }))) {
          return true;
        }
      } else if (ha != hb) {
        bool expected_typed = contra_ ? ha : hb;
        return mismatch(expected_typed
                            ? fmt::format("expected variant case `{}` to be typed, found an untyped case", b.labels[i])
                            : fmt::format("expected variant case `{}` to be untyped, found a typed case", b.labels[i]));
      }
    }
    return false;
  }

  // Runs a nested check so that its contexts land inside ours.
  template <class F>
  bool nested(F f) {
    ++depth_;
    bool r = depth_ < 64 && f();
    --depth_;
    return r;
  }

  const bin::TypeInfo& t_;
  const TypeNames& names_;
  bool contra_ = false;
  size_t depth_ = 0;
};

}  // namespace

std::optional<Diagnostic> explain_mismatch(const bin::TypeInfo& t, const bin::EntityType& found,
                                           const bin::EntityType& expected) {
  TypeNames names(t);
  names.collect(expected);
  names.collect(found);
  Explainer e(t, names);
  if (!e.entity(found, expected)) return std::nullopt;
  Diagnostic d = Diagnostic::plain(e.message);
  d.context.assign(e.context.rbegin(), e.context.rend());
  return d;
}

}  // namespace witc::compose::wac::detail
