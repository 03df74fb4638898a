"""The layering: the core never imports discord.py, the CLI library or the adapters; lower
layers (settings, store, retrieval, red flags) never import higher ones; no import cycles."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE_MODULES = [
    "bot.triage",
    "bot.conversation",
    "bot.curation",
    "bot.app",
    "bot.redflags",
    "bot.retrieval",
    "bot.evaluation.retrieval",
    "bot.corpus.formats",
    "bot.store.stats",
]


def test_core_modules_import_neither_discord_nor_click() -> None:
    probe = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in ('discord', 'click') if m in sys.modules))\n"
    )
    output = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout

    assert output.strip() == "[]"


# --- The import graph of the package, read from the source (module-level imports only:
# an import inside a function or under TYPE_CHECKING does not load at import time).

PACKAGE = Path(__file__).resolve().parents[1] / "bot"

# What each layer may not import. A layer lower down knows nothing of the ones above it.
FORBIDDEN = {
    "bot.settings": ("bot.",),  # beyond bot.errors and bot.paths, allowed below
    "bot.scopes": ("bot.",),
    "bot.errors": ("bot.",),
    "bot.store": (
        "bot.retrieval",
        "bot.redflags",
        "bot.triage",
        "bot.conversation",
        "bot.curation",
        "bot.app",
        "bot.discord_app",
        "bot.cli",
        "bot.settings",
    ),
    "bot.retrieval": (
        "bot.store",
        "bot.redflags",
        "bot.triage",
        "bot.conversation",
        "bot.curation",
        "bot.app",
        "bot.discord_app",
        "bot.cli",
        "bot.settings",
    ),
    "bot.redflags": (
        "bot.store",
        "bot.retrieval",
        "bot.triage",
        "bot.conversation",
        "bot.curation",
        "bot.app",
        "bot.discord_app",
        "bot.cli",
        "bot.settings",
    ),
    "bot.corpus": (
        "bot.retrieval",
        "bot.redflags",
        "bot.triage",
        "bot.conversation",
        "bot.curation",
        "bot.app",
        "bot.discord_app",
        "bot.cli",
    ),
}
ALWAYS_ALLOWED = ("bot.errors", "bot.paths")
ADAPTERS = ("bot.discord_app", "bot.cli", "bot.__main__")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """Every bot module and the bot modules it imports at module level."""
    modules = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        imported: set[str] = set()
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for alias in node.names:
                    whole = f"{node.module}.{alias.name}"
                    imported.add(whole if whole in modules else node.module)
        graph[name] = {other for other in imported if other in modules and other != name}
    return graph


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_graph_is_read_from_the_real_package() -> None:
    graph = import_graph()

    assert "bot.store.indexes" in graph and "bot.retrieval.manifest" in graph
    assert "bot.store.schema" in graph["bot.store.indexes"]


def test_no_layer_imports_a_layer_above_it() -> None:
    graph = import_graph()
    leaks = sorted(
        f"{module} imports {other}"
        for module, imported in graph.items()
        for layer, forbidden in FORBIDDEN.items()
        if within(module, layer)
        for other in imported
        if not any(within(other, allowed) for allowed in ALWAYS_ALLOWED)
        and not within(other, layer)
        and any(other.startswith(prefix) or other == prefix for prefix in forbidden)
    )

    assert leaks == []


def test_the_core_never_imports_an_adapter() -> None:
    graph = import_graph()
    leaks = sorted(
        f"{module} imports {other}"
        for module, imported in graph.items()
        if not any(within(module, adapter) for adapter in ADAPTERS)
        for other in imported
        if any(within(other, adapter) for adapter in ADAPTERS)
    )

    assert leaks == []


def test_there_are_no_import_cycles() -> None:
    graph = import_graph()
    cycles = []
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            cycles.append([*path[path.index(module) :], module])
            return
        if module in done:
            return
        for other in sorted(graph[module]):
            visit(other, [*path, module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])

    assert cycles == []
