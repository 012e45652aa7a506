"""Automatic differentiation as IR-to-IR transforms (design: docs/ad.md).

- `activity`: which values need derivative code;
- `forward`: forward mode (``@f_jvp``); `reverse`: reverse mode (``@f_vjp``);
- `lowering`: the ad ops become calls of generated, cached functions;
  `lower_ad(module)` is what ``irc run`` calls;
- `passes`: ``--ad-forward``, ``--ad-reverse`` and ``--ad``.
"""

from .lowering import ADManager, clean_up, lower_ad  # noqa: F401
from . import passes  # noqa: F401
