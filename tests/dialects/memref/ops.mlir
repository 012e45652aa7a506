// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s | irc opt | filecheck %s
// RUN: irc opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc opt %s --print-op-generic | irc opt | filecheck %s
// The first memref ops in MLIR's syntax: printing is a fixed point, and the
// generic form reads back to the same custom form.

// CHECK-LABEL: func.func @allocation(
func.func @allocation(%n: index, %m: index, %s: index) {
  // CHECK-NEXT: %[[A:.*]] = memref.alloc() : memref<8x64xf32, 1>
  // GENERIC: "memref.alloc"() <{operandSegmentSizes = array<i32: 0, 0>}> : () -> memref<8x64xf32, 1>
  %0 = memref.alloc() : memref<8x64xf32, 1>
  // CHECK-NEXT: memref.alloc(%{{.*}}) : memref<8x?xf32, 1>
  // GENERIC: "memref.alloc"(%{{.*}}) <{operandSegmentSizes = array<i32: 1, 0>}> : (index) -> memref<8x?xf32, 1>
  %1 = memref.alloc(%n) : memref<8x?xf32, 1>
  // CHECK-NEXT: memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xf64>
  %2 = memref.alloc(%n, %m) : memref<?x?xf64>
  // CHECK-NEXT: memref.alloc()[%{{.*}}] : memref<8x64xf32, affine_map<(d0, d1)[s0] -> (d0 + s0, d1)>, 1>
  // GENERIC: "memref.alloc"(%{{.*}}) <{operandSegmentSizes = array<i32: 0, 1>}>
  %3 = memref.alloc()[%s] : memref<8x64xf32, affine_map<(d0, d1)[s0] -> ((d0 + s0), d1)>, 1>
  // CHECK-NEXT: memref.alloc(%{{.*}})[%{{.*}}] : memref<2x?xf32, affine_map<(d0, d1)[s0] -> (d0 + s0, d1)>>
  %4 = memref.alloc(%m)[%s] : memref<2x?xf32, affine_map<(d0, d1)[s0] -> (d0 + s0, d1)>>
  // CHECK-NEXT: memref.alloc() {alignment = 8{{( : i64)?}}} : memref<8x64xf32>
  %5 = memref.alloc() {alignment = 8} : memref<8x64xf32>
  // CHECK-NEXT: memref.alloc()[%{{.*}}, %{{.*}}] : memref<4x4xf64, strided<[?, 1], offset: ?>>
  %6 = memref.alloc()[%s, %s] : memref<4x4xf64, strided<[?, 1], offset: ?>>
  // CHECK-NEXT: memref.alloca() : memref<4xi32>
  %7 = memref.alloca() : memref<4xi32>
  // CHECK-NEXT: memref.alloca(%{{.*}}) {alignment = 64{{( : i64)?}}} : memref<?xindex>
  // GENERIC: "memref.alloca"(%{{.*}}) <{alignment = 64{{( : i64)?}}, operandSegmentSizes = array<i32: 1, 0>}>
  %8 = memref.alloca(%n) {alignment = 64 : i64} : memref<?xindex>
  // CHECK-NEXT: memref.dealloc %[[A]] : memref<8x64xf32, 1>
  // GENERIC: "memref.dealloc"(%{{.*}}) : (memref<8x64xf32, 1>) -> ()
  memref.dealloc %0 : memref<8x64xf32, 1>
  return
}

// CHECK-LABEL: func.func @access(
func.func @access(%A: memref<4x?xf64>, %i: index, %j: index, %v: f64) -> f64 {
  // CHECK-NEXT: %[[X:.*]] = memref.load %{{.*}}[%{{.*}}, %{{.*}}] : memref<4x?xf64>
  // GENERIC: "memref.load"(%{{.*}}, %{{.*}}, %{{.*}}) <{nontemporal = false}> : (memref<4x?xf64>, index, index) -> f64
  %x = memref.load %A[%i, %j] : memref<4x?xf64>
  // CHECK-NEXT: memref.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<4x?xf64>
  // GENERIC: "memref.store"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) <{nontemporal = false}> : (f64, memref<4x?xf64>, index, index) -> ()
  memref.store %v, %A[%i, %j] : memref<4x?xf64>
  // CHECK-NEXT: memref.load %{{.*}}[%{{.*}}, %{{.*}}] {nontemporal = true} : memref<4x?xf64>
  %y = memref.load %A[%i, %j] {nontemporal = true} : memref<4x?xf64>
  // CHECK-NEXT: memref.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] {alignment = 8{{( : i64)?}}, nontemporal = true} : memref<4x?xf64>
  memref.store %y, %A[%i, %j] {alignment = 8, nontemporal = true} : memref<4x?xf64>
  // CHECK-NEXT: return %[[X]] : f64
  return %x : f64
}

// CHECK-LABEL: func.func @scalar_memref(
func.func @scalar_memref(%s: memref<f32>, %v: f32) {
  // CHECK-NEXT: memref.load %{{.*}}[] : memref<f32>
  %x = memref.load %s[] : memref<f32>
  // CHECK-NEXT: memref.store %{{.*}}, %{{.*}}[] : memref<f32>
  memref.store %v, %s[] : memref<f32>
  return
}

// CHECK-LABEL: func.func @dims_and_casts(
func.func @dims_and_casts(%A: memref<4x?xf32>, %B: memref<12x4xf32, strided<[4, 1], offset: 5>>) -> index {
  %c1 = arith.constant 1 : index
  // CHECK: %[[D:.*]] = memref.dim %{{.*}}, %{{.*}} : memref<4x?xf32>
  // GENERIC: "memref.dim"(%{{.*}}, %{{.*}}) : (memref<4x?xf32>, index) -> index
  %d = memref.dim %A, %c1 : memref<4x?xf32>
  // CHECK-NEXT: memref.cast %{{.*}} : memref<4x?xf32> to memref<?x?xf32>
  // GENERIC: "memref.cast"(%{{.*}}) : (memref<4x?xf32>) -> memref<?x?xf32>
  %0 = memref.cast %A : memref<4x?xf32> to memref<?x?xf32>
  // CHECK-NEXT: memref.cast %{{.*}} : memref<?x?xf32> to memref<4x4xf32>
  %1 = memref.cast %0 : memref<?x?xf32> to memref<4x4xf32>
  // CHECK-NEXT: memref.cast %{{.*}} : memref<4x4xf32> to memref<*xf32>
  %2 = memref.cast %1 : memref<4x4xf32> to memref<*xf32>
  // CHECK-NEXT: memref.cast %{{.*}} : memref<*xf32> to memref<4x?xf32>
  %3 = memref.cast %2 : memref<*xf32> to memref<4x?xf32>
  // CHECK-NEXT: memref.dim %{{.*}}, %{{.*}} : memref<*xf32>
  %4 = memref.dim %2, %c1 : memref<*xf32>
  // CHECK-NEXT: memref.cast %{{.*}} : memref<12x4xf32, strided<[4, 1], offset: 5>> to memref<12x4xf32, strided<[?, ?], offset: ?>>
  %5 = memref.cast %B : memref<12x4xf32, strided<[4, 1], offset: 5>> to memref<12x4xf32, strided<[?, ?], offset: ?>>
  // CHECK-NEXT: memref.cast %{{.*}} : memref<12x4xf32, strided<[?, ?], offset: ?>> to memref<12x4xf32, strided<[4, 1], offset: 5>>
  %6 = memref.cast %5 : memref<12x4xf32, strided<[?, ?], offset: ?>> to memref<12x4xf32, strided<[4, 1], offset: 5>>
  // an identity layout and its strided spelling are cast compatible
  // CHECK-NEXT: memref.cast %{{.*}} : memref<4x4xf32> to memref<4x4xf32, strided<[4, 1]>>
  %7 = memref.cast %1 : memref<4x4xf32> to memref<4x4xf32, strided<[4, 1]>>
  // CHECK-NEXT: memref.cast %{{.*}} : memref<4x?xf32> to memref<4x?xf32>
  %8 = memref.cast %A : memref<4x?xf32> to memref<4x?xf32>
  return %d : index
}

// Allocation scopes: an scf.for body is one, so alloca may appear inside it.
// CHECK-LABEL: func.func @alloca_in_loop(
func.func @alloca_in_loop(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // CHECK: scf.for
  scf.for %i = %c0 to %n step %c1 {
    // CHECK-NEXT: memref.alloca() : memref<2xf64>
    %t = memref.alloca() : memref<2xf64>
  }
  return
}
