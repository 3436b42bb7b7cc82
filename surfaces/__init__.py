"""Error surfaces: safe formula parsing, exact derivatives, and the catalog.

Plain Python + NumPy + SymPy, no Streamlit: usable from a notebook::

    import surfaces
    s = surfaces.parse("(1 - w1*w2)^2")
    s.hessian(0, 0)          # [[0, -2], [-2, 0]]
    surfaces.CATALOG["himmelblau"].grad(3, 2)
    surfaces.get("network_slice")   # a real network's loss along a plane (surfaces.generated)
"""

from .atlas import Atlas, CriticalCurve, CriticalPoint, critical_points
from .catalog import CATALOG, DEFAULT_SURFACE_ID
from .generated import SURFACE_IDS, get
from .parser import MAX_LENGTH, ParseError
from .surface import KnownPoint, Surface, Window, parse

__all__ = [
    "CATALOG", "DEFAULT_SURFACE_ID", "MAX_LENGTH", "Atlas", "CriticalCurve", "CriticalPoint", "KnownPoint",
    "SURFACE_IDS", "ParseError", "Surface", "Window", "critical_points", "get", "parse",
]
