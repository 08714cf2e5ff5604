//@ wit = ../wit/symmetric.wit
//@ world = sym --api-style symmetric
//@ expect = uint32_t Strs(std::span<std::string_view const> a, std::optional<std::string_view> b, std::expected<std::string_view, std::span<uint8_t const>> c, std::tuple<std::string_view, std::span<std::string_view const>> d);
// --api-style symmetric: each export is written with the very signature of
// the import of the same function, and forwards to it.
#include "sym_cpp.h"

namespace imp = ::witc::symmetric::api;
namespace ex = ::exports::witc::symmetric::api;

uint32_t ex::Strs(std::span<std::string_view const> a, std::optional<std::string_view> b,
                  std::expected<std::string_view, std::span<uint8_t const>> c,
                  std::tuple<std::string_view, std::span<std::string_view const>> d) {
  return imp::Strs(a, b, c, d) + (uint32_t)a.size();
}

wit::string ex::RecFn(ex::Rec const& r, ex::V const& v) {
  imp::Rec copy{wit::string::from_view(r.name.get_view()), wit::vector<uint32_t>(r.vals)};
  imp::V w{imp::V::C{}};
  return imp::RecFn(copy, w);
}

uint32_t ex::Nested(std::span<std::span<std::string_view const> const> a, std::span<std::optional<std::string_view> const> m) {
  return imp::Nested(a, m);
}

wit::string ex::Fixed(std::array<std::string_view, 2> f) { return imp::Fixed(f); }

uint64_t ex::Scalars(uint32_t a, std::span<uint64_t const> b, bool c) { return imp::Scalars(a, b, c); }

wit::string ex::Handles(std::reference_wrapper<const ex::Res> r, ex::Res::Owned o) {
  imp::Res local("x");
  imp::Res other("y");
  return imp::Handles(std::cref(local), std::move(other));
}

ex::Res::Owned ex::Res::New(std::string_view name) { return Owned(new Res); }
wit::string ex::Res::Label(std::string_view prefix) { return wit::string::from_view(prefix); }
