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

// A buffer only stored into and freed is never read: it goes, with its stores
// and deallocs (as mlir-opt --canonicalize does).
// CHECK-LABEL: func.func @write_only(
func.func @write_only(%i: index, %v: f64) {
  // CHECK-NEXT: return
  %a = memref.alloc() : memref<4xf64>
  memref.store %v, %a[%i] : memref<4xf64>
  memref.dealloc %a : memref<4xf64>
  %b = memref.alloca() : memref<4xf64>
  memref.store %v, %b[%i] : memref<4xf64>
  return
}

// A buffer that is read, or that escapes, stays.
// CHECK-LABEL: func.func @read_or_escaping(
func.func @read_or_escaping(%i: index, %v: f64) -> (f64, memref<4xf64>) {
  // CHECK-NEXT: memref.alloc
  // CHECK-NEXT: memref.store
  // CHECK-NEXT: memref.load
  // CHECK-NEXT: memref.dealloc
  // CHECK-NEXT: memref.alloc
  // CHECK-NEXT: memref.store
  // CHECK-NEXT: return
  %a = memref.alloc() : memref<4xf64>
  memref.store %v, %a[%i] : memref<4xf64>
  %x = memref.load %a[%i] : memref<4xf64>
  memref.dealloc %a : memref<4xf64>
  %b = memref.alloc() : memref<4xf64>
  memref.store %v, %b[%i] : memref<4xf64>
  return %x, %b : f64, memref<4xf64>
}
