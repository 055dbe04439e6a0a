"""Link the actors event datasets name to gazetteer actors, or mint open-world actors.

In: a dataset's actor as it writes it (UCDP "Government of Syria", ACLED "Military Forces of Turkey
(2016-)" with its interaction code, a CAMEO actor code "TURMIL"), the gazetteer and the mapping
tables. Out: an :class:`graph.records.Actor`, the same one the text path gives the same actor
(``syr_government``, ``tur_armed_forces``, ``rebels_syr``), or an open-world actor from
:func:`graph.openworld.open_actor`, so a dataset actor and a text actor named alike are one node.
Each actor keeps the dataset's own id for it (``ck:datasetActorId``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from graph.codebooks import Codebooks
from graph.gazetteer import Gazetteer, normalize
from graph.openworld import open_actor
from graph.records import Actor, ActorType

__all__ = ["ActorLinker"]

_PARENS = re.compile(r"\s*\([^)]*\)")
_MEMO_MAX = 200_000  # distinct names remembered; datasets repeat a few thousand names endlessly
_STATE_BOUND = {ActorType.ARMED_FORCES: "armed_forces", ActorType.GOVERNMENT: "government"}


@dataclass(slots=True)
class ActorLinker:
    """Links dataset actor names and codes; built once per import and passed down."""

    gaz: Gazetteer
    books: Codebooks
    _memo: dict[tuple, Actor | None] = field(default_factory=dict)

    # --- shared lookups ---------------------------------------------------------------------------

    def state(self, name: str) -> Actor | None:
        """The state a country name, demonym or ISO alpha-3 code names ("Syria", "DR Congo (Zaire)")."""
        name = name.strip()
        if not name:
            return None
        if len(name) == 3 and name.isupper() and (found := self.gaz.state_for(name)) is not None:
            return found
        for form in (name, _PARENS.sub("", name)):
            key = normalize(form)
            aid = self.gaz.names.get(key) or self.gaz.adjectives.get(key)
            actor = self.gaz.actors.get(aid) if aid else None
            if actor is not None and actor.type is ActorType.STATE:
                return actor
        return None

    def _named(self, name: str) -> Actor | None:
        """A gazetteer actor by name or alias ("Hayat Tahrir al-Sham", "IS: Islamic State")."""
        forms = [name, _PARENS.sub("", name)]
        if ":" in name:  # ACLED writes "TTP: Tehrik-i-Taliban": try the acronym and the name
            short, _, long = name.partition(":")
            forms += [long, short]
        for form in forms:
            aid = self.gaz.names.get(normalize(form.strip()))
            if aid and aid in self.gaz.actors:
                return self.gaz.actors[aid]
        return None

    def _institution(self, state: Actor, kind: ActorType, label: str) -> Actor:
        if kind in _STATE_BOUND:
            return self.gaz.institution(state.id, kind)
        # police have no gazetteer row: an open-world actor acting for the state, named the way ACLED
        # names it, so ACLED's and GDELT's police of one state are one node
        return open_actor(f"Police Forces of {state.label}", kind, state.country, acts_for=state.id)

    def _generic(self, generic_id: str, state: Actor | None) -> Actor | None:
        base = self.gaz.actors.get(generic_id)
        if base is None:
            return None
        if state is None:
            return base
        # the id the text path gives "Syrian rebels" (graph.actors: generic + state id)
        return Actor(
            id=f"{base.id}_{state.id}",
            label=base.label,
            type=base.type,
            aliases=(base.label,),
            operates_in=state.country,
        )

    def _resolve(self, how: str, kind: ActorType, label: str, state: Actor | None) -> Actor:
        if how in ("armed_forces", "government", "police") and state is not None:
            return self._institution(state, kind, label)
        if how.startswith("generic:"):
            found = self._generic(how.split(":", 1)[1], state)
            if found is not None:
                return found
        return self._named(label) or open_actor(label, kind, state.country if state else None)

    @staticmethod
    def _tag(actor: Actor, dataset_id: str) -> Actor:
        return dataclasses.replace(actor, dataset_ids=(dataset_id,))

    def _remember(self, key: tuple, actor: Actor | None) -> Actor | None:
        if len(self._memo) < _MEMO_MAX:
            self._memo[key] = actor
        return actor

    def with_parents(self, actors: list[Actor]) -> list[Actor]:
        """``actors`` and every actor they act for, so ``ck:actsFor`` always points into the graph."""
        out = list(actors)
        for actor in actors:
            seen = {actor.id}
            parent = actor.acts_for
            while parent and parent not in seen and parent in self.gaz.actors:
                seen.add(parent)
                out.append(self.gaz.actors[parent])
                parent = self.gaz.actors[parent].acts_for
        return out

    # --- per dataset ------------------------------------------------------------------------------

    def ucdp(self, name: str, side_id: str, country: str) -> Actor | None:
        """A UCDP side: "Government of Syria" → Syria's government; "Civilians" → civilians of the
        row's country; a group by gazetteer name, else an open-world armed group."""
        key = ("ucdp", name, side_id, country)
        if key in self._memo:
            return self._memo[key]
        name = name.strip()
        if not name:
            return self._remember(key, None)
        where = self.state(country)
        if name.lower().startswith("government of "):
            state = self.state(name[len("government of ") :])
            actor = self.gaz.institution(state.id, ActorType.GOVERNMENT) if state else None
            actor = actor or open_actor(name, ActorType.GOVERNMENT)
        elif name.lower() == "civilians":
            actor = self._generic("civilians", where) or open_actor(name, ActorType.CIVILIANS)
        else:
            actor = self._named(name) or open_actor(
                name, ActorType.NON_STATE_ARMED_GROUP, where.country if where else None
            )
        return self._remember(key, self._tag(actor, f"ucdp:{side_id or name}"))

    def acled(self, name: str, inter: str, country: str) -> Actor | None:
        """An ACLED actor: its name pattern ("Military Forces of Turkey (2016-)"), else a gazetteer
        name, else an open-world actor typed by its interaction code."""
        key = ("acled", name, inter, country)
        if key in self._memo:
            return self._memo[key]
        name = name.strip()
        if not name:
            return self._remember(key, None)
        where = self.state(country)
        kind = self.books.acled_inter.get(inter.strip().lower(), ActorType.OTHER)
        actor = None
        for rule in self.books.acled_names:
            match = rule.pattern.match(name)
            if match is None:
                continue
            groups = match.groupdict()
            state = self.state(groups.get("state") or "") or where
            label = groups.get("name") or _PARENS.sub("", name).strip() or name
            if rule.institution == "open":
                actor = open_actor(label, rule.type, state.country if state else None)
            else:
                actor = self._resolve(rule.institution, rule.type, name, state)
            break
        if actor is None:
            actor = self._named(name)
        if actor is None:
            if kind in _STATE_BOUND and where is not None:
                actor = self.gaz.institution(where.id, kind)
            else:
                actor = open_actor(name, kind, where.country if where else None)
        return self._remember(key, self._tag(actor, f"acled:{name}"))

    def cameo(self, code: str, name: str, country: str, types: tuple[str, ...]) -> Actor | None:
        """A GDELT actor from its CAMEO code parts: country (ISO alpha-3) and role codes (GOV, MIL,
        REB ...); a name the gazetteer knows ("UNITED NATIONS") when it has no country."""
        key = ("cameo", code, name, country, types)
        if key in self._memo:
            return self._memo[key]
        code, name = code.strip(), name.strip()
        if not code and not name:
            return self._remember(key, None)
        state = self.state(country) if country.strip() else None
        role = next((self.books.cameo_actors[t] for t in types if t in self.books.cameo_actors), None)
        label = name.title() if name.isupper() else name
        if role is None:
            actor = state or self._named(name) or open_actor(label or code, ActorType.OTHER)
        else:
            kind, how = role
            actor = self._resolve(how, kind, label or code, state)
        return self._remember(key, self._tag(actor, f"cameo:{code or name}"))
