// RUN: irc opt %S/models_linalg.mlir --ad-reverse --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops --canonicalize | filecheck %s
// RUN: irc opt %S/models_linalg.mlir --ad-reverse --one-shot-bufferize="bufferize-function-boundaries" --convert-linalg-to-loops | filecheck %s --check-prefix=ONLY-LOOPS
// The MLP of models_linalg.mlir differentiated on tensors, bufferized and lowered to
// loops: readable scf loops over memref loads and stores, every buffer freed.
// ONLY-LOOPS-NOT: linalg.
// ONLY-LOOPS-NOT: tensor.
// ONLY-LOOPS-NOT: bufferization.
// ONLY-LOOPS-NOT: ad.grad

// CHECK-LABEL: func.func private @mlp_loss_vjp(
// CHECK-SAME: %x: memref<8x4xf64>, %w1: memref<4x5xf64>, %b1: memref<5xf64>, %w2: memref<5x3xf64>, %b2: memref<3xf64>, %{{.*}}: f64)
// CHECK-SAME: -> (f64, memref<4x5xf64>, memref<5xf64>, memref<5x3xf64>, memref<3xf64>)
// the forward matmul x * w1: the innermost of three loops accumulates into a buffer
// CHECK: %[[XIK:.*]] = memref.load %x[%[[I:[a-z0-9]+]], %[[K:[a-z0-9]+]]] : memref<8x4xf64>
// CHECK-NEXT: %[[WKJ:.*]] = memref.load %w1[%[[K]], %[[J:[a-z0-9]+]]] : memref<4x5xf64>
// CHECK-NEXT: %[[ACC:.*]] = memref.load %[[H:[a-z0-9]+]][%[[I]], %[[J]]] : memref<8x5xf64>
// CHECK-NEXT: %[[P:.*]] = arith.mulf %[[XIK]], %[[WKJ]] : f64
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[ACC]], %[[P]] : f64
// CHECK-NEXT: memref.store %[[S]], %[[H]][%[[I]], %[[J]]] : memref<8x5xf64>
// the bias broadcast and the hidden layer's tanh
// CHECK: memref.load %b1[%{{.*}}] : memref<5xf64>
// CHECK: math.tanh
// the reverse sweep: tanh' = 1 - tanh^2, recomputed in the loop
// CHECK: %[[T:.*]] = math.tanh %{{.*}} : f64
// CHECK-NEXT: %[[T2:.*]] = arith.mulf %[[T]], %[[T]] : f64
// CHECK-NEXT: arith.subf %{{.*}}, %[[T2]] : f64
// the gradient of w1 accumulates x^T * dH
// CHECK: memref.load %x[
// CHECK: memref.store %{{.*}}, %[[GW1:.*]][%{{.*}}, %{{.*}}] : memref<4x5xf64>
// CHECK: memref.dealloc
// CHECK: return %{{.*}}, %[[GW1]], %{{.*}}, %{{.*}}, %{{.*}} : f64, memref<4x5xf64>, memref<5xf64>, memref<5x3xf64>, memref<3xf64>
