// The demo: f(x, y) = sin(x*y) * x^3, written with a loop, and its value
// and gradient through ad.value_and_grad.  `make demo` prints the gradient
// code irc generates and runs @main on (0.5, 2.0).
func.func @f(%x: f64, %y: f64) -> f64 {
  %0 = arith.mulf %x, %y : f64
  %1 = math.sin %0 : f64
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %r = scf.for %i = %c0 to %c3 step %c1 iter_args(%acc = %1) -> (f64) {
    %2 = arith.mulf %acc, %x : f64
    scf.yield %2 : f64
  }
  return %r : f64
}

func.func @main(%x: f64, %y: f64) -> (f64, f64, f64) {
  %v, %gx, %gy = ad.value_and_grad @f(%x, %y) : (f64, f64) -> (f64, f64, f64)
  return %v, %gx, %gy : f64, f64, f64
}
