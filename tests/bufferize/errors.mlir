// RUN: irc opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --one-shot-bufferize="bufferize-function-boundaries"
// RUN: not irc opt %s --split-input-file --allow-unregistered-dialect --one-shot-bufferize="function-boundary-type-conversion=fully-dynamic-layout-map" 2>&1 | filecheck %s --check-prefix=LAYOUT
// What one-shot-bufferize cannot do ends in a located error.
// LAYOUT: error: function-boundary-type-conversion=fully-dynamic-layout-map is not supported (irc bufferizes function boundaries with identity-layout-map)
// LAYOUT-NOT: Traceback

func.func @unknown_op(%t: tensor<4xf64>) -> tensor<4xf64> {
  // expected-error@+1 {{'test.opaque' op was not bufferized: it has no bufferization model (BufferizableOpInterface)}}
  %r = "test.opaque"(%t) : (tensor<4xf64>) -> tensor<4xf64>
  return %r : tensor<4xf64>
}

// -----

func.func @while_changes_types(%t: tensor<4xf64>) -> tensor<2xf64> {
  %false = arith.constant false
  // expected-error@+1 {{'scf.while' op with different tensor types before and after its condition cannot be bufferized yet}}
  %r = scf.while (%a = %t) : (tensor<4xf64>) -> tensor<2xf64> {
    %s = tensor.extract_slice %a[0] [2] [1] : tensor<4xf64> to tensor<2xf64>
    scf.condition(%false) %s : tensor<2xf64>
  } do {
  ^bb0(%b: tensor<2xf64>):
    %e = tensor.empty() : tensor<4xf64>
    scf.yield %e : tensor<4xf64>
  }
  return %r : tensor<2xf64>
}
