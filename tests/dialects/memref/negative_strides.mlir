// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s | irc opt | filecheck %s
// RUN: irc opt %s --print-op-generic | irc opt | filecheck %s
// RUN: irc run %s --entry reversed --arg 4 | filecheck %s --check-prefix=EXEC
// Strided layouts with negative strides (a reversed view): they parse, verify,
// print back as written (mlir-opt reads them too: tests/test_interop_mlir.py),
// memref.subview and memref.reinterpret_cast compute MLIR's layouts, and the
// interpreter reads and writes through them.

// CHECK-LABEL: func.func @layouts(
// CHECK-SAME: %{{.*}}: memref<4xf32, strided<[-1], offset: 3>>
// CHECK-SAME: %{{.*}}: memref<4x5xf32, strided<[-5, 1], offset: 15>>
// CHECK-SAME: %{{.*}}: memref<?x?xf32, strided<[-1, ?], offset: ?>>
// CHECK-SAME: -> memref<4xf32, strided<[-1], offset: 3>>
// CHECK: memref.subview %{{.*}}[1, 1] [2, 2] [2, 2] : memref<4x5xf32, strided<[-5, 1], offset: 15>> to memref<2x2xf32, strided<[-10, 2], offset: 11>>
// CHECK: memref.subview %{{.*}}[%{{.*}}, 1] [2, 2] [2, 2] : memref<4x5xf32, strided<[-5, 1], offset: 15>> to memref<2x2xf32, strided<[-10, 2], offset: ?>>
// CHECK: memref.subview %{{.*}}[1] [2] [-1] : memref<4xf32, strided<[-1], offset: 3>> to memref<2xf32, strided<[1], offset: 2>>
// CHECK: memref.subview %{{.*}}[3, 0] [1, 5] [1, 1] : memref<4x5xf32, strided<[-5, 1], offset: 15>> to memref<5xf32>
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [7], sizes: [4], strides: [-2] : memref<8xf32> to memref<4xf32, strided<[-2], offset: 7>>
func.func @layouts(%r: memref<4xf32, strided<[-1], offset: 3>>, %m: memref<4x5xf32, strided<[-5, 1], offset: 15>>,
                   %d: memref<?x?xf32, strided<[-1, ?], offset: ?>>, %a: memref<8xf32>, %i: index)
    -> memref<4xf32, strided<[-1], offset: 3>> {
  %s0 = memref.subview %m[1, 1] [2, 2] [2, 2] : memref<4x5xf32, strided<[-5, 1], offset: 15>> to memref<2x2xf32, strided<[-10, 2], offset: 11>>
  %s1 = memref.subview %m[%i, 1] [2, 2] [2, 2] : memref<4x5xf32, strided<[-5, 1], offset: 15>> to memref<2x2xf32, strided<[-10, 2], offset: ?>>
  %s2 = memref.subview %r[1] [2] [-1] : memref<4xf32, strided<[-1], offset: 3>> to memref<2xf32, strided<[1], offset: 2>>
  %s3 = memref.subview %m[3, 0] [1, 5] [1, 1] : memref<4x5xf32, strided<[-5, 1], offset: 15>> to memref<5xf32>
  %c = memref.reinterpret_cast %a to offset: [7], sizes: [4], strides: [-2] : memref<8xf32> to memref<4xf32, strided<[-2], offset: 7>>
  return %r : memref<4xf32, strided<[-1], offset: 3>>
}

// A buffer read and written through its reversal and a slice of that.
// EXEC: 3.0
// EXEC-NEXT: 1.0
// EXEC-NEXT: [0.0, 1.0, 100.0, 3.0]
func.func @reversed(%n: index) -> (f64, f64, memref<4xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %a = memref.alloc() : memref<4xf64>
  scf.for %k = %c0 to %n step %c1 {
    %ki = arith.index_cast %k : index to i64
    %kf = arith.sitofp %ki : i64 to f64
    memref.store %kf, %a[%k] : memref<4xf64>
  }
  %r = memref.reinterpret_cast %a to offset: [3], sizes: [4], strides: [-1] : memref<4xf64> to memref<4xf64, strided<[-1], offset: 3>>
  %x = memref.load %r[%c0] : memref<4xf64, strided<[-1], offset: 3>>
  %y = arith.constant 100.0 : f64
  memref.store %y, %r[%c1] : memref<4xf64, strided<[-1], offset: 3>>
  %s = memref.subview %r[1] [2] [1] : memref<4xf64, strided<[-1], offset: 3>> to memref<2xf64, strided<[-1], offset: 2>>
  %z = memref.load %s[%c1] : memref<2xf64, strided<[-1], offset: 2>>
  return %x, %z, %a : f64, f64, memref<4xf64>
}
