// Hessian-vector products by forward-over-reverse: ad.jvp of a function that
// contains ad.grad.  f(x, y) = x^2 y + sin(y); H = [[2y, 2x], [2x, -sin y]].
//   irc run examples/hvp.mlir --entry hvp --arg 1.5 --arg 0.5 --arg 1.0 --arg 0.0 --json
func.func @f(%x: f64, %y: f64) -> f64 {
  %xx = arith.mulf %x, %x : f64
  %a = arith.mulf %xx, %y : f64
  %s = math.sin %y : f64
  %r = arith.addf %a, %s : f64
  return %r : f64
}

// the gradient as a function of (x, y)
func.func @grad_f(%x: f64, %y: f64) -> (f64, f64) {
  %gx, %gy = ad.grad @f(%x, %y) : (f64, f64) -> (f64, f64)
  return %gx, %gy : f64, f64
}

// H·v = the directional derivative of the gradient along v
func.func @hvp(%x: f64, %y: f64, %vx: f64, %vy: f64) -> (f64, f64) {
  %g:2, %hv:2 = ad.jvp @grad_f(%x, %y, %vx, %vy) : (f64, f64, f64, f64) -> (f64, f64, f64, f64)
  return %hv#0, %hv#1 : f64, f64
}
