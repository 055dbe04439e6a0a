"""Find actor mentions in a parsed article and resolve them to canonical actors (Doc → ActorSpan).

Resolution works in layers, most specific first:

1. gazetteer names, aliases, capitals and metonyms ("Hezbollah", "Ankara", "the Kremlin");
2. state institutions by pattern: an adjective or possessive of a state followed by an
   institution noun ("Turkish troops", "Syria's Foreign Ministry") → that state's armed forces
   or government, listed nowhere row by row;
3. people: listed people by name, anyone else by title ("Turkish Defense Minister Hulusi Akar");
4. generic mentions ("rebels", "Islamist militants", "civilians"), tied to a country when an
   adjective says so ("Syrian rebels");
5. definite descriptions and bare institutions ("the rebels", "the junta", "the army", "the
   country") by salience: the most recent compatible mention earlier in the article.

Pronouns are resolved on demand by :func:`resolve_pronoun`, because only pronouns that fill a
relation's argument matter. Anything actor-like that none of this resolves stays out of the
graph and is counted (``unresolved``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from graph.gazetteer import Gazetteer, normalize
from graph.lexicon import Lexicon
from graph.records import Actor, ActorType, RelationKind

__all__ = [
    "ActorFinder",
    "ActorSpan",
    "entities",
    "entities_in",
    "resolve_pronoun",
    "sentence_bounds",
    "sentence_index",
    "sentence_of",
    "token_texts",
]

# labels of PhraseMatcher rules
_NAME, _ADJ, _GEN, _INST = "N", "A", "G", "I"
_PRIORITY = {_NAME: 0, _ADJ: 1, _GEN: 2, _INST: 3}
_DEFINITE = {"the", "these", "those", "this", "that"}
_PERSON_PRONOUNS = {"he", "him", "his", "she", "her"}
_PERSON_HEADS = {
    "president",
    "minister",
    "leader",
    "king",
    "emir",
    "chief",
    "commander",
    "premier",
    "counterpart",
}
_IT_PRONOUNS = {"it", "its"}
_THEY_PRONOUNS = {"they", "them", "their"}
_PLURAL_TYPES = {ActorType.ARMED_FORCES, ActorType.NON_STATE_ARMED_GROUP, ActorType.CIVILIANS}
_SINGULAR_TYPES = {
    ActorType.STATE,
    ActorType.GOVERNMENT,
    ActorType.NON_STATE_ARMED_GROUP,
    ActorType.INTERNATIONAL_ORGANIZATION,
    ActorType.COALITION,
    ActorType.ARMED_FORCES,
}
_ARMED_GROUP_TYPES = {ActorType.NON_STATE_ARMED_GROUP, ActorType.COALITION}
# "the alliance" after NATO, "the bloc" after ECOWAS: organisations and coalitions, not armed groups
_BLOC_NOUNS = {"alliance", "bloc", "coalition", "organisation", "organization"}
_BLOC_TYPES = {ActorType.INTERNATIONAL_ORGANIZATION, ActorType.COALITION}
# generics whose bare plural ("militants attacked ...") stands for the one armed group a story is about
_ANCHORED_GENERICS = {"jihadists", "rebels"}


@dataclass(frozen=True, slots=True)
class ActorSpan:
    """A token span of a Doc resolved to an actor (internal to extraction; never leaves it)."""

    start: int
    end: int
    head: int  # token index of the phrase's head noun
    actor: Actor
    via: str
    confidence: float = 1.0


class ActorFinder:
    """Finds and resolves actor mentions; built once per (pipeline, gazetteer) and reused."""

    def __init__(self, nlp, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        from spacy.matcher import PhraseMatcher

        self.gaz = gazetteer
        self.lex = lexicon
        from graph.openworld import load_heads

        self.heads = load_heads()
        self._kinds: dict[str, frozenset[str]] = {}  # actor id -> generic kinds its names contain
        # "Russian-backed", "al-Qaida-linked", "Pakistan-based": the prefix is not the phrase's actor
        self._modifiers = set(lexicon.modifiers) | set(lexicon.of("prefix_word"))
        self._attack_nouns = set(lexicon.nouns_of(RelationKind.ATTACKED))
        self._lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        groups: dict[tuple[str, bool], set[str]] = {}

        def add(label: str, form: str) -> None:
            form = form.strip()
            if not form:
                return
            # acronyms and short forms ("IS", "AA", "U.S.") must match case-sensitively
            exact = form.replace(".", "").isupper() or len(form) <= 3
            for variant in {form, form.replace("'", "’"), form.replace("’", "'")}:
                groups.setdefault((label, exact), set()).add(variant)

        by_id: dict[str, list[str]] = {}
        for actor in gazetteer.actors.values():
            if actor.id in set(gazetteer.generics.values()):
                continue
            forms = [actor.label, *actor.aliases, *gazetteer.extra_forms.get(actor.id, ())]
            if actor.type is ActorType.STATE:
                adjectives = {a for a, s in gazetteer.adjectives.items() if s == actor.id}
                forms = [f for f in forms if normalize(f) not in adjectives]
                for adj in actor.aliases:
                    if normalize(adj) in adjectives:
                        add(f"{_ADJ}:{actor.id}", adj)
            by_id.setdefault(actor.id, []).extend(forms)
        for aid, forms in by_id.items():
            for form in forms:
                if not self._made_by_pattern(form):
                    add(f"{_NAME}:{aid}", form)
        for term, gid in gazetteer.generics.items():
            add(f"{_GEN}:{gid}", term)
        for term, kind in gazetteer.institutions.items():
            add(f"{_INST}:{kind.value}", term)
        for (label, exact), forms in groups.items():
            matcher = self._exact if exact else self._lower
            matcher.add(label, [nlp.make_doc(f) for f in sorted(forms)])

    def _made_by_pattern(self, form: str) -> bool:
        """Whether the institution pattern already reads this alias ("Sudan's army", "Myanmar's
        military"): such aliases would hide longer phrases ("Myanmar's military government")."""
        norm = normalize(form.replace("’", "'"))
        for sep in ("'s ", " "):
            head, _, rest = norm.partition(sep)
            if (
                rest
                and rest in self.gaz.institutions
                and (head in self.gaz.adjectives or self.gaz.names.get(head) in self.gaz.states.values())
            ):
                return True
        return False

    # ------------------------------------------------------------------ matching
    def _matches(self, doc) -> list[tuple[str, str, int, int]]:
        raw = []
        for matcher in (self._lower, self._exact):
            for match_id, start, end in matcher(doc):
                label = doc.vocab.strings[match_id]
                kind, _, value = label.partition(":")
                raw.append((kind, value, start, end))
        # longest first, then by kind priority; drop overlaps
        raw.sort(key=lambda m: (-(m[3] - m[2]), _PRIORITY[m[0]], m[2]))
        taken: set[int] = set()
        kept = []
        place_start: dict[int, int] = {}  # token -> start of the place name it is part of
        for ent in entities(doc):
            if ent.label_ in ("GPE", "LOC", "FAC"):
                for i in range(ent.start, ent.end):
                    place_start[i] = ent.start
        for kind, value, start, end in raw:
            if any(i in taken for i in range(start, end)):
                continue
            first = place_start.get(start, start)
            linked = (  # "Mocimboa da Praia", "Rio de Janeiro": a particle joins two name parts
                start >= 2 and doc[start - 1].is_lower and doc[start - 1].is_alpha
                and doc[start - 1].dep_ == "compound" and _is_name_part(doc[start - 2])
            )  # fmt: skip
            if kind == _NAME and ((first < start and _is_name_part(doc[first])) or linked):
                continue  # "Praia" in "Mocimboa da Praia": the tail of a longer place name
            # a lower-case common word is no name ("aa", "is"): names need a capital somewhere
            if kind == _NAME and not any(t.text[:1].isupper() or not t.is_alpha for t in doc[start:end]):
                continue
            taken.update(range(start, end))
            kept.append((kind, value, start, end))
        kept.sort(key=lambda m: m[2])
        return kept

    # ------------------------------------------------------------------ resolution
    def find(self, doc, year: int | None = None) -> tuple[list[ActorSpan], list[tuple[int, int]]]:
        """Resolve every actor mention in ``doc``; returns spans in order and the character
        offsets of actor-like entities left unresolved."""
        matches = self._matches(doc)
        at: dict[int, tuple[str, str, int, int]] = {m[2]: m for m in matches}
        spans: list[ActorSpan] = []
        consumed: set[int] = set()

        def emit(span: ActorSpan) -> None:
            spans.append(span)
            consumed.update(range(span.start, span.end))

        for kind, value, start, end in matches:
            if start in consumed:
                continue
            if kind in (_NAME, _ADJ) and self._is_prefix(doc, end):
                # "Russian-backed", "Iran-backed", "Saudi-led": the backer, not the phrase's head
                actor = self.gaz.actors[value]
                emit(ActorSpan(start, end, end - 1, actor, "modifier", 0.95))
                continue
            if kind == _NAME:
                emit(self._name_span(doc, value, start, end, at))
            elif kind == _ADJ:
                span = self._coordinated_adjective(doc, value, start, end, at)
                if span is None:
                    span = self._adjective_span(doc, value, start, end, at, year)
                if span is not None:
                    emit(span)
            elif kind == _GEN:
                emit(self._generic_span(doc, value, start, end, spans))
            elif kind == _INST:
                span = self._bare_institution(doc, ActorType(value), start, end, spans)
                if span is not None:
                    emit(span)
        spans.extend(self._hyphen_prefixes(doc, consumed))
        spans.extend(self._state_nouns(doc, consumed, spans))
        spans.extend(self._group_nouns(doc, consumed, spans))
        spans.sort(key=lambda s: s.start)
        # after "the group" and "the country" are resolved: "its fighters" may point at them
        spans = self._generic_owners(doc, spans)
        people, unresolved = self._people(doc, consumed, spans)
        spans.extend(people)
        spans.sort(key=lambda s: s.start)
        spans = _localize_generics(doc, _unify_generics(spans), self.gaz)
        spans = _named_generics(doc, spans, self.gaz)
        from graph.open_mentions import open_spans

        claimed = {i for s in spans for i in range(s.start, s.end)}
        opened = open_spans(
            doc,
            claimed,
            spans,
            self.heads,
            self.gaz,
            frozenset(self._modifiers),
            self.lex.of("place_noun") | self.lex.of("locative_prep"),
        )
        starts = {doc[s.start].idx for s in opened}
        unresolved = [u for u in unresolved if u[0] not in starts]
        return sorted([*spans, *opened], key=lambda s: s.start), unresolved

    def _generic_owners(self, doc, spans: list[ActorSpan]) -> list[ActorSpan]:
        """ "Fighters of the Tehrik-e-Taliban Pakistan", "whose fighters", "its gunmen": a generic
        word whose owner the phrase names is that owner, not a generic actor."""
        out = []
        for span in spans:
            if span.via == "generic":
                owner = self._owner_of(doc, span, spans)
                if owner is not None:
                    span = ActorSpan(
                        span.start, span.end, span.head, owner.actor, "coref", 0.85 * owner.confidence
                    )
            out.append(span)
        return out

    def _owner_of(self, doc, span: ActorSpan, spans: list[ActorSpan]) -> ActorSpan | None:
        head = doc[span.head]
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in child.children:
                    named = next(
                        (s for s in spans if s.start <= pobj.i < s.end and s.via == "gazetteer"), None
                    )
                    if named is not None and named.actor.type in _ARMED_GROUP_TYPES:
                        return named
        left = span.start - 1 if doc[span.start].lower_ not in ("its", "their", "whose") else span.start
        if left >= 0 and doc[left].lower_ in ("its", "their", "whose"):
            if doc[left].lower_ == "whose":
                j = left - 1
                while j >= 0 and doc[j].is_punct:
                    j -= 1
                return next(
                    (s for s in spans if s.start <= j < s.end and s.actor.type in _ARMED_GROUP_TYPES), None
                )
            target = resolve_pronoun(doc, left, [s for s in spans if s.end <= left])
            if target is not None and target.actor.type in _ARMED_GROUP_TYPES:
                return target
        return None

    def _is_prefix(self, doc, end: int) -> bool:
        if end + 1 >= len(doc) or doc[end].text not in ("-", "‐"):
            return False
        return doc[end + 1].lower_ in self._modifiers

    def _hyphen_prefixes(self, doc, consumed: set[int]) -> list[ActorSpan]:
        """Tokens like "U.S.-" in "U.S.- and French-brokered": the tokenizer kept the hyphen."""
        found = []
        texts = token_texts(doc)[0]
        for i, text in enumerate(texts):
            if i in consumed or len(text) < 2 or "-" not in text[1:]:
                continue
            tok = doc[i]
            prefix, _, suffix = tok.text.rpartition("-")
            if suffix and suffix.lower() not in self._modifiers:
                continue  # "Nagorno-Karabakh" is a name, not a prefix
            key = normalize(prefix)
            aid = self.gaz.names.get(key) or self.gaz.adjectives.get(key)
            if aid is not None and tok.text[:1].isupper():
                found.append(ActorSpan(tok.i, tok.i + 1, tok.i, self.gaz.actors[aid], "modifier", 0.95))
                consumed.add(tok.i)
        return found

    def _coordinated_adjective(self, doc, sid: str, start: int, end: int, at) -> ActorSpan | None:
        """ "Indian and Pakistani troops", "Moroccan and Polisario delegations": the first adjective
        shares the head noun of the second; its span points at that head."""
        if end + 1 >= len(doc) or doc[end].lower_ not in ("and", ",", "or"):
            return None
        nxt = at.get(end + 1)
        if nxt is None or nxt[0] not in (_ADJ, _NAME):
            return None
        inst = _next_institution(doc, nxt[3], at)
        if inst is None:
            return None
        ikind, _, iend = inst
        return ActorSpan(start, end, iend - 1, self.gaz.institution(sid, ikind), "coordinated", 0.85)

    def _name_span(self, doc, aid: str, start: int, end: int, at) -> ActorSpan:
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
            and at[end][0] == _INST
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
            and at[end][0] in (_GEN, _INST)
            and actor.type is not ActorType.STATE
            and (
                (doc[end - 1].dep_ in ("compound", "amod", "nmod", "poss") and doc[end - 1].head.i >= end)
                # "JNIM and Islamic State fighters": the last of coordinated names
                or (doc[end - 1].dep_ == "conj" and doc[end - 1].head.head.i >= end)
            )
        ):
            return ActorSpan(start, at[end][3], at[end][3] - 1, actor, "gazetteer")
        return ActorSpan(start, end, head, actor, "gazetteer")

    def _adjective_span(self, doc, sid: str, start: int, end: int, at, year: int | None) -> ActorSpan | None:
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
        if end in at and at[end][0] == _GEN:
            _, gid, _, gend = at[end]
            return self._generic_in(doc, gid, sid, start, gend)
        # "killed at least 27 Palestinians": a plural demonym standing alone is people of that country
        last = doc[end - 1]
        if last.tag_ in ("NNS", "NNPS") and (end >= len(doc) or doc[end].pos_ not in ("NOUN", "PROPN")):
            civilians = next(
                (g for g in self.gaz.generics.values() if self.gaz.actors[g].type is ActorType.CIVILIANS),
                None,
            )
            if civilians is not None:
                return self._generic_in(doc, civilians, sid, start, end)
        # "a Russian oil refinery", "Syrian positions", "a U.S. F-117 stealth fighter": the state
        # owns the target (the phrase's head may sit behind other modifiers)
        head = doc[start].head
        while head.dep_ in ("compound", "nmod") and head.head.i > head.i and head.head.i < start + 6:
            head = head.head
        if (
            head.i > start
            and (self.lex.has(head, "target_object") or self.lex.has(head, "representative"))
            and doc[start].dep_ in ("amod", "compound", "nmod")
        ):
            return ActorSpan(start, end, end - 1, self.gaz.actors[sid], "owner", 0.85)
        # "Syrian shelling", "Israeli airstrikes", "the first American strike": the state's forces
        j = end
        while (
            j < len(doc) and j < end + 3 and (doc[j].pos_ in ("ADJ", "NOUN", "PROPN") or doc[j].text == "-")
        ):
            if doc[j].lemma_.lower() in self._attack_nouns or doc[j].lower_ in self._attack_nouns:
                return ActorSpan(
                    start, end, end - 1, self.gaz.institution(sid, ActorType.ARMED_FORCES), "pattern", 0.9
                )
            j += 1
        return None

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

    def _generic_span(self, doc, gid: str, start: int, end: int, earlier: list[ActorSpan]) -> ActorSpan:
        base = self.gaz.actors[gid]
        head_tok = doc[end - 1]
        det = next(
            (c for c in head_tok.children if c.dep_ == "det" and c.i < start and c.lower_ in _DEFINITE), None
        )
        definite = start > 0 and (doc[start - 1].lower_ in _DEFINITE or det is not None)
        # "militants overran an army post", once one armed group is the story: a bare plural too
        bare = (
            not definite
            and gid in _ANCHORED_GENERICS
            and not any(c.dep_ in ("amod", "compound", "det", "poss", "nummod") for c in head_tok.children)
            # "militants overran a post"; "fired on rebel positions"
            and (
                head_tok.tag_ == "NNS"
                or (head_tok.dep_ == "compound" and self.lex.has(head_tok.head, "target_object"))
            )
        )
        if (definite or bare) and base.type is ActorType.NON_STATE_ARMED_GROUP:
            first = start - 1 if doc[start - 1].lower_ in _DEFINITE else start
            subjects = _clause_subjects(doc[end - 1])
            # the armed group the article talks about most so far, latest on ties; never the subject
            # of the same clause ("The Peshmerga helped drive the militants": not the Peshmerga)
            counts: Counter[str] = Counter()
            last: dict[str, ActorSpan] = {}
            for prev in earlier:
                if any(prev.start <= i < prev.end for i in subjects):
                    continue
                # a coalition (a task force of states, a gang alliance) is "the gangs", never "the rebels"
                group_like = (
                    prev.actor.type is ActorType.NON_STATE_ARMED_GROUP
                    or (prev.actor.type is ActorType.COALITION and gid == "gangs")
                ) and self._kind_fits(prev.actor, gid)
                if group_like and prev.via not in ("generic", "modifier") and prev.actor.country is None:
                    counts[prev.actor.id] += 1
                    last[prev.actor.id] = prev
            sent_start = sentence_bounds(doc)[sentence_index(doc, start)][0]
            same_sentence = [a for a in counts if last[a].start >= sent_start]
            if bare and len(counts) != 1:
                pass  # a bare plural follows only a story about one armed group
            elif same_sentence:  # "... an attack by ISGS, ... troops had killed 37 of the assailants"
                best = max(same_sentence, key=lambda a: last[a].start)
                return ActorSpan(first, end, end - 1, last[best].actor, "coref", 0.8 * last[best].confidence)
            elif counts:
                best = max(counts, key=lambda a: (counts[a], last[a].start))
                conf = (0.7 if bare else 0.8) * last[best].confidence
                return ActorSpan(first, end, end - 1, last[best].actor, "coref", conf)
            for prev in reversed(earlier) if definite else ():
                if prev.actor.type is ActorType.NON_STATE_ARMED_GROUP and prev.via == "generic":
                    return ActorSpan(first, end, end - 1, prev.actor, "coref", prev.confidence)
        actor = Actor(
            id=base.id, label=base.label, type=base.type, aliases=(*base.aliases[:1], doc[start:end].text)
        )
        return ActorSpan(start, end, end - 1, actor, "generic", 0.85)

    def _kind_fits(self, actor: Actor, gid: str) -> bool:
        """Whether a named group can be "the rebels" (``gid``): not if its own names call it
        something else ("Janjaweed militia" are no rebels; "the militias" may be)."""
        kinds = self._kinds.get(actor.id)
        if kinds is None:
            kinds = self._kinds[actor.id] = frozenset(
                self.gaz.generics[word]
                for name in (actor.label, *actor.aliases)
                for word in normalize(name).split()
                if word in self.gaz.generics
            )
        return not kinds or gid in kinds

    def _bare_institution(
        self, doc, kind: ActorType, start: int, end: int, earlier: list[ActorSpan]
    ) -> ActorSpan | None:
        """ "the army", "its troops", "federal forces", "the junta": the state they belong to."""
        left = start - 1
        state_id: str | None = None
        head = doc[end - 1]
        if _adjective_of_noun(head, ("amod", "conj")):
            return None  # "a military cooperation accord": an adjective, not the armed forces
        for child in head.children:
            # "forces loyal to Haftar", "negotiators from Russia and Ukraine": the phrase says whose
            names_owner = child.lower_ == "loyal" or (
                child.dep_ == "prep"
                and child.lower_ in ("from", "of", "for")
                and any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in child.children)
            )
            names_state = (
                child.dep_ == "prep"
                and child.lower_ in ("of", "in")
                and any(
                    self.gaz.names.get(normalize(c.text)) in self.gaz.states.values() for c in child.children
                )
            )
            if names_owner and not names_state:
                return None
        # "its strategic bombers": the possessive may stand a few words before the noun
        owner = next(
            (
                c
                for c in head.children
                if c.dep_ == "poss" and c.i < start and c.lower_ in ("his", "its", "their", "her", "whose")
            ),
            None,
        )
        if owner is not None and owner.i < left:
            left = owner.i
        owned = left >= 0 and doc[left].lower_ in ("his", "its", "their", "her", "whose")
        if (
            head.dep_ in ("amod", "compound", "nmod")
            and head.head.i > head.i
            and not owned
            and not (head.pos_ == "NOUN" and self.lex.has(head.head, "target_object"))
        ):
            # "military help", "army chief": the word modifies the phrase's real head (but "police
            # stations", "army posts" are the institution's)
            return None
        if not owned and normalize(doc[start:end].text) not in self.gaz.bare_institutions:
            return None  # "missiles and tanks": equipment, not an actor, unless someone owns it
        # "the junta in Myanmar", "the army of Mali", "the government in Kabul"
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "of"):
                for pobj in prep.children:
                    sid = self.gaz.names.get(normalize(pobj.text)) if pobj.dep_ == "pobj" else None
                    if sid is not None and self.gaz.actors[sid].type is ActorType.STATE:
                        return ActorSpan(
                            start - (left >= 0 and doc[left].lower_ == "the"),
                            end,
                            end - 1,
                            self.gaz.institution(sid, kind),
                            "pattern",
                            0.9,
                        )
        if any(c.dep_ == "poss" and c.lower_ not in ("his", "its", "their", "her") for c in head.children):
            return None  # "Nagorno-Karabakh's Armenian-backed forces": the owner says whose
        if any(c.dep_ in ("compound", "nmod") and c.pos_ == "PROPN" for c in head.children):
            return None
        if left >= 0 and doc[left].lower_ in ("his", "its", "their", "her", "whose"):
            if doc[left].lower_ == "whose":  # "Eritrea, whose troops ...": the noun before the clause
                j = left - 1
                while j >= 0 and doc[j].is_punct:
                    j -= 1
                target = next((s for s in reversed(earlier) if s.start <= j < s.end), None)
            else:
                target = resolve_pronoun(doc, left, earlier)
            if target is not None and target.actor.country:
                state_id = self.gaz.states.get(target.actor.country)
            elif target is not None and target.actor.type in _ARMED_GROUP_TYPES:
                # "its fighters", "whose aircraft" of a group or coalition: the group itself
                return ActorSpan(left, end, end - 1, target.actor, "coref", 0.8 * target.confidence)
        elif left >= 0 and doc[left].lower_ == "federal":
            state_id = _salient_state(doc, start, earlier, ActorType.GOVERNMENT)
        elif (
            left >= 0
            and doc[left].pos_ in ("ADJ", "NOUN", "PROPN")
            and doc[left].lower_
            not in ("federal", "government", "state", "national", "regime", "advancing", "elite", "military")
        ):
            return None  # "peacekeeping troops", "Kurdish Peshmerga forces": not a state's own institution
        if state_id is None:
            # "government troops": the state whose government the article has been talking about
            government = doc[start].lower_ == "government" or (left >= 0 and doc[left].lower_ == "government")
            state_id = _salient_state(doc, start, earlier, ActorType.GOVERNMENT if government else kind)
        if state_id is None:
            return None
        owners = ("his", "its", "their", "her", "whose", "the", "federal")
        first = left if left >= 0 and doc[left].lower_ in owners else start
        return ActorSpan(first, end, end - 1, self.gaz.institution(state_id, kind), "coref", 0.7)

    def _state_nouns(self, doc, consumed: set[int], earlier: list[ActorSpan]) -> list[ActorSpan]:
        """ "the country", "the kingdom", "the state" → the most recent state mentioned before it."""
        found = []
        words = self.lex.of("state_noun")
        for i, low in enumerate(token_texts(doc)[1]):
            if i in consumed or low not in words or i == 0:
                continue
            tok = doc[i]
            if tok.dep_ == "compound" or tok.pos_ != "NOUN":
                continue
            before = doc[tok.i - 1].lower_
            if before in ("his", "its", "their", "her"):
                # "Rwandan President Paul Kagame denied that his country ...": the pronoun's state
                owner = resolve_pronoun(doc, tok.i - 1, earlier)
                state = self.gaz.state_for(owner.actor.country or "") if owner is not None else None
                if state is not None:
                    found.append(ActorSpan(tok.i - 1, tok.i + 1, tok.i, state, "coref", 0.75))
                continue
            if before != "the":
                continue
            iso3 = _salient_country(doc, [s for s in earlier if s.start < tok.i] or earlier)
            state = self.gaz.state_for(iso3) if iso3 else None
            if state is not None:
                found.append(ActorSpan(tok.i - 1, tok.i + 1, tok.i, state, "coref", 0.7))
        return found

    def _group_nouns(self, doc, consumed: set[int], spans: list[ActorSpan]) -> list[ActorSpan]:
        """ "the group", "the Palestinian group", "the alliance": the most recent named armed group."""
        found = []
        words = self.lex.of("group_noun")
        for i, low in enumerate(token_texts(doc)[1]):
            if i in consumed or low not in words or doc[i].pos_ != "NOUN":
                continue
            tok = doc[i]
            j = tok.i - 1
            while j >= 0 and doc[j].pos_ in ("ADJ", "PROPN") and j > tok.i - 3:
                j -= 1
            if j < 0 or doc[j].lower_ != "the":
                continue
            types = _BLOC_TYPES if tok.lower_ in _BLOC_NOUNS else _ARMED_GROUP_TYPES
            prior = [
                s
                for s in spans
                if s.end <= j
                and s.via != "generic"
                and (s.actor.type in types or tok.lower_ in s.actor.label.lower())
            ]
            # "the alliance" prefers an actor called an alliance, "the coalition" a coalition
            named = [s for s in prior if tok.lower_ in s.actor.label.lower()]
            if named or prior:
                found.append(ActorSpan(j, tok.i + 1, tok.i, (named or prior)[-1].actor, "coref", 0.75))
                consumed.update(range(j, tok.i + 1))
        return found

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

    def _people(
        self, doc, consumed: set[int], spans: list[ActorSpan]
    ) -> tuple[list[ActorSpan], list[tuple[int, int]]]:
        """Later mentions of people the article introduced by title ("Prime Minister Ariel Henry"
        ... "Henry"); PERSON, ORG and NORP entities no rule covered are left out and reported."""
        known: dict[str, set[Actor]] = {}  # full name or surname -> people introduced by title
        for span in spans:
            if span.actor.type is ActorType.PERSON and span.via in ("title", "gazetteer"):
                names = [t.text for t in doc[span.start : span.end] if t.pos_ == "PROPN" and t.is_title]
                for key in (" ".join(names[-2:]), names[-1] if names else ""):
                    if key:
                        known.setdefault(key.lower(), set()).add(span.actor)
        found: list[ActorSpan] = []
        unresolved = []
        # "forces loyal to Hadi": a bare surname the model did not tag as a person
        taken = set(consumed)
        for ent in entities(doc):
            taken.update(range(ent.start, ent.end))
        for tok in doc:
            people = known.get(tok.lower_, set()) if tok.pos_ == "PROPN" and tok.is_title else set()
            if tok.i not in taken and len(people) == 1:
                found.append(ActorSpan(tok.i, tok.i + 1, tok.i, next(iter(people)), "coref", 0.75))
        for ent in entities(doc):
            if any(i in consumed for i in range(ent.start, ent.end)):
                continue
            people = known.get(ent.text.lower(), set())  # the model may tag "Hadi" as a place
            if ent.label_ not in ("PERSON", "ORG", "NORP") and len(people) != 1:
                continue
            if len(people) == 1:
                found.append(ActorSpan(ent.start, ent.end, ent.end - 1, next(iter(people)), "coref", 0.8))
            else:
                unresolved.append((ent.start_char, ent.end_char))
        return found, unresolved


def _next_institution(doc, i: int, at) -> tuple[ActorType, int, int] | None:
    """An institution term at ``i`` or after at most two modifiers ("Syrian government forces")."""
    for j in range(i, min(i + 4, len(doc))):
        if j in at and at[j][0] == _INST:
            if _adjective_of_noun(doc[at[j][3] - 1], ("amod",)):
                return None  # "a South African private military company": no army
            return ActorType(at[j][1]), at[j][2], at[j][3]
        tok = doc[j]
        if j in at and at[j][0] == _ADJ:
            return None
        # "Yemen's internationally recognised government": modifiers may come between
        if not (tok.pos_ in ("ADJ", "NOUN", "PROPN", "VERB", "ADV") or tok.text == "-") or (
            tok.pos_ == "PUNCT" and tok.text != "-"
        ):
            return None
    return None


def sentence_bounds(doc) -> list[tuple[int, int]]:
    """(start, end) token offsets of the Doc's sentences, computed once per Doc.

    ``Token.sent`` walks the parse on every call; the rules ask for sentences thousands of times
    per article, so the boundaries are kept in ``doc.user_data``.
    """
    bounds = doc.user_data.get("conflictkg.sentences")
    if bounds is None:
        bounds = [(s.start, s.end) for s in doc.sents]
        index = [0] * len(doc)
        for k, (a, b) in enumerate(bounds):
            for t in range(a, b):
                index[t] = k
        doc.user_data["conflictkg.sentences"] = bounds
        doc.user_data["conflictkg.sentence_index"] = index
    return bounds


def sentence_index(doc, i: int) -> int:
    """The index (in :func:`sentence_bounds`) of the sentence holding token ``i``."""
    sentence_bounds(doc)
    return doc.user_data["conflictkg.sentence_index"][i]


def token_texts(doc) -> tuple[list[str], list[str], list[str]]:
    """(text, lower, lemma) of every token, read once per Doc.

    Each ``for tok in doc`` builds a Token object per word; the passes that only look for a few
    words scan these lists instead and touch Tokens where a word matches.
    """
    cached = doc.user_data.get("conflictkg.texts")
    if cached is None:
        texts, lowers, lemmas = [], [], []
        for tok in doc:
            texts.append(tok.text)
            lowers.append(tok.lower_)
            lemmas.append(tok.lemma_.lower())
        cached = doc.user_data["conflictkg.texts"] = (texts, lowers, lemmas)
    return cached


def _adjective_of_noun(tok, deps: tuple[str, ...]) -> bool:
    """An institution word used as an adjective of a later noun ("military" in "military accord")."""
    return tok.pos_ == "ADJ" and tok.dep_ in deps and tok.head.i > tok.i


_COMPASS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central"}


def _is_name_part(tok) -> bool:
    """A token that begins a proper place name ("Mocimboa"), not a word before one ("northern")."""
    return (
        tok.pos_ == "PROPN"
        and tok.text[:1].isupper()
        and tok.lower_ not in _COMPASS
        and (tok.lower_ not in ("the", "greater", "upper", "lower"))
    )


def entities(doc) -> tuple:
    """``doc.ents``, built once per Doc (the property makes new Span objects on every call)."""
    ents = doc.user_data.get("conflictkg.ents")
    if ents is None:
        ents = doc.user_data["conflictkg.ents"] = tuple(doc.ents)
    return ents


def entities_in(doc, start: int, end: int) -> list:
    """The entities inside the token range [start, end)."""
    return [e for e in entities(doc) if start <= e.start and e.end <= end]


def sentence_of(doc, i: int):
    """The sentence Span holding token ``i``, from the cached boundaries."""
    a, b = sentence_bounds(doc)[sentence_index(doc, i)]
    return doc[a:b]


def _localize_generics(doc, spans: list[ActorSpan], gaz: Gazetteer) -> list[ActorSpan]:
    """One side, one node: when an article ties a generic to one country ("Syrian rebels"), its
    bare mentions ("the rebels") are that same actor; when it ties none, a generic stands for
    the country the article is about, if one clearly leads (two mentions or more)."""
    iso3 = _theatre_country(doc, spans) or _salient_country(doc, spans)
    if iso3 is None or sum(1 for s in spans if s.actor.country == iso3) < 2:
        return spans
    state = gaz.state_for(iso3)
    out = []
    for span in spans:
        if (
            state is not None
            and span.actor.id in gaz.actors
            and span.actor.id in set(gaz.generics.values())
            and span.actor.type is not ActorType.CIVILIANS
        ):
            base = gaz.actors[span.actor.id]
            actor = Actor(
                id=f"{base.id}_{state.id}",
                label=base.label,
                type=base.type,
                aliases=(*span.actor.aliases, base.label),
                operates_in=iso3,
            )
            span = ActorSpan(span.start, span.end, span.head, actor, span.via, span.confidence)
        out.append(span)
    return out


_NAMING_VERBS = {"know", "call", "dub", "name"}


def _named_generics(doc, spans: list[ActorSpan], gaz: Gazetteer) -> list[ActorSpan]:
    """ "The insurgents, known locally as al Shabaab, ...": once the article names its generic
    insurgents, every mention of them (before and after) is that group."""
    renamed: dict[str, ActorSpan] = {}
    generic_ids = set(gaz.generics.values())
    for span in spans:
        base = span.actor.id.rpartition("_")[0] if span.actor.id not in gaz.actors else span.actor.id
        if span.actor.type is not ActorType.NON_STATE_ARMED_GROUP or base not in generic_ids:
            continue
        for acl in doc[span.head].children:
            if acl.dep_ != "acl" or acl.lemma_.lower() not in _NAMING_VERBS:
                continue
            for prep in acl.children:
                if prep.dep_ == "prep" and prep.lower_ == "as":
                    for pobj in prep.children:
                        named = next((s for s in spans if s.start <= pobj.i < s.end), None)
                        if (
                            named is not None
                            and named.via == "gazetteer"
                            and named.actor.type in _ARMED_GROUP_TYPES
                        ):
                            renamed.setdefault(span.actor.id, named)
    if not renamed:
        return spans
    return [
        ActorSpan(s.start, s.end, s.head, renamed[s.actor.id].actor, "coref", 0.8 * s.confidence)
        if s.actor.id in renamed
        else s
        for s in spans
    ]


def _unify_generics(spans: list[ActorSpan]) -> list[ActorSpan]:
    """One side, one node: when an article ties a generic to one country ("Syrian rebels"), its
    bare mentions ("the rebels", "rebels") are that same actor."""
    qualified: dict[str, set[str]] = {}
    actors: dict[str, Actor] = {}
    for span in spans:
        base, _, country = span.actor.id.rpartition("_")
        if span.actor.operates_in and base and len(country) == 3 and span.actor.type is not ActorType.STATE:
            qualified.setdefault(base, set()).add(span.actor.id)
            actors[span.actor.id] = span.actor
    out = []
    for span in spans:
        ids = qualified.get(span.actor.id)
        if ids and len(ids) == 1:
            span = ActorSpan(
                span.start, span.end, span.head, actors[next(iter(ids))], span.via, span.confidence
            )
        out.append(span)
    return out


def _clause_subjects(tok) -> set[int]:
    """Token indices of the subjects of the clauses governing ``tok`` (through xcomp/conj)."""
    out: set[int] = set()
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for _ in range(2):  # the nearest verb, and its governor when the verb is a complement
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                out.update(t.i for t in child.subtree)
        if out or verb.dep_ not in ("xcomp", "acl"):
            break
        # "Nigeria's military, aided by vigilantes, recaptured the towns held by the insurgents":
        # climb from the participle to the clause whose subject acts on the insurgents
        verb = verb.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
    return out


def _salient_country(doc, spans: Sequence[ActorSpan]) -> str | None:
    """The country talked about most (as an actor, not as a place "in Havana"), latest on ties."""
    counts: Counter[str] = Counter()
    last: dict[str, int] = {}
    for span in spans:
        country = span.actor.country
        if not country or span.via == "modifier":
            continue
        head = doc[span.head]
        if head.dep_ == "pobj" and head.head.lower_ in ("in", "at", "near", "into", "outside", "from", "to"):
            continue
        counts[country] += 1
        last[country] = span.start
    if not counts:
        return None
    return max(counts, key=lambda c: (counts[c], last[c]))


_PLACE_PREPS = {"in", "into", "inside", "across", "throughout"}


def _theatre_country(doc, spans: Sequence[ActorSpan]) -> str | None:
    """The country the fighting is in: the state named most often as a place ("in Mozambique",
    "Mozambique's northern province"), where an article's unnamed insurgents and militias belong
    even when a foreign army is the actor it mentions most."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for span in spans:
        if span.actor.type is not ActorType.STATE or not span.actor.country:
            continue
        head = doc[span.head]
        owned = head.head if head.dep_ == "poss" else head  # "in Mozambique's northern province"
        if owned.dep_ == "pobj" and owned.head.lower_ in _PLACE_PREPS:
            counts[span.actor.country] += 1
            first.setdefault(span.actor.country, span.start)
    if not counts:
        return None
    # most place mentions; on a tie the one named first (the lede says where it happens)
    return min(counts, key=lambda c: (-counts[c], first[c]))


def _salient_state(doc, start: int, earlier: list[ActorSpan], kind: ActorType) -> str | None:
    """The state of an institution named earlier in the same sentence ("took up arms against the
    government ..., attacking police and army posts"), else of the most recent institution of
    ``kind``, else of any institution, else the state mentioned most often so far."""
    sentence_start = sentence_bounds(doc)[sentence_index(doc, start)][0]
    for prev in reversed(earlier):
        if prev.start < sentence_start:
            break
        if prev.actor.type in (ActorType.ARMED_FORCES, ActorType.GOVERNMENT) and prev.actor.acts_for:
            return prev.actor.acts_for
    for wanted in ((kind,), (ActorType.ARMED_FORCES, ActorType.GOVERNMENT)):
        for prev in reversed(earlier):
            if prev.actor.type in wanted and prev.actor.acts_for and prev.via != "coref":
                return prev.actor.acts_for
    counts = Counter(s.actor.id for s in earlier if s.actor.type is ActorType.STATE)
    return counts.most_common(1)[0][0] if counts else None


def _slug(text: str) -> str:
    ascii_text = normalize(text)
    return re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")


def resolve_pronoun(
    doc,
    i: int,
    spans: Sequence[ActorSpan],
    exclude: set[str] | None = None,
    exclude_countries: frozenset[str] = frozenset(),
) -> ActorSpan | None:
    """The actor a pronoun at token ``i`` most likely refers to: the most recent compatible span
    before it in the same sentence or the two before, skipping actors in ``exclude``."""
    word = doc[i].lower_
    bounds = sentence_bounds(doc)
    k = sentence_index(doc, i)
    window_start = bounds[max(0, k - 2)][0]
    candidates = [s for s in spans if window_start <= s.start and s.end <= i and s.via != "modifier"]
    passes = [candidates]
    tok = doc[i]
    if tok.dep_ in ("nsubj", "nsubjpass") or (tok.dep_ == "poss" and tok.head.dep_ in ("nsubj", "nsubjpass")):
        # a subject pronoun (or the subject's owner: "Its gunships fired") continues the topic:
        # prefer earlier subjects ("Russia has a base in Armenia ..., but it also sells weapons")
        passes.insert(0, [s for s in candidates if _is_subject(doc[s.head])])
    for pool in passes:
        for span in reversed(pool):
            if (exclude and span.actor.id in exclude) or (
                span.actor.country and span.actor.country in exclude_countries
            ):
                continue
            t = span.actor.type
            if word in _PERSON_PRONOUNS and (
                t is ActorType.PERSON
                or (t is ActorType.GOVERNMENT and doc[span.head].lemma_.lower() in _PERSON_HEADS)
            ):
                return span  # "Congo's president ... his side"
            if word in _IT_PRONOUNS and t in _SINGULAR_TYPES and not _is_plural(doc, span):
                return span
            if word in _THEY_PRONOUNS and (t in _PLURAL_TYPES or _is_plural(doc, span)):
                return span
    return None


def _is_subject(tok) -> bool:
    """A clause subject, or a name in apposition to one ("The U.N. mission, known as MONUSCO, has")."""
    subject = ("nsubj", "nsubjpass")
    return tok.dep_ in subject or (tok.dep_ == "appos" and tok.head.dep_ in subject)


def _is_plural(doc, span: ActorSpan) -> bool:
    return doc[span.head].tag_ in ("NNS", "NNPS")
