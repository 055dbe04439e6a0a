"""The relation rules, one module per family of constructions (Doc + ActorSpan → Candidate).

Each rule reads one construction off spaCy's dependency parse, anchored on a trigger word from
the lexicon; the rule name is recorded in each relation's ``extractor``:

* ``svo``       active clause: "Turkey shot down two Syrian warplanes" (:mod:`.verbs`);
* ``passive``   "20 soldiers were killed by Taliban fighters", "was backed by a U.S.-led coalition"
  (:mod:`.passive`);
* ``prep``      prepositional partners: "fired rockets into Israel", "met with", "signed a deal with"
  (:mod:`.verbs`, :mod:`.sides`);
* ``joint``     coordinated subjects of a symmetric trigger: "Turkey, Russia and Iran signed an accord"
  (:mod:`.verbs`, :mod:`.nominal`);
* ``between``   "clashes between X and Y" (both directions), "talks between X and Y" (:mod:`.between`);
* ``nominal``   "air strikes by X on Y", "X's attack on Y", "support behind Y" (:mod:`.nominal`);
* ``modifier``  "Russian-backed Syrian forces", "U.S.- and French-brokered truce" (:mod:`.modifiers`);
* ``role``      "the junta's main arms suppliers", "Israel's main arms supplier" (:mod:`.nominal`);
* ``alongside`` "fought alongside X against Y", "joined the conflict on his side" (:mod:`.sides`);
* ``under``     "came under fire from X" (:mod:`.sides`);
* ``capture``   "captured the town from X", "days after losing it to X" (:mod:`.verbs`, :mod:`.sides`);
* ``instrument`` "used drones against X", "deployed artillery against Y" (:mod:`.instruments`);
* ``relative``, ``implicit``  fallbacks over the whole Doc (:mod:`.fallback`).

Every rule is a function ``(Context, token, ...) -> Iterator[Candidate]``; who fills an argument is
:mod:`graph.extraction.arguments`. :mod:`graph.extraction.candidates` runs them in order.
"""
