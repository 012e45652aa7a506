// tensor.concat, tensor.generate and tensor.pad (constant and computed padding) in
// MLIR 22's syntax, round-tripped and interpreted.
// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s --mlir-print-op-generic | irc opt - | filecheck %s
// RUN: irc run %s --entry build --arg 2 --arg 1 --arg 0.5 --json | filecheck %s --check-prefix=BUILD
// RUN: not irc run %s --interpret --entry build --arg 2 --arg 9 --arg 0.5 2>&1 | filecheck %s --check-prefix=OOB

// CHECK-LABEL: func.func @build(%n: index, %i: index, %p: f64) -> (f64, f64, f64, f64, index)
// CHECK:         %g = tensor.generate %n {
// CHECK-NEXT:    ^bb0(%r: index, %c: index):
// CHECK:           tensor.yield %v : f64
// CHECK-NEXT:    } : tensor<?x3xf64>
// CHECK:         %j = tensor.concat dim(0) %g, %g : (tensor<?x3xf64>, tensor<?x3xf64>) -> tensor<?x3xf64>
// CHECK:         %padded = tensor.pad %j low[1, %i] high[0, 2] {
// CHECK:           tensor.yield %p : f64
// CHECK:         } : tensor<?x3xf64> to tensor<?x?xf64>
// CHECK:         %ramp = tensor.pad %g nofold low[0, 0] high[1, 0] {
// BUILD: [5.0, 0.5, 2.0, 1.0, 6]
// OOB: regions.mlir:[[# @LINE + 30]]:{{[0-9]+}}: error: 'tensor.extract' op index [9, 2] is out of bounds
func.func @build(%n: index, %i: index, %p: f64) -> (f64, f64, f64, f64, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  // g[r, c] = 3 r + c
  %g = tensor.generate %n {
  ^bb0(%r: index, %c: index):
    %c3 = arith.constant 3 : index
    %r3 = arith.muli %r, %c3 : index
    %k = arith.addi %r3, %c : index
    %ki = arith.index_cast %k : index to i64
    %v = arith.sitofp %ki : i64 to f64
    tensor.yield %v : f64
  } : tensor<?x3xf64>
  %j = tensor.concat dim(0) %g, %g : (tensor<?x3xf64>, tensor<?x3xf64>) -> tensor<?x3xf64>
  %padded = tensor.pad %j low[1, %i] high[0, 2] {
  ^bb0(%a: index, %b: index):
    tensor.yield %p : f64
  } : tensor<?x3xf64> to tensor<?x?xf64>
  // the padding is the row index: ramp[2, c] = 2
  %ramp = tensor.pad %g nofold low[0, 0] high[1, 0] {
  ^bb0(%a: index, %b: index):
    %ai = arith.index_cast %a : index to i64
    %af = arith.sitofp %ai : i64 to f64
    tensor.yield %af : f64
  } : tensor<?x3xf64> to tensor<?x3xf64>
  %x = tensor.extract %g[%c1, %c2] : tensor<?x3xf64>
  %y = tensor.extract %padded[%c0, %c1] : tensor<?x?xf64>
  %z = tensor.extract %ramp[%c2, %c1] : tensor<?x3xf64>
  %w = tensor.extract %padded[%i, %c2] : tensor<?x?xf64>
  %cols = tensor.dim %padded, %c1 : tensor<?x?xf64>
  return %x, %y, %z, %w, %cols : f64, f64, f64, f64, index
}
