// RUN: irc opt %s --split-input-file --verify-diagnostics
// tensor.bitcast's diagnostics in MLIR 22's words (mlir-opt agrees: tests/test_interop_mlir.py).

func.func @bitcast_width(%t: tensor<4xi32>) {
  // expected-error @+1 {{'tensor.bitcast' op operand type 'tensor<4xi32>' and result type 'tensor<4xf64>' are cast incompatible}}
  %0 = tensor.bitcast %t : tensor<4xi32> to tensor<4xf64>
  return
}

// -----

func.func @bitcast_shape(%t: tensor<4xi32>) {
  // expected-error @+1 {{'tensor.bitcast' op operand type 'tensor<4xi32>' and result type 'tensor<5xf32>' are cast incompatible}}
  %0 = tensor.bitcast %t : tensor<4xi32> to tensor<5xf32>
  return
}
