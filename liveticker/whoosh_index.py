"""Search from the command line: a Whoosh index of a content folder in the build cache.

Whoosh 2.7.4 is unmaintained; everything that touches it is in this module, so it can be
replaced. The index lives in `.cache/whoosh/<folder key>/` (never in output/), is created
on first use and brought up to date before every search: only new, changed (mtime or
size) and deleted entry files are touched. Queries come from `search_query`; the ranking
rules are the same as the browser's (`search_rank`).

Like the static index, the field `words` holds one posting per key of a document (exact
form, stem or compound part, from `search_docs.doc_terms`) whose weight is its mask of
field bits (title/body x exact/stem/part); a query term scores the best weight of the
bits it accepts and skips postings with none. No positions: phrases are checked on the
stored text (`search_rank.phrase_scores`), as the browser does. A new index is written
in bulk: one process per core reads, checks and analyses its share of the entries and
writes one segment, its `words` postings straight to the codec in key order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import shutil
import warnings
from array import array
from dataclasses import dataclass
from pathlib import Path

from liveticker import cores, search_rank, text_de
from liveticker.entry import BERLIN
from liveticker.search_docs import BITS, SearchDoc, doc_terms, search_doc
from liveticker.search_query import Query, parse
from liveticker.validate import check_entry_bytes, check_tree
from liveticker.vocab import load_vocabulary

for _category in (DeprecationWarning, SyntaxWarning):  # old escape sequences, at compile
    warnings.filterwarnings("ignore", "invalid escape sequence", _category,
                            r".*[/\\]whoosh[/\\]")  # fmt: skip

from whoosh import fields, formats, index, matching, query, scoring, sorting  # noqa: E402
from whoosh.writing import SegmentWriter  # noqa: E402

CACHE_ROOT = Path(__file__).resolve().parent.parent / ".cache" / "whoosh"
FORMAT = 2  # bump when the schema changes
FILES_JSON = "files.json"
BULK_MIN_DOCS = 2000  # a new index of fewer entries is written in this process


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


class _KeysField(fields.FieldType):
    """The keys of a document: its value is `doc_terms`' {key: mask}; each posting's
    weight is the mask."""

    def __init__(self):
        super().__init__(formats.Existence(), analyzer=None, scorable=False)

    def index(self, value, **kwargs):
        return ((key.encode(), 1, float(mask), b"") for key, mask in value.items())


def _schema() -> fields.Schema:
    return fields.Schema(
        path=fields.ID(unique=True),
        order=fields.ID(sortable=True),
        day=fields.ID(),
        doc=fields.STORED(),
        topic=fields.KEYWORD(commas=True),
        source=fields.KEYWORD(commas=True),
        words=_KeysField(),
    )


def _table(fields_: tuple[str, ...], factor: float = 1.0) -> tuple[float, ...]:
    """Score of a posting by its mask: the best weight among the accepted fields."""
    return tuple(max((search_rank.WEIGHTS[f] * factor for f in fields_ if mask & BITS[f]),
                     default=0) for mask in range(64))  # fmt: skip


_EXACT = ("title_exact", "body_exact")
_STEMS = ("title_stem", "title_part", "body_stem", "body_part")
EXACT_TABLE, STEM_TABLE = _table(_EXACT), _table(_STEMS)
WORD_TABLE = _table(_EXACT + _STEMS)  # exact form and stem are the same key
PREFIX_TABLE = _table(_EXACT, search_rank.PREFIX_FACTOR)
TITLE_STEM, BODY_STEM = _table(("title_stem",)), _table(("body_stem",))


class _NoWeight(scoring.WeightingModel):
    """Filters (topic, source, day) score 0; keys score through their mask tables."""

    def scorer(self, searcher, fieldname, text, qf=1):
        return _ConstantScorer(0)


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


class _MaskMatcher(matching.WrappingMatcher):
    """The postings of one key whose mask scores above 0 in `table`; scores that."""

    def __init__(self, child, table):
        super().__init__(child)
        self.table = table
        self._skip()

    def _skip(self):
        child, table = self.child, self.table
        while child.is_active() and not table[int(child.weight())]:
            child.next()

    def copy(self):
        return _MaskMatcher(self.child.copy(), self.table)

    def _replacement(self, newchild):
        return _MaskMatcher(newchild, self.table)

    def next(self):
        self.child.next()
        self._skip()

    def skip_to(self, id):
        self.child.skip_to(id)
        self._skip()

    def all_ids(self):
        while self.is_active():
            yield self.id()
            self.next()

    def supports_block_quality(self):
        return False

    def score(self):
        return self.table[int(self.child.weight())]


class _Masked(query.Term):
    """A key of the `words` field, matched and scored through a mask table."""

    def __init__(self, key: str, table):
        super().__init__("words", key)
        self.table = table

    def matcher(self, searcher, context=None):
        found = super().matcher(searcher, context)
        return _MaskMatcher(found, self.table) if found.is_active() else found


class _Fixed(matching.WrappingMatcher):
    def __init__(self, child, value):
        super().__init__(child)
        self.fixed = value

    def copy(self):
        return _Fixed(self.child.copy(), self.fixed)

    def _replacement(self, newchild):
        return _Fixed(newchild, self.fixed)

    def supports_block_quality(self):
        return False

    def score(self):
        return self.fixed


class _AllOf(query.And):
    """Matches documents that match every subquery; scores `score`."""

    def __init__(self, subqueries, score: float):
        super().__init__(subqueries)
        self.fixed = score

    def matcher(self, searcher, context=None):
        return _Fixed(super().matcher(searcher, context), self.fixed)


class _Prefix(query.Query):
    """Exact forms that start with `text`, scored as a prefix match (best key wins)."""

    def __init__(self, text: str):
        self.text = text

    def estimate_size(self, ixreader):
        return ixreader.doc_count_all()

    def matcher(self, searcher, context=None):
        keys = searcher.reader().expand_prefix("words", self.text)
        terms = [_Masked(key.decode() if isinstance(key, bytes) else key, PREFIX_TABLE)
                 for key in keys]  # fmt: skip
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


def update(content: Path, folder: Path | None = None, procs: int = 0) -> UpdateReport:
    """Create or refresh the index of `content`; touch only files whose mtime/size changed."""
    content = Path(content).resolve()
    folder = folder or index_dir(content)
    report = UpdateReport()
    state = _read_state(folder)
    current = _scan(content)  # {rel: [mtime ns, size]}
    if state.get("settings") != settings() or not index.exists_in(folder):
        invalid = _build_files(content, list(current), folder, procs)
        _write_state(folder, {"settings": settings(), "files": current})
        return UpdateReport(added=len(current), invalid=len(invalid), rebuilt=True)
    known: dict[str, list] = state["files"]
    stale = [rel for rel in current if known.get(rel) != current[rel]]
    deleted = [rel for rel in known if rel not in current]
    if not stale and not deleted:
        return report
    checked = check_tree(content, [content / rel for rel in stale])[0] if stale else []
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
            known[rel] = current[rel]
            if rel not in valid:
                writer.delete_by_term("path", rel)
                report.invalid += 1
                continue
            doc = search_doc(valid[rel].entry, rel)
            writer.update_document(**_fields(doc), words=doc_terms(doc)[0])
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    _write_state(folder, state)
    return report


def build(docs: list[SearchDoc], folder: Path, procs: int = 0) -> None:
    """Index `docs` from scratch into `folder` (benchmarks and tests)."""
    _bulk(folder, docs, _index_docs, procs)


def _build_files(content: Path, rels: list[str], folder: Path, procs: int) -> list[str]:
    """A new index of the entry files `rels` of `content`; returns the invalid ones."""
    global _CHECK
    _CHECK = (content, load_vocabulary(content), dt.datetime.now(BERLIN))
    try:
        return _bulk(folder, rels, _index_files, procs)
    finally:
        _CHECK = None


_JOB: list = []  # what the forked workers of _bulk share
_CHECK: tuple | None = None  # content folder, vocabulary, now: for checking entry files


def _bulk(folder: Path, items: list, work, procs: int) -> list:
    """A new index in `folder`: `work(ix, items)` writes a segment of the items and
    returns (segment, problems); with several processes, each takes a run of items."""
    global _JOB
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ix = index.create_in(folder, _schema())
    procs = procs or cores.available()
    if procs == 1 or len(items) < BULK_MIN_DOCS:
        results = [work(ix, items)]
    else:
        step = -(-len(items) // procs)
        _JOB = items
        text_de.preload()
        try:
            with multiprocessing.get_context("fork").Pool(procs) as pool:
                jobs = [(folder, work, lo, lo + step) for lo in range(0, len(items), step)]
                results = pool.starmap(_bulk_job, jobs)
        finally:
            _JOB = []
    writer = ix.writer()
    segments = [segment for segment, _ in results if segment is not None]
    writer._close_segment()  # this writer's own segment stays empty
    writer._commit_toc(segments)
    writer._finish()
    return [problem for _, problems in results for problem in problems]


def _bulk_job(folder: Path, work, lo: int, hi: int):
    return work(index.open_dir(folder), _JOB[lo:hi])


def _index_docs(ix, docs: list[SearchDoc]):
    writer = _BulkWriter(ix)
    for doc in docs:
        writer.add(doc)
    return writer.finish(), []


def _index_files(ix, rels: list[str]):
    content, vocab, now = _CHECK
    writer = _BulkWriter(ix)
    invalid = []
    for rel in rels:
        data = (content / rel).read_bytes()
        checked, _problems = check_entry_bytes(data, rel, vocab, now, rel)
        if checked is None:
            invalid.append(rel)
        else:
            writer.add(search_doc(checked.entry, rel))
    return writer.finish(), invalid


class _BulkWriter(SegmentWriter):
    """A segment writer (no index lock: `_bulk` holds it) that keeps the `words`
    postings of the whole segment in memory and hands them to the codec in key order,
    after the pool's postings of the other (small) fields."""

    def __init__(self, ix):
        super().__init__(ix, _lk=False, compound=False)  # no copying into one file
        self.words: dict[str, tuple[list[int], list[int]]] = {}  # key -> (docnums, masks)

    def add(self, doc: SearchDoc) -> None:
        docnum = self.docnum
        self.add_document(**_fields(doc))
        words = self.words
        for key, mask in doc_terms(doc)[0].items():
            found = words.get(key)
            if found is None:
                words[key] = ([docnum], [mask])
            else:
                found[0].append(docnum)
                found[1].append(mask)

    def finish(self):
        if not self.docnum:
            self.cancel()
            return None
        return self._finalize_segment()

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        out = self.fieldwriter
        out.add_postings(self.schema, lengths, self.pool.iter_postings())
        out.start_field("words", self.schema["words"])
        for key in sorted(self.words):  # code point order = UTF-8 byte order
            out.start_term(key.encode())
            docnums, masks = self.words[key]
            _add_postings(out, array("I", docnums), array("f", masks))
            out.finish_term()
        out.finish_field()
        out.close()
        if lengths:
            lengths.close()


def _add_postings(out, docnums: array, weights: array) -> None:
    """The postings of one term, a block at a time: what W3PostingsWriter.add_posting
    does per posting (Whoosh 2.7.4, pinned), without its per-posting checks."""
    writer = out._postwriter
    if not all(hasattr(writer, a) for a in ("_ids", "_weights", "_blocklimit", "_write_block")):
        for docnum, weight in zip(docnums, weights, strict=True):
            out.add(docnum, weight, b"", None)
        return
    limit = writer._blocklimit
    for start in range(0, len(docnums), limit):
        if len(writer._ids) >= limit:
            writer._write_block()
        block = weights[start : start + limit]
        writer._ids.extend(docnums[start : start + limit])
        writer._weights.extend(block)
        writer._maxweight = max(writer._maxweight, max(block))


def search(content: Path, text: str, limit: int | None = 20) -> list[Hit]:
    """Update the index of `content`, then run the query; best first."""
    update(content)
    return search_in(index_dir(content), text, limit)


def search_in(folder: Path, text: str, limit: int | None = 20) -> list[Hit]:
    parsed = parse(text)
    whoosh_query = to_whoosh(parsed)
    if whoosh_query is None:
        return []
    phrases = any(c.kind == "phrase" for c in parsed.clauses + parsed.excluded)
    with index.open_dir(folder).searcher(weighting=_NoWeight()) as searcher:
        results = searcher.search(
            whoosh_query, limit=None if phrases else limit,
            sortedby=[sorting.ScoreFacet(), sorting.FieldFacet("order")],
        )  # fmt: skip
        if not phrases:
            return [_hit(result["doc"], -result.score[0], parsed) for result in results]
        return _checked_phrases(results, parsed, limit)


def _checked_phrases(results, parsed: Query, limit: int | None) -> list[Hit]:
    """Check the phrases on the text of the candidates, best upper bound first, until
    no later candidate can enter the first `limit` results."""
    checked: list[tuple] = []
    for result in results:
        bound = -result.score[0]
        if limit and len(checked) >= limit and checked[limit - 1][0] < -bound:
            break
        doc = result["doc"]
        found = search_rank.phrase_scores(parsed, doc["title"], doc["text"])
        if found is not None:
            checked.append((-(bound - found[0] + found[1]), doc["order"], doc))
            checked.sort(key=lambda item: item[:2])
    return [_hit(doc, -score, parsed) for score, _, doc in checked[:limit]]


def to_whoosh(parsed: Query) -> query.Query | None:
    """The parsed query as Whoosh query objects; None when nothing can match. Phrases
    match the entries holding all their stems (checked on the text afterwards)."""
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
    excluded = [_clause(c) for c in parsed.excluded if c.kind != "phrase"]
    if excluded:
        result = query.AndNot(result, query.Or(excluded))
    return result


def _clause(clause) -> query.Query:
    if clause.kind == "phrase":
        stems = sorted({stem for _, stem in clause.terms})
        weights = search_rank.WEIGHTS
        title = _AllOf([_Masked(s, TITLE_STEM) for s in stems], weights["title_stem"])
        body = _AllOf([_Masked(s, BODY_STEM) for s in stems], weights["body_stem"])
        return _BestOf([title, body])
    exact, stemmed = clause.terms[0]
    alternatives: list[query.Query] = []
    if clause.kind == "prefix" or clause.also_prefix:
        alternatives.append(_Prefix(exact))
    if clause.kind == "word":
        alternatives += ([_Masked(exact, WORD_TABLE)] if exact == stemmed else
                         [_Masked(exact, EXACT_TABLE), _Masked(stemmed, STEM_TABLE)])  # fmt: skip
    return _BestOf(alternatives)


def _fields(doc: SearchDoc) -> dict:
    return {
        "path": doc.path, "order": doc.order, "day": doc.day, "doc": doc.__dict__,
        "topic": ",".join(doc.topic_keys), "source": ",".join(doc.source_keys),
    }  # fmt: skip


def _hit(doc: dict, score: float, parsed: Query) -> Hit:
    return Hit(
        url=doc["url"], path=doc["path"], day=doc["day"], time=doc["time"],
        title=doc["title"], topics=list(doc["topics"]), sources=list(doc["sources"]),
        snippet=search_rank.snippet(doc["text"], parsed), score=score,
    )  # fmt: skip


def _scan(content: Path) -> dict[str, list[int]]:
    """{relative path: [mtime ns, size]} of every entry file, as the build reads them
    (names starting with `.` or `_` are skipped), in path order."""
    found: dict[str, list[int]] = {}
    folders = [(str(content), "")]
    while folders:
        folder, prefix = folders.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.startswith((".", "_")):
                    continue
                if entry.is_dir():
                    folders.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.name.endswith(".md"):
                    stat = entry.stat()
                    found[prefix + entry.name] = [stat.st_mtime_ns, stat.st_size]
    return dict(sorted(found.items()))


def _read_state(folder: Path) -> dict:
    try:
        return json.loads((folder / FILES_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(folder: Path, state: dict) -> None:
    tmp = folder / (FILES_JSON + ".tmp")
    tmp.write_text(json.dumps(state), encoding="utf-8")
    tmp.replace(folder / FILES_JSON)
