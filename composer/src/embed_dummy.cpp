// A stub core module for a world (embed.h dummy_module).
//
// The module is what the reference's `dummy_module` writes (wasm-tools
// crates/wit-component `dummy.rs`), byte for byte: for every import, the
// function imports with the canonical ABI's lowered signature, then each
// resource's drop; for every exported interface, the resource intrinsics
// (drop, new, rep) of its resources; then for every export a function that
// traps and its post-return (an empty function taking the lifted results),
// the exported resources' destructors, and last the memory, `realloc` (traps)
// and the initialisation function. Function types are numbered in order of
// first use. Names follow the chosen mangling (embed.h DummyNames;
// BuildTargets.md for the standard one).
#include <deque>
#include <unordered_map>

#include <fmt/format.h>

#include "witc/base/try.h"
#include "witc/bin/canonical_abi.h"
#include "witc/bin/writer.h"
#include "witc/composer/embed.h"
#include "witc/composer/wit_abi.h"

namespace witc::compose {

namespace {

class DummyBuilder {
 public:
  DummyBuilder(const wit::Resolve& r, DummyNames names) : r_(r), names_(names), src_(r), abi_(src_) {}

  Expected<std::vector<uint8_t>> build(const wit::World& w);

 private:
  bool standard() const { return names_ == DummyNames::Standard; }
  // "ns:pkg/i@1.2.3" (legacy) or "ns:pkg/i@1" (standard) or the plain name.
  std::string key_name(const wit::WorldKey& key) const {
    if (!key.is_interface()) return key.name;
    const wit::Interface& iface = r_.interfaces[key.interface];
    const wit::PackageName& pkg = r_.packages[*iface.package].name;
    if (!standard()) return pkg.interface_id(*iface.name);
    std::string s;
    s.append(pkg.ns).append(":").append(pkg.name).append("/").append(*iface.name);
    if (pkg.version) s.append("@").append(version_track(*pkg.version));
    return s;
  }
  // The import module of an interface's (or the world's) functions.
  std::string import_module(const wit::WorldKey* key) const {
    if (standard()) return key ? "cm32p2|" + key_name(*key) : "cm32p2";
    return key ? key_name(*key) : "$root";
  }
  std::string export_name(const wit::WorldKey* key, const std::string& func) const {
    std::string s;
    if (standard()) {
      s.append("cm32p2|").append(key ? key_name(*key) : "").append("|").append(func);
    } else {
      if (key) s.append(key_name(*key)).append("#");
      s.append(func);
    }
    return s;
  }

  uint32_t type_index(bin::FuncType t) {
    for (uint32_t i = 0; i < m_.types.size(); ++i)
      if (m_.types[i] == t) return i;
    m_.types.push_back(std::move(t));
    return static_cast<uint32_t>(m_.types.size() - 1);
  }
  Expected<bin::FuncType> signature(const wit::Function& f, abi::Context context);
  void import(std::string module, std::string name, bin::FuncType t);
  void func(std::string export_name, bin::FuncType t, bool traps);
  Expected<void> imports(const wit::World& w);
  Expected<void> exports(const wit::World& w);
  void resource_imports(const wit::WorldKey* key, wit::TypeId id);

  const wit::Resolve& r_;
  DummyNames names_;
  WitTypeSource src_;
  abi::Engine abi_;
  bin::Module m_;
  std::vector<std::pair<std::string, std::pair<bin::ExternKind, uint32_t>>> exports_;
};

bin::FuncType func_type(std::vector<bin::ValType> params, std::vector<bin::ValType> results) {
  bin::FuncType t;
  t.params = std::move(params);
  t.results = std::move(results);
  return t;
}

bool is_resource(const wit::Resolve& r, wit::TypeId id) {
  return std::holds_alternative<wit::Resource>(r.types[id].kind);
}

Expected<bin::FuncType> DummyBuilder::signature(const wit::Function& f, abi::Context context) {
  // Async functions get their synchronous signature, as in the reference.
  std::vector<abi::TypeRef> params;
  for (const auto& [name, t] : f.params) params.push_back(src_.ref(t));
  std::optional<abi::TypeRef> result;
  if (f.result) result = src_.ref(*f.result);
  return abi_.signature(params, result, abi::SignatureOptions{}, context).type;
}

void DummyBuilder::import(std::string module, std::string name, bin::FuncType t) {
  bin::Import imp;
  imp.module = std::move(module);
  imp.name = std::move(name);
  imp.kind = bin::ExternKind::Func;
  imp.func = bin::TypeIdx(type_index(std::move(t)));
  m_.imports.push_back(std::move(imp));
}

void DummyBuilder::func(std::string export_name, bin::FuncType t, bool traps) {
  uint32_t index = static_cast<uint32_t>(m_.imports.size() + m_.functions.size());
  bin::Function fn;
  fn.type = bin::TypeIdx(type_index(std::move(t)));
  m_.functions.push_back(fn);
  std::vector<uint8_t> body = traps ? std::vector<uint8_t>{0x00, 0x00, 0x0b} : std::vector<uint8_t>{0x00, 0x0b};
  bin::Code code;
  code.body = m_.add_bytes(body);
  m_.codes.push_back(code);
  exports_.push_back({std::move(export_name), {bin::ExternKind::Func, index}});
}

void DummyBuilder::resource_imports(const wit::WorldKey* key, wit::TypeId id) {
  if (!is_resource(r_, id)) return;
  const std::string& name = *r_.types[id].name;
  std::string drop = standard() ? name + "_drop" : "[resource-drop]" + name;
  import(import_module(key), drop, func_type({bin::ValType::I32}, {}));
}

Expected<void> DummyBuilder::imports(const wit::World& w) {
  for (const auto& [key, item] : w.imports) {
    if (item.kind == wit::WorldItem::Kind::Function) {
      WITC_TRY_VAL(bin::FuncType t, signature(item.function, abi::Context::Lower));
      import(import_module(nullptr), item.function.name, std::move(t));
    } else if (item.kind == wit::WorldItem::Kind::Interface) {
      const wit::Interface& iface = r_.interfaces[item.interface];
      for (const auto& [name, f] : iface.functions) {
        WITC_TRY_VAL(bin::FuncType t, signature(f, abi::Context::Lower));
        import(import_module(&key), f.name, std::move(t));
      }
      for (const auto& [name, id] : iface.types) resource_imports(&key, id);
    } else {
      resource_imports(nullptr, item.type);
    }
  }
  // The intrinsics of resources the world exports.
  for (const auto& [key, item] : w.exports) {
    if (item.kind != wit::WorldItem::Kind::Interface) continue;
    std::string module = standard() ? "cm32p2|_ex_" + key_name(key) : "[export]" + key_name(key);
    for (const auto& [name, id] : r_.interfaces[item.interface].types) {
      if (!is_resource(r_, id)) continue;
      const std::string& rn = *r_.types[id].name;
      using bin::ValType;
      import(module, standard() ? rn + "_drop" : "[resource-drop]" + rn, func_type({ValType::I32}, {}));
      import(module, standard() ? rn + "_new" : "[resource-new]" + rn,
             func_type({ValType::I32}, {ValType::I32}));
      import(module, standard() ? rn + "_rep" : "[resource-rep]" + rn,
             func_type({ValType::I32}, {ValType::I32}));
    }
  }
  return {};
}

Expected<void> DummyBuilder::exports(const wit::World& w) {
  auto export_func = [&](const wit::WorldKey* key, const wit::Function& f) -> Expected<void> {
    WITC_TRY_VAL(bin::FuncType t, signature(f, abi::Context::Lift));
    std::string name = export_name(key, f.name);
    std::string post = standard() ? name + "_post" : "cabi_post_" + name;
    std::vector<bin::ValType> results = t.results;
    func(std::move(name), std::move(t), true);
    func(std::move(post), func_type(std::move(results), {}), false);
    return {};
  };
  for (const auto& [key, item] : w.exports) {
    if (item.kind == wit::WorldItem::Kind::Function) {
      WITC_TRY(export_func(nullptr, item.function));
    } else if (item.kind == wit::WorldItem::Kind::Interface) {
      const wit::Interface& iface = r_.interfaces[item.interface];
      for (const auto& [name, f] : iface.functions) WITC_TRY(export_func(&key, f));
      for (const auto& [name, id] : iface.types) {
        if (!is_resource(r_, id)) continue;
        const std::string& rn = *r_.types[id].name;
        std::string dtor = standard() ? export_name(&key, rn + "_dtor") : export_name(&key, "[dtor]" + rn);
        func(std::move(dtor), func_type({bin::ValType::I32}, {}), false);
      }
    }
  }
  return {};
}

Expected<std::vector<uint8_t>> DummyBuilder::build(const wit::World& w) {
  WITC_TRY(imports(w));
  WITC_TRY(exports(w));
  bin::Memory mem;
  m_.memories.push_back(mem);
  exports_.push_back({standard() ? "cm32p2_memory" : "memory", {bin::ExternKind::Memory, 0}});
  using bin::ValType;
  func(standard() ? "cm32p2_realloc" : "cabi_realloc",
       func_type({ValType::I32, ValType::I32, ValType::I32, ValType::I32}, {ValType::I32}), true);
  func(standard() ? "cm32p2_initialize" : "_initialize", func_type({}, {}), false);
  for (auto& [name, item] : exports_) {
    bin::Export e;
    e.name = std::move(name);
    e.kind = item.first;
    e.index = item.second;
    m_.exports.push_back(std::move(e));
  }
  return bin::write_module(m_);
}

}  // namespace

Expected<std::vector<uint8_t>> dummy_module(const wit::Resolve& resolve, wit::WorldId world, DummyNames names) {
  DummyBuilder b(resolve, names);
  return b.build(resolve.worlds[world]);
}

}  // namespace witc::compose
