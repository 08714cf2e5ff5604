// WIT worlds as graph packages (graph.h `add_world_package`).
#include <fmt/format.h>

#include "witc/base/try.h"
#include "witc/bin/component_reader.h"
#include "witc/composer/encode.h"
#include "witc/composer/graph.h"

namespace witc::compose {

Expected<PackageId> add_world_package(Graph& g, std::string name, const wit::Resolve& resolve, wit::WorldId world) {
  WITC_TRY_VAL(bin::TypeDef def, world_component_type(resolve, world));
  // (component (type (component <the world>)) (export "world" (type 0))),
  // validated so that its type can be read back.
  bin::Component c;
  c.types.push_back(std::move(def));
  c.sections.push_back({bin::ComponentSectionId::Type, 0, 1, std::nullopt, 0});
  bin::ExportDef e;
  e.name.name = "world";
  e.item = {bin::Sort::Type, 0};
  c.exports.push_back(std::move(e));
  c.sections.push_back({bin::ComponentSectionId::Export, 0, 1, std::nullopt, 0});
  std::vector<uint8_t> bytes = bin::write_component(c);
  auto read = bin::read_component(bytes);
  if (!read) return fail(std::move(read.error()).with_context(fmt::format("failed to encode the world of `{}`", name)));
  auto info = bin::validate_component(*read, bin::ComponentFeatures::all());
  if (!info) return fail(std::move(info.error()).with_context(fmt::format("the world of `{}` is not valid", name)));
  const bin::EntityType* t = info->component().exports.find("world");
  if (!t) return fail(Diagnostic::plain("internal error: the world's type is not exported"));
  return g.add_package_type(std::move(name), info->types, info->types.definition(t->type));
}

}  // namespace witc::compose
