"""A toy front end that uses irc the way another compiler would.

It reads a one-line formula over named float variables (Python syntax:
``x * y + sin(x) / (1 + y**2)``), builds irc IR with the Builder API, asks
for the gradient with `ad.grad`, runs the AD pipeline with clean-up,
JIT-compiles the module with LLVM and calls the gradient with Python floats.

    python examples/embed.py "x * y + sin(x)" x=0.5 y=2.0

prints the value, the gradient from compiled code, and the gradient from
the reference interpreter beside it.
"""

from __future__ import annotations

import ast
import sys

import irc
from irc.attributes import SymbolRefAttr
from irc.builder import Builder
from irc.dialects import arith, load_all, math
from irc.dialects.ad import GradOp
from irc.dialects.builtin import ModuleOp
from irc.dialects.func import FuncOp, ReturnOp
from irc.interpreter import Interpreter
from irc.passes import run_pipeline
from irc.types import FunctionType, f64

BINARY = {ast.Add: arith.AddFOp, ast.Sub: arith.SubFOp, ast.Mult: arith.MulFOp, ast.Div: arith.DivFOp}
CALLS = {"sin": math.SinOp, "cos": math.CosOp, "exp": math.ExpOp, "log": math.LogOp, "tanh": math.TanhOp,
         "sqrt": math.SqrtOp}  # fmt: skip


class FormulaBuilder:
    """Emits irc ops for a Python expression tree at a builder's insertion point."""

    def __init__(self, b: Builder, variables):
        self.b = b
        self.variables = variables  # name -> irc Value

    def emit(self, node):
        if isinstance(node, ast.BinOp) and type(node.op) in BINARY:
            return self.b.create(BINARY[type(node.op)], self.emit(node.left), self.emit(node.right)).results[0]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            exponent = self.b.create(arith.ConstantOp, value=irc.IntegerAttr(self._int(node.right), irc.i32))
            return self.b.create(math.FPowIOp, self.emit(node.left), exponent.results[0]).results[0]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return self.b.create(arith.NegFOp, self.emit(node.operand)).results[0]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALLS:
            (arg,) = node.args
            return self.b.create(CALLS[node.func.id], self.emit(arg)).results[0]
        if isinstance(node, ast.Name) and node.id in self.variables:
            return self.variables[node.id]
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return self.b.create(arith.ConstantOp, value=irc.FloatAttr(float(node.value), f64)).results[0]
        raise SyntaxError(f"unsupported in a formula: {ast.unparse(node)}")

    @staticmethod
    def _int(node) -> int:
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        raise SyntaxError("exponents must be integer constants")


def build_module(formula: str, names):
    """A module with @f(names...) -> f64 computing `formula` and @f_gradient (ad.grad of @f)."""
    tree = ast.parse(formula, mode="eval").body
    module = ModuleOp.build_empty()
    top = Builder.at_end(module.body)

    f = top.insert(FuncOp.create("f", FunctionType(tuple([f64] * len(names)), (f64,)), arg_names=names))
    b = Builder.at_end(f.entry_block)
    result = FormulaBuilder(b, dict(zip(names, f.entry_block.arguments))).emit(tree)
    b.create(ReturnOp, [result])

    grad_type = FunctionType(tuple([f64] * len(names)), tuple([f64] * len(names)))
    g = top.insert(FuncOp.create("f_gradient", grad_type, arg_names=names))
    b = Builder.at_end(g.entry_block)
    grad = b.create(GradOp, list(g.entry_block.arguments), result_types=[f64] * len(names),
                    callee=SymbolRefAttr("f"))
    b.create(ReturnOp, list(grad.results))
    irc.verify(module)
    return module


def main(argv) -> int:
    load_all()  # the shipped dialects with their derivative rules (parsing text does this itself)
    formula, *bindings = argv
    names = [x.split("=")[0] for x in bindings]
    values = [float(x.split("=")[1]) for x in bindings]
    module = build_module(formula, names)
    run_pipeline(module, "ad,canonicalize,cse")  # differentiate, then clean up
    compiled = irc.compile(module, opt_level=3)  # LLVM JIT, cached by content
    value = compiled.f(*values)
    gradient = compiled.f_gradient(*values)
    gradient = gradient if isinstance(gradient, tuple) else (gradient,)
    reference = Interpreter(module).call("f_gradient", values)
    print(f"f = {float(value)!r}")
    for name, g, r in zip(names, gradient, reference):
        print(f"df/d{name} = {float(g)!r}   (interpreter: {float(r)!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["x * y + sin(x) / (1 + y**2)", "x=0.5", "y=2.0"]))
