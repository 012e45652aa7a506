// RUN: irc opt %s | irc opt | filecheck %s --check-prefix=ROUND
// RUN: irc opt %s --print-op-generic | irc opt | filecheck %s --check-prefix=ROUND
// RUN: irc opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc run %s --entry values --arg 0.5 --json | filecheck %s --check-prefix=EXEC
// RUN: irc run %s --entry clamps --json | filecheck %s --check-prefix=CLAMP
// RUN: irc opt %s --canonicalize | filecheck %s --check-prefix=NOFOLD
// math.sincos (two results) and math.clampf (MLIR 22: `%value to [%min, %max]`,
// defined as maximumf(minimumf(value, max), min)); neither folds, as in MLIR 22.

// ROUND-LABEL: func.func @syntax
// ROUND: %{{.*}}:2 = math.sincos %{{.*}} : f32
// ROUND: %{{.*}}:2 = math.sincos %{{.*}} fastmath<fast> : vector<4xf64>
// ROUND: %{{.*}} = math.clampf %{{.*}} to [%{{.*}}, %{{.*}}] : f32
// ROUND: %{{.*}} = math.clampf %{{.*}} to [%{{.*}}, %{{.*}}] fastmath<nnan> : f32
// GENERIC: "math.sincos"(%{{.*}}) <{fastmath = #arith.fastmath<none>}> : (f32) -> (f32, f32)
// GENERIC: "math.clampf"(%{{.*}}, %{{.*}}, %{{.*}}) <{fastmath = #arith.fastmath<none>}> : (f32, f32, f32) -> f32
func.func @syntax(%x: f32, %lo: f32, %hi: f32, %v: vector<4xf64>) -> (f32, f32, vector<4xf64>, f32, f32) {
  %s, %c = math.sincos %x : f32
  %vs, %vc = math.sincos %v fastmath<fast> : vector<4xf64>
  %k = math.clampf %x to [%lo, %hi] : f32
  %n = math.clampf %x to [%lo, %hi] fastmath<nnan> : f32
  return %s, %c, %vs, %k, %n : f32, f32, vector<4xf64>, f32, f32
}

// sincos(0.5) in f64 equals (sin(0.5), cos(0.5)).
// EXEC: [0.479425538604203, 0.8775825618903728]
func.func @values(%x: f64) -> (f64, f64) {
  %s, %c = math.sincos %x : f64
  return %s, %c : f64, f64
}

// clampf(0, 1, 3) = 1, clampf(5, 1, 3) = 3, clampf(2, 1, 3) = 2; min > max gives
// min; NaN in any operand gives NaN; -0.0 < +0.0.
// CLAMP: [1.0, 3.0, 2.0, 3.0, NaN, NaN, 0.0]
func.func @clamps() -> (f64, f64, f64, f64, f64, f64, f64) {
  %z = arith.constant 0.0 : f64
  %nz = arith.constant -0.0 : f64
  %one = arith.constant 1.0 : f64
  %two = arith.constant 2.0 : f64
  %three = arith.constant 3.0 : f64
  %five = arith.constant 5.0 : f64
  %nan = arith.constant 0x7FF8000000000000 : f64
  %0 = math.clampf %z to [%one, %three] : f64
  %1 = math.clampf %five to [%one, %three] : f64
  %2 = math.clampf %two to [%one, %three] : f64
  %3 = math.clampf %two to [%three, %one] : f64
  %4 = math.clampf %nan to [%one, %three] : f64
  %5 = math.clampf %two to [%nan, %three] : f64
  %6 = math.clampf %nz to [%z, %three] : f64
  return %0, %1, %2, %3, %4, %5, %6 : f64, f64, f64, f64, f64, f64, f64
}

// NOFOLD-LABEL: func.func @clamps
// NOFOLD-COUNT-7: math.clampf
