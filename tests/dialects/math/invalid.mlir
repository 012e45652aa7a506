// RUN: irc opt %s --split-input-file --verify-diagnostics
// The math dialect's diagnostics.

func.func @int_operand(%x: i32) {
  // expected-error@+1 {{'math.sin' op operand #0 ('operand') must be floating-point-like, but got i32}}
  %0 = math.sin %x : i32
  return
}

// -----

func.func @float_operand(%x: f32) {
  // expected-error@+1 {{'math.absi' op operand #0 ('operand') must be signless-integer-like, but got f32}}
  %0 = math.absi %x : f32
  return
}

// -----

func.func @mixed(%x: f32, %y: f64) {
  // expected-error@+1 {{'math.powf' op requires the same type for all operands and results}}
  %0 = "math.powf"(%x, %y) : (f32, f64) -> f32
  return
}

// -----

func.func @fpowi_result(%x: f32, %n: i32) {
  // expected-error@+1 {{'math.fpowi' op failed to verify that all of {lhs, result} have same type}}
  %0 = "math.fpowi"(%x, %n) : (f32, i32) -> f64
  return
}

// -----

func.func @isnan_result(%x: f32) {
  // expected-error@+1 {{'math.isnan' op result #0 must be bool-like, but got 'f32'}}
  %0 = "math.isnan"(%x) : (f32) -> f32
  return
}

// -----

func.func @fma_arity(%x: f32) {
  // expected-error@+1 {{'math.fma' op expected 3 operands, but found 2}}
  %0 = "math.fma"(%x, %x) : (f32, f32) -> f32
  return
}

// -----

func.func @fastmath_kind(%x: f32) {
  // expected-error@+1 {{'math.sin' op attribute 'fastmath' failed to satisfy constraint}}
  %0 = "math.sin"(%x) <{fastmath = 1 : i32}> : (f32) -> f32
  return
}
