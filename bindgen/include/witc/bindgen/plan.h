// The binding plan: everything a guest binding generator must know about a
// world's functions at the canonical-ABI level, computed once and
// language-neutrally from wit::Resolve and the layout/flattening engine
// (CanonicalABI.md "Flattening", "Loading", "Storing", "canon lift",
// "canon lower"). An emitter (cpp_*.cpp) only spells the plan.
//
// For each type: size, alignment, flat core types, field offsets, the
// discriminant and payload layout of variant-likes, how a list crosses
// (copied as bytes or element by element), and whether the receiver of a
// value must free memory. For each function: the core signature of the
// import (`canon lower`) or export (`canon lift`), whether parameters and
// results go through memory, the return area, the core names (module, field,
// `cabi_post_*`), and who frees what.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "witc/bin/canonical_abi.h"
#include "witc/composer/wit_abi.h"
#include "witc/wit/resolve.h"

namespace witc::bindgen {

enum class Direction : uint8_t { Import, Export };

// How a list crosses the boundary.
enum class ListMode : uint8_t {
  Copy,      // elements are scalars (numbers, char): the bytes are the value
  Elements,  // each element is lifted or lowered on its own
};

// One type, as the ABI sees it (32-bit memory).
struct TypePlan {
  abi::Kind kind = abi::Kind::Bool;
  uint64_t size = 0;
  uint32_t align = 1;
  std::vector<bin::ValType> flat;     // flatten_type (unbounded)
  std::vector<uint64_t> offsets;      // record / tuple fields
  uint32_t discriminant_size = 0;     // variant, enum, option, result
  uint64_t payload_offset = 0;        // variant, option, result
  uint32_t count = 0;                 // flags / enum labels, fixed-list length, cases
  ListMode list_mode = ListMode::Elements;  // list, map
  bool owns_memory = false;           // holds a string or list: its receiver frees
};

// A `future` or `stream` type in a function's signature, in the order of
// wit-parser's `find_futures_and_streams` (parameters, then the result;
// depth first, a payload before the type that carries it). Its index N names
// the canonical built-ins the component linker recognises: module
// `intrinsic_module`, fields `[stream-new-N]f`, `[async-lower][stream-read-N]f`,
// `[async-lower][stream-write-N]f`, `[stream-cancel-read-N]f`,
// `[stream-cancel-write-N]f`, `[stream-drop-readable-N]f`,
// `[stream-drop-writable-N]f` (and the same with `future`).
struct AsyncValuePlan {
  wit::TypeId id;                  // the future or stream type
  bool is_stream = false;
  std::optional<wit::Type> payload;
  uint32_t index = 0;              // N
  std::string intrinsic_module;    // the function's module; "[export]…" for exports
  std::string function;            // the WIT function name ("[method]r.f")
};

// A parameter of a function plan.
struct ParamPlan {
  std::string name;
  wit::Type type;
  size_t flat_begin = 0;  // first of its flat values (when !params_indirect)
  size_t flat_count = 0;
  uint64_t offset = 0;    // in the parameter area (when params_indirect)
};

// One function as imported (`canon lower`) or exported (`canon lift`).
struct FunctionPlan {
  const wit::Function* function = nullptr;
  Direction direction = Direction::Import;
  std::string module;     // import module ("$root" for world functions); export: interface name or ""
  std::string core_name;  // import field, or the export's core name ("iface#f" or "f")
  std::string post_return;  // "cabi_post_<core_name>" when the caller must let us free results
  abi::CoreSignature signature;
  std::vector<ParamPlan> params;
  std::optional<wit::Type> result;
  bool params_indirect = false;  // params in one area: import: ours (stack); export: freed by us
  uint64_t params_size = 0;
  uint32_t params_align = 1;
  bool results_indirect = false;  // import: ret area on our stack; export: static ret area
  uint64_t ret_size = 0;
  uint32_t ret_align = 1;
  bool async = false;
  // Futures and streams of the signature (any function may carry them).
  std::vector<AsyncValuePlan> async_values;
  // Async exports (callback form, Concurrency.md): `core_name` is
  // "[async-lift]<name>", `callback` is "[callback][async-lift]<name>", and
  // the result goes back through the `task.return` built-in imported as
  // `task_return_module`/`task_return_name` with `task_return_signature`
  // (the result flattened as parameters: MAX_FLAT_PARAMS, else a pointer).
  // Async imports: `core_name` is "[async-lower]<name>" and `signature` the
  // async lowering (MAX_FLAT_ASYNC_PARAMS, the result through a pointer,
  // an i32 status).
  std::string callback;
  std::string task_return_module;
  std::string task_return_name;
  abi::CoreSignature task_return_signature;
};

// A resource of an interface (or of the world) in one direction.
struct ResourcePlan {
  wit::TypeId id;
  Direction direction = Direction::Import;
  std::string module;  // import: the interface's module; export: "[export]" + module
  std::string name;    // the WIT name
  // Import: "[resource-drop]r" from `module`. Export: "[resource-new]r",
  // "[resource-rep]r", "[resource-drop]r" from `module`, and the destructor
  // export "<iface>#[dtor]r".
  std::string dtor_export;
};

// An imported or exported interface, or the world's own functions.
struct InterfacePlan {
  Direction direction = Direction::Import;
  std::optional<wit::InterfaceId> interface;  // nullopt: the world's functions
  std::string module;                         // the world key name ("$root" / "" for world functions)
  std::vector<FunctionPlan> functions;        // all functions, methods included
  std::vector<ResourcePlan> resources;
};

struct WorldPlan {
  wit::WorldId world;
  std::vector<InterfacePlan> imports;  // world functions first when present
  std::vector<InterfacePlan> exports;
  bool has_async = false;  // any async function, stream, future or error-context
};

// Computes and memoizes type plans; builds function and world plans.
class Planner {
 public:
  explicit Planner(const wit::Resolve& resolve);
  const wit::Resolve& resolve() const { return resolve_; }
  const TypePlan& type(const wit::Type& t);
  // True if lifting or lowering the type touches memory allocation.
  bool owns_memory(const wit::Type& t) { return type(t).owns_memory; }
  FunctionPlan function(const wit::Function& f, Direction d, const std::string& module);
  WorldPlan world(wit::WorldId w);
  // The name a world key has in core module names (`name_world_key`).
  std::string key_name(const wit::WorldKey& key) const;

 private:
  const wit::Resolve& resolve_;
  compose::WitTypeSource source_;
  abi::Engine engine_;
  std::vector<std::optional<TypePlan>> plans_;
  InterfacePlan interface_plan(const wit::WorldKey& key, const wit::WorldItem& item, Direction d);
};

// True if the type is or contains an async-only value (stream, future,
// error-context).
bool uses_async_values(const wit::Resolve& resolve, const wit::Type& t);

// The futures and streams of a function's signature, in the order of
// wit-parser's `Function::find_futures_and_streams`.
std::vector<wit::TypeId> find_futures_and_streams(const wit::Resolve& resolve, const wit::Function& f);

}  // namespace witc::bindgen
