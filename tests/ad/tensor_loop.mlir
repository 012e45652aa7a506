// A loop carrying and capturing a tensor<?xf64>: used by test_ad_tensors.py.
// RUN: irc opt %s --ad | filecheck %s
// CHECK-LABEL: func.func private @f_vjp
// CHECK: tensor.splat
func.func @f(%x: tensor<?xf64>, %n: index) -> tensor<?xf64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%a = %x) -> (tensor<?xf64>) {
    %s = math.sin %a : tensor<?xf64>
    %m = arith.mulf %s, %x : tensor<?xf64>
    scf.yield %m : tensor<?xf64>
  }
  return %r : tensor<?xf64>
}
func.func @vjp(%x: tensor<?xf64>, %n: index, %ct: tensor<?xf64>) -> (tensor<?xf64>, tensor<?xf64>) {
  %y, %g = ad.vjp @f(%x, %n, %ct) : (tensor<?xf64>, index, tensor<?xf64>) -> (tensor<?xf64>, tensor<?xf64>)
  return %y, %g : tensor<?xf64>, tensor<?xf64>
}
func.func @jvp(%x: tensor<?xf64>, %n: index, %t: tensor<?xf64>) -> (tensor<?xf64>, tensor<?xf64>) {
  %y, %g = ad.jvp @f(%x, %n, %t) : (tensor<?xf64>, index, tensor<?xf64>) -> (tensor<?xf64>, tensor<?xf64>)
  return %y, %g : tensor<?xf64>, tensor<?xf64>
}
