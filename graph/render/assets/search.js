/* regulink explorer: finding entities by what a person types (window.RegulinkSearch).
 *
 * Names arrive folded by graph/search.py's normalize (info[id].fold); the query is folded
 * here the same way: NFKD, combining marks dropped, case folded, every run of non-word
 * characters one space. Exact hits rank first (name or abbreviation, then id, then
 * alias), then prefixes, then words inside a name, then typos: an edit-distance ratio
 * (as rapidfuzz's) of at least 70 against a whole name or one of its words, so "Finnma"
 * and "Fimna" find FINMA.
 */
(function () {
  'use strict';

  var NON_WORD = /[^\p{L}\p{N}\p{M}]+/gu;
  var MARK = /\p{M}/gu;

  function fold(text) {
    // toUpperCase().toLowerCase() stands in for Python's casefold ("ß" -> "ss"); a final
    // sigma folds to a plain one there too.
    return String(text).normalize('NFKD').replace(MARK, '').toUpperCase().toLowerCase()
      .replace(/\u03c2/g, '\u03c3').replace(NON_WORD, ' ').trim();
  }

  // Indel similarity in 0..100: 100 * (1 - (insertions + deletions) / (len a + len b)).
  function ratio(a, b) {
    var n = a.length, m = b.length;
    if (!n && !m) return 100;
    var prev = new Array(m + 1).fill(0), cur = new Array(m + 1).fill(0);
    for (var i = 1; i <= n; i++) {
      for (var j = 1; j <= m; j++) {
        cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
      }
      var t = prev; prev = cur; cur = t;
    }
    return 100 * 2 * prev[m] / (n + m);
  }

  /* index: [{id, fold: [id, name, short?, aliases...], hasShort, len}] */
  function makeIndex(info) {
    return Object.keys(info).map(function (id) {
      var i = info[id];
      return { id: id, fold: i.fold, hasShort: !!i.short_name, len: i.name.length,
        words: i.fold.map(function (f) { return f.split(' '); }) };
    });
  }

  // As graph/search.py's exact scores: a name or abbreviation, then the id, then an alias.
  function fieldWeight(entry, k) {
    if (k === 0) return 99;                                 // id
    if (k === 1 || (k === 2 && entry.hasShort)) return 100; // name, abbreviation
    return 98;                                              // alias
  }

  function score(entry, q) {
    var best = 0;
    for (var k = 0; k < entry.fold.length; k++) {
      var f = entry.fold[k];
      if (!f) continue;
      var s = 0;
      if (f === q) s = fieldWeight(entry, k);
      else if (f.indexOf(q) === 0) s = 95;
      else if ((' ' + f).indexOf(' ' + q) >= 0) s = 92;
      else if (q.length >= 3 && f.indexOf(q) > 0) s = 85;
      else if (q.length >= 3) {
        s = Math.min(ratio(q, f), 90);
        var words = entry.words[k];
        for (var w = 0; w < words.length; w++) {
          if (Math.abs(words[w].length - q.length) > 3) continue;
          s = Math.max(s, Math.min(ratio(q, words[w]), 90) - 2);
        }
        if (s < 70) s = 0;
      }
      if (s > best) best = s;
    }
    return best;
  }

  function find(index, text, limit, keep) {
    var q = fold(text);
    if (!q) return [];
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      if (keep && !keep(index[i].id)) continue;
      var s = score(index[i], q);
      if (s) hits.push({ id: index[i].id, score: s, len: index[i].len });
    }
    hits.sort(function (a, b) { return b.score - a.score || a.len - b.len || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
    return hits.slice(0, limit || 10).map(function (h) { return h.id; });
  }

  window.RegulinkSearch = { fold: fold, ratio: ratio, makeIndex: makeIndex, find: find };
})();
