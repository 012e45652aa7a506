// The reference interpreter runs arith with MLIR's semantics.
// RUN: irc run %s --entry integers --json | filecheck %s --check-prefix=INT
// INT: [-56, -3, -1, 2147483644, 1, -4, -3, 0, -32, 32, 0, -1, 0, [-2, 54, 0]]
// RUN: irc run %s --entry floats --json | filecheck %s --check-prefix=FLOAT
// FLOAT: [0.30000001192092896, 0.30000000000000004, 0.0, -0.0, NaN, -1.5, [1.5, -1.0, 3.0], [true, false, true]]
// RUN: irc run %s --entry compare --arg nan --arg 1.0 | filecheck %s --check-prefix=NAN
// NAN: 0
// NAN-NEXT: 1
// NAN-NEXT: 0
// NAN-NEXT: 1
// RUN: not irc run %s --entry divide --arg 7 --arg 0 2>&1 | filecheck %s --check-prefix=DIVZERO
// DIVZERO: error: 'arith.divsi' op division by zero
// RUN: not irc run %s --interpret --entry to_int --arg 300.0 2>&1 | filecheck %s --check-prefix=RANGE
// RANGE: error: 'arith.fptosi' op 300.0 is out of the range of signed i8

// i8 wraps; signed division truncates toward zero and the remainder has the
// dividend's sign; unsigned ops read -7 as 2^32 - 7; shifts by >= the width
// give the unbounded shift's value (MLIR: poison); tensors wrap elementwise.
func.func @integers() -> (i8, i32, i32, i32, i32, i32, i32, i8, i8, i8, i8, i8, i8, tensor<3xi8>) {
  %c100 = arith.constant 100 : i8
  %m7 = arith.constant -7 : i32
  %c2 = arith.constant 2 : i32
  %add = arith.addi %c100, %c100 : i8
  %divsi = arith.divsi %m7, %c2 : i32
  %remsi = arith.remsi %m7, %c2 : i32
  %divui = arith.divui %m7, %c2 : i32
  %remui = arith.remui %m7, %c2 : i32
  %floor = arith.floordivsi %m7, %c2 : i32
  %ceil = arith.ceildivsi %m7, %c2 : i32
  %min = arith.constant -128 : i8
  %s2 = arith.constant 2 : i8
  %s9 = arith.constant 9 : i8
  %shl = arith.shli %min, %s2 : i8
  %shrs = arith.shrsi %min, %s2 : i8
  %shru = arith.shrui %min, %s2 : i8
  %shl9 = arith.shli %min, %s9 : i8
  %shrs9 = arith.shrsi %min, %s9 : i8
  %shru9 = arith.shrui %min, %s9 : i8
  %t = arith.constant dense<[127, 27, -128]> : tensor<3xi8>
  %tt = arith.addi %t, %t : tensor<3xi8>
  return %add, %divsi, %remsi, %divui, %remui, %floor, %ceil, %shl, %shrs, %shru, %shl9, %shrs9, %shru9, %tt : i8, i32, i32, i32, i32, i32, i32, i8, i8, i8, i8, i8, i8, tensor<3xi8>
}

// f32 stays f32; maximumf/minimumf order -0.0 below +0.0 and propagate NaN;
// remf takes the dividend's sign; tensors work elementwise.
func.func @floats() -> (f32, f64, f64, f64, f64, f64, tensor<3xf32>, tensor<3xi1>) {
  %a = arith.constant 0.1 : f32
  %b = arith.constant 0.2 : f32
  %sum32 = arith.addf %a, %b : f32
  %c = arith.constant 0.1 : f64
  %d = arith.constant 0.2 : f64
  %sum64 = arith.addf %c, %d : f64
  %mz = arith.constant -0.0 : f64
  %pz = arith.constant 0.0 : f64
  %max = arith.maximumf %mz, %pz : f64
  %min = arith.minimumf %pz, %mz : f64
  %nan = arith.constant 0x7FF8000000000000 : f64
  %maxnan = arith.maximumf %nan, %pz : f64
  %x = arith.constant -5.5 : f64
  %y = arith.constant 2.0 : f64
  %rem = arith.remf %x, %y : f64
  %ta = arith.constant dense<[1.0, -2.0, 4.0]> : tensor<3xf32>
  %tb = arith.constant dense<[0.5, 1.0, -1.0]> : tensor<3xf32>
  %ts = arith.addf %ta, %tb : tensor<3xf32>
  %tc = arith.cmpf ogt, %ts, %tb : tensor<3xf32>
  return %sum32, %sum64, %max, %min, %maxnan, %rem, %ts, %tc : f32, f64, f64, f64, f64, f64, tensor<3xf32>, tensor<3xi1>
}

// Against NaN, ordered predicates are false and unordered ones true.
func.func @compare(%a: f64, %b: f64) -> (i1, i1, i1, i1) {
  %0 = arith.cmpf olt, %a, %b : f64
  %1 = arith.cmpf ult, %a, %b : f64
  %2 = arith.cmpf ogt, %a, %b : f64
  %3 = arith.cmpf uno, %a, %b : f64
  return %0, %1, %2, %3 : i1, i1, i1, i1
}

func.func @divide(%a: i32, %b: i32) -> i32 {
  %0 = arith.divsi %a, %b : i32
  return %0 : i32
}

func.func @to_int(%a: f64) -> i8 {
  %0 = arith.fptosi %a : f64 to i8
  return %0 : i8
}
