// RUN: irc opt %s --split-input-file --verify-diagnostics
// Every class of core diagnostic, one per chunk, checked with expected-error.

func.func @f(%x: f64) -> f64 {
  // expected-error@+1 {{use of undeclared SSA value name '%y'}}
  return %y : f64
}

// -----

func.func @f(%x: f64) -> f32 {
  // expected-error@+1 {{'func.return' op type of return operand 0 (f64) doesn't match function result type (f32)}}
  return %x : f64
}

// -----

func.func @g(%x: f64) -> f64 {
  // expected-error@+1 {{'@missing' does not reference a valid function}}
  %0 = func.call @missing(%x) : (f64) -> f64
  return %0 : f64
}

// -----

func.func @dom(%x: f64) -> f64 {
  // expected-error@+1 {{operand #0 does not dominate this use}}
  %0 = func.call @dom(%1) : (f64) -> f64
  %1 = func.call @dom(%x) : (f64) -> f64
  return %0 : f64
}

// -----

// expected-error@+1 {{empty block: expect at least a terminator}}
func.func @noterm(%x: f64) -> f64 {
}

// -----

func.func @f(%x: f64) -> f64 {
  // expected-error@+1 {{unregistered operation 'foo.bar' found in dialect ('foo')}}
  %0 = "foo.bar"(%x) : (f64) -> f64
  return %0 : f64
}

// -----

// expected-error@+1 {{unknown type 'nosuchtype' in dialect 'ad'}}
func.func private @f(!ad.nosuchtype) -> ()

// -----

func.func @f(%x: f64) -> f64 {
  // expected-error@+1 {{redefinition of SSA value '%x'}}
  %x = func.call @f(%x) : (f64) -> f64
  return %x : f64
}

// -----

func.func @f(%x: f64) -> f64 {
  // expected-error@+1 {{'func.return' op must be the last operation in the parent block}}
  return %x : f64
  return %x : f64
}

// -----

func.func @f(%x: f64) -> f64 {
  // expected-error@+1 {{unexpected 'f64'}}
  return %x f64
}

// -----

func.func @f(%x: f64) -> f64 {
  // expected-error@+1 {{use of value '%x' expects different type than prior uses: 'f32' vs 'f64'}}
  %0 = func.call @f(%x) : (f32) -> f64
  return %0 : f64
}

// -----

func.func @f(%x: f64) -> f64 {
  %0 = "func.call"(%x) <{callee = @f}> : (f64) -> f64
  // expected-error@+1 {{'%0' has a single result}}
  return %0#1 : f64
}

// -----

func.func @f() -> () {
  // expected-error@+1 {{expected f32 elements, got the boolean 'true'}}
  %0 = arith.constant dense<true> : tensor<2xf32>
  return
}

// -----

func.func @f(%n: index) {
  // expected-error@+1 {{'scf.forall' op 'operandSegmentSizes' attribute for specifying operand segments must have 4 elements, but got 3}}
  "scf.forall"() <{operandSegmentSizes = array<i32: 0, 0, 0>, staticLowerBound = array<i64: 0>, staticStep = array<i64: 1>, staticUpperBound = array<i64: 4>}> ({
    ^bb0(%i: index):
      "scf.forall.in_parallel"() ({
      ^bb0:
      }) : () -> ()
    }) : () -> ()
  return
}
