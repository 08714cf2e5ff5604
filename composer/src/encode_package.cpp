// A WIT package as a type-only component (encode.h `encode_wit_package`).
#include <fmt/format.h>

#include "encode_types.h"
#include "witc/base/try.h"
#include "witc/bin/component_reader.h"
#include "witc/composer/encode.h"

namespace witc::compose {

namespace {

// The interfaces `id` uses types from, transitively, dependencies first.
void interface_deps(const wit::Resolve& r, wit::InterfaceId id, std::vector<wit::InterfaceId>& out,
                    std::vector<uint8_t>& state) {
  if (state[id.index]) return;
  state[id.index] = 1;
  for (const auto& [name, tid] : r.interfaces[id].types) {
    const wit::TypeDef& t = r.types[tid];
    const auto* a = std::get_if<wit::Alias>(&t.kind);
    if (!a || !a->target.is_id()) continue;
    const wit::TypeDef& other = r.types[a->target.id];
    if (other.owner == t.owner || other.owner.kind != wit::TypeOwner::Kind::Interface) continue;
    interface_deps(r, other.owner.interface, out, state);
  }
  out.push_back(id);
}

// (component <imports of the dependencies> (export "ns:pkg/i" (instance ...)))
Expected<bin::TypeDef> interface_definition(const wit::Resolve& r, wit::InterfaceId id) {
  std::vector<wit::InterfaceId> order;
  std::vector<uint8_t> state(r.interfaces.size(), 0);
  interface_deps(r, id, order, state);
  detail::TypeBuilder b(r);
  for (wit::InterfaceId dep : order) {
    b.set_interface(dep);
    WITC_TRY_VAL(uint32_t idx, b.instance(dep));
    std::string name = r.id_of(dep).value_or(r.interfaces[dep].name.value_or(""));
    if (dep == id) {
      b.outer_export(detail::plain_name(std::move(name)), detail::extern_desc(bin::ExternDesc::Kind::Instance, idx));
    } else {
      b.outer_import(detail::plain_name(std::move(name)), detail::extern_desc(bin::ExternDesc::Kind::Instance, idx));
    }
  }
  return std::move(b.outer()).finish(bin::TypeDef::Kind::Component);
}


}  // namespace

Expected<std::vector<uint8_t>> encode_wit_package(const wit::Resolve& resolve, wit::PackageId package) {
  const wit::Package& p = resolve.packages[package];
  bin::Component c;
  auto add = [&](std::string name, bin::TypeDef def) {
    c.types.push_back(std::move(def));
    c.sections.push_back({bin::ComponentSectionId::Type, static_cast<uint32_t>(c.types.size() - 1), 1,
                          std::nullopt, 0});
    bin::ExportDef e;
    e.name = detail::plain_name(std::move(name));
    // Each definition and each export adds a type index: definition k is 2k.
    e.item = {bin::Sort::Type, static_cast<uint32_t>(2 * (c.types.size() - 1))};
    c.exports.push_back(std::move(e));
    c.sections.push_back({bin::ComponentSectionId::Export, static_cast<uint32_t>(c.exports.size() - 1), 1,
                          std::nullopt, 0});
  };
  for (const auto& [name, id] : p.interfaces) {
    auto def = interface_definition(resolve, id);
    if (!def) return fail(std::move(def.error()).with_context(fmt::format("failed to encode interface `{}`", name)));
    add(name, std::move(*def));
  }
  for (const auto& [name, id] : p.worlds) {
    auto def = detail::world_definition(resolve, id, p.name.interface_id(name));
    if (!def) return fail(std::move(def.error()).with_context(fmt::format("failed to encode world `{}`", name)));
    add(name, std::move(*def));
  }
  return bin::write_component(c);
}

}  // namespace witc::compose
