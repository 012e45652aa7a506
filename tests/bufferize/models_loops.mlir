// Hand-written model code over tensors (tests/bufferize/test_models.py): loops
// with tensor.extract/insert, differentiated by --ad-reverse, then bufferized.

// Over the rows of A: y[i] = tanh(A[i,:] . w), written with tensor.insert; loss = sum y^2.
func.func @rows_loss(%a: tensor<5x3xf64>, %w: tensor<3xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %zero = arith.constant 0.0 : f64
  %y0 = tensor.splat %zero : tensor<5xf64>
  %y = scf.for %i = %c0 to %c5 step %c1 iter_args(%acc = %y0) -> tensor<5xf64> {
    %dot = scf.for %j = %c0 to %c3 step %c1 iter_args(%s = %zero) -> f64 {
      %aij = tensor.extract %a[%i, %j] : tensor<5x3xf64>
      %wj = tensor.extract %w[%j] : tensor<3xf64>
      %p = arith.mulf %aij, %wj : f64
      %s2 = arith.addf %s, %p : f64
      scf.yield %s2 : f64
    }
    %t = math.tanh %dot : f64
    %acc2 = tensor.insert %t into %acc[%i] : tensor<5xf64>
    scf.yield %acc2 : tensor<5xf64>
  }
  %loss = scf.for %i = %c0 to %c5 step %c1 iter_args(%s = %zero) -> f64 {
    %yi = tensor.extract %y[%i] : tensor<5xf64>
    %sq = arith.mulf %yi, %yi : f64
    %s2 = arith.addf %s, %sq : f64
    scf.yield %s2 : f64
  }
  return %loss : f64
}

func.func @rows_grad(%a: tensor<5x3xf64>, %w: tensor<3xf64>) -> (tensor<5x3xf64>, tensor<3xf64>) {
  %ga, %gw = ad.grad @rows_loss(%a, %w) {wrt = [0, 1]} : (tensor<5x3xf64>, tensor<3xf64>) -> (tensor<5x3xf64>, tensor<3xf64>)
  return %ga, %gw : tensor<5x3xf64>, tensor<3xf64>
}

// A lower-triangular L stored packed by rows (L[i][j] = p[i(i+1)/2 + j], j <= i):
// y = L x built with tensor.insert inside the loops; loss = sum sin(y).
func.func @tri_loss(%p: tensor<10xf64>, %x: tensor<4xf64>) -> f64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f64
  %y0 = tensor.splat %zero : tensor<4xf64>
  %y = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %y0) -> tensor<4xf64> {
    %i1 = arith.addi %i, %c1 : index
    %ii = arith.muli %i, %i1 : index
    %row = arith.divui %ii, %c2 : index
    %acc2 = scf.for %j = %c0 to %i1 step %c1 iter_args(%v = %acc) -> tensor<4xf64> {
      %k = arith.addi %row, %j : index
      %lij = tensor.extract %p[%k] : tensor<10xf64>
      %xj = tensor.extract %x[%j] : tensor<4xf64>
      %m = arith.mulf %lij, %xj : f64
      %old = tensor.extract %v[%i] : tensor<4xf64>
      %new = arith.addf %old, %m : f64
      %v2 = tensor.insert %new into %v[%i] : tensor<4xf64>
      scf.yield %v2 : tensor<4xf64>
    }
    scf.yield %acc2 : tensor<4xf64>
  }
  %loss = scf.for %i = %c0 to %c4 step %c1 iter_args(%s = %zero) -> f64 {
    %yi = tensor.extract %y[%i] : tensor<4xf64>
    %sy = math.sin %yi : f64
    %s2 = arith.addf %s, %sy : f64
    scf.yield %s2 : f64
  }
  return %loss : f64
}

func.func @tri_grad(%p: tensor<10xf64>, %x: tensor<4xf64>) -> (tensor<10xf64>, tensor<4xf64>) {
  %gp, %gx = ad.grad @tri_loss(%p, %x) {wrt = [0, 1]} : (tensor<10xf64>, tensor<4xf64>) -> (tensor<10xf64>, tensor<4xf64>)
  return %gp, %gx : tensor<10xf64>, tensor<4xf64>
}
