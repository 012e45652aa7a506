// RUN: irc opt %s --convert-linalg-to-blas | filecheck %s
// A product into a fresh buffer just set to +0.0 overwrites it (beta = 0): the fill, or the
// copy of a zero buffer, goes.  Anything that might see the zeros keeps them.

// CHECK-LABEL: func.func @fill_then_product(
// CHECK-NOT:     linalg.fill
// CHECK:         blas.gemm %a, %b, %[[C:.*]] {overwrite} :
// CHECK-NEXT:    return %[[C]]
func.func @fill_then_product(%a: memref<4x5xf32>, %b: memref<5x3xf32>) -> memref<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<4x3xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<4x3xf32>)
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%c : memref<4x3xf32>)
  return %c : memref<4x3xf32>
}

// the loops bufferization writes for dense<0.0>, dynamic sizes through memref.dim; then a copy
// of that zero buffer into a second product's output: both products overwrite, no copy stays
// CHECK-LABEL: func.func @loops_and_a_copy(
// CHECK:         blas.gemm %a, %b, %[[C2:.*]] {overwrite}
// CHECK-NOT:     memref.copy
// CHECK-NOT:     memref.store
// CHECK:         blas.gemm %a, %b, %[[Z:.*]] {overwrite}
func.func @loops_and_a_copy(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %m: index, %n: index) -> (memref<?x?xf64>, memref<?x?xf64>) {
  %zero = arith.constant 0.0 : f64
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = memref.alloc(%m, %n) : memref<?x?xf64>
  %d0 = memref.dim %z, %c0 : memref<?x?xf64>
  %d1 = memref.dim %z, %c1 : memref<?x?xf64>
  scf.for %i = %c0 to %d0 step %c1 {
    scf.for %j = %c0 to %d1 step %c1 {
      memref.store %zero, %z[%i, %j] : memref<?x?xf64>
    }
  }
  %c2 = memref.alloc(%m, %n) : memref<?x?xf64>
  memref.copy %z, %c2 : memref<?x?xf64> to memref<?x?xf64>
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%c2 : memref<?x?xf64>)
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%z : memref<?x?xf64>)
  return %c2, %z : memref<?x?xf64>, memref<?x?xf64>
}

// CHECK-LABEL: func.func @kept(
func.func @kept(%a: memref<4x5xf32>, %b: memref<5x3xf32>, %arg: memref<4x3xf32>, %out: memref<4x3xf32>) -> (memref<4x3xf32>, memref<4x3xf32>, memref<4x3xf32>, memref<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %negzero = arith.constant -0.0 : f32
  %one = arith.constant 1.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  // an argument may alias anything: its fill stays
  // CHECK: linalg.fill ins(%{{.*}} : f32) outs(%arg
  // CHECK: blas.gemm %a, %b, %arg :
  linalg.fill ins(%zero : f32) outs(%arg : memref<4x3xf32>)
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%arg : memref<4x3xf32>)
  // the zeros are read between the fill and the product
  // CHECK: linalg.fill
  // CHECK: memref.copy
  // CHECK: blas.gemm %a, %b, %{{.*}} :
  %r = memref.alloc() : memref<4x3xf32>
  linalg.fill ins(%zero : f32) outs(%r : memref<4x3xf32>)
  memref.copy %r, %out : memref<4x3xf32> to memref<4x3xf32>
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%r : memref<4x3xf32>)
  // ones, and -0.0 (0 + -0 is +0: not what beta = 0 gives)
  // CHECK: linalg.fill
  // CHECK: blas.gemm %a, %b, %{{.*}} :
  // CHECK: linalg.fill
  // CHECK: blas.gemm %a, %b, %{{.*}} :
  %o = memref.alloc() : memref<4x3xf32>
  linalg.fill ins(%one : f32) outs(%o : memref<4x3xf32>)
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%o : memref<4x3xf32>)
  %n = memref.alloc() : memref<4x3xf32>
  linalg.fill ins(%negzero : f32) outs(%n : memref<4x3xf32>)
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%n : memref<4x3xf32>)
  // a loop nest that misses the last row
  // CHECK: scf.for
  // CHECK: blas.gemm %a, %b, %{{.*}} :
  %p = memref.alloc() : memref<4x3xf32>
  scf.for %i = %c0 to %c3 step %c1 {
    scf.for %j = %c0 to %c3 step %c1 {
      memref.store %zero, %p[%i, %j] : memref<4x3xf32>
    }
  }
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%p : memref<4x3xf32>)
  return %r, %o, %n, %p : memref<4x3xf32>, memref<4x3xf32>, memref<4x3xf32>, memref<4x3xf32>
}

// once every copy of the zero buffer has gone, so does the buffer (its fill, dealloc, alloc)
// CHECK-LABEL: func.func @zero_buffer_goes(
// CHECK-NOT:     scf.for
// CHECK:         %[[C1:.*]] = memref.alloc() : memref<4x3xf32>
// CHECK-NEXT:    blas.gemm %a, %b, %[[C1]] {overwrite}
// CHECK-NEXT:    %[[C2:.*]] = memref.alloc() : memref<4x3xf32>
// CHECK-NEXT:    blas.gemm %a, %b, %[[C2]] {overwrite}
// CHECK-NEXT:    return %[[C1]], %[[C2]]
func.func @zero_buffer_goes(%a: memref<4x5xf32>, %b: memref<5x3xf32>) -> (memref<4x3xf32>, memref<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %z = memref.alloc() : memref<4x3xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c3 step %c1 {
      memref.store %zero, %z[%i, %j] : memref<4x3xf32>
    }
  }
  %r1 = memref.alloc() : memref<4x3xf32>
  memref.copy %z, %r1 : memref<4x3xf32> to memref<4x3xf32>
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%r1 : memref<4x3xf32>)
  %r2 = memref.alloc() : memref<4x3xf32>
  memref.copy %z, %r2 : memref<4x3xf32> to memref<4x3xf32>
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%r2 : memref<4x3xf32>)
  memref.dealloc %z : memref<4x3xf32>
  return %r1, %r2 : memref<4x3xf32>, memref<4x3xf32>
}
