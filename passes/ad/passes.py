"""The AD passes: thin shells over `lowering.lower_ad`."""

from __future__ import annotations

from irc.passes.pass_manager import Pass, PassOption, register_pass

from .lowering import MODES_FORWARD, MODES_REVERSE, lower_ad

_CLEANUP = PassOption("cleanup", bool, True, "run canonicalize, cse and dce on the result")


@register_pass
class ADForward(Pass):
    name = "ad-forward"
    summary = "Lower ad.jvp to calls of generated forward-mode functions (@f_jvp)"
    anchor = "builtin.module"
    options = (_CLEANUP,)

    def run(self, op):
        lower_ad(op, MODES_FORWARD, cleanup=self.opts["cleanup"])


@register_pass
class ADReverse(Pass):
    name = "ad-reverse"
    summary = "Lower ad.grad, ad.value_and_grad and ad.vjp to calls of generated reverse-mode functions"
    anchor = "builtin.module"
    options = (_CLEANUP,)

    def run(self, op):
        lower_ad(op, MODES_REVERSE, cleanup=self.opts["cleanup"])


@register_pass
class AD(Pass):
    name = "ad"
    summary = "Lower every ad op (forward and reverse mode), then clean up"
    anchor = "builtin.module"
    options = (_CLEANUP,)

    def run(self, op):
        lower_ad(op, None, cleanup=self.opts["cleanup"])
