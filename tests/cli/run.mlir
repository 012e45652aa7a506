// irc run: scalars and arrays in, results out (one per line, or JSON).
// RUN: irc run %s --entry poly --arg 2.0 | filecheck %s --check-prefix=LINES
// RUN: irc run %s --entry poly --arg 0.5 --json | filecheck %s --check-prefix=JSON
// RUN: irc run %s --entry ints --arg 7 --arg 100 --json | filecheck %s --check-prefix=INTS
// RUN: not irc run %s --entry poly 2>&1 | filecheck %s --check-prefix=ARGS
// RUN: not irc run %s --entry nope --arg 1 2>&1 | filecheck %s --check-prefix=NOFN
// RUN: not irc run %s --entry poly --arg abc 2>&1 | filecheck %s --check-prefix=BADARG
// RUN: not irc run %s --entry div --arg 1 --arg 0 2>&1 | filecheck %s --check-prefix=DIV0

// LINES: 11.0
// LINES-NEXT: 13.0
// JSON: [1.625, 1.75]
// INTS: [-56, 1]
// ARGS: irc: error: @poly takes 1 arguments (f64), but 0 --arg were given
// NOFN: error: no function named '@nope' in the module
// BADARG: irc: error: invalid --arg 'abc'
// DIV0: run.mlir:[[# @LINE + 23]]:3: error: 'arith.divsi' op division by zero

// p(x) = x^3 + x + 1 and its derivative 3x^2 + 1, through ad.jvp
func.func @p(%x: f64) -> f64 {
  %c1 = arith.constant 1.0 : f64
  %x2 = arith.mulf %x, %x : f64
  %x3 = arith.mulf %x2, %x : f64
  %s = arith.addf %x3, %x : f64
  %r = arith.addf %s, %c1 : f64
  return %r : f64
}
func.func @poly(%x: f64) -> (f64, f64) {
  %one = arith.constant 1.0 : f64
  %y, %dy = ad.jvp @p(%x, %one) : (f64, f64) -> (f64, f64)
  return %y, %dy : f64, f64
}
func.func @ints(%a: i8, %b: i8) -> (i8, i8) {
  %s = arith.addi %b, %b : i8
  %c = arith.cmpi slt, %a, %b : i8
  %e = arith.extui %c : i1 to i8
  return %s, %e : i8, i8
}
func.func @div(%a: i32, %b: i32) -> i32 {
  %d = arith.divsi %a, %b : i32
  return %d : i32
}
