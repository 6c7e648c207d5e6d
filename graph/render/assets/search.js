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
  var FOLDS = { '\u00df': 'ss', '\u03c2': '\u03c3', '\u1c80': '\u0432', '\u1c81': '\u0434',
    '\u1c82': '\u043e', '\u1c83': '\u0441', '\u1c84': '\u0442', '\u1c85': '\u0442',
    '\u1c86': '\u044a', '\u1c87': '\u0463', '\u1c88': '\ua64b' };
  var CASEFOLD = /[\u00df\u03c2\u1c80-\u1c88\u13f8-\u13fd\uab70-\uabbf]/gu;

  function fold(text) {
    // Python's casefold is lower case but for these (Unicode's full case folding): "ß",
    // final sigma, old Cyrillic letter variants, and Cherokee, which folds to capitals.
    return String(text).normalize('NFKD').replace(MARK, '').toLowerCase()
      .replace(CASEFOLD, function (c) {
        var cp = c.codePointAt(0);
        if (cp >= 0xab70) return String.fromCodePoint(cp - 0xab70 + 0x13a0);
        if (cp >= 0x13f8 && cp <= 0x13fd) return String.fromCodePoint(cp - 8);
        return FOLDS[c];
      }).replace(NON_WORD, ' ').trim();
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
