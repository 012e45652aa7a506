// A failing pass names the op (with its location) and the pass.
// RUN: not irc opt %s --allow-unregistered-dialect --ad 2>&1 | filecheck %s
// CHECK: failing_pass.mlir:[[# @LINE + 4]]:3: error: 'test.unknown' op has no reverse-mode derivative rule
// CHECK-NEXT: {{^}}  %0 = "test.unknown"(%x) : (f64) -> f64
// CHECK: note: while running pass 'ad' on 'builtin.module' op
func.func @f(%x: f64) -> f64 {
  %0 = "test.unknown"(%x) : (f64) -> f64
  return %0 : f64
}
func.func @g(%x: f64) -> f64 {
  %0 = ad.grad @f(%x) : (f64) -> f64
  return %0 : f64
}
