// --verify-diagnostics itself must fail when an expectation is not met, and
// a plain run must print the located error with the source line and a caret.
// RUN: not irc opt %s --verify-diagnostics 2>&1 | filecheck %s --check-prefix=VD
// RUN: not irc opt %s 2>&1 | filecheck %s --check-prefix=PLAIN
// RUN: not irc opt %s --no-such-flag 2>&1 | filecheck %s --check-prefix=FLAG
// RUN: not irc opt %s.missing 2>&1 | filecheck %s --check-prefix=MISSING
// RUN: not irc opt %s --pass-pipeline='builtin.module(no-such-pass)' 2>&1 | filecheck %s --check-prefix=NOPASS

// VD: unexpected error: use of undeclared SSA value name '%y'
// VD: expected error "a message that is never produced" was not produced
// PLAIN: verify_diagnostics_self.mlir:[[# @LINE + 8]]:10: error: use of undeclared SSA value name '%y'
// PLAIN-NEXT: {{^}}  return %y : f64
// PLAIN-NEXT: {{^}}         ^
// FLAG: irc: error: unrecognized arguments: --no-such-flag
// MISSING: irc: error: could not open input file '{{.*}}.missing': no such file
// NOPASS: error: 'no-such-pass' does not refer to a registered pass
func.func @f(%x: f64) -> f64 {
  // expected-error@+1 {{a message that is never produced}}
  return %y : f64
}
