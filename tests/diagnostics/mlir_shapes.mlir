// RUN: irc opt %s --split-input-file --verify-diagnostics
// Scalable vector dims and tensor encodings in same-shape and cast checks, worded
// as MLIR's own tests (mlir/test/Dialect/Arith/invalid.mlir) expect.

func.func @trunci_scalable_to_fixed(%arg0 : vector<[4]xi32>) {
  // expected-error@+1 {{'arith.trunci' op requires the same shape for all operands and results}}
  %0 = arith.trunci %arg0 : vector<[4]xi32> to vector<4xi8>
  return
}

// -----

func.func @truncf_fixed_to_scalable(%arg0 : vector<4xf64>) {
  // expected-error@+1 {{'arith.truncf' op requires the same shape for all operands and results}}
  %0 = arith.truncf %arg0 : vector<4xf64> to vector<[4]xf32>
  return
}

// -----

func.func @extsi_scalable_to_fixed(%arg0 : vector<[4]xi32>) {
  // expected-error@+1 {{'arith.extsi' op requires the same shape for all operands and results}}
  %0 = arith.extsi %arg0 : vector<[4]xi32> to vector<4xi64>
  return
}

// -----

func.func @extf_fixed_to_scalable(%arg0 : vector<4xf32>) {
  // expected-error@+1 {{'arith.extf' op requires the same shape for all operands and results}}
  %0 = arith.extf %arg0 : vector<4xf32> to vector<[4]xf64>
  return
}

// -----

func.func @fptosi_scalable_to_fixed(%arg0 : vector<[4]xf32>) {
  // expected-error@+1 {{'arith.fptosi' op requires the same shape for all operands and results}}
  %0 = arith.fptosi %arg0 : vector<[4]xf32> to vector<4xi32>
  return
}

// -----

func.func @uitofp_fixed_to_scalable(%arg0 : vector<4xi32>) {
  // expected-error@+1 {{'arith.uitofp' op requires the same shape for all operands and results}}
  %0 = arith.uitofp %arg0 : vector<4xi32> to vector<[4]xf32>
  return
}

// -----

func.func @bitcast_scalable_to_fixed(%arg0 : vector<[4]xf32>) {
  // expected-error@+1 {{'arith.bitcast' op requires the same shape for all operands and results}}
  %0 = arith.bitcast %arg0 : vector<[4]xf32> to vector<4xi32>
  return
}

// -----

func.func @index_cast_scalable_to_fixed(%arg0 : vector<[4]xi32>) {
  // expected-error@+1 {{'arith.index_cast' op requires the same shape for all operands and results}}
  %1 = arith.index_cast %arg0 : vector<[4]xi32> to vector<4xindex>
  return
}

// -----

func.func @isnan_scalable_to_fixed(%arg0 : vector<[4]xf32>) {
  // expected-error@+1 {{'math.isnan' op failed to verify that result type has i1 element type and same shape as operands}}
  %1 = "math.isnan"(%arg0) : (vector<[4]xf32>) -> vector<4xi1>
  return
}

// -----

// a scalable cast of the same shape is valid
func.func @scalable_casts(%arg0 : vector<[4]xf32>, %arg1 : vector<2x[4]xi32>) {
  %0 = arith.extf %arg0 : vector<[4]xf32> to vector<[4]xf64>
  %1 = arith.bitcast %arg0 : vector<[4]xf32> to vector<[4]xi32>
  %2 = arith.extsi %arg1 : vector<2x[4]xi32> to vector<2x[4]xi64>
  return
}

// -----

func.func @extsi_tensor_dim(%arg0 : tensor<4xi32>) {
  // expected-error@+1 {{'arith.extsi' op failed to verify that input and output have the same tensor dimensions}}
  %0 = arith.extsi %arg0 : tensor<4xi32> to tensor<?xi64>
  return
}

// -----

func.func @extf_tensor_to_vector(%arg0 : tensor<4xf32>) {
  // expected-error@+1 {{'arith.extf' op failed to verify that input and output have the same tensor dimensions}}
  %0 = arith.extf %arg0 : tensor<4xf32> to vector<4xf64>
  return
}

// -----

func.func @index_cast_rank0_to_scalar(%arg0 : tensor<index>) -> i64 {
  // expected-error@+1 {{'arith.index_cast' op requires the same shape for all operands and results}}
  %0 = arith.index_cast %arg0 : tensor<index> to i64
  return %0 : i64
}

// -----

func.func @extf_encoding(%arg0 : tensor<2xf32, "foo">) {
  // expected-error@+1 {{'arith.extf' op operand type 'tensor<2xf32, "foo">' and result type 'tensor<2xf64, "bar">' are cast incompatible}}
  %0 = arith.extf %arg0 : tensor<2xf32, "foo"> to tensor<2xf64, "bar">
  return
}

// -----

func.func @index_cast_drops_encoding(%arg0 : tensor<4xi32, "foo">) {
  // expected-error@+1 {{'arith.index_cast' op operand type 'tensor<4xi32, "foo">' and result type 'tensor<4xindex>' are cast incompatible}}
  %1 = arith.index_cast %arg0 : tensor<4xi32, "foo"> to tensor<4xindex>
  return
}

// -----

// the same encoding on both sides is a valid cast
func.func @extf_same_encoding(%arg0 : tensor<2xf32, "foo">) -> tensor<2xf64, "foo"> {
  %0 = arith.extf %arg0 : tensor<2xf32, "foo"> to tensor<2xf64, "foo">
  return %0 : tensor<2xf64, "foo">
}

// -----

func.func @select_tensor_encoding(
  %arg0 : tensor<8xi1, "bar">, %arg1 : tensor<8xi32, "foo">, %arg2 : tensor<8xi32, "foo">) -> tensor<8xi32, "foo"> {
  // expected-error@+1 {{'arith.select' op expected condition type to have the same shape as the result type, expected 'tensor<8xi1, "foo">', but got 'tensor<8xi1, "bar">'}}
  %0 = arith.select %arg0, %arg1, %arg2 : tensor<8xi1, "bar">, tensor<8xi32, "foo">
  return %0 : tensor<8xi32, "foo">
}

// -----

func.func @select_condition_without_encoding(%arg0 : tensor<4xi1>, %b: tensor<4xi32, "foo">) {
  // expected-error@+1 {{'arith.select' op expected condition type to have the same shape as the result type, expected 'tensor<4xi1, "foo">', but got 'tensor<4xi1>'}}
  %0 = arith.select %arg0, %b, %b : tensor<4xi1>, tensor<4xi32, "foo">
  return
}

// -----

func.func @select_scalable_condition(%c : vector<[4]xi1>, %b: vector<4xi32>) {
  // expected-error@+1 {{'arith.select' op all non-scalar operands/results must have the same shape and base type}}
  %0 = arith.select %c, %b, %b : vector<[4]xi1>, vector<4xi32>
  return
}

// -----

func.func @select_vector_condition_tensor_values(%c : vector<4xi1>, %b: tensor<4xi32>) {
  // expected-error@+1 {{'arith.select' op all non-scalar operands/results must have the same shape and base type}}
  %0 = arith.select %c, %b, %b : vector<4xi1>, tensor<4xi32>
  return
}

// -----

func.func @select_dynamic_condition(%c : tensor<?xi1>, %b: tensor<4xi32>) {
  // expected-error@+1 {{'arith.select' op failed to verify that condition is signless i1 or has matching shape}}
  %0 = arith.select %c, %b, %b : tensor<?xi1>, tensor<4xi32>
  return
}

// -----

func.func @select_rank0_condition(%arg0 : tensor<i1>, %arg1 : tensor<2xi64>) -> tensor<2xi64> {
  // expected-error @+1 {{'arith.select' op failed to verify that condition is signless i1 or has matching shape}}
  %0 = arith.select %arg0, %arg1, %arg1 : tensor<i1>, tensor<2xi64>
  return %0 : tensor<2xi64>
}

// -----

// matching encodings and scalable dims select elementwise
func.func @select_valid(%a : tensor<8xi1, "foo">, %b : tensor<8xi32, "foo">, %c : vector<[4]xi1>, %d : vector<[4]xf32>) {
  %0 = arith.select %a, %b, %b : tensor<8xi1, "foo">, tensor<8xi32, "foo">
  %1 = arith.select %c, %d, %d : vector<[4]xi1>, vector<[4]xf32>
  return
}
