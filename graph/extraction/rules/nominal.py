"""Event and role nouns (``nominal``, ``joint``, ``role``): "air strikes by X on Y", "X's attack on
Y", "Russia's support for Assad", "talks with X", "X is at war with Y", "the junta's main arms
suppliers", "an incursion into Russia's Kursk region".
"""

from __future__ import annotations

from collections.abc import Iterator

from graph.extraction.arguments import (
    actor_at,
    actor_ending_at,
    actor_single,
    agent_of_event,
    distinct,
    objects_of,
    prep_objects,
    subject_of,
)
from graph.extraction.context import (
    ATTACK_PREPS,
    Candidate,
    Context,
    both_ways,
    is_event,
    pairs,
    state_located,
)
from graph.extraction.spans import ActorSpan
from graph.lexicon import Trigger
from graph.records import ActorType, RelationKind

__all__ = ["noun_rules"]

_SUPPORT_PREPS = {"for", "behind", "to", "of"}


def noun_rules(ctx: Context, noun, trigger: Trigger) -> Iterator[Candidate]:
    """Relations an event or role noun states, by its kind."""
    kind = trigger.kind
    if ctx.lex.has(noun, "role_noun") and not (noun.dep_ == "pobj" and noun.head.lower_ == "in"):
        # (French "en soutien à Kinshasa" is the event, not the role "un soutien de Kinshasa")
        yield from _role_noun(ctx, noun, kind)
        return
    if kind is RelationKind.ATTACKED and ctx.lex.has(noun, "symmetric_noun") and noun.dep_ == "pobj":
        # "Sudan's army and the RSF have been at war since April", "X is at war with Y"
        holder = noun.head.head
        if noun.head.lower_ in ("at", "in") and holder.pos_ in ("VERB", "AUX", "NOUN", "PROPN"):
            # "the PKK is at war with Turkey"; "Kurds in conflict with Turkey" (on the noun itself)
            verbal = holder.pos_ in ("VERB", "AUX")
            subjects = subject_of(ctx, holder) if verbal else actor_at(ctx, holder)
            if verbal and holder.lemma_ in ("be", "remain"):
                # "Kirkuk remains a city of rivalries: ...": a city the copula describes is a place
                subjects = [s for s in subjects if s.via != "located"]
            if verbal and not subjects:
                # "three soldiers were killed in clashes with militants": the fallen were a side
                subjects = [a for c in holder.children if c.dep_ == "nsubjpass" for a in actor_at(ctx, c)]
            if not subjects:
                # "a city of disputes: religious Jews in conflict with secular Jews", with "in" hung
                # on the copula: the actor right before the phrase is the side
                subjects = _adjacent_actor(ctx, noun.head.i)
            partners = [a for _, a in prep_objects(ctx, noun, {"with"})] or [
                a for _, a in prep_objects(ctx, holder, {"with"})
            ]
            yield from both_ways(pairs(subjects, partners, kind, noun.i, "joint", 0.8))
            return
    if kind is RelationKind.ATTACKED:
        yield from _attack(ctx, noun, kind)
        return
    if kind is RelationKind.BACKED:
        if ctx.lex.has(noun, "theme_noun") and not _aid_theme(ctx, noun):
            return  # "prisoner transfers", "a delivery of mail": only arms, aid or money back anyone
        yield from _backing(ctx, noun, kind)
        return
    if kind is RelationKind.NEGOTIATED_WITH:
        yield from _talks(ctx, noun, kind)


def _aid_theme(ctx: Context, noun) -> bool:
    """Whether a transfer, shipment, delivery or sale moves arms or aid ("Iranian weapons transfers",
    "deliveries of ammunition", "arms sales")."""
    themes = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")]
    themes += [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
    return any(
        ctx.lex.has(t, "weapon_noun")
        or ctx.lex.has(t, "support_theme")
        or getattr(ctx.lex.nouns.get(t.lemma_.lower()), "kind", None)
        is RelationKind.BACKED  # "aid shipments"
        for t in themes
    )


def _adjacent_actor(ctx: Context, i: int) -> list[ActorSpan]:
    """The actor whose phrase ends right before token ``i`` (none when ``i`` starts the sentence)."""
    if i == 0 or ctx.doc[i - 1].is_sent_end or actor_ending_at(ctx, i) is None:
        return []
    return actor_at(ctx, ctx.doc[i - 1])


def _attack(ctx: Context, noun, kind: RelationKind) -> Iterator[Candidate]:
    """ "air strikes by X on Y", "X's attack on Y", "an incursion into Russia's Kursk region"."""
    named = _war_name(ctx, noun)
    if named is not None and len(named) >= 2:
        # "the Iran-Iraq War" is named by its two sides, who fought each other ("the Salvadoran
        # Civil War" by one party, read as any war noun's owner)
        yield from both_ways(pairs(named[:1], named[1:], kind, noun.i, "nominal", 0.75))
        return
    agent = agent_of_event(ctx, noun)
    agents = _shared_owners(ctx, noun, agent)
    if not agents:
        return
    if len(agents) == 1:
        agents = _by_conjuncts(ctx, noun, agents[0])
    if len(agents) > 1:
        for each in agents:  # "Iran and the U.S. cooperated in their fight against X": each fights
            yield from _attack_by(ctx, noun, kind, each)
        return
    yield from _attack_by(ctx, noun, kind, agent)


def _war_name(ctx: Context, noun) -> list[ActorSpan] | None:
    """The states a war's proper name is made of ("the Iran-Iraq War" → Iran, Iraq), or None
    when the noun is no such name (a capitalised "War" after an actor's name, mid-sentence)."""
    if noun.text != "War" or noun.is_sent_start:
        return None
    found: list[ActorSpan] = []
    for child in noun.children:
        if child.dep_ in ("compound", "amod", "nmod") and child.i < noun.i:
            for tok in child.subtree:
                span = ctx.by_token.get(tok.i) or ctx.prefix_at.get(tok.i)
                if span is not None and span.actor.id not in {f.actor.id for f in found}:
                    found.append(span)
    return found or None


def _by_conjuncts(ctx: Context, noun, agent: ActorSpan) -> list[ActorSpan]:
    """ "attacks by the ADF and CODECO": every conjunct of the "by" phrase the agent heads."""
    for by in noun.children:
        if by.dep_ in ("prep", "agent") and by.lower_ == "by":
            for pobj in by.children:
                found = actor_at(ctx, pobj) if pobj.dep_ == "pobj" else []
                if len(found) > 1 and any(a.actor.id == agent.actor.id for a in found):
                    return distinct(found)
    return [agent]


def _shared_owners(ctx: Context, noun, agent: ActorSpan | None) -> list[ActorSpan]:
    """ "Iran and the United States ... their fight": a plural possessive pronoun on an event noun
    stands for every coordinated subject of the clause it sits in, not only the first."""
    if not any(c.dep_ == "poss" and c.lower_ == "their" for c in noun.children):
        return [agent] if agent is not None else []
    clause = noun.head
    while clause.pos_ not in ("VERB", "AUX") and clause.head.i != clause.i:
        clause = clause.head
    subjects = subject_of(ctx, clause) if clause.pos_ in ("VERB", "AUX") else []
    if len(subjects) > 1 and (agent is None or any(s.actor.id == agent.actor.id for s in subjects)):
        return subjects
    return [agent] if agent is not None else []


def _attack_by(ctx: Context, noun, kind: RelationKind, agent: ActorSpan) -> Iterator[Candidate]:
    """The targets of an attack noun whose agent is known."""
    preps = ATTACK_PREPS | ({"of"} if ctx.lex.has(noun, "of_target_noun") else set())
    exclude = {agent.actor.id}
    found = prep_objects(ctx, noun, preps, exclude)
    if any(p == "against" for p, _ in found):
        # "a counter-attack against Boko Haram into Nigerian territory": entered, not attacked
        found = [(p, t) for p, t in found if p != "into"]
    if ctx.lex.has(noun, "symmetric_noun"):
        # "Kenya's war with al-Shabaab", "its clashes with the army": both sides fight
        partners = [t for _, t in prep_objects(ctx, noun, {"with"}, exclude)]
        yield from both_ways(pairs([agent], partners, kind, noun.i, "nominal", 0.8))
        if partners:
            return
    targets = [t for _, t in found]
    if not targets:
        # "air strikes by the coalition on Houthi positions": "on" attached to the agent
        for child in noun.children:
            if child.dep_ in ("prep", "agent") and child.lower_ == "by":
                for pobj in child.children:
                    # ("attacks by the ADF and CODECO against civilians": on the last conjunct)
                    for node in (pobj, *pobj.conjuncts):
                        targets += [t for _, t in prep_objects(ctx, node, ATTACK_PREPS, exclude)]
        if noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
            # "opened fire on Hamas gunmen", "launched drones at Moscow"
            targets += [t for _, t in prep_objects(ctx, noun.head, ATTACK_PREPS, exclude)]
    if not targets:
        # "a military campaign launched in 1968 by the Viet Cong against American forces"
        targets = [
            t
            for c in noun.children
            if c.dep_ == "acl"
            for _, t in prep_objects(ctx, c, ATTACK_PREPS, exclude)
        ]
    if not targets and noun.dep_ == "pobj" and noun.head.dep_ == "agent":
        # "the rebels were weakened by Russian airstrikes": what the attack did it did to them
        targets = [
            a
            for c in noun.head.head.children
            if c.dep_ == "nsubjpass"
            for a in actor_at(ctx, c, exclude)
            if a.actor.id != agent.actor.id
        ]
    listed = noun
    while listed.dep_ == "conj" and listed.head.i < listed.i:
        listed = listed.head  # "endured civil war as well as invasions by Libya"
    if not targets and listed.dep_ == "dobj" and ctx.lex.has(listed.head, "undergo_verb"):
        # "Chad endured repeated invasions by Libya": whoever suffers the attacks is their target
        targets = [s for s in subject_of(ctx, listed.head) if s.actor.id != agent.actor.id]
    faced = listed.head.head if listed.dep_ == "pobj" and listed.head.lower_ == "with" else None
    if not targets and faced is not None and ctx.lex.has(faced, "undergo_verb"):
        # "rebel militias are faced with a government offensive and Russian airstrikes"
        targets = [
            a
            for c in faced.children
            if c.dep_ == "nsubjpass"
            for a in actor_at(ctx, c)
            if a.actor.id != agent.actor.id
        ]
    if not targets and ctx.lex.has(noun, "entry_noun"):
        targets = _owned_place(ctx, noun, exclude)
    if not targets:
        # "the Houthis' attacks on population centers in Saudi Arabia": what is hit stands for the
        # state it is in
        targets = [
            span
            for prep in noun.children
            if prep.dep_ == "prep" and prep.lower_ in ATTACK_PREPS
            for pobj in prep.children
            if pobj.dep_ == "pobj"
            for inner in pobj.children
            if (span := state_located(ctx, inner)) is not None
        ][:1]
    if not targets:
        # "the attack on a supply convoy that killed 11 soldiers": whom it killed
        for clause in noun.subtree:
            if clause.dep_ in ("relcl", "acl") and ctx.lex.has(clause, "kill_verb"):
                targets += [t for t in objects_of(ctx, clause, exclude) if t.actor.id != agent.actor.id]
    if not targets and agent.actor.type is ActorType.NON_STATE_ARMED_GROUP:
        # "the PKK, which has waged an insurgency inside Turkey": an armed group's campaign in a
        # state is against that state
        targets = [span for p in noun.children if (span := state_located(ctx, p)) is not None][:1]
    if not targets:
        ctx.untargeted.append((agent, noun.i))  # "launched a joint offensive": against whom?
    agents = [agent]
    by = ctx.doc[agent.head].head
    if (
        ctx.doc[agent.head].dep_ == "pobj"
        and by.lower_ == "by"
        and by.i > noun.i
        and any(t.start <= by.head.i < t.end for t in targets)
    ):
        # "attacks against civilians by the RSF and allied militias", "by" hung on the victims:
        # what follows it is the attackers' side
        agents += [t for t in targets if t.start > by.i]
        targets = [t for t in targets if t.start < by.i]
    for each in agents:
        for target in targets:
            if target.actor.id != each.actor.id:
                yield Candidate(kind, each, target, noun.i, "nominal", 0.8)


def _backing(ctx: Context, noun, kind: RelationKind) -> Iterator[Candidate]:
    """Support stated by a noun: "Russia's support for Assad", "Libyan assistance to the rebels",
    "aid offered by Norway to Nepal", "accepted French military aid", "with help from X"."""
    source = _supporter(ctx, noun)
    givers = _copula_attributes(ctx, noun) if source is None else []
    if givers:
        # "The principal support on the side of North Korea was China": the attribute gives it
        sides = [a for _, a in prep_objects(ctx, noun, {"for", "to", "of"})]
        sides += [
            a
            for p in noun.children
            if p.dep_ == "prep" and p.lower_ == "on"
            for side_noun in p.children
            if side_noun.dep_ == "pobj" and ctx.lex.has(side_noun, "side_noun")
            for _, a in prep_objects(ctx, side_noun, {"of"})
        ]
        for giver in givers:
            for side_actor in sides:
                if giver.actor.id != side_actor.actor.id:
                    yield Candidate(kind, giver, side_actor, noun.i, "nominal", 0.75)
        return
    shared = noun.dep_ == "conj" and noun.head.pos_ == "NOUN" and noun.head.i < noun.i
    if source is None and shared:
        source = _supporter(ctx, noun.head)  # "Chinese arms sales and assistance to Myanmar"
    holder = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "with" else None
    if holder is not None and holder.pos_ in ("NOUN", "PROPN") and not ctx.lex.has(holder, "support_theme"):
        # "the Somali government, with support from AU troops, retook Kismayo": the phrase it
        # hangs on is the receiver
        givers = [source] if source else [a for _, a in prep_objects(ctx, noun, {"from", "of"})]
        # ("the efforts of the Somali government with support from ATMIS": whose efforts)
        receivers = (
            actor_at(ctx, holder)
            or [a for c in holder.children if c.dep_ == "poss" for a in actor_at(ctx, c)]
            or [a for _, a in prep_objects(ctx, holder, {"of"})]
        )
        for receiver in receivers:
            for giver in givers:
                if giver.actor.id != receiver.actor.id:
                    yield Candidate(kind, giver, receiver, noun.i, "nominal", 0.75)
        return
    if noun.dep_ == "pobj" and noun.head.lower_ == "with" and noun.head.head.pos_ in ("VERB", "AUX"):
        # "intercepted the drones with help from the United States and Britain": the helpers
        # back whoever the clause is about
        givers = [source] if source else [a for _, a in prep_objects(ctx, noun, {"from", "of"})]
        for receiver in subject_of(ctx, noun.head.head):
            for giver in givers:
                if giver.actor.id != receiver.actor.id:
                    yield Candidate(kind, giver, receiver, noun.i, "nominal", 0.75)
        return
    if source is not None and noun.dep_ == "pobj" and noun.head.dep_ == "agent":
        # "UNITA was strengthened by U.S. support": the passive subject (a conjunct's, inherited)
        verb = noun.head.head
        receivers = [a for c in verb.children if c.dep_ == "nsubjpass" for a in actor_at(ctx, c)]
        if not receivers and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
            receivers = subject_of(ctx, verb.head)
        for receiver in receivers:
            if receiver.actor.id != source.actor.id:
                yield Candidate(kind, source, receiver, noun.i, "nominal", 0.75)
        return
    if noun.dep_ in ("dobj", "nsubjpass") and ctx.lex.has(noun.head, "receive_verb"):
        # "Egypt received military assistance from Moscow", "Chad accepted French aid": the
        # giver (on the noun, or "from" on the verb) backs the receiver
        givers = (
            [source]
            if source
            else [a for _, a in prep_objects(ctx, noun.head, {"from"})]
            # "had the support of a number of factions", "enjoyed support from China"
            or [a for _, a in prep_objects(ctx, noun, {"from", "of"})]
        )
        for receiver in subject_of(ctx, noun.head):
            for giver in givers:
                if giver.actor.id != receiver.actor.id:
                    yield Candidate(kind, giver, receiver, noun.i, "nominal", 0.75)
        return
    if source is None and noun.dep_ == "dobj" and ctx.lex.has(noun.head, "give_verb"):
        subs = subject_of(ctx, noun.head)
        source = subs[0] if subs else None
    if source is None:
        # "Washington announced a $125 million package of military aid for Kyiv"
        phrase = noun
        while (
            phrase.dep_ in ("pobj", "compound")
            and phrase.head.dep_ in ("prep", "dobj")
            and phrase.i != phrase.head.i
        ):
            phrase = phrase.head.head if phrase.dep_ == "pobj" else phrase.head
        if phrase.dep_ == "dobj" and ctx.lex.has(phrase.head, "aid_verb"):
            subs = subject_of(ctx, phrase.head)
            source = subs[0] if subs else None
            if source is not None:
                for _, target in prep_objects(ctx, noun, _SUPPORT_PREPS) or prep_objects(
                    ctx, phrase, {"for", "to"}
                ):
                    if target.actor.id != source.actor.id:
                        yield Candidate(kind, source, target, noun.i, "nominal", 0.75)
                return
    if source is None and noun.dep_ == "pobj" and noun.head.lower_ == "in":
        governor = noun.head.head
        if governor.pos_ in ("VERB", "AUX"):
            subs = subject_of(ctx, governor)
            source = subs[0] if subs else None
    sources = _shared_owners(ctx, noun, source)  # "Kenya and Ethiopia continued their support"
    sources += _coordinated_modifiers(ctx, noun, source)  # "Soviet and Cuban support"
    if not sources:
        return
    # "the Chadian army's assistance in the fight against Boko Haram": the helper fights too
    for prep in noun.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "with"):
            for fight in prep.children:
                if fight.dep_ == "pobj" and is_event(ctx, fight):
                    for _, enemy in prep_objects(ctx, fight, {"against"}):
                        for s in sources:
                            if enemy.actor.id != s.actor.id:
                                yield Candidate(RelationKind.ATTACKED, s, enemy, noun.i, "nominal", 0.75)
    yield from _backing_against(ctx, noun, sources)
    targets = [t for _, t in prep_objects(ctx, noun, _SUPPORT_PREPS)]
    if not targets and shared:  # the recipient hung on the first conjunct
        targets = [t for _, t in prep_objects(ctx, noun.head, _SUPPORT_PREPS - {"of"})]
    if not targets and noun.dep_ == "dobj":
        # "provided aid to X", "reaffirmed its full support to MONUSCO": the parser hangs the
        # recipient on the verb
        targets = [t for _, t in prep_objects(ctx, noun.head, {"to", "for"})]
    if not targets:  # "aid offered by Norway to Nepal": the recipient hangs on the participle
        targets = [
            t for c in noun.children if c.dep_ == "acl" for _, t in prep_objects(ctx, c, {"to", "for"})
        ]
    for source in sources:
        for target in targets:
            if target.actor.id != source.actor.id:
                yield Candidate(kind, source, target, noun.i, "nominal", 0.8)


def _backing_against(ctx: Context, noun, sources: list[ActorSpan]) -> Iterator[Candidate]:
    """ "sent troops in support of the MPLA against UNITA": help given against an enemy is a
    fight with it (the parser hangs "against" on the noun or on its "of" object). Only help an
    act gives ("sent troops / intervened in support of"): "Iran's support for the Houthis against
    Saudi Arabia" is backing, not a war of Iran's."""
    if not (noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.head.head.pos_ == "VERB"):
        return
    holders = [noun] + [
        p for prep in noun.children if prep.dep_ == "prep" and prep.lower_ == "of" for p in prep.children
    ]
    enemies = [enemy for holder in holders for _, enemy in prep_objects(ctx, holder, {"against"})]
    if enemies:
        yield from pairs(sources, enemies, RelationKind.ATTACKED, noun.i, "nominal", 0.75)


def _coordinated_modifiers(ctx: Context, noun, source: ActorSpan | None) -> list[ActorSpan]:
    """ "Soviet and Cuban support for the MPLA": the modifiers coordinated with the one
    :func:`_supporter` found give the support too."""
    if source is None or source.head >= noun.i or ctx.doc[source.head].head.i != noun.i:
        return []
    out = []
    for conj in ctx.doc[source.head].conjuncts:
        found = ctx.by_token.get(conj.i)
        if found is not None and conj.i < noun.i and found.actor.id != source.actor.id:
            out.append(found)
    return out


def _supporter(ctx: Context, noun) -> ActorSpan | None:
    """Who gives the support a noun names: its possessive ("Russia's support"), an actor
    modifying it ("Libyan assistance", "U.S. military aid") or the agent of a participle on it
    ("aid offered by Norway")."""
    for child in noun.children:
        if child.dep_ == "poss":
            owner = actor_single(ctx, child, None, 0)
            if owner is None and child.lower_ in ("their", "its") and noun.dep_ == "dobj":
                # "The members of the Council reiterated their full support": the clause's subject
                owner = next(iter(subject_of(ctx, noun.head)), None)
            return owner
    for child in noun.children:
        # linking makes "Libyan" of "Libyan assistance" the noun's owner
        if child.dep_ in ("amod", "compound", "nmod") and child.i < noun.i and child.i in ctx.by_token:
            return ctx.by_token[child.i]
    for clause in noun.children:
        if clause.dep_ == "acl":
            for agent in clause.children:
                if agent.dep_ == "agent":
                    found = [a for p in agent.children if p.dep_ == "pobj" for a in actor_at(ctx, p)]
                    if found:
                        return found[0]
    return None


def _talks(ctx: Context, noun, kind: RelationKind) -> Iterator[Candidate]:
    """ "signed a deal with the United States", "talks with X" held by a subject."""
    signatories = [a for _, a in prep_objects(ctx, noun, {"by"})]
    if len(signatories) >= 2:
        # "the signing of the Lusaka Protocol by the presidents of Angola and UNITA"
        yield from pairs(signatories, [], kind, noun.i, "joint", 0.75)
        return
    partners = [a for _, a in prep_objects(ctx, noun, {"with"})]
    if not partners:
        # "Erdogan and Putin called for a ceasefire after talks in Istanbul": they talked
        if noun.dep_ == "pobj" and noun.head.lower_ in ("after", "following", "during", "with", "in"):
            governor = noun.head.head
            subjects = subject_of(ctx, governor) if governor.pos_ in ("VERB", "AUX") else []
            if len(subjects) >= 2:
                yield from pairs(subjects, [], kind, noun.i, "joint", 0.7)
            return
        # "Venezuela's government and the opposition resumed talks": the subjects talk together
        if noun.dep_ == "dobj" and ctx.lex.has(noun.head, "talks_verb") and not ctx.lex.verb(noun.head):
            subjects = subject_of(ctx, noun.head)
            if len(subjects) >= 2:
                yield from pairs(subjects, [], kind, noun.i, "joint", 0.75)
        return
    holder = noun.head
    while (
        holder.pos_ not in ("VERB", "AUX")
        and holder.head.i != holder.i
        and holder.dep_ in ("pobj", "prep", "dobj", "conj", "compound")
    ):
        holder = holder.head
    verb_trigger = ctx.lex.verb(holder) if holder.pos_ in ("VERB", "AUX") else None
    if verb_trigger is not None and (
        verb_trigger.kind is RelationKind.NEGOTIATED_WITH or ctx.lex.has(holder, "event_repel_verb")
    ):
        # the verb rule covers "signed a deal with" ("struck a deal with" is this rule's), and
        # "halted talks with" states none
        return
    subjects = subject_of(ctx, holder) if holder.pos_ in ("VERB", "AUX") else []
    yield from pairs(subjects, partners, kind, noun.i, "nominal", 0.8)


def _owned_place(ctx: Context, tok, exclude: set[str]) -> list[ActorSpan]:
    """ "an incursion into Russia's Kursk region": the state whose territory is entered."""
    holders = [tok, tok.head] if tok.dep_ == "dobj" else [tok]
    out: list[ActorSpan] = []
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in ("into", "of"):
                for pobj in prep.children:
                    for owner in pobj.children:
                        if owner.dep_ == "poss" and owner.i in ctx.by_token:
                            span = ctx.by_token[owner.i]
                            if span.actor.type is ActorType.STATE and span.actor.id not in exclude:
                                out.append(
                                    ActorSpan(span.start, span.end, span.head, span.actor, "located", 0.8)
                                )
                    if pobj.i in ctx.by_token and ctx.by_token[pobj.i].actor.type is ActorType.STATE:
                        out.append(ctx.by_token[pobj.i])  # "invaded Ukraine", "an incursion into Russia"
    return out


def _role_noun(ctx: Context, noun, kind: RelationKind) -> Iterator[Candidate]:
    """ "China and Russia are the junta's main arms suppliers"; "The United States, Israel's main
    arms supplier"; "its ally Hamas"."""
    if noun.dep_ == "conj" and any(c.dep_ == "poss" and c.lower_ in ("their", "its") for c in noun.children):
        # "Ethiopian federal forces and their Eritrean allies": the allies named by their own
        # modifier back the conjunct the possessive points back to
        allies = [
            ctx.by_token[c.i]
            for c in noun.children
            if c.dep_ in ("amod", "compound") and c.i in ctx.by_token and c.i < noun.i
        ]
        partners = [a for a in actor_at(ctx, noun.head) if a.start < noun.i]
        for ally in allies:
            for partner in partners:
                if ally.actor.id != partner.actor.id and ally.actor.country != partner.actor.country:
                    yield Candidate(kind, ally, partner, noun.i, "role", 0.75)
        if allies:
            return
    clients = [actor_single(ctx, c, None, 0) for c in noun.children if c.dep_ == "poss"]
    clients = [c for c in clients if c is not None]
    # "Japan is one of the largest donors to UNRWA": the role hangs on "one of" the predicate
    one = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
    predicate = one if one is not None and one.lower_ == "one" and one.dep_ == "attr" else noun
    # "The principal backer of the Houthis was Iran": the role is the subject, its holder the attribute
    inverted = _copula_attributes(ctx, noun)
    if not clients and (predicate.dep_ == "attr" or inverted):
        clients = [t for _, t in prep_objects(ctx, noun, {"of", "to"})]  # "Iran is a key backer of X"
    if not clients:
        return
    holders: list[ActorSpan] = []
    if predicate.dep_ == "attr":
        holders = subject_of(ctx, predicate.head)
    elif inverted:
        holders = inverted
    elif noun.dep_ == "appos":
        # "China, Pakistan's closest ally, ... and Saudi Arabia said": conjuncts after it are not described
        holders = [h for h in actor_at(ctx, noun.head) if h.start < noun.i]
    elif (
        noun.i + 1 in ctx.by_token
        and ctx.by_token[noun.i + 1].start == noun.i + 1
        # ("in support of its ally Hamas": a pronoun's ally is read with the pronoun, see arguments)
        and not any(c.dep_ == "poss" and c.pos_ == "PRON" for c in noun.children)
    ):
        holders = [ctx.by_token[noun.i + 1]]  # "Russia's ally Belarus", the name read as a second subject
    backed_role = ctx.lex.has(noun, "backed_role")  # "Hezbollah, Iran's proxy": Iran backs it
    for h in holders:
        for c in clients:
            if h.actor.id != c.actor.id:
                yield (
                    Candidate(kind, c, h, noun.i, "role", 0.8)
                    if backed_role
                    else Candidate(kind, h, c, noun.i, "role", 0.8)
                )


def _copula_attributes(ctx: Context, noun) -> list[ActorSpan]:
    """The actors a copula's attribute names when ``noun`` is its subject ("The main backer of X
    was Iran"): the inverted order of "Iran was the main backer of X"."""
    if noun.dep_ != "nsubj" or noun.head.lemma_ != "be":
        return []
    return [a for c in noun.head.children if c.dep_ == "attr" for a in actor_at(ctx, c)]
