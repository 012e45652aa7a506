// RUN: irc opt %s --split-input-file --verify-diagnostics
// The extended ops' verifier, worded as mlir/test/Dialect/Arith/invalid.mlir.

func.func @float_operand(%a: f32) {
  // expected-error@+1 {{must be signless-integer-like, but got}}
  %r:2 = arith.addui_extended %a, %a : f32, i32
  return
}

// -----

func.func @overflow_not_bool(%a: i32) {
  // expected-error@+1 {{must be bool-like, but got}}
  %r:2 = arith.addui_extended %a, %a : i32, i32
  return
}

// -----

func.func @scalar_overflow(%a: vector<8xi32>) {
  // expected-error@+1 {{'arith.addui_extended' op if an operand is non-scalar, then all results must be non-scalar}}
  %r:2 = arith.addui_extended %a, %a : vector<8xi32>, i1
  return
}

// -----

func.func @tensor_overflow(%a: vector<8xi32>) {
  // expected-error@+1 {{'arith.addui_extended' op all non-scalar operands/results must have the same shape and base type}}
  %r:2 = arith.addui_extended %a, %a : vector<8xi32>, tensor<8xi1>
  return
}

// -----

func.func @mixed_widths(%a: i32, %b: i64) {
  // expected-error@+1 {{'arith.mulsi_extended' op failed to verify that all of {lhs, rhs, low, high} have same type}}
  %r:2 = "arith.mulsi_extended"(%a, %b) : (i32, i64) -> (i32, i32)
  return
}

// -----

func.func @sum_type(%a: i32) {
  // expected-error@+1 {{'arith.addui_extended' op failed to verify that all of {lhs, rhs, sum} have same type}}
  %r:2 = "arith.addui_extended"(%a, %a) : (i32, i32) -> (i64, i1)
  return
}
