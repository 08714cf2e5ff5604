//@ wit = ../wit/async-all.wit
//@ world = all
//@ expect = wit::subtask<uint64_t> Sum(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e);
//@ expect = void Echo(wit::string s, wit::task_return<wit::string> _return);
// Exercises the async C++ API (docs/bindgen-cpp.md "Async") on the world
// witc:async-all/all: every export is implemented, every import is called,
// streams and futures of several payload types are created, read and written.
#include <cstring>
#include <memory>

#include "all_cpp.h"

namespace imp = ::witc::async_all::api;
namespace ty = ::witc::async_all::types;
namespace ex = exports::witc::async_all::api;

static wit::string str(std::string_view s) { return wit::string::from_view(s); }

// --- exports ----------------------------------------------------------------

void ex::Sum(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e, wit::task_return<uint64_t> _return) {
  _return(uint64_t(a) + b + c + d + e);  // returns right away
}

void ex::Echo(wit::string s, wit::task_return<wit::string> _return) {
  // returns later: after the imported echo answered
  imp::Echo(s.get_view()).then([ret = std::move(_return)](wit::string r) mutable { ret(std::move(r)); });
}

void ex::Points(wit::vector<ty::Point> ps, wit::task_return<wit::vector<ty::Point>> _return) {
  for (auto& p : ps) p.x += 1;
  _return(std::move(ps));
}

void ex::Nothing(wit::task_return<void> _return) {
  imp::Nothing().then([ret = std::move(_return)]() mutable { ret(); });
}

void ex::Ping(std::reference_wrapper<const ty::Conn> c, wit::task_return<wit::string> _return) {
  _return(c.get().Name());
}

void ex::Take(ty::Conn c, wit::task_return<void> _return) {
  // Hand the connection on and wait for the callee.
  imp::Take(std::move(c)).get();
  _return();
}

wit::stream<uint32_t> ex::Chars() {
  auto [reader, writer] = wit::stream<uint32_t>::create();
  // The writer outlives this call: the write's continuation owns it.
  auto w = std::make_unique<wit::stream_writer<uint32_t>>(std::move(writer));
  wit::vector<uint32_t> cs = wit::vector<uint32_t>::allocate(3);
  for (size_t i = 0; i < 3; ++i) cs.initialize(i, uint32_t('a' + i));
  w->write(std::move(cs), [w = std::move(w)](wit::vector<uint32_t> rest, wit::copy_status) mutable { w->close(); });
  return std::move(reader);
}

wit::future<std::expected<uint32_t, wit::string>> ex::Bytes(wit::stream<uint8_t> s) {
  auto [reader, writer] = wit::future<std::expected<uint32_t, wit::string>>::create();
  auto src = std::make_unique<wit::stream<uint8_t>>(std::move(s));
  auto out = std::make_unique<wit::future_writer<std::expected<uint32_t, wit::string>>>(std::move(writer));
  src->read(64, [src = std::move(src), out = std::move(out)](wit::vector<uint8_t> data, wit::copy_status st) mutable {
    if (st == wit::copy_status::dropped && data.empty()) {
      out->write(std::unexpected(str("empty")), [](bool) {});
    } else {
      out->write(uint32_t(data.size()), [](bool) {});
    }
  });
  return std::move(reader);
}

void ex::Events(uint32_t n, wit::task_return<wit::stream<ty::Event>> _return) {
  auto [reader, writer] = wit::stream<ty::Event>::create();
  _return(std::move(reader));
  auto evs = wit::vector<ty::Event>::allocate(3);
  evs.initialize(0, ty::Event{ty::Event::Tick{n}});
  evs.initialize(1, ty::Event{ty::Event::Text{str("hello")}});
  evs.initialize(2, ty::Event{ty::Event::Done{}});
  size_t written = writer.write_all(std::move(evs));
  (void)written;
}

wit::stream<void> ex::Nested(wit::stream<wit::stream<uint8_t>> s, wit::future<wit::future<wit::string>> f) {
  auto inner = s.read(1);
  if (!inner.empty()) {
    wit::vector<uint8_t> bytes = inner[0].read(16);
    (void)bytes;
  }
  wit::future<wit::string> ff = f.get();
  wit::string text = ff.get();
  auto [reader, writer] = wit::stream<void>::create();
  writer.write(text.size(), [](size_t rest, wit::copy_status) {});
  return std::move(reader);
}

wit::future<wit::vector<wit::string>> ex::Unit(wit::future<void> f) {
  f.get();
  // future<void>: written without a value, read without one.
  auto [done_r, done_w] = wit::future<void>::create();
  done_w.write([](bool delivered) {});
  done_r.then([]() {});
  auto [again_r, again_w] = wit::future<void>::create();
  bool delivered = again_w.write();
  (void)delivered;
  again_r.get();
  auto [reader, writer] = wit::future<wit::vector<wit::string>>::create();
  auto v = wit::vector<wit::string>::allocate(1);
  v.initialize(0, str("done"));
  writer.write(std::move(v), [](bool delivered) {});
  return std::move(reader);
}

wit::stream<ty::Conn> ex::Conns() {
  auto [reader, writer] = wit::stream<ty::Conn>::create();
  auto cs = wit::vector<ty::Conn>::allocate(1);
  cs.initialize(0, ty::Conn("x"));
  auto w = std::make_unique<wit::stream_writer<ty::Conn>>(std::move(writer));
  w->write(std::move(cs), [w = std::move(w)](wit::vector<ty::Conn> rest, wit::copy_status) mutable {});
  return std::move(reader);
}

std::expected<void, wit::error_context> ex::Fail(wit::error_context e) {
  wit::string msg = e.debug_message();
  if (msg.empty()) return {};
  return std::unexpected(wit::error_context::create("failed: " + msg.to_string()));
}

void ex::Big(wit::task_return<std::tuple<wit::string, uint64_t, wit::vector<wit::string>, std::optional<ty::Point>>> _return) {
  imp::Big().then([ret = std::move(_return)](auto v) mutable { ret(std::move(v)); });
}

void exports::all::Run(wit::vector<wit::string> args, wit::task_return<std::expected<wit::string, wit::string>> _return) {
  wit::backpressure_inc();
  wit::yield();
  wit::backpressure_dec();
  ::all::Log("starting").get();
  uint64_t total = imp::Sum(1, 2, 3, 4, 5).get();
  if (total != 15) return _return(std::unexpected(str("sum")));
  ty::Conn c("conn");
  auto sent = c.Send(std::span<uint8_t const>((uint8_t const*)"abc", 3)).get();
  if (!sent) return _return(std::unexpected(std::move(sent.error())));
  ty::Conn other = ty::Conn::Open("other").get();
  wit::string pinged = imp::Ping(std::cref(other)).get();
  imp::Take(std::move(other)).get();
  wit::stream<uint32_t> chars = imp::Chars();
  wit::vector<uint32_t> cs = chars.read(8);
  auto [bytes_in, bytes_out] = wit::stream<uint8_t>::create();
  auto count = imp::Bytes(std::move(bytes_in));
  auto data = wit::vector<uint8_t>::allocate(2);
  data.initialize(0, 1);
  data.initialize(1, 2);
  bytes_out.write_all(std::move(data));
  bytes_out.close();
  auto n = count.get();
  auto events = imp::Events(3).get();
  wit::vector<ty::Event> evs = events.read(10);
  auto fail = imp::Fail(wit::error_context::create("boom"));
  auto pts = wit::vector<ty::Point>::allocate(1);
  pts.initialize(0, ty::Point{1, 2, str("p")});
  imp::Points(pts.get_const_view()).then([](wit::vector<ty::Point> moved) {});
  imp::Unit(wit::future<void>::create().first).then([](wit::vector<wit::string> v) {});
  auto conns = imp::Conns();
  conns.read(1, [](wit::vector<ty::Conn> got, wit::copy_status) {});
  conns.cancel_read();
  auto [f_in, f_out] = wit::future<wit::string>::create();
  bool delivered = f_out.write(str("x"));
  (void)delivered;
  // Cancelling: a subtask (`subtask.cancel`), a future read and a future write.
  auto slow = imp::Echo("slow");
  wit::subtask_state st = slow.cancel();
  if (st == wit::subtask_state::returned) (void)slow.get();
  auto unit_reply = imp::Unit(wit::future<void>::create().first);
  unit_reply.then([](wit::vector<wit::string> v) {});
  wit::copy_status rs = unit_reply.cancel_read();
  auto [g_in, g_out] = wit::future<wit::string>::create();
  g_out.write(str("y"), [](bool delivered) {});
  if (g_out.cancel_write() == wit::copy_status::cancelled) (void)g_out.write(str("z"));
  (void)rs;
  wit::wait_pending();
  wit::string reply = imp::Echo(args.empty() ? "none" : args[0].get_view()).get();
  _return(str(reply.get_view()));
  (void)cs; (void)n; (void)evs; (void)fail; (void)pinged;
}
