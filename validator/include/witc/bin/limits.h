// Implementation limits of the binary reader and validator.
//
// The spec allows any u32 count; a reader that trusted them would allocate
// gigabytes for a 20-byte input. Every declared count is checked against these
// limits (and against the bytes that remain) before anything is allocated.
// The values are generous for real modules (they follow the limits engines
// such as V8 and wasmparser use) and may only grow.
#pragma once

#include <cstddef>
#include <cstdint>

namespace witc::bin::limits {

inline constexpr size_t kTypes = 1'000'000;
inline constexpr size_t kFunctions = 1'000'000;
inline constexpr size_t kImports = 1'000'000;
inline constexpr size_t kExports = 1'000'000;
inline constexpr size_t kGlobals = 1'000'000;
inline constexpr size_t kTags = 1'000'000;
inline constexpr size_t kTables = 100'000;
inline constexpr size_t kMemories = 100'000;
inline constexpr size_t kElementSegments = 1'000'000;
inline constexpr size_t kDataSegments = 1'000'000;
inline constexpr size_t kElementItems = 10'000'000;
inline constexpr size_t kParams = 1'000;
inline constexpr size_t kResults = 1'000;
inline constexpr size_t kLocals = 50'000;             // params + declared locals
inline constexpr size_t kFunctionSize = 7'654'321;    // bytes of one body (V8's limit)
inline constexpr size_t kControlDepth = 1'000'000;    // nested blocks in one body
inline constexpr size_t kCustomSections = 1'000'000;

// Pages of a 32-bit / 64-bit memory (core spec 3.2.4; memory64).
inline constexpr uint64_t kMemoryPages32 = 65'536;
inline constexpr uint64_t kMemoryPages64 = uint64_t{1} << 48;

}  // namespace witc::bin::limits
