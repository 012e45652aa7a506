// RUN: irc run %s --entry f32_math --arg 0.5 --json | filecheck %s --check-prefix=F32
// RUN: irc run %s --entry domain --arg -1.0 --json | filecheck %s --check-prefix=NAN
// RUN: irc run %s --entry ints --arg -7 --arg 3 --json | filecheck %s --check-prefix=INT
// The interpreter computes math in the operand's precision.

// sin(0.5) in f32 is 0.47942555 (f64: 0.479425538604203); printed as the f32 value widened.
// F32: [0.4794255495071411, 1.6487212181091309, 0.25, 1.0, 0.5204998850822449]
func.func @f32_math(%x: f32) -> (f32, f32, f32, f32, f32) {
  %0 = math.sin %x : f32
  %1 = math.exp %x : f32
  %2 = math.fma %x, %x, %0 : f32
  %3 = math.round %x : f32
  %4 = math.erf %x : f32
  %5 = arith.subf %2, %0 : f32
  return %0, %1, %5, %3, %4 : f32, f32, f32, f32, f32
}

// Domain errors give NaN (as C's libm), never an error.
// NAN: [NaN, NaN, -Infinity]
func.func @domain(%x: f64) -> (f64, f64, f64) {
  %0 = math.log %x : f64
  %1 = math.sqrt %x : f64
  %z = arith.constant 0.0 : f64
  %2 = math.log %z : f64
  return %0, %1, %2 : f64, f64, f64
}

// INT: [7, -343, 30]
func.func @ints(%x: i32, %n: i32) -> (i32, i32, i32) {
  %0 = math.absi %x : i32
  %1 = math.ipowi %x, %n : i32
  %2 = math.ctlz %n : i32
  return %0, %1, %2 : i32, i32, i32
}
