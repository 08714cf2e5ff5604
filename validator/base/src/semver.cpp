#include "witc/base/semver.h"

#include <cctype>
#include <charconv>
#include <vector>

#include <fmt/format.h>

namespace witc {

namespace {

std::vector<std::string_view> split_dots(std::string_view s) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t dot = s.find('.', start);
    out.push_back(s.substr(start, dot == s.npos ? s.npos : dot - start));
    if (dot == s.npos) return out;
    start = dot + 1;
  }
}

bool is_num(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}

}  // namespace

std::string Version::why_invalid(std::string_view s) {
  if (s.empty()) return "empty string, expected a semver version";
  auto quoted = [](char c) { return fmt::format("'{}'", c); };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  static constexpr std::string_view kPart[] = {"major version number", "minor version number",
                                               "patch version number"};
  size_t i = 0;
  for (size_t k = 0; k < 3; ++k) {
    const size_t start = i;
    while (i < s.size() && digit(s[i])) ++i;
    if (i == start) {
      if (i == s.size()) return fmt::format("unexpected end of input while parsing {}", kPart[k]);
      return fmt::format("unexpected character {} while parsing {}", quoted(s[i]), kPart[k]);
    }
    if (i - start > 1 && s[start] == '0') return fmt::format("invalid leading zero in {}", kPart[k]);
    uint64_t n = 0;
    if (auto [p, ec] = std::from_chars(s.data() + start, s.data() + i, n); ec != std::errc()) {
      return fmt::format("value of {} exceeds u64::MAX", kPart[k]);
    }
    if (k == 2) break;
    if (i == s.size()) return fmt::format("unexpected end of input while parsing {}", kPart[k]);
    if (s[i] != '.') return fmt::format("unexpected character {} after {}", quoted(s[i]), kPart[k]);
    ++i;
  }
  // Dot-separated identifiers of [0-9A-Za-z-]; numeric ones without a leading
  // zero in a pre-release.
  auto identifiers = [&](std::string_view what, bool pre) -> std::string {
    while (true) {
      const size_t start = i;
      bool numeric = true;
      while (i < s.size() && (digit(s[i]) || std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '-')) {
        numeric &= digit(s[i]);
        ++i;
      }
      if (i == start) {
        if (i < s.size() && s[i] != '.' && !(pre && s[i] == '+')) {
          return fmt::format("unexpected character {} while parsing {}", quoted(s[i]), what);
        }
        return fmt::format("empty identifier segment in {}", what);
      }
      if (pre && numeric && i - start > 1 && s[start] == '0') return fmt::format("invalid leading zero in {}", what);
      if (i == s.size() || (pre && s[i] == '+')) return {};
      if (s[i] != '.') return fmt::format("unexpected character {} after {}", quoted(s[i]), what);
      ++i;
    }
  };
  if (i == s.size()) return {};
  if (s[i] == '-') {
    ++i;
    if (std::string r = identifiers("pre-release identifier", true); !r.empty()) return r;
    if (i == s.size()) return {};
  }
  if (s[i] == '+') {
    ++i;
    return identifiers("build metadata", false);
  }
  return fmt::format("unexpected character {} after patch version number", quoted(s[i]));
}

std::optional<Version> Version::parse(std::string_view text) {
  // One grammar: why_invalid checks it; a valid text is only split here.
  if (!why_invalid(text).empty()) return std::nullopt;
  Version v;
  size_t plus = text.find('+');
  if (plus != std::string_view::npos) v.build = std::string(text.substr(plus + 1));
  std::string_view core = text.substr(0, plus);
  if (size_t dash = core.find('-'); dash != std::string_view::npos) {
    v.pre = std::string(core.substr(dash + 1));
    core = core.substr(0, dash);
  }
  auto parts = split_dots(core);
  uint64_t* fields[] = {&v.major, &v.minor, &v.patch};
  for (size_t i = 0; i < 3; ++i) std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), *fields[i]);
  return v;
}

std::string Version::to_string() const {
  std::string s = fmt::format("{}.{}.{}", major, minor, patch);
  if (!pre.empty()) s += "-" + pre;
  if (!build.empty()) s += "+" + build;
  return s;
}

std::strong_ordering operator<=>(const Version& a, const Version& b) {
  if (auto c = a.major <=> b.major; c != 0) return c;
  if (auto c = a.minor <=> b.minor; c != 0) return c;
  if (auto c = a.patch <=> b.patch; c != 0) return c;
  // A version without pre-release ranks above one with it.
  if (a.pre.empty() || b.pre.empty()) {
    if (a.pre.empty() && b.pre.empty()) return std::strong_ordering::equal;
    return a.pre.empty() ? std::strong_ordering::greater : std::strong_ordering::less;
  }
  auto pa = split_dots(a.pre), pb = split_dots(b.pre);
  for (size_t i = 0; i < pa.size() && i < pb.size(); ++i) {
    bool na = is_num(pa[i]), nb = is_num(pb[i]);
    if (na && nb) {
      if (pa[i].size() != pb[i].size()) return pa[i].size() <=> pb[i].size();
      if (auto c = pa[i].compare(pb[i]); c != 0) return c <=> 0;
    } else if (na != nb) {
      return na ? std::strong_ordering::less : std::strong_ordering::greater;
    } else if (auto c = pa[i].compare(pb[i]); c != 0) {
      return c <=> 0;
    }
  }
  return pa.size() <=> pb.size();
}

std::string version_track(const Version& v) {
  if (!v.pre.empty()) return fmt::format("{}.{}.{}-{}", v.major, v.minor, v.patch, v.pre);  // build metadata never counts
  if (v.major != 0) return fmt::format("{}", v.major);
  if (v.minor != 0) return fmt::format("0.{}", v.minor);
  return fmt::format("0.0.{}", v.patch);
}

}  // namespace witc
