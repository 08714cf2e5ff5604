//@ wit = ../wit/async-collide.wit
//@ world = both
//@ expect = wit::future<uint32_t, wit::char_tag> Letters();
//@ expect = wit::stream<wit::vector<uint32_t>> Words(wit::stream<wit::vector<uint32_t>, wit::vector<wit::char_tag>> s);
//@ expect = wit::future<wit::future<uint32_t, wit::char_tag>> Nested(wit::future<wit::future<uint32_t>> f);
//@ import = witc:async-collide/api::[future-new-0]numbers
//@ import = witc:async-collide/api::[future-new-0]letters
//@ import = witc:async-collide/api::[stream-new-0]words
//@ import = witc:async-collide/api::[stream-new-1]words
//@ import = witc:async-collide/api::[future-new-0]pairs
//@ import = witc:async-collide/api::[future-new-1]pairs
// WIT types that map to one C++ type (`char` and `u32`: uint32_t) as
// stream and future payloads (docs/bindgen-cpp.md "Limits"): each WIT type
// is its own C++ type (wit::char_tag in the key argument), so each creates
// its streams and futures with its own built-ins (those of the first
// function carrying it: future<u32> of `numbers`, future<char> of
// `letters`, stream<list<char>> and stream<list<u32>> of `words`, …).
#include <memory>
#include <utility>

#include "both_cpp.h"

namespace imp = ::witc::async_collide::api;
namespace ex = exports::witc::async_collide::api;

namespace {

// A future of F's type, written with `v` (the writer lives until the reader took it).
template <class F, class V> F ready(V v) {
  auto [r, w] = F::create();
  using W = typename decltype(F::create())::second_type;
  auto wp = std::make_unique<W>(std::move(w));
  W* p = wp.get();
  p->write(std::move(v), [wp = std::move(wp)](bool) {});
  return std::move(r);
}

}  // namespace

wit::future<uint32_t> ex::Numbers() { return ready<wit::future<uint32_t>>(uint32_t(7)); }

wit::future<uint32_t, wit::char_tag> ex::Letters() {
  // The imported letter, handed on in a future<char> of our own.
  uint32_t c = imp::Letters().get();
  return ready<wit::future<uint32_t, wit::char_tag>>(c);
}

wit::stream<wit::vector<uint32_t>> ex::Words(wit::stream<wit::vector<uint32_t>, wit::vector<wit::char_tag>> s) {
  // The words (lists of chars) go to the import; its lists of u32 come back.
  auto [in, out] = wit::stream<wit::vector<uint32_t>, wit::vector<wit::char_tag>>::create();
  wit::stream<wit::vector<uint32_t>> codes = imp::Words(std::move(in));
  out.write_all(s.read(4));
  out.close();
  auto [r, w] = wit::stream<wit::vector<uint32_t>>::create();
  w.write_all(codes.read(4));
  return std::move(r);
}

wit::future<wit::future<uint32_t, wit::char_tag>> ex::Nested(wit::future<wit::future<uint32_t>> f) {
  uint32_t n = f.get().get();
  return ready<wit::future<wit::future<uint32_t, wit::char_tag>>>(ready<wit::future<uint32_t, wit::char_tag>>(n));
}

wit::future<std::tuple<uint32_t, uint32_t>> ex::Pairs(wit::future<std::tuple<uint32_t, uint32_t>, std::tuple<wit::char_tag, uint32_t>> p,
                                                      wit::future<std::tuple<uint32_t, uint32_t>, std::tuple<uint32_t, wit::char_tag>> q) {
  auto [a, b] = p.get();
  auto [c, d] = q.get();
  return imp::Pairs(ready<decltype(p)>(std::tuple<uint32_t, uint32_t>(a, b)), ready<decltype(q)>(std::tuple<uint32_t, uint32_t>(c, d)));
}

wit::future<std::optional<uint32_t>> ex::Maybe(wit::future<std::optional<uint32_t>, std::optional<wit::char_tag>> a) {
  return imp::Maybe(ready<decltype(a)>(a.get()));
}

void ex::Checked(wit::future<std::expected<uint32_t, uint32_t>, std::expected<wit::char_tag, uint32_t>> r,
                 wit::task_return<wit::future<std::expected<uint32_t, uint32_t>, std::expected<uint32_t, wit::char_tag>>> _return) {
  std::expected<uint32_t, uint32_t> v = r.get();
  imp::Checked(ready<decltype(r)>(v)).then([ret = std::move(_return)](auto f) mutable { ret(std::move(f)); });
}
