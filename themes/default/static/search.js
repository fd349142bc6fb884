// okrsite search: plain JavaScript, no framework, no build step, no network but
// the site's own files. Index shards and documents are loaded with <script>, so
// search works from file:// and under any path. User text is only ever inserted
// with textContent, never as HTML.
//
// The index (src/render/search/) has one segment per four quarters, newest first;
// the manifest the page names (data-index) lists the segments and their quarters,
// each segment's shard list its shards, each quarter's table its document files,
// all by their content-hashed names. A segment numbers its learnings first (quarter
// by quarter, newest first), then its sections; results are every segment's
// learnings, newest quarter first, then every segment's sections.
//
// A query costs at most MAX_REQUESTS new files and MAX_DOC_BYTES of document files
// (data-max-requests and data-max-doc-bytes on the form override them): past that
// it stops and says so ("N+ results; refine the query"); "show more" grants as much
// again. The index never has to be fetched whole.
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
  var MAX_TOKENS = 6;     // query terms looked up (filters come on top)
  var MAX_REQUESTS = 30;  // new files a query may load
  var MAX_DOC_BYTES = 200 * 1024; // bytes of document files a query may load

  var manifest = text.index || '';
  var base = manifest.slice(0, manifest.lastIndexOf('/') + 1);
  var meta = null;
  var segByDir = {};
  var quarterById = {};
  var loading = {};

  var api = window.okrsiteSearch = {
    meta: function (m) {
      meta = m;
      m.segments.forEach(function (seg) {
        seg.shards = {};
        seg.docs = [];
        seg.fileOf = [];
        segByDir[seg.dir] = seg;
        // A quarter's learnings follow the previous quarters' learnings of the
        // segment from 0, its sections theirs from seg.learnings.
        var l = 0, s = seg.learnings;
        seg.quarters.forEach(function (q) {
          q.seg = seg;
          q.l0 = l; q.s0 = s;
          l += q.l; s += q.s;
          quarterById[q.q] = q;
        });
      });
    },
    shards: function (dir, list) { var seg = segByDir[dir]; if (seg) seg.s = list.s; },
    shard: function (dir, n, data) { var seg = segByDir[dir]; if (seg) seg.shards[n] = data; },
    table: function (q, t) { var quarter = quarterById[q]; if (quarter) prepare(quarter, t); },
    docs: function (q, name, list) {
      var quarter = quarterById[q], f = quarter && quarter.byName && quarter.byName[name];
      if (!f) return;
      list.forEach(function (d, i) { quarter.seg.docs[i < f.lc ? f.l0 + i : f.s0 + i - f.lc] = d; });
    }
  };

  // A quarter's table: its document files ([name, hash, learnings, sections, bytes])
  // in numbering order, from which each document's file is known
  // (src/render/search/segments.rs).
  function prepare(quarter, t) {
    var seg = quarter.seg, l = quarter.l0, s = quarter.s0;
    quarter.byName = {};
    quarter.files = t.map(function (e) {
      var f = { name: e[0], hash: e[1], l0: l, lc: e[2], s0: s, sc: e[3], bytes: e[4], quarter: quarter };
      for (var i = 0; i < f.lc; i++) seg.fileOf[l + i] = f;
      for (var k = 0; k < f.sc; k++) seg.fileOf[s + k] = f;
      l += f.lc;
      s += f.sc;
      quarter.byName[f.name] = f;
      return f;
    });
  }

  function shardListSrc(seg) { return base + 's/' + seg.dir + '.' + seg.t + '.js'; }
  function shardSrc(seg, n) { return base + 's/' + seg.dir + '/' + n + '.' + seg.s[n] + '.js'; }
  function tableSrc(q) { return base + 't/' + q.dir + '.' + q.t + '.js'; }

  // The quarter a segment's document n is in.
  function quarterOf(seg, n) {
    var learning = n < seg.learnings;
    for (var i = 0; i < seg.quarters.length; i++) {
      var q = seg.quarters[i];
      if (learning ? n < q.l0 + q.l : n < q.s0 + q.s) return q;
    }
    return seg.quarters[seg.quarters.length - 1];
  }

  // The file holding candidate c (a segment and a number in it), once its quarter's
  // table is loaded.
  function docFileOf(c) { return c.seg.fileOf[c.n]; }
  function docSrc(f) { return base + 'd/' + f.quarter.dir + '/' + f.name + '.' + f.hash + '.js'; }

  function docOf(c) { return c.seg.docs[c.n]; }

  // What a query has spent: new files and bytes of document files. A search without
  // a budget (searchAll) has none.
  function budget(limited) {
    var d = form.dataset;
    return {
      requests: 0, bytes: 0, capped: false,
      maxRequests: limited ? Number(d.maxRequests || MAX_REQUESTS) : Infinity,
      maxBytes: limited ? Number(d.maxDocBytes || MAX_DOC_BYTES) : Infinity
    };
  }

  // Whether `srcs` (with their byte sizes, for document files) can still be loaded
  // within the budget; if so, they are charged to it. Files already loaded are free.
  function afford(b, srcs, sizes) {
    var reqs = 0, bytes = 0;
    srcs.forEach(function (src, i) { if (!loading[src]) { reqs++; bytes += (sizes && sizes[i]) || 0; } });
    if (b.requests + reqs > b.maxRequests || b.bytes + bytes > b.maxBytes) return false;
    b.requests += reqs;
    b.bytes += bytes;
    return true;
  }

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
        // A single character, or bigrams that cover the run: every bigram of a short
        // run (速い学習 → 速い, い学, 学習: a document with all three almost always
        // holds the phrase, so the postings alone decide most queries), every other
        // one of a long run (and the last), cut to MAX_TOKENS by plan(). The exact
        // text is checked afterwards anyway.
        if (run.length === 1) out.push(run[0]);
        var step = run.length <= 5 ? 1 : 2;
        for (var k = 0; k + 1 < run.length; k += step) out.push(run[k] + run[k + 1]);
        if (step === 2 && run.length % 2 === 1) out.push(run[run.length - 2] + run[run.length - 1]);
      } else if (c === 2) {
        out.push(run.length <= MAX_PREFIX ? run.join('') : run.slice(0, MAX_PREFIX).join(''));
      }
      i = j;
    }
    return out;
  }

  // Whether a part's one token finds exactly the documents that hold the part, so
  // its postings decide the query with no document fetched: one run (no mix of
  // scripts), of one or two Japanese characters (the token is the part), or a word
  // of at most MAX_PREFIX characters (the token is a prefix of every word it starts,
  // and only of those: as contains() wants).
  function exactPart(part) {
    var chars = Array.from(part);
    var c = cls(chars[0]);
    if (!chars.every(function (ch) { return cls(ch) === c; })) return false;
    return (c === 1 && chars.length <= 2) || (c === 2 && chars.length <= MAX_PREFIX);
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

  // A token's documents in one segment, from the segment's shard for it (its shard
  // list loaded).
  var decoded = {};
  function postings(seg, token) {
    var key = seg.dir + '\u0000' + token;
    if (decoded[key]) return Promise.resolve(decoded[key]);
    var n = shardOf(token, seg.s.length);
    return load(shardSrc(seg, n)).then(function () {
      var shard = seg.shards[n];
      var enc = shard && Object.prototype.hasOwnProperty.call(shard, token) ? shard[token] : '';
      return (decoded[key] = decode(enc));
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

  // The query's parts (each must appear in a result) and the tokens to look up: at
  // most MAX_TOKENS of the parts' tokens, spread evenly over them (first and last
  // kept), so a long phrase costs no more requests than a short one.
  function plan(query) {
    var parts = normalize(query.q).split(/\s+/).filter(function (p) { return queryTokens(p).length > 0; });
    var all = [];
    parts.forEach(function (p) { queryTokens(p).forEach(function (t) { if (all.indexOf(t) < 0) all.push(t); }); });
    var tokens = all;
    if (all.length > MAX_TOKENS) {
      tokens = [];
      for (var i = 0; i < MAX_TOKENS; i++) tokens.push(all[Math.round(i * (all.length - 1) / (MAX_TOKENS - 1))]);
    }
    // Exact when every part is, and each part's token is looked up.
    var exact = parts.every(exactPart) && tokens.length === all.length;
    if (query.team) tokens.push('\u0001team:' + normalize(query.team));
    if (query.quarter) tokens.push('\u0001quarter:' + normalize(query.quarter));
    if (query.tag) tokens.push('\u0001tag:' + normalize(query.tag));
    return { parts: parts, tokens: tokens, exact: exact };
  }

  // The candidates, in rank order: each segment's learnings (newest quarter first),
  // then each segment's sections. Segments are looked up newest first, one at a
  // time while the first page is being filled (a common word fills it from the
  // newest quarters alone), then the rest at once to count. A quarter filter skips
  // the other quarters' segments without loading anything of theirs.
  function newState(my, query, p, limited) {
    var segs = meta.segments.filter(function (seg) {
      return !query.quarter || seg.quarters.some(function (q) { return normalize(q.q) === normalize(query.quarter); });
    });
    return {
      seq: my, parts: p.parts, tokens: p.tokens, exact: p.exact, query: query, segs: segs, found: [], complete: segs.length === 0,
      candidates: [], next: 0, matched: [], shown: 0, busy: null, budget: budget(limited)
    };
  }

  // A segment's documents holding every token, or null when the budget does not
  // reach that far (its shard list, then its shards for the tokens).
  function segmentIds(s, seg) {
    var listed = seg.s ? Promise.resolve(true) : (afford(s.budget, [shardListSrc(seg)]) ? load(shardListSrc(seg)).then(function () { return true; }) : Promise.resolve(false));
    return listed.then(function (ok) {
      if (!ok) return null;
      var srcs = s.tokens.map(function (t) { return shardSrc(seg, shardOf(t, seg.s.length)); });
      var unique = srcs.filter(function (src, i) { return srcs.indexOf(src) === i; });
      if (!s.tokens.every(function (t) { return decoded[seg.dir + '\u0000' + t]; }) && !afford(s.budget, unique)) return null;
      return Promise.all(s.tokens.map(function (t) { return postings(seg, t); })).then(function (lists) {
        lists = lists.slice().sort(function (a, b) { return a.length - b.length; });
        return lists.reduce(intersect);
      });
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

  // Whether the query stopped at its budget with candidates left to look at.
  function stopped(s) { return s.budget.capped && !done(s); }

  // Looks up the next segment (`all`: every remaining one, in parallel), as far as
  // the budget reaches; a segment it does not reach stops the search there.
  function extend(s, all) {
    if (s.busy) return s.busy.then(function () { return extend(s, all); });
    if (s.complete || s.budget.capped) return Promise.resolve();
    var rest = s.segs.slice(s.found.length, all ? s.segs.length : s.found.length + 1);
    s.busy = Promise.all(rest.map(function (seg) { return segmentIds(s, seg); })).then(function (lists) {
      for (var i = 0; i < lists.length; i++) {
        if (!lists[i]) { s.budget.capped = true; break; }
        addSegment(s, lists[i]);
      }
      s.busy = null;
    }, function (e) { s.busy = null; throw e; });
    return s.busy;
  }

  // The longest start of `batch` whose quarter tables, then document files, the
  // budget reaches, with those files loaded.
  function loadDocs(s, batch) {
    var tables = [], take = batch.length;
    for (var i = 0; i < batch.length; i++) {
      var q = quarterOf(batch[i].seg, batch[i].n);
      if (q.files || tables.indexOf(q) >= 0) continue;
      if (!afford(s.budget, [tableSrc(q)])) { take = i; break; }
      tables.push(q);
    }
    return Promise.all(tables.map(function (q) { return load(tableSrc(q)); })).then(function () {
      var srcs = [], n = 0;
      for (; n < take; n++) {
        var f = docFileOf(batch[n]);
        if (!f) break;
        var src = docSrc(f);
        if (srcs.indexOf(src) < 0 && !loading[src]) {
          if (!afford(s.budget, [src], [f.bytes])) break;
          srcs.push(src);
        }
      }
      var ready = batch.slice(0, n);
      return Promise.all(ready.map(function (c) { return load(docSrc(docFileOf(c))).catch(function () {}); })).then(function () { return ready; });
    });
  }

  // Every matching document, in rank order, as `<quarter>/<file name>/<position in
  // its file>` (used by the tests; the page shows them a batch at a time).
  api.searchAll = function (query) {
    var p = plan(query);
    if (!p.tokens.length) return Promise.resolve([]);
    var s = newState(-1, query, p, false);
    return extend(s, true).then(function () { return loadDocs(s, s.candidates); }).then(function (candidates) {
      return candidates.filter(function (c) {
        var d = docOf(c);
        return d && p.parts.every(function (part) { return contains(haystack(d), part); });
      }).map(function (c) {
        var f = docFileOf(c);
        return f.quarter.q + '/' + f.name + '/' + (c.n < c.seg.learnings ? c.n - f.l0 : f.lc + c.n - f.s0);
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
    var s = state = newState(my, query, p, true);
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
    if (s.budget.capped) return Promise.resolve();
    if (!s.complete && s.next + BATCH > s.candidates.length) return extend(s, false);
    var batch = s.candidates.slice(s.next, s.next + BATCH);
    s.busy = loadDocs(s, batch).then(function (ready) {
      if (!ready.length) s.budget.capped = true;
      ready.forEach(function (c) {
        var d = docOf(c);
        if (!d) return;
        var hay = haystack(d);
        if (s.parts.every(function (p) { return contains(hay, p); })) s.matched.push(d);
      });
      s.next += ready.length;
      s.busy = null;
    }, function (e) { s.busy = null; throw e; });
    return s.busy;
  }

  // Checks candidates until `want` results are known (or none are left, or the
  // budget is spent).
  function verifyUntil(s, my, want) {
    if (my !== seq || s.matched.length >= want || done(s) || s.budget.capped) return Promise.resolve();
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
  // segments are looked up at once, then their candidates checked. When the
  // postings are exact (filters alone, 価格, の, pricing: plan()) every candidate is
  // a result, so none is fetched to count.
  function countAll(my) {
    var s = state;
    if (my !== seq) return Promise.resolve();
    return extend(s, true).then(function () {
      if (my !== seq) return;
      if (s.exact || done(s) || s.budget.capped) { showStatus(s); return; }
      return verifyBatch(s).then(function () { showStatus(s); return countAll(my); });
    });
  }

  // The exact number of results once every candidate is checked; until then, at least
  // the number found so far.
  function exactCount(s) {
    if (done(s)) return s.matched.length;
    return s.exact && s.complete ? s.candidates.length : null;
  }

  // "Show more" past the budget grants as much again.
  function renew(s) {
    if (s.budget.capped) s.budget = budget(true);
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
    if (exact === null && stopped(s)) {
      status.textContent = s.matched.length ? counted(s.matched.length, text.capped, text.cappedOne) : (text.cappedNone || '');
    } else if (exact === 0) {
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
  more.addEventListener('click', function () {
    if (!state) return;
    var s = state, wasStopped = s.budget.capped;
    renew(s);
    showMore(s.seq).then(function () { if (wasStopped) return countAll(s.seq); });
  });

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
