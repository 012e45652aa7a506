// RUN: irc opt %s --load-plugin %S/syntax_plugin.py --split-input-file --verify-diagnostics
// Errors in custom directives, header-named region arguments and dialect types.

func.func @f(%a: f64) {
  // expected-error@+1 {{use of value '%a' expects different type than prior uses: 'index' vs 'f64'}}
  %0 = testsyn.slice %a [%a] : f64 -> f64
  return
}

// -----

func.func @f(%a: f64) {
  // expected-error@+1 {{'ins' has 1 operands but 2 types}}
  testsyn.generic ins(%a : f64, f64)
  return
}

// -----

func.func @f() {
  %i = arith.constant 0 : index
  // expected-error@+1 {{redefinition of SSA value '%i'}}
  testsyn.loop (%i: index) {
  }
  return
}

// -----

func.func @f() {
  testsyn.loop (%i: index) {
    // expected-error@+1 {{use of value '%i' expects different type than prior uses: 'f64' vs 'index'}}
    %y = arith.cmpf olt, %i, %i : f64
  }
  return
}

// -----

func.func @f() {
  testsyn.loop (%i: index) {
  }
  // expected-error@+1 {{use of undeclared SSA value name '%i'}}
  %j = arith.addi %i, %i : index
  return
}

// -----

// expected-error@+1 {{invalid '!testsyn.struct' type: expected a parenthesized list of element types, as in !testsyn.struct<(ptr, i64)>}}
func.func @f(%s: !testsyn.struct<i64>) {
  return
}

// -----

// expected-error@+1 {{invalid '#testsyn.address_space' attribute: expected one of global, workgroup, private}}
func.func @f() attributes {space = #testsyn.address_space<shared>} {
  return
}
