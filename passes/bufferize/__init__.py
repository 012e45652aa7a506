"""One-Shot Bufferize (`--one-shot-bufferize`): the in-place analysis
(analysis.py), the rewrite's state and deallocation (state.py) and the pass
(one_shot.py).  Per-op models live beside their dialects
(ir/dialects/*_bufferize.py, through ir/bufferizable.py's interface)."""

from .one_shot import OneShotBufferize, one_shot_bufferize  # noqa: F401
