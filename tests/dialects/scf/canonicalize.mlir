// RUN: irc opt %s --split-input-file --canonicalize | filecheck %s
// scf canonicalization patterns.

// An scf.if on a constant condition is replaced by the taken branch.
// CHECK-LABEL: func.func @if_constant
// CHECK-NOT:     scf.if
// CHECK:         %[[S:.*]] = arith.addf %x, %y : f64
// CHECK-NEXT:    return %[[S]] : f64
func.func @if_constant(%x: f64, %y: f64) -> f64 {
  %t = arith.constant true
  %r = scf.if %t -> (f64) {
    %s = arith.addf %x, %y : f64
    scf.yield %s : f64
  } else {
    scf.yield %y : f64
  }
  %f = arith.constant false
  scf.if %f {
    func.call @effect() : () -> ()
  }
  return %r : f64
}
func.func private @effect()

// -----

// Results both branches yield as the same outer value are that value; unused
// results are dropped; a branch-free scf.if becomes arith.select.
// CHECK-LABEL: func.func @if_results
// CHECK:         %[[R:.*]] = scf.if %c -> (f64) {
// CHECK-NEXT:      %[[S:.*]] = arith.addf %x, %x : f64
// CHECK-NEXT:      func.call @effect() : () -> ()
// CHECK-NEXT:      scf.yield %[[S]] : f64
// CHECK-NEXT:    } else {
// CHECK-NEXT:      scf.yield %x : f64
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[SEL:.*]] = arith.select %c, %x, %y : f64
// CHECK-NEXT:    %[[U:.*]] = arith.addf %x, %[[R]] : f64
// CHECK-NEXT:    %[[V:.*]] = arith.addf %[[U]], %[[SEL]] : f64
// CHECK-NEXT:    return %[[V]] : f64
func.func @if_results(%c: i1, %x: f64, %y: f64) -> f64 {
  %r:3 = scf.if %c -> (f64, f64, f64) {
    %s = arith.addf %x, %x : f64
    func.call @effect() : () -> ()
    scf.yield %x, %s, %s : f64, f64, f64
  } else {
    scf.yield %x, %x, %y : f64, f64, f64
  }
  %q = scf.if %c -> (f64) {
    scf.yield %x : f64
  } else {
    scf.yield %y : f64
  }
  %u = arith.addf %r#0, %r#1 : f64
  %v = arith.addf %u, %q : f64
  return %v : f64
}
func.func private @effect()

// -----

// Loops with a constant trip count of zero or one disappear.
// CHECK-LABEL: func.func @trip_counts
// CHECK-NOT:     scf.for
// CHECK:         %[[M:.*]] = arith.mulf %x, %x : f64
// CHECK-NEXT:    return %x, %[[M]], %x : f64, f64, f64
func.func @trip_counts(%x: f64, %n: index) -> (f64, f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %a = scf.for %i = %c5 to %c0 step %c1 iter_args(%v = %x) -> (f64) {
    %s = arith.addf %v, %v : f64
    scf.yield %s : f64
  }
  %b = scf.for %i = %c0 to %c5 step %c5 iter_args(%v = %x) -> (f64) {
    %s = arith.mulf %v, %v : f64
    scf.yield %s : f64
  }
  %c = scf.for %i = %n to %n step %c1 iter_args(%v = %x) -> (f64) {
    %s = arith.subf %v, %v : f64
    scf.yield %s : f64
  }
  return %a, %b, %c : f64, f64, f64
}

// -----

// Loop-carried values nobody reads are removed; values yielded unchanged are the init.
// CHECK-LABEL: func.func @iter_args
// CHECK:         %[[R:.*]] = scf.for %i = %{{.*}} to %n step %{{.*}} iter_args(%a = %x) -> (f64) {
// CHECK-NEXT:      %[[S:.*]] = arith.addf %a, %x : f64
// CHECK-NEXT:      scf.yield %[[S]] : f64
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[R]], %x : f64, f64
func.func @iter_args(%x: f64, %n: index) -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:3 = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x, %b = %x, %c = %x) -> (f64, f64, f64) {
    %s = arith.addf %a, %c : f64
    %t = arith.mulf %b, %b : f64
    scf.yield %s, %t, %c : f64, f64, f64
  }
  return %r#0, %r#2 : f64, f64
}

// -----

// A single-block scf.execute_region is inlined unless marked no_inline.
// CHECK-LABEL: func.func @execute_region
// CHECK-NEXT:    %[[Y:.*]] = arith.addf %x, %x : f32
// CHECK-NEXT:    %[[Q:.*]] = scf.execute_region -> f32 no_inline {
// CHECK-NEXT:      scf.yield %[[Y]] : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[Q]] : f32
func.func @execute_region(%x: f32) -> f32 {
  %r = scf.execute_region -> f32 {
    %y = arith.addf %x, %x : f32
    scf.yield %y : f32
  }
  %q = scf.execute_region -> f32 no_inline {
    scf.yield %r : f32
  }
  return %q : f32
}

// -----

// A pure loop whose results are unused is dead code.
// CHECK-LABEL: func.func @dead_loop
// CHECK-NEXT:    return %x : f64
func.func @dead_loop(%x: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> (f64) {
    %s = arith.addf %a, %a : f64
    scf.yield %s : f64
  }
  return %x : f64
}

// -----

// no_inline keeps an scf.execute_region.
// CHECK-LABEL: func.func @no_inline
// CHECK-NEXT:    %[[Q:.*]] = scf.execute_region -> f32 no_inline {
// CHECK-NEXT:      scf.yield %x : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    return %[[Q]] : f32
func.func @no_inline(%x: f32) -> f32 {
  %q = scf.execute_region -> f32 no_inline {
    scf.yield %x : f32
  }
  return %q : f32
}
