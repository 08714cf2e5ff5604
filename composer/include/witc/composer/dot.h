// A composition graph as a Graphviz picture (`--dot FILE`).
//
// Instances are boxes (their name, their package), imports of the composed
// component are inverted houses on the left, its exports houses on the
// right. An edge carries a value into an instance: labelled with the import
// it fills, and with the export it was taken from when that name differs
// ("x → a"). Imports several instances leave unfilled are one node. Types
// the composition defines (a WAC document's declarations) are notes.
#pragma once

#include <string>

#include "witc/composer/graph.h"

namespace witc::compose {

// The graph in the DOT language (`dot -Tsvg` renders it).
std::string graph_to_dot(const Graph& g);

}  // namespace witc::compose
