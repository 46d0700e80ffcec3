/* The page /suche/: input, filters, URL state and result list around search-core.js.
 *
 * Classic script, no inline code (CSP script-src 'self'). Index files are loaded as
 * <script> elements, so the page works over HTTP and from file://. Entry text is
 * untrusted: everything is inserted with textContent / createElement, never as HTML.
 */
(function () {
  "use strict";
  var S = window.LivetickerSearch;
  var form = document.getElementById("search-form");
  if (!S || !form) return;
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var suggestion = document.getElementById("search-suggestion");
  var more = document.getElementById("search-more");
  var filters = {
    thema: document.getElementById("search-topic"),
    quelle: document.getElementById("search-source"),
    von: document.getElementById("search-from"),
    bis: document.getElementById("search-to")
  };
  var indexUrl = form.getAttribute("data-index");
  var base = indexUrl.slice(0, indexUrl.lastIndexOf("/") + 1);
  var root = form.getAttribute("data-root") || "/";
  var PAGE = 20;
  var MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
    "September", "Oktober", "November", "Dezember"];
  var engine = new S.Engine(function (name) {
    var script = document.createElement("script");
    script.src = base + name + ".js";
    script.async = true;
    script.onerror = function () { S.fail(name); };
    document.head.appendChild(script);
  });
  var current = 0, shown = 0, timer = null, burst = false;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function marked(parent, segments) {
    segments.forEach(function (segment) {
      parent.appendChild(segment[1] ? el("mark", "", segment[0]) : document.createTextNode(segment[0]));
    });
  }

  function germanDate(day, time) {
    var p = day.split("-");
    return +p[2] + ". " + MONTHS[+p[1] - 1] + " " + p[0] + (time ? ", " + time + " Uhr" : "");
  }

  function entryLink(url) {
    var href = root + url;
    return location.protocol === "file:" && /\/$/.test(href) ? href + "index.html" : href;
  }

  function state() {
    var params = new URLSearchParams(location.search), result = { q: params.get("q") || "" };
    Object.keys(filters).forEach(function (k) { result[k] = params.get(k) || ""; });
    return result;
  }

  function formState() {
    var result = { q: input.value };
    Object.keys(filters).forEach(function (k) { result[k] = filters[k] ? filters[k].value : ""; });
    return result;
  }

  function urlFor(s) {
    var params = new URLSearchParams();
    Object.keys(s).forEach(function (k) { if (s[k]) params.set(k, s[k]); });
    var text = params.toString();
    return location.pathname + (text ? "?" + text : "");
  }

  function remember(s, push) {
    try {
      if (push) history.pushState(s, "", urlFor(s)); else history.replaceState(s, "", urlFor(s));
    } catch (e) { /* some file:// setups refuse; the search still works */ }
  }

  function query(s) {
    var q = S.parseQuery(s.q);
    if (s.thema) q.topics.push(s.thema);
    if (s.quelle) q.sources.push(s.quelle);
    if (s.von && (!q.dateFrom || s.von > q.dateFrom)) q.dateFrom = s.von;
    if (s.bis && (!q.dateTo || s.bis < q.dateTo)) q.dateTo = s.bis;
    return q;
  }

  function render(found, append) {
    if (!append) list.textContent = "";
    found.results.forEach(function (r) {
      var d = r.doc, item = el("li", "search-hit"), heading = el("h2", "search-hit-title");
      var link = el("a");
      link.href = entryLink(d.url);
      marked(link, S.highlight(d.title, found.query, d.parts, 0));
      heading.appendChild(link);
      item.appendChild(heading);
      var meta = el("p", "search-hit-meta"), time = el("time", "", germanDate(d.day, d.time));
      time.setAttribute("datetime", d.day + (d.time ? "T" + d.time : ""));
      meta.appendChild(time);
      if (d.topics.length) meta.appendChild(el("span", "search-hit-topics", " · Themen: " + d.topics.join(", ")));
      if (d.sources.length) meta.appendChild(el("span", "search-hit-sources", " · Quellen: " + d.sources.join(", ")));
      item.appendChild(meta);
      var snippet = el("p", "search-hit-snippet");
      marked(snippet, S.highlight(d.text, found.query, d.parts, 30));
      item.appendChild(snippet);
      list.appendChild(item);
    });
    shown = (append ? shown : 0) + found.results.length;
    if (!found.exact && !shown) {
      status.textContent = "Keine Treffer unter den zuerst geprüften Einträgen.";
      more.hidden = true;
      return;
    }
    var count = found.exact ? found.total : "bis zu " + found.total;
    status.textContent = found.total ? count + (found.total === 1 ? " Treffer" : " Treffer") +
      (shown < found.total ? ", " + shown + " angezeigt" : "") : "Keine Treffer.";
    more.hidden = shown >= found.total || (!found.exact && found.results.length < PAGE);
  }

  function showSuggestion(text) {
    suggestion.textContent = "";
    suggestion.hidden = !text;
    if (!text) return;
    var link = el("a", "", text);
    link.href = urlFor({ q: text });
    link.addEventListener("click", function (event) {
      event.preventDefault();
      input.value = text;
      run(true);
    });
    suggestion.appendChild(document.createTextNode("Meinten Sie: "));
    suggestion.appendChild(link);
    suggestion.appendChild(document.createTextNode("?"));
  }

  function search(s, offset) {
    var ticket = ++current;
    list.setAttribute("aria-busy", "true");
    var q = query(s);
    var done = function () { if (ticket === current) list.setAttribute("aria-busy", "false"); };
    if (!s.q.trim() && !s.thema && !s.quelle && !s.von && !s.bis) {
      list.textContent = "";
      status.textContent = "";
      showSuggestion(null);
      more.hidden = true;
      return Promise.resolve().then(done);
    }
    if (q.errors.length) {
      list.textContent = "";
      status.textContent = q.errors.join(" ");
      more.hidden = true;
      return Promise.resolve().then(done);
    }
    return engine.search(q, { offset: offset || 0, limit: PAGE }).then(function (found) {
      if (ticket !== current) return null;
      render(found, offset > 0);
      if (found.total || !s.q.trim()) { showSuggestion(null); return null; }
      return engine.suggest(s.q).then(function (text) { if (ticket === current) showSuggestion(text); });
    }).catch(function (error) {
      if (ticket === current) { list.textContent = ""; status.textContent = "Die Suche ist nicht verfügbar: " + error.message; }
    }).then(done);
  }

  function run(push) {
    clearTimeout(timer);
    var s = formState();
    remember(s, push || !burst);
    burst = !push;
    return search(s, 0);
  }

  function apply(s) {
    input.value = s.q;
    Object.keys(filters).forEach(function (k) { if (filters[k]) filters[k].value = s[k]; });
  }

  function fillFilters(manifest) {
    var topic = filters.thema, source = filters.quelle;
    manifest.topics.forEach(function (t) { var o = el("option", "", t[1]); o.value = t[0]; topic.appendChild(o); });
    manifest.sources.forEach(function (code) { var o = el("option", "", code); o.value = code; source.appendChild(o); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(false); }, 200);
  });
  input.addEventListener("blur", function () { burst = false; });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
  Object.keys(filters).forEach(function (k) {
    if (filters[k]) filters[k].addEventListener("change", function () { run(true); });
  });
  more.addEventListener("click", function () { search(formState(), shown); });
  window.addEventListener("popstate", function () {
    burst = false;
    var s = state();
    apply(s);
    search(s, 0);
  });

  var initial = state();
  apply(initial);
  list.setAttribute("aria-busy", "true");
  engine.open().then(function (manifest) {
    fillFilters(manifest);
    apply(initial);
    return search(initial, 0);
  }).catch(function (error) {
    status.textContent = "Die Suche ist nicht verfügbar: " + error.message;
    list.setAttribute("aria-busy", "false");
  });
})();
