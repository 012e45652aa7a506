// RUN: irc opt %s --split-input-file --verify-diagnostics
// Function argument and result attributes, checked as MLIR's function interface
// does (wording from mlir-opt 22).

// expected-error@+1 {{'func.func' op arguments may only have dialect attributes}}
func.func @argument_attribute_without_dialect(%x: f32 {foo}) {
  return
}

// -----

// expected-error@+1 {{'func.func' op results may only have dialect attributes}}
func.func @result_attribute_without_dialect() -> (f32 {foo = 1}) {
  %0 = arith.constant 1.0 : f32
  return %0 : f32
}

// -----

// expected-error@+1 {{'func.func' op arguments may only have dialect attributes}}
func.func @one_of_two_without_dialect(%x: f32 {foo.bar = 1, baz}) {
  return
}

// -----

// expected-error@+1 {{'func.func' op arguments may only have dialect attributes}}
func.func private @declaration_argument(f32 {foo})

// -----

// expected-error@+1 {{'func.func' op expects argument attribute array to have the same number of elements as the number of function arguments, got 2, but expected 1}}
"func.func"() <{function_type = (f32) -> (), sym_name = "too_many", arg_attrs = [{}, {}]}> ({
^bb0(%x: f32):
  "func.return"() : () -> ()
}) : () -> ()

// -----

// expected-error@+1 {{'func.func' op expects result attribute array to have the same number of elements as the number of function results, got 0, but expected 1}}
"func.func"() <{function_type = () -> f32, sym_name = "too_few", res_attrs = []}> ({
  %0 = arith.constant 1.0 : f32
  "func.return"(%0) : (f32) -> ()
}) : () -> ()

// -----

// expected-error@+1 {{'func.func' op attribute 'arg_attrs' failed to satisfy constraint: Array of dictionary attributes}}
"func.func"() <{function_type = (f32) -> (), sym_name = "not_dictionaries", arg_attrs = [1]}> ({
^bb0(%x: f32):
  "func.return"() : () -> ()
}) : () -> ()

// -----

// expected-error@+1 {{'func.func' op arguments may only have dialect attributes}}
"func.func"() <{function_type = (f32) -> (), sym_name = "generic", sym_visibility = "private", arg_attrs = [{foo}]}> ({
^bb0(%x: f32):
  "func.return"() : () -> ()
}) : () -> ()

// -----

// expected-error@+1 {{'sym_visibility' is an inferred attribute and should not be specified in the explicit attribute dictionary}}
func.func @visibility_in_dictionary(%x: f32) attributes {sym_visibility = "private"} {
  return
}

// -----

// expected-error@+1 {{'sym_visibility' is an inferred attribute and should not be specified in the explicit attribute dictionary}}
func.func private @visibility_twice(%x: f32) attributes {sym_visibility = "public"}

// -----

// expected-error@+1 {{'func.func' op visibility expected to be one of ["public", "private", "nested"], but got "bogus"}}
"func.func"() <{function_type = (f32) -> (), sym_name = "bogus_visibility", sym_visibility = "bogus"}> ({
^bb0(%x: f32):
  "func.return"() : () -> ()
}) : () -> ()

// -----

// expected-error@+1 {{'sym_name' is an inferred attribute and should not be specified in the explicit attribute dictionary}}
func.func @name_in_dictionary(%x: f32) attributes {sym_name = "other"} {
  return
}

// -----

// expected-error@+1 {{'func.func' op arguments may only have dialect attributes}}
func.func @arg_attrs_in_dictionary(%x: f32) attributes {arg_attrs = [{foo}]} {
  return
}

// -----

// arg_attrs may come in the dictionary (MLIR reads them so)
func.func @valid_arg_attrs_in_dictionary(%x: f32) attributes {arg_attrs = [{test.a}]} {
  return
}

// -----

// dialect attributes on arguments and results, and empty dictionaries, are valid
func.func @dialect_attributes(%x: f32 {test.foo, test.bar = 1 : i64}, %y: f32) -> (f32 {test.result}) {
  return %x : f32
}
