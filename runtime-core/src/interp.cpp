// The dispatch loop: one function, one label per internal instruction,
// direct threading (each handler ends with `goto *next-handler`).
//
// Registers the loop keeps: pc, fp (frame), inst (running instance), and
// memory 0's base and size, reloaded after anything that may move or grow it
// (calls, returns, memory.grow). Wasm calls push CallFrames on an explicit
// stack; its size and the value stack bound the recursion, and running out
// is the trap "call stack exhausted".
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "code.h"
#include "numeric.h"

#pragma GCC diagnostic ignored "-Wpedantic"  // labels as values (&&label, goto *p)

namespace witc::rt::detail {

namespace {

typedef uint32_t __attribute__((may_alias)) u32_alias;

const void* const* g_handlers = nullptr;

inline float f32_of(const Slot& s) { return std::bit_cast<float>(s.u32); }
inline double f64_of(const Slot& s) { return std::bit_cast<double>(s.u64); }
inline uint64_t of_f32(float f) { return std::bit_cast<uint32_t>(f); }
inline uint64_t of_f64(double f) { return std::bit_cast<uint64_t>(f); }

// Finds the handler of an exception thrown at word `pc` of the running
// function, or nullptr.
const CatchClause* find_catch(const Compiled& cm, const Instance* inst, size_t pc, const Exception* exn) {
  const FuncCode* fc = cm.func_at(pc);
  if (!fc) return nullptr;
  for (uint32_t r = fc->try_begin; r < fc->try_end; ++r) {
    const TryRegion& region = cm.tries[r];
    if (pc < region.begin || pc >= region.end) continue;
    for (uint32_t k = 0; k < region.n_catches; ++k) {
      const CatchClause& c = cm.catches[region.first_catch + k];
      bool any = c.kind == bin::Catch::Kind::CatchAll || c.kind == bin::Catch::Kind::CatchAllRef;
      if (any || inst->tags_[c.tag] == exn->tag_) return &c;
    }
  }
  return nullptr;
}

enum class HostResult : uint8_t { Ok, Threw, Trapped };

// Calls a host function from wasm code (a call or a tail call), its
// arguments and then its results at `args`. Threw: the exception is in
// `exn`, for the throw path; Trapped: the trap is recorded in `cx`. Out of
// line: the interpreter loop keeps no object with a destructor (an indirect
// goto may not leave such a scope), and host calls are off its hot path.
[[gnu::noinline]] HostResult call_host(Exec& cx, Func* callee, Instance* inst, Slot* args, Exception*& exn) {
  cx.sp = args + std::max(callee->param_slots_, callee->result_slots_);
  Caller caller(*cx.store, inst);
  auto r = callee->host_(caller, &args->u64);
  if (r) return HostResult::Ok;
  if (r.error().kind == TrapKind::UncaughtException && r.error().exception) {
    exn = r.error().exception;
    return HostResult::Threw;
  }
  cx.host_trap = std::move(r.error());
  cx.has_host_trap = true;
  return HostResult::Trapped;
}

}  // namespace

const void* const* handlers() {
  static const void* const* table = [] {
    Exec dummy;
    run(dummy, nullptr, nullptr, nullptr);
    // For profiling (callgrind, perf): where each handler starts.
    if (const char* e = std::getenv("WITC_DUMP_HANDLERS"); e && *e && *e != '0') {
      for (size_t i = 0; i < kIOpCount; ++i) std::fprintf(stderr, "handler %s %p\n", iop_name(i), g_handlers[i]);
    }
    return g_handlers;
  }();
  return table;
}

RunStatus run(Exec& cx, const Word* pc, Slot* fp, TrapCode* out_code) {
  static const void* const kTable[] = {
#define WITC_IOP(name) &&L_##name,
#include "iops.def"
#undef WITC_IOP
  };
  if (pc == nullptr) {
    g_handlers = kTable;
    return RunStatus::Ok;
  }

  Instance* inst = cx.inst;
  CallFrame* frame_top = cx.frame_top;
  CallFrame* const frames_end = cx.frames_end;
  Slot* const stack_end = cx.stack_end;
  uint8_t* mem = nullptr;
  uint64_t mem_size = 0;
  TrapCode tc = 0;
  Exception* exn = nullptr;
  // Shared by the call paths.
  Func* callee = nullptr;
  Slot* nfp = nullptr;
  const Word* ret = nullptr;

#define RELOAD()                   \
  do {                             \
    Memory* m0_ = inst->mem0_;     \
    if (m0_) {                     \
      mem = m0_->base_;            \
      mem_size = m0_->size_;       \
    }                              \
  } while (0)
#define U(i) (reinterpret_cast<const u32_alias*>(pc + 1)[i])
#define S(i) fp[U(i)]
#define DISPATCH goto* reinterpret_cast<const void*>(*pc)
#define NEXT(n)  \
  do {           \
    pc += (n);   \
    DISPATCH;    \
  } while (0)
#define TRAP(kind)                      \
  do {                                  \
    tc = trap_code(TrapKind::kind);     \
    goto trap;                          \
  } while (0)
#define JUMP(w)                                    \
  do {                                             \
    pc = reinterpret_cast<const Word*>(pc[w]);     \
    DISPATCH;                                      \
  } while (0)

  RELOAD();
  DISPATCH;

  // ---- control ----------------------------------------------------------------
L_Exit:
  cx.frame_top = frame_top;
  return RunStatus::Ok;
L_Unreachable:
  TRAP(Unreachable);
L_Br:
  JUMP(1);
L_BrIf:
  if (S(0).u64) JUMP(2);
  NEXT(3);
L_BrUnless:
  if (!S(0).u64) JUMP(2);
  NEXT(3);
L_BrTable: {
  uint32_t i = S(0).u32;
  uint32_t n = U(1);
  pc = reinterpret_cast<const Word*>(pc[2 + (i < n ? i : n)]);
  DISPATCH;
}
L_Return:
  --frame_top;
  pc = frame_top->ret_pc;
  fp = frame_top->fp;
  inst = frame_top->inst;
  RELOAD();
  DISPATCH;
L_Fuel:
  cx.fuel -= U(0);
  if (cx.fuel < 0) {
    cx.fuel = 0;
    TRAP(OutOfFuel);
  }
  NEXT(2);

  // ---- calls ------------------------------------------------------------------
L_Call: {
  const FuncCode* fc = reinterpret_cast<const FuncCode*>(pc[2]);
  Slot* f = fp + U(0);
  if (frame_top == frames_end || f + fc->frame_slots > stack_end) TRAP(CallStackExhausted);
  frame_top->ret_pc = pc + 3;
  frame_top->fp = fp;
  frame_top->inst = inst;
  ++frame_top;
  for (uint32_t i = fc->param_slots; i < fc->local_slots; ++i) f[i].u64 = 0;
  fp = f;
  pc = fc->code;
  DISPATCH;
}
L_CallImport:
  callee = inst->funcs_[U(1)];
  nfp = fp + U(0);
  ret = pc + 2;
  goto call_func;
L_CallIndirect: {
  const Table* t = inst->tables_[U(2)];
  uint64_t i = S(1).u64;
  cx.trap_index = i;
  if (i >= t->elems_.size()) TRAP(UndefinedElement);
  callee = reinterpret_cast<Func*>(t->elems_[i]);
  if (!callee) TRAP(UninitializedElement);
  if (callee->type_id_ != U(3)) TRAP(IndirectCallTypeMismatch);
  nfp = fp + U(0);
  ret = pc + 3;
  goto call_func;
}
call_func:
  if (callee->instance_ == nullptr) {
    if (frame_top == frames_end) TRAP(CallStackExhausted);
    cx.frame_top = frame_top;
    const HostResult hr = call_host(cx, callee, inst, nfp, exn);
    frame_top = cx.frame_top;
    if (hr == HostResult::Threw) goto throw_exn;
    if (hr == HostResult::Trapped) TRAP(Host);
    RELOAD();
    pc = ret;
    DISPATCH;
  } else {
    const FuncCode* fc = callee->code_;
    if (frame_top == frames_end || nfp + fc->frame_slots > stack_end) TRAP(CallStackExhausted);
    frame_top->ret_pc = ret;
    frame_top->fp = fp;
    frame_top->inst = inst;
    ++frame_top;
    for (uint32_t i = fc->param_slots; i < fc->local_slots; ++i) nfp[i].u64 = 0;
    fp = nfp;
    inst = callee->instance_;
    RELOAD();
    pc = fc->code;
    DISPATCH;
  }
L_ReturnCall: {
  const FuncCode* fc = reinterpret_cast<const FuncCode*>(pc[1]);
  if (fp + fc->frame_slots > stack_end) TRAP(CallStackExhausted);
  for (uint32_t i = fc->param_slots; i < fc->local_slots; ++i) fp[i].u64 = 0;
  pc = fc->code;
  DISPATCH;
}
L_ReturnCallImport:
  callee = inst->funcs_[U(0)];
  goto tail_func;
L_ReturnCallIndirect: {
  const Table* t = inst->tables_[U(1)];
  uint64_t i = S(0).u64;
  cx.trap_index = i;
  if (i >= t->elems_.size()) TRAP(UndefinedElement);
  callee = reinterpret_cast<Func*>(t->elems_[i]);
  if (!callee) TRAP(UninitializedElement);
  if (callee->type_id_ != U(2)) TRAP(IndirectCallTypeMismatch);
  goto tail_func;
}
tail_func:
  if (callee->instance_ == nullptr) {
    cx.frame_top = frame_top;
    const HostResult hr = call_host(cx, callee, inst, fp, exn);
    frame_top = cx.frame_top;
    if (hr == HostResult::Threw) goto throw_exn;
    if (hr == HostResult::Trapped) TRAP(Host);
    goto L_Return;
  } else {
    const FuncCode* fc = callee->code_;
    if (fp + fc->frame_slots > stack_end) TRAP(CallStackExhausted);
    for (uint32_t i = fc->param_slots; i < fc->local_slots; ++i) fp[i].u64 = 0;
    inst = callee->instance_;
    RELOAD();
    pc = fc->code;
    DISPATCH;
  }

  // ---- exceptions -------------------------------------------------------------
L_Throw: {
  const Tag* tag = inst->tags_[U(0)];
  uint32_t words = slot_count(tag->type_->params);
  exn = cx.store->new_exception(tag, &fp[U(1)].u64, words);
  goto throw_exn;
}
L_ThrowRef:
  exn = reinterpret_cast<Exception*>(S(0).u64);
  if (!exn) TRAP(NullReference);
  goto throw_exn;
throw_exn:
  // pc: the throwing instruction (or a call in a caller frame).
  for (;;) {
    const Compiled& cm = *inst->module_->compiled_;
    size_t at = static_cast<size_t>(pc - cm.code.data());
    const CatchClause* c = find_catch(cm, inst, at, exn);
    if (c) {
      size_t n = exn->payload_.size();
      using K = bin::Catch::Kind;
      if (c->kind == K::Catch || c->kind == K::CatchRef) {
        for (size_t i = 0; i < n; ++i) fp[c->dst + i].u64 = exn->payload_[i];
      } else {
        n = 0;
      }
      if (c->kind == K::CatchRef || c->kind == K::CatchAllRef) fp[c->dst + n].u64 = reinterpret_cast<uint64_t>(exn);
      pc = c->target;
      RELOAD();
      DISPATCH;
    }
    --frame_top;
    if (frame_top->fp == nullptr) {  // the entry frame: nobody caught it
      cx.frame_top = frame_top;
      cx.exception = exn;
      return RunStatus::Exception;
    }
    pc = frame_top->ret_pc - 1;
    fp = frame_top->fp;
    inst = frame_top->inst;
  }

  // ---- out of line ------------------------------------------------------------
L_Ext: {
  ExtFn fn = reinterpret_cast<ExtFn>(pc[1]);
  const u32_alias* ops = reinterpret_cast<const u32_alias*>(pc + 2);
  cx.inst = inst;
  cx.frame_top = frame_top;
  if (TrapCode t = fn(cx, fp, reinterpret_cast<const uint32_t*>(ops + 1))) {
    tc = t;
    goto trap;
  }
  pc += ops[0];
  DISPATCH;
}
L_ExtReload: {
  ExtFn fn = reinterpret_cast<ExtFn>(pc[1]);
  const u32_alias* ops = reinterpret_cast<const u32_alias*>(pc + 2);
  cx.inst = inst;
  cx.frame_top = frame_top;
  if (TrapCode t = fn(cx, fp, reinterpret_cast<const uint32_t*>(ops + 1))) {
    tc = t;
    goto trap;
  }
  RELOAD();
  pc += ops[0];
  DISPATCH;
}

  // ---- moves ------------------------------------------------------------------
L_Copy:
  S(0).u64 = S(1).u64;
  NEXT(2);
L_Copy128: {
  Slot* d = &S(0);
  const Slot* s = &S(1);
  uint64_t lo = s[0].u64, hi = s[1].u64;
  d[0].u64 = lo;
  d[1].u64 = hi;
  NEXT(2);
}
L_Const32:
  S(0).u64 = U(1);
  NEXT(2);
L_Const64:
  S(0).u64 = pc[2];
  NEXT(3);
L_Const128: {
  Slot* d = &S(0);
  d[0].u64 = pc[2];
  d[1].u64 = pc[3];
  NEXT(4);
}
L_Select:
  S(0).u64 = S(1).u32 ? S(2).u64 : S(3).u64;
  NEXT(3);
L_Select128: {
  const Slot* s = S(1).u32 ? &S(2) : &S(3);
  uint64_t lo = s[0].u64, hi = s[1].u64;
  Slot* d = &S(0);
  d[0].u64 = lo;
  d[1].u64 = hi;
  NEXT(3);
}
L_GlobalGet:
  S(0).u64 = inst->globals_[U(1)]->value_[0];
  NEXT(2);
L_GlobalSet:
  inst->globals_[U(1)]->value_[0] = S(0).u64;
  NEXT(2);
L_GlobalGet128: {
  const Global* g = inst->globals_[U(1)];
  Slot* d = &S(0);
  d[0].u64 = g->value_[0];
  d[1].u64 = g->value_[1];
  NEXT(2);
}
L_GlobalSet128: {
  Global* g = inst->globals_[U(1)];
  const Slot* s = &S(0);
  g->value_[0] = s[0].u64;
  g->value_[1] = s[1].u64;
  NEXT(2);
}
L_RefFunc:
  S(0).u64 = reinterpret_cast<uint64_t>(inst->funcs_[U(1)]);
  NEXT(2);

  // ---- integers ---------------------------------------------------------------
#define WITC_BIN32(name, expr)                 \
  L_##name : {                                 \
    uint32_t a = S(1).u32, b = S(2).u32;       \
    S(0).u64 = static_cast<uint32_t>(expr);    \
    NEXT(3);                                   \
  }                                            \
  L_##name##I : {                              \
    uint32_t a = S(1).u32, b = U(2);           \
    S(0).u64 = static_cast<uint32_t>(expr);    \
    NEXT(3);                                   \
  }
#define WITC_BIN64(name, expr)                 \
  L_##name : {                                 \
    uint64_t a = S(1).u64, b = S(2).u64;       \
    S(0).u64 = static_cast<uint64_t>(expr);    \
    NEXT(3);                                   \
  }                                            \
  L_##name##I : {                              \
    uint64_t a = S(1).u64, b = pc[2];          \
    S(0).u64 = static_cast<uint64_t>(expr);    \
    NEXT(3);                                   \
  }
  WITC_BIN32(I32Add, a + b)
  WITC_BIN32(I32Sub, a - b)
  WITC_BIN32(I32Mul, a * b)
  WITC_BIN32(I32And, a & b)
  WITC_BIN32(I32Or, a | b)
  WITC_BIN32(I32Xor, a ^ b)
  WITC_BIN32(I32Shl, a << (b & 31))
  WITC_BIN32(I32ShrS, static_cast<int32_t>(a) >> (b & 31))
  WITC_BIN32(I32ShrU, a >> (b & 31))
  WITC_BIN32(I32Rotl, std::rotl(a, static_cast<int>(b & 31)))
  WITC_BIN32(I32Rotr, std::rotr(a, static_cast<int>(b & 31)))
  WITC_BIN32(I32Eq, a == b)
  WITC_BIN32(I32Ne, a != b)
  WITC_BIN32(I32LtS, static_cast<int32_t>(a) < static_cast<int32_t>(b))
  WITC_BIN32(I32LtU, a < b)
  WITC_BIN32(I32GtS, static_cast<int32_t>(a) > static_cast<int32_t>(b))
  WITC_BIN32(I32GtU, a > b)
  WITC_BIN32(I32LeS, static_cast<int32_t>(a) <= static_cast<int32_t>(b))
  WITC_BIN32(I32LeU, a <= b)
  WITC_BIN32(I32GeS, static_cast<int32_t>(a) >= static_cast<int32_t>(b))
  WITC_BIN32(I32GeU, a >= b)
  WITC_BIN64(I64Add, a + b)
  WITC_BIN64(I64Sub, a - b)
  WITC_BIN64(I64Mul, a * b)
  WITC_BIN64(I64And, a & b)
  WITC_BIN64(I64Or, a | b)
  WITC_BIN64(I64Xor, a ^ b)
  WITC_BIN64(I64Shl, a << (b & 63))
  WITC_BIN64(I64ShrS, static_cast<int64_t>(a) >> (b & 63))
  WITC_BIN64(I64ShrU, a >> (b & 63))
  WITC_BIN64(I64Rotl, std::rotl(a, static_cast<int>(b & 63)))
  WITC_BIN64(I64Rotr, std::rotr(a, static_cast<int>(b & 63)))
  WITC_BIN64(I64Eq, a == b)
  WITC_BIN64(I64Ne, a != b)
  WITC_BIN64(I64LtS, static_cast<int64_t>(a) < static_cast<int64_t>(b))
  WITC_BIN64(I64LtU, a < b)
  WITC_BIN64(I64GtS, static_cast<int64_t>(a) > static_cast<int64_t>(b))
  WITC_BIN64(I64GtU, a > b)
  WITC_BIN64(I64LeS, static_cast<int64_t>(a) <= static_cast<int64_t>(b))
  WITC_BIN64(I64LeU, a <= b)
  WITC_BIN64(I64GeS, static_cast<int64_t>(a) >= static_cast<int64_t>(b))
  WITC_BIN64(I64GeU, a >= b)
#undef WITC_BIN32
#undef WITC_BIN64

L_I32DivS: {
  int32_t a = S(1).i32, b = S(2).i32;
  if (b == 0) TRAP(IntegerDivideByZero);
  if (a == INT32_MIN && b == -1) TRAP(IntegerOverflow);
  S(0).u64 = static_cast<uint32_t>(a / b);
  NEXT(3);
}
L_I32DivU: {
  uint32_t a = S(1).u32, b = S(2).u32;
  if (b == 0) TRAP(IntegerDivideByZero);
  S(0).u64 = a / b;
  NEXT(3);
}
L_I32RemS: {
  int32_t a = S(1).i32, b = S(2).i32;
  if (b == 0) TRAP(IntegerDivideByZero);
  S(0).u64 = b == -1 ? 0 : static_cast<uint32_t>(a % b);
  NEXT(3);
}
L_I32RemU: {
  uint32_t a = S(1).u32, b = S(2).u32;
  if (b == 0) TRAP(IntegerDivideByZero);
  S(0).u64 = a % b;
  NEXT(3);
}
L_I64DivS: {
  int64_t a = S(1).i64, b = S(2).i64;
  if (b == 0) TRAP(IntegerDivideByZero);
  if (a == INT64_MIN && b == -1) TRAP(IntegerOverflow);
  S(0).u64 = static_cast<uint64_t>(a / b);
  NEXT(3);
}
L_I64DivU: {
  uint64_t a = S(1).u64, b = S(2).u64;
  if (b == 0) TRAP(IntegerDivideByZero);
  S(0).u64 = a / b;
  NEXT(3);
}
L_I64RemS: {
  int64_t a = S(1).i64, b = S(2).i64;
  if (b == 0) TRAP(IntegerDivideByZero);
  S(0).u64 = b == -1 ? 0 : static_cast<uint64_t>(a % b);
  NEXT(3);
}
L_I64RemU: {
  uint64_t a = S(1).u64, b = S(2).u64;
  if (b == 0) TRAP(IntegerDivideByZero);
  S(0).u64 = a % b;
  NEXT(3);
}

#define WITC_UN(name, T, field, expr) \
  L_##name : {                        \
    T a = S(1).field;                 \
    S(0).u64 = (expr);                \
    NEXT(2);                          \
  }
  WITC_UN(I32Eqz, uint32_t, u32, a == 0)
  WITC_UN(I32Clz, uint32_t, u32, static_cast<uint32_t>(std::countl_zero(a)))
  WITC_UN(I32Ctz, uint32_t, u32, static_cast<uint32_t>(std::countr_zero(a)))
  WITC_UN(I32Popcnt, uint32_t, u32, static_cast<uint32_t>(std::popcount(a)))
  WITC_UN(I32Extend8S, uint32_t, u32, static_cast<uint32_t>(static_cast<int32_t>(static_cast<int8_t>(a))))
  WITC_UN(I32Extend16S, uint32_t, u32, static_cast<uint32_t>(static_cast<int32_t>(static_cast<int16_t>(a))))
  WITC_UN(I64Eqz, uint64_t, u64, a == 0)
  WITC_UN(I64Clz, uint64_t, u64, static_cast<uint64_t>(std::countl_zero(a)))
  WITC_UN(I64Ctz, uint64_t, u64, static_cast<uint64_t>(std::countr_zero(a)))
  WITC_UN(I64Popcnt, uint64_t, u64, static_cast<uint64_t>(std::popcount(a)))
  WITC_UN(I64Extend8S, uint64_t, u64, static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(a))))
  WITC_UN(I64Extend16S, uint64_t, u64, static_cast<uint64_t>(static_cast<int64_t>(static_cast<int16_t>(a))))
  WITC_UN(I64Extend32S, uint64_t, u64, static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(a))))
  WITC_UN(I32WrapI64, uint64_t, u64, static_cast<uint32_t>(a))
  WITC_UN(I64ExtendI32S, uint32_t, u32, static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(a))))

  // ---- floating point ---------------------------------------------------------
#define WITC_FBIN(name, F, get, put, expr) \
  L_##name : {                             \
    F a = get(S(1)), b = get(S(2));        \
    S(0).u64 = put(expr);                  \
    NEXT(3);                               \
  }
#define WITC_FCMP(name, F, get, expr) \
  L_##name : {                        \
    F a = get(S(1)), b = get(S(2));   \
    S(0).u64 = (expr) ? 1 : 0;        \
    NEXT(3);                          \
  }
#define WITC_FUN(name, F, get, put, expr) \
  L_##name : {                            \
    F a = get(S(1));                      \
    S(0).u64 = put(expr);                 \
    NEXT(2);                              \
  }
  WITC_FBIN(F32Add, float, f32_of, of_f32, a + b)
  WITC_FBIN(F32Sub, float, f32_of, of_f32, a - b)
  WITC_FBIN(F32Mul, float, f32_of, of_f32, a * b)
  WITC_FBIN(F32Div, float, f32_of, of_f32, a / b)
  WITC_FBIN(F32Min, float, f32_of, of_f32, wasm_min(a, b))
  WITC_FBIN(F32Max, float, f32_of, of_f32, wasm_max(a, b))
  WITC_FBIN(F32Copysign, float, f32_of, of_f32, wasm_copysign(a, b))
  WITC_FCMP(F32Eq, float, f32_of, a == b)
  WITC_FCMP(F32Ne, float, f32_of, a != b)
  WITC_FCMP(F32Lt, float, f32_of, a < b)
  WITC_FCMP(F32Gt, float, f32_of, a > b)
  WITC_FCMP(F32Le, float, f32_of, a <= b)
  WITC_FCMP(F32Ge, float, f32_of, a >= b)
  WITC_FUN(F32Abs, float, f32_of, of_f32, wasm_abs(a))
  WITC_FUN(F32Neg, float, f32_of, of_f32, wasm_neg(a))
  WITC_FUN(F32Ceil, float, f32_of, of_f32, wasm_ceil(a))
  WITC_FUN(F32Floor, float, f32_of, of_f32, wasm_floor(a))
  WITC_FUN(F32Trunc, float, f32_of, of_f32, wasm_trunc_f(a))
  WITC_FUN(F32Nearest, float, f32_of, of_f32, wasm_nearest(a))
  WITC_FUN(F32Sqrt, float, f32_of, of_f32, std::sqrt(a))
  WITC_FBIN(F64Add, double, f64_of, of_f64, a + b)
  WITC_FBIN(F64Sub, double, f64_of, of_f64, a - b)
  WITC_FBIN(F64Mul, double, f64_of, of_f64, a * b)
  WITC_FBIN(F64Div, double, f64_of, of_f64, a / b)
  WITC_FBIN(F64Min, double, f64_of, of_f64, wasm_min(a, b))
  WITC_FBIN(F64Max, double, f64_of, of_f64, wasm_max(a, b))
  WITC_FBIN(F64Copysign, double, f64_of, of_f64, wasm_copysign(a, b))
  WITC_FCMP(F64Eq, double, f64_of, a == b)
  WITC_FCMP(F64Ne, double, f64_of, a != b)
  WITC_FCMP(F64Lt, double, f64_of, a < b)
  WITC_FCMP(F64Gt, double, f64_of, a > b)
  WITC_FCMP(F64Le, double, f64_of, a <= b)
  WITC_FCMP(F64Ge, double, f64_of, a >= b)
  WITC_FUN(F64Abs, double, f64_of, of_f64, wasm_abs(a))
  WITC_FUN(F64Neg, double, f64_of, of_f64, wasm_neg(a))
  WITC_FUN(F64Ceil, double, f64_of, of_f64, wasm_ceil(a))
  WITC_FUN(F64Floor, double, f64_of, of_f64, wasm_floor(a))
  WITC_FUN(F64Trunc, double, f64_of, of_f64, wasm_trunc_f(a))
  WITC_FUN(F64Nearest, double, f64_of, of_f64, wasm_nearest(a))
  WITC_FUN(F64Sqrt, double, f64_of, of_f64, std::sqrt(a))

  // ---- conversions ------------------------------------------------------------
#define WITC_TRUNC(name, I, U, F, get)         \
  L_##name : {                                 \
    I v;                                       \
    if (TrapCode t = wasm_trunc<I>(get(S(1)), v)) { \
      tc = t;                                  \
      goto trap;                               \
    }                                          \
    S(0).u64 = static_cast<U>(v);              \
    NEXT(2);                                   \
  }
  WITC_TRUNC(I32TruncF32S, int32_t, uint32_t, float, f32_of)
  WITC_TRUNC(I32TruncF32U, uint32_t, uint32_t, float, f32_of)
  WITC_TRUNC(I32TruncF64S, int32_t, uint32_t, double, f64_of)
  WITC_TRUNC(I32TruncF64U, uint32_t, uint32_t, double, f64_of)
  WITC_TRUNC(I64TruncF32S, int64_t, uint64_t, float, f32_of)
  WITC_TRUNC(I64TruncF32U, uint64_t, uint64_t, float, f32_of)
  WITC_TRUNC(I64TruncF64S, int64_t, uint64_t, double, f64_of)
  WITC_TRUNC(I64TruncF64U, uint64_t, uint64_t, double, f64_of)
#undef WITC_TRUNC
  WITC_FUN(I32TruncSatF32S, float, f32_of, static_cast<uint32_t>, wasm_trunc_sat<int32_t>(a))
  WITC_FUN(I32TruncSatF32U, float, f32_of, static_cast<uint32_t>, wasm_trunc_sat<uint32_t>(a))
  WITC_FUN(I32TruncSatF64S, double, f64_of, static_cast<uint32_t>, wasm_trunc_sat<int32_t>(a))
  WITC_FUN(I32TruncSatF64U, double, f64_of, static_cast<uint32_t>, wasm_trunc_sat<uint32_t>(a))
  WITC_FUN(I64TruncSatF32S, float, f32_of, static_cast<uint64_t>, wasm_trunc_sat<int64_t>(a))
  WITC_FUN(I64TruncSatF32U, float, f32_of, static_cast<uint64_t>, wasm_trunc_sat<uint64_t>(a))
  WITC_FUN(I64TruncSatF64S, double, f64_of, static_cast<uint64_t>, wasm_trunc_sat<int64_t>(a))
  WITC_FUN(I64TruncSatF64U, double, f64_of, static_cast<uint64_t>, wasm_trunc_sat<uint64_t>(a))
  WITC_UN(F32ConvertI32S, int32_t, i32, of_f32(static_cast<float>(a)))
  WITC_UN(F32ConvertI32U, uint32_t, u32, of_f32(static_cast<float>(a)))
  WITC_UN(F32ConvertI64S, int64_t, i64, of_f32(static_cast<float>(a)))
  WITC_UN(F32ConvertI64U, uint64_t, u64, of_f32(static_cast<float>(a)))
  WITC_UN(F64ConvertI32S, int32_t, i32, of_f64(static_cast<double>(a)))
  WITC_UN(F64ConvertI32U, uint32_t, u32, of_f64(static_cast<double>(a)))
  WITC_UN(F64ConvertI64S, int64_t, i64, of_f64(static_cast<double>(a)))
  WITC_UN(F64ConvertI64U, uint64_t, u64, of_f64(static_cast<double>(a)))
  WITC_FUN(F32DemoteF64, double, f64_of, of_f32, static_cast<float>(a))
  WITC_FUN(F64PromoteF32, float, f32_of, of_f64, static_cast<double>(a))
#undef WITC_UN
#undef WITC_FBIN
#undef WITC_FCMP
#undef WITC_FUN

  // ---- memory 0 ---------------------------------------------------------------
  // Each access in four forms: base + offset, R base + index register,
  // A a constant address, S base + (index << shift) (a scaled index).
#define WITC_LOAD(name, T, conv)                                   \
  L_##name : {                                                     \
    uint64_t ea = static_cast<uint64_t>(S(1).u32 + U(2)) + U(3);   \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds);        \
    T v;                                                           \
    std::memcpy(&v, mem + ea, sizeof(T));                          \
    S(0).u64 = conv(v);                                            \
    NEXT(3);                                                       \
  }                                                                \
  L_##name##R : {                                                  \
    uint64_t ea = static_cast<uint64_t>(S(1).u32 + S(2).u32) + U(3); \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds);        \
    T v;                                                           \
    std::memcpy(&v, mem + ea, sizeof(T));                          \
    S(0).u64 = conv(v);                                            \
    NEXT(3);                                                       \
  }                                                                \
  L_##name##A : {                                                  \
    uint64_t ea = pc[2];                                           \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds);        \
    T v;                                                           \
    std::memcpy(&v, mem + ea, sizeof(T));                          \
    S(0).u64 = conv(v);                                            \
    NEXT(3);                                                       \
  }                                                                \
  L_##name##S : {                                                  \
    uint64_t ea = static_cast<uint64_t>(S(1).u32 + (S(2).u32 << U(4))) + U(3); \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds);        \
    T v;                                                           \
    std::memcpy(&v, mem + ea, sizeof(T));                          \
    S(0).u64 = conv(v);                                            \
    NEXT(4);                                                       \
  }
#define WITC_ZX(v) static_cast<uint64_t>(v)
#define WITC_SX32(v) static_cast<uint64_t>(static_cast<uint32_t>(static_cast<int32_t>(v)))
#define WITC_SX64(v) static_cast<uint64_t>(static_cast<int64_t>(v))
  WITC_LOAD(Load32, uint32_t, WITC_ZX)
  WITC_LOAD(Load64, uint64_t, WITC_ZX)
  WITC_LOAD(Load8S32, int8_t, WITC_SX32)
  WITC_LOAD(Load8U, uint8_t, WITC_ZX)
  WITC_LOAD(Load16S32, int16_t, WITC_SX32)
  WITC_LOAD(Load16U, uint16_t, WITC_ZX)
  WITC_LOAD(Load8S64, int8_t, WITC_SX64)
  WITC_LOAD(Load16S64, int16_t, WITC_SX64)
  WITC_LOAD(Load32S64, int32_t, WITC_SX64)
#undef WITC_LOAD
#undef WITC_ZX
#undef WITC_SX32
#undef WITC_SX64
#define WITC_STORE(name, T)                                        \
  L_##name : {                                                     \
    uint64_t ea = static_cast<uint64_t>(S(0).u32 + U(1)) + U(3);   \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds);        \
    T v = static_cast<T>(S(2).u64);                                \
    std::memcpy(mem + ea, &v, sizeof(T));                          \
    NEXT(3);                                                       \
  }                                                                \
  L_##name##R : {                                                  \
    uint64_t ea = static_cast<uint64_t>(S(0).u32 + S(1).u32) + U(3); \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds);        \
    T v = static_cast<T>(S(2).u64);                                \
    std::memcpy(mem + ea, &v, sizeof(T));                          \
    NEXT(3);                                                       \
  }                                                                \
  L_##name##A : {                                                  \
    uint64_t ea = pc[2];                                           \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds);        \
    T v = static_cast<T>(S(0).u64);                                \
    std::memcpy(mem + ea, &v, sizeof(T));                          \
    NEXT(3);                                                       \
  }                                                                \
  L_##name##S : {                                                  \
    uint64_t ea = static_cast<uint64_t>(S(0).u32 + (S(1).u32 << U(4))) + U(3); \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds);        \
    T v = static_cast<T>(S(2).u64);                                \
    std::memcpy(mem + ea, &v, sizeof(T));                          \
    NEXT(4);                                                       \
  }
  WITC_STORE(Store8, uint8_t)
  WITC_STORE(Store16, uint16_t)
  WITC_STORE(Store32, uint32_t)
  WITC_STORE(Store64, uint64_t)
#undef WITC_STORE

  // ---- compare and branch -----------------------------------------------------
#define WITC_BR32(name, T, op)                                         \
  L_BrIf##name : {                                                     \
    T a = static_cast<T>(S(0).u32), b = static_cast<T>(S(1).u32);      \
    if (a op b) JUMP(2);                                               \
    NEXT(3);                                                           \
  }                                                                    \
  L_BrIf##name##I : {                                                  \
    T a = static_cast<T>(S(0).u32), b = static_cast<T>(U(1));          \
    if (a op b) JUMP(2);                                               \
    NEXT(3);                                                           \
  }
#define WITC_BR64(name, T, op)                                         \
  L_BrIf##name : {                                                     \
    T a = static_cast<T>(S(0).u64), b = static_cast<T>(S(1).u64);      \
    if (a op b) JUMP(2);                                               \
    NEXT(3);                                                           \
  }                                                                    \
  L_BrIf##name##I : {                                                  \
    T a = static_cast<T>(S(0).u64), b = static_cast<T>(pc[2]);         \
    if (a op b) JUMP(3);                                               \
    NEXT(4);                                                           \
  }
  WITC_BR32(I32Eq, uint32_t, ==)
  WITC_BR32(I32Ne, uint32_t, !=)
  WITC_BR32(I32LtS, int32_t, <)
  WITC_BR32(I32LtU, uint32_t, <)
  WITC_BR32(I32GtS, int32_t, >)
  WITC_BR32(I32GtU, uint32_t, >)
  WITC_BR32(I32LeS, int32_t, <=)
  WITC_BR32(I32LeU, uint32_t, <=)
  WITC_BR32(I32GeS, int32_t, >=)
  WITC_BR32(I32GeU, uint32_t, >=)
  WITC_BR64(I64Eq, uint64_t, ==)
  WITC_BR64(I64Ne, uint64_t, !=)
  WITC_BR64(I64LtS, int64_t, <)
  WITC_BR64(I64LtU, uint64_t, <)
  WITC_BR64(I64GtS, int64_t, >)
  WITC_BR64(I64GtU, uint64_t, >)
  WITC_BR64(I64LeS, int64_t, <=)
  WITC_BR64(I64LeU, uint64_t, <=)
  WITC_BR64(I64GeS, int64_t, >=)
  WITC_BR64(I64GeU, uint64_t, >=)
#undef WITC_BR32
#undef WITC_BR64

  // ---- fused ------------------------------------------------------------------
#define WITC_ADDBR(name, T, op)                                         \
  L_AddBr##name : {                                                     \
    uint32_t d = S(1).u32 + U(2);                                       \
    S(0).u64 = d;                                                       \
    if (static_cast<T>(d) op static_cast<T>(S(3).u32)) JUMP(3);         \
    NEXT(4);                                                            \
  }                                                                     \
  L_AddBr##name##I : {                                                  \
    uint32_t d = S(1).u32 + U(2);                                       \
    S(0).u64 = d;                                                       \
    if (static_cast<T>(d) op static_cast<T>(U(3))) JUMP(3);             \
    NEXT(4);                                                            \
  }
  WITC_ADDBR(I32Eq, uint32_t, ==)
  WITC_ADDBR(I32Ne, uint32_t, !=)
  WITC_ADDBR(I32LtS, int32_t, <)
  WITC_ADDBR(I32LtU, uint32_t, <)
  WITC_ADDBR(I32GtS, int32_t, >)
  WITC_ADDBR(I32GtU, uint32_t, >)
  WITC_ADDBR(I32LeS, int32_t, <=)
  WITC_ADDBR(I32LeU, uint32_t, <=)
  WITC_ADDBR(I32GeS, int32_t, >=)
  WITC_ADDBR(I32GeU, uint32_t, >=)
#undef WITC_ADDBR
L_I32AddI2: {
  S(0).u64 = static_cast<uint32_t>(S(1).u32 + U(2));
  S(3).u64 = static_cast<uint32_t>(S(4).u32 + U(5));
  NEXT(4);
}

#define WITC_MEMOP(name, T, get, put, expr)                                   \
  L_##name##M : {                                                             \
    uint64_t ea = static_cast<uint64_t>(S(2).u32 + U(3)) + U(4);              \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds);                   \
    T b;                                                                      \
    std::memcpy(&b, mem + ea, sizeof(T));                                     \
    T a = get(S(1));                                                          \
    S(0).u64 = put(expr);                                                     \
    NEXT(4);                                                                  \
  }
#define WITC_U32(s) (s).u32
#define WITC_U64(s) (s).u64
#define WITC_PUT32(v) static_cast<uint64_t>(static_cast<uint32_t>(v))
#define WITC_PUT64(v) static_cast<uint64_t>(v)
  WITC_MEMOP(F32Add, float, f32_of, of_f32, a + b)
  WITC_MEMOP(F32Sub, float, f32_of, of_f32, a - b)
  WITC_MEMOP(F32Mul, float, f32_of, of_f32, a * b)
  WITC_MEMOP(F32Div, float, f32_of, of_f32, a / b)
  WITC_MEMOP(F64Add, double, f64_of, of_f64, a + b)
  WITC_MEMOP(F64Sub, double, f64_of, of_f64, a - b)
  WITC_MEMOP(F64Mul, double, f64_of, of_f64, a * b)
  WITC_MEMOP(F64Div, double, f64_of, of_f64, a / b)
  WITC_MEMOP(I32Add, uint32_t, WITC_U32, WITC_PUT32, a + b)
  WITC_MEMOP(I64Add, uint64_t, WITC_U64, WITC_PUT64, a + b)
#undef WITC_MEMOP
#undef WITC_U32
#undef WITC_U64
#undef WITC_PUT32
#undef WITC_PUT64

trap:
  cx.trap_pc = pc;
  cx.inst = inst;
  cx.frame_top = frame_top;
  *out_code = tc;
  return RunStatus::Trap;

#undef RELOAD
#undef U
#undef S
#undef DISPATCH
#undef NEXT
#undef TRAP
#undef JUMP
}

}  // namespace witc::rt::detail
