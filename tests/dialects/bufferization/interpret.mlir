// The bufferization ops at run time: to_tensor reads a buffer's contents, to_buffer
// makes a buffer the program does not own, alloc_tensor copies, and
// materialize_in_destination stores into a buffer.
// RUN: irc run %s --entry roundtrip --json --check-leaks | filecheck %s --check-prefix=ROUND
// ROUND: [2.0, 5.0]
// RUN: not irc run %s --interpret --entry write_read_only 2>&1 | filecheck %s --check-prefix=RO
// RO: error: 'memref.store' op writes to a read-only array
// RO-NOT: Traceback

func.func @roundtrip() -> (f64, f64) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %two = arith.constant 2.0 : f64
  %five = arith.constant 5.0 : f64
  %m = memref.alloc() : memref<2xf64>
  memref.store %two, %m[%c0] : memref<2xf64>
  memref.store %two, %m[%c1] : memref<2xf64>
  %t = bufferization.to_tensor %m : memref<2xf64> to tensor<2xf64>
  // a later write to the buffer does not change the tensor read before it
  memref.store %five, %m[%c0] : memref<2xf64>
  %u = tensor.insert %five into %t[%c1] : tensor<2xf64>
  %c = bufferization.alloc_tensor() copy(%u) : tensor<2xf64>
  bufferization.materialize_in_destination %c in restrict writable %m : (tensor<2xf64>, memref<2xf64>) -> ()
  %x = memref.load %m[%c0] : memref<2xf64>
  %y = memref.load %m[%c1] : memref<2xf64>
  %b = bufferization.to_buffer %t : tensor<2xf64> to memref<2xf64>
  memref.store %five, %b[%c0] : memref<2xf64>
  memref.dealloc %m : memref<2xf64>
  return %x, %y : f64, f64
}

func.func @write_read_only() -> f64 {
  %c0 = arith.constant 0 : index
  %five = arith.constant 5.0 : f64
  %e = tensor.empty() : tensor<2xf64>
  %b = bufferization.to_buffer %e read_only : tensor<2xf64> to memref<2xf64>
  memref.store %five, %b[%c0] : memref<2xf64>
  %x = memref.load %b[%c0] : memref<2xf64>
  return %x : f64
}
