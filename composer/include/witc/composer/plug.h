// Plugging: fill a socket component's imports with the exports of plug
// components of the same name, as `wac plug` does.
//
// Each plug export whose name equals a socket import (or names the same
// interface at a semver-compatible version) and whose type is a subtype of
// the import's fills it; a plug is instantiated once if any of its exports is
// used, and unused exports are dropped. The socket's exports become the
// result's exports; what remains unfilled (the socket's other imports, the
// plugs' own imports) becomes imports of the result, merged by name.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/composer/graph.h"

namespace witc::compose {

struct PlugInput {
  std::string name;  // for messages ("plug.wasm")
  std::vector<uint8_t> bytes;
};

// One connection made: plug `plug`'s export `export_name` fills the socket's
// import `import_name`.
struct PlugConnection {
  std::string plug;
  std::string export_name;
  std::string import_name;
};

struct PlugResult {
  std::vector<PlugConnection> connections;
  // Name matches that were not made because the types differ, explained
  // ("plug `p` export `x` does not fit import `x`: expected …, found …").
  std::vector<std::string> mismatches;
  // Socket imports no plug export fills (they become imports of the
  // result), each with the nearest plug exports (see nearest_offers).
  std::vector<std::pair<std::string, std::vector<std::string>>> unfilled;
  std::vector<uint8_t> component;  // empty when only explaining
};

struct PlugOptions {
  bool encode = true;  // false: only work out the connections (--explain)
  EncodeOptions encoding;
  // Called with the graph once the connections are made (to explain or draw it).
  std::function<void(const Graph&)> on_graph;
};

// Plugs `plugs` into `socket`. Fails if no plug export fills any import (the
// error lists the near misses), or if the result does not encode.
Expected<PlugResult> plug(const PlugInput& socket, const std::vector<PlugInput>& plugs,
                          const PlugOptions& options = {});

// True if import name `want` may be filled by export name `have`: the same
// name, or the same interface at semver-compatible versions
// ("wasi:io/streams@0.2.0" by "wasi:io/streams@0.2.3").
bool names_match(std::string_view want, std::string_view have);

}  // namespace witc::compose
