// tensor.from_elements, cast, rank, extract_slice (rank-reducing too), insert_slice,
// collapse_shape, expand_shape and reshape in MLIR 22's syntax, round-tripped and
// interpreted; dynamic out-of-bounds slices are runtime errors naming the op.
// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s --mlir-print-op-generic | irc opt - | filecheck %s
// RUN: irc run %s --entry slices --arg 0 --json | filecheck %s --check-prefix=SLICES
// RUN: not irc run %s --interpret --entry slices --arg 3 2>&1 | filecheck %s --check-prefix=OOB
// RUN: irc run %s --entry reshapes --arg 2 --json | filecheck %s --check-prefix=RESHAPES
// RUN: not irc run %s --interpret --entry reshapes --arg 5 2>&1 | filecheck %s --check-prefix=BADSHAPE

// CHECK-LABEL: func.func @slices(%i: index) -> (f64, f64, index, f64)
// CHECK:         %m = tensor.from_elements %a, %b, %c, %d, %a, %b : tensor<2x3xf64>
// CHECK:         %row = tensor.extract_slice %m[1, %i] [1, 2] [1, 1] : tensor<2x3xf64> to tensor<2xf64>
// CHECK:         %col = tensor.extract_slice %m[0, 0] [2, 1] [1, 2] : tensor<2x3xf64> to tensor<2x1xf64>
// CHECK:         %put = tensor.insert_slice %row into %m[0, 0] [1, 2] [1, 2] : tensor<2xf64> into tensor<2x3xf64>
// CHECK:         %dyn = tensor.cast %put : tensor<2x3xf64> to tensor<?x?xf64>
// CHECK:         %r = tensor.rank %dyn : tensor<?x?xf64>
// SLICES: [4.0, 4.0, 2, 1.0]
// OOB: slices.mlir:[[# @LINE + 11]]:{{[0-9]+}}: error: 'tensor.extract_slice' op slice along dimension 1 (offset 3, size 2, stride 1) runs out of bounds of a tensor of size 3
// OOB-NOT: Traceback
func.func @slices(%i: index) -> (f64, f64, index, f64) {
  %a = arith.constant 1.0 : f64
  %b = arith.constant 2.0 : f64
  %c = arith.constant 3.0 : f64
  %d = arith.constant 4.0 : f64
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %m = tensor.from_elements %a, %b, %c, %d, %a, %b : tensor<2x3xf64>
  %row = tensor.extract_slice %m[1, %i] [1, 2] [1, 1] : tensor<2x3xf64> to tensor<2xf64>
  %col = tensor.extract_slice %m[0, 0] [2, 1] [1, 2] : tensor<2x3xf64> to tensor<2x1xf64>
  %put = tensor.insert_slice %row into %m[0, 0] [1, 2] [1, 2] : tensor<2xf64> into tensor<2x3xf64>
  %dyn = tensor.cast %put : tensor<2x3xf64> to tensor<?x?xf64>
  %r = tensor.rank %dyn : tensor<?x?xf64>
  %x = tensor.extract %row[%c0] : tensor<2xf64>
  %y = tensor.extract %col[%c1, %c0] : tensor<2x1xf64>
  %z = tensor.extract %dyn[%c0, %c2] : tensor<?x?xf64>
  return %x, %y, %r, %z : f64, f64, index, f64
}

// CHECK-LABEL: func.func @reshapes(%n: index) -> (f64, f64, f64)
// CHECK:         %flat = tensor.collapse_shape %m [[0, 1]] : tensor<2x3xf64> into tensor<6xf64>
// CHECK:         %grid = tensor.expand_shape %dflat [[0, 1]] output_shape [%n, 3] : tensor<?xf64> into tensor<?x3xf64>
// CHECK:         %back = tensor.reshape %grid(%shape) : (tensor<?x3xf64>, tensor<2xindex>) -> tensor<3x2xf64>
// RESHAPES: [6.0, 4.0, 6.0]
// BADSHAPE: slices.mlir:[[# @LINE + 11]]:{{[0-9]+}}: error: 'tensor.expand_shape' op output_shape [5, 3] splits dimension 0 of size 6 into sizes whose product is 15
func.func @reshapes(%n: index) -> (f64, f64, f64) {
  %a = arith.constant 1.0 : f64
  %b = arith.constant 4.0 : f64
  %c = arith.constant 6.0 : f64
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %m = tensor.from_elements %a, %a, %a, %b, %a, %c : tensor<2x3xf64>
  %flat = tensor.collapse_shape %m [[0, 1]] : tensor<2x3xf64> into tensor<6xf64>
  %dflat = tensor.cast %flat : tensor<6xf64> to tensor<?xf64>
  %grid = tensor.expand_shape %dflat [[0, 1]] output_shape [%n, 3] : tensor<?xf64> into tensor<?x3xf64>
  %shape = tensor.from_elements %c3, %c2 : tensor<2xindex>
  %back = tensor.reshape %grid(%shape) : (tensor<?x3xf64>, tensor<2xindex>) -> tensor<3x2xf64>
  %x = tensor.extract %flat[%c3] : tensor<6xf64>
  %y = tensor.extract %grid[%c1, %c2] : tensor<?x3xf64>
  %z = tensor.extract %back[%c2, %c1] : tensor<3x2xf64>
  return %z, %x, %y : f64, f64, f64
}
