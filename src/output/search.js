// briefing's search page: searches the index under this script's folder (see
// src/output/search.rs) for the query of `?q=` and lists the results in #search.
// The page shows #search-needs-js until this runs, so that it stays when scripts are off.
(function () {
  "use strict";
  var PAGE = 10;
  var CONTEXT = 12; // words of excerpt before and after the first match
  var script = document.currentScript;

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function queryWords(text, stopWords) {
    return folded(text)
      .split(/[^a-z0-9]+/)
      .filter(function (w) { return w.length >= 2 && stopWords.indexOf(w) < 0; });
  }

  function getJson(url, cache) {
    if (!cache[url]) {
      cache[url] = fetch(url).then(function (r) { return r.ok ? r.json() : {}; });
    }
    return cache[url];
  }

  // Articles holding a word starting with `word`: id -> weight (an exact word weighs double).
  function matches(bundle, word, cache) {
    return getJson(bundle + "terms/" + word.slice(0, 2) + ".json", cache).then(function (shard) {
      var found = new Map();
      Object.keys(shard).forEach(function (term) {
        if (term.lastIndexOf(word, 0) !== 0) return;
        var list = shard[term];
        var factor = term === word ? 2 : 1;
        for (var i = 0, id = 0; i < list.length; i += 2) {
          id += list[i];
          var weight = list[i + 1] * factor;
          if ((found.get(id) || 0) < weight) found.set(id, weight);
        }
      });
      return found;
    });
  }

  // Ids holding every word, heaviest first, then in site order (newest first).
  function rank(perWord) {
    var scores = perWord[0];
    perWord.slice(1).forEach(function (found) {
      var both = new Map();
      scores.forEach(function (score, id) {
        if (found.has(id)) both.set(id, score + found.get(id));
      });
      scores = both;
    });
    return Array.from(scores.keys()).sort(function (a, b) {
      return scores.get(b) - scores.get(a) || a - b;
    });
  }

  function excerpt(text, words) {
    var tokens = text.split(/(\s+)/);
    var first = tokens.findIndex(function (t) { return isMatch(t, words); });
    var start = Math.max(0, (first < 0 ? 0 : first) - 2 * CONTEXT);
    var end = Math.min(tokens.length, start + 4 * CONTEXT + 1);
    var fragment = document.createDocumentFragment();
    if (start > 0) fragment.append("… ");
    tokens.slice(start, end).forEach(function (token) {
      if (isMatch(token, words)) {
        var mark = document.createElement("mark");
        mark.textContent = token;
        fragment.append(mark);
      } else {
        fragment.append(token);
      }
    });
    if (end < tokens.length) fragment.append(" …");
    return fragment;
  }

  function isMatch(token, words) {
    var parts = folded(token).split(/[^a-z0-9]+/);
    return parts.some(function (p) {
      return words.some(function (w) { return p.lastIndexOf(w, 0) === 0; });
    });
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function showResults(root, bundle, base, meta, ids, words, query, cache) {
    root.textContent = "";
    var count = ids.length;
    var message = count.toLocaleString("en") + (count === 1 ? " result" : " results") +
      " for \u201c" + query + "\u201d";
    root.append(element("p", "search-message", message));
    var list = element("ol", "search-results");
    root.append(list);
    var more = element("button", "search-more", "More results");
    var shown = 0;
    function showPage() {
      var page = ids.slice(shown, shown + PAGE);
      shown += page.length;
      more.hidden = shown >= count;
      var items = page.map(function (id) {
        var item = element("li", "search-result");
        list.append(item);
        var chunk = Math.floor(id / meta.docs_per_chunk);
        return getJson(bundle + "docs/" + chunk + ".json", cache).then(function (docs) {
          var doc = docs[id % meta.docs_per_chunk];
          if (!doc) return;
          var link = element("a", "search-result-link", doc[1]);
          link.href = base + doc[0];
          var heading = element("h2", "search-result-title");
          heading.append(link);
          item.append(heading);
          if (doc[2]) item.append(element("p", "search-result-date", doc[2]));
          var text = element("p", "search-excerpt");
          text.append(excerpt(doc[3], words));
          item.append(text);
        });
      });
      return Promise.all(items);
    }
    more.addEventListener("click", showPage);
    root.append(more);
    return showPage();
  }

  function search(root, bundle, base, query) {
    var cache = {};
    return getJson(bundle + "meta.json", cache).then(function (meta) {
      var words = queryWords(query, meta.stop_words || []);
      if (words.length === 0) {
        root.textContent = "";
        root.append(element("p", "search-message", "Type a word of two letters or more."));
        return;
      }
      return Promise.all(words.map(function (w) { return matches(bundle, w, cache); }))
        .then(function (perWord) {
          return showResults(root, bundle, base, meta, rank(perWord), words, query, cache);
        });
    });
  }

  window.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("search");
    if (!root || !window.fetch || !window.Map) return;
    var notice = document.getElementById("search-needs-js");
    if (notice) notice.hidden = true;
    var bundle = root.dataset.bundle || (script ? script.src.replace(/[^/]*$/, "") : "");
    var base = root.dataset.base || "";
    var form = element("form", "search-form");
    form.setAttribute("role", "search");
    var input = element("input", "search-input");
    input.type = "search";
    input.name = "q";
    input.setAttribute("aria-label", "Search the briefing");
    var button = element("button", "search-button", "Search");
    form.append(input, button);
    var results = element("div", "search-output");
    results.setAttribute("aria-live", "polite");
    root.append(form, results);
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      input.value = query;
      var box = document.getElementById("site-search");
      if (box) box.value = query;
      search(results, bundle, base, query);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url);
      search(results, bundle, base, input.value);
    });
  });
})();
