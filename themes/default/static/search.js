// okrsite search: plain JavaScript, no framework, no build step, no network but
// the site's own files. Index shards and documents are loaded with <script>, so
// search works from file:// and under any path. User text is only ever inserted
// with textContent, never as HTML.
//
// The index (src/render/search/) has one segment per quarter, newest first; the
// manifest the page names (data-index) lists the segments, and each segment's
// table its shard and document files, all by their content-hashed names. A segment numbers its learnings first,
// then its sections; results are every segment's learnings, newest quarter first,
// then every segment's sections.
(function () {
  'use strict';

  var form = document.getElementById('search-form');
  if (!form) return;
  var input = document.getElementById('q');
  var results = document.getElementById('results');
  var status = document.getElementById('search-status');
  var more = document.getElementById('search-more');
  var selects = { team: document.getElementById('f-team'), quarter: document.getElementById('f-quarter'), tag: document.getElementById('f-tag') };
  var text = form.dataset;

  var PAGE = 10;          // results shown per batch
  var BATCH = 10;         // documents fetched at a time while checking candidates
  var MAX_PREFIX = 6;     // as in the index (src/render/search/)

  var manifest = text.index || '';
  var base = manifest.slice(0, manifest.lastIndexOf('/') + 1);
  var meta = null;
  var segByQuarter = {};
  var loading = {};

  var api = window.okrsiteSearch = {
    meta: function (m) {
      meta = m;
      m.segments.forEach(function (seg) { seg.shards = {}; seg.docs = []; segByQuarter[seg.q] = seg; });
    },
    table: function (q, t) { var seg = segByQuarter[q]; if (seg) prepare(seg, t); },
    shard: function (q, n, data) { var seg = segByQuarter[q]; if (seg) seg.shards[n] = data; },
    docs: function (q, name, list) {
      var seg = segByQuarter[q], f = seg && seg.byName[name];
      if (!f) return;
      list.forEach(function (d, i) { seg.docs[i < f.lc ? f.l0 + i : f.s0 + i - f.lc] = d; });
    }
  };

  // A segment's table: its shards' hashes, and its document files with the numbers
  // they hold: each file's learnings follow the previous files' learnings from 0,
  // its sections theirs from seg.learnings (src/render/search/segments.rs).
  function prepare(seg, t) {
    var l = 0, s = seg.learnings;
    seg.s = t.s;
    seg.byName = {};
    seg.fileOf = null;
    seg.files = t.d.map(function (e) {
      var f = { name: e[0], hash: e[1], l0: l, lc: e[2], s0: s, sc: e[3] };
      l += f.lc;
      s += f.sc;
      seg.byName[f.name] = f;
      return f;
    });
  }

  // Loads a segment's table, the first time the segment is looked in.
  function tableOf(seg) {
    return seg.files ? Promise.resolve() : load(base + 't/' + seg.dir + '.' + seg.t + '.js');
  }

  // The file holding candidate c (a segment and a number in it).
  function docFile(c) {
    var seg = c.seg;
    if (!seg.fileOf) {
      seg.fileOf = [];
      seg.files.forEach(function (f) {
        for (var i = 0; i < f.lc; i++) seg.fileOf[f.l0 + i] = f;
        for (var k = 0; k < f.sc; k++) seg.fileOf[f.s0 + k] = f;
      });
    }
    var f = seg.fileOf[c.n];
    return base + 'd/' + seg.dir + '/' + f.name + '.' + f.hash + '.js';
  }

  function docOf(c) { return c.seg.docs[c.n]; }

  function load(src) {
    if (!loading[src]) {
      loading[src] = new Promise(function (resolve, reject) {
        var s = document.createElement('script');
        s.src = src;
        s.async = true;
        s.onload = function () { resolve(); };
        s.onerror = function () { delete loading[src]; reject(new Error(src)); };
        document.head.appendChild(s);
      });
    }
    return loading[src];
  }

  // --- Tokens, exactly as the index makes them -------------------------------
  function normalize(s) { return s.normalize('NFKC').toLowerCase(); }

  function isCjk(cp) {
    return (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0x3040 && cp <= 0x309F) || (cp >= 0x30A0 && cp <= 0x30FF) ||
      (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x2FA1F);
  }
  var ALNUM = /^[\p{Alphabetic}\p{N}]$/u;
  function cls(ch) {
    if (!ALNUM.test(ch)) return 0;
    return isCjk(ch.codePointAt(0)) ? 1 : 2;
  }

  // The tokens that must all be in a matching document, for one normalised query part.
  function queryTokens(part) {
    var chars = Array.from(part);
    var out = [];
    var i = 0;
    while (i < chars.length) {
      var c = cls(chars[i]);
      var j = i;
      while (j < chars.length && cls(chars[j]) === c) j++;
      var run = chars.slice(i, j);
      if (c === 1) {
        // A single character, or the first and the last bigram of the run
        // (テンプレート → テン, ート): every match holds both, few shards are fetched,
        // and the exact text is checked afterwards anyway.
        if (run.length === 1) out.push(run[0]);
        else {
          out.push(run[0] + run[1]);
          if (run.length > 2) out.push(run[run.length - 2] + run[run.length - 1]);
        }
      } else if (c === 2) {
        out.push(run.length <= MAX_PREFIX ? run.join('') : run.slice(0, MAX_PREFIX).join(''));
      }
      i = j;
    }
    return out;
  }

  function shardOf(token, count) {
    var h = 0x811c9dc5;
    for (var i = 0; i < token.length; i++) {
      h ^= token.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % Math.max(1, count);
  }

  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  function decode(s) {
    var out = [], value = 0, shift = 0, prev = 0;
    if (s.charAt(0) === '!') {
      for (var b = 1; b < s.length; b++) {
        var bits = B64.indexOf(s[b]);
        for (var k = 0; k < 6; k++) if (bits & (1 << k)) out.push((b - 1) * 6 + k);
      }
      return out;
    }
    for (var i = 0; i < s.length; i++) {
      var d = B64.indexOf(s[i]);
      value += (d & 31) * Math.pow(2, shift);
      if (d & 32) { shift += 5; } else { prev = out.length ? prev + value : value; out.push(prev); value = 0; shift = 0; }
    }
    return out;
  }

  function intersect(a, b) {
    var out = [], i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { out.push(a[i]); i++; j++; } else if (a[i] < b[j]) i++; else j++;
    }
    return out;
  }

  // A token's documents in one segment, from the segment's shard for it.
  var decoded = {};
  function postings(seg, token) {
    var key = seg.q + '\u0000' + token;
    if (decoded[key]) return Promise.resolve(decoded[key]);
    return tableOf(seg).then(function () {
      var n = shardOf(token, seg.s.length);
      return load(base + 's/' + seg.dir + '/' + n + '.' + seg.s[n] + '.js').then(function () {
        var shard = seg.shards[n];
        var enc = shard && Object.prototype.hasOwnProperty.call(shard, token) ? shard[token] : '';
        return (decoded[key] = decode(enc));
      });
    });
  }

  // --- Searching -------------------------------------------------------------
  var seq = 0;
  var state = null;

  function currentQuery() {
    return {
      q: input.value,
      team: selects.team.value,
      quarter: selects.quarter.value,
      tag: selects.tag.value
    };
  }

  // Whether `part` occurs in `hay`; a part starting with a letter or digit (not
  // Japanese) must start a word, so "cs" finds "CS" but not "docs".
  function contains(hay, part) {
    var wordStart = cls(Array.from(part)[0]) === 2;
    var from = 0, at;
    while ((at = hay.indexOf(part, from)) >= 0) {
      if (!wordStart || at === 0 || cls(Array.from(hay.slice(Math.max(0, at - 2), at)).pop()) !== 2) return true;
      from = at + 1;
    }
    return false;
  }

  function haystack(d) {
    if (!d.norm) d.norm = normalize([d.title, d.text, d.team_name, d.quarter_label, d.tags.join(' ')].join('\n'));
    return d.norm;
  }

  // The query's parts (each must appear in a result) and the tokens to look up.
  function plan(query) {
    var parts = normalize(query.q).split(/\s+/).filter(function (p) { return queryTokens(p).length > 0; });
    var tokens = [];
    parts.forEach(function (p) { queryTokens(p).forEach(function (t) { if (tokens.indexOf(t) < 0) tokens.push(t); }); });
    if (query.team) tokens.push('\u0001team:' + normalize(query.team));
    if (query.quarter) tokens.push('\u0001quarter:' + normalize(query.quarter));
    if (query.tag) tokens.push('\u0001tag:' + normalize(query.tag));
    return { parts: parts, tokens: tokens };
  }

  // The candidates, in rank order: each segment's learnings (newest quarter first),
  // then each segment's sections. Segments are looked up newest first, one at a
  // time while the first page is being filled (a common word fills it from the
  // newest quarters alone), then the rest at once to count. A quarter filter skips
  // the other quarters' segments without loading anything of theirs.
  function newState(my, query, p) {
    var segs = meta.segments.filter(function (seg) {
      return !query.quarter || normalize(seg.q) === normalize(query.quarter);
    });
    return {
      seq: my, parts: p.parts, tokens: p.tokens, query: query, segs: segs, found: [], complete: segs.length === 0,
      candidates: [], next: 0, matched: [], shown: 0, busy: null
    };
  }

  // A segment's documents holding every token.
  function segmentIds(seg, tokens) {
    return Promise.all(tokens.map(function (t) { return postings(seg, t); })).then(function (lists) {
      lists.sort(function (a, b) { return a.length - b.length; });
      return lists.reduce(intersect);
    });
  }

  // Adds the next segment's documents: its learnings join the candidates; after the
  // last segment, every segment's sections follow.
  function addSegment(s, ids) {
    var seg = s.segs[s.found.length];
    s.found.push(ids);
    ids.forEach(function (n) { if (n < seg.learnings) s.candidates.push({ seg: seg, n: n }); });
    if (s.found.length < s.segs.length) return;
    s.found.forEach(function (list, i) {
      var g = s.segs[i];
      list.forEach(function (n) { if (n >= g.learnings) s.candidates.push({ seg: g, n: n }); });
    });
    s.complete = true;
  }

  function done(s) { return s.complete && s.next >= s.candidates.length; }

  // Looks up the next segment (`all`: every remaining one, in parallel).
  function extend(s, all) {
    if (s.busy) return s.busy.then(function () { return extend(s, all); });
    if (s.complete) return Promise.resolve();
    var rest = s.segs.slice(s.found.length, all ? s.segs.length : s.found.length + 1);
    s.busy = Promise.all(rest.map(function (seg) { return segmentIds(seg, s.tokens); })).then(function (lists) {
      lists.forEach(function (ids) { addSegment(s, ids); });
      s.busy = null;
    }, function (e) { s.busy = null; throw e; });
    return s.busy;
  }

  // Every matching document, in rank order, as `<quarter>/<file name>/<position in
  // its file>` (used by the tests; the page shows them a batch at a time).
  api.searchAll = function (query) {
    var p = plan(query);
    if (!p.tokens.length) return Promise.resolve([]);
    var s = newState(-1, query, p);
    return extend(s, true).then(function () {
      var candidates = s.candidates;
      return Promise.all(candidates.map(function (c) { return load(docFile(c)).catch(function () {}); })).then(function () {
        return candidates.filter(function (c) {
          var d = docOf(c);
          return d && p.parts.every(function (part) { return contains(haystack(d), part); });
        }).map(function (c) {
          var f = c.seg.fileOf[c.n];
          return c.seg.q + '/' + f.name + '/' + (c.n < c.seg.learnings ? c.n - f.l0 : f.lc + c.n - f.s0);
        });
      });
    });
  };

  function run() {
    var my = ++seq;
    var query = currentQuery();
    updateUrl(query);
    var p = plan(query);
    if (!p.tokens.length) { clear(); return Promise.resolve(); }
    status.textContent = text.loading;
    var s = state = newState(my, query, p);
    return verifyUntil(s, my, PAGE).then(function () {
      if (my !== seq) return;
      results.textContent = '';
      return showMore(my).then(function () { return countAll(my); });
    }).catch(function () {
      if (my === seq) status.textContent = text.error;
    });
  }

  // Checks the next BATCH candidates (in rank order) against the exact query text;
  // only those documents are downloaded. Showing and counting share one check at a
  // time, so no candidate is checked twice. When the known candidates run short,
  // the next segment is looked up first.
  function verifyBatch(s) {
    if (s.busy) return s.busy;
    if (!s.complete && s.next + BATCH > s.candidates.length) return extend(s, false);
    var batch = s.candidates.slice(s.next, s.next + BATCH);
    s.busy = Promise.all(batch.map(function (c) { return load(docFile(c)).catch(function () {}); })).then(function () {
      batch.forEach(function (c) {
        var d = docOf(c);
        if (!d) return;
        var hay = haystack(d);
        if (s.parts.every(function (p) { return contains(hay, p); })) s.matched.push(d);
      });
      s.next += batch.length;
      s.busy = null;
    });
    return s.busy;
  }

  // Checks candidates until `want` results are known (or none are left).
  function verifyUntil(s, my, want) {
    if (my !== seq || s.matched.length >= want || done(s)) return Promise.resolve();
    return verifyBatch(s).then(function () { return verifyUntil(s, my, want); });
  }

  // Shows the next page of results, checking only as many candidates as it needs.
  function showMore(my) {
    var s = state;
    return verifyUntil(s, my, s.shown + PAGE).then(function () {
      if (my !== seq) return;
      s.matched.slice(s.shown, s.shown + PAGE).forEach(function (d) { results.appendChild(resultItem(d, s.parts)); });
      s.shown = Math.min(s.matched.length, s.shown + PAGE);
      showStatus(s);
    });
  }

  // Counts every result, a batch at a time after the first page is shown, so the
  // status can state the exact number ("at least N" until then): the remaining
  // segments are looked up at once, then their candidates checked. Without query
  // words every candidate is a result: the filters' postings are exact.
  function countAll(my) {
    var s = state;
    if (my !== seq) return Promise.resolve();
    return extend(s, true).then(function () {
      if (my !== seq) return;
      if (s.parts.length === 0 || done(s)) { showStatus(s); return; }
      return verifyBatch(s).then(function () { showStatus(s); return countAll(my); });
    });
  }

  // The exact number of results once every candidate is checked; until then, at least
  // the number found so far.
  function exactCount(s) {
    if (done(s)) return s.matched.length;
    return s.parts.length === 0 && s.complete ? s.candidates.length : null;
  }

  // A count in words, as the page's catalogue writes it (src/render/strings.rs): the
  // `one` form for exactly 1 where the language has one (English), else `other`;
  // the number with thousands separators, as the pages write numbers.
  function counted(n, other, one) {
    var words = (n === 1 && one) ? one : (other || '{n}');
    return words.replace('{n}', String(n).replace(/\B(?=(\d{3})+$)/g, ','));
  }

  function showStatus(s) {
    if (s.seq !== seq) return;
    var exact = exactCount(s);
    more.hidden = s.shown >= s.matched.length && done(s);
    if (exact === 0) {
      status.textContent = (text.none || '').replace('{q}', s.query.q.trim());
    } else if (exact !== null) {
      status.textContent = counted(exact, text.count, text.countOne);
    } else {
      status.textContent = counted(s.matched.length, text.countAtLeast, text.countAtLeastOne);
    }
  }

  function resultItem(d, parts) {
    var li = document.createElement('li');
    li.className = 'result';
    var a = document.createElement('a');
    a.href = '../' + d.url;
    var kind = document.createElement('span');
    kind.className = 'kind';
    kind.textContent = d.kind === 'learning' ? text.kindLearning : text.kindSection;
    a.appendChild(kind);
    appendMarked(a, d.kind === 'learning' ? d.text : d.title, parts);
    li.appendChild(a);
    if (d.kind !== 'learning') {
      var p = document.createElement('p');
      p.className = 'snippet';
      appendMarked(p, snippet(d.text, parts), parts);
      li.appendChild(p);
    }
    var m = document.createElement('p');
    m.className = 'meta';
    m.textContent = d.team_name + ' · ' + d.quarter_label + (d.tags.length ? ' · #' + d.tags.join(' #') : '');
    li.appendChild(m);
    return li;
  }

  // Case- and width-insensitive positions of the query parts in `s`, via a
  // per-character normalised copy that keeps offsets into the original.
  function matches(s, parts) {
    var chars = Array.from(s);
    var norm = '', map = [];
    chars.forEach(function (ch, i) {
      var n = normalize(ch);
      for (var k = 0; k < n.length; k++) map.push(i);
      norm += n;
    });
    map.push(chars.length);
    var ranges = [];
    parts.forEach(function (p) {
      var from = 0, at;
      while (p && (at = norm.indexOf(p, from)) >= 0) {
        ranges.push([map[at], map[at + p.length - 1] + 1]);
        from = at + p.length;
      }
    });
    ranges.sort(function (x, y) { return x[0] - y[0]; });
    return { chars: chars, ranges: ranges };
  }

  function snippet(s, parts) {
    var m = matches(s, parts);
    if (!m.ranges.length) return m.chars.slice(0, 120).join('') + (m.chars.length > 120 ? '…' : '');
    var start = Math.max(0, m.ranges[0][0] - 40);
    var end = Math.min(m.chars.length, start + 140);
    return (start > 0 ? '…' : '') + m.chars.slice(start, end).join('') + (end < m.chars.length ? '…' : '');
  }

  function appendMarked(el, s, parts) {
    var m = matches(s, parts);
    var pos = 0;
    m.ranges.forEach(function (r) {
      if (r[0] < pos) return;
      if (r[0] > pos) el.appendChild(document.createTextNode(m.chars.slice(pos, r[0]).join('')));
      var mark = document.createElement('mark');
      mark.textContent = m.chars.slice(r[0], r[1]).join('');
      el.appendChild(mark);
      pos = r[1];
    });
    if (pos < m.chars.length) el.appendChild(document.createTextNode(m.chars.slice(pos).join('')));
  }

  function clear() {
    seq++;
    results.textContent = '';
    status.textContent = '';
    more.hidden = true;
  }

  function updateUrl(q) {
    try {
      var params = new URLSearchParams();
      ['q', 'team', 'quarter', 'tag'].forEach(function (k) { if (q[k]) params.set(k, q[k]); });
      var qs = params.toString();
      // Only the query changes (the path stays as loaded), so this works under a
      // sub-path and from file:// alike; the URL can be shared as it is.
      history.replaceState(null, '', location.pathname + (qs ? '?' + qs : '') + location.hash);
    } catch (e) { /* some browsers refuse history changes on file:// */ }
  }

  // Chooses the option of `select` that `value` names, compared as the index
  // compares filters (NFKC, lower case): a shared link written `?tag=Pricing`
  // finds `#pricing`. A value that names no option leaves the filter off.
  function choose(select, value) {
    var want = normalize(value);
    for (var i = 0; i < select.options.length; i++) {
      if (normalize(select.options[i].value) === want) { select.selectedIndex = i; return true; }
    }
    return false;
  }

  // --- Wiring ----------------------------------------------------------------
  function option(select, value, label) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    select.appendChild(o);
  }

  var composing = false;
  input.addEventListener('compositionstart', function () { composing = true; });
  input.addEventListener('compositionend', function () { composing = false; run(); });
  input.addEventListener('input', function (e) { if (!composing && !e.isComposing) run(); });
  Object.keys(selects).forEach(function (k) { selects[k].addEventListener('change', run); });
  form.addEventListener('submit', function (e) { e.preventDefault(); run(); });
  more.addEventListener('click', function () { if (state) showMore(state.seq); });

  load(manifest).then(function () {
    meta.teams.forEach(function (t) { option(selects.team, t[0], t[1]); });
    meta.quarters.forEach(function (q) { option(selects.quarter, q[0], q[1]); });
    meta.tags.forEach(function (t) { option(selects.tag, t, '#' + t); });
    var params = new URLSearchParams(location.search);
    if (params.get('q')) input.value = params.get('q');
    var filtered = false;
    ['team', 'quarter', 'tag'].forEach(function (k) { if (params.get(k) && choose(selects[k], params.get(k))) filtered = true; });
    if (input.value || filtered) run();
    window.okrsiteSearchReady = true;
  }).catch(function () { status.textContent = text.error; });
})();
