"""Run an optimizer on a surface: one start (:func:`simulate`) or many at once (:func:`simulate_many`).

:func:`simulate_many` runs one vectorized loop over starts shaped ``(N, 2)``, calling
``surface.value_and_grad`` ONCE per step (and ``surface.hessian`` only for Newton). A single
run uses the same rules in a scalar loop (:func:`_run_one`): for one point, NumPy's per-call
overhead would dominate, so the surface's formulas are evaluated on Python floats
(:mod:`optim.fastpath`) and the stopping tests are float comparisons. The optimizer update is
the same function in both. Everything runs inside ``np.errstate(all="ignore")``: an overflow is
data ("diverged"), never a warning or an exception.

Stopping rules, checked at every point theta_k (k = 0 .. steps), per start:

- **diverged** at step k: theta_k is not finite, or the loss there is inf/NaN, or a coordinate
  satisfies |theta| > ``BOUND`` (1e6). The point that broke is kept as the last row.
- **tolerance met** at step k >= 1: the exact gradient norm |g(theta_k)| <= ``GRAD_TOL`` (1e-8) AND
  the last step norm |theta_k - theta_{k-1}| <= ``STEP_TOL`` (1e-8). A vanishing gradient means a
  critical point, not necessarily a minimum (Newton converges to saddles).
- **left** at step j > k: after meeting the tolerance, |g(theta_j)| > ``LEAVE_GRAD`` (1e-6, a
  hundredfold rise). An adaptive method can do this: the lecture's AdaGrad keeps shrinking sigma
  while the gradient is tiny, eta/sigma grows, and hundreds of steps later the path bursts off the
  point it had "converged" to. That burst is the lesson, so by default a run is NOT cut off when the
  tolerance is met: like a torch training loop it makes every one of its ``steps`` updates.
- **converged** (status) at step k: the tolerance was met at step k and the path did not leave
  afterwards (``met_step`` / ``left_step`` keep the first meeting and the first leaving).
- **budget**: neither.

``stop_at_tolerance=True`` restores early stopping (a start is frozen the first time the
tolerance is met): for many-start runs that only need where each start settles.

``steps`` is clamped into [0, ``MAX_STEPS``] (20000); the message says so when it was clamped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .base import Optimizer
from .fastpath import scalar_evaluator
from .noise import GradientNoise
from .schedules import Constant

BOUND = 1e6
GRAD_TOL = 1e-8
STEP_TOL = 1e-8
LEAVE_GRAD = 1e-6
MAX_STEPS = 20_000

_BUDGET, _CONVERGED, _DIVERGED = 0, 1, 2
_STATUS_NAMES = np.array(["budget", "converged", "diverged"])


@dataclass(frozen=True, eq=False)
class Trajectory:
    """One run. Row k of ``points``/``loss``/``grad`` is theta_k (k = 0 .. n); row i of ``lr``,
    ``update``, ``seen_grad``, ``effective_step`` and ``state`` belongs to update i (theta_i -> theta_{i+1}).

    - ``grad``: the EXACT gradient at each point; ``seen_grad``: what the optimizer saw (noisy if noise)
    - ``effective_step``: |delta_i| / |seen_grad_i| per coordinate (NaN where the seen gradient is 0)
    - ``state``: the optimizer's state after each update, plus its views (e.g. ``m``, ``v``, ``sigma``)
    - ``met_step``: the first step where the tolerance was met (None: never); ``left_step``: the
      first step after that where the path left it again (None: never)
    """

    points: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    lr: np.ndarray
    update: np.ndarray
    seen_grad: np.ndarray
    effective_step: np.ndarray
    state: dict[str, np.ndarray]
    status: str
    stop_step: int
    message: str
    steps: int
    optimizer_id: str = ""
    requested_steps: int = 0
    met_step: int | None = None
    left_step: int | None = None
    divergence: str = ""  # why it diverged: one of DIVERGENCE_CAUSES ("" if it did not)

    @property
    def final(self) -> np.ndarray:
        return self.points[-1]


@dataclass(frozen=True, eq=False)
class Fan:
    """Many starts at once: ``points`` (n+1, N, 2), ``loss`` (n+1, N), per-start ``status``
    (N,) strings and ``stop_step`` (N,) ints. After a start stops it is frozen: a converged
    start holds its last point, a diverged start is NaN from the step after it diverged.
    ``points`` is a transposed view of coordinate-major memory (see :func:`_run`); use
    ``np.ascontiguousarray`` if a consumer needs C order."""

    points: np.ndarray
    loss: np.ndarray
    lr: np.ndarray
    status: np.ndarray
    stop_step: np.ndarray
    steps: int
    reason: np.ndarray = field(repr=False, default=None)
    requested_steps: int = 0
    met_step: np.ndarray = field(repr=False, default=None)  # (N,) ints, -1: never
    left_step: np.ndarray = field(repr=False, default=None)  # (N,) ints, -1: never

    @property
    def final(self) -> np.ndarray:
        """Last point of each start (N, 2): NaN for diverged starts."""
        return self.points[-1]

    def message(self, i: int) -> str:
        """The plain-English sentence for start i (made on demand: fans have thousands)."""
        code = {"budget": _BUDGET, "converged": _CONVERGED, "diverged": _DIVERGED}[str(self.status[i])]
        n_steps, clamped = _clamp_steps(self.requested_steps)
        met = -1 if self.met_step is None else int(self.met_step[i])
        left = -1 if self.left_step is None else int(self.left_step[i])
        return _message(code, int(self.stop_step[i]), int(self.reason[i]), n_steps, clamped, self.requested_steps,
                        met, left)


def _clamp_steps(steps) -> tuple[int, bool]:
    n = int(steps)
    clamped = min(max(n, 0), MAX_STEPS)
    return clamped, clamped != n


def _schedule(schedule, optimizer: Optimizer):
    return Constant(optimizer.lr) if schedule is None else schedule


def _run(surface, optimizer: Optimizer, starts: np.ndarray, steps: int, schedule, noise, seed, full: bool,
         stop_at_tolerance: bool = False):
    """The shared loop. ``full`` records gradients, updates and state (single runs); without
    it only points, loss and lr are kept (fans of thousands of starts).

    Memory layout, for speed: coordinates are stored coordinate-major, ``(2, N)`` contiguous,
    which is what ``value_and_grad`` takes and returns; the optimizer sees the ``(N, 2)``
    transposed VIEW. Elementwise NumPy keeps that layout for its results, so every pass over
    the data is contiguous and no per-step transpose copy is made."""
    theta = np.array(starts, dtype=float).reshape(-1, 2).T.copy().T  # (N, 2) view of (2, N) memory
    n_starts = theta.shape[0]
    schedule = _schedule(schedule, optimizer)
    rng = np.random.default_rng(seed) if noise is not None else None
    update = optimizer.update
    need_h = optimizer.needs_hessian

    points = np.empty((steps + 1, 2, n_starts))  # coordinate-major; returned as a (.., N, 2) view
    loss = np.empty((steps + 1, n_starts))
    lrs = np.empty(steps)
    if full:
        grads = np.empty((steps + 1, n_starts, 2))
        deltas = np.empty((steps, n_starts, 2))
        seen = np.empty((steps, n_starts, 2))
        state_rows: dict[str, np.ndarray] = {}
    status = np.full(n_starts, _BUDGET)
    stop = np.full(n_starts, steps)
    reason = np.zeros(n_starts, dtype=int)  # which divergence test fired, for the message
    met = np.full(n_starts, -1)  # the step since which the tolerance holds (-1: it does not)
    first_met = np.full(n_starts, -1)
    first_left = np.full(n_starts, -1)
    watching = False  # some start has met the tolerance: watch for it leaving
    active = np.ones(n_starts, dtype=bool)
    all_active = True
    state = optimizer.init(theta)
    last_delta_t = None
    k = 0
    with np.errstate(all="ignore"):
        for k in range(steps + 1):
            theta_t = theta.T  # (2, N), contiguous
            f, g_t = surface.value_and_grad(theta_t[0], theta_t[1])
            g = g_t.T
            points[k] = theta_t
            loss[k] = f
            if full:
                grads[k] = g

            # --- stopping tests: whole-array reductions first, per-start work only if needed -
            bad = small = None
            # NaN makes max/min/sum NaN, and every comparison with NaN is False.
            if not (theta_t.max() <= BOUND and theta_t.min() >= -BOUND and np.isfinite(f.sum())):
                bad = ~(np.abs(theta_t) <= BOUND).all(axis=0) | ~np.isfinite(f)
            if k > 0:
                g2 = g_t[0] * g_t[0] + g_t[1] * g_t[1]
                small = g2 <= GRAD_TOL**2
                if small.any():
                    small &= last_delta_t[0] * last_delta_t[0] + last_delta_t[1] * last_delta_t[1] <= STEP_TOL**2
                if not small.any():
                    small = None
                if watching:
                    left = (met >= 0) & (g2 > LEAVE_GRAD**2)
                    if left.any():
                        first_left[left & (first_left < 0)] = k
                        met[left] = -1
                        watching = bool((met >= 0).any())
            if bad is not None or small is not None:
                bad = np.zeros_like(active) if bad is None else bad
                newly_div = active & bad
                newly_conv = active & ~bad & small if small is not None else np.zeros_like(active)
                if newly_div.any():
                    reason[newly_div] = _divergence_reason(theta[newly_div], f[newly_div])
                status[newly_div] = _DIVERGED
                fresh = newly_conv & (met < 0)
                met[fresh] = k
                first_met[fresh & (first_met < 0)] = k
                watching = watching or bool(fresh.any())
                if not stop_at_tolerance:
                    newly_conv = np.zeros_like(active)  # keep running: the path may leave again
                status[newly_conv] = _CONVERGED
                stop[newly_div | newly_conv] = k
                active &= ~(newly_div | newly_conv)
                all_active = bool(active.all())
                if not active.any():
                    break
            if k == steps:
                break

            # --- one update ------------------------------------------------------------------
            lr = float(schedule(k))
            lrs[k] = lr
            g_seen = g + noise.sample(rng, g.shape) if noise is not None else g
            hessian = np.moveaxis(surface.hessian(theta_t[0], theta_t[1]), (0, 1), (-2, -1)) if need_h else None
            delta, state = update(g_seen, state, theta, lr, k, hessian)
            if not all_active:
                delta = np.where(active[:, None], delta, 0.0)  # stopped starts stay frozen
            theta = theta + delta
            if theta.flags.c_contiguous and n_starts > 1:  # keep the coordinate-major layout
                theta = theta.T.copy().T
            last_delta_t = delta.T
            if full:
                deltas[k] = delta
                seen[k] = g_seen
                for name, value in state.items():
                    rows = state_rows.get(name)
                    if rows is None:
                        rows = state_rows[name] = np.full((steps,) + np.shape(value), np.nan)
                    rows[k] = value

    n = k  # number of updates actually made
    settled = (met >= 0) & (status != _DIVERGED)
    status[settled] = _CONVERGED
    stop[settled] = met[settled]
    out = {"points": points[: n + 1].transpose(0, 2, 1), "loss": loss[: n + 1], "lr": lrs[:n],
           "status": status, "stop": stop, "reason": reason, "n": n, "met": first_met, "left": first_left}
    if full:
        out.update(grad=grads[: n + 1], update=deltas[:n], seen_grad=seen[:n],
                   state={name: rows[:n] for name, rows in state_rows.items()})
    return out


def _run_one(evaluate, surface, optimizer: Optimizer, start, steps: int, schedule, noise, seed,
             stop_at_tolerance: bool = False):
    """:func:`_run` for one start (N = 1, ``full``), on floats where it pays. Same rules, same
    update function, same noise stream (one (1, 2) draw per step), same output layout.

    Per step it only appends to lists (the update returns fresh arrays: nothing is mutated, so
    keeping references is safe) and stacks them once at the end."""
    theta = np.array(start, dtype=float).reshape(1, 2)
    x, y = theta[0].tolist()
    schedule = _schedule(schedule, optimizer)
    rng = np.random.default_rng(seed) if noise is not None else None
    update = optimizer.update
    need_h = optimizer.needs_hessian
    thetas, values, grads, lrs, deltas, seen, states = [], [], [], [], [], [], []
    status, reason = _BUDGET, 0
    met = first_met = first_left = -1  # as in _run
    state = optimizer.init(theta)
    dx = dy = 0.0
    k = 0
    with np.errstate(all="ignore"):
        for k in range(steps + 1):
            try:
                f, gx, gy = evaluate(x, y)
            except (ArithmeticError, ValueError, TypeError):  # NumPy semantics: inf / NaN
                fa, ga = surface.value_and_grad(theta[:, 0], theta[:, 1])
                f, gx, gy = float(fa[0]), float(ga[0, 0]), float(ga[1, 0])
            thetas.append(theta)
            values.append(f)
            grads.append((gx, gy))
            # f - f == 0 is False exactly for inf and NaN; NaN coordinates fail the <= tests.
            if not (abs(x) <= BOUND and abs(y) <= BOUND and f - f == 0.0):
                status = _DIVERGED
                reason = int(_divergence_reason(theta, np.array([f]))[0])
                break
            g2 = gx * gx + gy * gy
            if met >= 0 and g2 > LEAVE_GRAD**2:
                met = -1
                if first_left < 0:
                    first_left = k
            if k and g2 <= GRAD_TOL**2 and dx * dx + dy * dy <= STEP_TOL**2 and met < 0:
                met = k
                if first_met < 0:
                    first_met = k
                if stop_at_tolerance:
                    status = _CONVERGED
                    break
            if k == steps:
                break
            lr = float(schedule(k))
            lrs.append(lr)
            g = np.array([[gx, gy]])
            if noise is not None:
                g = g + noise.sample(rng, (1, 2))
            hessian = np.moveaxis(surface.hessian(theta[:, 0], theta[:, 1]), (0, 1), (-2, -1)) if need_h else None
            delta, state = update(g, state, theta, lr, k, hessian)
            theta = theta + delta
            dx, dy = delta.ravel().tolist()
            x, y = x + dx, y + dy  # the same IEEE additions as theta + delta
            deltas.append(delta)
            seen.append(g)
            states.append(state)
    n = k

    def stack(arrays):
        return np.concatenate(arrays).reshape(len(arrays), 1, 2) if arrays else np.empty((0, 1, 2))

    names = list(states[0]) if states else list(optimizer.init(theta))
    stop = n if status != _BUDGET else steps
    if met >= 0 and status != _DIVERGED:
        status, stop = _CONVERGED, met
    return {"points": stack(thetas), "loss": np.array(values).reshape(-1, 1), "lr": np.array(lrs, dtype=float),
            "status": np.array([status]), "stop": np.array([stop]), "met": np.array([first_met]),
            "left": np.array([first_left]),
            "reason": np.array([reason]), "n": n, "grad": np.array(grads).reshape(-1, 1, 2),
            "update": stack(deltas), "seen_grad": stack(seen),
            "state": {name: stack([st[name] for st in states]) for name in names}}


def _divergence_reason(theta: np.ndarray, f: np.ndarray) -> np.ndarray:
    """0: point not finite, 1: loss infinite, 2: loss NaN, 3: beyond BOUND."""
    point_bad = ~np.isfinite(theta).all(axis=1)
    return np.select([point_bad, np.isinf(f), np.isnan(f)], [0, 1, 2], default=3)


DIVERGENCE_CAUSES = ("point", "loss_inf", "loss_nan", "bound")  # by _divergence_reason code

_REASONS = {
    0: "the point became infinite or undefined",
    1: "the loss became infinite",
    2: "the loss became undefined (NaN)",
    3: f"the point left the region |x|, |y| <= {BOUND:g}",
}


def _message(status: int, stop: int, reason: int, steps: int, clamped: bool, requested: int,
             met: int = -1, left: int = -1) -> str:
    history = f"met the tolerance at step {met} but left it again at step {left}" if left >= 0 else ""
    if status == _DIVERGED:
        text = f"diverged at step {stop}: {_REASONS[int(reason)]}"
        if history:
            text += f" (it had {history})"
    elif status == _CONVERGED:
        text = (f"converged at step {stop}: the gradient and the step both fell below {GRAD_TOL:g} "
                "(a critical point: a minimum, or possibly a saddle)")
        if history:
            text += f"; it had first {history}"
    elif history:
        text = f"{history}; ran the full budget of {steps} steps without settling"
    else:
        text = f"ran the full budget of {steps} steps without converging"
    if clamped:
        text += f" (asked for {requested} steps; capped at {MAX_STEPS})"
    return text


def simulate(surface, optimizer: Optimizer, start, steps: int, schedule=None,
             noise: GradientNoise | None = None, seed: int = 0, stop_at_tolerance: bool = False) -> Trajectory:
    """Run ``optimizer`` from ``start`` (x, y) for ``steps`` updates (fewer only if it diverges,
    or with ``stop_at_tolerance`` once the tolerance is met; see the module docstring).

    ``surface`` needs ``value_and_grad(x, y)`` (and ``hessian`` for Newton); ``schedule`` is any
    callable step -> lr (step 0 first), default the optimizer's constant lr; ``noise`` adds
    :class:`GradientNoise` drawn from ``default_rng(seed)``. Never raises for numeric blow-ups.
    """
    n_steps, clamped = _clamp_steps(steps)
    start = np.asarray(start, dtype=float).reshape(1, 2)
    evaluate = scalar_evaluator(surface)
    if evaluate is not None:
        run = _run_one(evaluate, surface, optimizer, start, n_steps, schedule, noise, seed, stop_at_tolerance)
    else:
        run = _run(surface, optimizer, start, n_steps, schedule, noise, seed, full=True,
                   stop_at_tolerance=stop_at_tolerance)
    status, stop, reason = int(run["status"][0]), int(run["stop"][0]), int(run["reason"][0])
    met, left = int(run["met"][0]), int(run["left"][0])
    update, seen = run["update"][:, 0], run["seen_grad"][:, 0]
    with np.errstate(all="ignore"):
        effective = np.abs(update) / np.abs(seen)
    effective[seen == 0] = np.nan
    n = run["n"]
    state = {name: rows[:, 0] for name, rows in run["state"].items()}
    if n:
        t = np.arange(1, n + 1, dtype=float)[:, None]
        with np.errstate(all="ignore"):
            state = {name: np.asarray(v, dtype=float) for name, v in optimizer.views(state, t).items()}
    return Trajectory(
        points=run["points"][:, 0], loss=run["loss"][:, 0], grad=run["grad"][:, 0], lr=run["lr"],
        update=update, seen_grad=seen, effective_step=effective, state=state,
        status=str(_STATUS_NAMES[status]), stop_step=stop if status != _BUDGET else n,
        message=_message(status, stop, reason, n_steps, clamped, int(steps), met, left),
        steps=n, optimizer_id=optimizer.id, requested_steps=int(steps),
        met_step=met if met >= 0 else None, left_step=left if left >= 0 else None,
        divergence=DIVERGENCE_CAUSES[reason] if status == _DIVERGED else "",
    )


def simulate_many(surface, optimizer: Optimizer, starts, steps: int, schedule=None,
                  noise: GradientNoise | None = None, seed: int = 0, stop_at_tolerance: bool = False) -> Fan:
    """Run ``optimizer`` from N starts ``(N, 2)`` at once (noisy fans, basin maps).

    Same rules as :func:`simulate`; without noise, start i equals ``simulate`` from start i.
    With noise the N starts share one stream (one (N, 2) draw per step), so start i's noise
    differs from a single run with the same seed. The run ends when every start has stopped,
    so ``steps`` of the result is the largest stop step.
    """
    n_steps, _ = _clamp_steps(steps)
    starts = np.asarray(starts, dtype=float).reshape(-1, 2)
    run = _run(surface, optimizer, starts, n_steps, schedule, noise, seed, full=False,
               stop_at_tolerance=stop_at_tolerance)
    points, loss, status, stop = run["points"], run["loss"], run["status"], run["stop"]
    n = run["n"]
    stop = np.where(status == _BUDGET, n, stop)
    diverged = status == _DIVERGED
    if diverged.any():
        after = np.arange(n + 1)[:, None] > stop[None, :]
        mask = after & diverged[None, :]
        points[mask] = np.nan
        loss[mask] = np.nan
    return Fan(points=points, loss=loss, lr=run["lr"], status=_STATUS_NAMES[status], stop_step=stop,
               steps=n, reason=run["reason"], requested_steps=int(steps), met_step=run["met"],
               left_step=run["left"])
