// Explanations of composition decisions, written for people.
//
// A failed match says where the two types first differ, in WIT words and
// with the names the components give their types:
//   "in function `area`, parameter `s`, variant case `rect`: expected record
//    `point`, found `vec2`: expected field `x`, found `px`"
// (the path comes from the validator's subtype check, TypeInfo::check_subtype).
// An import nothing fills lists the nearest offers, by name and by type.
// explain_graph() says which export fills which import of a composition.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "witc/bin/component_types.h"
#include "witc/composer/graph.h"

namespace witc::compose {

// Why `found` cannot be used where `expected` is wanted; empty if it can.
std::string explain_mismatch(const bin::TypeInfo& types, const bin::EntityType& expected,
                             const bin::EntityType& found);

// A type in WIT spelling ("list<u8>", "option<point>", "own<shape>"),
// using the names the type exports of `context` give (may be invalid).
std::string wit_type_text(const bin::TypeInfo& types, bin::TypeId t, const bin::EntityType& context = {});

// Something that could fill an import: export `name` of `where`
// ("plug `p.wasm`", "component `a.wasm`").
struct Offer {
  std::string where;
  std::string name;
  bin::EntityType type;
};

// The offers nearest to import `name` of type `want`, best first, at most
// `limit`, each as one line: "export `x` of plug `p.wasm`: its type fits;
// the name differs" or "…: the same interface at version 0.1.0; in function
// `f`: …". Offers close in name are listed; an offer that fits by type but
// whose name is unlike is listed only with `any_fitting` (where the import
// would otherwise stay unfilled for good, as in wasm-tools compose), else
// only when its name is not entirely unlike.
std::vector<std::string> nearest_offers(const bin::TypeInfo& types, std::string_view name, const bin::EntityType& want,
                                        const std::vector<Offer>& offers, size_t limit = 3, bool any_fitting = true);

// Levenshtein distance (insertions, deletions, substitutions).
size_t edit_distance(std::string_view a, std::string_view b);

// Which node fills which import of every instance of `g`, the imports of
// the composition and its exports, one line each (the `--explain` output).
std::string explain_graph(const Graph& g);

// The name the composition imports an unfilled import `name` under: the
// highest semver-compatible version any instance asks for (as encode() does).
std::string merged_import_name(const Graph& g, std::string_view name);

}  // namespace witc::compose
