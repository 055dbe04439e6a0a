"""The build's progress bar on standard error: articles parsed, articles per second and an ETA.

Used by the CLI only (the library never prints): :func:`graph.build.build` reports each parsed
article through ``on_article`` and each cached one through ``on_cached``; the total comes from
:func:`graph.build.count_articles`, a cheap count made before parsing. Cached articles are taken
off the total, so the rate and the ETA are about the articles that are really parsed.
"""

from __future__ import annotations

import sys
from types import TracebackType

__all__ = ["BuildProgress"]


class BuildProgress:
    """A rich progress bar; silent when standard error is not a terminal."""

    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn("parsing"),
            BarColumn(bar_width=None),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[cached]}"),
            console=Console(stderr=True),
            transient=True,
            disable=not sys.stderr.isatty(),
        )
        self._total = total
        self._cached = 0
        self._task = self._bar.add_task("parsing", total=total, rate="", cached="")

    def __enter__(self) -> BuildProgress:
        self._bar.__enter__()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._bar.__exit__(kind, exc, tb)

    def parsed(self, _result: object) -> None:
        """One more article parsed (``on_article``)."""
        self._bar.advance(self._task)
        speed = self._bar.tasks[0].speed
        self._bar.update(self._task, rate=f"{speed:.1f} articles/s" if speed else "")

    def cached(self, _article: object) -> None:
        """One article taken from the build cache (``on_cached``): no longer counted as work."""
        self._cached += 1
        total = None if self._total is None else max(0, self._total - self._cached)
        self._bar.update(self._task, total=total, cached=f"({self._cached} cached)")
