// RUN: irc opt %s --split-input-file --verify-diagnostics

func.func @sincos_result_types(%x: f32) {
  // expected-error@+1 {{'math.sincos' op failed to verify that all of {operand, sin, cos} have same type}}
  %s, %c = "math.sincos"(%x) : (f32) -> (f32, f64)
  return
}

// -----

func.func @clampf_integer(%x: i32) {
  // expected-error@+1 {{must be floating-point-like, but got}}
  %0 = math.clampf %x to [%x, %x] : i32
  return
}

// -----

func.func @clampf_mixed(%x: f32, %y: f64) {
  // expected-error@+1 {{'math.clampf' op requires the same type for all operands and results}}
  %0 = "math.clampf"(%x, %y, %x) : (f32, f64, f32) -> f32
  return
}
