// bin::Component: the syntactic model of a WebAssembly component (Component
// Model Binary.md).
//
// The model is what the binary says, decoded but not validated: every section
// and definition of Binary.md, each remembering the absolute byte offset it
// was read from (0 for items built in memory). Definitions of one kind live in
// one vector per kind; `sections` records the order in which the binary
// interleaved them, which is also the order of the index spaces. Nested core
// modules stay byte ranges (read them with read_module(core_module_bytes(m),
// features, m.offset) when needed); nested components are Components sharing
// the storage of the outermost one.
//
// Indices stay plain u32 where one field serves several index spaces (a
// SortIdx); fields that always name one space use that space's strong type.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "witc/base/arena.h"
#include "witc/bin/module.h"
#include "witc/bin/types.h"

namespace witc::bin {

// Component-level index spaces (Explainer.md "Index Spaces"); the core ones
// (funcs, tables, memories, globals, tags, types) use types.h.
struct ComponentFuncTag;
struct ComponentTypeTag;
struct ComponentTag;
struct ComponentInstanceTag;
struct ComponentValueTag;
struct CoreModuleTag;
struct CoreInstanceTag;
using ComponentFuncIdx = Id<ComponentFuncTag>;
using ComponentTypeIdx = Id<ComponentTypeTag>;
using ComponentIdx = Id<ComponentTag>;
using ComponentInstanceIdx = Id<ComponentInstanceTag>;
using ValueIdx = Id<ComponentValueTag>;
using CoreModuleIdx = Id<CoreModuleTag>;
using CoreInstanceIdx = Id<CoreInstanceTag>;

// A copyable owning pointer: the model's recursive members (a type inside a
// type declarator) without sharing between copies.
template <class T>
class Box {
 public:
  Box() = default;
  explicit Box(T v) : p_(std::make_unique<T>(std::move(v))) {}
  Box(const Box& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  explicit operator bool() const { return p_ != nullptr; }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }

 private:
  std::unique_ptr<T> p_;
};

// Section ids (Binary.md "Component Definitions").
enum class ComponentSectionId : uint8_t {
  Custom = 0,
  CoreModule = 1,
  CoreInstance = 2,
  CoreType = 3,
  Component = 4,
  Instance = 5,
  Alias = 6,
  Type = 7,
  Canon = 8,
  Start = 9,
  Import = 10,
  Export = 11,
  Value = 12,
};
inline constexpr size_t kComponentSectionIds = 13;

// The 13 sorts (index spaces). Binary: sort ::= 0x00 core:sort | 0x01 func |
// 0x02 value | 0x03 type | 0x04 component | 0x05 instance; core:sort ::=
// 0x00 func | 0x01 table | 0x02 memory | 0x03 global | 0x04 tag | 0x10 type |
// 0x11 module | 0x12 instance.
enum class Sort : uint8_t {
  CoreFunc,
  CoreTable,
  CoreMemory,
  CoreGlobal,
  CoreTag,
  CoreType,
  CoreModule,
  CoreInstance,
  Func,
  Value,
  Type,
  Component,
  Instance,
};
inline constexpr size_t kSortCount = 13;
constexpr bool is_core(Sort s) { return s <= Sort::CoreInstance; }
// "core func", "type", "instance", ...
std::string_view sort_name(Sort s);

struct SortIdx {
  Sort sort = Sort::Func;
  uint32_t index = 0;
  friend bool operator==(const SortIdx&, const SortIdx&) = default;
};

// --- names ------------------------------------------------------------------

// An import/export name with its attributes (Binary.md nameattributes).
// `form` is the leading byte (0x00 and 0x01 are equivalent; 0x02 carries
// attributes) and is kept for byte-exact writing.
struct NameAttribute {
  enum class Kind : uint8_t { Implements = 0, VersionSuffix = 1, ExternalId = 2 };
  Kind kind = Kind::Implements;
  std::string value;
};

struct ExternName {
  uint8_t form = 0;
  std::string name;
  std::vector<NameAttribute> attributes;
  uint64_t offset = 0;
  const NameAttribute* attribute(NameAttribute::Kind k) const {
    for (const auto& a : attributes)
      if (a.kind == k) return &a;
    return nullptr;
  }
};

// --- core definitions -----------------------------------------------------------

struct CoreModuleDef {
  ByteRange bytes;      // the whole module, preamble included, in storage
  uint64_t offset = 0;  // absolute offset of the module's first byte
};

struct CoreInstantiateArg {
  std::string name;
  CoreInstanceIdx instance;  // the only sort allowed (0x12)
  uint64_t offset = 0;
};

struct CoreInlineExport {
  std::string name;
  SortIdx item;  // a core sort
  uint64_t offset = 0;
};

struct CoreInstanceDef {
  enum class Kind : uint8_t { Instantiate = 0, Exports = 1 };
  Kind kind = Kind::Instantiate;
  CoreModuleIdx module;
  std::vector<CoreInstantiateArg> args;
  std::vector<CoreInlineExport> exports;
  uint64_t offset = 0;
};

// The type of a core import or export (core:externtype).
struct CoreExternDesc {
  ExternKind kind = ExternKind::Func;
  TypeIdx func;       // Func
  TableType table;    // Table
  MemoryType memory;  // Memory
  GlobalType global;  // Global
  TagType tag;        // Tag
};

struct CoreTypeDef;

// A module-type declarator (Binary.md core:moduledecl).
struct ModuleDecl {
  enum class Kind : uint8_t { Import = 0, Type = 1, Alias = 2, Export = 3 };
  Kind kind = Kind::Import;
  std::string module;  // Import
  std::string name;    // Import, Export
  CoreExternDesc desc;  // Import, Export
  Box<CoreTypeDef> type;  // Type
  uint32_t outer_count = 0;  // Alias (always `outer`, sort `type`)
  uint32_t outer_index = 0;
  uint64_t offset = 0;
};

// core:type: a function type, a module type or (WebAssembly 3.0) a rec
// group. A function type may be written as a subtype (`sub`: 0x00 0x50 at
// the top level, 0x50 inside a rec group; 0x4f when final) with supertypes.
// Struct and array types are not decoded.
struct CoreTypeDef {
  enum class Kind : uint8_t { Func, Module, Rec };
  Kind kind = Kind::Func;
  FuncType func;
  bool sub = false;
  bool final = false;
  std::vector<TypeIdx> supertypes;
  std::vector<ModuleDecl> decls;  // Module
  std::vector<CoreTypeDef> rec;   // Rec: its members (each a Func)
  uint64_t offset = 0;
};

// --- component types ------------------------------------------------------------

// Binary codes of primvaltype.
enum class PrimValType : uint8_t {
  Bool = 0x7f,
  S8 = 0x7e,
  U8 = 0x7d,
  S16 = 0x7c,
  U16 = 0x7b,
  S32 = 0x7a,
  U32 = 0x79,
  S64 = 0x78,
  U64 = 0x77,
  F32 = 0x76,
  F64 = 0x75,
  Char = 0x74,
  String = 0x73,
  ErrorContext = 0x64,
};
bool is_prim_code(uint8_t b);
// "bool", "u32", "string", "error-context", ...
std::string_view prim_name(PrimValType p);

// valtype: a primitive or a type index.
struct ValueTypeRef {
  bool is_prim = false;
  PrimValType prim = PrimValType::Bool;
  uint32_t index = 0;
  static ValueTypeRef of(PrimValType p) { return {true, p, 0}; }
  static ValueTypeRef at(uint32_t i) { return {false, PrimValType::Bool, i}; }
  friend bool operator==(const ValueTypeRef&, const ValueTypeRef&) = default;
};

struct LabeledType {
  std::string label;
  ValueTypeRef type;
};

struct VariantCase {
  std::string label;
  std::optional<ValueTypeRef> type;
};

// defvaltype. Which fields hold data depends on `kind`:
//   Prim: prim; Record: fields; Variant: cases; Tuple: elems;
//   Flags, Enum: labels; List, Option, Stream, Future: a (optional for
//   stream/future); FixedList: a, length; Result: a (ok), b (error);
//   Map: a (key), b (value); Own, Borrow: handle.
struct DefinedType {
  enum class Kind : uint8_t {
    Prim, Record, Variant, List, FixedList, Tuple, Flags, Enum, Option, Result, Own, Borrow,
    Stream, Future, Map,
  };
  Kind kind = Kind::Prim;
  PrimValType prim = PrimValType::Bool;
  std::vector<LabeledType> fields;
  std::vector<VariantCase> cases;
  std::vector<ValueTypeRef> elems;
  std::vector<std::string> labels;
  std::optional<ValueTypeRef> a, b;
  uint32_t length = 0;
  ComponentTypeIdx handle;
};

struct FuncTypeDef {
  bool async = false;  // 0x43
  std::vector<LabeledType> params;
  std::optional<ValueTypeRef> result;
};

struct ResourceTypeDef {
  ValType rep = ValType::I32;
  std::optional<FuncIdx> dtor;  // a core function
};

// externtype (Binary.md). `index` is a core type index (Module), a type
// index (Func, Component, Instance, Type with an eq bound) or a value index
// (Value with an eq bound); a Value with a type bound uses `value_type`.
struct ExternDesc {
  enum class Kind : uint8_t { Module = 0, Func = 1, Value = 2, Type = 3, Component = 4, Instance = 5 };
  enum class Bound : uint8_t { Eq = 0, SubResource = 1 };
  Kind kind = Kind::Func;
  uint32_t index = 0;
  Bound bound = Bound::Eq;  // Type, Value (Eq: index; SubResource: value_type for Value)
  ValueTypeRef value_type;
};

// An alias (Binary.md "Alias Definitions"): an export of a component
// instance, of a core instance, or an outer definition.
struct AliasDef {
  enum class Kind : uint8_t { InstanceExport = 0, CoreInstanceExport = 1, Outer = 2 };
  Sort sort = Sort::Func;
  Kind kind = Kind::InstanceExport;
  uint32_t instance = 0;  // InstanceExport, CoreInstanceExport
  std::string name;
  uint32_t outer_count = 0;  // Outer
  uint32_t outer_index = 0;
  uint64_t offset = 0;
};

struct TypeDef;

// A component- or instance-type declarator.
struct Declarator {
  enum class Kind : uint8_t { CoreType = 0, Type = 1, Alias = 2, Import = 3, Export = 4 };
  Kind kind = Kind::Type;
  Box<CoreTypeDef> core_type;  // CoreType
  Box<TypeDef> type;           // Type
  AliasDef alias;              // Alias
  ExternName name;             // Import, Export
  ExternDesc desc;             // Import, Export
  uint64_t offset = 0;
};

// type ::= deftype. `decls` for Component and Instance types.
struct TypeDef {
  enum class Kind : uint8_t { Defined, Func, Component, Instance, Resource };
  Kind kind = Kind::Defined;
  DefinedType defined;
  FuncTypeDef func;
  std::vector<Declarator> decls;
  ResourceTypeDef resource;
  uint64_t offset = 0;
};

// --- instances ------------------------------------------------------------------

struct InstantiateArg {
  std::string name;
  SortIdx item;
  uint64_t offset = 0;
};

struct InlineExport {
  ExternName name;
  SortIdx item;
  uint64_t offset = 0;
};

struct InstanceDef {
  enum class Kind : uint8_t { Instantiate = 0, Exports = 1 };
  Kind kind = Kind::Instantiate;
  ComponentIdx component;
  std::vector<InstantiateArg> args;
  std::vector<InlineExport> exports;
  uint64_t offset = 0;
};

// --- canonical definitions ----------------------------------------------------------

struct CanonOpt {
  enum class Kind : uint8_t {
    Utf8 = 0, Utf16 = 1, Latin1Utf16 = 2, Memory = 3, Realloc = 4, PostReturn = 5, Async = 6,
    Callback = 7,
  };
  Kind kind = Kind::Utf8;
  uint32_t index = 0;  // Memory: core memory; Realloc, PostReturn, Callback: core func
  uint64_t offset = 0;
};

// The canonical built-ins, named by their binary opcode (Binary.md canon).
enum class CanonKind : uint8_t {
  Lift = 0x00,
  Lower = 0x01,
  ResourceNew = 0x02,
  ResourceDrop = 0x03,
  ResourceRep = 0x04,
  TaskCancel = 0x05,
  SubtaskCancel = 0x06,
  TaskReturn = 0x09,
  ContextGet = 0x0a,
  ContextSet = 0x0b,
  ThreadYield = 0x0c,
  SubtaskDrop = 0x0d,
  StreamNew = 0x0e,
  StreamRead = 0x0f,
  StreamWrite = 0x10,
  StreamCancelRead = 0x11,
  StreamCancelWrite = 0x12,
  StreamDropReadable = 0x13,
  StreamDropWritable = 0x14,
  FutureNew = 0x15,
  FutureRead = 0x16,
  FutureWrite = 0x17,
  FutureCancelRead = 0x18,
  FutureCancelWrite = 0x19,
  FutureDropReadable = 0x1a,
  FutureDropWritable = 0x1b,
  ErrorContextNew = 0x1c,
  ErrorContextDebugMessage = 0x1d,
  ErrorContextDrop = 0x1e,
  WaitableSetNew = 0x1f,
  WaitableSetWait = 0x20,
  WaitableSetPoll = 0x21,
  WaitableSetDrop = 0x22,
  WaitableJoin = 0x23,
  BackpressureInc = 0x24,
  BackpressureDec = 0x25,
  ThreadIndex = 0x26,
  ThreadNewIndirect = 0x27,
  ThreadResumeLater = 0x28,
  ThreadSuspend = 0x29,
  ThreadSuspendThenResume = 0x2a,
  ThreadYieldThenResume = 0x2b,
  ThreadSuspendThenPromote = 0x2c,
  ThreadYieldThenPromote = 0x2d,
  ThreadSpawnRef = 0x40,
  ThreadSpawnIndirect = 0x41,
  ThreadAvailableParallelism = 0x42,
};
// True for the opcodes Binary.md allocates.
bool is_canon_code(uint8_t b);
// "lift", "resource.new", "waitable-set.wait", ...
std::string_view canon_name(CanonKind k);

// One canonical definition. Which fields hold data depends on `kind`:
//   Lift: func (core), opts, type; Lower: func (component), opts;
//   ResourceNew/Drop/Rep, Stream*/Future*: type (a type index);
//   TaskReturn: result, opts; ContextGet/Set: core_type, index;
//   SubtaskCancel, Stream/FutureCancel*: flag = async; WaitableSetWait/Poll:
//   flag = cancellable, memory; ThreadYield, ThreadSuspend*, Thread*Then*:
//   flag = cancellable; ThreadNewIndirect: type (core), table;
//   ThreadSpawnRef/Indirect, ThreadAvailableParallelism: flag = shared,
//   type (core), table; Stream/FutureRead/Write, ErrorContextNew/
//   DebugMessage: opts.
struct CanonDef {
  CanonKind kind = CanonKind::Lift;
  uint32_t func = 0;
  uint32_t type = 0;
  uint32_t table = 0;
  uint32_t memory = 0;
  uint32_t index = 0;
  ValType core_type = ValType::I32;
  bool flag = false;
  std::optional<ValueTypeRef> result;
  std::vector<CanonOpt> opts;
  uint64_t offset = 0;
};

// --- start, imports, exports, values, customs -----------------------------------------

struct StartDef {  // 🪙
  ComponentFuncIdx func;
  std::vector<ValueIdx> args;
  uint32_t results = 0;
  uint64_t offset = 0;
};

struct ImportDef {
  ExternName name;
  ExternDesc desc;
  uint64_t offset = 0;
};

struct ExportDef {
  ExternName name;
  SortIdx item;
  std::optional<ExternDesc> ascribed;
  uint64_t offset = 0;
};

struct ValueDef {  // 🪙
  ValueTypeRef type;
  ByteRange bytes;  // the encoded value v, without its length
  uint64_t offset = 0;
};

struct ComponentCustom {
  std::string name;
  ByteRange data;
  uint64_t offset = 0;
};

// One section as it appeared: items [first, first + count) of the vector of
// its kind (one item for CoreModule, Component, Start, Custom sections).
struct ComponentSection {
  ComponentSectionId id = ComponentSectionId::Custom;
  uint32_t first = 0;
  uint32_t count = 0;
  std::optional<ByteRange> raw;  // id, size and contents as read
  uint64_t offset = 0;           // absolute offset of the id byte
};

struct Component {
  std::vector<ComponentSection> sections;  // in binary order
  std::vector<CoreModuleDef> core_modules;
  std::vector<CoreInstanceDef> core_instances;
  std::vector<CoreTypeDef> core_types;
  std::vector<Component> components;
  std::vector<InstanceDef> instances;
  std::vector<AliasDef> aliases;
  std::vector<TypeDef> types;
  std::vector<CanonDef> canons;
  std::vector<StartDef> starts;
  std::vector<ImportDef> imports;
  std::vector<ExportDef> exports;
  std::vector<ValueDef> values;
  std::vector<ComponentCustom> customs;

  // Bytes the ranges point into (shared with nested components).
  std::shared_ptr<std::vector<uint8_t>> storage = std::make_shared<std::vector<uint8_t>>();
  uint64_t offset = 0;  // absolute offset of the preamble

  std::span<const uint8_t> bytes(ByteRange r) const {
    return std::span<const uint8_t>(*storage).subspan(r.begin, r.size);
  }
  std::span<const uint8_t> core_module_bytes(const CoreModuleDef& m) const { return bytes(m.bytes); }
  // Appends bytes to storage (for components built in memory).
  ByteRange add_bytes(std::span<const uint8_t> b);
};

}  // namespace witc::bin
