// RUN: irc opt %s --split-input-file --verify-diagnostics

func.func @splat_sizes(%s: f64) -> tensor<?x?xf64> {
  %c = arith.constant 2 : index
  // expected-error @+1 {{'tensor.splat' op incorrect number of dynamic sizes, has 1, expected 2}}
  %t = tensor.splat %s[%c] : tensor<?x?xf64>
  return %t : tensor<?x?xf64>
}

// -----

func.func @empty_sizes() -> tensor<?xf64> {
  // expected-error @+1 {{'tensor.empty' op incorrect number of dynamic sizes, has 0, expected 1}}
  %t = tensor.empty() : tensor<?xf64>
  return %t : tensor<?xf64>
}

// -----

func.func @extract_rank(%t: tensor<2x2xf64>, %i: index) -> f64 {
  // expected-error @+1 {{'tensor.extract' op incorrect number of indices for extract_element}}
  %x = tensor.extract %t[%i] : tensor<2x2xf64>
  return %x : f64
}

// -----

func.func @insert_rank(%t: tensor<2x2xf64>, %i: index, %v: f64) -> tensor<2x2xf64> {
  // expected-error @+1 {{'tensor.insert' op incorrect number of indices}}
  %x = tensor.insert %v into %t[%i] : tensor<2x2xf64>
  return %x : tensor<2x2xf64>
}
