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

