/* Search core of the chronicle: index reader, ranking, phrase checks, highlighting.
 *
 * Pure: no DOM, no fetch. A classic script (works from file:// and under CSP
 * `script-src 'self'`) that needs search-analysis.js loaded before it; it defines the
 * global `LivetickerSearch`. Index files are scripts that call
 * `LivetickerSearch.receive(name, data)`; the page (search-ui.js) or a test supplies
 * `load(name)`, which makes that happen. The rules mirror liveticker/static_index.py and
 * search_rank.py; tests check both on the same cases and against Whoosh's results.
 */
var LivetickerSearch = (function () {
  "use strict";

  var A = LivetickerAnalysis;
  var FORMAT = 2;
  var ANALYZER = A.ANALYZER, PREFIX_MIN = A.PREFIX_MIN;
  var fold = A.fold, slugify = A.slugify, words = A.words, stem = A.stem, tokens = A.tokens;
  var analyzeWord = A.analyzeWord, parseQuery = A.parseQuery;

  /* ---- Script loading: index files call receive(name, data) ---- */
  var waiting = {};
  function slot(name) {
    if (!waiting[name]) {
      var s = { data: undefined, done: false, callbacks: [] };
      s.promise = new Promise(function (resolve, reject) { s.callbacks.push(resolve, reject); });
      waiting[name] = s;
    }
    return waiting[name];
  }
  function receive(name, data) {
    var s = slot(name);
    if (s.done) return;
    s.done = true; s.data = data; s.callbacks[0](data);
  }
  function fail(name, error) {
    var s = slot(name);
    if (s.done) return;
    delete waiting[name];
    s.callbacks[1](error || new Error("Suchindex-Datei fehlt: " + name));
  }


  /* ---- Index format (static_index.py) ---- */
  // Postings: base-32 varints; digits DIGITS[32..63] continue a number, DIGITS[0..31]
  // end it. A number n > 0 is the gap to the next doc id; 0 says the next number is the
  // field mask of the entries that follow.
  var DIGITS = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";
  var DIGIT = new Int8Array(128).fill(-1);
  for (var d = 0; d < 64; d++) DIGIT[DIGITS.charCodeAt(d)] = d;

  // A postings string -> [doc ids, masks] as typed arrays, decoded once per page: a query
  // reads a key up to three times (exact form, stem, prefix) and a warm page again.
  var DECODED = new Map(), decodedSize = 0;
  function decode(list) {
    var found = DECODED.get(list);
    if (found) return found;
    var ids = new Int32Array(list.length), masks = new Uint8Array(list.length), count = 0;
    var id = -1, mask = 0, n = 0, setMask = false;
    for (var i = 0; i < list.length; i++) {
      var digit = DIGIT[list.charCodeAt(i)];
      if (digit >= 32) { n = n * 32 + digit - 32; continue; }
      n = n * 32 + digit;
      if (setMask) { mask = n; setMask = false; }
      else if (n === 0) setMask = true;
      else { id += n; ids[count] = id; masks[count++] = mask; }
      n = 0;
    }
    found = [ids.subarray(0, count), masks.subarray(0, count)];
    if (decodedSize > 4000000) { DECODED.clear(); decodedSize = 0; }
    DECODED.set(list, found);
    decodedSize += count;
    return found;
  }

  function eachPosting(list, visit) {
    var decoded = decode(list), ids = decoded[0], masks = decoded[1];
    for (var i = 0; i < ids.length; i++) visit(ids[i], masks[i]);
  }

  // A term shard's file is named after the CRC-32 of its first key (UTF-8), base 36.
  var CRC_TABLE = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();
  function crc32(text) {
    var bytes = new TextEncoder().encode(text), c = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 255] ^ (c >>> 8);
    return (c ^ 0xFFFFFFFF) >>> 0;
  }
  function shardName(start) { return "t/" + crc32(start).toString(36); }

  /* ---- Index reader and ranking (static_index.py, search_rank.py) ---- */
  function Engine(load) {
    this.load = load;  // load(name): make the file `name` call receive(); fail(name) on error
    this.manifest = null;
  }

  Engine.prototype.file = function (name) {
    var s = slot(name);
    if (!s.done && !s.requested) { s.requested = true; this.load(name); }
    return s.promise;
  };

  Engine.prototype.open = function () {
    var self = this;
    if (self.manifest) return Promise.resolve(self.manifest);
    return self.file("manifest").then(function (m) {
      if (m.format !== FORMAT || m.analyzer !== ANALYZER.analyzer || m.stemmer !== ANALYZER.stemmer) {
        throw new Error("Der Suchindex passt nicht zu diesem Suchprogramm (Format " + m.format +
          ", " + m.stemmer + "); bitte die Seite neu bauen.");
      }
      self.manifest = m;
      self.dayStart = {};
      var id = 0;
      for (var i = 0; i < m.days.length; i += 2) { self.dayStart[m.days[i]] = id; id += m.days[i + 1]; }
      return m;
    });
  };

  Engine.prototype.shardOf = function (key) {
    var starts = this.manifest.shards, lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= key) lo = mid; else hi = mid - 1;
    }
    return lo;
  };

  /* Postings of every key in [from, to] (to = from: one key): {key: array}. */
  Engine.prototype.postings = function (from, to) {
    var self = this, first = self.shardOf(from), last = self.shardOf(to), names = [];
    for (var i = first; i <= last; i++) names.push(shardName(self.manifest.shards[i]));
    return Promise.all(names.map(function (n) { return self.file(n); })).then(function (shards) {
      var found = {}, own = [];
      shards.forEach(function (shard) {
        for (var key in shard) {
          if (key >= from && key <= to) {
            if (typeof shard[key] === "number") own.push(key); else found[key] = shard[key];
          }
        }
      });
      return Promise.all(own.map(function (key) {
        var ref = shards.reduce(function (r, sh) { return key in sh ? sh[key] : r; }, 0);
        return self.file("p/" + ref.toString(36)).then(function (list) { found[key] = list; });
      })).then(function () { return found; });
    });
  };


  /* Weight tables: best weight of a mask, restricted to some fields, times a factor. */
  Engine.prototype.table = function (fields, factor) {
    var m = this.manifest, table = new Uint8Array(64);
    for (var mask = 0; mask < 64; mask++) {
      fields.forEach(function (f) {
        if (mask & m.bits[f]) table[mask] = Math.max(table[mask], m.weights[f] * factor);
      });
    }
    return table;
  };

  var EXACT = ["title_exact", "body_exact"], STEMS = ["title_stem", "title_part", "body_stem", "body_part"];

  /* Per document: the clause's weight (phrases: an upper bound, checked on the text later). */
  Engine.prototype.clauseWeights = function (clause) {
    var self = this, n = self.manifest.docs, weights = new Uint8Array(n), touched = [];
    var put = function (list, table) {  // the hot loop of a frequent word
      var decoded = decode(list), ids = decoded[0], masks = decoded[1];
      for (var i = 0; i < ids.length; i++) {
        var id = ids[i], w = table[masks[i]];
        if (w > weights[id]) { if (!weights[id]) touched.push(id); weights[id] = w; }
      }
    };
    var t = clause.terms;
    if (clause.kind === "phrase") {
      return Promise.all(t.map(function (term) { return self.postings(term[1], term[1]); })).then(function (all) {
        var title = new Uint8Array(n), body = new Uint8Array(n), b = self.manifest.bits;
        all.forEach(function (found, index) {
          var list = found[t[index][1]] || [];
          eachPosting(list, function (id, mask) {
            if ((mask & b.title_stem) && title[id] === index) title[id] = index + 1;
            if ((mask & b.body_stem) && body[id] === index) body[id] = index + 1;
          });
        });
        for (var id = 0; id < n; id++) {
          var w = title[id] === t.length ? self.manifest.weights.title_stem :
            body[id] === t.length ? self.manifest.weights.body_stem : 0;
          if (w) { weights[id] = w; touched.push(id); }
        }
        return { weights: weights, docs: touched, needsText: true };
      });
    }
    var exact = t[0][0], stemmed = t[0][1], prefix = clause.kind === "prefix" || clause.alsoPrefix;
    var jobs = [];
    var word = clause.kind === "word";
    if (prefix) {  // the word's own key scores more as the word: skip it here
      jobs.push(self.postings(exact, exact + "\uffff").then(function (found) {
        var table = self.table(EXACT, self.manifest.prefixFactor);
        for (var key in found) if (key.indexOf(":") < 0 && !(word && key === exact)) put(found[key], table);
      }));
    }
    if (word && exact === stemmed) {  // one key, read once
      jobs.push(self.postings(exact, exact).then(function (f) { if (f[exact]) put(f[exact], self.table(EXACT.concat(STEMS), 1)); }));
    } else if (word) {
      jobs.push(self.postings(exact, exact).then(function (f) { if (f[exact]) put(f[exact], self.table(EXACT, 1)); }));
      jobs.push(self.postings(stemmed, stemmed).then(function (f) { if (f[stemmed]) put(f[stemmed], self.table(STEMS, 1)); }));
    }
    return Promise.all(jobs).then(function () { return { weights: weights, docs: touched, needsText: false }; });
  };

  /* Documents allowed by topic, source and date filters: Uint8Array or null (all). */
  Engine.prototype.allowed = function (q) {
    var self = this, n = self.manifest.docs, keys = [];
    q.topics.forEach(function (t) { keys.push("thema:" + t); });
    q.sources.forEach(function (s) { keys.push("quelle:" + s); });
    if (!keys.length && !q.dateFrom && !q.dateTo) return Promise.resolve(null);
    return Promise.all(keys.map(function (k) { return self.postings(k, k); })).then(function (all) {
      var count = new Uint8Array(n), lo = 0, hi = n, days = self.manifest.days, id = 0;
      all.forEach(function (found, i) { eachPosting(found[keys[i]] || [], function (d) { count[d]++; }); });
      if (q.dateFrom || q.dateTo) {
        lo = n; hi = 0;
        for (var i = 0; i < days.length; i += 2) {
          var day = days[i];
          if ((!q.dateTo || day <= q.dateTo) && (!q.dateFrom || day >= q.dateFrom)) {
            lo = Math.min(lo, id); hi = Math.max(hi, id + days[i + 1]);
          }
          id += days[i + 1];
        }
      }
      var ok = new Uint8Array(n);
      for (var d = lo; d < hi; d++) ok[d] = count[d] === keys.length ? 1 : 0;
      return ok;
    });
  };

  /* search(text, {limit, offset, all}) -> {total, exact, results: [{id, score, doc}], query}
   * `all` ranks and checks every match (tests); otherwise ranking stops once the shown
   * results are settled (see docs/search.md). */
  Engine.prototype.search = function (text, options) {
    var self = this, opts = options || {}, q = typeof text === "string" ? parseQuery(text) : text;
    var need = opts.all ? Infinity : (opts.offset || 0) + (opts.limit || 10);
    var empty = { total: 0, exact: true, results: [], query: q };
    if (q.errors.length || !(q.clauses.length || q.excluded.length || q.topics.length ||
        q.sources.length || q.dateFrom || q.dateTo)) return Promise.resolve(empty);
    return self.open().then(function () {
      return Promise.all([
        Promise.all(q.clauses.map(function (c) { return self.clauseWeights(c); })),
        Promise.all(q.excluded.map(function (c) { return self.clauseWeights(c); })),
        self.allowed(q)
      ]);
    }).then(function (parts) {
      return self.rank(q, parts[0], parts[1], parts[2], need);
    }).then(function (ranked) {
      var shown = ranked.list.slice(opts.offset || 0, opts.all ? undefined : need);
      return Promise.all(shown.map(function (r) { return self.doc(r.id); })).then(function (docs) {
        docs.forEach(function (d, i) { shown[i].doc = d; });
        return { total: ranked.total, exact: ranked.exact, results: shown, query: q };
      });
    });
  };

  /* Display files hold docsPerFile entries each; ids count from the oldest entry. */
  Engine.prototype.docFile = function (id) {
    var m = this.manifest, n = Math.floor(id / m.docsPerFile);
    return "d/" + Math.floor(n / m.filesPerFolder) + "/" + n;
  };

  Engine.prototype.doc = function (id) {
    var per = this.manifest.docsPerFile;
    return this.file(this.docFile(id)).then(function (list) {
      var doc = list[id % per];
      if (typeof doc.parts === "string") doc.parts = parseParts(doc.parts);
      return doc;
    });
  };

  /* "exact part part|exact part" -> {exact: [part, part], ...} */
  function parseParts(text) {
    var parts = {};
    text.split("|").forEach(function (group) {
      var words = group.split(" ");
      if (words[0]) parts[words[0]] = words.slice(1);
    });
    return parts;
  }

  // Better first: higher score, then the newer entry (the larger id).
  function better(a, b) { return a.score !== b.score ? b.score - a.score : b.id - a.id; }

  Engine.prototype.rank = function (q, positive, negative, allowed, need) {
    var self = this, n = self.manifest.docs;
    var pass = function (id) {
      if (allowed && !allowed[id]) return false;
      for (var i = 0; i < negative.length; i++) if (!negative[i].needsText && negative[i].weights[id]) return false;
      for (var j = 0; j < positive.length; j++) if (!positive[j].weights[id]) return false;
      return true;
    };
    var score = function (id) {
      var sum = 0;
      for (var i = 0; i < positive.length; i++) sum += positive[i].weights[id];
      return sum;
    };
    var driver = null, candidates = [], id, i;
    positive.forEach(function (c) { if (!driver || c.docs.length < driver.docs.length) driver = c; });
    var source = driver ? driver.docs : null;
    if (source && positive.length === 1 && !negative.length && !allowed) candidates = source;
    else if (source) { for (i = 0; i < source.length; i++) if (pass(source[i])) candidates.push(source[i]); }
    else { for (id = n - 1; id >= 0; id--) if (pass(id)) candidates.push(id); }
    var phrases = positive.concat(negative).some(function (c) { return c.needsText; });
    if (phrases) return self.checkPhrases(q, candidates, positive, score, need);
    if (!driver) return { total: candidates.length, exact: true, list: candidates.slice(0, need === Infinity ? undefined : need).map(function (d) { return { id: d, score: 0 }; }) };
    // Impact order: walk the driver's weight levels from the top; stop when no document
    // left in lower levels can reach the last shown result.
    var levels = [], restMax = 0, weightOf = driver.weights, w;
    positive.forEach(function (c) { if (c !== driver) restMax += 32; });
    for (i = 0; i < candidates.length; i++) {
      w = weightOf[candidates[i]];
      (levels[w] || (levels[w] = [])).push(candidates[i]);
    }
    var top = [];
    for (w = levels.length - 1; w > 0; w--) {
      var bucket = levels[w];
      if (!bucket) continue;
      if (top.length >= need && top[need - 1].score > w + restMax) break;
      if (positive.length === 1) {  // the whole level scores w: its newest come first
        var ids = Int32Array.from(bucket).sort();
        for (i = ids.length - 1; i >= 0 && top.length < need; i--) top.push({ id: ids[i], score: w });
        continue;
      }
      for (i = 0; i < bucket.length; i++) top.push({ id: bucket[i], score: score(bucket[i]) });
      top.sort(better);
      if (top.length > need) top.length = need;
    }
    return { total: candidates.length, exact: true, list: top };
  };

  /* Phrases: candidates ranked by upper bounds, their texts checked in rank order; a page
   * loads at most PHRASE_FILES display files beyond one per shown result for that (then
   * the count says "bis zu"). */
  var PHRASE_FILES = 10;
  Engine.prototype.checkPhrases = function (q, candidates, positive, score, need) {
    var self = this, bounds = candidates.map(function (d) { return { id: d, score: score(d) }; });
    bounds.sort(better);
    var verified = [], next = 0, files = {}, fileCount = 0;
    var batchOf = function (size) {  // the next candidates, within the file budget
      var batch = [];
      while (next < bounds.length && batch.length < size) {
        var name = self.docFile(bounds[next].id);
        if (!files[name]) {
          if (need !== Infinity && fileCount >= need + PHRASE_FILES) break;  // bytes of a first query
          files[name] = true;
          fileCount++;
        }
        batch.push(bounds[next++]);
      }
      return batch;
    };
    var step = function () {
      var settled = verified.length >= need && next < bounds.length && better(verified[need - 1], bounds[next]) < 0 &&
        verified[need - 1].score > bounds[next].score;
      var batch = settled ? [] : batchOf(Math.max(10, Math.min(need, 50)));
      if (!batch.length) {
        var exact = next >= bounds.length;
        return { total: exact ? verified.length : verified.length + bounds.length - next, exact: exact,
                 list: need === Infinity ? verified : verified.slice(0, need) };
      }
      return Promise.all(batch.map(function (b) { return self.doc(b.id); })).then(function (docs) {
        docs.forEach(function (doc, i) {
          var s = phraseScore(q, doc, self.manifest.weights), id = batch[i].id;
          if (s === null) return;
          positive.forEach(function (c) { if (!c.needsText) s += c.weights[id]; });
          verified.push({ id: id, score: s });
        });
        verified.sort(better);
        return step();
      });
    };
    return step();
  };

  /* The phrases' share of the score of a document whose text is at hand, or null when
   * a phrase does not match (or an excluded one does). */
  function phraseScore(q, doc, weights) {
    var title = tokens(doc.title), body = tokens(doc.text), sum = 0;
    for (var i = 0; i < q.excluded.length; i++) {
      var x = q.excluded[i];
      if (x.kind === "phrase" && (hasPhrase(title, x) || hasPhrase(body, x))) return null;
    }
    for (var j = 0; j < q.clauses.length; j++) {
      var c = q.clauses[j];
      if (c.kind !== "phrase") continue;
      if (hasPhrase(title, c)) sum += weights.title_stem;
      else if (hasPhrase(body, c)) sum += weights.body_stem;
      else return null;
    }
    return sum;
  }

  function hasPhrase(list, clause) {
    var at = {};
    list.forEach(function (t) { (at[t.position] = at[t.position] || []).push(t.stem); });
    var stems = clause.terms.map(function (t) { return t[1]; });
    return list.some(function (t) {
      if (t.stem !== stems[0]) return false;
      for (var k = 1; k < stems.length; k++) {
        if ((at[t.position + k] || []).indexOf(stems[k]) < 0) return false;
      }
      return true;
    });
  }

  /* ---- Display helpers: which words to mark, snippet, did-you-mean ---- */
  function matches(token, clause, parts) {
    if (clause.kind === "phrase") return clause.terms.some(function (t) { return t[1] === token.stem; });
    var e = clause.terms[0][0], st = clause.terms[0][1];
    if ((clause.kind === "prefix" || clause.alsoPrefix) && token.exact.indexOf(e) === 0) return true;
    return clause.kind === "word" && (token.exact === e || token.stem === st ||
      ((parts || {})[token.exact] || []).indexOf(st) >= 0);
  }

  /* Text -> [[text, marked], ...]; with `around`, only that many words from shortly
   * before the first match. */
  function highlight(text, q, parts, around) {
    var list = tokens(text).filter(function (t) { return !t.whole; });
    var offsets = [], hits = {}, first = -1, cursor = 0, i;
    list.forEach(function (t, index) {
      var at = text.indexOf(t.surface, cursor);
      offsets.push(at < 0 ? cursor : at);
      if (at >= 0) cursor = at + t.surface.length;
      if (q.clauses.some(function (c) { return matches(t, c, parts); })) {
        hits[index] = true;
        if (first < 0) first = index;
      }
    });
    var start = 0, end = list.length;
    if (around) { start = Math.max(0, first - 8); end = Math.min(list.length, start + around); }
    var out = [], from = start > 0 ? offsets[start] : 0;
    if (start > 0) out.push(["… ", false]);
    for (i = start; i < end; i++) {
      if (offsets[i] > from) out.push([text.slice(from, offsets[i]).replace(/\s+/g, " "), false]);
      out.push([list[i].surface, !!hits[i]]);
      from = offsets[i] + list[i].surface.length;
    }
    out.push(end >= list.length ? [text.slice(from).replace(/\s+/g, " "), false] : [" …", false]);
    return out.filter(function (p) { return p[0]; });
  }

  function distance(a, b) {
    var prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) prev[j] = j;
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      for (j = 1; j <= b.length; j++) {
        cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      }
      prev = cur;
    }
    return prev[b.length];
  }

  /* A corrected query from the archive's frequent words, or null: only words that find
   * nothing on their own are replaced, each by the most frequent close word. */
  Engine.prototype.suggest = function (text) {
    var self = this, list = words(text).filter(function (w) { return fold(w).length >= 3; });
    return self.open().then(function () {
      return Promise.all(list.map(function (w) {
        return self.clauseWeights({ kind: "word", terms: [analyzeWord(w)], alsoPrefix: false });
      }));
    }).then(function (found) {
      var missing = list.filter(function (w, i) { return !found[i].docs.length; });
      if (!missing.length) return null;
      return self.file("s").then(function (vocabulary) {
        var out = text, changed = false;
        missing.forEach(function (word) {
          var folded = fold(word), best = null, limit = folded.length <= 4 ? 2 : 3;
          for (var i = 0; i < vocabulary.length; i++) {
            var v = fold(vocabulary[i]);
            if (Math.abs(v.length - folded.length) > 2 || v === folded) continue;
            var d = distance(folded, v);
            if (d < limit) { best = vocabulary[i]; limit = d; }
          }
          if (best) { out = out.replace(word, best); changed = true; }
        });
        return changed ? out : null;
      });
    });
  };

  return {
    FORMAT: FORMAT, ANALYZER: ANALYZER, PREFIX_MIN: PREFIX_MIN,
    fold: fold, slugify: slugify, words: words, stem: stem, tokens: tokens,
    analyzeWord: analyzeWord, parseQuery: parseQuery,
    receive: receive, fail: fail, Engine: Engine, highlight: highlight,
    _slot: slot
  };
})();
