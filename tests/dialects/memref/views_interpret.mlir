// Views are views in the interpreter: writes through a subview, a collapse or a
// reinterpret_cast are seen through the base; views reaching outside their buffer
// or made of freed memory are runtime errors naming the op; globals persist.
// RUN: irc run %s --interpret --entry through --json --check-leaks | filecheck %s --check-prefix=THROUGH
// THROUGH: [1.0, 7.0, 8, 6, 2]
// RUN: irc run %s --interpret --entry globals --json | filecheck %s --check-prefix=GLOBALS
// GLOBALS: [4.0, 2]
// RUN: irc run %s --interpret --entry reshapes --json --check-leaks | filecheck %s --check-prefix=RESHAPES
// RESHAPES: [5.0, 5.0, 5.0, 6.0]
// RUN: not irc run %s --interpret --entry subview_oob --arg 3 2>&1 | filecheck %s --check-prefix=SUBVIEW-OOB
// SUBVIEW-OOB: views_interpret.mlir:{{[0-9]+}}:3: error: 'memref.subview' op subview along dimension 0 (offset 3, size 2, stride 1) runs out of bounds of a memref of size 4
// SUBVIEW-OOB-NOT: Traceback
// RUN: not irc run %s --interpret --entry cast_oob --arg 5 2>&1 | filecheck %s --check-prefix=CAST-OOB
// CAST-OOB: error: 'memref.reinterpret_cast' op makes a view (offset 0, sizes [5], strides [1]) reaching elements 0 to 4 of a buffer of 4 elements
// CAST-OOB: note: allocated here
// RUN: not irc run %s --interpret --entry constant_store 2>&1 | filecheck %s --check-prefix=CONSTANT
// CONSTANT: error: 'memref.store' op writes to a constant 'memref.global'
// CONSTANT: note: allocated here
// CONSTANT-NEXT: memref.global "private" constant @table
// RUN: not irc run %s --interpret --entry view_after_free 2>&1 | filecheck %s --check-prefix=UAF
// UAF: error: 'memref.subview' op uses memory that was already freed
// UAF: note: freed here
// RUN: not irc run %s --interpret --entry copy_shapes --arg 3 2>&1 | filecheck %s --check-prefix=COPY
// COPY: error: 'memref.copy' op copies a memref of shape 3 into one of shape 4
// RUN: not irc run %s --interpret --entry free_global 2>&1 | filecheck %s --check-prefix=FREE-GLOBAL
// FREE-GLOBAL: error: 'memref.dealloc' op frees the buffer of a 'memref.global'
// RUN: not irc run %s --interpret --entry leaky_view --check-leaks 2>&1 | filecheck %s --check-prefix=LEAK
// LEAK: error: 'memref.alloc' op allocates a buffer that is never freed

memref.global "private" constant @table : memref<3xf64> = dense<[1.0, 2.0, 4.0]>
memref.global "private" @counter : memref<i64> = dense<0>

func.func @through() -> (f64, f64, index, index, index) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %one = arith.constant 1.0 : f64
  %seven = arith.constant 7.0 : f64
  %m = memref.alloc() : memref<4x6xf64>
  %s = memref.subview %m[1, 2] [2, 2] [1, 2] : memref<4x6xf64> to memref<2x2xf64, strided<[6, 2], offset: 8>>
  // s[1, 1] is m[2, 4]
  memref.store %one, %s[%c1, %c1] : memref<2x2xf64, strided<[6, 2], offset: 8>>
  %r = memref.subview %m[3, 0] [1, 6] [1, 1] : memref<4x6xf64> to memref<6xf64, strided<[1], offset: 18>>
  memref.store %seven, %r[%c2] : memref<6xf64, strided<[1], offset: 18>>
  %a = memref.load %m[%c2, %c4] : memref<4x6xf64>
  %c3 = arith.constant 3 : index
  %b = memref.load %m[%c3, %c2] : memref<4x6xf64>
  %base, %off, %sz:2, %st:2 = memref.extract_strided_metadata %s : memref<2x2xf64, strided<[6, 2], offset: 8>> -> memref<f64>, index, index, index, index, index
  %rank = memref.rank %s : memref<2x2xf64, strided<[6, 2], offset: 8>>
  memref.dealloc %m : memref<4x6xf64>
  return %a, %b, %off, %st#0, %rank : f64, f64, index, index, index
}

func.func @globals() -> (f64, i64) {
  %c2 = arith.constant 2 : index
  %t = memref.get_global @table : memref<3xf64>
  %x = memref.load %t[%c2] : memref<3xf64>
  %one = arith.constant 1 : i64
  %g = memref.get_global @counter : memref<i64>
  %old = memref.atomic_rmw addi %one, %g[] : (i64, memref<i64>) -> i64
  // the same buffer on every get_global
  %g2 = memref.get_global @counter : memref<i64>
  %old2 = memref.atomic_rmw addi %one, %g2[] : (i64, memref<i64>) -> i64
  %new = memref.load %g[] : memref<i64>
  return %x, %new : f64, i64
}

func.func @reshapes() -> (f64, f64, f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %v = arith.constant 5.0 : f64
  %w = arith.constant 6.0 : f64
  %m = memref.alloc() : memref<2x3xf64>
  %c = memref.collapse_shape %m [[0, 1]] : memref<2x3xf64> into memref<6xf64>
  memref.store %v, %c[%c3] : memref<6xf64>
  %e = memref.expand_shape %c [[0, 1]] output_shape [3, 2] : memref<6xf64> into memref<3x2xf64>
  %x = memref.load %e[%c1, %c1] : memref<3x2xf64>
  %r = memref.reinterpret_cast %m to offset: [1], sizes: [5], strides: [1] : memref<2x3xf64> to memref<5xf64, strided<[1], offset: 1>>
  %y = memref.load %r[%c2] : memref<5xf64, strided<[1], offset: 1>>
  %o = memref.alloc() : memref<2x3xf64>
  memref.copy %m, %o : memref<2x3xf64> to memref<2x3xf64>
  %z = memref.load %o[%c1, %c0] : memref<2x3xf64>
  %bytes = memref.alloc() : memref<64xi8>
  %f = memref.view %bytes[%c0][] : memref<64xi8> to memref<2xf64>
  memref.store %w, %f[%c1] : memref<2xf64>
  %g = memref.view %bytes[%c0][] : memref<64xi8> to memref<8xf64>
  %u = memref.load %g[%c1] : memref<8xf64>
  memref.dealloc %bytes : memref<64xi8>
  memref.dealloc %o : memref<2x3xf64>
  memref.dealloc %m : memref<2x3xf64>
  return %x, %y, %z, %u : f64, f64, f64, f64
}

func.func @subview_oob(%i: index) -> memref<2xf64, strided<[1], offset: ?>> {
  %m = memref.alloc() : memref<4xf64>
  %s = memref.subview %m[%i] [2] [1] : memref<4xf64> to memref<2xf64, strided<[1], offset: ?>>
  return %s : memref<2xf64, strided<[1], offset: ?>>
}

func.func @cast_oob(%n: index) -> memref<?xf64> {
  %m = memref.alloc() : memref<4xf64>
  %s = memref.reinterpret_cast %m to offset: [0], sizes: [%n], strides: [1] : memref<4xf64> to memref<?xf64>
  return %s : memref<?xf64>
}

func.func @constant_store() {
  %c0 = arith.constant 0 : index
  %v = arith.constant 5.0 : f64
  %t = memref.get_global @table : memref<3xf64>
  memref.store %v, %t[%c0] : memref<3xf64>
  return
}

func.func @view_after_free() -> memref<2xf64, strided<[1]>> {
  %m = memref.alloc() : memref<4xf64>
  memref.dealloc %m : memref<4xf64>
  %s = memref.subview %m[0] [2] [1] : memref<4xf64> to memref<2xf64, strided<[1]>>
  return %s : memref<2xf64, strided<[1]>>
}

func.func @copy_shapes(%n: index) {
  %a = memref.alloc(%n) : memref<?xf64>
  %b = memref.alloc() : memref<4xf64>
  memref.copy %a, %b : memref<?xf64> to memref<4xf64>
  return
}

func.func @free_global() {
  %t = memref.get_global @counter : memref<i64>
  memref.dealloc %t : memref<i64>
  return
}

func.func @leaky_view() -> f64 {
  %c0 = arith.constant 0 : index
  %m = memref.alloc() : memref<4xf64>
  %s = memref.subview %m[1] [2] [1] : memref<4xf64> to memref<2xf64, strided<[1], offset: 1>>
  %v = arith.constant 1.0 : f64
  memref.store %v, %s[%c0] : memref<2xf64, strided<[1], offset: 1>>
  %x = memref.load %m[%c0] : memref<4xf64>
  return %v : f64
}
