// RUN: irc opt %s --ad=cleanup=false | filecheck %s

// Only x is active: sin(y) and the loop over y get no derivative code at all
// (no cos, no tape), even before clean-up; the integer work is plain primal code.
// CHECK-LABEL: func.func private @f_jvp(%x: f64, %y: f64, %n: index, %x_tangent: f64) -> (f64, f64) {
// CHECK-NOT:     math.cos
// CHECK-NOT:     ad.tape
// CHECK:         return
// CHECK-LABEL: func.func private @f_vjp(%x: f64, %y: f64, %n: index, %r_seed: f64) -> (f64, f64) {
// CHECK-NOT:     math.cos
// CHECK-NOT:     ad.tape
// CHECK:         return
func.func @f(%x: f64, %y: f64, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %s = math.sin %y : f64
  %l = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %y) -> (f64) {
    %c = math.sin %acc : f64
    scf.yield %c : f64
  }
  %p = arith.mulf %x, %s : f64
  %r = arith.addf %p, %l : f64
  return %r : f64
}

// A value that depends on x but does not reach the result gets no adjoint code.
// CHECK-LABEL: func.func private @g_vjp(%x: f64, %r_seed: f64) -> (f64, f64) {
// CHECK-NOT:     math.cos
// CHECK:         return
func.func @g(%x: f64) -> f64 {
  %unused = math.sin %x : f64
  %r = arith.mulf %x, %x : f64
  return %r : f64
}

func.func @main(%x: f64, %y: f64, %n: index, %dx: f64) -> (f64, f64, f64) {
  %r, %dr = ad.jvp @f(%x, %y, %n, %dx) {wrt = [0]} : (f64, f64, index, f64) -> (f64, f64)
  %gx = ad.grad @f(%x, %y, %n) {wrt = [0]} : (f64, f64, index) -> f64
  %gg = ad.grad @g(%x) : (f64) -> f64
  return %dr, %gx, %gg : f64, f64, f64
}
