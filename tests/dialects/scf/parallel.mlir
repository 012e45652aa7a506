// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s | irc opt - | filecheck %s
// RUN: irc opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc opt %s --print-op-generic | irc opt - | filecheck %s
// scf.parallel with init values and scf.reduce (MLIR's current syntax).

// CHECK-LABEL: func.func @parallel
// CHECK:         %r:2 = scf.parallel (%i, %j) = (%lb, %lb) to (%ub, %ub) step (%s, %s) init (%x, %n) -> (f32, i32) {
// CHECK-NEXT:      scf.reduce(%x, %n : f32, i32) {
// CHECK-NEXT:      ^bb0(%lhs: f32, %rhs: f32):
// CHECK-NEXT:        %sum = arith.addf %lhs, %rhs : f32
// CHECK-NEXT:        scf.reduce.return %sum : f32
// CHECK-NEXT:      }, {
// CHECK-NEXT:      ^bb0(%l: i32, %r2: i32):
// CHECK-NEXT:        %m = arith.maxsi %l, %r2 : i32
// CHECK-NEXT:        scf.reduce.return %m : i32
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// The empty scf.reduce of a loop without results is printed, as MLIR does.
// CHECK-NEXT:    scf.parallel (%k) = (%lb) to (%ub) step (%s) {
// CHECK-NEXT:      scf.reduce
// CHECK-NEXT:    }
// GENERIC:       "scf.parallel"(%lb, %lb, %ub, %ub, %s, %s, %x, %n) <{operandSegmentSizes = array<i32: 2, 2, 2, 2>}> ({
// GENERIC-NEXT:  ^bb0(%i: index, %j: index):
// GENERIC-NEXT:    "scf.reduce"(%x, %n) ({
// GENERIC:           "scf.reduce.return"(%sum) : (f32) -> ()
// GENERIC:       "scf.parallel"(%lb, %ub, %s) <{operandSegmentSizes = array<i32: 1, 1, 1, 0>}> ({
// GENERIC:         "scf.reduce"() : () -> ()
func.func @parallel(%lb: index, %ub: index, %s: index, %x: f32, %n: i32) -> f32 {
  %r:2 = scf.parallel (%i, %j) = (%lb, %lb) to (%ub, %ub) step (%s, %s) init (%x, %n) -> (f32, i32) {
    scf.reduce(%x, %n : f32, i32) {
    ^bb0(%lhs: f32, %rhs: f32):
      %sum = arith.addf %lhs, %rhs : f32
      scf.reduce.return %sum : f32
    }, {
    ^bb0(%l: i32, %r2: i32):
      %m = arith.maxsi %l, %r2 : i32
      scf.reduce.return %m : i32
    }
  }
  scf.parallel (%k) = (%lb) to (%ub) step (%s) {
  }
  return %r#0 : f32
}
