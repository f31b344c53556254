/* "Pesanan saya": the buyer's confirmation links, remembered on this phone.
 *
 * Confirmation page (/api/order/<code>?t=...): remember its URL.
 * /pesanan/ ([data-pesanan]): list the remembered orders, each with its
 *   shops' latest status (the confirmation JSON); words from #status-words.
 * Plain ES5; without JavaScript /pesanan/ still has the lookup form.
 */
(function () {
  "use strict";
  var KEY = "warung-pesanan", MAX = 20, doc = document, store;
  try { store = window.localStorage; } catch (e) { return; }
  function load() {
    try { return JSON.parse(store.getItem(KEY)) || []; } catch (e) { return []; }
  }
  var here = /^\/api\/order\/(WO-[0-9A-Z]{6})$/.exec(location.pathname);
  if (here && /[?&]t=/.test(location.search)) {
    var list = load().filter(function (o) { return o.code !== here[1]; });
    list.unshift({ code: here[1], url: location.pathname + location.search, at: Date.now() });
    try { store.setItem(KEY, JSON.stringify(list.slice(0, MAX))); } catch (e) { /* full */ }
    return;
  }
  var box = doc.querySelector("[data-pesanan]"), words = doc.getElementById("status-words");
  if (!box || !words) { return; }
  words = JSON.parse(words.textContent);
  var saved = load(), ul = box.querySelector("ul");
  box.querySelector("[data-kosong]").hidden = saved.length > 0;
  box.hidden = false;
  saved.forEach(function (o) {
    var li = doc.createElement("li"), a = doc.createElement("a"), p = doc.createElement("p");
    a.href = o.url;
    a.textContent = o.code;
    li.appendChild(a);
    li.appendChild(p);
    ul.appendChild(li);
    var xhr = new XMLHttpRequest();
    xhr.open("GET", o.url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.onload = function () {
      if (xhr.status !== 200) { return; }
      var data = JSON.parse(xhr.responseText);
      p.textContent = data.orders.map(function (s) {
        return s.shop_title + ": " + (words[s.status] || s.status);
      }).join(" · ");
    };
    xhr.send();
  });
}());
