// RUN: irc opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect
// The memref views', copies' and atomics' diagnostics, worded as MLIR 22 words them
// (mlir-opt agrees: tests/test_interop_mlir.py).
func.func @subview_layout(%m: memref<8x16xf64>) {
  // expected-error @+1 {{expected result type to be 'memref<4x4xf64, strided<[16, 1]>>' or a rank-reduced version. (mismatch of result layout), but got 'memref<4x4xf64>'}}
  %0 = memref.subview %m[0, 0] [4, 4] [1, 1] : memref<8x16xf64> to memref<4x4xf64>
  return
}

// -----

func.func @subview_sizes(%m: memref<8x16xf64>) {
  // expected-error @+1 {{expected result type to be 'memref<4x4xf64, strided<[16, 1]>>' or a rank-reduced version. (mismatch of result sizes), but got 'memref<4x5xf64, strided<[16, 1]>>'}}
  %0 = memref.subview %m[0, 0] [4, 4] [1, 1] : memref<8x16xf64> to memref<4x5xf64, strided<[16, 1]>>
  return
}

// -----

func.func @subview_element_type(%m: memref<8x16xf64>) {
  // expected-error @+1 {{expected result element type to be 'f64', but got 'memref<4x4xf32, strided<[16, 1]>>'}}
  %0 = memref.subview %m[0, 0] [4, 4] [1, 1] : memref<8x16xf64> to memref<4x4xf32, strided<[16, 1]>>
  return
}

// -----

func.func @subview_rank(%m: memref<8x16xf64>) {
  // expected-error @+1 {{expected result rank to be smaller or equal to the source rank, but got 'memref<4x4x4xf64, strided<[16, 1, 1]>>'}}
  %0 = memref.subview %m[0, 0] [4, 4] [1, 1] : memref<8x16xf64> to memref<4x4x4xf64, strided<[16, 1, 1]>>
  return
}

// -----

func.func @subview_list_ranks(%m: memref<8x16xf64>) {
  // expected-error @+1 {{expected mixed offsets rank to match mixed sizes rank (3 vs 2) so the rank of the result type is well-formed.}}
  %0 = memref.subview %m[0, 0, 0] [4, 4] [1, 1] : memref<8x16xf64> to memref<4x4xf64, strided<[16, 1]>>
  return
}

// -----

func.func @subview_list_length(%m: memref<8x16xf64>) {
  // expected-error @+1 {{expected 2 offset values, got 3}}
  %0 = memref.subview %m[0, 0, 0] [4, 4, 1] [1, 1, 1] : memref<8x16xf64> to memref<4x4xf64, strided<[16, 1]>>
  return
}

// -----

func.func @subview_out_of_bounds(%m: memref<8x16xf64>) {
  // expected-error @+1 {{slice along dimension 0 runs out-of-bounds: 9 >= 8}}
  %0 = memref.subview %m[6, 0] [4, 4] [1, 1] : memref<8x16xf64> to memref<4x4xf64, strided<[16, 1], offset: 96>>
  return
}

// -----

func.func @subview_offset(%m: memref<8x16xf64>) {
  // expected-error @+1 {{expected result type to be 'memref<4x4xf64, strided<[16, 1], offset: 16>>' or a rank-reduced version. (mismatch of result layout), but got 'memref<4x4xf64, strided<[16, 1], offset: 15>>'}}
  %0 = memref.subview %m[1, 0] [4, 4] [1, 1] : memref<8x16xf64> to memref<4x4xf64, strided<[16, 1], offset: 15>>
  return
}

// -----

func.func @subview_dynamic_stride_written_static(%m: memref<8x16xf64>) {
  // expected-error @+1 {{expected result type to be 'memref<4x4xf64, strided<[16, 1]>>' or a rank-reduced version. (mismatch of result layout), but got 'memref<4x4xf64, strided<[?, 1]>>'}}
  %0 = memref.subview %m[0, 0] [4, 4] [1, 1] : memref<8x16xf64> to memref<4x4xf64, strided<[?, 1]>>
  return
}

// -----

func.func @subview_rank_reduced_stride(%m: memref<8x16xf64>) {
  // expected-error @+1 {{expected result type to be 'memref<4x1xf64, strided<[16, 1], offset: 3>>' or a rank-reduced version. (mismatch of result layout), but got 'memref<4xf64, strided<[1], offset: 3>>'}}
  %0 = memref.subview %m[0, 3] [4, 1] [1, 1] : memref<8x16xf64> to memref<4xf64, strided<[1], offset: 3>>
  return
}

// -----

func.func @subview_memory_space(%m: memref<8x16xf64, 1>) {
  // expected-error @+1 {{different memory spaces specified for base memref type 'memref<8x16xf64, 1>' and subview memref type 'memref<4x4xf64, strided<[16, 1]>>'}}
  %0 = memref.subview %m[0, 0] [4, 4] [1, 1] : memref<8x16xf64, 1> to memref<4x4xf64, strided<[16, 1]>>
  return
}

// -----

func.func @subview_not_strided(%m: memref<8x16xf64, affine_map<(d0, d1) -> (d1, d0)>>) {
  // expected-error @+1 {{base type 'memref<8x16xf64, affine_map<(d0, d1) -> (d1, d0)>>' is not strided}}
  %0 = memref.subview %m[0, 0] [4, 4] [1, 1] : memref<8x16xf64, affine_map<(d0, d1) -> (d1, d0)>> to memref<4x4xf64, strided<[16, 1]>>
  return
}

// -----

func.func @subview_negative_offset(%m: memref<8xf64>) {
  // expected-error @+1 {{expected offsets to be non-negative, but got -1}}
  %1 = memref.subview %m[-1] [4] [1] : memref<8xf64> to memref<4xf64, strided<[1], offset: ?>>
  return
}

// -----

func.func @copy_shapes(%m: memref<8x16xf64>, %o: memref<4x16xf64>) {
  // expected-error @+1 {{'memref.copy' op requires the same shape for all operands}}
  memref.copy %m, %o : memref<8x16xf64> to memref<4x16xf64>
  return
}

// -----

func.func @collapse_size(%m: memref<8x16xf64>) {
  // expected-error @+1 {{'memref.collapse_shape' op collapsed dim size (127) must equal reassociation group size (128)}}
  %c = memref.collapse_shape %m [[0, 1]] : memref<8x16xf64> into memref<127xf64>
  return
}

// -----

func.func @collapse_layout(%m: memref<8x16xf64, strided<[32, 2]>>) {
  // expected-error @+1 {{'memref.collapse_shape' op expected collapsed type to be 'memref<128xf64, strided<[2]>>' but found 'memref<128xf64>'}}
  %c = memref.collapse_shape %m [[0, 1]] : memref<8x16xf64, strided<[32, 2]>> into memref<128xf64>
  return
}

// -----

func.func @collapse_not_contiguous(%m: memref<8x16xf64, strided<[17, 1]>>) {
  // expected-error @+1 {{'memref.collapse_shape' op invalid source layout map or collapsing non-contiguous dims}}
  %c = memref.collapse_shape %m [[0, 1]] : memref<8x16xf64, strided<[17, 1]>> into memref<128xf64, strided<[1]>>
  return
}

// -----

func.func @collapse_groups(%m: memref<8x16xf64>) {
  // expected-error @+1 {{'memref.collapse_shape' op invalid number of reassociation groups: found 2, expected 1}}
  %c = memref.collapse_shape %m [[0], [1]] : memref<8x16xf64> into memref<128xf64>
  return
}

// -----

func.func @collapse_order(%m: memref<8x16xf64>) {
  // expected-error @+1 {{'memref.collapse_shape' op reassociation indices must be contiguous}}
  %c = memref.collapse_shape %m [[1, 0]] : memref<8x16xf64> into memref<128xf64>
  return
}

// -----

func.func @collapse_dynamic(%m: memref<8x?xf64>) {
  // expected-error @+1 {{'memref.collapse_shape' op collapsed dim (0) must be dynamic if and only if reassociation group is dynamic}}
  %c = memref.collapse_shape %m [[0, 1]] : memref<8x?xf64> into memref<128xf64>
  return
}

// -----

func.func @collapse_dynamic_stride(%m: memref<4x?xf64, strided<[?, 2], offset: ?>>) {
  // expected-error @+1 {{'memref.collapse_shape' op expected collapsed type to be 'memref<?xf64, strided<[?], offset: ?>>' but found 'memref<?xf64, strided<[2], offset: ?>>'}}
  %c = memref.collapse_shape %m [[0, 1]] : memref<4x?xf64, strided<[?, 2], offset: ?>> into memref<?xf64, strided<[2], offset: ?>>
  return
}

// -----

func.func @expand_layout(%m: memref<128xf64>) {
  // expected-error @+1 {{'memref.expand_shape' op expected expanded type to be 'memref<4x32xf64>' but found 'memref<4x32xf64, strided<[33, 1]>>'}}
  %c = memref.expand_shape %m [[0, 1]] output_shape [4, 32] : memref<128xf64> into memref<4x32xf64, strided<[33, 1]>>
  return
}

// -----

func.func @expand_size(%m: memref<128xf64>) {
  // expected-error @+1 {{'memref.expand_shape' op collapsed dim size (128) must equal reassociation group size (124)}}
  %c = memref.expand_shape %m [[0, 1]] output_shape [4, 31] : memref<128xf64> into memref<4x31xf64>
  return
}

// -----

func.func @atomic_float_kind(%m: memref<8xf64>, %v: f64, %i: index) {
  // expected-error @+1 {{'memref.atomic_rmw' op with kind 'addi' expects an integer type}}
  %0 = memref.atomic_rmw addi %v, %m[%i] : (f64, memref<8xf64>) -> f64
  return
}

// -----

func.func @atomic_integer_kind(%m: memref<8xi32>, %v: i32, %i: index) {
  // expected-error @+1 {{'memref.atomic_rmw' op with kind 'addf' expects a floating-point type}}
  %0 = memref.atomic_rmw addf %v, %m[%i] : (i32, memref<8xi32>) -> i32
  return
}

// -----

func.func @atomic_subscripts(%m: memref<8xf64>, %v: f64, %i: index) {
  // expected-error @+1 {{'memref.atomic_rmw' op expects the number of subscripts to be equal to memref rank}}
  %0 = memref.atomic_rmw addf %v, %m[%i, %i] : (f64, memref<8xf64>) -> f64
  return
}

// -----

func.func @reinterpret_stride(%m: memref<8xf64>) {
  // expected-error @+1 {{expected result type with stride = 1 instead of 2 in dim = 1}}
  %0 = memref.reinterpret_cast %m to offset: [0], sizes: [4, 4], strides: [4, 1] : memref<8xf64> to memref<4x4xf64, strided<[4, 2]>>
  return
}

// -----

func.func @reinterpret_offset(%m: memref<8xf64>) {
  // expected-error @+1 {{expected result type with offset = 1 instead of 0}}
  %0 = memref.reinterpret_cast %m to offset: [1], sizes: [4, 4], strides: [4, 1] : memref<8xf64> to memref<4x4xf64, strided<[4, 1]>>
  return
}

// -----

func.func @reinterpret_dynamic_offset(%m: memref<8xf64>, %i: index) {
  // expected-error @+1 {{expected result type with offset = dynamic instead of 3}}
  %0 = memref.reinterpret_cast %m to offset: [%i], sizes: [4, 4], strides: [4, 1] : memref<8xf64> to memref<4x4xf64, strided<[4, 1], offset: 3>>
  return
}

// -----

func.func @reinterpret_size(%m: memref<8xf64>) {
  // expected-error @+1 {{expected result type with size = 5 instead of 4 in dim = 1}}
  %0 = memref.reinterpret_cast %m to offset: [0], sizes: [4, 5], strides: [4, 1] : memref<8xf64> to memref<4x4xf64, strided<[4, 1]>>
  return
}

// -----

func.func @reinterpret_element_type(%m: memref<8xf64>) {
  // expected-error @+1 {{different element types specified for source type 'memref<8xf64>' and result memref type 'memref<4x4xf32, strided<[4, 1]>>'}}
  %0 = memref.reinterpret_cast %m to offset: [0], sizes: [4, 4], strides: [4, 1] : memref<8xf64> to memref<4x4xf32, strided<[4, 1]>>
  return
}

// -----

func.func @view_sizes(%m: memref<2048xi8>, %i: index) {
  // expected-error @+1 {{'memref.view' op incorrect number of dynamic sizes, has 0, expected 1}}
  %0 = memref.view %m[%i][] : memref<2048xi8> to memref<?x4xf32>
  return
}

// -----

func.func @view_result_layout(%m: memref<2048xi8>, %i: index) {
  // expected-error @+1 {{unsupported map for result memref type 'memref<4xf32, strided<[2]>>'}}
  %0 = memref.view %m[%i][] : memref<2048xi8> to memref<4xf32, strided<[2]>>
  return
}

// -----

func.func @reshape_element_types(%m: memref<8xf64>, %s: memref<2xindex>) {
  // expected-error @+1 {{'memref.reshape' op element types of source and destination memref types should be the same}}
  %0 = memref.reshape %m(%s) : (memref<8xf64>, memref<2xindex>) -> memref<2x4xf32>
  return
}

// -----

func.func @reshape_rank(%m: memref<8xf64>, %s: memref<3xindex>) {
  // expected-error @+1 {{'memref.reshape' op length of shape operand differs from the result's memref rank}}
  %0 = memref.reshape %m(%s) : (memref<8xf64>, memref<3xindex>) -> memref<2x4xf64>
  return
}

// -----

func.func @reshape_layout(%m: memref<8xf64, strided<[2]>>, %s: memref<2xindex>) {
  // expected-error @+1 {{'memref.reshape' op source memref type should have identity affine map}}
  %0 = memref.reshape %m(%s) : (memref<8xf64, strided<[2]>>, memref<2xindex>) -> memref<2x4xf64>
  return
}

// -----

memref.global @g : memref<2xf32> = dense<1.0>
func.func @get_global_type() {
  // expected-error @+1 {{'memref.get_global' op result type 'memref<3xf32>' does not match type 'memref<2xf32>' of the global memref @g}}
  %0 = memref.get_global @g : memref<3xf32>
  return
}

// -----

func.func @get_global_missing() {
  // expected-error @+1 {{'memref.get_global' op 'nope' does not reference a valid global memref}}
  %0 = memref.get_global @nope : memref<3xf32>
  return
}

// -----

func.func @subview_negative_strides_wrong_offset(%a: memref<4x5xf32, strided<[-5, 1], offset: 15>>) {
  // expected-error@+1 {{expected result type to be 'memref<2x2xf32, strided<[-10, 2], offset: 11>>' or a rank-reduced version. (mismatch of result layout)}}
  %s = memref.subview %a[1, 1] [2, 2] [2, 2] : memref<4x5xf32, strided<[-5, 1], offset: 15>> to memref<2x2xf32, strided<[-10, 2], offset: 19>>
  return
}
