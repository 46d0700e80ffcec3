"""Search from the command line: a Whoosh index of a content folder in the build cache.

Whoosh 2.7.4 is unmaintained; everything that touches it is in this module, so it can be
replaced. The index lives in `.cache/whoosh/<folder key>/` (never in output/), is created
on first use and brought up to date before every search: only new, changed (mtime or
size) and deleted entry files are touched. Terms come from `text_de`; queries from
`search_query`; the ranking rules are the same as the browser's (`search_rank`).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import warnings
from dataclasses import dataclass
from pathlib import Path

from liveticker import search_rank, text_de
from liveticker.search_docs import SearchDoc, search_doc
from liveticker.search_query import Query, parse
from liveticker.validate import check_tree

for _category in (DeprecationWarning, SyntaxWarning):  # old escape sequences, at compile
    warnings.filterwarnings("ignore", "invalid escape sequence", _category,
                            r".*[/\\]whoosh[/\\]")  # fmt: skip

from whoosh import fields, index, matching, query, scoring, sorting  # noqa: E402
from whoosh.analysis import Composable  # noqa: E402
from whoosh.analysis import Token as WhooshToken  # noqa: E402

CACHE_ROOT = Path(__file__).resolve().parent.parent / ".cache" / "whoosh"
FORMAT = 1  # bump when the schema changes
FILES_JSON = "files.json"


@dataclass
class Hit:
    url: str
    path: str
    day: str
    time: str
    title: str
    topics: list[str]
    sources: list[str]
    snippet: str
    score: float

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class UpdateReport:
    added: int = 0
    changed: int = 0
    deleted: int = 0
    invalid: int = 0
    rebuilt: bool = False


class _TermAnalyzer(Composable):
    """Emits one kind of term (exact, stem or part) of `text_de.tokens`, with positions."""

    _last: tuple[str, list] = ("", [])

    def __init__(self, kind: str):
        self.kind = kind

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="",
                 **kwargs):  # fmt: skip
        if _TermAnalyzer._last[0] != value:
            _TermAnalyzer._last = (value, text_de.tokens(value))
        token = WhooshToken(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for word in _TermAnalyzer._last[1]:
            texts = word.parts if self.kind == "part" else (getattr(word, self.kind),)
            for text in texts:
                token.text, token.boost, token.stopped = text, 1.0, False
                if positions:
                    token.pos = start_pos + word.position
                yield token


def _schema() -> fields.Schema:
    terms = {}
    for prefix in ("title", "body"):
        terms[f"{prefix}_exact"] = fields.TEXT(analyzer=_TermAnalyzer("exact"), phrase=False)
        terms[f"{prefix}_stem"] = fields.TEXT(analyzer=_TermAnalyzer("stem"), phrase=True)
        terms[f"{prefix}_part"] = fields.TEXT(analyzer=_TermAnalyzer("part"), phrase=False)
    return fields.Schema(
        path=fields.ID(stored=True, unique=True),
        order=fields.ID(sortable=True),
        day=fields.ID(stored=True),
        doc=fields.STORED(),
        topic=fields.KEYWORD(commas=True),
        source=fields.KEYWORD(commas=True),
        **terms,
    )


class _FieldWeight(scoring.WeightingModel):
    """Score = the weight of the field a term matched in (see search_rank.WEIGHTS)."""

    def scorer(self, searcher, fieldname, text, qf=1):
        return _ConstantScorer(search_rank.WEIGHTS.get(fieldname, 0))


class _ConstantScorer(scoring.BaseScorer):
    def __init__(self, weight: float):
        self.weight = weight

    def supports_block_quality(self):
        return False

    def score(self, matcher):
        return self.weight


class _BestOfMatcher(matching.DisjunctionMaxMatcher):
    """Whoosh's DisjunctionMaxMatcher takes the max of both sides even when they sit on
    different documents; this one scores only the side(s) on the current document."""

    def score(self):
        a, b = self.a, self.b
        if not a.is_active():
            return b.score()
        if not b.is_active():
            return a.score()
        a_id, b_id = a.id(), b.id()
        if a_id == b_id:
            return max(a.score(), b.score())
        return a.score() if a_id < b_id else b.score()


class _BestOf(query.DisjunctionMax):
    """Matches any subquery; scores the best one that matched."""

    def _matcher(self, subs, searcher, context):
        reader = searcher.reader()
        return self._tree_matcher(subs, _BestOfMatcher, searcher, context,
                                  lambda q: q.estimate_size(reader))  # fmt: skip


class _Prefix(query.Prefix):
    """Whoosh's Prefix drops its boost when it expands to one term and sums the scores of
    several; this one scores the best expansion, boosted."""

    def matcher(self, searcher, context=None):
        terms = [query.Term(self.fieldname, word, boost=self.boost)
                 for word in self._btexts(searcher.reader()) if word]  # fmt: skip
        if not terms:
            return matching.NullMatcher()
        return _BestOf(terms).matcher(searcher, context)


def index_dir(content: Path) -> Path:
    """`.cache/whoosh/<name>-<hash of the absolute folder path>/`."""
    content = Path(content).resolve()
    digest = hashlib.sha1(str(content).encode()).hexdigest()[:10]
    return CACHE_ROOT / f"{text_de.slugify(content.name) or 'content'}-{digest}"


def settings() -> dict:
    return {"format": FORMAT, **text_de.analyzer_settings()}


def update(content: Path, folder: Path | None = None) -> UpdateReport:
    """Create or refresh the index of `content`; touch only files whose mtime/size changed."""
    content = Path(content).resolve()
    folder = folder or index_dir(content)
    report = UpdateReport()
    state = _read_state(folder)
    if state.get("settings") != settings() or not index.exists_in(folder):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        index.create_in(folder, _schema())
        state = {"settings": settings(), "files": {}}
        report.rebuilt = True
    known: dict[str, list] = state["files"]
    current = {p.relative_to(content).as_posix(): p for p in sorted(content.rglob("*.md"))}
    signatures = {rel: _signature(p) for rel, p in current.items()}
    stale = [rel for rel in current if known.get(rel) != signatures[rel]]
    deleted = [rel for rel in known if rel not in current]
    if not stale and not deleted:
        return report
    checked, _problems = check_tree(content, [current[rel] for rel in stale]) if stale else ([], [])
    valid = {c.path: c for c in checked}
    writer = index.open_dir(folder).writer()
    try:
        for rel in deleted:
            writer.delete_by_term("path", rel)
            known.pop(rel)
            report.deleted += 1
        for rel in stale:
            if rel in known:
                report.changed += 1
            else:
                report.added += 1
            known[rel] = signatures[rel]
            if rel not in valid:
                writer.delete_by_term("path", rel)
                report.invalid += 1
                continue
            writer.update_document(**_fields(search_doc(valid[rel].entry, rel)))
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    _write_state(folder, state)
    return report


def build(docs: list[SearchDoc], folder: Path) -> None:
    """Index `docs` from scratch into `folder` (benchmarks and tests)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    writer = index.create_in(folder, _schema()).writer(limitmb=256)
    for doc in docs:
        writer.add_document(**_fields(doc))
    writer.commit()


def search(content: Path, text: str, limit: int | None = 20) -> list[Hit]:
    """Update the index of `content`, then run the query; best first."""
    update(content)
    return search_in(index_dir(content), text, limit)


def search_in(folder: Path, text: str, limit: int | None = 20) -> list[Hit]:
    parsed = parse(text)
    whoosh_query = to_whoosh(parsed)
    if whoosh_query is None:
        return []
    with index.open_dir(folder).searcher(weighting=_FieldWeight()) as searcher:
        results = searcher.search(
            whoosh_query, limit=limit,
            sortedby=[sorting.ScoreFacet(), sorting.FieldFacet("order")],
        )  # fmt: skip
        return [_hit(result, parsed) for result in results]


def to_whoosh(parsed: Query) -> query.Query | None:
    """The parsed query as Whoosh query objects; None when nothing can match."""
    if parsed.is_empty or parsed.errors:
        return None
    positive = [_clause(c) for c in parsed.clauses]
    filters = [query.Term("topic", t) for t in parsed.topics]
    filters += [query.Term("source", s) for s in parsed.sources]
    if parsed.date_from or parsed.date_to:
        filters.append(query.TermRange("day", parsed.date_from, parsed.date_to))
    result: query.Query = query.And(positive + filters) if positive else query.And(
        [query.Every(), *filters]
    )  # fmt: skip
    if parsed.excluded:
        result = query.AndNot(result, query.Or([_clause(c) for c in parsed.excluded]))
    return result


def _clause(clause) -> query.Query:
    alternatives = []
    for area in ("title", "body"):
        if clause.kind == "phrase":
            alternatives.append(query.Phrase(f"{area}_stem", [s for _, s in clause.terms]))
            continue
        exact, stemmed = clause.terms[0]
        if clause.kind == "prefix" or clause.also_prefix:
            alternatives.append(_Prefix(f"{area}_exact", exact,
                                             boost=search_rank.PREFIX_FACTOR))
        if clause.kind == "word":
            alternatives += [query.Term(f"{area}_exact", exact),
                             query.Term(f"{area}_stem", stemmed),
                             query.Term(f"{area}_part", stemmed)]  # fmt: skip
    return _BestOf(alternatives)


def _fields(doc: SearchDoc) -> dict:
    return {
        "path": doc.path, "order": doc.order, "day": doc.day,
        "doc": doc.__dict__,
        "topic": ",".join(doc.topic_keys), "source": ",".join(doc.source_keys),
        "title_exact": doc.title, "title_stem": doc.title, "title_part": doc.title,
        "body_exact": doc.text, "body_stem": doc.text, "body_part": doc.text,
    }  # fmt: skip


def _hit(result, parsed: Query) -> Hit:
    doc = result["doc"]
    return Hit(
        url=doc["url"], path=doc["path"], day=doc["day"], time=doc["time"],
        title=doc["title"], topics=list(doc["topics"]), sources=list(doc["sources"]),
        snippet=search_rank.snippet(doc["text"], parsed), score=-result.score[0],
    )  # fmt: skip


def _signature(path: Path) -> list:
    stat = path.stat()
    return [stat.st_mtime_ns, stat.st_size]


def _read_state(folder: Path) -> dict:
    try:
        return json.loads((folder / FILES_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(folder: Path, state: dict) -> None:
    tmp = folder / (FILES_JSON + ".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    tmp.replace(folder / FILES_JSON)
