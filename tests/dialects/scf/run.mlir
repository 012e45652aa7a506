// RUN: irc run %s --entry sum --arg 100 --json | filecheck %s --check-prefix=SUM
// RUN: irc run %s --entry collatz --arg 27 --json | filecheck %s --check-prefix=COLLATZ
// RUN: irc run %s --entry triangle --arg 6 --json | filecheck %s --check-prefix=TRI
// RUN: irc run %s --entry par --arg 4 --json | filecheck %s --check-prefix=PAR
// RUN: irc run %s --entry branch --arg true --arg 0.5 --json | filecheck %s --check-prefix=THEN
// RUN: irc run %s --entry branch --arg false --arg 0.5 --json | filecheck %s --check-prefix=ELSE
// RUN: irc opt %s --canonicalize | irc run - --entry sum --arg 100 --json | filecheck %s --check-prefix=SUM
// The interpreter runs structured control flow.

// 1 + 2 + ... + n
// SUM: [5050.0]
func.func @sum(%n: index) -> f64 {
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f64
  %np1 = arith.addi %n, %c1 : index
  %r = scf.for %i = %c1 to %np1 step %c1 iter_args(%acc = %z) -> (f64) {
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f64
    %s = arith.addf %acc, %f : f64
    scf.yield %s : f64
  }
  return %r : f64
}

// A while loop with a data-dependent trip count: the Collatz steps of 27.
// COLLATZ: [111]
func.func @collatz(%x: i32) -> i32 {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %c2 = arith.constant 2 : i32
  %c3 = arith.constant 3 : i32
  %r:2 = scf.while (%v = %x, %k = %c0) : (i32, i32) -> (i32, i32) {
    %ne = arith.cmpi ne, %v, %c1 : i32
    scf.condition(%ne) %v, %k : i32, i32
  } do {
  ^bb0(%a: i32, %b: i32):
    %rem = arith.remsi %a, %c2 : i32
    %even = arith.cmpi eq, %rem, %c0 : i32
    %nv = scf.if %even -> (i32) {
      %h = arith.divsi %a, %c2 : i32
      scf.yield %h : i32
    } else {
      %t = arith.muli %a, %c3 : i32
      %t1 = arith.addi %t, %c1 : i32
      scf.yield %t1 : i32
    }
    %nb = arith.addi %b, %c1 : i32
    scf.yield %nv, %nb : i32, i32
  }
  return %r#1 : i32
}

// Nested loops with i32 induction variables: sum of j for 0 <= j < i < n.
// TRI: [20]
func.func @triangle(%n: i32) -> i32 {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %c0) -> (i32) : i32 {
    %q = scf.for %j = %c0 to %i step %c1 iter_args(%b = %a) -> (i32) : i32 {
      %t = arith.addi %b, %j : i32
      scf.yield %t : i32
    }
    scf.yield %q : i32
  }
  return %r : i32
}

// A parallel loop nest with a reduction, run sequentially.
// PAR: [36.5]
func.func @par(%n: index) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %h = arith.constant 0.5 : f32
  %r = scf.parallel (%i, %j) = (%c0, %c0) to (%n, %n) step (%c1, %c1) init (%h) -> f32 {
    %ij = arith.muli %i, %j : index
    %ii = arith.index_cast %ij : index to i32
    %f = arith.sitofp %ii : i32 to f32
    scf.reduce(%f : f32) {
    ^bb0(%l: f32, %rr: f32):
      %s = arith.addf %l, %rr : f32
      scf.reduce.return %s : f32
    }
  }
  return %r : f32
}

// THEN: [0.479425538604203]
// ELSE: [1.6487212707001282]
func.func @branch(%c: i1, %x: f64) -> f64 {
  %r = scf.if %c -> (f64) {
    %s = math.sin %x : f64
    scf.yield %s : f64
  } else {
    %e = scf.execute_region -> f64 {
      %q = math.exp %x : f64
      scf.yield %q : f64
    }
    scf.yield %e : f64
  }
  return %r : f64
}
