// beian: the PC page of real-person verification follows the phone by itself. It polls the order's
// verification status while a QR code is shown, counts down the code's ten minutes, and shows the result as
// soon as the phone confirms the photo, without reloading. Without the script the page still works: reload it.
(function () {
  "use strict";
  var panel = document.getElementById("qr-panel");
  if (!panel || !window.fetch) return;
  var labels = {};
  Array.prototype.forEach.call(document.querySelectorAll("#verify-labels li"), function (li) {
    labels[li.getAttribute("data-state")] = li.textContent;
  });
  var url = panel.getAttribute("data-poll");
  var person = panel.getAttribute("data-person");
  var linkID = Number(panel.getAttribute("data-link"));
  var prev = Number(panel.getAttribute("data-prev") || 0);
  var expires = Date.parse(panel.getAttribute("data-expires"));
  var status = document.getElementById("qr-status");
  var left = document.getElementById("qr-left");
  var finished = false, opened = false, timer = null;

  function say(state) {
    var text = labels[state] || state;
    if (status.textContent !== text) status.textContent = text;
    status.setAttribute("data-state", state);
  }

  function tick() {
    if (finished) return;
    var ms = Math.max(0, expires - Date.now());
    var m = Math.floor(ms / 60000), s = Math.floor(ms / 1000) % 60;
    left.textContent = m + ":" + (s < 10 ? "0" : "") + s;
    if (ms === 0 && !opened) {
      say("expired");
      document.getElementById("qr-code").classList.add("verify-expired");
    }
  }

  function updateRow(p) {
    var row = document.getElementById("person-" + p.key);
    if (!row) return;
    var st = row.querySelector(".verify-state");
    if (st && labels[p.state] && st.textContent !== labels[p.state]) {
      st.textContent = labels[p.state];
      st.setAttribute("data-state", p.state);
    }
  }

  function apply(ev) {
    (ev.persons || []).forEach(updateRow);
    var p = (ev.persons || []).filter(function (x) { return x.key === person; })[0];
    if (!p) return;
    var v = p.verification;
    var fresh = v && v.id !== prev;
    if (fresh && v.state === "confirmed") {
      finished = true;
      say("confirmed");
      panel.querySelector(".verify-qr-body").hidden = true;
      document.getElementById("qr-done").hidden = false;
      panel.classList.add("verify-ok");
      return;
    }
    if (!p.link || p.link.id !== linkID) { say("replaced"); finished = true; return; }
    if (fresh && v.state === "captured") { opened = true; say("new_capture"); return; }
    if (p.link.state === "opened") { opened = true; say("link_opened"); return; }
    if (p.link.state === "expired") { say("expired"); return; }
    say("link_pending");
  }

  function poll() {
    if (finished) return;
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (ev) { if (ev) apply(ev); })
      .catch(function () { /* offline for a moment: try again */ })
      .then(function () { if (!finished) timer = setTimeout(poll, 1500); });
  }

  tick();
  setInterval(tick, 1000);
  poll();
})();
