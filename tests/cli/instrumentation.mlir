// The pass developer's flags: IR dumps around passes, timing, output files, stdin.
// RUN: irc opt %s --canonicalize --cse --print-ir-after-all 2>&1 >%t.out | filecheck %s --check-prefix=ALL
// RUN: irc opt %s --canonicalize --cse --print-ir-after=cse 2>&1 >%t.out | filecheck %s --check-prefix=AFTER
// RUN: irc opt %s --canonicalize --cse --print-ir-before=cse 2>&1 >%t.out | filecheck %s --check-prefix=BEFORE
// RUN: irc opt %s --cse --dce --print-ir-after-change 2>&1 >%t.out | filecheck %s --check-prefix=CHANGE
// RUN: irc opt %s --canonicalize --cse --timing 2>&1 >%t.out | filecheck %s --check-prefix=TIME
// RUN: irc opt %s --cse -o %t && filecheck %s --check-prefix=CSE --input-file %t
// RUN: cat %s | irc opt - --pass-pipeline='builtin.module(func.func(cse))' | filecheck %s --check-prefix=CSE
// RUN: irc opt %s --cse --no-verify-each | filecheck %s --check-prefix=CSE

// ALL: // -----// IR Dump After canonicalize (builtin.module) //----- //
// ALL: // -----// IR Dump After cse (builtin.module) //----- //
// AFTER-NOT: IR Dump After canonicalize
// AFTER: // -----// IR Dump After cse (builtin.module) //----- //
// AFTER-NEXT: module {
// BEFORE: // -----// IR Dump Before cse (builtin.module) //----- //
// BEFORE: arith.mulf %a, %a
// BEFORE: arith.mulf %a, %a
// CHANGE: IR Dump After cse
// CHANGE-NOT: IR Dump After dce
// TIME: Execution time report
// TIME: canonicalize
// TIME: cse
// TIME: Total
// CSE-LABEL: func.func @twice
// CSE-NEXT: %[[M:.*]] = arith.mulf %a, %a : f64
// CSE-NEXT: %[[S:.*]] = arith.addf %[[M]], %[[M]] : f64
// CSE-NEXT: return %[[S]]
func.func @twice(%a: f64) -> f64 {
  %0 = arith.mulf %a, %a : f64
  %1 = arith.mulf %a, %a : f64
  %2 = arith.addf %0, %1 : f64
  return %2 : f64
}
