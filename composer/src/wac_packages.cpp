// Finding and loading the packages a WAC document names (wac_resolve.h).
#include <fmt/format.h>

#include "wac_resolve.h"
#include "witc/base/file.h"
#include "witc/base/try.h"
#include "witc/bin/component_names.h"
#include "witc/composer/encode.h"
#include "witc/wit/wit.h"

namespace witc::compose::wac::detail {

namespace {

namespace fs = std::filesystem;

bool is_component(const std::vector<uint8_t>& b) {
  static constexpr uint8_t kHeader[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  return b.size() >= 8 && std::equal(std::begin(kHeader), std::end(kHeader), b.begin());
}

// Where package `name` (`ns:pkg`) is: --dep first, then under the deps folder.
std::optional<fs::path> locate(const PackageLocator& l, const std::string& name,
                               const std::optional<std::string>& version) {
  if (version) {
    if (auto it = l.deps.find(name + "@" + *version); it != l.deps.end()) return it->second;
  }
  if (auto it = l.deps.find(name); it != l.deps.end()) return it->second;
  fs::path base = l.deps_dir;
  size_t start = 0;
  for (;;) {
    size_t colon = name.find(':', start);
    base /= name.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  std::error_code ec;
  std::vector<fs::path> candidates;
  if (version) {
    candidates.push_back(base / *version);
    candidates.push_back(base / (*version + ".wasm"));
  }
  candidates.push_back(base);
  candidates.push_back(fs::path(base.string() + ".wasm"));
  candidates.push_back(fs::path(base.string() + ".wat"));
  for (const fs::path& c : candidates) {
    if (fs::is_directory(c, ec) || fs::is_regular_file(c, ec)) return c;
  }
  return std::nullopt;
}

// The binary form of a WIT package (a `.wit` file or a folder with `deps/`).
Expected<std::vector<uint8_t>> wit_package_bytes(const fs::path& path) {
  wit::Resolve r;
  auto roots = wit::load_path(r, path.string());
  if (!roots) return fail(Diagnostic::plain(render(roots.error(), &r.sources)));
  if (roots->size() != 1) {
    return fail(Diagnostic::plain(fmt::format("`{}` defines {} packages; a dependency must be one package",
                                              path.string(), roots->size())));
  }
  return encode_wit_package(r, roots->front());
}

}  // namespace

Expected<const LoadedPackage*> Resolver::package(const std::string& name, const std::optional<std::string>& version,
                                                 Span span) {
  std::string key = version ? name + "@" + *version : name;
  if (auto it = packages_.find(key); it != packages_.end()) return &it->second;
  auto path = locate(locator_, name, version);
  if (!path) return fail(at(span, fmt::format("unknown package `{}`", name)));
  auto resolve_failure = [&](Diagnostic cause) {
    Diagnostic d = std::move(cause);
    d.context.insert(d.context.begin(), fmt::format("failed to resolve package `{}`", name));
    d.span = span;
    return fail(std::move(d));
  };
  std::error_code ec;
  std::vector<uint8_t> bytes;
  if (fs::is_directory(*path, ec) || path->extension() == ".wit") {
    auto b = wit_package_bytes(*path);
    if (!b) return resolve_failure(std::move(b.error()));
    bytes = std::move(*b);
  } else if (path->extension() == ".wat") {
    return resolve_failure(Diagnostic::plain(fmt::format(
        "`{}` is WebAssembly text, which witc does not read; convert it to a binary (`wasm-tools parse`)",
        path->string())));
  } else {
    auto b = read_file_bytes(*path);
    if (!b) return resolve_failure(Diagnostic::plain(fmt::format("cannot read `{}`", path->string())));
    bytes = std::move(*b);
  }
  auto parse_failure = [&](std::string message) {
    Diagnostic d = at(span, std::move(message));
    d.context.push_back(fmt::format("failed to parse package `{}`", name));
    return fail(std::move(d));
  };
  if (!is_component(bytes)) {
    return parse_failure(fmt::format("package `{}` is not a binary-encoded WebAssembly component", name));
  }
  auto id = g_->add_package(name, std::move(bytes), locator_.features);
  if (!id) {
    // The reader's or validator's own message, with its offset.
    const Diagnostic& e = id.error();
    std::string msg = e.message;
    if (e.offset) msg += fmt::format(" (at offset {:#x})", *e.offset);
    return parse_failure(std::move(msg));
  }
  if (version) g_->set_package_version(*id, *version);

  // Definitions: exported component types whose one export has an interface
  // name (the binary form of a WIT package's interfaces and worlds).
  LoadedPackage p;
  p.id = *id;
  const bin::TypeInfo& t = g_->types();
  const bin::ComponentType ct = g_->package_type(*id);
  for (const auto& [ename, e] : ct.exports) {
    if (e.kind != bin::EntityKind::Type) continue;
    bin::TypeId def = t.definition(e.type);
    if (t.kind(def) != bin::TypeKind::Component) continue;
    const bin::ComponentType& c = t.component(def);
    if (c.exports.size() != 1) continue;
    const auto& [iname, ie] = c.exports.at_index(0);
    auto parsed = bin::parse_extern_name(iname, {true, true});
    if (!parsed || parsed->kind != bin::ExternNameInfo::Kind::Interface) continue;
    if (ie.kind != bin::EntityKind::Instance && ie.kind != bin::EntityKind::Component) continue;
    TypeMeta meta;
    meta.id = iname;
    for (const auto& [dname, de] : c.imports) {
      if (de.kind == bin::EntityKind::Instance) meta.deps.push_back({dname, de.type});
    }
    meta_.emplace(ie.type.index, std::move(meta));
    p.definitions.insert(ename, bin::EntityType{bin::EntityKind::Type, ie.type, {}});
  }
  return &packages_.emplace(key, std::move(p)).first->second;
}

Expected<bin::EntityType> Resolver::package_path(const PackagePath& p) {
  std::vector<std::pair<std::string, Span>> segments;
  uint32_t offset = p.span.begin + static_cast<uint32_t>(p.name.size()) + 1;
  size_t start = 0;
  for (;;) {
    size_t slash = p.segments.find('/', start);
    std::string seg = p.segments.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    Span s{offset + static_cast<uint32_t>(start), offset + static_cast<uint32_t>(start + seg.size())};
    segments.emplace_back(std::move(seg), s);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  bin::EntityType cur;
  std::string path = p.name;
  if (p.name == package_name_) {
    // The package being defined: its declarations.
    const Item* item = lookup(segments[0].first);
    if (!item || item->entity.kind != bin::EntityKind::Type) {
      return fail(at(segments[0].second, fmt::format("undefined name `{}`", segments[0].first)));
    }
    cur = item->entity;
  } else {
    Span name_span{p.span.begin, p.span.begin + static_cast<uint32_t>(p.name.size())};
    WITC_TRY_VAL(const LoadedPackage* pkg, package(p.name, p.version, name_span));
    const bin::EntityType* def = pkg->definitions.find(segments[0].first);
    if (!def) {
      return fail(at(segments[0].second,
                     fmt::format("package `{}` has no export named `{}`", p.name, segments[0].first)));
    }
    cur = *def;
  }
  path += "/" + segments[0].first;
  // Further segments name a type an interface exports.
  for (size_t i = 1; i < segments.size(); ++i) {
    const bin::TypeInfo& t = g_->types();
    const bin::EntityType* x = nullptr;
    if (t.kind(cur.type) == bin::TypeKind::Instance) x = t.instance(cur.type).exports.find(segments[i].first);
    if (!x || x->kind != bin::EntityKind::Type) {
      return fail(at(segments[i].second, fmt::format("`{}` ({}) has no export named `{}`", path, kind_name(cur.type),
                                                     segments[i].first)));
    }
    cur = *x;
    path += "/" + segments[i].first;
  }
  return cur;
}

}  // namespace witc::compose::wac::detail
