// Graphviz output of a composition graph (see dot.h).
#include "witc/composer/dot.h"

#include <unordered_map>

#include <fmt/format.h>

#include "witc/composer/explain.h"

namespace witc::compose {

namespace {

// A DOT double-quoted string.
std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + '"';
}

}  // namespace

std::string graph_to_dot(const Graph& g) {
  std::string out = "digraph composition {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=11];\n"
                    "  edge [fontname=\"Helvetica\", fontsize=9];\n";
  std::unordered_map<std::string, std::string> imports;  // merged import name -> DOT node id
  auto import_node = [&](const std::string& name) {
    auto it = imports.find(name);
    if (it != imports.end()) return it->second;
    std::string id = fmt::format("import{}", imports.size());
    out += fmt::format("  {} [shape=invhouse, style=filled, fillcolor=\"#e8f0fe\", label={}];\n", id, quote(name));
    return imports.emplace(name, id).first->second;
  };
  // Where a node's value comes from: the DOT node and the export taken.
  auto origin = [&](NodeId v) -> std::pair<std::string, std::string> {
    const Node& n = g.node(v);
    switch (n.kind) {
      case Node::Kind::Import: return {import_node(n.name), ""};
      case Node::Kind::Instance:
      case Node::Kind::Type: return {fmt::format("n{}", v.index), ""};
      case Node::Kind::Alias: {
        const Node& src = g.node(n.source);
        std::string from = src.kind == Node::Kind::Import ? import_node(src.name) : fmt::format("n{}", n.source.index);
        return {from, n.name};
      }
    }
    return {"", ""};
  };
  for (size_t i = 0; i < g.node_count(); ++i) {
    const Node& n = g.node(NodeId(static_cast<uint32_t>(i)));
    if (n.removed) continue;
    if (n.kind == Node::Kind::Import) import_node(n.name);
    if (n.kind == Node::Kind::Type) {
      out += fmt::format("  n{} [shape=note, label={}];\n", i, quote("type " + n.name));
      continue;
    }
    if (n.kind != Node::Kind::Instance) continue;
    const std::string& package = g.package(n.package).name;
    std::string label = n.name.empty() || n.name == package ? package : n.name + "\n" + package;
    out += fmt::format("  n{} [shape=box, style=rounded, label={}];\n", i, quote(label));
  }
  for (size_t i = 0; i < g.node_count(); ++i) {
    const Node& n = g.node(NodeId(static_cast<uint32_t>(i)));
    if (n.removed || n.kind != Node::Kind::Instance) continue;
    for (const auto& [imp, e] : g.package_type(n.package).imports) {
      std::string from, label = imp;
      if (const NodeId* v = n.args.find(imp)) {
        auto [src, ex] = origin(*v);
        from = src;
        if (!ex.empty() && ex != imp) label = ex + " \u2192 " + imp;
      } else {
        from = import_node(merged_import_name(g, imp));
      }
      out += fmt::format("  {} -> n{} [label={}];\n", from, i, quote(label));
    }
  }
  size_t k = 0;
  for (NodeId id : g.exported_nodes()) {
    const std::string& name = *g.node(id).export_name;
    auto [src, ex] = origin(id);
    out += fmt::format("  export{} [shape=house, style=filled, fillcolor=\"#e6f4ea\", label={}];\n", k, quote(name));
    std::string label = ex.empty() || ex == name ? std::string() : ex;
    out += fmt::format("  {} -> export{}{};\n", src, k, label.empty() ? "" : " [label=" + quote(label) + "]");
    ++k;
  }
  return out + "}\n";
}

}  // namespace witc::compose
