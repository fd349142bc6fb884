// okrsite team picker and team index filter: plain JavaScript, no framework, no
// network but the site's own files. Team names are only ever inserted with
// textContent, never as HTML.
//
// The picker (base.html, form.team-picker) is a form to the team index without
// script. With it, the input becomes a combobox (WAI-ARIA APG, list autocomplete
// with the first option selected): its listbox is made here, and the teams come from
// the data file the form names (data-teams: assets/team-index.<hash>.js, which calls
// okrsiteTeams), loaded with a <script> element on first use, so it works from
// file:// and under any sub-path. Choosing a team goes to its review of the current
// quarter, or its page when it has none (src/render/views/picker.rs).
//
// The team index (teams.html) gets a filter box: rows whose name or id do not match
// are hidden, their ancestors kept. It starts from ?team=, which the picker's form
// sends without script or before the teams are loaded.
(function () {
  'use strict';

  var SHOWN = 12; // options listed at most: more means "keep typing"

  function normalize(s) { return s.normalize('NFKC').toLowerCase(); }

  // Every part of the query (split at spaces) is somewhere in `hay`.
  function matches(hay, parts) {
    for (var i = 0; i < parts.length; i++) if (hay.indexOf(parts[i]) < 0) return false;
    return true;
  }

  function queryParts(value) {
    return normalize(value).split(/\s+/).filter(function (p) { return p.length > 0; });
  }

  // ---- The picker ----------------------------------------------------------

  function picker(form) {
    var input = form.querySelector('input');
    if (!input) return;
    var data = form.dataset;
    var teams = null;      // [{id, name, url, name_n, id_n}] once loaded
    var requested = false;
    var shown = [];        // the teams listed, in order
    var active = -1;       // index in `shown` of the selected option

    var list = document.createElement('ul');
    list.id = input.id + '-list';
    list.className = 'picker-list';
    list.setAttribute('role', 'listbox');
    list.setAttribute('aria-label', form.querySelector('label').textContent);
    list.hidden = true;
    var note = document.createElement('p');
    note.className = 'picker-note';
    note.setAttribute('aria-live', 'polite');
    note.hidden = true;
    // One box below the input holds the options and the note under them.
    var popup = document.createElement('div');
    popup.className = 'picker-popup';
    popup.hidden = true;
    popup.appendChild(list);
    popup.appendChild(note);
    form.appendChild(popup);

    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', list.id);

    function load() {
      if (requested) return;
      requested = true;
      var previous = window.okrsiteTeams;
      window.okrsiteTeams = function (rows) {
        teams = rows.map(function (r) {
          return { id: r[0], name: r[1], url: r[2], name_n: normalize(r[1]), id_n: normalize(r[0]) };
        });
        window.okrsiteTeams = previous;
        update();
      };
      var s = document.createElement('script');
      s.src = data.teams;
      document.head.appendChild(s);
    }

    function close() {
      popup.hidden = true;
      list.hidden = true;
      note.hidden = true;
      input.setAttribute('aria-expanded', 'false');
      input.removeAttribute('aria-activedescendant');
    }

    // Teams whose name or id hold every part of the query; those that begin with
    // the whole query first, each group in tree order.
    function search(value) {
      var parts = queryParts(value);
      if (!parts.length) return [];
      var whole = parts.join(' ');
      var first = [], rest = [];
      teams.forEach(function (t) {
        if (!matches(t.name_n + '\n' + t.id_n, parts)) return;
        var starts = t.name_n.indexOf(whole) === 0 || t.id_n.indexOf(whole) === 0;
        (starts ? first : rest).push(t);
      });
      return first.concat(rest);
    }

    function update() {
      if (!teams) return;
      var found = search(input.value);
      if (!queryParts(input.value).length) { close(); return; }
      shown = found.slice(0, SHOWN);
      list.textContent = '';
      shown.forEach(function (t, i) {
        var li = document.createElement('li');
        li.id = list.id + '-' + i;
        li.setAttribute('role', 'option');
        li.textContent = t.name;
        var id = document.createElement('span');
        id.className = 'picker-id';
        id.textContent = t.id;
        li.appendChild(id);
        li.addEventListener('mousedown', function (e) { e.preventDefault(); });
        li.addEventListener('click', function () { go(t); });
        list.appendChild(li);
      });
      list.hidden = shown.length === 0;
      input.setAttribute('aria-expanded', shown.length ? 'true' : 'false');
      note.hidden = found.length > 0 && found.length <= SHOWN;
      note.textContent = found.length === 0 ? data.none : data.more;
      popup.hidden = false;
      select(shown.length ? 0 : -1);
    }

    function select(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, k) {
        li.setAttribute('aria-selected', k === i ? 'true' : 'false');
      });
      if (i < 0) { input.removeAttribute('aria-activedescendant'); return; }
      var li = list.children[i];
      input.setAttribute('aria-activedescendant', li.id);
      if (li.scrollIntoView) li.scrollIntoView({ block: 'nearest' });
    }

    function go(t) {
      close();
      window.location.href = data.root + t.url;
    }

    input.addEventListener('focus', load);
    input.addEventListener('input', function () { load(); update(); });
    input.addEventListener('blur', close);
    input.addEventListener('keydown', function (e) {
      // Keys that end an IME composition belong to it, not to the list.
      if (e.isComposing || e.keyCode === 229) return;
      var open = !list.hidden;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        if (!open) { update(); return; }
        var n = shown.length, step = e.key === 'ArrowDown' ? 1 : -1;
        select(((active < 0 ? (step > 0 ? -1 : 0) : active) + step + n) % n);
      } else if (e.key === 'Enter') {
        // With no option chosen the form goes to the team index, filtered.
        if (open && active >= 0) { e.preventDefault(); go(shown[active]); }
      } else if (e.key === 'Escape') {
        if (open || !note.hidden) { e.preventDefault(); close(); }
        else if (input.value) { e.preventDefault(); input.value = ''; }
      }
    });
  }

  // ---- The team index's filter ---------------------------------------------

  function teamFilter(box) {
    var tree = document.getElementById('team-tree');
    var input = box.querySelector('input');
    if (!tree || !input) return;
    var rows = Array.prototype.slice.call(tree.querySelectorAll('li[data-team]'));
    var hay = rows.map(function (li) {
      var link = li.querySelector('a');
      return normalize((link ? link.textContent : '') + '\n' + li.getAttribute('data-team'));
    });
    var note = document.createElement('p');
    note.className = 'muted';
    note.setAttribute('aria-live', 'polite');
    box.parentNode.insertBefore(note, tree);

    function apply() {
      var parts = queryParts(input.value);
      var any = false;
      // Children come after their parents in document order: from the end, each
      // row's visible children are known when the row is reached.
      for (var i = rows.length - 1; i >= 0; i--) {
        var li = rows[i];
        var keep = !parts.length || matches(hay[i], parts) ||
          li.querySelector(':scope > ul > li:not([hidden])') !== null;
        li.hidden = !keep;
        any = any || keep;
      }
      note.textContent = any ? '' : input.dataset.none;
    }

    box.hidden = false;
    var asked = new URLSearchParams(window.location.search).get('team');
    if (asked) input.value = asked;
    input.addEventListener('input', apply);
    apply();
  }

  var form = document.querySelector('form.team-picker');
  if (form) picker(form);
  var box = document.querySelector('p.team-filter');
  if (box) teamFilter(box);
})();
