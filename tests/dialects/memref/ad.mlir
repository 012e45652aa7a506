// RUN: irc opt %s --ad | filecheck %s
// Memory in derivatives: a local buffer gets a zero-filled shadow (freed where
// the reverse sweep ends its life); a `dup` argument's shadow comes from the
// caller, loads add into it and stores read and zero it; a constant buffer
// (not in `wrt`) is only read.

func.func @square_through_memory(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %m = memref.alloc() : memref<1xf64>
  memref.store %x, %m[%c0] : memref<1xf64>
  %y = memref.load %m[%c0] : memref<1xf64>
  %z = arith.mulf %y, %y : f64
  memref.dealloc %m : memref<1xf64>
  return %z : f64
}
func.func @main(%x: f64) -> f64 {
  %g = ad.grad @square_through_memory(%x) : (f64) -> f64
  return %g : f64
}
// CHECK-LABEL: func.func private @square_through_memory_vjp(
// CHECK: %[[M:.*]] = memref.alloc() : memref<1xf64>
// CHECK-NEXT: %[[SHADOW:.*]] = memref.alloc() : memref<1xf64>
// the shadow starts at zero (a loop over its elements, unrolled by canonicalize here)
// CHECK-NEXT: memref.store %{{.*}}, %[[SHADOW]][%{{.*}}] : memref<1xf64>
// CHECK: memref.dealloc %[[M]] : memref<1xf64>
// the reverse of the load adds into the shadow, the reverse of the store reads and zeroes it
// CHECK: memref.load %[[SHADOW]]
// CHECK: memref.store %{{.*}}, %[[SHADOW]]
// CHECK: %[[X_ADJ:.*]] = memref.load %[[SHADOW]]
// CHECK: memref.dealloc %[[SHADOW]] : memref<1xf64>
// CHECK: return %{{.*}}, %[[X_ADJ]] : f64, f64

// `dup` (in `wrt`): the shadow buffer is an argument after the primals, and has no cotangent result
func.func @scale(%m: memref<?xf64>, %k: f64) {
  %c0 = arith.constant 0 : index
  %v = memref.load %m[%c0] : memref<?xf64>
  %w = arith.mulf %v, %k : f64
  memref.store %w, %m[%c0] : memref<?xf64>
  return
}
func.func @scale_vjp_caller(%m: memref<?xf64>, %k: f64, %dm: memref<?xf64>) -> f64 {
  %dk = ad.vjp @scale(%m, %k, %dm) {wrt = [0, 1]} : (memref<?xf64>, f64, memref<?xf64>) -> f64
  return %dk : f64
}
// CHECK-LABEL: func.func private @scale_vjp(%m: memref<?xf64>, %k: f64, %m_shadow: memref<?xf64>) -> f64 {
// CHECK: %[[W_ADJ:.*]] = memref.load %m_shadow[%{{.*}}] : memref<?xf64>
// CHECK-NEXT: memref.store %{{.*}}, %m_shadow[%{{.*}}] : memref<?xf64>
// CHECK: memref.load %m_shadow
// CHECK: memref.store %{{.*}}, %m_shadow

// forward mode: the shadow is the argument's tangent
func.func @scale_jvp_caller(%m: memref<?xf64>, %k: f64, %tm: memref<?xf64>, %tk: f64) {
  ad.jvp @scale(%m, %k, %tm, %tk) {wrt = [0, 1]} : (memref<?xf64>, f64, memref<?xf64>, f64) -> ()
  return
}
// CHECK-LABEL: func.func private @scale_jvp(%m: memref<?xf64>, %k: f64, %m_tangent: memref<?xf64>, %k_tangent: f64) {
// CHECK: memref.load %m_tangent
// CHECK: memref.store %{{.*}}, %m_tangent

// a constant table differentiates with respect to the scalar alone
func.func @constant_table(%t: memref<4xf64>, %x: f64) -> f64 {
  %c2 = arith.constant 2 : index
  %w = memref.load %t[%c2] : memref<4xf64>
  %y = arith.mulf %w, %x : f64
  return %y : f64
}
func.func @table_caller(%t: memref<4xf64>, %x: f64) -> f64 {
  %g = ad.grad @constant_table(%t, %x) {wrt = [1]} : (memref<4xf64>, f64) -> f64
  return %g : f64
}
// CHECK-LABEL: func.func private @constant_table_vjp(%t: memref<4xf64>, %x: f64, %y_seed: f64) -> (f64, f64) {
// CHECK-NOT: shadow
// CHECK: return
