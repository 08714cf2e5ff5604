// A C++ guest for the `notes-cli` world of the shipped WIT (wit/demo.wit):
// it exports `witc:demo/notes` (a `notebook` resource) and `wasi:cli/run`,
// whose `run` exercises the notebook and prints through wasi-libc (and so
// through the WASI preview1 adapter `witc component new` merges in).
// build.sh turns it into a component with witc and clang++-19 alone.
#include <cstdio>
#include <cstring>
#include <string>

#include "notes_cli_cpp.h"

namespace notes = exports::witc::demo::notes;

namespace exports::witc::demo::notes {

std::expected<void, Error> Notebook::Put(wit::string key, wit::vector<uint8_t> body, Tag tags) {
  if (body.size() > kMaxBody) return std::unexpected(Error{Error::TooLarge{body.size()}});
  auto span = body.get_view();
  Entry e{std::vector<uint8_t>(span.begin(), span.end()), tags, ::wasi::clocks::wall_clock::Now(), next_++};
  entries_[key.to_string()] = std::move(e);
  return {};
}

std::expected<Note, Error> Notebook::Get(wit::string key) {
  auto it = entries_.find(key.to_string());
  if (it == entries_.end()) return std::unexpected(Error{Error::NotFound{std::move(key)}});
  const Entry& e = it->second;
  auto body = wit::vector<uint8_t>::allocate(e.body.size());
  for (size_t i = 0; i < e.body.size(); ++i) body.initialize(i, uint8_t(e.body[i]));
  return Note{wit::string::from_view(it->first), std::move(body), e.tags, e.created};
}

wit::vector<std::tuple<wit::string, uint64_t>> Notebook::Entries(Order order) {
  std::vector<std::pair<const std::string*, const Entry*>> list;
  for (const auto& [key, e] : entries_) list.push_back({&key, &e});
  if (order != Order::kByKey) {
    bool newest = order == Order::kNewestFirst;
    std::sort(list.begin(), list.end(), [&](const auto& a, const auto& b) {
      return newest ? a.second->sequence > b.second->sequence : a.second->sequence < b.second->sequence;
    });
  }
  auto out = wit::vector<std::tuple<wit::string, uint64_t>>::allocate(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    out.initialize(i, std::make_tuple(wit::string::from_view(*list[i].first), uint64_t(list[i].second->body.size())));
  }
  return out;
}

Notebook::Owned Notebook::Merge(Owned a, std::reference_wrapper<const Notebook> b) {
  for (const auto& [key, e] : b.get().entries_) {
    if (!a->entries_.count(key)) a->entries_[key] = e;
  }
  return a;
}

std::expected<Notebook::Owned, Error> Open(wit::string name) {
  if (name.get_view().empty()) return std::unexpected(Error{Error::Io{}});
  return Notebook::New(std::move(name));
}

}  // namespace exports::witc::demo::notes

namespace {

wit::vector<uint8_t> bytes(const char* text) {
  size_t n = std::strlen(text);
  auto v = wit::vector<uint8_t>::allocate(n);
  for (size_t i = 0; i < n; ++i) v.initialize(i, uint8_t(text[i]));
  return v;
}

}  // namespace

std::expected<void, wit::Void> exports::wasi::cli::run::Run() {
  auto opened = notes::Open(wit::string::from_view("work"));
  if (!opened) return std::unexpected(wit::Void{});
  notes::Notebook::Owned book = std::move(*opened);
  (void)book->Put(wit::string::from_view("todo"), bytes("write the demo"), notes::Tag::kPinned);
  (void)book->Put(wit::string::from_view("idea"), bytes("components all the way down"), notes::Tag::k_None);

  notes::Notebook::Owned other = notes::Notebook::New(wit::string::from_view("home"));
  (void)other->Put(wit::string::from_view("shopping"), bytes("milk"), notes::Tag::kShared);
  book = notes::Notebook::Merge(std::move(book), *other);

  auto too_big = book->Put(wit::string::from_view("huge"), wit::vector<uint8_t>::allocate(0), notes::Tag::k_None);
  (void)too_big;
  auto note = book->Get(wit::string::from_view("todo"));
  auto missing = book->Get(wit::string::from_view("nope"));
  std::printf("notes: %s = \"%.*s\" (pinned: %s), missing note: %s\n",
              note ? std::string(note->key.get_view()).c_str() : "?",
              note ? int(note->body.size()) : 0, note ? reinterpret_cast<const char*>(note->body.data()) : "",
              note && (note->tags & notes::Tag::kPinned) == notes::Tag::kPinned ? "yes" : "no",
              missing ? "found?" : "not-found");
  for (const auto& [key, size] : book->Entries(notes::Order::kByKey)) {
    std::printf("  %-10s %llu bytes\n", std::string(key.get_view()).c_str(), (unsigned long long)size);
  }
  return {};
}
