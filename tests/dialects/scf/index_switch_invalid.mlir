// RUN: irc opt %s --split-input-file --verify-diagnostics
// scf.index_switch's verifier, worded as MLIR's (mlir/lib/Dialect/SCF/IR/SCF.cpp).

func.func @duplicate_case(%i: index) {
  // expected-error@+1 {{'scf.index_switch' op has duplicate case value: 1}}
  scf.index_switch %i
  case 1 {
    scf.yield
  }
  case 1 {
    scf.yield
  }
  default {
  }
  return
}

// -----

func.func @too_few_values(%i: index, %x: f32) -> f32 {
  // expected-error@+1 {{'scf.index_switch' op expected each region to return 1 values, but case region #0 returns 0}}
  %r = scf.index_switch %i -> f32
  case 1 {
    // expected-note@+1 {{see yield operation here}}
    scf.yield
  }
  default {
    scf.yield %x : f32
  }
  return %r : f32
}

// -----

func.func @wrong_type(%i: index, %x: f32, %y: f64) -> f32 {
  // expected-error@+1 {{'scf.index_switch' op expected result #0 of each region to be 'f32'}}
  %r = scf.index_switch %i -> f32
  case 1 {
    scf.yield %x : f32
  }
  default {
    // expected-note@+1 {{default region returns 'f64' here}}
    scf.yield %y : f64
  }
  return %r : f32
}

// -----

func.func @regions_and_values(%i: index) {
  // expected-error@+1 {{'scf.index_switch' op has 0 case regions but 1 case values}}
  "scf.index_switch"(%i) <{cases = array<i64: 1>}> ({
    "scf.yield"() : () -> ()
  }) : (index) -> ()
  return
}

// -----

func.func @not_index(%i: i32) {
  // expected-error@+1 {{must be index, but got}}
  "scf.index_switch"(%i) <{cases = array<i64>}> ({
    "scf.yield"() : () -> ()
  }) : (i32) -> ()
  return
}

// -----

// only the default region's scf.yield may be left out (MLIR reads `case 1 {}` as a
// region without a block)
func.func @implicit_case_yield(%i: index) {
  // expected-error@+1 {{'scf.index_switch' op region #1 ('caseRegions') failed to verify constraint: region with 1 blocks}}
  scf.index_switch %i
  case 1 {
  }
  default {
  }
  return
}
