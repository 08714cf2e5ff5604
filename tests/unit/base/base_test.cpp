#include <doctest/doctest.h>

#include "witc/base/diagnostic.h"
#include "witc/base/ordered_map.h"
#include "witc/base/semver.h"
#include "witc/base/source_map.h"

using namespace witc;

TEST_CASE("semver parses, orders and prints") {
  auto v = Version::parse("1.2.3-rc.1+build.5");
  REQUIRE(v);
  CHECK(v->major == 1);
  CHECK(v->pre == "rc.1");
  CHECK(v->build == "build.5");
  CHECK(v->to_string() == "1.2.3-rc.1+build.5");
  CHECK_FALSE(Version::parse("1.2"));
  CHECK_FALSE(Version::parse("01.2.3"));
  CHECK_FALSE(Version::parse("1.2.3-"));
  CHECK_FALSE(Version::parse("1.2.3-01"));
  CHECK(*Version::parse("1.0.0-alpha") < *Version::parse("1.0.0-alpha.1"));
  CHECK(*Version::parse("1.0.0-alpha.1") < *Version::parse("1.0.0-alpha.beta"));
  CHECK(*Version::parse("1.0.0-beta.2") < *Version::parse("1.0.0-beta.11"));
  CHECK(*Version::parse("1.0.0-rc.1") < *Version::parse("1.0.0"));
  CHECK(version_track(*Version::parse("0.2.12")) == "0.2");
  CHECK(version_track(*Version::parse("2.1.0")) == "2");
  CHECK(version_track(*Version::parse("0.0.3")) == "0.0.3");
  CHECK(version_track(*Version::parse("1.0.0-rc.1+b7")) == "1.0.0-rc.1");
}

TEST_CASE("semver: why a version is invalid, and agreement with parse") {
  struct Case {
    const char* text;
    const char* why;
  };
  for (Case c : {Case{"", "empty string, expected a semver version"},
                 Case{"1.0.", "unexpected end of input while parsing patch version number"},
                 Case{"1.2", "unexpected end of input while parsing minor version number"},
                 Case{"v1.2.3", "unexpected character 'v' while parsing major version number"},
                 Case{"1.x.3", "unexpected character 'x' while parsing minor version number"},
                 Case{"1,2.3", "unexpected character ',' after major version number"},
                 Case{"01.2.3", "invalid leading zero in major version number"},
                 Case{"1.2.99999999999999999999", "value of patch version number exceeds u64::MAX"},
                 Case{"1.2.3 ", "unexpected character ' ' after patch version number"},
                 Case{"1.2.3-", "empty identifier segment in pre-release identifier"},
                 Case{"1.2.3-a..b", "empty identifier segment in pre-release identifier"},
                 Case{"1.2.3-01", "invalid leading zero in pre-release identifier"},
                 Case{"1.2.3-a!", "unexpected character '!' after pre-release identifier"},
                 Case{"1.2.3+", "empty identifier segment in build metadata"},
                 Case{"1.2.3+b_1", "unexpected character '_' after build metadata"}}) {
    CAPTURE(c.text);
    CHECK_FALSE(Version::parse(c.text));
    CHECK(Version::why_invalid(c.text) == c.why);
  }
  for (const char* ok : {"0.0.0", "1.2.3-rc.1+build.5", "1.2.3+001", "1.2.3-a-b.0"}) {
    CAPTURE(ok);
    CHECK(Version::parse(ok));
    CHECK(Version::why_invalid(ok).empty());
  }
}

TEST_CASE("ordered map keeps insertion order") {
  OrderedMap<std::string, int> m;
  CHECK(m.insert("b", 1));
  CHECK(m.insert("a", 2));
  CHECK_FALSE(m.insert("b", 3));
  CHECK(m.at_index(0).first == "b");
  CHECK(*m.find("b") == 1);
  m.erase("b");
  CHECK(m.size() == 1);
  CHECK(m.index_of("a") == 0);
}

TEST_CASE("source map renders the reference snippet") {
  SourceMap sm;
  uint32_t base = sm.add("a.wit", "package a:b;\n\ninterface x {\n  type y = u32\n}\n");
  uint32_t at = base + static_cast<uint32_t>(std::string("package a:b;\n\ninterface x {\n  ").size());
  auto d = Diagnostic::at(Span{at, at + 4}, "expected '>', found keyword `type`");
  CHECK(render(d, &sm) ==
        "expected '>', found keyword `type`\n"
        "     --> a.wit:4:3\n"
        "      |\n"
        "    4 |   type y = u32\n"
        "      |   ^---");
  auto ctx = Diagnostic::plain("boom").with_context("failed to parse package: p");
  CHECK(render(ctx, &sm) == "failed to parse package: p: boom");
  CHECK(render(Diagnostic::at_offset(26, "bad section"), nullptr) == "bad section (at offset 0x1a)");
}
