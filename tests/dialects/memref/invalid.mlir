// RUN: irc opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect
// The memref dialect's diagnostics, worded as MLIR 22 words them (mlir-opt agrees: tests/test_interop_mlir.py).

func.func @bad_alloc_wrong_dynamic_dim_count() {
  %0 = arith.constant 7 : index
  // expected-error@+1 {{'memref.alloc' op incorrect number of dynamic sizes, has 1, expected 0}}
  %1 = memref.alloc(%0)[%0] : memref<2x4xf32, affine_map<(d0, d1)[s0] -> ((d0 + s0), d1)>, 1>
  return
}

// -----

func.func @bad_alloc_missing_dynamic_size() {
  // expected-error@+1 {{'memref.alloca' op incorrect number of dynamic sizes, has 0, expected 2}}
  %1 = memref.alloca() : memref<?x?xf32>
  return
}

// -----

func.func @bad_alloc_wrong_symbol_count() {
  %0 = arith.constant 7 : index
  // expected-error@+1 {{symbol operand count does not equal memref symbol count: expected 1, got 0}}
  %1 = memref.alloc(%0) : memref<2x?xf32, affine_map<(d0, d1)[s0] -> ((d0 + s0), d1)>, 1>
  return
}

// -----

func.func @bad_alloc_strided_symbols() {
  %0 = arith.constant 7 : index
  // expected-error@+1 {{symbol operand count does not equal memref symbol count: expected 2, got 1}}
  %1 = memref.alloc()[%0] : memref<4x4xf64, strided<[?, 1], offset: ?>>
  return
}

// -----

func.func @invalid_alloc_alignment() {
  // expected-error @below {{'memref.alloc' op attribute 'alignment' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive and whose value is a power of two > 0}}
  %0 = memref.alloc() {alignment = 3} : memref<4xf32>
  return
}

// -----

func.func @dynamic_size_not_index(%n: i64) {
  // expected-error@+1 {{'memref.alloc' op operand #0}}
  %0 = "memref.alloc"(%n) <{operandSegmentSizes = array<i32: 1, 0>}> : (i64) -> memref<?xf32>
  return
}

// -----

"alloca_without_scoped_alloc_parent"() ({
  memref.alloca() : memref<1xf32>
  // expected-error@-1 {{requires an ancestor op with AutomaticAllocationScope trait}}
  func.return
}) : () -> ()

// -----

func.func @load_invalid_memref_indexes() {
  %0 = memref.alloca() : memref<10xi32>
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'memref.load' op incorrect number of indices for load, expected 1 but got 2}}
  %1 = memref.load %0[%c0, %c0] : memref<10xi32>
  return
}

// -----

func.func @store_invalid_memref_indexes(%m: memref<4x4xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'memref.store' op store index operand count not equal to memref rank}}
  memref.store %v, %m[%c0] : memref<4x4xf32>
  return
}

// -----

func.func @load_result_type(%m: memref<4xf32>, %i: index) {
  // expected-error@+1 {{'memref.load' op failed to verify that result type matches element type of 'memref'}}
  %0 = "memref.load"(%m, %i) : (memref<4xf32>, index) -> f64
  return
}

// -----

func.func @store_value_type(%m: memref<4xf32>, %i: index, %v: f64) {
  // expected-error@+1 {{'memref.store' op failed to verify that type of 'value' matches element type of 'memref'}}
  "memref.store"(%v, %m, %i) : (f64, memref<4xf32>, index) -> ()
  return
}

// -----

func.func @invalid_load_alignment(%memref: memref<4xi32>) {
  %c0 = arith.constant 0 : index
  // expected-error @below {{'memref.load' op attribute 'alignment' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive and whose value is a power of two > 0}}
  %val = memref.load %memref[%c0] { alignment = -1 } : memref<4xi32>
  return
}

// -----

func.func @invalid_store_alignment(%memref: memref<4xi32>, %val: i32) {
  %c0 = arith.constant 0 : index
  // expected-error @below {{'memref.store' op attribute 'alignment' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive and whose value is a power of two > 0}}
  memref.store %val, %memref[%c0] { alignment = 3 } : memref<4xi32>
  return
}

// -----

func.func @load_unranked(%m: memref<*xf32>, %i: index) {
  // expected-error@+1 {{must be memref of any type values, but got}}
  %0 = "memref.load"(%m, %i) : (memref<*xf32>, index) -> f32
  return
}

// -----

func.func @dim_0_ranked(%arg : memref<f32>, %arg1 : index) {
  // expected-error@+1 {{must be unranked.memref of any type values or non-0-ranked.memref of any type values, but got}}
  memref.dim %arg, %arg1 : memref<f32>
  return
}

// -----

func.func @invalid_memref_cast(%arg0 : memref<12x4x16xf32, strided<[64, 16, 1]>>) {
  // expected-error@+1{{operand type 'memref<12x4x16xf32, strided<[64, 16, 1]>>' and result type 'memref<12x4x16xf32, strided<[128, 32, 2]>>' are cast incompatible}}
  %0 = memref.cast %arg0 : memref<12x4x16xf32, strided<[64, 16, 1]>> to memref<12x4x16xf32, strided<[128, 32, 2]>>
  return
}

// -----

// incompatible element types
func.func @invalid_memref_cast() {
  %0 = memref.alloc() : memref<2x5xf32>
  // expected-error@+1 {{operand type 'memref<2x5xf32>' and result type 'memref<*xi32>' are cast incompatible}}
  %1 = memref.cast %0 : memref<2x5xf32> to memref<*xi32>
  return
}

// -----

// incompatible memory space
func.func @invalid_memref_cast() {
  %0 = memref.alloc() : memref<2x5xf32>
  // expected-error@+1 {{operand type 'memref<2x5xf32>' and result type 'memref<*xf32, 1>' are cast incompatible}}
  %1 = memref.cast %0 : memref<2x5xf32> to memref<*xf32, 1>
  return
}

// -----

// unranked to unranked
func.func @invalid_memref_cast(%u: memref<*xf32>) {
  // expected-error@+1 {{operand type 'memref<*xf32>' and result type 'memref<*xf32, 1>' are cast incompatible}}
  %2 = memref.cast %u : memref<*xf32> to memref<*xf32, 1>
  return
}

// -----

// static sizes disagree
func.func @invalid_memref_cast(%m: memref<4x?xf32>) {
  // expected-error@+1 {{operand type 'memref<4x?xf32>' and result type 'memref<5x?xf32>' are cast incompatible}}
  %0 = memref.cast %m : memref<4x?xf32> to memref<5x?xf32>
  return
}

// -----

// ranks disagree
func.func @invalid_memref_cast(%m: memref<4x?xf32>) {
  // expected-error@+1 {{operand type 'memref<4x?xf32>' and result type 'memref<?xf32>' are cast incompatible}}
  %0 = memref.cast %m : memref<4x?xf32> to memref<?xf32>
  return
}

// -----

func.func @dealloc_not_memref(%t: tensor<4xf32>) {
  // expected-error@+1 {{must be ranked or unranked memref of any type values, but got}}
  "memref.dealloc"(%t) : (tensor<4xf32>) -> ()
  return
}
