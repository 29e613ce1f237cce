// briefing's search page: starts Pagefind's UI in #search and runs the query of `?q=`.
// The page shows #search-needs-js until this runs, so that it stays when scripts are off.
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("search");
  if (!element || typeof PagefindUI === "undefined") return;
  var notice = document.getElementById("search-needs-js");
  if (notice) notice.hidden = true;
  var ui = new PagefindUI({
    element: element,
    bundlePath: element.dataset.bundle,
    baseUrl: element.dataset.base,
    showImages: false,
    showSubResults: false,
    resetStyles: false
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
    var box = document.getElementById("site-search");
    if (box) box.value = query;
  }
});
