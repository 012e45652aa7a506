// A 2-layer MLP loss and a softmax cross-entropy (max-shifted log-sum-exp) on linalg
// named ops (tests/bufferize/test_models.py).

func.func @mlp_loss(%x: tensor<8x4xf64>, %w1: tensor<4x5xf64>, %b1: tensor<5xf64>, %w2: tensor<5x3xf64>, %b2: tensor<3xf64>) -> f64 {
  %zero = arith.constant 0.0 : f64
  %e1 = tensor.empty() : tensor<8x5xf64>
  %f1 = linalg.fill ins(%zero : f64) outs(%e1 : tensor<8x5xf64>) -> tensor<8x5xf64>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<8x4xf64>, tensor<4x5xf64>) outs(%f1 : tensor<8x5xf64>) -> tensor<8x5xf64>
  %bb1 = linalg.broadcast ins(%b1 : tensor<5xf64>) outs(%e1 : tensor<8x5xf64>) dimensions = [0]
  %a1 = linalg.add ins(%m1, %bb1 : tensor<8x5xf64>, tensor<8x5xf64>) outs(%e1 : tensor<8x5xf64>) -> tensor<8x5xf64>
  %h = linalg.tanh ins(%a1 : tensor<8x5xf64>) outs(%e1 : tensor<8x5xf64>) -> tensor<8x5xf64>
  %e2 = tensor.empty() : tensor<8x3xf64>
  %f2 = linalg.fill ins(%zero : f64) outs(%e2 : tensor<8x3xf64>) -> tensor<8x3xf64>
  %m2 = linalg.matmul ins(%h, %w2 : tensor<8x5xf64>, tensor<5x3xf64>) outs(%f2 : tensor<8x3xf64>) -> tensor<8x3xf64>
  %bb2 = linalg.broadcast ins(%b2 : tensor<3xf64>) outs(%e2 : tensor<8x3xf64>) dimensions = [0]
  %o = linalg.add ins(%m2, %bb2 : tensor<8x3xf64>, tensor<8x3xf64>) outs(%e2 : tensor<8x3xf64>) -> tensor<8x3xf64>
  %e0 = tensor.empty() : tensor<f64>
  %acc = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %s = linalg.reduce ins(%o : tensor<8x3xf64>) outs(%acc : tensor<f64>) dimensions = [0, 1]
    (%in: f64, %init: f64) {
      %r = arith.addf %in, %init : f64
      linalg.yield %r : f64
    }
  %v = tensor.extract %s[] : tensor<f64>
  return %v : f64
}
func.func @mlp_grad(%x: tensor<8x4xf64>, %w1: tensor<4x5xf64>, %b1: tensor<5xf64>, %w2: tensor<5x3xf64>, %b2: tensor<3xf64>) -> (tensor<4x5xf64>, tensor<5xf64>, tensor<5x3xf64>, tensor<3xf64>) {
  %g:4 = ad.grad @mlp_loss(%x, %w1, %b1, %w2, %b2) {wrt = [1, 2, 3, 4]} : (tensor<8x4xf64>, tensor<4x5xf64>, tensor<5xf64>, tensor<5x3xf64>, tensor<3xf64>) -> (tensor<4x5xf64>, tensor<5xf64>, tensor<5x3xf64>, tensor<3xf64>)
  return %g#0, %g#1, %g#2, %g#3 : tensor<4x5xf64>, tensor<5xf64>, tensor<5x3xf64>, tensor<3xf64>
}

func.func @softmax_ce(%x: tensor<6x4xf64>, %w: tensor<4x5xf64>, %y: tensor<6x5xf64>) -> f64 {
  %zero = arith.constant 0.0 : f64
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %e = tensor.empty() : tensor<6x5xf64>
  %f = linalg.fill ins(%zero : f64) outs(%e : tensor<6x5xf64>) -> tensor<6x5xf64>
  %z = linalg.matmul ins(%x, %w : tensor<6x4xf64>, tensor<4x5xf64>) outs(%f : tensor<6x5xf64>) -> tensor<6x5xf64>
  %er = tensor.empty() : tensor<6xf64>
  %minit = linalg.fill ins(%ninf : f64) outs(%er : tensor<6xf64>) -> tensor<6xf64>
  %m = linalg.reduce ins(%z : tensor<6x5xf64>) outs(%minit : tensor<6xf64>) dimensions = [1]
    (%in: f64, %init: f64) {
      %r = arith.maximumf %in, %init : f64
      linalg.yield %r : f64
    }
  %mb = linalg.broadcast ins(%m : tensor<6xf64>) outs(%e : tensor<6x5xf64>) dimensions = [1]
  %sh = linalg.sub ins(%z, %mb : tensor<6x5xf64>, tensor<6x5xf64>) outs(%e : tensor<6x5xf64>) -> tensor<6x5xf64>
  %ex = linalg.exp ins(%sh : tensor<6x5xf64>) outs(%e : tensor<6x5xf64>) -> tensor<6x5xf64>
  %sinit = linalg.fill ins(%zero : f64) outs(%er : tensor<6xf64>) -> tensor<6xf64>
  %se = linalg.reduce ins(%ex : tensor<6x5xf64>) outs(%sinit : tensor<6xf64>) dimensions = [1]
    (%in: f64, %init: f64) {
      %r = arith.addf %in, %init : f64
      linalg.yield %r : f64
    }
  %lse0 = linalg.log ins(%se : tensor<6xf64>) outs(%er : tensor<6xf64>) -> tensor<6xf64>
  %lse = linalg.add ins(%lse0, %m : tensor<6xf64>, tensor<6xf64>) outs(%er : tensor<6xf64>) -> tensor<6xf64>
  %yz = linalg.mul ins(%y, %z : tensor<6x5xf64>, tensor<6x5xf64>) outs(%e : tensor<6x5xf64>) -> tensor<6x5xf64>
  %pinit = linalg.fill ins(%zero : f64) outs(%er : tensor<6xf64>) -> tensor<6xf64>
  %picked = linalg.reduce ins(%yz : tensor<6x5xf64>) outs(%pinit : tensor<6xf64>) dimensions = [1]
    (%in: f64, %init: f64) {
      %r = arith.addf %in, %init : f64
      linalg.yield %r : f64
    }
  %per = linalg.sub ins(%lse, %picked : tensor<6xf64>, tensor<6xf64>) outs(%er : tensor<6xf64>) -> tensor<6xf64>
  %e0 = tensor.empty() : tensor<f64>
  %tinit = linalg.fill ins(%zero : f64) outs(%e0 : tensor<f64>) -> tensor<f64>
  %tot = linalg.reduce ins(%per : tensor<6xf64>) outs(%tinit : tensor<f64>) dimensions = [0]
    (%in: f64, %init: f64) {
      %r = arith.addf %in, %init : f64
      linalg.yield %r : f64
    }
  %v = tensor.extract %tot[] : tensor<f64>
  return %v : f64
}

func.func @softmax_grad(%x: tensor<6x4xf64>, %w: tensor<4x5xf64>, %y: tensor<6x5xf64>) -> (tensor<6x4xf64>, tensor<4x5xf64>) {
  %g:2 = ad.grad @softmax_ce(%x, %w, %y) {wrt = [0, 1]} : (tensor<6x4xf64>, tensor<4x5xf64>, tensor<6x5xf64>) -> (tensor<6x4xf64>, tensor<4x5xf64>)
  return %g#0, %g#1 : tensor<6x4xf64>, tensor<4x5xf64>
}
