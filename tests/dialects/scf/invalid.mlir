// RUN: irc opt %s --split-input-file --verify-diagnostics
// The scf dialect's diagnostics.

func.func @for_yield_type(%lb: index, %x: f64, %y: f32) {
  // expected-error@+1 {{'scf.for' op 0-th region iter_arg and 0-th yielded value have different type: 'f64' != 'f32'}}
  %r = scf.for %i = %lb to %lb step %lb iter_args(%a = %x) -> (f64) {
    scf.yield %y : f32
  }
  return
}

// -----

func.func @for_missing_yield(%lb: index, %x: f64) {
  // expected-error@+1 {{'scf.for' op along control flow edge from Operation scf.yield to Region #0: region branch point has 0 operands, but region successor needs 1 inputs}}
  %r = scf.for %i = %lb to %lb step %lb iter_args(%a = %x) -> (f64) {
  }
  return
}

// -----

func.func @for_bounds(%lb: index, %n: i32) {
  // expected-error@+1 {{'scf.for' op failed to verify that all of {lowerBound, upperBound, step} have same type}}
  "scf.for"(%lb, %n, %lb) ({
  ^bb0(%i: index):
    scf.yield
  }) : (index, i32, index) -> ()
  return
}

// -----

func.func @for_float(%x: f32) {
  // expected-error@+1 {{'scf.for' op operand #0 ('lower_bound') must be signless integer or index, but got f32}}
  scf.for %i = %x to %x step %x : f32 {
  }
  return
}

// -----

func.func @if_condition(%n: i32) {
  // expected-error@+1 {{'scf.if' op operand #0 ('condition') must be i1, but got i32}}
  "scf.if"(%n) ({
    scf.yield
  }, {
  }) : (i32) -> ()
  return
}

// -----

func.func @if_no_else(%c: i1, %x: f64) -> f64 {
  // expected-error@+1 {{'scf.if' op must have an else block if defining values}}
  %r = scf.if %c -> (f64) {
    scf.yield %x : f64
  }
  return %r : f64
}

// -----

func.func @yield_parent(%lb: index) {
  scf.parallel (%i) = (%lb) to (%lb) step (%lb) {
    // expected-error@+1 {{'scf.yield' op expects parent op to be one of 'scf.for', 'scf.if', 'scf.while', 'scf.execute_region', 'scf.index_switch'}}
    scf.yield
  }
  return
}

// -----

func.func @while_terminator(%x: f64) -> f64 {
  // expected-error@+1 {{'scf.while' op expects the 'before' region to terminate with 'scf.condition'}}
  %r = scf.while (%a = %x) : (f64) -> f64 {
    scf.yield %a : f64
  } do {
  ^bb0(%b: f64):
    scf.yield %b : f64
  }
  return %r : f64
}

// -----

func.func @while_after_args(%x: f64, %c: i1) -> f32 {
  // expected-error@+1 {{'scf.while' op along control flow edge from Operation scf.condition to parent: successor operand type #0 'f64' should match successor input type #0 'f32'}}
  %r = scf.while (%a = %x) : (f64) -> f32 {
    scf.condition(%c) %a : f64
  } do {
  ^bb0(%b: f32):
    scf.yield %b : f32
  }
  return %r : f32
}

// -----

func.func @condition_type(%x: f64) -> f64 {
  %r = scf.while (%a = %x) : (f64) -> f64 {
    // expected-error@+1 {{'scf.condition' op operand #0 ('condition') must be i1, but got f64}}
    scf.condition(%a) %a : f64
  } do {
  ^bb0(%b: f64):
    scf.yield %b : f64
  }
  return %r : f64
}

// -----

func.func @parallel_step(%n: index) {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{'scf.parallel' op constant step operand must be positive}}
  scf.parallel (%i) = (%n) to (%n) step (%c0) {
  }
  return
}

// -----

func.func @reduce_type(%n: index, %x: f32, %y: f64) -> f32 {
  %r = scf.parallel (%i) = (%n) to (%n) step (%n) init (%x) -> f32 {
    // expected-error@+1 {{'scf.reduce' op expects type of 0-th reduction operand: 'f64' to be the same as the 0-th result type: 'f32'}}
    scf.reduce(%y : f64) {
    ^bb0(%l: f64, %rr: f64):
      scf.reduce.return %l : f64
    }
  }
  return %r : f32
}

// -----

func.func @reduce_return_type(%n: index, %x: f32) -> f32 {
  %r = scf.parallel (%i) = (%n) to (%n) step (%n) init (%x) -> f32 {
    scf.reduce(%x : f32) {
    ^bb0(%l: f32, %rr: f32):
      %d = arith.extf %l : f32 to f64
      // expected-error@+1 {{'scf.reduce.return' op must have type 'f32' (the type of the reduction inputs)}}
      scf.reduce.return %d : f64
    }
  }
  return %r : f32
}

// -----

func.func @execute_region_args() {
  // expected-error@+1 {{'scf.execute_region' op region cannot have any arguments}}
  "scf.execute_region"() ({
  ^bb0(%a: f32):
    scf.yield
  }) : () -> ()
  return
}
