// RUN: irc opt %s --split-input-file --verify-diagnostics --ad
// Every AD error is a located diagnostic naming the op.

func.func @f(%x: f64, %y: f64) -> f64 {
  return %x : f64
}
func.func @bad_wrt(%x: f64, %y: f64) -> f64 {
  // expected-error@+1 {{'ad.grad' op 'wrt' index 2 is out of range: the differentiated function has 2 arguments}}
  %g = ad.grad @f(%x, %y) {wrt = [2]} : (f64, f64) -> f64
  return %g : f64
}

// -----

func.func @f(%x: f64, %n: i32) -> f64 {
  return %x : f64
}
func.func @active_integer(%x: f64, %n: i32) -> i32 {
  // expected-error@+1 {{'ad.grad' op argument 1 of type i32 cannot be active}}
  %g = ad.grad @f(%x, %n) {wrt = [1]} : (f64, i32) -> i32
  return %g : i32
}

// -----

func.func @unknown_callee(%x: f64) -> f64 {
  // expected-error@+1 {{'ad.grad' op references unknown function '@nowhere'}}
  %g = ad.grad @nowhere(%x) : (f64) -> f64
  return %g : f64
}

// -----

func.func @f(%x: f64) -> f64 {
  return %x : f64
}
func.func @type_mismatch(%x: f64) -> f32 {
  // expected-error@+1 {{'ad.grad' op result types (f32) do not match what differentiating '@f' gives: (f64)}}
  %g = ad.grad @f(%x) : (f64) -> f32
  return %g : f32
}

// -----

func.func @f(%x: f64, %y: f64) -> f64 {
  return %x : f64
}
func.func @jvp_missing_tangent(%x: f64, %y: f64) -> (f64, f64) {
  // expected-error@+1 {{'ad.jvp' op operand types (f64, f64, f64) do not match what differentiating '@f' needs: (f64, f64, f64, f64)}}
  %r, %dr = ad.jvp @f(%x, %y, %x) : (f64, f64, f64) -> (f64, f64)
  return %r, %dr : f64, f64
}

// -----

func.func @pair(%x: f64) -> (f64, f64) {
  return %x, %x : f64, f64
}
func.func @grad_of_two_results(%x: f64) -> f64 {
  // expected-error@+1 {{'ad.grad' op needs '@pair' to return exactly one float scalar, but it returns (f64, f64)}}
  %g = ad.grad @pair(%x) : (f64) -> f64
  return %g : f64
}

// -----

func.func @to_int(%x: f64) -> i32 {
  %n = arith.fptosi %x : f64 to i32
  return %n : i32
}
func.func @grad_of_integer(%x: f64) -> f64 {
  // expected-error@+1 {{'ad.grad' op needs '@to_int' to return exactly one float scalar, but it returns (i32)}}
  %g = ad.grad @to_int(%x) : (f64) -> f64
  return %g : f64
}

// -----

func.func @no_rule(%x: f64) -> f64 {
  // expected-error@+1 {{'builtin.unrealized_conversion_cast' op has no reverse-mode derivative rule}}
  %y = builtin.unrealized_conversion_cast %x : f64 to f64
  return %y : f64
}
func.func @main(%x: f64) -> f64 {
  %g = ad.grad @no_rule(%x) : (f64) -> f64
  return %g : f64
}

// -----

func.func @no_forward_rule(%x: f64) -> f64 {
  // expected-error@+1 {{'builtin.unrealized_conversion_cast' op has no forward-mode derivative rule}}
  %y = builtin.unrealized_conversion_cast %x : f64 to f64
  return %y : f64
}
func.func @main(%x: f64, %dx: f64) -> (f64, f64) {
  %y, %dy = ad.jvp @no_forward_rule(%x, %dx) : (f64, f64) -> (f64, f64)
  return %y, %dy : f64, f64
}

// -----

func.func @fact(%x: f64) -> f64 {
  // expected-error@+1 {{'func.call' op cannot differentiate the recursive function '@fact' (@fact -> @fact); recursion is not supported}}
  %r = func.call @fact(%x) : (f64) -> f64
  return %r : f64
}
func.func @main(%x: f64) -> f64 {
  %g = ad.grad @fact(%x) : (f64) -> f64
  return %g : f64
}

// -----

func.func private @external(f64) -> f64
func.func @main(%x: f64) -> f64 {
  // expected-error@+1 {{'ad.grad' op cannot differentiate '@external': it has no body and no ad.jvp_rule/ad.vjp_rule}}
  %g = ad.grad @external(%x) : (f64) -> f64
  return %g : f64
}

// -----

func.func @main(%x: f64) -> f64 {
  // expected-error@+1 {{'ad.grad' op operand types (f64, f64) do not match what differentiating the region needs: (f64)}}
  %g = ad.grad (%x, %x) : (f64, f64) -> f64 {
  ^bb0(%a: f64):
    ad.yield %a : f64
  }
  return %g : f64
}

// -----

func.func @tape_of_tapes() {
  // expected-error@+1 {{invalid '!ad.tape' type: a tape holds values (scalars, vectors, tensors, buffers), not !ad.tape<f64>}}
  %t = ad.tape_create : !ad.tape<!ad.tape<f64>>
  return
}
