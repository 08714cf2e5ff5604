// An insertion-ordered map: iteration follows insertion, lookup is hashed.
// Order is part of what WIT means (a world's imports, an interface's types),
// so every name map of the resolved graph is one of these.
#pragma once

#include <cstddef>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace witc {

template <class K, class V, class Hash = std::hash<K>>
class OrderedMap {
 public:
  using value_type = std::pair<K, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  value_type& at_index(size_t i) { return items_[i]; }
  const value_type& at_index(size_t i) const { return items_[i]; }

  bool contains(const K& k) const { return index_.count(k) != 0; }
  // Index of key k or npos.
  static constexpr size_t npos = static_cast<size_t>(-1);
  size_t index_of(const K& k) const {
    auto it = index_.find(k);
    return it == index_.end() ? npos : it->second;
  }
  V* find(const K& k) {
    auto it = index_.find(k);
    return it == index_.end() ? nullptr : &items_[it->second].second;
  }
  const V* find(const K& k) const {
    auto it = index_.find(k);
    return it == index_.end() ? nullptr : &items_[it->second].second;
  }
  // Inserts (k, v) at the end; returns false and leaves the map unchanged if
  // k is already present.
  bool insert(K k, V v) {
    if (index_.count(k)) return false;
    index_.emplace(k, items_.size());
    items_.emplace_back(std::move(k), std::move(v));
    return true;
  }
  // Inserts or overwrites in place (keeping the original position).
  V& insert_or_assign(K k, V v) {
    auto it = index_.find(k);
    if (it != index_.end()) return items_[it->second].second = std::move(v);
    index_.emplace(k, items_.size());
    items_.emplace_back(std::move(k), std::move(v));
    return items_.back().second;
  }
  V& operator[](const K& k) {
    auto it = index_.find(k);
    if (it != index_.end()) return items_[it->second].second;
    index_.emplace(k, items_.size());
    items_.emplace_back(k, V{});
    return items_.back().second;
  }
  // Removes k, shifting later items down (order kept).
  bool erase(const K& k) {
    auto it = index_.find(k);
    if (it == index_.end()) return false;
    size_t i = it->second;
    items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
    rebuild_index();
    return true;
  }
  void clear() {
    items_.clear();
    index_.clear();
  }

 private:
  void rebuild_index() {
    index_.clear();
    for (size_t i = 0; i < items_.size(); ++i) index_.emplace(items_[i].first, i);
  }
  std::vector<value_type> items_;
  std::unordered_map<K, size_t, Hash> index_;
};

}  // namespace witc
