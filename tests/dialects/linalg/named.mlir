// linalg's named ops in MLIR 22's syntax (as mlir-opt prints them), round-tripped
// through both forms; each one's body is built from its declaration.
// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s --mlir-print-op-generic | irc opt - | filecheck %s

// CHECK-LABEL: func.func @contractions
// CHECK:         %mm = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
// CHECK:         %mt = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%at, %b : tensor<8x4xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
// CHECK:         %mi = linalg.matmul {cast = #linalg.type_fn<cast_unsigned>} ins(%i8a, %i8b : tensor<4x8xi8>, tensor<8x16xi8>) outs(%ci : tensor<4x16xi32>) -> tensor<4x16xi32>
// CHECK:         %bm = linalg.batch_matmul ins(%ba, %bb : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%bc : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
// CHECK:         %br = linalg.batch_reduce_matmul ins(%ba, %bb : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
// CHECK:         %mv = linalg.matvec ins(%a, %x8 : tensor<4x8xf32>, tensor<8xf32>) outs(%y4 : tensor<4xf32>) -> tensor<4xf32>
// CHECK:         %vm = linalg.vecmat ins(%y4, %a : tensor<4xf32>, tensor<4x8xf32>) outs(%x8 : tensor<8xf32>) -> tensor<8xf32>
// CHECK:         %d = linalg.dot ins(%x8, %x8 : tensor<8xf32>, tensor<8xf32>) outs(%s : tensor<f32>) -> tensor<f32>
// CHECK:         %k = linalg.contract indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
// CHECK:         linalg.matmul ins(%ma, %mb : memref<4x8xf64>, memref<8x16xf64>) outs(%mc : memref<4x16xf64>)
// CHECK-NEXT:    return
func.func @contractions(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>, %at: tensor<8x4xf32>,
                        %i8a: tensor<4x8xi8>, %i8b: tensor<8x16xi8>, %ci: tensor<4x16xi32>,
                        %ba: tensor<2x4x8xf32>, %bb: tensor<2x8x16xf32>, %bc: tensor<2x4x16xf32>,
                        %x8: tensor<8xf32>, %y4: tensor<4xf32>, %s: tensor<f32>,
                        %ma: memref<4x8xf64>, %mb: memref<8x16xf64>, %mc: memref<4x16xf64>) {
  %mm = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  %mt = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d2, d0)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%at, %b : tensor<8x4xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  %mi = linalg.matmul {cast = #linalg.type_fn<cast_unsigned>} ins(%i8a, %i8b : tensor<4x8xi8>, tensor<8x16xi8>) outs(%ci : tensor<4x16xi32>) -> tensor<4x16xi32>
  %bm = linalg.batch_matmul ins(%ba, %bb : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%bc : tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  %br = linalg.batch_reduce_matmul ins(%ba, %bb : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  %mv = linalg.matvec ins(%a, %x8 : tensor<4x8xf32>, tensor<8xf32>) outs(%y4 : tensor<4xf32>) -> tensor<4xf32>
  %vm = linalg.vecmat ins(%y4, %a : tensor<4xf32>, tensor<4x8xf32>) outs(%x8 : tensor<8xf32>) -> tensor<8xf32>
  %d = linalg.dot ins(%x8, %x8 : tensor<8xf32>, tensor<8xf32>) outs(%s : tensor<f32>) -> tensor<f32>
  %k = linalg.contract indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%a, %b : tensor<4x8xf32>, tensor<8x16xf32>) outs(%c : tensor<4x16xf32>) -> tensor<4x16xf32>
  linalg.matmul ins(%ma, %mb : memref<4x8xf64>, memref<8x16xf64>) outs(%mc : memref<4x16xf64>)
  return
}

// CHECK-LABEL: func.func @elementwise
// CHECK:         %f = linalg.fill ins(%v : f32) outs(%o : tensor<16xf32>) -> tensor<16xf32>
// CHECK:         %cp = linalg.copy ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
// CHECK:         %e = linalg.exp ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
// CHECK:         %rc = linalg.reciprocal ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
// CHECK:         %sq = linalg.square ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
// CHECK:         %ad = linalg.add ins(%x, %y : tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
// CHECK:         %du = linalg.div_unsigned ins(%i, %j : tensor<16xi32>, tensor<16xi32>) outs(%i : tensor<16xi32>) -> tensor<16xi32>
// CHECK:         %mx = linalg.max ins(%x, %y : tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
// CHECK:         %se = linalg.select ins(%c, %x, %y : tensor<16xi1>, tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
func.func @elementwise(%v: f32, %x: tensor<16xf32>, %y: tensor<16xf32>, %o: tensor<16xf32>, %i: tensor<16xi32>, %j: tensor<16xi32>, %c: tensor<16xi1>) {
  %f = linalg.fill ins(%v : f32) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %cp = linalg.copy ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %e = linalg.exp ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %l = linalg.log ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %ab = linalg.abs ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %ce = linalg.ceil ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %fl = linalg.floor ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %ng = linalg.negf ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %rc = linalg.reciprocal ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %ro = linalg.round ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %sr = linalg.sqrt ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %rs = linalg.rsqrt ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %sq = linalg.square ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %th = linalg.tanh ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %er = linalg.erf ins(%x : tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %ad = linalg.add ins(%x, %y : tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %sb = linalg.sub ins(%x, %y : tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %ml = linalg.mul ins(%x, %y : tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %dv = linalg.div ins(%x, %y : tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %du = linalg.div_unsigned ins(%i, %j : tensor<16xi32>, tensor<16xi32>) outs(%i : tensor<16xi32>) -> tensor<16xi32>
  %mx = linalg.max ins(%x, %y : tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %mn = linalg.min ins(%x, %y : tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %pw = linalg.powf ins(%x, %y : tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  %se = linalg.select ins(%c, %x, %y : tensor<16xi1>, tensor<16xf32>, tensor<16xf32>) outs(%o : tensor<16xf32>) -> tensor<16xf32>
  return
}

// CHECK-LABEL: func.func @with_regions
// CHECK:         %transposed = linalg.transpose ins(%a : tensor<16x32xf32>) outs(%t : tensor<32x16xf32>) permutation = [1, 0]
// CHECK:         %broadcasted = linalg.broadcast ins(%v : tensor<16xf32>) outs(%o : tensor<16x64xf32>) dimensions = [1]
// CHECK:         %reduced = linalg.reduce ins(%a : tensor<16x32xf32>) outs(%r : tensor<16xf32>) dimensions = [1] (%in: f32, %init: f32) {
// CHECK-NEXT:      %s = arith.addf %in, %init : f32
// CHECK-NEXT:      linalg.yield %s : f32
// CHECK-NEXT:    }
// CHECK:         %short = linalg.reduce { arith.maximumf } ins(%a : tensor<16x32xf32>) outs(%r : tensor<16xf32>) dimensions = [1]
// CHECK:         %mapped = linalg.map { arith.mulf } ins(%v, %r : tensor<16xf32>, tensor<16xf32>) outs(%r : tensor<16xf32>)
// CHECK:         %short_map = linalg.map { math.exp } ins(%v : tensor<16xf32>) outs(%r : tensor<16xf32>)
// CHECK:         %long = linalg.map ins(%v : tensor<16xf32>) outs(%r : tensor<16xf32>) (%x: f32, %z: f32) {
// CHECK-NEXT:      %e = math.exp %x : f32
// CHECK-NEXT:      %p = arith.mulf %e, %z : f32
// CHECK-NEXT:      linalg.yield %p : f32
// CHECK-NEXT:    }
func.func @with_regions(%a: tensor<16x32xf32>, %v: tensor<16xf32>, %o: tensor<16x64xf32>, %r: tensor<16xf32>, %t: tensor<32x16xf32>) {
  %transposed = linalg.transpose ins(%a : tensor<16x32xf32>) outs(%t : tensor<32x16xf32>) permutation = [1, 0]
  %broadcasted = linalg.broadcast ins(%v : tensor<16xf32>) outs(%o : tensor<16x64xf32>) dimensions = [1]
  %reduced = linalg.reduce ins(%a : tensor<16x32xf32>) outs(%r : tensor<16xf32>) dimensions = [1]
    (%in: f32, %init: f32) {
      %s = arith.addf %in, %init : f32
      linalg.yield %s : f32
    }
  %short = linalg.reduce { arith.maximumf } ins(%a : tensor<16x32xf32>) outs(%r : tensor<16xf32>) dimensions = [1]
  %mapped = linalg.map { arith.mulf } ins(%v, %r : tensor<16xf32>, tensor<16xf32>) outs(%r : tensor<16xf32>)
  %short_map = linalg.map ins(%v : tensor<16xf32>) outs(%r : tensor<16xf32>)
    (%u: f32, %w: f32) {
      %q = math.exp %u : f32
      linalg.yield %q : f32
    }
  %long = linalg.map ins(%v : tensor<16xf32>) outs(%r : tensor<16xf32>)
    (%x: f32, %z: f32) {
      %e = math.exp %x : f32
      %p = arith.mulf %e, %z : f32
      linalg.yield %p : f32
    }
  return
}
