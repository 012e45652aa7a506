// The tensor folders MLIR has: dim and rank of a static shape, extract of
// from_elements at constant indices and of splat, a cast and its inverse, a slice
// of the whole tensor.
// RUN: irc opt %s --canonicalize | filecheck %s

// CHECK-LABEL: func.func @folds(%a: f64, %b: f64, %t: tensor<4x?xf64>) -> (index, index, f64, f64, tensor<4x?xf64>, tensor<2xf64>)
// CHECK-NEXT:    %d = arith.constant 4 : index
// CHECK-NEXT:    %r = arith.constant 2 : index
// CHECK-NEXT:    %e = tensor.from_elements %a, %b : tensor<2xf64>
// CHECK-NEXT:    return %d, %r, %b, %a, %t, %e : index, index, f64, f64, tensor<4x?xf64>, tensor<2xf64>
func.func @folds(%a: f64, %b: f64, %t: tensor<4x?xf64>) -> (index, index, f64, f64, tensor<4x?xf64>, tensor<2xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d = tensor.dim %t, %c0 : tensor<4x?xf64>
  %r = tensor.rank %t : tensor<4x?xf64>
  %e = tensor.from_elements %a, %b : tensor<2xf64>
  %x = tensor.extract %e[%c1] : tensor<2xf64>
  %s = tensor.splat %a : tensor<3xf64>
  %y = tensor.extract %s[%c1] : tensor<3xf64>
  %u = tensor.cast %t : tensor<4x?xf64> to tensor<?x?xf64>
  %v = tensor.cast %u : tensor<?x?xf64> to tensor<4x?xf64>
  %w = tensor.extract_slice %e[0] [2] [1] : tensor<2xf64> to tensor<2xf64>
  return %d, %r, %x, %y, %v, %w : index, index, f64, f64, tensor<4x?xf64>, tensor<2xf64>
}

// CHECK-LABEL: func.func @kept(%t: tensor<4x?xf64>, %i: index) -> (index, f64)
// CHECK:         tensor.dim %t, %c1
// CHECK:         tensor.extract
func.func @kept(%t: tensor<4x?xf64>, %i: index) -> (index, f64) {
  %c1 = arith.constant 1 : index
  %d = tensor.dim %t, %c1 : tensor<4x?xf64>
  %x = tensor.extract %t[%i, %i] : tensor<4x?xf64>
  return %d, %x : index, f64
}
