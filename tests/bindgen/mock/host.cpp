// A mock of the component model's async machinery for the guest
// tests/bindgen/programs/async-mock.cpp: the canonical built-ins the bindings import are
// defined here instead (wasm-ld resolves them to these definitions), and
// main() plays the runtime: it calls the async exports, runs their event
// loops through the callback ABI (CanonicalABI.md `canon lift` async
// callback) and completes the host's side of subtasks, streams and futures
// one step at a time, so that both the "right away" and the "later" paths
// of the C++ API run. A failed check prints and exits 1.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

extern "C" void* cabi_realloc(void* ptr, size_t old_size, size_t align, size_t new_size);

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::printf("FAIL: %s\n", what.c_str());
  std::exit(1);
}
void check(bool ok, const std::string& what) {
  if (!ok) fail(what);
}

constexpr uint32_t kBlocked = 0xffffffffu;
enum : uint32_t { kSubtask = 1, kStreamRead = 2, kStreamWrite = 3, kFutureRead = 4, kFutureWrite = 5 };
enum : uint32_t { kStarting = 0, kStarted = 1, kReturned = 2, kCancelledBeforeStarted = 3, kCancelledBeforeReturned = 4 };
enum : uint32_t { kCompleted = 0, kDropped = 1, kCancelled = 2 };

enum class Kind { Set, Subtask, StreamRead, StreamWrite, FutureRead, FutureWrite };

// One element of the instance's handle table.
struct Obj {
  explicit Obj(Kind k) : kind(k) {}
  Kind kind;
  int32_t set = 0;            // the waitable set it is joined to
  bool has_event = false;
  uint32_t code = 0, payload = 0;
  bool copying = false;
  bool resolved = false;      // a subtask that returned
  bool cancelled = false;     // a subtask cancelled: its pending host step does nothing
  uint32_t copy = 0;          // the future copy in flight (a cancelled one's host step does nothing)
  // streams the host feeds (guest reads) or drains (guest writes)
  std::vector<std::string> words;   // stream<string> items still to send
  std::vector<uint8_t> bytes;       // stream<u8> items still to send
  std::vector<uint32_t>* sink = nullptr;  // stream<u32> items received
};

std::map<int32_t, Obj> table;
int32_t next_handle = 1;
std::deque<std::function<void()>> actions;  // the host's pending work
int32_t context = 0;                        // context slot 0 of the running task
uint32_t reads = 0;                         // alternates "right away" and "later" copies

int32_t add(Obj o) {
  table.emplace(next_handle, std::move(o));
  return next_handle++;
}
Obj& get(int32_t h, Kind k) {
  auto it = table.find(h);
  if (it == table.end() || it->second.kind != k) fail("bad handle " + std::to_string(h));
  return it->second;
}
void event(int32_t h, uint32_t code, uint32_t payload) {
  auto it = table.find(h);
  if (it == table.end()) return;  // dropped meanwhile
  it->second.has_event = true;
  it->second.code = code;
  it->second.payload = payload;
}

struct Event {
  uint32_t code, index, payload;
};

// waitable-set.wait: an event of the set, doing host work until there is one.
Event wait(int32_t set) {
  get(set, Kind::Set);
  for (;;) {
    for (auto& [h, o] : table) {
      if (o.set == set && o.has_event) {
        o.has_event = false;
        o.copying = false;
        if (o.kind == Kind::Subtask && o.payload == kReturned) o.resolved = true;
        return {o.code, (uint32_t)h, o.payload};
      }
    }
    if (actions.empty()) fail("deadlock: waiting on set " + std::to_string(set) + " with no host work left");
    auto a = std::move(actions.front());
    actions.pop_front();
    a();
  }
}

char* guest_string(const std::string& s) {
  char* p = (char*)cabi_realloc(nullptr, 0, 1, s.size());
  memcpy(p, s.data(), s.size());
  return p;
}

// Host side of a stream read by the guest: copies up to n items into the
// guest buffer; DROPPED with nothing once the items are gone.
uint32_t feed(int32_t h, uint8_t* buf, uint32_t n) {
  Obj& o = get(h, Kind::StreamRead);
  uint32_t count = 0;
  if (!o.words.empty()) {
    for (; count < n && !o.words.empty(); ++count) {
      std::string w = o.words.front();
      o.words.erase(o.words.begin());
      uint32_t* slot = (uint32_t*)(buf + 8 * count);
      slot[0] = (uint32_t)(uintptr_t)guest_string(w);
      slot[1] = (uint32_t)w.size();
    }
  } else {
    for (; count < n && !o.bytes.empty(); ++count) {
      buf[count] = o.bytes.front();
      o.bytes.erase(o.bytes.begin());
    }
  }
  return count ? (kCompleted | count << 4) : kDropped;
}

uint32_t stream_read(int32_t h, int32_t ptr, int32_t n) {
  Obj& o = get(h, Kind::StreamRead);
  check(!o.copying, "stream read while another is in flight");
  uint8_t* buf = (uint8_t*)(uintptr_t)ptr;
  if (reads++ % 2 == 0) return feed(h, buf, (uint32_t)n);  // right away
  o.copying = true;
  actions.push_back([h, buf, n] { event(h, kStreamRead, feed(h, buf, (uint32_t)n)); });
  return kBlocked;
}

// What the guest's tasks returned.
std::string run_result;
uint32_t u32_result = 0;
int32_t numbers_stream = -1;
bool returned = false;

}  // namespace

extern "C" {

// --- $root built-ins (wit.h) ---
int32_t __witc_waitable_set_new() { return add(Obj(Kind::Set)); }
int32_t __witc_waitable_set_wait(int32_t set, int32_t ptr) {
  Event e = wait(set);
  uint32_t* out = (uint32_t*)(uintptr_t)ptr;
  out[0] = e.index;
  out[1] = e.payload;
  return (int32_t)e.code;
}
void __witc_waitable_set_drop(int32_t set) {
  get(set, Kind::Set);
  for (auto& [h, o] : table) check(o.set != set, "dropping a waitable set that still has members");
  table.erase(set);
}
void __witc_waitable_join(int32_t h, int32_t set) {
  auto it = table.find(h);
  if (it == table.end() || it->second.kind == Kind::Set) fail("join of a bad waitable " + std::to_string(h));
  if (set) get(set, Kind::Set);
  it->second.set = set;
}
void __witc_subtask_drop(int32_t h) {
  check(get(h, Kind::Subtask).resolved, "subtask dropped before it returned");
  table.erase(h);
}
int32_t __witc_context_get() { return context; }
void __witc_context_set(int32_t v) { context = v; }
// thread.yield: the host does the work it has pending meanwhile.
int32_t __witc_thread_yield() {
  while (!actions.empty()) {
    auto a = std::move(actions.front());
    actions.pop_front();
    a();
  }
  return 0;
}
// subtask.cancel (sync): RETURNED if the callee's return is pending
// delivery, else the callee stops (before it started or before it returned).
int32_t __witc_subtask_cancel(int32_t h) {
  Obj& o = get(h, Kind::Subtask);
  check(o.set == 0, "sync subtask.cancel of a subtask in a waitable set");
  check(!o.resolved && !o.cancelled, "subtask.cancel after it resolved");
  o.resolved = true;
  if (o.has_event) {
    o.has_event = false;
    return (int32_t)o.payload;
  }
  o.cancelled = true;
  return (int32_t)(o.payload == kStarting ? kCancelledBeforeStarted : kCancelledBeforeReturned);
}
void __witc_task_cancel() { fail("task.cancel"); }

// --- witc:mock/host imports ---
// add: right away when a == 0; STARTING when a >= 100; else STARTED; and
// returned by a later host step (unless cancelled meanwhile).
int32_t __wasm_import_witc_mock_host__async_lower_add(int32_t a, int32_t b, int32_t ret) {
  uint32_t* out = (uint32_t*)(uintptr_t)ret;
  if (a == 0) {
    *out = (uint32_t)(a + b);
    return kReturned;
  }
  uint32_t state = a >= 100 ? kStarting : kStarted;
  Obj o(Kind::Subtask);
  o.payload = state;
  int32_t h = add(std::move(o));
  actions.push_back([h, a, b, out] {
    auto it = table.find(h);
    if (it == table.end() || it->second.cancelled) return;
    *out = (uint32_t)(a + b);
    event(h, kSubtask, kReturned);
  });
  return (int32_t)(state | (uint32_t)h << 4);
}
int32_t __wasm_import_witc_mock_host_words() {
  Obj o(Kind::StreamRead);
  o.words = {"alpha", "beta", "gamma"};
  return add(std::move(o));
}
int32_t __wasm_import_witc_mock_host__async_lower__stream_read_0_words(int32_t h, int32_t p, int32_t n) {
  return (int32_t)stream_read(h, p, n);
}
void __wasm_import_witc_mock_host__stream_drop_readable_0_words(int32_t h) {
  check(!get(h, Kind::StreamRead).copying, "stream dropped while copying");
  table.erase(h);
}
int32_t __wasm_import_witc_mock_host__stream_cancel_read_0_words(int32_t h) {
  Obj& o = get(h, Kind::StreamRead);
  o.copying = false;
  for (auto& a : actions) a = [] {};  // the host gives the buffer back
  return 2;                           // CANCELLED, nothing copied
}
int32_t __wasm_import_witc_mock_host_later() { return add(Obj(Kind::FutureRead)); }
int32_t __wasm_import_witc_mock_host__async_lower__future_read_0_later(int32_t h, int32_t ptr) {
  Obj& o = get(h, Kind::FutureRead);
  o.copying = true;
  uint32_t copy = ++o.copy;
  uint32_t* out = (uint32_t*)(uintptr_t)ptr;
  actions.push_back([h, out, copy] {
    auto it = table.find(h);
    if (it == table.end() || !it->second.copying || it->second.copy != copy) return;  // cancelled
    *out = 42;
    event(h, kFutureRead, kCompleted);
  });
  return (int32_t)kBlocked;
}
int32_t __wasm_import_witc_mock_host__future_cancel_read_0_later(int32_t h) {
  Obj& o = get(h, Kind::FutureRead);
  check(o.copying && o.set == 0, "future.cancel-read without a read in flight, or in a waitable set");
  o.copying = false;
  return (int32_t)kCancelled;
}
void __wasm_import_witc_mock_host__future_drop_readable_0_later(int32_t h) {
  get(h, Kind::FutureRead);
  table.erase(h);
}

// --- built-ins of the exports' streams ---
int32_t __wasm_import__export__root__async_lower__stream_read_0_sink(int32_t h, int32_t p, int32_t n) {
  return (int32_t)stream_read(h, p, n);
}
void __wasm_import__export__root__stream_drop_readable_0_sink(int32_t h) {
  get(h, Kind::StreamRead);
  table.erase(h);
}
std::vector<uint32_t> numbers_received;
int64_t __wasm_import__export__root__stream_new_0_numbers() {
  Obj r(Kind::StreamRead);
  int32_t ri = add(std::move(r));
  Obj w(Kind::StreamWrite);
  w.sink = &numbers_received;
  int32_t wi = add(std::move(w));
  return (int64_t)(uint32_t)ri | ((int64_t)wi << 32);
}
// The host reads what the guest writes: two values at a time, later.
int32_t __wasm_import__export__root__async_lower__stream_write_0_numbers(int32_t h, int32_t p, int32_t n) {
  Obj& o = get(h, Kind::StreamWrite);
  o.copying = true;
  const uint32_t* src = (const uint32_t*)(uintptr_t)p;
  actions.push_back([h, src, n] {
    Obj& w = get(h, Kind::StreamWrite);
    uint32_t k = n < 2 ? (uint32_t)n : 2;
    for (uint32_t i = 0; i < k; ++i) w.sink->push_back(src[i]);
    event(h, kStreamWrite, kCompleted | k << 4);
  });
  return (int32_t)kBlocked;
}
void __wasm_import__export__root__stream_drop_writable_0_numbers(int32_t h) {
  check(!get(h, Kind::StreamWrite).copying, "writable end dropped while copying");
  table.erase(h);
}
void __wasm_import__export__root__stream_drop_readable_0_numbers(int32_t h) { table.erase(h); }

// Cancellation is not exercised here: reaching one of these is a failure.
int32_t __wasm_import__export__root__stream_cancel_read_0_sink(int32_t) { fail("cancel-read sink"); }
int32_t __wasm_import__export__root__stream_cancel_read_0_numbers(int32_t) { fail("cancel-read numbers"); }
int32_t __wasm_import__export__root__stream_cancel_write_0_numbers(int32_t) { fail("cancel-write numbers"); }

// answer: a future the guest writes; the host reads it a step later. The
// bindings make every future<u32> with the built-ins of the first function
// that carries the type, the import `later`.
uint32_t answer_received = 0;
int32_t answer_future = -1;
int64_t __wasm_import_witc_mock_host__future_new_0_later() {
  int32_t ri = add(Obj(Kind::FutureRead));
  int32_t wi = add(Obj(Kind::FutureWrite));
  return (int64_t)(uint32_t)ri | ((int64_t)wi << 32);
}
int32_t __wasm_import_witc_mock_host__async_lower__future_write_0_later(int32_t h, int32_t p) {
  Obj& o = get(h, Kind::FutureWrite);
  o.copying = true;
  const uint32_t* src = (const uint32_t*)(uintptr_t)p;
  uint32_t copy = ++o.copy;
  actions.push_back([h, src, copy] {
    auto it = table.find(h);
    if (it == table.end() || !it->second.copying || it->second.copy != copy) return;  // cancelled
    Obj& w = it->second;
    answer_received = *src;
    w.resolved = true;  // DONE: may be dropped now
    event(h, kFutureWrite, kCompleted);
  });
  return (int32_t)kBlocked;
}
int32_t __wasm_import_witc_mock_host__future_cancel_write_0_later(int32_t h) {
  Obj& o = get(h, Kind::FutureWrite);
  check(o.copying && o.set == 0, "future.cancel-write without a write in flight, or in a waitable set");
  o.copying = false;
  return (int32_t)kCancelled;
}
void __wasm_import_witc_mock_host__future_drop_writable_0_later(int32_t h) {
  check(get(h, Kind::FutureWrite).resolved, "future writer dropped before it was written");
  table.erase(h);
}
void __wasm_import__export__root__task_return_answer(int32_t h) {
  answer_future = h;
  returned = true;
}

// --- task.return ---
void __wasm_import__export__root__task_return_run(int32_t p, int32_t n) {
  run_result.assign((const char*)(uintptr_t)p, (size_t)n);
  returned = true;
}
void __wasm_import__export__root__task_return_blocking(int32_t v) {
  u32_result = (uint32_t)v;
  returned = true;
}
void __wasm_import__export__root__task_return_sink(int32_t v) {
  u32_result = (uint32_t)v;
  returned = true;
}
void __wasm_import__export__root__task_return_cancel(int32_t p, int32_t n) {
  run_result.assign((const char*)(uintptr_t)p, (size_t)n);
  returned = true;
}
void __wasm_import__export__root__task_return_numbers(int32_t h) {
  numbers_stream = h;
  returned = true;
}

// the guest's exports
int32_t __wasm_export__async_lift_run(int32_t);
int32_t __wasm_callback__async_lift_run(int32_t, int32_t, int32_t);
int32_t __wasm_export__async_lift_blocking(int32_t);
int32_t __wasm_callback__async_lift_blocking(int32_t, int32_t, int32_t);
int32_t __wasm_export__async_lift_sink(int32_t);
int32_t __wasm_callback__async_lift_sink(int32_t, int32_t, int32_t);
int32_t __wasm_export__async_lift_numbers(int32_t);
int32_t __wasm_callback__async_lift_numbers(int32_t, int32_t, int32_t);
int32_t __wasm_export__async_lift_cancel(int32_t);
int32_t __wasm_callback__async_lift_cancel(int32_t, int32_t, int32_t);
int32_t __wasm_export__async_lift_answer();
int32_t __wasm_callback__async_lift_answer(int32_t, int32_t, int32_t);
}

namespace {

// The callback-ABI event loop of one task (CanonicalABI.md `canon_lift`).
void drive(int32_t code, int32_t (*callback)(int32_t, int32_t, int32_t)) {
  int32_t task_context = context;
  while (code != 0) {
    check((code & 0xf) == 2, "callback code " + std::to_string(code) + " is not WAIT");
    Event e = wait(code >> 4);
    context = task_context;
    code = callback((int32_t)e.code, (int32_t)e.index, (int32_t)e.payload);
    task_context = context;
  }
  check(task_context == 0, "the task left its context slot set");
}

}  // namespace

int main() {
  // run: continuations (then) through subtasks, stream reads and a future.
  returned = false;
  context = 0;
  drive(__wasm_export__async_lift_run(5), __wasm_callback__async_lift_run);
  check(returned, "run did not return");
  check(run_result == "sum=6 now=7 words=alpha,beta,gamma later=42", "run returned `" + run_result + "`");

  // blocking: get() and blocking reads inside a task.
  returned = false;
  drive(__wasm_export__async_lift_blocking(10), __wasm_callback__async_lift_blocking);
  check(returned && u32_result == 10 + 2 + 3 + 42, "blocking returned " + std::to_string(u32_result));

  // sink: a stream the host writes, summed by the guest's reads.
  Obj s(Kind::StreamRead);
  s.bytes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  int32_t sh = add(std::move(s));
  returned = false;
  drive(__wasm_export__async_lift_sink(sh), __wasm_callback__async_lift_sink);
  check(returned && u32_result == 55, "sink returned " + std::to_string(u32_result));
  check(table.find(sh) == table.end(), "sink did not drop its stream");

  // numbers: the task returns a stream first, then writes it.
  returned = false;
  drive(__wasm_export__async_lift_numbers(5), __wasm_callback__async_lift_numbers);
  check(returned && numbers_stream > 0, "numbers did not return its stream");
  check(numbers_received == std::vector<uint32_t>({0, 1, 2, 3, 4}), "numbers wrote " + std::to_string(numbers_received.size()));

  // answer: the task returns a future, then writes it.
  returned = false;
  drive(__wasm_export__async_lift_answer(), __wasm_callback__async_lift_answer);
  check(returned && answer_future > 0 && answer_received == 7, "answer wrote " + std::to_string(answer_received));
  table.erase(answer_future);  // the host's readable end

  // cancel: subtask.cancel in each state; future reads and writes cancelled, then done anew.
  returned = false;
  answer_received = 0;
  drive(__wasm_export__async_lift_cancel(5), __wasm_callback__async_lift_cancel);
  check(returned, "cancel did not return");
  check(run_result == "now=returned:5 starting=3 started=4 returned=2:7 read=2:42 write=2,false,true", "cancel returned `" + run_result + "`");
  check(answer_received == 9, "the future written after a cancelled write got " + std::to_string(answer_received));

  // Two tasks at once: each keeps its own context slot.
  returned = false;
  int32_t c1 = __wasm_export__async_lift_run(5);
  int32_t ctx1 = context;
  context = 0;
  int32_t c2 = __wasm_export__async_lift_run(5);
  int32_t ctx2 = context;
  check(c1 != 0 && c2 != 0 && ctx1 != ctx2, "two run tasks should both wait, with their own state");
  context = ctx2;
  drive(c2, __wasm_callback__async_lift_run);
  context = ctx1;
  drive(c1, __wasm_callback__async_lift_run);
  check(run_result == "sum=6 now=7 words=alpha,beta,gamma later=42", "interleaved run returned `" + run_result + "`");

  for (auto& [h, o] : table) check(o.kind == Kind::StreamRead && h == numbers_stream, "handle " + std::to_string(h) + " leaked");
  std::printf("ok: async mock host\n");
  return 0;
}
