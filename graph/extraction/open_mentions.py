"""Find open-world actor mentions: noun phrases that denote an actor no gazetteer row or pattern knows.

Linking (the gazetteer, the institution patterns, titles, coreference) runs first and claims the
tokens it resolves. What is left is searched here for phrases that still denote a participant:

* a person the model tagged (PERSON) that no row lists ("Laquan McDonald");
* an organisation the model tagged (ORG), typed by its last word ("... Liberation Front" → an armed
  group, "... Brigade" → a military unit), else ``other``;
* a collective named by a nationality, religion or ethnicity (NORP) standing alone ("the Yazidis");
* a noun phrase whose head noun is in ``ontology/lexicon/heads.csv`` ("ethnic Serbs", "a rival clan",
  "Charlotte police", "coalition aircraft", "the 3rd Assault Brigade"), typed by that noun.

Each becomes an :class:`ActorSpan` of an actor minted by :func:`graph.openworld.open_actor`, tied to
a country when the phrase itself says which (a demonym, a state's possessive, "of X" / "in X").
A phrase needs a name or a modifier to be an actor: a bare "forces" or "people" says too little.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from graph.extraction.spans import ActorSpan, entities, token_texts
from graph.gazetteer import Gazetteer, normalize
from graph.lexicon import Lexicon
from graph.openworld import open_actor
from graph.records import Actor, ActorType, RelationKind

__all__ = ["OpenMentions"]

_MODIFIER_DEPS = frozenset({"amod", "compound", "nmod", "npadvmod"})
_DROP_WORDS = frozenset(
    {"the", "a", "an", "some", "several", "other", "many", "most", "all", "both", "these", "those"}
)
# Heads too vague alone: they need a modifier, a count or an owner to be an actor
_NEEDS_MODIFIER = frozenset(
    {ActorType.ARMED_FORCES, ActorType.CIVILIANS, ActorType.GOVERNMENT, ActorType.COALITION, ActorType.OTHER}
)


# what the model calls a city it mistakes or names ("Kherson" as a person, "Aleppo" as a people)
_CITY_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE", "LOC", "FAC"})
# a city this large is read as a place even when the text never names its country ("Monrovia")
_BIG_CITY = 500_000
# where a bare acronym fills a participant's slot
_ARGUMENT_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos"})


def _operation_name(doc, start: int) -> bool:
    """Whether a name at ``start`` ends the code name of an operation ("Operation Chengiz Khan")."""
    j = start - 1
    while j >= 0 and doc[j].pos_ == "PROPN" and doc[j].text != "Operation" and start - j < 4:
        j -= 1
    return j >= 0 and doc[j].text == "Operation"


def _is_place(tok, place_words: frozenset[str]) -> bool:
    """A name in a place's slot: "the town of X", "in X", or a conjunct of one ("in X and Y")."""
    while tok.dep_ in ("conj", "appos") and tok.head.i != tok.i:
        tok = tok.head
        if tok.lemma_.lower() in place_words:
            return True  # "the town of Fotokol and then Bosso": a conjunct of the place noun
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    return prep.lower_ in place_words or (prep.lower_ == "of" and prep.head.lemma_.lower() in place_words)


def _head_type(tok, heads: Mapping[str, ActorType]) -> ActorType | None:
    low = tok.lower_
    if low in heads:
        return heads[low]
    lemma = tok.lemma_.lower()
    # only plural or listed forms: "officer" is listed, "forces" is listed, "force" is not
    return heads.get(lemma) if lemma in heads and tok.tag_ in ("NNS", "NNPS") else None


def _country_of(doc, tok, spans_by_token: Mapping[int, ActorSpan], gaz: Gazetteer, start: int) -> str | None:
    """The ISO code a phrase ties itself to: a demonym inside it, a state's possessive, "of/in X"."""
    for i in range(start, tok.i):
        state_id = gaz.adjectives.get(normalize(doc[i].text))
        if state_id is not None:
            return gaz.actors[state_id].country
        span = spans_by_token.get(i)
        if span is not None and span.actor.country:
            return span.actor.country
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "in", "from"):
            for pobj in child.children:
                span = spans_by_token.get(pobj.i)
                if pobj.dep_ == "pobj" and span is not None and span.actor.type is ActorType.STATE:
                    return span.actor.country
    return None


def _phrase_start(doc, tok, taken: set[int], stop: frozenset[str]) -> int:
    """The first word of the phrase headed by ``tok``: its contiguous left modifiers, up to a word
    that belongs to another actor ("Russian-backed": the backer is not part of the phrase)."""
    start = tok.i
    while start > 0:
        prev = doc[start - 1]
        if start > 1 and prev.text == "-" and doc[start - 2].lower_ in ("non", "anti", "pro"):
            start -= 2  # "non-Arab communities", "anti-government protesters": the prefix is kept
            continue
        if prev.i in taken or prev.lower_ in _DROP_WORDS or prev.lower_ in stop or prev.is_punct:
            break
        if prev.head.i not in range(start, tok.i + 1) and prev.head.i != tok.i:
            break
        if prev.dep_ not in (*_MODIFIER_DEPS, "punct", "case", "nummod", "det", "poss") or prev.pos_ in (
            "NUM",
            "DET",
        ):
            break
        start -= 1
    return start


def _with_short_names(
    doc, spans: list[ActorSpan], taken: set[int], short: dict[str, Actor]
) -> list[ActorSpan]:
    """Organisations named with their acronym after them ("Dyck Advisory Group (DAG)"): the span
    takes the parentheses in (and the acronym's own span, if the model tagged it apart), the actor
    the acronym as an alias, and ``short`` remembers it, so the article's later "DAG" is the same
    actor."""
    by_start = {s.start: s for s in spans}
    merged: set[int] = set()
    out = []
    for span in spans:
        if span.start in merged:
            continue
        end = span.end
        inner = by_start.get(end + 1)
        if (
            span.actor.type not in (ActorType.PERSON, ActorType.COMMUNAL_GROUP)
            and end + 2 < len(doc)
            and doc[end].text == "("
            and doc[end + 2].text == ")"
            and 2 <= len(doc[end + 1].text) <= 6
            and doc[end + 1].text.isalpha()
            and doc[end + 1].text.isupper()
            and (end + 1 not in taken or (inner is not None and inner.end == end + 2))
        ):
            if inner is not None:
                merged.add(inner.start)
            acronym = doc[end + 1].text
            actor = replace(span.actor, aliases=(*span.actor.aliases, acronym))
            short.setdefault(acronym, actor)
            span = replace(span, end=end + 3, actor=actor)
            taken.update(range(end, end + 3))
        out.append(span)
    return out


class OpenMentions:
    """The open-world layer, built once per gazetteer and lexicon."""

    def __init__(
        self,
        gazetteer: Gazetteer,
        lexicon: Lexicon,
        heads: Mapping[str, ActorType],
        name_heads: Mapping[str, ActorType],
        cities: Mapping[str, tuple[str, int]] | None = None,
    ) -> None:
        self.gaz = gazetteer
        self.cities = cities or {}
        self.heads = heads
        self.name_heads = name_heads
        # words that end a phrase on the left ("-backed", "-led", "-linked"): before them stands
        # another actor
        self.stop = frozenset(lexicon.modifiers) | lexicon.of("prefix_word")
        # a name after "the town of" or "in" is a place the model may have tagged as a person
        self.place_words = lexicon.of("place_noun") | lexicon.of("locative_prep")
        # "the police shooting of X", "a police checkpoint": an actor noun compounded on an event
        # noun is its agent, on a military object its owner
        self.event_nouns = frozenset(lexicon.nouns) | lexicon.of("target_object")
        # "ZANLA camps", "PKK positions": an acronym owning a military object is its owner's name
        self.owned = lexicon.of("target_object") | lexicon.of("representative")
        # "People's", "Workers'": a possessive inside an organisation's name
        self.possessive_words = lexicon.of("possessive_name_word")
        # "Iranian-aligned groups": a group noun that a backer's modifier makes an armed group
        self.group_nouns = lexicon.of("group_noun")
        self.weapons = lexicon.of("weapon_noun")
        self.backing = frozenset(w for w, t in lexicon.modifiers.items() if t.kind is RelationKind.BACKED)

    def spans(self, doc, spans: Sequence[ActorSpan]) -> list[ActorSpan]:
        """Open-world actor spans among the tokens no earlier layer resolved."""
        by_token = {i: s for s in spans for i in range(s.start, s.end)}
        taken = set(by_token)
        short: dict[str, Actor] = {}  # "Dyck Advisory Group (DAG)": DAG -> that actor
        defined = _linked_acronyms(doc, spans, taken)  # "Papua New Guinea (PNG) ... PNG"
        found = defined + _with_short_names(doc, self._entities(doc, by_token, taken), taken, short)
        found += _with_short_names(doc, self._titled(doc, by_token, taken), taken, short)
        acronyms = self._acronyms(doc, taken)
        found += acronyms
        if short:  # "DAG's gunners", "DAG said": the short name the article gave the organisation
            found = [
                replace(a, actor=short[doc[a.start].text])
                if a.end - a.start == 1 and doc[a.start].text in short
                else a
                for a in found
            ]
        found = _surnames(doc, list(spans), found, taken)
        return found + self._backed_groups(doc, taken) + self._phrases(doc, by_token, taken)

    def _backed_groups(self, doc, taken: set[int]) -> list[ActorSpan]:
        """ "attacks from Iranian-aligned groups", "U.S.-backed factions": plural group nouns that
        a backer's hyphenated modifier marks as the armed proxies of a war ("rights groups" alone
        are no actor). The backing itself is read by the modifier rule."""
        found: list[ActorSpan] = []
        for tok in doc:
            if tok.i in taken or tok.tag_ not in ("NNS", "NNPS") or not self._is_group(tok):
                continue
            mods = [c for c in tok.children if c.dep_ in ("amod", "compound") and c.i < tok.i]
            backer = next((m for m in mods if m.lower_.rsplit("-", 1)[-1] in self.backing), None)
            if backer is None or not ((backer.i > 1 and doc[backer.i - 1].text == "-") or "-" in backer.text):
                continue
            start = min(t.i for t in backer.subtree)
            if doc[start].lower_ in _DROP_WORDS:
                start += 1
            label = doc[start : tok.i + 1].text
            found.append(
                ActorSpan(
                    start, tok.i + 1, tok.i, open_actor(label, ActorType.NON_STATE_ARMED_GROUP), "open", 0.7
                )
            )
            taken.update(range(tok.i, tok.i + 1))
        return found

    def _is_group(self, tok) -> bool:
        return tok.lemma_.lower() in self.group_nouns or tok.lower_.rstrip("s") in self.group_nouns

    def _titled(self, doc, by_token: Mapping[int, ActorSpan], taken: set[int]) -> list[ActorSpan]:
        """ "the National Liberation Front of Angola", "the Kachin Independence Army": a name in
        capitals ending in an organisation word (``name_heads.csv``) that the model did not tag.
        A trailing "of X" stays in the label and gives the country; X keeps its own reading."""
        found: list[ActorSpan] = []
        texts, lowers, _ = token_texts(doc)
        for i, low in enumerate(lowers):
            kind = self.name_heads.get(low)
            if kind is None or i in taken or not texts[i][:1].isupper():
                continue
            tok = doc[i]
            if tok.pos_ != "PROPN":
                continue
            start = tok.i
            while start > 0 and doc[start - 1].i not in taken:
                if doc[start - 1].pos_ == "PROPN":
                    start -= 1
                elif (
                    start > 1
                    and doc[start - 1].lower_ in ("'s", "’s")
                    and doc[start - 2].lower_ in self.possessive_words
                    and doc[start - 2].i not in taken
                ):
                    start -= 2  # "the People's Armed Forces of Liberation of Angola"
                else:
                    break
            if start == tok.i or (doc[start].is_sent_start and start == tok.i - 1):
                continue  # "Army" alone, or a sentence's first word before it, is no name
            end = tok.i + 1
            label_end = end
            country = None
            label_start = start
            before = by_token.get(start - 1)
            if before is not None and before.actor.type is ActorType.STATE and doc[start - 1].pos_ == "PROPN":
                # "the Mozambique National Resistance Movement": the state's name is part of the
                # label (and gives the country) but keeps its own reading
                label_start, country = before.start, before.actor.country
            if end + 1 < len(doc) and doc[end].lower_ == "of" and doc[end + 1].pos_ == "PROPN":
                label_end = end + 1
                while label_end < len(doc) and doc[label_end].pos_ == "PROPN":
                    label_end += 1
                owner = by_token.get(label_end - 1)
                if owner is not None and owner.actor.type is ActorType.STATE:
                    country = owner.actor.country
            label = doc[label_start:label_end].text
            found.append(ActorSpan(start, end, tok.i, open_actor(label, kind, country), "open", 0.65))
            taken.update(range(start, end))
        return found

    def _acronyms(self, doc, taken: set[int]) -> list[ActorSpan]:
        """ "the MPLA defeated the FNLA": an acronym in capitals the model did not tag is an
        organisation's name far more often than anything else (it still enters the graph only
        through a relation)."""
        found: list[ActorSpan] = []
        texts = token_texts(doc)[0]
        for i, text in enumerate(texts):
            if i in taken or not (3 <= len(text) <= 6 and text.isalpha() and text.isupper()):
                continue  # most words are no acronym: build no Token for them
            tok = doc[i]
            if (
                tok.pos_ not in ("PROPN", "NOUN")  # ("MPLA" is often tagged a plural noun)
                or not (
                    tok.dep_ in _ARGUMENT_DEPS or (tok.dep_ == "compound" and tok.head.lemma_ in self.owned)
                )
                or _is_place(tok, self.place_words)
            ):
                continue
            kind = self.name_heads.get(tok.lower_, ActorType.OTHER)
            found.append(ActorSpan(tok.i, tok.i + 1, tok.i, open_actor(text, kind, None), "open", 0.6))
            taken.add(tok.i)
        return found

    def _name_of_state(
        self, doc, ent, by_token: Mapping[int, ActorSpan], taken: set[int]
    ) -> ActorSpan | None:
        """An organisation the model tags whose name ends "of <state>" ("the People's Armed Forces
        of Liberation of Angola", "the National Union for the Total Independence of Angola"): the
        organisation, with that state's country; the state keeps its own reading."""
        ofs = [t.i for t in doc[ent.start : ent.end] if t.lower_ == "of"]
        if ent.label_ != "ORG" or not ofs or ofs[0] == ent.start:
            return None
        if any(i in taken for i in range(ent.start, ofs[0])):
            return None
        states = [by_token[i] for i in range(ofs[0], ent.end) if i in taken and i in by_token]
        if not states or any(s.actor.type is not ActorType.STATE for s in states):
            return None
        word = doc[ofs[0] - 1].lower_
        kind = self.name_heads.get(word) or self.heads.get(word)
        if kind is None:
            return None
        if kind in (ActorType.ARMED_FORCES, ActorType.GOVERNMENT, ActorType.POLICE):
            # a state's own forces are read by the patterns; a name the gazetteer lacks is a
            # movement's ("the People's Armed Forces of Liberation of Angola"): where it operates
            kind = ActorType.NON_STATE_ARMED_GROUP
        first = ent.start + 1 if doc[ent.start].lower_ == "the" else ent.start
        actor = open_actor(doc[first : ent.end].text, kind, states[-1].actor.country)
        return ActorSpan(ent.start, ofs[0], ofs[0] - 1, actor, "open", 0.65)

    def _entities(self, doc, by_token: Mapping[int, ActorSpan], taken: set[int]) -> list[ActorSpan]:
        """People, organisations and peoples the model tags and no layer linked."""
        found: list[ActorSpan] = []
        for ent in entities(doc):
            if any(i in taken for i in range(ent.start, ent.end)):
                named = self._name_of_state(doc, ent, by_token, taken)
                if named is not None:  # "the People's Armed Forces of Liberation of Angola"
                    found.append(named)
                    taken.update(range(named.start, named.end))
                continue
            head = doc[ent.end - 1]
            if _is_place(head, self.place_words):
                continue
            if _operation_name(doc, ent.start):
                continue  # "Operation Chengiz Khan", "Operation Barbarossa": an operation's code name
            # ("Charlotte police": a city naming whose police they are is part of that phrase)
            standalone = not (
                head.dep_ in ("compound", "amod", "nmod", "poss")
                and _head_type(head.head, self.heads) is not None
            )  # but "the Kati base" is a base in Mali
            if standalone and ent.label_ in _CITY_LABELS and (city := self._city(ent, by_token)) is not None:
                found.append(city)
                taken.update(range(ent.start, ent.end))
                continue
            if not standalone and ent.label_ == "PERSON" and head.dep_ in ("compound", "amod"):
                continue  # "the Hutu regime", "Mobutu loyalists": the name modifies the actor phrase
            kind: ActorType | None = None
            country = None
            if ent.label_ == "PERSON" and head.pos_ == "PROPN" and len(ent.text) > 2:
                # "the Yazidis" tagged as a person: a plural name is a people
                single_plural = head.tag_ == "NNPS" and ent.start == ent.end - 1
                kind = ActorType.COMMUNAL_GROUP if single_plural else ActorType.PERSON
            elif (
                ent.label_ == "ORG"
                and head.pos_ in ("PROPN", "NOUN")
                and head.dep_ not in ("compound", "amod")
            ):
                kind = self.name_heads.get(head.lower_, self.heads.get(head.lower_, ActorType.OTHER))
                if kind is ActorType.POLICE:
                    country = _country_of(doc, head, by_token, self.gaz, ent.start)
            elif (
                ent.label_ == "NORP"
                and head.pos_ in ("PROPN", "NOUN")
                and head.dep_ not in ("compound", "amod")
                # "the Yazidis", "Kurds": a people is plural or definite; "out of Omdurman" is a place
                and (head.tag_ in ("NNS", "NNPS") or (ent.start > 0 and doc[ent.start - 1].lower_ == "the"))
            ):
                kind = ActorType.COMMUNAL_GROUP
            if kind is not None:
                start = ent.start
                if kind is ActorType.COMMUNAL_GROUP:
                    # "religious Jews in conflict with secular Jews": the modifier tells the sides apart
                    start = min(start, _phrase_start(doc, head, taken, self.stop))
                kept = [t for t in doc[start : ent.end] if t.lower_ not in _DROP_WORDS]
                # ("the Eritrean People's Liberation Front": the possessive keeps to its word)
                label = "".join(t.text + (t.whitespace_ if t is not kept[-1] else "") for t in kept)
                found.append(
                    ActorSpan(start, ent.end, ent.end - 1, open_actor(label, kind, country), "open", 0.7)
                )
                taken.update(range(start, ent.end))
        return found

    def _city(self, ent, by_token: Mapping[int, ActorSpan]) -> ActorSpan | None:
        """ "Russian troops shelled Kherson", Kherson tagged a person: a city of a state the
        article's sentence names stands for that state, as the place attacked."""
        found = self.cities.get(normalize(ent.text))
        if found is None:
            return None
        iso3, people = found
        if people < _BIG_CITY and not any(s.actor.country == iso3 for s in by_token.values()):
            return None  # "Jackson said ...": a city's name, but no sign the text is about its country
        state = self.gaz.state_for(iso3)
        if state is None:
            return None
        return ActorSpan(ent.start, ent.end, ent.end - 1, state, "located", 0.6)

    def _phrases(self, doc, by_token: Mapping[int, ActorSpan], taken: set[int]) -> list[ActorSpan]:
        """Noun phrases headed by an actor noun ("ethnic Serbs", "a rival clan", "Charlotte police")."""
        found: list[ActorSpan] = []
        heads = self.heads
        _, lowers, lemmas = token_texts(doc)
        for i, (low, lemma) in enumerate(zip(lowers, lemmas, strict=True)):
            if i in taken or (low not in heads and lemma not in heads):
                continue  # most words head no actor phrase: build no Token for them
            tok = doc[i]
            if tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if tok.dep_ == "compound" and tok.head.lemma_.lower() not in self.event_nouns:
                continue
            kind = _head_type(tok, heads)
            if kind is None or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children):
                continue  # "its forces", "our troops": coreference's to resolve, not a new actor
            owner = next((by_token[c.i] for c in tok.children if c.dep_ == "poss" and c.i in by_token), None)
            if owner is not None and not (kind is ActorType.POLICE and owner.actor.type is ActorType.STATE):
                continue  # "the group's fighters", "Karabakh's forces": linking reads the owner
            start = _phrase_start(doc, tok, taken, self.stop)
            words = [t for t in doc[start : tok.i + 1] if t.lower_ not in _DROP_WORDS]
            counted = any(c.dep_ == "nummod" or c.like_num for c in tok.children)
            if kind in _NEEDS_MODIFIER and len(words) < 2 and not counted:
                continue
            actor = self._phrase_actor(doc, tok, start, words, kind, by_token)
            if actor is not None:
                found.append(ActorSpan(start, tok.i + 1, tok.i, actor, "open", 0.7))
                taken.update(range(start, tok.i + 1))
        return found

    def _phrase_actor(self, doc, tok, start: int, words, kind: ActorType, by_token) -> Actor | None:
        """The actor a phrase names: a state's institution when it names the state ("Pakistani
        troops" the patterns missed), else an open-world actor."""
        country = _country_of(doc, tok, by_token, self.gaz, start)
        if kind in (ActorType.ARMED_FORCES, ActorType.GOVERNMENT):
            if country is not None:
                state = self.gaz.state_for(country)
                return self.gaz.institution(state.id, kind) if state is not None else None
            # "Croat forces", "coalition aircraft": a force the text names but ties to no state
            kind = ActorType.COALITION if any(t.lower_ == "coalition" for t in words) else ActorType.OTHER
            if kind is ActorType.OTHER and (len(words) < 2 or tok.lemma_.lower() in self.weapons):
                return None  # ("Shahed drones", "F-16 jets": a model's name says whose they are not)
        # ("non-Arab communities": a hyphen joins its words without spaces)
        label = "".join(t.text + (t.whitespace_ if t.i + 1 < len(doc) else "") for t in words).strip()
        return open_actor(label, kind, country)


def _surnames(doc, spans: list[ActorSpan], found: list[ActorSpan], taken: set[int]) -> list[ActorSpan]:
    """ "Samuel Doe ... Johnson executed Doe": a lone capitalised word that repeats the last name
    of a person the text named in full before is that person, whether the model tagged it as a
    person of its own or left it untagged."""
    last: dict[str, ActorSpan] = {}
    for span in sorted([*spans, *found], key=lambda s: s.start):
        if span.actor.type is ActorType.PERSON and span.end - span.start >= 2:
            last.setdefault(doc[span.end - 1].text, span)
    if not last:
        return found
    out = []
    for span in found:  # a single-word person the model tagged: the one named in full before
        earlier = last.get(doc[span.start].text) if span.end - span.start == 1 else None
        if earlier is not None and span.actor.type is ActorType.PERSON and earlier.end <= span.start:
            span = ActorSpan(
                span.start, span.end, span.head, earlier.actor, "coref", 0.7 * earlier.confidence
            )
        out.append(span)
    texts = token_texts(doc)[0]
    for i, text in enumerate(texts):
        earlier = last.get(text)
        if earlier is None or i in taken or i < earlier.end or not text[:1].isupper():
            continue
        if doc[i].pos_ != "PROPN" or (i + 1 < len(doc) and doc[i + 1].pos_ == "PROPN"):
            continue  # "Doe" alone, not the first word of another name
        out.append(ActorSpan(i, i + 1, i, earlier.actor, "coref", 0.7 * earlier.confidence))
        taken.add(i)
    return out


def _linked_acronyms(doc, spans: Sequence[ActorSpan], taken: set[int]) -> list[ActorSpan]:
    """ "Papua New Guinea (PNG) ... between PNG and the BRA": an acronym the text defines after a
    linked name stands for that actor wherever it comes back unread."""
    texts = token_texts(doc)[0]
    defined: dict[str, ActorSpan] = {}
    for span in spans:
        end = span.end
        if (
            span.via in ("gazetteer", "pattern")
            and end + 2 < len(doc)
            and texts[end] == "("
            and texts[end + 2] == ")"
            and 2 <= len(texts[end + 1]) <= 6
            and texts[end + 1].isalpha()
            and texts[end + 1].isupper()
        ):
            defined.setdefault(texts[end + 1], span)
    found: list[ActorSpan] = []
    for i, text in enumerate(texts):
        span = defined.get(text)
        if span is None or i in taken or i < span.end:
            continue
        found.append(ActorSpan(i, i + 1, i, span.actor, "coref", 0.9 * span.confidence))
        taken.add(i)
    return found
