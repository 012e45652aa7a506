// A structured op from a plugin runs its scalar body on whole arrays, or per element.
// RUN: irc opt %s --load-plugin %S/structured_plugin.py | irc opt --load-plugin %S/structured_plugin.py | filecheck %s
// RUN: irc run %s --load-plugin %S/structured_plugin.py --entry both --json | filecheck %s --check-prefix=BOTH
// RUN: irc run %s --load-plugin %S/structured_plugin.py --entry fallback --json | filecheck %s --check-prefix=FALLBACK

// CHECK-LABEL: func.func @both(
// CHECK: test_structured.map %{{.*}}, %{{.*}} : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64> {
// CHECK: test_structured.map %{{.*}}, %{{.*}} {per_element} : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64> {
// the same numbers both ways
// BOTH: {{^}}{{\[}}[[WHOLE:\[[-0-9., e+]*.]], [[WHOLE]]]{{$}}
func.func @both() -> (tensor<4xf64>, tensor<4xf64>) {
  %a = arith.constant dense<[1.0, -2.0, 3.0, 0.5]> : tensor<4xf64>
  %b = arith.constant dense<[4.0, 5.0, -6.0, 2.0]> : tensor<4xf64>
  %whole = test_structured.map %a, %b : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64> {
  ^bb0(%x: f64, %y: f64):
    %p = arith.mulf %x, %y : f64
    %e = math.exp %x : f64
    %s = arith.addf %p, %e : f64
    %zero = arith.constant 0.0 : f64
    %neg = arith.cmpf olt, %s, %zero : f64
    %r = arith.select %neg, %zero, %s : f64
    test_structured.yield %r : f64
  }
  %each = test_structured.map %a, %b {per_element} : tensor<4xf64>, tensor<4xf64> -> tensor<4xf64> {
  ^bb0(%x: f64, %y: f64):
    %p = arith.mulf %x, %y : f64
    %e = math.exp %x : f64
    %s = arith.addf %p, %e : f64
    %zero = arith.constant 0.0 : f64
    %neg = arith.cmpf olt, %s, %zero : f64
    %r = arith.select %neg, %zero, %s : f64
    test_structured.yield %r : f64
  }
  return %whole, %each : tensor<4xf64>, tensor<4xf64>
}

// A body with an scf.if cannot run on arrays: the hook falls back to a loop.
// FALLBACK: {{\[}}[1.0, 2.0, 3.0, 0.5]]
func.func @fallback() -> tensor<4xf64> {
  %a = arith.constant dense<[1.0, -2.0, 3.0, 0.5]> : tensor<4xf64>
  %r = test_structured.map %a : tensor<4xf64> -> tensor<4xf64> {
  ^bb0(%x: f64):
    %zero = arith.constant 0.0 : f64
    %neg = arith.cmpf olt, %x, %zero : f64
    %v = scf.if %neg -> (f64) {
      %n = arith.negf %x : f64
      scf.yield %n : f64
    } else {
      scf.yield %x : f64
    }
    test_structured.yield %v : f64
  }
  return %r : tensor<4xf64>
}
