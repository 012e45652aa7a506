// Tensor programs that tests/bufferize/test_one_shot.py runs before and after
// --one-shot-bufferize (results equal, no buffer left allocated) and whose
// in-place decisions it compares with mlir-opt's (test-analysis-only).

// A loop that updates its iter_arg in place: no copy.
func.func @loop_in_place(%t: tensor<8xf64>, %n: index) -> tensor<8xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> tensor<8xf64> {
    %x = tensor.extract %a[%i] : tensor<8xf64>
    %y = arith.addf %x, %x : f64
    %b = tensor.insert %y into %a[%i] : tensor<8xf64>
    scf.yield %b : tensor<8xf64>
  }
  return %r : tensor<8xf64>
}

// Read after write: %t is read after the insert, so the insert writes a copy.
func.func @read_after_write(%t: tensor<8xf64>, %i: index, %v: f64) -> (f64, tensor<8xf64>) {
  %b = tensor.insert %v into %t[%i] : tensor<8xf64>
  %x = tensor.extract %t[%i] : tensor<8xf64>
  return %x, %b : f64, tensor<8xf64>
}

// The callee writes its argument, and the caller reads the argument afterwards.
func.func @caller_keeps_argument(%t: tensor<8xf64>, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %r = call @loop_in_place(%t, %n) : (tensor<8xf64>, index) -> tensor<8xf64>
  %x = tensor.extract %r[%c0] : tensor<8xf64>
  %y = tensor.extract %t[%c0] : tensor<8xf64>
  %z = arith.addf %x, %y : f64
  return %z : f64
}

// The loop reads the init tensor inside: the loop works on a copy.
func.func @init_read_in_loop(%t: tensor<4xf64>, %n: index) -> (tensor<4xf64>, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> tensor<4xf64> {
    %old = tensor.extract %t[%i] : tensor<4xf64>
    %d = arith.addf %old, %old : f64
    %b = tensor.insert %d into %a[%i] : tensor<4xf64>
    scf.yield %b : tensor<4xf64>
  }
  %e = tensor.extract %t[%c0] : tensor<4xf64>
  return %r, %e : tensor<4xf64>, f64
}

// An insert into a tensor from outside the loop: every iteration needs it unchanged.
func.func @insert_outer_in_loop(%t: tensor<4xf64>, %n: index) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %z = arith.constant 0.0 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %z) -> f64 {
    %b = tensor.insert %z into %t[%i] : tensor<4xf64>
    %s = tensor.extract %b[%c0] : tensor<4xf64>
    %s2 = tensor.extract %b[%c1] : tensor<4xf64>
    %u = arith.addf %acc, %s : f64
    %w = arith.addf %u, %s2 : f64
    scf.yield %w : f64
  }
  return %r : f64
}

// A chain of inserts into a fresh tensor: all in place.
func.func @insert_chain(%x: f64, %y: f64) -> tensor<4xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %e = tensor.splat %x : tensor<4xf64>
  %a = tensor.insert %y into %e[%c0] : tensor<4xf64>
  %b = tensor.insert %y into %a[%c2] : tensor<4xf64>
  %c = tensor.insert %x into %b[%c1] : tensor<4xf64>
  %d = tensor.insert %y into %c[%c3] : tensor<4xf64>
  return %d : tensor<4xf64>
}

// Both branches of an scf.if: one allocates, one forwards the argument.
func.func @branch(%t: tensor<4xf64>, %c: i1, %x: f64) -> tensor<4xf64> {
  %c0 = arith.constant 0 : index
  %r = scf.if %c -> tensor<4xf64> {
    %e = tensor.splat %x : tensor<4xf64>
    %f = tensor.insert %x into %e[%c0] : tensor<4xf64>
    %g = arith.addf %f, %t : tensor<4xf64>
    scf.yield %g : tensor<4xf64>
  } else {
    scf.yield %t : tensor<4xf64>
  }
  %s = arith.mulf %r, %r : tensor<4xf64>
  return %s : tensor<4xf64>
}

// A while loop carrying a tensor that each iteration replaces.
func.func @while_doubling(%t: tensor<4xf64>, %n: index) -> tensor<4xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r:2 = scf.while (%i = %c0, %a = %t) : (index, tensor<4xf64>) -> (index, tensor<4xf64>) {
    %cond = arith.cmpi slt, %i, %n : index
    scf.condition(%cond) %i, %a : index, tensor<4xf64>
  } do {
  ^bb0(%i2: index, %a2: tensor<4xf64>):
    %b = arith.addf %a2, %a2 : tensor<4xf64>
    %j = arith.addi %i2, %c1 : index
    scf.yield %j, %b : index, tensor<4xf64>
  }
  return %r#1 : tensor<4xf64>
}

// New tensors from elements, a splat and a generator.
func.func @build(%x: f64, %y: f64, %n: index) -> (tensor<2x2xf64>, tensor<?xf64>, tensor<3xf64>) {
  %a = tensor.from_elements %x, %y, %y, %x : tensor<2x2xf64>
  %s = tensor.splat %x[%n] : tensor<?xf64>
  %g = tensor.generate {
  ^bb0(%i: index):
    %ii = arith.index_cast %i : index to i64
    %f = arith.sitofp %ii : i64 to f64
    %v = arith.mulf %f, %y : f64
    tensor.yield %v : f64
  } : tensor<3xf64>
  return %a, %s, %g : tensor<2x2xf64>, tensor<?xf64>, tensor<3xf64>
}

// A callee that returns a new tensor, called twice.
func.func @fresh(%x: f64) -> tensor<3xf64> {
  %s = tensor.splat %x : tensor<3xf64>
  return %s : tensor<3xf64>
}

func.func @calls_fresh(%x: f64) -> f64 {
  %c0 = arith.constant 0 : index
  %a = call @fresh(%x) : (f64) -> tensor<3xf64>
  %b = call @fresh(%x) : (f64) -> tensor<3xf64>
  %c = arith.addf %a, %b : tensor<3xf64>
  %e = tensor.extract %c[%c0] : tensor<3xf64>
  return %e : f64
}

// Shapes: dim, rank and cast read no contents.
func.func @shapes(%t: tensor<?x3xf64>) -> (index, index, f64) {
  %c0 = arith.constant 0 : index
  %d = tensor.dim %t, %c0 : tensor<?x3xf64>
  %r = tensor.rank %t : tensor<?x3xf64>
  %s = tensor.cast %t : tensor<?x3xf64> to tensor<2x3xf64>
  %x = tensor.extract %s[%c0, %c0] : tensor<2x3xf64>
  return %d, %r, %x : index, index, f64
}

// A row of the matrix extracted, updated and inserted back at the same place in
// a loop: all in place (MLIR's matching extract_slice/insert_slice pair).
func.func @rows_in_place(%t: tensor<8x8xf64>, %n: index) -> tensor<8x8xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> tensor<8x8xf64> {
    %s = tensor.extract_slice %a[%i, 0] [1, 8] [1, 1] : tensor<8x8xf64> to tensor<8xf64>
    %x = tensor.extract %s[%c2] : tensor<8xf64>
    %y = arith.mulf %x, %x : f64
    %s2 = tensor.insert %y into %s[%c0] : tensor<8xf64>
    %b = tensor.insert_slice %s2 into %a[%i, 0] [1, 8] [1, 1] : tensor<8xf64> into tensor<8x8xf64>
    scf.yield %b : tensor<8x8xf64>
  }
  return %r : tensor<8x8xf64>
}

// A slice written and inserted at another place: the write goes to a copy.
func.func @slice_moved(%t: tensor<8xf64>) -> tensor<8xf64> {
  %c0 = arith.constant 0 : index
  %z = arith.constant 7.0 : f64
  %s = tensor.extract_slice %t[0] [4] [1] : tensor<8xf64> to tensor<4xf64>
  %s2 = tensor.insert %z into %s[%c0] : tensor<4xf64>
  %b = tensor.insert_slice %s2 into %t[4] [4] [1] : tensor<4xf64> into tensor<8xf64>
  return %b : tensor<8xf64>
}

// Reshapes, concatenation, a strided slice of it and padding.
func.func @reshapes(%t: tensor<2x3xf64>) -> (tensor<6xf64>, tensor<3x2xf64>, tensor<2x4xf64>, tensor<4x5xf64>) {
  %c = tensor.collapse_shape %t [[0, 1]] : tensor<2x3xf64> into tensor<6xf64>
  %e = tensor.expand_shape %c [[0, 1]] output_shape [3, 2] : tensor<6xf64> into tensor<3x2xf64>
  %k = tensor.concat dim(1) %t, %t : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x6xf64>
  %k2 = tensor.extract_slice %k[0, 1] [2, 4] [1, 1] : tensor<2x6xf64> to tensor<2x4xf64>
  %cst = arith.constant 0.5 : f64
  %p = tensor.pad %t low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %cst : f64
  } : tensor<2x3xf64> to tensor<4x5xf64>
  return %c, %e, %k2, %p : tensor<6xf64>, tensor<3x2xf64>, tensor<2x4xf64>, tensor<4x5xf64>
}

// A slice of the argument returned: the caller gets a buffer of its own (a copy).
func.func @return_slice(%t: tensor<?xf64>, %n: index) -> tensor<?xf64> {
  %s = tensor.extract_slice %t[1] [%n] [1] : tensor<?xf64> to tensor<?xf64>
  return %s : tensor<?xf64>
}

func.func @call_return_slice(%t: tensor<?xf64>) -> (tensor<?xf64>, f64) {
  %c0 = arith.constant 0 : index
  %c2 = arith.constant 2 : index
  %v = arith.constant 9.0 : f64
  %s = call @return_slice(%t, %c2) : (tensor<?xf64>, index) -> tensor<?xf64>
  %s2 = tensor.insert %v into %s[%c0] : tensor<?xf64>
  %x = tensor.extract %t[%c0] : tensor<?xf64>
  return %s2, %x : tensor<?xf64>, f64
}

// Recursion over tensors: sum of t[0..n) by halving n (a call cycle).
func.func @recursive_sum(%t: tensor<8xf64>, %n: index) -> tensor<8xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %done = arith.cmpi ule, %n, %c1 : index
  %r = scf.if %done -> tensor<8xf64> {
    scf.yield %t : tensor<8xf64>
  } else {
    %m = arith.subi %n, %c1 : index
    %last = tensor.extract %t[%m] : tensor<8xf64>
    %first = tensor.extract %t[%c0] : tensor<8xf64>
    %s = arith.addf %first, %last : f64
    %u = tensor.insert %s into %t[%c0] : tensor<8xf64>
    %rest = func.call @recursive_sum(%u, %m) : (tensor<8xf64>, index) -> tensor<8xf64>
    scf.yield %rest : tensor<8xf64>
  }
  return %r : tensor<8xf64>
}

// The same argument returned twice and an iter_arg result equivalent to it.
func.func @twice(%t: tensor<4xf64>, %n: index) -> (tensor<4xf64>, tensor<4xf64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f64
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %t) -> tensor<4xf64> {
    %x = tensor.extract %a[%c0] : tensor<4xf64>
    %y = arith.addf %x, %one : f64
    %b = tensor.insert %y into %a[%c0] : tensor<4xf64>
    scf.yield %b : tensor<4xf64>
  }
  return %r, %r : tensor<4xf64>, tensor<4xf64>
}

// A switch whose cases allocate, forward the argument, or write it.
func.func @switch(%t: tensor<4xf64>, %k: index, %x: f64) -> (tensor<4xf64>, f64) {
  %c0 = arith.constant 0 : index
  %r = scf.index_switch %k -> tensor<4xf64>
  case 0 {
    %s = tensor.splat %x : tensor<4xf64>
    scf.yield %s : tensor<4xf64>
  }
  case 1 {
    %u = tensor.insert %x into %t[%c0] : tensor<4xf64>
    scf.yield %u : tensor<4xf64>
  }
  default {
    scf.yield %t : tensor<4xf64>
  }
  %y = tensor.extract %t[%c0] : tensor<4xf64>
  return %r, %y : tensor<4xf64>, f64
}

// A loop working in a row of the matrix: the loop carries the subview itself.
func.func @slice_loop(%A: tensor<6x4xf64>, %n: index) -> tensor<6x4xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %s = tensor.extract_slice %A[2, 0] [1, 4] [1, 1] : tensor<6x4xf64> to tensor<4xf64>
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %s) -> tensor<4xf64> {
    %x = tensor.extract %a[%i] : tensor<4xf64>
    %y = arith.mulf %x, %x : f64
    %b = tensor.insert %y into %a[%i] : tensor<4xf64>
    scf.yield %b : tensor<4xf64>
  }
  %B = tensor.insert_slice %r into %A[2, 0] [1, 4] [1, 1] : tensor<4xf64> into tensor<6x4xf64>
  return %B : tensor<6x4xf64>
}

// linalg in destination style: a matmul accumulating into a filled buffer, then an
// elementwise tanh written over its own input (in place: same element, same map).
#mA = affine_map<(d0, d1, d2) -> (d0, d2)>
#mB = affine_map<(d0, d1, d2) -> (d2, d1)>
#mC = affine_map<(d0, d1, d2) -> (d0, d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
func.func @generic_matmul_tanh(%a: tensor<4x8xf64>, %b: tensor<8x3xf64>) -> tensor<4x3xf64> {
  %z = arith.constant 0.0 : f64
  %e = tensor.empty() : tensor<4x3xf64>
  %c = linalg.generic {indexing_maps = [#id2], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<4x3xf64>) {
  ^bb0(%o: f64):
    linalg.yield %z : f64
  } -> tensor<4x3xf64>
  %r = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf64>, tensor<8x3xf64>) outs(%c : tensor<4x3xf64>) {
  ^bb0(%x: f64, %y: f64, %acc: f64):
    %p = arith.mulf %x, %y : f64
    %s = arith.addf %acc, %p : f64
    linalg.yield %s : f64
  } -> tensor<4x3xf64>
  %t = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%r : tensor<4x3xf64>) outs(%r : tensor<4x3xf64>) {
  ^bb0(%x: f64, %o: f64):
    %u = math.tanh %x : f64
    linalg.yield %u : f64
  } -> tensor<4x3xf64>
  return %t : tensor<4x3xf64>
}

// A transposed read of the tensor being written: not element-wise, so a copy.
#tr = affine_map<(d0, d1) -> (d1, d0)>
func.func @generic_transpose_conflict(%a: tensor<3x3xf64>) -> tensor<3x3xf64> {
  %t = linalg.generic {indexing_maps = [#tr, #id2], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<3x3xf64>) outs(%a : tensor<3x3xf64>) {
  ^bb0(%x: f64, %o: f64):
    %u = arith.addf %x, %o : f64
    linalg.yield %u : f64
  } -> tensor<3x3xf64>
  return %t : tensor<3x3xf64>
}
