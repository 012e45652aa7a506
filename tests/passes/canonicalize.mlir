// RUN: irc opt %s --canonicalize | filecheck %s
// RUN: irc opt %s --pass-pipeline='builtin.module(func.func(canonicalize{max-iterations=5}))' | filecheck %s

// Constants fold; folded and existing constants are hoisted to the top of the
// function and deduplicated; ops left without uses disappear.
// CHECK-LABEL: func.func @fold_constants() -> (f32, i32, i1) {
// CHECK-DAG:     %[[F:.*]] = arith.constant 3.0{{(e\+00)?}} : f32
// CHECK-DAG:     %[[I:.*]] = arith.constant 42 : i32
// CHECK-DAG:     %[[B:.*]] = arith.constant true
// CHECK-NEXT:    return %[[F]], %[[I]], %[[B]] : f32, i32, i1
// CHECK-NEXT:  }
func.func @fold_constants() -> (f32, i32, i1) {
  %a = arith.constant 1.0 : f32
  %b = arith.constant 2.0 : f32
  %s = arith.addf %a, %b : f32
  %c6 = arith.constant 6 : i32
  %c7 = arith.constant 7 : i32
  %p = arith.muli %c6, %c7 : i32
  %lt = arith.cmpi slt, %c6, %c7 : i32
  %unused = arith.constant 99 : i32
  return %s, %p, %lt : f32, i32, i1
}

// Float identities that are exact under IEEE-754 apply: x*1, x/1, x-0, x+(-0).
// CHECK-LABEL: func.func @exact_float_identities(%x: f32) -> (f32, f32, f32, f32)
// CHECK-NEXT:    return %x, %x, %x, %x : f32, f32, f32, f32
func.func @exact_float_identities(%x: f32) -> (f32, f32, f32, f32) {
  %one = arith.constant 1.0 : f32
  %zero = arith.constant 0.0 : f32
  %mzero = arith.constant -0.0 : f32
  %a = arith.mulf %x, %one : f32
  %b = arith.divf %x, %one : f32
  %c = arith.subf %x, %zero : f32
  %d = arith.addf %x, %mzero : f32
  return %a, %b, %c, %d : f32, f32, f32, f32
}

// ... but nothing that changes NaN, infinity or signed-zero results:
// x*0 (NaN, inf, -0), x+0 (-0), x-x (NaN, inf), x/x, 0-x (+0 vs -0).
// CHECK-LABEL: func.func @unsafe_float_rewrites_are_not_done(%x: f32)
// CHECK:         %[[Z:.*]] = arith.constant 0.0{{(e\+00)?}} : f32
// CHECK-NEXT:    %[[M:.*]] = arith.mulf %x, %[[Z]] : f32
// CHECK-NEXT:    %[[A:.*]] = arith.addf %x, %[[Z]] : f32
// CHECK-NEXT:    %[[S:.*]] = arith.subf %x, %x : f32
// CHECK-NEXT:    %[[D:.*]] = arith.divf %x, %x : f32
// CHECK-NEXT:    %[[N:.*]] = arith.subf %[[Z]], %x : f32
// CHECK-NEXT:    return %[[M]], %[[A]], %[[S]], %[[D]], %[[N]]
func.func @unsafe_float_rewrites_are_not_done(%x: f32) -> (f32, f32, f32, f32, f32) {
  %zero = arith.constant 0.0 : f32
  %m = arith.mulf %x, %zero : f32
  %a = arith.addf %x, %zero : f32
  %s = arith.subf %x, %x : f32
  %d = arith.divf %x, %x : f32
  %n = arith.subf %zero, %x : f32
  return %m, %a, %s, %d, %n : f32, f32, f32, f32, f32
}

// Integer identities are exact: x*0, x-x, x^x, x&0, x+0, x*1.
// CHECK-LABEL: func.func @integer_identities(%i: i32) -> (i32, i32, i32, i32, i32, i32)
// CHECK-NEXT:    %[[Z:.*]] = arith.constant 0 : i32
// CHECK-NEXT:    return %[[Z]], %[[Z]], %[[Z]], %[[Z]], %i, %i
func.func @integer_identities(%i: i32) -> (i32, i32, i32, i32, i32, i32) {
  %zero = arith.constant 0 : i32
  %one = arith.constant 1 : i32
  %a = arith.muli %i, %zero : i32
  %b = arith.subi %i, %i : i32
  %c = arith.xori %i, %i : i32
  %d = arith.andi %i, %zero : i32
  %e = arith.addi %i, %zero : i32
  %f = arith.muli %i, %one : i32
  return %a, %b, %c, %d, %e, %f : i32, i32, i32, i32, i32, i32
}

// Constants of commutative ops move to the right.
// CHECK-LABEL: func.func @constant_to_the_right(%x: f32) -> f32
// CHECK:         arith.mulf %x, %{{.*}} : f32
func.func @constant_to_the_right(%x: f32) -> f32 {
  %k = arith.constant 3.0 : f32
  %m = arith.mulf %k, %x : f32
  return %m : f32
}

// select and scf.if with a constant condition collapse.
// CHECK-LABEL: func.func @constant_conditions(%x: f32, %y: f32) -> (f32, f32, f32)
// CHECK-NEXT:    %[[S:.*]] = arith.addf %x, %y : f32
// CHECK-NEXT:    return %x, %[[S]], %y : f32, f32, f32
func.func @constant_conditions(%x: f32, %y: f32) -> (f32, f32, f32) {
  %t = arith.constant true
  %f = arith.constant false
  %a = arith.select %t, %x, %y : f32
  %b = scf.if %t -> (f32) {
    %s = arith.addf %x, %y : f32
    scf.yield %s : f32
  } else {
    scf.yield %x : f32
  }
  %c = scf.if %f -> (f32) {
    scf.yield %x : f32
  } else {
    scf.yield %y : f32
  }
  return %a, %b, %c : f32, f32, f32
}

// A loop that runs zero times yields its initial values; one that runs once
// is inlined.
// CHECK-LABEL: func.func @trip_counts(%x: f32) -> (f32, f32)
// CHECK-NOT:     scf.for
// CHECK:         %[[D:.*]] = arith.addf %x, %x : f32
// CHECK-NEXT:    return %x, %[[D]] : f32, f32
func.func @trip_counts(%x: f32) -> (f32, f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero_trip = scf.for %i = %c1 to %c0 step %c1 iter_args(%a = %x) -> (f32) {
    %d = arith.addf %a, %a : f32
    scf.yield %d : f32
  }
  %one_trip = scf.for %i = %c0 to %c1 step %c1 iter_args(%a = %x) -> (f32) {
    %d = arith.addf %a, %a : f32
    scf.yield %d : f32
  }
  return %zero_trip, %one_trip : f32, f32
}

// Canonicalization reaches a fixed point: folding exposes more folding.
// CHECK-LABEL: func.func @cascade() -> i32
// CHECK-NEXT:    %[[C:.*]] = arith.constant 10 : i32
// CHECK-NEXT:    return %[[C]] : i32
func.func @cascade() -> i32 {
  %c1 = arith.constant 1 : i32
  %a = arith.addi %c1, %c1 : i32
  %b = arith.addi %a, %a : i32
  %c = arith.addi %b, %a : i32
  %d = arith.addi %c, %b : i32
  %e = arith.subi %d, %c1 : i32
  %f = arith.addi %e, %c1 : i32
  return %f : i32
}

// math folds through arith.constant (math's materializer); non-constant math stays.
// CHECK-LABEL: func.func @math_folds(%x: f32) -> (f32, f32)
// CHECK-NEXT:    %[[C:.*]] = arith.constant 2.0{{(e\+00)?}} : f32
// CHECK-NEXT:    %[[S:.*]] = math.sqrt %x : f32
// CHECK-NEXT:    return %[[C]], %[[S]] : f32, f32
func.func @math_folds(%x: f32) -> (f32, f32) {
  %four = arith.constant 4.0 : f32
  %a = math.sqrt %four : f32
  %b = math.sqrt %x : f32
  return %a, %b : f32, f32
}
