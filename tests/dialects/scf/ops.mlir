// RUN: irc opt %s --split-input-file | filecheck %s
// RUN: irc opt %s --split-input-file | irc opt - --split-input-file | filecheck %s
// RUN: irc opt %s --split-input-file --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc opt %s --split-input-file --print-op-generic | irc opt - --split-input-file | filecheck %s
// Every scf op's custom form (as MLIR prints it) and generic form.

// CHECK-LABEL: func.func @for
// CHECK:         %r = scf.for %i = %lb to %ub step %s iter_args(%acc = %x) -> (f64) {
// CHECK-NEXT:      %y = arith.addf %acc, %acc : f64
// CHECK-NEXT:      scf.yield %y : f64
// CHECK-NEXT:    }
// The empty scf.yield of a loop without results is implicit.
// CHECK-NEXT:    scf.for %j = %lb to %ub step %s {
// CHECK-NEXT:    }
// CHECK-NEXT:    %q:2 = scf.for %k = %n to %n step %n iter_args(%a = %x, %b = %n) -> (f64, i32) : i32 {
// CHECK-NEXT:      scf.yield %a, %k : f64, i32
// CHECK-NEXT:    }
// CHECK-NEXT:    scf.for %u = %n to %n step %n : i32 {
// CHECK-NEXT:    } {my.tag}
// GENERIC:       %r = "scf.for"(%lb, %ub, %s, %x) ({
// GENERIC-NEXT:  ^bb0(%i: index, %acc: f64):
// GENERIC:         "scf.yield"(%y) : (f64) -> ()
// GENERIC-NEXT:  }) : (index, index, index, f64) -> f64
// GENERIC:       "scf.for"(%lb, %ub, %s) ({
// GENERIC-NEXT:  ^bb0(%j: index):
// GENERIC-NEXT:    "scf.yield"() : () -> ()
// GENERIC:       "scf.for"(%n, %n, %n) ({
// GENERIC:       }) {my.tag} : (i32, i32, i32) -> ()
func.func @for(%lb: index, %ub: index, %s: index, %x: f64, %n: i32) -> f64 {
  %r = scf.for %i = %lb to %ub step %s iter_args(%acc = %x) -> (f64) {
    %y = arith.addf %acc, %acc : f64
    scf.yield %y : f64
  }
  scf.for %j = %lb to %ub step %s {
  }
  %q:2 = scf.for %k = %n to %n step %n iter_args(%a = %x, %b = %n) -> (f64, i32) : i32 {
    scf.yield %a, %k : f64, i32
  }
  scf.for %u = %n to %n step %n : i32 {
  } {my.tag}
  return %r : f64
}

// -----

// CHECK-LABEL: func.func @if
// CHECK:         %r = scf.if %c -> (f64) {
// CHECK-NEXT:      scf.yield %x : f64
// CHECK-NEXT:    } else {
// CHECK-NEXT:      %y = arith.addf %x, %x : f64
// CHECK-NEXT:      scf.yield %y : f64
// CHECK-NEXT:    }
// CHECK-NEXT:    scf.if %c {
// CHECK-NEXT:      %z = arith.mulf %x, %x : f64
// CHECK-NEXT:    }
// CHECK-NEXT:    scf.if %c {
// CHECK-NEXT:    } else {
// CHECK-NEXT:      %w = arith.subf %x, %x : f64
// CHECK-NEXT:    }
// GENERIC:       %r = "scf.if"(%c) ({
// GENERIC-NEXT:    "scf.yield"(%x) : (f64) -> ()
// GENERIC-NEXT:  }, {
// GENERIC:       }) : (i1) -> f64
// GENERIC:       "scf.if"(%c) ({
// GENERIC:         "scf.yield"() : () -> ()
// GENERIC-NEXT:  }, {
// GENERIC-NEXT:  }) : (i1) -> ()
func.func @if(%c: i1, %x: f64) -> f64 {
  %r = scf.if %c -> (f64) {
    scf.yield %x : f64
  } else {
    %y = arith.addf %x, %x : f64
    scf.yield %y : f64
  }
  scf.if %c {
    %z = arith.mulf %x, %x : f64
  }
  scf.if %c {
  } else {
    %w = arith.subf %x, %x : f64
  }
  return %r : f64
}

// -----

// CHECK-LABEL: func.func @while
// CHECK:         %r:2 = scf.while (%a = %x, %b = %n) : (f32, i32) -> (f32, i32) {
// CHECK-NEXT:      %c = arith.cmpi slt, %b, %n : i32
// CHECK-NEXT:      scf.condition(%c) %a, %b : f32, i32
// CHECK-NEXT:    } do {
// CHECK-NEXT:    ^bb0(%a2: f32, %b2: i32):
// CHECK-NEXT:      scf.yield %a2, %b2 : f32, i32
// CHECK-NEXT:    }
// GENERIC:       %r:2 = "scf.while"(%x, %n) ({
// GENERIC-NEXT:  ^bb0(%a: f32, %b: i32):
// GENERIC:         "scf.condition"(%c, %a, %b) : (i1, f32, i32) -> ()
// GENERIC-NEXT:  }, {
// GENERIC-NEXT:  ^bb0(%a2: f32, %b2: i32):
// GENERIC-NEXT:    "scf.yield"(%a2, %b2) : (f32, i32) -> ()
// GENERIC-NEXT:  }) : (f32, i32) -> (f32, i32)
func.func @while(%x: f32, %n: i32) -> f32 {
  %r:2 = scf.while (%a = %x, %b = %n) : (f32, i32) -> (f32, i32) {
    %c = arith.cmpi slt, %b, %n : i32
    scf.condition(%c) %a, %b : f32, i32
  } do {
  ^bb0(%a2: f32, %b2: i32):
    scf.yield %a2, %b2 : f32, i32
  }
  return %r#0 : f32
}

// -----

// CHECK-LABEL: func.func @execute_region
// CHECK:         %r = scf.execute_region -> f32 {
// CHECK-NEXT:      %y = arith.addf %x, %x : f32
// CHECK-NEXT:      scf.yield %y : f32
// CHECK-NEXT:    }
// GENERIC:       %r = "scf.execute_region"() ({
// GENERIC:       }) : () -> f32
func.func @execute_region(%x: f32) -> f32 {
  %r = scf.execute_region -> f32 {
    %y = arith.addf %x, %x : f32
    scf.yield %y : f32
  }
  return %r : f32
}

// -----

// MLIR's unsigned comparison of the induction variable, and a region kept out of inlining.
// CHECK-LABEL: func.func @unsigned_and_no_inline
// CHECK:         scf.for unsigned %u = %n to %n step %n : i32 {
// CHECK-NEXT:    }
// CHECK-NEXT:    %r = scf.execute_region -> i32 no_inline {
// CHECK-NEXT:      scf.yield %n : i32
// CHECK-NEXT:    }
// GENERIC:       "scf.for"(%n, %n, %n) <{unsignedCmp}> ({
// GENERIC:       %r = "scf.execute_region"() <{no_inline}> ({
func.func @unsigned_and_no_inline(%n: i32) -> i32 {
  scf.for unsigned %u = %n to %n step %n : i32 {
  }
  %r = scf.execute_region -> i32 no_inline {
    scf.yield %n : i32
  }
  return %r : i32
}
