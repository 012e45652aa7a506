// tensor.dim, tensor.empty, tensor.splat, tensor.extract and tensor.insert in
// MLIR 22's syntax (as mlir-opt prints them), round-tripped and interpreted.
// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s --mlir-print-op-generic | irc opt - | filecheck %s
// RUN: irc run %s --entry shapes --arg 3 --arg 2.5 --json | filecheck %s --check-prefix=SHAPES
// RUN: irc run %s --entry update --arg 1 --arg 7.0 --json | filecheck %s --check-prefix=UPDATE
// RUN: not irc run %s --interpret --entry update --arg 3 --arg 7.0 2>&1 | filecheck %s --check-prefix=OOB

// CHECK-LABEL: func.func @shapes(%n: index, %s: f64) -> (index, f64, f64)
// CHECK:         %e = tensor.empty(%n) : tensor<?x4xf64>
// CHECK:         %d = tensor.dim %e, %c0 : tensor<?x4xf64>
// CHECK:         %t = tensor.splat %s[%d] : tensor<?xf64>
// CHECK:         %u = tensor.splat %s : tensor<2x3xf64>
// CHECK:         %x = tensor.extract %t[%last] : tensor<?xf64>
// CHECK:         %y = tensor.extract %u[%c1, %c1] : tensor<2x3xf64>
// SHAPES: [3, 2.5, 2.5]
func.func @shapes(%n: index, %s: f64) -> (index, f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %e = tensor.empty(%n) : tensor<?x4xf64>
  %d = tensor.dim %e, %c0 : tensor<?x4xf64>
  %t = tensor.splat %s[%d] : tensor<?xf64>
  %u = tensor.splat %s : tensor<2x3xf64>
  %last = arith.subi %d, %c1 : index
  %x = tensor.extract %t[%last] : tensor<?xf64>
  %y = tensor.extract %u[%c1, %c1] : tensor<2x3xf64>
  return %d, %x, %y : index, f64, f64
}

// CHECK-LABEL: func.func @update(%i: index, %v: f64) -> (f64, f64)
// CHECK:         %w = tensor.insert %v into %t[%i] : tensor<3xf64>
// UPDATE: [0.0, 7.0]
// OOB: ops.mlir:[[# @LINE + 5]]:3: error: 'tensor.insert' op index [3] is out of bounds for a tensor of shape 3 (dimension 0 has size 3)
// OOB-NOT: Traceback
func.func @update(%i: index, %v: f64) -> (f64, f64) {
  %zero = arith.constant 0.0 : f64
  %t = tensor.splat %zero : tensor<3xf64>
  %w = tensor.insert %v into %t[%i] : tensor<3xf64>
  %old = tensor.extract %t[%i] : tensor<3xf64>
  %new = tensor.extract %w[%i] : tensor<3xf64>
  return %old, %new : f64, f64
}
