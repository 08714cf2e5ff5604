//@ wit = ../wit/async-mock.wit
//@ world = guest
//@ also = ../mock/host.cpp
//@ exec
// Runs the async C++ API: this guest uses it the way a program would, and
// ../mock/host.cpp, linked into the same command module in place of the
// canonical built-ins, plays the component model (event loop, subtasks,
// streams, futures, two tasks at once) and checks the results.
#include <memory>
#include <string>

#include "guest_cpp.h"

namespace host = ::witc::mock::host;

namespace {

struct RunState {
  wit::task_return<wit::string> ret;
  wit::stream<wit::string> words;
  std::string text;
};

void read_words(std::shared_ptr<RunState> st) {
  st->words.read(2, [st](wit::vector<wit::string> ws, wit::copy_status status) {
    for (auto& w : ws) st->text.append(st->text.ends_with("=") ? "" : ",").append(w.get_view());
    if (status == wit::copy_status::dropped) {
      host::Later().then([st](uint32_t v) { st->ret(wit::string::from_view(st->text + " later=" + std::to_string(v))); });
      return;
    }
    read_words(st);
  });
}

struct SinkState {
  wit::task_return<uint32_t> ret;
  wit::stream<uint8_t> in;
  uint32_t sum = 0;
};

void read_bytes(std::shared_ptr<SinkState> st) {
  st->in.read(4, [st](wit::vector<uint8_t> bytes, wit::copy_status status) {
    for (uint8_t b : bytes) st->sum += b;
    if (status == wit::copy_status::dropped) {
      st->in.close();
      st->ret(st->sum);
      return;
    }
    read_bytes(st);
  });
}

void write_from(std::shared_ptr<wit::stream_writer<uint32_t>> w, wit::vector<uint32_t> values) {
  w->write(std::move(values), [w](wit::vector<uint32_t> rest, wit::copy_status status) {
    if (rest.empty() || status != wit::copy_status::completed) {
      w->close();
      return;
    }
    write_from(w, std::move(rest));
  });
}

}  // namespace

void exports::guest::Run(uint32_t n, wit::task_return<wit::string> ret) {
  // A subtask that returns right away (a == 0) and one that returns later.
  uint32_t now = host::Add(0, n + 2).get();
  host::Add(n, 1).then([ret = std::move(ret), now](uint32_t sum) mutable {
    auto st = std::make_shared<RunState>();
    st->ret = std::move(ret);
    st->words = host::Words();
    st->text = "sum=" + std::to_string(sum) + " now=" + std::to_string(now) + " words=";
    read_words(st);
  });
}

void exports::guest::Blocking(uint32_t n, wit::task_return<uint32_t> ret) {
  uint32_t s = host::Add(n, 2).get();
  wit::stream<wit::string> words = host::Words();
  size_t count = 0;
  for (;;) {
    wit::vector<wit::string> v = words.read(10);
    if (v.empty()) break;
    count += v.size();
  }
  uint32_t later = host::Later().get();
  ret(s + (uint32_t)count + later);
}

void exports::guest::Sink(wit::stream<uint8_t> s, wit::task_return<uint32_t> ret) {
  auto st = std::make_shared<SinkState>();
  st->ret = std::move(ret);
  st->in = std::move(s);
  read_bytes(st);
}

void exports::guest::Numbers(uint32_t n, wit::task_return<wit::stream<uint32_t>> ret) {
  auto [reader, writer] = wit::stream<uint32_t>::create();
  ret(std::move(reader));
  auto values = wit::vector<uint32_t>::allocate(n);
  for (uint32_t i = 0; i < n; ++i) values.initialize(i, uint32_t(i));
  write_from(std::make_shared<wit::stream_writer<uint32_t>>(std::move(writer)), std::move(values));
}

void exports::guest::Answer(wit::task_return<wit::future<uint32_t>> ret) {
  auto [reader, writer] = wit::future<uint32_t>::create();
  ret(std::move(reader));
  // The write finishes (and the writable end is dropped) once the host read it.
  writer.write(7, [](bool delivered) {
    if (!delivered) __builtin_trap();
  });
}

void exports::guest::Cancel(uint32_t n, wit::task_return<wit::string> ret) {
  std::string text;
  // Returned right away: nothing to cancel, the result is there.
  auto now = host::Add(0, n);
  text += now.cancel() == wit::subtask_state::returned ? "now=returned:" + std::to_string(now.get()) : "now=?";
  // The callee has not started (STARTING) / has started, not returned.
  text += " starting=" + std::to_string((int)host::Add(100, 1).cancel());
  text += " started=" + std::to_string((int)host::Add(n, 1).cancel());
  // It returned (the host ran meanwhile) before the cancel: the result stays.
  auto done = host::Add(n, 2);
  wit::yield();
  wit::subtask_state st = done.cancel();
  text += " returned=" + std::to_string((int)st) + ":" + std::to_string(done.get());
  // A future read cancelled: its continuation does not run, the future reads anew.
  wit::future<uint32_t> later = host::Later();
  later.then([](uint32_t) { __builtin_trap(); });
  wit::copy_status rs = later.cancel_read();
  text += " read=" + std::to_string((int)rs) + ":" + std::to_string(later.get());
  // A future write cancelled: the continuation gets false, the writer writes anew.
  auto [reader, writer] = wit::future<uint32_t>::create();
  std::string wrote;
  writer.write(8, [&wrote](bool delivered) { wrote = delivered ? ",true" : ",false"; });
  wit::copy_status ws = writer.cancel_write();
  text += " write=" + std::to_string((int)ws) + wrote;
  text += writer.write(9) ? ",true" : ",false";
  ret(wit::string::from_view(text));
}
