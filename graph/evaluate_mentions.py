"""Score extracted relations against passages annotated at the mention level (real text).

The format is the one of ``../shared/real-dev/real-dev.jsonl``: one passage a line, with ``id``,
``text``, an optional ``source_dataset`` and ``genre``, and ``relations`` whose ends are the
annotators' spans (``source``, ``target``) with an optional ISO alpha-3 code each
(``source_country``, ``target_country``), a ``strength`` (``strict`` or ``broad``) and a
``symmetric`` flag.

Such annotation is not exhaustive, so recall is the figure and precision only a lower bound. A
predicted relation matches a gold one when the relation is the same and each end matches: both
carry the same country code, or the gold span and the predicted actor (label, aliases or the words
of its mention) share a significant word. ``negotiated_with`` and symmetric gold relations match in
either direction. Only attacked / backed / negotiated_with are scored.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError

__all__ = [
    "GoldMention",
    "MentionScore",
    "Passage",
    "format_mention_score",
    "load_passages",
    "score_mentions",
]

SCORED = ("attacked", "backed", "negotiated_with")
# Words that say what kind of actor something is, not which one: sharing only these is no match.
_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "and",
        "in",
        "on",
        "for",
        "to",
        "by",
        "with",
        "from",
        "at",
        "s",
        "its",
        "their",
        "his",
        "her",
        "forces",
        "force",
        "military",
        "troops",
        "army",
        "government",
        "officials",
        "official",
        "authorities",
        "side",
        "senior",
        "president",
        "minister",
        "ministry",
        "prime",
        "secretary",
        "spokesman",
        "leader",
        "leaders",
        "state",
        "country",
        "countries",
        "national",
        "people",
        "group",
        "groups",
        "members",
        "units",
        "fighters",
    ]
)
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class GoldMention:
    """One annotated relation between two spans of a passage."""

    source: str
    relation: str
    target: str
    source_country: str | None = None
    target_country: str | None = None
    strict: bool = True
    symmetric: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Passage:
    """One annotated passage of real text."""

    id: str
    text: str
    source: str  # the data set or genre it comes from, for per-source figures
    relations: tuple[GoldMention, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Tally:
    """Found out of total."""

    found: int = 0
    total: int = 0

    def add(self, hit: bool) -> Tally:
        return Tally(found=self.found + hit, total=self.total + 1)

    @property
    def ratio(self) -> float:
        return self.found / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class MentionScore:
    """Recall (strict and all), the precision lower bound, and what was missed or unmatched."""

    strict: Tally
    every: Tally
    precision: Tally  # predictions that match some gold relation, out of all predictions
    per_relation: Mapping[str, Tally]  # strict recall per relation
    per_source: Mapping[str, tuple[Tally, Tally]]  # (strict recall, precision) per source
    misses: tuple[tuple[str, GoldMention, str], ...]  # (passage id, strict gold relation, text)
    unmatched: tuple[tuple[str, str], ...]  # (passage id, "source -relation-> target | sentence")


def _words(text: str | None) -> set[str]:
    return {w for w in _WORD.findall((text or "").lower()) if len(w) > 1 and w not in _FUNCTION_WORDS}


def _end_matches(actor: object, span: str, country: str | None) -> bool:
    if not isinstance(actor, Mapping):
        return False
    predicted_country = actor.get("country")
    if country and predicted_country and str(predicted_country).upper() == country.upper():
        return True
    names = [actor.get("label"), actor.get("mention"), *(actor.get("aliases") or ())]
    return bool(set().union(*(_words(str(n)) for n in names if n)) & _words(span))


def _shown(actor: object) -> str:
    return str(actor.get("mention") or actor.get("label")) if isinstance(actor, Mapping) else "?"


def _hit(gold: GoldMention, record: Mapping[str, object]) -> bool:
    if record.get("relation") != gold.relation:
        return False
    src, tgt = record.get("source"), record.get("target")
    if _end_matches(src, gold.source, gold.source_country) and _end_matches(
        tgt, gold.target, gold.target_country
    ):
        return True
    if gold.symmetric or gold.relation == "negotiated_with":
        return _end_matches(src, gold.target, gold.target_country) and _end_matches(
            tgt, gold.source, gold.source_country
        )
    return False


def load_passages(path: Path) -> list[Passage]:
    """Read a mention-level gold file.

    Raises:
        InputError: the file is missing or a line is not a passage.
    """
    passages = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the gold passages ({exc})") from None
    for lineno, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            relations = tuple(
                GoldMention(
                    source=str(r["source"]),
                    relation=str(r["relation"]),
                    target=str(r["target"]),
                    source_country=r.get("source_country"),
                    target_country=r.get("target_country"),
                    strict=r.get("strength", "strict") == "strict",
                    symmetric=bool(r.get("symmetric")),
                )
                for r in row.get("relations", ())
            )
            passages.append(
                Passage(
                    id=str(row["id"]),
                    text=str(row["text"]),
                    source=str(row.get("source_dataset") or row.get("genre") or "-"),
                    relations=relations,
                )
            )
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}:{lineno}: not a gold passage ({type(exc).__name__}: {exc})") from None
    return passages


def score_mentions(passages: Sequence[Passage], records: Iterable[Mapping[str, object]]) -> MentionScore:
    """Score contract records (``article`` = passage id) against the passages' gold relations."""
    predicted: dict[str, list[Mapping[str, object]]] = defaultdict(list)
    for record in records:
        if record.get("relation") in SCORED:
            predicted[str(record.get("article"))].append(record)
    strict, every, precision = Tally(), Tally(), Tally()
    per_relation = {kind: Tally() for kind in SCORED}
    per_source: dict[str, tuple[Tally, Tally]] = {}
    misses, unmatched = [], []
    for passage in passages:
        preds = predicted.get(passage.id, [])
        src_recall, src_precision = per_source.get(passage.source, (Tally(), Tally()))
        for gold in passage.relations:
            if gold.relation not in SCORED:
                continue
            found = any(_hit(gold, p) for p in preds)
            every = every.add(found)
            if gold.strict:
                strict = strict.add(found)
                src_recall = src_recall.add(found)
                per_relation[gold.relation] = per_relation[gold.relation].add(found)
                if not found:
                    misses.append((passage.id, gold, passage.text))
        for p in preds:
            ok = any(_hit(g, p) for g in passage.relations)
            precision = precision.add(ok)
            src_precision = src_precision.add(ok)
            if not ok:
                src, tgt = _shown(p.get("source")), _shown(p.get("target"))
                unmatched.append((passage.id, f"{src} -{p.get('relation')}-> {tgt} | {p.get('sentence')}"))
        per_source[passage.source] = (src_recall, src_precision)
    return MentionScore(
        strict=strict,
        every=every,
        precision=precision,
        per_relation=per_relation,
        per_source=dict(sorted(per_source.items())),
        misses=tuple(misses),
        unmatched=tuple(unmatched),
    )


def _tally(t: Tally) -> str:
    return f"{t.ratio:.2f} ({t.found}/{t.total})"


def format_mention_score(result: MentionScore, *, verbose: bool = False) -> str:
    """A plain-text report: recall and the precision bound, per relation and per source."""
    lines = [
        f"strict recall {_tally(result.strict)}   all recall {_tally(result.every)}   "
        f"precision >= {_tally(result.precision)}",
        "",
        "per relation (strict recall):",
        *(f"  {kind:<16} {_tally(t)}" for kind, t in result.per_relation.items()),
        "",
        "per source (strict recall, precision lower bound):",
        *(f"  {name:<20} {_tally(r)}   {_tally(p)}" for name, (r, p) in result.per_source.items()),
    ]
    if verbose:
        lines += ["", "misses (strict):"]
        lines += [
            f"  {pid}: {g.source} -{g.relation}-> {g.target} | {text[:140]}" for pid, g, text in result.misses
        ]
        lines += ["", "predictions matching no gold relation (read them: the gold is not exhaustive):"]
        lines += [f"  {pid}: {line[:200]}" for pid, line in result.unmatched]
    return "\n".join(lines)
