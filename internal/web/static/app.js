// beian: small progressive enhancements. Every page works without this script; it only hides what does not
// apply, filters choices, saves drafts as the applicant types, and helps reviewers write notes.
(function () {
  "use strict";

  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // The value a control group contributes: the checked radio, a checked checkbox ("" when unchecked), or the value.
  function valueOf(form, name) {
    var els = $all('[name="' + name.replace(/"/g, '\\"') + '"]', form);
    if (!els.length) return null;
    var el = els[0];
    if (el.type === "radio") {
      var c = els.filter(function (e) { return e.checked; })[0];
      return c ? c.value : "";
    }
    if (el.type === "checkbox") return el.checked ? el.value : "";
    return el.value;
  }

  // data-show-when="name=v1,v2": show the field only while the named control has one of those values.
  function applyShowWhen(form) {
    $all("[data-show-when]", form).forEach(function (box) {
      var rule = box.getAttribute("data-show-when");
      var i = rule.indexOf("=");
      var name = rule.slice(0, i), want = rule.slice(i + 1).split(",");
      var v = valueOf(form, name);
      if (v === null) return;
      box.hidden = want.indexOf(v) < 0;
    });
  }

  // Offer only the credential types the chosen nature may use (the server checks again).
  function filterCredentials(form) {
    var nature = form.querySelector(".js-nature");
    var cred = form.querySelector(".js-credential-type");
    if (!nature || !cred) return;
    var n = nature.value;
    Array.prototype.forEach.call(cred.options, function (o) {
      var natures = o.getAttribute("data-natures");
      if (!natures) return;
      var ok = !n || natures.split(" ").indexOf(n) >= 0;
      o.hidden = !ok;
      o.disabled = !ok;
    });
    if (cred.selectedOptions.length && cred.selectedOptions[0].disabled) cred.value = "";
    var allowed = Array.prototype.filter.call(cred.options, function (o) { return o.value && !o.disabled; });
    if (!cred.value && allowed.length === 1) cred.value = allowed[0].value;
  }

  // Save drafts while the applicant works (the buttons still save for those without the script). The form's
  // action is read as an attribute: its buttons are named "action", which shadows the form.action property.
  // Leaving with changes not yet saved saves them first (links on the page) or asks (closing, typing an address).
  function autosave(form) {
    var status = form.querySelector(".autosave");
    var url = form.getAttribute("action") || location.pathname;
    var timer = null, pending = null, again = false, dirty = false, submitting = false;
    function show(ok) {
      if (!status) return;
      var t = new Date();
      var hh = ("0" + t.getHours()).slice(-2), mm = ("0" + t.getMinutes()).slice(-2);
      status.textContent = ok ? (status.getAttribute("data-saved") || "✓") + " " + hh + ":" + mm
        : (status.getAttribute("data-failed") || "!");
    }
    // save sends the form now; the promise says whether everything typed so far is saved.
    function save() {
      clearTimeout(timer);
      if (pending) { again = true; return pending; }
      dirty = false;
      var data = new FormData(form);
      data.set("action", "autosave");
      pending = fetch(url, { method: "POST", body: data, credentials: "same-origin" }).then(function (r) {
        return r.ok;
      }, function () { return false; }).then(function (ok) {
        if (!ok) dirty = true;
        show(ok);
        pending = null;
        if (again) { again = false; return save(); }
        return ok && !dirty;
      });
      return pending;
    }
    function later(ms) {
      dirty = true;
      clearTimeout(timer);
      timer = setTimeout(save, ms);
    }
    form.beianSave = save;
    form.addEventListener("input", function () { later(1500); });
    form.addEventListener("change", function () { later(600); });
    form.addEventListener("submit", function () { clearTimeout(timer); submitting = true; });
    window.addEventListener("beforeunload", function (e) {
      if (submitting || !(dirty || pending)) return;
      e.preventDefault();
      e.returnValue = "";
    });
    document.addEventListener("click", function (e) {
      var a = e.target.closest ? e.target.closest("a[href]") : null;
      if (!a || !(dirty || pending) || e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey ||
        a.target || a.getAttribute("href").charAt(0) === "#") return;
      e.preventDefault();
      save().then(function (ok) {
        if (ok || window.confirm((status && status.getAttribute("data-leave")) || "")) {
          submitting = true;
          location.href = a.href;
        }
      });
    });
  }

  // Reviewer notes: "note this field" buttons, common reasons filling the message, more rows.
  function reviewerNotes() {
    var form = document.getElementById("decision");
    if (!form) return;
    var rows = function () { return $all("[data-note-row]", form); };
    function freeRow() {
      var r = rows().filter(function (row) {
        return !row.hidden && !row.querySelector(".js-note-field").value && !row.querySelector(".js-note-message").value;
      })[0];
      return r || nextRow();
    }
    function addRow() {
      var all = rows();
      var last = all[all.length - 1];
      var n = all.length;
      var row = last.cloneNode(true);
      row.hidden = false;
      $all("select, textarea", row).forEach(function (el) {
        var base = el.name.replace(/_\d+$/, "");
        el.name = base + "_" + n;
        el.id = base + "_" + n;
        el.value = "";
      });
      $all("label", row).forEach(function (l) {
        var f = l.getAttribute("for");
        if (f) l.setAttribute("for", f.replace(/_\d+$/, "_" + n));
      });
      var lbl = row.querySelector("label");
      if (lbl) lbl.textContent = lbl.textContent.replace(/\d+/, String(n + 1));
      last.parentNode.insertBefore(row, last.nextSibling);
      wireRow(row);
      return row;
    }
    function wireRow(row) {
      var tpl = row.querySelector(".js-note-template");
      tpl.addEventListener("change", function () {
        var o = tpl.selectedOptions[0];
        if (!o || !o.value) return;
        var msg = row.querySelector(".js-note-message");
        msg.value = o.getAttribute("data-text");
        var field = row.querySelector(".js-note-field");
        if (!field.value && o.getAttribute("data-field")) field.value = o.getAttribute("data-field");
      });
    }
    rows().forEach(function (row, i) {
      wireRow(row);
      // Extra empty rows wait behind "add another note" (without the script all of them show).
      if (i > 0 && !row.querySelector(".js-note-field").value && !row.querySelector(".js-note-message").value) row.hidden = true;
    });
    function nextRow() {
      var r = rows().filter(function (row) { return row.hidden; })[0];
      if (r) { r.hidden = false; return r; }
      return addRow();
    }
    var add = form.querySelector(".js-add-note");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", function () { nextRow().querySelector("select").focus(); });
    }
    $all(".js-note").forEach(function (b) {
      b.hidden = false;
      b.addEventListener("click", function () {
        var row = freeRow();
        var sel = row.querySelector(".js-note-field");
        sel.value = b.getAttribute("data-field");
        row.scrollIntoView({ block: "center" });
        row.querySelector(".js-note-template").focus();
      });
    });
  }

  // Credential photos first: choosing a photo uploads it at once, after saving what was typed in the subject
  // form, and the page comes back with the fields filled (without the script: the upload button does the same,
  // and what was typed but not saved is lost).
  function autofill(form) {
    var input = form.querySelector("input[type=file]");
    var draft = document.querySelector("form[data-autosave]");
    input.addEventListener("change", function () {
      if (!input.files || !input.files[0] || input.getAttribute("aria-invalid") === "true") return;
      var saved = draft && draft.beianSave ? draft.beianSave() : Promise.resolve(true);
      saved.then(function () { if (form.requestSubmit) form.requestSubmit(); else form.submit(); });
    });
  }

  // A field filled from a credential photo loses its "recognised" mark once the applicant changes it.
  function recognisedMarks() {
    $all(".field.recognised").forEach(function (box) {
      var el = box.querySelector("input, select, textarea");
      var mark = box.querySelector(".recognised-mark");
      if (!el) return;
      var read = el.value;
      el.addEventListener("input", function () {
        var same = el.value === read;
        box.classList.toggle("recognised", same);
        if (mark) mark.hidden = !same;
      });
    });
  }

  // A file over the input's data-max is refused on its own card before anything is uploaded (the server checks
  // again): the message goes into the element named by data-error, and the input is marked invalid.
  function checkFileSize(form) {
    var input = form.querySelector("input[type=file][data-max]");
    if (!input) return;
    function tooLarge() {
      var max = parseInt(input.getAttribute("data-max"), 10);
      return input.files && input.files[0] && max > 0 && input.files[0].size > max;
    }
    function show(on) {
      var box = document.getElementById(input.getAttribute("data-error"));
      if (!box) return;
      if (on) {
        box.textContent = input.getAttribute("data-too-large");
        box.hidden = false;
        input.setAttribute("aria-invalid", "true");
        var d = input.getAttribute("aria-describedby") || "";
        if (d.indexOf(box.id) < 0) input.setAttribute("aria-describedby", (d + " " + box.id).trim());
      } else if (box.getAttribute("data-client") === "1") {
        box.hidden = true;
        input.removeAttribute("aria-invalid");
      }
      box.setAttribute("data-client", on ? "1" : "0");
    }
    input.addEventListener("change", function () { show(tooLarge()); });
    form.addEventListener("submit", function (e) {
      if (!tooLarge()) return;
      e.preventDefault();
      show(true);
      input.focus();
    });
  }

  // A link to a field (its .field wrap), a form section or a material card, from an error summary or a
  // reviewer's note, puts the focus in the control to fix, its first invalid one if any, so that the applicant
  // can type at once and assistive technology reads the field with its error. The browser has scrolled to the
  // target with its label; the focus does not scroll again. A target that takes the focus itself (a checkbox) is
  // left to the browser.
  function focusTarget(hash) {
    var id;
    try { id = decodeURIComponent((hash || "").slice(1)); } catch (e) { return; }
    var box = id && document.getElementById(id);
    if (!box || !box.matches(".field, section.section, .material")) return;
    var controls = $all("input:not([type=hidden]), select, textarea", box).filter(function (c) {
      return !c.disabled && c.getClientRects().length > 0;
    });
    var el = controls.filter(function (c) { return c.getAttribute("aria-invalid") === "true"; })[0] || controls[0];
    if (el) el.focus({ preventScroll: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    $all("form").forEach(function (form) {
      checkFileSize(form);
      applyShowWhen(form);
      filterCredentials(form);
      form.addEventListener("change", function () { applyShowWhen(form); filterCredentials(form); });
      if (form.hasAttribute("data-autosave")) autosave(form);
    });
    $all("form[data-autofill]").forEach(autofill);
    recognisedMarks();
    reviewerNotes();
    // On a phone the queue's filters fold away unless one is in use.
    $all(".js-filters").forEach(function (d) {
      var used = /[?&](province|type|state)=[^&]/.test(location.search);
      if (!used && window.matchMedia && window.matchMedia("(max-width: 640px)").matches) d.open = false;
    });
    // Move focus to the error summary so that screen readers and keyboard users start there.
    var sum = document.getElementById("error-summary");
    if (sum && !location.hash) sum.focus();
    // Arriving at a field (a link from another page): after the browser has scrolled to it, which takes the focus
    // away from anything but the target itself; or following a link to one on this page.
    if (location.hash) {
      window.addEventListener("load", function () { setTimeout(function () { focusTarget(location.hash); }, 0); });
    }
    document.addEventListener("click", function (e) {
      var a = e.target.closest ? e.target.closest('a[href^="#"]') : null;
      if (!a || e.defaultPrevented) return;
      setTimeout(function () { focusTarget(a.getAttribute("href")); }, 0);
    });
    // A confirmation shown with the page is announced: a live region speaks changes, not what it held at
    // load, so its text enters a live region of its own once the page has loaded; a result block takes the focus.
    var flash = document.querySelector(".flash");
    if (flash && !sum) {
      var live = document.createElement("div");
      live.className = "sr-only js-announce";
      live.setAttribute("role", "status");
      document.body.appendChild(live);
      setTimeout(function () { live.textContent = flash.textContent; }, 300);
    }
    var result = document.querySelector("[data-focus-on-load]");
    if (result && !sum) result.focus();
  });
})();
