"""Step 3 of the actor step, continued: definite descriptions and bare words resolved by salience.

"the rebels", "militants" → the armed group the article is about; "the army", "its troops",
"federal forces" → the institution of the state they belong to; "the country" → the state
mentioned most; "the group", "the alliance" → the latest named group or bloc.
"""

from __future__ import annotations

from collections import Counter

from graph.extraction.coreference import (
    ARMED_GROUP_TYPES,
    clause_subjects,
    names_a_people,
    resolve_pronoun,
    salient_country,
    salient_state,
)
from graph.extraction.linking import adjective_of_noun
from graph.extraction.spans import ActorSpan, sentence_bounds, sentence_index, token_texts
from graph.gazetteer import Gazetteer, normalize
from graph.lexicon import Lexicon
from graph.records import Actor, ActorType

__all__ = ["Descriptions", "group_nouns", "state_nouns"]

_DEFINITE = {"the", "these", "those", "this", "that"}
# "the alliance" after NATO, "the bloc" after ECOWAS: organisations and coalitions, not armed groups
_BLOC_NOUNS = {"alliance", "bloc", "coalition", "organisation", "organization"}
_BLOC_TYPES = {ActorType.INTERNATIONAL_ORGANIZATION, ActorType.COALITION}
# generics whose bare plural ("militants attacked ...") stands for the one armed group a story is about
_ANCHORED_GENERICS = {"jihadists", "rebels"}


class Descriptions:
    """Resolves generic and institution words against the spans found before them."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        self.gaz = gazetteer
        self.lex = lexicon
        self._kinds: dict[str, frozenset[str]] = {}  # actor id -> generic kinds its names contain

    def generic_span(self, doc, gid: str, start: int, end: int, earlier: list[ActorSpan]) -> ActorSpan:
        """A generic word: the armed group a definite or bare one stands for, else the generic actor."""
        base = self.gaz.actors[gid]
        head_tok = doc[end - 1]
        det = next(
            (c for c in head_tok.children if c.dep_ == "det" and c.i < start and c.lower_ in _DEFINITE), None
        )
        definite = start > 0 and (
            doc[start - 1].lower_ in _DEFINITE
            or det is not None
            # French "du groupe jihadiste": a preposition that carries the definite article
            or (doc[start - 1].pos_ == "ADP" and "Def" in doc[start - 1].morph.get("Definite"))
        )
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
        # "Hutu militias attacked the Tutsi rebels": a generic a people names is that people's group
        # (.coreference.peopled_generics), no earlier group's mention
        peopled = start > 0 and doc[start - 1].i != head_tok.i and names_a_people(doc[start - 1], self.gaz)
        if (definite or bare) and not peopled and base.type is ActorType.NON_STATE_ARMED_GROUP:
            first = start - 1 if doc[start - 1].lower_ in _DEFINITE else start
            subjects = clause_subjects(doc[end - 1])
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
            # "Ansaru insurgents ... the insurgents": whom the article's last "insurgents" stood for
            # (a bare generic mention says nothing of whom)
            word = head_tok.lemma_.lower()
            same_word = [
                p
                for p in earlier
                if p.actor.id in counts and p.via != "generic" and doc[p.head].lemma_.lower() == word
            ]
            if bare and len(counts) != 1:
                pass  # a bare plural follows only a story about one armed group
            elif same_sentence:  # "... an attack by ISGS, ... troops had killed 37 of the assailants"
                best = max(same_sentence, key=lambda a: last[a].start)
                return ActorSpan(first, end, end - 1, last[best].actor, "coref", 0.8 * last[best].confidence)
            elif same_word:
                prev = same_word[-1]
                return ActorSpan(first, end, end - 1, prev.actor, "coref", 0.8 * prev.confidence)
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

    def _seat(self, doc, head, end: int) -> str | None:
        """The state whose seat or territory names an institution: "the Kabul government"
        (a capital in compound), "the government in Tripoli" (the place just after it, which
        the parser often hangs on the verb)."""
        for child in head.children:
            if child.dep_ in ("compound", "nmod") and child.pos_ == "PROPN" and child.i < head.i:
                sid = self.gaz.names.get(normalize(child.text))
                if sid is not None and self.gaz.actors[sid].type is ActorType.STATE:
                    return sid
        return None

    def _sentence_theatre(self, doc, start: int) -> str | None:
        """The one state the sentence names as a place ("in northwestern Bosnia"), if only one."""
        first, last = sentence_bounds(doc)[sentence_index(doc, start)]
        found: set[str] = set()
        for tok in doc[first:last]:
            if tok.dep_ != "pobj" or tok.head.lower_ not in ("in", "inside", "across", "throughout"):
                continue
            # longest first: "South Sudan" before "Sudan"; "eastern Burkina Faso" (the tagger's
            # proper "eastern") down to "Burkina Faso"
            name = _name_of(doc, tok).split()
            names = [" ".join(name[k:]) for k in range(len(name))]
            sid = next(
                (self.gaz.names.get(normalize(n)) for n in names if self.gaz.names.get(normalize(n))), None
            )
            if sid is not None and self.gaz.actors[sid].type is ActorType.STATE:
                found.add(sid)
        return found.pop() if len(found) == 1 else None

    def _groups_country(self, sentence: list[ActorSpan]) -> str | None:
        """The state of the one country the sentence's named armed groups operate in, if one."""
        where = {
            s.actor.operates_in
            for s in sentence
            if s.actor.type is ActorType.NON_STATE_ARMED_GROUP
            and s.via == "gazetteer"
            and s.actor.operates_in
        }
        state = self.gaz.state_for(where.pop()) if len(where) == 1 else None
        return state.id if state is not None else None

    def _seat_after(self, doc, head, end: int) -> str | None:
        """ "the internationally recognised government in Tripoli", with "in" hung on the verb:
        the state named just after the phrase (only when nothing earlier says whose it is)."""
        if end + 1 < len(doc) and doc[end].lower_ == "in" and doc[end].head.i != head.i:
            place = doc[end + 1]
            if place.pos_ == "PROPN" and place.dep_ in ("pobj", "compound"):
                tail = place if place.dep_ == "pobj" else place.head
                sid = self.gaz.names.get(normalize(doc[place.i : tail.i + 1].text))
                if sid is not None and self.gaz.actors[sid].type is ActorType.STATE:
                    return sid
        return None

    def bare_institution(
        self,
        doc,
        kind: ActorType,
        start: int,
        end: int,
        earlier: list[ActorSpan],
        sentence: list[ActorSpan] | None = None,
    ) -> ActorSpan | None:
        """ "the army", "its troops", "federal forces", "the junta": the state they belong to.

        ``sentence``: on a second pass, every actor of the sentence; when nothing else says whose
        the institution is, the one country its armed groups fight in ("peace talks between the
        government and the MILF": the Philippine government).
        """
        left = start - 1
        state_id: str | None = None
        head = doc[end - 1]
        if adjective_of_noun(head, ("amod", "conj")):
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
                    self.gaz.names.get(normalize(_name_of(doc, c))) in self.gaz.states.values()
                    for c in child.children
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
                    sid = self.gaz.names.get(normalize(_name_of(doc, pobj))) if pobj.dep_ == "pobj" else None
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
        seat = self._seat(doc, head, end)
        if seat is not None:
            first = left if left >= 0 and doc[left].lower_ == "the" else start
            return ActorSpan(first, end, end - 1, self.gaz.institution(seat, kind), "pattern", 0.85)
        if any(
            c.dep_ in ("compound", "nmod")
            and c.pos_ == "PROPN"
            and not _backer_prefix(doc, c, self.lex.of("backer_suffix"))
            for c in head.children
        ):
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
            elif target is not None and (
                target.actor.type in ARMED_GROUP_TYPES
                or (
                    target.actor.type is ActorType.INTERNATIONAL_ORGANIZATION
                    and kind is ActorType.ARMED_FORCES
                )
            ):
                # "its fighters", "whose aircraft" of a group or coalition, "its helicopter gunships"
                # of a peacekeeping mission: the group or the organisation itself
                return ActorSpan(left, end, end - 1, target.actor, "coref", 0.8 * target.confidence)
        elif left >= 0 and doc[left].lower_ == "federal":
            state_id = salient_state(doc, start, earlier, ActorType.GOVERNMENT)
        elif (
            left >= 0
            and doc[left].pos_ in ("ADJ", "NOUN", "PROPN")
            and doc[left].lower_
            not in ("federal", "government", "state", "national", "regime", "advancing", "elite", "military")
            and not self.lex.has(doc[left], "standing_word")
            and not _backer_prefix(doc, doc[left], self.lex.of("backer_suffix"))
        ):
            return None  # "peacekeeping troops", "Kurdish Peshmerga forces": not a state's own institution
        if state_id is None:
            # "government troops": the state whose government the article has been talking about
            government = doc[start].lower_ == "government" or (left >= 0 and doc[left].lower_ == "government")
            if government and kind is not ActorType.GOVERNMENT:
                # "fighting between government troops and Bosnian Serb forces in northwestern
                # Bosnia": the sentence says where the government is, before the article does
                state_id = self._sentence_theatre(doc, start)
            if state_id is None:
                state_id = salient_state(doc, start, earlier, ActorType.GOVERNMENT if government else kind)
            if state_id is None and kind is not ActorType.GOVERNMENT:
                # "Jihadist fighters killed 33 soldiers near a village in eastern Burkina Faso", first
                # in the article: the soldiers of the one state the sentence places them in
                state_id = self._sentence_theatre(doc, start)
        if state_id is None:
            state_id = self._seat_after(doc, head, end)
        if state_id is None and sentence:
            state_id = self._groups_country(sentence)
        if state_id is None:
            return None
        owners = ("his", "its", "their", "her", "whose", "the", "federal")
        first = left if left >= 0 and doc[left].lower_ in owners else start
        return ActorSpan(first, end, end - 1, self.gaz.institution(state_id, kind), "coref", 0.7)


def _name_of(doc, tok) -> str:
    """A name with its compound words: "South Sudan" for the token "Sudan" ("the Government of
    South Sudan" is not Sudan's)."""
    first = tok.i
    while first > 0 and doc[first - 1].dep_ == "compound" and doc[first - 1].head.i == tok.i:
        first -= 1
    return doc[first : tok.i + 1].text


def _backer_prefix(doc, tok, suffixes: frozenset[str]) -> bool:
    """ "U.N.-supported", "the UN - backed": a backer's prefix, which says nothing of whose the
    institution is."""
    low = tok.lower_
    if "-" in low and low.rsplit("-", 1)[1] in suffixes:
        return True
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    after = doc[tok.i + 2] if tok.i + 2 < len(doc) else None
    return (
        nxt is not None and nxt.text == "-" and after is not None and after.lower_ in suffixes
    ) or low in suffixes


def state_nouns(
    doc, consumed: set[int], earlier: list[ActorSpan], gaz: Gazetteer, lex: Lexicon
) -> list[ActorSpan]:
    """ "the country", "the kingdom", "the state" → the most recent state mentioned before it."""
    found = []
    words = lex.of("state_noun")
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
            state = gaz.state_for(owner.actor.country or "") if owner is not None else None
            if state is not None:
                found.append(ActorSpan(tok.i - 1, tok.i + 1, tok.i, state, "coref", 0.75))
            continue
        if before != "the":
            continue
        # "Russian forces attacked the country": never the clause subject's own country
        subjects = clause_subjects(tok)
        own = {s.actor.country for s in earlier if any(s.start <= j < s.end for j in subjects)}
        prior = [s for s in earlier if s.start < tok.i] or earlier
        iso3 = salient_country(doc, [s for s in prior if s.actor.country not in own] if own else prior)
        state = gaz.state_for(iso3) if iso3 else None
        if state is not None:
            found.append(ActorSpan(tok.i - 1, tok.i + 1, tok.i, state, "coref", 0.7))
    return found


def group_nouns(doc, consumed: set[int], spans: list[ActorSpan], lex: Lexicon) -> list[ActorSpan]:
    """ "the group", "the Palestinian group", "the alliance": the most recent named armed group."""
    found = []
    words = lex.of("group_noun")
    for i, low in enumerate(token_texts(doc)[1]):
        if i in consumed or low not in words or doc[i].pos_ != "NOUN":
            continue
        tok = doc[i]
        j = tok.i - 1
        while j >= 0 and doc[j].pos_ in ("ADJ", "PROPN") and j > tok.i - 3:
            j -= 1
        if j < 0 or doc[j].lower_ != "the":
            continue
        types = _BLOC_TYPES if tok.lower_ in _BLOC_NOUNS else ARMED_GROUP_TYPES
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
