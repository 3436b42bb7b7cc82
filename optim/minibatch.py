r"""Mini-batch training on a :class:`surfaces.datasets.Dataset`, and the lecture's batch trade-off.

:func:`simulate_minibatch` is the lecture's batch loop. Each epoch shuffles the N examples
(``rng.permutation``, one ``numpy.random.default_rng(seed)`` stream for the whole run) and cuts
the permutation into ``ceil(N / B)`` consecutive batches of B examples (the last one smaller
when B does not divide N: sampling WITHOUT replacement, every example exactly once per epoch).
Update t uses the batch-mean gradient

.. math::
    \hat g^{t} = \frac{1}{|\mathcal B_t|} \sum_{i \in \mathcal B_t} \nabla \ell_i(\theta^{t}),
    \qquad (\Delta^{t}, s^{t+1}) = \text{optimizer.update}(\hat g^{t}, s^{t}, \theta^{t}, \eta_t, t),
    \qquad \theta^{t+1} = \theta^{t} + \Delta^{t},

with the optimizer's own pure ``init``/``update`` (so "sgd", "momentum", "adam" are exactly the
rules of :mod:`optim`, fed a mini-batch gradient). With B = N every batch is the whole set and
the run IS full-batch gradient descent (bit for bit: a batch's indices are sorted before summing).
The recorded ``loss`` and ``grad`` are always the FULL-batch ones at each point (what the
surface shows), while ``seen_grad`` is what the optimizer got.

Stopping rules as :func:`optim.simulate`: **diverged** when a point is not finite, beyond
``BOUND`` or its loss is inf/NaN (never an exception: ``np.errstate``); **converged** when the
full gradient and the last step both fall below 1e-8 (a critical point, maybe a saddle);
otherwise **budget**. At most ``MAX_UPDATES`` updates (epochs are cut to fit; the message says so).

:func:`tradeoff` is the table of the lecture (small vs large batch) as a model in the batch
size B, the data size N and a parallel capacity P (examples the hardware processes at once).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .base import Optimizer
from .request import make_call
from .schedules import Constant
from .simulate import BOUND, GRAD_TOL, STEP_TOL

MAX_UPDATES = 20_000


@dataclass(frozen=True, eq=False)
class MinibatchTrajectory:
    """One mini-batch run. Row k of ``points``/``loss``/``grad`` is theta_k (k = 0..n); row t of
    ``lr``, ``update``, ``seen_grad``, ``effective_step``, ``epoch_of_update``, ``batch_len``
    belongs to update t (theta_t -> theta_{t+1}), the same convention as :class:`optim.Trajectory`.

    - ``loss``/``grad``: the FULL-batch loss and gradient at each point;
    - ``seen_grad``: the mini-batch gradient the optimizer used; ``effective_step``:
      |update| / |seen_grad| per coordinate (NaN where the seen gradient is 0);
    - ``order`` (epochs_run, N): the shuffled example order of each epoch (batch j of epoch e
      is ``order[e, j*B:(j+1)*B]``);
    - ``epoch_end`` (epochs_run + 1,): index into ``points`` where each epoch ends (0 first);
      ``loss_per_epoch`` = ``loss[epoch_end]`` (the last entry is the stop point when stopped
      mid-epoch).
    """

    points: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    lr: np.ndarray
    update: np.ndarray
    seen_grad: np.ndarray
    effective_step: np.ndarray
    epoch_of_update: np.ndarray
    batch_len: np.ndarray
    order: np.ndarray
    epoch_end: np.ndarray
    status: str
    stop_step: int
    message: str
    steps: int
    batch_size: int
    n_examples: int
    epochs: int
    seed: int
    optimizer_id: str = ""

    @property
    def updates_per_epoch(self) -> int:
        return updates_per_epoch(self.n_examples, self.batch_size)

    @property
    def loss_per_epoch(self) -> np.ndarray:
        return self.loss[self.epoch_end]

    @property
    def final(self) -> np.ndarray:
        return self.points[-1]

    @property
    def grad_norm(self) -> np.ndarray:
        return np.linalg.norm(self.grad, axis=-1)

    @property
    def state(self) -> dict[str, np.ndarray]:
        """Per-update quantities beyond the optimizer-independent ones, in the shape
        :mod:`optim.export` expects of ``Trajectory.state``: the mini-batch gradient the optimizer
        got (``seen_grad``, (n, 2)), the update's epoch and its batch's size ((n,) each)."""
        return {"seen_grad": self.seen_grad, "epoch": self.epoch_of_update, "batch_len": self.batch_len}

    def epoch_time(self) -> np.ndarray:
        """Each point's time in epochs (examples seen / N): 0, then e + (examples done in epoch e) / N."""
        seen = np.concatenate([[0], np.cumsum(self.batch_len)])
        return seen / self.n_examples


def updates_per_epoch(n_examples: int, batch_size: int) -> int:
    """ceil(N / B): the number of updates (batches) in one epoch."""
    return -(-int(n_examples) // int(batch_size))


def epoch_batches(order: np.ndarray, batch_size: int) -> list[np.ndarray]:
    """Cut one epoch's permutation into consecutive batches (the last may be smaller)."""
    return [order[j : j + batch_size] for j in range(0, len(order), batch_size)]


def simulate_minibatch(dataset, optimizer: Optimizer, start, epochs: int, batch_size: int, seed: int = 0,
                       schedule=None) -> MinibatchTrajectory:
    """Train ``optimizer`` on ``dataset`` from ``start`` for ``epochs`` epochs of batch size B.

    ``dataset`` needs ``n`` and ``batch_loss_and_grad(w, idx)`` (see :mod:`surfaces.datasets`);
    ``batch_size`` is clipped into [1, N]; ``schedule`` is a callable global-update -> lr
    (default: the optimizer's constant lr). The same seed gives the same run bit for bit.
    Never raises for numeric blow-ups.
    """
    n = int(dataset.n)
    B = int(min(max(int(batch_size), 1), n))
    per_epoch = updates_per_epoch(n, B)
    req_epochs = max(int(epochs), 0)
    max_epochs = max(MAX_UPDATES // per_epoch, 1)
    n_epochs = min(req_epochs, max_epochs)
    clamped = n_epochs != req_epochs
    schedule = Constant(optimizer.lr) if schedule is None else schedule
    rng = np.random.default_rng(int(seed))
    total = n_epochs * per_epoch

    theta = np.asarray(start, dtype=float).reshape(2).copy()
    points = np.empty((total + 1, 2))
    lrs = np.empty(total)
    deltas = np.empty((total, 2))
    seen = np.empty((total, 2))
    ep_of = np.empty(total, dtype=int)
    blen = np.empty(total, dtype=int)
    order = np.empty((n_epochs, n), dtype=np.intp)
    points[0] = theta
    state = optimizer.init(theta)
    t = 0
    broke = False
    with np.errstate(all="ignore"):
        for e in range(n_epochs):
            perm = rng.permutation(n)
            order[e] = perm
            for idx in epoch_batches(perm, B):
                lr = float(schedule(t))
                _, g = dataset.batch_loss_and_grad(theta, idx)
                delta, state = optimizer.update(g, state, theta, lr, t)
                theta = theta + delta
                lrs[t], deltas[t], seen[t], ep_of[t], blen[t] = lr, delta, g, e, idx.size
                t += 1
                points[t] = theta
                if not (np.abs(theta).max() <= BOUND):  # NaN fails too
                    broke = True
                    break
            if broke:
                break
        points = points[: t + 1]
        # full-batch loss and gradient at every point, vectorized (the slow part done once)
        loss, grad = dataset.batch_loss_and_grad(points)

    # stopping rules, applied after the fact (stopping only truncates the run)
    finite = np.isfinite(points).all(axis=1) & np.isfinite(loss) & (np.abs(points).max(axis=1) <= BOUND)
    bad = np.flatnonzero(~finite)
    step_norm = np.full(t + 1, np.inf)
    step_norm[1:] = np.linalg.norm(deltas[:t], axis=1)
    with np.errstate(invalid="ignore"):
        small = (np.linalg.norm(grad, axis=1) <= GRAD_TOL) & (step_norm <= STEP_TOL)
    small[0] = False
    conv = np.flatnonzero(small)
    k_bad = int(bad[0]) if bad.size else None
    k_conv = int(conv[0]) if conv.size else None
    if k_bad is not None and (k_conv is None or k_bad <= k_conv):
        status, stop = "diverged", k_bad
    elif k_conv is not None:
        status, stop = "converged", k_conv
    else:
        status, stop = "budget", t
    points, loss, grad = points[: stop + 1], loss[: stop + 1], grad[: stop + 1]
    lrs, deltas, seen, ep_of, blen = lrs[:stop], deltas[:stop], seen[:stop], ep_of[:stop], blen[:stop]
    with np.errstate(all="ignore"):
        effective = np.abs(deltas) / np.abs(seen)
    effective[seen == 0] = np.nan

    # epoch boundaries within the kept run
    epochs_run = int(ep_of[-1]) + 1 if stop else 0
    ends = [0] + [int(np.searchsorted(ep_of, e, side="right")) for e in range(epochs_run)]
    epoch_end = np.array(ends, dtype=int)
    order = order[: max(epochs_run, 0)]

    if status == "diverged":
        msg = f"diverged at update {stop} (epoch {int(ep_of[stop - 1]) + 1 if stop else 0}): the point or the loss blew up"
    elif status == "converged":
        msg = (f"converged at update {stop}: the full-batch gradient and the step both fell below {GRAD_TOL:g} "
               "(a critical point: a minimum, or possibly a saddle)")
    else:
        msg = f"ran {n_epochs} epochs of {per_epoch} updates (batch size {B} of {n}) without converging"
    if clamped:
        msg += f" (asked for {req_epochs} epochs; capped at {n_epochs} = {MAX_UPDATES} updates)"
    return MinibatchTrajectory(
        points=points, loss=loss, grad=grad, lr=lrs, update=deltas, seen_grad=seen, effective_step=effective,
        epoch_of_update=ep_of, batch_len=blen, order=order, epoch_end=epoch_end, status=status,
        stop_step=stop, message=msg, steps=stop, batch_size=B, n_examples=n, epochs=n_epochs, seed=int(seed),
        optimizer_id=optimizer.id,
    )


# --------------------------------------------------------------------------------------------
# The lecture's trade-off table as a model
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Tradeoff:
    """Arrays over ``batch_sizes`` (see :func:`tradeoff`). Time unit: one example's gradient on
    one processor (serial), or one parallel pass of up to P examples (parallel)."""

    batch_sizes: np.ndarray
    updates_per_epoch: np.ndarray
    time_update_serial: np.ndarray
    time_update_parallel: np.ndarray
    time_epoch_serial: np.ndarray
    time_epoch_parallel: np.ndarray
    grad_noise: np.ndarray | None
    n_examples: int
    parallel: int


def tradeoff(batch_sizes, n_examples: int, parallel: int, dataset=None, at=None) -> Tradeoff:
    r"""The lecture's table "small vs large batch" as numbers, for every B in ``batch_sizes``.

    With N examples, P = examples processed at once, and an epoch cut into
    :math:`\lfloor N/B \rfloor` batches of B plus one of :math:`r = N \bmod B` (if r > 0):

    - updates per epoch: :math:`\lceil N/B \rceil`;
    - time per update, no parallelism: :math:`B` ("small: faster");
      with parallelism: :math:`\lceil B/P \rceil` (flat "same" until B exceeds P);
    - time per epoch: the sum over the epoch's batches, no parallelism
      :math:`\lfloor N/B\rfloor B + r = N` (the same for every B), with parallelism
      :math:`\lfloor N/B\rfloor \lceil B/P\rceil + \lceil r/P\rceil`, which falls like
      :math:`\lceil N/B \rceil` while B <= P ("large: faster") and is about N/P beyond;
    - gradient noise (if ``dataset`` and the point ``at`` are given): the exact standard deviation
      of the mini-batch gradient, ``dataset.gradient_noise(at, B)`` (about 1/sqrt(B), zero at N).
    """
    N = int(n_examples)
    P = max(int(parallel), 1)
    B = np.clip(np.asarray(batch_sizes, dtype=np.int64).reshape(-1), 1, N)
    full, r = N // B, N % B
    upd = full + (r > 0)
    t_up_s = B.astype(float)
    t_up_p = np.ceil(B / P)
    t_ep_s = (full * B + r).astype(float)
    t_ep_p = full * np.ceil(B / P) + np.ceil(r / P)
    noise = None
    if dataset is not None and at is not None:
        noise = np.asarray(dataset.gradient_noise(at, B), dtype=float)
    return Tradeoff(batch_sizes=B, updates_per_epoch=upd, time_update_serial=t_up_s, time_update_parallel=t_up_p,
                    time_epoch_serial=t_ep_s, time_epoch_parallel=t_ep_p, grad_noise=noise, n_examples=N,
                    parallel=P)


def resample_by_epoch(runs, ticks_per_epoch: int, epochs: float | None = None) -> tuple[np.ndarray, list[np.ndarray]]:
    """A common clock for runs of different batch sizes: time in epochs (examples seen / N).

    Returns ``(t, rows)``: ``t`` the tick times (0, 1/k, 2/k, ... up to ``epochs``, default the
    longest run) and, per run, the index of its last point reached by each tick (an update counts
    once its whole batch has been seen). A full-batch run moves once per epoch on this clock,
    a B = 1 run N times.
    """
    k = max(int(ticks_per_epoch), 1)
    if epochs is None:
        epochs = max((float(r.epoch_time()[-1]) for r in runs), default=0.0)
    n_ticks = int(math.floor(epochs * k + 1e-9))
    t = np.arange(n_ticks + 1) / k
    rows = []
    for r in runs:
        times = r.epoch_time()
        rows.append(np.searchsorted(times, t + 1e-12, side="right") - 1)
    return t, rows


def batch_snippet(*, dataset_id: str, opt_id: str, hyper: dict, start, epochs: int, batches, seed: int) -> str:
    """Python that reproduces mini-batch runs ("copy as Python" on the batch-size page).

    ``batches`` are (name, batch size) pairs; each run trains a fresh ``optim.make(opt_id, **hyper)``
    with :func:`simulate_minibatch` on ``surfaces.datasets.get(dataset_id)`` from ``start`` for
    ``epochs`` epochs with the shuffle ``seed`` (constant lr). Every value is written with ``repr``
    so floats round-trip and the snippet reproduces the page bit for bit.
    """
    lines = ["import optim", "from optim.minibatch import simulate_minibatch", "from surfaces import datasets", "",
             f"data = datasets.get({dataset_id!r})",
             f"start = ({float(start[0])!r}, {float(start[1])!r})",
             f"epochs = {int(epochs)!r}",
             f"seed = {int(seed)!r}", "", "runs = {}"]
    for name, b in batches:
        lines.append(f"opt = {make_call(opt_id, sorted(dict(hyper).items()))}")
        lines.append(f"runs[{name!r}] = simulate_minibatch(data, opt, start, epochs, {int(b)!r}, seed=seed)")
    lines += ["", "for name, run in runs.items():",
              "    print(name, run.status, run.steps, 'updates', run.points[-1], run.loss[-1])"]
    return "\n".join(lines) + "\n"
