// RUN: irc opt %s --symbol-dce | filecheck %s
// RUN: irc opt %s --pass-pipeline='builtin.module(symbol-dce)' | filecheck %s

// Public functions are roots; private ones live only if a live symbol calls them.

// CHECK-LABEL: func.func @public_root
func.func @public_root(%x: i32) -> i32 {
  %0 = func.call @used_private(%x) : (i32) -> i32
  return %0 : i32
}

// CHECK-LABEL: func.func private @used_private
func.func private @used_private(%x: i32) -> i32 {
  %0 = func.call @used_transitively(%x) : (i32) -> i32
  return %0 : i32
}

// CHECK-LABEL: func.func private @used_transitively
func.func private @used_transitively(%x: i32) -> i32 {
  return %x : i32
}

// A cycle of private functions that nothing live reaches is dead as a whole.
// CHECK-NOT: @dead_a
// CHECK-NOT: @dead_b
// CHECK-NOT: @dead_leaf
func.func private @dead_a(%x: i32) -> i32 {
  %0 = func.call @dead_b(%x) : (i32) -> i32
  return %0 : i32
}
func.func private @dead_b(%x: i32) -> i32 {
  %0 = func.call @dead_a(%x) : (i32) -> i32
  %1 = func.call @dead_leaf(%0) : (i32) -> i32
  return %1 : i32
}
func.func private @dead_leaf(i32) -> i32

// CHECK-LABEL: func.func @also_public
func.func @also_public() {
  return
}
