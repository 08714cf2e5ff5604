// CompBuilder: a component written item by item (new_internal.h).
#include "encode_util.h"
#include "new_internal.h"

namespace witc::compose::detail {

namespace {

bin::Sort sort_of(bin::ExternDesc::Kind k) {
  using K = bin::ExternDesc::Kind;
  switch (k) {
    case K::Module: return bin::Sort::CoreModule;
    case K::Func: return bin::Sort::Func;
    case K::Value: return bin::Sort::Value;
    case K::Type: return bin::Sort::Type;
    case K::Component: return bin::Sort::Component;
    case K::Instance: return bin::Sort::Instance;
  }
  return bin::Sort::Func;
}

}  // namespace

bin::ExternDesc extern_desc(bin::ExternDesc::Kind kind, uint32_t index) {
  bin::ExternDesc d;
  d.kind = kind;
  d.index = index;
  return d;
}

bin::CoreInlineExport core_export(std::string name, bin::Sort sort, uint32_t index) {
  bin::CoreInlineExport e;
  e.name = std::move(name);
  e.item = {sort, index};
  return e;
}

void CompBuilder::section(bin::ComponentSectionId id, size_t index) {
  auto& secs = c.sections;
  bool single = id == bin::ComponentSectionId::Component || id == bin::ComponentSectionId::CoreModule ||
                id == bin::ComponentSectionId::Custom;
  if (!single && !secs.empty() && secs.back().id == id && secs.back().first + secs.back().count == index) {
    ++secs.back().count;
    return;
  }
  secs.push_back({id, static_cast<uint32_t>(index), 1, std::nullopt, 0});
}

uint32_t CompBuilder::add(bin::Declarator d) {
  switch (d.kind) {
    case bin::Declarator::Kind::Type: return type(std::move(*d.type));
    case bin::Declarator::Kind::Alias: return alias(std::move(d.alias));
    case bin::Declarator::Kind::Import: {
      bin::ImportDef im;
      im.name = std::move(d.name);
      im.desc = d.desc;
      c.imports.push_back(std::move(im));
      section(bin::ComponentSectionId::Import, c.imports.size() - 1);
      return next(sort_of(d.desc.kind));
    }
    case bin::Declarator::Kind::Export:
    case bin::Declarator::Kind::CoreType: break;
  }
  // TypeBuilder writes neither at the top level of a component.
  return UINT32_MAX;
}

uint32_t CompBuilder::type(bin::TypeDef t) {
  c.types.push_back(std::move(t));
  section(bin::ComponentSectionId::Type, c.types.size() - 1);
  return next(bin::Sort::Type);
}

uint32_t CompBuilder::import(std::string name, bin::ExternDesc desc) {
  return import(plain_name(std::move(name)), desc);
}

uint32_t CompBuilder::import(bin::ExternName name, bin::ExternDesc desc) {
  bin::Declarator d;
  d.kind = bin::Declarator::Kind::Import;
  d.name = std::move(name);
  d.desc = desc;
  return add(std::move(d));
}

uint32_t CompBuilder::alias(bin::AliasDef a) {
  bin::Sort s = a.sort;
  c.aliases.push_back(std::move(a));
  section(bin::ComponentSectionId::Alias, c.aliases.size() - 1);
  return next(s);
}

uint32_t CompBuilder::alias_export(uint32_t instance, std::string name, bin::Sort sort) {
  bin::AliasDef a;
  a.kind = bin::AliasDef::Kind::InstanceExport;
  a.sort = sort;
  a.instance = instance;
  a.name = std::move(name);
  return alias(std::move(a));
}

uint32_t CompBuilder::alias_core_export(uint32_t core_instance, std::string name, bin::Sort sort) {
  bin::AliasDef a;
  a.kind = bin::AliasDef::Kind::CoreInstanceExport;
  a.sort = sort;
  a.instance = core_instance;
  a.name = std::move(name);
  return alias(std::move(a));
}

uint32_t CompBuilder::core_module(std::span<const uint8_t> bytes) {
  bin::CoreModuleDef m;
  m.bytes = c.add_bytes(bytes);
  c.core_modules.push_back(m);
  section(bin::ComponentSectionId::CoreModule, c.core_modules.size() - 1);
  return next(bin::Sort::CoreModule);
}

uint32_t CompBuilder::core_instantiate(uint32_t module, std::vector<std::pair<std::string, uint32_t>> args) {
  bin::CoreInstanceDef inst;
  inst.kind = bin::CoreInstanceDef::Kind::Instantiate;
  inst.module = bin::CoreModuleIdx(module);
  for (auto& [name, instance] : args) {
    bin::CoreInstantiateArg a;
    a.name = std::move(name);
    a.instance = bin::CoreInstanceIdx(instance);
    inst.args.push_back(std::move(a));
  }
  c.core_instances.push_back(std::move(inst));
  section(bin::ComponentSectionId::CoreInstance, c.core_instances.size() - 1);
  return next(bin::Sort::CoreInstance);
}

uint32_t CompBuilder::core_instance_of(std::vector<bin::CoreInlineExport> exports) {
  bin::CoreInstanceDef inst;
  inst.kind = bin::CoreInstanceDef::Kind::Exports;
  inst.exports = std::move(exports);
  c.core_instances.push_back(std::move(inst));
  section(bin::ComponentSectionId::CoreInstance, c.core_instances.size() - 1);
  return next(bin::Sort::CoreInstance);
}

uint32_t CompBuilder::canon(bin::CanonDef d) {
  bool lift = d.kind == bin::CanonKind::Lift;
  c.canons.push_back(std::move(d));
  section(bin::ComponentSectionId::Canon, c.canons.size() - 1);
  return next(lift ? bin::Sort::Func : bin::Sort::CoreFunc);
}

uint32_t CompBuilder::component(bin::Component nested) {
  c.components.push_back(std::move(nested));
  section(bin::ComponentSectionId::Component, c.components.size() - 1);
  return next(bin::Sort::Component);
}

uint32_t CompBuilder::instantiate(uint32_t component, std::vector<bin::InstantiateArg> args) {
  bin::InstanceDef inst;
  inst.kind = bin::InstanceDef::Kind::Instantiate;
  inst.component = bin::ComponentIdx(component);
  inst.args = std::move(args);
  c.instances.push_back(std::move(inst));
  section(bin::ComponentSectionId::Instance, c.instances.size() - 1);
  return next(bin::Sort::Instance);
}

uint32_t CompBuilder::export_item(std::string name, bin::SortIdx item, std::optional<bin::ExternDesc> ascribed) {
  return export_item(plain_name(std::move(name)), item, ascribed);
}

uint32_t CompBuilder::export_item(bin::ExternName name, bin::SortIdx item, std::optional<bin::ExternDesc> ascribed) {
  bin::ExportDef e;
  e.name = std::move(name);
  e.item = item;
  e.ascribed = ascribed;
  c.exports.push_back(std::move(e));
  section(bin::ComponentSectionId::Export, c.exports.size() - 1);
  return next(item.sort);
}

void CompBuilder::custom(std::string name, const std::vector<uint8_t>& data) { add_custom(c, std::move(name), data); }

}  // namespace witc::compose::detail
