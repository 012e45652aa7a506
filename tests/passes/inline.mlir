// RUN: irc opt %s --allow-unregistered-dialect --inline | filecheck %s
// RUN: irc opt %s --allow-unregistered-dialect --inline=remove-dead-callees=false | filecheck %s --check-prefix=KEEP
// RUN: irc opt %s --allow-unregistered-dialect --inline --print-debuginfo | filecheck %s --check-prefix=LOC

// A chain of calls collapses; private callees with no calls left disappear.
// CHECK-NOT: func.func private @add_one
// CHECK-NOT: func.func private @twice
// KEEP: func.func private @add_one
// KEEP: func.func private @twice
func.func private @add_one(%a: i32) -> i64 {
  %c = builtin.unrealized_conversion_cast %a : i32 to i64
  return %c : i64
}

func.func private @twice(%a: i32) -> (i64, i64) {
  %0 = func.call @add_one(%a) : (i32) -> i64
  %1 = func.call @add_one(%a) : (i32) -> i64
  return %0, %1 : i64, i64
}

// CHECK-LABEL: func.func @caller(%x: i32) -> i64 {
// CHECK-NEXT:    %[[A:.*]] = builtin.unrealized_conversion_cast %x : i32 to i64
// CHECK-NEXT:    %[[B:.*]] = builtin.unrealized_conversion_cast %x : i32 to i64
// CHECK-NEXT:    return %[[B]] : i64
// CHECK-NEXT:  }
// LOC-LABEL: func.func @caller
// LOC: builtin.unrealized_conversion_cast {{.*}} loc(callsite({{.*}}inline.mlir":11:{{[0-9]+}} at
func.func @caller(%x: i32) -> i64 {
  %r:2 = func.call @twice(%x) : (i32) -> (i64, i64)
  return %r#1 : i64
}

// Recursion, direct and mutual, is left alone.
// CHECK-LABEL: func.func @self(%x: i32) -> i32 {
// CHECK-NEXT:    func.call @self(%x)
func.func @self(%x: i32) -> i32 {
  %0 = func.call @self(%x) : (i32) -> i32
  return %0 : i32
}

// CHECK-LABEL: func.func @ping(%x: i32) -> i32 {
// CHECK-NEXT:    func.call @pong(%x)
// CHECK-LABEL: func.func @pong(%x: i32) -> i32 {
// CHECK-NEXT:    func.call @ping(%x)
func.func @ping(%x: i32) -> i32 {
  %0 = func.call @pong(%x) : (i32) -> i32
  return %0 : i32
}
func.func @pong(%x: i32) -> i32 {
  %0 = func.call @ping(%x) : (i32) -> i32
  return %0 : i32
}

// External declarations cannot be inlined and stay.
// CHECK-LABEL: func.func private @ext(i32) -> i32
func.func private @ext(i32) -> i32
// CHECK-LABEL: func.func @calls_ext(%x: i32) -> i32 {
// CHECK-NEXT:    %0 = func.call @ext(%x) : (i32) -> i32
func.func @calls_ext(%x: i32) -> i32 {
  %0 = func.call @ext(%x) : (i32) -> i32
  return %0 : i32
}

// Calls inside nested regions are inlined in place.
// CHECK-LABEL: func.func @in_loop
// CHECK:         scf.for
// CHECK-NEXT:      builtin.unrealized_conversion_cast %x : i32 to i64
// CHECK-NOT:       func.call
func.func @in_loop(%lb: index, %ub: index, %x: i32) {
  scf.for %i = %lb to %ub step %ub {
    %0 = func.call @add_one(%x) : (i32) -> i64
    "test.keep"(%0) : (i64) -> ()
  }
  return
}

// RUN: irc opt %s --allow-unregistered-dialect --pass-pipeline='builtin.module(func.func(inline))' | filecheck %s --check-prefix=NESTED
// Nested in func.func, the pass inlines inside each function but leaves the
// module's symbols to the module: the private callees stay.
// NESTED: func.func private @add_one
// NESTED: func.func private @twice
// NESTED-NOT: func.call @add_one
// NESTED-LABEL: func.func @caller
// NESTED-NOT: func.call
// NESTED: return
