// The component model's name grammar (Explainer.md "Import and Export
// Definitions").
#include "witc/bin/component_names.h"

#include <fmt/format.h>

#include "witc/base/semver.h"

namespace witc::bin {

namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// word ::= [0-9a-z]+ ; acronym ::= [0-9A-Z]+
bool is_fragment(std::string_view f, bool first, bool lower_only) {
  if (f.empty()) return false;
  if (first && !is_lower(f[0]) && (lower_only || !is_upper(f[0]))) return false;
  bool lower = true, upper = !lower_only;
  for (char c : f) {
    if (!is_digit(c)) {
      lower = lower && is_lower(c);
      upper = upper && is_upper(c);
    }
    if (!is_digit(c) && !is_lower(c) && !is_upper(c)) return false;
  }
  return lower || upper;
}

bool is_kebab(std::string_view s, bool lower_only) {
  if (s.empty()) return false;
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t dash = s.find('-', start);
    std::string_view f = s.substr(start, dash == s.npos ? s.npos : dash - start);
    if (!is_fragment(f, first, lower_only)) return false;
    if (dash == s.npos) return true;
    start = dash + 1;
    first = false;
  }
}

// A namespace or package that is a kebab label but not lowercase words.
Unexpected bad_words(std::string_view part, std::string_view name) {
  if (is_kebab(part, false)) {
    return fail(Diagnostic::plain(fmt::format("`{}` is not a valid extern name", name)));
  }
  return fail(Diagnostic::plain(fmt::format("`{}` is not in kebab case", part)));
}

Unexpected not_kebab(std::string_view s) {
  if (s.empty()) return fail(Diagnostic::plain("`` is not in kebab case"));
  return fail(Diagnostic::plain(fmt::format("`{}` is not in kebab case", s)));
}

// canonversion ::= [1-9][0-9]* | '0.' [1-9][0-9]* | '0.0.' [1-9][0-9]* (🔗)
bool is_canon_version(std::string_view v) {
  auto number = [](std::string_view n) {
    if (n.empty() || n[0] == '0') return false;
    for (char c : n)
      if (!is_digit(c)) return false;
    return true;
  };
  if (v == "0.0.0") return true;
  if (v.starts_with("0.0.")) return number(v.substr(4));
  if (v.starts_with("0.")) return number(v.substr(2));
  return number(v);
}

}  // namespace

bool is_kebab_label(std::string_view s) { return is_kebab(s, false); }

Expected<InterfaceName> parse_interface_name(std::string_view name, NameRules rules) {
  InterfaceName n;
  std::string_view rest = name;
  size_t at = rest.find('@');
  if (at != rest.npos) {
    std::string_view v = rest.substr(at + 1);
    bool ok = Version::parse(v).has_value() || (rules.canonical_versions && is_canon_version(v));
    if (!ok) return fail(Diagnostic::plain(fmt::format("`{}` is not a valid semver", v)));
    n.version = v;
    rest = rest.substr(0, at);
  }
  // namespace ':' [namespace ':']* package
  size_t colon = rest.find(':');
  if (colon == rest.npos) {
    return fail(Diagnostic::plain(fmt::format("`{}` is not a valid extern name", name)));
  }
  while (colon != rest.npos) {
    std::string_view ns = rest.substr(0, colon);
    if (!is_kebab(ns, true)) return bad_words(ns, name);
    n.namespaces.push_back(ns);
    rest = rest.substr(colon + 1);
    size_t slash = rest.find('/');
    colon = rest.find(':');
    if (colon != rest.npos && slash != rest.npos && slash < colon) colon = rest.npos;
    if (colon != rest.npos && !rules.nested_names) {
      return fail(Diagnostic::plain("expected `/` after package name"));
    }
  }
  size_t slash = rest.find('/');
  if (slash == rest.npos) {
    if (!is_kebab(rest, true)) return bad_words(rest, name);
    return fail(Diagnostic::plain("expected `/` after package name"));
  }
  n.package = rest.substr(0, slash);
  if (!is_kebab(n.package, true)) return bad_words(n.package, name);
  rest = rest.substr(slash + 1);
  while (true) {
    slash = rest.find('/');
    std::string_view proj = rest.substr(0, slash);
    if (!is_kebab(proj, false)) return not_kebab(proj);
    n.projections.push_back(proj);
    if (slash == rest.npos) break;
    if (!rules.nested_names) {
      return fail(Diagnostic::plain(fmt::format("trailing characters found: `{}`", rest.substr(slash))));
    }
    rest = rest.substr(slash + 1);
  }
  return n;
}

Expected<ExternNameInfo> parse_extern_name(std::string_view name, NameRules rules) {
  ExternNameInfo info;
  if (name.empty()) return not_kebab(name);
  auto annotated = [&](std::string_view prefix, ExternNameInfo::Kind kind) -> Expected<bool> {
    if (!name.starts_with(prefix)) return false;
    std::string_view rest = name.substr(prefix.size());
    info.kind = kind;
    if (kind == ExternNameInfo::Kind::Constructor) {
      if (!is_kebab_label(rest)) return not_kebab(rest);
      info.resource = rest;
      info.label = rest;
      return true;
    }
    size_t dot = rest.find('.');
    if (dot == rest.npos) return fail(Diagnostic::plain("failed to find `.` character"));
    info.resource = rest.substr(0, dot);
    info.label = rest.substr(dot + 1);
    if (!is_kebab_label(info.resource)) return not_kebab(info.resource);
    if (!is_kebab_label(info.label)) return not_kebab(info.label);
    return true;
  };
  if (name[0] == '[') {
    for (auto [prefix, kind] : {std::pair{std::string_view("[constructor]"), ExternNameInfo::Kind::Constructor},
                                std::pair{std::string_view("[method]"), ExternNameInfo::Kind::Method},
                                std::pair{std::string_view("[static]"), ExternNameInfo::Kind::Static}}) {
      auto r = annotated(prefix, kind);
      if (!r) return fail(std::move(r.error()));
      if (*r) return info;
    }
    return fail(Diagnostic::plain(fmt::format("`{}` is not a valid extern name", name)));
  }
  if (name.find(':') != name.npos) {
    info.kind = ExternNameInfo::Kind::Interface;
    auto iface = parse_interface_name(name, rules);
    if (!iface) return fail(std::move(iface.error()));
    info.iface = std::move(*iface);
    return info;
  }
  if (!is_kebab_label(name)) return not_kebab(name);
  info.kind = ExternNameInfo::Kind::Label;
  info.label = name;
  return info;
}

std::string unique_key(std::string_view name, const ExternNameInfo& info) {
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
  };
  switch (info.kind) {
    case ExternNameInfo::Kind::Label: return lower(info.label);
    case ExternNameInfo::Kind::Constructor: return "[constructor]" + lower(info.resource);
    case ExternNameInfo::Kind::Method:
    case ExternNameInfo::Kind::Static: {
      std::string r = lower(info.resource), l = lower(info.label);
      if (r == l) return r;
      return r + "." + l;
    }
    case ExternNameInfo::Kind::Interface: return lower(name);
  }
  return std::string(name);
}

}  // namespace witc::bin
