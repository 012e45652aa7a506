// The issue's pipeline on a 2-layer MLP (matmul + bias broadcast + tanh + sum of
// squares): differentiate on tensors, bufferize, lower linalg to loops. Only scalar
// arith/math, scf and memref remain; the matmul is a triple loop nest of loads, a
// multiply-add and a store; its cotangents are contractions lowered the same way.
// RUN: irc opt %s --ad-reverse --one-shot-bufferize=bufferize-function-boundaries --convert-linalg-to-loops --canonicalize --cse | filecheck %s
// RUN: irc opt %s --ad-reverse --one-shot-bufferize=bufferize-function-boundaries --convert-linalg-to-loops | filecheck %s --check-prefix=ONLY-LOOPS

// ONLY-LOOPS-NOT: linalg.
// ONLY-LOOPS-NOT: tensor.
// ONLY-LOOPS-NOT: bufferization.

// CHECK-LABEL: func.func @loss(%x: memref<4x3xf64>, %w1: memref<3x5xf64>, %b1: memref<5xf64>, %w2: memref<5x2xf64>, %b2: memref<2xf64>) -> f64
// CHECK:             memref.load %b1[%{{.*}}] : memref<5xf64>
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:        scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:          %[[A:.*]] = memref.load %x[%[[I]], %[[K]]] : memref<4x3xf64>
// CHECK-NEXT:          %[[B:.*]] = memref.load %w1[%[[K]], %[[J]]] : memref<3x5xf64>
// CHECK-NEXT:          %[[C:.*]] = memref.load %[[H:.*]][%[[I]], %[[J]]] : memref<4x5xf64>
// CHECK-NEXT:          %[[P:.*]] = arith.mulf %[[A]], %[[B]] : f64
// CHECK-NEXT:          %[[S:.*]] = arith.addf %[[C]], %[[P]] : f64
// CHECK-NEXT:          memref.store %[[S]], %[[H]][%[[I]], %[[J]]] : memref<4x5xf64>
// CHECK:         math.tanh
// CHECK-LABEL: func.func private @loss_vjp(
// CHECK:         math.tanh
// CHECK:         arith.mulf
// CHECK-LABEL: func.func @grad(

func.func @loss(%x: tensor<4x3xf64>, %w1: tensor<3x5xf64>, %b1: tensor<5xf64>, %w2: tensor<5x2xf64>, %b2: tensor<2xf64>) -> f64 {
  %eh = tensor.empty() : tensor<4x5xf64>
  %bias1 = linalg.broadcast ins(%b1 : tensor<5xf64>) outs(%eh : tensor<4x5xf64>) dimensions = [0]
  %pre = linalg.matmul ins(%x, %w1 : tensor<4x3xf64>, tensor<3x5xf64>) outs(%bias1 : tensor<4x5xf64>) -> tensor<4x5xf64>
  %act = linalg.tanh ins(%pre : tensor<4x5xf64>) outs(%eh : tensor<4x5xf64>) -> tensor<4x5xf64>
  %eo = tensor.empty() : tensor<4x2xf64>
  %bias2 = linalg.broadcast ins(%b2 : tensor<2xf64>) outs(%eo : tensor<4x2xf64>) dimensions = [0]
  %y = linalg.matmul ins(%act, %w2 : tensor<4x5xf64>, tensor<5x2xf64>) outs(%bias2 : tensor<4x2xf64>) -> tensor<4x2xf64>
  %sq = linalg.square ins(%y : tensor<4x2xf64>) outs(%eo : tensor<4x2xf64>) -> tensor<4x2xf64>
  %zero = arith.constant 0.0 : f64
  %e0 = tensor.empty() : tensor<f64>
  %init = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %sum = linalg.reduce { arith.addf } ins(%sq : tensor<4x2xf64>) outs(%init : tensor<f64>) dimensions = [0, 1]
  %l = tensor.extract %sum[] : tensor<f64>
  return %l : f64
}
func.func @grad(%x: tensor<4x3xf64>, %w1: tensor<3x5xf64>, %b1: tensor<5xf64>, %w2: tensor<5x2xf64>, %b2: tensor<2xf64>) -> (tensor<3x5xf64>, tensor<5xf64>, tensor<5x2xf64>, tensor<2xf64>) {
  %g:4 = ad.grad @loss(%x, %w1, %b1, %w2, %b2) {wrt = [1, 2, 3, 4]} : (tensor<4x3xf64>, tensor<3x5xf64>, tensor<5xf64>, tensor<5x2xf64>, tensor<2xf64>) -> (tensor<3x5xf64>, tensor<5xf64>, tensor<5x2xf64>, tensor<2xf64>)
  return %g#0, %g#1, %g#2, %g#3 : tensor<3x5xf64>, tensor<5xf64>, tensor<5x2xf64>, tensor<2xf64>
}
