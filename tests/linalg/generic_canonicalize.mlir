// RUN: irc opt %s --canonicalize | filecheck %s
// linalg.generic's canonicalization: unused inputs go (unless a loop's size is read off them
// alone), splat inputs become constants in the body, a generic yielding a constant is one.

// CHECK-LABEL: func.func @unused_input(
// CHECK:         linalg.generic {{.*}} ins(%b : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>)
func.func @unused_input(%a: tensor<4x3xf32>, %b: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = math.exp %y : f32
    linalg.yield %s : f32
  } -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// the only operand naming loop j is unused, yet it stays: the loop's size comes from it
// CHECK-LABEL: func.func @sole_size_source(
// CHECK:         linalg.generic {{.*}} ins(%a, %b : tensor<4xf32>, tensor<3xf32>) outs(%o : tensor<4xf32>)
func.func @sole_size_source(%a: tensor<4xf32>, %b: tensor<3xf32>, %o: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i)>], iterator_types = ["parallel", "reduction"]} ins(%a, %b : tensor<4xf32>, tensor<3xf32>) outs(%o : tensor<4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %s = arith.addf %acc, %x : f32
    linalg.yield %s : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// a splat input is a constant in the body, and x * 1.0 folds
// CHECK-LABEL: func.func @splat_input(
// CHECK:         linalg.generic {{.*}} ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) {
// CHECK-NEXT:    ^bb0(%[[X:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[T:.*]] = math.tanh %[[X]] : f32
// CHECK-NEXT:      linalg.yield %[[T]] : f32
func.func @splat_input(%a: tensor<4xf32>) -> tensor<4xf32> {
  %one = arith.constant dense<1.0> : tensor<4xf32>
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%a, %one : tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%x: f32, %w: f32, %o: f32):
    %t = math.tanh %x : f32
    %p = arith.mulf %t, %w : f32
    linalg.yield %p : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// a gradient's seed: 1.0 inserted into a zero scalar tensor, broadcast to every element
// CHECK-LABEL: func.func @seed(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<1.0> : tensor<4x3xf32>
// CHECK-NEXT:    return %[[C]]
func.func @seed(%y: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %one = arith.constant 1.0 : f32
  %zero = arith.constant dense<0.0> : tensor<f32>
  %ct = tensor.insert %one into %zero[] : tensor<f32>
  %e = tensor.empty() : tensor<4x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> ()>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%y, %ct : tensor<4x3xf32>, tensor<f32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%x: f32, %c: f32, %o: f32):
    linalg.yield %c : f32
  } -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// on buffers the same: the unused input goes
// CHECK-LABEL: func.func @buffers(
// CHECK:         linalg.generic {{.*}} ins(%b : memref<4xf32>) outs(%o : memref<4xf32>)
func.func @buffers(%a: memref<4xf32>, %b: memref<4xf32>, %o: memref<4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(i) -> (i)>, affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], iterator_types = ["parallel"]} ins(%a, %b : memref<4xf32>, memref<4xf32>) outs(%o : memref<4xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    linalg.yield %y : f32
  }
  return
}
