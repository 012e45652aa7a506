// RUN: irc opt %s --split-input-file --verify-diagnostics

func.func @splat_sizes(%s: f64) -> tensor<?x?xf64> {
  %c = arith.constant 2 : index
  // expected-error @+1 {{'tensor.splat' op incorrect number of dynamic sizes, has 1, expected 2}}
  %t = tensor.splat %s[%c] : tensor<?x?xf64>
  return %t : tensor<?x?xf64>
}

// -----

func.func @empty_sizes() -> tensor<?xf64> {
  // expected-error @+1 {{'tensor.empty' op incorrect number of dynamic sizes, has 0, expected 1}}
  %t = tensor.empty() : tensor<?xf64>
  return %t : tensor<?xf64>
}

// -----

func.func @extract_rank(%t: tensor<2x2xf64>, %i: index) -> f64 {
  // expected-error @+1 {{'tensor.extract' op incorrect number of indices for extract_element}}
  %x = tensor.extract %t[%i] : tensor<2x2xf64>
  return %x : f64
}

// -----

func.func @insert_rank(%t: tensor<2x2xf64>, %i: index, %v: f64) -> tensor<2x2xf64> {
  // expected-error @+1 {{'tensor.insert' op incorrect number of indices}}
  %x = tensor.insert %v into %t[%i] : tensor<2x2xf64>
  return %x : tensor<2x2xf64>
}

// -----

func.func @from_elements_count(%a: f64) -> tensor<2xf64> {
  // expected-error @+1 {{number of operands and types do not match: got 1 operands and 2 types}}
  %t = tensor.from_elements %a : tensor<2xf64>
  return %t : tensor<2xf64>
}

// -----

func.func @cast_incompatible(%t: tensor<8x16xf32>) -> tensor<8x15xf32> {
  // expected-error @+1 {{'tensor.cast' op operand type 'tensor<8x16xf32>' and result type 'tensor<8x15xf32>' are cast incompatible}}
  %c = tensor.cast %t : tensor<8x16xf32> to tensor<8x15xf32>
  return %c : tensor<8x15xf32>
}

// -----

func.func @extract_slice_size(%t: tensor<8x16xf32>) -> tensor<4x5xf32> {
  // expected-error @+1 {{expected type to be 'tensor<4x4xf32>' or a rank-reduced version. (size mismatch)}}
  %s = tensor.extract_slice %t[0, 0] [4, 4] [1, 1] : tensor<8x16xf32> to tensor<4x5xf32>
  return %s : tensor<4x5xf32>
}

// -----

func.func @extract_slice_rank(%t: tensor<8x16xf32>) -> tensor<4x4x1xf32> {
  // expected-error @+1 {{expected rank to be smaller or equal to the other rank.}}
  %s = tensor.extract_slice %t[0, 0] [4, 4] [1, 1] : tensor<8x16xf32> to tensor<4x4x1xf32>
  return %s : tensor<4x4x1xf32>
}

// -----

func.func @extract_slice_offsets(%t: tensor<8x16xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{expected 2 offset values, got 1}}
  %s = tensor.extract_slice %t[0] [4] [1] : tensor<8x16xf32> to tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

func.func @extract_slice_out_of_bounds(%t: tensor<8x16xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{slice along dimension 0 runs out-of-bounds: 9 >= 8}}
  %s = tensor.extract_slice %t[0, 0] [4, 4] [3, 5] : tensor<8x16xf32> to tensor<4x4xf32>
  return %s : tensor<4x4xf32>
}

// -----

func.func @extract_slice_negative_offset(%t: tensor<8x16xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{expected offsets to be non-negative, but got -1}}
  %s = tensor.extract_slice %t[0, -1] [4, 4] [1, 1] : tensor<8x16xf32> to tensor<4x4xf32>
  return %s : tensor<4x4xf32>
}

// -----

func.func @insert_slice_element(%t: tensor<8x16xf32>, %s: tensor<4x4xf64>) -> tensor<8x16xf32> {
  // expected-error @+1 {{expected element type to be 'f32'}}
  %r = tensor.insert_slice %s into %t[0, 0] [4, 4] [1, 1] : tensor<4x4xf64> into tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// -----

func.func @insert_slice_size(%t: tensor<8x16xf32>, %s: tensor<4x4xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{expected type to be 'tensor<4x5xf32>' or a rank-reduced version. (size mismatch)}}
  %r = tensor.insert_slice %s into %t[0, 0] [4, 5] [1, 1] : tensor<4x4xf32> into tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// -----

func.func @collapse_static(%t: tensor<8x16xf32>) -> tensor<127xf32> {
  // expected-error @+1 {{'tensor.collapse_shape' op expected dimension 0 of collapsed type to be static value of 128}}
  %r = tensor.collapse_shape %t [[0, 1]] : tensor<8x16xf32> into tensor<127xf32>
  return %r : tensor<127xf32>
}

// -----

func.func @collapse_dynamic(%t: tensor<?x16xf32>) -> tensor<128xf32> {
  // expected-error @+1 {{'tensor.collapse_shape' op expected dimension 0 of collapsed type to be dynamic since one or more of the corresponding dimensions in the expanded type is dynamic}}
  %r = tensor.collapse_shape %t [[0, 1]] : tensor<?x16xf32> into tensor<128xf32>
  return %r : tensor<128xf32>
}

// -----

func.func @collapse_maps(%t: tensor<8x16xf32>) -> tensor<128xf32> {
  // expected-error @+1 {{'tensor.collapse_shape' op expected collapsed rank (1) to equal the number of reassociation maps (2).}}
  %r = tensor.collapse_shape %t [[0], [1]] : tensor<8x16xf32> into tensor<128xf32>
  return %r : tensor<128xf32>
}

// -----

func.func @collapse_contiguous(%t: tensor<8x16xf32>) -> tensor<128xf32> {
  // expected-error @+1 {{'tensor.collapse_shape' op expected reassociation map #0 to be valid and contiguous.}}
  %r = tensor.collapse_shape %t [[1, 0]] : tensor<8x16xf32> into tensor<128xf32>
  return %r : tensor<128xf32>
}

// -----

func.func @expand_output_rank(%t: tensor<128xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'tensor.expand_shape' op expected number of static shape dims to be equal to the output rank (2) but found 1 inputs instead}}
  %r = tensor.expand_shape %t [[0, 1]] output_shape [8] : tensor<128xf32> into tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}

// -----

func.func @expand_rank(%t: tensor<8x16xf32>) -> tensor<128xf32> {
  // expected-error @+1 {{'tensor.expand_shape' op expected the expanded type, 'tensor<128xf32>' to have a higher (or same) rank than the collapsed type, 'tensor<8x16xf32>'.}}
  %r = tensor.expand_shape %t [[0, 1]] output_shape [128] : tensor<8x16xf32> into tensor<128xf32>
  return %r : tensor<128xf32>
}

// -----

func.func @reshape_elements(%t: tensor<128xf32>, %s: tensor<2xindex>) -> tensor<8x15xf32> {
  // expected-error @+1 {{'tensor.reshape' op source and destination tensor should have the same number of elements}}
  %r = tensor.reshape %t(%s) : (tensor<128xf32>, tensor<2xindex>) -> tensor<8x15xf32>
  return %r : tensor<8x15xf32>
}

// -----

func.func @reshape_length(%t: tensor<128xf32>, %s: tensor<3xindex>) -> tensor<8x16xf32> {
  // expected-error @+1 {{'tensor.reshape' op length of shape operand differs from the result's tensor rank}}
  %r = tensor.reshape %t(%s) : (tensor<128xf32>, tensor<3xindex>) -> tensor<8x16xf32>
  return %r : tensor<8x16xf32>
}
