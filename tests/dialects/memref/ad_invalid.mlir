// RUN: irc opt %s --split-input-file --verify-diagnostics --ad
// What memory in derivatives refuses, with a located diagnostic, never a
// derivative silently lost in memory.

func.func @into_a_constant_buffer(%t: memref<4xf64>, %x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'memref.store' op stores an active value into a buffer without derivatives (a memref argument not listed in 'wrt' is constant); list it in 'wrt' to give it a shadow buffer}}
  memref.store %x, %t[%c0] : memref<4xf64>
  %y = memref.load %t[%c0] : memref<4xf64>
  return %y : f64
}
func.func @main(%t: memref<4xf64>, %x: f64, %dx: f64) -> (f64, f64) {
  %y, %dy = ad.jvp @into_a_constant_buffer(%t, %x, %dx) {wrt = [1]} : (memref<4xf64>, f64, f64) -> (f64, f64)
  return %y, %dy : f64, f64
}

// -----

func.func @into_a_constant_buffer(%t: memref<4xf64>, %x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  memref.store %x, %t[%c0] : memref<4xf64>
  // expected-error@+1 {{'memref.load' op uses a buffer without derivatives (a memref argument not listed in 'wrt' is constant)}}
  %y = memref.load %t[%c0] : memref<4xf64>
  return %y : f64
}
func.func @main(%t: memref<4xf64>, %x: f64) -> f64 {
  %g = ad.grad @into_a_constant_buffer(%t, %x) {wrt = [1]} : (memref<4xf64>, f64) -> f64
  return %g : f64
}

// -----

func.func @index_buffer(%t: memref<4xindex>, %x: f64) -> f64 {
  return %x : f64
}
func.func @main(%t: memref<4xindex>, %x: f64) -> f64 {
  // expected-error@+1 {{'ad.grad' op argument 0 of type memref<4xindex> cannot be active: only float and tensor/vector-of-float values are differentiable, and buffers of floats (dup)}}
  %g = ad.grad @index_buffer(%t, %x) {wrt = [0]} : (memref<4xindex>, f64) -> f64
  return %g : f64
}

// -----

func.func @read(%t: memref<4xf64>, %x: f64) -> f64 {
  %c2 = arith.constant 2 : index
  %w = memref.load %t[%c2] : memref<4xf64>
  return %w : f64
}
func.func @main(%t: memref<4xf64>, %x: f64) -> f64 {
  // expected-error@+1 {{'ad.grad' op operand types (memref<4xf64>, f64) do not match what differentiating '@read' needs: (memref<4xf64>, f64, memref<4xf64>)}}
  %g = ad.grad @read(%t, %x) {wrt = [0]} : (memref<4xf64>, f64) -> f64
  return %g : f64
}

// -----

// the call returns nothing: it is differentiated because it may write the dup buffer
func.func @inner(%t: memref<4xf64>) {
  %c2 = arith.constant 2 : index
  %w = memref.load %t[%c2] : memref<4xf64>
  %s = math.sin %w : f64
  memref.store %s, %t[%c2] : memref<4xf64>
  return
}
func.func @outer(%t: memref<4xf64>) -> f64 {
  %c2 = arith.constant 2 : index
  // expected-error@+1 {{'func.call' op reverse mode through a call that passes a buffer with derivatives (operand 0) is not supported: the callee would run again in the reverse sweep; inline it first (--inline)}}
  func.call @inner(%t) : (memref<4xf64>) -> ()
  %w = memref.load %t[%c2] : memref<4xf64>
  return %w : f64
}
func.func @main(%t: memref<4xf64>, %dt: memref<4xf64>) {
  ad.grad @outer(%t, %dt) {wrt = [0]} : (memref<4xf64>, memref<4xf64>) -> ()
  return
}
