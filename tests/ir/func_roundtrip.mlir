// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s | irc opt - | filecheck %s
// RUN: irc opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc opt %s --print-op-generic | irc opt - | filecheck %s

// CHECK-LABEL: func.func @callee(%x: f64, %y: f64) -> f64 {
// CHECK-NEXT:    return %y : f64
// GENERIC: "func.func"() <{function_type = (f64, f64) -> f64, sym_name = "callee"}> ({
// GENERIC-NEXT: ^bb0(%x: f64, %y: f64):
// GENERIC-NEXT:   "func.return"(%y) : (f64) -> ()
func.func @callee(%x: f64, %y: f64) -> f64 {
  return %y : f64
}

// CHECK-LABEL: func.func private @external(f64) -> (f64, i32)
func.func private @external(f64) -> (f64, i32)

// CHECK-LABEL: func.func @caller(%arg0: f64) -> f64 attributes {my.tag} {
// CHECK-NEXT:    %0 = func.call @callee(%arg0, %arg0) : (f64, f64) -> f64
// CHECK-NEXT:    %r:2 = func.call @external(%0) : (f64) -> (f64, i32)
// CHECK-NEXT:    return %r#0 : f64
func.func @caller(%arg0: f64) -> f64 attributes {my.tag} {
  %0 = func.call @callee(%arg0, %arg0) : (f64, f64) -> f64
  %r:2 = "func.call"(%0) {callee = @external} : (f64) -> (f64, i32)
  return %r#0 : f64
}
