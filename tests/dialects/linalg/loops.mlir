// convert-linalg-to-loops and convert-linalg-to-parallel-loops: structured ops on
// buffers become loop nests of memref.load/store with the body inlined.
// RUN: irc opt %s --convert-linalg-to-loops | filecheck %s
// RUN: irc opt %s --convert-linalg-to-parallel-loops | filecheck %s --check-prefix=PAR

// CHECK-LABEL: func.func @matmul(%a: memref<?x8xf64>, %b: memref<8x16xf64>, %c: memref<?x16xf64>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C8:.*]] = arith.constant 8 : index
// CHECK:         %[[M:.*]] = memref.dim %a, %[[C0]] : memref<?x8xf64>
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[M]] step %[[C1]] {
// CHECK-NEXT:      scf.for %[[J:.*]] = %[[C0]] to %[[C16]] step %[[C1]] {
// CHECK-NEXT:        scf.for %[[K:.*]] = %[[C0]] to %[[C8]] step %[[C1]] {
// CHECK-NEXT:          %[[A:.*]] = memref.load %a[%[[I]], %[[K]]] : memref<?x8xf64>
// CHECK-NEXT:          %[[B:.*]] = memref.load %b[%[[K]], %[[J]]] : memref<8x16xf64>
// CHECK-NEXT:          %[[C:.*]] = memref.load %c[%[[I]], %[[J]]] : memref<?x16xf64>
// CHECK-NEXT:          %[[P:.*]] = arith.mulf %[[A]], %[[B]] : f64
// CHECK-NEXT:          %[[S:.*]] = arith.addf %[[C]], %[[P]] : f64
// CHECK-NEXT:          memref.store %[[S]], %c[%[[I]], %[[J]]] : memref<?x16xf64>
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NEXT:    return

// PAR-LABEL: func.func @matmul
// PAR:         scf.parallel (%[[I:.*]], %[[J:.*]]) = (%{{.*}}, %{{.*}}) to (%{{.*}}, %{{.*}}) step (%{{.*}}, %{{.*}}) {
// PAR-NEXT:      scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// PAR-NEXT:        memref.load %a[%[[I]], %[[K]]]
// PAR:             memref.store %{{.*}}, %c[%[[I]], %[[J]]] : memref<?x16xf64>
// PAR-NEXT:      }
// PAR-NEXT:      scf.reduce
// PAR-NEXT:    }
func.func @matmul(%a: memref<?x8xf64>, %b: memref<8x16xf64>, %c: memref<?x16xf64>) {
  linalg.matmul ins(%a, %b : memref<?x8xf64>, memref<8x16xf64>) outs(%c : memref<?x16xf64>)
  return
}

// A strided window: the map's affine expression becomes index arithmetic, linalg.index
// the induction variable.
// CHECK-LABEL: func.func @window
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:        %[[T:.*]] = arith.muli %[[I]], %{{.*}} : index
// CHECK-NEXT:        %[[X:.*]] = arith.addi %[[T]], %[[K]] : index
// CHECK-NEXT:        memref.load %x[%[[X]]] : memref<9xf32>
// CHECK:             arith.index_cast %[[I]] : index to i64
// PAR-LABEL: func.func @window
// PAR:         scf.parallel (%[[I:.*]]) =
// PAR-NEXT:      scf.for
func.func @window(%x: memref<9xf32>, %w: memref<3xf32>, %y: memref<4xf32>, %pos: memref<4xi64>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0 * 2 + d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x, %w : memref<9xf32>, memref<3xf32>) outs(%y, %pos : memref<4xf32>, memref<4xi64>) {
  ^bb0(%a: f32, %b: f32, %acc: f32, %p: i64):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %m : f32
    %i = linalg.index 0 : index
    %ii = arith.index_cast %i : index to i64
    linalg.yield %s, %ii : f32, i64
  }
  return
}

// Ops on tensors are left for bufferization.
// CHECK-LABEL: func.func @on_tensors
// CHECK:         linalg.exp
func.func @on_tensors(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.exp ins(%x : tensor<4xf32>) outs(%x : tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
