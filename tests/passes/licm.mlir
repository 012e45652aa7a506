// RUN: irc opt %s --allow-unregistered-dialect --loop-invariant-code-motion | filecheck %s
// RUN: irc opt %s --allow-unregistered-dialect --pass-pipeline='builtin.module(func.func(loop-invariant-code-motion))' | filecheck %s

// Invariant pure ops (and ops using only invariants) leave the loop;
// ops using the induction variable or with effects stay.
// CHECK-LABEL: func.func @for
// CHECK-NEXT:    %[[A:.*]] = builtin.unrealized_conversion_cast %x : i32 to i64
// CHECK-NEXT:    %[[B:.*]] = builtin.unrealized_conversion_cast %[[A]] : i64 to f64
// CHECK-NEXT:    scf.for %[[I:.*]] = %lb to %ub step %s {
// CHECK-NEXT:      %[[V:.*]] = builtin.unrealized_conversion_cast %[[I]], %[[B]] : index, f64 to f32
// CHECK-NEXT:      "test.effect"(%[[V]]) : (f32) -> ()
// CHECK-NEXT:      %[[E:.*]] = "test.effect"() : () -> i32
// CHECK-NEXT:      builtin.unrealized_conversion_cast %[[E]] : i32 to i64
func.func @for(%lb: index, %ub: index, %s: index, %x: i32) {
  scf.for %i = %lb to %ub step %s {
    %a = builtin.unrealized_conversion_cast %x : i32 to i64
    %b = builtin.unrealized_conversion_cast %a : i64 to f64
    %v = builtin.unrealized_conversion_cast %i, %b : index, f64 to f32
    "test.effect"(%v) : (f32) -> ()
    %e = "test.effect"() : () -> i32
    %u = builtin.unrealized_conversion_cast %e : i32 to i64
    "test.effect"(%u) : (i64) -> ()
  }
  return
}

// In a nest, an invariant of both loops moves out of both.
// CHECK-LABEL: func.func @nest
// CHECK-NEXT:    builtin.unrealized_conversion_cast %x : i32 to i64
// CHECK-NEXT:    scf.for %[[I:.*]] =
// CHECK-NEXT:      builtin.unrealized_conversion_cast %[[I]] : index to i64
// CHECK-NEXT:      scf.for
// CHECK-NEXT:        "test.effect"
func.func @nest(%lb: index, %ub: index, %x: i32) {
  scf.for %i = %lb to %ub step %ub {
    scf.for %j = %lb to %ub step %ub {
      %a = builtin.unrealized_conversion_cast %x : i32 to i64
      %c = builtin.unrealized_conversion_cast %i : index to i64
      "test.effect"(%a, %c) : (i64, i64) -> ()
    }
  }
  return
}

// scf.while: both regions run per iteration.
// CHECK-LABEL: func.func @while
// CHECK-NEXT:    builtin.unrealized_conversion_cast %x : i32 to i64
// CHECK-NEXT:    builtin.unrealized_conversion_cast %x : i32 to f32
// CHECK-NEXT:    scf.while
func.func @while(%x: i32, %init: i64) -> i64 {
  %r = scf.while (%arg = %init) : (i64) -> i64 {
    %a = builtin.unrealized_conversion_cast %x : i32 to i64
    %c = "test.cond"(%arg, %a) : (i64, i64) -> i1
    scf.condition(%c) %arg : i64
  } do {
  ^bb0(%arg2: i64):
    %f = builtin.unrealized_conversion_cast %x : i32 to f32
    %n = "test.next"(%arg2, %f) : (i64, f32) -> i64
    scf.yield %n : i64
  }
  return %r : i64
}

// scf.parallel; the reduction's region belongs to scf.reduce, not the loop body.
// CHECK-LABEL: func.func @parallel
// CHECK-NEXT:    %[[INV:.*]] = arith.mulf %x, %x : f32
// CHECK-NEXT:    scf.parallel (%[[I:.*]]) =
// CHECK-NEXT:      %[[V:.*]] = arith.index_cast %[[I]] : index to i32
// CHECK-NEXT:      %[[F:.*]] = arith.sitofp %[[V]] : i32 to f32
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[F]], %[[INV]] : f32
// CHECK-NEXT:      scf.reduce(%[[S]] : f32) {
// CHECK-NEXT:      ^bb0(%[[A:.*]]: f32, %[[B:.*]]: f32):
// CHECK-NEXT:        %[[K:.*]] = arith.mulf %x, %x : f32
func.func @parallel(%lb: index, %ub: index, %x: f32) -> f32 {
  %r = scf.parallel (%i) = (%lb) to (%ub) step (%ub) init (%x) -> f32 {
    %inv = arith.mulf %x, %x : f32
    %v = arith.index_cast %i : index to i32
    %f = arith.sitofp %v : i32 to f32
    %s = arith.addf %f, %inv : f32
    scf.reduce(%s : f32) {
    ^bb0(%a: f32, %b: f32):
      %k = arith.mulf %x, %x : f32
      %sum = arith.addf %a, %k : f32
      %sum2 = arith.addf %sum, %b : f32
      scf.reduce.return %sum2 : f32
    }
  }
  return %r : f32
}
