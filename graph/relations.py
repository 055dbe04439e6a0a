"""Extract relations between resolved actors from a parsed article (Doc + ActorSpan → Relation).

Each rule reads one construction off spaCy's dependency parse, anchored on a trigger word from
the lexicon:

* ``svo``       active clause: "Turkey shot down two Syrian warplanes";
* ``passive``   "20 soldiers were killed by Taliban fighters", "was backed by a U.S.-led coalition";
* ``prep``      prepositional partners: "fired rockets into Israel", "met with", "signed a deal with";
* ``joint``     coordinated subjects of a symmetric trigger: "Turkey, Russia and Iran signed an accord";
* ``between``   "clashes between X and Y" (both directions), "talks between X and Y";
* ``nominal``   "air strikes by X on Y", "X's attack on Y", "support behind Y";
* ``modifier``  "Russian-backed Syrian forces", "U.S.- and French-brokered truce";
* ``role``      "the junta's main arms suppliers", "Israel's main arms supplier" (apposition);
* ``alongside`` "fought alongside X against Y", "joined the conflict on his side";
* ``capture``   "captured the town from X", "days after losing it to X".

Subjects are inherited through coordination, control and participles; relative pronouns and
personal pronouns are resolved to actors. Every statement gets a modality (see graph.modality),
a date, place and fatalities where stated, and a confidence from the rule and the resolution.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from graph.actors import ActorSpan, resolve_pronoun, sentence_bounds, sentence_index, token_texts
from graph.gazetteer import Gazetteer
from graph.lexicon import Lexicon, Trigger, lemma_candidates
from graph.records import Actor, ActorType, RelationKind

__all__ = ["Candidate", "extract_candidates"]

_RELPRON = {"which", "who", "that", "whom"}
_PRONOUNS = {"he", "him", "his", "she", "her", "it", "its", "they", "them", "their"}
_ATTACK_PREPS = {"on", "at", "against", "into", "upon", "toward", "towards"}
_PARTNER_PREPS = {"with"}
_SUPPORT_PREPS = {"for", "behind", "to", "of"}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A relation found in a sentence, in token terms (graph.extract turns it into a Relation)."""

    kind: RelationKind
    source: ActorSpan
    target: ActorSpan
    trigger: int  # token index
    rule: str
    confidence: float


class _Context:
    """Lookups shared by the rules for one Doc."""

    def __init__(
        self, doc, spans: Sequence[ActorSpan], lexicon: Lexicon, gazetteer: Gazetteer | None = None
    ) -> None:
        self.doc = doc
        self.gaz = gazetteer
        self.spans = [s for s in spans if s.via != "open"]  # open-world actors are no antecedents
        self.lex = lexicon
        self.by_token: dict[int, ActorSpan] = {}
        # open-world actors (graph.open_mentions): a fallback for a phrase no other reading resolves
        self.open_at: dict[int, ActorSpan] = {}
        self.prefix_at: dict[int, ActorSpan] = {}  # "Russian" of "Russian-backed": a modifier, not a phrase
        self.untargeted: list[tuple[ActorSpan, int]] = []  # attacks with an agent and no target
        self.joined: dict[str, Actor] = {}  # "the UAE joined Saudi jets in the raids": UAE -> Saudi
        self.coordinated: dict[
            int, list[ActorSpan]
        ] = {}  # "Indian" of "Indian and Pakistani troops", by head
        for span in spans:
            table = (
                self.prefix_at
                if span.via == "modifier"
                else self.open_at
                if span.via == "open"
                else self.by_token
            )
            for i in range(span.start, span.end):
                table[i] = span
            if span.via == "coordinated":
                self.coordinated.setdefault(span.head, []).append(span)

    def prefix_of(self, tok) -> ActorSpan | None:
        """The actor before "-backed", "-led" ...: "Russian" of "Russian-backed" (three tokens) or
        of "U.S.-led" (one token)."""
        if tok.i >= 2 and self.doc[tok.i - 1].text in ("-", "‐"):
            return self.prefix_at.get(tok.i - 2)
        return self.prefix_at.get(tok.i)

    # ---------------------------------------------------------------- actors of a token
    def actor_at(self, tok, exclude: set[str] | None = None, depth: int = 0) -> list[ActorSpan]:
        """Actors a noun phrase headed by ``tok`` denotes, with its coordinated conjuncts."""
        out: list[ActorSpan] = []
        generic = tok.i in self.by_token and self.by_token[tok.i].via == "generic"
        if (tok.i not in self.by_token or generic) and depth < 6:
            # "militiamen loyal to Saddam": whom they stand for, not a generic militia
            out = self._represented(tok, exclude, depth)
        if not out:
            found = self._actor_single(tok, exclude, depth)
            out = [found] if found is not None else []
        out += self.coordinated.get(tok.i, [])
        for child in tok.children:
            if child.dep_ == "conj" and child.i > tok.i and depth < 6:
                out.extend(self.actor_at(child, exclude, depth + 1))
            elif (
                child.dep_ == "appos"
                and child.i in self.by_token
                and depth < 6
                and any(c.dep_ == "conj" for c in child.children)
            ):
                # "Mali, Burkina Faso and Niger": the parser hangs the list on an apposition
                out.extend(self.actor_at(child, exclude, depth + 1))
            elif (
                out
                and child.dep_ in ("compound", "nmod")
                and child.i in self.by_token
                and any(c.dep_ == "conj" and out[0].start <= c.i < out[0].end for c in child.children)
            ):
                # "JNIM and Islamic State fighters": the first name shares the second's fighters
                out.append(self.by_token[child.i])
            elif (
                out
                and child.dep_ in ("compound", "nmod", "amod", "poss")
                and tok.i not in self.by_token
                and out[0].start <= child.i < out[0].end
            ):
                # "Moroccan and Polisario delegations": the owner's own conjuncts own it too
                out.extend(
                    a
                    for c in child.children
                    if c.dep_ == "conj"
                    for a in self.actor_at(c, exclude, depth + 1)
                )
        seen: set[str] = set()
        unique = []
        for span in out:
            if span.actor.id not in seen:
                seen.add(span.actor.id)
                unique.append(span)
        return unique

    def _acl_agent(self, tok, exclude, depth: int) -> ActorSpan | None:
        """The "by" agent of a participle modifying ``tok`` ("a missile fired by Hezbollah")."""
        for child in tok.children:
            if child.dep_ == "acl" and child.tag_ == "VBN":
                for agent in child.children:
                    if agent.dep_ == "agent":
                        for pobj in agent.children:
                            found = self.actor_at(pobj, exclude, depth + 1) if pobj.dep_ == "pobj" else []
                            if found:
                                return found[0]
        return None

    def _reresolve(self, span: ActorSpan, exclude: set[str]) -> ActorSpan | None:
        """ "Kyiv's drone attack on its strategic bombers": a possessive pronoun never points back
        at the other party of the same relation; look for the next candidate instead."""
        actors = {s.actor.id: s.actor for s in self.spans}
        countries = frozenset(a.country for i in exclude if (a := actors.get(i)) is not None and a.country)
        if span.actor.id not in exclude and span.actor.country not in countries:
            return span
        alt = resolve_pronoun(self.doc, span.start, self.spans, exclude, countries)
        if alt is None or self.gaz is None:
            return None
        state = self.gaz.state_for(alt.actor.country or "") if alt.actor.country else None
        if state is not None and span.actor.type in (ActorType.ARMED_FORCES, ActorType.GOVERNMENT):
            return ActorSpan(
                span.start, span.end, span.head, self.gaz.institution(state.id, span.actor.type), "coref", 0.7
            )
        return ActorSpan(span.start, span.end, span.head, alt.actor, "coref", 0.7)

    def _represented(self, tok, exclude, depth: int) -> list[ActorSpan]:
        """ "Negotiators from Russia and Ukraine", "forces loyal to Khalifa Haftar": the phrase
        names whom the people it heads stand for."""
        for child in tok.children:
            # "leaders of Somalia, Kenya and Ethiopia": every conjunct, not only the first
            if (
                child.dep_ == "prep"
                and child.lower_ in ("from", "of")
                and (
                    self.lex.has(tok, "representative")
                    or (
                        child.lower_ == "from" and self.lex.has(tok, "target_object")
                    )  # "warplanes from the UAE"
                )
            ):
                return [
                    a
                    for p in child.children
                    if p.dep_ == "pobj"
                    for a in self.actor_at(p, exclude, depth + 1)
                ]
            if child.lower_ == "loyal":
                for prep in child.children:
                    if prep.dep_ == "prep" and prep.lower_ == "to":
                        found = [
                            a
                            for p in prep.children
                            if p.dep_ == "pobj"
                            for a in self.actor_at(p, exclude, depth + 1)
                        ]
                        # "loyal to Khalifa Haftar south of Tripoli" parsed oddly: the first actor inside
                        return found or [self.by_token[t.i] for t in prep.subtree if t.i in self.by_token][:1]
        return []

    def _actor_single(self, tok, exclude: set[str] | None, depth: int) -> ActorSpan | None:
        if depth > 6:
            return None
        if tok.i in self.by_token:
            span = self.by_token[tok.i]
            if (
                exclude
                and span.via == "coref"
                and self.doc[span.start].lower_ in ("its", "their", "his", "her")
            ):
                return self._reresolve(span, exclude)
            return span
        low = tok.lower_
        if low in _PRONOUNS:
            return resolve_pronoun(self.doc, tok.i, self.spans, exclude)
        if low in _RELPRON or (low == "whose"):
            return self._antecedent(tok, exclude, depth)
        # "fighters loyal to X" misparsed with the adjective as the phrase's head
        if tok.pos_ == "ADJ":
            for child in tok.children:
                if child.dep_ in ("nsubj", "npadvmod") and child.i < tok.i:
                    return self._actor_single(child, exclude, depth + 1)
        # "Serraj's administration", "Maduro's government": what the office holder acts for
        if self.gaz is not None and self.gaz.institutions.get(tok.lower_) is ActorType.GOVERNMENT:
            for child in tok.children:
                owner = self.by_token.get(child.i) if child.dep_ == "poss" else None
                if owner is not None and owner.actor.type is ActorType.PERSON:
                    return owner
        # "Saudi-led warplanes", "U.S.-led forces": a force led by X fights for X
        if self.lex.has(tok, "target_object") or self.lex.has(tok, "representative"):
            for child in tok.children:
                if child.lower_ == "led" or child.lower_.endswith("-led"):
                    leader = self.prefix_of(child)
                    if leader is not None:
                        return ActorSpan(leader.start, leader.end, leader.head, leader.actor, "led", 0.8)
        # "Hezbollah, the Lebanese group (that ...)": a description in apposition to a named actor
        if tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.head.i in self.by_token and tok.head.i < tok.i:
            return self.by_token[tok.head.i]
        # "its ally Hamas", "the army's main garrison" in apposition (not for event nouns)
        trig = self.lex.nouns.get(tok.lemma_.lower())
        if tok.pos_ == "NOUN" and (trig is None or trig.kind is not RelationKind.ATTACKED):
            for child in tok.children:
                if child.dep_ == "appos" and child.i > tok.i and child.i in self.by_token:
                    return self.by_token[child.i]
        # "one of its drones", "37 of the assailants", "a force of Iraqi troops"
        if (
            self.lex.has(tok, "quantifier")
            or tok.like_num
            or tok.pos_ == "NUM"
            or tok.lemma_.lower() in ("force", "coalition")
        ):
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            return self._actor_single(pobj, exclude, depth + 1)
        # "Islamic State positions", "its drones", "whose troops": the owner of a military object
        if self.lex.has(tok, "target_object") or self.lex.has(tok, "representative"):
            # "positions of the Kachin Independence Army", "the headquarters of a Myanmar command"
            for child in tok.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        owner = self._actor_single(pobj, exclude, depth + 1) if pobj.dep_ == "pobj" else None
                        if owner is not None:
                            return owner
        acted_by = self._acl_agent(
            tok, exclude, depth
        )  # "a missile fired by Hezbollah", "depots used by the Houthis"
        if acted_by is not None:
            return acted_by
        if self.lex.has(tok, "target_object") and not any(
            c.dep_ in ("compound", "poss", "amod", "nmod") and c.i in self.by_token for c in tok.children
        ):
            # "an airbase deep inside Russia", "military airports in northwestern Syria": an unowned
            # target stands for the state it is in
            for prep in tok.children:
                span = _state_located(self, prep)
                if span is not None:
                    return span
        if self.lex.has(tok, "target_object") or self.lex.has(tok, "representative") or tok.pos_ == "PROPN":
            order = {"compound": 0, "nmod": 1, "amod": 2, "poss": 3, "appos": 4}
            for child in sorted(tok.children, key=lambda c: order.get(c.dep_, 9)):
                if (child.dep_ in ("compound", "poss", "amod", "nmod") and child.i < tok.i) or (
                    child.dep_ == "appos" and child.i > tok.i
                ):
                    owner = self._actor_single(child, exclude, depth + 1)
                    if owner is None and child.dep_ in ("compound", "nmod"):
                        # "a U.S. F-117 stealth fighter": the owner modifies the model name
                        owner = next(
                            (
                                self.by_token[g.i]
                                for g in child.children
                                if g.dep_ == "compound" and g.i in self.by_token
                            ),
                            None,
                        )
                    if owner is not None:
                        return owner
        lemma = tok.lemma_.lower()
        if lemma in self.lex.nouns and self.lex.nouns[lemma].kind is RelationKind.ATTACKED:
            return self.agent_of_event(tok, exclude, depth + 1)
        return self.open_at.get(tok.i)

    def _antecedent(self, tok, exclude, depth) -> ActorSpan | None:
        """The noun a relative pronoun stands for ("Iran, which supports ..."; "whose troops")."""
        verb = tok.head if tok.dep_ != "poss" else tok.head.head
        if verb.dep_ in ("relcl", "acl", "ccomp", "advcl") and verb.head.i < tok.i:
            head = verb.head
            if head.i in self.by_token:
                return self.by_token[head.i]
            if head.pos_ == "VERB":  # misparsed as a clause: "shelling that killed" -> the agent
                return (
                    self.subject_of(head, exclude, depth + 1)[0]
                    if self.subject_of(head, exclude, depth + 1)
                    else None
                )
            return self._actor_single(head, exclude, depth + 1)
        # fall back to the nearest actor just before the pronoun ("Tehran, which ...")
        j = tok.i - 1
        while j >= 0 and self.doc[j].is_punct:
            j -= 1
        return self.by_token.get(j)

    def agent_of_event(self, noun, exclude=None, depth: int = 0) -> ActorSpan | None:
        """Who carried out an event noun: "Syrian shelling", "X's attack", "strikes by X",
        "Turkey responded with drone attacks", "they launched an offensive"."""
        if depth > 6:
            return None
        for child in noun.children:
            if child.dep_ == "poss" and child.lower_ in _PRONOUNS and noun.dep_ == "dobj":
                # "they mounted their largest attack": the possessive is the clause's subject
                subjects = self.subject_of(noun.head, exclude, depth + 1)
                if subjects:
                    return subjects[0]
            if child.dep_ in ("poss", "amod", "compound", "nmod") and child.i < noun.i:
                span = self.by_token.get(child.i) or (
                    resolve_pronoun(self.doc, child.i, self.spans, exclude)
                    if child.lower_ in _PRONOUNS
                    else None
                )
                if span is not None:
                    return span
            if child.dep_ in ("prep", "agent") and child.lower_ == "by":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = self.actor_at(pobj, exclude, depth + 1)
                        if found:
                            return found[0]
        acted_by = self._acl_agent(noun, exclude, depth)  # "the offensive, launched ... by X"
        if acted_by is not None:
            return acted_by
        if noun.dep_ == "appos" and _is_event(self, noun.head):
            # "JeM claimed the bombing, the deadliest attack on Indian forces": the same event
            return self.agent_of_event(noun.head, exclude, depth + 1)
        head = noun.head
        if noun.dep_ == "pobj" and head.lower_ == "for" and self.lex.has(head.head, "claim_noun"):
            claim = head.head  # "claimed responsibility for the bombing"
            if claim.dep_ == "dobj":
                subjects = self.subject_of(claim.head, exclude, depth + 1)
                return subjects[0] if subjects else None
        if noun.dep_ == "conj" and head.i != noun.i:
            return (
                self.agent_of_event(head, exclude, depth + 1)
                if head.pos_ == "NOUN"
                else ((self.subject_of(head, exclude, depth + 1) or [None])[0])
            )
        if noun.dep_ in ("dobj", "pobj"):
            verb = head if noun.dep_ == "dobj" else head.head
            if verb.pos_ in ("VERB", "AUX") and self.lex.has(verb, "attack_holder"):
                subjects = self.subject_of(verb, exclude, depth + 1)
                return subjects[0] if subjects else None
        return None

    # ---------------------------------------------------------------- clause arguments
    def subject_of(self, verb, exclude=None, depth: int = 0) -> list[ActorSpan]:
        """The actors doing ``verb``, inherited through coordination, control and participles."""
        if depth > 6:
            return []
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj"):
                found = self.actor_at(child, exclude, depth + 1)
                if found:  # the small model sometimes gives two subjects; take one that is an actor
                    return found
            if child.dep_ == "agent" and verb.tag_ == "VBN":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return self.actor_at(pobj, exclude, depth + 1)
        if any(c.dep_ in ("nsubjpass", "nsubj") for c in verb.children):
            return []
        head = verb.head
        if head.i == verb.i:
            return []
        if verb.dep_ == "conj" and head.pos_ in ("VERB", "AUX"):
            return self.subject_of(head, exclude, depth + 1)
        if verb.dep_ in ("xcomp", "advcl", "pcomp") and head.pos_ in ("VERB", "AUX", "ADP", "ADJ", "NOUN"):
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
            if governor.pos_ == "VERB" and self.lex.has(governor, "object_control"):
                objs = [c for c in governor.children if c.dep_ == "dobj"]
                if objs:
                    return self.actor_at(objs[0], exclude, depth + 1)
            if governor.pos_ == "NOUN":
                # "accused Chinese vessels of ramming ...", with "of" hung on the object: it rams
                if governor.dep_ == "dobj" and self.lex.has(governor.head, "object_control"):
                    return self.actor_at(governor, exclude, depth + 1)
                return []
            return self.subject_of(governor, exclude, depth + 1)
        if verb.dep_ in ("acl", "relcl") and verb.tag_ in ("VBG", "VBN"):
            # "troops supporting the opposition": the owner of the troops, else the clause subject
            owner = self._actor_single(head, exclude, depth + 1)
            if owner is not None:
                return [owner]
            governor = head.head
            while governor.pos_ not in ("VERB", "AUX") and governor.head.i != governor.i:
                governor = governor.head
            if governor.pos_ in ("VERB", "AUX") and governor.i != verb.i:
                return self.subject_of(governor, exclude, depth + 1)
        return []

    def objects_of(self, verb, exclude: set[str] | None = None) -> list[ActorSpan]:
        """Direct objects (and datives) of a verb as actors; pronouns skip the ``exclude`` actors."""
        out: list[ActorSpan] = []
        for child in verb.children:
            if child.dep_ in ("dobj", "dative", "attr", "oprd") or (
                child.dep_ == "npadvmod" and child.like_num
            ):
                # ("shot down 30 of 45 drones" parses the count as an adverbial)
                trig = _noun_trigger(self.doc, child, self.lex)
                if trig is not None and trig.kind is RelationKind.ATTACKED and child.i not in self.by_token:
                    if _repels(self, verb):  # "fought off an assault by gang members": its attackers
                        out.extend(_attackers_of(self, child, exclude))
                    continue  # "launched an offensive": the object is the event, not its victim
                out.extend(self.actor_at(child, exclude))
        if not out and self.lex.has(verb, "object_control"):
            # "to help Congo's army fight the M23": the helped party is the complement's subject
            for comp in verb.children:
                if comp.dep_ in ("ccomp", "xcomp"):
                    out.extend(a for c in comp.children if c.dep_ == "nsubj" for a in self.actor_at(c))
        if not out and verb.dep_ == "xcomp":
            # "continues to back the opposition" parsed with the object on "continues"
            out.extend(
                a for c in verb.head.children if c.dep_ == "dobj" and c.i > verb.i for a in self.actor_at(c)
            )
        if not out and verb.dep_ == "conj":
            # "arms and funds Hezbollah": the shared object sits on the last conjunct
            for sib in verb.head.children:
                if sib.dep_ == "dobj" and sib.i > verb.i:
                    out.extend(self.actor_at(sib))
            for sib in verb.children:
                if sib.dep_ == "conj":
                    for obj in sib.children:
                        if obj.dep_ == "dobj":
                            out.extend(self.actor_at(obj))
        return out

    def prep_objects(
        self, tok, preps: set[str], exclude: set[str] | None = None
    ) -> list[tuple[str, ActorSpan]]:
        """Actors in prepositional phrases of ``tok`` (and of its direct object) with those prepositions."""
        out: list[tuple[str, ActorSpan]] = []
        holders = [tok, *[c for c in tok.children if c.dep_ in ("dobj", "attr")]]
        for holder in holders:
            for child in holder.children:
                if child.dep_ in ("prep", "dative") and child.lower_ in preps:
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            out.extend((child.lower_, a) for a in self.actor_at(pobj, exclude))
        return out


def extract_candidates(
    doc, spans: Sequence[ActorSpan], lexicon: Lexicon, gazetteer: Gazetteer | None = None
) -> list[Candidate]:
    """Every relation candidate in the Doc, before modality, dates and aggregation."""
    ctx = _Context(doc, spans, lexicon, gazetteer)
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
        if verbal:
            trigger = next(
                (lexicon.verbs[c] for c in lemma_candidates(lemma, tok.lower_) if c in lexicon.verbs), None
            )
            if trigger is not None:
                found.extend(_verb_rules(ctx, tok, trigger))
            words = set(lemma_candidates(lemma, tok.lower_))
            if "join" in words:
                found.extend(_joined_side(ctx, tok))
            if "lose" in words:
                found.extend(_lost_to(ctx, tok))
            if words & {"fight", "join"}:
                found.extend(_alongside(ctx, tok))
            if words & ctx.lex.of("aid_verb"):
                found.extend(_money_for(ctx, tok))
        if lowers[i] == "under":
            found.extend(_came_under(ctx, tok))
            continue
        if tok.pos_ in ("NOUN", "PROPN") or tok.tag_.startswith("NN"):
            trigger = _noun_trigger(doc, tok, lexicon)
            if trigger is not None:
                found.extend(_noun_rules(ctx, tok, trigger))
        if tok.lower_ in lexicon.modifiers and tok.i >= 2 and doc[tok.i - 1].text in ("-", "‐"):
            found.extend(_modifier_rule(ctx, tok, lexicon.modifiers[tok.lower_]))
        elif tok.i in ctx.prefix_at and "-" in tok.text[1:]:  # "U.S.-backed" kept as one token
            suffix = tok.lower_.rpartition("-")[2]
            if suffix in lexicon.modifiers:
                found.extend(_modifier_rule(ctx, tok, lexicon.modifiers[suffix]))
    found.extend(_between_rule(ctx))
    found.extend(_relative_fallback(ctx, found))
    kept = _clean(found)
    # an ally's offensive into a state's territory, dropped by _clean, still has a real target
    ctx.untargeted += [(c.source, c.trigger) for c in found if c.target.via == "located" and c not in kept]
    return kept + _implicit_targets(ctx, kept)


# ------------------------------------------------------------------------------ verb rules
def _verb_rules(ctx: _Context, verb, trigger: Trigger) -> Iterator[Candidate]:
    kind = trigger.kind
    lemma = trigger.lemma
    if lemma in ctx.lex.of("talks_object_verb") and not any(
        c.dep_ in ("dobj", "nsubjpass")
        and (t := _noun_trigger(ctx.doc, c, ctx.lex)) is not None
        and t.kind is RelationKind.NEGOTIATED_WITH
        for c in verb.children
    ):
        return  # "held talks" is a negotiation; "a town held by the insurgents" is not
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or (
        verb.tag_ == "VBN"
        and verb.dep_ == "conj"
        and any(c.dep_ == "agent" for c in verb.children)
        and any(c.dep_ == "nsubjpass" for c in verb.head.children)
    )
    if passive:
        yield from _passive(ctx, verb, kind)
        return
    if (
        verb.dep_ in ("acl", "relcl", "amod", "advcl")
        and verb.tag_ == "VBN"
        and any(c.dep_ == "agent" for c in verb.children)
    ):
        # "The M23 rebels, backed by Rwanda, ...": a reduced passive relative clause
        if kind is RelationKind.MEDIATED:
            yield from _mediators(ctx, verb)
            return
        if _is_event(ctx, verb.head) or _noun_trigger(ctx.doc, verb.head, ctx.lex) is not None:
            return  # "the offensive, launched by X", "a truce brokered by Y": an event, not a victim
        patients = ctx.actor_at(verb.head) if verb.dep_ != "advcl" else ctx.subject_of(verb.head)
        agents = _agents(ctx, verb)
        for a in agents:
            for p in patients:
                if a.actor.id != p.actor.id:
                    yield Candidate(kind, a, p, verb.i, "passive", 0.85)
        return
    subjects = ctx.subject_of(verb)
    if not subjects:
        return
    exclude = {s.actor.id for s in subjects}
    # "had to protect its peacekeepers": what one backs is often its own, so a possessive may
    # point back at the subject (the pair is then dropped); an attack is never on oneself
    skip = exclude if kind is not RelationKind.BACKED else None
    objects = [o for o in ctx.objects_of(verb, skip) if o.actor.id not in exclude]
    if kind is RelationKind.NEGOTIATED_WITH:
        # "who held talks with him": a pronoun partner is never the subject itself
        partners = [a for _, a in ctx.prep_objects(verb, _PARTNER_PREPS, exclude)]
        if not partners:
            # "to sign a deal on their deployment with President Ruto": "with" deeper in the object
            for obj in verb.children:
                if obj.dep_ in ("dobj", "prep"):
                    partners += [
                        a
                        for sub in obj.subtree
                        if sub.dep_ == "prep" and sub.lower_ == "with" and sub.head.i != obj.i
                        for p in sub.children
                        if p.dep_ == "pobj"
                        for a in ctx.actor_at(p, exclude)
                    ]
        if lemma in ("meet", "negotiate", "talk"):
            partners += objects
        elif lemma in ("sign", "reach", "conclude", "agree", "hold") and not partners and len(subjects) < 2:
            return
        yield from _pairs(subjects, partners, kind, verb.i, "prep" if partners else "joint", 0.85)
        return
    if kind is RelationKind.ATTACKED and any(
        c.dep_ == "dobj"
        and c.lower_ in ("other", "another")
        and any(d.lower_ in ("each", "one") for d in c.children)
        for c in verb.children
    ):
        # "the two militias shelled each other": every pair of subjects, both ways
        yield from _both_ways(_pairs(subjects, [], kind, verb.i, "joint", 0.8))
        return
    if kind is RelationKind.ATTACKED and lemma in ctx.lex.of("symmetric_verb"):
        # "clashed with X" goes both ways; "fought against X" and "fought X" go one way
        mutual = [a for _, a in ctx.prep_objects(verb, _PARTNER_PREPS, exclude)]
        one_way = [a for _, a in ctx.prep_objects(verb, {"against"}, exclude)] + objects
        one_way += _repelled(ctx, verb, exclude) if not one_way else []
        partners = mutual + one_way
        for s in subjects:
            for p in mutual:
                yield Candidate(kind, s, p, verb.i, "svo", 0.85)
                yield Candidate(kind, p, s, verb.i, "svo", 0.8)
            for p in one_way:
                yield Candidate(kind, s, p, verb.i, "svo", 0.85)
        if len(subjects) >= 2 and not partners:
            for a in subjects:
                for b in subjects:
                    if a.actor.id != b.actor.id:
                        yield Candidate(kind, a, b, verb.i, "joint", 0.8)
        return
    if lemma in ctx.lex.of("swap_verb") and any(
        c.dep_ == "dobj" and ctx.lex.has(c, "prisoner_noun") for c in verb.children
    ):
        # "Russia and Ukraine swapped 115 prisoners of war": an exchange needs an agreement
        partners = [a for _, a in ctx.prep_objects(verb, {"with"})]
        yield from _pairs(subjects, partners, RelationKind.NEGOTIATED_WITH, verb.i, "joint", 0.8)
        return
    if lemma in ctx.lex.of("mutual_verb"):
        # "Israel and Iran traded missile strikes", "exchanged fire with X": both directions
        if not any(
            c.dep_ == "dobj" and (_noun_trigger(ctx.doc, c, ctx.lex) or c.lower_ in ("fire", "blows"))
            for c in verb.children
        ):
            return
        partners = [a for _, a in ctx.prep_objects(verb, {"with"})]
        yield from _both_ways(_pairs(subjects, partners, kind, verb.i, "joint", 0.8))
        return
    if lemma == "push" and not any(
        c.dep_ in ("prt", "advmod") and c.lower_ in ("back", "out") for c in verb.children
    ):
        return  # "pushed for talks" is no attack; "pushed Russian forces back" is
    if kind is RelationKind.CAPTURED_FROM:
        losers = [a for _, a in ctx.prep_objects(verb, {"from"})]
        if not losers:  # "retook the palace in Khartoum from the RSF": the phrase hangs off the object
            for obj in [c for c in verb.children if c.dep_ == "dobj"]:
                for sub in obj.subtree:
                    if sub.dep_ == "prep" and sub.lower_ == "from":
                        losers += [a for p in sub.children if p.dep_ == "pobj" for a in ctx.actor_at(p)]
        if not losers:  # "recaptured the port town, held for a year by the insurgents": its holder
            clauses = [c for c in verb.children if c.dep_ in ("advcl", "acl")]
            for obj in [c for c in verb.children if c.dep_ == "dobj"]:
                clauses += [c for c in obj.subtree if c.dep_ in ("acl", "relcl")]
            for clause in clauses:
                if ctx.lex.has(clause, "control_verb"):
                    for agent in clause.children:
                        if agent.dep_ == "agent":
                            losers += [a for p in agent.children if p.dep_ == "pobj" for a in ctx.actor_at(p)]
        if (
            not losers
        ):  # "seized one of Saddam Hussein's palaces", "captured Kilinochchi, the rebels' capital"
            for obj in [c for c in verb.children if c.dep_ == "dobj"]:
                owned = [
                    obj,
                    *[g for c in obj.children if c.dep_ in ("prep", "appos") for g in (c, *c.children)],
                ]
                losers += [
                    a
                    for noun in owned
                    for c in noun.children
                    if c.dep_ == "poss" and c.lower_ not in _PRONOUNS
                    for a in ctx.actor_at(c, exclude)
                ]
        for s in subjects:
            for loser in losers:
                yield Candidate(RelationKind.CAPTURED_FROM, s, loser, verb.i, "capture", 0.85)
                yield Candidate(RelationKind.ATTACKED, s, loser, verb.i, "capture", 0.8)
        return
    if kind is RelationKind.BACKED and lemma in ctx.lex.of("receive_verb"):
        # "the Houthis received drones from Iran": the giver backs the receiver
        for _, giver in ctx.prep_objects(verb, {"from"}):
            for s in subjects:
                if giver.actor.id != s.actor.id:
                    yield Candidate(kind, giver, s, verb.i, "prep", 0.8)
        return
    if kind is RelationKind.BACKED and lemma in ctx.lex.of("give_verb"):
        # "sells weapons to Azerbaijan", "sent troops to support X" (the xcomp does the work)
        recipients = [a for p, a in ctx.prep_objects(verb, {"to"})]
        if any(c.dep_ == "prep" and c.lower_ == "with" for c in verb.children):
            recipients += objects  # "supplied Ukraine with missiles"
        # "have sent Ukraine missiles": the indirect object receives
        for child in verb.children:
            if child.dep_ == "dative" or (
                child.dep_ == "dobj" and any(c.dep_ == "dobj" and c.i > child.i for c in verb.children)
            ):
                recipients += ctx.actor_at(child)
            # the small model often reads "sent Ukraine missiles" as a compound "Ukraine missiles"
            if child.dep_ == "dobj":
                for comp in child.children:
                    if comp.dep_ == "compound" and comp.i == verb.i + 1 and comp.i in ctx.by_token:
                        recipients.append(ctx.by_token[comp.i])
        if not recipients:
            # "supplied much of the Sri Lankan army's weaponry": the weapons' owner receives them
            for obj in [c for c in verb.children if c.dep_ == "dobj"]:
                held = [
                    obj,
                    *[p for c in obj.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children],
                ]
                for noun in held:
                    if ctx.lex.has(noun, "weapon_noun"):
                        recipients += [a for c in noun.children if c.dep_ == "poss" for a in ctx.actor_at(c)]
        if lemma in ("send",) and not recipients:
            return
        for s in subjects:
            for r in recipients:
                yield Candidate(kind, s, r, verb.i, "prep", 0.8)
        return
    if kind is RelationKind.MEDIATED:
        # "Egypt, Qatar and the United States have mediated between Israel and Hamas"
        parties = [a for _, a in ctx.prep_objects(verb, {"between"})]
        for m in subjects:
            for p in parties + objects:
                if m.actor.id != p.actor.id:
                    yield Candidate(kind, m, p, verb.i, "prep", 0.8)
        return
    targets = list(objects)
    if kind is RelationKind.ATTACKED:
        if not targets or all(o.actor.type is ActorType.CIVILIANS for o in targets):
            targets += [a for _, a in ctx.prep_objects(verb, _ATTACK_PREPS)]
        if not targets:
            # "struck targets in Yemen controlled by the Houthis" (the clause hung on the verb)
            for clause in verb.children:
                if clause.dep_ in ("advcl", "acl") and ctx.lex.has(clause, "control_verb"):
                    targets += [
                        a
                        for c in clause.children
                        if c.dep_ == "agent"
                        for p in c.children
                        if p.dep_ == "pobj"
                        for a in ctx.actor_at(p)
                    ]
        if not targets:
            targets += _repelled(ctx, verb, exclude)
        if not targets:
            targets += _free_relative_targets(ctx, verb)
        if not targets and any(
            c.dep_ == "dobj"
            and (c.ent_type_ in ("GPE", "LOC", "FAC") or c.pos_ == "PROPN" or ctx.lex.has(c, "target_object"))
            for c in verb.children
        ):
            # "raided Bosso and Diffa in southeastern Niger", "bombed targets across Georgia": the
            # places attacked stand for the state they are in
            targets += [span for c in verb.children if (span := _state_located(ctx, c)) is not None][:1]
    elif kind in (RelationKind.BACKED, RelationKind.COOPERATED, RelationKind.MEDIATED):
        targets += [a for p, a in ctx.prep_objects(verb, {"with"})]
    elif kind is RelationKind.SANCTIONED:
        targets += [a for p, a in ctx.prep_objects(verb, {"on", "against"})]  # "imposed sanctions on Russia"
    if kind is RelationKind.ATTACKED and not targets and not any(c.dep_ == "dobj" for c in verb.children):
        ctx.untargeted.extend((s, verb.i) for s in subjects)  # "the group struck back"
    for s in subjects:
        for t in targets:
            if t.actor.id != s.actor.id:
                yield Candidate(kind, s, t, verb.i, "svo", 0.9)


_LOCATING_PREPS = {"in", "inside", "across", "throughout"}


def _free_relative_targets(ctx: _Context, verb) -> list[ActorSpan]:
    """ "bombed what New Delhi described as the group's training camp", "struck what the army said
    was a Hezbollah depot": the target is what the reported description names."""
    for clause in verb.children:
        if clause.dep_ != "ccomp" or not any(
            t.lower_ == "what" and t.dep_ in ("dobj", "nsubj", "nsubjpass") for t in clause.subtree
        ):
            continue
        for tok in clause.subtree:
            named = tok.dep_ == "attr" or (tok.dep_ == "pobj" and tok.head.lower_ == "as")
            if named and tok.pos_ in ("NOUN", "PROPN"):
                found = ctx.actor_at(tok)
                if found:
                    return found
    return []


def _repelled(ctx: _Context, verb, exclude: set[str]) -> list[ActorSpan]:
    """ "fought off an assault by gang members", parsed with the assault under "off": its attackers."""
    out: list[ActorSpan] = []
    if _repels(ctx, verb):
        for part in verb.children:
            if part.dep_ in ("prt", "prep") and part.lower_ in ("off", "back"):
                for event in part.children:
                    out += _attackers_of(ctx, event, exclude) if _is_event(ctx, event) else []
    return out


def _attackers_of(ctx: _Context, event, exclude: set[str] | None) -> list[ActorSpan]:
    """Who carried out an attack someone fended off: the target of the one who repels it."""
    agent = ctx.agent_of_event(event, exclude)
    return [agent] if agent is not None else []


def _repels(ctx: _Context, verb) -> bool:
    """ "repelled", "fought off", "beat back", "held off": the verb's object is an attack to fend off."""
    if ctx.lex.has(verb, "repel_verb"):
        return True
    particles = {c.lower_ for c in verb.children if c.dep_ in ("prt", "advmod")}
    return bool(particles & {"off", "back"}) and verb.lemma_.lower() in ("fight", "beat", "hold", "fend")


def _state_located(ctx: _Context, prep) -> ActorSpan | None:
    """The state a locating phrase names ("in Syria", "across Georgia"), as a target's stand-in."""
    if prep.dep_ != "prep" or prep.lower_ not in _LOCATING_PREPS:
        return None
    for pobj in prep.children:
        span = ctx.by_token.get(pobj.i) if pobj.dep_ == "pobj" else None
        if span is not None and span.actor.type is ActorType.STATE:
            return ActorSpan(span.start, span.end, span.head, span.actor, "located", 0.7)
    return None


def _passive(ctx: _Context, verb, kind: RelationKind) -> Iterator[Candidate]:
    patients: list[ActorSpan] = []
    # "which is armed and funded by Iran": the conjunct shares its head's passive subject
    holder = (
        verb.head if verb.dep_ == "conj" and not any(c.dep_ == "nsubjpass" for c in verb.children) else verb
    )
    for child in holder.children:
        if child.dep_ == "nsubjpass" and not (kind is RelationKind.ATTACKED and _is_event(ctx, child)):
            patients = ctx.actor_at(child)
    if not patients:
        return
    agents: list[ActorSpan] = []
    rule = "passive"
    for child in verb.children:
        if child.dep_ == "agent" or (child.dep_ == "prep" and child.lower_ == "by"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    agents += ctx.actor_at(pobj)
    if not agents and kind is RelationKind.ATTACKED:
        # "were killed ... in an attack by X", "after air strikes by X"
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "after", "during", "by", "under"):
                for pobj in child.children:
                    lemma = pobj.lemma_.lower()
                    if pobj.dep_ == "pobj" and lemma in ctx.lex.nouns and ctx.lex.nouns[lemma].kind is kind:
                        agent = ctx.agent_of_event(pobj)
                        if agent is not None:
                            agents.append(agent)
                            rule = "passive_event"
    for a in agents:
        for p in patients:
            if a.actor.id != p.actor.id:
                yield Candidate(kind, a, p, verb.i, rule, 0.85)


def _mediators(ctx: _Context, verb) -> Iterator[Candidate]:
    """ "agreed to a ceasefire brokered by Qatar and Egypt": the mediators and the parties."""
    agreement = verb.head
    holder = agreement.head.head if agreement.dep_ == "pobj" else agreement.head
    if holder.pos_ not in ("VERB", "AUX"):
        return
    parties = ctx.subject_of(holder)
    for m in _agents(ctx, verb):
        for p in parties:
            if m.actor.id != p.actor.id:
                yield Candidate(RelationKind.MEDIATED, m, p, verb.i, "passive", 0.8)


def _verb_trigger(ctx: _Context, tok) -> Trigger | None:
    return next(
        (ctx.lex.verbs[c] for c in lemma_candidates(tok.lemma_.lower(), tok.lower_) if c in ctx.lex.verbs),
        None,
    )


def _agents(ctx: _Context, verb) -> list[ActorSpan]:
    """The actors of a passive verb's "by" phrase."""
    return [
        a
        for c in verb.children
        if c.dep_ == "agent"
        for p in c.children
        if p.dep_ == "pobj"
        for a in ctx.actor_at(p)
    ]


def _is_event(ctx: _Context, tok) -> bool:
    """Whether a noun names an attack event ("offensive", "strike") rather than a participant."""
    trig = _noun_trigger(ctx.doc, tok, ctx.lex)
    return trig is not None and trig.kind is RelationKind.ATTACKED and tok.i not in ctx.by_token


def _both_ways(candidates: Iterator[Candidate]) -> Iterator[Candidate]:
    """Each candidate and its reverse: "X and Y traded strikes", "X is at war with Y"."""
    for cand in candidates:
        yield cand
        yield replace(cand, source=cand.target, target=cand.source)


def _pairs(subjects, partners, kind, trigger_i, rule, conf) -> Iterator[Candidate]:
    if partners:
        for s in subjects:
            for p in partners:
                if s.actor.id != p.actor.id:
                    yield Candidate(kind, s, p, trigger_i, rule, conf)
    else:
        for i, a in enumerate(subjects):
            for b in subjects[i + 1 :]:
                if a.actor.id != b.actor.id:
                    yield Candidate(kind, a, b, trigger_i, rule, conf)


def _joined_side(ctx: _Context, verb) -> Iterator[Candidate]:
    """ "X joined the conflict on his side", "on the side of Y" → X backed him / Y; "X joined Y in
    the raids" → X backed Y, and X attacked whoever Y attacks."""
    events = [
        e
        for p in verb.children
        if p.dep_ == "prep" and p.lower_ == "in"
        for e in p.children
        if e.dep_ == "pobj" and _is_event(ctx, e)
    ]
    if events:
        for partner in [a for o in verb.children if o.dep_ == "dobj" for a in ctx.actor_at(o)]:
            for s in ctx.subject_of(verb, {partner.actor.id}):
                if s.actor.id != partner.actor.id:
                    yield Candidate(RelationKind.BACKED, s, partner, verb.i, "alongside", 0.8)
                    ctx.untargeted.append((s, events[0].i))
                    ctx.joined[s.actor.id] = partner.actor
    holders = [p for p in verb.children if p.dep_ == "prep" and p.lower_ == "on"]
    holders += [
        p
        for o in verb.children
        if o.dep_ == "dobj"
        for p in o.children
        if p.dep_ == "prep" and p.lower_ == "on"
    ]
    for side_holder in holders:
        for pobj in side_holder.children:
            if pobj.dep_ != "pobj" or not ctx.lex.has(pobj, "side_noun"):
                continue
            targets = [ctx._actor_single(c, None, 0) for c in pobj.children if c.dep_ == "poss"]
            targets += [
                a
                for p in pobj.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children
                if o.dep_ == "pobj"
                for a in ctx.actor_at(o)
            ]
            for target in [t for t in targets if t is not None]:
                # the side's owner is never the one who joins it: resolve the subject without it
                for s in ctx.subject_of(verb, {target.actor.id}):
                    if target.actor.id != s.actor.id:
                        yield Candidate(RelationKind.BACKED, s, target, verb.i, "alongside", 0.8)


def _alongside(ctx: _Context, verb) -> Iterator[Candidate]:
    """ "X fought alongside Y against Z" → X backed Y, X attacked Z, Y attacked Z; "fought on
    behalf of Y", "fought for Y" → X backed Y."""
    allies = [a for _, a in ctx.prep_objects(verb, {"alongside", "beside"})]
    for prep in verb.children:
        if (
            prep.dep_ == "prep"
            and prep.lower_ in ("on", "in")
            and any(c.lemma_.lower() == "behalf" for c in prep.children)
        ):
            behalf = next(c for c in prep.children if c.lemma_.lower() == "behalf")
            allies += [a for _, a in ctx.prep_objects(behalf, {"of"})]
        if prep.dep_ == "prep" and prep.lower_ == "for" and verb.lemma_.lower() == "fight":
            allies += [
                a
                for c in prep.children
                if c.dep_ == "pobj"
                for a in ctx.actor_at(c)
                if a.actor.type is not ActorType.CIVILIANS
            ]
    if not allies:
        return
    subjects = ctx.subject_of(verb)
    enemies = [a for _, a in ctx.prep_objects(verb, {"against"})]
    for pobj_holder in [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "alongside"]:
        for pobj in pobj_holder.children:
            for sub in pobj.subtree:
                if sub.dep_ == "prep" and sub.lower_ == "against":
                    enemies += [a for c in sub.children if c.dep_ == "pobj" for a in ctx.actor_at(c)]
    for s in subjects:
        for ally in allies:
            if ally.actor.id != s.actor.id:
                yield Candidate(RelationKind.BACKED, s, ally, verb.i, "alongside", 0.85)
    for enemy in enemies:
        for a in [*subjects, *allies]:
            if a.actor.id != enemy.actor.id:
                yield Candidate(RelationKind.ATTACKED, a, enemy, verb.i, "alongside", 0.8)


def _came_under(ctx: _Context, under) -> Iterator[Candidate]:
    """ "British forces came under fire from Iraqi troops", "a convoy came under attack by
    rebels": whoever fires attacks the clause's subject."""
    verb = under.head
    if under.dep_ != "prep" or verb.pos_ not in ("VERB", "AUX"):
        return
    for event in under.children:
        if event.dep_ != "pobj" or not (event.lemma_.lower() == "fire" or _is_event(ctx, event)):
            continue
        attackers = [a for _, a in ctx.prep_objects(event, {"from", "by"})]
        attackers += [a for _, a in ctx.prep_objects(verb, {"from"})]
        for target in ctx.subject_of(verb):
            for attacker in attackers:
                if attacker.actor.id != target.actor.id:
                    yield Candidate(RelationKind.ATTACKED, attacker, target, event.i, "under", 0.8)


def _money_for(ctx: _Context, verb) -> Iterator[Candidate]:
    """ "Blinken announced $100 million for the mission", "Nigeria pledged $100 million toward it":
    money given backs its recipient."""
    money = [c for c in verb.children if c.dep_ == "dobj" and c.ent_type_ == "MONEY"]
    if not money:
        return
    givers = ctx.subject_of(verb)
    exclude = {g.actor.id for g in givers}
    for holder in (money[0], verb):
        recipients = [
            a
            for prep in holder.children
            if prep.dep_ == "prep" and prep.lower_ in ("for", "to", "toward", "towards")
            for pobj in prep.children
            # "toward it": a pronoun here too often stands for a thing, not the last actor named
            if pobj.dep_ == "pobj" and pobj.lower_ not in _PRONOUNS
            for a in ctx.actor_at(pobj, exclude)
        ]
        if recipients:
            for g in givers:
                for r in recipients:
                    if g.actor.id != r.actor.id:
                        yield Candidate(RelationKind.BACKED, g, r, verb.i, "prep", 0.75)
            return


def _lost_to(ctx: _Context, verb) -> Iterator[Candidate]:
    """ "days after losing it to rebel forces" → the rebels captured it from the subject."""
    winners = [a for _, a in ctx.prep_objects(verb, {"to"})]
    losers = ctx.subject_of(verb)
    for w in winners:
        for loser in losers:
            if w.actor.id != loser.actor.id and w.actor.type is not ActorType.CIVILIANS:
                yield Candidate(RelationKind.CAPTURED_FROM, w, loser, verb.i, "capture", 0.75)
                yield Candidate(RelationKind.ATTACKED, w, loser, verb.i, "capture", 0.7)


# ------------------------------------------------------------------------------ noun rules
def _noun_rules(ctx: _Context, noun, trigger: Trigger) -> Iterator[Candidate]:
    kind = trigger.kind
    if ctx.lex.has(noun, "role_noun"):
        yield from _role_noun(ctx, noun, kind)
        return
    if kind is RelationKind.ATTACKED and ctx.lex.has(noun, "symmetric_noun") and noun.dep_ == "pobj":
        # "Sudan's army and the RSF have been at war since April", "X is at war with Y"
        holder = noun.head.head
        if noun.head.lower_ in ("at", "in") and holder.pos_ in ("VERB", "AUX"):
            subjects = ctx.subject_of(holder)
            partners = [a for _, a in ctx.prep_objects(noun, {"with"})] or [
                a for _, a in ctx.prep_objects(holder, {"with"})
            ]
            yield from _both_ways(_pairs(subjects, partners, kind, noun.i, "joint", 0.8))
            return
    if kind is RelationKind.ATTACKED:
        agent = ctx.agent_of_event(noun)
        if agent is None:
            return
        preps = _ATTACK_PREPS | ({"of"} if ctx.lex.has(noun, "of_target_noun") else set())
        exclude = {agent.actor.id}
        targets = [t for _, t in ctx.prep_objects(noun, preps, exclude)]
        if not targets:
            # "air strikes by the coalition on Houthi positions": "on" attached to the agent
            for child in noun.children:
                if child.dep_ in ("prep", "agent") and child.lower_ == "by":
                    for pobj in child.children:
                        targets += [t for _, t in ctx.prep_objects(pobj, _ATTACK_PREPS, exclude)]
            if noun.dep_ == "dobj" and noun.head.pos_ in ("VERB", "AUX"):
                # "opened fire on Hamas gunmen", "launched drones at Moscow"
                targets += [t for _, t in ctx.prep_objects(noun.head, _ATTACK_PREPS, exclude)]
        if not targets and ctx.lex.has(noun, "entry_noun"):
            targets = _owned_place(ctx, noun, exclude)
        if not targets:
            # "the attack on a supply convoy that killed 11 soldiers": whom it killed
            for clause in noun.subtree:
                if clause.dep_ in ("relcl", "acl") and ctx.lex.has(clause, "kill_verb"):
                    targets += [t for t in ctx.objects_of(clause, exclude) if t.actor.id != agent.actor.id]
        if not targets and agent.actor.type is ActorType.NON_STATE_ARMED_GROUP:
            # "the PKK, which has waged an insurgency inside Turkey": an armed group's campaign in a
            # state is against that state
            targets = [span for p in noun.children if (span := _state_located(ctx, p)) is not None][:1]
        if not targets:
            ctx.untargeted.append((agent, noun.i))  # "launched a joint offensive": against whom?
        for target in targets:
            if target.actor.id != agent.actor.id:
                yield Candidate(kind, agent, target, noun.i, "nominal", 0.8)
        return
    if kind is RelationKind.BACKED:
        # "Ankara has thrown its full support behind Baku", "Russia's support for Assad", "in support of X"
        source = None
        for child in noun.children:
            if child.dep_ == "poss":
                source = ctx._actor_single(child, None, 0)
        if noun.dep_ == "pobj" and noun.head.lower_ == "with" and noun.head.head.pos_ in ("VERB", "AUX"):
            # "intercepted the drones with help from the United States and Britain": the helpers
            # back whoever the clause is about
            givers = [source] if source else [a for _, a in ctx.prep_objects(noun, {"from", "of"})]
            for receiver in ctx.subject_of(noun.head.head):
                for giver in givers:
                    if giver.actor.id != receiver.actor.id:
                        yield Candidate(kind, giver, receiver, noun.i, "nominal", 0.75)
            return
        if source is None and noun.dep_ == "dobj" and ctx.lex.has(noun.head, "give_verb"):
            subs = ctx.subject_of(noun.head)
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
                subs = ctx.subject_of(phrase.head)
                source = subs[0] if subs else None
                if source is not None:
                    for _, target in ctx.prep_objects(noun, _SUPPORT_PREPS) or ctx.prep_objects(
                        phrase, {"for", "to"}
                    ):
                        if target.actor.id != source.actor.id:
                            yield Candidate(kind, source, target, noun.i, "nominal", 0.75)
                    return
        if source is None and noun.dep_ == "pobj" and noun.head.lower_ == "in":
            governor = noun.head.head
            if governor.pos_ in ("VERB", "AUX"):
                subs = ctx.subject_of(governor)
                source = subs[0] if subs else None
        if source is None:
            return
        for _, target in ctx.prep_objects(noun, _SUPPORT_PREPS):
            if target.actor.id != source.actor.id:
                yield Candidate(kind, source, target, noun.i, "nominal", 0.8)
        return
    if kind is RelationKind.NEGOTIATED_WITH:
        # "signed a deal with the United States", "talks with X" held by a subject
        partners = [a for _, a in ctx.prep_objects(noun, {"with"})]
        if not partners:
            # "Erdogan and Putin called for a ceasefire after talks in Istanbul": they talked
            if noun.dep_ == "pobj" and noun.head.lower_ in ("after", "following", "during", "with", "in"):
                governor = noun.head.head
                subjects = ctx.subject_of(governor) if governor.pos_ in ("VERB", "AUX") else []
                if len(subjects) >= 2:
                    yield from _pairs(subjects, [], kind, noun.i, "joint", 0.7)
                return
            # "Venezuela's government and the opposition resumed talks": the subjects talk together
            if (
                noun.dep_ == "dobj"
                and ctx.lex.has(noun.head, "talks_verb")
                and not _verb_trigger(ctx, noun.head)
            ):
                subjects = ctx.subject_of(noun.head)
                if len(subjects) >= 2:
                    yield from _pairs(subjects, [], kind, noun.i, "joint", 0.75)
            return
        holder = noun.head
        while (
            holder.pos_ not in ("VERB", "AUX")
            and holder.head.i != holder.i
            and holder.dep_ in ("pobj", "prep", "dobj", "conj", "compound")
        ):
            holder = holder.head
        if holder.pos_ in ("VERB", "AUX") and holder.lemma_.lower() in ctx.lex.verbs:
            return  # the verb rule covers "signed a deal with"
        subjects = ctx.subject_of(holder) if holder.pos_ in ("VERB", "AUX") else []
        yield from _pairs(subjects, partners, kind, noun.i, "nominal", 0.8)


def _owned_place(ctx: _Context, tok, exclude: set[str]) -> list[ActorSpan]:
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


def _role_noun(ctx: _Context, noun, kind: RelationKind) -> Iterator[Candidate]:
    """ "China and Russia are the junta's main arms suppliers"; "The United States, Israel's main
    arms supplier"; "its ally Hamas"."""
    clients = [ctx._actor_single(c, None, 0) for c in noun.children if c.dep_ == "poss"]
    clients = [c for c in clients if c is not None]
    if not clients:
        return
    holders: list[ActorSpan] = []
    if noun.dep_ == "attr":
        holders = ctx.subject_of(noun.head)
    elif noun.dep_ == "appos":
        # "China, Pakistan's closest ally, ... and Saudi Arabia said": conjuncts after it are not described
        holders = [h for h in ctx.actor_at(noun.head) if h.start < noun.i]
    for h in holders:
        for c in clients:
            if h.actor.id != c.actor.id:
                yield Candidate(kind, h, c, noun.i, "role", 0.8)


def _modifier_rule(ctx: _Context, tok, trigger: Trigger) -> Iterator[Candidate]:
    """ "Russian-backed Syrian forces", "U.S.- and French-brokered truce"."""
    doc = ctx.doc
    sources: list[ActorSpan] = []
    first = ctx.prefix_of(tok)
    if first is not None:
        sources.append(first)
        # "U.S.- and French-brokered": a coordinated prefix before "and"
        j = first.start - 1
        if j >= 1 and doc[j].lower_ == "and" and (j - 1) in ctx.prefix_at:
            sources.append(ctx.prefix_at[j - 1])
    if not sources:
        return
    # the noun the compound modifies: the next noun head to the right in the same phrase
    head = tok.head if tok.head.i > tok.i else None
    if head is None:
        for j in range(tok.i + 1, min(tok.i + 5, len(doc))):
            if doc[j].pos_ in ("NOUN", "PROPN"):
                head = doc[j]
                if doc[j].dep_ != "compound":
                    break
    if head is None:
        return
    if trigger.kind is RelationKind.BACKED:
        target = ctx.by_token.get(head.i)
        if target is None:
            lemma = head.lemma_.lower()
            if lemma in ctx.lex.nouns and ctx.lex.nouns[lemma].kind is RelationKind.ATTACKED:
                target = ctx.agent_of_event(head, {s.actor.id for s in sources})
            else:
                target = ctx._actor_single(head, {s.actor.id for s in sources}, 0)
        if target is None:
            return
        for s in sources:
            if s.actor.id != target.actor.id:
                yield Candidate(RelationKind.BACKED, s, target, tok.i, "modifier", 0.85)


@lru_cache(maxsize=8)
def _lexicon_keys(lexicon: Lexicon) -> frozenset[str]:
    """Every word that can start a rule: triggers of any kind, and the few construction words."""
    return frozenset(
        {
            *lexicon.verbs,
            *lexicon.nouns,
            *lexicon.modifiers,
            *lexicon.of("aid_verb"),
            "join",
            "lose",
            "fight",
            "cease",
            "under",
        }
    )


def _relative_fallback(ctx: _Context, found: list[Candidate]) -> Iterator[Candidate]:
    """ "Iran, which arms and funds the Houthis, ...": when the parser mangles a relative clause
    (the small model reads "arms and funds" as nouns), read it linearly: actor, "which", trigger
    verbs, actor, all inside the commas."""
    doc = ctx.doc
    done = {c.trigger for c in found}
    texts, lowers, _ = token_texts(doc)
    for i, low in enumerate(lowers):
        if low not in ("which", "who") or i < 2 or texts[i - 1] != ",":
            continue
        tok = doc[i]
        antecedent = ctx.by_token.get(tok.i - 2)
        if antecedent is None:
            continue
        trigger_tok = None
        for j in range(tok.i + 1, min(len(doc), tok.i + 8)):
            word = doc[j]
            if word.is_punct:
                break
            if j in ctx.by_token:
                if trigger_tok is not None and trigger_tok.i not in done:
                    trig = next(
                        ctx.lex.verbs[c]
                        for c in lemma_candidates(trigger_tok.lemma_.lower(), trigger_tok.lower_)
                        if c in ctx.lex.verbs
                    )
                    target = ctx.by_token[j]
                    if target.actor.id != antecedent.actor.id and trig.kind in (
                        RelationKind.ATTACKED,
                        RelationKind.BACKED,
                    ):
                        yield Candidate(trig.kind, antecedent, target, trigger_tok.i, "relative", 0.7)
                break
            if trigger_tok is None and any(
                c in ctx.lex.verbs for c in lemma_candidates(word.lemma_.lower(), word.lower_)
            ):
                trigger_tok = word


def _noun_trigger(doc, tok, lexicon: Lexicon) -> Trigger | None:
    """The lexicon entry of a noun, joining hyphenated compounds the tokenizer split ("cease-fire")."""
    if tok.i >= 2 and doc[tok.i - 1].text == "-":
        joined = f"{doc[tok.i - 2].lower_}-{tok.lower_}"
        for key in (joined, joined.rstrip("s"), joined.replace("-", "")):
            if key in lexicon.nouns:
                return lexicon.nouns[key]
        if doc[tok.i - 2].lower_ in ("cease",):
            return None
    if tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and tok.lower_ == "cease":
        return None  # the "cease" of "cease-fire": the compound is read at "fire"
    return lexicon.nouns.get(tok.lemma_.lower()) or lexicon.nouns.get(tok.lower_)


def _between_rule(ctx: _Context) -> Iterator[Candidate]:
    """ "clashes between X and Y" (both directions), "talks between X and Y", "war between ..."."""
    doc = ctx.doc
    for i, low in enumerate(token_texts(doc)[1]):
        if low != "between":
            continue
        tok = doc[i]
        # the trigger noun: the head of "between" or the nearest trigger noun just before it
        trigger_tok = None
        trig = None
        # ("strained ties between Turkey and the US": a noun of its own heads the phrase; no look-back)
        look_back = tok.head.pos_ not in ("NOUN", "PROPN")
        for cand in [tok.head, *[doc[j] for j in range(tok.i - 1, max(-1, tok.i - 6), -1) if look_back]]:
            trig = _noun_trigger(doc, cand, ctx.lex)
            if trig is not None:
                trigger_tok = cand
                break
        if trigger_tok is None or trig is None:
            continue
        if trig.kind not in (RelationKind.ATTACKED, RelationKind.NEGOTIATED_WITH):
            continue
        parties = _between_parties(ctx, tok)
        if len(parties) < 2:
            continue
        for i, a in enumerate(parties):
            for b in parties[i + 1 :]:
                if a.actor.id == b.actor.id:
                    continue
                yield Candidate(trig.kind, a, b, trigger_tok.i, "between", 0.85)
                if trig.kind is RelationKind.ATTACKED:
                    yield Candidate(trig.kind, b, a, trigger_tok.i, "between", 0.85)


def _between_parties(ctx: _Context, between) -> list[ActorSpan]:
    parties: list[ActorSpan] = []
    for pobj in between.children:
        if pobj.dep_ == "pobj":
            parties = ctx.actor_at(pobj)
    if len(parties) >= 2:
        return parties
    # linear fallback: the first actor after "between", and the first after the next "and"
    doc = ctx.doc
    sent_end = sentence_bounds(doc)[sentence_index(doc, between.i)][1]
    first = next(
        (ctx.by_token[j] for j in range(between.i + 1, min(sent_end, between.i + 5)) if j in ctx.by_token),
        None,
    )
    if first is None:
        return parties
    k = first.end
    while k < sent_end and doc[k].lower_ != "and" and k < first.end + 8:
        k += 1
    if k >= sent_end or doc[k].lower_ != "and":
        return parties
    second = next((ctx.by_token[j] for j in range(k + 1, min(sent_end, k + 6)) if j in ctx.by_token), None)
    if second is None:
        # "the two sides" or a pronoun after "and"
        if k + 1 < sent_end:
            alt = ctx._actor_single(doc[k + 1], {first.actor.id}, 0)
            if alt is not None:
                return [first, alt]
        return parties
    return [first, second]


def _clean(found: list[Candidate]) -> list[Candidate]:
    """Drop self-relations and relations between an actor and the state it acts for."""
    out = []
    for c in found:
        s, t = c.source.actor, c.target.actor
        if s.id == t.id:
            continue
        if s.country and s.country == t.country and c.kind is not RelationKind.NEGOTIATED_WITH:
            continue  # "Syrian troops ... Syria": one side, not a dyad
        out.append(c)
    # "Chad and Niger sent troops to help Nigeria ... launched an offensive into Nigeria's Borno
    # state": a place attacked stands for its state only if the attacker is not that state's ally
    allies = {
        frozenset((_side(c.source.actor), _side(c.target.actor)))
        for c in out
        if c.kind is RelationKind.BACKED
    }
    return [
        c
        for c in out
        if not (
            c.kind is RelationKind.ATTACKED
            and c.target.via == "located"
            and frozenset((_side(c.source.actor), _side(c.target.actor))) in allies
        )
    ]


def _implicit_targets(ctx: _Context, found: list[Candidate]) -> list[Candidate]:
    """ "Chadian and Nigerien forces launched a joint offensive", "the group struck back": an attack
    with no stated target is on the one enemy the article says the attacker fights elsewhere.

    Only when that enemy is unique; the relation is marked ``implicit`` with a low confidence.
    """
    enemies: dict[str, dict[str, ActorSpan]] = {}
    for c in found:
        if c.kind is not RelationKind.ATTACKED or c.target.actor.type is ActorType.CIVILIANS:
            continue
        if c.target.via == "located" or c.source.actor.type is ActorType.CIVILIANS:
            continue
        a, b = _side(c.source.actor), _side(c.target.actor)
        enemies.setdefault(a, {}).setdefault(b, c.target)
        enemies.setdefault(b, {}).setdefault(a, c.source)
    stated = {(c.trigger, c.source.actor.id) for c in found}
    out = []
    for agent, trigger in ctx.untargeted:
        foes = enemies.get(_side(agent.actor), {})
        if not foes and agent.actor.id in ctx.joined:  # who joins an attack fights its target
            foes = enemies.get(_side(ctx.joined[agent.actor.id]), {})
        if len(foes) == 1 and (trigger, agent.actor.id) not in stated:
            foe = next(iter(foes.values()))
            out.append(Candidate(RelationKind.ATTACKED, agent, foe, trigger, "implicit", 0.6))
            stated.add((trigger, agent.actor.id))
    return out


def _side(actor) -> str:
    """The state (or group) an actor acts for: Chad's army and Chad are one side."""
    return actor.acts_for or actor.id
