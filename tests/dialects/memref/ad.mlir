// memref ops have no derivative rules yet: a derivative that would flow
// through memory is a located diagnostic, never silently zero; buffers that
// hold only inactive values differentiate fine.
// RUN: irc opt %s --split-input-file --verify-diagnostics --ad

func.func @square_through_memory(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %m = memref.alloca() : memref<1xf64>
  memref.store %x, %m[%c0] : memref<1xf64>
  // expected-error@+1 {{'memref.load' op has no reverse-mode derivative rule, but its result depends on an active value}}
  %y = memref.load %m[%c0] : memref<1xf64>
  %z = arith.mulf %y, %y : f64
  return %z : f64
}
func.func @main(%x: f64) -> f64 {
  %g = ad.grad @square_through_memory(%x) : (f64) -> f64
  return %g : f64
}

// -----

func.func @square_through_memory(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %m = memref.alloca() : memref<1xf64>
  memref.store %x, %m[%c0] : memref<1xf64>
  // expected-error@+1 {{'memref.load' op has no forward-mode derivative rule, but its result depends on an active value}}
  %y = memref.load %m[%c0] : memref<1xf64>
  %z = arith.mulf %y, %y : f64
  return %z : f64
}
func.func @main(%x: f64, %dx: f64) -> (f64, f64) {
  %y, %dy = ad.jvp @square_through_memory(%x, %dx) : (f64, f64) -> (f64, f64)
  return %y, %dy : f64, f64
}

// -----

// a store through a view reaches the buffer it views
func.func @through_a_cast(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %m = memref.alloc() : memref<2xf64>
  %v = memref.cast %m : memref<2xf64> to memref<?xf64>
  memref.store %x, %v[%c0] : memref<?xf64>
  // expected-error@+1 {{'memref.load' op has no}}
  %y = memref.load %m[%c0] : memref<2xf64>
  memref.dealloc %m : memref<2xf64>
  return %y : f64
}
func.func @main(%x: f64) -> f64 {
  %g = ad.grad @through_a_cast(%x) : (f64) -> f64
  return %g : f64
}

// -----

func.func @constant_table(%t: memref<4xf64>, %x: f64) -> f64 {
  %c2 = arith.constant 2 : index
  %w = memref.load %t[%c2] : memref<4xf64>
  %y = arith.mulf %w, %x : f64
  return %y : f64
}
func.func @main(%t: memref<4xf64>, %x: f64) -> f64 {
  %g = ad.grad @constant_table(%t, %x) {wrt = [1]} : (memref<4xf64>, f64) -> f64
  return %g : f64
}

// -----

func.func @active_buffer(%t: memref<4xf64>, %x: f64) -> f64 {
  %c2 = arith.constant 2 : index
  %w = memref.load %t[%c2] : memref<4xf64>
  return %w : f64
}
func.func @main(%t: memref<4xf64>, %x: f64) -> f64 {
  // expected-error@+1 {{'ad.grad' op argument 0 of type memref<4xf64> cannot be active}}
  %g = ad.grad @active_buffer(%t, %x) {wrt = [0]} : (memref<4xf64>, f64) -> f64
  return %g : f64
}
