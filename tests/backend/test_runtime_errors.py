"""Every run-time error compiled code detects reads as the interpreter's: each failing
program runs both ways and the diagnostics (location, message, the values it names)
must be equal."""

from __future__ import annotations

import numpy as np
import pytest

import irc
from irc.interpreter import Interpreter, InterpreterError

pytest.importorskip("llvmlite")


def unary(body: str, arg_type: str, result_type: str) -> str:
    return f"func.func @f(%x: {arg_type}) -> {result_type} {{\n  {body}\n  return %y : {result_type}\n}}\n"


VIEW_TYPE = "memref<2xf64, strided<[1], offset: ?>>"

CASES = {
    # arith and math
    "fptosi_out_of_range": (unary("%y = arith.fptosi %x : f64 to i32", "f64", "i32"), [1e20]),
    "fptosi_nan": (unary("%y = arith.fptosi %x : f64 to i32", "f64", "i32"), [float("nan")]),
    "fptosi_minus_inf": (unary("%y = arith.fptosi %x : f64 to i32", "f64", "i32"), [float("-inf")]),
    "fptosi_to_i1": (unary("%y = arith.fptosi %x : f64 to i1", "f64", "i1"), [1.0]),
    "fptoui_f32_negative": (unary("%y = arith.fptoui %x : f32 to i8", "f32", "i8"), [np.float32(-1.5)]),
    "fptoui_f32_inexact": (unary("%y = arith.fptoui %x : f32 to i8", "f32", "i8"), [np.float32(256.1)]),
    "fptosi_f16": (unary("%y = arith.fptosi %x : f16 to i8", "f16", "i8"), [np.float16(300.0)]),
    "divsi_by_zero": ("func.func @f(%a: i32, %b: i32) -> i32 {\n  %y = arith.divsi %a, %b : i32\n"
                      "  return %y : i32\n}\n", [1, 0]),
    "remui_by_zero": ("func.func @f(%a: i32, %b: i32) -> i32 {\n  %y = arith.remui %a, %b : i32\n"
                      "  return %y : i32\n}\n", [1, 0]),
    "ceildivsi_by_zero": ("func.func @f(%a: i64, %b: i64) -> i64 {\n  %y = arith.ceildivsi %a, %b : i64\n"
                          "  return %y : i64\n}\n", [1, 0]),
    "ipowi_zero_to_negative": ("func.func @f(%a: i32, %b: i32) -> i32 {\n  %y = math.ipowi %a, %b : i32\n"
                               "  return %y : i32\n}\n", [0, -1]),
    # scf
    "for_negative_step": ("func.func @f(%s: index) -> index {\n  %c0 = arith.constant 0 : index\n"
                          "  %c4 = arith.constant 4 : index\n"
                          "  %r = scf.for %i = %c0 to %c4 step %s iter_args(%a = %c0) -> (index) {\n"
                          "    scf.yield %i : index\n  }\n  return %r : index\n}\n", [-2]),
    # memref accesses
    "load_static_1d": ("func.func @f(%m: memref<4xf64>, %i: index) -> f64 {\n"
                       "  %y = memref.load %m[%i] : memref<4xf64>\n  return %y : f64\n}\n", [np.zeros(4), 7]),
    "load_dynamic_negative_index": ("func.func @f(%m: memref<?xf64>, %i: index) -> f64 {\n"
                                    "  %y = memref.load %m[%i] : memref<?xf64>\n  return %y : f64\n}\n",
                                    [np.zeros(4), -1]),
    "store_2d_second_dimension": ("func.func @f(%m: memref<3x?xf64>, %i: index, %j: index) {\n"
                                  "  %x = arith.constant 1.0 : f64\n  memref.store %x, %m[%i, %j] : memref<3x?xf64>\n"
                                  "  return\n}\n", [np.zeros((3, 4)), 1, 4]),
    "store_3d_first_of_two_bad": ("func.func @f(%m: memref<?x?x?xi32>, %i: index, %j: index) {\n"
                                  "  %x = arith.constant 1 : i32\n"
                                  "  memref.store %x, %m[%i, %j, %i] : memref<?x?x?xi32>\n  return\n}\n",
                                  [np.zeros((2, 3, 4), np.int32), 1, 3]),
    "dim_out_of_range": ("func.func @f(%m: memref<?xf64>, %d: index) -> index {\n"
                         "  %y = memref.dim %m, %d : memref<?xf64>\n  return %y : index\n}\n", [np.zeros(4), 3]),
    "alloc_negative_size": ("func.func @f(%n: index) -> memref<?xf64> {\n  %b = memref.alloc(%n) : memref<?xf64>\n"
                            "  return %b : memref<?xf64>\n}\n", [-5]),
    "cast_to_another_shape": ("func.func @f(%m: memref<?x?xf64>) -> memref<2x4xf64> {\n"
                              "  %y = memref.cast %m : memref<?x?xf64> to memref<2x4xf64>\n"
                              "  return %y : memref<2x4xf64>\n}\n", [np.zeros((2, 3))]),
    "cast_to_row_major_from_a_strided_view": ("func.func @f(%m: memref<?x?xf64, strided<[?, ?]>>) -> memref<?x?xf64> {\n"
                                              "  %y = memref.cast %m : memref<?x?xf64, strided<[?, ?]>> to "
                                              "memref<?x?xf64>\n  return %y : memref<?x?xf64>\n}\n",
                                              [np.zeros((3, 4)).T]),
    "cast_to_a_static_stride": ("func.func @f(%m: memref<?x?xf64, strided<[?, ?]>>) -> memref<?x?xf64, strided<[?, 1]>> {\n"
                                "  %y = memref.cast %m : memref<?x?xf64, strided<[?, ?]>> to "
                                "memref<?x?xf64, strided<[?, 1]>>\n  return %y : memref<?x?xf64, strided<[?, 1]>>\n}\n",
                                [np.zeros((4, 6))[:, ::2]]),
    "copy_between_shapes": ("func.func @f(%a: memref<?x2xf64>, %b: memref<?x2xf64>) {\n"
                            "  memref.copy %a, %b : memref<?x2xf64> to memref<?x2xf64>\n  return\n}\n",
                            [np.zeros((3, 2)), np.zeros((4, 2))]),
    "store_to_a_constant_global": ("memref.global \"private\" constant @g : memref<2xf64> = dense<[1.0, 2.0]>\n"
                                   "func.func @f() {\n  %c0 = arith.constant 0 : index\n"
                                   "  %x = arith.constant 1.0 : f64\n  %m = memref.get_global @g : memref<2xf64>\n"
                                   "  memref.store %x, %m[%c0] : memref<2xf64>\n  return\n}\n", []),
    # views
    "subview_out_of_bounds": ("func.func @f(%a: memref<?xf64>, %o: index) -> " + VIEW_TYPE + " {\n"
                              "  %v = memref.subview %a[%o] [2] [1] : memref<?xf64> to " + VIEW_TYPE + "\n"
                              "  return %v : " + VIEW_TYPE + "\n}\n", [np.zeros(3), 2]),
    "subview_negative_size": ("func.func @f(%a: memref<?xf64>, %n: index) -> memref<?xf64, strided<[1]>> {\n"
                              "  %c0 = arith.constant 0 : index\n"
                              "  %v = memref.subview %a[0] [%n] [1] : memref<?xf64> to memref<?xf64, strided<[1]>>\n"
                              "  return %v : memref<?xf64, strided<[1]>>\n}\n", [np.zeros(3), -1]),
    "view_past_its_buffer": ("func.func @f(%a: memref<?xi8>, %s: index) -> memref<2xf64> {\n"
                             "  %v = memref.view %a[%s][] : memref<?xi8> to memref<2xf64>\n"
                             "  return %v : memref<2xf64>\n}\n", [np.zeros(20, np.int8), 8]),
    "expand_shape_wrong_split": ("func.func @f(%a: memref<?xf64>, %n: index) -> memref<?x3xf64> {\n"
                                 "  %v = memref.expand_shape %a [[0, 1]] output_shape [%n, 3] : memref<?xf64> into "
                                 "memref<?x3xf64>\n  return %v : memref<?x3xf64>\n}\n", [np.zeros(6), 3]),
    "reshape_element_count": ("func.func @f(%a: memref<6xf64>, %s: memref<2xindex>) -> memref<?x?xf64> {\n"
                              "  %v = memref.reshape %a(%s) : (memref<6xf64>, memref<2xindex>) -> memref<?x?xf64>\n"
                              "  return %v : memref<?x?xf64>\n}\n", [np.zeros(6), np.array([4, 2])]),
    "reshape_static_mismatch": ("func.func @f(%a: memref<6xf64>, %s: memref<2xindex>) -> memref<2x?xf64> {\n"
                                "  %v = memref.reshape %a(%s) : (memref<6xf64>, memref<2xindex>) -> memref<2x?xf64>\n"
                                "  return %v : memref<2x?xf64>\n}\n", [np.zeros(6), np.array([3, 2])]),
    # tapes
    "pop_from_an_empty_tape": ("func.func @f() -> f64 {\n  %t = ad.tape_create : !ad.tape<f64>\n"
                               "  %y = ad.tape_pop %t : !ad.tape<f64> -> f64\n  return %y : f64\n}\n", []),
}


def diagnostic(call) -> str:
    with pytest.raises(InterpreterError) as e:
        call()
    return str(e.value)


@pytest.mark.parametrize("name", sorted(CASES))
def test_compiled_error_is_the_interpreters(name, tmp_path):
    text, args = CASES[name]
    path = tmp_path / f"{name}.mlir"
    path.write_text(text)
    module = irc.parse_module(text, filename=str(path))
    interpreted = diagnostic(lambda: Interpreter(module).call("f", list(args)))  # (no program writes them)
    compiled = irc.compile(module, opt_level=2, disk_cache=False)
    assert diagnostic(lambda: compiled.f(*args)) == interpreted
