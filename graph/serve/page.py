"""The query page at ``/``: a query box and the results as an HTML table, every value escaped."""

from __future__ import annotations

import html

from graph.serve.results import Reply

__all__ = ["EXAMPLE_QUERY", "query_page"]

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>conflictkg SPARQL</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; }} textarea {{ width: 100%; font-family: monospace; }}
table {{ border-collapse: collapse; margin-top: 1em; }} td, th {{ border: 1px solid #bbb; padding: 3px 6px;
text-align: left; vertical-align: top; font-size: 90%; }} .note {{ color: #555; }} .error {{ color: #a00; }}
</style></head>
<body><h1>conflictkg SPARQL endpoint</h1>
<p class="note">Read-only. Queries time out after {timeout:g} s and return at most {max_results} rows.
Protocol endpoint: <code>/sparql</code>.</p>
<form method="get" action="/"><textarea name="query" rows="12" aria-label="SPARQL query">{query}</textarea>
<p><button type="submit">Run query</button></p></form>
{results}
</body></html>
"""

EXAMPLE_QUERY = """PREFIX ck: <https://w3id.org/conflictkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?source ?target WHERE {
  ?s ck:attacked ?t .
  ?s rdfs:label ?source .
  ?t rdfs:label ?target .
}
ORDER BY ?source ?target"""


def _results_html(reply: Reply) -> str:
    if reply.status != 200:
        return f'<p class="error">{html.escape(reply.body.decode("utf-8", "replace"))}</p>'
    if not reply.columns:
        return f"<pre>{html.escape(reply.body.decode('utf-8', 'replace'))}</pre>"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in reply.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(v or '')}</td>" for v in row) + "</tr>" for row in reply.rows
    )
    note = f'<p class="note">{len(reply.rows)} row(s){" (cut at the limit)" if reply.truncated else ""}</p>'
    return f"{note}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def query_page(query: str, reply: Reply | None, *, timeout: float, max_results: int) -> bytes:
    """The page with ``query`` in the box (the example when empty) and ``reply`` below it, if any."""
    page = _PAGE.format(
        timeout=timeout,
        max_results=max_results,
        query=html.escape(query or EXAMPLE_QUERY),
        results="" if reply is None else _results_html(reply),
    )
    return page.encode("utf-8")
