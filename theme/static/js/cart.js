/* Warung Online cart: progressive enhancement over pages that work without it.
 *
 * Every page: the cart counter in the header.
 * Product page (#produk JSON): "Pesan sekarang" leads to the buyer's details
 *   (or, once the product is in the cart, to the cart), a "Tambah ke
 *   keranjang" button, and the WhatsApp link follows the chosen variant and
 *   quantity.
 * Cart page (#keranjang): lines grouped by shop with subtotals and delivery
 *   fees, one checkout form for all shops, posted as JSON (docs/ORDERS.md).
 *   Shops that share no delivery or payment method are named at once, with
 *   "order from this shop first": the other lines wait (cart.parked) and
 *   come back after the order.
 *
 * Plain ES5 for old Android browsers; helpers and texts (T.js) come from
 * warung.js. Prices here are informational: the order function recomputes them.
 */
(function () {
  "use strict";
  var W = window.warung;
  if (!W) return;
  var KEY = "warung-keranjang";
  var doc = document;
  var T = W.texts;
  var fill = W.fill;
  var rupiah = W.rupiah;
  var make = W.make;

  /* ---- the cart as data (pure; window.warung.cart for tests) ----------- */

  function clampQty(value) {
    return Math.min(999, Math.max(1, parseInt(value, 10) || 1));
  }

  /* The delivery fee of a shop to a kecamatan; null: the seller confirms it
     (same rule as warung.rules.delivery_fee_for). */
  function feeFor(fee, kecamatan) {
    if (!fee) return null;
    var table = fee.kecamatan || {};
    return Object.prototype.hasOwnProperty.call(table, kecamatan) ? table[kecamatan] : fee["default"];
  }

  function emptyCart() { return { lines: [], shops: {}, parked: [] }; }

  /* The shop ids of the lines, in order of first appearance. */
  function shopsOf(lines) {
    var ids = [];
    lines.forEach(function (line) { if (ids.indexOf(line.shop) < 0) ids.push(line.shop); });
    return ids;
  }

  /* The options (of "delivery" or "payment") every one of the shops accepts. */
  function common(cart, shopIds, name) {
    var first = (cart.shops[shopIds[0]] || {})[name] || [];
    return first.filter(function (option) {
      return shopIds.every(function (id) {
        var shop = cart.shops[id];
        return shop && shop[name] && shop[name].indexOf(option) >= 0;
      });
    });
  }

  /* The methods the cart's shops cannot agree on: [], ["payment"], ... */
  function clashes(cart) {
    var ids = shopsOf(cart.lines);
    return ids.length ? ["delivery", "payment"].filter(function (name) {
      return !common(cart, ids, name).length;
    }) : [];
  }

  /* Only ``shopId``'s lines stay to be ordered; the others wait in ``parked``. */
  function keepShop(cart, shopId) {
    var keep = cart.lines.filter(function (l) { return l.shop === shopId; });
    var wait = cart.lines.filter(function (l) { return l.shop !== shopId; });
    return { lines: keep, shops: cart.shops, parked: wait.concat(cart.parked), key: null };
  }

  /* Waiting lines back into the cart: after an order, or when asked. */
  function unpark(cart) {
    return { lines: cart.lines.concat(cart.parked), shops: cart.shops, parked: [], key: null };
  }

  /* How many of product ``id`` (any variant) the cart holds. */
  function inCart(cart, id) {
    var total = 0;
    cart.lines.concat(cart.parked).forEach(function (line) {
      if (line.item === id || line.item.indexOf(id + ":") === 0) total += line.qty;
    });
    return total;
  }

  /* The cart with ``line`` added (the same item again: quantities add up). */
  function addLine(cart, line, shop) {
    var found = null;
    cart.lines.forEach(function (l) { if (l.item === line.item) found = l; });
    if (found) {
      found.qty = clampQty(found.qty + line.qty);
      found.price = line.price;
    } else {
      cart.lines.push(line);
    }
    cart.shops[shop.id] = shop;
    cart.key = null; // a changed cart is a new order
    return cart;
  }

  W.cart = { clampQty: clampQty, feeFor: feeFor, shopsOf: shopsOf, common: common,
             clashes: clashes, keepShop: keepShop, unpark: unpark, inCart: inCart,
             addLine: addLine };

  /* ---- storage and the counter ------------------------------------------ */

  var storage;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + "-t", "1");
    storage.removeItem(KEY + "-t");
  } catch (e) {
    return; // no storage (private mode, Opera Mini): the plain forms still work
  }

  function $(selector, root) { return (root || doc).querySelector(selector); }

  function load() {
    try {
      var cart = JSON.parse(storage.getItem(KEY));
      if (cart && cart.lines && cart.shops) {
        cart.parked = cart.parked || [];
        return cart.lines.length ? cart : unpark(cart);
      }
    } catch (e) { /* a damaged cart starts empty */ }
    return emptyCart();
  }

  function save(cart) {
    try { storage.setItem(KEY, JSON.stringify(cart)); } catch (e) { /* full: keep going */ }
    showCount(cart);
  }

  function showCount(cart) {
    var counter = $("[data-cart-count]");
    if (!counter) return;
    var total = 0;
    cart.lines.concat(cart.parked).forEach(function (line) { total += line.qty; });
    counter.textContent = total;
    counter.appendChild(make("span", "vh", " " + (counter.getAttribute("data-label") || "")));
    counter.hidden = !total;
  }

  function radioValue(form, name) {
    var checked = $("input[name=" + name + "]:checked", form);
    return checked ? checked.value : "";
  }

  /* ---- product page ---------------------------------------------------- */

  function choiceOf(data, form) {
    var select = form.elements.namedItem("item"); // .item is a method
    var variant = null;
    if (select && select.tagName === "SELECT") {
      var name = select.value.slice(data.id.length + 1);
      data.variants.forEach(function (v) { if (v.name === name) variant = v; });
    }
    return {
      item: variant ? data.id + ":" + variant.name : data.id,
      variant: variant ? variant.name : "",
      price: variant ? variant.price : data.price,
      qty: clampQty(form.elements.qty.value)
    };
  }

  function followWhatsApp(data, form) {
    var wa = doc.getElementById("wa-order");
    if (!wa) return;
    function update() {
      var c = choiceOf(data, form);
      var message = fill(data.wa, {
        shop: data.shop.title, product: data.title,
        variant: c.variant ? " (" + c.variant + ")" : "", qty: c.qty,
        total: rupiah(c.price * c.qty), site: data.site, url: data.abs
      });
      wa.href = "https://wa.me/" + data.whatsapp + "?text=" + encodeURIComponent(message);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
  }

  function productPage(data, form) {
    var primary = $("[data-primary]", form);
    var buyer = $("[data-buyer]", form);
    var box = $("[data-cart-actions]", form);
    var own = { text: primary.textContent, href: primary.getAttribute("href") };
    var add = make("button", "btn alt", T.add);
    add.type = "button";
    var status = make("p");
    status.setAttribute("role", "status");
    box.insertBefore(add, box.firstChild);
    box.appendChild(status);

    /* In the cart already: the order goes through the cart, not this form. */
    function sync() {
      var qty = inCart(load(), data.id);
      primary.textContent = qty ? T.order_in_cart : own.text;
      primary.setAttribute("href", qty ? "/keranjang/" : own.href);
      buyer.hidden = qty > 0;
      status.textContent = qty ? fill(T.added, { qty: qty }) : "";
    }

    primary.addEventListener("click", function (event) {
      if (primary.getAttribute("href") !== own.href) return;
      event.preventDefault();
      form.elements.namedItem("name").focus();
    });
    add.addEventListener("click", function () {
      var c = choiceOf(data, form);
      save(addLine(load(), { item: c.item, title: data.title, variant: c.variant, price: c.price,
                             qty: c.qty, shop: data.shop.id, url: data.url }, data.shop));
      sync();
    });
    followWhatsApp(data, form);
    sync();
  }

  /* ---- cart page ------------------------------------------------------- */

  function change(ui, mutate) {
    var cart = mutate(load());
    cart.lines = cart.lines.filter(function (l) { return l.qty > 0; });
    cart.key = null;
    save(cart);
    render(ui);
  }

  function button(text, onClick) {
    var node = make("button", "alt", text);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  function lineName(line) {
    return line.title + (line.variant ? " (" + line.variant + ")" : "");
  }

  /* Only the delivery and payment options every shop in the cart accepts. */
  function limitChoices(form, cart, shopIds) {
    ["delivery", "payment"].forEach(function (name) {
      var allowed = common(cart, shopIds, name);
      var first = null;
      var checkedOk = false;
      Array.prototype.forEach.call(form.querySelectorAll("input[name=" + name + "]"), function (input) {
        var ok = allowed.indexOf(input.value) >= 0;
        input.disabled = !ok;
        input.parentNode.hidden = !ok;
        if (ok && !first) first = input;
        if (ok && input.checked) checkedOk = true;
      });
      if (first && !checkedOk) first.checked = true;
    });
  }

  /* The labels of a shop's options, as the checkout form words them. */
  function optionLabels(form, name, values) {
    return values.map(function (value) {
      var input = $("input[name=" + name + "][value=" + value + "]", form);
      return input ? input.parentNode.textContent.replace(/^\s+|\s+$/g, "") : value;
    }).join(", ");
  }

  /* Shops without a common method: named at once, with one-tap ways out. */
  function showClash(ui, cart, names) {
    var box = ui.clash;
    var ids = shopsOf(cart.lines);
    box.textContent = "";
    box.hidden = !names.length;
    names.forEach(function (name) {
      box.appendChild(make("p", null, fill(T.clash, { what: T["clash_" + name] })));
      var list = make("ul");
      ids.forEach(function (id) {
        var shop = cart.shops[id] || { title: id };
        list.appendChild(make("li", null, shop.title + ": " + optionLabels(ui.form, name, shop[name] || [])));
      });
      box.appendChild(list);
    });
    if (!names.length) return;
    box.appendChild(make("p", null, T.clash_way_out));
    ids.forEach(function (id) {
      var title = (cart.shops[id] || { title: id }).title;
      box.appendChild(button(fill(T.split, { shop: title }), function () {
        change(ui, function (c) { return keepShop(c, id); });
      }));
    });
  }

  function showParked(ui, cart) {
    var box = ui.parked;
    box.textContent = "";
    box.hidden = !cart.parked.length;
    if (!cart.parked.length) return;
    box.appendChild(make("p", null, T.parked));
    var list = make("ul");
    cart.parked.forEach(function (line) {
      list.appendChild(make("li", null, lineName(line) + " · " + (cart.shops[line.shop] || {}).title));
    });
    box.appendChild(list);
    box.appendChild(button(T.unpark, function () { change(ui, unpark); }));
  }

  function lineRow(ui, line) {
    var row = make("div", "line");
    var name = make("a", null, lineName(line));
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
      change(ui, function (cart) {
        cart.lines.forEach(function (l) { if (l.item === line.item) l.qty = value; });
        return cart;
      });
    });
    label.appendChild(make("span", "vh", " " + name.textContent));
    label.appendChild(qty);
    var remove = button(T.remove, function () {
      change(ui, function (cart) {
        cart.lines = cart.lines.filter(function (l) { return l.item !== line.item; });
        return cart;
      });
    });
    remove.appendChild(make("span", "vh", " " + name.textContent));
    row.appendChild(title);
    row.appendChild(label);
    row.appendChild(make("b", null, rupiah(line.price * line.qty)));
    row.appendChild(remove);
    return row;
  }

  /* One section per shop (lines, subtotal, delivery fee), then the total. */
  function showLines(ui, cart) {
    var kecamatan = ui.form.elements.kecamatan.value;
    var delivery = radioValue(ui.form, "delivery");
    var grand = 0;
    var unsure = false;
    shopsOf(cart.lines).forEach(function (id) {
      var shop = cart.shops[id] || { title: id, url: "/" };
      var section = make("section", "shop");
      var heading = make("h2");
      var link = make("a", null, shop.title);
      link.href = shop.url;
      heading.appendChild(link);
      section.appendChild(heading);
      var subtotal = 0;
      cart.lines.forEach(function (line) {
        if (line.shop !== id) return;
        subtotal += line.price * line.qty;
        section.appendChild(lineRow(ui, line));
      });
      var fee = delivery === "antar" ? feeFor(shop.delivery_fee, kecamatan) : 0;
      var feeText = delivery !== "antar" ? T.fee_free
        : !kecamatan ? T.fee_choose
        : fee == null ? T.fee_confirm : rupiah(fee);
      if (fee == null || (delivery === "antar" && !kecamatan)) unsure = true;
      section.appendChild(make("p", null, T.subtotal + ": " + rupiah(subtotal)));
      section.appendChild(make("p", null, T.fee + ": " + feeText));
      grand += subtotal + (fee || 0);
      ui.lines.appendChild(section);
    });
    ui.lines.appendChild(make("p", "total",
      T.total + ": " + rupiah(grand) + (unsure ? " (" + T.total_note + ")" : "")));
  }

  function render(ui) {
    var cart = load();
    var clash = clashes(cart);
    ui.lines.textContent = "";
    ui.empty.hidden = cart.lines.length > 0;
    showClash(ui, cart, clash);
    showParked(ui, cart);
    // Nothing to fill in while it cannot be sent.
    ui.form.hidden = !cart.lines.length || clash.length > 0;
    if (!cart.lines.length) return;
    if (!clash.length) limitChoices(ui.form, cart, shopsOf(cart.lines));
    showLines(ui, cart);
  }

  /* ---- checkout ---------------------------------------------------------- */

  function clearErrors(ui) {
    Array.prototype.forEach.call(ui.form.querySelectorAll(".err"), function (node) {
      node.parentNode.removeChild(node);
    });
    Array.prototype.forEach.call(ui.form.querySelectorAll("[aria-invalid]"), function (node) {
      node.removeAttribute("aria-invalid");
      node.setAttribute("aria-describedby", (node.getAttribute("aria-describedby") || "")
        .replace(/\s*err-\S+/g, ""));
    });
    ui.summary.textContent = "";
  }

  function fieldBox(node) {
    while (node && !/(^|\s)f(\s|$)/.test(node.className) && node.tagName !== "FIELDSET") {
      node = node.parentNode;
    }
    return node;
  }

  /* Each message next to its field; a short summary with links to them takes focus. */
  function showErrors(ui, errors) {
    ui.summary.appendChild(make("p", null, T.errors));
    var list = make("ul");
    Object.keys(errors).forEach(function (name) {
      var field = ui.form.elements.namedItem(name);
      var input = field && (field.length && !field.tagName ? field[0] : field);
      var box = input && input.type !== "hidden" ? fieldBox(input) : null;
      var item = make("li");
      if (box) {
        var message = make("p", "err", errors[name]);
        message.id = "err-" + name;
        box.appendChild(message);
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby",
          ((input.getAttribute("aria-describedby") || "") + " " + message.id).replace(/^\s+/, ""));
        var jump = make("a", null, errors[name]);
        jump.href = "#" + input.id;
        item.appendChild(jump);
      } else {
        item.textContent = errors[name];
      }
      list.appendChild(item);
    });
    ui.summary.appendChild(list);
  }

  function randomKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var key = "";
    for (var i = 0; i < 32; i++) key += Math.floor(Math.random() * 16).toString(16);
    return key;
  }

  function orderBody(form, cart) {
    var body = { item: [], qty: [], key: cart.key,
                 delivery: radioValue(form, "delivery"), payment: radioValue(form, "payment") };
    cart.lines.forEach(function (line) { body.item.push(line.item); body.qty.push(line.qty); });
    ["name", "phone", "kecamatan", "desa", "address", "note", "email", "website", "build"]
      .forEach(function (name) { body[name] = form.elements[name].value; });
    return body;
  }

  function checkout(ui) {
    var cart = load();
    if (!cart.lines.length || ui.submit.disabled) return;
    if (!cart.key) { cart.key = randomKey(); save(cart); }
    var body = orderBody(ui.form, cart);
    clearErrors(ui);
    ui.summary.appendChild(make("p", null, T.sending));
    ui.submit.disabled = true;

    function fail(status, data) {
      ui.submit.disabled = false;
      ui.summary.textContent = "";
      if (status === 400 && data && data.errors) showErrors(ui, data.errors);
      else ui.summary.appendChild(make("p", null, T["error_" + status] || T.error_other));
      ui.summary.focus();
    }

    fetch(ui.root.getAttribute("data-api"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(function (data) { return data; }, function () { return null; })
        .then(function (data) {
          if (response.status === 201 && data && data.confirmation_url) {
            save(unpark({ lines: [], shops: cart.shops, parked: load().parked }));
            window.location.href = data.confirmation_url;
          } else {
            fail(response.status, data);
          }
        });
    }, function () { fail(0, null); });
  }

  function cartPage(root) {
    var ui = {
      root: root, form: $("[data-checkout]", root), lines: $("[data-lines]", root),
      empty: $("[data-empty]", root), summary: $("[data-summary]", root),
      clash: $("[data-clash]", root), parked: $("[data-parked]", root)
    };
    ui.submit = $("button[type=submit]", ui.form);
    $("[data-nojs]", root).hidden = true;
    ui.form.addEventListener("change", function (event) {
      var name = event.target.name;
      if (name === "kecamatan" || name === "delivery") render(ui);
    });
    ui.form.addEventListener("submit", function (event) {
      event.preventDefault();
      checkout(ui);
    });
    render(ui);
  }

  /* ---- start ----------------------------------------------------------- */

  showCount(load());
  var data = W.readJson("produk");
  var productForm = $("form[data-product]");
  if (data && productForm) productPage(data, productForm);
  var cartRoot = doc.getElementById("keranjang");
  if (cartRoot && window.fetch && window.JSON) cartPage(cartRoot);
})();
