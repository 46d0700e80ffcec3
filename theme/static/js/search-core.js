/* Search core of the chronicle: German analysis, query language, index reader, ranking.
 *
 * Pure: no DOM, no fetch. A classic script (works from file:// and under CSP
 * `script-src 'self'`); it defines the global `LivetickerSearch`. Index files are scripts
 * that call `LivetickerSearch.receive(name, data)`; the page (search-ui.js) or a test
 * supplies `load(name)`, which makes that happen. The rules mirror liveticker/text_de.py,
 * search_query.py and search_rank.py; tests check both on the same cases and vocabulary.
 */
var LivetickerSearch = (function () {
  "use strict";

  var FORMAT = 1;
  var ANALYZER = { analyzer: 1, stemmer: "snowball-german pystemmer 3.1.0" };

  /* ---- German analysis (text_de.py) ---- */
  var UMLAUTS = { "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss" };
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var TOKEN = /[\p{L}\p{N}]+(?:(?:-|(?<=[0-9])[.,](?=[0-9]))[\p{L}\p{N}]+)*/gu;
  var GENITIVE_S = /(?<=...[aojpwy])s$/u;

  function fold(text) {
    text = text.toLowerCase().replace(/[äöüßẞ]/g, function (c) { return UMLAUTS[c]; });
    if (/^[a-z0-9.\-]*$/.test(text)) return text;
    return text.normalize("NFKD").replace(MARKS, "");
  }

  function slugify(text) {
    return fold(text).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }

  function words(text) {
    return text.match(TOKEN) || [];
  }

  function stem(word) {
    if (word.indexOf("-") >= 0) return word.split("-").map(stem).join("-");
    return fold(snowballGerman(word.toLowerCase())).replace(GENITIVE_S, "");
  }

  /* Snowball German, version 3 (what PyStemmer 3.1 runs), on an array of code points. */
  var VOWELS = "aeiouyäöü";
  function isVowel(c) { return c !== undefined && c !== "" && VOWELS.indexOf(c) >= 0; }
  function endsWith(s, end, suffix) {
    if (suffix.length > end) return false;
    for (var i = 0; i < suffix.length; i++) {
      if (s[end - suffix.length + i] !== suffix[i]) return false;
    }
    return true;
  }
  function longest(s, end, suffixes) {
    var best = null;
    for (var i = 0; i < suffixes.length; i++) {
      if (endsWith(s, end, suffixes[i]) && (!best || suffixes[i].length > best.length)) {
        best = suffixes[i];
      }
    }
    return best;
  }

  function snowballGerman(word) {
    var w = Array.from(word), s = [], i;
    for (i = 0; i < w.length; i++) {  // u and y between vowels stay consonants
      if (isVowel(w[i]) && (w[i + 1] === "u" || w[i + 1] === "y") && isVowel(w[i + 2])) {
        w[i + 1] = w[i + 1].toUpperCase();
      }
    }
    for (i = 0; i < w.length;) {  // ß -> ss; ae, oe, ue -> umlaut (not after q)
      var pair = w[i] + (w[i + 1] || "");
      if (w[i] === "ß") { s.push("s", "s"); i += 1; }
      else if (pair === "ae") { s.push("ä"); i += 2; }
      else if (pair === "oe") { s.push("ö"); i += 2; }
      else if (pair === "ue") { s.push("ü"); i += 2; }
      else if (pair === "qu") { s.push("q", "u"); i += 2; }
      else { s.push(w[i]); i += 1; }
    }
    var n = s.length, p1 = n, p2 = n;
    if (n >= 3) {
      var c = 0;
      var region = function () {
        while (c < n && !isVowel(s[c])) c++;
        if (c >= n) return -1;
        c++;
        while (c < n && isVowel(s[c])) c++;
        if (c >= n) return -1;
        return ++c;
      };
      var r = region();
      if (r >= 0) {
        p1 = Math.max(r, 3);  // the search for p2 goes on from r, not from p1
        r = region();
        if (r >= 0) p2 = r;
      }
    }
    var end = n, suf;
    suf = longest(s, end, ["e", "em", "en", "erinnen", "erin", "ln", "ern", "er", "s", "es", "lns"]);
    if (suf && end - suf.length >= p1) {
      var k = end - suf.length;
      if (suf === "em") { if (!endsWith(s, k, "syst")) end = k; }
      else if (suf === "e" || suf === "en" || suf === "es") {
        end = k;
        if (endsWith(s, end, "niss")) end -= 1;
      } else if (suf === "s") { if ("bdfghklmnrt".indexOf(s[k - 1]) >= 0 && k > 0) end = k; }
      else if (suf === "ln" || suf === "lns") { end = k + 1; }
      else end = k;
    }
    suf = longest(s, end, ["en", "er", "et", "st", "est"]);
    if (suf && end - suf.length >= p1) {
      var k2 = end - suf.length;
      if (suf === "st") {
        if (k2 > 0 && "bdfghklmnt".indexOf(s[k2 - 1]) >= 0 && k2 - 1 >= 3) end = k2;
      } else if (suf === "et") {
        if (k2 > 0 && "dfgklmnrstUzä".indexOf(s[k2 - 1]) >= 0 &&
            !["tick", "plan", "geordn", "intern", "tr"].some(function (x) { return endsWith(s, k2, x); })) {
          end = k2;
        }
      } else end = k2;
    }
    suf = longest(s, end, ["end", "ig", "ung", "lich", "isch", "ik", "heit", "keit"]);
    if (suf && end - suf.length >= p2) {
      var k3 = end - suf.length;
      if (suf === "end" || suf === "ung") {
        end = k3;
        if (endsWith(s, end, "ig") && s[end - 3] !== "e" && end - 2 >= p2) end -= 2;
      } else if (suf === "ig" || suf === "ik" || suf === "isch") {
        if (s[k3 - 1] !== "e") end = k3;
      } else if (suf === "lich" || suf === "heit") {
        end = k3;
        if ((endsWith(s, end, "er") || endsWith(s, end, "en")) && end - 2 >= p1) end -= 2;
      } else {
        end = k3;
        var more = longest(s, end, ["ig", "lich"]);
        if (more && end - more.length >= p2) end -= more.length;
      }
    }
    var out = "";
    for (i = 0; i < end; i++) {
      var ch = s[i];
      out += ch === "Y" ? "y" : ch === "U" || ch === "ü" ? "u" : ch === "ä" ? "a" : ch === "ö" ? "o" : ch;
    }
    return out;
  }

  function analyzeWord(word) {
    return [fold(word), stem(word)];
  }

  /* Analysed words with positions; a hyphenated word: whole + parts, whole at the first part's position. */
  function tokens(text) {
    var out = [], position = 0, found = words(text);
    for (var i = 0; i < found.length; i++) {
      var surface = found[i], a;
      if (surface.indexOf("-") >= 0) {
        a = analyzeWord(surface);
        out.push({ position: position, surface: surface, exact: a[0], stem: a[1], whole: true });
        var parts = surface.split("-");
        for (var j = 0; j < parts.length; j++) {
          a = analyzeWord(parts[j]);
          out.push({ position: position, surface: parts[j], exact: a[0], stem: a[1] });
          position++;
        }
      } else {
        a = analyzeWord(surface);
        out.push({ position: position, surface: surface, exact: a[0], stem: a[1] });
        position++;
      }
    }
    return out;
  }

  /* ---- Query language (search_query.py) ---- */
  var PREFIX_MIN = 3;
  var PART = /(-?)(?:([\p{L}\p{N}_]+):)?(?:"([^"]*)"?|(\S+))/gu;
  var DAY = /^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$/;

  function parseQuery(text) {
    var q = { clauses: [], excluded: [], topics: [], sources: [], dateFrom: null, dateTo: null, errors: [] };
    var m, trimmed = text.trim();
    PART.lastIndex = 0;
    while ((m = PART.exec(trimmed)) !== null) {
      if (m[0] === "") { PART.lastIndex++; continue; }
      var minus = m[1], key = (m[2] || "").toLowerCase(), quoted = m[3] !== undefined;
      var value = quoted ? m[3] : m[4];
      if (key === "thema" && value.trim()) q.topics.push(slugify(value));
      else if (key === "quelle" && value.trim()) q.sources.push(fold(value.trim()));
      else if (key === "datum") dateFilter(q, value);
      else if (key) addWords(q, m[2] + " " + value, minus, quoted);
      else addWords(q, value, minus, quoted);
    }
    var last = q.clauses[q.clauses.length - 1];
    if (last && last.kind === "word" && !/"$/.test(text.replace(/\s+$/, "")) &&
        last.terms[0][0].length >= PREFIX_MIN && !/^[0-9]/.test(last.terms[0][0])) {
      last.alsoPrefix = true;
    }
    return q;
  }

  function addWords(q, value, minus, quoted) {
    var target = minus ? q.excluded : q.clauses, found = words(value);
    if (quoted && found.length > 1) {
      target.push({ kind: "phrase", terms: found.map(analyzeWord), alsoPrefix: false });
      return;
    }
    found.forEach(function (word, index) {
      if (index === found.length - 1 && /\*$/.test(value) && !minus) {
        target.push({ kind: "prefix", terms: [[fold(word), fold(word)]], alsoPrefix: false });
      } else {
        target.push({ kind: "word", terms: [analyzeWord(word)], alsoPrefix: false });
      }
    });
  }

  function dayBounds(text) {
    var m = DAY.exec(text.trim());
    if (!m) return null;
    var y = +m[1], mo = m[2] ? +m[2] : 0, d = m[3] ? +m[3] : 0;
    var iso = function (yy, mm, dd) {
      var t = new Date(Date.UTC(yy, mm - 1, dd));
      if (t.getUTCFullYear() !== yy || t.getUTCMonth() !== mm - 1 || t.getUTCDate() !== dd) return null;
      return t.toISOString().slice(0, 10);
    };
    if (mo && (mo < 1 || mo > 12)) return null;
    var first, last;
    if (d) { first = last = iso(y, mo, d); }
    else if (mo) { first = iso(y, mo, 1); last = iso(y, mo, new Date(Date.UTC(y, mo, 0)).getUTCDate()); }
    else { first = iso(y, 1, 1); last = iso(y, 12, 31); }
    return first && last ? [first, last] : null;
  }

  function dateFilter(q, value) {
    var cut = value.indexOf(".."), start, end;
    start = dayBounds(cut >= 0 ? value.slice(0, cut) : value);
    end = cut >= 0 && value.slice(cut + 2) ? dayBounds(value.slice(cut + 2)) : start;
    if (!start || !end) {
      q.errors.push("datum:" + value + " - erwartet z. B. datum:2025-02 oder datum:2025-02-01..2025-02-15");
      return;
    }
    q.dateFrom = q.dateFrom && q.dateFrom > start[0] ? q.dateFrom : start[0];
    q.dateTo = q.dateTo && q.dateTo < end[1] ? q.dateTo : end[1];
  }

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
    for (var i = first; i <= last; i++) names.push("t/" + i);
    return Promise.all(names.map(function (n) { return self.file(n); })).then(function (shards) {
      var found = {}, own = [];
      shards.forEach(function (shard) {
        for (var key in shard) {
          if (key >= from && key <= to) {
            if (typeof shard[key] === "number") own.push(key); else found[key] = shard[key];
          }
        }
      });
      return Promise.all(own.map(function (key, i) {
        var ref = shards.reduce(function (r, sh) { return key in sh ? sh[key] : r; }, 0);
        return self.file("p/" + ref).then(function (list) { found[key] = list; });
      })).then(function () { return found; });
    });
  };

  function eachPosting(list, visit) {
    for (var i = 0; i < list.length;) {
      var mask = list[i], count = list[i + 1], id = 0;
      i += 2;
      for (var j = 0; j < count; j++, i++) { id = j === 0 ? list[i] : id + list[i]; visit(id, mask); }
    }
  }

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
    var put = function (list, table) {
      eachPosting(list, function (id, mask) {
        var w = table[mask];
        if (w > weights[id]) { if (!weights[id]) touched.push(id); weights[id] = w; }
      });
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
    if (prefix) {
      jobs.push(self.postings(exact, exact + "\uffff").then(function (found) {
        var table = self.table(EXACT, self.manifest.prefixFactor);
        for (var key in found) if (key.indexOf(":") < 0) put(found[key], table);
      }));
    }
    if (clause.kind === "word") {
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

  Engine.prototype.doc = function (id) {
    return this.file("d/" + Math.floor(id / this.manifest.docsPerFolder) + "/" + id);
  };

  function better(a, b) { return a.score !== b.score ? b.score - a.score : a.id - b.id; }

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
    if (source) { for (i = 0; i < source.length; i++) if (pass(source[i])) candidates.push(source[i]); }
    else { for (id = 0; id < n; id++) if (pass(id)) candidates.push(id); }
    var phrases = positive.concat(negative).some(function (c) { return c.needsText; });
    if (phrases) return self.checkPhrases(q, candidates, positive, score, need);
    if (!driver) return { total: candidates.length, exact: true, list: candidates.slice(0, need === Infinity ? undefined : need).map(function (d) { return { id: d, score: 0 }; }) };
    // Impact order: walk the driver's weight levels from the top; stop when no document
    // left in lower levels can reach the last shown result.
    var levels = {}, restMax = 0;
    positive.forEach(function (c) { if (c !== driver) restMax += 32; });
    candidates.forEach(function (d) { var w = driver.weights[d]; (levels[w] = levels[w] || []).push(d); });
    var order = Object.keys(levels).map(Number).sort(function (a, b) { return b - a; });
    var top = [];
    for (var l = 0; l < order.length; l++) {
      if (top.length >= need && top[need - 1].score > order[l] + restMax) break;
      var bucket = levels[order[l]];
      for (i = 0; i < bucket.length; i++) top.push({ id: bucket[i], score: score(bucket[i]) });
      top.sort(better);
      if (top.length > need) top.length = need;
    }
    return { total: candidates.length, exact: true, list: top };
  };

  /* Phrases: candidates ranked by upper bounds, their texts checked in rank order; a page
   * checks at most PHRASE_CHECKS texts beyond the shown ones (then the count says "bis zu"). */
  var PHRASE_CHECKS = 30;
  Engine.prototype.checkPhrases = function (q, candidates, positive, score, need) {
    var self = this, bounds = candidates.map(function (d) { return { id: d, score: score(d) }; });
    bounds.sort(better);
    var verified = [], next = 0;
    var step = function () {
      var settled = verified.length >= need && next < bounds.length && better(verified[need - 1], bounds[next]) < 0 &&
        verified[need - 1].score > bounds[next].score;
      var capped = need !== Infinity && next >= need + PHRASE_CHECKS;  // bytes of a first query
      if (next >= bounds.length || settled || capped) {
        var exact = next >= bounds.length;
        return { total: exact ? verified.length : verified.length + bounds.length - next, exact: exact,
                 list: need === Infinity ? verified : verified.slice(0, need) };
      }
      var batch = bounds.slice(next, next + Math.max(10, Math.min(need, 50)));
      next += batch.length;
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
