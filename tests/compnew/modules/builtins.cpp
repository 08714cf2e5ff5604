// A module of world witc:builtins/builtins (builtins.wit) that imports the
// canonical built-ins by their wit-component names, without bindings. The
// functions only have to reference every import: `component new` reads the
// module, it does not run it.
#include <cstddef>
#include <cstdint>

#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define EXPORT(name) extern "C" __attribute__((export_name(name)))

using i32 = int32_t;
using i64 = int64_t;

// $root: the built-ins that name no type, and the world's async function.
IMPORT("$root", "[waitable-set-new]") i32 waitable_set_new();
IMPORT("$root", "[waitable-set-wait]") i32 waitable_set_wait(i32, i32);
IMPORT("$root", "[waitable-set-poll]") i32 waitable_set_poll(i32, i32);
IMPORT("$root", "[waitable-set-drop]") void waitable_set_drop(i32);
IMPORT("$root", "[waitable-join]") void waitable_join(i32, i32);
IMPORT("$root", "[subtask-cancel]") i32 subtask_cancel(i32);
IMPORT("$root", "[async-lower][subtask-cancel]") i32 subtask_cancel_async(i32);
IMPORT("$root", "[subtask-drop]") void subtask_drop(i32);
IMPORT("$root", "[thread-yield]") i32 thread_yield();
IMPORT("$root", "[context-get-0]") i32 context_get();
IMPORT("$root", "[context-set-0]") void context_set(i32);
IMPORT("$root", "[backpressure-inc]") void backpressure_inc();
IMPORT("$root", "[backpressure-dec]") void backpressure_dec();
IMPORT("$root", "[error-context-new-utf16]") i32 error_context_new16(i32, i32);
IMPORT("$root", "[error-context-debug-message-latin1+utf16]") void error_context_debug_message(i32, i32);
IMPORT("$root", "[error-context-drop]") void error_context_drop(i32);
IMPORT("$root", "[async-lower]tick") i32 tick(i32, i32);

// The exported functions' task.return, task.cancel and `later`'s future.
IMPORT("[export]$root", "[task-return]run") void task_return_run(i32);
IMPORT("[export]$root", "[task-cancel]") void task_cancel();
IMPORT("[export]$root", "[future-new-0]later") i64 later_future_new();
IMPORT("[export]$root", "[async-lower][future-write-0]later") i32 later_future_write(i32, i32);
IMPORT("[export]$root", "[async-lower][future-cancel-write-0]later") i32 later_future_cancel_write(i32);
IMPORT("[export]$root", "[future-drop-writable-0]later") void later_future_drop_writable(i32);

// The imported interface: its functions and its streams and futures.
IMPORT("witc:builtins/data", "produce") i32 produce();
IMPORT("witc:builtins/data", "answer") i32 answer(i32);
IMPORT("witc:builtins/data", "[async-lower][stream-read-0]produce") i32 produce_read(i32, i32, i32);
IMPORT("witc:builtins/data", "[stream-cancel-read-0]produce") i32 produce_cancel_read(i32);
IMPORT("witc:builtins/data", "[stream-drop-readable-0]produce") void produce_drop_readable(i32);
IMPORT("witc:builtins/data", "[future-new-0]answer") i64 answer_future_new();
IMPORT("witc:builtins/data", "[future-write-0]answer") i32 answer_future_write(i32, i32);
IMPORT("witc:builtins/data", "[future-read-1]answer") i32 answer_future_read(i32, i32);
IMPORT("witc:builtins/data", "[async-lower][future-cancel-read-1]answer") i32 answer_cancel_read(i32);
IMPORT("witc:builtins/data", "[future-drop-readable-1]answer") void answer_drop_readable(i32);

// The exported interface: its resource and its streams and futures.
IMPORT("[export]witc:builtins/out", "[resource-new]blob") i32 blob_new(i32);
IMPORT("[export]witc:builtins/out", "[resource-rep]blob") i32 blob_rep(i32);
IMPORT("[export]witc:builtins/out", "[resource-drop]blob") void blob_drop(i32);
IMPORT("[export]witc:builtins/out", "[stream-new-0]items") i64 items_new();
IMPORT("[export]witc:builtins/out", "[async-lower][stream-write-0]items") i32 items_write(i32, i32, i32);
IMPORT("[export]witc:builtins/out", "[stream-cancel-write-0]items") i32 items_cancel_write(i32);
IMPORT("[export]witc:builtins/out", "[stream-drop-writable-0]items") void items_drop_writable(i32);
IMPORT("[export]witc:builtins/out", "[future-new-0]blobs") i64 blobs_new();
IMPORT("[export]witc:builtins/out", "[future-write-0]blobs") i32 blobs_write(i32, i32);
IMPORT("[export]witc:builtins/out", "[future-drop-writable-0]blobs") void blobs_drop_writable(i32);

alignas(16) static unsigned char heap[4096];
static size_t heap_used;
static volatile i32 sink;

EXPORT("cabi_realloc") void* cabi_realloc(void*, size_t, size_t align, size_t size) {
  heap_used = (heap_used + align - 1) & ~(align - 1);
  void* p = heap + heap_used;
  heap_used += size;
  return p;
}

EXPORT("witc:builtins/out#[constructor]blob") i32 blob_constructor() { return blob_new(static_cast<i32>(heap_used)); }
EXPORT("witc:builtins/out#[dtor]blob") void blob_dtor(i32 rep) { sink = rep; }
EXPORT("witc:builtins/out#items") i32 out_items() {
  i64 ends = items_new();
  sink = items_write(static_cast<i32>(ends >> 32), 0, 0) + items_cancel_write(static_cast<i32>(ends >> 32));
  items_drop_writable(static_cast<i32>(ends >> 32));
  return static_cast<i32>(ends);
}
EXPORT("witc:builtins/out#blobs") i32 out_blobs() {
  i64 ends = blobs_new();
  sink = blobs_write(static_cast<i32>(ends >> 32), 0) + blob_rep(sink);
  blob_drop(sink);
  blobs_drop_writable(static_cast<i32>(ends >> 32));
  return static_cast<i32>(ends);
}

EXPORT("later") i32 later() {
  i64 ends = later_future_new();
  sink = later_future_write(static_cast<i32>(ends >> 32), 0) + later_future_cancel_write(static_cast<i32>(ends >> 32));
  later_future_drop_writable(static_cast<i32>(ends >> 32));
  return static_cast<i32>(ends);
}

EXPORT("[async-lift]run") i32 run() {
  i32 set = waitable_set_new();
  i32 sub = tick(1, 0);
  waitable_join(sub, set);
  sink = waitable_set_poll(set, 0) + waitable_set_wait(set, 0) + thread_yield();
  sink = subtask_cancel(sub) + subtask_cancel_async(sub);
  subtask_drop(sub);
  waitable_set_drop(set);
  context_set(context_get() + 1);
  backpressure_inc();
  backpressure_dec();
  i32 e = error_context_new16(0, 0);
  error_context_debug_message(e, 0);
  error_context_drop(e);
  i32 s = produce();
  sink = produce_read(s, 0, 0) + produce_cancel_read(s);
  produce_drop_readable(s);
  i64 f = answer_future_new();
  i32 r = answer(static_cast<i32>(f));
  sink = answer_future_write(static_cast<i32>(f >> 32), 0) + answer_future_read(r, 0) + answer_cancel_read(r);
  answer_drop_readable(r);
  task_return_run(sink);
  return 0;  // EXIT
}
EXPORT("[callback][async-lift]run") i32 run_callback(i32 event, i32, i32) {
  if (event == 6) task_cancel();  // TASK_CANCELLED
  return 0;
}
