// compnew-canon COMPONENT.wasm: one line per canonical definition of the
// component's top level, in a form that two encoders of the same component
// (`witc component new`, `jco new`) agree on whatever index they chose:
//
//   lower witc:a/api#echo memory realloc=cabi_realloc utf8 async
//   lift [async-lift]witc:a/api#echo memory realloc=cabi_realloc utf8 async callback=[callback][async-lift]...
//   task.return result=list<u8> memory utf8
//   stream.read stream<point> memory realloc=cabi_realloc utf8 async
//   waitable-set.wait memory
//
// Functions are named by what they alias (an import, an instance export, a
// core export), types are spelled structurally (named types by the name
// they are imported or aliased under) and options are sorted. run_async.py
// compares the sorted lines of both components.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "witc/bin/component.h"
#include "witc/bin/component_reader.h"

using namespace witc;
using namespace witc::bin;

namespace {

class Summary {
 public:
  explicit Summary(const Component& c) : c_(c) {}

  std::vector<std::string> run() {
    for (const auto& s : c_.sections) {
      for (uint32_t i = s.first; i < s.first + s.count; ++i) item(s.id, i);
    }
    return out_;
  }

 private:
  void item(ComponentSectionId id, uint32_t i) {
    switch (id) {
      case ComponentSectionId::Import: {
        const ImportDef& im = c_.imports[i];
        add(sort_of(im.desc.kind), im.name.name, im.desc.kind == ExternDesc::Kind::Type ? im.desc.index : 0);
        break;
      }
      case ComponentSectionId::Export: {
        const ExportDef& ex = c_.exports[i];
        std::string name = ex.name.name;
        if (ex.item.sort == Sort::Type) name = describe_index(ex.item.index);
        add(ex.item.sort, name, 0);
        break;
      }
      case ComponentSectionId::Alias: {
        const AliasDef& a = c_.aliases[i];
        std::string name = a.name;
        if (a.kind == AliasDef::Kind::InstanceExport) {
          name = at(instances_, a.instance) + "#" + a.name;
          if (a.sort == Sort::Type) name = a.name;
        } else if (a.kind == AliasDef::Kind::Outer) {
          name = "outer";
        }
        add(a.sort, name, 0);
        break;
      }
      case ComponentSectionId::Instance: add(Sort::Instance, "instance", 0); break;
      case ComponentSectionId::CoreInstance: add(Sort::CoreInstance, "core-instance", 0); break;
      case ComponentSectionId::CoreModule: add(Sort::CoreModule, "module", 0); break;
      case ComponentSectionId::Component: add(Sort::Component, "component", 0); break;
      case ComponentSectionId::CoreType: add(Sort::CoreType, "core-type", 0); break;
      case ComponentSectionId::Type: {
        types_.push_back(describe(c_.types[i]));
        break;
      }
      case ComponentSectionId::Canon: canon(c_.canons[i]); break;
      default: break;
    }
  }

  static Sort sort_of(ExternDesc::Kind k) {
    switch (k) {
      case ExternDesc::Kind::Module: return Sort::CoreModule;
      case ExternDesc::Kind::Func: return Sort::Func;
      case ExternDesc::Kind::Value: return Sort::Value;
      case ExternDesc::Kind::Type: return Sort::Type;
      case ExternDesc::Kind::Component: return Sort::Component;
      case ExternDesc::Kind::Instance: return Sort::Instance;
    }
    return Sort::Func;
  }

  void add(Sort s, const std::string& name, uint32_t) {
    switch (s) {
      case Sort::Func: funcs_.push_back(name); break;
      case Sort::CoreFunc: core_funcs_.push_back(name); break;
      case Sort::Type: types_.push_back(name); break;
      case Sort::Instance: instances_.push_back(name); break;
      default: break;
    }
  }

  static std::string at(const std::vector<std::string>& v, uint32_t i) {
    return i < v.size() ? v[i] : fmt::format("?{}", i);
  }

  std::string describe_index(uint32_t i) const { return at(types_, i); }
  std::string valtype(const ValueTypeRef& v) const {
    return v.is_prim ? std::string(prim_name(v.prim)) : describe_index(v.index);
  }
  std::string opt(const std::optional<ValueTypeRef>& v) const { return v ? valtype(*v) : "_"; }

  std::string describe(const TypeDef& t) const {
    switch (t.kind) {
      case TypeDef::Kind::Func: return "func";
      case TypeDef::Kind::Component: return "component";
      case TypeDef::Kind::Instance: return "instance";
      case TypeDef::Kind::Resource: return "resource";
      case TypeDef::Kind::Defined: break;
    }
    const DefinedType& d = t.defined;
    using K = DefinedType::Kind;
    auto list = [&](const std::vector<ValueTypeRef>& v) {
      std::string s;
      for (const auto& e : v) s += (s.empty() ? "" : ", ") + valtype(e);
      return s;
    };
    switch (d.kind) {
      case K::Prim: return std::string(prim_name(d.prim));
      case K::Record: {
        std::string s;
        for (const auto& f : d.fields) s += (s.empty() ? "" : ", ") + f.label + ": " + valtype(f.type);
        return "record{" + s + "}";
      }
      case K::Variant: {
        std::string s;
        for (const auto& c : d.cases) s += (s.empty() ? "" : ", ") + c.label + (c.type ? "(" + valtype(*c.type) + ")" : "");
        return "variant{" + s + "}";
      }
      case K::List: return "list<" + opt(d.a) + ">";
      case K::FixedList: return fmt::format("list<{}, {}>", opt(d.a), d.length);
      case K::Tuple: return "tuple<" + list(d.elems) + ">";
      case K::Flags: return fmt::format("flags{{{}}}", fmt::join(d.labels, ", "));
      case K::Enum: return fmt::format("enum{{{}}}", fmt::join(d.labels, ", "));
      case K::Option: return "option<" + opt(d.a) + ">";
      case K::Result: return "result<" + opt(d.a) + ", " + opt(d.b) + ">";
      case K::Own: return "own<" + describe_index(d.handle.index) + ">";
      case K::Borrow: return "borrow<" + describe_index(d.handle.index) + ">";
      case K::Stream: return "stream<" + opt(d.a) + ">";
      case K::Future: return "future<" + opt(d.a) + ">";
      case K::Map: return "map<" + opt(d.a) + ", " + opt(d.b) + ">";
    }
    return "?";
  }

  std::string options(const std::vector<CanonOpt>& opts) const {
    std::vector<std::string> names;
    for (const auto& o : opts) {
      using K = CanonOpt::Kind;
      switch (o.kind) {
        case K::Utf8: names.push_back("utf8"); break;
        case K::Utf16: names.push_back("utf16"); break;
        case K::Latin1Utf16: names.push_back("latin1+utf16"); break;
        case K::Memory: names.push_back("memory"); break;
        case K::Realloc: names.push_back("realloc=" + at(core_funcs_, o.index)); break;
        case K::PostReturn: names.push_back("post-return=" + at(core_funcs_, o.index)); break;
        case K::Async: names.push_back("async"); break;
        case K::Callback: names.push_back("callback=" + at(core_funcs_, o.index)); break;
      }
    }
    std::sort(names.begin(), names.end());
    std::string s;
    for (const auto& n : names) s += " " + n;
    return s;
  }

  void canon(const CanonDef& d) {
    using K = CanonKind;
    std::string line(canon_name(d.kind));
    switch (d.kind) {
      case K::Lift:
        line += " " + at(core_funcs_, d.func) + options(d.opts);
        funcs_.push_back("lift " + at(core_funcs_, d.func));
        out_.push_back(line);
        return;
      case K::Lower: line += " " + at(funcs_, d.func) + options(d.opts); break;
      case K::ResourceNew:
      case K::ResourceDrop:
      case K::ResourceRep:
      case K::StreamNew:
      case K::StreamDropReadable:
      case K::StreamDropWritable:
      case K::FutureNew:
      case K::FutureDropReadable:
      case K::FutureDropWritable: line += " " + describe_index(d.type); break;
      case K::StreamRead:
      case K::StreamWrite:
      case K::FutureRead:
      case K::FutureWrite: line += " " + describe_index(d.type) + options(d.opts); break;
      case K::StreamCancelRead:
      case K::StreamCancelWrite:
      case K::FutureCancelRead:
      case K::FutureCancelWrite: line += " " + describe_index(d.type) + (d.flag ? " async" : ""); break;
      case K::TaskReturn: line += " result=" + opt(d.result) + options(d.opts); break;
      case K::ContextGet:
      case K::ContextSet: line += fmt::format(" {} {}", d.core_type == ValType::I32 ? "i32" : "?", d.index); break;
      case K::SubtaskCancel: line += d.flag ? " async" : ""; break;
      case K::WaitableSetWait:
      case K::WaitableSetPoll: line += std::string(d.flag ? " cancellable" : "") + " memory"; break;
      case K::ThreadYield: line += d.flag ? " cancellable" : ""; break;
      case K::ErrorContextNew:
      case K::ErrorContextDebugMessage: line += options(d.opts); break;
      default: break;
    }
    core_funcs_.push_back(line);
    out_.push_back(line);
  }

  const Component& c_;
  std::vector<std::string> funcs_, core_funcs_, types_, instances_, out_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: compnew-canon COMPONENT.wasm\n";
    return 2;
  }
  std::ifstream f(argv[1], std::ios::binary);
  if (!f) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 1;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), {});
  auto c = read_component(std::move(bytes));
  if (!c) {
    std::cerr << render(c.error()) << "\n";
    return 1;
  }
  for (const auto& line : Summary(*c).run()) std::cout << line << "\n";
  return 0;
}
