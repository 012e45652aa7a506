// RUN: irc opt %s --canonicalize | filecheck %s
// arith.truncf folds only when the narrowing loses nothing (MLIR 22 folds exactly
// these): 0.5, NaN, infinity, -0.0, 65504 to f16, 1.0 to bf16, and a tensor whose
// every element is exact; 1e300 (overflow), 0.1 (inexact, whatever the rounding
// mode) and a tensor with one inexact element stay.

// CHECK-LABEL: func.func @truncf_exact_only
// CHECK-DAG: %[[HALF:.*]] = arith.constant 0.5 : f32
// CHECK-DAG: %[[NAN:.*]] = arith.constant 0x7FC00000 : f32
// CHECK-DAG: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK-DAG: %[[BIG:.*]] = arith.truncf %{{.*}} : f64 to f32
// CHECK-DAG: %[[NZ:.*]] = arith.constant -0.0 : f32
// CHECK-DAG: %[[H:.*]] = arith.constant 6.55e+4 : f16
// CHECK-DAG: %[[BF:.*]] = arith.constant 1.0 : bf16
// CHECK-DAG: %[[DOWN:.*]] = arith.truncf %{{.*}} downward : f64 to f32
// CHECK-DAG: %[[T1:.*]] = arith.constant dense<[0.5, 0.25]> : tensor<2xf32>
// CHECK-DAG: %[[T2:.*]] = arith.truncf %{{.*}} : tensor<2xf64> to tensor<2xf32>
// CHECK: return %[[HALF]], %[[NAN]], %[[INF]], %[[BIG]], %[[NZ]], %[[H]], %[[BF]], %[[DOWN]], %[[T1]], %[[T2]]
func.func @truncf_exact_only() -> (f32, f32, f32, f32, f32, f16, bf16, f32, tensor<2xf32>, tensor<2xf32>) {
  %a = arith.constant 0.5 : f64
  %b = arith.constant 0x7FF8000000000000 : f64
  %c = arith.constant 0x7FF0000000000000 : f64
  %d = arith.constant 1.0e300 : f64
  %e = arith.constant -0.0 : f64
  %g = arith.constant 65504.0 : f32
  %h = arith.constant 1.0 : f32
  %i = arith.constant 0.1 : f64
  %t1 = arith.constant dense<[0.5, 0.25]> : tensor<2xf64>
  %t2 = arith.constant dense<[0.5, 0.1]> : tensor<2xf64>
  %0 = arith.truncf %a : f64 to f32
  %1 = arith.truncf %b : f64 to f32
  %2 = arith.truncf %c : f64 to f32
  %3 = arith.truncf %d : f64 to f32
  %4 = arith.truncf %e : f64 to f32
  %5 = arith.truncf %g : f32 to f16
  %6 = arith.truncf %h : f32 to bf16
  %7 = arith.truncf %i downward : f64 to f32
  %8 = arith.truncf %t1 : tensor<2xf64> to tensor<2xf32>
  %9 = arith.truncf %t2 : tensor<2xf64> to tensor<2xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : f32, f32, f32, f32, f32, f16, bf16, f32, tensor<2xf32>, tensor<2xf32>
}
