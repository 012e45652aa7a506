// Affine maps as attributes and memref layouts (the arrays step builds on them).
// RUN: irc opt %s | filecheck %s
// RUN: irc opt %s | irc opt - | filecheck %s
// RUN: irc opt %s --print-op-generic | irc opt - | filecheck %s

#row_major = affine_map<(i, j) -> (i * 4 + j)>

// CHECK-LABEL: func.func private @layouts
// CHECK-SAME: memref<4x4xf32, affine_map<(d0, d1) -> (d0 * 4 + d1)>>
// CHECK-SAME: memref<8xf32, affine_map<(d0)[s0] -> (d0 + s0)>, 1>
// CHECK-SAME: memref<?x?xf64, affine_map<(d0, d1) -> (d1, d0)>>
func.func private @layouts(memref<4x4xf32, #row_major>, memref<8xf32, affine_map<(d0)[s0] -> (d0 + s0)>, 1>,
                           memref<?x?xf64, affine_map<(d0, d1) -> (d1, d0)>>)

// CHECK-LABEL: func.func private @maps
// CHECK-SAME: attributes {m = affine_map<(d0, d1)[s0] -> (d0 floordiv 2, d1 mod 4 - s0, (d0 + 1) * -3, d0 - (d1 - 2), d0 ceildiv 3)>}
func.func private @maps() attributes {m = affine_map<(d0, d1)[s0] -> (d0 floordiv 2, d1 mod 4 - s0, (d0 + 1) * -3, d0 - (d1 - 2), d0 ceildiv 3)>}
