/* German analysis and query language of the chronicle's search (mirrors
 * liveticker/text_de.py and liveticker/search_query.py; tests check both on the same
 * cases and on the whole vocabulary of the test corpus and the lexicon).
 *
 * Pure: no DOM. A classic script (works from file:// and under CSP `script-src 'self'`);
 * it defines the global `LivetickerAnalysis`, which search-core.js needs: load it first.
 */
var LivetickerAnalysis = (function () {
  "use strict";

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

  return {
    ANALYZER: ANALYZER, PREFIX_MIN: PREFIX_MIN,
    fold: fold, slugify: slugify, words: words, stem: stem, tokens: tokens,
    analyzeWord: analyzeWord, parseQuery: parseQuery
  };
})();
