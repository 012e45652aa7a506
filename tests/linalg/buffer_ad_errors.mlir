// RUN: irc opt %s --split-input-file --verify-diagnostics --ad
// linalg ops on buffers: what AD refuses is a located diagnostic naming the op.

// %t is constant (not in 'wrt'), but exp writes active values into it and copy reads them back
func.func @f(%x: memref<4xf64>, %t: memref<4xf64>) {
  // expected-error@+1 {{'linalg.exp' op writes active values into a buffer without derivatives (a memref argument not listed in 'wrt' is constant); list it in 'wrt' to give it a shadow buffer}}
  linalg.exp ins(%x : memref<4xf64>) outs(%t : memref<4xf64>)
  linalg.copy ins(%t : memref<4xf64>) outs(%x : memref<4xf64>)
  return
}
func.func @forward(%x: memref<4xf64>, %t: memref<4xf64>, %dx: memref<4xf64>) {
  ad.jvp @f(%x, %t, %dx) {wrt = [0]} : (memref<4xf64>, memref<4xf64>, memref<4xf64>) -> ()
  return
}

// -----

func.func @f(%x: memref<4xf64>, %t: memref<4xf64>) {
  linalg.exp ins(%x : memref<4xf64>) outs(%t : memref<4xf64>)
  // expected-error@+1 {{'linalg.copy' op uses a buffer without derivatives (a memref argument not listed in 'wrt' is constant); list it in 'wrt' to give it a shadow buffer}}
  linalg.copy ins(%t : memref<4xf64>) outs(%x : memref<4xf64>)
  return
}
func.func @reverse(%x: memref<4xf64>, %t: memref<4xf64>, %dx: memref<4xf64>) {
  ad.vjp @f(%x, %t, %dx) {wrt = [0]} : (memref<4xf64>, memref<4xf64>, memref<4xf64>) -> ()
  return
}

// -----

// a product reduction has no rule, on buffers as on tensors
func.func @f(%x: memref<3x4xf64>, %o: memref<3xf64>) {
  // expected-error@+1 {{'linalg.generic' op is not differentiable: output #0 is reduced by a body that is neither a sum nor a max/min of its accumulator}}
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<3x4xf64>) outs(%o : memref<3xf64>) {
  ^bb0(%a: f64, %acc: f64):
    %s = arith.mulf %acc, %a : f64
    linalg.yield %s : f64
  }
  return
}
func.func @product(%x: memref<3x4xf64>, %o: memref<3xf64>, %dx: memref<3x4xf64>, %do: memref<3xf64>) {
  ad.vjp @f(%x, %o, %dx, %do) {wrt = [0, 1]} : (memref<3x4xf64>, memref<3xf64>, memref<3x4xf64>, memref<3xf64>) -> ()
  return
}

// -----

// the body uses an active value that is not one of its operands
func.func @f(%x: memref<4xf64>, %s: f64) {
  // expected-error@+1 {{'linalg.generic' op is not differentiable: its body uses an active value defined outside it (pass it as an input)}}
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>], iterator_types = ["parallel"]} outs(%x : memref<4xf64>) {
  ^bb0(%a: f64):
    %p = arith.mulf %a, %s : f64
    linalg.yield %p : f64
  }
  return
}
func.func @captured(%x: memref<4xf64>, %s: f64, %dx: memref<4xf64>) -> f64 {
  %ds = ad.vjp @f(%x, %s, %dx) {wrt = [0, 1]} : (memref<4xf64>, f64, memref<4xf64>) -> f64
  return %ds : f64
}

// -----

// a bufferized loop that carries its buffer through an iter_arg (--canonicalize removes it)
func.func @f(%x: memref<4xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %b = memref.alloc() : memref<4xf64>
  // expected-error@+1 {{'scf.for' op carries a buffer with derivatives through its iter_args or results, which AD does not follow; run --canonicalize first (it replaces an iter_arg that carries one buffer unchanged by that buffer)}}
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %b) -> (memref<4xf64>) {
    %v = memref.load %x[%i] : memref<4xf64>
    %e = math.exp %v : f64
    memref.store %e, %acc[%i] : memref<4xf64>
    scf.yield %acc : memref<4xf64>
  }
  %y = memref.load %r[%c0] : memref<4xf64>
  memref.dealloc %b : memref<4xf64>
  return %y : f64
}
func.func @carried(%x: memref<4xf64>, %dx: memref<4xf64>) {
  ad.grad @f(%x, %dx) {wrt = [0]} : (memref<4xf64>, memref<4xf64>) -> ()
  return
}
