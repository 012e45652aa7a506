"""A plugin with its own custom directive (`with %x`) and an op whose format uses it:
the directive is registered in the context the plugin is loaded into, not in others."""

from irc.custom_directives import CustomDirective, register_directive
from irc.opdef import AnyType, Dialect, Op, Operand


class WithOperand(CustomDirective):
    """``with %x``: one operand after the keyword `with`."""

    name = "WithOperand"
    params = ("value",)
    body = '"with" value=value_use'

    def parse(self, parser, location_token, value=None):
        return {"value": value}

    def print(self, printer, value=None):
        printer.write("with ", printer.name_of(value))


register_directive(WithOperand())

dirtest = Dialect("dirtest", "an op using a plugin's own custom directive, for tests")


@dirtest.op
class UseOp(Op):
    """Uses one value, written `dirtest.use with %x : f64`."""

    name = "dirtest.use"
    operand_defs = (Operand("value", AnyType),)
    format = "custom<WithOperand>($value) attr-dict `:` type($value)"
