/* Warung Online: the helpers every script of the site shares, loaded
 * (deferred) before cart.js and search.js as window.warung. Pure functions
 * and small DOM helpers; plain ES5 for old Android browsers.
 */
(function (window) {
  "use strict";
  var doc = window.document;

  /* "Jumlah: {qty}" + {qty: 2} -> "Jumlah: 2"; unknown names stay as written. */
  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  /* 1250000 -> "Rp1.250.000" (same as warung.rupiah.format_rupiah). */
  function rupiah(amount) {
    return "Rp" + String(Math.round(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  /* The JSON in <script type="application/json" id="...">, null when absent or broken. */
  function readJson(id) {
    var node = doc.getElementById(id);
    try { return node ? JSON.parse(node.textContent) : null; } catch (e) { return null; }
  }

  function make(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  window.warung = {
    fill: fill, rupiah: rupiah, readJson: readJson, make: make,
    texts: readJson("teks-js") || {}  // the page's texts (T.js); deferred: the page is parsed
  };
})(window);
