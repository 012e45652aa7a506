// RUN: irc opt %s --allow-unregistered-dialect --cse | filecheck %s
// RUN: irc opt %s --allow-unregistered-dialect --pass-pipeline='builtin.module(func.func(cse))' | filecheck %s

// Identical pure ops merge; the first one (which dominates) survives.
// CHECK-LABEL: func.func @simple(%x: i32) -> (i64, i64) {
// CHECK-NEXT:    %[[A:.*]] = builtin.unrealized_conversion_cast %x : i32 to i64
// CHECK-NEXT:    return %[[A]], %[[A]] : i64, i64
func.func @simple(%x: i32) -> (i64, i64) {
  %a = builtin.unrealized_conversion_cast %x : i32 to i64
  %b = builtin.unrealized_conversion_cast %x : i32 to i64
  return %a, %b : i64, i64
}

// Different result types or operands are different values.
// CHECK-LABEL: func.func @different
// CHECK-NEXT:    builtin.unrealized_conversion_cast %x : i32 to i64
// CHECK-NEXT:    builtin.unrealized_conversion_cast %x : i32 to f32
// CHECK-NEXT:    builtin.unrealized_conversion_cast %y : i32 to i64
func.func @different(%x: i32, %y: i32) -> (i64, f32, i64) {
  %a = builtin.unrealized_conversion_cast %x : i32 to i64
  %b = builtin.unrealized_conversion_cast %x : i32 to f32
  %c = builtin.unrealized_conversion_cast %y : i32 to i64
  return %a, %b, %c : i64, f32, i64
}

// Ops with side effects (here: unregistered ops and calls) are never merged.
// CHECK-LABEL: func.func @effects
// CHECK-NEXT:    "test.effect"
// CHECK-NEXT:    "test.effect"
// CHECK-NEXT:    func.call @effects
// CHECK-NEXT:    func.call @effects
func.func @effects(%x: i32) -> i32 {
  %a = "test.effect"(%x) : (i32) -> i32
  %b = "test.effect"(%x) : (i32) -> i32
  %c = func.call @effects(%a) : (i32) -> i32
  %d = func.call @effects(%a) : (i32) -> i32
  "test.use"(%b, %c, %d) : (i32, i32, i32) -> ()
  return %a : i32
}

// An op inside a region is replaced by an equal op outside it (outside dominates),
// never the other way round; ops in sibling regions do not see each other.
// CHECK-LABEL: func.func @nested
// CHECK-NEXT:    %[[OUT:.*]] = builtin.unrealized_conversion_cast %x : i32 to i64
// CHECK-NEXT:    scf.for
// CHECK-NEXT:      %[[IN:.*]] = builtin.unrealized_conversion_cast %x : i32 to f32
// CHECK-NEXT:      "test.use"(%[[OUT]], %[[IN]])
// CHECK:         scf.for
// CHECK-NEXT:      %[[IN2:.*]] = builtin.unrealized_conversion_cast %x : i32 to f32
// CHECK-NEXT:      "test.use"(%[[OUT]], %[[IN2]])
func.func @nested(%lb: index, %ub: index, %x: i32) {
  %o = builtin.unrealized_conversion_cast %x : i32 to i64
  scf.for %i = %lb to %ub step %ub {
    %o2 = builtin.unrealized_conversion_cast %x : i32 to i64
    %f = builtin.unrealized_conversion_cast %x : i32 to f32
    "test.use"(%o2, %f) : (i64, f32) -> ()
  }
  scf.for %i = %lb to %ub step %ub {
    %f = builtin.unrealized_conversion_cast %x : i32 to f32
    "test.use"(%o, %f) : (i64, f32) -> ()
  }
  return
}

// Blocks follow dominance: bb1 and bb2 both see the entry's value, but bb3
// (reached from both) does not see bb1's.
// CHECK-LABEL: func.func @blocks
// CHECK:       ^bb1:
// CHECK-NEXT:    "test.use"(%[[E:.*]]) : (i64) -> ()
// CHECK-NEXT:    %[[F1:.*]] = builtin.unrealized_conversion_cast %x : i32 to f32
// CHECK:       ^bb2:
// CHECK-NEXT:    "test.use"(%[[E]]) : (i64) -> ()
// CHECK:       ^bb3:
// CHECK-NEXT:    %[[F3:.*]] = builtin.unrealized_conversion_cast %x : i32 to f32
// CHECK-NEXT:    "test.use"(%[[F3]])
func.func @blocks(%x: i32, %c: i1) {
  %e = builtin.unrealized_conversion_cast %x : i32 to i64
  "test.cond_br"(%c)[^bb1, ^bb2] : (i1) -> ()
^bb1:
  %e1 = builtin.unrealized_conversion_cast %x : i32 to i64
  "test.use"(%e1) : (i64) -> ()
  %f1 = builtin.unrealized_conversion_cast %x : i32 to f32
  "test.use"(%f1) : (f32) -> ()
  "test.br"()[^bb3] : () -> ()
^bb2:
  %e2 = builtin.unrealized_conversion_cast %x : i32 to i64
  "test.use"(%e2) : (i64) -> ()
  "test.br"()[^bb3] : () -> ()
^bb3:
  %f3 = builtin.unrealized_conversion_cast %x : i32 to f32
  "test.use"(%f3) : (f32) -> ()
  return
}

// Pure ops with regions are merged when their regions are structurally equal.
// CHECK-LABEL: func.func @regions
// CHECK:         %[[R:.*]] = scf.for
// CHECK-NOT:     scf.for
// CHECK:         return %[[R]], %[[R]]
func.func @regions(%lb: index, %ub: index, %x: i64) -> (i64, i64) {
  %r1 = scf.for %i = %lb to %ub step %ub iter_args(%a = %x) -> (i64) {
    %n = builtin.unrealized_conversion_cast %i, %a : index, i64 to i64
    scf.yield %n : i64
  }
  %r2 = scf.for %j = %lb to %ub step %ub iter_args(%b = %x) -> (i64) {
    %m = builtin.unrealized_conversion_cast %j, %b : index, i64 to i64
    scf.yield %m : i64
  }
  return %r1, %r2 : i64, i64
}

// ... but not when anything inside differs.
// CHECK-LABEL: func.func @regions_differ
// CHECK:         scf.for
// CHECK:         scf.for
func.func @regions_differ(%lb: index, %ub: index, %x: i64) -> (i64, i64) {
  %r1 = scf.for %i = %lb to %ub step %ub iter_args(%a = %x) -> (i64) {
    %n = builtin.unrealized_conversion_cast %i, %a : index, i64 to i64
    scf.yield %n : i64
  }
  %r2 = scf.for %j = %lb to %ub step %ub iter_args(%b = %x) -> (i64) {
    %m = builtin.unrealized_conversion_cast %b, %j : i64, index to i64
    scf.yield %m : i64
  }
  return %r1, %r2 : i64, i64
}
