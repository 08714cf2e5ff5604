// A C++ program of the `notes-app` world (wit/demo.wit): it imports
// `witc:demo/notes`, the notebook service that the notes example
// (examples/notes) exports, and exports `wasi:cli/run`, whose `run` uses the
// notebooks and prints what it gets back through wasi-libc. Built alone it
// is not runnable (nothing implements its import); `witc plug` with the notes
// component fills the import, and the result runs as a WASI command.
#include <cstdio>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "notes_app_cpp.h"

namespace notes = witc::demo::notes;

namespace {

std::span<uint8_t const> bytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

std::string to_string(const notes::Error& error) {
  return std::visit(
      [](const auto& e) -> std::string {
        using E = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<E, notes::Error::NotFound>) {
          return "not-found(" + std::string(e.value.get_view()) + ")";
        } else if constexpr (std::is_same_v<E, notes::Error::TooLarge>) {
          return "too-large(" + std::to_string(e.value) + ")";
        } else {
          return "io";
        }
      },
      error.variants);
}

std::string to_string(notes::Tag tags) {
  std::string out;
  auto add = [&](notes::Tag t, const char* name) {
    if ((tags & t) != notes::Tag::k_None) out += out.empty() ? name : std::string(", ") + name;
  };
  add(notes::Tag::kPinned, "pinned");
  add(notes::Tag::kArchived, "archived");
  add(notes::Tag::kShared, "shared");
  return "{" + out + "}";
}

void put(const notes::Notebook& book, std::string_view key, std::string_view body, notes::Tag tags) {
  auto r = book.Put(key, bytes(body), tags);
  std::printf("  put %-9s %4zu bytes %-10s -> %s\n", std::string(key).c_str(), body.size(), to_string(tags).c_str(),
              r ? "ok" : ("error " + to_string(r.error())).c_str());
}

void get(const notes::Notebook& book, std::string_view key) {
  auto r = book.Get(key);
  if (!r) {
    std::printf("  get %-9s -> error %s\n", std::string(key).c_str(), to_string(r.error()).c_str());
    return;
  }
  std::printf("  get %-9s -> \"%.*s\" %s\n", std::string(key).c_str(), int(r->body.size()),
              reinterpret_cast<const char*>(r->body.data()), to_string(r->tags).c_str());
}

void entries(const notes::Notebook& book, notes::Order order, const char* what) {
  std::printf("  entries (%s):", what);
  for (const auto& [key, size] : book.Entries(order)) {
    std::printf(" %s=%llu", std::string(key.get_view()).c_str(), (unsigned long long)size);
  }
  std::printf("\n");
}

}  // namespace

std::expected<void, wit::Void> exports::wasi::cli::run::Run() {
  auto bad = notes::Open("");
  std::printf("open \"\" -> %s\n", bad ? "a notebook?" : ("error " + to_string(bad.error())).c_str());

  auto opened = notes::Open("work");
  if (!opened) {
    std::printf("open \"work\" -> error %s\n", to_string(opened.error()).c_str());
    return std::unexpected(wit::Void{});
  }
  notes::Notebook work = std::move(*opened);
  std::printf("open \"work\" -> a notebook\n");
  put(work, "todo", "write the demo", notes::Tag::kPinned);
  put(work, "idea", "components all the way down", notes::Tag::k_None);
  put(work, "huge", std::string(2000, 'x'), notes::Tag::kArchived);
  get(work, "todo");
  get(work, "nope");
  entries(work, notes::Order::kNewestFirst, "newest first");

  // A second notebook, made by the resource's constructor, merged into the
  // first: `work` moves into the call (own) and comes back; `home` is lent
  // (borrow) and stays ours.
  notes::Notebook home("home");
  std::printf("new notebook \"home\"\n");
  put(home, "shopping", "milk", notes::Tag::kShared);
  work = notes::Notebook::Merge(std::move(work), home);
  std::printf("merge work + home -> work\n");
  get(work, "shopping");
  entries(work, notes::Order::kByKey, "by key");
  entries(home, notes::Order::kByKey, "home, by key");
  return {};
}
