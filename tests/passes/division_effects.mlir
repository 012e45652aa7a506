// RUN: irc opt %s --cse --dce | filecheck %s
// RUN: irc opt %s --loop-invariant-code-motion | filecheck %s --check-prefix=LICM
// Integer division has no side effects (CSE merges it, DCE drops it) but may
// trap, so LICM keeps it inside the loop.
// CHECK-LABEL: func.func @f
// CHECK-NEXT:    %[[D:.*]] = arith.divsi %a, %b : i32
// CHECK-NEXT:    %[[S:.*]] = arith.addi %[[D]], %[[D]] : i32
// CHECK-NEXT:    return %[[S]] : i32
func.func @f(%a: i32, %b: i32) -> i32 {
  %d1 = arith.divsi %a, %b : i32
  %d2 = arith.divsi %a, %b : i32
  %unused = arith.divsi %b, %a : i32
  %s = arith.addi %d1, %d2 : i32
  return %s : i32
}
// LICM-LABEL: func.func @g
// LICM: scf.for
// LICM-NEXT: arith.divsi %a, %b
func.func @g(%a: i32, %b: i32, %n: index) -> i32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %a) -> (i32) {
    %d = arith.divsi %a, %b : i32
    %s = arith.addi %acc, %d : i32
    scf.yield %s : i32
  }
  return %r : i32
}
