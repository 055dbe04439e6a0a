"""Who fills a phrase or a clause's argument, as actors: the lookups every relation rule uses.

:func:`actor_at` reads a noun phrase ("Iran-backed militias", "forces loyal to Haftar", "one of its
drones", "Mali, Burkina Faso and Niger"); :func:`subject_of` a clause's subject, inherited through
coordination, control and participles; :func:`objects_of` and :func:`prep_objects` its objects;
:func:`agent_of_event` who carried out an event noun ("Syrian shelling", "strikes by X").
Relative and personal pronouns are resolved to actors on the way. The functions call each other.
"""

from __future__ import annotations

from graph.extraction.agents import acl_agent, agent_of_event, attackers_of
from graph.extraction.context import (
    PRONOUNS,
    Context,
    is_event,
    noun_trigger,
    repels,
    state_located,
)
from graph.extraction.coreference import resolve_pronoun
from graph.extraction.spans import ActorSpan
from graph.records import ActorType, RelationKind

__all__ = [
    "actor_at",
    "actor_ending_at",
    "actor_single",
    "agent_of_event",
    "attackers_of",
    "distinct",
    "objects_of",
    "place_slot",
    "prep_objects",
    "subject_of",
]

_RELPRON = {"which", "who", "that", "whom"}
# open-world actors that are parties in their own right, not objects standing for a place's state
_PARTIES = frozenset(
    {ActorType.NON_STATE_ARMED_GROUP, ActorType.COMMUNAL_GROUP, ActorType.CIVILIANS, ActorType.MILITARY_UNIT}
)


def actor_at(ctx: Context, tok, exclude: set[str] | None = None, depth: int = 0) -> list[ActorSpan]:
    """Actors a noun phrase headed by ``tok`` denotes, with its coordinated conjuncts."""
    out: list[ActorSpan] = []
    # (a generic, or a state's troops guessed from the context, yields to what the phrase says)
    generic = tok.i in ctx.by_token and ctx.by_token[tok.i].via in ("generic", "coref")
    if (tok.i not in ctx.by_token or generic) and depth < 6:
        # "militiamen loyal to Saddam": whom they stand for, not a generic militia
        out = _represented(ctx, tok, exclude, depth)
    if not out:
        found = actor_single(ctx, tok, exclude, depth)
        out = [found] if found is not None else []
    if not out and depth < 6:
        out = _examples(ctx, tok, exclude, depth)
    if (
        out
        and tok.lower_ in ("who", "which")
        and tok.i > 0
        and ctx.doc[tok.i - 1].lower_ == ","
        and tok.head.dep_ == "relcl"
        and depth < 6
    ):
        # "Chadian and Nigerien troops, who fight side by side": a clause set off by a comma
        # stands for the whole coordinated antecedent ("a war between the state and the
        # guerrillas that has killed ..." is the war's, and stays with the parser's reading)
        noun = tok.head.head
        if ctx.by_token.get(noun.i) is out[0]:
            out = distinct(out + actor_at(ctx, noun, exclude, depth + 1))
    out += ctx.coordinated.get(tok.i, [])
    for child in tok.children:
        if child.dep_ == "conj" and child.i > tok.i and depth < 6:
            out.extend(actor_at(ctx, child, exclude, depth + 1))
        elif (
            child.dep_ == "appos"
            and (child.i in ctx.by_token or child.i in ctx.open_at)
            and depth < 6
            and any(c.dep_ == "conj" for c in child.children)
        ):
            # "Mali, Burkina Faso and Niger": the parser hangs the list on an apposition; "the two
            # main rebel groups, the ELF and the EPLF": the list names the generic's members
            members = actor_at(ctx, child, exclude, depth + 1) or [ctx.open_at[child.i]]
            if generic and out and out[0] is ctx.by_token[tok.i]:
                out = out[1:]
            out.extend(members)
        elif (
            out
            and child.dep_ in ("compound", "nmod")
            and child.i in ctx.by_token
            and any(c.dep_ == "conj" and out[0].start <= c.i < out[0].end for c in child.children)
        ):
            # "JNIM and Islamic State fighters": the first name shares the second's fighters
            out.append(ctx.by_token[child.i])
        elif (
            out
            and child.dep_ in ("compound", "nmod", "amod", "poss")
            and tok.i not in ctx.by_token
            and out[0].start <= child.i < out[0].end
        ):
            # "Moroccan and Polisario delegations": the owner's own conjuncts own it too
            out.extend(
                a for c in child.children if c.dep_ == "conj" for a in actor_at(ctx, c, exclude, depth + 1)
            )
    return distinct(out)


def distinct(spans: list[ActorSpan]) -> list[ActorSpan]:
    """The spans with each actor once, first mention kept."""
    seen: set[str] = set()
    unique = []
    for span in spans:
        if span.actor.id not in seen:
            seen.add(span.actor.id)
            unique.append(span)
    return unique


def _reresolve(ctx: Context, span: ActorSpan, exclude: set[str]) -> ActorSpan | None:
    """ "Kyiv's drone attack on its strategic bombers": a possessive pronoun never points back
    at the other party of the same relation; look for the next candidate instead."""
    actors = {s.actor.id: s.actor for s in ctx.spans}
    countries = frozenset(a.country for i in exclude if (a := actors.get(i)) is not None and a.country)
    if span.actor.id not in exclude and span.actor.country not in countries:
        return span
    alt = resolve_pronoun(ctx.doc, span.start, ctx.spans, exclude, countries)
    if alt is None or ctx.gaz is None:
        return None
    state = ctx.gaz.state_for(alt.actor.country or "") if alt.actor.country else None
    if state is not None and span.actor.type in (ActorType.ARMED_FORCES, ActorType.GOVERNMENT):
        return ActorSpan(
            span.start, span.end, span.head, ctx.gaz.institution(state.id, span.actor.type), "coref", 0.7
        )
    return ActorSpan(span.start, span.end, span.head, alt.actor, "coref", 0.7)


def _represented(ctx: Context, tok, exclude, depth: int) -> list[ActorSpan]:
    """ "Negotiators from Russia and Ukraine", "forces loyal to Khalifa Haftar": the phrase
    names whom the people it heads stand for."""
    owned = _institutions_of(ctx, tok, exclude, depth)
    if owned:
        return owned
    for child in tok.children:
        # "leaders of Somalia, Kenya and Ethiopia": every conjunct, not only the first
        if (
            child.dep_ == "prep"
            and child.lower_ in ("from", "of")
            and (
                ctx.lex.has(tok, "representative")
                or (child.lower_ == "from" and ctx.lex.has(tok, "target_object"))  # "warplanes from the UAE"
            )
        ):
            return [
                a for p in child.children if p.dep_ == "pobj" for a in actor_at(ctx, p, exclude, depth + 1)
            ]
        if child.dep_ == "relcl" and ctx.lex.has(tok, "armed_men") and _backs(ctx, child):
            # "soldiers who back his former deputy, Riek Machar": whom they back, as "loyal to"
            sides = [a for a in objects_of(ctx, child, exclude) if a.actor.type is not ActorType.CIVILIANS]
            if sides and any(c.dep_ == "nsubj" and c.lower_ in ("who", "that") for c in child.children):
                return sides
        if child.lower_ == "loyal":
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ == "to":
                    found = [
                        a
                        for p in prep.children
                        if p.dep_ == "pobj"
                        for a in actor_at(ctx, p, exclude, depth + 1)
                    ]
                    # "loyal to Khalifa Haftar south of Tripoli" parsed oddly: the first actor inside
                    return found or [ctx.by_token[t.i] for t in prep.subtree if t.i in ctx.by_token][:1]
    return []


def _institutions_of(ctx: Context, tok, exclude, depth: int) -> list[ActorSpan]:
    """ "the governments of Uganda and Rwanda", "the armies in Chad and Niger": a plural
    institution noun over a list of states is each state's own institution."""
    if ctx.gaz is None or tok.tag_ not in ("NNS", "NNPS"):
        return []
    kind = ctx.gaz.institutions.get(tok.lemma_.lower()) or ctx.gaz.institutions.get(tok.lower_)
    if kind is None:
        return []
    owners = [
        a
        for prep in tok.children
        if prep.dep_ == "prep" and prep.lower_ in ("of", "in")
        for p in prep.children
        if p.dep_ == "pobj"
        for a in actor_at(ctx, p, exclude, depth + 1)
    ]
    if not owners or any(a.actor.type is not ActorType.STATE for a in owners):
        return []  # "the presidents of Angola and UNITA": each party, read by _represented
    return [
        ActorSpan(a.start, a.end, tok.i, ctx.gaz.institution(a.actor.id, kind), "pattern", 0.9)
        for a in owners
    ]


def _housed(ctx: Context, tok, exclude, depth: int) -> ActorSpan | None:
    """ "a camp for displaced people", "a school sheltering displaced families": the civilians a
    building is for are whom an attack on it hits."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "for":
            people = [p for p in child.children if p.dep_ == "pobj"]
        elif child.dep_ in ("acl", "relcl") and child.lemma_.lower() in ("shelter", "house", "host"):
            people = [o for o in child.children if o.dep_ == "dobj"]
        else:
            continue
        for person in people:
            found = actor_single(ctx, person, exclude, depth + 1)
            if found is not None and found.actor.type is ActorType.CIVILIANS:
                return found
    return None


def _holder(ctx: Context, tok) -> ActorSpan | None:
    """Who holds a place or object named with a hyphenated participle: "rebel-held villages",
    "Houthi-controlled areas", "Russian-occupied towns", "rebel-held Idlib"."""
    if not (ctx.lex.has(tok, "target_object") or tok.pos_ == "PROPN"):
        return None
    for part in tok.children:
        if part.dep_ in ("amod", "compound") and part.i < tok.i and ctx.lex.has(part, "control_verb"):
            for owner in part.children:
                if owner.dep_ in ("npadvmod", "compound", "nmod", "amod") and owner.i < part.i:
                    span = ctx.by_token.get(owner.i) or ctx.prefix_at.get(owner.i)
                    if span is not None:
                        return span
    return None


def _examples(ctx: Context, tok, exclude: set[str] | None, depth: int) -> list[ActorSpan]:
    """ "countries such as North Korea and Russia", "groups including the ADF": a class that is no
    actor stands for the actors it lists."""
    out: list[ActorSpan] = []
    for child in tok.children:
        listing = child.dep_ == "prep" and (
            (child.lower_ == "as" and ctx.doc[child.i - 1].lower_ == "such") or child.lower_ == "including"
        )
        if listing:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    out += actor_at(ctx, pobj, exclude, depth + 1)
    return out


def actor_single(ctx: Context, tok, exclude: set[str] | None, depth: int) -> ActorSpan | None:
    """The one actor a token stands for: its span, a pronoun's referent, an owner, a leader, an agent."""
    if depth > 6:
        return None
    if tok.i in ctx.by_token:
        span = ctx.by_token[tok.i]
        if span.via == "generic":
            leader = _followed(ctx, tok, span) or _group_after(ctx, tok, span)
            if leader is not None:
                return leader
        if exclude and span.via == "coref" and ctx.doc[span.start].lower_ in ("its", "their", "his", "her"):
            return _reresolve(ctx, span, exclude)
        return span
    named = ctx.by_token.get(tok.i + 1)
    if (
        tok.pos_ == "NOUN"
        and named is not None
        and named.start == tok.i + 1
        and named.actor.type is ActorType.PERSON
        and (ctx.lex.has(tok, "representative") or ctx.lex.has(tok, "title"))
    ):
        return named  # "Maoist rebel leader Prachanda", the name misread as someone else's apposition
    low = tok.lower_
    if low in PRONOUNS:
        return resolve_pronoun(ctx.doc, tok.i, ctx.spans, exclude)
    if low in _RELPRON or (low == "whose"):
        return _antecedent(ctx, tok, exclude, depth)
    # "fighters loyal to X" misparsed with the adjective as the phrase's head
    if tok.pos_ == "ADJ":
        for child in tok.children:
            if child.dep_ in ("nsubj", "npadvmod") and child.i < tok.i:
                return actor_single(ctx, child, exclude, depth + 1)
    # "Serraj's administration", "Maduro's government": what the office holder acts for
    if ctx.gaz is not None and ctx.gaz.institutions.get(tok.lower_) is ActorType.GOVERNMENT:
        for child in tok.children:
            owner = ctx.by_token.get(child.i) if child.dep_ == "poss" else None
            if owner is not None and owner.actor.type is ActorType.PERSON:
                return owner
    # "Saudi-led warplanes", "U.S.-led forces": a force led by X fights for X ("the RPF-led
    # government": a government a movement leads acts for it)
    governing = ctx.gaz is not None and ctx.gaz.institutions.get(tok.lower_) is ActorType.GOVERNMENT
    if ctx.lex.has(tok, "target_object") or ctx.lex.has(tok, "representative") or governing:
        for child in tok.children:
            if child.lower_ == "led" or child.lower_.endswith("-led"):
                leader = ctx.prefix_of(child)
                if leader is not None:
                    return ActorSpan(leader.start, leader.end, leader.head, leader.actor, "led", 0.8)
    # "Hezbollah, the Lebanese group (that ...)": a description in apposition to a named actor
    named = ctx.by_token.get(tok.head.i) or ctx.open_at.get(tok.head.i)
    if tok.dep_ == "appos" and tok.pos_ == "NOUN" and named is not None and tok.head.i < tok.i:
        return named  # (also an unlinked name: "the Sahel Fund, a fund financed by France")
    # "its ally Hamas", "the army's main garrison" in apposition (not for event nouns)
    trig = ctx.lex.nouns.get(tok.lemma_.lower())
    if tok.pos_ == "NOUN" and (trig is None or trig.kind is not RelationKind.ATTACKED):
        for child in tok.children:
            if child.dep_ == "appos" and child.i > tok.i and child.i in ctx.by_token:
                return ctx.by_token[child.i]
    # "one of its drones", "37 of the assailants", "a force of Iraqi troops"
    if (
        ctx.lex.has(tok, "quantifier")
        or tok.like_num
        or tok.pos_ == "NUM"
        or tok.lemma_.lower() in ("force", "coalition")
    ):
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return actor_single(ctx, pobj, exclude, depth + 1)
    named_open = ctx.open_at.get(tok.i)
    if named_open is not None and tok.pos_ == "PROPN" and named_open.end - named_open.start >= 2:
        # "the Mozambique National Resistance Movement": a full name the gazetteer lacks is that
        # organisation, not the state its first word names
        return named_open
    # "Islamic State positions", "its drones", "whose troops": the owner of a military object
    if ctx.lex.has(tok, "target_object") or ctx.lex.has(tok, "representative"):
        # "positions of the Kachin Independence Army", "the headquarters of a Myanmar command"
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                for pobj in child.children:
                    owner = actor_single(ctx, pobj, exclude, depth + 1) if pobj.dep_ == "pobj" else None
                    if owner is not None:
                        return owner
    held = _holder(ctx, tok)  # "rebel-held villages", "Houthi-controlled areas"
    if held is not None:
        return held
    acted_by = acl_agent(
        ctx, tok, exclude, depth
    )  # "a missile fired by Hezbollah", "depots used by the Houthis"
    if acted_by is not None:
        return acted_by
    if ctx.lex.has(tok, "facility_noun"):
        housed = _housed(ctx, tok, exclude, depth)
        if housed is not None:
            return housed
    named = ctx.open_at.get(tok.i)
    if (
        ctx.lex.has(tok, "target_object")
        and not any(
            c.dep_ in ("compound", "poss", "amod", "nmod") and c.i in ctx.by_token for c in tok.children
        )
        # ("Kurdish militants in northern Iraq": a phrase naming an actor of its own is not Iraq)
        and not (named is not None and named.head == tok.i and named.actor.type in _PARTIES)
    ):
        # "an airbase deep inside Russia", "military airports in northwestern Syria": an unowned
        # target stands for the state it is in
        for prep in tok.children:
            span = state_located(ctx, prep)
            if span is not None:
                return span
    if ctx.lex.has(tok, "target_object") or ctx.lex.has(tok, "representative") or tok.pos_ == "PROPN":
        order = {"compound": 0, "nmod": 1, "amod": 2, "poss": 3, "appos": 4}
        for child in sorted(tok.children, key=lambda c: order.get(c.dep_, 9)):
            if (child.dep_ in ("compound", "poss", "amod", "nmod") and child.i < tok.i) or (
                child.dep_ == "appos" and child.i > tok.i
            ):
                owner = actor_single(ctx, child, exclude, depth + 1)
                if owner is None and child.dep_ in ("compound", "nmod"):
                    # "a U.S. F-117 stealth fighter": the owner modifies the model name
                    owner = next(
                        (
                            ctx.by_token[g.i]
                            for g in child.children
                            if g.dep_ == "compound" and g.i in ctx.by_token
                        ),
                        None,
                    )
                if owner is not None:
                    return owner
    lemma = tok.lemma_.lower()
    if lemma in ctx.lex.nouns and ctx.lex.nouns[lemma].kind is RelationKind.ATTACKED:
        if any(ctx.lex.has(t, "repel_verb") for t in tok.subtree if t.i < tok.i):
            return None  # "helped the government repel Haftar's offensive", the verb read as a noun
        return agent_of_event(ctx, tok, exclude, depth + 1)
    # an open-world actor is the last resort: every linked reading above comes first
    span = ctx.open_at.get(tok.i)
    if span is not None:
        return _followed(ctx, tok, span) or span
    return None


_ARMED = (ActorType.NON_STATE_ARMED_GROUP, ActorType.ARMED_FORCES, ActorType.MILITARY_UNIT)
_LEADERS = (ActorType.PERSON, ActorType.NON_STATE_ARMED_GROUP)


def _group_after(ctx: Context, tok, span: ActorSpan) -> ActorSpan | None:
    """ "the government and rebels from the Free Aceh Movement", with "from" hung on the first
    conjunct: armed men right before "from / of" + a group's name are that group's."""
    if span.actor.type is not ActorType.NON_STATE_ARMED_GROUP or tok.i + 2 >= len(ctx.doc):
        return None
    prep = ctx.doc[tok.i + 1]
    if prep.lower_ not in ("from", "of") or prep.head.i == tok.i:
        return None  # (hung on the noun itself, _represented reads it)
    j = tok.i + 2 + (ctx.doc[tok.i + 2].lower_ == "the")
    group = ctx.by_token.get(j) or ctx.open_at.get(j)
    if group is None or group.start != j or group.actor.type is not ActorType.NON_STATE_ARMED_GROUP:
        return None
    return group


def _followed(ctx: Context, tok, span: ActorSpan) -> ActorSpan | None:
    """ "Machar's fighters", "Gbagbo loyalists": armed men named only through the leader or group
    they follow fight for that leader, not for a generic "rebels". A state or a demonym as the owner
    is left alone: "Syria's rebels" and "Syrian rebels" fight the Syrian state."""
    if span.actor.type not in _ARMED:
        return None
    for child in tok.children:
        # "the jihadist group Ansar Dine", "the militia Boko Haram": the name the generic introduces
        named = ctx.by_token.get(child.i) or ctx.open_at.get(child.i)
        if (
            named is not None
            and child.dep_ in ("appos", "compound")
            and named.start == span.end
            and child.i == named.end - 1
            and named.via in ("gazetteer", "open")
            and named.actor.id != span.actor.id
        ):
            return named
    for child in tok.children:
        owner = ctx.by_token.get(child.i) or ctx.open_at.get(child.i)
        # "pro-Gbagbo militias": the leader the prefix names
        pro = child.i > 1 and ctx.doc[child.i - 1].text == "-" and ctx.doc[child.i - 2].lower_ == "pro"
        if (
            (child.dep_ in ("poss", "compound") or (pro and child.dep_ == "amod"))
            and child.i < tok.i
            and owner is not None
        ):
            # (an unlinked name the model tagged as an organisation counts: "Bemba's fighters")
            named = owner.via == "open" and owner.actor.type is ActorType.OTHER
            leads = owner.actor.type in _LEADERS or named
            if leads and owner.via != "generic" and owner.actor.id != span.actor.id:
                return owner
    return None


def place_slot(ctx: Context, tok) -> bool:
    """Whether a noun names where something is ("in Mali", "the north region of Cameroon")."""
    if tok.dep_ != "pobj":
        return False
    prep = tok.head
    return prep.lower_ in ("in", "at", "near", "inside", "across", "throughout") or (
        prep.lower_ == "of" and ctx.lex.has(prep.head, "place_noun")
    )


def _backs(ctx: Context, verb) -> bool:
    """Whether a verb is "back" or "support" (backing in so many words)."""
    trig = ctx.lex.verb(verb)
    return (
        trig is not None and trig.kind is RelationKind.BACKED and verb.lemma_.lower() in ("back", "support")
    )


def _attacks(ctx: Context, verb) -> bool:
    """Whether a verb's lexicon entry is an attack ("killed", "shelled")."""
    trig = ctx.lex.verb(verb)
    return trig is not None and trig.kind is RelationKind.ATTACKED


def _antecedent(ctx: Context, tok, exclude, depth) -> ActorSpan | None:
    """The noun a relative pronoun stands for ("Iran, which supports ..."; "whose troops")."""
    verb = tok.head if tok.dep_ != "poss" else tok.head.head
    if verb.dep_ in ("relcl", "acl", "ccomp", "advcl") and verb.head.i < tok.i:
        head = verb.head
        if head.i in ctx.by_token:
            span = ctx.by_token[head.i]
            if span.actor.type is ActorType.STATE and place_slot(ctx, head) and _attacks(ctx, verb):
                # "attacks on Waza, in the far north region of Cameroon, which killed 15 people":
                # the clause hangs on the place, but a place kills no one
                return None
            if span.via == "generic" and head.dep_ == "attr":
                # "the Contras were rebels who waged ...": the rebels are the copula's subject
                named = [s for s in subject_of(ctx, head.head, exclude, depth + 1) if s.via != "generic"]
                if named:
                    return named[0]
            return span
        if head.dep_ == "dobj" and (
            ctx.lex.has(head, "weapon_noun") or ctx.lex.has(head, "explosive_noun") or is_event(ctx, head)
        ):
            # "Russia fired missiles that killed seven civilians", "detonated a car bomb that
            # killed 12 soldiers": whoever used the weapon did what it did
            doers = subject_of(ctx, head.head, exclude, depth + 1)
            if doers:
                return doers[0]
        if head.pos_ == "VERB":  # misparsed as a clause: "shelling that killed" -> the agent
            return (
                subject_of(ctx, head, exclude, depth + 1)[0]
                if subject_of(ctx, head, exclude, depth + 1)
                else None
            )
        return actor_single(ctx, head, exclude, depth + 1)
    # fall back to the nearest actor just before the pronoun ("Tehran, which ...")
    j = tok.i - 1
    while j >= 0 and ctx.doc[j].is_punct:
        j -= 1
    return ctx.by_token.get(j)


def subject_of(ctx: Context, verb, exclude=None, depth: int = 0) -> list[ActorSpan]:
    """The actors doing ``verb``, inherited through coordination, control and participles."""
    if depth > 6:
        return []
    for child in verb.children:
        if child.dep_ in ("nsubj", "csubj"):
            found = actor_at(ctx, child, exclude, depth + 1)
            if found:  # the small model sometimes gives two subjects; take one that is an actor
                return found
        if child.dep_ == "agent" and verb.tag_ == "VBN":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return actor_at(ctx, pobj, exclude, depth + 1)
    if any(c.dep_ in ("nsubjpass", "nsubj") for c in verb.children):
        return []
    head = verb.head
    if head.i == verb.i:
        # "Along the border with Albania, Yugoslav troops and KLA guerrillas have been battling":
        # the subject read as more objects of the fronted phrase
        return _bare_subjects(ctx, verb, exclude) if verb.tag_ != "VB" else []
    programme = _programme(ctx, verb)
    if programme is not None:
        doers = _programme_owners(ctx, programme, exclude, depth)
        if doers:
            return doers
    if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
        if (
            verb.tag_ == "VBN"
            and head.tag_ == "VBD"
            and head.lemma_ != "be"  # ("UNITA was hard-pressed but recovered": a copula's clause)
            and not any(c.dep_ in ("aux", "auxpass") for c in verb.children)
        ):
            # "fought the FNLA, an organisation based in the north and allied with the United
            # States": a bare participle joined to a past-tense verb is a misread modifier
            return []
        found = subject_of(ctx, head, exclude, depth + 1)
        passive = [c for c in head.children if c.dep_ == "nsubjpass"]
        if not found and passive and not any(c.dep_ == "auxpass" for c in verb.children):
            # "UNITA was hard-pressed but recovered with South African aid": an active verb
            # joined to a passive one shares its subject
            found = actor_at(ctx, passive[0], exclude, depth + 1)
        return found
    if verb.dep_ == "pcomp" and head.lower_ == "for":
        # "the EU punished Belarus for helping Russia", "sanctions on two firms for aiding Iran":
        # whoever is rewarded or punished for it did it
        doers = _answerable(ctx, head.head, exclude, depth)
        if doers is not None:
            return doers
    if verb.dep_ == "acomp" and head.pos_ in ("VERB", "AUX"):
        # "the United States is committed to providing ...", "is ready to": the copula's subject
        return subject_of(ctx, head, exclude, depth + 1)
    gerund = verb.dep_ == "pobj" and verb.tag_ == "VBG"  # "support in fighting X", read as a noun's object
    if (verb.dep_ in ("xcomp", "advcl", "pcomp") or gerund) and head.pos_ in (
        "VERB",
        "AUX",
        "ADP",
        "ADJ",
        "NOUN",
    ):
        governor = head
        # "withdrew ... after nine years of fighting jihadists": climb prepositional phrases
        for _ in range(6):
            if governor.head.i == governor.i:
                break
            if governor.pos_ in ("ADP", "ADJ") or (governor.pos_ == "NOUN" and governor.dep_ == "pobj"):
                governor = governor.head
            else:
                break
        # "backed the Assad government in fighting the rebels": the object fights (object control)
        if governor.pos_ == "VERB" and ctx.lex.has(governor, "object_control"):
            objs = [c for c in governor.children if c.dep_ == "dobj"]
            # "calls on Iran to stop arming the Houthis": the object behind "on" does it
            objs += [
                p
                for c in governor.children
                if c.dep_ == "prep" and c.lower_ in ("on", "upon") and c.i < verb.i
                for p in c.children
                if p.dep_ == "pobj"
            ]
            if objs:
                return actor_at(ctx, objs[0], exclude, depth + 1)
        passive = [c for c in governor.children if c.dep_ == "nsubjpass"]
        if governor.pos_ in ("VERB", "AUX") and passive and verb.dep_ in ("xcomp", "pcomp"):
            # "Japan is committed to providing ...", "the army was ordered to retake ...": the
            # passive subject does the complement
            return actor_at(ctx, passive[0], exclude, depth + 1)
        if governor.pos_ == "NOUN":
            # "accused Chinese vessels of ramming ...", with "of" hung on the object: it rams
            if governor.dep_ == "dobj" and ctx.lex.has(governor.head, "object_control"):
                return actor_at(ctx, governor, exclude, depth + 1)
            if governor.dep_ == "dobj" and any(
                ctx.lex.has(governor.head, c) for c in ("receive_verb", "give_verb", "suffer_verb")
            ):
                # "sustained losses in fighting the LRA", "enjoyed support from Moscow in fighting
                # the rebels", "provided help in fighting X": who has or gives it is in the fight
                return subject_of(ctx, governor.head, exclude, depth + 1)
            return []
        return subject_of(ctx, governor, exclude, depth + 1)
    if verb.dep_ in ("acl", "relcl") and verb.tag_ in ("VBG", "VBN"):
        # "troops supporting the opposition": the owner of the troops, else the clause subject
        owner = actor_single(ctx, head, exclude, depth + 1)
        if owner is not None and not (ctx.lex.has(head, "facility_noun") and verb.tag_ == "VBG"):
            return [owner]
        if ctx.lex.has(head, "facility_noun"):
            return []  # "bombed a school sheltering displaced families": the school shelters them
        if verb.tag_ == "VBG" and actor_ending_at(ctx, verb.i) and not ctx.doc[verb.i - 1].is_punct:
            # "video showed officer Dan Reyes shooting a teenager", the participle misattached to
            # "video": the actor whose phrase ends right before it does it
            found = [a for a in actor_at(ctx, ctx.doc[verb.i - 1], exclude, depth + 1) if a.end == verb.i]
            if found:
                return found
        # "cases of Iran receiving aid": the "of" phrase between the noun and the participle
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of" and prep.i < verb.i:
                found = [
                    a for p in prep.children if p.dep_ == "pobj" for a in actor_at(ctx, p, exclude, depth + 1)
                ]
                if found:
                    return found
        governor = head.head
        while governor.pos_ not in ("VERB", "AUX") and governor.head.i != governor.i:
            governor = governor.head
        if governor.pos_ in ("VERB", "AUX") and governor.i != verb.i:
            return subject_of(ctx, governor, exclude, depth + 1)
    return []


def actor_ending_at(ctx: Context, i: int) -> ActorSpan | None:
    """The actor span (linked, else open-world) whose phrase ends right before token ``i``."""
    if i <= 0:
        return None
    span = ctx.by_token.get(i - 1) or ctx.open_at.get(i - 1)
    return span if span is not None and span.end == i else None


def _bare_subjects(ctx: Context, verb, exclude) -> list[ActorSpan]:
    """The actors right before a subjectless main verb (past its auxiliaries and adverbs), joined
    by "and": the small model sometimes hangs a clause's subject on the phrase in front of it."""
    i = verb.i - 1
    while i >= 0 and ctx.doc[i].dep_ in ("aux", "auxpass", "neg", "advmod"):
        i -= 1
    found: list[ActorSpan] = []
    while i >= 0:
        span = actor_ending_at(ctx, i + 1)
        if span is None:
            break
        if not (exclude and span.actor.id in exclude):
            found.append(span)
        i = span.start - 1
        if i < 0 or ctx.doc[i].lower_ != "and":
            break
        i -= 1
    return distinct(found[::-1])


def _answerable(ctx: Context, governor, exclude, depth: int) -> list[ActorSpan] | None:
    """Who is held to account "for" doing something: the object of the verb ("punished Belarus",
    "paid the militias for attacking"), or the "on" phrase of a measure ("sanctions on two firms").

    None when no object is an actor and the verb holds nobody to account ("used drones for
    attacking": the subject did it); [] when it does but its object is no actor we know.
    """
    if governor.pos_ == "NOUN":
        measures = [governor]
    elif governor.pos_ == "VERB":
        objects = [c for c in governor.children if c.dep_ == "dobj"]
        # "placed sanctions on two firms for aiding Iran": the measure's "on" phrase
        measures = [o for o in objects if o.pos_ == "NOUN" and ctx.lex.has(o, "account_verb")]
    else:
        return None
    if measures:
        objects = [
            p
            for m in measures
            for c in m.children
            if c.dep_ == "prep" and c.lower_ in ("on", "against")
            for p in c.children
            if p.dep_ == "pobj"
        ]
    found = [a for o in objects for a in actor_at(ctx, o, exclude, depth + 1)]
    if found:
        return found
    return [] if objects and (measures or ctx.lex.has(governor, "account_verb")) else None


def _programme(ctx: Context, verb):
    """The undertaking a "to" clause states the aim of: "a U.S. program to train rebels" (the clause
    on the noun, or misattached to the clause after it), else None."""
    to = next((c for c in verb.children if c.dep_ == "aux" and c.lower_ == "to"), None)
    if to is None or verb.tag_ != "VB":
        return None
    if verb.dep_ in ("acl", "relcl") and (
        ctx.lex.has(verb.head, "programme_noun") or is_event(ctx, verb.head)
    ):
        # ("launched an offensive to liberate Tal Afar from the Islamic State": the offensive's)
        return verb.head
    before = ctx.doc[to.i - 1] if to.i > 0 else None
    if (
        verb.dep_ in ("advcl", "xcomp")
        and before is not None
        and before.pos_ == "NOUN"
        and ctx.lex.has(before, "programme_noun")
    ):
        return before
    return None


def _programme_owners(ctx: Context, programme, exclude, depth: int) -> list[ActorSpan]:
    """Who runs an undertaking: an actor in its own phrase ("a UN assistance project", "the EU's
    mission"), else the subject of the clause that launched it ("Washington set up a program")."""
    for i in range(programme.left_edge.i, programme.i):
        span = ctx.by_token.get(i) or ctx.prefix_at.get(i) or ctx.open_at.get(i)
        if span is not None and not (exclude and span.actor.id in exclude):
            return [span]
    if programme.dep_ == "dobj" and ctx.lex.has(programme.head, "attack_holder"):
        return subject_of(ctx, programme.head, exclude, depth + 1)
    return []


def objects_of(ctx: Context, verb, exclude: set[str] | None = None) -> list[ActorSpan]:
    """Direct objects (and datives) of a verb as actors; pronouns skip the ``exclude`` actors."""
    out: list[ActorSpan] = []
    for child in verb.children:
        if child.dep_ in ("dobj", "dative", "attr", "oprd") or (child.dep_ == "npadvmod" and child.like_num):
            # ("shot down 30 of 45 drones" parses the count as an adverbial)
            trig = noun_trigger(ctx.doc, child, ctx.lex)
            if trig is not None and trig.kind is RelationKind.ATTACKED and child.i not in ctx.by_token:
                if repels(ctx, verb):  # "fought off an assault by gang members": its attackers
                    out.extend(attackers_of(ctx, child, exclude))
                continue  # "launched an offensive": the object is the event, not its victim
            out.extend(actor_at(ctx, child, exclude))
    if not out and ctx.lex.has(verb, "object_control"):
        # "to help Congo's army fight the M23": the helped party is the complement's subject
        for comp in verb.children:
            if comp.dep_ in ("ccomp", "xcomp"):
                out.extend(a for c in comp.children if c.dep_ == "nsubj" for a in actor_at(ctx, c))
    if not out and verb.dep_ == "xcomp":
        # "continues to back the opposition" parsed with the object on "continues"
        out.extend(
            a for c in verb.head.children if c.dep_ == "dobj" and c.i > verb.i for a in actor_at(ctx, c)
        )
    if not out and verb.dep_ == "conj":
        # "arms and funds Hezbollah": the shared object sits on the last conjunct
        for sib in verb.head.children:
            if sib.dep_ == "dobj" and sib.i > verb.i:
                out.extend(actor_at(ctx, sib))
        for sib in verb.children:
            if sib.dep_ == "conj":
                for obj in sib.children:
                    if obj.dep_ == "dobj":
                        out.extend(actor_at(ctx, obj))
    return out


def prep_objects(
    ctx: Context, tok, preps: set[str], exclude: set[str] | None = None
) -> list[tuple[str, ActorSpan]]:
    """Actors in prepositional phrases of ``tok`` (and of its direct object) with those prepositions."""
    out: list[tuple[str, ActorSpan]] = []
    holders = [tok, *[c for c in tok.children if c.dep_ in ("dobj", "attr")]]
    # "fought for two decades against the government": the parser hangs the phrase on the time
    holders += [
        pobj
        for c in tok.children
        if c.dep_ == "prep" and c.lower_ in ("for", "during", "over", "in")
        for pobj in c.children
        if pobj.dep_ == "pobj" and pobj.ent_type_ in ("DATE", "TIME")
    ]
    # "carried out several attacks, including one on a Kenyan base": the example's phrases
    holders += [
        one
        for h in list(holders)
        for c in h.children
        if c.dep_ == "prep" and c.lower_ == "including"
        for one in c.children
        if one.dep_ == "pobj" and one.lower_ in ("one", "ones")
    ]
    if tok.pos_ == "NOUN":
        # "a war for independence against Ethiopia", "a struggle for control of the city against
        # X": the phrase hangs on the cause, which is no actor
        holders += [
            pobj
            for c in tok.children
            if c.dep_ == "prep" and c.lower_ == "for"
            for pobj in c.children
            if pobj.dep_ == "pobj"
            and pobj.pos_ == "NOUN"
            and pobj.i not in ctx.by_token
            and pobj.i not in ctx.open_at
        ]
    for holder in holders:
        for child in holder.children:
            if child.dep_ in ("prep", "dative") and child.lower_ in preps:
                # "against rebel-held districts and against Kurdish civilians": conjoined phrases
                for prep in (child, *(c for c in child.children if c.dep_ == "conj" and c.lower_ in preps)):
                    for pobj in prep.children:
                        if pobj.dep_ == "pobj":
                            out.extend((prep.lower_, a) for a in actor_at(ctx, pobj, exclude))
    return out
