// The import/export name grammar and strong uniqueness (Explainer.md
// "Import and Export Definitions", "Name Uniqueness").
#include <doctest/doctest.h>

#include <set>

#include "witc/bin/component_names.h"

using namespace witc;
using bin::ExternNameInfo;

TEST_CASE("names: kebab-case labels") {
  for (const char* ok : {"a", "a-b-c", "a1-2-3", "A", "A-B-C", "A1-2-3", "a11-w0rds", "A11-4CR0NYMS",
                         "m1x3d-4CR0NYMS", "is-XML", "get-JSON"}) {
    CAPTURE(ok);
    CHECK(bin::is_kebab_label(ok));
  }
  for (const char* bad : {"", "1-2-3", "aBc", "a--b", "-a", "a-", "a_b", "a b", "Ab", "a-Bc", "é"}) {
    CAPTURE(bad);
    CHECK_FALSE(bin::is_kebab_label(bad));
  }
}

TEST_CASE("names: plain and annotated names") {
  auto n = bin::parse_extern_name("get-JSON");
  REQUIRE(n.has_value());
  CHECK(n->kind == ExternNameInfo::Kind::Label);
  CHECK(n->label == "get-JSON");
  n = bin::parse_extern_name("[constructor]my-res");
  REQUIRE(n.has_value());
  CHECK(n->kind == ExternNameInfo::Kind::Constructor);
  CHECK(n->resource == "my-res");
  n = bin::parse_extern_name("[method]my-res.do-it");
  REQUIRE(n.has_value());
  CHECK(n->kind == ExternNameInfo::Kind::Method);
  CHECK(n->resource == "my-res");
  CHECK(n->label == "do-it");
  n = bin::parse_extern_name("[static]r.make");
  REQUIRE(n.has_value());
  CHECK(n->kind == ExternNameInfo::Kind::Static);
  CHECK(bin::parse_extern_name("[method]r").error().message == "failed to find `.` character");
  CHECK(bin::parse_extern_name("[static]a.b.c").error().message == "`b.c` is not in kebab case");
  CHECK(bin::parse_extern_name("[constructor]").error().message == "`` is not in kebab case");
  CHECK(bin::parse_extern_name("[ctor]a").error().message == "`[ctor]a` is not a valid extern name");
  CHECK(bin::parse_extern_name("a/b").error().message == "`a/b` is not in kebab case");
}

TEST_CASE("names: interface names") {
  auto n = bin::parse_extern_name("wasi:http/types@0.2.6");
  REQUIRE(n.has_value());
  CHECK(n->kind == ExternNameInfo::Kind::Interface);
  REQUIRE(n->iface.namespaces.size() == 1);
  CHECK(n->iface.namespaces[0] == "wasi");
  CHECK(n->iface.package == "http");
  REQUIRE(n->iface.projections.size() == 1);
  CHECK(n->iface.projections[0] == "types");
  CHECK(n->iface.version == std::string_view("0.2.6"));
  n = bin::parse_extern_name("a:b/c");
  REQUIRE(n.has_value());
  CHECK_FALSE(n->iface.version.has_value());
  CHECK(bin::parse_extern_name("wasi:http/types@1.0.0-rc.1+build.5").has_value());
  CHECK(bin::parse_extern_name("a:b").error().message == "expected `/` after package name");
  CHECK(bin::parse_extern_name("a:b/c@1").error().message == "`1` is not a valid semver: unexpected end of input while parsing major version number");
  CHECK(bin::parse_extern_name("a:b/c@01.0.0").error().message == "`01.0.0` is not a valid semver: invalid leading zero in major version number");
  CHECK(bin::parse_extern_name("WaSi:http/types").error().message == "`WaSi` is not in kebab case");
  CHECK(bin::parse_extern_name("A:b/c").error().message == "`A:b/c` is not a valid extern name");
  CHECK(bin::parse_extern_name("a:b/c/d").error().message == "trailing characters found: `/d`");
  CHECK(bin::parse_extern_name("a:b:c/d").error().message == "expected `/` after package name");
  // 🪺 nested namespaces and projections; 🔗 canonical versions.
  bin::NameRules rules{true, true};
  n = bin::parse_extern_name("a:b:c/d/e@1", rules);
  REQUIRE(n.has_value());
  CHECK(n->iface.namespaces.size() == 2);
  CHECK(n->iface.package == "c");
  CHECK(n->iface.projections.size() == 2);
  CHECK(bin::parse_extern_name("a:b/c@0.2", rules).has_value());
  CHECK_FALSE(bin::parse_extern_name("a:b/c@0.02", rules).has_value());
}

TEST_CASE("names: strong uniqueness") {
  auto key = [](std::string_view s) {
    auto n = bin::parse_extern_name(s);
    REQUIRE(n.has_value());
    return bin::unique_key(s, *n);
  };
  // Strongly unique with each other (Explainer.md's example).
  std::set<std::string> keys;
  for (const char* s : {"foo", "foo-bar", "[constructor]foo", "[method]foo.bar", "[static]foo.baz", "foo:bar/baz"}) {
    CHECK(keys.insert(key(s)).second);
  }
  // Each of these conflicts with one of the above.
  for (const char* s : {"foo", "FOO", "foo-BAR", "[constructor]FOO", "[method]foo.BAR", "[static]foo.bar",
                        "[method]foo.baz", "[method]foo.foo", "[static]foo-BAR.FOO-bar", "foo:bar/BAZ"}) {
    CAPTURE(s);
    CHECK(keys.count(key(s)) == 1);
  }
}

// Import-only names: wasmparser's accepted forms and its messages for the
// malformed ones (wasm-tools tests/local/component-model/names.wast).
TEST_CASE("names: dependency, URL and hash import names") {
  for (const char* ok :
       {"unlocked-dep=<a:b>", "unlocked-dep=<a:b@*>", "unlocked-dep=<a:b@{>=1.2.3}>", "unlocked-dep=<a:b@{>=1.2.3-rc}>",
        "unlocked-dep=<a:b@{<1.2.3}>", "unlocked-dep=<a:b@{<1.2.3-rc}>", "unlocked-dep=<a:b@{>=1.2.3 <1.2.3}>",
        "unlocked-dep=<a:b@{>=1.2.3-rc <1.2.3}>", "locked-dep=<a:b>", "locked-dep=<a:b@1.2.3>",
        "locked-dep=<a:b>,integrity=<sha256-a>", "locked-dep=<a:b@1.2.3>,integrity=<sha256-a>", "url=<>", "url=<a>",
        "url=<a>,integrity=<sha256-a>", "integrity=<sha256-a>", "integrity=<sha384-a>", "integrity=<sha512-a>",
        "integrity=<sha512-a sha256-b>", "integrity=< sha512-a sha256-b >", "integrity=<  sha512-a?abcd  >",
        "integrity=<sha256-abcdefghijklmnopqrstuvwxyz>", "integrity=<sha256-ABCDEFGHIJKLMNOPQRSTUVWXYZ>",
        "integrity=<sha256-++++++++++++++++++++==>", "integrity=<sha256-////////////////////==>"}) {
    CAPTURE(ok);
    auto n = bin::parse_extern_name(ok);
    CHECK(n.has_value());
    if (n) CHECK(bin::is_import_only(n->kind));
  }
  struct Bad {
    const char* name;
    const char* message;
  };
  for (Bad b : {Bad{"unlocked-dep=", "expected `<` at ``"}, Bad{"unlocked-dep=<", "`` is not in kebab case"},
                Bad{"unlocked-dep=<>", "`` is not in kebab case"}, Bad{"unlocked-dep=<:>", "`` is not in kebab case"},
                Bad{"unlocked-dep=<a:>", "`` is not in kebab case"}, Bad{"unlocked-dep=<:a>", "`` is not in kebab case"},
                Bad{"unlocked-dep=<a:a@>", "expected `{` at `>`"},
                Bad{"unlocked-dep=<a:a@{xyz}>", "expected `>=` or `<` at start of version range"},
                Bad{"unlocked-dep=<a:a@{<xyz}>", "`xyz` is not a valid semver: unexpected character 'x' while parsing major version number"},
                Bad{"unlocked-dep=<a:a@{<1.2.3 >=2.3.4}>", "`1.2.3 >=2.3.4` is not a valid semver: unexpected character ' ' after patch version number"},
                Bad{"unlocked-dep=<foo:add@{>=1.0.}>", "`1.0.` is not a valid semver: unexpected end of input while parsing patch version number"},
                Bad{"locked-dep=", "expected `<` at ``"}, Bad{"locked-dep=<", "`` is not in kebab case"},
                Bad{"locked-dep=<:", "`` is not in kebab case"}, Bad{"locked-dep=<a:a", "expected `>` at ``"},
                Bad{"locked-dep=<a:a@>", "`` is not a valid semver: empty string, expected a semver version"}, Bad{"locked-dep=<a:a@1.2.3", "expected `>` at ``"},
                Bad{"locked-dep=<a:a@1.2.3>,", "expected `integrity=<`"},
                Bad{"locked-dep=<a:a@1.2.3>x", "trailing characters found: `x`"}, Bad{"url=", "expected `<` at ``"},
                Bad{"url=<", "failed to find `>`"}, Bad{"url=<<>", "url cannot contain `<`"},
                Bad{"relative-url=<a>", "`relative-url=<a>` is not a valid extern name"},
                Bad{"integrity=<>", "integrity hash cannot be empty"},
                Bad{"integrity=<sha256>", "expected `-` after hash algorithm"},
                Bad{"integrity=<sha256->", "`` is not valid base64"},
                Bad{"integrity=<sha256-^^^^>", "`^^^^` is not valid base64"},
                Bad{"integrity=<sha256-=========>", "`=========` is not valid base64"},
                Bad{"integrity=<sha256-==>", "`==` is not valid base64"},
                Bad{"integrity=<md5-ABC>", "unrecognized hash algorithm `md5`"}}) {
    CAPTURE(b.name);
    auto n = bin::parse_extern_name(b.name);
    REQUIRE_FALSE(n.has_value());
    CHECK(n.error().message == b.message);
  }
  auto n = bin::parse_extern_name("unlocked-dep=<foo:bar@{>=1.2.3}>");
  REQUIRE(n.has_value());
  CHECK(n->kind == ExternNameInfo::Kind::Dependency);
  CHECK_FALSE(n->locked);
  CHECK(n->iface.namespaces == std::vector<std::string_view>{"foo"});
  CHECK(n->iface.package == "bar");
  CHECK(n->range == "{>=1.2.3}");
  n = bin::parse_extern_name("locked-dep=<foo:bar@1.2.3>,integrity=<sha256-a>");
  REQUIRE(n.has_value());
  CHECK(n->locked);
  CHECK(n->iface.version == "1.2.3");
  CHECK(n->integrity == "sha256-a");
  // Several namespaces and projections only with nested names (🪺).
  CHECK_FALSE(bin::parse_extern_name("unlocked-dep=<a:b:c:d/e/f/g@{>=1.2.3 <2.0.0}>").has_value());
  CHECK(bin::parse_extern_name("unlocked-dep=<a:b:c:d/e/f/g@{>=1.2.3 <2.0.0}>", {true, false}).has_value());
}
