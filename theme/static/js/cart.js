/* Warung Online cart: progressive enhancement over pages that work without it.
 *
 * Every page: the cart counter in the header.
 * Product page (#produk JSON): a "Tambah ke keranjang" button, and the
 *   WhatsApp link follows the chosen variant and quantity.
 * Cart page (#keranjang): lines grouped by shop with subtotals and delivery
 *   fees, one checkout form for all shops, posted as JSON (docs/ORDERS.md).
 *
 * Plain ES5 for old Android browsers; texts come from #teks-js (T.js).
 * Prices here are informational: the order function recomputes them.
 */
(function () {
  "use strict";
  var KEY = "warung-keranjang";
  var doc = document;
  var storage;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + "-t", "1");
    storage.removeItem(KEY + "-t");
  } catch (e) {
    return; // no storage (private mode, Opera Mini): the plain forms still work
  }

  function $(selector, root) { return (root || doc).querySelector(selector); }

  function readJson(id) {
    var node = doc.getElementById(id);
    try { return node ? JSON.parse(node.textContent) : null; } catch (e) { return null; }
  }

  var T = readJson("teks-js") || {};

  function fill(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  function rupiah(amount) {
    return "Rp" + String(Math.round(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  }

  function clampQty(value) {
    return Math.min(999, Math.max(1, parseInt(value, 10) || 1));
  }

  function make(tag, className, text) {
    var node = doc.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  function load() {
    try {
      var cart = JSON.parse(storage.getItem(KEY));
      if (cart && cart.lines && cart.shops) return cart;
    } catch (e) { /* a damaged cart starts empty */ }
    return { lines: [], shops: {} };
  }

  function save(cart) {
    try { storage.setItem(KEY, JSON.stringify(cart)); } catch (e) { /* full: keep going */ }
    showCount(cart);
  }

  function showCount(cart) {
    var counter = $("[data-cart-count]");
    if (!counter) return;
    var total = 0;
    cart.lines.forEach(function (line) { total += line.qty; });
    counter.textContent = total;
    counter.appendChild(make("span", "vh", " " + (counter.getAttribute("data-label") || "")));
    counter.hidden = !total;
  }

  /* The delivery fee of a shop to a kecamatan; null: the seller confirms it
     (same rule as warung.rules.delivery_fee_for). */
  function feeFor(fee, kecamatan) {
    if (!fee) return null;
    var table = fee.kecamatan || {};
    return Object.prototype.hasOwnProperty.call(table, kecamatan) ? table[kecamatan] : fee["default"];
  }

  function radioValue(form, name) {
    var checked = $("input[name=" + name + "]:checked", form);
    return checked ? checked.value : "";
  }

  /* ---- product page ---------------------------------------------------- */

  function productPage(data, form) {
    var select = form.elements.namedItem("item"); // .item is a method
    var qty = form.elements.qty;
    var wa = doc.getElementById("wa-order");

    function choice() {
      var variant = null;
      if (select && select.tagName === "SELECT") {
        var name = select.value.slice(data.id.length + 1);
        data.variants.forEach(function (v) { if (v.name === name) variant = v; });
      }
      return {
        item: variant ? data.id + ":" + variant.name : data.id,
        variant: variant ? variant.name : "",
        price: variant ? variant.price : data.price,
        qty: clampQty(qty.value)
      };
    }

    function updateWhatsApp() {
      var c = choice();
      var message = fill(data.wa, {
        shop: data.shop.title, product: data.title,
        variant: c.variant ? " (" + c.variant + ")" : "", qty: c.qty,
        total: rupiah(c.price * c.qty), site: data.site, url: data.abs
      });
      wa.href = "https://wa.me/" + data.whatsapp + "?text=" + encodeURIComponent(message);
    }

    if (wa) {
      qty.addEventListener("input", updateWhatsApp);
      if (select && select.tagName === "SELECT") select.addEventListener("change", updateWhatsApp);
    }

    var box = $("[data-cart-actions]", form);
    var add = make("button", "btn alt", T.add);
    add.type = "button";
    var status = make("p");
    status.setAttribute("role", "status");
    box.insertBefore(status, box.firstChild);
    box.insertBefore(add, status);
    add.addEventListener("click", function () {
      var c = choice();
      var cart = load();
      var line = null;
      cart.lines.forEach(function (l) { if (l.item === c.item) line = l; });
      if (line) {
        line.qty = clampQty(line.qty + c.qty);
        line.price = c.price;
      } else {
        line = { item: c.item, title: data.title, variant: c.variant, price: c.price,
                 qty: c.qty, shop: data.shop.id, url: data.url };
        cart.lines.push(line);
      }
      cart.shops[data.shop.id] = data.shop;
      cart.key = null; // a changed cart is a new order
      save(cart);
      status.textContent = fill(T.added, { qty: line.qty }) + " ";
      var link = make("a", null, T.view_cart);
      link.href = "/keranjang/";
      status.appendChild(link);
    });
  }

  /* ---- cart page ------------------------------------------------------- */

  function cartPage(root) {
    var form = $("[data-checkout]", root);
    var linesBox = $("[data-lines]", root);
    var empty = $("[data-empty]", root);
    var summary = $("[data-summary]", root);
    var submit = $("button[type=submit]", form);
    var notice = make("p", "note");
    notice.hidden = true;
    submit.parentNode.insertBefore(notice, submit);
    $("[data-nojs]", root).hidden = true;

    function change(mutate) {
      var cart = load();
      mutate(cart);
      cart.lines = cart.lines.filter(function (l) { return l.qty > 0; });
      cart.key = null;
      save(cart);
      render();
    }

    /* Only the delivery and payment options every shop in the cart accepts. */
    function limitChoices(cart, shopIds) {
      var ok = true;
      ["delivery", "payment"].forEach(function (name) {
        var inputs = form.querySelectorAll("input[name=" + name + "]");
        var first = null;
        var checkedOk = false;
        Array.prototype.forEach.call(inputs, function (input) {
          var allowed = shopIds.every(function (id) {
            var shop = cart.shops[id];
            return shop && shop[name] && shop[name].indexOf(input.value) >= 0;
          });
          input.disabled = !allowed;
          input.parentNode.hidden = !allowed;
          if (allowed && !first) first = input;
          if (allowed && input.checked) checkedOk = true;
        });
        if (!first) ok = false;
        else if (!checkedOk) first.checked = true;
      });
      notice.textContent = ok ? "" : T.no_common;
      notice.hidden = ok;
      submit.disabled = !ok;
    }

    function lineRow(line) {
      var row = make("div", "line");
      var name = make("a", null, line.title + (line.variant ? " (" + line.variant + ")" : ""));
      name.href = line.url;
      var title = make("p");
      title.appendChild(name);
      title.appendChild(doc.createTextNode(" · " + rupiah(line.price)));
      var label = make("label");
      label.appendChild(doc.createTextNode(T.qty + " "));
      var qty = make("input");
      qty.type = "number";
      qty.min = 1;
      qty.max = 999;
      qty.value = line.qty;
      qty.setAttribute("inputmode", "numeric");
      qty.addEventListener("change", function () {
        var value = clampQty(qty.value);
        change(function (cart) {
          cart.lines.forEach(function (l) { if (l.item === line.item) l.qty = value; });
        });
      });
      label.appendChild(make("span", "vh", " " + name.textContent));
      label.appendChild(qty);
      var remove = make("button", "alt", T.remove);
      remove.type = "button";
      remove.appendChild(make("span", "vh", " " + name.textContent));
      remove.addEventListener("click", function () {
        change(function (cart) {
          cart.lines = cart.lines.filter(function (l) { return l.item !== line.item; });
        });
      });
      row.appendChild(title);
      row.appendChild(label);
      row.appendChild(make("b", null, rupiah(line.price * line.qty)));
      row.appendChild(remove);
      return row;
    }

    function render() {
      var cart = load();
      var groups = {};
      var shopIds = [];
      cart.lines.forEach(function (line) {
        if (!groups[line.shop]) { groups[line.shop] = []; shopIds.push(line.shop); }
        groups[line.shop].push(line);
      });
      linesBox.textContent = "";
      empty.hidden = cart.lines.length > 0;
      form.hidden = !cart.lines.length;
      if (!cart.lines.length) return;
      limitChoices(cart, shopIds);

      var kecamatan = form.elements.kecamatan.value;
      var delivery = radioValue(form, "delivery");
      var grand = 0;
      var unsure = false;
      shopIds.forEach(function (id) {
        var shop = cart.shops[id] || { title: id, url: "/" };
        var section = make("section", "shop");
        var heading = make("h2");
        var link = make("a", null, shop.title);
        link.href = shop.url;
        heading.appendChild(link);
        section.appendChild(heading);
        var subtotal = 0;
        groups[id].forEach(function (line) {
          subtotal += line.price * line.qty;
          section.appendChild(lineRow(line));
        });
        var fee = delivery === "antar" ? feeFor(shop.delivery_fee, kecamatan) : 0;
        var feeText = delivery !== "antar" ? T.fee_free
          : !kecamatan ? T.fee_choose
          : fee == null ? T.fee_confirm : rupiah(fee);
        if (fee == null || (delivery === "antar" && !kecamatan)) unsure = true;
        section.appendChild(make("p", null, T.subtotal + ": " + rupiah(subtotal)));
        section.appendChild(make("p", null, T.fee + ": " + feeText));
        grand += subtotal + (fee || 0);
        linesBox.appendChild(section);
      });
      linesBox.appendChild(make("p", "total",
        T.total + ": " + rupiah(grand) + (unsure ? " (" + T.total_note + ")" : "")));
    }

    function clearErrors() {
      Array.prototype.forEach.call(form.querySelectorAll(".err"), function (node) {
        node.parentNode.removeChild(node);
      });
      Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (node) {
        node.removeAttribute("aria-invalid");
      });
      summary.textContent = "";
    }

    function fieldBox(node) {
      while (node && !/(^|\s)f(\s|$)/.test(node.className) && node.tagName !== "FIELDSET") {
        node = node.parentNode;
      }
      return node;
    }

    function showErrors(errors) {
      summary.appendChild(make("p", null, T.errors));
      var list = make("ul");
      Object.keys(errors).forEach(function (name) {
        var field = form.elements.namedItem(name);
        var input = field && (field.length && !field.tagName ? field[0] : field);
        var box = input && input.type !== "hidden" ? fieldBox(input) : null;
        var item = make("li");
        if (box) {
          var message = make("p", "err", errors[name]);
          message.id = "err-" + name;
          box.appendChild(message);
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", message.id);
          var jump = make("a", null, errors[name]);
          jump.href = "#" + input.id;
          item.appendChild(jump);
        } else {
          item.textContent = errors[name];
        }
        list.appendChild(item);
      });
      summary.appendChild(list);
    }

    function randomKey() {
      if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
      var key = "";
      for (var i = 0; i < 32; i++) key += Math.floor(Math.random() * 16).toString(16);
      return key;
    }

    form.addEventListener("change", function (event) {
      var name = event.target.name;
      if (name === "kecamatan" || name === "delivery") render();
    });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var cart = load();
      if (!cart.lines.length || submit.disabled) return;
      if (!cart.key) { cart.key = randomKey(); save(cart); }
      var body = { item: [], qty: [], key: cart.key,
                   delivery: radioValue(form, "delivery"), payment: radioValue(form, "payment") };
      cart.lines.forEach(function (line) { body.item.push(line.item); body.qty.push(line.qty); });
      ["name", "phone", "kecamatan", "desa", "address", "note", "email", "website", "build"]
        .forEach(function (name) { body[name] = form.elements[name].value; });
      clearErrors();
      summary.appendChild(make("p", null, T.sending));
      submit.disabled = true;

      function fail(status, data) {
        submit.disabled = false;
        summary.textContent = "";
        if (status === 400 && data && data.errors) showErrors(data.errors);
        else summary.appendChild(make("p", null, T["error_" + status] || T.error_other));
      }

      fetch(root.getAttribute("data-api"), {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().then(function (data) { return data; }, function () { return null; })
          .then(function (data) {
            if (response.status === 201 && data && data.confirmation_url) {
              save({ lines: [], shops: {} });
              window.location.href = data.confirmation_url;
            } else {
              fail(response.status, data);
            }
          });
      }, function () { fail(0, null); });
    });

    render();
  }

  /* ---- start ----------------------------------------------------------- */

  showCount(load());
  var data = readJson("produk");
  var productForm = $("form[data-product]");
  if (data && productForm) productPage(data, productForm);
  var cartRoot = doc.getElementById("keranjang");
  if (cartRoot && window.fetch && window.JSON) cartPage(cartRoot);
})();
