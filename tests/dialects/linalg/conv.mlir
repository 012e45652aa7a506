// linalg's convolutions and poolings in MLIR 22's syntax (as mlir-opt prints them),
// round-tripped through both forms; strides and dilations enter the input's map.
// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s --mlir-print-op-generic | irc opt - | filecheck %s
// RUN: irc opt %s --linalg-generalize-named-ops | filecheck %s --check-prefix=GEN

// CHECK-LABEL: func.func @convolutions
// CHECK:         %c = linalg.conv_2d_nhwc_hwcf {dilations = dense<[2, 1]> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %k : tensor<1x9x9x3xf32>, tensor<3x3x3x8xf32>) outs(%o : tensor<1x3x3x8xf32>) -> tensor<1x3x3x8xf32>
// CHECK:         %p = linalg.conv_2d ins(%i2, %k2 : tensor<5x5xf32>, tensor<3x3xf32>) outs(%o2 : tensor<3x3xf32>) -> tensor<3x3xf32>
// CHECK:         %g = linalg.conv_2d_ngchw_gfchw_q ins(%gx, %gk, %zi, %zk : tensor<1x2x3x5x5xi8>, tensor<2x4x3x3x3xi8>, i32, i32) outs(%go : tensor<1x2x4x3x3xi32>) -> tensor<1x2x4x3x3xi32>
// CHECK:         linalg.depthwise_conv_1d_nwc_wcm {strides = dense<2> : vector<1xi64>} ins(%dx, %dk : memref<2x7x3xf64>, memref<3x3x4xf64>) outs(%do : memref<2x3x3x4xf64>)
// CHECK-NEXT:    return

// GEN-LABEL: func.func @convolutions
// GEN:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4 * 2, d2 * 2 + d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5, d6, d3)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// GEN:           arith.mulf
// GEN-NEXT:      arith.addf
// GEN:         affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> ()>
// GEN:           arith.extsi
// GEN-NEXT:      arith.subi
func.func @convolutions(%x: tensor<1x9x9x3xf32>, %k: tensor<3x3x3x8xf32>, %o: tensor<1x3x3x8xf32>,
                        %i2: tensor<5x5xf32>, %k2: tensor<3x3xf32>, %o2: tensor<3x3xf32>,
                        %gx: tensor<1x2x3x5x5xi8>, %gk: tensor<2x4x3x3x3xi8>, %zi: i32, %zk: i32, %go: tensor<1x2x4x3x3xi32>,
                        %dx: memref<2x7x3xf64>, %dk: memref<3x3x4xf64>, %do: memref<2x3x3x4xf64>)
    -> (tensor<1x3x3x8xf32>, tensor<3x3xf32>, tensor<1x2x4x3x3xi32>) {
  %c = linalg.conv_2d_nhwc_hwcf {strides = dense<2> : tensor<2xi64>, dilations = dense<[2, 1]> : tensor<2xi64>}
         ins(%x, %k : tensor<1x9x9x3xf32>, tensor<3x3x3x8xf32>) outs(%o : tensor<1x3x3x8xf32>) -> tensor<1x3x3x8xf32>
  %p = linalg.conv_2d ins(%i2, %k2 : tensor<5x5xf32>, tensor<3x3xf32>) outs(%o2 : tensor<3x3xf32>) -> tensor<3x3xf32>
  %g = linalg.conv_2d_ngchw_gfchw_q ins(%gx, %gk, %zi, %zk : tensor<1x2x3x5x5xi8>, tensor<2x4x3x3x3xi8>, i32, i32)
         outs(%go : tensor<1x2x4x3x3xi32>) -> tensor<1x2x4x3x3xi32>
  linalg.depthwise_conv_1d_nwc_wcm {strides = dense<2> : vector<1xi64>} ins(%dx, %dk : memref<2x7x3xf64>, memref<3x3x4xf64>)
    outs(%do : memref<2x3x3x4xf64>)
  return %c, %p, %g : tensor<1x3x3x8xf32>, tensor<3x3xf32>, tensor<1x2x4x3x3xi32>
}

// CHECK-LABEL: func.func @poolings
// CHECK:         %m = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<2x2xf32>) outs(%o : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
// CHECK:         %u = linalg.pooling_nwc_min_unsigned ins(%b, %w1 : tensor<2x6x3xi8>, tensor<3xi8>) outs(%bo : tensor<2x4x3xi32>) -> tensor<2x4x3xi32>
// CHECK:         linalg.pooling_ndhwc_sum {dilations = dense<[1, 2, 1]> : tensor<3xi64>} ins(%v, %w3 : memref<1x5x6x5x2xf64>, memref<2x2x2xf64>) outs(%vo : memref<1x4x4x4x2xf64>)

// GEN-LABEL: func.func @poolings
// GEN:         affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d3)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// GEN:           arith.maximumf
// GEN:           arith.extui
// GEN-NEXT:      arith.minui
// GEN:         affine_map<(d0, d1, d2, d3, d4, d5, d6, d7) -> (d0, d1 + d5, d2 + d6 * 2, d3 + d7, d4)>
func.func @poolings(%x: tensor<1x8x8x3xf32>, %w: tensor<2x2xf32>, %o: tensor<1x4x4x3xf32>,
                    %b: tensor<2x6x3xi8>, %w1: tensor<3xi8>, %bo: tensor<2x4x3xi32>,
                    %v: memref<1x5x6x5x2xf64>, %w3: memref<2x2x2xf64>, %vo: memref<1x4x4x4x2xf64>)
    -> (tensor<1x4x4x3xf32>, tensor<2x4x3xi32>) {
  %m = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x8x8x3xf32>, tensor<2x2xf32>) outs(%o : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %u = linalg.pooling_nwc_min_unsigned ins(%b, %w1 : tensor<2x6x3xi8>, tensor<3xi8>) outs(%bo : tensor<2x4x3xi32>) -> tensor<2x4x3xi32>
  linalg.pooling_ndhwc_sum {dilations = dense<[1, 2, 1]> : tensor<3xi64>} ins(%v, %w3 : memref<1x5x6x5x2xf64>, memref<2x2x2xf64>)
    outs(%vo : memref<1x4x4x4x2xf64>)
  return %m, %u : tensor<1x4x4x3xf32>, tensor<2x4x3xi32>
}
