// A module of world witc:stackful/stackful (stackful.wit), without bindings:
// `run` is lifted stackful and returns through task.return; it creates and
// reads a stream<item> of `source.items`, which it never calls.
#include <cstddef>
#include <cstdint>

#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define EXPORT(name) extern "C" __attribute__((export_name(name)))

using i32 = int32_t;
using i64 = int64_t;

IMPORT("witc:stackful/source", "[stream-new-0]items") i64 items_new();
IMPORT("witc:stackful/source", "[async-lower][stream-read-0]items") i32 items_read(i32, i32, i32);
IMPORT("witc:stackful/source", "[stream-drop-readable-0]items") void items_drop_readable(i32);
IMPORT("$root", "[waitable-set-new]") i32 waitable_set_new();
IMPORT("$root", "[waitable-set-wait]") i32 waitable_set_wait(i32, i32);
IMPORT("[export]$root", "[task-return]run") void task_return_run(i32, i32);

alignas(16) static unsigned char heap[4096];
static size_t heap_used;
static volatile i32 sink;

EXPORT("cabi_realloc") void* cabi_realloc(void*, size_t, size_t align, size_t size) {
  heap_used = (heap_used + align - 1) & ~(align - 1);
  void* p = heap + heap_used;
  heap_used += size;
  return p;
}

EXPORT("[async-lift-stackful]run") void run(i32 limit) {
  i64 ends = items_new();
  i32 readable = static_cast<i32>(ends);
  sink = items_read(readable, static_cast<i32>(heap_used), limit);
  sink = waitable_set_wait(waitable_set_new(), static_cast<i32>(heap_used));
  items_drop_readable(readable);
  task_return_run(0, 0);
}
