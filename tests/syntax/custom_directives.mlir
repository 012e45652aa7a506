// Custom directives round-trip: printed as parsed, and the printed form parses to the same.
// RUN: irc opt %s --load-plugin %S/syntax_plugin.py | filecheck %s
// RUN: irc opt %s --load-plugin %S/syntax_plugin.py | irc opt --load-plugin %S/syntax_plugin.py | filecheck %s
// RUN: irc opt %s --load-plugin %S/syntax_plugin.py --print-op-generic | filecheck %s --check-prefix=GENERIC

func.func @slices(%t: f64, %a: index, %b: index) -> f64 {
  %0 = testsyn.slice %t [%a, 4, %b] : f64 -> f64
  %1 = testsyn.slice %0 [] : f64 -> f64
  %2 = testsyn.slice %1 [-1, 0] : f64 -> f64
  return %2 : f64
}
// CHECK-LABEL: func.func @slices
// CHECK: %0 = testsyn.slice %t [%a, 4, %b] : f64 -> f64
// CHECK: %1 = testsyn.slice %0 [] : f64 -> f64
// CHECK: %2 = testsyn.slice %1 [-1, 0] : f64 -> f64
// GENERIC: "testsyn.slice"(%t, %a, %b) <{static_offsets = array<i64: -9223372036854775808, 4, -9223372036854775808>}> : (f64, index, index) -> f64

func.func @groups(%x: f64, %y: i32, %z: f64) -> f64 {
  %0 = testsyn.generic ins(%x, %y : f64, i32) outs(%z : f64) -> f64
  %1 = testsyn.generic outs(%0 : f64) -> f64
  testsyn.generic ins(%1 : f64)
  return %1 : f64
}
// CHECK-LABEL: func.func @groups
// CHECK: %0 = testsyn.generic ins(%x, %y : f64, i32) outs(%z : f64) -> f64
// CHECK: %1 = testsyn.generic outs(%0 : f64) -> f64
// CHECK: testsyn.generic ins(%1 : f64){{$}}
// GENERIC: "testsyn.generic"(%x, %y, %z) <{operandSegmentSizes = array<i32: 2, 1>}> : (f64, i32, f64) -> f64

func.func @loops(%n: index) {
  testsyn.loop (%i: index, %x: f64) {
    %j = arith.addi %i, %n : index
    %y = arith.mulf %x, %x : f64
    testsyn.loop (%k: index) {
      %m = arith.muli %k, %i : index
    }
  }
  testsyn.loop (%i: index) {
  }
  return
}
// CHECK-LABEL: func.func @loops
// CHECK: testsyn.loop (%i: index, %x: f64) {
// CHECK-NEXT: %j = arith.addi %i, %n : index
// CHECK-NEXT: %y = arith.mulf %x, %x : f64
// CHECK-NEXT: testsyn.loop (%k: index) {
// CHECK-NEXT: %m = arith.muli %k, %i : index
// CHECK: testsyn.loop (%i{{.*}}: index) {
// GENERIC: "testsyn.loop"() ({
// GENERIC-NEXT: ^bb0(%i: index, %x: f64):
