// The named ops' verifiers, in MLIR 22's wording (mlir-opt gives the same errors).
// RUN: irc opt %s --split-input-file --verify-diagnostics

func.func @matmul_shapes(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'linalg.matmul' op inferred input/output operand #2 has shape's dimension #1 to be 16, but found 8}}
  %r = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

func.func @transpose_ranks(%a: tensor<16x32xf32>, %t: tensor<32x16x2xf32>) -> tensor<32x16x2xf32> {
  // expected-error @+1 {{'linalg.transpose' op input rank 2 does not match init rank 3}}
  %r = linalg.transpose ins(%a : tensor<16x32xf32>) outs(%t : tensor<32x16x2xf32>) permutation = [1, 0]
  return %r : tensor<32x16x2xf32>
}

// -----

func.func @broadcast_ranks(%v: tensor<16xf32>, %o: tensor<16x64xf32>) -> tensor<16x64xf32> {
  // expected-error @+1 {{'linalg.broadcast' op input rank plus added dimensions does not match init rank. input rank: 1, dimensions size: 2, init rank: 2}}
  %r = linalg.broadcast ins(%v : tensor<16xf32>) outs(%o : tensor<16x64xf32>) dimensions = [0, 1]
  return %r : tensor<16x64xf32>
}

// -----

func.func @broadcast_dimension(%v: tensor<16xf32>, %o: tensor<16x64xf32>) -> tensor<16x64xf32> {
  // expected-error @+1 {{'linalg.broadcast' op dimension 0 is out of range. expected range: [0, 1], got: 5}}
  %r = linalg.broadcast ins(%v : tensor<16xf32>) outs(%o : tensor<16x64xf32>) dimensions = [5]
  return %r : tensor<16x64xf32>
}

// -----

func.func @map_arity(%v: tensor<16xf32>, %o: tensor<16xf32>) -> tensor<16xf32> {
  // expected-error @+1 {{'linalg.map' op expects number of operands to match the arity of mapper, but got: 2 and 3}}
  %r = linalg.map ins(%v : tensor<16xf32>) outs(%o : tensor<16xf32>)
    (%x: f32, %y: f32, %z: f32) {
      linalg.yield %x : f32
    }
  return %r : tensor<16xf32>
}
