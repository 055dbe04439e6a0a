"""Query answers as HTTP bodies: run one query on a pyoxigraph store and write SPARQL 1.1 results.

This runs inside the worker processes; the answer (:class:`Reply`) is pickled back to the server.
SELECT results are written as SPARQL JSON, XML, CSV or TSV; ASK as a boolean; CONSTRUCT and
DESCRIBE as N-Triples or Turtle. At most ``max_results`` rows or triples are kept and the reply says
whether the rest was cut.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape as xml_escape

__all__ = ["CONTENT_TYPES", "Reply", "run_query", "text_reply"]

CONTENT_TYPES = {
    "json": "application/sparql-results+json; charset=utf-8",
    "xml": "application/sparql-results+xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "nt": "application/n-triples; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
}
_TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer to one query; ``rows`` (plain strings) only when the query page asked for them.

    ``retry_after`` is set on refusals caused by load: seconds after which room is expected.
    """

    status: int
    content_type: str
    body: bytes
    truncated: bool = False
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str | None, ...], ...] = ()
    retry_after: int | None = None


def text_reply(status: int, message: str, retry_after: int | None = None) -> Reply:
    """A plain-text answer (errors, refusals): one line."""
    return Reply(status, _TEXT, (message.rstrip("\n") + "\n").encode("utf-8"), retry_after=retry_after)


def _term_json(term: Any) -> dict[str, str]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}  # RDF-star triples: their N-Triples text


def _term_xml(term: Any) -> str:
    data = _term_json(term)
    value = xml_escape(data["value"])
    if data["type"] == "uri":
        return f"<uri>{value}</uri>"
    if data["type"] == "bnode":
        return f"<bnode>{value}</bnode>"
    if "xml:lang" in data:
        return f'<literal xml:lang="{xml_escape(data["xml:lang"], {chr(34): "&quot;"})}">{value}</literal>'
    if "datatype" in data:
        return f'<literal datatype="{xml_escape(data["datatype"], {chr(34): "&quot;"})}">{value}</literal>'
    return f"<literal>{value}</literal>"


def _csv_cell(value: str) -> str:
    if any(ch in value for ch in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _select_body(variables: list[str], solutions: list[list[Any]], fmt: str) -> bytes:
    """SPARQL 1.1 results (JSON, XML, CSV or TSV) for the solutions kept."""
    if fmt == "json":
        bindings = [
            {v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in solutions
        ]
        return json.dumps(
            {"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False
        ).encode("utf-8")
    if fmt == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>']
        parts += [f'<variable name="{xml_escape(v)}"/>' for v in variables]
        parts.append("</head><results>")
        for row in solutions:
            parts.append("<result>")
            parts += [
                f'<binding name="{xml_escape(v)}">{_term_xml(t)}</binding>'
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            parts.append("</result>")
        parts.append("</results></sparql>\n")
        return "".join(parts).encode("utf-8")
    if fmt == "csv":
        lines = [",".join(_csv_cell(v) for v in variables)]
        lines += [
            ",".join(
                "" if t is None else _csv_cell(str(t.value) if hasattr(t, "value") else str(t)) for t in row
            )
            for row in solutions
        ]
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    # tsv: terms in their N-Triples form, which is what str() of a pyoxigraph term gives
    lines = ["\t".join("?" + v for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in solutions]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _ask_body(answer: bool, fmt: str) -> tuple[str, bytes]:
    if fmt == "xml":
        text = (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/>'
            f"<boolean>{str(answer).lower()}</boolean></sparql>\n"
        )
        return CONTENT_TYPES["xml"], text.encode("utf-8")
    if fmt in ("csv", "tsv"):
        return _TEXT, f"{str(answer).lower()}\n".encode()
    return CONTENT_TYPES["json"], json.dumps({"head": {}, "boolean": answer}).encode("utf-8")


def run_query(store: Any, query: str, fmt: str, graph_fmt: str, max_results: int, want_rows: bool) -> Reply:
    """Run ``query`` on a pyoxigraph store; the answer in ``fmt`` (results) or ``graph_fmt`` (triples)."""
    import pyoxigraph as ox

    try:
        result = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as exc:
        return text_reply(400, f"query does not parse: {exc}")
    if isinstance(result, ox.QueryBoolean):
        content_type, body = _ask_body(bool(result), fmt)
        return Reply(200, content_type, body, columns=("ask",), rows=((str(bool(result)).lower(),),))
    if isinstance(result, ox.QueryTriples):
        triples = []
        for triple in result:
            if len(triples) == max_results:
                truncated = True
                break
            triples.append(triple)
        else:
            truncated = False
        rdf_format = ox.RdfFormat.TURTLE if graph_fmt == "turtle" else ox.RdfFormat.N_TRIPLES
        body = ox.serialize(triples, format=rdf_format) or b""
        return Reply(200, CONTENT_TYPES[graph_fmt], body, truncated=truncated)
    variables = [v.value for v in result.variables]
    solutions: list[list[Any]] = []
    truncated = False
    for solution in result:
        if len(solutions) == max_results:
            truncated = True
            break
        solutions.append([solution[v] for v in variables])
    rows: tuple[tuple[str | None, ...], ...] = ()
    if want_rows:
        rows = tuple(tuple(None if t is None else str(t.value) for t in row) for row in solutions)
    return Reply(
        200, CONTENT_TYPES[fmt], _select_body(variables, solutions, fmt), truncated, tuple(variables), rows
    )
