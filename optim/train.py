r"""Training a real network (an N-dimensional parameter vector) with the optimizers of :mod:`optim`.

The same loop as :func:`optim.minibatch.simulate_minibatch`, for P parameters instead of 2:
each epoch shuffles the N training examples (``rng.permutation``, one
``numpy.random.default_rng(seed)`` stream for the whole run) and cuts the permutation into
``ceil(N / B)`` consecutive batches (the last one smaller when B does not divide N). Update t is

.. math::
    \hat g^{t} = \nabla L_{\mathcal B_t}(\theta^{t}), \qquad
    (\Delta^{t}, s^{t+1}) = \text{optimizer.update}(\hat g^{t}, s^{t}, \theta^{t}, \eta_t, t), \qquad
    \theta^{t+1} = \theta^{t} + \Delta^{t},

with the optimizer's own pure ``init``/``update`` (every optimizer of :mod:`optim` except
Newton works coordinate by coordinate, so a ``(P,)`` vector is as good as a 2D point) and
:math:`\eta_t` = ``schedule(t)`` (any :mod:`optim.schedules` schedule, warm-up included).

Recorded at EVERY point :math:`\theta^0 .. \theta^T`: the full training loss and the norm of
the full training gradient (what "the loss plateaus while the gradient stays large" is about),
and per update the mini-batch loss the optimizer saw. At every epoch end: the held-out test
loss. Snapshots of :math:`\theta` every ``snapshot_every`` updates (default: each epoch end) are
the starting points of :mod:`optim.critical_nd`.

Stops: **diverged** when the parameters or the loss are not finite or exceed ``BOUND``;
**target** when ``stop_loss`` is given and the full training loss falls to it (to compare runs
"trained to the same training loss"); otherwise **budget**. At most ``MAX_UPDATES`` updates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import Optimizer
from .minibatch import epoch_batches, updates_per_epoch
from .schedules import Constant

MAX_UPDATES = 200_000
BOUND = 1e6


@dataclass(frozen=True, eq=False)
class TrainRun:
    """One training run. Row k of ``loss``/``grad_norm`` belongs to theta_k (k = 0..T); row t of
    ``lr``/``batch_loss`` to update t (theta_t -> theta_{t+1}). ``epoch_end[e]`` is the index of the
    point where epoch e ended (0 first); ``test_loss[e]`` the test loss there.
    ``snapshots[j]`` is theta at update ``snapshot_steps[j]`` (the first is the start)."""

    loss: np.ndarray
    grad_norm: np.ndarray
    batch_loss: np.ndarray
    lr: np.ndarray
    epoch_end: np.ndarray
    test_loss: np.ndarray
    snapshots: np.ndarray
    snapshot_steps: np.ndarray
    final: np.ndarray
    status: str
    message: str
    steps: int
    batch_size: int
    n_train: int
    seed: int
    optimizer_id: str = ""

    @property
    def loss_per_epoch(self) -> np.ndarray:
        return self.loss[self.epoch_end]

    @property
    def grad_norm_per_epoch(self) -> np.ndarray:
        return self.grad_norm[self.epoch_end]

    @property
    def epochs_run(self) -> int:
        return len(self.epoch_end) - 1

    def epoch_time(self) -> np.ndarray:
        """Each point's time in epochs (examples seen / N)."""
        per = updates_per_epoch(self.n_train, self.batch_size)
        t = np.arange(len(self.loss))
        full, part = np.divmod(t, per)
        seen = np.minimum(part * self.batch_size, self.n_train)
        return full + seen / self.n_train


def train(model, data, optimizer: Optimizer, epochs: int, batch_size: int, *, theta0=None, init_seed: int = 0,
          seed: int = 0, schedule=None, stop_loss: float | None = None, snapshot_every: int | None = None) -> TrainRun:
    """Train ``model`` (a :class:`surfaces.network.MLP`) on ``data`` (:class:`surfaces.network.Data`).

    ``theta0`` defaults to ``model.init(init_seed)``; ``batch_size`` is clipped into [1, N];
    ``seed`` drives the shuffling only, so runs that differ only in B or the lr start from the
    same point. The same arguments give the same run bit for bit. Never raises for numeric
    blow-ups (the status says "diverged").
    """
    if optimizer.needs_hessian:
        raise ValueError(f"{optimizer.name} needs a 2x2 Hessian: it only runs on 2D surfaces")
    X, Y = data.x_train, data.y_train
    n = len(X)
    B = int(min(max(int(batch_size), 1), n))
    per_epoch = updates_per_epoch(n, B)
    n_epochs = max(min(int(epochs), MAX_UPDATES // per_epoch), 0)
    every = per_epoch if snapshot_every is None else max(int(snapshot_every), 1)
    schedule = Constant(optimizer.lr) if schedule is None else schedule
    rng = np.random.default_rng(int(seed))
    theta = (model.init(init_seed) if theta0 is None else np.array(theta0, dtype=float)).reshape(-1).copy()

    loss0, g_full = model.loss_and_grad(theta, X, Y)
    losses, gnorms, blosses, lrs = [loss0], [float(np.linalg.norm(g_full))], [], []
    epoch_end, test = [0], [model.loss(theta, data.x_test, data.y_test)]
    snaps, snap_steps = [theta], [0]
    state = optimizer.init(theta)
    t = 0
    status = "budget"
    with np.errstate(all="ignore"):
        for _ in range(n_epochs):
            for idx in epoch_batches(rng.permutation(n), B):
                idx = np.sort(idx)
                lr = float(schedule(t))
                if B == n:  # full batch: the gradient at theta was computed for the record
                    bl, g = losses[-1], g_full
                else:
                    bl, g = model.loss_and_grad(theta, X[idx], Y[idx])
                delta, state = optimizer.update(g, state, theta, lr, t)
                theta = theta + delta
                t += 1
                loss, g_full = model.loss_and_grad(theta, X, Y)
                blosses.append(bl)
                lrs.append(lr)
                losses.append(loss)
                gnorms.append(float(np.linalg.norm(g_full)))
                if t % every == 0:
                    snaps.append(theta)
                    snap_steps.append(t)
                if not (np.isfinite(loss) and np.abs(theta).max() <= BOUND):
                    status = "diverged"
                    break
                if stop_loss is not None and loss <= stop_loss:
                    status = "target"
                    break
            if status != "budget" or t % per_epoch == 0:
                epoch_end.append(t)
                test.append(model.loss(theta, data.x_test, data.y_test) if status != "diverged" else np.inf)
            if status != "budget":
                break
    if snap_steps[-1] != t:
        snaps.append(theta)
        snap_steps.append(t)
    if status == "diverged":
        msg = f"diverged at update {t}: the parameters or the loss blew up"
    elif status == "target":
        msg = f"reached the training loss {stop_loss:g} at update {t} (epoch {t / per_epoch:.2f})"
    else:
        msg = f"ran {len(epoch_end) - 1} epochs of {per_epoch} updates (batch size {B} of {n})"
    return TrainRun(
        loss=np.array(losses), grad_norm=np.array(gnorms), batch_loss=np.array(blosses), lr=np.array(lrs),
        epoch_end=np.array(epoch_end, dtype=int), test_loss=np.array(test, dtype=float),
        snapshots=np.array(snaps), snapshot_steps=np.array(snap_steps, dtype=int), final=theta, status=status,
        message=msg, steps=t, batch_size=B, n_train=n, seed=int(seed), optimizer_id=optimizer.id,
    )


def linear_scaling(lr: float, batch_size: int, base_batch: int) -> float:
    r"""The linear scaling rule (Goyal et al. 2017): :math:`\eta_B = \eta_{B_0} \cdot B / B_0`.

    Its argument: k small-batch SGD steps of size :math:`\eta` move by
    :math:`-\eta \sum_{j<k} \nabla L_{\mathcal B_j}(\theta^{t+j})`; one step with a batch k times
    larger and :math:`k\eta` moves by :math:`-k\eta\, \nabla L_{\cup \mathcal B_j}(\theta^{t})`, the
    same sum if the gradient changes little over those k steps. Not true early in training, when
    it changes fast: hence a warm-up.
    """
    return float(lr) * float(batch_size) / float(base_batch)


def compare_batch_sizes(model, data, make_optimizer, batch_sizes, seeds, target_loss: float, max_epochs: int = 5000):
    """Train one fresh run per (seed, batch size) until the training loss reaches ``target_loss``
    (the lecture: "trained to the same training loss"), then measure it: a list of dicts with
    ``seed``, ``batch_size``, ``status``, ``epochs`` (examples seen / N), ``train_loss``,
    ``test_loss`` and ``sharpness`` (the top eigenvalue of the training loss's Hessian).

    ``make_optimizer()`` returns a fresh optimizer; the seed sets both the initial network
    (``init_seed``) and the shuffling, so for one seed every batch size starts from the same point.
    """
    out = []
    for seed in seeds:
        for B in batch_sizes:
            run = train(model, data, make_optimizer(), max_epochs, B, seed=seed, init_seed=seed, stop_loss=target_loss)
            top = np.nan
            if run.status != "diverged":
                top = float(np.linalg.eigvalsh(model.hessian(run.final, data.x_train, data.y_train))[-1])
            out.append({"seed": int(seed), "batch_size": run.batch_size, "status": run.status,
                        "epochs": float(run.epoch_time()[-1]), "train_loss": float(run.loss[-1]),
                        "test_loss": float(run.test_loss[-1]), "sharpness": top})
    return out
