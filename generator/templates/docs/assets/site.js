// contract docs: client-side search over window.CONTRACT_SEARCH (assets/search-index.js, a
// script rather than fetched JSON so the site works from file://), and the contents list
// folded on phones so the page starts with its content.
(function () {
  "use strict";
  var contents = document.querySelector(".toc details");
  if (contents && window.matchMedia && window.matchMedia("(max-width: 760px)").matches) {
    contents.open = false;
  }
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var index = window.CONTRACT_SEARCH || [];
  if (!input || !list) { return; }
  var LIMIT = 40;

  function search(query) {
    var q = query.trim().toLowerCase();
    if (!q) { return []; }
    var exact = [], prefix = [], inside = [];
    for (var i = 0; i < index.length; i++) {
      var entry = index[i];
      var title = entry.t.toLowerCase();
      if (title === q) { exact.push(entry); }
      else if (title.indexOf(q) === 0) { prefix.push(entry); }
      else if (title.indexOf(q) >= 0 || entry.s.toLowerCase().indexOf(q) >= 0) { inside.push(entry); }
    }
    return exact.concat(prefix, inside).slice(0, LIMIT);
  }

  function show(results) {
    list.textContent = "";
    results.forEach(function (entry) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = entry.u;
      link.setAttribute("data-kind", entry.k);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = entry.k;
      var title = document.createElement("code");
      title.textContent = entry.t;
      var sub = document.createElement("span");
      sub.className = "sub";
      sub.textContent = entry.s;
      link.appendChild(kind);
      link.appendChild(title);
      link.appendChild(sub);
      link.addEventListener("click", function () { list.hidden = true; });
      item.appendChild(link);
      list.appendChild(item);
    });
    if (!results.length && input.value.trim()) {
      var none = document.createElement("li");
      none.className = "sub";
      none.style.padding = "0.35rem 0.8rem";
      none.textContent = "Nothing found.";
      list.appendChild(none);
    }
    list.hidden = !input.value.trim();
  }

  input.addEventListener("input", function () { show(search(input.value)); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var first = list.querySelector("a");
      if (first) { window.location.href = first.href; list.hidden = true; }
    } else if (event.key === "Escape") {
      list.hidden = true;
    }
  });
  document.addEventListener("click", function (event) {
    if (!list.contains(event.target) && event.target !== input) { list.hidden = true; }
  });
})();
