// RUN: irc opt %s --canonicalize --cse | filecheck %s
// Passes read the memref ops' memory effects: an unused allocation (its only
// effect allocates its own result) and an unused cast are dead; stores and
// the loads whose value is used stay, in order.

// CHECK-LABEL: func.func @effects(
func.func @effects(%m: memref<4xf64>, %i: index, %v: f64) -> f64 {
  // CHECK-NOT: memref.alloc
  // CHECK-NOT: memref.cast
  // CHECK: %[[X:.*]] = memref.load
  // CHECK-NEXT: memref.store
  // CHECK-NEXT: %[[W:.*]] = memref.load
  // CHECK-NEXT: arith.addf %[[X]], %[[W]]
  %a = memref.alloc() : memref<4xf64>
  %b = memref.alloca() : memref<4xf64>
  %c = memref.cast %m : memref<4xf64> to memref<?xf64>
  %dead = memref.load %m[%i] : memref<4xf64>
  %x = memref.load %m[%i] : memref<4xf64>
  memref.store %v, %m[%i] : memref<4xf64>
  %w = memref.load %m[%i] : memref<4xf64>
  %s = arith.addf %x, %w : f64
  return %s : f64
}

// CHECK-LABEL: func.func @freed(
func.func @freed() {
  // an allocation that is freed has a use: both stay
  // CHECK-NEXT: memref.alloc
  // CHECK-NEXT: memref.dealloc
  %a = memref.alloc() : memref<4xf64>
  memref.dealloc %a : memref<4xf64>
  return
}
