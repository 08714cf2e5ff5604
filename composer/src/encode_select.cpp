// Which world a command means (encode.h select_world), with the reference's
// rules and messages (wit-parser `Resolve::select_world`).
#include <fmt/format.h>

#include "witc/composer/encode.h"

namespace witc::compose {

namespace {

std::string world_id(const wit::Resolve& r, wit::WorldId w) {
  const wit::World& world = r.worlds[w];
  return r.packages[*world.package].name.interface_id(world.name);
}

Diagnostic ambiguous(const wit::Resolve& r) {
  std::string msg = "there are multiple main packages; a world must be explicitly chosen:";
  for (uint32_t i = 0; i < r.worlds.size(); ++i) {
    if (r.worlds[wit::WorldId(i)].package) msg.append("\n  ").append(world_id(r, wit::WorldId(i)));
  }
  return Diagnostic::plain(std::move(msg));
}

Expected<wit::PackageId> find_package(const wit::Resolve& r, std::string_view spec) {
  wit::PackageName want;
  auto at = spec.find('@');
  std::string_view base = spec.substr(0, at);
  auto colon = base.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == base.size()) {
    return fail(Diagnostic::plain(fmt::format("failed to parse world specifier `{}`", spec)));
  }
  want.ns = std::string(base.substr(0, colon));
  want.name = std::string(base.substr(colon + 1));
  if (at != std::string_view::npos) {
    want.version = Version::parse(spec.substr(at + 1));
    if (!want.version) {
      return fail(Diagnostic::plain(fmt::format("failed to parse world specifier `{}`", spec)));
    }
  }
  if (auto p = r.find_package(want)) return *p;
  // Without a version, a single versioned package of that name will do.
  std::optional<wit::PackageId> found;
  for (uint32_t i = 0; i < r.packages.size() && !want.version; ++i) {
    const wit::PackageName& n = r.packages[wit::PackageId(i)].name;
    if (n.ns != want.ns || n.name != want.name || !n.version) continue;
    if (found) {
      return fail(Diagnostic::plain(fmt::format(
          "package name `{}` is available at both versions {} and {} but which is not specified",
          want.to_string(), r.packages[*found].name.version->to_string(), n.version->to_string())));
    }
    found = wit::PackageId(i);
  }
  if (!found) return fail(Diagnostic::plain(fmt::format("unknown package `{}`", want.to_string())));
  return *found;
}

}  // namespace

Expected<wit::WorldId> select_world(const wit::Resolve& r, const std::vector<wit::PackageId>& roots,
                                    std::optional<std::string_view> name) {
  if (roots.empty()) return fail(Diagnostic::plain("no main packages defined"));
  if (!name) {
    if (roots.size() > 1) return fail(ambiguous(r));
    const wit::Package& pkg = r.packages[roots[0]];
    if (pkg.worlds.size() == 1) return pkg.worlds.at_index(0).second;
    if (pkg.worlds.empty()) {
      return fail(Diagnostic::plain(
          fmt::format("the main package `{}` contains no worlds", pkg.name.to_string())));
    }
    std::string msg = fmt::format("there are multiple worlds in `{}`; one must be explicitly chosen:",
                                  pkg.name.to_string());
    for (const auto& [n, w] : pkg.worlds) msg.append("\n  ").append(world_id(r, w));
    return fail(Diagnostic::plain(std::move(msg)));
  }
  wit::PackageId pkg_id;
  std::string world_name;
  if (auto slash = name->find('/'); slash != std::string_view::npos) {
    // "ns:pkg/world[@version]": the version belongs to the package.
    std::string_view rest = name->substr(slash + 1);
    auto at = rest.find('@');
    std::string spec(name->substr(0, slash));
    if (at != std::string_view::npos) spec.append(rest.substr(at));
    auto found = find_package(r, spec);
    if (!found) return fail(std::move(found.error()));
    pkg_id = *found;
    world_name = std::string(rest.substr(0, at));
  } else {
    if (roots.size() > 1) return fail(ambiguous(r));
    pkg_id = roots[0];
    world_name = std::string(*name);
  }
  const wit::Package& pkg = r.packages[pkg_id];
  if (const wit::WorldId* w = pkg.worlds.find(world_name)) return *w;
  return fail(Diagnostic::plain(
      fmt::format("world `{}` not found in package `{}`", world_name, pkg.name.to_string())));
}

}  // namespace witc::compose
