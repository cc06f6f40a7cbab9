// minigd: search ranks exact matches first. smalldocs' search asks Fuse (fuzzy matching) for the entries of
// search.json; fuzzy matching alone ranks "moments" with "momentum" and "difference" with "divergence". This wraps
// Fuse so that entries holding every word of the query come first, in tiers: the words whole in the title or
// section heading; their start in the title or section (`DivergenceGuard` for "divergence"); the words whole in
// the text; their start in the text. Within a tier, more mentions rank higher. Fuse's fuzzy hits follow.
// Loaded right after fuse.min.js (tools/site_fixes.py), before smalldocs.js builds its Fuse.
(() => {
  const Base = window.Fuse;
  if (!Base) return;
  const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const count = (re, s) => (String(s || "").match(re) || []).length;
  class RankedFuse extends Base {
    constructor(docs, options, index) { super(docs, options, index); this.docs = docs; }
    search(query, options = {}) {
      const words = String(query).toLowerCase().split(/\s+/).filter((w) => w.length > 1);
      const limit = options.limit;
      const fuzzy = super.search(query, limit ? { ...options, limit: limit + 50 } : options);
      if (!words.length) return limit ? fuzzy.slice(0, limit) : fuzzy;
      const whole = words.map((w) => new RegExp(`(?<![\\w])${escape(w)}(?![\\w])`, "gi"));
      const start = words.map((w) => new RegExp(`(?<![A-Za-z0-9])${escape(w)}`, "gi"));
      const ranked = [];
      this.docs.forEach((item, refIndex) => {
        const head = `${item.title || ""} ${item.section || ""}`, all = `${head} ${item.text || ""}`;
        const every = (res, s) => res.every((re) => count(re, s) > 0);
        const tier = every(whole, head) ? 0 : every(start, head) ? 1 : every(whole, all) ? 2 : every(start, all) ? 3 : -1;
        if (tier < 0) return;
        const mentions = whole.reduce((n, re) => n + count(re, all), 0);
        ranked.push({ item, refIndex, score: 0, tier, mentions });
      });
      ranked.sort((a, b) => a.tier - b.tier || b.mentions - a.mentions || a.refIndex - b.refIndex);
      const seen = new Set(ranked.map((r) => r.refIndex));
      const out = ranked.map(({ item, refIndex, score }) => ({ item, refIndex, score }))
        .concat(fuzzy.filter((h) => !seen.has(h.refIndex)));
      return limit ? out.slice(0, limit) : out;
    }
  }
  window.Fuse = RankedFuse;
})();
