// RUN: irc opt %s --canonicalize | filecheck %s
// Constant folding: correctly rounded ops in every float type, elementary
// functions in f32 and f64 (computed in the type, as the interpreter does),
// never a domain error.

// CHECK-LABEL: func.func @exact
// CHECK-DAG:     %[[A:.*]] = arith.constant 2.0 : f64
// CHECK-DAG:     %[[B:.*]] = arith.constant -0.0 : f64
// CHECK-DAG:     %[[C:.*]] = arith.constant 3.0 : f16
// CHECK-DAG:     %[[D:.*]] = arith.constant -3.0 : bf16
// CHECK-DAG:     %[[E:.*]] = arith.constant 4.5 : f32
// CHECK:         return %[[A]], %[[B]], %[[C]], %[[D]], %[[E]]
func.func @exact() -> (f64, f64, f16, bf16, f32) {
  %a = arith.constant 4.0 : f64
  %m = arith.constant -0.5 : f64
  %h = arith.constant 2.5 : f16
  %b = arith.constant -2.5 : bf16
  %x = arith.constant 1.5 : f32
  %y = arith.constant 2.0 : f32
  %0 = math.sqrt %a : f64
  %1 = math.ceil %m : f64
  %2 = math.round %h : f16
  %3 = math.round %b : bf16
  %4 = math.fma %x, %y, %x : f32
  return %0, %1, %2, %3, %4 : f64, f64, f16, bf16, f32
}

// CHECK-LABEL: func.func @elementary
// CHECK-DAG:     arith.constant 1.0 : f64
// CHECK-DAG:     arith.constant 0.841471 : f32
// CHECK-DAG:     arith.constant 0.125 : f64
// CHECK-NOT:     math.
// CHECK:         return
func.func @elementary() -> (f64, f32, f64) {
  %z = arith.constant 0.0 : f64
  %one = arith.constant 1.0 : f32
  %two = arith.constant 2.0 : f64
  %m3 = arith.constant -3.0 : f64
  %0 = math.exp %z : f64
  %1 = math.sin %one : f32
  %2 = math.powf %two, %m3 : f64
  return %0, %1, %2 : f64, f32, f64
}

// CHECK-LABEL: func.func @not_folded
// CHECK:         math.log
// CHECK:         math.sqrt
// CHECK:         math.sin %{{.*}} : f16
// CHECK:         math.ipowi
// CHECK:         math.rsqrt
func.func @not_folded() -> (f64, f32, f16, i32, f64) {
  %m = arith.constant -1.0 : f64
  %n = arith.constant -4.0 : f32
  %h = arith.constant 0.5 : f16
  %z = arith.constant 0 : i32
  %mi = arith.constant -1 : i32
  %four = arith.constant 4.0 : f64
  %0 = math.log %m : f64
  %1 = math.sqrt %n : f32
  %2 = math.sin %h : f16
  %3 = math.ipowi %z, %mi : i32
  %4 = math.rsqrt %four : f64
  return %0, %1, %2, %3, %4 : f64, f32, f16, i32, f64
}

// CHECK-LABEL: func.func @integer_and_tensor
// CHECK-DAG:     arith.constant -343 : i32
// CHECK-DAG:     arith.constant 30 : i32
// CHECK-DAG:     arith.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
// CHECK-NOT:     math.
// CHECK:         return
func.func @integer_and_tensor() -> (i32, i32, tensor<3xf32>) {
  %b = arith.constant -7 : i32
  %p = arith.constant 3 : i32
  %t = arith.constant dense<[1.0, 4.0, 9.0]> : tensor<3xf32>
  %0 = math.ipowi %b, %p : i32
  %1 = math.ctlz %p : i32
  %2 = math.sqrt %t : tensor<3xf32>
  return %0, %1, %2 : i32, i32, tensor<3xf32>
}
