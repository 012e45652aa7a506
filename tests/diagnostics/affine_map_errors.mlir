// RUN: irc opt %s --split-input-file --verify-diagnostics

// expected-error@+1 {{use of undeclared identifier 'd2' in an affine map}}
func.func private @f() attributes {m = affine_map<(d0, d1) -> (d2)>}

// -----

// expected-error@+1 {{non-affine expression: a product of two dimension-dependent terms}}
func.func private @f() attributes {m = affine_map<(d0, d1) -> (d0 * d1)>}
