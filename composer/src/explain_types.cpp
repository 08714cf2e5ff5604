// Mismatch explanations: the validator's subtype path in WIT words, and
// types spelled as WIT with the names their components give them.
#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "type_names.h"
#include "witc/composer/explain.h"

namespace witc::compose {

using bin::EntityKind;
using bin::EntityType;
using bin::ResourceId;
using bin::SubtypeStep;
using bin::TypeId;
using bin::TypeInfo;
using bin::TypeKind;
using bin::ValueKind;

namespace {

std::string quoted_list(const std::vector<std::string>& xs) {
  std::string out;
  for (const std::string& x : xs) {
    if (!out.empty()) out += ", ";
    out += '`' + x + '`';
  }
  return out;
}

class Explainer {
 public:
  Explainer(const TypeInfo& t, const TypeNames& names) : t_(t), names_(names) {}

  // WIT spelling of a value type (named types by name).
  std::string wit(TypeId t, unsigned depth = 0) const {
    if (!t.valid()) return "_";
    if (auto n = names_.type(t)) return *n;
    switch (t_.kind(t)) {
      case TypeKind::Resource: return "resource";
      case TypeKind::Func: return func_text(t, depth);
      case TypeKind::Instance: return "instance";
      case TypeKind::Component: return "component";
      case TypeKind::Value: break;
    }
    const bin::ValueType& v = t_.value(t);
    if (bin::is_primitive(v.kind)) return std::string(bin::value_kind_name(v.kind));
    if (depth > 6) return std::string(bin::value_kind_name(v.kind));
    auto sub = [&](size_t i) { return i < v.types.size() ? wit(v.types[i], depth + 1) : std::string("_"); };
    auto labelled = [&](bool payloads) {
      std::string s;
      for (size_t i = 0; i < v.labels.size(); ++i) {
        if (i) s += ", ";
        s += v.labels[i];
        if (payloads && i < v.types.size() && v.types[i].valid()) {
          s += v.kind == ValueKind::Record ? ": " + sub(i) : "(" + sub(i) + ")";
        }
      }
      return fmt::format("{} {{ {} }}", bin::value_kind_name(v.kind), s);
    };
    switch (v.kind) {
      case ValueKind::List: return fmt::format("list<{}>", sub(0));
      case ValueKind::FixedList: return fmt::format("list<{}, {}>", sub(0), v.length);
      case ValueKind::Option: return fmt::format("option<{}>", sub(0));
      case ValueKind::Result: {
        bool ok = v.types.size() > 0 && v.types[0].valid(), err = v.types.size() > 1 && v.types[1].valid();
        if (!ok && !err) return "result";
        if (!err) return fmt::format("result<{}>", sub(0));
        return fmt::format("result<{}, {}>", ok ? sub(0) : "_", sub(1));
      }
      case ValueKind::Tuple: {
        std::string s;
        for (size_t i = 0; i < v.types.size(); ++i) s += (i ? ", " : "") + sub(i);
        return fmt::format("tuple<{}>", s);
      }
      case ValueKind::Map: return fmt::format("map<{}, {}>", sub(0), sub(1));
      case ValueKind::Own: return fmt::format("own<{}>", sub(0));
      case ValueKind::Borrow: return fmt::format("borrow<{}>", sub(0));
      case ValueKind::Stream:
      case ValueKind::Future:
        return v.types.empty() || !v.types[0].valid() ? std::string(bin::value_kind_name(v.kind))
                                                       : fmt::format("{}<{}>", bin::value_kind_name(v.kind), sub(0));
      case ValueKind::Record:
      case ValueKind::Variant: return labelled(true);
      case ValueKind::Flags:
      case ValueKind::Enum: return labelled(false);
      default: return std::string(bin::value_kind_name(v.kind));
    }
  }

  // "record `point`" for named records, variants, enums, flags and
  // resources; otherwise the WIT spelling in backticks.
  std::string kinded(TypeId t) const {
    if (!t.valid()) return "nothing";
    auto name = names_.type(t);
    if (name) {
      if (t_.kind(t) == TypeKind::Resource) return fmt::format("resource `{}`", *name);
      if (t_.kind(t) == TypeKind::Value) {
        ValueKind k = t_.value(t).kind;
        if (k == ValueKind::Record || k == ValueKind::Variant || k == ValueKind::Enum || k == ValueKind::Flags) {
          return fmt::format("{} `{}`", bin::value_kind_name(k), *name);
        }
        return fmt::format("`{}` (`{}`)", *name, unnamed(t));
      }
    }
    if (t_.kind(t) == TypeKind::Func) return fmt::format("function `{}`", func_text(t, 0));
    return fmt::format("`{}`", wit(t));
  }

  std::string explain(const EntityType& expected, const EntityType& found) const {
    std::vector<SubtypeStep> path;
    auto r = t_.check_subtype(found, expected, path);
    if (r) return {};
    std::string where;
    TypeId container = expected.type;
    bool named_container = false;  // the previous step named the record or variant entered
    for (const SubtypeStep& s : path) {
      if (!where.empty()) where += ", ";
      where += step_text(s, container, named_container);
      named_container = s.kind == SubtypeStep::Kind::Export && s.expected.valid() &&
                        t_.kind(s.expected) == TypeKind::Value;
      container = s.expected;
    }
    // A type export entered names the type: the leaf need not repeat it.
    const bool leaf_named = named_container;
    TypeId e = path.empty() ? expected.type : path.back().expected;
    TypeId f = path.empty() ? found.type : path.back().found;
    std::string why;
    if (path.empty() && expected.kind != found.kind) {
      why = fmt::format("expected {}, found {}", entity_word(expected.kind), entity_word(found.kind));
    } else if (!e.valid() || !f.valid()) {
      why = r.error().message.substr(r.error().message.rfind(": ") == std::string::npos
                                         ? 0
                                         : r.error().message.rfind(": ") + 2);
    } else {
      why = leaf(e, f, r.error().message, leaf_named);
    }
    return where.empty() ? why : "in " + where + ": " + why;
  }

 private:
  static std::string entity_word(EntityKind k) {
    switch (k) {
      case EntityKind::Module: return "a module";
      case EntityKind::Func: return "a function";
      case EntityKind::Value: return "a value";
      case EntityKind::Type: return "a type";
      case EntityKind::Instance: return "an instance";
      case EntityKind::Component: return "a component";
    }
    return "an item";
  }

  std::string unnamed(TypeId t) const {
    const bin::TypeNode& n = t_.node(t);
    TypeId def = n.origin.valid() ? t_.definition(t) : t;
    // A named alias of another type: spell what it stands for.
    if (def != t && !names_.type(def)) return wit(def);
    TypeNames none(t_);
    return Explainer(t_, none).wit(t);
  }

  std::string func_text(TypeId t, unsigned depth) const {
    const bin::ComponentFuncType& f = t_.func(t);
    std::string s = f.async ? "async func(" : "func(";
    for (size_t i = 0; i < f.params.size(); ++i) {
      s += fmt::format("{}{}: {}", i ? ", " : "", f.params[i].first, wit(f.params[i].second, depth + 1));
    }
    s += ")";
    if (f.result) s += " -> " + wit(*f.result, depth + 1);
    return s;
  }

  // "function `area`", "method `shape.area`", "constructor of `shape`".
  static std::string func_label(std::string_view name) {
    auto rest = [&](std::string_view prefix) { return std::string(name.substr(prefix.size())); };
    for (std::string_view p : {"[method]", "[async method]"}) {
      if (name.starts_with(p)) return fmt::format("{} `{}`", p == "[method]" ? "method" : "async method", rest(p));
    }
    for (std::string_view p : {"[static]", "[async static]"}) {
      if (name.starts_with(p)) {
        return fmt::format("{} `{}`", p == "[static]" ? "static function" : "async static function", rest(p));
      }
    }
    if (name.starts_with("[constructor]")) return fmt::format("constructor of `{}`", rest("[constructor]"));
    return fmt::format("function `{}`", name);
  }

  std::string export_label(std::string_view name, TypeId t) const {
    if (!t.valid()) return fmt::format("`{}`", name);
    switch (t_.kind(t)) {
      case TypeKind::Func: return func_label(name);
      case TypeKind::Instance: return fmt::format("instance `{}`", name);
      case TypeKind::Component: return fmt::format("component `{}`", name);
      case TypeKind::Resource: return fmt::format("resource `{}`", name);
      case TypeKind::Value: return fmt::format("type `{}`", name);
    }
    return fmt::format("`{}`", name);
  }

  std::string step_text(const SubtypeStep& s, TypeId container, bool named_container) const {
    using K = SubtypeStep::Kind;
    switch (s.kind) {
      case K::Export:
        if (s.expected.valid() && s.found.valid() && t_.kind(s.expected) != t_.kind(s.found) &&
            t_.kind(s.expected) != TypeKind::Func && t_.kind(s.expected) != TypeKind::Instance) {
          return fmt::format("type `{}`", s.name);  // a resource against a record: the leaf says which
        }
        // A type export: "record `point`" rather than "type `point`".
        if (s.expected.valid() && t_.kind(s.expected) == TypeKind::Value && names_.type(s.expected)) {
          return kinded(s.expected);
        }
        return export_label(s.name, s.expected.valid() ? s.expected : s.found);
      case K::Import: return fmt::format("import `{}`", s.name);
      case K::Param: return fmt::format("parameter `{}`", s.name);
      case K::Result: return "result";
      case K::Field: return fmt::format("{}field `{}`", named_container ? "" : "record ", s.name);
      case K::Case: return fmt::format("{}case `{}`", named_container ? "" : "variant ", s.name);
      case K::Tuple: return fmt::format("tuple element {}", s.name);
      case K::Element: {
        ValueKind k = container.valid() && t_.kind(container) == TypeKind::Value ? t_.value(container).kind
                                                                                 : ValueKind::List;
        if (k == ValueKind::Option || k == ValueKind::Future) {
          return fmt::format("{} payload", bin::value_kind_name(k));
        }
        return fmt::format("{} element", k == ValueKind::FixedList ? "list" : bin::value_kind_name(k));
      }
      case K::Ok: return "result ok type";
      case K::Err: return "result error type";
      case K::MapKey: return "map key";
      case K::MapValue: return "map value";
    }
    return s.name;
  }

  // What differs between two sets of labels ("field", "case", "flag").
  static std::string label_difference(std::string_view what, const std::vector<std::string>& expected,
                                      const std::vector<std::string>& found) {
    std::vector<std::string> missing, extra;
    std::unordered_set<std::string> es(expected.begin(), expected.end()), fs(found.begin(), found.end());
    for (const std::string& l : expected)
      if (!fs.count(l)) missing.push_back(l);
    for (const std::string& l : found)
      if (!es.count(l)) extra.push_back(l);
    auto plural = [&](const std::vector<std::string>& xs) {
      return xs.size() == 1 ? std::string(what) : std::string(what) + "s";
    };
    if (missing.size() == 1 && extra.size() == 1) {
      return fmt::format("expected {} `{}`, found `{}`", what, missing[0], extra[0]);
    }
    std::string out;
    if (!missing.empty()) out = fmt::format("missing {} {}", plural(missing), quoted_list(missing));
    if (!extra.empty()) {
      out += (out.empty() ? "" : "; ") + fmt::format("unexpected {} {}", plural(extra), quoted_list(extra));
    }
    if (out.empty()) {
      out = fmt::format("the {}s are in another order: expected {}, found {}", what, quoted_list(expected),
                        quoted_list(found));
    }
    return out;
  }

  std::string leaf(TypeId e, TypeId f, const std::string& checker_message, bool named) const {
    const TypeKind ke = t_.kind(e), kf = t_.kind(f);
    if (ke != kf) return fmt::format("expected {}, found {}", kinded(e), kinded(f));
    switch (ke) {
      case TypeKind::Value: return value_leaf(e, f, checker_message, named);
      case TypeKind::Func: return func_leaf(e, f, checker_message);
      case TypeKind::Instance: return instance_leaf(e, f, checker_message);
      case TypeKind::Resource:
        return fmt::format("expected {}, found {} (a different resource)", kinded(e), kinded(f));
      case TypeKind::Component: break;
    }
    return checker_message;
  }

  std::string func_leaf(TypeId e, TypeId f, const std::string& checker_message) const {
    const bin::ComponentFuncType &fe = t_.func(e), &ff = t_.func(f);
    if (fe.async != ff.async) {
      return fe.async ? "expected an async function, found a sync one" : "expected a sync function, found an async one";
    }
    std::vector<std::string> pe, pf;
    for (const auto& p : fe.params) pe.push_back(p.first);
    for (const auto& p : ff.params) pf.push_back(p.first);
    if (pe != pf) {
      std::string detail = label_difference("parameter", pe, pf);
      if (pe.size() != pf.size()) {
        return fmt::format("expected {} parameter{}, found {}: {}", pe.size(), pe.size() == 1 ? "" : "s", pf.size(),
                           detail);
      }
      return detail;
    }
    if (fe.result.has_value() != ff.result.has_value()) {
      return fe.result ? fmt::format("expected a result of type `{}`, found none", wit(*fe.result))
                       : fmt::format("expected no result, found one of type `{}`", wit(*ff.result));
    }
    return checker_message;
  }

  std::string instance_leaf(TypeId e, TypeId f, const std::string& checker_message) const {
    const bin::InstanceType &ie = t_.instance(e), &iff = t_.instance(f);
    for (const auto& [name, x] : ie.exports) {
      if (iff.exports.contains(name)) continue;
      std::string out = "missing " + export_label(name, x.type);
      // A near name of the same sort is likely a rename.
      std::string best;
      size_t best_d = std::max<size_t>(3, name.size() / 3) + 1;
      for (const auto& [other, y] : iff.exports) {
        if (y.kind != x.kind || ie.exports.contains(other)) continue;
        size_t d = edit_distance(name, other);
        if (d < best_d) best = other, best_d = d;
      }
      if (!best.empty()) out += fmt::format(" (there is `{}`)", best);
      return out;
    }
    return checker_message;
  }

  std::string value_leaf(TypeId e, TypeId f, const std::string& checker_message, bool named) const {
    const bin::ValueType &ve = t_.value(e), &vf = t_.value(f);
    if (ve.kind != vf.kind) return fmt::format("expected {}, found {}", kinded(e), kinded(f));
    // The same sort of type: "expected record `point`, found `vec2`: …".
    std::string head;
    auto ne = names_.type(e), nf = names_.type(f);
    if (ne && nf && *ne != *nf) {
      head = fmt::format("expected {}, found `{}`: ", kinded(e), *nf);
    } else if ((ne || nf) && !named) {
      head = fmt::format("{}: ", kinded(ne ? e : f));
    }
    switch (ve.kind) {
      case ValueKind::Record: return head + label_difference("field", ve.labels, vf.labels);
      case ValueKind::Variant:
        if (ve.labels != vf.labels) return head + label_difference("case", ve.labels, vf.labels);
        for (size_t i = 0; i < ve.labels.size(); ++i) {
          if (ve.types[i].valid() != vf.types[i].valid()) {
            return head + (ve.types[i].valid() ? fmt::format("expected case `{}` to carry `{}`, found no payload",
                                                             ve.labels[i], wit(ve.types[i]))
                                               : fmt::format("expected case `{}` without a payload, found `{}`",
                                                             ve.labels[i], wit(vf.types[i])));
          }
        }
        break;
      case ValueKind::Flags: return head + label_difference("flag", ve.labels, vf.labels);
      case ValueKind::Enum: return head + label_difference("case", ve.labels, vf.labels);
      case ValueKind::Tuple:
        return head + fmt::format("expected {} elements, found {}", ve.types.size(), vf.types.size());
      case ValueKind::FixedList:
        return head + fmt::format("expected {} elements, found {}", ve.length, vf.length);
      case ValueKind::Result:
        for (size_t i = 0; i < 2; ++i) {
          bool has_e = i < ve.types.size() && ve.types[i].valid(), has_f = i < vf.types.size() && vf.types[i].valid();
          if (has_e == has_f) continue;
          const char* which = i == 0 ? "an ok type" : "an error type";
          return fmt::format("expected `{}`, found `{}`: {}", wit(e), wit(f),
                             has_e ? fmt::format("expected {}, found none", which)
                                   : fmt::format("expected no {}", i == 0 ? "ok type" : "error type"));
        }
        break;
      case ValueKind::Own:
      case ValueKind::Borrow:
        if (wit(ve.types[0]) == wit(vf.types[0])) {
          return fmt::format("expected `{}`, found `{}` of another resource of the same name", wit(e), wit(f));
        }
        return fmt::format("expected `{}`, found `{}`", wit(e), wit(f));
      case ValueKind::Stream:
      case ValueKind::Future: return fmt::format("expected `{}`, found `{}`", wit(e), wit(f));
      default:
        if (bin::is_primitive(ve.kind)) return fmt::format("expected `{}`, found `{}`", wit(e), wit(f));
        break;
    }
    return head.empty() ? checker_message : head + checker_message;
  }

  const TypeInfo& t_;
  const TypeNames& names_;
};

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string explain_mismatch(const TypeInfo& types, const EntityType& expected, const EntityType& found) {
  TypeNames names(types);
  names.collect(expected);
  names.collect(found);
  return Explainer(types, names).explain(expected, found);
}

std::string wit_type_text(const TypeInfo& types, TypeId t, const EntityType& context) {
  TypeNames names(types);
  names.collect(context);
  return Explainer(types, names).wit(t);
}

}  // namespace witc::compose
