// RUN: irc opt %s | irc opt | filecheck %s --check-prefix=ROUND
// RUN: irc opt %s --print-op-generic | irc opt | filecheck %s --check-prefix=ROUND
// RUN: irc run %s --entry edge --json | filecheck %s --check-prefix=EXEC
// RUN: irc run %s --entry vectors --json | filecheck %s --check-prefix=VEC
// RUN: irc opt %s --canonicalize | filecheck %s --check-prefix=FOLD
// RUN: irc opt %s --canonicalize | irc run - --entry edge --json | filecheck %s --check-prefix=EXEC
// arith.addui_extended, arith.mulsi_extended and arith.mului_extended: MLIR 22's
// syntax, exact integer semantics in the interpreter, and MLIR's folders.

// ROUND-LABEL: func.func @syntax
// ROUND: %{{.*}}:2 = arith.addui_extended %{{.*}}, %{{.*}} : i32, i1
// ROUND: %{{.*}}:2 = arith.mulsi_extended %{{.*}}, %{{.*}} : i32
// ROUND: %{{.*}}:2 = arith.mului_extended %{{.*}}, %{{.*}} : vector<4xi8>
// ROUND: %{{.*}}:2 = arith.addui_extended %{{.*}}, %{{.*}} : tensor<2xindex>, tensor<2xi1>
func.func @syntax(%a: i32, %b: i32, %v: vector<4xi8>, %t: tensor<2xindex>) -> (i32, i1, i32, i32, vector<4xi8>, vector<4xi8>, tensor<2xindex>, tensor<2xi1>) {
  %sum, %overflow = arith.addui_extended %a, %b : i32, i1
  %low, %high = arith.mulsi_extended %a, %b : i32
  %vl, %vh = arith.mului_extended %v, %v : vector<4xi8>
  %ts, %to = arith.addui_extended %t, %t : tensor<2xindex>, tensor<2xi1>
  return %sum, %overflow, %low, %high, %vl, %vh, %ts, %to : i32, i1, i32, i32, vector<4xi8>, vector<4xi8>, tensor<2xindex>, tensor<2xi1>
}

// At the edges of i8: 255 + 1 carries (sum 0, overflow 1); 200 + 55 does not;
// -128 * -128 = 16384 = 0x4000 (signed: low 0, high 64); -1 * -1 unsigned is
// 255 * 255 = 65025 = 0xFE01 (low 1, high -2 as a signed i8); signed -1 * 2 = -2
// (low -2, high -1); i64 max * i64 max unsigned reaches 2^128 - 2^65 + 1.
// EXEC: [0, 1, -1, 0, 0, 64, 1, -2, -2, -1, 1, -2]
func.func @edge() -> (i8, i1, i8, i1, i8, i8, i8, i8, i8, i8, i64, i64) {
  %m1 = arith.constant -1 : i8
  %one = arith.constant 1 : i8
  %c200 = arith.constant 200 : i8
  %c55 = arith.constant 55 : i8
  %min = arith.constant -128 : i8
  %two = arith.constant 2 : i8
  %big = arith.constant -1 : i64
  %s0, %o0 = arith.addui_extended %m1, %one : i8, i1
  %s1, %o1 = arith.addui_extended %c200, %c55 : i8, i1
  %l0, %h0 = arith.mulsi_extended %min, %min : i8
  %l1, %h1 = arith.mului_extended %m1, %m1 : i8
  %l2, %h2 = arith.mulsi_extended %m1, %two : i8
  %l3, %h3 = arith.mului_extended %big, %big : i64
  return %s0, %o0, %s1, %o1, %l0, %h0, %l1, %h1, %l2, %h2, %l3, %h3 : i8, i1, i8, i1, i8, i8, i8, i8, i8, i8, i64, i64
}

// Elementwise on vectors.
// VEC: {{\[\[}}0, 4, -2], [true, false, false], [-2, 0, 2], [-1, 0, -1]]
func.func @vectors() -> (vector<3xi8>, vector<3xi1>, vector<3xi8>, vector<3xi8>) {
  %a = arith.constant dense<[-1, 2, 127]> : vector<3xi8>
  %b = arith.constant dense<[1, 2, 127]> : vector<3xi8>
  %c = arith.constant dense<[2, 0, -2]> : vector<3xi8>
  %s, %o = arith.addui_extended %a, %b : vector<3xi8>, vector<3xi1>
  %l, %h = arith.mulsi_extended %a, %c : vector<3xi8>
  return %s, %o, %l, %h : vector<3xi8>, vector<3xi1>, vector<3xi8>, vector<3xi8>
}

// MLIR's folders: x + 0 is (x, false); x * 0 is (0, 0); unsigned x * 1 is (x, 0);
// signed x * 1 stays (its high half is x's sign).
// FOLD-LABEL: func.func @identities
// FOLD-DAG: %[[Z:.*]] = arith.constant 0 : i32
// FOLD-DAG: %[[F:.*]] = arith.constant false
// FOLD: %[[M:.*]]:2 = arith.mulsi_extended %x, %{{.*}} : i32
// FOLD: return %x, %[[F]], %[[Z]], %[[Z]], %x, %[[Z]], %[[M]]#1
func.func @identities(%x: i32) -> (i32, i1, i32, i32, i32, i32, i32) {
  %c0 = arith.constant 0 : i32
  %c1 = arith.constant 1 : i32
  %s, %o = arith.addui_extended %x, %c0 : i32, i1
  %l, %h = arith.mulsi_extended %c0, %x : i32
  %ul, %uh = arith.mului_extended %x, %c1 : i32
  %sl, %sh = arith.mulsi_extended %x, %c1 : i32
  return %s, %o, %l, %h, %ul, %uh, %sh : i32, i1, i32, i32, i32, i32, i32
}
