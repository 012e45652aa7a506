// RUN: irc opt %s --one-shot-bufferize="bufferize-function-boundaries" | filecheck %s
// RUN: irc opt %s --one-shot-bufferize="bufferize-function-boundaries test-analysis-only" | filecheck %s --check-prefix=ANALYSIS
// RUN: irc opt %s --one-shot-bufferize="bufferize-function-boundaries" | irc run - --entry while_slice_handed_on --arg 3 --check-leaks | filecheck %s --check-prefix=EXEC
// scf.while whose before and after arguments have different types.
// test_while.py runs every function before and after bufferization and compares
// the decisions on the ones mlir-opt bufferizes with mlir-opt's.

// Before (tensor, i32), after (tensor, f64): the condition forwards the carried
// tensor itself, so the after region writes into the argument's buffer (MLIR's
// result, no copy).
// CHECK-LABEL: func.func @while_types_change(
// CHECK-SAME: %[[T:.*]]: memref<4xf64>, %{{.*}}: i32) -> (memref<4xf64>, f64)
// CHECK-NOT: memref.alloc
// CHECK: %[[R:.*]]:2 = scf.while (%[[A:.*]] = %[[T]], %{{.*}} = %{{.*}}) : (memref<4xf64>, i32) -> (memref<4xf64>, f64) {
// CHECK: scf.condition(%{{.*}}) %[[A]], %{{.*}} : memref<4xf64>, f64
// CHECK: ^bb0(%[[B:.*]]: memref<4xf64>, %{{.*}}: f64):
// CHECK: memref.store %{{.*}}, %[[B]][%{{.*}}]
// CHECK-NOT: memref.copy
// CHECK: scf.yield %[[B]], %{{.*}} : memref<4xf64>, i32
// CHECK: return %[[R]]#0, %[[R]]#1
// ANALYSIS-LABEL: func.func @while_types_change(
// ANALYSIS: scf.condition(%{{.*}}) {__inplace_operands_attr__ = ["none", "true", "none"]}
// ANALYSIS: tensor.insert {{.*}} {__inplace_operands_attr__ = ["none", "true", "none"]}
// ANALYSIS: } attributes {__inplace_operands_attr__ = ["true", "none"]}
// ANALYSIS: return {__equivalent_func_args__ = [0, -1]
func.func @while_types_change(%t: tensor<4xf64>, %n: i32) -> (tensor<4xf64>, f64) {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0 : i32
  %r:2 = scf.while (%a = %t, %k = %z) : (tensor<4xf64>, i32) -> (tensor<4xf64>, f64) {
    %x = tensor.extract %a[%c0] : tensor<4xf64>
    %cond = arith.cmpi slt, %k, %n : i32
    scf.condition(%cond) %a, %x : tensor<4xf64>, f64
  } do {
  ^bb0(%b: tensor<4xf64>, %y: f64):
    %y2 = arith.addf %y, %y : f64
    %b2 = tensor.insert %y2 into %b[%c0] : tensor<4xf64>
    %k0 = arith.fptosi %y : f64 to i32
    scf.yield %b2, %k0 : tensor<4xf64>, i32
  }
  return %r#0, %r#1 : tensor<4xf64>, f64
}

// The condition forwards a slice of the carried tensor (another type): a buffer of
// its own is handed on each time; the after region frees it, and the loop's block
// frees the one the loop ends with after its last use.
// CHECK-LABEL: func.func @while_slice_handed_on(
// CHECK: %[[R:.*]]:2 = scf.while ({{.*}}) : (memref<4xf64>, index) -> (memref<2xf64>, index) {
// CHECK: %[[S:.*]] = memref.subview
// CHECK: %[[H:.*]] = memref.alloc() {{.*}} : memref<2xf64>
// CHECK-NEXT: memref.copy %[[S]], %[[H]]
// CHECK-NEXT: scf.condition(%{{.*}}) %[[H]], %{{.*}} : memref<2xf64>, index
// CHECK: ^bb0(%[[B:.*]]: memref<2xf64>, %{{.*}}: index):
// CHECK: memref.dealloc %[[B]] : memref<2xf64>
// CHECK: scf.yield
// CHECK: memref.load %[[R]]#0
// CHECK-NEXT: memref.load %[[R]]#0
// CHECK-NEXT: memref.dealloc %[[R]]#0 : memref<2xf64>
// EXEC: 16.0
func.func @while_slice_handed_on(%n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f64
  %t = tensor.splat %one : tensor<4xf64>
  %r:2 = scf.while (%a = %t, %i = %c0) : (tensor<4xf64>, index) -> (tensor<2xf64>, index) {
    %s = tensor.extract_slice %a[1] [2] [1] : tensor<4xf64> to tensor<2xf64>
    %cond = arith.cmpi slt, %i, %n : index
    scf.condition(%cond) %s, %i : tensor<2xf64>, index
  } do {
  ^bb0(%b: tensor<2xf64>, %j: index):
    %x = tensor.extract %b[%c1] : tensor<2xf64>
    %y = arith.addf %x, %x : f64
    %w = tensor.splat %y : tensor<4xf64>
    %b2 = tensor.insert %one into %b[%c0] : tensor<2xf64>
    %u = tensor.insert_slice %b2 into %w[0] [2] [1] : tensor<2xf64> into tensor<4xf64>
    %j1 = arith.addi %j, %c1 : index
    scf.yield %u, %j1 : tensor<4xf64>, index
  }
  %e0 = tensor.extract %r#0[%c0] : tensor<2xf64>
  %e1 = tensor.extract %r#0[%c1] : tensor<2xf64>
  %sum = arith.addf %e0, %e1 : f64
  %c4 = arith.constant 4.0 : f64
  %out = arith.addf %sum, %c4 : f64
  return %out : f64
}

// Two carried tensors forwarded crosswise (after types are the before types swapped):
// each after argument is the other's carried buffer, yielded back in place.
// CHECK-LABEL: func.func @while_swapped_positions(
// CHECK-SAME: %[[P:.*]]: memref<4xf64>, %[[Q:.*]]: memref<3xf64>
// CHECK-NOT: memref.alloc
// CHECK: scf.while (%[[A:.*]] = %[[P]], %[[B:.*]] = %[[Q]], %{{.*}} = %{{.*}}) : (memref<4xf64>, memref<3xf64>, index) -> (memref<3xf64>, memref<4xf64>, index)
// CHECK: scf.condition(%{{.*}}) %[[B]], %[[A]], %{{.*}} : memref<3xf64>, memref<4xf64>, index
// CHECK: ^bb0(%[[Y:.*]]: memref<3xf64>, %[[X:.*]]: memref<4xf64>, %{{.*}}: index):
// CHECK-NOT: memref.copy
// CHECK: scf.yield %[[X]], %[[Y]], %{{.*}} : memref<4xf64>, memref<3xf64>, index
// ANALYSIS-LABEL: func.func @while_swapped_positions(
// ANALYSIS: return {__equivalent_func_args__ = [1, 0]
func.func @while_swapped_positions(%p: tensor<4xf64>, %q: tensor<3xf64>, %n: index) -> (tensor<3xf64>, tensor<4xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:3 = scf.while (%a = %p, %b = %q, %i = %c0) : (tensor<4xf64>, tensor<3xf64>, index) -> (tensor<3xf64>, tensor<4xf64>, index) {
    %cond = arith.cmpi slt, %i, %n : index
    scf.condition(%cond) %b, %a, %i : tensor<3xf64>, tensor<4xf64>, index
  } do {
  ^bb0(%y: tensor<3xf64>, %x: tensor<4xf64>, %j: index):
    %v = tensor.extract %x[%c0] : tensor<4xf64>
    %w = tensor.extract %y[%c0] : tensor<3xf64>
    %s = arith.addf %v, %w : f64
    %x2 = tensor.insert %s into %x[%c0] : tensor<4xf64>
    %y2 = tensor.insert %v into %y[%c0] : tensor<3xf64>
    %j1 = arith.addi %j, %c1 : index
    scf.yield %x2, %y2, %j1 : tensor<4xf64>, tensor<3xf64>, index
  }
  return %r#0, %r#1 : tensor<3xf64>, tensor<4xf64>
}

// The carried tensor forwarded twice: the first is its buffer, the second a copy
// (the after region writes the first while it still reads the second).
// CHECK-LABEL: func.func @while_forwarded_twice(
// CHECK: scf.while (%[[A:.*]] = %{{.*}}, %{{.*}} = %{{.*}}) : (memref<4xf64>, index) -> (memref<4xf64>, memref<4xf64>, index) {
// CHECK: %[[H:.*]] = memref.alloc() {{.*}} : memref<4xf64>
// CHECK-NEXT: memref.copy %[[A]], %[[H]]
// CHECK-NEXT: scf.condition(%{{.*}}) %[[A]], %[[H]], %{{.*}}
// CHECK: ^bb0(%[[X:.*]]: memref<4xf64>, %[[Y:.*]]: memref<4xf64>, %{{.*}}: index):
// CHECK: memref.dealloc %[[Y]]
// CHECK: scf.yield %[[X]]
func.func @while_forwarded_twice(%t: tensor<4xf64>, %n: index) -> (tensor<4xf64>, tensor<4xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:3 = scf.while (%a = %t, %i = %c0) : (tensor<4xf64>, index) -> (tensor<4xf64>, tensor<4xf64>, index) {
    %cond = arith.cmpi slt, %i, %n : index
    scf.condition(%cond) %a, %a, %i : tensor<4xf64>, tensor<4xf64>, index
  } do {
  ^bb0(%x: tensor<4xf64>, %y: tensor<4xf64>, %j: index):
    %v = tensor.extract %y[%c1] : tensor<4xf64>
    %x2 = tensor.insert %v into %x[%c0] : tensor<4xf64>
    %w = tensor.extract %y[%c0] : tensor<4xf64>
    %s = arith.addf %v, %w : f64
    %x3 = tensor.insert %s into %x2[%c1] : tensor<4xf64>
    %j1 = arith.addi %j, %c1 : index
    scf.yield %x3, %j1 : tensor<4xf64>, index
  }
  return %r#0, %r#1 : tensor<4xf64>, tensor<4xf64>
}

// Tensors only before the condition (after: one f64), and only after it (before: one
// index; the tensor the condition makes is handed on).
// CHECK-LABEL: func.func @w2(
// CHECK: scf.while ({{.*}}) : (memref<4xf64>, i32) -> f64
// CHECK-LABEL: func.func @w3(
// CHECK: scf.while ({{.*}}) : (index) -> memref<2xf64>
func.func @w2(%t: tensor<4xf64>, %n: i32) -> f64 {
  %c0 = arith.constant 0 : index
  %z = arith.constant 0 : i32
  %one = arith.constant 1 : i32
  %r = scf.while (%a = %t, %k = %z) : (tensor<4xf64>, i32) -> f64 {
    %x = tensor.extract %a[%c0] : tensor<4xf64>
    %cond = arith.cmpi slt, %k, %n : i32
    scf.condition(%cond) %x : f64
  } do {
  ^bb0(%y: f64):
    %y2 = arith.addf %y, %y : f64
    %e = tensor.splat %y2 : tensor<4xf64>
    %k1 = arith.fptosi %y2 : f64 to i32
    scf.yield %e, %k1 : tensor<4xf64>, i32
  }
  return %r : f64
}
func.func @w3(%n: index) -> tensor<2xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.while (%i = %c0) : (index) -> tensor<2xf64> {
    %k = arith.index_cast %i : index to i64
    %x = arith.sitofp %k : i64 to f64
    %e = tensor.splat %x : tensor<2xf64>
    %cond = arith.cmpi slt, %i, %n : index
    scf.condition(%cond) %e : tensor<2xf64>
  } do {
  ^bb0(%y: tensor<2xf64>):
    %v = tensor.extract %y[%c0] : tensor<2xf64>
    %k = arith.fptosi %v : f64 to i64
    %j = arith.index_cast %k : i64 to index
    %j1 = arith.addi %j, %c1 : index
    scf.yield %j1 : index
  }
  return %r : tensor<2xf64>
}
