// Opens every collapsed block (a chart's data, a full list) while the page prints, and closes again
// those it opened afterwards: on paper nothing can be clicked open. (The PDF editions move the full lists
// to an appendix instead: sotebook/site/print_document.py.)
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (d) { d.open = true; opened.push(d); });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });
})();
