"""Step 1 of the actor step: find where the gazetteer's names, adjectives, generics and
institution words occur in a Doc (the PhraseMatchers), and the "X-backed" prefixes.

A match is ``(label, value, start, end)``: the label says what matched (:data:`NAME` of an actor,
:data:`ADJ` of a state, :data:`GEN` generic, :data:`INST` institution word) and the value is the
actor id, generic id or institution type. Turning matches into actors is :mod:`.linking`.
"""

from __future__ import annotations

from graph.extraction.spans import ActorSpan, entities, token_texts
from graph.gazetteer import Gazetteer, normalize
from graph.lexicon import Lexicon
from graph.phrase_tokens import form_tokens, pattern
from graph.records import ActorType

__all__ = ["ADJ", "GEN", "INST", "NAME", "Match", "MentionMatcher"]

# labels of PhraseMatcher rules
NAME, ADJ, GEN, INST = "N", "A", "G", "I"
_PRIORITY = {NAME: 0, ADJ: 1, GEN: 2, INST: 3}
Match = tuple[str, str, int, int]  # (label, value, start token, end token)


class MentionMatcher:
    """The gazetteer as PhraseMatchers over one pipeline's vocabulary; built once and reused."""

    def __init__(self, nlp, gazetteer: Gazetteer, lexicon: Lexicon) -> None:
        from spacy.matcher import PhraseMatcher

        self.gaz = gazetteer
        # "Russian-backed", "al-Qaida-linked", "Pakistan-based": the prefix is not the phrase's actor
        self._modifiers = set(lexicon.modifiers) | set(lexicon.of("prefix_word"))
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
                        add(f"{ADJ}:{actor.id}", adj)
                for adj in gazetteer.adjective_forms.get(actor.id, ()):
                    add(f"{ADJ}:{actor.id}", adj)
            by_id.setdefault(actor.id, []).extend(forms)
        for aid, forms in by_id.items():
            for form in forms:
                if not self._made_by_pattern(form):
                    add(f"{NAME}:{aid}", form)
        for term, gid in gazetteer.generics.items():
            for form in (term, *gazetteer.term_forms.get(term, ())):
                add(f"{GEN}:{gid}", form)
        for term, kind in gazetteer.institutions.items():
            for form in (term, *gazetteer.term_forms.get(term, ())):  # "armée" as written, not "armee"
                add(f"{INST}:{kind.value}", form)
        # the patterns as the keys Docs of the forms would give, from tokens kept in the user cache
        texts = form_tokens(nlp, (f for forms in groups.values() for f in forms))
        for (label, exact), forms in groups.items():
            matcher, attr = (self._exact, "ORTH") if exact else (self._lower, "LOWER")
            matcher.add(label, [pattern(nlp.vocab, texts[f], attr) for f in sorted(forms)])

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

    def matches(self, doc) -> list[Match]:
        """Every match in ``doc``, longest first on overlaps, in text order."""
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
            if kind == NAME and ((first < start and _is_name_part(doc[first])) or linked):
                continue  # "Praia" in "Mocimboa da Praia": the tail of a longer place name
            # a lower-case common word is no name ("aa", "is"): names need a capital somewhere
            if (
                kind == NAME
                and not any(t.text[:1].isupper() or not t.is_alpha for t in doc[start:end])
                and normalize(doc[start:end].text) not in self.gaz.lowercase_names
            ):
                continue
            taken.update(range(start, end))
            kept.append((kind, value, start, end))
        kept.sort(key=lambda m: m[2])
        return kept

    def is_prefix(self, doc, end: int) -> bool:
        """Whether a match ending at ``end`` is the prefix of "-backed", "-led" ..."""
        if end + 1 >= len(doc) or doc[end].text not in ("-", "‐"):
            return False
        return doc[end + 1].lower_ in self._modifiers

    def hyphen_prefixes(self, doc, consumed: set[int]) -> list[ActorSpan]:
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


_COMPASS = {"north", "south", "east", "west", "northern", "southern", "eastern", "western", "central"}


def _is_name_part(tok) -> bool:
    """A token that begins a proper place name ("Mocimboa"), not a word before one ("northern")."""
    return (
        tok.pos_ == "PROPN"
        and tok.text[:1].isupper()
        and tok.lower_ not in _COMPASS
        and (tok.lower_ not in ("the", "greater", "upper", "lower"))
    )
