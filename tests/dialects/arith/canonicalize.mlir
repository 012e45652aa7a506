// RUN: irc opt %s --canonicalize | filecheck %s
// Folding of arith ops: constants fold with MLIR's exact semantics, algebraic
// identities fold only where IEEE-754 makes them exact, and what is undefined
// (division by zero, signed overflow, oversized shifts) is left alone.

// f32 arithmetic stays f32 (0.1f + 0.2f is the f32 0.3), 1/0 is +inf, 0/0 is the
// positive quiet NaN, maximumf/minimumf order -0.0 below +0.0, remf is fmod.
// CHECK-LABEL: func.func @fold_float()
// CHECK-DAG:   %[[SUM:.*]] = arith.constant 0.3 : f32
// CHECK-DAG:   %[[INF:.*]] = arith.constant 0x7FF0000000000000 : f64
// CHECK-DAG:   %[[NEG:.*]] = arith.constant -3.0 : f32
// CHECK-DAG:   %[[NAN:.*]] = arith.constant 0x7FF8000000000000 : f64
// CHECK-DAG:   %[[PZ:.*]] = arith.constant 0.0 : f64
// CHECK-DAG:   %[[MZ:.*]] = arith.constant -0.0 : f64
// CHECK-DAG:   %[[REM:.*]] = arith.constant 1.5 : f64
// CHECK:       return %[[SUM]], %[[INF]], %[[NEG]], %[[NAN]], %[[PZ]], %[[MZ]], %[[REM]]
func.func @fold_float() -> (f32, f64, f32, f64, f64, f64, f64) {
  %a = arith.constant 0.1 : f32
  %b = arith.constant 0.2 : f32
  %0 = arith.addf %a, %b : f32
  %c = arith.constant 1.0 : f64
  %z = arith.constant 0.0 : f64
  %1 = arith.divf %c, %z : f64
  %n1 = arith.constant 3.0 : f32
  %2 = arith.negf %n1 : f32
  %3 = arith.divf %z, %z : f64
  %m = arith.constant -0.0 : f64
  %4 = arith.maximumf %m, %z : f64
  %5 = arith.minimumf %m, %z : f64
  %x = arith.constant 5.5 : f64
  %y = arith.constant 2.0 : f64
  %6 = arith.remf %x, %y : f64
  return %0, %1, %2, %3, %4, %5, %6 : f32, f64, f32, f64, f64, f64, f64
}

// Integers wrap around; signed division truncates toward zero and the remainder
// takes the dividend's sign; unsigned ops read the bits as unsigned.
// CHECK-LABEL: func.func @fold_int()
// CHECK-DAG:   %[[ADD:.*]] = arith.constant -56 : i8
// CHECK-DAG:   %[[MUL:.*]] = arith.constant -128 : i8
// CHECK-DAG:   %[[DIV:.*]] = arith.constant -3 : i8
// CHECK-DAG:   %[[REM:.*]] = arith.constant -1 : i8
// CHECK-DAG:   %[[DIVU:.*]] = arith.constant 2147483644 : i32
// CHECK-DAG:   %[[FLOOR:.*]] = arith.constant -4 : i32
// CHECK-DAG:   %[[SHRS:.*]] = arith.constant -32 : i8
// CHECK-DAG:   %[[SHRU:.*]] = arith.constant 32 : i8
// CHECK-DAG:   %[[ULT:.*]] = arith.constant false
// CHECK-DAG:   %[[CEIL:.*]] = arith.constant -3 : i32
// CHECK:       return %[[ADD]], %[[MUL]], %[[DIV]], %[[REM]], %[[DIVU]], %[[FLOOR]], %[[SHRS]], %[[SHRU]], %[[ULT]], %[[CEIL]]
func.func @fold_int() -> (i8, i8, i8, i8, i32, i32, i8, i8, i1, i32) {
  %a = arith.constant 100 : i8
  %0 = arith.addi %a, %a : i8
  %m = arith.constant -128 : i8
  %n = arith.constant -1 : i8
  %1 = arith.muli %m, %n : i8
  %s = arith.constant -7 : i8
  %t = arith.constant 2 : i8
  %2 = arith.divsi %s, %t : i8
  %3 = arith.remsi %s, %t : i8
  %u = arith.constant -7 : i32
  %v = arith.constant 2 : i32
  %4 = arith.divui %u, %v : i32
  %5 = arith.floordivsi %u, %v : i32
  %6 = arith.shrsi %m, %t : i8
  %7 = arith.shrui %m, %t : i8
  %8 = arith.cmpi ult, %n, %t : i8
  %9 = arith.ceildivsi %u, %v : i32
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : i8, i8, i8, i8, i32, i32, i8, i8, i1, i32
}

// Undefined results and inexact identities stay as they are.
// CHECK-LABEL: func.func @no_fold(%x: f64)
// CHECK:       arith.divsi %{{.*}}, %{{.*}} : i32
// CHECK:       arith.divsi %{{.*}}, %{{.*}} : i8
// CHECK:       arith.shli %{{.*}}, %{{.*}} : i8
// CHECK:       arith.fptosi %{{.*}} : f64 to i32
// CHECK:       arith.mulf %x, %{{.*}} : f64
// CHECK:       arith.addf %x, %{{.*}} : f64
func.func @no_fold(%x: f64) -> (i32, i8, i8, i32, f64, f64) {
  %a = arith.constant 7 : i32
  %z = arith.constant 0 : i32
  %0 = arith.divsi %a, %z : i32
  %m = arith.constant -128 : i8
  %n = arith.constant -1 : i8
  %1 = arith.divsi %m, %n : i8
  %e = arith.constant 8 : i8
  %2 = arith.shli %n, %e : i8
  %b = arith.constant 1.0e10 : f64
  %3 = arith.fptosi %b : f64 to i32
  %zero = arith.constant 0.0 : f64
  // x * 0.0 is NaN, -0.0 or +0.0 depending on x; x + 0.0 turns -0.0 into +0.0
  %4 = arith.mulf %x, %zero : f64
  %5 = arith.addf %x, %zero : f64
  return %0, %1, %2, %3, %4, %5 : i32, i8, i8, i32, f64, f64
}

// Against NaN every ordered predicate is false and every unordered one true.
// CHECK-LABEL: func.func @cmpf_nan()
// CHECK-DAG:   %[[F:.*]] = arith.constant false
// CHECK-DAG:   %[[T:.*]] = arith.constant true
// CHECK:       return %[[F]], %[[F]], %[[F]], %[[F]], %[[F]], %[[F]], %[[F]], %[[F]], %[[T]], %[[T]], %[[T]], %[[T]], %[[T]], %[[T]], %[[T]], %[[T]] :
func.func @cmpf_nan() -> (i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1) {
  %a = arith.constant 0x7FF8000000000000 : f64
  %b = arith.constant 1.0 : f64
  %0 = arith.cmpf false, %a, %b : f64
  %1 = arith.cmpf oeq, %a, %b : f64
  %2 = arith.cmpf ogt, %a, %b : f64
  %3 = arith.cmpf oge, %a, %b : f64
  %4 = arith.cmpf olt, %a, %b : f64
  %5 = arith.cmpf ole, %a, %b : f64
  %6 = arith.cmpf one, %a, %b : f64
  %7 = arith.cmpf ord, %a, %b : f64
  %8 = arith.cmpf ueq, %a, %b : f64
  %9 = arith.cmpf ugt, %a, %b : f64
  %10 = arith.cmpf uge, %a, %b : f64
  %11 = arith.cmpf ult, %a, %b : f64
  %12 = arith.cmpf ule, %a, %b : f64
  %13 = arith.cmpf une, %a, %b : f64
  %14 = arith.cmpf uno, %a, %b : f64
  %15 = arith.cmpf true, %a, %b : f64
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15 : i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1
}

// Ordered numbers: 1.0 against 2.0.
// CHECK-LABEL: func.func @cmpf_numbers()
// CHECK-DAG:   %[[F:.*]] = arith.constant false
// CHECK-DAG:   %[[T:.*]] = arith.constant true
// CHECK:       return %[[F]], %[[F]], %[[F]], %[[T]], %[[T]], %[[T]], %[[T]], %[[F]], %[[F]], %[[T]], %[[T]], %[[T]], %[[F]], %[[T]] :
func.func @cmpf_numbers() -> (i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1) {
  %a = arith.constant 1.0 : f32
  %b = arith.constant 2.0 : f32
  %1 = arith.cmpf oeq, %a, %b : f32
  %2 = arith.cmpf ogt, %a, %b : f32
  %3 = arith.cmpf oge, %a, %b : f32
  %4 = arith.cmpf olt, %a, %b : f32
  %5 = arith.cmpf ole, %a, %b : f32
  %6 = arith.cmpf one, %a, %b : f32
  %7 = arith.cmpf ord, %a, %b : f32
  %8 = arith.cmpf ueq, %a, %b : f32
  %9 = arith.cmpf ugt, %a, %b : f32
  %10 = arith.cmpf ult, %a, %b : f32
  %11 = arith.cmpf ule, %a, %b : f32
  %12 = arith.cmpf une, %a, %b : f32
  %13 = arith.cmpf uno, %a, %b : f32
  %14 = arith.cmpf true, %a, %b : f32
  return %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14 : i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1, i1
}

// -1 : i8 is 255 unsigned.
// CHECK-LABEL: func.func @cmpi_signedness()
// CHECK-DAG:   %[[F:.*]] = arith.constant false
// CHECK-DAG:   %[[T:.*]] = arith.constant true
// CHECK:       return %[[F]], %[[T]], %[[T]], %[[T]], %[[F]], %[[F]], %[[F]], %[[F]], %[[T]], %[[T]] :
func.func @cmpi_signedness() -> (i1, i1, i1, i1, i1, i1, i1, i1, i1, i1) {
  %a = arith.constant -1 : i8
  %b = arith.constant 1 : i8
  %0 = arith.cmpi eq, %a, %b : i8
  %1 = arith.cmpi ne, %a, %b : i8
  %2 = arith.cmpi slt, %a, %b : i8
  %3 = arith.cmpi sle, %a, %b : i8
  %4 = arith.cmpi sgt, %a, %b : i8
  %5 = arith.cmpi sge, %a, %b : i8
  %6 = arith.cmpi ult, %a, %b : i8
  %7 = arith.cmpi ule, %a, %b : i8
  %8 = arith.cmpi ugt, %a, %b : i8
  %9 = arith.cmpi uge, %a, %b : i8
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : i1, i1, i1, i1, i1, i1, i1, i1, i1, i1
}

// Exact identities: x + -0.0, 1.0 * x, x / 1.0, x - 0.0; integer x + 0, x * 1,
// x * 0, x - x; select with a constant or a repeated operand; cmpi of x with
// itself; double negation; widening then narrowing back; bitcast round trips;
// index_cast i32 -> index -> i32.  index -> i32 -> index may lose bits: it stays.
// CHECK-LABEL: func.func @identities(%x: f64, %i: i32, %c: i1, %h: f32, %s: i16, %k: index)
// CHECK-DAG:   %[[Z:.*]] = arith.constant 0 : i32
// CHECK-DAG:   %[[T:.*]] = arith.constant true
// CHECK-DAG:   %[[KC:.*]] = arith.index_cast %k : index to i32
// CHECK-DAG:   %[[KK:.*]] = arith.index_cast %[[KC]] : i32 to index
// CHECK:       return %x, %x, %x, %x, %i, %i, %[[Z]], %[[Z]], %x, %x, %[[T]], %x, %h, %s, %s, %i, %[[KK]], %c :
func.func @identities(%x: f64, %i: i32, %c: i1, %h: f32, %s: i16, %k: index) -> (f64, f64, f64, f64, i32, i32, i32, i32, f64, f64, i1, f64, f32, i16, i16, i32, index, i1) {
  %mz = arith.constant -0.0 : f64
  %one = arith.constant 1.0 : f64
  %pz = arith.constant 0.0 : f64
  %0 = arith.addf %x, %mz : f64
  %1 = arith.mulf %one, %x : f64
  %2 = arith.divf %x, %one : f64
  %3 = arith.subf %x, %pz : f64
  %zi = arith.constant 0 : i32
  %oi = arith.constant 1 : i32
  %4 = arith.addi %zi, %i : i32
  %5 = arith.muli %i, %oi : i32
  %6 = arith.muli %i, %zi : i32
  %7 = arith.subi %i, %i : i32
  %true = arith.constant true
  %8 = arith.select %true, %x, %one : f64
  %9 = arith.select %c, %x, %x : f64
  %10 = arith.cmpi sle, %i, %i : i32
  %n = arith.negf %x : f64
  %11 = arith.negf %n : f64
  %e = arith.extf %h : f32 to f64
  %12 = arith.truncf %e : f64 to f32
  %es = arith.extsi %s : i16 to i32
  %13 = arith.trunci %es : i32 to i16
  %b = arith.bitcast %s : i16 to f16
  %14 = arith.bitcast %b : f16 to i16
  %ic = arith.index_cast %i : i32 to index
  %15 = arith.index_cast %ic : index to i32
  %kc = arith.index_cast %k : index to i32
  %16 = arith.index_cast %kc : i32 to index
  %false = arith.constant false
  %17 = arith.select %c, %true, %false : i1
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17 : f64, f64, f64, f64, i32, i32, i32, i32, f64, f64, i1, f64, f32, i16, i16, i32, index, i1
}

// More integer identities: and/or/xor with 0, -1 and themselves, shifts by
// zero, min/max against the type's bounds, (a - b) + b and (a + b) - b.
// CHECK-LABEL: func.func @int_identities(%i: i8, %j: i8)
// CHECK-DAG:   %[[Z:.*]] = arith.constant 0 : i8
// CHECK-DAG:   %[[M1:.*]] = arith.constant -1 : i8
// CHECK-DAG:   %[[MAX:.*]] = arith.constant 127 : i8
// CHECK:       return %[[Z]], %i, %i, %i, %[[M1]], %i, %i, %[[Z]], %i, %[[MAX]], %i, %i, %[[M1]], %i, %j :
func.func @int_identities(%i: i8, %j: i8) -> (i8, i8, i8, i8, i8, i8, i8, i8, i8, i8, i8, i8, i8, i8, i8) {
  %z = arith.constant 0 : i8
  %m1 = arith.constant -1 : i8
  %max = arith.constant 127 : i8
  %min = arith.constant -128 : i8
  %0 = arith.andi %i, %z : i8
  %1 = arith.andi %i, %m1 : i8
  %2 = arith.andi %i, %i : i8
  %3 = arith.ori %i, %z : i8
  %4 = arith.ori %i, %m1 : i8
  %5 = arith.ori %i, %i : i8
  %6 = arith.xori %i, %z : i8
  %7 = arith.xori %i, %i : i8
  %8 = arith.shli %i, %z : i8
  %9 = arith.maxsi %i, %max : i8
  %10 = arith.maxsi %i, %min : i8
  %11 = arith.minsi %i, %max : i8
  %12 = arith.maxui %i, %m1 : i8
  %d = arith.subi %i, %j : i8
  %13 = arith.addi %d, %j : i8
  %s = arith.addi %i, %j : i8
  %14 = arith.subi %s, %i : i8
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14 : i8, i8, i8, i8, i8, i8, i8, i8, i8, i8, i8, i8, i8, i8, i8
}

// Constants move to the right of commutative ops; comparisons swap their predicate.
// CHECK-LABEL: func.func @constant_to_right(%x: f64, %i: i32)
// CHECK-DAG:   %[[C:.*]] = arith.constant 2.0 : f64
// CHECK-DAG:   %[[K:.*]] = arith.constant 3 : i32
// CHECK-DAG:   %[[M:.*]] = arith.mulf %x, %[[C]] : f64
// CHECK-DAG:   %[[LT:.*]] = arith.cmpi sgt, %i, %[[K]] : i32
// CHECK-DAG:   %[[GE:.*]] = arith.cmpf ole, %x, %[[C]] : f64
// CHECK:       return %[[M]], %[[LT]], %[[GE]]
func.func @constant_to_right(%x: f64, %i: i32) -> (f64, i1, i1) {
  %c = arith.constant 2.0 : f64
  %0 = arith.mulf %c, %x : f64
  %k = arith.constant 3 : i32
  %1 = arith.cmpi slt, %k, %i : i32
  %2 = arith.cmpf oge, %c, %x : f64
  return %0, %1, %2 : f64, i1, i1
}

// Tensors fold elementwise.
// CHECK-LABEL: func.func @tensors()
// CHECK-DAG:   %[[M:.*]] = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
// CHECK-DAG:   %[[C:.*]] = arith.constant dense<[false, true]> : tensor<2xi1>
// CHECK-DAG:   %[[A:.*]] = arith.constant dense<[-56, 54, 0]> : tensor<3xi8>
// CHECK:       return %[[M]], %[[C]], %[[A]]
func.func @tensors() -> (tensor<2xf32>, tensor<2xi1>, tensor<3xi8>) {
  %a = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %b = arith.constant dense<0.5> : tensor<2xf32>
  %0 = arith.mulf %a, %b : tensor<2xf32>
  %1 = arith.cmpf olt, %a, %b : tensor<2xf32>
  %i = arith.constant dense<[100, 27, -128]> : tensor<3xi8>
  %2 = arith.addi %i, %i : tensor<3xi8>
  return %0, %1, %2 : tensor<2xf32>, tensor<2xi1>, tensor<3xi8>
}

// Casts fold with one rounding (2^24 + 1 has no f32: it rounds to even); truncf
// folds only when exact, as MLIR's does (65520.0 overflows f16: left for run time).
// CHECK-LABEL: func.func @casts()
// CHECK-DAG:   %[[SI:.*]] = arith.constant -3.0 : f32
// CHECK-DAG:   %[[FS:.*]] = arith.constant -3 : i8
// CHECK-DAG:   %[[UI:.*]] = arith.constant 253.0 : f64
// CHECK-DAG:   %[[TR:.*]] = arith.truncf %{{.*}} : f32 to f16
// CHECK-DAG:   %[[EU:.*]] = arith.constant 253 : i32
// CHECK-DAG:   %[[IX:.*]] = arith.constant -3 : index
// CHECK-DAG:   %[[BC:.*]] = arith.constant 1065353216 : i32
// CHECK-DAG:   %[[BIG:.*]] = arith.constant 1.6777216e+7 : f32
// CHECK-DAG:   %[[ES:.*]] = arith.constant -3 : i64
// CHECK:       return %[[SI]], %[[FS]], %[[UI]], %[[TR]], %[[EU]], %[[IX]], %[[BC]], %[[BIG]], %[[ES]]
func.func @casts() -> (f32, i8, f64, f16, i32, index, i32, f32, i64) {
  %a = arith.constant -3 : i8
  %0 = arith.sitofp %a : i8 to f32
  %b = arith.constant -3.9 : f64
  %1 = arith.fptosi %b : f64 to i8
  %2 = arith.uitofp %a : i8 to f64
  %c = arith.constant 65520.0 : f32
  %3 = arith.truncf %c : f32 to f16
  %4 = arith.extui %a : i8 to i32
  %5 = arith.index_cast %a : i8 to index
  %f = arith.constant 1.0 : f32
  %6 = arith.bitcast %f : f32 to i32
  %i = arith.constant 16777217 : i32
  %7 = arith.sitofp %i : i32 to f32
  %8 = arith.extsi %a : i8 to i64
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : f32, i8, f64, f16, i32, index, i32, f32, i64
}
