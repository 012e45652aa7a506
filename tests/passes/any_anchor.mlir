// RUN: irc opt %s --pass-pipeline='builtin.module(any(cse))' | filecheck %s
// RUN: irc opt %s --pass-pipeline='builtin.module(any(canonicalize,cse))' | filecheck %s
// RUN: irc opt %s --pass-pipeline='any(cse)' | filecheck %s

// MLIR's op-agnostic pass manager: `any(...)` runs its passes on each op
// directly inside the module that is isolated from above (both functions
// here, and the nested module), as `mlir-opt` does with the same pipeline.
// CHECK-LABEL: func.func @f(
// CHECK:         %[[A:.*]] = arith.mulf
// CHECK-NOT:     arith.mulf
// CHECK:         arith.addf %[[A]], %[[A]] : f64
func.func @f(%x: f64) -> f64 {
  %a = arith.mulf %x, %x : f64
  %b = arith.mulf %x, %x : f64
  %c = arith.addf %a, %b : f64
  return %c : f64
}
// CHECK-LABEL: func.func @g(
// CHECK:         %[[S:.*]] = arith.addf
// CHECK-NOT:     arith.addf
// CHECK:         arith.mulf %[[S]], %[[S]] : f64
func.func @g(%x: f64) -> f64 {
  %a = arith.addf %x, %x : f64
  %b = arith.addf %x, %x : f64
  %c = arith.mulf %a, %b : f64
  return %c : f64
}
// CHECK-LABEL: module @inner
// CHECK:         func.func @h(
// CHECK:           %[[M:.*]] = arith.subf
// CHECK-NOT:       arith.subf
// CHECK:           arith.divf %[[M]], %[[M]] : f64
module @inner {
  func.func @h(%x: f64) -> f64 {
    %a = arith.subf %x, %x : f64
    %b = arith.subf %x, %x : f64
    %c = arith.divf %a, %b : f64
    return %c : f64
  }
}
