// A composition graph described as JSON (the form of wac's graph tests;
// schema in docs/compose-graph-json.md):
//
//   { "packages":  [ { "name": "test:foo", "path": "foo.wasm" } ],
//     "nodes":     [ { "type": "import", "name": "f", "package": 0, "export": "f" },
//                    { "type": "instantiation", "package": 0 },
//                    { "type": "alias", "source": 1, "export": "bar" } ],
//     "arguments": [ { "source": 0, "target": 1, "name": "foo" } ],
//     "exports":   [ { "node": 2, "name": "bar" } ],
//     "names":     [ { "node": 0, "name": "my-foo" } ] }
//
// Each step is applied to a compose::Graph in that order; an error names the
// step ("failed to add argument edge from source node 0 to target node 1
// referenced in argument 0") as context and the reason as the message.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/composer/graph.h"

namespace witc::compose {

struct GraphJsonOptions {
  EncodeOptions encoding;
  // Package paths ending in `.wat` are read from the sibling `.wasm`
  // (the composition corpus converts every WAT input to a binary).
  bool wat_to_wasm = true;
  // Called with the graph once it is built, before it is encoded (to explain
  // or draw it); with `encode` false nothing is encoded and the result is empty.
  std::function<void(const Graph&)> on_graph;
  bool encode = true;
};

// Builds the graph described by `json_text` (package paths relative to
// `base_dir`) and encodes it.
Expected<std::vector<uint8_t>> compose_graph_json(std::string_view json_text, const std::filesystem::path& base_dir,
                                                  const GraphJsonOptions& options = {});

}  // namespace witc::compose
