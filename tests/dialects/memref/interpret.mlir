// The interpreter's memory model: buffers are checked, counted and freed.
// RUN: irc run %s --entry sum --arg 5 --check-leaks | filecheck %s --check-prefix=SUM
// SUM: 10.0
// RUN: irc run %s --entry shapes --arg 3 --json --check-leaks | filecheck %s --check-prefix=SHAPES
// SHAPES: [3, 7, 2.5]
// RUN: not irc run %s --entry load_oob --arg 4 2>&1 | filecheck %s --check-prefix=LOAD-OOB
// LOAD-OOB: interpret.mlir:{{[0-9]+}}:3: error: 'memref.load' op index [4] is out of bounds for a memref of shape 4 (dimension 0 has size 4)
// LOAD-OOB-NOT: Traceback
// RUN: not irc run %s --entry store_oob --arg -1 2>&1 | filecheck %s --check-prefix=STORE-OOB
// STORE-OOB: error: 'memref.store' op index [1, -1] is out of bounds for a memref of shape 2x3 (dimension 1 has size 3)
// RUN: not irc run %s --entry use_after_free 2>&1 | filecheck %s --check-prefix=UAF
// UAF: error: 'memref.load' op uses memory that was already freed
// UAF: note: allocated here
// UAF: note: freed here
// UAF-NEXT: memref.dealloc
// RUN: not irc run %s --entry double_free 2>&1 | filecheck %s --check-prefix=DOUBLE
// DOUBLE: error: 'memref.dealloc' op frees memory that was already freed
// DOUBLE: note: freed here
// RUN: not irc run %s --entry escaped_alloca 2>&1 | filecheck %s --check-prefix=ESCAPE
// ESCAPE: error: 'memref.load' op uses memory that was already freed
// ESCAPE: note: freed when the scope of this 'memref.alloca' ended
// RUN: not irc run %s --entry leaky --check-leaks 2>&1 | filecheck %s --check-prefix=LEAK
// LEAK: error: 'memref.alloc' op allocates a buffer that is never freed
// LEAK-NEXT: %m = memref.alloc() : memref<4xf64>
// RUN: irc run %s --entry leaky | filecheck %s --check-prefix=NOCHECK
// NOCHECK: {{^}}1.0{{$}}
// RUN: not irc run %s --entry bad_cast --arg 3 2>&1 | filecheck %s --check-prefix=CAST
// CAST: error: 'memref.cast' op cannot cast a memref of shape 3 to memref<4xf64>
// RUN: not irc run %s --entry dealloc_alloca 2>&1 | filecheck %s --check-prefix=STACK
// STACK: error: 'memref.dealloc' op frees a buffer made by 'memref.alloca' (it is freed when its scope ends)

func.func @sum(%n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f64
  %m = memref.alloc(%n) : memref<?xf64>
  scf.for %i = %c0 to %n step %c1 {
    %f = arith.index_cast %i : index to i64
    %x = arith.sitofp %f : i64 to f64
    memref.store %x, %m[%i] : memref<?xf64>
  }
  %s = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> (f64) {
    // an alloca per iteration, freed at the end of each (scf.for is an allocation scope)
    %t = memref.alloca() : memref<1xf64>
    %x = memref.load %m[%i] : memref<?xf64>
    memref.store %x, %t[%c0] : memref<1xf64>
    %y = memref.load %t[%c0] : memref<1xf64>
    %a = arith.addf %acc, %y : f64
    scf.yield %a : f64
  }
  memref.dealloc %m : memref<?xf64>
  return %s : f64
}

func.func @load_oob(%i: index) -> f64 {
  %m = memref.alloca() : memref<4xf64>
  %x = memref.load %m[%i] : memref<4xf64>
  return %x : f64
}

func.func @store_oob(%j: index) -> f32 {
  %c1 = arith.constant 1 : index
  %v = arith.constant 1.0 : f32
  %m = memref.alloca() : memref<2x3xf32>
  memref.store %v, %m[%c1, %j] : memref<2x3xf32>
  %x = memref.load %m[%c1, %j] : memref<2x3xf32>
  return %x : f32
}

func.func @shapes(%n: index) -> (index, index, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %v = arith.constant 2.5 : f64
  %m = memref.alloc(%n) : memref<?x7xf64>
  %c = memref.cast %m : memref<?x7xf64> to memref<*xf64>
  %d1 = memref.dim %c, %c1 : memref<*xf64>
  %d0 = memref.dim %m, %c0 : memref<?x7xf64>
  %r = memref.cast %c : memref<*xf64> to memref<3x7xf64>
  memref.store %v, %r[%c1, %c1] : memref<3x7xf64>
  %x = memref.load %m[%c1, %c1] : memref<?x7xf64>
  memref.dealloc %r : memref<3x7xf64>
  return %d0, %d1, %x : index, index, f64
}

func.func @use_after_free() -> f64 {
  %c0 = arith.constant 0 : index
  %m = memref.alloc() : memref<4xf64>
  memref.dealloc %m : memref<4xf64>
  %x = memref.load %m[%c0] : memref<4xf64>
  return %x : f64
}

func.func @double_free() {
  %m = memref.alloc() : memref<4xf64>
  %c = memref.cast %m : memref<4xf64> to memref<?xf64>
  memref.dealloc %m : memref<4xf64>
  memref.dealloc %c : memref<?xf64>
  return
}

func.func @make_alloca() -> memref<2xf64> {
  %m = memref.alloca() : memref<2xf64>
  return %m : memref<2xf64>
}

func.func @escaped_alloca() -> f64 {
  %c0 = arith.constant 0 : index
  %m = call @make_alloca() : () -> memref<2xf64>
  %x = memref.load %m[%c0] : memref<2xf64>
  return %x : f64
}

func.func @leaky() -> f64 {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f64
  %m = memref.alloc() : memref<4xf64>
  memref.store %one, %m[%c0] : memref<4xf64>
  %x = memref.load %m[%c0] : memref<4xf64>
  return %x : f64
}

func.func @bad_cast(%n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %m = memref.alloc(%n) : memref<?xf64>
  %c = memref.cast %m : memref<?xf64> to memref<4xf64>
  %x = memref.load %c[%c0] : memref<4xf64>
  memref.dealloc %m : memref<?xf64>
  return %x : f64
}

func.func @dealloc_alloca() -> f64 {
  %c0 = arith.constant 0 : index
  %m = memref.alloca() : memref<4xf64>
  %x = memref.load %m[%c0] : memref<4xf64>
  memref.dealloc %m : memref<4xf64>
  return %x : f64
}
