;; core.wasm = `witc component embed world.wit` of this module (wat2wasm): an [async-lift]
;; export with its callback, task.return and waitable-set.wait.
(module
  (import "$root" "[waitable-set-wait]" (func (param i32 i32) (result i32)))
  (import "[export]$root" "[task-return]run" (func (param i32)))
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) unreachable)
  (func (export "[async-lift]run") (result i32) unreachable)
  (func (export "[callback][async-lift]run") (param i32 i32 i32) (result i32) unreachable))
