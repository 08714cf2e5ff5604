// Loading WIT from the file system: a file, or a package directory with an
// optional `deps/` folder, into a Resolve. Packages are pushed dependencies
// first; every error carries the context a user needs to find it.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "unresolved.h"
#include "witc/wit/wit.h"

namespace witc::wit {

namespace fs = std::filesystem;
using detail::UnresolvedGroup;
using detail::UnresolvedPackage;

namespace {

// Inputs above this size are refused: spans are 32-bit offsets.
constexpr uintmax_t kMaxSourceBytes = 256u << 20;

bool valid_utf8(std::string_view s) {
  size_t i = 0, n = s.size();
  while (i < n) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > n) return false;
    uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

Expected<std::string> read_file(const fs::path& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec)
    return fail(Diagnostic::plain(
        fmt::format("failed to read path for WIT [{}]: {}", path.string(), ec.message())));
  if (size > kMaxSourceBytes)
    return fail(Diagnostic::plain(fmt::format("failed to read path for WIT [{}]: file too large "
                                              "({} bytes; the limit is {})",
                                              path.string(), size, kMaxSourceBytes)));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(Diagnostic::plain(
        fmt::format("failed to read path for WIT [{}]: cannot open file", path.string())));
  std::string text;
  text.resize(static_cast<size_t>(size));
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

bool is_wasm(std::string_view bytes) { return bytes.size() >= 4 && bytes.substr(0, 4) == std::string_view("\0asm", 4); }

// Sources parsed for one package group; the ASTs must outlive stage 1.
struct Parsed {
  std::vector<std::unique_ptr<ast::File>> files;
};

class Loader {
 public:
  explicit Loader(Resolve& r) : r_(r) {}

  Expected<std::vector<PackageId>> load_path(const std::string& path) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      auto ids = push_dir(path);
      if (!ids)
        return fail(std::move(ids.error())
                        .with_context(fmt::format(
                            "failed to resolve directory while parsing WIT for path [{}]", path)));
      return ids;
    }
    auto group = parse_file(path);
    if (!group) return fail(group.error());
    std::vector<UnresolvedGroup> none;
    return sort_and_push(std::move(*group), none);
  }

  Expected<std::vector<PackageId>> load_text(const std::string& path, std::string text) {
    auto group = parse_text(path, std::move(text));
    if (!group) return fail(group.error());
    std::vector<UnresolvedGroup> none;
    return sort_and_push(std::move(*group), none);
  }

 private:
  Expected<UnresolvedGroup> parse_text(const std::string& path, std::string text) {
    if (!valid_utf8(text))
      return fail(Diagnostic::plain(fmt::format("input file is not valid utf-8 [{}]", path)));
    uint32_t base = r_.sources.add(path, std::move(text));
    auto file = ast::parse(r_.sources, base);
    if (!file) return fail(file.error());
    ast::File f = std::move(*file);
    std::vector<const ast::File*> files{&f};
    return detail::resolve_package_files(files);
  }

  Expected<UnresolvedGroup> parse_file(const std::string& path) {
    auto text = read_file(path);
    if (!text) return fail(text.error());
    if (is_wasm(*text))
      return fail(Diagnostic::plain(fmt::format(
          "decoding WIT packages encoded as wasm is not supported yet [{}]", path)));
    if (path.size() > 4 && path.ends_with(".wat"))
      return fail(Diagnostic::plain(fmt::format(
          "decoding WIT packages encoded as wasm text is not supported yet [{}]", path)));
    return parse_text(path, std::move(*text));
  }

  // All `*.wit` files directly in `dir` form one package (plus nested ones).
  Expected<UnresolvedGroup> parse_dir(const fs::path& dir) {
    std::error_code ec;
    std::vector<fs::path> paths;
    fs::directory_iterator it(dir, ec), end;
    if (ec)
      return fail(Diagnostic::plain(
          fmt::format("failed to read directory [{}]: {}", dir.string(), ec.message())));
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      const fs::path& p = it->path();
      if (p.extension() != ".wit") continue;
      std::error_code fec;
      if (!fs::is_regular_file(p, fec)) continue;
      paths.push_back(p);
    }
    if (ec)
      return fail(Diagnostic::plain(
          fmt::format("failed to read directory [{}]: {}", dir.string(), ec.message())));
    std::sort(paths.begin(), paths.end());
    std::vector<std::unique_ptr<ast::File>> files;
    for (const auto& p : paths) {
      auto text = read_file(p);
      if (!text) return fail(text.error());
      if (!valid_utf8(*text))
        return fail(Diagnostic::plain(fmt::format("input file is not valid utf-8 [{}]", p.string())));
      uint32_t base = r_.sources.add(p.string(), std::move(*text));
      auto file = ast::parse(r_.sources, base);
      if (!file) return fail(file.error());
      files.push_back(std::make_unique<ast::File>(std::move(*file)));
    }
    std::vector<const ast::File*> views;
    for (const auto& f : files) views.push_back(f.get());
    return detail::resolve_package_files(views);
  }

  Expected<std::vector<UnresolvedGroup>> parse_deps_dir(const fs::path& deps) {
    std::vector<UnresolvedGroup> out;
    std::error_code ec;
    if (!fs::exists(deps, ec)) return out;
    std::vector<fs::directory_entry> entries;
    fs::directory_iterator it(deps, ec), end;
    if (ec)
      return fail(Diagnostic::plain(fmt::format("failed to read directory: {}", ec.message())));
    for (; it != end; it.increment(ec)) {
      if (ec) break;
      entries.push_back(*it);
    }
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
    for (const auto& e : entries) {
      const fs::path& p = e.path();
      std::error_code dec;
      if (fs::is_directory(p, dec)) {
        auto g = parse_dir(p);
        if (!g)
          return fail(std::move(g.error())
                          .with_context(fmt::format("failed to parse package: {}", p.string())));
        out.push_back(std::move(*g));
        continue;
      }
      auto ext = p.extension();
      if (ext != ".wit" && ext != ".wat" && ext != ".wasm") continue;
      auto g = parse_file(p.string());
      if (!g) return fail(g.error());
      out.push_back(std::move(*g));
    }
    return out;
  }

  Expected<std::vector<PackageId>> push_dir(const std::string& path) {
    fs::path dir(path);
    auto main = parse_dir(dir);
    if (!main)
      return fail(std::move(main.error()).with_context(fmt::format("failed to parse package: {}", path)));
    fs::path deps_path = dir / "deps";
    auto deps = parse_deps_dir(deps_path);
    if (!deps)
      return fail(std::move(deps.error())
                      .with_context(fmt::format("failed to parse dependency directory: {}",
                                                deps_path.string())));
    return sort_and_push(std::move(*main), *deps);
  }

  // Orders all packages so dependencies come first (by name, then depth
  // first through each package's foreign dependencies) and pushes them.
  Expected<std::vector<PackageId>> sort_and_push(UnresolvedGroup main,
                                                 std::vector<UnresolvedGroup>& deps) {
    auto less = [](const PackageName& a, const PackageName& b) {
      return detail::package_name_less(a, b);
    };
    std::map<PackageName, UnresolvedPackage, decltype(less)> pkgs(less);
    std::vector<PackageName> main_names;
    auto insert = [&](UnresolvedPackage p, bool is_main) -> Expected<void> {
      PackageName name = p.name;
      Span span = p.name_span;
      auto [it, fresh] = pkgs.emplace(name, std::move(p));
      if (!fresh)
        return fail(Diagnostic::plain(fmt::format(
            "package `{}` is defined in two different locations:\n  * {}\n  * {}",
            name.to_string(), r_.sources.location(span), r_.sources.location(it->second.name_span))));
      if (is_main) main_names.push_back(name);
      return {};
    };
    auto insert_group = [&](UnresolvedGroup& g, bool is_main) -> Expected<void> {
      for (auto& n : g.nested)
        if (auto e = insert(std::move(n), is_main); !e) return e;
      return insert(std::move(g.main), is_main);
    };
    if (auto e = insert_group(main, true); !e) return fail(e.error());
    for (auto& g : deps)
      if (auto e = insert_group(g, false); !e) return fail(e.error());

    std::vector<PackageName> order;
    std::set<PackageName, decltype(less)> done(less), visiting(less);
    std::function<Expected<void>(const UnresolvedPackage&)> visit =
        [&](const UnresolvedPackage& p) -> Expected<void> {
      if (done.count(p.name)) return {};
      for (const auto& dep : p.foreign_deps) {
        if (!visiting.insert(dep.name).second)
          return fail(Diagnostic::at(
              dep.span, fmt::format("package `{}` creates a dependency cycle", dep.name.to_string())));
        auto it = pkgs.find(dep.name);
        if (it != pkgs.end())
          if (auto e = visit(it->second); !e) return e;
        visiting.erase(dep.name);
      }
      done.insert(p.name);
      order.push_back(p.name);
      return {};
    };
    for (const auto& [name, p] : pkgs)
      if (auto e = visit(p); !e) return fail(e.error());

    std::map<PackageName, PackageId, decltype(less)> ids(less);
    for (const auto& name : order) {
      auto it = pkgs.find(name);
      auto id = detail::push_package(r_, std::move(it->second));
      if (!id) return fail(id.error());
      ids.emplace(name, *id);
    }
    // The roots: the path's own package first, then its nested packages in
    // source order (main_names lists nested ones first).
    std::vector<PackageId> roots;
    if (!main_names.empty()) roots.push_back(ids.at(main_names.back()));
    for (size_t i = 0; i + 1 < main_names.size(); ++i) roots.push_back(ids.at(main_names[i]));
    return roots;
  }

  Resolve& r_;
};

}  // namespace

Expected<std::vector<PackageId>> load_path(Resolve& resolve, const std::string& path) {
  Loader l(resolve);
  return l.load_path(path);
}

Expected<std::vector<PackageId>> load_text(Resolve& resolve, const std::string& path,
                                           std::string text) {
  Loader l(resolve);
  return l.load_text(path, std::move(text));
}

}  // namespace witc::wit
