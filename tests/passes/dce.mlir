// RUN: irc opt %s --allow-unregistered-dialect --dce | filecheck %s

// A chain of unused pure ops goes entirely; ops with effects and their operands stay.
// CHECK-LABEL: func.func @chain(%x: i32) -> i32 {
// CHECK-NEXT:    %[[K:.*]] = builtin.unrealized_conversion_cast %x : i32 to i16
// CHECK-NEXT:    "test.effect"(%[[K]]) : (i16) -> ()
// CHECK-NEXT:    return %x : i32
// CHECK-NEXT:  }
func.func @chain(%x: i32) -> i32 {
  %a = builtin.unrealized_conversion_cast %x : i32 to i64
  %b = builtin.unrealized_conversion_cast %a : i64 to f64
  %c = builtin.unrealized_conversion_cast %b : f64 to f32
  %k = builtin.unrealized_conversion_cast %x : i32 to i16
  "test.effect"(%k) : (i16) -> ()
  return %x : i32
}

// Dead ops inside regions go too; a loop whose body is pure and whose
// results are unused goes as a whole; a loop with an effect stays.
// CHECK-LABEL: func.func @nested
// CHECK-NEXT:    scf.for
// CHECK-NEXT:      "test.effect"() : () -> ()
// CHECK-NEXT:    }
// CHECK-NEXT:    return
func.func @nested(%lb: index, %ub: index, %x: i64) {
  %unused = scf.for %i = %lb to %ub step %ub iter_args(%a = %x) -> (i64) {
    %n = builtin.unrealized_conversion_cast %i, %a : index, i64 to i64
    scf.yield %n : i64
  }
  scf.for %i = %lb to %ub step %ub {
    %d = builtin.unrealized_conversion_cast %i : index to i64
    "test.effect"() : () -> ()
  }
  return
}
