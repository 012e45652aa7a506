"""A plugin as a pass developer writes one: a dialect with one op and a pass
that rewrites it.  Loaded with `irc opt --load-plugin toy_plugin.py`."""

from irc.opdef import AnyType, Dialect, Op, Operand, Result
from irc.passes import Pass, PassOption, register_pass
from irc.rewrite import PatternRewriter, RewritePattern
from irc.traits import Pure, SameOperandsAndResultType

toy = Dialect("toy", "a plugin dialect")


@toy.op
class IdentityOp(Op):
    """Returns its operand unchanged (a stand-in for a real op)."""

    name = "toy.identity"
    operand_defs = (Operand("input", AnyType),)
    result_defs = (Result("output", AnyType),)
    traits = frozenset({Pure, SameOperandsAndResultType})
    format = "$input attr-dict `:` type($output)"


class EraseIdentity(RewritePattern):
    root = "toy.identity"

    def match_and_rewrite(self, op, rewriter) -> bool:
        rewriter.replace_op(op, [op.input])
        return True


@register_pass
class EraseIdentityPass(Pass):
    name = "toy-erase-identity"
    summary = "Replace every toy.identity by its operand"
    options = (PassOption("keep-first", bool, False, "leave the first toy.identity in place"),)

    def run(self, op) -> None:
        rewriter = PatternRewriter()
        found = [o for o in op.walk() if o.op_name == "toy.identity"]
        for o in found[1:] if self.opts["keep-first"] else found:
            EraseIdentity().match_and_rewrite(o, rewriter)
