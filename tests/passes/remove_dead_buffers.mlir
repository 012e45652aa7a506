// RUN: irc opt %s --remove-dead-buffers | filecheck %s
// Buffers nobody reads go, with the ops that only write them and their deallocs.

// CHECK-LABEL: func.func @dead_chain(
// CHECK-NOT:     linalg.fill
// CHECK-NOT:     memref.copy
// CHECK:         %[[L:.*]] = memref.alloc() : memref<4x3xf32>
// CHECK-NEXT:    linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%[[L]] : memref<4x3xf32>)
// CHECK-NEXT:    return %[[L]]
func.func @dead_chain(%a: memref<4x5xf32>, %b: memref<5x3xf32>) -> memref<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %t = memref.alloc() : memref<4x3xf32>
  linalg.fill ins(%zero : f32) outs(%t : memref<4x3xf32>)
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%t : memref<4x3xf32>)
  // read only to fill another dead buffer: dead too
  %u = memref.alloc() : memref<4x3xf32>
  memref.copy %t, %u : memref<4x3xf32> to memref<4x3xf32>
  %c0 = arith.constant 0 : index
  memref.store %zero, %u[%c0, %c0] : memref<4x3xf32>
  memref.dealloc %t : memref<4x3xf32>
  memref.dealloc %u : memref<4x3xf32>
  %live = memref.alloc() : memref<4x3xf32>
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%live : memref<4x3xf32>)
  return %live : memref<4x3xf32>
}

// A load nobody uses reads a buffer, yet keeps nothing alive (the primal value a gradient drops).
// CHECK-LABEL: func.func @unused_load(
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     linalg.reduce
// CHECK-NOT:     memref.load
// CHECK:         return %a
func.func @unused_load(%a: memref<4x3xf32>) -> memref<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %s = memref.alloc() : memref<f32>
  linalg.fill ins(%zero : f32) outs(%s : memref<f32>)
  linalg.reduce { arith.addf } ins(%a : memref<4x3xf32>) outs(%s : memref<f32>) dimensions = [0, 1]
  %l = memref.load %s[] : memref<f32>
  memref.dealloc %s : memref<f32>
  return %a : memref<4x3xf32>
}

// CHECK-LABEL: func.func @live(
func.func @live(%a: memref<4x5xf32>, %b: memref<5x3xf32>, %out: memref<4x3xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // read by a load: live
  // CHECK: memref.alloc
  // CHECK: linalg.matmul
  %t = memref.alloc() : memref<4x3xf32>
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%t : memref<4x3xf32>)
  %x = memref.load %t[%c0, %c0] : memref<4x3xf32>
  memref.dealloc %t : memref<4x3xf32>
  // copied into an argument: live
  // CHECK: memref.alloc
  // CHECK: linalg.matmul
  // CHECK: memref.copy
  %s = memref.alloc() : memref<4x3xf32>
  linalg.matmul ins(%a, %b : memref<4x5xf32>, memref<5x3xf32>) outs(%s : memref<4x3xf32>)
  memref.copy %s, %out : memref<4x3xf32> to memref<4x3xf32>
  memref.dealloc %s : memref<4x3xf32>
  // one op writes a dead and a live buffer: both stay
  // CHECK: memref.alloc
  // CHECK: linalg.generic
  %d = memref.alloc() : memref<4x3xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      outs(%d, %out : memref<4x3xf32>, memref<4x3xf32>) {
  ^bb0(%p: f32, %q: f32):
    linalg.yield %p, %p : f32, f32
  }
  memref.dealloc %d : memref<4x3xf32>
  // passed to a call: live
  // CHECK: memref.alloc
  // CHECK: func.call @sink
  %e = memref.alloc() : memref<4x3xf32>
  func.call @sink(%e) : (memref<4x3xf32>) -> ()
  return %x : f32
}
func.func private @sink(memref<4x3xf32>)
