// Reading a component: the preamble, the section loop and the decoders of the
// definitions other than types (Binary.md).
#include "component_read.h"
#include "witc/bin/code_reader.h"

namespace witc::bin {

namespace detail {

namespace {

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
constexpr uint8_t kComponentVersion[4] = {0x0d, 0x00, 0x01, 0x00};
constexpr uint8_t kModuleVersion[4] = {0x01, 0x00, 0x00, 0x00};

Diagnostic at_end_of(const Cursor& c) {
  return Diagnostic::at_offset(c.offset_of(c.data_end()), c.eof().message);
}

}  // namespace

Expected<std::string> ComponentDecoder::name() {
  WITC_TRY_VAL(std::string_view s, c_.name());
  return std::string(s);
}

Expected<ExternName> ComponentDecoder::extern_name() {
  ExternName n;
  n.offset = c_.offset();
  const uint8_t* at = c_.pos();
  WITC_ASSIGN(n.form, c_.u8());
  if (n.form > 2) return fail(bad_byte(at, n.form, "component name"));
  WITC_ASSIGN(n.name, name());
  if (n.form == 2) {
    WITC_TRY_VAL(uint32_t k, count("name attributes", component_limits::kAttributes));
    for (uint32_t i = 0; i < k; ++i) {
      const uint8_t* kat = c_.pos();
      WITC_TRY_VAL(uint8_t kind, c_.u8());
      if (kind > 2) return fail(bad_byte(kat, kind, "name option"));
      NameAttribute a;
      a.kind = static_cast<NameAttribute::Kind>(kind);
      WITC_ASSIGN(a.value, name());
      n.attributes.push_back(std::move(a));
    }
  }
  return n;
}

Expected<Sort> ComponentDecoder::core_sort() {
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t b, c_.u8());
  switch (b) {
    case 0x00: return Sort::CoreFunc;
    case 0x01: return Sort::CoreTable;
    case 0x02: return Sort::CoreMemory;
    case 0x03: return Sort::CoreGlobal;
    case 0x04: return Sort::CoreTag;
    case 0x10: return Sort::CoreType;
    case 0x11: return Sort::CoreModule;
    case 0x12: return Sort::CoreInstance;
    default: return fail(bad_byte(at, b, "core sort"));
  }
}

Expected<Sort> ComponentDecoder::sort() {
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t b, c_.u8());
  switch (b) {
    case 0x00: return core_sort();
    case 0x01: return Sort::Func;
    case 0x02: return Sort::Value;
    case 0x03: return Sort::Type;
    case 0x04: return Sort::Component;
    case 0x05: return Sort::Instance;
    default: return fail(bad_byte(at, b, "component sort"));
  }
}

Expected<SortIdx> ComponentDecoder::sort_idx() {
  SortIdx s;
  WITC_ASSIGN(s.sort, sort());
  WITC_ASSIGN(s.index, c_.u32());
  return s;
}

Expected<bool> ComponentDecoder::flag() {
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t b, c_.u8());
  if (b > 1) return fail(c_.error_at(at, fmt::format("invalid boolean value ({:#x})", b)));
  return b == 1;
}

Expected<ExternDesc> ComponentDecoder::extern_desc() {
  ExternDesc d;
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t k, c_.u8());
  switch (k) {
    case 0x00: {
      const uint8_t* mat = c_.pos();
      WITC_TRY_VAL(uint8_t m, c_.u8());
      if (m != 0x11) return fail(bad_byte(mat, m, "component external kind"));
      d.kind = ExternDesc::Kind::Module;
      WITC_ASSIGN(d.index, c_.u32());
      return d;
    }
    case 0x01:
    case 0x04:
    case 0x05:
      d.kind = static_cast<ExternDesc::Kind>(k);
      WITC_ASSIGN(d.index, c_.u32());
      return d;
    case 0x02: {
      d.kind = ExternDesc::Kind::Value;
      const uint8_t* bat = c_.pos();
      WITC_TRY_VAL(uint8_t b, c_.u8());
      if (b == 0x00) {
        d.bound = ExternDesc::Bound::Eq;
        WITC_ASSIGN(d.index, c_.u32());
      } else if (b == 0x01) {
        d.bound = ExternDesc::Bound::SubResource;  // a value type bound
        WITC_ASSIGN(d.value_type, valtype());
      } else {
        return fail(bad_byte(bat, b, "value bound"));
      }
      return d;
    }
    case 0x03: {
      d.kind = ExternDesc::Kind::Type;
      const uint8_t* bat = c_.pos();
      WITC_TRY_VAL(uint8_t b, c_.u8());
      if (b == 0x00) {
        d.bound = ExternDesc::Bound::Eq;
        WITC_ASSIGN(d.index, c_.u32());
      } else if (b == 0x01) {
        d.bound = ExternDesc::Bound::SubResource;
      } else {
        return fail(bad_byte(bat, b, "type bound"));
      }
      return d;
    }
    default: return fail(bad_byte(at, k, "component external kind"));
  }
}

Expected<AliasDef> ComponentDecoder::alias() {
  AliasDef a;
  a.offset = c_.offset();
  WITC_ASSIGN(a.sort, sort());
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t k, c_.u8());
  switch (k) {
    case 0x00:
    case 0x01:
      a.kind = static_cast<AliasDef::Kind>(k);
      if (k == 0x01 && !is_core(a.sort)) return fail(bad_byte(at, k, "alias target"));
      WITC_ASSIGN(a.instance, c_.u32());
      WITC_ASSIGN(a.name, name());
      return a;
    case 0x02:
      a.kind = AliasDef::Kind::Outer;
      if (a.sort != Sort::CoreModule && a.sort != Sort::CoreType && a.sort != Sort::Type &&
          a.sort != Sort::Component) {
        // Re-read the sort byte(s) for the message.
        const uint8_t* s = at - 1;
        return fail(bad_byte(s, *s, "component outer alias kind"));
      }
      WITC_ASSIGN(a.outer_count, c_.u32());
      WITC_ASSIGN(a.outer_index, c_.u32());
      return a;
    default: return fail(bad_byte(at, k, "alias"));
  }
}

Expected<std::vector<CanonOpt>> ComponentDecoder::canon_opts() {
  WITC_TRY_VAL(uint32_t n, count("canonical options", component_limits::kCanonOptions));
  std::vector<CanonOpt> opts;
  opts.reserve(c_.capacity_for(n));
  for (uint32_t i = 0; i < n; ++i) {
    CanonOpt o;
    o.offset = c_.offset();
    const uint8_t* at = c_.pos();
    WITC_TRY_VAL(uint8_t k, c_.u8());
    if (k > 7) return fail(bad_byte(at, k, "canonical option"));
    o.kind = static_cast<CanonOpt::Kind>(k);
    if (k == 3 || k == 4 || k == 5 || k == 7) WITC_ASSIGN(o.index, c_.u32());
    opts.push_back(o);
  }
  return opts;
}

Expected<std::optional<ValueTypeRef>> ComponentDecoder::result_list() {
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t b, c_.u8());
  if (b == 0x00) {
    WITC_TRY_VAL(ValueTypeRef t, valtype());
    return std::optional<ValueTypeRef>(t);
  }
  if (b != 0x01) return fail(bad_byte(at, b, "component function results"));
  const uint8_t* zat = c_.pos();
  WITC_TRY_VAL(uint8_t z, c_.u8());
  if (z != 0x00) return fail(bad_byte(zat, z, "number of results"));
  return std::optional<ValueTypeRef>();
}

Expected<CanonDef> ComponentDecoder::canon() {
  CanonDef d;
  d.offset = c_.offset();
  const uint8_t* at = c_.pos();
  WITC_TRY_VAL(uint8_t op, c_.u8());
  if (!is_canon_code(op)) return fail(bad_byte(at, op, "canonical function"));
  d.kind = static_cast<CanonKind>(op);
  auto sort_zero = [&](std::string_view what) -> Expected<void> {
    const uint8_t* zat = c_.pos();
    WITC_TRY_VAL(uint8_t z, c_.u8());
    if (z != 0x00) return fail(bad_byte(zat, z, what));
    return {};
  };
  switch (d.kind) {
    case CanonKind::Lift:
      WITC_TRY(sort_zero("canonical function lift"));
      WITC_ASSIGN(d.func, c_.u32());
      WITC_ASSIGN(d.opts, canon_opts());
      WITC_ASSIGN(d.type, c_.u32());
      break;
    case CanonKind::Lower:
      WITC_TRY(sort_zero("canonical function lower"));
      WITC_ASSIGN(d.func, c_.u32());
      WITC_ASSIGN(d.opts, canon_opts());
      break;
    case CanonKind::ResourceNew:
    case CanonKind::ResourceDrop:
    case CanonKind::ResourceRep:
    case CanonKind::StreamNew:
    case CanonKind::StreamDropReadable:
    case CanonKind::StreamDropWritable:
    case CanonKind::FutureNew:
    case CanonKind::FutureDropReadable:
    case CanonKind::FutureDropWritable:
      WITC_ASSIGN(d.type, c_.u32());
      break;
    case CanonKind::StreamRead:
    case CanonKind::StreamWrite:
    case CanonKind::FutureRead:
    case CanonKind::FutureWrite:
      WITC_ASSIGN(d.type, c_.u32());
      WITC_ASSIGN(d.opts, canon_opts());
      break;
    case CanonKind::StreamCancelRead:
    case CanonKind::StreamCancelWrite:
    case CanonKind::FutureCancelRead:
    case CanonKind::FutureCancelWrite:
      WITC_ASSIGN(d.type, c_.u32());
      WITC_ASSIGN(d.flag, flag());
      break;
    case CanonKind::TaskReturn:
      WITC_ASSIGN(d.result, result_list());
      WITC_ASSIGN(d.opts, canon_opts());
      break;
    case CanonKind::ContextGet:
    case CanonKind::ContextSet:
      WITC_ASSIGN(d.core_type, read_valtype(c_, Features()));
      WITC_ASSIGN(d.index, c_.u32());
      break;
    case CanonKind::SubtaskCancel:
    case CanonKind::ThreadYield:
    case CanonKind::ThreadSuspend:
    case CanonKind::ThreadSuspendThenResume:
    case CanonKind::ThreadYieldThenResume:
    case CanonKind::ThreadSuspendThenPromote:
    case CanonKind::ThreadYieldThenPromote:
    case CanonKind::ThreadAvailableParallelism:
      WITC_ASSIGN(d.flag, flag());
      break;
    case CanonKind::ErrorContextNew:
    case CanonKind::ErrorContextDebugMessage:
      WITC_ASSIGN(d.opts, canon_opts());
      break;
    case CanonKind::WaitableSetWait:
    case CanonKind::WaitableSetPoll:
      WITC_ASSIGN(d.flag, flag());
      WITC_ASSIGN(d.memory, c_.u32());
      break;
    case CanonKind::ThreadNewIndirect:
      WITC_ASSIGN(d.type, c_.u32());
      WITC_ASSIGN(d.table, c_.u32());
      break;
    case CanonKind::ThreadSpawnRef:
      WITC_ASSIGN(d.flag, flag());
      WITC_ASSIGN(d.type, c_.u32());
      break;
    case CanonKind::ThreadSpawnIndirect:
      WITC_ASSIGN(d.flag, flag());
      WITC_ASSIGN(d.type, c_.u32());
      WITC_ASSIGN(d.table, c_.u32());
      break;
    case CanonKind::TaskCancel:
    case CanonKind::SubtaskDrop:
    case CanonKind::ErrorContextDrop:
    case CanonKind::WaitableSetNew:
    case CanonKind::WaitableSetDrop:
    case CanonKind::WaitableJoin:
    case CanonKind::BackpressureInc:
    case CanonKind::BackpressureDec:
    case CanonKind::ThreadIndex:
    case CanonKind::ThreadResumeLater: break;
  }
  return d;
}

// --- sections -----------------------------------------------------------------------

Expected<void> ComponentDecoder::core_modules() {
  // The section holds one module; only its preamble is checked here.
  CoreModuleDef m;
  m.offset = c_.offset();
  const uint8_t* start = c_.pos();
  if (c_.remaining() < 8) return fail(at_end_of(c_));
  if (!std::equal(kMagic, kMagic + 4, start)) return fail(c_.error("magic header not detected"));
  if (!std::equal(kModuleVersion, kModuleVersion + 4, start + 4)) {
    bool component = std::equal(kComponentVersion, kComponentVersion + 4, start + 4);
    return fail(c_.error_at(start + 4, component ? std::string("expected a version header for a module")
                                                  : unknown_version_message(start + 4)));
  }
  WITC_TRY_VAL(auto bytes, c_.bytes(c_.remaining()));
  m.bytes = range_of(comp_, bytes);
  comp_.core_modules.push_back(m);
  return {};
}

Expected<void> ComponentDecoder::core_instances() {
  WITC_TRY_VAL(uint32_t n, count("core instances", component_limits::kItems));
  comp_.core_instances.reserve(comp_.core_instances.size() + c_.capacity_for(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    CoreInstanceDef d;
    d.offset = c_.offset();
    const uint8_t* at = c_.pos();
    WITC_TRY_VAL(uint8_t k, c_.u8());
    if (k == 0x00) {
      d.kind = CoreInstanceDef::Kind::Instantiate;
      WITC_TRY_VAL(uint32_t m, c_.u32());
      d.module = CoreModuleIdx(m);
      WITC_TRY_VAL(uint32_t na, count("instantiation arguments"));
      d.args.reserve(c_.capacity_for(na, 3));
      for (uint32_t j = 0; j < na; ++j) {
        CoreInstantiateArg a;
        a.offset = c_.offset();
        WITC_ASSIGN(a.name, name());
        const uint8_t* sat = c_.pos();
        WITC_TRY_VAL(uint8_t s, c_.u8());
        if (s != 0x12) return fail(bad_byte(sat, s, "instantiation arg kind"));
        WITC_TRY_VAL(uint32_t inst, c_.u32());
        a.instance = CoreInstanceIdx(inst);
        d.args.push_back(std::move(a));
      }
    } else if (k == 0x01) {
      d.kind = CoreInstanceDef::Kind::Exports;
      WITC_TRY_VAL(uint32_t ne, count("core instance exports"));
      d.exports.reserve(c_.capacity_for(ne, 3));
      for (uint32_t j = 0; j < ne; ++j) {
        CoreInlineExport e;
        e.offset = c_.offset();
        WITC_ASSIGN(e.name, name());
        WITC_ASSIGN(e.item.sort, core_sort());
        WITC_ASSIGN(e.item.index, c_.u32());
        d.exports.push_back(std::move(e));
      }
    } else {
      return fail(bad_byte(at, k, "core instance"));
    }
    comp_.core_instances.push_back(std::move(d));
  }
  return {};
}

Expected<void> ComponentDecoder::core_types() {
  WITC_TRY_VAL(uint32_t n, count("core types", component_limits::kItems));
  comp_.core_types.reserve(comp_.core_types.size() + c_.capacity_for(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    WITC_TRY_VAL(CoreTypeDef t, core_type(depth_));
    comp_.core_types.push_back(std::move(t));
  }
  return {};
}

Expected<void> ComponentDecoder::nested_component() {
  if (depth_ + 1 >= component_limits::kNesting) {
    return fail(c_.error("components are nested too deeply"));
  }
  Component child;
  child.storage = comp_.storage;
  child.offset = c_.offset();
  WITC_TRY_VAL(auto bytes, c_.bytes(c_.remaining()));
  Cursor sub(bytes, child.offset, true);
  WITC_TRY(read_component_body(child, sub, depth_ + 1));
  comp_.components.push_back(std::move(child));
  return {};
}

Expected<void> ComponentDecoder::instances() {
  WITC_TRY_VAL(uint32_t n, count("instances", component_limits::kItems));
  comp_.instances.reserve(comp_.instances.size() + c_.capacity_for(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    InstanceDef d;
    d.offset = c_.offset();
    const uint8_t* at = c_.pos();
    WITC_TRY_VAL(uint8_t k, c_.u8());
    if (k == 0x00) {
      d.kind = InstanceDef::Kind::Instantiate;
      WITC_TRY_VAL(uint32_t ci, c_.u32());
      d.component = ComponentIdx(ci);
      WITC_TRY_VAL(uint32_t na, count("instantiation arguments"));
      d.args.reserve(c_.capacity_for(na, 3));
      for (uint32_t j = 0; j < na; ++j) {
        InstantiateArg a;
        a.offset = c_.offset();
        WITC_ASSIGN(a.name, name());
        WITC_ASSIGN(a.item, sort_idx());
        d.args.push_back(std::move(a));
      }
    } else if (k == 0x01) {
      d.kind = InstanceDef::Kind::Exports;
      WITC_TRY_VAL(uint32_t ne, count("instance exports"));
      d.exports.reserve(c_.capacity_for(ne, 4));
      for (uint32_t j = 0; j < ne; ++j) {
        InlineExport e;
        e.offset = c_.offset();
        WITC_ASSIGN(e.name, extern_name());
        WITC_ASSIGN(e.item, sort_idx());
        d.exports.push_back(std::move(e));
      }
    } else {
      return fail(bad_byte(at, k, "instance"));
    }
    comp_.instances.push_back(std::move(d));
  }
  return {};
}

Expected<void> ComponentDecoder::aliases() {
  WITC_TRY_VAL(uint32_t n, count("aliases", component_limits::kItems));
  comp_.aliases.reserve(comp_.aliases.size() + c_.capacity_for(n, 3));
  for (uint32_t i = 0; i < n; ++i) {
    WITC_TRY_VAL(AliasDef a, alias());
    comp_.aliases.push_back(std::move(a));
  }
  return {};
}

Expected<void> ComponentDecoder::types() {
  WITC_TRY_VAL(uint32_t n, count("types", component_limits::kItems));
  comp_.types.reserve(comp_.types.size() + c_.capacity_for(n));
  for (uint32_t i = 0; i < n; ++i) {
    WITC_TRY_VAL(TypeDef t, type(depth_));
    comp_.types.push_back(std::move(t));
  }
  return {};
}

Expected<void> ComponentDecoder::canons() {
  WITC_TRY_VAL(uint32_t n, count("canonical functions", component_limits::kItems));
  comp_.canons.reserve(comp_.canons.size() + c_.capacity_for(n));
  for (uint32_t i = 0; i < n; ++i) {
    WITC_TRY_VAL(CanonDef d, canon());
    comp_.canons.push_back(std::move(d));
  }
  return {};
}

Expected<void> ComponentDecoder::start() {
  StartDef s;
  s.offset = c_.offset();
  WITC_TRY_VAL(uint32_t f, c_.u32());
  s.func = ComponentFuncIdx(f);
  WITC_TRY_VAL(uint32_t na, count("start arguments"));
  s.args.reserve(c_.capacity_for(na));
  for (uint32_t i = 0; i < na; ++i) {
    WITC_TRY_VAL(uint32_t v, c_.u32());
    s.args.push_back(ValueIdx(v));
  }
  WITC_ASSIGN(s.results, c_.u32());
  comp_.starts.push_back(std::move(s));
  return {};
}

Expected<void> ComponentDecoder::imports() {
  WITC_TRY_VAL(uint32_t n, count("imports", component_limits::kItems));
  comp_.imports.reserve(comp_.imports.size() + c_.capacity_for(n, 4));
  for (uint32_t i = 0; i < n; ++i) {
    ImportDef d;
    d.offset = c_.offset();
    WITC_ASSIGN(d.name, extern_name());
    WITC_ASSIGN(d.desc, extern_desc());
    comp_.imports.push_back(std::move(d));
  }
  return {};
}

Expected<void> ComponentDecoder::exports() {
  WITC_TRY_VAL(uint32_t n, count("exports", component_limits::kItems));
  comp_.exports.reserve(comp_.exports.size() + c_.capacity_for(n, 5));
  for (uint32_t i = 0; i < n; ++i) {
    ExportDef d;
    d.offset = c_.offset();
    WITC_ASSIGN(d.name, extern_name());
    WITC_ASSIGN(d.item, sort_idx());
    const uint8_t* at = c_.pos();
    WITC_TRY_VAL(uint8_t has, c_.u8());
    if (has == 0x01) {
      WITC_TRY_VAL(ExternDesc t, extern_desc());
      d.ascribed = t;
    } else if (has != 0x00) {
      return fail(bad_byte(at, has, "optional component export type"));
    }
    comp_.exports.push_back(std::move(d));
  }
  return {};
}

Expected<void> ComponentDecoder::values() {
  WITC_TRY_VAL(uint32_t n, count("values", component_limits::kItems));
  comp_.values.reserve(comp_.values.size() + c_.capacity_for(n, 2));
  for (uint32_t i = 0; i < n; ++i) {
    ValueDef v;
    v.offset = c_.offset();
    WITC_ASSIGN(v.type, valtype());
    const uint8_t* at = c_.pos();
    WITC_TRY_VAL(uint32_t len, c_.u32());
    if (len > c_.remaining()) return fail(c_.error_at(at, "length out of bounds"));
    WITC_TRY_VAL(auto bytes, c_.bytes(len));
    v.bytes = range_of(comp_, bytes);
    comp_.values.push_back(v);
  }
  return {};
}

Expected<void> ComponentDecoder::custom() {
  ComponentCustom cs;
  WITC_ASSIGN(cs.name, name());
  WITC_TRY_VAL(auto data, c_.bytes(c_.remaining()));
  cs.data = range_of(comp_, data);
  comp_.customs.push_back(std::move(cs));
  return {};
}

Expected<void> ComponentDecoder::section(ComponentSectionId id) {
  switch (id) {
    case ComponentSectionId::Custom: return custom();
    case ComponentSectionId::CoreModule: return core_modules();
    case ComponentSectionId::CoreInstance: return core_instances();
    case ComponentSectionId::CoreType: return core_types();
    case ComponentSectionId::Component: return nested_component();
    case ComponentSectionId::Instance: return instances();
    case ComponentSectionId::Alias: return aliases();
    case ComponentSectionId::Type: return types();
    case ComponentSectionId::Canon: return canons();
    case ComponentSectionId::Start: return start();
    case ComponentSectionId::Import: return imports();
    case ComponentSectionId::Export: return exports();
    case ComponentSectionId::Value: return values();
  }
  return fail(c_.error("malformed section id"));
}

// Number of items a section of this kind appended.
static size_t item_count(const Component& comp, ComponentSectionId id) {
  switch (id) {
    case ComponentSectionId::Custom: return comp.customs.size();
    case ComponentSectionId::CoreModule: return comp.core_modules.size();
    case ComponentSectionId::CoreInstance: return comp.core_instances.size();
    case ComponentSectionId::CoreType: return comp.core_types.size();
    case ComponentSectionId::Component: return comp.components.size();
    case ComponentSectionId::Instance: return comp.instances.size();
    case ComponentSectionId::Alias: return comp.aliases.size();
    case ComponentSectionId::Type: return comp.types.size();
    case ComponentSectionId::Canon: return comp.canons.size();
    case ComponentSectionId::Start: return comp.starts.size();
    case ComponentSectionId::Import: return comp.imports.size();
    case ComponentSectionId::Export: return comp.exports.size();
    case ComponentSectionId::Value: return comp.values.size();
  }
  return 0;
}

Expected<void> read_component_section(Component& comp, ComponentSectionId id, Cursor& c,
                                      unsigned depth) {
  ComponentDecoder d(comp, c, depth);
  WITC_TRY(d.section(id));
  if (!c.at_end()) return fail(c.error("section size mismatch"));
  return {};
}

Expected<void> read_component_body(Component& comp, Cursor& c, unsigned depth) {
  if (c.remaining() < 4) return fail(at_end_of(c));
  if (!std::equal(kMagic, kMagic + 4, c.pos())) return fail(c.error("magic header not detected"));
  c.bytes(4);
  if (c.remaining() < 4) return fail(at_end_of(c));
  if (!std::equal(kComponentVersion, kComponentVersion + 4, c.pos())) {
    bool module = std::equal(kModuleVersion, kModuleVersion + 4, c.pos());
    return fail(c.error(module && depth > 0 ? std::string("expected a version header for a component")
                                             : unknown_version_message(c.pos())));
  }
  c.bytes(4);
  while (!c.at_end()) {
    if (comp.sections.size() >= component_limits::kSections) {
      return fail(c.error("too many sections"));
    }
    const uint8_t* start = c.pos();
    uint64_t start_offset = c.offset();
    WITC_TRY_VAL(uint8_t id, c.u8());
    if (id >= kComponentSectionIds) return fail(c.error_at(start, "malformed section id"));
    WITC_TRY_VAL(uint32_t size, c.u32());
    if (size > c.remaining()) return fail(c.error_at(start, "length out of bounds"));
    WITC_TRY_VAL(Cursor body, c.sub(size));
    auto sid = static_cast<ComponentSectionId>(id);
    ComponentSection s;
    s.id = sid;
    s.offset = start_offset;
    s.raw = ByteRange{static_cast<uint32_t>(start - comp.storage->data()),
                      static_cast<uint32_t>(c.pos() - start)};
    size_t before = item_count(comp, sid);
    if (auto r = read_component_section(comp, sid, body, depth); !r) {
      return fail(std::move(r.error())
                      .with_context(fmt::format("in component section {} ({})", id,
                                                component_section_name(sid))));
    }
    s.first = static_cast<uint32_t>(before);
    s.count = static_cast<uint32_t>(item_count(comp, sid) - before);
    if (sid == ComponentSectionId::Custom) comp.customs.back().offset = start_offset;
    comp.sections.push_back(s);
  }
  return {};
}

}  // namespace detail

Expected<Component> read_component(std::vector<uint8_t>&& bytes, uint64_t base) {
  Component comp;
  comp.storage = std::make_shared<std::vector<uint8_t>>(std::move(bytes));
  comp.offset = base;
  Cursor c(*comp.storage, base, true);
  WITC_TRY(detail::read_component_body(comp, c, 0));
  return comp;
}

Expected<Component> read_component(std::span<const uint8_t> bytes, uint64_t base) {
  return read_component(std::vector<uint8_t>(bytes.begin(), bytes.end()), base);
}

std::string_view component_section_name(ComponentSectionId id) {
  static constexpr std::string_view kNames[kComponentSectionIds] = {
      "custom", "core module", "core instance", "core type", "component", "instance", "alias",
      "type",   "canon",       "start",         "import",    "export",    "value"};
  auto i = static_cast<size_t>(id);
  return i < kComponentSectionIds ? kNames[i] : "unknown";
}

ByteRange Component::add_bytes(std::span<const uint8_t> b) {
  ByteRange r{static_cast<uint32_t>(storage->size()), static_cast<uint32_t>(b.size())};
  storage->insert(storage->end(), b.begin(), b.end());
  return r;
}

}  // namespace witc::bin
