"""Run the relation rules over a Doc and clean what they find (Doc + ActorSpan → Candidate).

Subjects are inherited through coordination, control and participles; relative pronouns and
personal pronouns are resolved to actors (:mod:`.arguments`). Candidates are still in token terms;
:mod:`.assemble` gives each a modality, a date, place and fatalities where stated, and a
confidence from the rule and the resolution.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from graph.extraction.context import Candidate, Context, noun_trigger, side
from graph.extraction.rules.between import between_rule
from graph.extraction.rules.fallback import implicit_targets, relative_fallback
from graph.extraction.rules.instruments import use_against, used_against
from graph.extraction.rules.modifiers import modifier_rule
from graph.extraction.rules.nominal import noun_rules
from graph.extraction.rules.passive import died_in
from graph.extraction.rules.sides import (
    alongside,
    at_request,
    came_under,
    joined_side,
    lost_to,
    money_for,
    suffered_from,
    took_part,
)
from graph.extraction.rules.verbs import verb_rules
from graph.extraction.spans import ActorSpan, token_texts
from graph.gazetteer import Gazetteer
from graph.lexicon import Lexicon, lemma_candidates
from graph.records import ActorType, RelationKind

__all__ = ["extract_candidates"]


def extract_candidates(
    doc,
    spans: Sequence[ActorSpan],
    lexicon: Lexicon,
    gazetteer: Gazetteer | None = None,
    places: Mapping[str, str] | None = None,
) -> list[Candidate]:
    """Every relation candidate in the Doc, before modality, dates and aggregation."""
    ctx = Context(doc, spans, lexicon, gazetteer, places)
    found: list[Candidate] = []
    texts, lowers, lemmas = token_texts(doc)
    keys = _lexicon_keys(lexicon)
    for i in range(len(texts)):
        if not (
            lemmas[i] in keys
            or lowers[i] in keys
            or "-" in texts[i]
            or any(c in keys for c in lemma_candidates(lemmas[i], lowers[i]))
        ):
            continue  # most words trigger nothing; do not build a Token for them
        tok = doc[i]
        lemma = lemmas[i]
        verbal = tok.pos_ in ("VERB", "AUX") or (tok.tag_.startswith("VB") and tok.pos_ != "NOUN")
        # "continues to heavily back ...": the small model sometimes tags such a verb as an adverb
        verbal = verbal or (
            tok.dep_ in ("xcomp", "conj", "advcl", "ROOT", "relcl", "pcomp")
            and any((c.lower_ == "to" and c.dep_ == "aux") or c.dep_ == "dobj" for c in tok.children)
        )
        if verbal and tok.dep_ == "amod":
            verbal = False  # "allied militias", "armed groups": a participle used as an adjective
        if (
            verbal
            and lowers[i] in lexicon.modifiers
            and i > 0
            and lowers[i - 1] in ("and", "or", ",")
            and i + 1 < len(texts)
            and doc[i + 1].dep_ == "dobj"
            and doc[i + 1].head.i == i
            and doc[i + 1].tag_ in ("NNS", "NNPS")
        ):
            # "clashed with Congolese troops and allied militias": the adjective read as a verb
            verbal = False
        if verbal:
            trigger = lexicon.verb(tok)
            if trigger is not None:
                found.extend(verb_rules(ctx, tok, trigger))
            words = set(lemma_candidates(lemma, tok.lower_))
            if "join" in words:
                found.extend(joined_side(ctx, tok))
            if "lose" in words:
                found.extend(lost_to(ctx, tok))
            if words & ctx.lex.of("suffer_verb"):
                found.extend(suffered_from(ctx, tok))
            if words & ctx.lex.of("death_verb"):
                found.extend(died_in(ctx, tok))
            if words & ctx.lex.of("partake_verb"):
                found.extend(took_part(ctx, tok))
            if words & ({"join"} | ctx.lex.of("symmetric_verb")):
                found.extend(alongside(ctx, tok))
            if words & ctx.lex.of("aid_verb"):
                found.extend(money_for(ctx, tok))
            if words & ctx.lex.of("use_verb"):
                found.extend(used_against(ctx, tok))
        if lowers[i] == "under":
            found.extend(came_under(ctx, tok))
            continue
        if lowers[i] in ctx.lex.of("request_noun"):
            found.extend(at_request(ctx, tok))
        gerund = (
            verbal
            and tok.tag_ == "VBG"
            and tok.lower_ in lexicon.nouns
            and any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
            and not any(c.dep_ in ("nsubj", "dobj") for c in tok.children)
        )  # "responding to Boko Haram shelling of two border towns", read as a verb
        if tok.pos_ in ("NOUN", "PROPN") or tok.tag_.startswith("NN") or gerund:
            trigger = noun_trigger(doc, tok, lexicon)
            if trigger is not None:
                found.extend(noun_rules(ctx, tok, trigger))
            elif tok.pos_ == "NOUN" and ctx.lex.has(tok, "use_verb"):
                found.extend(use_against(ctx, tok))
        if tok.lower_ in lexicon.modifiers and tok.i >= 2 and doc[tok.i - 1].text in ("-", "‐"):
            found.extend(modifier_rule(ctx, tok, lexicon.modifiers[tok.lower_]))
        elif tok.i in ctx.prefix_at and "-" in tok.text[1:]:  # "U.S.-backed" kept as one token
            suffix = tok.lower_.rpartition("-")[2]
            if suffix in lexicon.modifiers:
                found.extend(modifier_rule(ctx, tok, lexicon.modifiers[suffix]))
    found.extend(between_rule(ctx))
    found.extend(relative_fallback(ctx, found))
    found = _respectively(doc, found)
    kept = _clean([c for c in found if not _contest_between_unarmed(ctx, c)])
    # an ally's offensive into a state's territory, dropped by _clean, still has a real target
    ctx.untargeted += [(c.source, c.trigger) for c in found if c.target.via == "located" and c not in kept]
    return kept + implicit_targets(ctx, kept)


def _respectively(doc, found: list[Candidate]) -> list[Candidate]:
    """ "Soviet and South African support for FRELIMO and RENAMO, respectively": n sources and n
    targets of one trigger pair off in order, not every source with every target."""
    if "respectively" not in token_texts(doc)[1]:
        return found
    by_trigger: dict[tuple[int, RelationKind], list[Candidate]] = {}
    for c in found:
        by_trigger.setdefault((c.trigger, c.kind), []).append(c)
    drop: set[int] = set()
    for (trigger, _), group in by_trigger.items():
        sent = doc[trigger].sent
        if not any(t.lower_ == "respectively" and t.i > trigger for t in sent):
            continue
        sources = sorted({c.source.start for c in group})
        targets = sorted({c.target.start for c in group})
        if len(sources) < 2 or len(sources) != len(targets):
            continue
        drop.update(id(c) for c in group if sources.index(c.source.start) != targets.index(c.target.start))
    return [c for c in found if id(c) not in drop]


@lru_cache(maxsize=8)
def _lexicon_keys(lexicon: Lexicon) -> frozenset[str]:
    """Every word that can start a rule: triggers of any kind, and the few construction words."""
    return frozenset(
        {
            *lexicon.verbs,
            *lexicon.nouns,
            *lexicon.modifiers,
            *lexicon.of("aid_verb"),
            *lexicon.of("use_verb"),
            *lexicon.of("partake_verb"),
            *lexicon.of("suffer_verb"),
            *lexicon.of("request_noun"),
            *lexicon.of("death_verb"),
            "join",
            "lose",
            "fight",
            "cease",
            "under",
        }
    )


_ARMED = frozenset(
    {
        ActorType.STATE,
        ActorType.GOVERNMENT,
        ActorType.ARMED_FORCES,
        ActorType.POLICE,
        ActorType.NON_STATE_ARMED_GROUP,
        ActorType.MILITARY_UNIT,
        ActorType.COALITION,
    }
)


_FORCES = _ARMED - {ActorType.STATE, ActorType.GOVERNMENT}
_BODIES = frozenset({ActorType.CIVILIANS, ActorType.PERSON, ActorType.COMMUNAL_GROUP})


def _contest_between_unarmed(ctx: Context, c: Candidate) -> bool:
    """ "Medvedev defeated Fritz in the semifinal": a contest verb is an attack only when an armed
    actor takes part; between people, parties or clubs it is sport or politics."""
    tok = ctx.doc[c.trigger]
    words = lemma_candidates(tok.lemma_.lower(), tok.lower_)
    if any(w in ctx.lex.of("armed_target_verb") for w in words):
        # "Israel expelled the PLO" is an attack; "Russia expelled British diplomats" is not
        return c.target.actor.type not in _FORCES
    if any(w in ctx.lex.of("bodily_verb") for w in words):
        # "soldiers beat villagers" is an assault; "Pakistan beat India by six wickets" is sport:
        # a beating needs hands, so a force, a group or its people on one side
        return c.source.actor.type not in _FORCES and c.target.actor.type not in _BODIES
    if not any(w in ctx.lex.of("contest_verb") for w in words):
        return False
    return not _armed(ctx, c.source) and not _armed(ctx, c.target)


def _armed(ctx: Context, span: ActorSpan) -> bool:
    """Whether an actor is armed as the text names it: by its type, or by the armed men it leads
    ("Bemba's fighters battled Nkunda's militia": two people's forces, not two people)."""
    if span.actor.type in _ARMED:
        return True
    tok = ctx.doc[span.head]
    if tok.dep_ == "appos":  # "his former deputy, Riek Machar"
        tok = tok.head
    if tok.dep_ == "poss":
        men = tok.head
    elif tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "loyal":
        men = tok.head.head.head  # "forces loyal to Kiir"
    elif tok.dep_ == "dobj" and tok.head.dep_ == "relcl":
        men = tok.head.head  # "soldiers who back Machar"
    else:
        return False
    return ctx.lex.has(men, "armed_men")


def _clean(found: list[Candidate]) -> list[Candidate]:
    """Drop self-relations and relations between an actor and the state it acts for."""
    out = []
    for c in found:
        s, t = c.source.actor, c.target.actor
        if s.id == t.id:
            continue
        if (
            s.country
            and s.country == t.country
            and c.kind is not RelationKind.NEGOTIATED_WITH
            # "Liberian soldiers killed President Tolbert": a coup or an assassination is a dyad
            # ("troops loyal to Gbagbo attacked pro-Ouattara militias": rival leaders, a civil war)
            and not (
                c.kind is RelationKind.ATTACKED
                and t.type is ActorType.PERSON
                and (s.type in _FORCES or s.type is ActorType.PERSON)
            )
        ):
            continue  # "Syrian troops ... Syria": one side, not a dyad
        out.append(c)
    # "Chad and Niger sent troops to help Nigeria ... launched an offensive into Nigeria's Borno
    # state": a place attacked stands for its state only if the attacker is not that state's ally
    allies = {
        frozenset((side(c.source.actor), side(c.target.actor))) for c in out if c.kind is RelationKind.BACKED
    }
    backers: dict[str, set[str]] = {}
    for c in out:
        if c.kind is RelationKind.BACKED:
            backers.setdefault(side(c.target.actor), set()).add(side(c.source.actor))
    return [
        c
        for c in out
        if not (
            c.kind is RelationKind.ATTACKED
            # "a war between Georgia, Russia and the Russian-backed republics of South Ossetia
            # and Abkhazia": a list of belligerents says nothing of who fought whom among allies,
            # nor among those one backer backs
            and (c.target.via == "located" or c.rule in ("between", "joint"))
            and (
                frozenset((side(c.source.actor), side(c.target.actor))) in allies
                or backers.get(side(c.source.actor), set()) & backers.get(side(c.target.actor), set())
            )
        )
    ]
