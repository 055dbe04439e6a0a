"""Score extracted relations against a gold file, at the level of actor dyads per article.

The gold format is the one of ``seeds.gold.json``: ``actor_rules`` map gold keys to actors (by
country code, or by a regular expression on a non-state actor's label and aliases; rules marked
``states_too`` apply to any actor and are tried first), and each article lists ``required`` and
``acceptable`` triples ``[source key, relation, target key, evidence]``. A predicted dyad counts
once per article; ``negotiated_with`` is unordered; acceptable dyads are neither misses nor false
positives; only attacked / backed / negotiated_with are scored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError

__all__ = ["GoldActorRules", "Score", "load_gold", "score"]

SCORED = ("attacked", "backed", "negotiated_with")


@dataclass(frozen=True, slots=True)
class _Rule:
    key: str
    country: str | None
    pattern: re.Pattern[str] | None
    states_too: bool


@dataclass(frozen=True, slots=True)
class GoldActorRules:
    """The ordered matching rules of a gold file."""

    rules: tuple[_Rule, ...]

    def key_for(self, actor: Mapping[str, object]) -> str | None:
        """The gold key an extracted actor (contract dict) maps to, or None."""
        names = [str(actor.get("label") or ""), *[str(a) for a in (actor.get("aliases") or [])]]
        country = actor.get("country")
        for rule in self.rules:
            if rule.states_too and rule.pattern is not None and any(rule.pattern.search(n) for n in names):
                return rule.key
        for rule in self.rules:
            if rule.country is not None and country == rule.country:
                return rule.key
        for rule in self.rules:
            if (
                not rule.states_too
                and rule.pattern is not None
                and country is None
                and any(rule.pattern.search(n) for n in names)
            ):
                return rule.key
        return None


@dataclass(frozen=True, slots=True)
class Gold:
    """Rules plus the required and acceptable dyads per article."""

    rules: GoldActorRules
    required: Mapping[str, frozenset[tuple[str, str, str]]]
    acceptable: Mapping[str, frozenset[tuple[str, str, str]]]


@dataclass(slots=True)
class Score:
    """Counts and the dyads behind them, overall and per relation type."""

    tp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED, 0))
    fp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED, 0))
    fn: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SCORED, 0))
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)
    false_positives: list[tuple[str, str, str, str, str]] = field(default_factory=list)

    def prf(self, relation: str | None = None) -> tuple[float, float, float]:
        """Precision, recall and F1 for one relation type, or micro-averaged over all."""
        kinds = (relation,) if relation else SCORED
        tp = sum(self.tp[k] for k in kinds)
        fp = sum(self.fp[k] for k in kinds)
        fn = sum(self.fn[k] for k in kinds)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def _norm(triple: Sequence[str]) -> tuple[str, str, str]:
    s, rel, t = triple[0], triple[1], triple[2]
    if rel == "negotiated_with" and t < s:
        s, t = t, s
    return s, rel, t


def load_gold(path: Path) -> Gold:
    """Read a gold file.

    Raises:
        InputError: the file is missing or not in the gold format.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        rules: list[_Rule] = []
        for key, spec in data["actor_rules"].items():
            if key.startswith("_"):
                continue
            for item in spec if isinstance(spec, list) else [spec]:
                pattern = re.compile(item["label"], re.IGNORECASE) if "label" in item else None
                rules.append(_Rule(key, item.get("country"), pattern, bool(item.get("states_too"))))
        required = {
            a: frozenset(_norm(t) for t in v.get("required", [])) for a, v in data["articles"].items()
        }
        acceptable = {
            a: frozenset(_norm(t) for t in v.get("acceptable", [])) for a, v in data["articles"].items()
        }
    except FileNotFoundError:
        raise InputError(f"{path}: no such gold file") from None
    except (OSError, ValueError, KeyError, TypeError, re.error) as exc:
        raise InputError(f"{path}: not a gold file in the seeds.gold.json format ({exc})") from None
    return Gold(GoldActorRules(tuple(rules)), required, acceptable)


def score(gold: Gold, records: Iterable[Mapping[str, object]]) -> Score:
    """Score relation records (the JSONL contract) against the gold, for the gold's articles."""
    predicted: dict[str, dict[tuple[str, str, str], str]] = {a: {} for a in gold.required}
    for rec in records:
        article = str(rec.get("article"))
        relation = str(rec.get("relation"))
        if article not in predicted or relation not in SCORED:
            continue
        s = gold.rules.key_for(rec["source"])  # type: ignore[arg-type]
        t = gold.rules.key_for(rec["target"])  # type: ignore[arg-type]
        if s is None or t is None or s == t:
            continue
        predicted[article].setdefault(_norm((s, relation, t)), str(rec.get("sentence", "")))
    result = Score()
    for article, required in gold.required.items():
        pred = predicted[article]
        for dyad, sentence in sorted(pred.items()):
            if dyad in required:
                result.tp[dyad[1]] += 1
            elif dyad not in gold.acceptable[article]:
                result.fp[dyad[1]] += 1
                result.false_positives.append((article, *dyad, sentence))
        for dyad in sorted(required - pred.keys()):
            result.fn[dyad[1]] += 1
            result.misses.append((article, *dyad))
    return result


def format_score(result: Score) -> str:
    """A plain-text report: P/R/F1 per relation and overall, then misses and false positives."""
    lines = [f"{'relation':<17}{'P':>7}{'R':>7}{'F1':>7}{'TP':>5}{'FP':>5}{'FN':>5}"]
    for kind in (*SCORED, None):
        p, r, f = result.prf(kind)
        name = kind or "all"
        tp = sum(result.tp.values()) if kind is None else result.tp[kind]
        fp = sum(result.fp.values()) if kind is None else result.fp[kind]
        fn = sum(result.fn.values()) if kind is None else result.fn[kind]
        lines.append(f"{name:<17}{p:>7.3f}{r:>7.3f}{f:>7.3f}{tp:>5}{fp:>5}{fn:>5}")
    if result.misses:
        lines.append("\nmisses:")
        lines += [f"  {a}: {s} {rel} {t}" for a, s, rel, t in result.misses]
    if result.false_positives:
        lines.append("\nfalse positives:")
        lines += [f"  {a}: {s} {rel} {t}  | {sent[:140]}" for a, s, rel, t, sent in result.false_positives]
    return "\n".join(lines)
