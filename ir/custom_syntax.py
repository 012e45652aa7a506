"""How an op's custom form is known to the parser and printer: `Syntax`, the
part every custom form shares (its rule and terminal names), and `CustomSyntax`,
a form written by hand where a format string (assembly_format.py) cannot say it.
"""

from __future__ import annotations

import re
from typing import List

from .custom_directives import labeled_rule


def op_rule_name(op_name: str) -> str:
    return "op_" + re.sub(r"[^A-Za-z0-9]", "_", op_name).lower()


def op_terminal_name(op_name: str) -> str:
    return "OPN_" + re.sub(r"[^A-Za-z0-9]", "_", op_name).upper()


class Syntax:
    """What the parser and printer need to know of one op's custom form."""

    def __init__(self, cls):
        self.cls = cls
        self.rule = op_rule_name(cls.name)
        self.names = [cls.name, *cls.aliases]
        self.terminals = [op_terminal_name(n) + (f"_{i}" if i else "") for i, n in enumerate(self.names)]

    def name_rule(self) -> str:
        return "(" + " | ".join(self.terminals) + ")"

    def terminal_defs(self) -> List[str]:
        return [f'{t}: "{n}"' for t, n in zip(self.terminals, self.names)]

    def print_name(self, p, op) -> None:
        cls = type(op)
        short = getattr(cls, "print_short_in", None)
        if getattr(cls, "printed_name", None):
            p.write(cls.printed_name)
        elif short and op.parent_op is not None and op.parent_op.op_name in short:
            p.write(cls.aliases[0])
        else:
            p.write(op.op_name)



class CustomSyntax(Syntax):
    """A hand-written custom form.

    The op class provides ``syntax_rule`` (the lark rule body after the op
    name, its pieces labeled: ``header=scf_for_header body=region``),
    optionally ``syntax_subrules`` ({rule name: (body, callback)}), a
    classmethod ``parse_custom(parser, name_tok, **pieces)`` receiving the
    pieces by label (positionally where the rule has no labels) and a method
    ``print_custom(printer)`` that prints everything after the op name.
    """

    def grammar(self) -> List[str]:
        body, _ = labeled_rule(self.cls.syntax_rule)
        rules = [f"{self.rule}: {self.name_rule()} {body}"]
        for name, (body, _cb) in getattr(self.cls, "syntax_subrules", {}).items():
            rules.append(f"{name}: {body}")
        return rules + self.terminal_defs()

    def callbacks(self):
        _, names = labeled_rule(self.cls.syntax_rule)
        if names:  # the pieces by name: parse_custom(parser, name_tok, header=..., body=...)
            parse = self.cls.parse_custom
            cbs = {self.rule: lambda parser, name_tok, *ch: parse(parser, name_tok, **dict(zip(names, ch)))}
        else:
            cbs = {self.rule: lambda parser, name_tok, *ch: self.cls.parse_custom(parser, name_tok, *ch)}
        for name, (_body, cb) in getattr(self.cls, "syntax_subrules", {}).items():
            if cb is not None:
                cbs[name.lstrip("!")] = cb
        return cbs

    def print(self, p, op) -> None:
        self.print_name(p, op)
        op.print_custom(p)
