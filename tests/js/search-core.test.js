// Tests of theme/static/js/search-core.js under node's test runner. pytest
// (tests/test_search_static.py) builds the index and the reference data with Python and
// runs this file with SEARCH_TEST_DATA pointing at them; alone it skips.
"use strict";
const { describe, it, before } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const JS = path.join(__dirname, "..", "..", "theme", "static", "js");
const SCRIPTS = ["search-analysis.js", "search-core.js"].map((name) => path.join(JS, name));
const dataDir = process.env.SEARCH_TEST_DATA;
const skip = dataDir ? false : "SEARCH_TEST_DATA not set: run through pytest";

/* A fresh global scope with the core loaded as the page loads it: classic scripts. */
function loadCore() {
  const context = vm.createContext({ console, TextEncoder });
  for (const file of SCRIPTS) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
  return context;
}

function engineFor(context, indexDir, loaded) {
  const S = context.LivetickerSearch;
  return new S.Engine((name) => {
    const file = path.join(indexDir, name + ".js");
    if (loaded) loaded.push(name);
    setImmediate(() => {
      if (!fs.existsSync(file)) return S.fail(name);
      vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
    });
  });
}

// Values made in the core's context have that context's Array: compare plain copies.
const plain = (value) => JSON.parse(JSON.stringify(value));
const read = (name) => JSON.parse(fs.readFileSync(path.join(dataDir, name), "utf8"));
const stemOf = (url) => url.split("/").filter(Boolean).pop();

describe("analysis", { skip }, () => {
  it("folds and stems every word of the corpus and the lexicon like text_de.py", () => {
    const S = loadCore().LivetickerSearch;
    const wrong = [];
    for (const [word, exact, stem] of read("analysis.json")) {
      const got = [S.fold(word), S.stem(word)];
      if (got[0] !== exact || got[1] !== stem) wrong.push([word, exact, stem, ...got]);
    }
    assert.deepEqual(wrong.slice(0, 20), []);
  });

  it("tokenises like text_de.tokens", () => {
    const S = loadCore().LivetickerSearch;
    for (const [text, expected] of read("tokens.json")) {
      const got = S.tokens(text).map((t) => [t.position, t.surface, t.exact, t.stem]);
      assert.deepEqual(plain(got), expected);
    }
  });
});

describe("parseQuery", { skip }, () => {
  it("parses every query like search_query.parse", () => {
    const S = loadCore().LivetickerSearch;
    for (const [text, expected] of read("queries.json")) {
      assert.deepEqual(JSON.parse(JSON.stringify(S.parseQuery(text))), expected, text);
    }
  });
});

describe("Engine.search", { skip }, () => {
  let context, engine, expected, behaviour;
  before(() => {
    context = loadCore();
    engine = engineFor(context, path.join(dataDir, "index"));
    expected = read("whoosh.json");
    behaviour = read("behaviour.json");
  });

  it("returns the same ranked results as Whoosh for every query", async () => {
    for (const [query, urls] of Object.entries(expected)) {
      const found = await engine.search(query, { all: true });
      assert.deepEqual(plain(found.results.map((r) => r.doc.url)), urls, query);
      assert.equal(found.total, urls.length, query);
    }
  });

  it("passes the behaviour list", async () => {
    for (const item of behaviour) {
      const found = (await engine.search(item.query, { all: true })).results.map((r) => stemOf(r.doc.url));
      for (const stem of item.finds || []) assert.ok(found.includes(stem), `${item.query} finds ${stem}`);
      for (const stem of item.not || []) assert.ok(!found.includes(stem), `${item.query} misses ${stem}`);
      if (item.finds && item.finds.length === 0) assert.deepEqual(plain(found), [], item.query);
    }
  });

  it("stops at the shown results and counts all matches", async () => {
    const all = await engine.search("und", { all: true });
    const page = await engine.search("und", { limit: 2 });
    assert.equal(page.results.length, 2);
    assert.equal(page.total, all.total);
    assert.deepEqual(plain(page.results.map((r) => r.id)), plain(all.results.slice(0, 2).map((r) => r.id)));
  });

  it("loads only the manifest, the shards of the query's terms and shown documents", async () => {
    const loaded = [];
    const fresh = engineFor(loadCore(), path.join(dataDir, "index"), loaded);
    await fresh.search("Kiew", { limit: 5 });
    const shards = loaded.filter((n) => n.startsWith("t/"));
    const total = fs.readdirSync(path.join(dataDir, "index", "t")).length;
    assert.ok(loaded.includes("manifest"));
    assert.ok(shards.length >= 1 && shards.length <= 2 && total > 4, `${shards} of ${total}`);
    assert.deepEqual(loaded.filter((n) => n.startsWith("d/")).length, 1);
  });

  it("marks stem, umlaut and compound matches in snippets", async () => {
    const S = context.LivetickerSearch;
    const hit = (await engine.search("Angriff Charkiw", { all: true })).results[0];
    const marked = S.highlight(hit.doc.title, S.parseQuery("Angriff Charkiw"), hit.doc.parts, 0)
      .filter((p) => p[1]).map((p) => p[0]);
    assert.deepEqual(plain(marked), ["Raketenangriffe", "Charkiw"]);
    const umlaut = (await engine.search("Fluechtlinge", { all: true })).results[0];
    const marks = S.highlight(umlaut.doc.text, S.parseQuery("Fluechtlinge"), umlaut.doc.parts, 30)
      .filter((p) => p[1]).map((p) => p[0]);
    assert.ok(marks.includes("Flüchtlinge"), JSON.stringify(marks));
  });

  it("suggests a word of the archive when nothing is found", async () => {
    assert.equal((await engine.search("Saporischscha Kämpfe", { all: true })).total, 0);
    assert.equal(await engine.suggest("Saporischscha Kämpfe"), "saporischschja Kämpfe");
  });
});

describe("manifest check", { skip }, () => {
  it("rejects an index built with other analyzer settings", async () => {
    const context = loadCore();
    const S = context.LivetickerSearch;
    const engine = new S.Engine(() => {
      const manifest = read("manifest.json");
      manifest.stemmer = "snowball-german pystemmer 9.9";
      S.receive("manifest", manifest);
    });
    await assert.rejects(engine.open(), /passt nicht/);
  });
});
