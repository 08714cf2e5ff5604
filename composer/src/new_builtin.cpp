// The canonical built-ins of Concurrency.md that a core module imports
// (new_match.cpp classifies them): `canon waitable-set.new`, ...,
// `stream.read T`, `task.return (result T)` with the options and types
// wit-component gives them.
//
// The types a built-in names (the stream or future type of `stream.new T`,
// the result of `task.return`) are defined at the top level before the main
// module is instantiated, so nothing exported exists yet. As in
// wit-component, they are seen from the side of the function that carries
// them: for an imported function (or any world-level one) a named type is
// aliased from the imported instance that holds it; for a function of an
// exported interface the types of that interface (and of the exported
// interfaces it uses) are defined here structurally, its resources being the
// ones the component defines (`export_resource_`). Non-resource types are
// structural in the component model, so a definition here and the type of the
// lifted function agree; resources are nominal and come from their one
// definition.
#include <fmt/format.h>

#include "new_encoder.h"
#include "witc/base/try.h"

namespace witc::compose::detail {

namespace {

class BuiltinTypes final : public ValtypeEncoder {
 public:
  // `exported`: the interface of the exported function the built-in is for
  // (nullopt: an imported or world-level function).
  BuiltinTypes(NewEncoder& enc, TypeScope& scope, std::optional<wit::InterfaceId> exported)
      : ValtypeEncoder(enc.resolve()), enc_(enc), scope_(scope), exported_(exported) {
    if (exported_) {
      if (auto it = enc.plan().exports_used.find(exported_->index); it != enc.plan().exports_used.end()) {
        used_ = &it->second;
      }
    }
  }

 private:
  TypeScope& cur() override { return scope_; }
  Expected<std::optional<uint32_t>> foreign(wit::TypeId id) override {
    const wit::TypeDef& td = r_.types[id];
    if (td.owner.kind == wit::TypeOwner::Kind::World) return enc_.world_type(id);
    if (td.owner.kind != wit::TypeOwner::Kind::Interface || !td.name) return std::optional<uint32_t>{};
    wit::InterfaceId owner = td.owner.interface;
    if (exported_ && (owner == *exported_ || (used_ && used_->count(owner.index)))) {
      return std::optional<uint32_t>{};
    }
    return enc_.imported_type(id);
  }
  uint32_t named(uint32_t index, wit::TypeId) override { return index; }
  Expected<uint32_t> resource(wit::TypeId id) override {
    if (exported_) {
      if (auto t = enc_.exported_resource(id)) return *t;
    }
    return fail(Diagnostic::plain(fmt::format("internal error: resource `{}` of a built-in is not in the component",
                                              r_.types[id].name.value_or("?"))));
  }

  NewEncoder& enc_;
  TypeScope& scope_;
  std::optional<wit::InterfaceId> exported_;
  const std::set<uint32_t>* used_ = nullptr;
};

}  // namespace

std::optional<uint32_t> NewEncoder::imported_type(wit::TypeId id) {
  const wit::TypeDef& td = r_.types[id];
  if (td.owner.kind != wit::TypeOwner::Kind::Interface || !td.name || !p_.live_type_ids.count(id.index)) {
    return std::nullopt;
  }
  auto inst = import_instance_.find(td.owner.interface.index);
  if (inst == import_instance_.end()) return std::nullopt;
  auto key = std::make_pair(inst->second, "type " + *td.name);
  if (auto it = aliases_.find(key); it != aliases_.end()) return it->second;
  uint32_t t = b_.alias_export(inst->second, *td.name, bin::Sort::Type);
  aliases_[key] = t;
  return t;
}

Expected<bin::ValueTypeRef> NewEncoder::builtin_valtype(const wit::Type& t, const CoreImport& ci) {
  std::optional<wit::InterfaceId> exported;
  if (ci.kind == CoreImport::Kind::TaskReturn || (ci.kind == CoreImport::Kind::Payload && ci.exported)) {
    exported = ci.owner;
  }
  TypeScope& scope = builtin_scopes_[exported ? static_cast<int64_t>(exported->index) : -1];
  scope.sink = &b_;
  BuiltinTypes types(*this, scope, exported);
  return types.valtype(t);
}

Expected<uint32_t> NewEncoder::builtin(const ModuleUse& use, const CoreImport& ci) {
  using K = bin::CanonKind;
  bin::CanonDef d;
  d.kind = ci.canon;
  if (ci.kind == CoreImport::Kind::TaskReturn) {
    d.kind = K::TaskReturn;
    if (ci.func->result) {
      WITC_TRY_VAL(bin::ValueTypeRef v, builtin_valtype(*ci.func->result, ci));
      d.result = v;
    }
    d.opts = options(ci.needs, std::nullopt);
    return b_.canon(std::move(d));
  }
  if (ci.kind == CoreImport::Kind::Payload) {
    WITC_TRY_VAL(bin::ValueTypeRef v, builtin_valtype(wit::Type::of(ci.payload), ci));
    if (v.is_prim) return fail(Diagnostic::plain("internal error: a stream or future type is a primitive"));
    d.type = v.index;
    switch (ci.canon) {
      case K::StreamRead:
      case K::StreamWrite:
      case K::FutureRead:
      case K::FutureWrite:
        d.opts = options(ci.needs, ci.needs.realloc ? realloc_for(use, ci.exported) : std::nullopt);
        break;
      default: d.flag = ci.flag; break;  // cancel-read/-write: `async`
    }
    return b_.canon(std::move(d));
  }
  switch (ci.canon) {
    case K::WaitableSetWait:
    case K::WaitableSetPoll:
      if (!memory_) return fail(Diagnostic::plain("internal error: the main module's memory does not exist yet"));
      d.memory = *memory_;
      d.flag = ci.flag;  // cancellable
      break;
    case K::ContextGet:
    case K::ContextSet:
      d.core_type = bin::ValType::I32;
      d.index = ci.slot;
      break;
    case K::SubtaskCancel:  // async
    case K::ThreadYield:    // cancellable, as the thread built-ins that suspend
    case K::ThreadSuspend:
    case K::ThreadSuspendThenResume:
    case K::ThreadYieldThenResume:
    case K::ThreadSuspendThenPromote:
    case K::ThreadYieldThenPromote: d.flag = ci.flag; break;
    case K::ErrorContextNew:
    case K::ErrorContextDebugMessage:
      d.opts = options(ci.needs, ci.needs.realloc ? realloc_for(use, false) : std::nullopt, ci.encoding);
      break;
    default: break;
  }
  return b_.canon(std::move(d));
}

}  // namespace witc::compose::detail
