// The counter tablet's live channel. Progressive enhancement only: without
// this script, or while the channel is not open, a button posts the form.
// With it, a rating goes over one WebSocket the tablet keeps open, and the
// visitor is thanked once the server says the rating is stored. A rating
// whose answer does not come (the connection broke, 8 seconds passed) is
// posted by the form under the same key, so it is stored once and never
// lost; so is one the server refused, and the page then shows the error
// beside its field as without script.
(function () {
  "use strict";
  var form = document.querySelector("form.counter-form");
  if (!form || !window.WebSocket || !window.crypto || !window.JSON) {
    return;
  }
  var key = form.querySelector("input[name=key]");
  var ws = null, open = false, waiting = null, timer = 0, backoff = 1000, thanksTimer = 0;

  function newKey() {
    var b = new Uint8Array(16), s = "";
    window.crypto.getRandomValues(b);
    for (var i = 0; i < b.length; i++) {
      s += (b[i] < 16 ? "0" : "") + b[i].toString(16);
    }
    return s;
  }

  function connect() {
    ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/counter/live");
    ws.onopen = function () { open = true; backoff = 1000; form.setAttribute("data-live", "1"); };
    ws.onmessage = function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.ended) { location.reload(); return; }
      if (waiting && m.key === waiting.key) { answered(m.ok); }
    };
    ws.onclose = function () {
      open = false;
      form.removeAttribute("data-live");
      if (waiting) { post(); }
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 30000);
    };
  }

  function busy(on) {
    form.setAttribute("aria-busy", on ? "true" : "false");
    form.querySelectorAll("button[name=level]").forEach(function (b) { b.disabled = on; });
  }

  function message(level) {
    var m = { key: key.value, level: parseInt(level, 10), indicators: {}, comment: "" };
    form.querySelectorAll("select[name^='indicators.']").forEach(function (s) {
      if (s.value) { m.indicators[s.name.slice("indicators.".length)] = parseInt(s.value, 10); }
    });
    var c = form.querySelector("[name=comment]");
    if (c) { m.comment = c.value; }
    return m;
  }

  form.addEventListener("submit", function (ev) {
    var b = ev.submitter;
    if (!open || !b || b.name !== "level") { return; }
    ev.preventDefault();
    if (waiting) { return; }
    waiting = { key: key.value, level: b.value };
    busy(true);
    ws.send(JSON.stringify(message(b.value)));
    timer = setTimeout(post, 8000);
  });

  function answered(ok) {
    if (!ok) { post(); return; }
    clearTimeout(timer);
    waiting = null;
    busy(false);
    form.reset();
    key.value = newKey();
    var d = form.querySelector("details");
    if (d) { d.open = false; }
    thank();
  }

  // post sends the waiting rating by the form, as the page without script.
  function post() {
    clearTimeout(timer);
    if (!waiting) { return; }
    var level = document.createElement("input");
    level.type = "hidden";
    level.name = "level";
    level.value = waiting.level;
    form.appendChild(level);
    waiting = null;
    form.submit();
  }

  // thank shows the thanks the page without script shows after a rating.
  function thank() {
    var t = document.getElementById("counter-thanks");
    t.hidden = false;
    t.querySelector("p").textContent = "感谢您的评价！";
    clearTimeout(thanksTimer);
    thanksTimer = setTimeout(function () { t.hidden = true; t.querySelector("p").textContent = ""; }, 6000);
  }

  connect();
})();
