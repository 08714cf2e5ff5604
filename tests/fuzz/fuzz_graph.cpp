// libFuzzer target `fuzz-graph`: random operations on a compose::Graph built
// from a few real components (WITC_FUZZ_GRAPH_FIXTURES, a folder of .wasm
// files copied there at configure time).
//
// The input is a program, one operation per opcode byte (modulo 8), each with
// byte operands picking packages, nodes, imports and exports by index:
//   0 add a fixture as a package     1 instantiate a package
//   2 alias an export of a node      3 set an argument of an instance
//   4 export a node                  5 import a package's import
//   6 remove a node                  7 encode
// Every operation may fail with a Diagnostic; none may crash. Encoding runs
// without the encoder's own validation: whatever it returns must validate,
// and explaining and drawing the graph must work at every step.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "fuzz_binary.h"
#include "witc/base/file.h"
#include "witc/bin/component_validate.h"
#include "witc/composer/dot.h"
#include "witc/composer/explain.h"
#include "witc/composer/graph.h"

namespace {

using namespace witc;

std::vector<std::pair<std::string, std::vector<uint8_t>>>& fixtures() {
  static std::vector<std::pair<std::string, std::vector<uint8_t>>> f;
  return f;
}

template <class T>
const T* pick(const std::vector<T>& v, uint8_t i) {
  return v.empty() ? nullptr : &v[i % v.size()];
}

void encode(compose::Graph& g) {
  compose::EncodeOptions options;
  options.validate = false;
  auto bytes = g.encode(options);
  if (!bytes) {
    (void)render(bytes.error());
    return;
  }
  if (auto r = bin::validate_component_binary(*bytes, options.features); !r) {
    std::fprintf(stderr, "invalid encoding: %s\n", render(r.error()).c_str());
    fuzz::die("fuzz-graph", "the encoder produced an invalid component");
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(WITC_FUZZ_GRAPH_FIXTURES)) {
    if (e.path().extension() == ".wasm") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& p : files) {
    auto bytes = read_file_bytes(p);
    if (!bytes) fuzz::die("fuzz-graph", "cannot read a fixture");
    fixtures().emplace_back(p.stem().string(), std::move(*bytes));
  }
  if (fixtures().empty()) fuzz::die("fuzz-graph", "no fixtures in " WITC_FUZZ_GRAPH_FIXTURES);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzedDataProvider in(data, size);
  compose::Graph g;
  std::vector<compose::PackageId> packages;
  std::vector<compose::NodeId> nodes, instances;
  auto byte = [&] { return in.ConsumeIntegral<uint8_t>(); };
  for (int steps = 0; in.remaining_bytes() > 0 && steps < 64; ++steps) {
    switch (byte() % 8) {
      case 0: {
        const auto& [name, bytes] = *pick(fixtures(), byte());
        if (packages.size() >= 8) break;
        if (auto p = g.add_package(name, bytes)) packages.push_back(*p);
        break;
      }
      case 1:
        if (const auto* p = pick(packages, byte())) {
          compose::NodeId n = g.instantiate(*p);
          nodes.push_back(n);
          instances.push_back(n);
        }
        break;
      case 2: {
        const compose::NodeId* n = pick(nodes, byte());
        uint8_t e = byte();
        if (!n) break;
        const compose::Node& node = g.node(*n);
        std::vector<std::string> names;
        if (node.kind == compose::Node::Kind::Instance) {
          for (const auto& [name, x] : g.package_type(node.package).exports) names.push_back(name);
        } else if (node.type.kind == bin::EntityKind::Instance) {
          for (const auto& [name, x] : g.types().instance(node.type.type).exports) names.push_back(name);
        }
        if (const std::string* name = pick(names, e)) {
          if (auto a = g.alias_export(*n, *name)) nodes.push_back(*a);
        }
        break;
      }
      case 3: {
        const compose::NodeId* t = pick(instances, byte());
        uint8_t i = byte();
        const compose::NodeId* s = pick(nodes, byte());
        if (!t || !s) break;
        std::vector<std::string> imports;
        for (const auto& [name, x] : g.package_type(g.node(*t).package).imports) imports.push_back(name);
        if (const std::string* name = pick(imports, i)) {
          if (auto r = g.set_argument(*t, *name, *s); !r) (void)render(r.error());
        }
        break;
      }
      case 4: {
        const compose::NodeId* n = pick(nodes, byte());
        uint8_t k = byte();
        if (!n) break;
        std::string name = g.node(*n).kind == compose::Node::Kind::Alias && k % 2 ? g.node(*n).name
                                                                                   : "e" + std::to_string(k % 4);
        (void)g.export_node(*n, name);
        break;
      }
      case 5: {
        const compose::PackageId* p = pick(packages, byte());
        uint8_t i = byte();
        if (!p) break;
        const auto& imports = g.package_type(*p).imports;
        if (imports.empty()) break;
        const auto& [name, type] = imports.at_index(i % imports.size());
        const bin::EntityType t = type;
        if (auto n = g.add_import(std::string(name), t)) nodes.push_back(*n);
        break;
      }
      case 6:
        if (const compose::NodeId* n = pick(nodes, byte())) (void)g.remove(*n);
        break;
      case 7: encode(g); break;
    }
    (void)compose::explain_graph(g);
    (void)compose::graph_to_dot(g);
  }
  encode(g);
  return 0;
}
