"""The AD passes: thin shells over `lowering.lower_ad`, one per set of ad ops lowered."""

from __future__ import annotations

from irc.passes.pass_manager import Pass, PassOption, register_pass

from .lowering import MODES_FORWARD, MODES_REVERSE, lower_ad


class _LowerAD(Pass):
    """Lower the ad ops named by `modes` (None: all) to calls of generated functions."""

    anchor = "builtin.module"
    options = (PassOption("cleanup", bool, True, "run canonicalize, cse and dce on the result"),)
    modes = None

    def run(self, op):
        lower_ad(op, self.modes, cleanup=self.opts["cleanup"])


@register_pass
class ADForward(_LowerAD):
    name = "ad-forward"
    summary = "Lower ad.jvp to calls of generated forward-mode functions (@f_jvp)"
    modes = MODES_FORWARD


@register_pass
class ADReverse(_LowerAD):
    name = "ad-reverse"
    summary = "Lower ad.grad, ad.value_and_grad and ad.vjp to calls of generated reverse-mode functions"
    modes = MODES_REVERSE


@register_pass
class AD(_LowerAD):
    name = "ad"
    summary = "Lower every ad op (forward and reverse mode), then clean up"
