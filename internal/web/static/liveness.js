// beian: the phone's live check (docs/verification.md, "Liveness"). With a camera API the page asks the server
// for two actions, films the person while it shows them one after the other, sends the frames and shows the
// verdict: a passed check reloads the page with the photo to confirm, a refusal lists what was wrong and what
// to do. Without the script, a camera API or a camera, the photo form below works as before.
(function () {
  "use strict";
  var box = document.getElementById("live");
  var md = navigator.mediaDevices;
  if (!box || !window.fetch || !window.FormData || !md || !md.getUserMedia) return;
  var EVERY = 350, HOLD = 1500, ACTION = 2500, MAX_FRAMES = 40;
  var video = document.getElementById("live-video");
  var prompt = document.getElementById("live-prompt");
  var stepsList = document.getElementById("live-steps");
  var errBox = document.getElementById("live-error");
  var start = document.getElementById("btn-live-start");
  var photoForm = document.getElementById("capture");
  var text = function (name) { return box.getAttribute("data-" + name) || ""; };
  // Offer the live check only where there is a camera; a computer without one keeps the photo form.
  (md.enumerateDevices ? md.enumerateDevices() : Promise.resolve([{ kind: "videoinput" }])).then(function (ds) {
    if (!ds.some(function (d) { return d.kind === "videoinput"; })) return;
    box.hidden = false;
    if (photoForm) photoForm.hidden = true;
  }, function () { /* no list: keep the photo form */ });

  function post(url, body) {
    return fetch(url, { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); });
  }

  function refused(list) {
    var ul = errBox.querySelector("ul");
    ul.textContent = "";
    list.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.message || e.code;
      ul.appendChild(li);
    });
    prompt.textContent = "";
    errBox.hidden = false;
    errBox.focus();
    start.textContent = text("again");
    start.disabled = false;
  }

  // noCamera gives the photo form back when the camera cannot be used (refused, absent, busy).
  function noCamera() {
    refused([{ message: text("camera") }]);
    if (photoForm) photoForm.hidden = false;
  }

  function showSteps(names) {
    stepsList.textContent = "";
    names.forEach(function (n) {
      var li = document.createElement("li");
      li.textContent = n;
      stepsList.appendChild(li);
    });
  }

  // The plan: hold still, first action, hold, second action, hold; each entry is [prompt, step index, ms].
  function planOf(names) {
    return [[text("hold"), -1, HOLD], [names[0], 0, ACTION], [text("hold"), -1, HOLD], [names[1], 1, ACTION],
      [text("hold"), -1, HOLD]];
  }

  // film captures the video every EVERY ms while it shows the plan. A frame the camera has not yet replaced is
  // not taken twice (the server refuses the same bytes twice as a replay): with requestVideoFrameCallback the
  // page counts the frames presented and waits for a new one.
  function film(plan) {
    var canvas = document.createElement("canvas");
    var total = plan.reduce(function (s, p) { return s + p[2]; }, 0);
    var frames = [], began = performance.now();
    var presented = -1, taken = -1, counting = !!video.requestVideoFrameCallback;
    if (counting) {
      var onFrame = function (_, meta) { presented = meta.presentedFrames; video.requestVideoFrameCallback(onFrame); };
      video.requestVideoFrameCallback(onFrame);
    }
    return new Promise(function (resolve) {
      function show(now) {
        var acc = 0;
        for (var i = 0; i < plan.length; i++) {
          if (now < acc + plan[i][2] || i === plan.length - 1) break;
          acc += plan[i][2];
        }
        prompt.textContent = plan[i][0];
        Array.prototype.forEach.call(stepsList.children, function (li, k) {
          li.className = plan[i][1] === k ? "now" : (i > 2 * k + 1 ? "done" : "");
        });
      }
      function tick() {
        var now = performance.now() - began;
        show(now);
        if (now >= total || frames.length >= MAX_FRAMES) { resolve(frames); return; }
        if (counting && presented === taken) { setTimeout(tick, 40); return; }
        taken = presented;
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        canvas.getContext("2d").drawImage(video, 0, 0);
        canvas.toBlob(function (blob) {
          frames.push({ blob: blob, at: Math.round(now) });
          setTimeout(tick, Math.max(0, EVERY - (performance.now() - began - now)));
        }, "image/jpeg", 0.9);
      }
      tick();
    });
  }

  function send(ch, frames) {
    var fd = new FormData();
    fd.append("token", ch.token);
    fd.append("challenge", JSON.stringify({ nonce: ch.nonce, actions: ch.actions, issued_at: ch.issued_at, expires_at: ch.expires_at }));
    var first = frames.length ? frames[0].at : 0;
    frames.forEach(function (f, i) {
      fd.append("frame", f.blob, "frame" + i + ".jpg");
      fd.append("at", String(f.at - first));
    });
    prompt.textContent = text("sending");
    return post(box.getAttribute("data-frames"), fd);
  }

  start.addEventListener("click", function () {
    var stream = null;
    start.disabled = true;
    errBox.hidden = true;
    function stop() { if (stream) stream.getTracks().forEach(function (t) { t.stop(); }); }
    post(box.getAttribute("data-start"), null).then(function (r) {
      if (!r.ok) throw r.body;
      var ch = r.body;
      var names = (ch.steps && (ch.steps[document.documentElement.lang] || ch.steps["zh-CN"])) || ch.actions;
      showSteps(names);
      return md.getUserMedia({ video: { facingMode: "user", width: { ideal: 720 }, height: { ideal: 960 } }, audio: false })
        .then(function (s) { stream = s; video.srcObject = s; return video.play(); }, function () { throw { camera: true }; })
        .then(function () { return film(planOf(names)); })
        .then(function (frames) { stop(); return send(ch, frames); });
    }).then(function (r) {
      if (!r.ok) { refused(r.body.errors || [r.body.error]); return; }
      prompt.textContent = text("passed");
      location.reload();
    }).catch(function (e) {
      stop();
      if (e && e.camera) noCamera();
      else refused((e && (e.errors || (e.error && [e.error]))) || [{ message: text("camera") }]);
    });
  });
})();
