// The team table by unit (issue 22): a filter by team name, unit and grade and a
// sort order, added only when script runs (without it the table is plain <details>).
// No fetch and no inline code: it works from file://, under a sub-path and under a
// strict Content-Security-Policy. A link to a team's row or a unit opens its unit.
(function () {
  "use strict";
  var box = document.querySelector(".team-units");
  if (!box) return;
  var units = Array.prototype.slice.call(box.querySelectorAll("details.unit"));

  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (!el) return;
    var unit = el.closest("details.unit");
    if (unit && !unit.open) {
      unit.open = true;
      el.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  var rows = [];
  units.forEach(function (u) {
    var unitName = u.querySelector(".unit-name").textContent;
    Array.prototype.forEach.call(u.querySelectorAll("tr"), function (tr, i) {
      var badge = tr.querySelector(".badge");
      var score = parseFloat(tr.querySelector("td").textContent);
      rows.push({
        tr: tr,
        unit: u,
        unitName: unitName,
        order: i,
        name: tr.querySelector("th").textContent.trim(),
        score: isNaN(score) ? null : score,
        grade: badge ? badge.className.replace("badge", "").trim() : "",
        gradeLabel: badge ? badge.textContent : "",
      });
    });
  });
  if (rows.length < 2) return;

  var l = box.dataset;
  function control(label, el) {
    var wrap = document.createElement("label");
    wrap.className = "team-filter-field";
    wrap.appendChild(document.createTextNode(label + " "));
    wrap.appendChild(el);
    return wrap;
  }
  function select(options) {
    var s = document.createElement("select");
    options.forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o[0];
      opt.textContent = o[1];
      s.appendChild(opt);
    });
    return s;
  }
  var name = document.createElement("input");
  name.type = "search";
  var unitOptions = [["", l.lAny]];
  units.forEach(function (u, i) {
    if (u.querySelector("tr")) unitOptions.push([String(i), u.querySelector(".unit-name").textContent]);
  });
  var unit = select(unitOptions);
  var grades = [["", l.lAny]];
  var seen = {};
  rows.forEach(function (r) {
    if (r.grade && !seen[r.grade]) {
      seen[r.grade] = true;
      grades.push([r.grade, r.gradeLabel]);
    }
  });
  var grade = select(grades);
  var order = select([["tree", l.lTree], ["low", l.lLow], ["high", l.lHigh], ["name", l.lByname]]);
  var shown = document.createElement("output");
  var form = document.createElement("form");
  form.className = "team-filter";
  form.setAttribute("role", "search");
  // Named, as the header's search is: two search landmarks need names to be told apart.
  form.setAttribute("aria-label", l.lFilter);
  form.appendChild(control(l.lName, name));
  if (unitOptions.length > 2) form.appendChild(control(l.lUnit, unit));
  if (grades.length > 2) form.appendChild(control(l.lGrade, grade));
  form.appendChild(control(l.lOrder, order));
  form.appendChild(shown);
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  box.parentNode.insertBefore(form, box);

  function compare(a, b) {
    var by = order.value;
    if (by === "name") return a.name.localeCompare(b.name) || a.order - b.order;
    if (by === "low" || by === "high") {
      if (a.score === null || b.score === null) return (a.score === null) - (b.score === null) || a.order - b.order;
      return (by === "low" ? a.score - b.score : b.score - a.score) || a.order - b.order;
    }
    return a.order - b.order;
  }

  function apply() {
    var q = name.value.trim().toLowerCase();
    var filtering = q !== "" || unit.value !== "" || grade.value !== "";
    var count = 0;
    var hits = new Map();
    rows.forEach(function (r) {
      var ok = (q === "" || r.name.toLowerCase().indexOf(q) >= 0) &&
        (unit.value === "" || String(units.indexOf(r.unit)) === unit.value) &&
        (grade.value === "" || r.grade === grade.value);
      r.tr.hidden = !ok;
      if (ok) {
        count++;
        hits.set(r.unit, true);
      }
    });
    units.forEach(function (u) {
      u.hidden = filtering && !hits.has(u);
      if (filtering && hits.has(u)) u.open = true;
    });
    rows.slice().sort(compare).forEach(function (r) {
      r.tr.parentNode.appendChild(r.tr);
    });
    shown.textContent = l.lShown.replace("{n}", count);
  }
  [name, unit, grade, order].forEach(function (el) {
    el.addEventListener("input", apply);
    el.addEventListener("change", apply);
  });
  apply();
})();
