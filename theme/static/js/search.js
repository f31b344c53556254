/* Warung Online instant search on /cari/. Without JavaScript the form asks
 * the search function (/api/search?q=...). With it, the compact index
 * (/cari/indeks.json: [id, title, url, price, shop, category, thumbnail]) is
 * fetched once, only when the buyer focuses or types, and filtered here:
 * every word must appear in the title, shop or category, ignoring case and
 * diacritics. Plain ES5; texts (T.js) and helpers come from warung.js.
 */
(function () {
  "use strict";
  var W = window.warung; // warung.js: the shared helpers
  var doc = document;
  var form = doc.getElementById("cari");
  if (!W || !form || !window.fetch || !window.JSON) return;
  var input = form.elements.q;
  var status = doc.getElementById("cari-status");
  var list = doc.getElementById("hasil");
  var T = W.texts;
  var fill = W.fill;
  var rupiah = W.rupiah;
  var MAX_RESULTS = 50;
  var index = null;
  var loading = null;
  var timer = null;
  var failed = false; // the index could not be loaded: submit to the server

  function fold(text) {
    text = String(text).toLowerCase();
    return text.normalize ? text.normalize("NFD").replace(/[\u0300-\u036f]/g, "") : text;
  }

  function load() {
    if (!loading) {
      loading = fetch(form.getAttribute("data-index"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (rows) {
          index = rows.map(function (row) {
            return { row: row, text: fold(row[1] + " " + row[4] + " " + row[5]) };
          });
        }, function () {
          loading = null; // try again next time; the form still works
          failed = true;
          status.textContent = T.search_failed;
        });
    }
    return loading;
  }

  function render(hits) {
    list.textContent = "";
    hits.slice(0, MAX_RESULTS).forEach(function (hit) {
      var row = hit.row;
      var item = doc.createElement("li");
      var link = doc.createElement("a");
      link.href = row[2];
      link.textContent = row[1];
      var info = doc.createElement("span");
      info.className = "s";
      info.textContent = rupiah(row[3]) + " · " + row[4];
      item.appendChild(link);
      item.appendChild(info);
      list.appendChild(item);
    });
  }

  function run() {
    var query = input.value.replace(/^\s+|\s+$/g, "");
    if (!query) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    if (!index) {
      status.textContent = T.search_loading;
      load().then(function () { if (index) run(); });
      return;
    }
    var words = fold(query).split(/\s+/);
    var hits = index.filter(function (entry) {
      return words.every(function (word) { return entry.text.indexOf(word) >= 0; });
    });
    render(hits);
    status.textContent = hits.length
      ? fill(T.search_count, { n: hits.length })
      : fill(T.search_none, { q: query });
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 250);
  });
  form.addEventListener("submit", function (event) {
    if (failed && !index) return; // let /api/search answer
    event.preventDefault();
    clearTimeout(timer);
    run();
    if (window.history && history.replaceState) {
      history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    }
  });

  var match = /[?&]q=([^&]*)/.exec(window.location.search);
  if (match) {
    try { input.value = decodeURIComponent(match[1].replace(/\+/g, " ")); } catch (e) { /* ignore */ }
    run();
  }
})();
