// A named op with the wrong number of operands: MLIR's words, located at the op
// (mlir-opt places the same error at the token after the op, so this file is not in the
// interop test's same-diagnostics list).
// RUN: irc opt %s --split-input-file --verify-diagnostics

func.func @matmul_operand_count(%a: tensor<4x8xf32>, %c: tensor<4x16xf32>) -> tensor<4x16xf32> {
  // expected-error @+1 {{custom op 'linalg.matmul' [parseNamedStructuredOpRegion] ods-gen generated region expects 3 args, got 2}}
  %r = linalg.matmul ins(%a : tensor<4x8xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

func.func @batch_reduce_matmul_without_operands() {
  // expected-error @+1 {{custom op 'linalg.batch_reduce_matmul' [parseNamedStructuredOpRegion] ods-gen generated region expects 3 args, got 0}}
  linalg.batch_reduce_matmul
  return
}
