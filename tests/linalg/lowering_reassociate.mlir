// RUN: irc opt %s --convert-linalg-to-loops=reassociate-reductions=true | filecheck %s
// RUN: irc opt %s --convert-linalg-to-loops | filecheck %s --check-prefix=STRICT
// Asked for, the float combiner of a reduction carries fastmath<reassoc> (LLVM may then
// vectorize the sum); the rest of the body, and every op by default, keeps its flags.

// CHECK-LABEL: func.func @f(
// CHECK:         arith.addf %{{.*}}, %{{.*}} fastmath<reassoc,nnan> : f32
// CHECK:         %[[E:.*]] = math.exp
// CHECK-NEXT:    arith.mulf %{{.*}}, %[[E]] fastmath<reassoc> : f32
// CHECK:         %[[X:.*]] = math.exp
// CHECK-NEXT:    memref.store %[[X]]
// STRICT-LABEL: func.func @f(
// STRICT-NOT:    reassoc
func.func @f(%a: memref<4x3xf32>, %o: memref<4xf32>, %p: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%a : memref<4x3xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%x: f32, %acc: f32):
    %s = arith.addf %acc, %x fastmath<nnan> : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>], iterator_types = ["reduction", "reduction"]} ins(%a : memref<4x3xf32>) outs(%p : memref<f32>) {
  ^bb0(%x: f32, %acc: f32):
    %e = math.exp %x : f32
    %m = arith.mulf %acc, %e : f32
    linalg.yield %m : f32
  }
  linalg.exp ins(%a : memref<4x3xf32>) outs(%a : memref<4x3xf32>)
  return
}
