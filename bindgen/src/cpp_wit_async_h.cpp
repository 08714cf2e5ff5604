// The async part of `wit.h` (Concurrency.md; docs/bindgen-cpp.md "Async"):
// wit::subtask, wit::task_return, streams, futures, error-context and the
// callback-ABI event loop in wit::detail, on the canonical built-ins.
#include "cpp_gen.h"

namespace witc::bindgen {

const std::string& wit_header_async() {
  static const std::string text = R"__(
// ---- Async (Concurrency.md; docs/bindgen-cpp.md "Async") -------------------

/// How a stream or future copy ended (CanonicalABI.md `CopyResult`).
enum class copy_status : uint8_t { completed = 0, dropped = 1, cancelled = 2 };

/// How a cancelled subtask ended (CanonicalABI.md `Subtask.State`).
enum class subtask_state : uint8_t { returned = 2, cancelled_before_started = 3, cancelled_before_returned = 4 };

/// A move-only callable: continuations may own move-only values.
template <class Sig> class function;
template <class R, class... A> class function<R(A...)> {
  struct base {
    virtual ~base() = default;
    virtual R call(A&&... a) = 0;
  };
  template <class F> struct impl final : base {
    F f;
    explicit impl(F&& x) : f(std::move(x)) {}
    R call(A&&... a) override { return f(std::forward<A>(a)...); }
  };
  std::unique_ptr<base> p_;

 public:
  function() = default;
  function(std::nullptr_t) {}
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, function>>>
  function(F f) : p_(new impl<std::decay_t<F>>(std::move(f))) {}
  function(function&&) noexcept = default;
  function& operator=(function&&) noexcept = default;
  explicit operator bool() const { return p_ != nullptr; }
  R operator()(A... a) { return p_->call(std::forward<A>(a)...); }
};

/// The canonical built-ins of one stream or future payload type. The
/// generated bindings specialize these for every payload type that occurs in
/// a function of the world (docs/bindgen-cpp.md).
/// K tells WIT types that map to one C++ type apart: T with each `char`
/// (not inside a nested stream or future) spelled wit::char_tag, where that
/// differs from T (`future<char>`: wit::future<uint32_t, wit::char_tag>).
struct char_tag {};
template <class T, class K = T> struct stream_traits;
template <class T, class K = T> struct future_traits;

template <class T, class K = T> class stream;
template <class T, class K = T> class stream_writer;
template <class T, class K = T> class future;
template <class T, class K = T> class future_writer;

namespace detail {

extern "C" {
__attribute__((import_module("$root"), import_name("[waitable-set-new]"))) int32_t __witc_waitable_set_new(void);
__attribute__((import_module("$root"), import_name("[waitable-set-wait]"))) int32_t __witc_waitable_set_wait(int32_t, int32_t);
__attribute__((import_module("$root"), import_name("[waitable-set-drop]"))) void __witc_waitable_set_drop(int32_t);
__attribute__((import_module("$root"), import_name("[waitable-join]"))) void __witc_waitable_join(int32_t, int32_t);
__attribute__((import_module("$root"), import_name("[subtask-drop]"))) void __witc_subtask_drop(int32_t);
__attribute__((import_module("$root"), import_name("[subtask-cancel]"))) int32_t __witc_subtask_cancel(int32_t);
__attribute__((import_module("$root"), import_name("[context-get-0]"))) int32_t __witc_context_get(void);
__attribute__((import_module("$root"), import_name("[context-set-0]"))) void __witc_context_set(int32_t);
__attribute__((import_module("$root"), import_name("[thread-yield]"))) int32_t __witc_thread_yield(void);
__attribute__((import_module("$root"), import_name("[backpressure-inc]"))) void __witc_backpressure_inc(void);
__attribute__((import_module("$root"), import_name("[backpressure-dec]"))) void __witc_backpressure_dec(void);
__attribute__((import_module("$root"), import_name("[error-context-new-utf8]"))) int32_t __witc_error_context_new(int32_t, int32_t);
__attribute__((import_module("$root"), import_name("[error-context-debug-message-utf8]"))) void __witc_error_context_debug_message(int32_t, int32_t);
__attribute__((import_module("$root"), import_name("[error-context-drop]"))) void __witc_error_context_drop(int32_t);
__attribute__((import_module("[export]$root"), import_name("[task-cancel]"))) void __witc_task_cancel(void);
}

/// CanonicalABI.md: `BLOCKED`, event codes, subtask states, callback codes.
inline constexpr uint32_t kBlocked = 0xffffffffu;
enum : uint32_t { kEventNone = 0, kEventSubtask = 1, kEventStreamRead = 2, kEventStreamWrite = 3,
                  kEventFutureRead = 4, kEventFutureWrite = 5, kEventTaskCancelled = 6 };
enum : uint32_t { kStarting = 0, kStarted = 1, kReturned = 2 };
enum : int32_t { kCallbackExit = 0, kCallbackWait = 2 };

struct task;

/// An operation in flight on one waitable (a subtask, or a stream or future
/// end). Owned by the global list while a task watches it.
struct waiter {
  int32_t handle = -1;
  int32_t joined = 0;      // the waitable set it is in, or 0
  bool listed = false;     // in waiters(), counted by `owner`
  task* owner = nullptr;
  waiter* next = nullptr;
  virtual ~waiter() = default;
  /// An event for this waitable. Returns true when the operation is over;
  /// before running a continuation it leaves the set and the list (detach).
  virtual bool on_event(uint32_t code, uint32_t payload) = 0;
  inline void detach();
};

inline waiter*& waiters() {
  static waiter* head = nullptr;
  return head;
}

inline waiter* find_waiter(int32_t handle) {
  for (waiter* w = waiters(); w; w = w->next)
    if (w->handle == handle) return w;
  return nullptr;
}

/// The state of the current task: an async export's (callback ABI), or one
/// made on demand where a synchronous function starts asynchronous work.
/// Found through context slot 0 (`context.get`/`context.set`).
struct task {
  int32_t set = 0;          // waitable set, made when first needed
  uint32_t pending = 0;     // waiters this task watches
  bool is_async = false;    // an async export's task
  bool resolved = false;    // task.return or task.cancel was called
  borrow_scope* borrows = nullptr;  // borrowed handles lent until the task returns
  task() = default;
  task(task const&) = delete;
  task& operator=(task const&) = delete;
  ~task() {
    drop_borrows();
    if (set) __witc_waitable_set_drop(set);
  }
  void drop_borrows() {
    delete borrows;
    borrows = nullptr;
  }
  static task* current() { return (task*)(uintptr_t)__witc_context_get(); }
  static task* ensure() {
    task* t = current();
    if (!t) {
      t = new task;
      __witc_context_set((int32_t)(uintptr_t)t);
    }
    return t;
  }
  /// Takes `w` over: its events come through this task's event loop.
  void watch(waiter* w) {
    if (!set) set = __witc_waitable_set_new();
    __witc_waitable_join(w->handle, set);
    w->joined = set;
    w->owner = this;
    w->listed = true;
    w->next = waiters();
    waiters() = w;
    ++pending;
  }
};

inline void waiter::detach() {
  if (joined) {
    __witc_waitable_join(handle, 0);
    joined = 0;
  }
  if (listed) {
    for (waiter** p = &waiters(); *p; p = &(*p)->next) {
      if (*p == this) {
        *p = next;
        break;
      }
    }
    listed = false;
    if (owner) --owner->pending;
  }
}

/// Delivers one event (from waitable-set.wait or the callback ABI).
inline void dispatch(uint32_t code, uint32_t index, uint32_t payload) {
  if (code == kEventNone) return;
  if (code == kEventTaskCancelled) {
    task* t = task::current();
    if (t && t->is_async && !t->resolved) {
      t->resolved = true;
      t->drop_borrows();
      __witc_task_cancel();
    }
    return;
  }
  if (waiter* w = find_waiter((int32_t)index)) {
    if (w->on_event(code, payload)) delete w;
  }
}

/// Waits for the operation `w` (not watched by a task) to end, in a waitable
/// set of its own: the blocking forms (get(), blocking reads and writes).
inline void block_on(waiter* w) {
  int32_t set = __witc_waitable_set_new();
  __witc_waitable_join(w->handle, set);
  w->joined = set;
  alignas(4) uint32_t ev[2];
  for (;;) {
    uint32_t code = (uint32_t)__witc_waitable_set_wait(set, (int32_t)(uintptr_t)ev);
    if (code != kEventNone && code != kEventTaskCancelled && w->on_event(code, ev[1])) break;
  }
  w->detach();
  __witc_waitable_set_drop(set);
}

/// The start of an async export's task (`[async-lift]…`).
inline task* enter_task() {
  task* t = new task;
  t->is_async = true;
  __witc_context_set((int32_t)(uintptr_t)t);
  return t;
}

/// What an async export tells the callback ABI: EXIT when its task has
/// nothing left in flight (the task ends), else WAIT on its waitable set.
inline int32_t task_status() {
  task* t = task::current();
  if (!t) return kCallbackExit;
  if (t->pending == 0) {
    __witc_context_set(0);
    delete t;
    return kCallbackExit;
  }
  return kCallbackWait | (t->set << 4);
}

/// `[callback][async-lift]…`: one event for the current task.
inline int32_t task_callback(int32_t code, int32_t index, int32_t payload) {
  dispatch((uint32_t)code, (uint32_t)index, (uint32_t)payload);
  return task_status();
}

/// A continuation taking a T (nothing for void).
template <class T> struct continuation { using type = function<void(T)>; };
template <> struct continuation<void> { using type = function<void()>; };
/// A value of T; void holds nothing.
struct unit {};
template <class T> using value_or_unit = std::conditional_t<std::is_void_v<T>, unit, T>;

template <class T, class V> void call_continuation(typename continuation<T>::type& k, V&& v) {
  if constexpr (std::is_void_v<T>) {
    (void)v;
    k();
  } else {
    k(std::move(v));
  }
}

/// A call of an async-lowered import (`[async-lower]f`): its argument
/// buffers (kept until the callee has STARTED), the return area, and the
/// function that lifts the result from it.
template <class T> struct call final : waiter {
  using value_t = value_or_unit<T>;
  cleanup args;
  uint8_t* ret = nullptr;
  value_t (*lift)(uint8_t*) = nullptr;
  std::optional<value_t> value;
  typename continuation<T>::type k;
  bool done = false;
  subtask_state ended = subtask_state::returned;
  call(size_t ret_size, value_t (*l)(uint8_t*)) : lift(l) {
    if (ret_size) {
      ret = (uint8_t*)malloc(ret_size);
      if (!ret) abort();
    }
  }
  ~call() override { free(ret); }
  void finish(uint32_t st) {
    done = true;
    ended = subtask_state(st);
    args.release();
    if (st == kReturned) value.emplace(lift(ret));
    free(ret);
    ret = nullptr;
  }
  bool on_event(uint32_t code, uint32_t state) override {
    if (code != kEventSubtask) return false;
    if (state == kStarted) {
      args.release();
      return false;
    }
    if (state == kStarting) return false;
    detach();
    __witc_subtask_drop(handle);
    finish(state);
    if (k && value) call_continuation<T>(k, std::move(*value));
    return true;
  }
};

template <class T> struct stream_elems { using type = wit::vector<T>; };
template <> struct stream_elems<void> { using type = size_t; };

/// A stream read in flight: its buffer (canonical layout) and continuation.
template <class T, class K = T> struct stream_read final : waiter {
  using elems_t = typename stream_elems<T>::type;
  uint8_t* buf = nullptr;
  uint32_t result = 0;
  function<void(elems_t, copy_status)> k;
  stream_read(int32_t h, size_t max) {
    handle = h;
    if constexpr (!std::is_void_v<T>) {
      buf = (uint8_t*)malloc(max * stream_traits<T, K>::size + 1);
      if (!buf) abort();
    }
  }
  ~stream_read() override { free(buf); }
  /// The values read (the buffer is given up).
  elems_t take() {
    size_t n = result >> 4;
    if constexpr (std::is_void_v<T>) {
      return n;
    } else {
      uint8_t* b = buf;
      buf = nullptr;
      return stream_traits<T, K>::lift(b, n);
    }
  }
  bool on_event(uint32_t code, uint32_t payload) override {
    if (code != kEventStreamRead) return false;
    detach();
    result = payload;
    if (k) {
      auto v = take();
      k(std::move(v), copy_status(payload & 0xf));
    }
    return true;
  }
};

/// A stream write in flight: the values lowered (ownership moved into the
/// buffer) and the continuation, which gets back the values not written.
template <class T, class K = T> struct stream_write final : waiter {
  using elems_t = typename stream_elems<T>::type;
  uint8_t* buf = nullptr;
  size_t count = 0;
  uint32_t result = 0;
  function<void(elems_t, copy_status)> k;
  stream_write(int32_t h, elems_t&& values) {
    handle = h;
    if constexpr (std::is_void_v<T>) {
      count = values;
    } else {
      count = values.size();
      buf = stream_traits<T, K>::lower(std::move(values));
    }
  }
  ~stream_write() override {
    if (buf) (void)rest();
  }
  /// The values not written; frees what was.
  elems_t rest() {
    size_t written = result >> 4;
    if constexpr (std::is_void_v<T>) {
      return count - written;
    } else {
      uint8_t* b = buf;
      buf = nullptr;
      return stream_traits<T, K>::finish_write(b, written, count);
    }
  }
  bool on_event(uint32_t code, uint32_t payload) override {
    if (code != kEventStreamWrite) return false;
    detach();
    result = payload;
    if (k) {
      auto v = rest();
      k(std::move(v), copy_status(payload & 0xf));
    }
    return true;
  }
};

/// A future read in flight; it owns the readable end (dropped when done).
template <class T, class K = T> struct future_read final : waiter {
  uint8_t* buf = nullptr;
  uint32_t result = 0;
  future_read** link = nullptr;  // the future that can cancel it, if alive
  typename continuation<T>::type k;
  std::optional<value_or_unit<T>> value;
  explicit future_read(int32_t h) {
    handle = h;
    if constexpr (!std::is_void_v<T>) {
      buf = (uint8_t*)malloc(future_traits<T, K>::size + 1);
      if (!buf) abort();
    }
  }
  ~future_read() override {
    if (link) *link = nullptr;
    free(buf);
    if (handle >= 0) future_traits<T, K>::drop_readable(handle);
  }
  void finish(uint32_t payload) {
    result = payload;
    if (copy_status(payload & 0xf) == copy_status::completed) {
      if constexpr (std::is_void_v<T>) {
        value.emplace();
      } else {
        uint8_t* b = buf;
        buf = nullptr;
        value.emplace(future_traits<T, K>::lift(b));
      }
    }
  }
  bool on_event(uint32_t code, uint32_t payload) override {
    if (code != kEventFutureRead) return false;
    detach();
    finish(payload);
    if (k && value) call_continuation<T>(k, std::move(*value));
    return true;
  }
};

/// A future write in flight; it owns the writable end (dropped when done).
template <class T, class K = T> struct future_write final : waiter {
  uint8_t* buf = nullptr;
  uint32_t result = 0;
  future_write** link = nullptr;  // the writer that can cancel it, if alive
  function<void(bool)> k;
  explicit future_write(int32_t h) { handle = h; }
  ~future_write() override {
    if (link) *link = nullptr;
    if constexpr (!std::is_void_v<T>) {
      if (buf) future_traits<T, K>::discard(buf);
    }
    if (handle >= 0) future_traits<T, K>::drop_writable(handle);
  }
  /// True if the reader received the value; else the value is destroyed.
  bool finish(uint32_t payload) {
    result = payload;
    bool ok = copy_status(payload & 0xf) == copy_status::completed;
    if constexpr (!std::is_void_v<T>) {
      if (ok) {
        future_traits<T, K>::written(buf);
      } else {
        future_traits<T, K>::discard(buf);
      }
      buf = nullptr;
    }
    return ok;
  }
  bool on_event(uint32_t code, uint32_t payload) override {
    if (code != kEventFutureWrite) return false;
    detach();
    bool ok = finish(payload);
    if (k) k(ok);
    return true;
  }
};

}  // namespace detail

/// Processes events until the current task has no operation in flight: the
/// way a synchronous function waits for the continuations it started.
inline void wait_pending() {
  detail::task* t = detail::task::current();
  if (!t) return;
  alignas(4) uint32_t ev[2];
  while (t->pending > 0) {
    uint32_t code = (uint32_t)detail::__witc_waitable_set_wait(t->set, (int32_t)(uintptr_t)ev);
    detail::dispatch(code, ev[0], ev[1]);
  }
  if (!t->is_async) {
    detail::__witc_context_set(0);
    delete t;
  }
}

/// Lets other tasks run (`thread.yield`).
inline void yield() { (void)detail::__witc_thread_yield(); }
/// Backpressure: while raised, new calls of this component's async exports wait.
inline void backpressure_inc() { detail::__witc_backpressure_inc(); }
inline void backpressure_dec() { detail::__witc_backpressure_dec(); }

/// A call of an imported async function in flight (`[async-lower]`). Either
/// wait for its result (get()), or give it a continuation (then()) that the
/// current task's event loop runs when the callee returns. Dropping it
/// without either lets the call finish in the background.
template <class T> class subtask {
  std::unique_ptr<detail::call<T>> c_;

 public:
  using value_type = T;
  subtask(std::unique_ptr<detail::call<T>> c, int32_t status) : c_(std::move(c)) {
    uint32_t st = (uint32_t)status & 0xf;
    if (st == detail::kReturned) {
      c_->finish(st);
    } else {
      c_->handle = (int32_t)((uint32_t)status >> 4);
      if (st == detail::kStarted) c_->args.release();
    }
  }
  subtask(subtask&&) noexcept = default;
  subtask& operator=(subtask&&) noexcept = default;
  ~subtask() {
    if (c_ && !c_->done) detail::task::ensure()->watch(c_.release());
  }
  /// True once the callee has returned.
  bool ready() const { return c_ && c_->done; }
  /// Waits for the callee to return; its result (traps if the call was cancelled).
  T get() {
    if (!c_->done) detail::block_on(c_.get());
    if (!c_->value) detail::trap();
    if constexpr (!std::is_void_v<T>) return std::move(*c_->value);
  }
  /// Cancels the call (`subtask.cancel`, waiting until the callee has
  /// resolved). `returned`: it returned first, get() gives the result;
  /// else it was cancelled before it started (the callee never saw the
  /// arguments) or before it returned, and get() traps.
  subtask_state cancel() {
    if (c_->done) return c_->ended;
    uint32_t st = (uint32_t)detail::__witc_subtask_cancel(c_->handle);
    detail::__witc_subtask_drop(c_->handle);
    c_->finish(st);
    return subtask_state(st);
  }
  /// Runs `k` with the result when the callee returns (right away if it has).
  void then(typename detail::continuation<T>::type k) {
    if (c_->done) {
      if (c_->value) detail::call_continuation<T>(k, std::move(*c_->value));
      c_.reset();
      return;
    }
    c_->k = std::move(k);
    detail::task::ensure()->watch(c_.release());
  }
};

/// How an async export returns its result, now or later: call it once, from
/// the export itself or from a continuation of its task.
template <class T> class task_return {
  detail::task* task_ = nullptr;
  void (*ret_)(T&&) = nullptr;

 public:
  task_return() = default;
  task_return(detail::task* t, void (*r)(T&&)) : task_(t), ret_(r) {}
  task_return(task_return&& o) noexcept : task_(std::exchange(o.task_, nullptr)), ret_(o.ret_) {}
  task_return& operator=(task_return&& o) noexcept {
    task_ = std::exchange(o.task_, nullptr);
    ret_ = o.ret_;
    return *this;
  }
  /// False once the task has returned or was cancelled.
  bool pending() const { return task_ && !task_->resolved; }
  void operator()(T value) {
    if (!task_) detail::trap();
    detail::task* t = std::exchange(task_, nullptr);
    if (t->resolved) return;  // cancelled by the caller
    if (detail::task::current() != t) detail::trap();
    t->resolved = true;
    t->drop_borrows();
    ret_(std::move(value));
  }
};
template <> class task_return<void> {
  detail::task* task_ = nullptr;
  void (*ret_)() = nullptr;

 public:
  task_return() = default;
  task_return(detail::task* t, void (*r)()) : task_(t), ret_(r) {}
  task_return(task_return&& o) noexcept : task_(std::exchange(o.task_, nullptr)), ret_(o.ret_) {}
  task_return& operator=(task_return&& o) noexcept {
    task_ = std::exchange(o.task_, nullptr);
    ret_ = o.ret_;
    return *this;
  }
  bool pending() const { return task_ && !task_->resolved; }
  void operator()() {
    if (!task_) detail::trap();
    detail::task* t = std::exchange(task_, nullptr);
    if (t->resolved) return;
    if (detail::task::current() != t) detail::trap();
    t->resolved = true;
    t->drop_borrows();
    ret_();
  }
};

/// An `error-context` handle (dropped with its value).
class error_context {
  int32_t handle_;

 public:
  explicit error_context(int32_t h = -1) : handle_(h) {}
  error_context(error_context&& o) noexcept : handle_(std::exchange(o.handle_, -1)) {}
  error_context& operator=(error_context&& o) noexcept {
    std::swap(handle_, o.handle_);
    return *this;
  }
  ~error_context() {
    if (handle_ >= 0) detail::__witc_error_context_drop(handle_);
  }
  /// A new error-context with a debug message (`error-context.new`).
  static error_context create(std::string_view message) {
    return error_context(detail::__witc_error_context_new((int32_t)(uintptr_t)message.data(), (int32_t)message.size()));
  }
  /// Its debug message (`error-context.debug-message`).
  string debug_message() const {
    alignas(4) int32_t area[2];
    detail::__witc_error_context_debug_message(handle_, (int32_t)(uintptr_t)area);
    return string((char const*)(uintptr_t)area[0], (size_t)area[1]);
  }
  int32_t get_handle() const { return handle_; }
  int32_t into_handle() { return std::exchange(handle_, -1); }
};

/// The readable end of a `stream<T>` (what crosses the boundary). Reads go
/// through its handle: keep the object alive until a read's continuation
/// has run; destroying it cancels a read in flight and drops the end.
/// `stream<void>` counts values instead of holding them.
template <class T, class K> class stream {
  int32_t handle_;
  using traits = stream_traits<T, K>;

 public:
  using value_type = T;
  using elems_t = typename detail::stream_elems<T>::type;
  explicit stream(int32_t h = -1) : handle_(h) {}
  stream(stream&& o) noexcept : handle_(std::exchange(o.handle_, -1)) {}
  stream& operator=(stream&& o) noexcept {
    std::swap(handle_, o.handle_);
    return *this;
  }
  ~stream() { close(); }
  /// A new stream: its readable end (to pass on) and writable end (`stream.new`).
  static std::pair<stream<T, K>, stream_writer<T, K>> create() {
    uint64_t ends = (uint64_t)traits::new_();
    return {stream<T, K>((int32_t)(uint32_t)ends), stream_writer<T, K>((int32_t)(ends >> 32))};
  }
  int32_t get_handle() const { return handle_; }
  int32_t into_handle() { return std::exchange(handle_, -1); }
  /// Reads up to `max` values; `k(values, status)` runs when they are there
  /// (right away if they already are). `dropped`: the writer is gone, and
  /// no read can follow.
  void read(size_t max, function<void(elems_t, copy_status)> k) {
    auto* op = new detail::stream_read<T, K>(handle_, max);
    uint32_t r = traits::read(handle_, op->buf, (uint32_t)max);
    if (r == detail::kBlocked) {
      op->k = std::move(k);
      detail::task::ensure()->watch(op);
      return;
    }
    op->result = r;
    auto v = op->take();
    delete op;
    k(std::move(v), copy_status(r & 0xf));
  }
  /// Waits for up to `max` values; fewer (none: the end) if the writer is gone.
  elems_t read(size_t max) {
    detail::stream_read<T, K> op(handle_, max);
    uint32_t r = traits::read(handle_, op.buf, (uint32_t)max);
    if (r == detail::kBlocked) {
      detail::block_on(&op);
    } else {
      op.result = r;
    }
    return op.take();
  }
  /// Cancels a read in flight; its continuation runs with what was read.
  void cancel_read() {
    detail::waiter* w = detail::find_waiter(handle_);
    if (!w) return;
    w->detach();
    uint32_t r = traits::cancel_read(handle_);
    if (w->on_event(detail::kEventStreamRead, r)) delete w;
  }
  /// Drops the readable end (cancelling a read in flight, without its continuation).
  void close() {
    if (handle_ < 0) return;
    if (detail::waiter* w = detail::find_waiter(handle_)) {
      w->detach();
      static_cast<detail::stream_read<T, K>*>(w)->k = nullptr;
      (void)w->on_event(detail::kEventStreamRead, traits::cancel_read(handle_));
      delete w;
    }
    traits::drop_readable(std::exchange(handle_, -1));
  }
};

/// The writable end of a stream (stays with its creator).
template <class T, class K> class stream_writer {
  int32_t handle_;
  using traits = stream_traits<T, K>;

 public:
  using elems_t = typename detail::stream_elems<T>::type;
  explicit stream_writer(int32_t h = -1) : handle_(h) {}
  stream_writer(stream_writer&& o) noexcept : handle_(std::exchange(o.handle_, -1)) {}
  stream_writer& operator=(stream_writer&& o) noexcept {
    std::swap(handle_, o.handle_);
    return *this;
  }
  ~stream_writer() { close(); }
  int32_t get_handle() const { return handle_; }
  /// Writes `values`; `k(rest, status)` runs when the reader took some (or
  /// all) of them, with those not written.
  void write(elems_t values, function<void(elems_t, copy_status)> k) {
    auto* op = new detail::stream_write<T, K>(handle_, std::move(values));
    uint32_t r = traits::write(handle_, op->buf, (uint32_t)op->count);
    if (r == detail::kBlocked) {
      op->k = std::move(k);
      detail::task::ensure()->watch(op);
      return;
    }
    op->result = r;
    auto rest = op->rest();
    delete op;
    k(std::move(rest), copy_status(r & 0xf));
  }
  /// Writes all of `values`, waiting as needed; how many were written (fewer
  /// if the reader went away).
  size_t write_all(elems_t values) {
    size_t total = 0;
    for (;;) {
      size_t n;
      if constexpr (std::is_void_v<T>) {
        n = values;
      } else {
        n = values.size();
      }
      if (n == 0) return total;
      detail::stream_write<T, K> op(handle_, std::move(values));
      uint32_t r = traits::write(handle_, op.buf, (uint32_t)op.count);
      if (r == detail::kBlocked) {
        detail::block_on(&op);
      } else {
        op.result = r;
      }
      total += op.result >> 4;
      values = op.rest();
      if (copy_status(op.result & 0xf) == copy_status::dropped) return total;
    }
  }
  /// Cancels a write in flight; its continuation runs with the values not written.
  void cancel_write() {
    detail::waiter* w = detail::find_waiter(handle_);
    if (!w) return;
    w->detach();
    uint32_t r = traits::cancel_write(handle_);
    if (w->on_event(detail::kEventStreamWrite, r)) delete w;
  }
  /// Drops the writable end: the reader sees the end of the stream.
  void close() {
    if (handle_ < 0) return;
    if (detail::waiter* w = detail::find_waiter(handle_)) {
      w->detach();
      static_cast<detail::stream_write<T, K>*>(w)->k = nullptr;
      (void)w->on_event(detail::kEventStreamWrite, traits::cancel_write(handle_));
      delete w;
    }
    traits::drop_writable(std::exchange(handle_, -1));
  }
};

/// The readable end of a `future<T>` (what crosses the boundary): read once,
/// with get() or then(), which take the end over.
template <class T, class K> class future {
  int32_t handle_;
  detail::future_read<T, K>* reading_ = nullptr;  // a read of then() in flight
  using traits = future_traits<T, K>;
  void relink() {
    if (reading_) reading_->link = &reading_;
  }

 public:
  using value_type = T;
  explicit future(int32_t h = -1) : handle_(h) {}
  future(future&& o) noexcept : handle_(std::exchange(o.handle_, -1)), reading_(std::exchange(o.reading_, nullptr)) {
    relink();
  }
  future& operator=(future&& o) noexcept {
    std::swap(handle_, o.handle_);
    std::swap(reading_, o.reading_);
    relink();
    o.relink();
    return *this;
  }
  /// Drops the end; a read of then() in flight goes on.
  ~future() {
    if (reading_) reading_->link = nullptr;
    if (handle_ >= 0) traits::drop_readable(handle_);
  }
  /// A new future: its readable end (to pass on) and writable end (`future.new`).
  static std::pair<future<T, K>, future_writer<T, K>> create() {
    uint64_t ends = (uint64_t)traits::new_();
    return {future<T, K>((int32_t)(uint32_t)ends), future_writer<T, K>((int32_t)(ends >> 32))};
  }
  int32_t get_handle() const { return handle_; }
  int32_t into_handle() { return std::exchange(handle_, -1); }
  /// Waits for the value.
  T get() {
    detail::future_read<T, K> op(std::exchange(handle_, -1));
    uint32_t r = traits::read(op.handle, op.buf);
    if (r == detail::kBlocked) {
      detail::block_on(&op);
    } else {
      op.finish(r);
    }
    if (!op.value) detail::trap();
    if constexpr (!std::is_void_v<T>) return std::move(*op.value);
  }
  /// Runs `k` with the value when it is there (right away if it is).
  void then(typename detail::continuation<T>::type k) {
    if (reading_) detail::trap();
    auto* op = new detail::future_read<T, K>(std::exchange(handle_, -1));
    uint32_t r = traits::read(op->handle, op->buf);
    if (r == detail::kBlocked) {
      op->k = std::move(k);
      op->link = &reading_;
      reading_ = op;
      detail::task::ensure()->watch(op);
      return;
    }
    op->finish(r);
    if (op->value) detail::call_continuation<T>(k, std::move(*op->value));
    delete op;
  }
  /// Cancels the read then() started, if still in flight (`future.cancel-read`).
  /// `completed`: the value had arrived and the continuation has run with it
  /// (also when no read was in flight); `cancelled`: the continuation will
  /// not run and this future holds its end again (it can be read anew).
  copy_status cancel_read() {
    detail::future_read<T, K>* op = std::exchange(reading_, nullptr);
    if (!op) return copy_status::completed;
    op->link = nullptr;
    op->detach();
    uint32_t r = traits::cancel_read(op->handle);
    if (copy_status(r & 0xf) == copy_status::cancelled) handle_ = std::exchange(op->handle, -1);
    (void)op->on_event(detail::kEventFutureRead, r);
    delete op;
    return copy_status(r & 0xf);
  }
};

/// The writable end of a future: written once (dropping it unwritten traps).
template <class T, class K> class future_writer {
  int32_t handle_;
  detail::future_write<T, K>* writing_ = nullptr;  // a write with a continuation in flight
  using traits = future_traits<T, K>;
  using arg_t = detail::value_or_unit<T>;
  void relink() {
    if (writing_) writing_->link = &writing_;
  }

  detail::future_write<T, K>* start(arg_t&& value, uint32_t& r) {
    auto* op = new detail::future_write<T, K>(std::exchange(handle_, -1));
    if constexpr (!std::is_void_v<T>) op->buf = traits::lower(std::move(value));
    r = traits::write(op->handle, op->buf);
    return op;
  }

 public:
  explicit future_writer(int32_t h = -1) : handle_(h) {}
  future_writer(future_writer&& o) noexcept
      : handle_(std::exchange(o.handle_, -1)), writing_(std::exchange(o.writing_, nullptr)) {
    relink();
  }
  future_writer& operator=(future_writer&& o) noexcept {
    std::swap(handle_, o.handle_);
    std::swap(writing_, o.writing_);
    relink();
    o.relink();
    return *this;
  }
  /// Drops the end; a write with a continuation in flight goes on.
  ~future_writer() {
    if (writing_) writing_->link = nullptr;
    if (handle_ >= 0) traits::drop_writable(handle_);
  }
  int32_t get_handle() const { return handle_; }
  /// Writes the value; `k(delivered)` runs when the reader took it (false:
  /// the reader went away and the value was destroyed).
  void write(arg_t value, function<void(bool)> k)
    requires(!std::is_void_v<T>)
  {
    uint32_t r;
    auto* op = start(std::move(value), r);
    finish_async(op, r, std::move(k));
  }
  void write(function<void(bool)> k)
    requires(std::is_void_v<T>)
  {
    uint32_t r;
    auto* op = start(detail::unit{}, r);
    finish_async(op, r, std::move(k));
  }
  /// Writes the value and waits until the reader took it (false: it went away).
  bool write(arg_t value)
    requires(!std::is_void_v<T>)
  {
    uint32_t r;
    return finish_sync(start(std::move(value), r), r);
  }
  bool write()
    requires(std::is_void_v<T>)
  {
    uint32_t r;
    return finish_sync(start(detail::unit{}, r), r);
  }
  /// Cancels a write with a continuation, if still in flight
  /// (`future.cancel-write`). `completed`: the reader took the value (the
  /// continuation has run with true; also when no write was in flight);
  /// `cancelled`: the continuation has run with false, the value is
  /// destroyed and this writer holds its end again (write it before dropping).
  copy_status cancel_write() {
    detail::future_write<T, K>* op = std::exchange(writing_, nullptr);
    if (!op) return copy_status::completed;
    op->link = nullptr;
    op->detach();
    uint32_t r = traits::cancel_write(op->handle);
    if (copy_status(r & 0xf) == copy_status::cancelled) handle_ = std::exchange(op->handle, -1);
    (void)op->on_event(detail::kEventFutureWrite, r);
    delete op;
    return copy_status(r & 0xf);
  }

 private:
  void finish_async(detail::future_write<T, K>* op, uint32_t r, function<void(bool)> k) {
    if (r == detail::kBlocked) {
      op->k = std::move(k);
      op->link = &writing_;
      writing_ = op;
      detail::task::ensure()->watch(op);
      return;
    }
    bool ok = op->finish(r);
    delete op;
    k(ok);
  }
  static bool finish_sync(detail::future_write<T, K>* op, uint32_t r) {
    if (r == detail::kBlocked) {
      detail::block_on(op);
    } else {
      op->finish(r);
    }
    bool ok = copy_status(op->result & 0xf) == copy_status::completed;
    delete op;
    return ok;
  }
};

)__";
  return text;
}

}  // namespace witc::bindgen
