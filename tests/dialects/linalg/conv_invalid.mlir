// Window ops that do not fit, in MLIR 22's words (mlir-opt gives the same errors;
// irc's message goes on to spell out the window arithmetic).
// RUN: irc opt %s --split-input-file --verify-diagnostics

func.func @input_too_small(%i: tensor<1x9x9x3xf32>, %k: tensor<3x3x3x8xf32>, %o: tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32> {
  // expected-error @+1 {{'linalg.conv_2d_nhwc_hwcf' op inferred input/output operand #0 has shape's dimension #1 to be greater than or equal to 11, but found 9}}
  %0 = linalg.conv_2d_nhwc_hwcf {strides = dense<2> : tensor<2xi64>, dilations = dense<2> : tensor<2xi64>} ins(%i, %k : tensor<1x9x9x3xf32>, tensor<3x3x3x8xf32>) outs(%o : tensor<1x4x4x8xf32>) -> tensor<1x4x4x8xf32>
  return %0 : tensor<1x4x4x8xf32>
}

// -----

func.func @pool_window_too_large(%i: memref<2x4x3xf32>, %k: memref<3xf32>, %o: memref<2x1x3xf32>) {
  // expected-error @+1 {{'linalg.pooling_nwc_sum' op inferred input/output operand #0 has shape's dimension #1 to be greater than or equal to 5, but found 4}}
  linalg.pooling_nwc_sum {dilations = dense<2> : tensor<1xi64>} ins(%i, %k : memref<2x4x3xf32>, memref<3xf32>) outs(%o : memref<2x1x3xf32>)
  return
}

// -----

func.func @strides_of_the_wrong_shape(%i: tensor<1x9x9x3xf32>, %k: tensor<3x3x3x8xf32>, %o: tensor<1x3x3x8xf32>) -> tensor<1x3x3x8xf32> {
  // expected-error @+1 {{attribute 'strides' failed to satisfy constraint: 64-bit signless int elements attribute of shape [2]}}
  %0 = linalg.conv_2d_nhwc_hwcf {strides = dense<2> : tensor<3xi64>} ins(%i, %k : tensor<1x9x9x3xf32>, tensor<3x3x3x8xf32>) outs(%o : tensor<1x3x3x8xf32>) -> tensor<1x3x3x8xf32>
  return %0 : tensor<1x3x3x8xf32>
}

// -----

func.func @dilations_of_i32(%i: memref<1x9x3xf32>, %k: memref<3x3x8xf32>, %o: memref<1x3x8xf32>) {
  // expected-error @+1 {{attribute 'dilations' failed to satisfy constraint: 64-bit signless int elements attribute of shape [1]}}
  linalg.conv_1d_nwc_wcf {dilations = dense<1> : tensor<1xi32>} ins(%i, %k : memref<1x9x3xf32>, memref<3x3x8xf32>) outs(%o : memref<1x3x8xf32>)
  return
}

// -----

func.func @zero_stride(%i: memref<1x9x3xf32>, %k: memref<3x3x8xf32>, %o: memref<1x3x8xf32>) {
  // expected-error @+1 {{unexpected loop dimension for convolution op}}
  linalg.conv_1d_nwc_wcf {strides = dense<0> : tensor<1xi64>} ins(%i, %k : memref<1x9x3xf32>, memref<3x3x8xf32>) outs(%o : memref<1x3x8xf32>)
  return
}

// -----

func.func @pool_window_rank(%i: tensor<1x9x9x3xf32>, %k: tensor<3x3x3x8xf32>, %o: tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32> {
  // expected-error @+1 {{'linalg.pooling_nhwc_max' op expected operand #1 rank (4) to match the result rank of indexing_map (2)}}
  %0 = linalg.pooling_nhwc_max ins(%i, %k : tensor<1x9x9x3xf32>, tensor<3x3x3x8xf32>) outs(%o : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  return %0 : tensor<1x3x3x3xf32>
}
