"""The relations JSON-lines contract (documented in the README), from records.

One object per relation: article, relation, source and target actors (id, label, aliases,
mention, type, country, wikidata), evidence sentence, date and confidence, plus the richer
fields (modality, attribution, place, fatalities, trigger, extractor, offsets).
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from graph.records import Actor, ArticleResult, Relation, TextSpan

__all__ = ["relation_record", "result_records", "to_json_line"]

ID_BASE = "https://w3id.org/conflictkg/id/actor/"
# made once: json.dumps with any option builds a new encoder per call, a third of its cost here
_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=False, separators=(", ", ": "))


def _actor(actor: Actor, mention: TextSpan) -> dict[str, object]:
    return {
        "id": ID_BASE + actor.id,
        "label": actor.label,
        "aliases": list(actor.aliases),
        "mention": mention.text,
        "type": actor.type.value,
        "country": actor.country,
        "wikidata": actor.wikidata,
        "acts_for": ID_BASE + actor.acts_for if actor.acts_for else None,
        "linked": actor.linked,
    }


def relation_record(relation: Relation, actors: Mapping[str, Actor]) -> dict[str, object]:
    """The contract's JSON object for one relation."""
    record: dict[str, object] = {
        "article": relation.article_id,
        "relation": relation.kind.value,
        "source": _actor(actors[relation.source_id], relation.source_mention),
        "target": _actor(actors[relation.target_id], relation.target_mention),
        "sentence": relation.evidence.text,
        "date": relation.date.isoformat() if relation.date else None,
        "event": relation.event_id,
        "confidence": relation.confidence,
        "modality": relation.modality.value,
        "attributed_to": relation.attributed_to,
        "place": relation.place,
        "fatalities": relation.fatalities,
        "trigger": relation.trigger,
        "extractor": relation.extractor,
        "evidence_start": relation.evidence.start,
        "evidence_end": relation.evidence.end,
    }
    # only where they apply, so lines of text statements without coordinates keep their form
    if relation.point is not None:
        record["coordinates"] = [round(relation.point[0], 5), round(relation.point[1], 5)]
    if relation.dataset is not None:
        ds = relation.dataset
        record["article"] = None
        record["dataset"] = {
            "name": ds.dataset,
            "release": ds.release,
            "event_id": ds.event_id,
            "concept": ds.concept,
            "cameo": ds.cameo,
            "initiator_known": ds.initiator_known,
            "file": ds.file,
            "line": ds.line,
        }
    return record


def result_records(result: ArticleResult, *, all_modalities: bool = False) -> list[dict[str, object]]:
    """The contract's objects for one article: its direct edges, or every statement when asked
    (what ``relations.jsonl``, ``extract`` and ``eval`` read)."""
    actors = {a.id: a for a in result.actors}
    return [relation_record(r, actors) for r in result.relations if r.is_edge or all_modalities]


def to_json_line(record: Mapping[str, object]) -> str:
    """One compact, key-ordered JSON line (no trailing newline)."""
    return _ENCODER.encode(record)
