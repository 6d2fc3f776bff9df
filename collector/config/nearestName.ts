/**
 * The declared name closest to a misspelt one, for "did you mean" in config messages. Plain
 * edit distance (insert, delete, substitute) over a handful of short names needs no library.
 */

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate nearest to `name`, ignoring case, if it is near enough to be a likely typo: at
 * most a third of the name's length apart (and at least 2 edits are always allowed).
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { candidate, distance };
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return best !== undefined && best.distance <= limit ? best.candidate : undefined;
}
