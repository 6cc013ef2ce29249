// beian: the homepage checker's pages. Copy buttons copy a snippet; a running sweep's page follows the sweep by
// long polling its API and updates the progress and each site's result without a reload. Without this script
// the snippets are selected by hand and a reload shows the progress.
(function () {
  "use strict";

  function copyButtons() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (b) {
      var el = document.getElementById(b.getAttribute("data-copy"));
      if (!el) return;
      var label = b.textContent;
      b.hidden = false;
      function done() {
        b.textContent = b.getAttribute("data-copied");
        setTimeout(function () { b.textContent = label; }, 2000);
      }
      function bySelection() {
        var range = document.createRange();
        range.selectNodeContents(el);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        try { if (document.execCommand("copy")) done(); } catch (e) { /* the text stays selected */ }
      }
      b.addEventListener("click", function () {
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(el.textContent).then(done, bySelection);
        } else {
          bySelection();
        }
      });
    });
  }

  function followSweep() {
    var box = document.getElementById("sweep");
    if (!box || box.getAttribute("data-finished") === "true") return;
    var url = "/api/v1/console/compliance/sweeps/" + box.getAttribute("data-id");
    var version = box.getAttribute("data-version");
    var text = document.getElementById("progress-text"), bar = document.getElementById("progress-bar");

    function apply(v) {
      text.textContent = box.getAttribute("data-progress").replace("{done}", v.done)
        .replace("{total}", v.total).replace("{failed}", v.failed);
      bar.value = v.done;
      (v.sites || []).forEach(function (s) {
        var row = document.getElementById("site-" + s.seq);
        if (!row || row.getAttribute("data-state") === s.state) return;
        row.setAttribute("data-state", s.state);
        var badge = row.querySelector(".site-state");
        badge.textContent = box.getAttribute("data-state-" + s.state);
        badge.className = "badge site-state " + (s.state === "pass" ? "badge-ok" : s.state === "fail" ? "badge-fail" : "badge-off");
        row.querySelector(".site-errors").textContent = s.errors;
      });
      if (v.finished_at) {
        document.getElementById("sweep-running").hidden = true;
        document.getElementById("sweep-finished").hidden = false;
        box.setAttribute("data-finished", "true");
      }
    }

    function poll() {
      fetch(url + "?version=" + version + "&wait=25s", { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (v) {
          if (v) { version = v.version; apply(v); }
          // A second between answers: a busy sweep's results arrive together, not one request each.
          if (!v || !v.finished_at) setTimeout(poll, v ? 1000 : 2000);
        })
        .catch(function () { setTimeout(poll, 2000); });
    }
    poll();
  }

  copyButtons();
  followSweep();
})();
