"""Safe formula parser: user text -> SymPy expression, without ``eval``.

SymPy's ``sympify`` and ``parse_expr`` run ``eval`` on their input, so user text never
reaches them. Instead we let Python's own parser build an AST (``ast.parse`` only parses,
it executes nothing), walk every node against a whitelist, and build the SymPy tree
ourselves from whitelisted pieces. Everything not named below is rejected with a
:class:`ParseError` that says what is wrong and at which column.

Accepted grammar::

    expr   := number | var | const | expr op expr | -expr | +expr | (expr) | call
    op     := + - * / ** ^            (^ means power, as in the lecture)
    var    := x | y | w1 | w2         (w1, w2 are aliases of x, y; do not mix the two)
    const  := pi | e
    call   := name(expr[, expr])      name in FUNCTIONS, positional arguments only

Resource bounds (so that no input can make SymPy hang or eat memory): the text is at most
``MAX_LENGTH`` characters, the tree at most ``MAX_NODES`` nodes and ``MAX_DEPTH`` deep, a
constant exponent is at most ``MAX_EXPONENT`` in size, and a power of two numbers may not
exceed ``10**MAX_NUMBER_DIGITS`` (SymPy evaluates integer powers eagerly: ``9**9**9``
would never finish). A constant argument of a function is at most ``MAX_FUNCTION_ARG`` in
size (SymPy evaluates ``exp(1e300)`` eagerly with mpmath: slow, then a RecursionError).
Finally the size of the exact gradient and Hessian is estimated from the tree before
anything is differentiated (:func:`derivative_cost`), and a formula whose derivatives would
be too large to differentiate and compile quickly (nested functions, long products, power
towers) is rejected: every input is answered within about 100 ms.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass

import sympy as sp

MAX_LENGTH = 300
MAX_NODES = 250
MAX_DEPTH = 40
MAX_EXPONENT = 64
MAX_NUMBER_DIGITS = 300
MAX_FUNCTION_ARG = 1e6
MAX_DERIVATIVE_COST = 4000

# The only symbols we ever create. Names come from this table, never from user text, so
# nothing the user types can reach lambdify's generated source (sympy #24990).
X, Y = sp.symbols("x y", real=True)


class ParseError(ValueError):
    """A formula was rejected. ``str(err)`` is a sentence fit to show to the user.

    ``column`` is 1-based (None when the problem is not at one place).
    """

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.column = column


def _sigmoid(z):
    return 1 / (1 + sp.exp(-z))


def _softplus(z):
    return sp.log(1 + sp.exp(z))


# name -> (number of positional arguments, builder)
FUNCTIONS: dict[str, tuple[int, object]] = {
    "sin": (1, sp.sin),
    "cos": (1, sp.cos),
    "tan": (1, sp.tan),
    "exp": (1, sp.exp),
    "log": (1, sp.log),
    "sqrt": (1, sp.sqrt),
    "tanh": (1, sp.tanh),
    "sinh": (1, sp.sinh),
    "cosh": (1, sp.cosh),
    "abs": (1, sp.Abs),
    "atan": (1, sp.atan),
    "atan2": (2, sp.atan2),
    "sigmoid": (1, _sigmoid),
    "softplus": (1, _softplus),
    "min": (2, sp.Min),
    "max": (2, sp.Max),
}
CONSTANTS = {"pi": sp.pi, "e": sp.E}
VARIABLE_SETS = {"xy": {"x": X, "y": Y}, "w": {"w1": X, "w2": Y}}
_BINOPS = {ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow}

_FRIENDLY = {
    ast.Attribute: "attribute access ('.')",
    ast.Subscript: "indexing ('[...]')",
    ast.Lambda: "lambda",
    ast.Compare: "comparisons",
    ast.BoolOp: "'and'/'or'",
    ast.IfExp: "'if ... else'",
    ast.List: "lists",
    ast.Tuple: "tuples (a stray comma?)",
    ast.Dict: "dictionaries",
    ast.Set: "sets",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "strings",
    ast.Starred: "'*' unpacking",
    ast.NamedExpr: "':='",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
}


@dataclass(frozen=True)
class ParsedFormula:
    """The result of :func:`parse_formula`: a SymPy expression in ``x, y`` and how to show it."""

    expr: sp.Expr
    text: str  # the user's text, stripped
    variable_names: tuple[str, str]  # ("x", "y") or ("w1", "w2"): the user's own names


def parse_formula(text: object) -> ParsedFormula:
    """Turn formula text into a SymPy expression in ``x, y``; raise :class:`ParseError`.

    Never calls eval, exec, sympify or parse_expr. See the module docstring for the grammar.
    """
    if not isinstance(text, str):
        raise ParseError("The formula must be text.")
    stripped = text.strip()
    if not stripped:
        raise ParseError("The formula is empty: type a function of x and y, e.g. x**2 + 3*y**2.")
    if len(stripped) > MAX_LENGTH:
        raise ParseError(f"The formula is too long ({len(stripped)} characters; at most {MAX_LENGTH}).")
    bad = next((i for i, ch in enumerate(stripped) if not (ch.isascii() and (ch.isprintable()))), None)
    if bad is not None:
        raise ParseError(
            f"Unexpected character {stripped[bad]!r} at column {bad + 1}: use plain ASCII "
            "(letters, digits, + - * / ^ and parentheses).",
            bad + 1,
        )
    # '^' means power. It is replaced in the text (not as an AST operator) because Python
    # gives '^' a lower precedence than '+': 'x^2+1' must be x**2 + 1, not x ^ 3.
    source = stripped.replace("^", "**")
    builder = _Builder(stripped)
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as err:
        # err.offset is 1-based in `source`, where each '^' became '**': map it back.
        column = builder._user_column(err.offset - 1) if err.offset else None
        where = f" at column {column}" if column else ""
        raise ParseError(f"The formula is not well formed{where}: check brackets and operators.", column) from None
    except (MemoryError, RecursionError, ValueError):
        raise ParseError("The formula is nested too deeply.") from None

    try:
        expr = builder.build(tree.body, depth=0)
        if not isinstance(expr, sp.Expr) or expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise ParseError("The formula has no finite value (e.g. a division by zero).")
        if expr.has(sp.I) or _has_complex_constant(expr):
            raise ParseError("The formula has a complex constant (e.g. sqrt(-1) or log(-1)): keep it real.")
        cost = derivative_cost(expr, builder.cost_memo)
    except ParseError:
        raise
    except (RecursionError, MemoryError, ArithmeticError, TypeError, ValueError, AttributeError):
        # SymPy or mpmath gave up on some corner of the formula: still a clear answer.
        raise ParseError("The formula cannot be evaluated (a constant part is too large or too deep).") from None
    if cost > MAX_DERIVATIVE_COST:
        raise _too_complex()
    names = ("w1", "w2") if builder.variable_set == "w" else ("x", "y")
    return ParsedFormula(expr=expr, text=stripped, variable_names=names)


class _Builder:
    """Walks a Python AST against the whitelist and builds the SymPy tree bottom-up."""

    def __init__(self, text: str):
        self.text = text
        self.nodes = 0
        self.variable_set: str | None = None
        self.cost_memo: dict = {}

    def fail(self, message: str, node: ast.AST | None = None, hint: str = "") -> ParseError:
        """'<what is wrong> at column <n>: <hint>.' (the column right after what is wrong)."""
        tail = f": {hint}." if hint else "."
        col = getattr(node, "col_offset", None)
        if col is None:
            return ParseError(message + tail)
        # The AST saw '**' where the user typed '^': map the column back to the user's text.
        col = self._user_column(col)
        return ParseError(f"{message} at column {col}{tail}", col)

    def _user_column(self, source_offset: int) -> int:
        user = 0
        src = 0
        while src < source_offset and user < len(self.text):
            src += 2 if self.text[user] == "^" else 1
            user += 1
        return user + 1

    def build(self, node: ast.AST, depth: int) -> sp.Expr:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise ParseError(f"The formula is too large (more than {MAX_NODES} parts).")
        if depth > MAX_DEPTH:
            raise ParseError(f"The formula is nested too deeply (more than {MAX_DEPTH} levels).")

        if isinstance(node, ast.Constant):
            return self._number(node)
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, (ast.USub, ast.UAdd)):
                operand = self.build(node.operand, depth + 1)
                return -operand if isinstance(node.op, ast.USub) else operand
            raise self.fail("Only + and - may stand before a term", node)
        if isinstance(node, ast.BinOp):
            if type(node.op) not in _BINOPS:
                symbol = {ast.Mod: "%", ast.FloorDiv: "//", ast.BitAnd: "&", ast.BitOr: "|",
                          ast.LShift: "<<", ast.RShift: ">>", ast.MatMult: "@"}.get(type(node.op), "this operator")
                raise self.fail(f"The operator {symbol} is not supported", node, "use + - * / ^")
            left = self.build(node.left, depth + 1)
            right = self.build(node.right, depth + 1)
            return self._binop(node, left, right)
        if isinstance(node, ast.Call):
            return self._call(node, depth)
        what = _FRIENDLY.get(type(node), f"'{type(node).__name__}'")
        raise self.fail(f"{what[0].upper() + what[1:]} cannot be used in a formula", node)

    def _number(self, node: ast.Constant) -> sp.Expr:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = "text" if isinstance(value, (str, bytes)) else repr(value)
            raise self.fail(f"Only numbers are allowed, not {kind}", node)
        if isinstance(value, int):
            if value.bit_length() > MAX_NUMBER_DIGITS * 3.33:
                raise self.fail("This number is too large", node)
            return sp.Integer(value)
        if not math.isfinite(value):
            raise self.fail("This number is too large", node)
        return sp.Float(repr(value))

    def _name(self, node: ast.Name) -> sp.Expr:
        name = node.id
        if name in CONSTANTS:
            return CONSTANTS[name]
        for set_id, table in VARIABLE_SETS.items():
            if name in table:
                if self.variable_set not in (None, set_id):
                    other = "w1/w2" if set_id == "xy" else "x/y"
                    raise self.fail(f"Mixed variable names ('{name}' after {other})", node,
                                    "use either x and y or w1 and w2")
                self.variable_set = set_id
                return table[name]
        if name in FUNCTIONS:
            raise self.fail(f"'{name}' is a function", node, f"write {name}(...)")
        raise self.fail(f"Unknown name '{name}'", node, "use x and y (or w1 and w2)")

    def _binop(self, node: ast.BinOp, left: sp.Expr, right: sp.Expr) -> sp.Expr:
        op = type(node.op)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return left * right
        if op is ast.Div:
            if right == 0:
                raise self.fail("Division by zero", node)
            return left / right
        return self._power(node, left, right)

    def _power(self, node: ast.BinOp, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        if exponent.is_number:
            try:
                size = abs(float(exponent))
            except (TypeError, ValueError, OverflowError):
                raise self.fail("This exponent cannot be used", node) from None
            if base.is_number:
                # Both sides are numbers: SymPy would compute the power eagerly and exactly.
                # Bound the size of the result first (9**9**9 has 370 million digits).
                try:
                    magnitude = abs(float(base))
                except (TypeError, ValueError, OverflowError):
                    raise self.fail("This power cannot be used", node) from None
                if magnitude == 0 and float(exponent) < 0:
                    raise self.fail("Division by zero (zero to a negative power)", node)
                digits = size * math.log10(magnitude) if magnitude > 0 else 0.0
                if abs(digits) > MAX_NUMBER_DIGITS or size > 10 * MAX_NUMBER_DIGITS:
                    raise self.fail("This power is too large", node)
            elif size > MAX_EXPONENT:
                raise self.fail(f"The exponent is too large (at most {MAX_EXPONENT})", node)
        result = base**exponent
        if exponent.free_symbols:
            self._check_cost(result)
        # SymPy folds (x**a)**b into x**(a*b): keep the folded exponent bounded too.
        if isinstance(result, sp.Pow) and result.exp.is_number and not result.base.is_number:
            if abs(float(result.exp)) > MAX_EXPONENT * MAX_EXPONENT:
                raise self.fail("The exponent is too large", node)
        return result

    def _call(self, node: ast.Call, depth: int) -> sp.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail("Only plain function names can be called (no attributes)", node)
        name = node.func.id
        if name not in FUNCTIONS:
            known = ", ".join(sorted(FUNCTIONS))
            raise self.fail(f"Unknown function '{name}'", node.func, f"known functions are {known}")
        if node.keywords:
            raise self.fail(f"{name}() takes no keyword arguments", node)
        arity, builder = FUNCTIONS[name]
        if len(node.args) != arity:
            plural = "argument" if arity == 1 else "arguments"
            raise self.fail(f"{name}() takes {arity} {plural}, got {len(node.args)}", node)
        args = [self.build(arg, depth + 1) for arg in node.args]
        for arg, arg_node in zip(args, node.args):
            # SymPy evaluates functions of float constants eagerly (exp(1e300) takes mpmath
            # 0.1 s, exp(exp(1e300)) a RecursionError): bound constant arguments first.
            if arg.is_number:
                try:
                    size = abs(complex(arg))
                except (TypeError, ValueError, OverflowError, RecursionError):
                    size = math.inf
                if not size <= MAX_FUNCTION_ARG:
                    raise self.fail(f"The argument of {name}() is too large", arg_node,
                                    f"at most {MAX_FUNCTION_ARG:g} in size")
        try:
            result = builder(*args)
        except (TypeError, ValueError, ZeroDivisionError, OverflowError, ArithmeticError, RecursionError):
            raise self.fail(f"{name}() cannot be evaluated here", node) from None
        self._check_cost(result)
        return result

    def _check_cost(self, expr: sp.Expr) -> None:
        """Stop as soon as a part is already too costly (nested sigmoids take SymPy 0.4 s just
        to build): the memo makes the repeated checks linear overall."""
        if derivative_cost(expr, self.cost_memo) > MAX_DERIVATIVE_COST:
            raise _too_complex()


def _has_complex_constant(expr: sp.Expr) -> bool:
    """A constant power like (-8)**(1/3) is complex in SymPy (and NaN in NumPy) although it
    contains no ``I``: find such pieces (only numeric powers with a negative base)."""
    for sub in sp.preorder_traversal(expr):
        if isinstance(sub, sp.Pow) and sub.base.is_number and sub.exp.is_number:
            if sub.base.is_negative and not sub.exp.is_integer:
                return True
    return False


def _too_complex() -> ParseError:
    return ParseError(
        "The formula is too complex to differentiate quickly (too many nested functions, "
        "a long product or a power tower): simplify it."
    )


def derivative_cost(expr: sp.Expr, memo: dict | None = None) -> int:
    """Estimate the tree size of f, its gradient and its Hessian, without differentiating.

    Per node we bound (size, size of d/dv, size of d2/dv2) with the rules of calculus: a
    product of n factors has n terms in its derivative and about n**2 in its second, each
    carrying the other factors; a function of g brings f'(g) g' and f''(g) g'**2 + f'(g) g''.
    Subtrees free of x and y differentiate to zero. This grows like the real thing (nested
    functions cubically, products cubically, power towers quickly), so bounding it bounds the
    time SymPy takes to differentiate and lambdify to compile.
    """
    if memo is None:
        memo = {}

    def cost(e) -> tuple[int, int, int]:
        hit = memo.get(e)
        if hit is not None:
            return hit
        if not e.free_symbols:
            result = (_tree_size(e), 0, 0)
        elif e.is_Symbol:
            result = (1, 1, 0)
        elif e.is_Add:
            parts = [cost(a) for a in e.args]
            result = (1 + sum(p[0] for p in parts), sum(p[1] for p in parts), sum(p[2] for p in parts))
        elif e.is_Mul:
            result = _product_cost([cost(a) for a in e.args])
        elif e.is_Pow and not e.exp.free_symbols:
            a, b, c = cost(e.base)
            result = (a + 2, a + b + 4, 2 * a + 2 * b + c + 8)
        elif e.is_Pow:
            # base**exponent = exp(exponent * log(base))
            base, expo = cost(e.base), cost(e.exp)
            log_base = _function_cost([base])
            result = _function_cost([_product_cost([expo, log_base])])
        else:  # a function (sin, Abs, Max, atan2, ...)
            result = _function_cost([cost(a) for a in e.args])
        memo[e] = result
        return result

    s0, s1, s2 = cost(expr)
    return s0 + 2 * s1 + 3 * s2


def _tree_size(e) -> int:
    return 1 + sum(_tree_size(a) for a in e.args)


def _product_cost(parts: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    total = sum(p[0] for p in parts)
    s1 = sum(b + total - a + 1 for a, b, _ in parts if b)
    s2 = sum(c + total - a + 1 for a, _, c in parts if c)
    varying = [(a, b) for a, b, _ in parts if b]
    for i, (ai, bi) in enumerate(varying):
        for j, (aj, bj) in enumerate(varying):
            if i != j:
                s2 += bi + bj + total - ai - aj + 1
    return (1 + total, s1, s2)


def _function_cost(args: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    a = sum(p[0] for p in args)
    b = sum(p[1] for p in args)
    c = sum(p[2] for p in args)
    # f'(g) * g'  and  f''(g) * g'**2 + f'(g) * g''  (f', f'' about 2 and 3 times the size of g)
    return (a + 1, 2 * a + b + 3, 3 * a + 2 * b + 2 * a + c + 8)
