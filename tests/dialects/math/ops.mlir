// RUN: irc opt %s --split-input-file | filecheck %s
// RUN: irc opt %s --split-input-file | irc opt - --split-input-file | filecheck %s
// RUN: irc opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc opt %s --split-input-file --print-op-generic | irc opt - --split-input-file | filecheck %s
// Every math op's custom form (as MLIR prints it) and generic form.

// CHECK-LABEL: func.func @float_unary
// CHECK-NEXT:    %0 = math.exp %x : f64
// CHECK-NEXT:    %1 = math.exp2 %0 : f64
// CHECK-NEXT:    %2 = math.expm1 %1 : f64
// CHECK-NEXT:    %3 = math.log %2 : f64
// CHECK-NEXT:    %4 = math.log2 %3 : f64
// CHECK-NEXT:    %5 = math.log10 %4 : f64
// CHECK-NEXT:    %6 = math.log1p %5 : f64
// CHECK-NEXT:    %7 = math.sin %6 : f64
// CHECK-NEXT:    %8 = math.cos %7 : f64
// CHECK-NEXT:    %9 = math.tan %8 : f64
// CHECK-NEXT:    %10 = math.tanh %9 : f64
// CHECK-NEXT:    %11 = math.atan %10 : f64
// CHECK-NEXT:    %12 = math.sinh %11 : f64
// CHECK-NEXT:    %13 = math.cosh %12 : f64
// CHECK-NEXT:    %14 = math.asin %13 : f64
// CHECK-NEXT:    %15 = math.acos %14 : f64
// CHECK-NEXT:    %16 = math.asinh %15 : f64
// CHECK-NEXT:    %17 = math.acosh %16 : f64
// CHECK-NEXT:    %18 = math.atanh %17 : f64
// CHECK-NEXT:    %19 = math.sqrt %18 : f64
// CHECK-NEXT:    %20 = math.rsqrt %19 : f64
// CHECK-NEXT:    %21 = math.cbrt %20 : f64
// CHECK-NEXT:    %22 = math.erf %21 : f64
// CHECK-NEXT:    %23 = math.absf %22 : f64
// CHECK-NEXT:    %24 = math.floor %23 : f64
// CHECK-NEXT:    %25 = math.ceil %24 : f64
// CHECK-NEXT:    %26 = math.round %25 : f64
// CHECK-NEXT:    %27 = math.roundeven %26 : f64
// CHECK-NEXT:    %28 = math.trunc %27 : f64
// CHECK-NEXT:    return %28 : f64
// GENERIC-LABEL: "func.func"() <{function_type = (f64) -> f64, sym_name = "float_unary"}>
// GENERIC:         %0 = "math.exp"(%x) <{fastmath = #arith.fastmath<none>}> : (f64) -> f64
// GENERIC:         %28 = "math.trunc"(%27) <{fastmath = #arith.fastmath<none>}> : (f64) -> f64
func.func @float_unary(%x: f64) -> f64 {
  %0 = math.exp %x : f64
  %1 = math.exp2 %0 : f64
  %2 = math.expm1 %1 : f64
  %3 = math.log %2 : f64
  %4 = math.log2 %3 : f64
  %5 = math.log10 %4 : f64
  %6 = math.log1p %5 : f64
  %7 = math.sin %6 : f64
  %8 = math.cos %7 : f64
  %9 = math.tan %8 : f64
  %10 = math.tanh %9 : f64
  %11 = math.atan %10 : f64
  %12 = math.sinh %11 : f64
  %13 = math.cosh %12 : f64
  %14 = math.asin %13 : f64
  %15 = math.acos %14 : f64
  %16 = math.asinh %15 : f64
  %17 = math.acosh %16 : f64
  %18 = math.atanh %17 : f64
  %19 = math.sqrt %18 : f64
  %20 = math.rsqrt %19 : f64
  %21 = math.cbrt %20 : f64
  %22 = math.erf %21 : f64
  %23 = math.absf %22 : f64
  %24 = math.floor %23 : f64
  %25 = math.ceil %24 : f64
  %26 = math.round %25 : f64
  %27 = math.roundeven %26 : f64
  %28 = math.trunc %27 : f64
  return %28 : f64
}

// -----

// CHECK-LABEL: func.func @binary_ternary_integer
// CHECK-NEXT:    %0 = math.powf %x, %y : f32
// CHECK-NEXT:    %1 = math.atan2 %0, %y : f32
// CHECK-NEXT:    %2 = math.copysign %1, %y : f32
// CHECK-NEXT:    %3 = math.fma %x, %y, %2 : f32
// CHECK-NEXT:    %4 = math.fpowi %3, %n : f32, i32
// CHECK-NEXT:    %5 = math.ipowi %n, %n : i32
// CHECK-NEXT:    %6 = math.absi %5 : i32
// CHECK-NEXT:    %7 = math.ctlz %6 : i32
// CHECK-NEXT:    %8 = math.cttz %7 : i32
// CHECK-NEXT:    %9 = math.ctpop %8 : i32
// GENERIC:       "math.fma"(%x, %y, %2) <{fastmath = #arith.fastmath<none>}> : (f32, f32, f32) -> f32
// GENERIC:       "math.fpowi"(%3, %n) <{fastmath = #arith.fastmath<none>}> : (f32, i32) -> f32
func.func @binary_ternary_integer(%x: f32, %y: f32, %n: i32) -> (f32, i32) {
  %0 = math.powf %x, %y : f32
  %1 = math.atan2 %0, %y : f32
  %2 = math.copysign %1, %y : f32
  %3 = math.fma %x, %y, %2 : f32
  %4 = math.fpowi %3, %n : f32, i32
  %5 = math.ipowi %n, %n : i32
  %6 = math.absi %5 : i32
  %7 = math.ctlz %6 : i32
  %8 = math.cttz %7 : i32
  %9 = math.ctpop %8 : i32
  return %4, %9 : f32, i32
}

// -----

// Fast-math flags: `fastmath<...>` after the operands; `none` is not printed.
// CHECK-LABEL: func.func @fastmath
// CHECK-NEXT:    %0 = math.sin %x fastmath<fast> : f64
// CHECK-NEXT:    %1 = math.powf %x, %0 fastmath<nnan,ninf> : f64
// CHECK-NEXT:    %2 = math.fma %x, %1, %0 : f64
// CHECK-NEXT:    %3 = math.fpowi %2, %n fastmath<contract> : f64, i32
// GENERIC:       "math.sin"(%x) <{fastmath = #arith.fastmath<fast>}> : (f64) -> f64
// GENERIC:       "math.powf"(%x, %0) <{fastmath = #arith.fastmath<nnan,ninf>}> : (f64, f64) -> f64
// A `fastmath` left out is MLIR's default, `none`, which the generic form shows.
// GENERIC:       "math.fma"(%x, %1, %0) <{fastmath = #arith.fastmath<none>}> : (f64, f64, f64) -> f64
func.func @fastmath(%x: f64, %n: i32) -> f64 {
  %0 = math.sin %x fastmath<fast> : f64
  %1 = math.powf %x, %0 fastmath<nnan,ninf> : f64
  %2 = math.fma %x, %1, %0 fastmath<none> : f64
  %3 = math.fpowi %2, %n fastmath<contract> : f64, i32
  return %3 : f64
}

// -----

// Elementwise on tensors and vectors.
// CHECK-LABEL: func.func @shaped
// CHECK-NEXT:    %0 = math.tanh %t : tensor<4x?xf32>
// CHECK-NEXT:    %1 = math.atan2 %v, %v : vector<2xf64>
// CHECK-NEXT:    %2 = math.absi %i : tensor<3xi8>
// CHECK-NEXT:    %3 = math.fpowi %v, %vi : vector<2xf64>, vector<2xi32>
func.func @shaped(%t: tensor<4x?xf32>, %v: vector<2xf64>, %i: tensor<3xi8>, %vi: vector<2xi32>) -> tensor<4x?xf32> {
  %0 = math.tanh %t : tensor<4x?xf32>
  %1 = math.atan2 %v, %v : vector<2xf64>
  %2 = math.absi %i : tensor<3xi8>
  %3 = math.fpowi %v, %vi : vector<2xf64>, vector<2xi32>
  return %0 : tensor<4x?xf32>
}

// -----

// Classification ops have an i1(-like) result; their flags go in the attribute dictionary.
// CHECK-LABEL: func.func @classify
// CHECK-NEXT:    %0 = math.isnan %x {fastmath = #arith.fastmath<fast>} : f32
// CHECK-NEXT:    %1 = math.isinf %x : f32
// CHECK-NEXT:    %2 = math.isfinite %x : f32
// CHECK-NEXT:    %3 = math.isnormal %t : tensor<2xf32>
// CHECK-NEXT:    %4 = math.erfc %x : f32
// GENERIC:       "math.isnormal"(%t) <{fastmath = #arith.fastmath<none>}> : (tensor<2xf32>) -> tensor<2xi1>
func.func @classify(%x: f32, %t: tensor<2xf32>) -> tensor<2xi1> {
  %0 = math.isnan %x {fastmath = #arith.fastmath<fast>} : f32
  %1 = math.isinf %x : f32
  %2 = math.isfinite %x : f32
  %3 = math.isnormal %t : tensor<2xf32>
  %4 = math.erfc %x : f32
  return %3 : tensor<2xi1>
}
