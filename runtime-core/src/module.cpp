// Module::compile: read, validate and compile in one pass per function body;
// canonical function types; pc -> function/offset side tables.
#include <algorithm>
#include <deque>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "compiler.h"
#include "witc/bin/reader.h"

namespace witc::rt {

namespace detail {

namespace {

struct TypeRegistry {
  std::mutex mu;
  std::map<std::pair<std::vector<bin::ValType>, std::vector<bin::ValType>>, uint32_t> ids;
  std::deque<bin::FuncType> types;
};

TypeRegistry& registry() {
  static TypeRegistry* r = new TypeRegistry;  // lives for the process
  return *r;
}

}  // namespace

uint32_t canon_type_id(const bin::FuncType& t) {
  TypeRegistry& r = registry();
  std::lock_guard lock(r.mu);
  auto [it, inserted] = r.ids.try_emplace({t.params, t.results}, static_cast<uint32_t>(r.types.size()));
  if (inserted) {
    bin::FuncType copy;
    copy.params = t.params;
    copy.results = t.results;
    r.types.push_back(std::move(copy));
  }
  return it->second;
}

const bin::FuncType* canon_type(uint32_t id) {
  TypeRegistry& r = registry();
  std::lock_guard lock(r.mu);
  return &r.types[id];
}

uint32_t slot_count(std::span<const bin::ValType> ts) {
  uint32_t n = 0;
  for (bin::ValType t : ts) n += slot_width(t);
  return n;
}

const FuncCode* Compiled::func_at(size_t pc) const {
  auto it = std::upper_bound(funcs.begin(), funcs.end(), pc,
                             [](size_t p, const FuncCode& f) { return p < f.code_begin; });
  if (it == funcs.begin()) return nullptr;
  --it;
  return pc < it->code_end ? &*it : nullptr;
}

uint64_t Compiled::offset_at(size_t pc) const {
  auto it = std::upper_bound(pc_map.begin(), pc_map.end(), pc,
                             [](size_t p, const PcEntry& e) { return p < e.pc; });
  if (it == pc_map.begin()) return 0;
  return std::prev(it)->offset;
}

void dump_code(const Compiled& c, FILE* out) {
  const void* const* h = handlers();
  auto name_of = [&](Word w) -> const char* {
    for (size_t i = 0; i < kIOpCount; ++i) {
      if (reinterpret_cast<Word>(h[i]) == w) return iop_name(i);
    }
    return "?";
  };
  size_t f = 0;
  for (size_t k = 0; k < c.starts.size(); ++k) {
    size_t s = c.starts[k];
    size_t e = k + 1 < c.starts.size() ? c.starts[k + 1] : c.code.size();
    while (f < c.funcs.size() && c.funcs[f].code_begin <= s) {
      const FuncCode& fc = c.funcs[f];
      std::fprintf(out, "func %u: frame %u slots, locals %u, params %u\n", fc.func_index, fc.frame_slots,
                   fc.local_slots, fc.param_slots);
      ++f;
    }
    std::fprintf(out, "  %6zu %-14s", s, name_of(c.code[s]));
    const auto* u = reinterpret_cast<const uint32_t*>(c.code.data() + s + 1);
    for (size_t i = 0; i < (e - s - 1) * 2; ++i) std::fprintf(out, " %u", u[i]);
    std::fprintf(out, "\n");
  }
}

}  // namespace detail

Module::~Module() = default;

const bin::Module& Module::binary() const { return compiled_->binary; }
const bin::ModuleInfo& Module::info() const { return compiled_->info; }

Expected<std::shared_ptr<const Module>> Module::compile(std::span<const uint8_t> bytes, const Config& config) {
  auto c = std::make_unique<detail::Compiled>();
  c->config = config;
  auto m = bin::read_module(bytes, config.features);
  if (!m) return fail(std::move(m.error()));
  c->binary = std::move(*m);
  auto info = bin::validate_module_header(c->binary, config.features);
  if (!info) return fail(std::move(info.error()));
  c->info = std::move(*info);
  c->type_ids.reserve(c->binary.types.size());
  for (const bin::FuncType& t : c->binary.types) c->type_ids.push_back(detail::canon_type_id(t));
  {
    detail::Compiler compiler(*c);
    bin::FuncValidator v(c->binary, c->info, config.features);
    for (uint32_t i = 0; i < c->binary.codes.size(); ++i) {
      auto r = v.validate(i, &compiler);
      if (!r) {
        return fail(std::move(r.error()).with_context(
            fmt::format("in section {}", static_cast<int>(bin::SectionId::Code))));
      }
    }
    compiler.finish_module();
  }
  if (!c->starts.empty()) detail::dump_code(*c, stderr);
  auto mod = std::make_shared<Module>();
  mod->compiled_ = std::move(c);
  return std::shared_ptr<const Module>(std::move(mod));
}

}  // namespace witc::rt
