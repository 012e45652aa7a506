// RUN: irc opt %s --ad | filecheck %s

// Reverse mode through scf.for: the forward sweep pushes what the reverse
// sweep needs (each value right after it is computed); the reverse loop has
// the same bounds, pops at the start of each iteration, and carries the
// adjoints of the iter arg and of the captured %y.  sin's derivative factor
// cos(%acc) is computed in the forward sweep beside the sine (LLVM makes one
// sincos call of the two) and taped instead of %acc, so the reverse loop
// computes no cosine.  The tapes are created at entry and freed right
// before the return.
// CHECK-LABEL: func.func private @f_vjp(%x: f64, %y: f64, %r_seed: f64) -> (f64, f64, f64) {
// CHECK-DAG:     %[[ZERO:.*]] = arith.constant 0.0 : f64
// CHECK-DAG:     %acc_cos_tape = ad.tape_create : !ad.tape<f64>
// CHECK-DAG:     %s_tape = ad.tape_create : !ad.tape<f64>
// CHECK:         %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %x) -> (f64) {
// CHECK-NEXT:      %s = math.sin %acc : f64
// CHECK-NEXT:      %acc_cos = math.cos %acc : f64
// CHECK-NEXT:      ad.tape_push %acc_cos_tape, %acc_cos : !ad.tape<f64>, f64
// CHECK-NEXT:      ad.tape_push %s_tape, %s : !ad.tape<f64>, f64
// CHECK-NEXT:      %t = arith.mulf %s, %y : f64
// CHECK-NEXT:      scf.yield %t : f64
// CHECK-NEXT:    }
// CHECK-NEXT:    %[[REV:.*]]:2 = scf.for %{{.*}} = %c0 to %c4 step %c1 iter_args(%acc_adjoint = %r_seed, %y_adjoint = %[[ZERO]]) -> (f64, f64) {
// CHECK-DAG:       %[[COS:.*]] = ad.tape_pop %acc_cos_tape : !ad.tape<f64> -> f64
// CHECK-DAG:       %[[S:.*]] = ad.tape_pop %s_tape : !ad.tape<f64> -> f64
// CHECK-NOT:       math.cos
// CHECK:           arith.mulf %{{.*}}, %[[COS]] : f64
// CHECK:           scf.yield
// CHECK-NEXT:    }
// CHECK-NEXT:    ad.tape_free %acc_cos_tape : !ad.tape<f64>
// CHECK-NEXT:    ad.tape_free %s_tape : !ad.tape<f64>
// CHECK-NEXT:    return %r, %[[REV]]#0, %[[REV]]#1 : f64, f64, f64
func.func @f(%x: f64, %y: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %x) -> (f64) {
    %s = math.sin %acc : f64
    %t = arith.mulf %s, %y : f64
    scf.yield %t : f64
  }
  return %r : f64
}

// Forward mode carries the tangent as an extra iter arg.
// CHECK-LABEL: func.func private @f_jvp(%x: f64, %y: f64, %x_tangent: f64, %y_tangent: f64) -> (f64, f64) {
// CHECK:         scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %x, %{{.*}} = %x_tangent) -> (f64, f64) {
// CHECK-NOT:       ad.tape

func.func @main(%x: f64, %y: f64, %dx: f64, %dy: f64) -> (f64, f64, f64, f64) {
  %gx, %gy = ad.grad @f(%x, %y) : (f64, f64) -> (f64, f64)
  %r, %dr = ad.jvp @f(%x, %y, %dx, %dy) : (f64, f64, f64, f64) -> (f64, f64)
  return %gx, %gy, %r, %dr : f64, f64, f64, f64
}
