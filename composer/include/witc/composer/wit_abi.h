// compose::WitTypeSource: wit::Resolve types as the canonical-ABI engine's
// type graph (validator/include/witc/bin/canonical_abi.h), so that layouts,
// flat signatures and field offsets of WIT types come from the one engine.
// Used by the dummy-module builder (embed) and the binding planner (bindgen).
#pragma once

#include <vector>

#include "witc/bin/canonical_abi.h"
#include "witc/wit/resolve.h"

namespace witc::compose {

// wit::Resolve types as canonical-ABI engine nodes, computed once from the
// types the Resolve holds when constructed. TypeRef encoding: primitives are
// their wit::Type::Kind value; type definitions are kIdBase + TypeId index
// (aliases answer with their target's node).
class WitTypeSource final : public abi::TypeSource {
 public:
  static constexpr abi::TypeRef kIdBase = 32;
  explicit WitTypeSource(const wit::Resolve& resolve);
  abi::TypeRef ref(const wit::Type& t) const;
  abi::Node node(abi::TypeRef t) const override;

 private:
  struct Def {
    abi::Kind kind = abi::Kind::Bool;
    std::vector<abi::TypeRef> children;
    uint32_t count = 0;
    abi::TypeRef alias = abi::kNone;
  };
  std::vector<Def> defs_;
};

}  // namespace witc::compose
