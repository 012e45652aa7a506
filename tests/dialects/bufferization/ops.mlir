// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s | irc opt | filecheck %s
// RUN: irc opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc opt %s --print-op-generic | irc opt | filecheck %s
// The bufferization dialect in MLIR 22's syntax (mlir-opt reads and prints the
// same: tests/test_interop_mlir.py).

// CHECK-LABEL: func.func @conversions(
func.func @conversions(%m: memref<4xf32>, %t: tensor<?xf32>, %n: index) -> tensor<4xf32> {
  // CHECK: bufferization.to_tensor %{{.*}} restrict writable : memref<4xf32> to tensor<4xf32>
  // GENERIC: "bufferization.to_tensor"(%{{.*}}) <{restrict, writable}> : (memref<4xf32>) -> tensor<4xf32>
  %0 = bufferization.to_tensor %m restrict writable : memref<4xf32> to tensor<4xf32>
  // CHECK: bufferization.to_tensor %{{.*}} : memref<4xf32> to tensor<4xf32>
  %1 = bufferization.to_tensor %m : memref<4xf32> to tensor<4xf32>
  // CHECK: bufferization.to_buffer %{{.*}} read_only : tensor<?xf32> to memref<?xf32>
  // GENERIC: "bufferization.to_buffer"(%{{.*}}) <{read_only}> : (tensor<?xf32>) -> memref<?xf32>
  %2 = bufferization.to_buffer %t read_only : tensor<?xf32> to memref<?xf32>
  // CHECK: bufferization.to_buffer %{{.*}} : tensor<?xf32> to memref<?xf32>
  %3 = bufferization.to_buffer %t : tensor<?xf32> to memref<?xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @allocations(
func.func @allocations(%t: tensor<4xf32>, %m: memref<4xf32>, %n: index) -> tensor<4xf32> {
  // CHECK: bufferization.alloc_tensor(%{{.*}}) : tensor<?xf32>
  // GENERIC: "bufferization.alloc_tensor"(%{{.*}}) <{operandSegmentSizes = array<i32: 1, 0, 0>}> : (index) -> tensor<?xf32>
  %0 = bufferization.alloc_tensor(%n) : tensor<?xf32>
  // CHECK: bufferization.alloc_tensor() copy(%{{.*}}) : tensor<4xf32>
  // GENERIC: "bufferization.alloc_tensor"(%{{.*}}) <{operandSegmentSizes = array<i32: 0, 1, 0>}> : (tensor<4xf32>) -> tensor<4xf32>
  %1 = bufferization.alloc_tensor() copy(%t) : tensor<4xf32>
  // CHECK: bufferization.alloc_tensor(%[[N:.*]]) size_hint=%[[N]] : tensor<?xf32>
  %2 = bufferization.alloc_tensor(%n) size_hint=%n : tensor<?xf32>
  // CHECK: bufferization.materialize_in_destination %{{.*}} in %{{.*}} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = bufferization.materialize_in_destination %t in %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  // CHECK: bufferization.materialize_in_destination %{{.*}} in restrict writable %{{.*}} : (tensor<4xf32>, memref<4xf32>) -> ()
  bufferization.materialize_in_destination %t in restrict writable %m : (tensor<4xf32>, memref<4xf32>) -> ()
  // CHECK: bufferization.dealloc_tensor %{{.*}} : tensor<?xf32>
  bufferization.dealloc_tensor %0 : tensor<?xf32>
  return %3 : tensor<4xf32>
}
