// RUN: irc opt %s --canonicalize | filecheck %s
// An extract_slice of an extract_slice is one extract_slice of the first source
// (offsets added, strides multiplied); bitcast of bitcast is one bitcast.

// CHECK-LABEL: func.func @slices(
func.func @slices(%t: tensor<16x16xf64>, %i: index, %n: index) -> (tensor<2x?xf64>, tensor<3xf64>) {
  // CHECK-DAG: %[[FOUR:.*]] = arith.constant 4 : index
  // CHECK-DAG: %[[COL:.*]] = arith.addi %{{.*}}, %[[FOUR]] : index
  // CHECK: tensor.extract_slice %{{.*}}[3, %[[COL]]] [2, %{{.*}}] [2, 2] : tensor<16x16xf64> to tensor<2x?xf64>
  %a = tensor.extract_slice %t[2, %i] [8, 8] [1, 2] : tensor<16x16xf64> to tensor<8x8xf64>
  %b = tensor.extract_slice %a[1, 2] [2, %n] [2, 1] : tensor<8x8xf64> to tensor<2x?xf64>
  // CHECK: tensor.extract_slice %{{.*}}[3, 4] [1, 3] [1, 2] : tensor<16x16xf64> to tensor<3xf64>
  %c = tensor.extract_slice %t[3, 0] [1, 16] [1, 1] : tensor<16x16xf64> to tensor<16xf64>
  %d = tensor.extract_slice %c[4] [3] [2] : tensor<16xf64> to tensor<3xf64>
  // CHECK-NOT: tensor.extract_slice
  return %b, %d : tensor<2x?xf64>, tensor<3xf64>
}

// CHECK-LABEL: func.func @bitcasts(
func.func @bitcasts(%t: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  // CHECK-NEXT: %[[F:.*]] = tensor.bitcast %{{.*}} : tensor<4xi32> to tensor<4xf32>
  // CHECK-NEXT: return %[[F]], %{{.*}} : tensor<4xf32>, tensor<4xi32>
  %0 = tensor.bitcast %t : tensor<4xi32> to tensor<4xf32>
  %1 = tensor.bitcast %0 : tensor<4xf32> to tensor<?xi32>
  %2 = tensor.bitcast %1 : tensor<?xi32> to tensor<4xf32>
  %3 = tensor.bitcast %0 : tensor<4xf32> to tensor<4xi32>
  return %2, %3 : tensor<4xf32>, tensor<4xi32>
}
