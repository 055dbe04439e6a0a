"""Step 3 of the actor step: what pronouns, owners and unnamed sides refer to.

:func:`resolve_pronoun` finds the actor a pronoun stands for (on demand: only pronouns that fill a
relation's argument matter); the salience helpers say which country or state an article is about.
After every mention is linked, the passes here tie owners to generics ("its fighters"), later
mentions to people introduced by title, and one article's generics to one node per side.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from graph.extraction.spans import ActorSpan, entities, sentence_bounds, sentence_index, token_texts
from graph.gazetteer import Gazetteer, normalize
from graph.openworld import open_actor
from graph.records import Actor, ActorType

__all__ = [
    "ARMED_GROUP_TYPES",
    "clause_subjects",
    "generic_owners",
    "localize_generics",
    "named_generics",
    "names_a_people",
    "people_mentions",
    "peopled_generics",
    "resolve_pronoun",
    "salient_country",
    "salient_state",
    "unify_generics",
]

_PERSON_PRONOUNS = {"he", "him", "his", "she", "her"}
_KNOWN_AS = frozenset({"know", "call", "dub", "name"})  # "known as MONUSCO", "called the Tigers"
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
ARMED_GROUP_TYPES = {ActorType.NON_STATE_ARMED_GROUP, ActorType.COALITION}


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
        if tok.head.dep_ == "advcl" and any(c.dep_ == "mark" for c in tok.head.children):
            # "lawmakers must fund Kyiv as it battles Russian forces": the subject of an adverbial
            # clause is first the one its main clause just named
            governor = tok.head.head
            first = bounds[k][0]
            passes.insert(
                0,
                [
                    s
                    for s in candidates
                    if s.start >= first
                    and not _is_subject(doc[s.head])
                    and any(a.i == governor.i for a in doc[s.head].ancestors)
                ],
            )
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
    if tok.dep_ == "pobj" and tok.head.lower_ == "as" and tok.head.head.dep_ == "acl":
        # "The U.N. mission, known as MONUSCO, has ...": the name the subject is known by
        named = tok.head.head
        return named.lemma_.lower() in _KNOWN_AS and named.head.dep_ in subject
    return tok.dep_ in subject or (tok.dep_ == "appos" and tok.head.dep_ in subject)


def _is_plural(doc, span: ActorSpan) -> bool:
    head = doc[span.head]
    # ("AMISOM" tagged a plural noun: an acronym is a name, singular)
    return head.tag_ in ("NNS", "NNPS") and not (head.text.isupper() and head.text.isalpha())


def salient_state(doc, start: int, earlier: list[ActorSpan], kind: ActorType) -> str | None:
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


def salient_country(doc, spans: Sequence[ActorSpan]) -> str | None:
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


def theatre_country(doc, spans: Sequence[ActorSpan]) -> str | None:
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


def clause_subjects(tok) -> set[int]:
    """Token indices of the subjects of the clauses governing ``tok`` (through xcomp/conj)."""
    out: set[int] = set()
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for _ in range(2):  # the nearest verb, and its governor when the verb is a complement
        for child in verb.children:
            if child.dep_ in ("nsubj", "nsubjpass"):
                out.update(t.i for t in child.subtree)
                if verb.dep_ == "relcl" and any(c.lower_ == "whose" for c in child.children):
                    # "DAG, whose helicopters fought the insurgents": the owner is the subject too
                    out.add(verb.head.i)
        if out or verb.dep_ not in ("xcomp", "acl"):
            break
        # "Nigeria's military, aided by vigilantes, recaptured the towns held by the insurgents":
        # climb from the participle to the clause whose subject acts on the insurgents
        verb = verb.head
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
    return out


def generic_owners(doc, spans: list[ActorSpan]) -> list[ActorSpan]:
    """ "Fighters of the Tehrik-e-Taliban Pakistan", "whose fighters", "its gunmen": a generic
    word whose owner the phrase names is that owner, not a generic actor."""
    out = []
    for span in spans:
        if span.via == "generic":
            owner = _owner_of(doc, span, spans)
            if owner is not None:
                span = ActorSpan(
                    span.start, span.end, span.head, owner.actor, "coref", 0.85 * owner.confidence
                )
        out.append(span)
    return out


def _owner_of(doc, span: ActorSpan, spans: list[ActorSpan]) -> ActorSpan | None:
    head = doc[span.head]
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            for pobj in child.children:
                named = next((s for s in spans if s.start <= pobj.i < s.end and s.via == "gazetteer"), None)
                if named is not None and named.actor.type in ARMED_GROUP_TYPES:
                    return named
    left = span.start - 1 if doc[span.start].lower_ not in ("its", "their", "whose") else span.start
    if left >= 0 and doc[left].lower_ in ("its", "their", "whose"):
        if doc[left].lower_ == "whose":
            j = left - 1
            while j >= 0 and doc[j].is_punct:
                j -= 1
            return next(
                (s for s in spans if s.start <= j < s.end and s.actor.type in ARMED_GROUP_TYPES), None
            )
        target = resolve_pronoun(doc, left, [s for s in spans if s.end <= left])
        if target is not None and target.actor.type in ARMED_GROUP_TYPES:
            return target
    return None


def people_mentions(
    doc, consumed: set[int], spans: list[ActorSpan]
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
    if known:  # most articles introduce nobody by title: then no word needs a look
        for i, low in enumerate(token_texts(doc)[1]):
            if i in taken or len(known.get(low, ())) != 1:
                continue  # build a Token only for a word that is a known surname
            tok = doc[i]
            if tok.pos_ == "PROPN" and tok.is_title:
                found.append(ActorSpan(i, i + 1, i, next(iter(known[low])), "coref", 0.75))
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


def localize_generics(doc, spans: list[ActorSpan], gaz: Gazetteer) -> list[ActorSpan]:
    """One side, one node: when an article ties a generic to one country ("Syrian rebels"), its
    bare mentions ("the rebels") are that same actor; when it ties none, a generic stands for
    the country the article is about, if one clearly leads (two mentions or more)."""
    iso3 = theatre_country(doc, spans) or salient_country(doc, spans)
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


_NAMING_VERBS = _KNOWN_AS | {"identify"}  # ("12 assailants who were identified as anti-balaka")


def named_generics(doc, spans: list[ActorSpan], gaz: Gazetteer) -> list[ActorSpan]:
    """ "The insurgents, known locally as al Shabaab, ...": once the article names its generic
    insurgents, every mention of them (before and after) is that group."""
    renamed: dict[str, ActorSpan] = {}
    generic_ids = set(gaz.generics.values())
    for span in spans:
        if _generic_base(span, gaz, generic_ids) is None:
            continue
        for acl in doc[span.head].children:
            # "The insurgents, known locally as al Shabaab", "12 assailants who were later
            # identified as anti-balaka"
            if acl.dep_ not in ("acl", "relcl") or acl.lemma_.lower() not in _NAMING_VERBS:
                continue
            for prep in acl.children:
                if prep.dep_ == "prep" and prep.lower_ == "as":
                    for pobj in prep.children:
                        named = next((s for s in spans if s.start <= pobj.i < s.end), None)
                        if (
                            named is not None
                            and named.via == "gazetteer"
                            and named.actor.type in ARMED_GROUP_TYPES
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


def unify_generics(spans: list[ActorSpan]) -> list[ActorSpan]:
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


def peopled_generics(doc, spans: list[ActorSpan], gaz: Gazetteer) -> list[ActorSpan]:
    """ "Tuareg rebels", "Kurdish fighters", "Shiite militias": a generic armed group named by a
    people that is no state's is that people's group, an open-world actor of its own, not every
    article's "rebels"; when an article names one such group for a generic, its bare mentions
    ("the rebels") are that group too."""
    generic_ids = set(gaz.generics.values())
    taken = {i for s in spans for i in range(s.start, s.end)}
    found: dict[int, tuple[int, Actor]] = {}
    by_base: dict[str, set[str]] = {}
    for n, span in enumerate(spans):
        base = _generic_base(span, gaz, generic_ids, ActorType.CIVILIANS)
        if base is None or span.via != "generic":
            continue
        head = doc[span.head]
        people = [
            c
            for c in head.children
            if c.dep_ in ("amod", "compound", "nmod")
            and c.i == span.start - 1
            and c.i not in taken
            and names_a_people(c, gaz)
        ]
        if not people:
            continue
        label = f"{people[0].text} {doc[span.start : span.end].text}"
        # ("Dogon villagers" are still civilians, "Tuareg rebels" rebels: the generic's label stays an alias)
        actor = replace(
            open_actor(label, span.actor.type, span.actor.operates_in), aliases=(gaz.actors[base].label,)
        )
        found[n] = (people[0].i, actor)
        if actor.type is ActorType.NON_STATE_ARMED_GROUP:  # (a story's civilians are many peoples)
            by_base.setdefault(base, set()).add(actor.id)
    if not found:
        return spans
    sole = {
        base: next(a for _, a in found.values() if a.id in ids)
        for base, ids in by_base.items()
        if len(ids) == 1
    }
    out = []
    for n, span in enumerate(spans):
        if n in found:
            start, actor = found[n]
            span = ActorSpan(start, span.end, span.head, actor, "open", span.confidence)
        elif (base := _generic_base(span, gaz, generic_ids)) in sole:
            span = ActorSpan(span.start, span.end, span.head, sole[base], "coref", 0.8 * span.confidence)
        out.append(span)
    return out


def _generic_base(span: ActorSpan, gaz: Gazetteer, generic_ids: set[str], *also: ActorType) -> str | None:
    """The generic armed group (or other ``also`` type) a span stands for ("rebels" of
    "rebels_mli"), or None."""
    if span.actor.type is not ActorType.NON_STATE_ARMED_GROUP and span.actor.type not in also:
        return None
    base = span.actor.id if span.actor.id in gaz.actors else span.actor.id.rpartition("_")[0]
    return base if base in generic_ids else None


def names_a_people(tok, gaz: Gazetteer) -> bool:
    """Whether a modifier names a people, a faith or a region that is no state of the gazetteer
    ("Tuareg", "Shiite", "Kurdish"; the model tags them NORP, GPE or nothing): a capitalised name
    or adjective that is no state's adjective or name and no generic's own word ("Islamist")."""
    key = normalize(tok.text)
    if not tok.text[:1].isupper() or key in gaz.adjectives or key in gaz.names or key in gaz.generics:
        return False
    if tok.ent_type_ in ("NORP", "GPE"):
        return True
    return tok.pos_ == "PROPN" or (tok.pos_ == "ADJ" and not tok.is_sent_start)
