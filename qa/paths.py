"""Where the project's files live, resolved in one place.

In a checkout (or an editable install) the defaults are the repository's own
``seeds/`` and ``prompts/``; an installed wheel carries copies of both under
``qa/bundled/``. User caches and history go to the platform's user folders.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CHECKOUT_DIR = PACKAGE_DIR.parent
BUNDLED_DIR = PACKAGE_DIR / "bundled"
APP_NAME = "qa"


def _default_dir(name: str) -> Path:
    checkout = CHECKOUT_DIR / name
    if checkout.is_dir() and (CHECKOUT_DIR / "pyproject.toml").is_file():
        return checkout
    return BUNDLED_DIR / name


def default_seeds_dir() -> Path:
    return _default_dir("seeds")


def default_prompts_dir() -> Path:
    return _default_dir("prompts")


def default_eval_file() -> Path:
    """The development question set: the copy shipped with the tests (or with the wheel)."""
    checkout = CHECKOUT_DIR / "tests" / "data" / "dev.jsonl"
    return checkout if checkout.is_file() else BUNDLED_DIR / "eval" / "dev.jsonl"


def data_file(name: str) -> Path:
    """A word list shipped inside the package (glossary, stopwords, synonyms): ``qa/text/data/``."""
    return PACKAGE_DIR / "text" / "data" / name


def user_cache_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """``--cache-dir``, else ``$QA_CACHE_DIR``, else the platform's user cache folder."""
    if override:
        return Path(override)
    if os.environ.get("QA_CACHE_DIR"):
        return Path(os.environ["QA_CACHE_DIR"])
    from platformdirs import user_cache_dir as platform_cache_dir

    return Path(platform_cache_dir(APP_NAME, appauthor=False))


def user_data_dir() -> Path:
    """``$QA_DATA_DIR``, else the platform's user data folder (chat history)."""
    if os.environ.get("QA_DATA_DIR"):
        return Path(os.environ["QA_DATA_DIR"])
    from platformdirs import user_data_dir as platform_data_dir

    return Path(platform_data_dir(APP_NAME, appauthor=False))


def display_path(path: Path) -> str:
    """A path as a citation shows it: relative to the checkout or the working folder when inside."""
    return display_paths([path])[0]


def display_paths(paths) -> list[str]:
    """``display_path`` of each path, the working folder resolved once (4,000 records: 0.5 s → 0.01 s)."""
    bases = [str(base) for base in (CHECKOUT_DIR, Path.cwd().resolve(), Path(os.path.abspath(Path.cwd())))]
    return [_displayed(os.path.abspath(path), bases) for path in paths]  # not resolve(): links as named


def _displayed(absolute: str, bases: list[str]) -> str:
    """``Path(absolute).relative_to(base).as_posix()`` for the first base it lies in, else ``absolute``: the same,
    as plain string work on normalised absolute paths."""
    for base in bases:
        if absolute == base:
            return "."
        inside = base if base.endswith(os.sep) else base + os.sep
        if absolute.startswith(inside):
            return _posix(absolute[len(inside) :])
    return _posix(absolute)


def _posix(path: str) -> str:
    return path if os.sep == "/" else Path(path).as_posix()


def cited_path(source: str) -> str:
    """The record file a citation names, as the user can open it from where they are: relative to the working
    folder when the file lies under it, else absolute. ``source`` is what ``display_path`` made of it at load time
    (relative to the checkout when inside it), so a run from another folder must not print ``seeds/…`` as is."""
    path = Path(source)
    if not path.is_absolute():
        path = (CHECKOUT_DIR if (CHECKOUT_DIR / path).exists() else Path.cwd()) / path
    absolute = Path(os.path.abspath(path))  # not resolve(): a link is named as the user named it
    for base in (Path(os.path.abspath(Path.cwd())), Path.cwd().resolve()):
        try:
            return absolute.relative_to(base).as_posix()
        except ValueError:
            continue
    return absolute.as_posix()
