"""`linalg-generalize-named-ops`: every named structured op becomes the
``linalg.generic`` it declares (its maps, iterator types and body region),
which the declaration makes a copy: nothing per op."""

from __future__ import annotations

from irc.attributes import ArrayAttr
from irc.builder import Builder
from irc.core import Operation
from irc.dialects.linalg import GenericOp, StructuredOp, iterator_array

from .pass_manager import Pass, register_pass


def generalize(op: Operation) -> GenericOp:
    """Replace structured op `op` by its generic form; the new op."""
    s = StructuredOp.of(op)
    generic = GenericOp.build(s.inputs(), s.outputs(), result_types=[r.type for r in op.results],
                              regions=[op.regions[0].clone()], location=op.location,
                              indexing_maps=ArrayAttr(tuple(s.indexing_maps())),
                              iterator_types=iterator_array(s.iterator_types()))
    Builder.before(op).insert(generic)
    for old, new in zip(op.results, generic.results):
        new.name_hint = old.name_hint
    op.replace_all_uses_with(list(generic.results))
    op.erase()
    return generic


@register_pass
class LinalgGeneralizeNamedOps(Pass):
    """Named linalg ops become linalg.generic."""

    name = "linalg-generalize-named-ops"
    summary = "Convert named ops into generic ops"

    def run(self, op: Operation) -> None:
        targets = [o for o in op.walk() if StructuredOp.implemented_by(o) and not isinstance(o, GenericOp)]
        for target in targets:
            generalize(target)
