// While a report is generated, poll its status and reload the page when it is ready.
(function () {
  var box = document.getElementById("report-progress");
  if (!box) return;
  var bar = document.getElementById("report-progress-bar");
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.state === "ready" || s.state === "failed" || s.state === "filed") { window.location.reload(); return; }
        bar.value = s.progress;
        bar.textContent = s.progress + "%";
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1500);
})();
