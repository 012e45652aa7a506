// RUN: irc opt %s --split-input-file --verify-diagnostics
// A symbol defined twice in one symbol table: MLIR's diagnostic, at the second
// definition, with a note at the first (mlir/test/IR/invalid-func-op.mlir).

func.func private @redef()  // expected-note {{see existing symbol definition here}}
func.func private @redef()  // expected-error {{redefinition of symbol named 'redef'}}

// -----

// The first repeated name in the text is reported, whatever else repeats later.
func.func @a() { return }
func.func @b() { return }  // expected-note {{see existing symbol definition here}}
func.func @b() { return }  // expected-error {{redefinition of symbol named 'b'}}
func.func @a() { return }

// -----

// Each module is its own symbol table: the same name in two of them is fine,
// a repeated name inside the nested one is not.
func.func private @f()
module @inner {
  func.func private @f()  // expected-note {{see existing symbol definition here}}
  module @m {
  }
  func.func private @f()  // expected-error {{redefinition of symbol named 'f'}}
}
