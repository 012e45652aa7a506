// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s | irc opt | filecheck %s
// RUN: irc opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc opt %s --print-op-generic | irc opt | filecheck %s
// The memref views, copies, globals and atomics in MLIR 22's syntax: printing is
// a fixed point, and the generic form reads back to the same custom form
// (tests/test_interop_mlir.py sends this file through mlir-opt both ways).

// CHECK: memref.global "private" constant @table : memref<2xf32> = dense<[1.0, 2.0]> {alignment = 64{{( : i64)?}}}
// GENERIC: "memref.global"() <{alignment = 64{{( : i64)?}}, constant, initial_value = dense<[1.0, 2.0]> : tensor<2xf32>, sym_name = "table", sym_visibility = "private", type = memref<2xf32>}> : () -> ()
memref.global "private" constant @table : memref<2xf32> = dense<[1.0, 2.0]> {alignment = 64 : i64}
// CHECK: memref.global @state : memref<3xf64> = uninitialized
// GENERIC: "memref.global"() <{initial_value, sym_name = "state", type = memref<3xf64>}>
memref.global @state : memref<3xf64> = uninitialized
// CHECK: memref.global "private" @zero : memref<f64> = dense<0.0>
memref.global "private" @zero : memref<f64> = dense<0.0>
// CHECK: memref.global @declared : memref<4xi32>{{$}}
memref.global @declared : memref<4xi32>

// CHECK-LABEL: func.func @views(
func.func @views(%m: memref<8x16xf64>, %i: index, %n: index) {
  // CHECK-NEXT: memref.subview %{{.*}}[%{{.*}}, 2] [4, %{{.*}}] [1, 2] : memref<8x16xf64> to memref<4x?xf64, strided<[16, 2], offset: ?>>
  // GENERIC: "memref.subview"(%{{.*}}, %{{.*}}, %{{.*}}) <{operandSegmentSizes = array<i32: 1, 1, 1, 0>, static_offsets = array<i64: -9223372036854775808, 2>, static_sizes = array<i64: 4, -9223372036854775808>, static_strides = array<i64: 1, 2>}>
  %0 = memref.subview %m[%i, 2][4, %n][1, 2] : memref<8x16xf64> to memref<4x?xf64, strided<[16, 2], offset: ?>>
  // CHECK-NEXT: memref.subview %{{.*}}[0, 3] [4, 1] [1, 1] : memref<8x16xf64> to memref<4xf64, strided<[16], offset: 3>>
  %1 = memref.subview %m[0, 3] [4, 1] [1, 1] : memref<8x16xf64> to memref<4xf64, strided<[16], offset: 3>>
  // CHECK-NEXT: memref.subview %{{.*}}[0, 0] [8, 16] [1, 1] : memref<8x16xf64> to memref<8x16xf64>
  %2 = memref.subview %m[0, 0] [8, 16] [1, 1] : memref<8x16xf64> to memref<8x16xf64>
  // CHECK-NEXT: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [%{{.*}}, 4], strides: [4, 1] : memref<8x16xf64> to memref<?x4xf64, strided<[4, 1]>>
  // GENERIC: "memref.reinterpret_cast"(%{{.*}}, %{{.*}}) <{operandSegmentSizes = array<i32: 1, 0, 1, 0>, static_offsets = array<i64: 0>, static_sizes = array<i64: -9223372036854775808, 4>, static_strides = array<i64: 4, 1>}>
  %3 = memref.reinterpret_cast %m to offset: [0], sizes: [%n, 4], strides: [4, 1] : memref<8x16xf64> to memref<?x4xf64, strided<[4, 1]>>
  // CHECK-NEXT: memref.collapse_shape %{{.*}} {{\[\[}}0, 1]] : memref<8x16xf64> into memref<128xf64>
  %4 = memref.collapse_shape %m [[0, 1]] : memref<8x16xf64> into memref<128xf64>
  // CHECK-NEXT: memref.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [4, 32] : memref<128xf64> into memref<4x32xf64>
  // GENERIC: "memref.expand_shape"(%{{.*}}) <{reassociation = {{\[\[}}0, 1]], static_output_shape = array<i64: 4, 32>}>
  %5 = memref.expand_shape %4 [[0, 1]] output_shape [4, 32] : memref<128xf64> into memref<4x32xf64>
  // CHECK-NEXT: memref.collapse_shape %{{.*}} {{\[\[}}0, 1]] : memref<4x?xf64, strided<[16, 2], offset: ?>> into memref<?xf64, strided<[?], offset: ?>>
  %6 = memref.collapse_shape %0 [[0, 1]] : memref<4x?xf64, strided<[16, 2], offset: ?>> into memref<?xf64, strided<[?], offset: ?>>
  // CHECK-NEXT: memref.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [2, 2] : memref<4xf64, strided<[16], offset: 3>> into memref<2x2xf64, strided<[32, 16], offset: 3>>
  %7 = memref.expand_shape %1 [[0, 1]] output_shape [2, 2] : memref<4xf64, strided<[16], offset: 3>> into memref<2x2xf64, strided<[32, 16], offset: 3>>
  // CHECK-NEXT: %{{.*}}:6 = memref.extract_strided_metadata %{{.*}} : memref<4x?xf64, strided<[16, 2], offset: ?>> -> memref<f64>, index, index, index, index, index
  %base, %offset, %sizes:2, %strides:2 = memref.extract_strided_metadata %0 : memref<4x?xf64, strided<[16, 2], offset: ?>> -> memref<f64>, index, index, index, index, index
  return
}

// CHECK-LABEL: func.func @buffers(
func.func @buffers(%m: memref<8x16xf64>, %i: index, %n: index, %v: f64, %shape: memref<1xindex>) -> index {
  %buf = memref.alloc() : memref<2048xi8>
  // CHECK: memref.view %{{.*}}[%{{.*}}][%{{.*}}] : memref<2048xi8> to memref<?x4xf32>
  // GENERIC: "memref.view"(%{{.*}}, %{{.*}}, %{{.*}}) : (memref<2048xi8>, index, index) -> memref<?x4xf32>
  %0 = memref.view %buf[%i][%n] : memref<2048xi8> to memref<?x4xf32>
  %c = memref.alloc() : memref<8x16xf64>
  // CHECK-NEXT: memref.alloc
  // CHECK-NEXT: memref.copy %{{.*}}, %{{.*}} : memref<8x16xf64> to memref<8x16xf64>
  // GENERIC: "memref.copy"(%{{.*}}, %{{.*}}) : (memref<8x16xf64>, memref<8x16xf64>) -> ()
  memref.copy %m, %c : memref<8x16xf64> to memref<8x16xf64>
  // CHECK-NEXT: memref.rank %{{.*}} : memref<8x16xf64>
  %r = memref.rank %m : memref<8x16xf64>
  // CHECK-NEXT: memref.atomic_rmw addf %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : (f64, memref<8x16xf64>) -> f64
  // GENERIC: "memref.atomic_rmw"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{kind = 0{{( : i64)?}}}> : (f64, memref<8x16xf64>, index, index) -> f64
  %x = memref.atomic_rmw addf %v, %m[%i, %i] : (f64, memref<8x16xf64>) -> f64
  // CHECK-NEXT: memref.atomic_rmw maxnumf
  %y = memref.atomic_rmw maxnumf %v, %m[%i, %i] : (f64, memref<8x16xf64>) -> f64
  // CHECK-NEXT: memref.get_global @table : memref<2xf32>
  // GENERIC: "memref.get_global"() <{name = @table}> : () -> memref<2xf32>
  %g = memref.get_global @table : memref<2xf32>
  // CHECK-NEXT: memref.reshape %{{.*}}(%{{.*}}) : (memref<8x16xf64>, memref<1xindex>) -> memref<?xf64>
  %f = memref.reshape %m(%shape) : (memref<8x16xf64>, memref<1xindex>) -> memref<?xf64>
  memref.dealloc %c : memref<8x16xf64>
  memref.dealloc %buf : memref<2048xi8>
  return %r : index
}
