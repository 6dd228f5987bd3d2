// The counter tablet's live channel. Progressive enhancement only: without
// this script, or while the channel is not open, a button posts the form.
// With it, a rating goes over one WebSocket the tablet keeps open, and the
// visitor is thanked once the server says the rating is stored. A rating
// whose answer was lost with the connection is sent again, under the same
// key, when the channel is back; one with no answer after 8 seconds is
// posted by the form under that key if the server answers at all, and
// kept until it does if not: stored once, never lost. One the server
// refused is posted by the form too, which shows the error beside its
// field as without script.
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
    ws.onopen = function () {
      open = true;
      backoff = 1000;
      form.setAttribute("data-live", "1");
      if (waiting) { send(); } // the rating whose answer was lost with the connection
    };
    ws.onmessage = function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.ended) { location.reload(); return; }
      if (waiting && m.key === waiting.msg.key) { answered(m.ok); }
    };
    ws.onclose = function () {
      open = false;
      form.removeAttribute("data-live");
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
    waiting = { msg: message(b.value), level: b.value };
    busy(true);
    send();
    timer = setTimeout(noAnswer, 8000);
  });

  function send() {
    if (open) { ws.send(JSON.stringify(waiting.msg)); }
  }

  function answered(ok) {
    if (!ok) { post(); return; }
    clearTimeout(timer);
    waiting = null;
    busy(false);
    say("");
    form.reset();
    key.value = newKey();
    var d = form.querySelector("details");
    if (d) { d.open = false; }
    thank();
    form.querySelector("button[name=level]").focus(); // for the next visitor at the keyboard
  }

  // noAnswer: no answer came in time. If the server answers at all (the
  // channel may be what fails, behind a proxy), the form posts the rating
  // under the same key, so it is stored once; if not, the rating stays
  // here and goes as soon as the channel or the server is back.
  function noAnswer() {
    if (!waiting) { return; }
    window.fetch("/healthz", { cache: "no-store" }).then(function (r) {
      if (r.ok) { post(); } else { offline(); }
    }, offline);
  }

  function offline() {
    say("网络连接中断，您的评价尚未提交，恢复后将自动提交，请稍候……");
    timer = setTimeout(noAnswer, 5000);
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

  function say(text) {
    var st = document.getElementById("counter-status");
    st.textContent = text;
    st.hidden = text === "";
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
