// linalg.generic, linalg.index and linalg.yield in MLIR 22's syntax (as mlir-opt
// prints them), on tensors and memrefs, round-tripped through both forms.
// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s --mlir-print-op-generic | irc opt - | filecheck %s

#matmul_a = affine_map<(d0, d1, d2) -> (d0, d2)>
#matmul_b = affine_map<(d0, d1, d2) -> (d2, d1)>
#matmul_c = affine_map<(d0, d1, d2) -> (d0, d1)>

// CHECK-LABEL: func.func @matmul
// CHECK:         %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<4x8xf64>, tensor<8x?xf64>) outs(%c : tensor<4x?xf64>) attrs =  {note = "kept"} {
// CHECK-NEXT:    ^bb0(%x: f64, %y: f64, %acc: f64):
// CHECK-NEXT:      %p = arith.mulf %x, %y : f64
// CHECK-NEXT:      %s = arith.addf %acc, %p : f64
// CHECK-NEXT:      linalg.yield %s : f64
// CHECK-NEXT:    } -> tensor<4x?xf64>
func.func @matmul(%a: tensor<4x8xf64>, %b: tensor<8x?xf64>, %c: tensor<4x?xf64>) -> tensor<4x?xf64> {
  %r = linalg.generic {indexing_maps = [#matmul_a, #matmul_b, #matmul_c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf64>, tensor<8x?xf64>) outs(%c : tensor<4x?xf64>) attrs = {note = "kept"} {
  ^bb0(%x: f64, %y: f64, %acc: f64):
    %p = arith.mulf %x, %y : f64
    %s = arith.addf %acc, %p : f64
    linalg.yield %s : f64
  } -> tensor<4x?xf64>
  return %r : tensor<4x?xf64>
}

// CHECK-LABEL: func.func @iota_on_buffers
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>], iterator_types = ["parallel", "parallel"]} outs(%m : memref<3x5xi64>) {
// CHECK-NEXT:    ^bb0(%out: i64):
// CHECK-NEXT:      %i = linalg.index 0 : index
// CHECK-NEXT:      %j = linalg.index 1 : index
// CHECK:           linalg.yield %v : i64
// CHECK-NEXT:    }
// CHECK-NEXT:    return
func.func @iota_on_buffers(%m: memref<3x5xi64>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>], iterator_types = ["parallel", "parallel"]} outs(%m : memref<3x5xi64>) {
  ^bb0(%out: i64):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %c10 = arith.constant 10 : index
    %t = arith.muli %j, %c10 : index
    %s = arith.addi %t, %i : index
    %v = arith.index_cast %s : index to i64
    linalg.yield %v : i64
  }
  return
}

// Strided and broadcast maps, several outputs, and the affine forms MLIR simplifies.
// CHECK-LABEL: func.func @strided_two_outputs
// CHECK:         indexing_maps = [affine_map<(d0, d1) -> (d0 * 2 + d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>]
// CHECK:         } -> (tensor<3xf32>, tensor<3xf32>)
func.func @strided_two_outputs(%x: tensor<7xf32>, %w: tensor<2xf32>, %s: tensor<3xf32>, %m: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %r:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (2 * d0 + d1 * 1 + 0)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x, %w : tensor<7xf32>, tensor<2xf32>) outs(%s, %m : tensor<3xf32>, tensor<3xf32>) {
  ^bb0(%a: f32, %b: f32, %acc: f32, %big: f32):
    %p = arith.mulf %a, %b : f32
    %t = arith.addf %acc, %p : f32
    %u = arith.maximumf %big, %a : f32
    linalg.yield %t, %u : f32, f32
  } -> (tensor<3xf32>, tensor<3xf32>)
  return %r#0, %r#1 : tensor<3xf32>, tensor<3xf32>
}
