// Writing core modules in the binary format (core spec 5).
//
// write_module encodes a bin::Module: known sections in the required order,
// each custom section after the known section it followed when read (`after`).
// A section is written if the module has content for it or it was present in
// the input. Reading then writing a valid module gives identical bytes: when a
// section's original bytes (SectionRecord::raw, CustomSection::raw) decode to
// the same content the model holds, they are copied verbatim, which preserves
// non-minimal LEB128 encodings; an edited section is encoded canonically.
#pragma once

#include <cstdint>
#include <vector>

#include "witc/bin/module.h"

namespace witc::bin {

std::vector<uint8_t> write_module(const Module& m);

}  // namespace witc::bin
