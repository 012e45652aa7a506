// RUN: irc opt %s --split-input-file --verify-diagnostics

func.func @concat_mismatch(%t: tensor<2x3xf32>, %u: tensor<2x4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'tensor.concat' op static concatenation size mismatch along non-concatenated dimension 1}}
  %0 = tensor.concat dim(0) %t, %u : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concat_dim(%t: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'tensor.concat' op concatenation dim must be less than the tensor rank}}
  %0 = tensor.concat dim(2) %t, %t : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @concat_result(%t: tensor<2x3xf32>) -> tensor<5x3xf32> {
  // expected-error @+1 {{'tensor.concat' op result type 'tensor<5x3xf32>'does not match inferred shape 'tensor<4x3xf32>' static sizes}}
  %0 = tensor.concat dim(0) %t, %t : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

// -----

func.func @concat_rank(%t: tensor<2x3xf32>, %u: tensor<2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'tensor.concat' op rank of concatenated inputs must match result rank}}
  %0 = tensor.concat dim(0) %t, %u : (tensor<2x3xf32>, tensor<2xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @pad_type(%t: tensor<2x3xf32>, %p: f32) -> tensor<3x4xf32> {
  // expected-error @+1 {{specified type 'tensor<3x4xf32>' does not match the inferred type 'tensor<3x5xf32>'}}
  %0 = tensor.pad %t low[1, 0] high[0, 2] {
  ^bb0(%i: index, %j: index):
    tensor.yield %p : f32
  } : tensor<2x3xf32> to tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

func.func @pad_yield(%t: tensor<2x3xf32>, %p: f64) -> tensor<3x5xf32> {
  // expected-error @+1 {{'tensor.pad' op expected yield type to match shape element type}}
  %0 = tensor.pad %t low[1, 0] high[0, 2] {
  ^bb0(%i: index, %j: index):
    tensor.yield %p : f64
  } : tensor<2x3xf32> to tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// -----

func.func @generate_sizes(%n: index) -> tensor<?x4xf32> {
  // expected-error @+1 {{'tensor.generate' op incorrect number of dynamic sizes, has 0, expected 1}}
  %0 = tensor.generate {
  ^bb0(%i: index, %j: index):
    %e = arith.constant 1.0 : f32
    tensor.yield %e : f32
  } : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

func.func @generate_yield(%n: index) -> tensor<?x4xf32> {
  // expected-error @+1 {{'tensor.generate' op body must be terminated with a `yield` operation of the tensor element type}}
  %0 = tensor.generate %n {
  ^bb0(%i: index, %j: index):
    %e = arith.constant 1.0 : f64
    tensor.yield %e : f64
  } : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
