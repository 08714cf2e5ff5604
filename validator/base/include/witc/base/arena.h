// Typed indices into arenas: Id<Tag> cannot be confused with another kind's id.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <vector>

namespace witc {

template <class Tag>
struct Id {
  uint32_t index = UINT32_MAX;
  constexpr Id() = default;
  constexpr explicit Id(uint32_t i) : index(i) {}
  constexpr bool valid() const { return index != UINT32_MAX; }
  friend constexpr auto operator<=>(const Id&, const Id&) = default;
};

template <class T>
class Arena {
 public:
  using id_type = Id<T>;
  id_type alloc(T value) {
    items_.push_back(std::move(value));
    return id_type(static_cast<uint32_t>(items_.size() - 1));
  }
  T& operator[](id_type id) { return items_[id.index]; }
  const T& operator[](id_type id) const { return items_[id.index]; }
  size_t size() const { return items_.size(); }
  auto begin() { return items_.begin(); }
  auto end() { return items_.end(); }
  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }
  std::vector<T>& raw() { return items_; }
  const std::vector<T>& raw() const { return items_; }

 private:
  std::vector<T> items_;
};

}  // namespace witc

template <class Tag>
struct std::hash<witc::Id<Tag>> {
  size_t operator()(witc::Id<Tag> id) const noexcept { return std::hash<uint32_t>{}(id.index); }
};
