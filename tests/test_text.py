"""Every user-facing text table has every language, with the same placeholders."""

import importlib
import pkgutil
import string

import pytest

import pages.lessons as lessons
import pages.lib as lib
from pages.lib.text import LANGS


def _text_modules():
    """pages/lib/text*.py and every lesson's text.py (pages/lessons/<name>/text.py)."""
    for info in pkgutil.iter_modules(lib.__path__):
        if info.name.startswith("text"):
            yield info.name, importlib.import_module(f"pages.lib.{info.name}")
    for info in pkgutil.iter_modules(lessons.__path__):
        if info.ispkg:
            yield f"{info.name}.text", importlib.import_module(f"pages.lessons.{info.name}.text")


def _tables():
    for module_name, module in _text_modules():
        for name, table in vars(module).items():
            if name.isupper() and isinstance(table, dict) and table and all(
                    isinstance(v, tuple) for v in table.values()):
                yield f"{module_name}.{name}", table


TABLES = dict(_tables())


def _fields(text):
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)


def test_tables_found():
    assert "text.COMMON" in TABLES and "text.PLAYGROUND" in TABLES
    assert "critical.text.CRITICAL" in TABLES and "critical.text.KIND_NAMES" in TABLES
    assert "batch.text.BATCH" in TABLES and "momentum.text.MOMENTUM" in TABLES
    assert "adaptive.text.ADAPTIVE" in TABLES and "warmup.text.WARMUP" in TABLES


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_entry_has_every_language_and_same_placeholders(name):
    for key, entry in TABLES[name].items():
        assert len(entry) == len(LANGS), f"{name}[{key}] has {len(entry)} languages"
        assert all(isinstance(t, str) and t.strip() for t in entry), f"{name}[{key}] has an empty text"
        assert len({tuple(_fields(t)) for t in entry}) == 1, f"{name}[{key}] placeholders differ"


def test_chinese_is_really_chinese():
    """A translation table that copies English into the zh column would pass the checks above."""
    zh = LANGS.index("zh")
    for name, table in TABLES.items():
        texts = [entry[zh] for entry in table.values()]
        with_cjk = sum(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in texts)
        assert with_cjk >= 0.6 * len(texts), f"{name}: only {with_cjk}/{len(texts)} zh texts contain Chinese"
