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
