// RUN: irc opt %s --split-input-file --verify-diagnostics
// arith's verifier messages, as MLIR words them.

func.func @f(%a: f32, %b: f64) {
  // expected-error@+1 {{'arith.addf' op requires the same type for all operands and results}}
  %0 = "arith.addf"(%a, %b) : (f32, f64) -> f32
  return
}

// -----

func.func @f(%a: i32) {
  // expected-error@+1 {{'arith.addf' op operand #0 ('lhs') must be floating-point-like, but got i32}}
  %0 = arith.addf %a, %a : i32
  return
}

// -----

func.func @f(%a: f32) {
  // expected-error@+1 {{'arith.addi' op operand #0 ('lhs') must be signless-integer-like, but got f32}}
  %0 = arith.addi %a, %a : f32
  return
}

// -----

func.func @f(%a: si32) {
  // expected-error@+1 {{must be signless-integer-like, but got si32}}
  %0 = arith.muli %a, %a : si32
  return
}

// -----

func.func @f(%a: f32, %b: f64) {
  // expected-error@+1 {{'arith.cmpf' op requires all operands to have the same type}}
  %0 = "arith.cmpf"(%a, %b) <{predicate = 1 : i64}> : (f32, f64) -> i1
  return
}

// -----

func.func @f(%a: f32) {
  // expected-error@+1 {{'arith.cmpf' op result #0 ('result') must be bool-like, but got i32}}
  %0 = "arith.cmpf"(%a, %a) <{predicate = 1 : i64}> : (f32, f32) -> i32
  return
}

// -----

func.func @f(%a: tensor<4xf32>) {
  // expected-error@+1 {{'arith.cmpf' op failed to verify that result type has i1 element type and same shape as operands}}
  %0 = "arith.cmpf"(%a, %a) <{predicate = 1 : i64}> : (tensor<4xf32>, tensor<4xf32>) -> i1
  return
}

// -----

func.func @f(%a: f32) {
  // expected-error@+1 {{'arith.cmpf' op attribute 'predicate' failed to satisfy constraint}}
  %0 = "arith.cmpf"(%a, %a) <{predicate = 16 : i64}> : (f32, f32) -> i1
  return
}

// -----

func.func @f(%a: i32) {
  // expected-error@+1 {{'arith.cmpi' op attribute 'predicate' failed to satisfy constraint}}
  %0 = "arith.cmpi"(%a, %a) <{predicate = 10 : i64}> : (i32, i32) -> i1
  return
}

// -----

func.func @f(%a: f32) {
  // expected-error@+1 {{expected one of {false, oeq, ogt, oge, olt, ole, one, ord, ueq, ugt, uge, ult, ule, une, uno, true}, got 'lt'}}
  %0 = arith.cmpf lt, %a, %a : f32
  return
}

// -----

func.func @f(%a: i32) {
  // expected-error@+1 {{expected one of {eq, ne, slt, sle, sgt, sge, ult, ule, ugt, uge}, got 'oeq'}}
  %0 = arith.cmpi oeq, %a, %a : i32
  return
}

// -----

func.func @f(%a: f32) {
  // expected-error@+1 {{invalid arith.fastmath flags: expected one of none, reassoc, nnan, ninf, nsz, arcp, contract, afn, fast, got 'quick'}}
  %0 = arith.addf %a, %a fastmath<quick> : f32
  return
}

// -----

func.func @f(%a: i32) {
  // expected-error@+1 {{invalid arith.overflow flags}}
  %0 = arith.addi %a, %a overflow<nnan> : i32
  return
}

// -----

func.func @f(%a: i32) {
  // expected-error@+1 {{expected 'exact', got 'inexact'}}
  %0 = arith.divsi %a, %a inexact : i32
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'arith.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "arith.constant"() <{value = 1 : i32}> : () -> i64
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'arith.constant' op attribute 'value' failed to satisfy constraint: TypedAttr instance}}
  %0 = "arith.constant"() <{value = "one"}> : () -> i32
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{'arith.constant' op integer return type must be signless}}
  %0 = "arith.constant"() <{value = 1 : ui32}> : () -> ui32
  return
}

// -----

func.func @f() {
  // expected-error@+1 {{integer constant out of range for attribute}}
  %0 = arith.constant 256 : i8
  return
}

// -----

func.func @f(%c: i1, %a: f32, %b: f64) {
  // expected-error@+1 {{'arith.select' op failed to verify that all of {true_value, false_value, result} have same type}}
  %0 = "arith.select"(%c, %a, %b) : (i1, f32, f64) -> f32
  return
}

// -----

func.func @f(%c: vector<3xi1>, %a: vector<4xf32>) {
  // expected-error@+1 {{'arith.select' op failed to verify that condition is signless i1 or has matching shape}}
  %0 = arith.select %c, %a, %a : vector<3xi1>, vector<4xf32>
  return
}

// -----

func.func @f(%c: i32, %a: f32) {
  // expected-error@+1 {{'arith.select' op operand #0 ('condition') must be bool-like, but got i32}}
  %0 = arith.select %c, %a, %a : i32, f32
  return
}

// -----

func.func @f(%c: i1, %a: f32) {
  // expected-error@+1 {{use of value '%a' expects different type than prior uses: 'f64' vs 'f32'}}
  %0 = arith.select %c, %a, %a : f64
  return
}

// -----

func.func @f(%a: f64) {
  // expected-error@+1 {{'arith.extf' op operand type 'f64' and result type 'f32' are cast incompatible}}
  %0 = arith.extf %a : f64 to f32
  return
}

// -----

func.func @f(%a: f16) {
  // expected-error@+1 {{'arith.extf' op operand type 'f16' and result type 'bf16' are cast incompatible}}
  %0 = arith.extf %a : f16 to bf16
  return
}

// -----

func.func @f(%a: f32) {
  // expected-error@+1 {{'arith.truncf' op operand type 'f32' and result type 'f64' are cast incompatible}}
  %0 = arith.truncf %a : f32 to f64
  return
}

// -----

func.func @f(%a: i32) {
  // expected-error@+1 {{'arith.extsi' op operand type 'i32' and result type 'i16' are cast incompatible}}
  %0 = arith.extsi %a : i32 to i16
  return
}

// -----

func.func @f(%a: i32) {
  // expected-error@+1 {{'arith.extui' op operand type 'i32' and result type 'i32' are cast incompatible}}
  %0 = arith.extui %a : i32 to i32
  return
}

// -----

func.func @f(%a: i32) {
  // expected-error@+1 {{'arith.trunci' op operand type 'i32' and result type 'i64' are cast incompatible}}
  %0 = arith.trunci %a : i32 to i64
  return
}

// -----

func.func @f(%a: f32) {
  // expected-error@+1 {{'arith.bitcast' op operand type 'f32' and result type 'i64' are cast incompatible}}
  %0 = arith.bitcast %a : f32 to i64
  return
}

// -----

func.func @f(%a: i32) {
  // expected-error@+1 {{'arith.index_cast' op operand type 'i32' and result type 'i64' are cast incompatible}}
  %0 = arith.index_cast %a : i32 to i64
  return
}

// -----

func.func @f(%a: f32) {
  // expected-error@+1 {{'arith.index_cast' op operand #0 ('in') must be signless-integer-like or memref of signless-integer, but got f32}}
  %0 = arith.index_cast %a : f32 to index
  return
}

// -----

func.func @f(%a: index) {
  // expected-error@+1 {{'arith.sitofp' op operand #0 ('in') must be signless-fixed-width-integer-like, but got index}}
  %0 = arith.sitofp %a : index to f32
  return
}

// -----

func.func @f(%a: f32) {
  // expected-error@+1 {{'arith.fptosi' op failed to verify that input and output have the same tensor dimensions}}
  %0 = arith.fptosi %a : f32 to tensor<4xi32>
  return
}

// -----

func.func @f(%a: tensor<4xi32>) {
  // expected-error@+1 {{'arith.sitofp' op failed to verify that input and output have the same tensor dimensions}}
  %0 = arith.sitofp %a : tensor<4xi32> to tensor<5xf32>
  return
}

// -----

func.func @f(%a: f32) {
  // expected-error@+1 {{'arith.truncf' op attribute 'roundingmode' failed to satisfy constraint}}
  %0 = "arith.truncf"(%a) <{roundingmode = 9 : i32}> : (f32) -> f16
  return
}
