// The component model's name grammar (Explainer.md "Import and Export
// Definitions").
#include "witc/bin/component_names.h"

#include <fmt/format.h>

#include "witc/base/semver.h"
#include "witc/base/try.h"

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

// A cursor over the import-only names (`unlocked-dep=<...>` and friends).
// Messages follow wasmparser's ("expected `<` at `rest`").
class NameCursor {
 public:
  explicit NameCursor(std::string_view s) : rest_(s) {}

  std::string_view rest() const { return rest_; }
  bool eat(std::string_view p) {
    if (!rest_.starts_with(p)) return false;
    rest_.remove_prefix(p.size());
    return true;
  }
  Expected<void> expect(std::string_view p) {
    if (eat(p)) return {};
    return fail(Diagnostic::plain(fmt::format("expected `{}` at `{}`", p, rest_)));
  }
  // Everything up to (not including) the first of `stops`, or the rest.
  std::string_view take_until(std::string_view stops) {
    size_t n = rest_.find_first_of(stops);
    std::string_view out = rest_.substr(0, n);
    rest_.remove_prefix(out.size());
    return out;
  }
  Expected<void> done() {
    if (rest_.empty()) return {};
    return fail(Diagnostic::plain(fmt::format("trailing characters found: `{}`", rest_)));
  }

  // pkgpath ::= (words ':')+ words ('/' label)*   (several namespaces and
  // projections only with nested names)
  Expected<InterfaceName> package_path(bool nested) {
    InterfaceName n;
    std::string_view ns = take_until(":/@>,");
    if (!is_kebab(ns, true)) return not_kebab(ns);
    n.namespaces.push_back(ns);
    WITC_TRY(expect(":"));
    for (;;) {
      std::string_view part = take_until(":/@>,");
      if (!is_kebab(part, true)) return not_kebab(part);
      if (nested && eat(":")) {
        n.namespaces.push_back(part);
        continue;
      }
      n.package = part;
      break;
    }
    while (nested && eat("/")) {
      std::string_view proj = take_until("/@>,");
      if (!is_kebab(proj, false)) return not_kebab(proj);
      n.projections.push_back(proj);
    }
    return n;
  }

  // ',' hashname, if present; the metadata, or empty.
  Expected<std::string_view> optional_integrity() {
    if (!eat(",")) return std::string_view();
    if (!eat("integrity=")) return fail(Diagnostic::plain("expected `integrity=<`"));
    return integrity();
  }

  // '<' integrity-metadata '>' (W3C Subresource Integrity: options
  // `alg-base64[?opts]` separated by spaces).
  Expected<std::string_view> integrity() {
    WITC_TRY(expect("<"));
    size_t close = rest_.find('>');
    if (close == rest_.npos) return fail(Diagnostic::plain("failed to find `>`"));
    std::string_view meta = rest_.substr(0, close);
    rest_.remove_prefix(close + 1);
    bool any = false;
    size_t start = 0;
    while (start <= meta.size()) {
      size_t sp = meta.find(' ', start);
      std::string_view opt = meta.substr(start, sp == meta.npos ? meta.npos : sp - start);
      start = sp == meta.npos ? meta.size() + 1 : sp + 1;
      if (opt.empty()) continue;
      any = true;
      size_t dash = opt.find('-');
      if (dash == opt.npos) return fail(Diagnostic::plain("expected `-` after hash algorithm"));
      std::string_view alg = opt.substr(0, dash);
      if (alg != "sha256" && alg != "sha384" && alg != "sha512") {
        return fail(Diagnostic::plain(fmt::format("unrecognized hash algorithm `{}`", alg)));
      }
      std::string_view digest = opt.substr(dash + 1);
      digest = digest.substr(0, digest.find('?'));
      if (!is_base64(digest)) return fail(Diagnostic::plain(fmt::format("`{}` is not valid base64", digest)));
    }
    if (!any) return fail(Diagnostic::plain("integrity hash cannot be empty"));
    return meta;
  }

 private:
  // One or more base64 characters, then at most two '='.
  static bool is_base64(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && (is_lower(s[i]) || is_upper(s[i]) || is_digit(s[i]) || s[i] == '+' || s[i] == '/')) ++i;
    if (i == 0) return false;
    size_t pad = s.size() - i;
    return pad <= 2 && s.substr(i).find_first_not_of('=') == std::string_view::npos;
  }

  std::string_view rest_;
};

Diagnostic not_semver(std::string_view v) {
  std::string why = Version::why_invalid(v);
  if (why.empty()) return Diagnostic::plain(fmt::format("`{}` is not a valid semver", v));
  return Diagnostic::plain(fmt::format("`{}` is not a valid semver: {}", v, why));
}

// The version of a locked dependency, or a bound of an unlocked one.
Expected<void> check_semver(std::string_view v) {
  if (Version::parse(v)) return {};
  return fail(not_semver(v));
}

// verrange ::= '*' | '{' ('>=' semver)? ' '? ('<' semver)? '}'  (after '@')
Expected<std::string_view> version_range(NameCursor& c) {
  std::string_view start = c.rest();
  if (c.eat("*")) return start.substr(0, 1);
  WITC_TRY(c.expect("{"));
  std::string_view inner = c.take_until("}");
  WITC_TRY(c.expect("}"));
  if (inner.starts_with(">=")) {
    std::string_view lower = inner.substr(2, inner.find(' ') == inner.npos ? inner.npos : inner.find(' ') - 2);
    WITC_TRY(check_semver(lower));
    inner.remove_prefix(2 + lower.size());
    if (inner.empty()) return start.substr(0, c.rest().data() - start.data());
    if (!inner.starts_with(" <")) return fail(Diagnostic::plain("expected `<` after lower version bound"));
    inner.remove_prefix(1);
  }
  if (!inner.starts_with("<")) return fail(Diagnostic::plain("expected `>=` or `<` at start of version range"));
  WITC_TRY(check_semver(inner.substr(1)));
  return start.substr(0, c.rest().data() - start.data());
}

Expected<ExternNameInfo> parse_dependency(std::string_view body, bool locked, NameRules rules) {
  ExternNameInfo info;
  info.kind = ExternNameInfo::Kind::Dependency;
  info.locked = locked;
  NameCursor c(body);
  WITC_TRY(c.expect("<"));
  WITC_ASSIGN(info.iface, c.package_path(rules.nested_names));
  if (c.eat("@")) {
    if (locked) {
      std::string_view v = c.take_until(">");
      WITC_TRY(check_semver(v));
      info.iface.version = v;
    } else {
      WITC_ASSIGN(info.range, version_range(c));
    }
  }
  WITC_TRY(c.expect(">"));
  if (locked) WITC_ASSIGN(info.integrity, c.optional_integrity());
  WITC_TRY(c.done());
  return info;
}

Expected<ExternNameInfo> parse_url(std::string_view body) {
  ExternNameInfo info;
  info.kind = ExternNameInfo::Kind::Url;
  NameCursor c(body);
  WITC_TRY(c.expect("<"));
  size_t close = c.rest().find('>');
  if (close == std::string_view::npos) return fail(Diagnostic::plain("failed to find `>`"));
  info.url = c.rest().substr(0, close);
  if (info.url.find('<') != std::string_view::npos) return fail(Diagnostic::plain("url cannot contain `<`"));
  c.eat(info.url);
  WITC_TRY(c.expect(">"));
  WITC_ASSIGN(info.integrity, c.optional_integrity());
  WITC_TRY(c.done());
  return info;
}

Expected<ExternNameInfo> parse_hash(std::string_view body) {
  ExternNameInfo info;
  info.kind = ExternNameInfo::Kind::Hash;
  NameCursor c(body);
  WITC_ASSIGN(info.integrity, c.integrity());
  WITC_TRY(c.done());
  return info;
}

}  // namespace

bool is_kebab_label(std::string_view s) { return is_kebab(s, false); }

bool is_import_only(ExternNameInfo::Kind k) {
  return k == ExternNameInfo::Kind::Dependency || k == ExternNameInfo::Kind::Url || k == ExternNameInfo::Kind::Hash;
}

Expected<InterfaceName> parse_interface_name(std::string_view name, NameRules rules) {
  InterfaceName n;
  std::string_view rest = name;
  size_t at = rest.find('@');
  if (at != rest.npos) {
    std::string_view v = rest.substr(at + 1);
    bool ok = Version::parse(v).has_value() || (rules.canonical_versions && is_canon_version(v));
    if (!ok) return fail(not_semver(v));
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
  if (name.starts_with("unlocked-dep=")) return parse_dependency(name.substr(13), false, rules);
  if (name.starts_with("locked-dep=")) return parse_dependency(name.substr(11), true, rules);
  if (name.starts_with("url=")) return parse_url(name.substr(4));
  if (name.starts_with("integrity=")) return parse_hash(name.substr(10));
  if (name.find('=') != name.npos) {
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
    case ExternNameInfo::Kind::Dependency:
    case ExternNameInfo::Kind::Url:
    case ExternNameInfo::Kind::Hash: return std::string(name);
  }
  return std::string(name);
}

}  // namespace witc::bin
