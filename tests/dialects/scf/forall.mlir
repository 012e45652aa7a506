// RUN: irc opt %s | filecheck %s --check-prefix=ROUND
// RUN: irc opt %s | irc opt | filecheck %s --check-prefix=ROUND
// RUN: irc opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: irc opt %s --print-op-generic | irc opt | filecheck %s --check-prefix=ROUND
// RUN: irc run %s --entry trips --arg 3 --json | filecheck %s --check-prefix=EXEC
// scf.forall in MLIR 22's syntax: the normalized `in (...)` form, the
// `= (...) to (...) step (...)` form with mixed constant and SSA bounds,
// shared_outs, and the generic form (static bounds with MLIR's kDynamic holes).

// ROUND-LABEL: func.func @forms
// ROUND: scf.forall (%{{.*}}, %{{.*}}) in (8, %{{.*}}) {
// ROUND: scf.forall (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step (2) {
// ROUND: } {mapping = []}
// ROUND: %{{.*}} = scf.forall (%{{.*}}) in (4) shared_outs(%[[O:.*]] = %{{.*}}) -> (tensor<4xf32>) {
// ROUND-NEXT: }
// GENERIC: "scf.forall"(%{{.*}}) <{operandSegmentSizes = array<i32: 0, 1, 0, 0>, staticLowerBound = array<i64: 0, 0>, staticStep = array<i64: 1, 1>, staticUpperBound = array<i64: 8, -9223372036854775808>}> ({
// GENERIC: "scf.forall.in_parallel"() ({
// GENERIC: "scf.forall"(%{{.*}}, %{{.*}}) <{mapping = [], operandSegmentSizes = array<i32: 1, 1, 0, 0>, staticLowerBound = array<i64: -9223372036854775808>, staticStep = array<i64: 2>, staticUpperBound = array<i64: -9223372036854775808>}> ({
// GENERIC: "scf.forall"(%{{.*}}) <{operandSegmentSizes = array<i32: 0, 0, 0, 1>, staticLowerBound = array<i64: 0>, staticStep = array<i64: 1>, staticUpperBound = array<i64: 4>}> ({
// GENERIC: }) : (tensor<4xf32>) -> tensor<4xf32>
func.func @forms(%n: index, %lb: index, %t: tensor<4xf32>) -> tensor<4xf32> {
  scf.forall (%i, %j) in (8, %n) {
    %s = arith.addi %i, %j : index
  }
  scf.forall (%i) = (%lb) to (%n) step (2) {
  } {mapping = []}
  %r = scf.forall (%i) in (4) shared_outs(%o = %t) -> (tensor<4xf32>) {
  }
  return %r : tensor<4xf32>
}

// The interpreter runs every point of the iteration space; with nothing in
// in_parallel the shared output comes back as it went in.
// EXEC: {{\[\[}}1.0, 2.0], 1.0]
func.func @trips(%n: index) -> (tensor<2xf64>, f64) {
  %t = arith.constant dense<[1.0, 2.0]> : tensor<2xf64>
  %r = scf.forall (%i, %j) = (0, 1) to (%n, 3) step (1, 1) shared_outs(%o = %t) -> (tensor<2xf64>) {
    %k = arith.muli %i, %j : index
  }
  %one = arith.constant 1.0 : f64
  return %r, %one : tensor<2xf64>, f64
}
