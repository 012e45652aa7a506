// RUN: irc opt %s --one-shot-bufferize="bufferize-function-boundaries" | filecheck %s
// RUN: irc opt %s --one-shot-bufferize="bufferize-function-boundaries test-analysis-only" | filecheck %s --check-prefix=ANALYSIS
// RUN: irc opt %s --one-shot-bufferize="bufferize-function-boundaries" | irc run - --entry rows --arg 3 --check-leaks | filecheck %s --check-prefix=EXEC
// Where --one-shot-bufferize copies and where it works in place.

// An iter_arg updated in place: the loop carries the argument's own buffer.
// CHECK-LABEL: func.func @in_place_loop(
// CHECK-SAME: %[[T:.*]]: memref<8xf64>, %{{.*}}: index) -> memref<8xf64>
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.copy
// CHECK: scf.for {{.*}} iter_args(%[[A:.*]] = %[[T]]) -> (memref<8xf64>)
// CHECK: memref.load %[[A]]
// CHECK: memref.store %{{.*}}, %[[A]]
// CHECK: scf.yield %[[A]] : memref<8xf64>
// CHECK: return %{{.*}} : memref<8xf64>
// ANALYSIS-LABEL: func.func @in_place_loop(
// ANALYSIS: tensor.insert {{.*}} {__inplace_operands_attr__ = ["none", "true", "none"]}
// ANALYSIS: } {__inplace_operands_attr__ = ["none", "none", "none", "true"]}
// ANALYSIS: return {__equivalent_func_args__ = [0], __inplace_operands_attr__ = ["true"]}
func.func @in_place_loop(%t: tensor<8xf64>, %n: index) -> tensor<8xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> tensor<8xf64> {
    %x = tensor.extract %a[%i] : tensor<8xf64>
    %y = arith.addf %x, %x : f64
    %b = tensor.insert %y into %a[%i] : tensor<8xf64>
    scf.yield %b : tensor<8xf64>
  }
  return %r : tensor<8xf64>
}

// A read of %t after the insert: the insert writes a copy, the read sees the original,
// and the copy is handed to the caller (not freed here).
// CHECK-LABEL: func.func @read_after_write(
// CHECK-SAME: %[[T:.*]]: memref<8xf64>
// CHECK: %[[COPY:.*]] = memref.alloc() {alignment = 64} : memref<8xf64>
// CHECK-NEXT: memref.copy %[[T]], %[[COPY]] : memref<8xf64> to memref<8xf64>
// CHECK-NEXT: memref.store %{{.*}}, %[[COPY]][%{{.*}}]
// CHECK-NEXT: %[[X:.*]] = memref.load %[[T]][%{{.*}}]
// CHECK-NOT: memref.dealloc
// CHECK: return %[[X]], %[[COPY]] : f64, memref<8xf64>
// ANALYSIS-LABEL: func.func @read_after_write(
// ANALYSIS: tensor.insert {{.*}} {__inplace_operands_attr__ = ["none", "false", "none"]}
func.func @read_after_write(%t: tensor<8xf64>, %i: index, %v: f64) -> (f64, tensor<8xf64>) {
  %b = tensor.insert %v into %t[%i] : tensor<8xf64>
  %x = tensor.extract %t[%i] : tensor<8xf64>
  return %x, %b : f64, tensor<8xf64>
}

// The callee writes its argument and the caller still reads it: the call gets a copy,
// freed after its last use (the load of the call's result, which is the same buffer).
// CHECK-LABEL: func.func @caller(
// CHECK-SAME: %[[T:.*]]: memref<8xf64>
// CHECK: %[[COPY:.*]] = memref.alloc() {alignment = 64} : memref<8xf64>
// CHECK-NEXT: memref.copy %[[T]], %[[COPY]]
// CHECK-NEXT: %[[R:.*]] = func.call @in_place_loop(%[[COPY]], %{{.*}}) : (memref<8xf64>, index) -> memref<8xf64>
// CHECK-NEXT: memref.load %[[R]]
// CHECK-NEXT: memref.dealloc %[[COPY]] : memref<8xf64>
// CHECK-NEXT: memref.load %[[T]]
// ANALYSIS-LABEL: func.func @caller(
// ANALYSIS: call @in_place_loop({{.*}}) {__inplace_operands_attr__ = ["false", "none"]}
func.func @caller(%t: tensor<8xf64>, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %r = call @in_place_loop(%t, %n) : (tensor<8xf64>, index) -> tensor<8xf64>
  %x = tensor.extract %r[%c0] : tensor<8xf64>
  %y = tensor.extract %t[%c0] : tensor<8xf64>
  %z = arith.addf %x, %y : f64
  return %z : f64
}

// A row extracted, written and inserted back at the same place in a loop: the write goes
// straight into a subview of the matrix, and the insert_slice needs no copy.
// CHECK-LABEL: func.func @rows_in_place(
// CHECK-SAME: %[[M:.*]]: memref<4x4xf64>
// CHECK-NOT: memref.alloc
// CHECK: %[[ROW:.*]] = memref.subview %{{.*}}[%{{.*}}, 0] [1, 4] [1, 1] : memref<4x4xf64> to memref<4xf64, strided<[1], offset: ?>>
// CHECK: memref.store %{{.*}}, %[[ROW]][%{{.*}}] : memref<4xf64, strided<[1], offset: ?>>
// CHECK-NOT: memref.copy
// CHECK: scf.yield
// ANALYSIS-LABEL: func.func @rows_in_place(
// ANALYSIS: tensor.insert_slice {{.*}} {__inplace_operands_attr__ = ["true", "true", "none"]}
func.func @rows_in_place(%t: tensor<4x4xf64>, %n: index) -> tensor<4x4xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> tensor<4x4xf64> {
    %s = tensor.extract_slice %a[%i, 0] [1, 4] [1, 1] : tensor<4x4xf64> to tensor<4xf64>
    %x = tensor.extract %s[%c1] : tensor<4xf64>
    %y = arith.mulf %x, %x : f64
    %s2 = tensor.insert %y into %s[%c0] : tensor<4xf64>
    %b = tensor.insert_slice %s2 into %a[%i, 0] [1, 4] [1, 1] : tensor<4xf64> into tensor<4x4xf64>
    scf.yield %b : tensor<4x4xf64>
  }
  return %r : tensor<4x4xf64>
}

// A new matrix built by the loop above: run with --check-leaks, every buffer freed.
// CHECK-LABEL: func.func @rows(
// CHECK: memref.alloc() {alignment = 64} : memref<4x4xf64>
// CHECK: func.call @rows_in_place
// CHECK: memref.dealloc
// EXEC: {{^}}9.0{{$}}
func.func @rows(%n: index) -> f64 {
  %c1 = arith.constant 1 : index
  %three = arith.constant 3.0 : f64
  %m = tensor.splat %three : tensor<4x4xf64>
  %r = call @rows_in_place(%m, %n) : (tensor<4x4xf64>, index) -> tensor<4x4xf64>
  %c0 = arith.constant 0 : index
  %x = tensor.extract %r[%c1, %c0] : tensor<4x4xf64>
  %y = tensor.extract %r[%c1, %c1] : tensor<4x4xf64>
  %z = arith.mulf %x, %y : f64
  %w = arith.divf %z, %three : f64
  return %w : f64
}

// A loop over a slice of a matrix carries the subview: no copy in or out.
// CHECK-LABEL: func.func @slice_loop(
// CHECK-SAME: %[[M:.*]]: memref<6x4xf64>
// CHECK: %[[ROW:.*]] = memref.subview %[[M]][2, 0] [1, 4] [1, 1] : memref<6x4xf64> to memref<4xf64, strided<[1], offset: 8>>
// CHECK: scf.for {{.*}} iter_args(%[[A:.*]] = %[[ROW]]) -> (memref<4xf64, strided<[1], offset: 8>>)
// CHECK: memref.store %{{.*}}, %[[A]]
// CHECK-NEXT: scf.yield %[[A]]
// CHECK-NOT: memref.copy
// CHECK: return %[[M]] : memref<6x4xf64>
func.func @slice_loop(%A: tensor<6x4xf64>, %n: index) -> tensor<6x4xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %s = tensor.extract_slice %A[2, 0] [1, 4] [1, 1] : tensor<6x4xf64> to tensor<4xf64>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %s) -> tensor<4xf64> {
    %x = tensor.extract %a[%i] : tensor<4xf64>
    %y = arith.mulf %x, %x : f64
    %b = tensor.insert %y into %a[%i] : tensor<4xf64>
    scf.yield %b : tensor<4xf64>
  }
  %B = tensor.insert_slice %r into %A[2, 0] [1, 4] [1, 1] : tensor<4xf64> into tensor<6x4xf64>
  return %B : tensor<6x4xf64>
}

// linalg in destination style: the init's buffer is written in place and is the result;
// an element-wise op over its own input works in place; a transposed read does not.
// CHECK-LABEL: func.func @linalg_destinations(
// CHECK-SAME: %[[A:.*]]: memref<3x3xf64>
// CHECK: %[[E:.*]] = memref.alloc() {alignment = 64} : memref<3x3xf64>
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[A]] : memref<3x3xf64>) outs(%[[E]] : memref<3x3xf64>)
// CHECK: linalg.generic {{.*}} ins(%[[E]] : memref<3x3xf64>) outs(%[[E]] : memref<3x3xf64>)
// CHECK: %[[COPY:.*]] = memref.alloc() {alignment = 64} : memref<3x3xf64>
// CHECK-NEXT: memref.copy %[[E]], %[[COPY]]
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[E]] : memref<3x3xf64>) outs(%[[COPY]] : memref<3x3xf64>)
// CHECK: memref.dealloc %[[E]]
// CHECK: return %[[COPY]]
// ANALYSIS-LABEL: func.func @linalg_destinations(
// ANALYSIS: linalg.generic {{.*}}__inplace_operands_attr__ = ["true", "true"]
// ANALYSIS: linalg.generic {{.*}}__inplace_operands_attr__ = ["true", "true"]
// ANALYSIS: linalg.generic {{.*}}__inplace_operands_attr__ = ["true", "false"]
#id = affine_map<(d0, d1) -> (d0, d1)>
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @linalg_destinations(%a: tensor<3x3xf64>) -> tensor<3x3xf64> {
  %e = tensor.empty() : tensor<3x3xf64>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<3x3xf64>) outs(%e : tensor<3x3xf64>) {
  ^bb0(%x: f64, %o: f64):
    %y = math.sin %x : f64
    linalg.yield %y : f64
  } -> tensor<3x3xf64>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<3x3xf64>) outs(%s : tensor<3x3xf64>) {
  ^bb0(%x: f64, %o: f64):
    %y = math.tanh %x : f64
    linalg.yield %y : f64
  } -> tensor<3x3xf64>
  %u = linalg.generic {indexing_maps = [#tr, #id], iterator_types = ["parallel", "parallel"]} ins(%t : tensor<3x3xf64>) outs(%t : tensor<3x3xf64>) {
  ^bb0(%x: f64, %o: f64):
    %y = arith.addf %x, %o : f64
    linalg.yield %y : f64
  } -> tensor<3x3xf64>
  return %u : tensor<3x3xf64>
}
