// RUN: irc opt %s --load-plugin %S/toy_plugin.py | filecheck %s --check-prefix=PARSE
// RUN: irc opt %s --load-plugin %S/toy_plugin.py --toy-erase-identity | filecheck %s
// RUN: irc opt %s --load-plugin %S/toy_plugin.py --toy-erase-identity=keep-first=true | filecheck %s --check-prefix=KEEP
// RUN: irc opt --load-plugin %S/toy_plugin.py --help | filecheck %s --check-prefix=HELP
// RUN: not irc opt %s 2>&1 | filecheck %s --check-prefix=UNKNOWN

// PARSE: %0 = toy.identity %x : f64
// PARSE: %1 = toy.identity %0 : f64
// CHECK-LABEL: func.func @f(%x: f64) -> f64 {
// CHECK-NEXT:    return %x : f64
// KEEP: %0 = toy.identity %x : f64
// KEEP-NEXT: return %0 : f64
// HELP: passes (each also usable in --pass-pipeline):
// HELP: --toy-erase-identity [OPTIONS]
// HELP-NEXT: Replace every toy.identity by its operand
// UNKNOWN: toy.mlir:[[# @LINE + 2]]:8: error: custom op 'toy.identity' is unknown
func.func @f(%x: f64) -> f64 {
  %0 = toy.identity %x : f64
  %1 = toy.identity %0 : f64
  return %1 : f64
}
