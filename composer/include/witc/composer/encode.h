// WIT as component-model types: a world as the component type that the
// `component-type:<world>` custom section of a core module carries, and that
// section in a relocatable object file; a whole package as a type-only
// component (`wasm-tools component wit --wasm`).
//
// The bytes are those of the reference toolchain (wasm-tools
// crates/wit-component `metadata::encode`, `encoding::encode_world`), so a
// section witc writes and one wit-bindgen or `jco embed` writes are
// interchangeable and compare equal. The metadata component is:
//   custom "wit-component-encoding" [version 0x04, string encoding]
//   type 0 = (component (type (component <the world>)) (export "ns:pkg/world" (component 0)))
//   export "<world>" (type 0)
//   custom "producers" (processed-by: the tool that wrote it)
// Binary.md gives the encoding; WIT.md "Package Format" the mapping.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "witc/base/diagnostic.h"
#include "witc/bin/component.h"
#include "witc/wit/resolve.h"

namespace witc::compose {

enum class StringEncoding { Utf8, Utf16, CompactUtf16 };
// "utf8", "utf16", "compact-utf16" (the spelling of the CLI flags).
std::string_view string_encoding_name(StringEncoding e);

// One `processed-by` entry of a producers section: (tool, version).
using Producer = std::pair<std::string, std::string>;
// The producer the reference records; witc records the same so that its
// sections are byte-identical to the reference's.
Producer reference_producer();

// The world a command means: `name` (a world of the one root package),
// `ns:pkg/name[@version]`, or, without a name, the root package's only world.
// Errors as the reference's `select_world`.
Expected<wit::WorldId> select_world(const wit::Resolve& resolve,
                                    const std::vector<wit::PackageId>& roots,
                                    std::optional<std::string_view> name);

// The world as a component type: its imports and exports, each interface an
// instance type, in the reference's definition order.
Expected<bin::TypeDef> world_component_type(const wit::Resolve& resolve, wit::WorldId world);

// The world as the component that a `component-type:<world>` custom section
// carries. `producers` become the section's `processed-by` field.
Expected<std::vector<uint8_t>> encode_world_metadata(const wit::Resolve& resolve, wit::WorldId world,
                                                     StringEncoding enc,
                                                     const std::vector<Producer>& producers);
Expected<std::vector<uint8_t>> encode_world_metadata(const wit::Resolve& resolve, wit::WorldId world,
                                                     StringEncoding enc = StringEncoding::Utf8);

// "component-type:<world>" (the section name wit-bindgen uses, so that
// wasm-ld does not concatenate sections of different worlds).
std::string component_type_section_name(const wit::Resolve& resolve, wit::WorldId world);
// "__component_type_object_force_link_<world>" with `-` as `_`: the function
// symbol the object defines. Referencing it from an archive member forces
// wasm-ld to load the object (objects named on the command line always are).
std::string component_type_link_symbol(const wit::Resolve& resolve, wit::WorldId world);

// A relocatable wasm object file (`linking` section version 2) whose content
// is the world's `component-type:<world>` section and one empty function,
// the symbol above. wasm-ld keeps the section in the linked module.
Expected<std::vector<uint8_t>> component_type_object(const wit::Resolve& resolve, wit::WorldId world,
                                                     StringEncoding enc = StringEncoding::Utf8);

// The package as a type-only component, the binary form of a WIT package
// (WIT.md "Package Format", wit-component's `encode`): for each interface, in
// the package's order, a component type importing the interfaces it uses
// types from and exporting `ns:pkg/iface` as an instance type, exported under
// the interface's name; then for each world a component type exporting
// `ns:pkg/world` as the world's component type, exported under its name.
// Composers read a package's definitions from these exports.
Expected<std::vector<uint8_t>> encode_wit_package(const wit::Resolve& resolve, wit::PackageId package);

}  // namespace witc::compose
