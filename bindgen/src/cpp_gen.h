// The C++ emitter's shared state (private to bindgen/). Split by concern:
//   cpp_names.cpp  identifiers, namespaces, C++ spelling of WIT types
//   cpp_abi.cpp    lift / lower / load / store / free code from the plan
//   cpp_decls.cpp  the header: type definitions, declarations, user classes
//   cpp_funcs.cpp  the .cpp: import wrappers, export adapters, resources
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "witc/bindgen/cpp.h"
#include "witc/bindgen/plan.h"

namespace witc::bindgen {
// The async part of wit.h (cpp_wit_async_h.cpp); wit_header() includes it.
const std::string& wit_header_async();
}  // namespace witc::bindgen

namespace witc::bindgen::cpp {

// Which C++ types stand for a WIT type: owned values (results, exported
// functions' parameters, fields) or borrowed views (imported functions'
// parameters: std::string_view, std::span<const T>).
enum class Flavor { Owned, Borrowed };

// How lowering treats the C++ value: Borrow (an import's arguments stay the
// caller's), Copy (an async import's arguments: read when the callee starts,
// so strings and lists are copied into the call's own buffers) or Transfer
// (an export's result, a value written to a stream or future: its memory
// passes to the canonical value, freed later by cabi_post_* or the writer).
enum class Mode { Borrow, Copy, Transfer };

// Statements of one function body and its fresh local names.
struct Body {
  std::string out;
  int indent = 1;
  int tmp = 0;
  bool cleanup = false;  // needs a wit::detail::cleanup `_cleanup` (temporary buffers)
  bool scope = false;    // needs a wit::detail::borrow_scope `_scope` (lifted borrows)
  bool keep = false;     // needs a wit::detail::keeper `_keep` (symmetric views)
  std::string fresh(const char* base) { return "_" + std::string(base) + std::to_string(tmp++); }
  // A fresh local `auto&& _<base>N = v;` that names a value used several times.
  std::string bind(const char* base, const std::string& v) {
    std::string r = fresh(base);
    line("auto&& " + r + " = " + v + ";");
    return r;
  }
  void line(std::string_view s) {
    out.append(static_cast<size_t>(indent) * 2, ' ');
    out.append(s);
    out.push_back('\n');
  }
};

using Path = std::vector<std::string>;

// C spellings shared by lowering (cpp_abi.cpp, which defines them) and
// lifting (cpp_lift.cpp).
// The address `addr + off` ("addr" itself when off is 0).
std::string at(const std::string& addr, uint64_t off);
// The lvalue `*(ty*)(addr)`.
std::string deref(const char* ty, const std::string& addr);
// The C type of a primitive scalar in linear memory (bool as uint8_t, char as uint32_t).
const char* mem_type(wit::Type::Kind k);
// The unsigned type of a variant discriminant of `size` bytes.
const char* disc_type(uint32_t size);
// What `return` takes for the value `v`: a local moved out of is returned by
// name (`return std::move(local);` would prevent copy elision).
std::string returned(const std::string& v);

class Gen {
 public:
  Gen(const wit::Resolve& resolve, wit::WorldId world, const CppOptions& options);
  Expected<Files> run();

  // --- names (cpp_names.cpp)
  static std::string pascal(std::string_view kebab);
  static std::string snake(std::string_view kebab);
  static std::string escape(std::string s);  // C++ keywords get a trailing '_'
  static std::string qualify(const Path& ns, const std::string& name);
  Path interface_ns(wit::InterfaceId id, bool exported) const;
  Path world_ns(bool exported) const;
  Path owner_ns(const wit::TypeOwner& owner, bool exported_ctx) const;
  bool exports_interface(wit::InterfaceId id) const { return exported_ifaces_.count(id.index) != 0; }
  bool in_exports(wit::TypeId id, bool exported_ctx) const;
  const std::string& type_ident(wit::TypeId id);
  std::string type_path(wit::TypeId id, bool exported_ctx);  // fully qualified
  std::string func_ident(const wit::Function& f, std::optional<wit::InterfaceId> iface);
  std::string member_ident(const wit::Function& f);
  std::string param_ident(const std::string& name) const { return escape(snake(name)); }
  // Member names of a record, enum or flags, unique after case conversion.
  static std::vector<std::string> field_idents(const wit::Record& r);
  static std::vector<std::string> label_idents(const std::vector<std::string>& names);
  wit::Type unalias(const wit::Type& t) const;
  // The C++ type of a value; `ctx` selects the exports namespaces.
  std::string type(const wit::Type& t, Flavor f, bool ctx);
  // The template arguments of wit::stream/future and their traits for a
  // payload (none: "void"): the C++ type, then, where it differs, the key
  // type telling WIT types apart (`char` spelled wit::char_tag).
  std::string async_args(const std::optional<wit::Type>& payload, bool ctx);
  bool key_mode_ = false;  // type(): spell `char` wit::char_tag
  // The C++ type of a parameter of an import (Borrowed) or export (Owned).
  std::string param_type(const wit::Type& t, Direction d);
  // --ownership coarse-/fine-borrowing: the `<Record>Param` struct that an
  // imported function takes for a record parameter, or nullptr.
  const std::string* param_struct(wit::TypeId record);
  void plan_param_struct(wit::TypeId record);
  bool has_own_handle(const wit::Type& t);
  std::string owned_handle(wit::TypeId resource, bool ctx);
  // True if the owned C++ value has the canonical memory layout (lists of it
  // cross without per-element code).
  bool mem_compatible(const wit::Type& t);
  // The name of case `i` of a variant (unique in it, not its type's name).
  const std::string& case_ident(wit::TypeId variant, size_t i);
  static std::string flags_repr(size_t n);

  // --- lift / lower (cpp_abi.cpp)
  std::vector<std::string> lower_flat(Body& b, const wit::Type& t, const std::string& v, Mode m, bool ctx);
  void store(Body& b, const wit::Type& t, const std::string& v, const std::string& addr, Mode m, bool ctx);
  std::string lift_flat(Body& b, const wit::Type& t, const std::vector<std::string>& flat, size_t& pos, bool ctx);
  std::string load(Body& b, const wit::Type& t, const std::string& addr, bool ctx);
  void free_stored(Body& b, const wit::Type& t, const std::string& addr);
  static const char* core_type(bin::ValType v);

  // --- outputs
  Planner planner_;
  const wit::Resolve& resolve_;
  wit::WorldId world_id_;
  const wit::World& world_;
  CppOptions opts_;
  std::string stem_;
  std::string h_;     // header body
  std::string cpp_;   // implementation body
  std::string externs_;  // extern "C" import declarations
  std::map<std::string, std::string> user_headers_;  // file -> contents
  bool needs_borrow_scope_ = false;

 private:
  // cpp_abi.cpp helpers
  std::vector<std::string> lower_variant_flat(Body& b, const wit::Type& t, const std::string& v, Mode m, bool ctx);
  std::string lift_variant_flat(Body& b, const wit::Type& t, const std::vector<std::string>& flat, size_t& pos, bool ctx);
  void store_variant(Body& b, const wit::Type& t, const std::string& v, const std::string& addr, Mode m, bool ctx);
  std::string load_variant(Body& b, const wit::Type& t, const std::string& addr, bool ctx);
  std::pair<std::string, std::string> lower_list(Body& b, const wit::Type& t, const std::string& v, Mode m, bool ctx);
  std::string lift_list(Body& b, const wit::Type& t, const std::string& ptr, const std::string& len, bool ctx);
  std::string lower_handle(const wit::Type& t, const std::string& v, Mode m, bool ctx);
  std::string lift_handle(Body& b, const wit::Type& t, const std::string& h, bool ctx);
  std::string lower_scalar(const wit::Type& t, const std::string& v);
  std::string lift_scalar(const wit::Type& t, const std::string& v, bool ctx);
  std::string case_type(const wit::Type& variant, size_t i, bool ctx);
  std::pair<std::string, std::string> lower_string(Body& b, const std::string& v, Mode m);
  bool list_compatible(const wit::Type& elem, Mode m);
  void store_words(Body& b, const wit::Type& t, const std::string& v, const std::string& addr);

 public:
  // --- header (cpp_decls.cpp)
  void emit_types();
  void emit_type(wit::TypeId id, bool exported);
  void emit_import_resource(wit::TypeId id, const InterfacePlan& ip);
  void emit_user_header(wit::TypeId id, const InterfacePlan& ip);
  void emit_declarations();
  std::string signature(const FunctionPlan& fp, const std::string& name, bool in_class);
  void set_ns(std::string& out, Path& cur, const Path& target);

  // The C++ result type of a function (owned; "void" for none).
  std::string result_type(const FunctionPlan& fp);

  // --- implementation (cpp_funcs.cpp)
  struct Callee {
    std::string name;  // import: the definition's name in `ns`; export: the qualified call target
    Path ns;
    bool method = false;
  };
  Callee callee(const FunctionPlan& fp, const InterfacePlan& ip);
  // Lowers an import's arguments (Borrow, or Copy for async calls); the core arguments.
  std::vector<std::string> lower_args(Body& b, const FunctionPlan& fp, Mode m);
  // `extern "C" … sym(argN…)` of an export; fills `flat` with the parameter names.
  std::string export_head(const std::string& name, const std::string& sym, const bin::FuncType& sig,
                          std::vector<std::string>& flat);
  // Lifts an export's arguments into locals; `args` gets what the program's function takes.
  void lift_args(Body& b, const FunctionPlan& fp, const std::vector<std::string>& flat, std::vector<std::string>& args);
  // The argument passed for a lifted (owned) parameter value `local`: moved,
  // or, with --api-style symmetric, viewed as the import-style type.
  std::string export_arg(Body& b, const wit::Type& t, const std::string& local);
  // An expression of type(t, Borrowed) viewing the owned lvalue `v` (valid
  // while the body's locals live).
  std::string borrow_view(Body& b, const wit::Type& t, const std::string& v, bool ctx);
  void emit_import(const FunctionPlan& fp, const InterfacePlan& ip);
  void emit_export(const FunctionPlan& fp, const InterfacePlan& ip);

  // --- async (cpp_async.cpp)
  struct AsyncPayload {
    std::string key;  // "s:"/"f:" + async_args(payload): one per WIT type
    AsyncValuePlan value;
    bool ctx = false;
  };
  void emit_async_import(const FunctionPlan& fp, const InterfacePlan& ip);
  void emit_async_export(const FunctionPlan& fp, const InterfacePlan& ip);
  void collect_async_payloads();
  void emit_async_traits_decls();
  void emit_async_traits_defs();
  void emit_stream_elements(const std::string& cls, const std::string& t, const wit::Type& elem, bool ctx);
  void emit_future_value(const std::string& cls, const std::string& t, const wit::Type& value, bool ctx);
  std::vector<AsyncPayload> payloads_;
  void emit_resource_glue(const ResourcePlan& rp, const InterfacePlan& ip);
  std::string declare_import(const std::string& module, const std::string& name,
                             const std::vector<bin::ValType>& params,
                             const std::vector<bin::ValType>& results);
  std::string c_symbol(std::string_view prefix, std::string_view name);
  const wit::Function* self_resource_fn_ = nullptr;

  WorldPlan plan_;
  Path h_ns_, cpp_ns_;
  std::set<uint32_t> exported_ifaces_, imported_ifaces_, with_ifaces_;
  std::unordered_map<uint32_t, Path> iface_ns_;  // base namespace of each interface in the world
  std::unordered_map<uint32_t, std::string> type_idents_;
  std::unordered_map<uint32_t, std::string> param_idents_;
  std::unordered_map<uint32_t, std::vector<std::string>> case_idents_;
  std::map<Path, std::set<std::string>> taken_;  // identifiers used per namespace
  std::map<std::pair<uint32_t, std::string>, std::string> func_idents_;
  std::set<std::string> symbols_;
  std::vector<std::string> with_headers_;
  std::string with_error_;  // an unmatched --with
};

}  // namespace witc::bindgen::cpp
