// A dialect's own types and attributes (nested parameters included) round-trip.
// RUN: irc opt %s --load-plugin %S/syntax_plugin.py | filecheck %s
// RUN: irc opt %s --load-plugin %S/syntax_plugin.py | irc opt --load-plugin %S/syntax_plugin.py | filecheck %s
// RUN: irc opt %s --load-plugin %S/syntax_plugin.py --print-op-generic | irc opt --load-plugin %S/syntax_plugin.py | filecheck %s

func.func @types(%p: !testsyn.ptr, %q: !testsyn.ptr<1>, %s: !testsyn.struct<(ptr, i64)>,
                 %n: !testsyn.struct<"node", (!testsyn.ptr, struct<(ptr<3>, f64)>, i32)>) {
  testsyn.loop (%i: index) {
  } {space = #testsyn.address_space<workgroup>, schedule = #testsyn.revolve<snapshots = 8>}
  return
}
// CHECK: func.func @types(%p: !testsyn.ptr, %q: !testsyn.ptr<1>, %s: !testsyn.struct<(ptr, i64)>, %n: !testsyn.struct<"node", (ptr, struct<(ptr<3>, f64)>, i32)>)
// CHECK: schedule = #testsyn.revolve<snapshots = 8>
// CHECK-SAME: space = #testsyn.address_space<workgroup>
