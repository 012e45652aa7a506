// RUN: irc opt %s --pass-pipeline='builtin.module(inline,func.func(canonicalize,cse,loop-invariant-code-motion,cse),symbol-dce)' | filecheck %s
// RUN: irc opt %s --inline --canonicalize --cse --loop-invariant-code-motion --cse --symbol-dce | filecheck %s
// RUN: irc opt %s --canonicalize=max-iterations=3 --cse | filecheck %s --check-prefix=NOINLINE

// The clean-up set after inlining: the helper's body lands in the loop,
// folds with the caller's constants, its invariant part leaves the loop and
// merges with an equal op outside; the private helper is gone.
// CHECK-NOT:   func.func private @scale
// CHECK-LABEL: func.func @main(%x: f32, %n: index) -> f32 {
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[TWO:.*]] = arith.constant 2.0{{(e\+00)?}} : f32
// CHECK:         %[[INV:.*]] = arith.mulf %x, %[[TWO]] : f32
// CHECK-NEXT:    %[[R:.*]] = scf.for %{{.*}} = %[[C0]] to %n step %[[C1]] iter_args(%[[ACC:.*]] = %x) -> (f32) {
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[ACC]], %[[INV]] : f32
// CHECK-NEXT:      scf.yield %[[S]] : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[OUT:.*]] = arith.addf %[[R]], %[[INV]] : f32
// CHECK-NEXT:    return %[[OUT]] : f32
// NOINLINE: func.func private @scale
// NOINLINE: func.call @scale
func.func private @scale(%v: f32, %k: f32) -> f32 {
  %one = arith.constant 1.0 : f32
  %k1 = arith.mulf %k, %one : f32
  %r = arith.mulf %v, %k1 : f32
  return %r : f32
}

func.func @main(%x: f32, %n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %two = arith.constant 2.0 : f32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> (f32) {
    %t = func.call @scale(%x, %two) : (f32, f32) -> f32
    %s = arith.addf %acc, %t : f32
    scf.yield %s : f32
  }
  %again = arith.mulf %x, %two : f32
  %out = arith.addf %r, %again : f32
  return %out : f32
}
