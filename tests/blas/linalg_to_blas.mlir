// RUN: irc opt %s --convert-linalg-to-blas | filecheck %s
// RUN: irc opt %s --convert-linalg-to-blas --convert-blas-to-linalg --convert-linalg-to-blas | filecheck %s
// Which structured ops on buffers become BLAS products: matched on indexing maps,
// iterator types and a multiply-accumulate body, never on the op's name.

#mk = affine_map<(m, n, k) -> (m, k)>
#km = affine_map<(m, n, k) -> (k, m)>
#kn = affine_map<(m, n, k) -> (k, n)>
#nk = affine_map<(m, n, k) -> (n, k)>
#mn = affine_map<(m, n, k) -> (m, n)>
#nm = affine_map<(m, n, k) -> (n, m)>

// CHECK-LABEL: func.func @named(
func.func @named(%A: memref<4x5xf32>, %B: memref<5x3xf32>, %C: memref<4x3xf32>, %x: memref<5xf32>, %y: memref<4xf32>,
                 %s: memref<f32>, %A3: memref<2x4x5xf32>, %B3: memref<2x5x3xf32>, %C3: memref<2x4x3xf32>) {
  // CHECK-NEXT: blas.gemm %A, %B, %C : memref<4x5xf32>, memref<5x3xf32>, memref<4x3xf32>
  linalg.matmul ins(%A, %B : memref<4x5xf32>, memref<5x3xf32>) outs(%C : memref<4x3xf32>)
  // CHECK-NEXT: blas.gemv %A, %x, %y : memref<4x5xf32>, memref<5xf32>, memref<4xf32>
  linalg.matvec ins(%A, %x : memref<4x5xf32>, memref<5xf32>) outs(%y : memref<4xf32>)
  // CHECK-NEXT: blas.gemv %A, %y, %x {transpose_a} : memref<4x5xf32>, memref<4xf32>, memref<5xf32>
  linalg.vecmat ins(%y, %A : memref<4xf32>, memref<4x5xf32>) outs(%x : memref<5xf32>)
  // CHECK-NEXT: blas.dot %x, %x, %s : memref<5xf32>, memref<5xf32>, memref<f32>
  linalg.dot ins(%x, %x : memref<5xf32>, memref<5xf32>) outs(%s : memref<f32>)
  // CHECK-NEXT: blas.gemm %A3, %B3, %C3 : memref<2x4x5xf32>, memref<2x5x3xf32>, memref<2x4x3xf32>
  linalg.batch_matmul ins(%A3, %B3 : memref<2x4x5xf32>, memref<2x5x3xf32>) outs(%C3 : memref<2x4x3xf32>)
  // CHECK-NEXT: return
  return
}

// Every transposition of a, b and the output (the forms matmul's derivative rules make), in f64.
// CHECK-LABEL: func.func @transposed(
func.func @transposed(%A: memref<4x5xf64>, %At: memref<5x4xf64>, %B: memref<5x3xf64>, %Bt: memref<3x5xf64>,
                      %C: memref<4x3xf64>, %Ct: memref<3x4xf64>) {
  // CHECK-NEXT: blas.gemm %At, %B, %C {transpose_a} : memref<5x4xf64>, memref<5x3xf64>, memref<4x3xf64>
  linalg.matmul indexing_maps = [#km, #kn, #mn] ins(%At, %B : memref<5x4xf64>, memref<5x3xf64>) outs(%C : memref<4x3xf64>)
  // CHECK-NEXT: blas.gemm %A, %Bt, %C {transpose_b} : memref<4x5xf64>, memref<3x5xf64>, memref<4x3xf64>
  linalg.contract indexing_maps = [#mk, #nk, #mn] ins(%A, %Bt : memref<4x5xf64>, memref<3x5xf64>) outs(%C : memref<4x3xf64>)
  // CHECK-NEXT: blas.gemm %At, %Bt, %C {transpose_a, transpose_b} : memref<5x4xf64>, memref<3x5xf64>, memref<4x3xf64>
  linalg.generic {indexing_maps = [#km, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%At, %Bt : memref<5x4xf64>, memref<3x5xf64>) outs(%C : memref<4x3xf64>) {
  ^bb0(%a: f64, %b: f64, %c: f64):
    %p = arith.mulf %b, %a : f64
    %s = arith.addf %p, %c : f64
    linalg.yield %s : f64
  }
  // the output stored transposed: c^T = op(b)^T op(a)^T
  // CHECK-NEXT: blas.gemm %B, %A, %Ct {transpose_a, transpose_b} : memref<5x3xf64>, memref<4x5xf64>, memref<3x4xf64>
  linalg.contract indexing_maps = [#mk, #kn, #nm] ins(%A, %B : memref<4x5xf64>, memref<5x3xf64>) outs(%Ct : memref<3x4xf64>)
  // the reduction loop need not be the last one
  // CHECK-NEXT: blas.gemm %A, %B, %C : memref<4x5xf64>, memref<5x3xf64>, memref<4x3xf64>
  linalg.contract indexing_maps = [affine_map<(m, k, n) -> (m, k)>, affine_map<(m, k, n) -> (k, n)>, affine_map<(m, k, n) -> (m, n)>]
      ins(%A, %B : memref<4x5xf64>, memref<5x3xf64>) outs(%C : memref<4x3xf64>)
  return
}

// Strided and offset layouts with one unit stride: the leading dimension is the other stride;
// a unit stride in the first dimension is a column-major matrix.
// CHECK-LABEL: func.func @strided(
func.func @strided(%A: memref<4x5xf32, strided<[8, 1], offset: ?>>, %B: memref<5x3xf32, strided<[1, 7]>>,
                   %C: memref<4x3xf32, strided<[3, 1], offset: 2>>, %x: memref<5xf32, strided<[2]>>, %y: memref<4xf32>) {
  // CHECK-NEXT: blas.gemm %A, %B, %C
  linalg.matmul ins(%A, %B : memref<4x5xf32, strided<[8, 1], offset: ?>>, memref<5x3xf32, strided<[1, 7]>>)
                outs(%C : memref<4x3xf32, strided<[3, 1], offset: 2>>)
  // CHECK-NEXT: blas.gemv %A, %x, %y
  linalg.matvec ins(%A, %x : memref<4x5xf32, strided<[8, 1], offset: ?>>, memref<5xf32, strided<[2]>>) outs(%y : memref<4xf32>)
  return
}

// Left for --convert-linalg-to-loops.
// CHECK-LABEL: func.func @not_blas(
func.func @not_blas(%A: memref<4x5xf32>, %B: memref<5x3xf32>, %C: memref<4x3xf32>, %Ai: memref<4x5xi32>,
                    %Bi: memref<5x3xi32>, %Ci: memref<4x3xi32>, %As: memref<4x5xf32, strided<[10, 2]>>,
                    %Ad: memref<4x5xf32, strided<[?, ?]>>, %Ah: memref<4x5xf16>, %Bh: memref<5x3xf16>,
                    %Ch: memref<4x3xf16>, %x: memref<5xf32, strided<[?]>>, %y: memref<4xf32>,
                    %At: tensor<4x5xf32>, %Bt: tensor<5x3xf32>, %Ctt: tensor<4x3xf32>, %Q: memref<4x4xf32>) {
  // a body that is not c + a * b
  // CHECK-NEXT: linalg.generic
  // CHECK: arith.maximumf
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<4x5xf32>, memref<5x3xf32>) outs(%C : memref<4x3xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.maximumf %c, %p : f32
    linalg.yield %s : f32
  }
  // c + a * a: b is not in the body
  // CHECK: linalg.generic
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%A, %B : memref<4x5xf32>, memref<5x3xf32>) outs(%C : memref<4x3xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %a : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  }
  // integers, f16
  // CHECK: linalg.matmul ins(%Ai, %Bi
  linalg.matmul ins(%Ai, %Bi : memref<4x5xi32>, memref<5x3xi32>) outs(%Ci : memref<4x3xi32>)
  // CHECK: linalg.matmul ins(%Ah, %Bh
  linalg.matmul ins(%Ah, %Bh : memref<4x5xf16>, memref<5x3xf16>) outs(%Ch : memref<4x3xf16>)
  // no unit stride; strides not known
  // CHECK: linalg.matmul ins(%As, %B
  linalg.matmul ins(%As, %B : memref<4x5xf32, strided<[10, 2]>>, memref<5x3xf32>) outs(%C : memref<4x3xf32>)
  // CHECK: linalg.matmul ins(%Ad, %B
  linalg.matmul ins(%Ad, %B : memref<4x5xf32, strided<[?, ?]>>, memref<5x3xf32>) outs(%C : memref<4x3xf32>)
  // CHECK: linalg.matvec ins(%A, %x
  linalg.matvec ins(%A, %x : memref<4x5xf32>, memref<5xf32, strided<[?]>>) outs(%y : memref<4xf32>)
  // an outer product (no reduction), a row sum (k in one operand only)
  // CHECK: linalg.generic
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%y, %x : memref<4xf32>, memref<5xf32, strided<[?]>>) outs(%A : memref<4x5xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  }
  // on tensors (bufferize first)
  // CHECK: linalg.matmul ins(%At, %Bt
  %r = linalg.matmul ins(%At, %Bt : tensor<4x5xf32>, tensor<5x3xf32>) outs(%Ctt : tensor<4x3xf32>) -> tensor<4x3xf32>
  // the output is also an input
  // CHECK: linalg.matmul ins(%Q, %Q
  linalg.matmul ins(%Q, %Q : memref<4x4xf32>, memref<4x4xf32>) outs(%Q : memref<4x4xf32>)
  // CHECK-NOT: blas.
  return
}
