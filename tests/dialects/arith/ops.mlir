// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s | irc opt | filecheck %s
// RUN: irc opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc opt %s --print-op-generic | irc opt | filecheck %s
// Every arith op in its custom form: printing is a fixed point, and the
// generic form reads back to the same custom form.

// CHECK-LABEL: func.func @constants()
func.func @constants() {
  // CHECK-NEXT: arith.constant 42 : i32
  // CHECK-NEXT: arith.constant 42 : i64
  // CHECK-NEXT: arith.constant -1 : i8
  // CHECK-NEXT: arith.constant true
  // CHECK-NEXT: arith.constant false
  // CHECK-NEXT: arith.constant 0 : index
  // CHECK-NEXT: arith.constant 1.5 : f32
  // CHECK-NEXT: arith.constant -0.0 : f64
  // CHECK-NEXT: arith.constant 0x7FC00000 : f32
  // CHECK-NEXT: arith.constant 0xFF800000 : f32
  // CHECK-NEXT: arith.constant dense<1.0> : tensor<4xf64>
  // CHECK-NEXT: arith.constant dense<[1, 2, 3]> : vector<3xi32>
  // CHECK-NEXT: arith.constant {tag = "t"} 7 : i16
  // GENERIC: "arith.constant"() <{value = 42 : i32}> : () -> i32
  // GENERIC: "arith.constant"() <{value = -1 : i8}> : () -> i8
  // GENERIC: "arith.constant"() <{value = true}> : () -> i1
  // GENERIC: "arith.constant"() <{value = 7 : i16}> {tag = "t"} : () -> i16
  %0 = arith.constant 42 : i32
  %1 = arith.constant 42 : i64
  %2 = arith.constant 255 : i8
  %3 = arith.constant true
  %4 = arith.constant false
  %5 = arith.constant 0 : index
  %6 = arith.constant 1.5 : f32
  %7 = arith.constant -0.0 : f64
  %8 = arith.constant 0x7FC00000 : f32
  %9 = arith.constant 0xFF800000 : f32
  %10 = arith.constant dense<1.0> : tensor<4xf64>
  %11 = arith.constant dense<[1, 2, 3]> : vector<3xi32>
  %12 = arith.constant {tag = "t"} 7 : i16
  return
}

// CHECK-LABEL: func.func @float_binary(%a: f32, %b: f32, %t: tensor<4xf64>, %v: vector<2xf16>)
func.func @float_binary(%a: f32, %b: f32, %t: tensor<4xf64>, %v: vector<2xf16>) {
  // CHECK-NEXT: arith.addf %a, %b : f32
  // CHECK-NEXT: arith.subf %a, %b : f32
  // CHECK-NEXT: arith.mulf %a, %b : f32
  // CHECK-NEXT: arith.divf %a, %b : f32
  // CHECK-NEXT: arith.remf %a, %b : f32
  // CHECK-NEXT: arith.maximumf %a, %b : f32
  // CHECK-NEXT: arith.minimumf %a, %b : f32
  // CHECK-NEXT: arith.maxnumf %a, %b : f32
  // CHECK-NEXT: arith.minnumf %a, %b : f32
  // CHECK-NEXT: arith.negf %a : f32
  // CHECK-NEXT: arith.addf %t, %t : tensor<4xf64>
  // CHECK-NEXT: arith.mulf %v, %v : vector<2xf16>
  // GENERIC: "arith.addf"(%a, %b) <{fastmath = #arith.fastmath<none>}> : (f32, f32) -> f32
  // GENERIC: "arith.negf"(%a) <{fastmath = #arith.fastmath<none>}> : (f32) -> f32
  // GENERIC: "arith.addf"(%t, %t) <{fastmath = #arith.fastmath<none>}> : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  %0 = arith.addf %a, %b : f32
  %1 = arith.subf %a, %b : f32
  %2 = arith.mulf %a, %b : f32
  %3 = arith.divf %a, %b : f32
  %4 = arith.remf %a, %b : f32
  %5 = arith.maximumf %a, %b : f32
  %6 = arith.minimumf %a, %b : f32
  %7 = arith.maxnumf %a, %b : f32
  %8 = arith.minnumf %a, %b : f32
  %9 = arith.negf %a : f32
  %10 = arith.addf %t, %t : tensor<4xf64>
  %11 = arith.mulf %v, %v : vector<2xf16>
  return
}

// Fast-math flags: `none` is the default and is not printed; all seven flags are `fast`.
// CHECK-LABEL: func.func @fastmath
func.func @fastmath(%a: f64, %b: f64) {
  // CHECK-NEXT: arith.addf %a, %b fastmath<fast> : f64
  // CHECK-NEXT: arith.mulf %a, %b fastmath<nnan,ninf> : f64
  // CHECK-NEXT: arith.subf %a, %b : f64
  // CHECK-NEXT: arith.divf %a, %b fastmath<fast> : f64
  // CHECK-NEXT: arith.negf %a fastmath<nsz> : f64
  // CHECK-NEXT: arith.cmpf olt, %a, %b fastmath<nnan> : f64
  // GENERIC: "arith.addf"(%a, %b) <{fastmath = #arith.fastmath<fast>}> : (f64, f64) -> f64
  // GENERIC: "arith.mulf"(%a, %b) <{fastmath = #arith.fastmath<nnan,ninf>}> : (f64, f64) -> f64
  // GENERIC: "arith.subf"(%a, %b) <{fastmath = #arith.fastmath<none>}> : (f64, f64) -> f64
  // GENERIC: "arith.cmpf"(%a, %b) <{fastmath = #arith.fastmath<nnan>, predicate = 4}> : (f64, f64) -> i1
  %0 = arith.addf %a, %b fastmath<fast> : f64
  %1 = arith.mulf %a, %b fastmath<ninf, nnan> : f64
  %2 = arith.subf %a, %b fastmath<none> : f64
  %3 = arith.divf %a, %b fastmath<reassoc,nnan,ninf,nsz,arcp,contract,afn> : f64
  %4 = arith.negf %a fastmath<nsz> : f64
  %5 = arith.cmpf olt, %a, %b fastmath<nnan> : f64
  return
}

// CHECK-LABEL: func.func @int_binary(%i: i32, %j: i32, %x: index, %t: tensor<2x?xi8>)
func.func @int_binary(%i: i32, %j: i32, %x: index, %t: tensor<2x?xi8>) {
  // CHECK-NEXT: arith.addi %i, %j : i32
  // CHECK-NEXT: arith.subi %i, %j : i32
  // CHECK-NEXT: arith.muli %i, %j : i32
  // CHECK-NEXT: arith.divsi %i, %j : i32
  // CHECK-NEXT: arith.divui %i, %j : i32
  // CHECK-NEXT: arith.ceildivsi %i, %j : i32
  // CHECK-NEXT: arith.ceildivui %i, %j : i32
  // CHECK-NEXT: arith.floordivsi %i, %j : i32
  // CHECK-NEXT: arith.remsi %i, %j : i32
  // CHECK-NEXT: arith.remui %i, %j : i32
  // CHECK-NEXT: arith.andi %i, %j : i32
  // CHECK-NEXT: arith.ori %i, %j : i32
  // CHECK-NEXT: arith.xori %i, %j : i32
  // CHECK-NEXT: arith.shli %i, %j : i32
  // CHECK-NEXT: arith.shrsi %i, %j : i32
  // CHECK-NEXT: arith.shrui %i, %j : i32
  // CHECK-NEXT: arith.maxsi %i, %j : i32
  // CHECK-NEXT: arith.minsi %i, %j : i32
  // CHECK-NEXT: arith.maxui %i, %j : i32
  // CHECK-NEXT: arith.minui %i, %j : i32
  // CHECK-NEXT: arith.addi %x, %x : index
  // CHECK-NEXT: arith.muli %t, %t : tensor<2x?xi8>
  // GENERIC: "arith.addi"(%i, %j) <{overflowFlags = #arith.overflow<none>}> : (i32, i32) -> i32
  // GENERIC: "arith.muli"(%t, %t) <{overflowFlags = #arith.overflow<none>}> : (tensor<2x?xi8>, tensor<2x?xi8>) -> tensor<2x?xi8>
  %0 = arith.addi %i, %j : i32
  %1 = arith.subi %i, %j : i32
  %2 = arith.muli %i, %j : i32
  %3 = arith.divsi %i, %j : i32
  %4 = arith.divui %i, %j : i32
  %5 = arith.ceildivsi %i, %j : i32
  %6 = arith.ceildivui %i, %j : i32
  %7 = arith.floordivsi %i, %j : i32
  %8 = arith.remsi %i, %j : i32
  %9 = arith.remui %i, %j : i32
  %10 = arith.andi %i, %j : i32
  %11 = arith.ori %i, %j : i32
  %12 = arith.xori %i, %j : i32
  %13 = arith.shli %i, %j : i32
  %14 = arith.shrsi %i, %j : i32
  %15 = arith.shrui %i, %j : i32
  %16 = arith.maxsi %i, %j : i32
  %17 = arith.minsi %i, %j : i32
  %18 = arith.maxui %i, %j : i32
  %19 = arith.minui %i, %j : i32
  %20 = arith.addi %x, %x : index
  %21 = arith.muli %t, %t : tensor<2x?xi8>
  return
}

// Overflow flags and `exact`, as MLIR prints them.
// CHECK-LABEL: func.func @int_flags
func.func @int_flags(%i: i64, %j: i64) {
  // CHECK-NEXT: arith.addi %i, %j overflow<nsw, nuw> : i64
  // CHECK-NEXT: arith.subi %i, %j overflow<nsw> : i64
  // CHECK-NEXT: arith.muli %i, %j : i64
  // CHECK-NEXT: arith.shli %i, %j overflow<nuw> : i64
  // CHECK-NEXT: arith.divsi %i, %j exact : i64
  // CHECK-NEXT: arith.shrui %i, %j exact : i64
  // CHECK-NEXT: arith.trunci %i overflow<nsw> : i64 to i32
  // GENERIC: "arith.addi"(%i, %j) <{overflowFlags = #arith.overflow<nsw, nuw>}> : (i64, i64) -> i64
  // GENERIC: "arith.divsi"(%i, %j) <{isExact}> : (i64, i64) -> i64
  %0 = arith.addi %i, %j overflow<nuw, nsw> : i64
  %1 = arith.subi %i, %j overflow<nsw> : i64
  %2 = arith.muli %i, %j overflow<none> : i64
  %3 = arith.shli %i, %j overflow<nuw> : i64
  %4 = arith.divsi %i, %j exact : i64
  %5 = arith.shrui %i, %j exact : i64
  %6 = arith.trunci %i overflow<nsw> : i64 to i32
  return
}

// CHECK-LABEL: func.func @cmpf
func.func @cmpf(%a: f32, %b: f32, %t: tensor<3xf64>) {
  // CHECK-NEXT: arith.cmpf false, %a, %b : f32
  // CHECK-NEXT: arith.cmpf oeq, %a, %b : f32
  // CHECK-NEXT: arith.cmpf ogt, %a, %b : f32
  // CHECK-NEXT: arith.cmpf oge, %a, %b : f32
  // CHECK-NEXT: arith.cmpf olt, %a, %b : f32
  // CHECK-NEXT: arith.cmpf ole, %a, %b : f32
  // CHECK-NEXT: arith.cmpf one, %a, %b : f32
  // CHECK-NEXT: arith.cmpf ord, %a, %b : f32
  // CHECK-NEXT: arith.cmpf ueq, %a, %b : f32
  // CHECK-NEXT: arith.cmpf ugt, %a, %b : f32
  // CHECK-NEXT: arith.cmpf uge, %a, %b : f32
  // CHECK-NEXT: arith.cmpf ult, %a, %b : f32
  // CHECK-NEXT: arith.cmpf ule, %a, %b : f32
  // CHECK-NEXT: arith.cmpf une, %a, %b : f32
  // CHECK-NEXT: arith.cmpf uno, %a, %b : f32
  // CHECK-NEXT: arith.cmpf true, %a, %b : f32
  // CHECK-NEXT: arith.cmpf ult, %t, %t : tensor<3xf64>
  // GENERIC: "arith.cmpf"(%a, %b) <{fastmath = #arith.fastmath<none>, predicate = 0}> : (f32, f32) -> i1
  // GENERIC: "arith.cmpf"(%a, %b) <{fastmath = #arith.fastmath<none>, predicate = 1}> : (f32, f32) -> i1
  // GENERIC: "arith.cmpf"(%a, %b) <{fastmath = #arith.fastmath<none>, predicate = 15}> : (f32, f32) -> i1
  // GENERIC: "arith.cmpf"(%t, %t) <{fastmath = #arith.fastmath<none>, predicate = 11}> : (tensor<3xf64>, tensor<3xf64>) -> tensor<3xi1>
  %0 = arith.cmpf false, %a, %b : f32
  %1 = arith.cmpf oeq, %a, %b : f32
  %2 = arith.cmpf ogt, %a, %b : f32
  %3 = arith.cmpf oge, %a, %b : f32
  %4 = arith.cmpf olt, %a, %b : f32
  %5 = arith.cmpf ole, %a, %b : f32
  %6 = arith.cmpf one, %a, %b : f32
  %7 = arith.cmpf ord, %a, %b : f32
  %8 = arith.cmpf ueq, %a, %b : f32
  %9 = arith.cmpf ugt, %a, %b : f32
  %10 = arith.cmpf uge, %a, %b : f32
  %11 = arith.cmpf ult, %a, %b : f32
  %12 = arith.cmpf ule, %a, %b : f32
  %13 = arith.cmpf une, %a, %b : f32
  %14 = arith.cmpf uno, %a, %b : f32
  %15 = arith.cmpf true, %a, %b : f32
  %16 = arith.cmpf ult, %t, %t : tensor<3xf64>
  return
}

// CHECK-LABEL: func.func @cmpi
func.func @cmpi(%i: i8, %j: i8, %x: index, %v: vector<4xi32>) {
  // CHECK-NEXT: arith.cmpi eq, %i, %j : i8
  // CHECK-NEXT: arith.cmpi ne, %i, %j : i8
  // CHECK-NEXT: arith.cmpi slt, %i, %j : i8
  // CHECK-NEXT: arith.cmpi sle, %i, %j : i8
  // CHECK-NEXT: arith.cmpi sgt, %i, %j : i8
  // CHECK-NEXT: arith.cmpi sge, %i, %j : i8
  // CHECK-NEXT: arith.cmpi ult, %i, %j : i8
  // CHECK-NEXT: arith.cmpi ule, %i, %j : i8
  // CHECK-NEXT: arith.cmpi ugt, %i, %j : i8
  // CHECK-NEXT: arith.cmpi uge, %i, %j : i8
  // CHECK-NEXT: arith.cmpi slt, %x, %x : index
  // CHECK-NEXT: arith.cmpi eq, %v, %v : vector<4xi32>
  // GENERIC: "arith.cmpi"(%i, %j) <{predicate = 0}> : (i8, i8) -> i1
  // GENERIC: "arith.cmpi"(%i, %j) <{predicate = 9}> : (i8, i8) -> i1
  // GENERIC: "arith.cmpi"(%v, %v) <{predicate = 0}> : (vector<4xi32>, vector<4xi32>) -> vector<4xi1>
  %0 = arith.cmpi eq, %i, %j : i8
  %1 = arith.cmpi ne, %i, %j : i8
  %2 = arith.cmpi slt, %i, %j : i8
  %3 = arith.cmpi sle, %i, %j : i8
  %4 = arith.cmpi sgt, %i, %j : i8
  %5 = arith.cmpi sge, %i, %j : i8
  %6 = arith.cmpi ult, %i, %j : i8
  %7 = arith.cmpi ule, %i, %j : i8
  %8 = arith.cmpi ugt, %i, %j : i8
  %9 = arith.cmpi uge, %i, %j : i8
  %10 = arith.cmpi slt, %x, %x : index
  %11 = arith.cmpi eq, %v, %v : vector<4xi32>
  return
}

// The condition's type is printed only when it is not the scalar i1.
// CHECK-LABEL: func.func @select
func.func @select(%c: i1, %a: f64, %b: f64, %vc: vector<4xi1>, %v: vector<4xf32>, %tc: tensor<2xi1>, %t: tensor<2xi64>) {
  // CHECK-NEXT: arith.select %c, %a, %b : f64
  // CHECK-NEXT: arith.select %c, %v, %v : vector<4xf32>
  // CHECK-NEXT: arith.select %vc, %v, %v : vector<4xi1>, vector<4xf32>
  // CHECK-NEXT: arith.select %tc, %t, %t : tensor<2xi1>, tensor<2xi64>
  // GENERIC: "arith.select"(%c, %a, %b) : (i1, f64, f64) -> f64
  // GENERIC: "arith.select"(%vc, %v, %v) : (vector<4xi1>, vector<4xf32>, vector<4xf32>) -> vector<4xf32>
  %0 = arith.select %c, %a, %b : f64
  %1 = arith.select %c, %v, %v : vector<4xf32>
  %2 = arith.select %vc, %v, %v : vector<4xi1>, vector<4xf32>
  %3 = arith.select %tc, %t, %t : tensor<2xi1>, tensor<2xi64>
  return
}

// CHECK-LABEL: func.func @casts
func.func @casts(%f: f32, %d: f64, %h: f16, %i: i32, %l: i64, %x: index, %t: tensor<4xi32>, %m: memref<4xi32>) {
  // CHECK-NEXT: arith.sitofp %i : i32 to f32
  // CHECK-NEXT: arith.uitofp %l : i64 to f64
  // CHECK-NEXT: arith.fptosi %d : f64 to i32
  // CHECK-NEXT: arith.fptoui %f : f32 to i64
  // CHECK-NEXT: arith.extf %f : f32 to f64
  // CHECK-NEXT: arith.extf %h fastmath<fast> : f16 to f32
  // CHECK-NEXT: arith.truncf %d : f64 to f32
  // CHECK-NEXT: arith.truncf %d toward_zero : f64 to bf16
  // CHECK-NEXT: arith.truncf %f to_nearest_even fastmath<nnan> : f32 to f16
  // CHECK-NEXT: arith.extsi %i : i32 to i64
  // CHECK-NEXT: arith.extui %i : i32 to i64
  // CHECK-NEXT: arith.trunci %l : i64 to i32
  // CHECK-NEXT: arith.index_cast %x : index to i32
  // CHECK-NEXT: arith.index_cast %i : i32 to index
  // CHECK-NEXT: arith.index_castui %l : i64 to index
  // CHECK-NEXT: arith.index_cast %m : memref<4xi32> to memref<4xindex>
  // CHECK-NEXT: arith.bitcast %f : f32 to i32
  // CHECK-NEXT: arith.bitcast %h : f16 to bf16
  // CHECK-NEXT: arith.sitofp %t : tensor<4xi32> to tensor<4xf32>
  // GENERIC: "arith.sitofp"(%i) : (i32) -> f32
  // GENERIC: "arith.truncf"(%d) <{roundingmode = 3 : i32}> : (f64) -> bf16
  // GENERIC: "arith.truncf"(%f) <{fastmath = #arith.fastmath<nnan>, roundingmode = 0 : i32}> : (f32) -> f16
  // GENERIC: "arith.bitcast"(%f) : (f32) -> i32
  %0 = arith.sitofp %i : i32 to f32
  %1 = arith.uitofp %l : i64 to f64
  %2 = arith.fptosi %d : f64 to i32
  %3 = arith.fptoui %f : f32 to i64
  %4 = arith.extf %f : f32 to f64
  %5 = arith.extf %h fastmath<fast> : f16 to f32
  %6 = arith.truncf %d : f64 to f32
  %7 = arith.truncf %d toward_zero : f64 to bf16
  %8 = arith.truncf %f to_nearest_even fastmath<nnan> : f32 to f16
  %9 = arith.extsi %i : i32 to i64
  %10 = arith.extui %i : i32 to i64
  %11 = arith.trunci %l : i64 to i32
  %12 = arith.index_cast %x : index to i32
  %13 = arith.index_cast %i : i32 to index
  %14 = arith.index_castui %l : i64 to index
  %15 = arith.index_cast %m : memref<4xi32> to memref<4xindex>
  %16 = arith.bitcast %f : f32 to i32
  %17 = arith.bitcast %h : f16 to bf16
  %18 = arith.sitofp %t : tensor<4xi32> to tensor<4xf32>
  return
}
