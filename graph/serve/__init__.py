"""A read-only SPARQL 1.1 Protocol endpoint over an Oxigraph store that stays fair under hostile load.

A graph file (bulk-loaded into a temporary store, removed on shutdown) or a store goes in; an HTTP
server on 127.0.0.1 comes out (``conflictkg serve``). One careless query must not take the service
down for everyone else, so a request goes through three steps, each in its own module:

1. ``protocol``: HTTP, content negotiation, ``/health``, the access log; ``page`` is the query page.
2. ``cost``: a cheap shape check on rdflib's parse of the query. Updates and ``SERVICE`` are refused
   (403); cartesian products and joins of patterns that fix no term are *heavy*; the rest ordinary.
3. ``lanes``: two separate sets of worker processes (``worker``, ``results``). Heavy queries run
   only in the heavy lane (1 worker by default, at low CPU priority), so they can never hold the
   ordinary workers. In each lane a query waits a bounded time for a worker (then 503 with
   ``Retry-After``), its timeout counts from when it starts running, a worker that runs over is
   killed and replaced, and one client address cannot hold every worker.

Why this design rather than only more workers or only a per-client limit: on a 2-core machine more
workers than cores add no speed, and two runaways from two clients fill any pool whose workers they
may take; a per-client limit alone does not stop many clients. Separating the runaways by shape
before they run is what keeps ordinary queries at their normal latency; the timeout, the bounded
waits and the per-client limit are there for what the shape check cannot see. ``server`` wires it.
"""

from __future__ import annotations

from graph.serve.config import LOOPBACK, EndpointConfig
from graph.serve.server import SparqlServer, create_server, serve, start_in_thread

__all__ = ["LOOPBACK", "EndpointConfig", "SparqlServer", "create_server", "serve", "start_in_thread"]
