// Semantic versions (semver.org 2.0.0), as used by WIT packages and
// component import/export names.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace witc {

struct Version {
  uint64_t major = 0, minor = 0, patch = 0;
  std::string pre;    // dot-separated pre-release identifiers, without '-'
  std::string build;  // build metadata, without '+'

  // Parses "1.2.3", "1.2.3-rc.1+build"; nullopt if not valid semver.
  static std::optional<Version> parse(std::string_view text);
  // Why `text` is not valid semver, in the words of Rust's semver crate
  // ("unexpected end of input while parsing patch version number"), which
  // Cargo and wasm-tools print; empty if it is valid.
  static std::string why_invalid(std::string_view text);
  std::string to_string() const;

  // Semver precedence; build metadata is ignored by <=> but not by ==.
  friend std::strong_ordering operator<=>(const Version& a, const Version& b);
  friend bool operator==(const Version& a, const Version& b) {
    return a.major == b.major && a.minor == b.minor && a.patch == b.patch && a.pre == b.pre &&
           a.build == b.build;
  }
};

// The "compatibility track" of a version, as the component model uses it to
// treat semver-compatible versions as one name: 1.2.3 -> "1", 0.2.3 -> "0.2",
// 0.0.3 -> "0.0.3"; pre-release versions are their own track
// (1.0.0-rc.1+b -> "1.0.0-rc.1": build metadata is dropped everywhere). This is
// also the canonicalised version of interface names (BuildTargets.md).
std::string version_track(const Version& v);

}  // namespace witc
