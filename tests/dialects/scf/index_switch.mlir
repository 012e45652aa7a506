// RUN: irc opt %s | filecheck %s --check-prefix=ROUND
// RUN: irc opt %s | irc opt | filecheck %s --check-prefix=ROUND
// RUN: irc opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc opt %s --print-op-generic | irc opt | filecheck %s --check-prefix=ROUND
// RUN: irc run %s --entry pick --arg 2 --arg 0.5 --json | filecheck %s --check-prefix=CASE2
// RUN: irc run %s --entry pick --arg -1 --arg 0.5 --json | filecheck %s --check-prefix=CASEM1
// RUN: irc run %s --entry pick --arg 7 --arg 0.5 --json | filecheck %s --check-prefix=DEFAULT
// RUN: irc opt %s --canonicalize | filecheck %s --check-prefix=FOLD
// scf.index_switch in MLIR 22's syntax: the printed form, the generic form
// (regions default first, `cases` as array<i64>), the interpreter and the
// canonicalization of a constant index (MLIR's FoldConstantCase).

// ROUND-LABEL: func.func @pick
// ROUND: %{{.*}}:2 = scf.index_switch %{{.*}} -> f64, i32
// ROUND-NEXT: case -1 {
// ROUND: scf.yield %{{.*}}, %{{.*}} : f64, i32
// ROUND: case 2 {
// ROUND: default {
// ROUND: scf.index_switch %{{.*}} {tag = "effects"}
// ROUND-NEXT: case 0 {
// ROUND-NEXT: scf.yield
// ROUND-NEXT: }
// ROUND-NEXT: default {
// ROUND-NEXT: }
// GENERIC: "scf.index_switch"(%{{.*}}) <{cases = array<i64: -1, 2>}> ({
// GENERIC: }) : (index) -> (f64, i32)
// CASE2: [0.25, 2]
// CASEM1: [-0.5, -1]
// DEFAULT: [0.5, 0]
func.func @pick(%i: index, %x: f64) -> (f64, i32) {
  %r:2 = scf.index_switch %i -> f64, i32
  case -1 {
    %n = arith.negf %x : f64
    %c = arith.constant -1 : i32
    scf.yield %n, %c : f64, i32
  }
  case 2 {
    %sq = arith.mulf %x, %x : f64
    %c = arith.constant 2 : i32
    scf.yield %sq, %c : f64, i32
  }
  default {
    %c = arith.constant 0 : i32
    scf.yield %x, %c : f64, i32
  }
  scf.index_switch %i {tag = "effects"}
  case 0 {
    scf.yield
  }
  default {
  }
  return %r#0, %r#1 : f64, i32
}

// A constant index inlines the chosen case (or the default).
// FOLD-LABEL: func.func @constant_index
// FOLD-NOT: scf.index_switch
// FOLD: %[[SQ:.*]] = arith.mulf %x, %x : f64
// FOLD: return %[[SQ]], %x : f64, f64
func.func @constant_index(%x: f64) -> (f64, f64) {
  %c2 = arith.constant 2 : index
  %c9 = arith.constant 9 : index
  %a = scf.index_switch %c2 -> f64
  case 2 {
    %sq = arith.mulf %x, %x : f64
    scf.yield %sq : f64
  }
  default {
    scf.yield %x : f64
  }
  %b = scf.index_switch %c9 -> f64
  case 2 {
    %n = arith.negf %x : f64
    scf.yield %n : f64
  }
  default {
    scf.yield %x : f64
  }
  return %a, %b : f64, f64
}
