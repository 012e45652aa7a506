// RUN: irc opt %s --ad-reverse --one-shot-bufferize="bufferize-function-boundaries" --canonicalize | filecheck %s
// RUN: irc opt %s --ad-reverse --one-shot-bufferize="bufferize-function-boundaries" | irc run - --entry g --arg 3 --check-leaks | filecheck %s --check-prefix=EXEC
// Differentiate on tensors, then bufferize: tapes of tensors become tapes of buffers
// (the reverse of the elementwise square reads the whole tensor of each trip; an
// extract or insert alone would tape only its index: tests/ad/tape_indices.mlir).
// A push stores a copy of the buffer (later in-place writes cannot change it); the
// reverse loop owns what it pops and frees it.
// EXEC: {{^}}0.48963206468218{{[0-9]*$}}

// CHECK-LABEL: func.func private @f_vjp(
// CHECK-SAME: %[[X:.*]]: memref<4xf64>
// CHECK: %[[TAPE:.*]] = ad.tape_create : !ad.tape<memref<4xf64>>
// CHECK: scf.for
// CHECK: memref.store %{{.*}}, %[[X]][%{{.*}}] : memref<4xf64>
// CHECK: %[[COPY:.*]] = memref.alloc() {alignment = 64} : memref<4xf64>
// CHECK-NEXT: memref.copy %[[X]], %[[COPY]] : memref<4xf64> to memref<4xf64>
// CHECK-NEXT: ad.tape_push %[[TAPE]], %[[COPY]] : !ad.tape<memref<4xf64>>, memref<4xf64>
// CHECK: scf.for
// CHECK: %[[POPPED:.*]] = ad.tape_pop %[[TAPE]] : !ad.tape<memref<4xf64>> -> memref<4xf64>
// CHECK: memref.dealloc %[[POPPED]] : memref<4xf64>
// CHECK: ad.tape_free %[[TAPE]] : !ad.tape<memref<4xf64>>
func.func @f(%x: tensor<4xf64>, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f64
  %r:2 = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x, %s = %z) -> (tensor<4xf64>, f64) {
    %v = tensor.extract %a[%i] : tensor<4xf64>
    %w = math.sin %v : f64
    %b0 = tensor.insert %w into %a[%i] : tensor<4xf64>
    %b = arith.mulf %b0, %b0 : tensor<4xf64>
    %t = arith.mulf %w, %v : f64
    %s2 = arith.addf %s, %t : f64
    scf.yield %b, %s2 : tensor<4xf64>, f64
  }
  %e = tensor.extract %r#0[%c0] : tensor<4xf64>
  %o = arith.addf %e, %r#1 : f64
  return %o : f64
}
func.func @g(%n: index) -> f64 {
  %c1 = arith.constant 1 : index
  %x = arith.constant dense<[0.3, 0.5, 0.9, 1.2]> : tensor<4xf64>
  %d = ad.grad @f(%x, %n) {wrt = [0]} : (tensor<4xf64>, index) -> tensor<4xf64>
  %d1 = tensor.extract %d[%c1] : tensor<4xf64>
  return %d1 : f64
}
