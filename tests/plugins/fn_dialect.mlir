// A plugin's function, call and loop ops are inlined, differentiated and
// interpreted by the shipped passes through the interfaces they implement.
// RUN: irc opt %s --load-plugin %S/fn_plugin.py --inline | filecheck %s --check-prefix=INLINE
// RUN: irc opt %s --load-plugin %S/fn_plugin.py --ad | filecheck %s --check-prefix=AD
// RUN: irc run %s --load-plugin %S/fn_plugin.py --entry f --arg 0.3 --arg 3 | filecheck %s --check-prefix=EXEC

// INLINE-NOT: tfn.call
// INLINE-LABEL: tfn.func "f" (f64, index) -> f64 {
// INLINE:         tfn.repeat %n iter(%x) : f64 -> f64 {
// INLINE:           math.sin %acc : f64
// INLINE:           tfn.yield

// EXEC: 0.64678279663395{{[0-9]*}}

// AD-LABEL: tfn.func "f_vjp" (f64, index, f64) -> (f64, f64) attributes {sym_visibility = "private"} {
// AD:         ad.tape_push
// AD:         tfn.call @step(
// AD:         tfn.repeat %n iter(%r_seed,
// AD:           ad.tape_pop
// AD:           tfn.call @step_vjp(
// AD:         tfn.return
// AD-LABEL: tfn.func "f_grad"
// AD-LABEL: func.func @grad
// AD:         tfn.call @f_grad(%x, %n) : (f64, index) -> f64
tfn.func "step" (f64, f64) -> f64 attributes {sym_visibility = "private"} {
^bb0(%a: f64, %x: f64):
  %s = math.sin %a : f64
  %m = arith.mulf %s, %x : f64
  %r = arith.addf %m, %a : f64
  tfn.return %r : f64
}
tfn.func "f" (f64, index) -> f64 {
^bb0(%x: f64, %n: index):
  %r = tfn.repeat %n iter(%x) : f64 -> f64 {
  ^bb0(%i: index, %acc: f64):
    %v = tfn.call @step(%acc, %x) : (f64, f64) -> f64
    tfn.yield %v : f64
  }
  tfn.return %r : f64
}
func.func @grad(%x: f64, %n: index) -> f64 {
  %g = ad.grad @f(%x, %n) : (f64, index) -> f64
  return %g : f64
}
