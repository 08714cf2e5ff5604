// Encoding a component (Binary.md), keeping original section bytes when they
// still say the same thing.
#include "component_codec.h"
#include "witc/bin/component_reader.h"
#include "witc/bin/cursor.h"

namespace witc::bin {

namespace detail {

namespace {

using Bytes = std::vector<uint8_t>;

class Encoder {
 public:
  Encoder(const Component& comp, Bytes& out) : comp_(comp), out_(out) {}

  void section(const ComponentSection& s) {
    uint32_t first = s.first, end = s.first + s.count;
    switch (s.id) {
      case ComponentSectionId::Custom: {
        const auto& cs = comp_.customs.at(first);
        name(cs.name);
        raw(comp_.bytes(cs.data));
        break;
      }
      case ComponentSectionId::CoreModule:
        raw(comp_.core_module_bytes(comp_.core_modules.at(first)));
        break;
      case ComponentSectionId::CoreInstance:
        u32(s.count);
        for (uint32_t i = first; i < end; ++i) core_instance(comp_.core_instances.at(i));
        break;
      case ComponentSectionId::CoreType:
        u32(s.count);
        for (uint32_t i = first; i < end; ++i) core_type(comp_.core_types.at(i));
        break;
      case ComponentSectionId::Component: {
        Bytes child = write_component(comp_.components.at(first));
        out_.insert(out_.end(), child.begin(), child.end());
        break;
      }
      case ComponentSectionId::Instance:
        u32(s.count);
        for (uint32_t i = first; i < end; ++i) instance(comp_.instances.at(i));
        break;
      case ComponentSectionId::Alias:
        u32(s.count);
        for (uint32_t i = first; i < end; ++i) alias(comp_.aliases.at(i));
        break;
      case ComponentSectionId::Type:
        u32(s.count);
        for (uint32_t i = first; i < end; ++i) type(comp_.types.at(i));
        break;
      case ComponentSectionId::Canon:
        u32(s.count);
        for (uint32_t i = first; i < end; ++i) canon(comp_.canons.at(i));
        break;
      case ComponentSectionId::Start: {
        const auto& st = comp_.starts.at(first);
        u32(st.func.index);
        u32(st.args.size());
        for (auto v : st.args) u32(v.index);
        u32(st.results);
        break;
      }
      case ComponentSectionId::Import:
        u32(s.count);
        for (uint32_t i = first; i < end; ++i) {
          extern_name(comp_.imports.at(i).name);
          extern_desc(comp_.imports.at(i).desc);
        }
        break;
      case ComponentSectionId::Export:
        u32(s.count);
        for (uint32_t i = first; i < end; ++i) {
          const auto& e = comp_.exports.at(i);
          extern_name(e.name);
          sort_idx(e.item);
          if (e.ascribed) {
            byte(0x01);
            extern_desc(*e.ascribed);
          } else {
            byte(0x00);
          }
        }
        break;
      case ComponentSectionId::Value:
        u32(s.count);
        for (uint32_t i = first; i < end; ++i) {
          const auto& v = comp_.values.at(i);
          valtype(v.type);
          u32(v.bytes.size);
          raw(comp_.bytes(v.bytes));
        }
        break;
    }
  }

 private:
  void byte(uint8_t b) { out_.push_back(b); }
  void u32(uint64_t v) { write_uleb(out_, v); }
  void raw(std::span<const uint8_t> b) { out_.insert(out_.end(), b.begin(), b.end()); }
  void name(const std::string& s) {
    u32(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }

  void core_sort(Sort s) {
    static constexpr uint8_t kCodes[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x12};
    byte(kCodes[static_cast<size_t>(s)]);
  }
  void sort(Sort s) {
    if (is_core(s)) {
      byte(0x00);
      core_sort(s);
      return;
    }
    byte(static_cast<uint8_t>(static_cast<unsigned>(s) - static_cast<unsigned>(Sort::Func) + 1));
  }
  void sort_idx(const SortIdx& s) {
    sort(s.sort);
    u32(s.index);
  }
  void extern_name(const ExternName& n) {
    byte(n.form);
    name(n.name);
    if (n.form == 2) {
      u32(n.attributes.size());
      for (const auto& a : n.attributes) {
        byte(static_cast<uint8_t>(a.kind));
        name(a.value);
      }
    }
  }
  void valtype(const ValueTypeRef& t) {
    if (t.is_prim) {
      byte(static_cast<uint8_t>(t.prim));
    } else {
      write_sleb(out_, static_cast<int64_t>(t.index));
    }
  }
  void opt_valtype(const std::optional<ValueTypeRef>& t) {
    if (t) {
      byte(0x01);
      valtype(*t);
    } else {
      byte(0x00);
    }
  }
  void result_list(const std::optional<ValueTypeRef>& t) {
    if (t) {
      byte(0x00);
      valtype(*t);
    } else {
      byte(0x01);
      byte(0x00);
    }
  }
  void extern_desc(const ExternDesc& d) {
    switch (d.kind) {
      case ExternDesc::Kind::Module:
        byte(0x00);
        byte(0x11);
        u32(d.index);
        break;
      case ExternDesc::Kind::Func:
      case ExternDesc::Kind::Component:
      case ExternDesc::Kind::Instance:
        byte(static_cast<uint8_t>(d.kind));
        u32(d.index);
        break;
      case ExternDesc::Kind::Value:
        byte(0x02);
        if (d.bound == ExternDesc::Bound::Eq) {
          byte(0x00);
          u32(d.index);
        } else {
          byte(0x01);
          valtype(d.value_type);
        }
        break;
      case ExternDesc::Kind::Type:
        byte(0x03);
        if (d.bound == ExternDesc::Bound::Eq) {
          byte(0x00);
          u32(d.index);
        } else {
          byte(0x01);
        }
        break;
    }
  }
  void limits(const Limits& l) {
    byte(static_cast<uint8_t>((l.max ? 1 : 0) | (l.shared ? 2 : 0) | (l.is64 ? 4 : 0)));
    u32(l.min);
    if (l.max) u32(*l.max);
  }
  void core_extern_desc(const CoreExternDesc& d) {
    byte(static_cast<uint8_t>(d.kind));
    switch (d.kind) {
      case ExternKind::Func: u32(d.func.index); break;
      case ExternKind::Table:
        byte(static_cast<uint8_t>(d.table.elem));
        limits(d.table.limits);
        break;
      case ExternKind::Memory: limits(d.memory.limits); break;
      case ExternKind::Global:
        byte(static_cast<uint8_t>(d.global.type));
        byte(d.global.mut ? 1 : 0);
        break;
      case ExternKind::Tag:
        byte(d.tag.attribute);
        u32(d.tag.type.index);
        break;
    }
  }
  void core_func(const CoreTypeDef& t, bool in_rec) {
    if (t.sub) {
      if (!t.final && !in_rec) byte(0x00);
      byte(t.final ? 0x4f : 0x50);
      u32(t.supertypes.size());
      for (auto s : t.supertypes) u32(s.index);
    }
    byte(0x60);
    u32(t.func.params.size());
    for (ValType v : t.func.params) byte(static_cast<uint8_t>(v));
    u32(t.func.results.size());
    for (ValType v : t.func.results) byte(static_cast<uint8_t>(v));
  }
  void core_type(const CoreTypeDef& t) {
    if (t.kind == CoreTypeDef::Kind::Func) {
      core_func(t, false);
      return;
    }
    if (t.kind == CoreTypeDef::Kind::Rec) {
      byte(0x4e);
      u32(t.rec.size());
      for (const auto& m : t.rec) core_func(m, true);
      return;
    }
    byte(0x50);
    u32(t.decls.size());
    for (const auto& d : t.decls) {
      byte(static_cast<uint8_t>(d.kind));
      switch (d.kind) {
        case ModuleDecl::Kind::Import:
          name(d.module);
          name(d.name);
          core_extern_desc(d.desc);
          break;
        case ModuleDecl::Kind::Type: core_type(*d.type); break;
        case ModuleDecl::Kind::Alias:
          byte(0x10);
          byte(0x01);
          u32(d.outer_count);
          u32(d.outer_index);
          break;
        case ModuleDecl::Kind::Export:
          name(d.name);
          core_extern_desc(d.desc);
          break;
      }
    }
  }
  void core_instance(const CoreInstanceDef& d) {
    byte(static_cast<uint8_t>(d.kind));
    if (d.kind == CoreInstanceDef::Kind::Instantiate) {
      u32(d.module.index);
      u32(d.args.size());
      for (const auto& a : d.args) {
        name(a.name);
        byte(0x12);
        u32(a.instance.index);
      }
    } else {
      u32(d.exports.size());
      for (const auto& e : d.exports) {
        name(e.name);
        core_sort(e.item.sort);
        u32(e.item.index);
      }
    }
  }
  void instance(const InstanceDef& d) {
    byte(static_cast<uint8_t>(d.kind));
    if (d.kind == InstanceDef::Kind::Instantiate) {
      u32(d.component.index);
      u32(d.args.size());
      for (const auto& a : d.args) {
        name(a.name);
        sort_idx(a.item);
      }
    } else {
      u32(d.exports.size());
      for (const auto& e : d.exports) {
        extern_name(e.name);
        sort_idx(e.item);
      }
    }
  }
  void alias(const AliasDef& a) {
    sort(a.sort);
    byte(static_cast<uint8_t>(a.kind));
    if (a.kind == AliasDef::Kind::Outer) {
      u32(a.outer_count);
      u32(a.outer_index);
    } else {
      u32(a.instance);
      name(a.name);
    }
  }
  void defined_type(const DefinedType& d) {
    using K = DefinedType::Kind;
    switch (d.kind) {
      case K::Prim: byte(static_cast<uint8_t>(d.prim)); break;
      case K::Record:
        byte(0x72);
        u32(d.fields.size());
        for (const auto& f : d.fields) {
          name(f.label);
          valtype(f.type);
        }
        break;
      case K::Variant:
        byte(0x71);
        u32(d.cases.size());
        for (const auto& c : d.cases) {
          name(c.label);
          opt_valtype(c.type);
          byte(0x00);
        }
        break;
      case K::List:
        byte(0x70);
        valtype(*d.a);
        break;
      case K::FixedList:
        byte(0x67);
        valtype(*d.a);
        u32(d.length);
        break;
      case K::Tuple:
        byte(0x6f);
        u32(d.elems.size());
        for (const auto& e : d.elems) valtype(e);
        break;
      case K::Flags:
      case K::Enum:
        byte(d.kind == K::Flags ? 0x6e : 0x6d);
        u32(d.labels.size());
        for (const auto& l : d.labels) name(l);
        break;
      case K::Option:
        byte(0x6b);
        valtype(*d.a);
        break;
      case K::Result:
        byte(0x6a);
        opt_valtype(d.a);
        opt_valtype(d.b);
        break;
      case K::Own:
      case K::Borrow:
        byte(d.kind == K::Own ? 0x69 : 0x68);
        u32(d.handle.index);
        break;
      case K::Stream:
      case K::Future:
        byte(d.kind == K::Stream ? 0x66 : 0x65);
        opt_valtype(d.a);
        break;
      case K::Map:
        byte(0x63);
        valtype(*d.a);
        valtype(*d.b);
        break;
    }
  }
  void type(const TypeDef& t) {
    switch (t.kind) {
      case TypeDef::Kind::Defined: defined_type(t.defined); break;
      case TypeDef::Kind::Func:
        byte(t.func.async ? 0x43 : 0x40);
        u32(t.func.params.size());
        for (const auto& p : t.func.params) {
          name(p.label);
          valtype(p.type);
        }
        result_list(t.func.result);
        break;
      case TypeDef::Kind::Component:
      case TypeDef::Kind::Instance:
        byte(t.kind == TypeDef::Kind::Component ? 0x41 : 0x42);
        u32(t.decls.size());
        for (const auto& d : t.decls) declarator(d);
        break;
      case TypeDef::Kind::Resource:
        byte(0x3f);
        byte(static_cast<uint8_t>(t.resource.rep));
        if (t.resource.dtor) {
          byte(0x01);
          u32(t.resource.dtor->index);
        } else {
          byte(0x00);
        }
        break;
    }
  }
  void declarator(const Declarator& d) {
    byte(static_cast<uint8_t>(d.kind));
    switch (d.kind) {
      case Declarator::Kind::CoreType: core_type(*d.core_type); break;
      case Declarator::Kind::Type: type(*d.type); break;
      case Declarator::Kind::Alias: alias(d.alias); break;
      case Declarator::Kind::Import:
      case Declarator::Kind::Export:
        extern_name(d.name);
        extern_desc(d.desc);
        break;
    }
  }
  void canon_opts(const std::vector<CanonOpt>& opts) {
    u32(opts.size());
    for (const auto& o : opts) {
      byte(static_cast<uint8_t>(o.kind));
      switch (o.kind) {
        case CanonOpt::Kind::Memory:
        case CanonOpt::Kind::Realloc:
        case CanonOpt::Kind::PostReturn:
        case CanonOpt::Kind::Callback: u32(o.index); break;
        default: break;
      }
    }
  }
  void canon(const CanonDef& d) {
    byte(static_cast<uint8_t>(d.kind));
    switch (d.kind) {
      case CanonKind::Lift:
        byte(0x00);
        u32(d.func);
        canon_opts(d.opts);
        u32(d.type);
        break;
      case CanonKind::Lower:
        byte(0x00);
        u32(d.func);
        canon_opts(d.opts);
        break;
      case CanonKind::ResourceNew:
      case CanonKind::ResourceDrop:
      case CanonKind::ResourceRep:
      case CanonKind::StreamNew:
      case CanonKind::StreamDropReadable:
      case CanonKind::StreamDropWritable:
      case CanonKind::FutureNew:
      case CanonKind::FutureDropReadable:
      case CanonKind::FutureDropWritable: u32(d.type); break;
      case CanonKind::StreamRead:
      case CanonKind::StreamWrite:
      case CanonKind::FutureRead:
      case CanonKind::FutureWrite:
        u32(d.type);
        canon_opts(d.opts);
        break;
      case CanonKind::StreamCancelRead:
      case CanonKind::StreamCancelWrite:
      case CanonKind::FutureCancelRead:
      case CanonKind::FutureCancelWrite:
        u32(d.type);
        byte(d.flag ? 1 : 0);
        break;
      case CanonKind::TaskReturn:
        result_list(d.result);
        canon_opts(d.opts);
        break;
      case CanonKind::ContextGet:
      case CanonKind::ContextSet:
        byte(static_cast<uint8_t>(d.core_type));
        u32(d.index);
        break;
      case CanonKind::SubtaskCancel:
      case CanonKind::ThreadYield:
      case CanonKind::ThreadSuspend:
      case CanonKind::ThreadSuspendThenResume:
      case CanonKind::ThreadYieldThenResume:
      case CanonKind::ThreadSuspendThenPromote:
      case CanonKind::ThreadYieldThenPromote:
      case CanonKind::ThreadAvailableParallelism: byte(d.flag ? 1 : 0); break;
      case CanonKind::ErrorContextNew:
      case CanonKind::ErrorContextDebugMessage: canon_opts(d.opts); break;
      case CanonKind::WaitableSetWait:
      case CanonKind::WaitableSetPoll:
        byte(d.flag ? 1 : 0);
        u32(d.memory);
        break;
      case CanonKind::ThreadNewIndirect:
        u32(d.type);
        u32(d.table);
        break;
      case CanonKind::ThreadSpawnRef:
        byte(d.flag ? 1 : 0);
        u32(d.type);
        break;
      case CanonKind::ThreadSpawnIndirect:
        byte(d.flag ? 1 : 0);
        u32(d.type);
        u32(d.table);
        break;
      default: break;
    }
  }

  const Component& comp_;
  Bytes& out_;
};

// True if the section's original bytes decode to what the model holds now.
bool raw_still_valid(const Component& comp, const ComponentSection& s, const Bytes& encoded) {
  if (!s.raw || static_cast<uint64_t>(s.raw->begin) + s.raw->size > comp.storage->size()) return false;
  auto raw = comp.bytes(*s.raw);
  Cursor outer(raw, s.offset, true);
  auto id = outer.u8();
  if (!id || *id != static_cast<uint8_t>(s.id)) return false;
  auto size = outer.u32();
  if (!size || *size != outer.remaining()) return false;
  // Fast path: the canonical encoding is byte-identical to the original.
  if (outer.remaining() == encoded.size() && std::equal(encoded.begin(), encoded.end(), outer.pos())) {
    return true;
  }
  Component tmp;
  tmp.storage = comp.storage;
  Cursor body(std::span<const uint8_t>(outer.pos(), outer.remaining()), outer.offset(), false);
  if (!read_component_section(tmp, s.id, body, 0)) return false;
  ComponentSection ts = s;
  ts.first = 0;
  Bytes again;
  encode_component_section(tmp, ts, again);
  return again == encoded;
}

}  // namespace

void encode_component_section(const Component& comp, const ComponentSection& s, Bytes& out) {
  Encoder(comp, out).section(s);
}

}  // namespace detail

std::vector<uint8_t> write_component(const Component& comp) {
  std::vector<uint8_t> out = {0x00, 0x61, 0x73, 0x6D, 0x0d, 0x00, 0x01, 0x00};
  std::vector<uint8_t> contents;
  for (const auto& s : comp.sections) {
    contents.clear();
    detail::encode_component_section(comp, s, contents);
    if (detail::raw_still_valid(comp, s, contents)) {
      auto raw = comp.bytes(*s.raw);
      out.insert(out.end(), raw.begin(), raw.end());
      continue;
    }
    out.push_back(static_cast<uint8_t>(s.id));
    write_uleb(out, contents.size());
    out.insert(out.end(), contents.begin(), contents.end());
  }
  return out;
}

}  // namespace witc::bin
