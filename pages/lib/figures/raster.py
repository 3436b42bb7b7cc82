"""The surface as pixels and iso-lines, for :mod:`pages.lib.figures` (NumPy + Pillow, no Plotly).

- :func:`colour_values` maps f to the values the colour scale shows (linear, or log10 of the
  height above the grid minimum).
- :func:`rgba_image` turns those values into an RGBA array with a sampled Plotly colour scale;
  non-finite values are transparent.
- :func:`iso_lines` is a small vectorised marching squares that returns polylines as one
  NaN-separated (x, y) pair, ready for a single Scatter line trace.
"""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image
from plotly import colors as pcolors

LOG_FLOOR_FRACTION = 1e-6  # delta = this * (max - min) of the finite grid values (see colour_values)


def colour_values(Z: np.ndarray, log_scale: bool) -> tuple[np.ndarray, float, float]:
    """Return ``(C, f_min, delta)``: the values the colour scale shows.

    Linear scale: ``C = Z`` (``delta = 0``). Log scale: ``C = log10(Z - f_min + delta)`` with
    ``f_min`` the smallest finite grid value and ``delta = 1e-6 * (f_max - f_min)`` (1e-12 if the
    grid is flat), so the minimum maps to a finite value ~6 decades below the top of the range.
    Invert with ``f = 10**C - delta + f_min``. Non-finite Z stays non-finite.
    """
    Z = np.asarray(Z, dtype=float)
    finite = np.isfinite(Z)
    if not finite.any():
        return np.full(Z.shape, np.nan), 0.0, 0.0
    zmin = float(Z[finite].min())
    zmax = float(Z[finite].max())
    if not log_scale:
        return np.where(finite, Z, np.nan), zmin, 0.0
    delta = max((zmax - zmin) * LOG_FLOOR_FRACTION, 1e-12)
    with np.errstate(all="ignore"):
        C = np.log10(np.where(finite, Z - zmin, np.nan) + delta)
    return C, zmin, delta


def colour_lut(colorscale="Viridis", n: int = 256) -> np.ndarray:
    """Sample a Plotly colour scale (name or [[pos, colour], ...]) into an (n, 3) uint8 table."""
    scale = pcolors.get_colorscale(colorscale) if isinstance(colorscale, str) else list(colorscale)
    pos = np.array([float(p) for p, _ in scale])
    rgb = []
    for _, c in scale:
        c = pcolors.hex_to_rgb(c) if str(c).startswith("#") else pcolors.unlabel_rgb(c)
        rgb.append([float(v) for v in c[:3]])
    rgb = np.array(rgb)
    t = np.linspace(0.0, 1.0, n)
    lut = np.stack([np.interp(t, pos, rgb[:, k]) for k in range(3)], axis=1)
    return np.clip(np.round(lut), 0, 255).astype(np.uint8)


def rgba_image(C: np.ndarray, cmin: float, cmax: float, colorscale="Viridis") -> np.ndarray:
    """(ny, nx) values -> (ny, nx, 4) uint8, row 0 = LARGEST y (image order); NaN/inf transparent."""
    C = np.asarray(C, dtype=float)
    finite = np.isfinite(C)
    span = cmax - cmin if cmax > cmin else 1.0
    with np.errstate(all="ignore"):
        t = np.clip((np.where(finite, C, cmin) - cmin) / span, 0.0, 1.0)
    lut = colour_lut(colorscale)
    idx = np.round(t * (len(lut) - 1)).astype(np.intp)
    img = np.empty(C.shape + (4,), dtype=np.uint8)
    img[..., :3] = lut[idx]
    img[..., 3] = np.where(finite, 255, 0)
    return img[::-1]


def png_data_uri(img: np.ndarray) -> str:
    """RGBA uint8 array -> ``data:image/png;base64,...`` (RGB if fully opaque; deterministic bytes)."""
    mode = "RGBA"
    if img.shape[-1] == 4 and (img[..., 3] == 255).all():
        img, mode = img[..., :3], "RGB"
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(img), mode=mode).save(buf, format="PNG", compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def iso_lines(xs: np.ndarray, ys: np.ndarray, C: np.ndarray, levels) -> tuple[np.ndarray, np.ndarray]:
    """Marching squares on C[j, i] = c(xs[i], ys[j]) for every level.

    Returns ``(x, y)`` float arrays: polylines (segments chained through shared cell edges)
    separated by NaN. Cells with a non-finite corner are skipped. Saddle cells are resolved
    with the cell-centre average.
    """
    xs = np.asarray(xs, dtype=float)
    ys = np.asarray(ys, dtype=float)
    C = np.asarray(C, dtype=float)
    ny, nx = C.shape
    out_x: list[np.ndarray] = []
    out_y: list[np.ndarray] = []
    if nx < 2 or ny < 2:
        return np.zeros(0), np.zeros(0)
    c00, c01, c11, c10 = C[:-1, :-1], C[:-1, 1:], C[1:, 1:], C[1:, :-1]  # BL, BR, TR, TL
    ok = np.isfinite(c00) & np.isfinite(c01) & np.isfinite(c11) & np.isfinite(c10)
    centre = 0.25 * (np.where(ok, c00, 0) + np.where(ok, c01, 0) + np.where(ok, c11, 0) + np.where(ok, c10, 0))
    jj, ii = np.mgrid[0 : ny - 1, 0 : nx - 1]
    H = ny * (nx - 1)  # horizontal edges first, then vertical edges
    e_bottom = jj * (nx - 1) + ii
    e_top = (jj + 1) * (nx - 1) + ii
    e_left = H + jj * nx + ii
    e_right = H + jj * nx + ii + 1
    for lev in levels:
        with np.errstate(invalid="ignore"):
            b0, b1, b2, b3 = c00 > lev, c01 > lev, c11 > lev, c10 > lev
        cb, cr, ct, cl = (b0 != b1) & ok, (b1 != b2) & ok, (b2 != b3) & ok, (b3 != b0) & ok
        n = cb.astype(int) + cr + ct + cl
        # two crossings: connect them (order B, R, T, L)
        two = n == 2
        edges = np.stack([e_bottom, e_right, e_top, e_left])[:, two]  # (4, m)
        cross = np.stack([cb, cr, ct, cl])[:, two]
        order = np.argsort(~cross, axis=0, kind="stable")[:2]  # indices of the two crossing edges
        seg_a = np.take_along_axis(edges, order[:1], 0)[0]
        seg_b = np.take_along_axis(edges, order[1:2], 0)[0]
        # four crossings (saddle cells)
        four = n == 4
        if four.any():
            iso02 = (centre[four] > lev) != b0[four]  # corners 0 and 2 are cut off
            B, R, T, L = e_bottom[four], e_right[four], e_top[four], e_left[four]
            a1 = np.where(iso02, L, B)
            b1_ = np.where(iso02, B, R)
            a2 = np.where(iso02, R, T)
            b2_ = np.where(iso02, T, L)
            seg_a = np.concatenate([seg_a, a1, a2])
            seg_b = np.concatenate([seg_b, b1_, b2_])
        if seg_a.size == 0:
            continue
        px, py = _edge_points(xs, ys, C, lev, np.concatenate([seg_a, seg_b]), H)
        m = seg_a.size
        pos = {}
        nodes = np.concatenate([seg_a, seg_b]).tolist()
        for k, e in enumerate(nodes):
            pos.setdefault(e, k)
        adj: dict[int, list[int]] = {}
        for a, b in zip(seg_a.tolist(), seg_b.tolist()):
            adj.setdefault(a, []).append(b)
            adj.setdefault(b, []).append(a)
        seen: set[int] = set()
        # open chains first (start at degree-1 nodes), then cycles; sorted for determinism
        starts = sorted(e for e, nb in adj.items() if len(nb) == 1) + sorted(adj)
        for s in starts:
            if s in seen:
                continue
            chain = [s]
            seen.add(s)
            prev, cur = None, s
            while True:
                nxt = [v for v in adj[cur] if v != prev and v not in seen]
                if not nxt:
                    if len(adj[cur]) == 2 and s in adj[cur] and len(chain) > 2:
                        chain.append(s)  # close the cycle
                    break
                prev, cur = cur, nxt[0]
                seen.add(cur)
                chain.append(cur)
            idx = np.fromiter((pos[e] for e in chain), dtype=np.intp, count=len(chain))
            out_x.append(np.append(px[idx], np.nan))
            out_y.append(np.append(py[idx], np.nan))
        del m
    if not out_x:
        return np.zeros(0), np.zeros(0)
    return np.concatenate(out_x), np.concatenate(out_y)


def _edge_points(xs, ys, C, lev, edge_ids, H):
    """Interpolated crossing point on each edge id."""
    ny, nx = C.shape
    e = np.asarray(edge_ids)
    horiz = e < H
    px = np.empty(e.shape)
    py = np.empty(e.shape)
    if horiz.any():
        eh = e[horiz]
        j, i = np.divmod(eh, nx - 1)
        za, zb = C[j, i], C[j, i + 1]
        t = np.clip((lev - za) / (zb - za), 0.0, 1.0)
        px[horiz] = xs[i] + t * (xs[i + 1] - xs[i])
        py[horiz] = ys[j]
    vert = ~horiz
    if vert.any():
        ev = e[vert] - H
        j, i = np.divmod(ev, nx)
        za, zb = C[j, i], C[j + 1, i]
        t = np.clip((lev - za) / (zb - za), 0.0, 1.0)
        px[vert] = xs[i]
        py[vert] = ys[j] + t * (ys[j + 1] - ys[j])
    return px, py
