// A world as a component type and as `component-type` metadata (encode.h).
#include <fmt/format.h>

#include "encode_types.h"
#include "encode_util.h"
#include "witc/base/try.h"
#include "witc/bin/component_reader.h"
#include "witc/composer/encode.h"

namespace witc::compose {

namespace {

// Version of the `wit-component-encoding` section's format.
constexpr uint8_t kMetadataVersion = 0x04;

uint8_t encoding_byte(StringEncoding e) {
  switch (e) {
    case StringEncoding::Utf8: return 0x00;
    case StringEncoding::Utf16: return 0x01;
    case StringEncoding::CompactUtf16: return 0x02;
  }
  return 0x00;
}

// The import/export name of a world item: its plain name, or the interface's
// "ns:pkg/iface@version".
std::string key_name(const wit::Resolve& r, const wit::WorldKey& key) {
  if (!key.is_interface()) return key.name;
  return r.id_of(key.interface).value_or(key.name);
}

// Encodes one import or export of the world into the builder's outer scope.
Expected<void> encode_item(detail::TypeBuilder& b, const wit::Resolve& r, const wit::WorldKey& key,
                           const wit::WorldItem& item, bool is_import) {
  using K = bin::ExternDesc::Kind;
  bin::ExternDesc d;
  switch (item.kind) {
    case wit::WorldItem::Kind::Interface: {
      b.set_interface(item.interface);
      WITC_TRY_VAL(uint32_t idx, b.instance(item.interface));
      d = detail::extern_desc(K::Instance, idx);
      break;
    }
    case wit::WorldItem::Kind::Function: {
      b.set_interface(std::nullopt);
      WITC_TRY_VAL(uint32_t idx, b.func_type(item.function));
      d = detail::extern_desc(K::Func, idx);
      break;
    }
    case wit::WorldItem::Kind::Type: {
      if (!is_import) return fail(Diagnostic::plain("internal error: a world exports a type"));
      b.set_interface(std::nullopt);
      b.set_import_types(true);
      auto v = b.valtype(wit::Type::of(item.type));
      b.set_import_types(false);
      if (!v) return fail(std::move(v.error()));
      return {};
    }
  }
  bin::ExternName name = detail::world_item_name(r, key, item);
  if (is_import) {
    b.outer_import(std::move(name), d);
  } else {
    b.outer_export(std::move(name), d);
  }
  return {};
}

}  // namespace

std::string_view string_encoding_name(StringEncoding e) {
  switch (e) {
    case StringEncoding::Utf8: return "utf8";
    case StringEncoding::Utf16: return "utf16";
    case StringEncoding::CompactUtf16: return "compact-utf16";
  }
  return "utf8";
}

Producer reference_producer() { return {"wit-component", "0.259.0"}; }

Expected<bin::TypeDef> world_component_type(const wit::Resolve& resolve, wit::WorldId world) {
  const wit::World& w = resolve.worlds[world];
  detail::TypeBuilder b(resolve);
  for (const auto& [key, item] : w.imports) {
    if (auto ok = encode_item(b, resolve, key, item, true); !ok) {
      return fail(std::move(ok.error()).with_context(
          fmt::format("failed to encode import `{}`", key_name(resolve, key))));
    }
  }
  for (const auto& [key, item] : w.exports) {
    if (auto ok = encode_item(b, resolve, key, item, false); !ok) {
      return fail(std::move(ok.error()).with_context(
          fmt::format("failed to encode export `{}`", key_name(resolve, key))));
    }
  }
  return std::move(b.outer()).finish(bin::TypeDef::Kind::Component);
}

Expected<bin::TypeDef> detail::world_definition(const wit::Resolve& r, wit::WorldId id, const std::string& qualified) {
  WITC_TRY_VAL(bin::TypeDef inner, world_component_type(r, id));
  TypeScope wrapper;
  bin::Declarator ty;
  ty.kind = bin::Declarator::Kind::Type;
  ty.type = bin::Box<bin::TypeDef>(std::move(inner));
  wrapper.add(std::move(ty));
  bin::Declarator ex;
  ex.kind = bin::Declarator::Kind::Export;
  ex.name = plain_name(qualified);
  ex.desc = detail::extern_desc(bin::ExternDesc::Kind::Component, 0);
  wrapper.add(std::move(ex));
  return std::move(wrapper).finish(bin::TypeDef::Kind::Component);
}

Expected<std::vector<uint8_t>> encode_world_metadata(const wit::Resolve& resolve, wit::WorldId world,
                                                     StringEncoding enc,
                                                     const std::vector<Producer>& producers) {
  const wit::World& w = resolve.worlds[world];
  if (!w.package) return fail(Diagnostic::plain(fmt::format("world `{}` has no package", w.name)));
  WITC_TRY_VAL(bin::TypeDef def, detail::world_definition(resolve, world,
                                                          resolve.packages[*w.package].name.interface_id(w.name)));

  bin::Component c;
  detail::add_custom(c, "wit-component-encoding", {kMetadataVersion, encoding_byte(enc)});
  c.types.push_back(std::move(def));
  c.sections.push_back({bin::ComponentSectionId::Type, 0, 1, std::nullopt, 0});
  bin::ExportDef e;
  e.name = detail::plain_name(w.name);
  e.item = {bin::Sort::Type, 0};
  c.exports.push_back(std::move(e));
  c.sections.push_back({bin::ComponentSectionId::Export, 0, 1, std::nullopt, 0});
  detail::add_custom(c, "producers", detail::producers_section(producers));
  return bin::write_component(c);
}

Expected<std::vector<uint8_t>> encode_world_metadata(const wit::Resolve& resolve, wit::WorldId world,
                                                     StringEncoding enc) {
  return encode_world_metadata(resolve, world, enc, {reference_producer()});
}

std::string component_type_section_name(const wit::Resolve& resolve, wit::WorldId world) {
  std::string s = "component-type:";
  s.append(resolve.worlds[world].name);
  return s;
}

std::string component_type_link_symbol(const wit::Resolve& resolve, wit::WorldId world) {
  std::string s = "__component_type_object_force_link_";
  for (char ch : resolve.worlds[world].name) s.push_back(ch == '-' ? '_' : ch);
  return s;
}

}  // namespace witc::compose
