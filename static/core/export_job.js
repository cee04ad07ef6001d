// While a large export is written by the worker, read its page again every 3 seconds and show
// the new progress; once it is ready (or failed), the page's box carries no data-poll and the
// polling stops. Same page, same permission: no other address.
(function () {
  function poll() {
    var box = document.getElementById("export-box");
    if (!box || !box.hasAttribute("data-poll")) return;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("export-box");
        if (fresh) box.replaceWith(fresh);
        setTimeout(poll, 3000);
      })
      .catch(function () { setTimeout(poll, 6000); });
  }
  setTimeout(poll, 3000);
})();
