// briefing: client-side search over search-index.js (written by `briefing build`).
// No server, no fetch(): the index is a script, so search works when the site is opened
// from disk. It is loaded on first use only. Without JavaScript the form stays hidden.
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var root = form.getAttribute("data-root") || "";
  var loading = false;
  var pending = null; // what to run once the index has loaded (the latest request wins)
  form.hidden = false;

  function load(then) {
    if (window.BRIEFING_SEARCH) return then();
    pending = then;
    if (loading) return;
    loading = true;
    status.textContent = "Loading the index…";
    var s = document.createElement("script");
    s.src = root + "search-index.js";
    s.onload = function () {
      loading = false;
      status.textContent = "";
      if (pending) pending();
    };
    s.onerror = function () { status.textContent = "The search index could not be loaded."; };
    document.head.appendChild(s);
  }

  function run() {
    var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    results.textContent = "";
    if (!terms.length) { status.textContent = ""; return; }
    var items = window.BRIEFING_SEARCH.items, found = 0, limit = 25;
    for (var i = items.length - 1; i >= 0 && found < limit; i--) {
      var it = items[i]; // [title, summary, path, placed, topics]
      var hay = (it[0] + " " + it[1] + " " + it[4]).toLowerCase();
      if (!terms.every(function (t) { return hay.indexOf(t) !== -1; })) continue;
      found++;
      var li = document.createElement("li");
      var time = document.createElement("time");
      time.dateTime = it[3];
      time.textContent = it[3];
      var a = document.createElement("a");
      a.href = root + it[2];
      a.textContent = it[0];
      li.appendChild(time);
      li.appendChild(document.createTextNode(" "));
      li.appendChild(a);
      results.appendChild(li);
    }
    status.textContent = found === 0 ? "No entries match." :
      (found === limit ? "The " + limit + " latest matches:" : found + (found === 1 ? " match:" : " matches:"));
  }

  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("input", function () { load(run); });
  form.addEventListener("submit", function (e) { e.preventDefault(); load(run); });
})();
