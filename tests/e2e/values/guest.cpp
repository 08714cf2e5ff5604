// The C++ guest of values.wit: exports `guest` (echoes and computations the
// JavaScript host checks) and calls the host's `host` with the values of a
// round, checking what comes back. values.mjs builds the same values in
// JavaScript; both sides must agree on every field.
#include <assert.h>

#include <cstdio>
#include <string>

#include "values_cpp.h"

using namespace ::witc::values::types;
namespace host = ::witc::values::host;
namespace guest = ::exports::witc::values::guest;

namespace {

wit::string str(const std::string& s) { return wit::string::from_view(s); }

template <class T>
wit::vector<T> vec(std::vector<T> items) {
  auto v = wit::vector<T>::allocate(items.size());
  for (size_t i = 0; i < items.size(); ++i) v.initialize(i, std::move(items[i]));
  return v;
}

// --- the values of round r (values.mjs has the same functions) ---

Team team_of(uint32_t r) {
  Team t;
  t.title = str("team-" + std::to_string(r));
  std::vector<Person> members;
  for (uint32_t k = 0; k <= r % 3; ++k) {
    Person p;
    p.name = str("p" + std::to_string(r) + "-" + std::to_string(k) + "-\xc3\xbc\xe2\x82\xac");  // ü€
    std::vector<wit::string> nick;
    for (uint32_t j = 0; j < k; ++j) nick.push_back(str("n" + std::to_string(k) + std::to_string(j)));
    p.nicknames = vec(std::move(nick));
    p.scores = vec<uint32_t>({r, k, (r * k) % 1000});
    if (k % 2 == 0) p.home = Point{int32_t(r), -int32_t(k)};
    members.push_back(std::move(p));
  }
  t.members = vec(std::move(members));
  std::vector<wit::vector<wit::string>> tags;
  tags.push_back(vec<wit::string>({str("a"), str("b" + std::to_string(r))}));
  tags.push_back(wit::vector<wit::string>());
  tags.push_back(vec<wit::string>({str("\xf0\x9f\x98\x80" + std::to_string(r % 7))}));  // 😀
  t.tags = vec(std::move(tags));
  return t;
}

std::vector<Shape> shapes_of(uint32_t r) {
  std::vector<Shape> s;
  s.push_back(Shape{Shape::Circle{r + 0.5}});
  s.push_back(Shape{Shape::Rect{std::make_tuple(float(r) / 2, 1.25f)}});
  s.push_back(Shape{Shape::Polygon{vec<Point>({Point{int32_t(r), 1}, Point{2, -int32_t(r)}})}});
  s.push_back(Shape{Shape::Label{str("shape" + std::to_string(r))}});
  s.push_back(Shape{Shape::Empty{}});
  return s;
}

Many many_of(uint32_t r) {
  Many m{};
  for (uint32_t bit : {r % 32, (r * 7) % 32, 31u, 0u}) m = m | Many(uint32_t(1) << bit);
  return m;
}

Maybe maybe_of(uint32_t r) {
  if (r % 3 == 0) return std::nullopt;
  if (r % 3 == 1) return std::expected<wit::string, uint32_t>(str("ok" + std::to_string(r)));
  return std::expected<wit::string, uint32_t>(std::unexpect, r);
}

Scalars scalars_of(uint32_t r) {
  return Scalars{uint8_t(r & 0xff), int8_t(-int32_t(r & 0x7f)), uint16_t(r & 0xffff), int16_t(-int32_t(r % 30000)),
                 r * 100003u, -int32_t(r), (uint64_t(r) << 40) + 1, -(int64_t(r) << 33), float(r) + 0.25f,
                 double(r) / 3.0, 0x1F600u + r % 16, r % 2 == 1, Color(r % 3)};
}

// --- equality (wit::string and wit::vector have ==; records do not) ---

bool eq(const Point& a, const Point& b) { return a.x == b.x && a.y == b.y; }
bool eq(const Person& a, const Person& b) {
  if (!(a.name == b.name && a.nicknames == b.nicknames && a.scores == b.scores)) return false;
  if (a.home.has_value() != b.home.has_value()) return false;
  return !a.home || eq(*a.home, *b.home);
}
bool eq(const Team& a, const Team& b) {
  if (!(a.title == b.title && a.tags == b.tags) || a.members.size() != b.members.size()) return false;
  for (size_t i = 0; i < a.members.size(); ++i) {
    if (!eq(a.members[i], b.members[i])) return false;
  }
  return true;
}
bool eq(const Shape& a, const Shape& b) {
  if (a.variants.index() != b.variants.index()) return false;
  switch (a.variants.index()) {
    case 0: return std::get<0>(a.variants).value == std::get<0>(b.variants).value;
    case 1: return std::get<1>(a.variants).value == std::get<1>(b.variants).value;
    case 2: {
      const auto& x = std::get<2>(a.variants).value;
      const auto& y = std::get<2>(b.variants).value;
      if (x.size() != y.size()) return false;
      for (size_t i = 0; i < x.size(); ++i) {
        if (!eq(x[i], y[i])) return false;
      }
      return true;
    }
    case 3: return std::get<3>(a.variants).value == std::get<3>(b.variants).value;
    default: return true;
  }
}
bool eq(const Scalars& a, const Scalars& b) {
  return a.a == b.a && a.b == b.b && a.c == b.c && a.d == b.d && a.e == b.e && a.f == b.f && a.g == b.g &&
         a.h == b.h && a.i == b.i && a.j == b.j && a.k == b.k && a.l == b.l && a.m == b.m;
}

}  // namespace

// --- the exports the host calls ---

Team guest::EchoTeam(Team t) { return t; }
wit::vector<Shape> guest::EchoShapes(wit::vector<Shape> s) { return s; }
Many guest::EchoMany(Many f) { return f; }
Maybe guest::EchoMaybe(Maybe m) { return m; }
Scalars guest::EchoScalars(Scalars s) { return s; }

std::tuple<uint64_t, wit::string, wit::vector<uint8_t>, double> guest::Spill(
    uint8_t a, uint16_t b, uint32_t c, uint64_t d, int8_t e, int16_t f, int32_t g, int64_t h, float i, double j,
    wit::string k, wit::vector<uint8_t> l, bool m, uint32_t n, Color o, std::optional<uint32_t> p, wit::string q) {
  uint64_t sum = a + b + c + d + uint64_t(int64_t(e) + f + g + h) + (m ? 1 : 0) + n + uint64_t(o) + p.value_or(7);
  std::string text = k.to_string() + "|" + q.to_string();
  return std::make_tuple(sum, str(text), std::move(l), double(i) + j);
}

wit::string guest::Summary(Team t) {
  size_t names = 0, nicknames = 0, tags = 0;
  uint64_t scores = 0;
  for (const auto& p : t.members) {
    names += p.name.size();
    nicknames += p.nicknames.size();
    for (uint32_t s : p.scores) scores += s;
  }
  for (const auto& group : t.tags) tags += group.size();
  return str(t.title.to_string() + ":" + std::to_string(t.members.size()) + ":" + std::to_string(names) + ":" +
             std::to_string(nicknames) + ":" + std::to_string(scores) + ":" + std::to_string(tags));
}

std::expected<wit::string, uint32_t> guest::Fallible(bool fail) {
  if (fail) return std::unexpected(42u);
  return str("fine");
}

int64_t guest::ReadCounter(std::reference_wrapper<const guest::Counter> c) { return c.get().Value(); }
int64_t guest::ConsumeCounter(guest::Counter::Owned c) { return c->Value(); }

uint32_t guest::MemoryPages() { return uint32_t(__builtin_wasm_memory_size(0)); }

uint32_t guest::CallHost(uint32_t r) {
  uint32_t calls = 0;
  {
    Team t = team_of(r);
    Team back = host::EchoTeam(t);
    assert(eq(back, t));
    ++calls;
  }
  {
    std::vector<Shape> s = shapes_of(r);
    wit::vector<Shape> back = host::EchoShapes(std::span<const Shape>(s.data(), s.size()));
    assert(back.size() == s.size());
    for (size_t i = 0; i < s.size(); ++i) assert(eq(back[i], s[i]));
    ++calls;
  }
  {
    Many back = host::EchoMany(many_of(r));
    assert(back == many_of(r));
    ++calls;
  }
  {
    Maybe m = maybe_of(r);
    std::optional<std::expected<std::string_view, uint32_t>> view;
    if (m) {
      if (m->has_value()) {
        view = std::expected<std::string_view, uint32_t>(m->value().get_view());
      } else {
        view = std::expected<std::string_view, uint32_t>(std::unexpect, m->error());
      }
    }
    Maybe back = host::EchoMaybe(view);
    assert(back.has_value() == m.has_value());
    if (m) {
      assert(back->has_value() == m->has_value());
      if (m->has_value()) {
        assert(back->value() == m->value());
      } else {
        assert(back->error() == m->error());
      }
    }
    ++calls;
  }
  {
    Scalars s = scalars_of(r);
    assert(eq(host::EchoScalars(s), s));
    ++calls;
  }
  {
    std::vector<uint8_t> bytes = {uint8_t(r), 1, 2, 3};
    auto [sum, text, list, real] =
        host::Spill(uint8_t(r), 2, 3, 4, -5, -6, -7, -8, 0.5f, 0.25, "k" + std::to_string(r), bytes, true, 0x263A,
                    Color::kBlue, r % 2 ? std::optional<uint32_t>(r) : std::nullopt, "q");
    // The host computes the same as guest::Spill.
    uint64_t expected = uint8_t(r) + 2 + 3 + 4 + uint64_t(int64_t(-5 - 6 - 7 - 8)) + 1 + 0x263A + 2 + (r % 2 ? r : 7);
    assert(sum == expected);
    assert(text.get_view() == "k" + std::to_string(r) + "|q");
    assert(list.size() == 4 && list[0] == uint8_t(r) && list[3] == 3);
    assert(real == 0.75);
    ++calls;
  }
  {
    std::vector<uint8_t> bytes(r % 50, 7);
    host::Blob a(std::span<const uint8_t>(bytes.data(), bytes.size()));
    host::Blob b(std::span<const uint8_t>(bytes.data(), bytes.size()));
    assert(a.Size() == bytes.size());
    host::Blob c = host::Blob::Concat(std::move(a), b);
    assert(c.Size() == 2 * bytes.size());
    assert(b.Size() == bytes.size());
    calls += 4;
  }
  return calls;
}
