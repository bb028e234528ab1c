"""The package keeps its shape: folders that read as the pipeline, no import cycle, no module too long to read,
and a core that never loads the chat's toolkit or jieba just by being imported."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "qa"
FRONT_ENDS = ("qa.tui", "qa.bench", "qa.__main__")
"""What the core leaves out: the chat, the benchmark, and ``python -m qa`` (which starts the chat)."""
OPTIONAL = ("qa.index.kernels",)
"""Modules only imported when an optional extra is installed (numba, the ``fast`` extra)."""
STAGES = ("records", "text", "index", "answer", "commands", "tui", "bench")
MAX_LINES = 400
MAX_TOP_MODULES = 6


def module_names() -> dict[str, Path]:
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def imported_modules(path: Path, modules: dict[str, Path]) -> set[str]:
    """Our modules that ``path`` imports anywhere in it (module level or inside a function)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "qa":
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                found.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "qa")
    return found & set(modules)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), or a module importing itself."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in graph:
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_our_modules():
    modules = module_names()
    graph = {name: imported_modules(path, modules) - {name.rpartition(".")[0]} for name, path in modules.items()}
    assert cycles(graph) == []


def test_the_cycle_check_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_folders_read_as_the_pipeline_and_modules_stay_short():
    top = sorted(path.name for path in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top
    for stage in STAGES:
        assert (PACKAGE / stage / "__init__.py").is_file(), f"qa/{stage}/ is a package"
    long = {
        str(path.relative_to(REPO)): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_core_imports_without_textual_or_jieba():
    core = [name for name in module_names() if not name.startswith(FRONT_ENDS) and name not in OPTIONAL]
    program = "import sys\n" + "".join(f"import {name}\n" for name in core)
    program += "print(sorted(m for m in ('textual', 'jieba') if m in sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=REPO, check=True)
    assert loaded.stdout.strip() == "[]"
    assert "qa.answer.pipeline" in core and "qa.cli" in core and "qa.commands.chat" in core
