// RUN: irc opt %s --ad | filecheck %s
// RUN: irc opt %s --ad-reverse | filecheck %s --check-prefix=REV

// The gradient of x*x after clean-up: seed*x + seed*x, nothing else.
// CHECK-LABEL: func.func private @square_vjp(%x: f64, %y_seed: f64) -> (f64, f64) {
// CHECK-NEXT:    %y = arith.mulf %x, %x : f64
// CHECK-NEXT:    %[[T:.*]] = arith.mulf %y_seed, %x : f64
// CHECK-NEXT:    %[[G:.*]] = arith.addf %[[T]], %[[T]] : f64
// CHECK-NEXT:    return %y, %[[G]] : f64, f64
// CHECK-NEXT:  }
// CHECK-LABEL: func.func private @square_grad(%x: f64) -> f64 {
// CHECK-NEXT:    %[[ONE:.*]] = arith.constant 1.0 : f64
// CHECK-NEXT:    %[[R:.*]]:2 = func.call @square_vjp(%x, %[[ONE]]) : (f64, f64) -> (f64, f64)
// CHECK-NEXT:    return %[[R]]#1 : f64
func.func @square(%x: f64) -> f64 {
  %y = arith.mulf %x, %x : f64
  return %y : f64
}

// Forward mode: tangent = dx*x + dx*x.
// CHECK-LABEL: func.func private @square_jvp(%x: f64, %x_tangent: f64) -> (f64, f64) {
// CHECK-NEXT:    %y = arith.mulf %x, %x : f64
// CHECK-NEXT:    %[[T:.*]] = arith.mulf %x_tangent, %x : f64
// CHECK-NEXT:    %[[D:.*]] = arith.addf %[[T]], %[[T]] : f64
// CHECK-NEXT:    return %y, %[[D]] : f64, f64

// The ad ops became calls; generated functions are reused (one @square_vjp).
// CHECK-LABEL: func.func @main(%x: f64, %dx: f64) -> (f64, f64, f64) {
// CHECK:         func.call @square_grad(%x)
// CHECK:         func.call @square_grad(%x)
// CHECK:         func.call @square_jvp(%x, %dx)
// CHECK-NOT:   ad.
// CHECK-NOT:   @square_vjp_1

// --ad-reverse leaves forward-mode ops alone.
// REV:  func.func private @square_vjp
// REV:  ad.jvp @square
func.func @main(%x: f64, %dx: f64) -> (f64, f64, f64) {
  %g = ad.grad @square(%x) : (f64) -> f64
  %g2 = ad.grad @square(%x) : (f64) -> f64
  %y, %dy = ad.jvp @square(%x, %dx) : (f64, f64) -> (f64, f64)
  %s = arith.addf %g, %g2 : f64
  return %s, %y, %dy : f64, f64, f64
}
