// RUN: irc opt %s --ad | filecheck %s
// linalg ops on buffers in reverse mode: a buffer whose contents survive until the
// reverse sweep is read directly; one overwritten or freed later is copied where the
// op runs (MemoryEffects say which), and inside a loop each trip's copy is taped.

// C += A·B: dA += dC·Bᵀ and dB += Aᵀ·dC into the shadows; dC is left as it is
func.func @matmul(%a: memref<3x4xf64>, %b: memref<4x2xf64>, %c: memref<3x2xf64>) {
  linalg.matmul ins(%a, %b : memref<3x4xf64>, memref<4x2xf64>) outs(%c : memref<3x2xf64>)
  return
}
func.func @grad_matmul(%a: memref<3x4xf64>, %b: memref<4x2xf64>, %c: memref<3x2xf64>, %da: memref<3x4xf64>, %db: memref<4x2xf64>, %dc: memref<3x2xf64>) {
  ad.vjp @matmul(%a, %b, %c, %da, %db, %dc) {wrt = [0, 1, 2]} : (memref<3x4xf64>, memref<4x2xf64>, memref<3x2xf64>, memref<3x4xf64>, memref<4x2xf64>, memref<3x2xf64>) -> ()
  return
}
// CHECK-LABEL: func.func private @matmul_vjp(
// CHECK-NEXT: linalg.matmul ins(%a, %b
// CHECK-NEXT: linalg.contract {{.*}} ins(%c_shadow, %b : {{.*}}) outs(%a_shadow : memref<3x4xf64>)
// CHECK-NEXT: linalg.contract {{.*}} ins(%a, %c_shadow : {{.*}}) outs(%b_shadow : memref<4x2xf64>)
// CHECK-NEXT: return

// an elementwise op overwrites its output: the output's shadow is zeroed after it is read
func.func @scale(%x: memref<4xf64>, %y: memref<4xf64>, %out: memref<4xf64>) {
  linalg.mul ins(%x, %y : memref<4xf64>, memref<4xf64>) outs(%out : memref<4xf64>)
  return
}
func.func @grad_scale(%x: memref<4xf64>, %y: memref<4xf64>, %out: memref<4xf64>, %dx: memref<4xf64>, %dout: memref<4xf64>) {
  ad.vjp @scale(%x, %y, %out, %dx, %dout) {wrt = [0, 2]} : (memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>) -> ()
  return
}
// CHECK-LABEL: func.func private @scale_vjp(
// CHECK-NOT: memref.copy
// the derivative of x * y by x reads y and the cotangent only (canonicalization drops unused inputs)
// CHECK: linalg.generic {{.*}} ins(%y, %out_shadow : {{.*}}) outs(%x_shadow : memref<4xf64>)
// CHECK: linalg.fill ins(%{{.*}} : f64) outs(%out_shadow : memref<4xf64>)
// CHECK-NEXT: return

// %x is overwritten after the product reads it: its contents are copied before
func.func @overwritten(%x: memref<4xf64>, %y: memref<4xf64>, %out: memref<4xf64>) {
  linalg.mul ins(%x, %y : memref<4xf64>, memref<4xf64>) outs(%out : memref<4xf64>)
  linalg.exp ins(%out : memref<4xf64>) outs(%x : memref<4xf64>)
  return
}
func.func @grad_overwritten(%x: memref<4xf64>, %y: memref<4xf64>, %out: memref<4xf64>, %dx: memref<4xf64>, %dy: memref<4xf64>, %dout: memref<4xf64>) {
  ad.vjp @overwritten(%x, %y, %out, %dx, %dy, %dout) {wrt = [0, 1, 2]} : (memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>) -> ()
  return
}
// CHECK-LABEL: func.func private @overwritten_vjp(
// CHECK: %[[BEFORE:.*]] = memref.alloc() : memref<4xf64>
// CHECK-NEXT: memref.copy %x, %[[BEFORE]]
// CHECK-NEXT: linalg.mul ins(%x, %y
// CHECK-NEXT: linalg.exp ins(%out : memref<4xf64>) outs(%x : memref<4xf64>)
// CHECK: linalg.generic {{.*}} ins(%[[BEFORE]], %out_shadow : {{.*}}) outs(%y_shadow
// CHECK: memref.dealloc %[[BEFORE]]

// in a loop, %x is overwritten on every trip: each trip's copy goes onto a tape
func.func @powers(%x: memref<4xf64>, %y: memref<4xf64>, %out: memref<4xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    linalg.mul ins(%x, %y : memref<4xf64>, memref<4xf64>) outs(%out : memref<4xf64>)
    linalg.copy ins(%out : memref<4xf64>) outs(%x : memref<4xf64>)
  }
  return
}
func.func @grad_powers(%x: memref<4xf64>, %y: memref<4xf64>, %out: memref<4xf64>, %dx: memref<4xf64>, %dy: memref<4xf64>, %dout: memref<4xf64>) {
  ad.vjp @powers(%x, %y, %out, %dx, %dy, %dout) {wrt = [0, 1, 2]} : (memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>) -> ()
  return
}
// CHECK-LABEL: func.func private @powers_vjp(
// CHECK: %[[TAPE:.*]] = ad.tape_create : !ad.tape<memref<4xf64>>
// CHECK: scf.for
// CHECK: memref.copy %x, %[[COPY:[a-z_0-9]+]] :
// CHECK-NEXT: ad.tape_push %[[TAPE]], %[[COPY]]
// CHECK-NEXT: linalg.mul
// CHECK: scf.for
// CHECK: %[[POPPED:.*]] = ad.tape_pop %[[TAPE]]
// CHECK: linalg.generic {{.*}} ins(%[[POPPED]], %out_shadow
// CHECK: memref.dealloc %[[POPPED]]

// in a loop that never writes %x or %y, they are read as they are: no copy, no tape
func.func @accumulate(%x: memref<4xf64>, %y: memref<4xf64>, %out: memref<4xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%x, %y : memref<4xf64>, memref<4xf64>) outs(%out : memref<4xf64>) {
    ^bb0(%a: f64, %b: f64, %acc: f64):
      %s = math.sin %a : f64
      %p = arith.mulf %s, %b : f64
      %r = arith.addf %acc, %p : f64
      linalg.yield %r : f64
    }
  }
  return
}
func.func @grad_accumulate(%x: memref<4xf64>, %y: memref<4xf64>, %out: memref<4xf64>, %dx: memref<4xf64>, %dy: memref<4xf64>, %dout: memref<4xf64>) {
  ad.vjp @accumulate(%x, %y, %out, %dx, %dy, %dout) {wrt = [0, 1, 2]} : (memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>, memref<4xf64>) -> ()
  return
}
// CHECK-LABEL: func.func private @accumulate_vjp(
// CHECK-NOT: memref.copy
// CHECK-NOT: ad.tape
// CHECK: scf.for
// CHECK: scf.for
// CHECK: linalg.generic {{.*}} ins(%x, %y, %out_shadow : {{.*}}) outs(%x_shadow
// CHECK: linalg.generic {{.*}} ins(%x, %out_shadow : {{.*}}) outs(%y_shadow
// CHECK-NOT: memref.copy
// CHECK: return
