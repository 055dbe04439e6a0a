"""Step 2 of the actor step: link a matched name, adjective or title to its canonical actor.

"Hezbollah" → the listed group; "Turkish troops", "Syria's Foreign Ministry" → a state's armed
forces or government, made by pattern; "Turkish Defense Minister Hulusi Akar" → a person acting
for the state; "Syrian rebels" → a generic tied to a country; "Syrian shelling" → the state's
forces. Bare generics and institutions ("the rebels", "the army") are :mod:`.descriptions`.
"""

from __future__ import annotations

import re

from graph.extraction.mentions import ADJ, GEN, INST, NAME
from graph.extraction.spans import ActorSpan, entities
from graph.gazetteer import Gazetteer, normalize
from graph.lexicon import Lexicon
from graph.records import Actor, ActorType, RelationKind

__all__ = ["Linker", "adjective_of_noun"]


class Linker:
    """Links matches to actors; built once per (gazetteer, lexicon) and reused."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.gaz = gazetteer
        self.lex = lexicon
        self._attack_nouns = set(lexicon.nouns_of(RelationKind.ATTACKED))
        self._support_nouns = set(lexicon.nouns_of(RelationKind.BACKED))

    def coordinated_adjective(self, doc, sid: str, start: int, end: int, at) -> ActorSpan | None:
        """ "Indian and Pakistani troops", "Moroccan and Polisario delegations": the first adjective
        shares the head noun of the second; its span points at that head."""
        if end + 1 >= len(doc) or doc[end].lower_ not in ("and", ",", "or"):
            return None
        nxt = at.get(end + 1)
        if nxt is None or nxt[0] not in (ADJ, NAME):
            return None
        inst = _next_institution(doc, nxt[3], at)
        if inst is None:
            return None
        ikind, _, iend = inst
        return ActorSpan(start, end, iend - 1, self.gaz.institution(sid, ikind), "coordinated", 0.85)

    def name_span(self, doc, aid: str, start: int, end: int, at) -> ActorSpan:
        """A gazetteer name: the actor, or the institution or person the phrase around it names."""
        actor = self.gaz.actors[aid]
        head = end - 1
        # "Kosovo Prime Minister Albin Kurti": a title after the state's name
        if actor.type is ActorType.STATE:
            person = self._title_person(doc, aid, start + (end - start) - 1, min(len(doc), end + 4))
            if person is not None:
                return ActorSpan(start, person.end, person.head, person.actor, person.via, person.confidence)
        # "Syria's Foreign Ministry", "Syria's air defenses" -> an institution of the state
        if actor.type is ActorType.STATE and end < len(doc) and doc[end].lower_ in ("'s", "’s", "'"):
            nxt = _next_institution(doc, end + 1, at)
            if nxt is not None:
                ikind, _, iend = nxt
                return ActorSpan(start, iend, iend - 1, self.gaz.institution(aid, ikind), "pattern")
        # "the Assad government", "the Putin regime": the institution of the leader's state
        if (
            actor.type is ActorType.PERSON
            and end in at
            and at[end][0] == INST
            and actor.acts_for
            and self.gaz.actors.get(actor.acts_for, actor).type is ActorType.STATE
        ):
            _, ikind, _, iend = at[end]
            return ActorSpan(
                start, iend, iend - 1, self.gaz.institution(actor.acts_for, ActorType(ikind)), "pattern"
            )
        # "Taliban fighters", "ELN fighters", "Hezbollah militants": the group itself
        if (
            end < len(doc)
            and end in at
            and at[end][0] in (GEN, INST)
            and actor.type is not ActorType.STATE
            and (
                (doc[end - 1].dep_ in ("compound", "amod", "nmod", "poss") and doc[end - 1].head.i >= end)
                # "JNIM and Islamic State fighters": the last of coordinated names
                or (doc[end - 1].dep_ == "conj" and doc[end - 1].head.head.i >= end)
            )
        ):
            return ActorSpan(start, at[end][3], at[end][3] - 1, actor, "gazetteer")
        return ActorSpan(start, end, head, actor, "gazetteer")

    def adjective_span(self, doc, sid: str, start: int, end: int, at, year: int | None) -> ActorSpan | None:
        """A state's adjective: its institution, office holder, generic, people or forces."""
        if start > 0 and doc[start - 1].lower_ == "ethnic":
            return None  # "ethnic Armenian forces" in Karabakh are not Armenia's army
        if start > 1 and doc[start - 1].text == "-" and doc[start - 2].lower_ in ("pro", "anti"):
            return None  # "pro-Russian separatists" are not Russia's, nor do they fight in Russia
        nxt = _next_institution(doc, end, at)
        if nxt is not None:
            ikind, istart, iend = nxt
            title_person = self._title_person(doc, sid, start, iend)
            if title_person is not None:
                return title_person
            term = doc[istart:iend].text.lower()
            if ikind is ActorType.GOVERNMENT and term in ("president", "prime minister"):
                holder = self.gaz.office_holder(
                    self.gaz.actors[sid].country or "",
                    ("head_of_state",) if term == "president" else ("head_of_government",),
                    year,
                )
                if holder is not None:
                    return ActorSpan(start, iend, iend - 1, holder, "title", 0.9)
            return ActorSpan(start, iend, iend - 1, self.gaz.institution(sid, ikind), "pattern")
        title_person = self._title_person(doc, sid, start, min(len(doc), end + 4))
        if title_person is not None:
            return title_person
        # "Syrian rebels", "Syrian civilians": a generic tied to a country
        if end in at and at[end][0] == GEN:
            _, gid, _, gend = at[end]
            if gend + 1 < len(doc) and doc[gend].lower_ in ("'s", "’s") and doc[gend + 1].text[:1].isupper():
                return None  # "the Eritrean People's Liberation Front": the first words of a name
            return self._generic_in(doc, gid, sid, start, gend)
        # "killed at least 27 Palestinians": a plural demonym standing alone is people of that country
        last = doc[end - 1]
        if last.tag_ in ("NNS", "NNPS") and (end >= len(doc) or doc[end].pos_ not in ("NOUN", "PROPN")):
            if start > 0 and doc[start - 1].lower_ == "the" and self._attacks(last):
                # "the Kenyans counterattacked": the side's forces, as a war report calls them
                return ActorSpan(
                    start - 1, end, end - 1, self.gaz.institution(sid, ActorType.ARMED_FORCES), "pattern", 0.8
                )
            civilians = next(
                (g for g in self.gaz.generics.values() if self.gaz.actors[g].type is ActorType.CIVILIANS),
                None,
            )
            if civilians is not None:
                return self._generic_in(doc, civilians, sid, start, end)
        # "a Russian oil refinery", "Syrian positions", "a U.S. F-117 stealth fighter": the state
        # owns the target (the phrase's head may sit behind other modifiers)
        first = doc[start]
        while start <= first.head.i < end and first.head.i != first.i:
            first = first.head  # "South African support": the adjective's own head word
        if first.dep_ == "conj" and first.head.dep_ in ("amod", "compound", "nmod") and first.head.i < start:
            first = first.head  # "Soviet and Cuban money": the second adjective shares the first's noun
        head = first.head
        while head.dep_ in ("compound", "nmod") and head.head.i > head.i and head.head.i < start + 6:
            head = head.head
        if (
            head.i > start
            and (self.lex.has(head, "target_object") or self.lex.has(head, "representative"))
            and first.dep_ in ("amod", "compound", "nmod")
        ):
            return ActorSpan(start, end, end - 1, self.gaz.actors[sid], "owner", 0.85)
        # "U.S. military aid", "Chinese assistance": the state gives the support
        # ("Chinese arms sales and assistance to Myanmar": also when a conjunct is the support noun)
        if head.i > start and (
            head.lemma_.lower() in self._support_nouns
            or any(c.dep_ == "conj" and c.lemma_.lower() in self._support_nouns for c in head.children)
            # "backed by Soviet money": what a backer gives names the backer
            or (self.lex.has(head, "support_theme") and head.dep_ in ("pobj", "conj"))
        ):
            return ActorSpan(start, end, end - 1, self.gaz.actors[sid], "owner", 0.85)
        # "Syrian shelling", "Israeli airstrikes", "the first American strike": the state's forces
        j = end
        # "French and Chadian airstrikes": the first adjective reaches over its coordinated partner
        if j + 1 < len(doc) and doc[j].lower_ in ("and", ",", "or") and at.get(j + 1, (None,))[0] == ADJ:
            j = at[j + 1][3]
        while (
            j < len(doc) and j < end + 5 and (doc[j].pos_ in ("ADJ", "NOUN", "PROPN") or doc[j].text == "-")
        ):
            if doc[j].lemma_.lower() in self._attack_nouns or doc[j].lower_ in self._attack_nouns:
                return ActorSpan(
                    start, end, end - 1, self.gaz.institution(sid, ActorType.ARMED_FORCES), "pattern", 0.9
                )
            j += 1
        # "The U.S. fired missiles", "sanctions against the U.S.": a short form that is also an
        # adjective, standing as a noun phrase's head, is the state
        last = doc[end - 1]
        if last.pos_ == "PROPN" and last.dep_ in _HEAD_DEPS:
            return ActorSpan(start, end, end - 1, self.gaz.actors[sid], "gazetteer", 0.9)
        return None

    def _attacks(self, tok) -> bool:
        """Whether a noun is the subject of an attack verb ("the Ukrainians counterattacked")."""
        verb = tok.head
        if tok.dep_ != "nsubj" or verb.pos_ != "VERB":
            return False
        trig = self.lex.verb(verb)
        return trig is not None and trig.kind is RelationKind.ATTACKED

    def _generic_in(self, doc, gid: str, sid: str, start: int, end: int) -> ActorSpan:
        base = self.gaz.actors[gid]
        state = self.gaz.actors[sid]
        # non-state: no country; the country the text ties it to is where it operates
        actor = Actor(
            id=f"{gid}_{sid}",
            label=base.label,
            type=base.type,
            aliases=(base.label, doc[start:end].text),
            operates_in=state.country,
        )
        return ActorSpan(start, end, end - 1, actor, "generic", 0.85)

    def _title_person(self, doc, sid: str, start: int, limit: int) -> ActorSpan | None:
        """ "Turkish Defense Minister Hulusi Akar": a PERSON entity right after a title."""
        for ent in entities(doc):
            if ent.label_ != "PERSON" or ent.start < start or ent.start > limit + 1:
                continue
            between = doc[start + 1 : ent.start]
            if between and all(
                t.lower_.strip(".") in self.lex.of("title") or t.lower_ in self.lex.of("title")
                for t in between
            ):
                known = self.gaz.names.get(normalize(ent.text))
                if known is not None and self.gaz.actors[known].type is ActorType.PERSON:
                    return ActorSpan(start, ent.end, ent.end - 1, self.gaz.actors[known], "gazetteer")
                state = self.gaz.actors[sid]
                pid = _slug(ent.text)
                if not pid:
                    return None
                person = Actor(
                    id=pid,
                    label=ent.text,
                    type=ActorType.PERSON,
                    country=state.country,
                    acts_for=sid,
                    aliases=(f"{doc[start : ent.end].text}",),
                )
                return ActorSpan(start, ent.end, ent.end - 1, person, "title", 0.85)
        return None


_HEAD_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "dative", "conj", "appos", "ROOT"})


def _next_institution(doc, i: int, at) -> tuple[ActorType, int, int] | None:
    """An institution term at ``i`` or after at most two modifiers ("Syrian government forces")."""
    for j in range(i, min(i + 4, len(doc))):
        if j in at and at[j][0] == INST:
            if adjective_of_noun(doc[at[j][3] - 1], ("amod",)):
                return None  # "a South African private military company": no army
            return ActorType(at[j][1]), at[j][2], at[j][3]
        tok = doc[j]
        if j in at and at[j][0] == ADJ:
            return None
        # "Yemen's internationally recognised government": modifiers may come between
        if not (tok.pos_ in ("ADJ", "NOUN", "PROPN", "VERB", "ADV") or tok.text == "-") or (
            tok.pos_ == "PUNCT" and tok.text != "-"
        ):
            return None
        if tok.pos_ == "VERB" and tok.dep_ in ("ROOT", "conj", "ccomp", "relcl", "advcl", "xcomp"):
            return None  # "the U.S. fired missiles": a clause's verb, not a participle modifier
    return None


def adjective_of_noun(tok, deps: tuple[str, ...]) -> bool:
    """An institution word used as an adjective of a later noun ("military" in "military accord")."""
    return tok.pos_ == "ADJ" and tok.dep_ in deps and tok.head.i > tok.i


def _slug(text: str) -> str:
    ascii_text = normalize(text)
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")
