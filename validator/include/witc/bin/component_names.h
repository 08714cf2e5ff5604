// The import/export name grammar of the component model (Explainer.md
// "Import and Export Definitions", "Name Uniqueness").
//
// parse_extern_name splits a name into a plain name (a kebab-case label,
// optionally annotated `[constructor]r`, `[method]r.f`, `[static]r.f`), an
// interface name (`ns:pkg/iface@semver`), or one of the import-only names of
// the component model's import-name grammar (as wasmparser accepts it):
//   depname  ::= 'unlocked-dep=<' pkgpath verrange? '>'
//              | 'locked-dep=<' pkgpath ('@' semver)? '>' (',' hashname)?
//   urlname  ::= 'url=<' [^<>]* '>' (',' hashname)?
//   hashname ::= 'integrity=<' integrity-metadata '>'
//   verrange ::= '@*' | '@{' ('>=' semver)? ' '? ('<' semver)? '}'
// reporting the first violation of the grammar. unique_key maps a name to the string two names must not share to
// be strongly-unique. Used by the validator, and by the WIT decoder and the
// composer to interpret names without re-parsing them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "witc/base/diagnostic.h"

namespace witc::bin {

// label ::= first-fragment ('-' fragment)*: fragments are all-lowercase
// words or all-uppercase acronyms (digits allowed), the first starting with a
// letter.
bool is_kebab_label(std::string_view s);

struct InterfaceName {
  std::vector<std::string_view> namespaces;   // one, or several (🪺)
  std::string_view package;
  std::vector<std::string_view> projections;  // one, or several (🪺)
  std::optional<std::string_view> version;    // without '@'
};

struct ExternNameInfo {
  enum class Kind : uint8_t { Label, Constructor, Method, Static, Interface, Dependency, Url, Hash };
  Kind kind = Kind::Label;
  std::string_view label;     // Label: the name; Constructor: the resource; Method/Static: the function
  std::string_view resource;  // Constructor, Method, Static
  InterfaceName iface;        // Interface; Dependency: the package path (no projections
                              // unless nested), `version` the locked version
  bool locked = false;        // Dependency: `locked-dep=` (else `unlocked-dep=`)
  std::string_view range;     // Dependency (unlocked): the version range without '@' ("*", "{>=1.2.3}")
  std::string_view url;       // Url: between the brackets
  std::string_view integrity; // Url, locked Dependency, Hash: the integrity metadata, if given
};

// Dependency, URL and hash names may only name imports (Explainer.md's
// `importname` extends `exportname` with them).
bool is_import_only(ExternNameInfo::Kind k);

struct NameRules {
  bool nested_names = false;    // 🪺 several namespaces/projections
  bool canonical_versions = false;  // 🔗 `@1`, `@0.2` versions
};

// Parses an import/export name; the error message is offset-free (the caller
// knows where the name was). Messages follow wasmparser's where the reference
// tests quote them ("`Foo-bar` is not in kebab case", "failed to find `.`
// character", "expected `/` after package name", ...).
Expected<ExternNameInfo> parse_extern_name(std::string_view name, NameRules rules = {});

// Parses a string that must be an interface name (an `implements` attribute).
Expected<InterfaceName> parse_interface_name(std::string_view name, NameRules rules = {});

// The strong-uniqueness key of a parsed name: acronyms lowercased,
// `[method]l.l` / `[static]l.l` reduced to `l`, annotations other than
// `[constructor]` stripped (Explainer.md "Name Uniqueness"); dependency, URL
// and hash names are their own key.
std::string unique_key(std::string_view name, const ExternNameInfo& info);

}  // namespace witc::bin
