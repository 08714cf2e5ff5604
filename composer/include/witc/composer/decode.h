// Decoding components back into WIT: the inverse of encoding a world as a
// component type (wasm-tools `wit-component`'s decoder is the reference).
//
// A binary component is one of two things:
//  - a *WIT package encoding* (what `wasm-tools component wit --wasm` writes,
//    and what a `component-type:*` custom section holds): every top-level
//    item is an exported component type whose single export is named
//    `ns:pkg/item` — an instance type for an interface, a component type for
//    a world. It decodes to the package it describes plus the foreign
//    packages its interfaces `use`.
//  - a *real component*: it decodes to a package `root:component` holding one
//    world `root` whose imports and exports are the component's.
//
// Imports and exports named by an interface id (`wasi:io/streams@0.2.6`)
// become interfaces of foreign packages holding the slice of the interface
// the component uses; plain-named instances become inline world interfaces;
// functions and types with plain names become world items. Type names come
// from the type exports of instance types (Explainer.md "External
// Visibility of Types"); a type export that is an alias of another
// interface's exported type becomes a `use`. Resources get their
// constructors, methods and statics from `[constructor]r`, `[method]r.f`
// and `[static]r.f` names.
//
// The Resolve built here has no sources: spans are zero, docs empty.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bin/component.h"
#include "witc/bin/component_validate.h"
#include "witc/bin/module.h"
#include "witc/wit/resolve.h"

namespace witc::compose {

// The result of decoding a component.
struct DecodedWit {
  enum class Kind : uint8_t { Component, WitPackage };
  Kind kind = Kind::Component;
  wit::Resolve resolve;
  // The main package: `root:component` for a component, else the encoded one.
  wit::PackageId package;
  // Component: the world `root`. WitPackage: the package's only world when
  // it has exactly one (a `component-type` section), else invalid.
  wit::WorldId world;
};

// True when every top-level item of the component is an exported component
// type (and there is at least one): the binary encodes WIT rather than
// being a runnable component.
bool is_wit_package(const bin::Component& c, const bin::ComponentInfo& info);

// Decodes a validated component (`info` is what validate_component returned
// for `c`). Errors name the import or export that could not be expressed in
// WIT ("failed to decode WIT from import `x`: ...").
Expected<DecodedWit> decode(const bin::Component& c, const bin::ComponentInfo& info);

// Reads, validates (with `features`) and decodes a component binary.
Expected<DecodedWit> decode_component_binary(std::span<const uint8_t> bytes,
                                             const bin::ComponentFeatures& features =
                                                 bin::ComponentFeatures::all());

// One decoded `component-type` custom section of a core module: the world
// the module was built for.
struct DecodedWorldSection {
  std::string section;  // "component-type:my-world"
  DecodedWit wit;       // kind WitPackage; `world` is valid
};

// Decodes every `component-type` custom section of a core module (see
// metadata.h) in file order. A section must hold a WIT package encoding with
// exactly one world; errors name the section.
Expected<std::vector<DecodedWorldSection>> decode_component_type_sections(const bin::Module& module);

// The WIT text `jco wit FILE` (wasm-tools `component wit`) prints for a
// decoded binary: the main package alone, no foreign packages.
std::string print_main_package(const DecodedWit& decoded);

}  // namespace witc::compose
