// RUN: irc opt %s --allow-unregistered-dialect --canonicalize | filecheck %s
// RUN: irc opt %s --allow-unregistered-dialect --canonicalize=region-simplify=false | filecheck %s --check-prefix=KEEP

// Blocks no path from the entry reaches are erased, with the values they define.
// CHECK-LABEL: func.func @unreachable
// CHECK:         "test.br"()[^bb1]
// CHECK:       ^bb1:
// CHECK-NEXT:    return
// CHECK-NOT:   ^bb2
// CHECK-NOT:     test.dead
// KEEP:        ^bb2(%{{.*}}: i64):
// KEEP:          "test.dead"
func.func @unreachable(%x: i32) -> i32 {
  "test.br"()[^bb1] : () -> ()
^bb1:
  return %x : i32
^bb2(%z: i64):
  %d = "test.dead"(%z) : (i64) -> i64
  "test.br"(%d)[^bb2] : (i64) -> ()
}
