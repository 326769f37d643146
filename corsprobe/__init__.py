"""corsprobe: would a browser on origin X be allowed to make this request to this live API?"""

from __future__ import annotations

__version__ = "0.1.0"
