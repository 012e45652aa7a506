// RUN: irc opt %s --ad --canonicalize --cse | filecheck %s
// On tensors, an adjoint's first contribution is written, not added to a zero: the
// cotangent generic of an input read one element per loop point writes a tensor.empty
// and yields the contribution; where loops sum into the cotangent (a broadcast input,
// a window whose points overlap) it still starts from a zero and adds.

func.func @act(%x: tensor<4x3xf32>, %b: tensor<4xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%x, %b : tensor<4x3xf32>, tensor<4xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %t = math.tanh %s : f32
    linalg.yield %t : f32
  } -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}
func.func @act_grad(%x: tensor<4x3xf32>, %b: tensor<4xf32>, %g: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4xf32>) {
  %d:3 = ad.vjp @act(%x, %b, %g) {wrt = [0, 1]} : (tensor<4x3xf32>, tensor<4xf32>, tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4xf32>)
  return %d#1, %d#2 : tensor<4x3xf32>, tensor<4xf32>
}
// CHECK-LABEL: func.func private @act_vjp(
// CHECK-DAG:   %[[ZERO:.*]] = arith.constant dense<0.0> : tensor<4xf32>
// CHECK-DAG:   %[[EMPTY:.*]] = tensor.empty() : tensor<4x3xf32>
// the cotangent of %x: every element written once, from an empty tensor
// CHECK:       %x_adjoint = linalg.generic {{.*}} outs(%[[EMPTY]] : tensor<4x3xf32>) {
// CHECK:         arith.subf
// CHECK-NEXT:    %[[P:.*]] = arith.mulf
// CHECK-NEXT:    linalg.yield %[[P]] : f32
// the cotangent of the bias sums over j: from a zero, adding
// CHECK:       %b_adjoint = linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]{{.*}} outs(%[[ZERO]] : tensor<4xf32>) {
// CHECK:         arith.subf
// CHECK-NEXT:    %[[P:.*]] = arith.mulf
// CHECK-NEXT:    %[[S:.*]] = arith.addf %{{.*}}, %[[P]] : f32
// CHECK-NEXT:    linalg.yield %[[S]] : f32
