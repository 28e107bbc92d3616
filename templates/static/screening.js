// Name screening, as generator/screening computes it (see score.py there for the method and
// the reasons of each rule). The rules come with the index (search/names.json), so a query is
// normalised here exactly as Python normalises names; tests/screening/vectors.json holds both
// implementations to the same results. No DOM here: search.js draws, Node runs the tests.

const DOUBLED = /(\P{Nd})\1+/gu;
const SEPARATORS = /[^\p{L}\p{N}]+/gu;
const BANDS = ["possible", "strong", "exact"];

export function tokens(text, rules) {
  const joiners = new Set(rules.joiners);
  let plain = "";
  for (const char of text.toLowerCase().normalize("NFKD")) {
    if (/\p{M}/u.test(char) || joiners.has(char)) continue;
    plain += char;
  }
  const words = plain.replace(SEPARATORS, " ").split(" ").filter((word) => word !== "")
    .map((word) => transliterate(word, rules));
  const named = dropParticles(words, rules);
  const stop = new Set(rules.stopwords);
  const kept = named.filter(([word]) => word.length > 1 && !stop.has(word));
  return (kept.length ? kept : named).map(([word, arabic]) => spell(word, arabic, rules));
}

// [Latin letters, whether they were Arabic (already in the folded alphabet)]
function transliterate(word, rules) {
  const arabic = rules.arabic;
  const chars = [...word];
  if (chars.some((char) => Object.hasOwn(arabic, char))) {
    for (const prefix of rules.arabic_prefixes) {
      if (word.startsWith(prefix) && word.length > prefix.length + 1) {
        word = word.slice(prefix.length);
        break;
      }
    }
    const letters = [...word];
    const first = Object.hasOwn(rules.arabic_initial, letters[0]) ? rules.arabic_initial[letters[0]]
      : Object.hasOwn(arabic, letters[0]) ? arabic[letters[0]] : letters[0];
    const rest = letters.slice(1).map((char) => (Object.hasOwn(arabic, char) ? arabic[char] : char));
    return [first + rest.join(""), true];
  }
  const table = rules.transliteration;
  return [chars.map((char) => (Object.hasOwn(table, char) ? table[char] : char)).join(""), false];
}

function dropParticles(words, rules) {
  const particles = new Set(rules.particles);
  const abd = [...rules.abd].sort((a, b) => b.length - a.length);
  const kept = [];
  let pending = null;
  for (const [word, arabic] of words) {
    if (pending) {
      if (particles.has(word)) continue;
      kept.push([pending[0] + word, pending[1] || arabic]);
      pending = null;
      continue;
    }
    if (abd.includes(word)) { pending = ["abd", arabic]; continue; }
    if (particles.has(word)) continue;
    const prefix = abd.find((p) => word.startsWith(p) && word.length > p.length + 2) ?? "";
    kept.push([prefix ? "abd" + word.slice(prefix.length) : word, arabic]);
  }
  if (pending) kept.push(pending);
  return kept;
}

function spell(word, arabic, rules) {
  if (!arabic) {
    for (const [written, folded] of rules.spellings) word = word.replaceAll(written, folded);
    for (const [ending, folded] of rules.endings) {
      if (word.endsWith(ending) && word.length > ending.length + 2) {
        word = word.slice(0, -ending.length) + folded;
      }
    }
  }
  for (const [written, folded] of rules.vowel_folds) word = word.replaceAll(written, folded);
  return word.replace(DOUBLED, "$1");
}

const PARTS = /[\s,;:/]+/u;

export function identifierKey(text) {
  return text.toUpperCase().replace(/[\s\-./]+/gu, "").replace(/^0+/, "");
}

export function jaroWinkler(a, b) {
  if (a === b) return 1.0;
  if (!a.length || !b.length) return 0.0;
  const window = Math.max(Math.floor(Math.max(a.length, b.length) / 2) - 1, 0);
  const usedA = new Array(a.length).fill(false);
  const usedB = new Array(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(i + window + 1, b.length); j++) {
      if (!usedB[j] && b[j] === a[i]) {
        usedA[i] = usedB[j] = true;
        matches += 1;
        break;
      }
    }
  }
  if (matches === 0) return 0.0;
  let halfTranspositions = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!usedA[i]) continue;
    while (!usedB[k]) k += 1;
    if (a[i] !== b[k]) halfTranspositions += 1;
    k += 1;
  }
  const jaro = (matches / a.length + matches / b.length
    + (matches - halfTranspositions / 2) / matches) / 3;
  let prefix = 0;
  while (prefix < Math.min(4, a.length, b.length) && a[prefix] === b[prefix]) prefix += 1;
  return jaro + prefix * 0.1 * (1 - jaro);
}

export function skeleton(token, rules) {
  let rest = "";
  for (const char of token.slice(1)) if (!rules.vowels.includes(char)) rest += char;
  return (token.slice(0, 1) + rest).replace(DOUBLED, "$1");
}

function forms(token, rules) {
  const found = [token];
  for (const prefix of rules.article_prefixes) {
    if (token.startsWith(prefix) && token.length >= prefix.length + 3) {
      found.push(token.slice(prefix.length));
    }
  }
  return found;
}

function lengthFactor(a, b) {
  return 1 - 0.5 * (1 - Math.min(a.length, b.length) / Math.max(a.length, b.length));
}

function floorFor(length, rules) {
  return length <= rules.short_floor_length ? rules.short_floor : rules.floor;
}

export function similarity(query, name, rules) {
  if (query === name) return 1.0;
  if (Math.min(query.length, name.length) <= rules.short_token) {
    const consonants = Math.min(query.length, name.length) >= 3
      && skeleton(query, rules) === skeleton(name, rules);
    return consonants ? rules.skeleton_similarity : 0.0;
  }
  if (query.startsWith("abd") && name.startsWith("abd")) {
    query = query.slice(3);
    name = name.slice(3);
    if (query === name) return 1.0;
  }
  let best = 0.0;
  for (const a of forms(query, rules)) {
    for (const b of forms(name, rules)) {
      let value = a === b ? 1.0 : jaroWinkler(a, b) * lengthFactor(a, b);
      if (a.length >= 3 && b.length >= 3 && skeleton(a, rules) === skeleton(b, rules)) {
        value = Math.max(value, rules.skeleton_similarity);
      }
      best = Math.max(best, value);
    }
  }
  return best >= floorFor(Math.min(query.length, name.length), rules) ? best : 0.0;
}

function sameTokens(a, b) {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((word, i) => word === y[i]);
}

// One subject of the index: [id, type, name, status, authorities, born, nationality, names,
// identifiers ([number, type]), weak (positions in names of weak aliases)].
export function entryOf(row) {
  const [id, type, name, status, authorities, born, nationality, names, identifiers, weak] = row;
  return { id, type, name, status, authorities, born, nationality, names, identifiers, weak };
}

export class Screener {
  constructor(index) {
    this.rules = index.rules;
    this.entries = index.subjects.map(entryOf);
    this.names = [];
    this.holders = new Map();
    this.identifiers = new Map();
    const frequency = new Map();
    this.entries.forEach((entry, index) => {
      const seen = new Set();
      entry.names.forEach((name, position) => {
        const words = tokens(name, this.rules);
        if (!words.length) return;
        for (const word of new Set(words)) {
          if (!this.holders.has(word)) this.holders.set(word, []);
          this.holders.get(word).push(this.names.length);
        }
        this.names.push([index, name, words, entry.weak.includes(position)]);
        for (const word of words) seen.add(word);
      });
      for (const key of new Set([...seen].map((word) => skeleton(word, this.rules)))) {
        frequency.set(key, (frequency.get(key) ?? 0) + 1);
      }
      for (const [number] of entry.identifiers) {
        const key = identifierKey(number);
        if (!key) continue;
        if (!this.identifiers.has(key)) this.identifiers.set(key, []);
        this.identifiers.get(key).push([index, number]);
      }
    });
    this.weights = new Map();
    for (const word of this.holders.keys()) {
      this.weights.set(word, 1 / (1 + Math.log(frequency.get(skeleton(word, this.rules)))));
    }
  }

  weight(token) {
    return this.weights.get(token) ?? 1.0;
  }

  nameScore(similar, name) {
    const pairs = [];
    similar.forEach((alike, i) => {
      name.forEach((token, j) => {
        const value = alike.get(token) ?? 0.0;
        if (value > 0) pairs.push([value, i, j]);
      });
    });
    pairs.sort((x, y) => y[0] - x[0] || x[1] - y[1] || x[2] - y[2]);
    const values = new Array(similar.length).fill(0.0);
    const weights = new Array(similar.length).fill(this.rules.unmatched_query_weight);
    const used = new Set();
    for (const [value, i, j] of pairs) {
      if (values[i] > 0 || used.has(j)) continue;
      used.add(j);
      values[i] = value;
      weights[i] = this.weight(name[j]);
    }
    let total = 0.0;
    let evidence = 0.0;
    values.forEach((value, i) => {
      total += weights[i];
      evidence += weights[i] * value;
    });
    const score = evidence / total;
    let nameTotal = 0.0;
    let leftOut = 0.0;
    name.forEach((token, j) => {
      nameTotal += this.weight(token);
      if (!used.has(j)) leftOut += this.weight(token);
    });
    return score * (1 - this.rules.unmatched_name_penalty * leftOut / nameTotal);
  }

  screen(query, threshold = this.rules.threshold) {
    const best = new Map();
    const parts = query.split(PARTS);
    const numbers = parts.filter((part) => /\p{Nd}/u.test(part)).join(" ");
    const keys = new Set([identifierKey(query), ...parts.map(identifierKey), identifierKey(numbers)]);
    for (const key of keys) {
      if (key.length < this.rules.identifier_min_length || !/\p{Nd}/u.test(key)) continue;
      for (const [index, number] of this.identifiers.get(key) ?? []) {
        best.set(index, match(this.entries[index], 1.0, "exact", number, "identifier"));
      }
    }
    const words = tokens(query, this.rules);
    const similar = words.map((word) => this.alike(word));
    const candidates = new Set();
    for (const alike of similar) {
      for (const token of alike.keys()) for (const n of this.holders.get(token)) candidates.add(n);
    }
    for (const position of [...candidates].sort((a, b) => a - b)) {
      const [index, name, nameWords, weak] = this.names[position];
      let score;
      let band;
      if (sameTokens(nameWords, words) && !weak) {
        score = 1.0;
        band = "exact";
      } else {
        score = this.nameScore(similar, nameWords);
        if (weak) score *= this.rules.weak_alias_factor;
        if (score < threshold) continue;
        band = score >= this.rules.strong && !weak ? "strong" : "possible";
      }
      const found = best.get(index);
      if (!found || rank(score, band, found) > 0) {
        best.set(index, match(this.entries[index], score, band, name, "name"));
      }
    }
    return [...best.values()].sort(order).slice(0, MAX_RESULTS);
  }

  alike(word) {
    const found = new Map();
    for (const token of this.holders.keys()) {
      const value = similarity(word, token, this.rules);
      if (value > 0) found.set(token, value);
    }
    return found;
  }
}

export const MAX_RESULTS = 50;

function match(entry, score, band, matched, by) {
  return { entry, score, band, matched, by };
}

// > 0 when (score, band) ranks above the match found.
function rank(score, band, found) {
  return BANDS.indexOf(band) - BANDS.indexOf(found.band) || score - found.score;
}

function order(x, y) {
  const byBand = BANDS.indexOf(y.band) - BANDS.indexOf(x.band);
  if (byBand) return byBand;
  if (x.score !== y.score) return y.score - x.score;
  if (x.entry.name !== y.entry.name) return x.entry.name < y.entry.name ? -1 : 1;
  return x.entry.id < y.entry.id ? -1 : x.entry.id > y.entry.id ? 1 : 0;
}
