// RUN: irc opt %s --split-input-file --verify-diagnostics
// The blas dialect's diagnostics.

func.func @integers(%a: memref<4x5xi32>, %b: memref<5x3xi32>, %c: memref<4x3xi32>) {
  // expected-error@+1 {{'blas.gemm' op expects memrefs of one element type, f32 or f64}}
  blas.gemm %a, %b, %c : memref<4x5xi32>, memref<5x3xi32>, memref<4x3xi32>
  return
}

// -----

func.func @sizes(%a: memref<4x5xf32>, %b: memref<4x3xf32>, %c: memref<4x3xf32>) {
  // expected-error@+1 {{'blas.gemm' op expects the columns of op(a) and rows of op(b) to agree, got 4 and 5}}
  blas.gemm %a, %b, %c : memref<4x5xf32>, memref<4x3xf32>, memref<4x3xf32>
  return
}

// -----

func.func @ranks(%a: memref<4x5xf32>, %b: memref<5xf32>, %c: memref<4x3xf32>) {
  // expected-error@+1 {{'blas.gemv' op expects operands of ranks (2, 1, 1), got (2, 1, 2)}}
  blas.gemv %a, %b, %c : memref<4x5xf32>, memref<5xf32>, memref<4x3xf32>
  return
}

// -----

func.func @no_unit_stride(%a: memref<4x5xf32, strided<[10, 2]>>, %b: memref<5xf32>, %c: memref<4xf32>) {
  // expected-error@+1 {{'blas.gemv' op expects operand 'a' to have a unit stride in one of its last two dimensions and a leading dimension that holds it (BLAS's layout), got memref<4x5xf32, strided<[10, 2]>>}}
  blas.gemv %a, %b, %c : memref<4x5xf32, strided<[10, 2]>>, memref<5xf32>, memref<4xf32>
  return
}

// -----

func.func @vector_stride(%a: memref<5xf32, strided<[?]>>, %b: memref<5xf32>, %c: memref<f32>) {
  // expected-error@+1 {{'blas.dot' op expects operand 'a' to have a static positive stride, got memref<5xf32, strided<[?]>>}}
  blas.dot %a, %b, %c : memref<5xf32, strided<[?]>>, memref<5xf32>, memref<f32>
  return
}
