// RUN: irc opt %s --one-shot-bufferize="bufferize-function-boundaries" | filecheck %s
// RUN: irc opt %s --one-shot-bufferize="bufferize-function-boundaries test-analysis-only" | filecheck %s --check-prefix=ANALYSIS
// RUN: irc opt %s --one-shot-bufferize="bufferize-function-boundaries" | irc run - --entry forall_fresh_rows --arg 3 --check-leaks | filecheck %s --check-prefix=EXEC
// scf.forall (shared_outs, tensor.parallel_insert_slice) and scf.parallel (tensor
// reductions) on tensors: where --one-shot-bufferize copies and where it works in
// place.  test_parallel.py runs every function before and after and compares the
// scf.forall decisions with mlir-opt's.

// Each iteration adds into its own slice of the shared output: all in the
// argument's buffer; the slice written in place is the one inserted (no copy).
// CHECK-LABEL: func.func @forall_in_place(
// CHECK-SAME: %[[T:.*]]: memref<8xf64>, %[[X:.*]]: memref<8xf64>) -> memref<8xf64>
// CHECK-NOT: memref.alloc
// CHECK: scf.forall (%[[I:.*]]) in (4) {
// CHECK: %[[D:.*]] = memref.subview %[[T]][%{{.*}}] [2] [1]
// CHECK: linalg.add ins(%{{.*}}, %[[D]] : {{.*}}) outs(%[[D]] :
// CHECK-NOT: memref.copy
// CHECK: }
// CHECK-NEXT: return %[[T]] : memref<8xf64>
// ANALYSIS-LABEL: func.func @forall_in_place(
// ANALYSIS: tensor.parallel_insert_slice {{.*}} {__inplace_operands_attr__ = ["true", "true", "none"]}
// ANALYSIS: } {__inplace_operands_attr__ = ["true"]}
// ANALYSIS: return {__equivalent_func_args__ = [0], __inplace_operands_attr__ = ["true"]}
func.func @forall_in_place(%t: tensor<8xf64>, %x: tensor<8xf64>) -> tensor<8xf64> {
  %r = scf.forall (%i) in (4) shared_outs(%o = %t) -> (tensor<8xf64>) {
    %c2 = arith.constant 2 : index
    %off = arith.muli %i, %c2 : index
    %s = tensor.extract_slice %x[%off] [2] [1] : tensor<8xf64> to tensor<2xf64>
    %d = tensor.extract_slice %o[%off] [2] [1] : tensor<8xf64> to tensor<2xf64>
    %v = linalg.add ins(%s, %d : tensor<2xf64>, tensor<2xf64>) outs(%d : tensor<2xf64>) -> tensor<2xf64>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %v into %o[%off] [2] [1] : tensor<2xf64> into tensor<8xf64>
    }
  }
  return %r : tensor<8xf64>
}

// The shared output's old value is returned too: the loop works in a copy, and
// each slice of %x is copied into its place.
// CHECK-LABEL: func.func @forall_output_still_read(
// CHECK-SAME: %[[T:.*]]: memref<8xf64>, %[[X:.*]]: memref<8xf64>)
// CHECK: %[[B:.*]] = memref.alloc() {{.*}} : memref<8xf64>
// CHECK-NEXT: memref.copy %[[T]], %[[B]]
// CHECK: scf.forall
// CHECK: %[[S:.*]] = memref.subview %[[X]]
// CHECK: %[[D:.*]] = memref.subview %[[B]]
// CHECK-NEXT: memref.copy %[[S]], %[[D]]
// CHECK: return %[[B]], %[[T]]
// ANALYSIS-LABEL: func.func @forall_output_still_read(
// ANALYSIS: } {__inplace_operands_attr__ = ["false"]}
func.func @forall_output_still_read(%t: tensor<8xf64>, %x: tensor<8xf64>) -> (tensor<8xf64>, tensor<8xf64>) {
  %r = scf.forall (%i) in (4) shared_outs(%o = %t) -> (tensor<8xf64>) {
    %c2 = arith.constant 2 : index
    %off = arith.muli %i, %c2 : index
    %s = tensor.extract_slice %x[%off] [2] [1] : tensor<8xf64> to tensor<2xf64>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %s into %o[%off] [2] [1] : tensor<2xf64> into tensor<8xf64>
    }
  }
  return %r, %t : tensor<8xf64>, tensor<8xf64>
}

// Rows made fresh in each iteration of a 2-d loop with a dynamic bound, inserted
// rank-reduced: the row's buffer is freed right after it is copied into place,
// before the (empty) in_parallel.
// CHECK-LABEL: func.func @forall_fresh_rows(
// CHECK: %[[OUT:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?x4xf64>
// CHECK: scf.forall (%[[I:.*]], %[[J:.*]]) in (%{{.*}}, 1) {
// CHECK: %[[ROW:.*]] = memref.alloc() {{.*}} : memref<4xf64>
// CHECK: %[[V:.*]] = memref.subview %[[OUT]][%[[I]], 0] [1, 4] [1, 1] : memref<?x4xf64> to memref<4xf64, strided<[1], offset: ?>>
// CHECK-NEXT: memref.copy %[[ROW]], %[[V]]
// CHECK-NEXT: memref.dealloc %[[ROW]]
// CHECK-NEXT: }
// CHECK-NEXT: return %[[OUT]] : memref<?x4xf64>
// EXEC: {{^\[\[0.0, 0.0, 0.0, 0.0\], \[1.0, 1.0, 1.0, 1.0\], \[2.0, 2.0, 2.0, 2.0\]\]$}}
func.func @forall_fresh_rows(%n: index) -> tensor<?x4xf64> {
  %e = tensor.empty(%n) : tensor<?x4xf64>
  %r = scf.forall (%i, %j) in (%n, 1) shared_outs(%o = %e) -> (tensor<?x4xf64>) {
    %k = arith.index_cast %i : index to i64
    %x = arith.sitofp %k : i64 to f64
    %row0 = tensor.empty() : tensor<4xf64>
    %row = linalg.fill ins(%x : f64) outs(%row0 : tensor<4xf64>) -> tensor<4xf64>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %row into %o[%i, 0] [1, 4] [1, 1] : tensor<4xf64> into tensor<?x4xf64>
    }
  }
  return %r : tensor<?x4xf64>
}

// Iterations writing into a tensor made outside the loop would race on one buffer:
// each iteration writes into a copy.
// CHECK-LABEL: func.func @forall_writes_outer_tensor(
// CHECK: scf.forall
// CHECK: memref.alloc
// CHECK: memref.copy
// CHECK: memref.store
// ANALYSIS-LABEL: func.func @forall_writes_outer_tensor(
// ANALYSIS: tensor.insert {{.*}} {__inplace_operands_attr__ = ["none", "false", "none"]}
func.func @forall_writes_outer_tensor(%t: tensor<4xf64>, %scratch: tensor<2xf64>) -> tensor<4xf64> {
  %r = scf.forall (%i) in (4) shared_outs(%o = %t) -> (tensor<4xf64>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %k = arith.index_cast %i : index to i64
    %x = arith.sitofp %k : i64 to f64
    %w = tensor.insert %x into %scratch[%c0] : tensor<2xf64>
    %a = tensor.extract %w[%c0] : tensor<2xf64>
    %b = tensor.extract %w[%c1] : tensor<2xf64>
    %y = arith.addf %a, %b : f64
    %one = tensor.from_elements %y : tensor<1xf64>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %one into %o[%i] [1] [1] : tensor<1xf64> into tensor<4xf64>
    }
  }
  return %r : tensor<4xf64>
}

// scf.parallel summing one fresh tensor per iteration into its init: the combiner
// works in the init's buffer and frees the buffer the iteration handed on.
// CHECK-LABEL: func.func @parallel_sum(
// CHECK-SAME: %[[T:.*]]: memref<4xf64>, %{{.*}}: index) -> memref<4xf64>
// CHECK: %[[R:.*]] = scf.parallel (%{{.*}}) = {{.*}} init (%[[T]]) -> memref<4xf64> {
// CHECK: %[[E:.*]] = memref.alloc() {{.*}} : memref<4xf64>
// CHECK: scf.reduce(%[[E]] : memref<4xf64>) {
// CHECK-NEXT: ^bb0(%[[A:.*]]: memref<4xf64>, %[[B:.*]]: memref<4xf64>):
// CHECK-NEXT: linalg.add ins(%[[A]], %[[B]] : memref<4xf64>, memref<4xf64>) outs(%[[A]] : memref<4xf64>)
// CHECK-NEXT: memref.dealloc %[[B]] : memref<4xf64>
// CHECK-NEXT: scf.reduce.return %[[A]] : memref<4xf64>
// CHECK: return %[[R]] : memref<4xf64>
func.func @parallel_sum(%t: tensor<4xf64>, %n: index) -> tensor<4xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.parallel (%i) = (%c0) to (%n) step (%c1) init (%t) -> tensor<4xf64> {
    %k = arith.index_cast %i : index to i64
    %x = arith.sitofp %k : i64 to f64
    %e0 = tensor.empty() : tensor<4xf64>
    %e = linalg.fill ins(%x : f64) outs(%e0 : tensor<4xf64>) -> tensor<4xf64>
    scf.reduce(%e : tensor<4xf64>) {
    ^bb0(%a: tensor<4xf64>, %b: tensor<4xf64>):
      %s = linalg.add ins(%a, %b : tensor<4xf64>, tensor<4xf64>) outs(%a : tensor<4xf64>) -> tensor<4xf64>
      scf.reduce.return %s : tensor<4xf64>
    }
  }
  return %r : tensor<4xf64>
}

// Rows of an argument reduced by elementwise max into a copy of the init (the init
// is returned as well).  A row is a strided view: a whole copy of it is handed on
// (and freed by the combiner); the combined value, in a new buffer, is copied into
// the accumulator.
// CHECK-LABEL: func.func @parallel_max_rows(
// CHECK-SAME: %[[M:.*]]: memref<5x3xf64>, %[[T:.*]]: memref<3xf64>)
// CHECK: %[[C:.*]] = memref.alloc() {{.*}} : memref<3xf64>
// CHECK-NEXT: memref.copy %[[T]], %[[C]]
// CHECK: %[[R:.*]] = scf.parallel {{.*}} init (%[[C]]) -> memref<3xf64> {
// CHECK: %[[ROW:.*]] = memref.subview %[[M]]
// CHECK: %[[H:.*]] = memref.alloc() {{.*}} : memref<3xf64>
// CHECK-NEXT: memref.copy %[[ROW]], %[[H]]
// CHECK-NEXT: scf.reduce(%[[H]] : memref<3xf64>) {
// CHECK-NEXT: ^bb0(%[[A:.*]]: memref<3xf64>, %[[B:.*]]: memref<3xf64>):
// CHECK: arith.maximumf
// CHECK: memref.copy %[[N:.*]], %[[A]] : memref<3xf64> to memref<3xf64>
// CHECK-NEXT: memref.dealloc %[[N]]
// CHECK-NEXT: memref.dealloc %[[B]]
// CHECK-NEXT: scf.reduce.return %[[A]]
// CHECK: return %[[R]], %[[T]]
func.func @parallel_max_rows(%m: tensor<5x3xf64>, %t: tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %r = scf.parallel (%i) = (%c0) to (%c5) step (%c1) init (%t) -> tensor<3xf64> {
    %row = tensor.extract_slice %m[%i, 0] [1, 3] [1, 1] : tensor<5x3xf64> to tensor<3xf64>
    scf.reduce(%row : tensor<3xf64>) {
    ^bb0(%a: tensor<3xf64>, %b: tensor<3xf64>):
      %s = arith.maximumf %a, %b : tensor<3xf64>
      scf.reduce.return %s : tensor<3xf64>
    }
  }
  return %r, %t : tensor<3xf64>, tensor<3xf64>
}

// The reduced value is a slice of a tensor the iteration made: a whole copy is
// handed on (and freed by the combiner), the iteration frees its own buffer.
// CHECK-LABEL: func.func @parallel_slice_of_local(
// CHECK: scf.parallel
// CHECK: %[[W:.*]] = memref.alloc() {{.*}} : memref<4xf64>
// CHECK: %[[S:.*]] = memref.subview %[[W]]
// CHECK: %[[H:.*]] = memref.alloc() {{.*}} : memref<2xf64>
// CHECK-NEXT: memref.copy %[[S]], %[[H]]
// CHECK-NEXT: memref.dealloc %[[W]]
// CHECK-NEXT: scf.reduce(%[[H]] : memref<2xf64>) {
// CHECK-NEXT: ^bb0(%[[A:.*]]: memref<2xf64>, %[[B:.*]]: memref<2xf64>):
// CHECK: memref.dealloc %[[B]] : memref<2xf64>
// CHECK-NEXT: scf.reduce.return %[[A]]
func.func @parallel_slice_of_local(%t: tensor<2xf64>, %n: index) -> tensor<2xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.parallel (%i) = (%c0) to (%n) step (%c1) init (%t) -> tensor<2xf64> {
    %k = arith.index_cast %i : index to i64
    %x = arith.sitofp %k : i64 to f64
    %w = tensor.splat %x : tensor<4xf64>
    %s = tensor.extract_slice %w[1] [2] [1] : tensor<4xf64> to tensor<2xf64>
    scf.reduce(%s : tensor<2xf64>) {
    ^bb0(%a: tensor<2xf64>, %b: tensor<2xf64>):
      %p = arith.addf %a, %b : tensor<2xf64>
      scf.reduce.return %p : tensor<2xf64>
    }
  }
  return %r : tensor<2xf64>
}

// The reduced value is an argument's buffer: only read, never freed.
// CHECK-LABEL: func.func @parallel_argument_times_n(
// CHECK-SAME: %[[X:.*]]: memref<2xf64>
// CHECK: scf.reduce(%[[X]] : memref<2xf64>) {
// CHECK-NEXT: ^bb0(%[[A:.*]]: memref<2xf64>, %[[B:.*]]: memref<2xf64>):
// CHECK-NEXT: linalg.add
// CHECK-NEXT: scf.reduce.return %[[A]]
func.func @parallel_argument_times_n(%x: tensor<2xf64>, %n: index) -> tensor<2xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<2xf64>
  %init = linalg.fill ins(%z : f64) outs(%e : tensor<2xf64>) -> tensor<2xf64>
  %r = scf.parallel (%i) = (%c0) to (%n) step (%c1) init (%init) -> tensor<2xf64> {
    scf.reduce(%x : tensor<2xf64>) {
    ^bb0(%a: tensor<2xf64>, %b: tensor<2xf64>):
      %s = linalg.add ins(%a, %b : tensor<2xf64>, tensor<2xf64>) outs(%a : tensor<2xf64>) -> tensor<2xf64>
      scf.reduce.return %s : tensor<2xf64>
    }
  }
  return %r : tensor<2xf64>
}

// A scalar and a tensor reduced together: each reduction region bufferizes on its own.
// CHECK-LABEL: func.func @mixed(
// CHECK: scf.reduce(%{{.*}}, %{{.*}} : f64, memref<3xf64>) {
func.func @mixed(%t: tensor<3xf64>, %n: index) -> (f64, tensor<3xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f64
  %r:2 = scf.parallel (%i) = (%c0) to (%n) step (%c1) init (%z, %t) -> (f64, tensor<3xf64>) {
    %k = arith.index_cast %i : index to i64
    %x = arith.sitofp %k : i64 to f64
    %e = tensor.splat %x : tensor<3xf64>
    scf.reduce(%x, %e : f64, tensor<3xf64>) {
    ^bb0(%a: f64, %b: f64):
      %s = arith.addf %a, %b : f64
      scf.reduce.return %s : f64
    }, {
    ^bb0(%a: tensor<3xf64>, %b: tensor<3xf64>):
      %s = arith.maximumf %a, %b : tensor<3xf64>
      scf.reduce.return %s : tensor<3xf64>
    }
  }
  return %r#0, %r#1 : f64, tensor<3xf64>
}

// A forall with two shared outputs inside an scf.for carrying them: all in the arguments' buffers.
// CHECK-LABEL: func.func @nest(
// CHECK-NOT: memref.alloc() {{.*}} : memref<6xf64>
// CHECK: scf.forall
func.func @nest(%t: tensor<6xf64>, %u: tensor<3xf64>, %n: index) -> (tensor<6xf64>, tensor<3xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.for %k = %c0 to %n step %c1 iter_args(%a = %t, %b = %u) -> (tensor<6xf64>, tensor<3xf64>) {
    %f:2 = scf.forall (%i) in (3) shared_outs(%o = %a, %p = %b) -> (tensor<6xf64>, tensor<3xf64>) {
      %c2 = arith.constant 2 : index
      %off = arith.muli %i, %c2 : index
      %s = tensor.extract_slice %o[%off] [2] [1] : tensor<6xf64> to tensor<2xf64>
      %v = linalg.add ins(%s, %s : tensor<2xf64>, tensor<2xf64>) outs(%s : tensor<2xf64>) -> tensor<2xf64>
      %x = tensor.extract %v[%c0] : tensor<2xf64>
      %one = tensor.from_elements %x : tensor<1xf64>
      scf.forall.in_parallel {
        tensor.parallel_insert_slice %v into %o[%off] [2] [1] : tensor<2xf64> into tensor<6xf64>
        tensor.parallel_insert_slice %one into %p[%i] [1] [1] : tensor<1xf64> into tensor<3xf64>
      }
    }
    scf.yield %f#0, %f#1 : tensor<6xf64>, tensor<3xf64>
  }
  return %r#0, %r#1 : tensor<6xf64>, tensor<3xf64>
}
