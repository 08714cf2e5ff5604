// Nearest offers for an unfilled import, and the `--explain` listing of a
// composition graph (see explain.h).
#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

#include "witc/base/semver.h"
#include "witc/composer/explain.h"

namespace witc::compose {

using bin::EntityType;

namespace {

// "wasi:io/streams@0.2.0" -> {"wasi:io/streams", "0.2.0"}; unversioned
// names have an empty version.
std::pair<std::string_view, std::string_view> split_version(std::string_view name) {
  size_t at = name.rfind('@');
  if (at == std::string_view::npos || name.find('/') == std::string_view::npos) return {name, {}};
  return {name.substr(0, at), name.substr(at + 1)};
}

}  // namespace

std::vector<std::string> nearest_offers(const bin::TypeInfo& types, std::string_view name, const EntityType& want,
                                        const std::vector<Offer>& offers, size_t limit, bool any_fitting) {
  struct Ranked {
    size_t offer;
    bool same_base;
    bool fits;
    size_t distance;
    std::string why_not;
  };
  const auto [base, version] = split_version(name);
  std::vector<Ranked> ranked;
  for (size_t i = 0; i < offers.size(); ++i) {
    const Offer& o = offers[i];
    const auto [obase, oversion] = split_version(o.name);
    Ranked r{i, obase == base, false, edit_distance(base, obase), {}};
    // Near in name: within a third of the name's length; for two interfaces
    // of one package, of the interface names' (`wasi:cli/stdin` is not near
    // `wasi:cli/run`: the shared package would hide that the names differ
    // almost entirely).
    size_t close = std::max<size_t>(2, base.size() / 3);
    if (size_t slash = base.find('/'), oslash = obase.find('/');
        slash != std::string_view::npos && oslash != std::string_view::npos &&
        base.substr(0, slash) == obase.substr(0, oslash)) {
      close = std::max<size_t>(2, (base.size() - slash - 1) / 3);
    }
    if (o.type.kind == want.kind) {
      r.why_not = explain_mismatch(types, want, o.type);
      r.fits = r.why_not.empty();
    } else {
      r.why_not = fmt::format("it is a {}, not a {}", bin::entity_kind_name(o.type.kind),
                              bin::entity_kind_name(want.kind));
    }
    if (r.same_base || r.distance <= close || (r.fits && (any_fitting || r.distance <= 2 * close))) {
      ranked.push_back(std::move(r));
    }
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.same_base != b.same_base) return a.same_base;
    if (a.fits != b.fits) return a.fits;
    return a.distance < b.distance;
  });
  std::vector<std::string> out;
  for (const Ranked& r : ranked) {
    if (out.size() == limit) break;
    const Offer& o = offers[r.offer];
    const auto [obase, oversion] = split_version(o.name);
    std::vector<std::string> notes;
    if (r.same_base && oversion != version) {
      notes.push_back(oversion.empty() ? std::string("the same interface without a version")
                                       : fmt::format("the same interface at version {}", oversion));
    } else if (!r.same_base) {
      notes.push_back(fmt::format("the name differs by {} edit{}", r.distance, r.distance == 1 ? "" : "s"));
    }
    notes.push_back(r.fits ? std::string("its type fits") : r.why_not);
    std::string line = fmt::format("export `{}` of {}", o.name, o.where);
    for (size_t i = 0; i < notes.size(); ++i) line += (i ? "; " : ": ") + notes[i];
    out.push_back(std::move(line));
  }
  return out;
}

std::string merged_import_name(const Graph& g, std::string_view name) {
  const std::string key = import_merge_key(name);
  std::string best(name);
  std::optional<Version> best_v;
  if (auto [b, v] = split_version(name); !v.empty()) best_v = Version::parse(v);
  for (size_t i = 0; i < g.node_count(); ++i) {
    const Node& n = g.node(NodeId(static_cast<uint32_t>(i)));
    if (n.removed) continue;
    if (n.kind == Node::Kind::Import && import_merge_key(n.name) == key) return n.name;
    if (n.kind != Node::Kind::Instance) continue;
    for (const auto& [imp, e] : g.package_type(n.package).imports) {
      if (n.args.contains(imp) || import_merge_key(imp) != key) continue;
      auto [b, v] = split_version(imp);
      auto parsed = v.empty() ? std::nullopt : Version::parse(v);
      if (parsed && best_v && *parsed > *best_v) {
        best = imp;
        best_v = parsed;
      }
    }
  }
  return best;
}

std::string explain_graph(const Graph& g) {
  std::string out;
  auto source = [&](NodeId v) {
    const Node& s = g.node(v);
    if (s.kind == Node::Kind::Import) return fmt::format("import `{}` of the composition", s.name);
    return g.describe(v);
  };
  std::vector<std::string> implicit;  // imports of the composition that no node declares
  for (size_t i = 0; i < g.node_count(); ++i) {
    const NodeId id(static_cast<uint32_t>(i));
    const Node& n = g.node(id);
    if (n.removed || n.kind != Node::Kind::Instance) continue;
    out += g.describe(id) + "\n";
    for (const auto& [imp, e] : g.package_type(n.package).imports) {
      if (const NodeId* v = n.args.find(imp)) {
        out += fmt::format("  import `{}` <- {}\n", imp, source(*v));
        continue;
      }
      std::string merged = merged_import_name(g, imp);
      out += fmt::format("  import `{}` <- import `{}` of the composition\n", imp, merged);
      if (std::find(implicit.begin(), implicit.end(), merged) == implicit.end()) implicit.push_back(merged);
    }
  }
  for (size_t i = 0; i < g.node_count(); ++i) {
    const Node& n = g.node(NodeId(static_cast<uint32_t>(i)));
    if (!n.removed && n.kind == Node::Kind::Import) out += fmt::format("import `{}` (declared)\n", n.name);
  }
  for (const std::string& name : implicit) out += fmt::format("import `{}`\n", name);
  for (NodeId id : g.exported_nodes()) out += fmt::format("export `{}` <- {}\n", *g.node(id).export_name, source(id));
  return out;
}

}  // namespace witc::compose
