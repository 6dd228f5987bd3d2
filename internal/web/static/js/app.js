// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";
  // Move focus to the error summary of a failed form so screen readers and
  // keyboard users land on it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("form-error");
    if (summary) {
      // List the errors in the order their fields come on the page.
      var list = summary.querySelector("ul");
      if (list) {
        var at = function (li) {
          var a = li.querySelector("a"), el = a && document.getElementById(a.getAttribute("href").slice(1));
          return el ? Array.prototype.indexOf.call(document.querySelectorAll("[id]"), el) : 1e9;
        };
        Array.prototype.slice.call(list.children).sort(function (x, y) { return at(x) - at(y); })
          .forEach(function (li) { list.appendChild(li); });
      }
      summary.focus();
    }
    // A form whose fields depend on a choice (the complaint's 对象) shows
    // only those of the chosen value; without this script all are shown.
    document.querySelectorAll("select[data-shows]").forEach(function (sel) {
      var show = function () {
        document.querySelectorAll("[data-when]").forEach(function (el) {
          el.hidden = el.getAttribute("data-when").split(" ").indexOf(sel.value) < 0;
        });
      };
      sel.addEventListener("change", show);
      show();
    });
    // On the registration form, show only the fields of the chosen kind.
    var kinds = document.querySelectorAll("input[name=kind]");
    function sync() {
      var v = (document.querySelector("input[name=kind]:checked") || {}).value;
      document.querySelectorAll(".when-person").forEach(function (el) { el.hidden = v === "legal"; });
      document.querySelectorAll(".when-legal").forEach(function (el) { el.hidden = v === "person"; });
    }
    kinds.forEach(function (k) { k.addEventListener("change", sync); });
    if (kinds.length) { sync(); }
    // Ask before destructive actions.
    document.querySelectorAll("form[data-confirm]").forEach(function (f) {
      f.addEventListener("submit", function (e) { if (!window.confirm(f.getAttribute("data-confirm"))) { e.preventDefault(); } });
    });
    // Copy buttons (a guide page's address) appear where the browser can copy.
    document.querySelectorAll("[data-copy]").forEach(function (b) {
      if (!navigator.clipboard) { return; }
      b.hidden = false;
      b.addEventListener("click", function () {
        navigator.clipboard.writeText(b.getAttribute("data-copy")).then(function () { b.textContent = "已复制"; });
      });
    });
    // Live figures (the supervision workbench): poll the JSON the page
    // names and update the numbers in place; without this script the
    // page is simply reloaded.
    var live = document.querySelector("[data-live]");
    if (live && window.fetch) {
      window.setInterval(function () {
        fetch(live.getAttribute("data-live"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (d) {
            if (!d || !d.figures) { return; }
            d.figures.at = d.at_label;
            Object.keys(d.figures).forEach(function (k) {
              var el = document.querySelector('[data-figure="' + k + '"]');
              if (el && el.textContent !== String(d.figures[k])) { el.textContent = d.figures[k]; }
            });
          })
          .catch(function () {});
      }, 15000);
    }
    // Print buttons are hidden until this script can make them work.
    document.querySelectorAll("[data-print]").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () { window.print(); });
    });
  });
})();
