// RUN: irc opt %s --canonicalize | filecheck %s
// RUN: irc opt %s --canonicalize | irc opt | filecheck %s
// memref folders and patterns where MLIR has the obvious ones: dim and rank of
// static types, dim of a fresh allocation, casts back to the source, a subview of
// the whole source, and a subview of a subview composed into one.

// CHECK-LABEL: func.func @dims(
func.func @dims(%n: index) -> (index, index, index, index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // CHECK-DAG: %[[FOUR:.*]] = arith.constant 4 : index
  // CHECK-DAG: %[[TWO:.*]] = arith.constant 2 : index
  %m = memref.alloc(%n) : memref<4x?xf64>
  %d0 = memref.dim %m, %c0 : memref<4x?xf64>
  %d1 = memref.dim %m, %c1 : memref<4x?xf64>
  %r = memref.rank %m : memref<4x?xf64>
  %c = memref.cast %m : memref<4x?xf64> to memref<?x?xf64>
  %back = memref.cast %c : memref<?x?xf64> to memref<4x?xf64>
  %d2 = memref.dim %back, %c0 : memref<4x?xf64>
  memref.dealloc %back : memref<4x?xf64>
  // CHECK: return %[[FOUR]], %{{.*}}, %[[TWO]], %[[FOUR]] : index, index, index, index
  return %d0, %d1, %r, %d2 : index, index, index, index
}

// CHECK-LABEL: func.func @whole_subview(
func.func @whole_subview(%m: memref<8x16xf64>) -> memref<8x16xf64> {
  // CHECK-NOT: memref.subview
  // CHECK: return %{{.*}} : memref<8x16xf64>
  %s = memref.subview %m[0, 0] [8, 16] [1, 1] : memref<8x16xf64> to memref<8x16xf64>
  return %s : memref<8x16xf64>
}

// CHECK-LABEL: func.func @subview_of_subview(
func.func @subview_of_subview(%t: memref<16x16xf64>, %i: index, %n: index) -> (memref<2x?xf64, strided<[32, 2], offset: ?>>, memref<3xf64, strided<[2], offset: 52>>) {
  // CHECK-DAG: %[[FOUR:.*]] = arith.constant 4 : index
  // CHECK-DAG: %[[COL:.*]] = arith.addi %{{.*}}, %[[FOUR]] : index
  // CHECK: memref.subview %{{.*}}[3, %[[COL]]] [2, %{{.*}}] [2, 2] : memref<16x16xf64> to memref<2x?xf64, strided<[32, 2], offset: ?>>
  %a = memref.subview %t[2, %i] [8, 8] [1, 2] : memref<16x16xf64> to memref<8x8xf64, strided<[16, 2], offset: ?>>
  %b = memref.subview %a[1, 2] [2, %n] [2, 1] : memref<8x8xf64, strided<[16, 2], offset: ?>> to memref<2x?xf64, strided<[32, 2], offset: ?>>
  // a rank-reducing inner subview: the dropped row keeps its offset
  // CHECK: memref.subview %{{.*}}[3, 4] [1, 3] [1, 2] : memref<16x16xf64> to memref<3xf64, strided<[2], offset: 52>>
  %c = memref.subview %t[3, 0] [1, 16] [1, 1] : memref<16x16xf64> to memref<16xf64, strided<[1], offset: 48>>
  %d = memref.subview %c[4] [3] [2] : memref<16xf64, strided<[1], offset: 48>> to memref<3xf64, strided<[2], offset: 52>>
  // CHECK-NOT: memref.subview
  return %b, %d : memref<2x?xf64, strided<[32, 2], offset: ?>>, memref<3xf64, strided<[2], offset: 52>>
}
