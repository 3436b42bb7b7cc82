r"""The update rule of every optimizer of :data:`optim.SPECS`, written out as lines of Python for
the standalone scripts (:mod:`optim.standalone`): one :class:`Rule` per optimizer, rendered with
``np.`` for the NumPy script and ``torch.`` for the PyTorch one, so both scripts share one table.
Plain Python, no Streamlit."""

from __future__ import annotations

from dataclasses import dataclass

from .newton import SINGULAR_RTOL


# --- optimizers: one template per optimizer of optim.SPECS ------------------------------------
@dataclass(frozen=True)
class Rule:
    """One optimizer written out: its constants, state (name -> initial fill value), the update
    body (``xp.`` is ``np.`` or ``torch.``; it reads g, theta, lr, t and state ``s``, and sets
    ``delta``), and the ``torch.optim`` class and keyword arguments when torch has this form."""

    constants: tuple  # (name, value)
    state: tuple  # (name, fill value)
    body: tuple  # lines
    torch_class: str | None = None
    torch_kwargs: tuple = ()  # (name, value)


def _sgd_rule(h, nesterov: bool) -> Rule:
    lam, damp, wd = h["momentum"], h.get("dampening", 0.0), h["weight_decay"]
    body = ["g = g + wd * theta"] if wd else []
    if not lam:
        body += ["delta = -lr * g"]
        state = ()
    else:
        body += ["s['m'] = g if t == 0 else lam * s['m'] + (1.0 - damp) * g  # torch: the first buffer is g",
                 "delta = -lr * (g + lam * s['m'])" if nesterov else "delta = -lr * s['m']"]
        state = (("m", 0.0),)
    kwargs = (("lr", h["lr"]), ("momentum", lam), ("dampening", damp), ("nesterov", nesterov), ("weight_decay", wd))
    return Rule((("lam", lam), ("damp", damp), ("wd", wd)), state, tuple(body), "torch.optim.SGD", kwargs)


def _gd(h):
    return Rule((), (), ("delta = -lr * g",), "torch.optim.SGD", (("lr", h["lr"]),))


def _sgd(h):
    return _sgd_rule(h, bool(h["nesterov"]))


def _nesterov(h):
    return _sgd_rule(h, True)


def _momentum(h):
    return Rule((("lam", h["momentum"]),), (("m", 0.0),),
                ("s['m'] = lam * s['m'] - lr * g  # the lecture's m: the movement itself", "delta = s['m']"))


def _adagrad(h):
    wd = h["weight_decay"]
    body = (["g = g + wd * theta"] if wd else []) + [
        "clr = lr / (1.0 + t * lr_decay)",
        "s['sum'] = s['sum'] + g * g",
        "delta = -clr * g / (xp.sqrt(s['sum']) + eps)"]
    kwargs = (("lr", h["lr"]), ("lr_decay", h["lr_decay"]), ("weight_decay", wd),
              ("initial_accumulator_value", h["initial_accumulator_value"]), ("eps", h["eps"]))
    return Rule((("lr_decay", h["lr_decay"]), ("wd", wd), ("eps", h["eps"])),
                (("sum", h["initial_accumulator_value"]),), tuple(body), "torch.optim.Adagrad", kwargs)


def _adagrad_lecture(h):
    return Rule((("eps", h["eps"]),), (("sum", 0.0),),
                ("s['sum'] = s['sum'] + g * g",
                 "sigma = xp.sqrt(s['sum'] / (t + 1))  # root MEAN square: can shrink",
                 "delta = -lr * g / (sigma + eps)"))


def _rmsprop(h):
    a, eps, wd, mu, centered = h["alpha"], h["eps"], h["weight_decay"], h["momentum"], h["centered"]
    body = ["g = g + wd * theta"] if wd else []
    body.append("s['v'] = alpha * s['v'] + (1.0 - alpha) * (g * g)  # starts at 0: the first step is ~10 lr")
    state = [("v", 0.0)]
    if centered:
        state.append(("gbar", 0.0))
        body += ["s['gbar'] = s['gbar'] + (1.0 - alpha) * (g - s['gbar'])",
                 "avg = xp.sqrt(s['v'] - s['gbar'] * s['gbar']) + eps"]
    else:
        body.append("avg = xp.sqrt(s['v']) + eps")
    if mu > 0:
        state.append(("m", 0.0))
        body += ["s['m'] = mu * s['m'] + g / avg", "delta = -lr * s['m']"]
    else:
        body.append("delta = -lr * g / avg")
    kwargs = (("lr", h["lr"]), ("alpha", a), ("eps", eps), ("weight_decay", wd), ("momentum", mu), ("centered", centered))
    return Rule((("alpha", a), ("eps", eps), ("wd", wd), ("mu", mu)), tuple(state), tuple(body), "torch.optim.RMSprop",
                kwargs)


def _rmsprop_lecture(h):
    return Rule((("alpha", h["alpha"]), ("eps", h["eps"])), (("sigma", 0.0),),
                ("if t == 0:",
                 "    s['sigma'] = xp.abs(g)  # the lecture starts sigma at |g0|: no jump",
                 "else:",
                 "    s['sigma'] = xp.sqrt(alpha * s['sigma'] ** 2 + (1.0 - alpha) * (g * g))",
                 "delta = -lr * g / (s['sigma'] + eps)"))


def _adam_rule(h, decoupled: bool, amsgrad: bool, torch_class: str) -> Rule:
    b1, b2 = h["betas"]
    eps, wd, bias = h["eps"], h["weight_decay"], h["bias_correction"]
    body = ["g = g + wd * theta"] if wd and not decoupled else []
    body += ["s['m'] = b1 * s['m'] + (1.0 - b1) * g", "s['v'] = b2 * s['v'] + (1.0 - b2) * (g * g)"]
    state = [("m", 0.0), ("v", 0.0)]
    v = "s['v']"
    if amsgrad:
        state.append(("v_max", 0.0))
        body.append("s['v_max'] = xp.maximum(s['v_max'], s['v'])  # max of the RAW v, as torch")
        v = "s['v_max']"
    if bias:
        body += ["bc1, bc2_sqrt = 1.0 - b1 ** (t + 1), math.sqrt(1.0 - b2 ** (t + 1))",
                 f"delta = -(lr / bc1) * s['m'] / (xp.sqrt({v}) / bc2_sqrt + eps)"]
    else:
        body.append(f"delta = -lr * s['m'] / (xp.sqrt({v}) + eps)  # no bias correction")
    if wd and decoupled:
        body.append("delta = delta - (lr * wd) * theta  # AdamW: decoupled weight decay")
    kwargs = (("lr", h["lr"]), ("betas", (b1, b2)), ("eps", eps), ("weight_decay", wd), ("amsgrad", amsgrad))
    return Rule((("b1", b1), ("b2", b2), ("eps", eps), ("wd", wd)), tuple(state), tuple(body),
                torch_class if bias else None, kwargs if bias else ())


def _adam(h):
    return _adam_rule(h, False, bool(h["amsgrad"]), "torch.optim.Adam")


def _adamw(h):
    return _adam_rule(h, True, bool(h["amsgrad"]), "torch.optim.AdamW")


def _amsgrad(h):
    return _adam_rule(h, False, True, "torch.optim.Adam")


def _newton(h):
    return Rule((("damping", h["damping"]), ("rtol", SINGULAR_RTOL)), (),
                ("H = hessian(float(theta[0]), float(theta[1]))" + (" + damping * np.eye(2)" if h["damping"] else ""),
                 "(a, b), (c, d) = H.tolist()",
                 "det, size = a * d - b * c, a * a + b * b + c * c + d * d",
                 "if math.isfinite(det) and abs(det) > rtol * size:  # solve (H + damping I) x = g (Cramer)",
                 "    direction = (d * g[0] - b * g[1]) / det, (a * g[1] - c * g[0]) / det",
                 "    direction = xp.stack([xp.asarray(v) for v in direction])",
                 "else:  # singular: a plain gradient step",
                 "    direction = g",
                 "delta = -lr * direction"))


TEMPLATES = {
    "gd": _gd, "sgd": _sgd, "momentum": _momentum, "nesterov": _nesterov, "adagrad": _adagrad,
    "adagrad_lecture": _adagrad_lecture, "rmsprop": _rmsprop, "rmsprop_lecture": _rmsprop_lecture,
    "adam": _adam, "adamw": _adamw, "amsgrad": _amsgrad, "newton": _newton,
}
