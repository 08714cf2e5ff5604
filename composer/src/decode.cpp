// Entry points of the component decoder: which kind of binary it is, in
// which order its imports and exports are decoded, and component-type
// custom sections of core modules.
#include "witc/composer/decode.h"

#include <fmt/format.h>

#include "decoder.h"
#include "witc/base/try.h"
#include "witc/bin/component_names.h"
#include "witc/bin/component_reader.h"
#include "witc/composer/metadata.h"
#include "witc/wit/wit.h"

namespace witc::compose {

namespace {

using detail::Decoder;
using detail::PackageFields;

// A top-level import or export in binary order (imports and exports may
// interleave; a use must come after what it uses).
struct Extern {
  bool is_import = false;
  const std::string* name = nullptr;
  const bin::EntityType* type = nullptr;
  const std::string* implements = nullptr;  // the `implements` name attribute
};

std::vector<Extern> externs_in_order(const bin::Component& c, const bin::ComponentInfo& info) {
  std::vector<Extern> out;
  const bin::ComponentType& ct = info.component();
  for (const bin::ComponentSection& s : c.sections) {
    bool imports = s.id == bin::ComponentSectionId::Import;
    if (!imports && s.id != bin::ComponentSectionId::Export) continue;
    for (uint32_t i = s.first; i < s.first + s.count; ++i) {
      const bin::ExternName& n = imports ? c.imports[i].name : c.exports[i].name;
      const bin::EntityType* e = imports ? ct.imports.find(n.name) : ct.exports.find(n.name);
      const bin::NameAttribute* impl = n.attribute(bin::NameAttribute::Kind::Implements);
      if (e) out.push_back({imports, &n.name, e, impl ? &impl->value : nullptr});
    }
  }
  return out;
}

// The component type a top-level export of a WIT package encoding names.
const bin::ComponentType* exported_component_type(const bin::TypeInfo& types, const bin::EntityType& e) {
  if (e.kind != bin::EntityKind::Type || !e.type.valid()) return nullptr;
  if (types.kind(e.type) != bin::TypeKind::Component) return nullptr;
  return &types.component(e.type);
}

Expected<DecodedWit> decode_wit_package(const bin::Component& c, const bin::ComponentInfo& info) {
  std::vector<Extern> externs = externs_in_order(c, info);
  // Today's (v2) encoding names each exported type by the item's plain
  // name; the legacy (v1) one exported one type named `ns:pkg/wit`.
  if (externs.empty() || externs[0].name->find(':') != std::string::npos) {
    return fail(Diagnostic::plain("decoding the legacy (v1) WIT package encoding is not supported"));
  }
  Decoder d(info.types);
  wit::Package main;
  PackageFields fields{&main.interfaces, &main.worlds};
  std::optional<wit::PackageName> pkg_name;
  for (const Extern& x : externs) {
    const bin::ComponentType& outer = *exported_component_type(info.types, *x.type);
    if (outer.exports.size() != 1) {
      return fail(Diagnostic::plain(
          fmt::format("expected a single export in `{}`, but found {} instead", *x.name, outer.exports.size())));
    }
    const auto& [name, e] = outer.exports.at_index(0);
    Expected<wit::PackageName> got = fail(Diagnostic::plain(""));
    if (e.kind == bin::EntityKind::Component) {
      got = d.decode_world(name, info.types.component(e.type), fields);
    } else if (e.kind == bin::EntityKind::Instance) {
      got = d.decode_interface(name, outer, info.types.instance(e.type), fields);
    } else {
      return fail(Diagnostic::plain(fmt::format("export `{}` is not a world or an interface", name)));
    }
    if (!got) return fail(std::move(got.error()).with_context(fmt::format("failed to decode `{}`", name)));
    if (pkg_name && !(*pkg_name == *got)) {
      return fail(Diagnostic::plain(fmt::format("item `{}` defined with mismatched package name", name)));
    }
    pkg_name = *got;
  }
  main.name = *pkg_name;
  DecodedWit out;
  out.kind = DecodedWit::Kind::WitPackage;
  out.package = d.finish(std::move(main));
  out.resolve = std::move(d.resolve);
  const wit::Package& pkg = out.resolve.packages[out.package];
  if (pkg.worlds.size() == 1) out.world = pkg.worlds.at_index(0).second;
  return out;
}

Expected<DecodedWit> decode_real_component(const bin::Component& c, const bin::ComponentInfo& info) {
  Decoder d(info.types);
  wit::World w;
  w.name = "root";
  wit::WorldId world = d.resolve.worlds.alloc(std::move(w));
  wit::Package main;
  main.name = wit::PackageName{"root", "component", std::nullopt};
  main.worlds.insert("root", world);
  PackageFields fields{&main.interfaces, &main.worlds};
  for (const Extern& x : externs_in_order(c, info)) {
    if (x.is_import) {
      WITC_TRY(d.component_import(*x.name, *x.type, world, fields, x.implements));
    } else {
      WITC_TRY(d.component_export(*x.name, *x.type, world, fields, x.implements));
    }
  }
  DecodedWit out;
  out.kind = DecodedWit::Kind::Component;
  out.package = d.finish(std::move(main));
  out.world = world;
  out.resolve = std::move(d.resolve);
  return out;
}

}  // namespace

bool is_wit_package(const bin::Component& c, const bin::ComponentInfo& info) {
  std::vector<Extern> externs = externs_in_order(c, info);
  if (externs.empty()) return false;
  for (const Extern& x : externs) {
    if (x.is_import || !exported_component_type(info.types, *x.type)) return false;
  }
  return true;
}

Expected<DecodedWit> decode(const bin::Component& c, const bin::ComponentInfo& info) {
  if (is_wit_package(c, info)) return decode_wit_package(c, info);
  return decode_real_component(c, info);
}

Expected<DecodedWit> decode_component_binary(std::span<const uint8_t> bytes, const bin::ComponentFeatures& features) {
  WITC_TRY_VAL(bin::Component c, bin::read_component(bytes));
  WITC_TRY_VAL(bin::ComponentInfo info, bin::validate_component(c, features));
  return decode(c, info);
}

Expected<std::vector<DecodedWorldSection>> decode_component_type_sections(const bin::Module& module) {
  std::vector<DecodedWorldSection> out;
  for (const ComponentTypeSection& s : component_type_sections(module)) {
    auto ctx = [&](Diagnostic d) { return fail(std::move(d).with_context(fmt::format("in custom section `{}`", s.name))); };
    auto c = bin::read_component(s.bytes, s.offset);
    if (!c) return ctx(std::move(c.error()));
    auto info = bin::validate_component(*c, bin::ComponentFeatures::all());
    if (!info) return ctx(std::move(info.error()));
    if (!is_wit_package(*c, *info)) return ctx(Diagnostic::plain("the section does not encode a WIT world"));
    auto decoded = decode(*c, *info);
    if (!decoded) return ctx(std::move(decoded.error()));
    if (!decoded->world.valid()) return ctx(Diagnostic::plain("the encoded package must have exactly one world"));
    out.push_back({s.name, std::move(*decoded)});
  }
  return out;
}

std::string print_main_package(const DecodedWit& decoded) {
  // What `jco wit` prints: the reference layout.
  return wit::print(decoded.resolve, {decoded.package}, wit::PrintOptions{.reference_layout = true});
}

}  // namespace witc::compose
