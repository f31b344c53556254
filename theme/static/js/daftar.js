/* The seller form (/daftar/, /ubah/): photos straight to S3. Each picked
   photo is shrunk on the phone (long side <= 1600 px, JPEG), then posted to
   a presigned S3 POST from /api/daftar/foto with a progress bar; its key
   becomes a hidden field of the form. Without this script the form still
   works: photos are uploaded on a second page. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-daftar]");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  form.classList.add("js");
  Array.prototype.forEach.call(form.querySelectorAll(".nojs"), function (el) { el.hidden = true; });
  var LONG = 1600;

  function shrink(file) {
    return new Promise(function (done) {
      var url = URL.createObjectURL(file), img = new Image();
      img.onload = function () {
        var scale = Math.min(1, LONG / Math.max(img.naturalWidth, img.naturalHeight));
        var c = document.createElement("canvas");
        c.width = Math.round(img.naturalWidth * scale);
        c.height = Math.round(img.naturalHeight * scale);
        c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
        URL.revokeObjectURL(url);
        c.toBlob(function (blob) { done(blob || file); }, "image/jpeg", 0.85);
      };
      img.onerror = function () { URL.revokeObjectURL(url); done(file); };
      img.src = url;
    });
  }

  function presign(type) {
    return fetch("/api/daftar/foto", {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify({type: type})
    }).then(function (r) {
      return r.json().then(function (d) { if (!r.ok) throw new Error(d.errors._); return d; });
    });
  }

  function send(post, blob, bar) {
    return new Promise(function (done, fail) {
      var data = new FormData(), xhr = new XMLHttpRequest();
      Object.keys(post.fields).forEach(function (k) { data.append(k, post.fields[k]); });
      data.append("file", blob, "foto.jpg");
      xhr.upload.onprogress = function (e) { if (e.lengthComputable) bar.value = e.loaded / e.total; };
      xhr.onload = function () { xhr.status < 300 ? done(post.key) : fail(new Error(xhr.status)); };
      xhr.onerror = function () { fail(new Error("network")); };
      xhr.open("POST", post.url);
      xhr.send(data);
    });
  }

  function upload(input, file) {
    var slot = input.getAttribute("data-photo"), list = input.parentNode.querySelector(".fotos");
    var li = document.createElement("li"), bar = document.createElement("progress");
    bar.max = 1; bar.value = 0; li.textContent = file.name + " ";
    li.appendChild(bar);
    (list || input.parentNode).appendChild(li);
    return shrink(file).then(function (blob) {
      return presign(blob.type || "image/jpeg").then(function (post) { return send(post, blob, bar); });
    }).then(function (key) {
      var hidden = document.createElement("input");
      hidden.type = "hidden"; hidden.value = key;
      hidden.name = slot === "logo" ? "logo" : "product-" + slot + "-photo";
      li.appendChild(hidden);
      bar.value = 1;
    }, function (err) {
      li.className = "err"; li.textContent = file.name + ": " + err.message;
    });
  }

  var busy = 0;
  Array.prototype.forEach.call(form.querySelectorAll("input[data-photo]"), function (input) {
    input.hidden = false;
    input.addEventListener("change", function () {
      var max = +input.getAttribute("data-max");
      var have = input.parentNode.querySelectorAll("input[type=hidden]").length;
      Array.prototype.slice.call(input.files, 0, Math.max(0, max - have)).forEach(function (f) {
        busy++;
        upload(input, f).then(function () { busy--; });
      });
      input.value = "";
    });
  });
  form.addEventListener("submit", function (e) { if (busy) e.preventDefault(); });
  var js = document.createElement("input");
  js.type = "hidden"; js.name = "js"; js.value = "1";
  form.appendChild(js);
})();
