/** Deterministic pseudo-random text for bench payloads (seeded, so runs are comparable). */

export const WORDS: readonly string[] = (
  'the a of to and in is it you that he was for on are with as his they be at one have this from or had by ' +
  'word but what some we can out other were all there when up use your how said an each she which do their ' +
  'time if will way about many then them write would like so these her long make thing see him two has look ' +
  'more day could go come did number sound no most people my over know water than call first who may down ' +
  'side been now find any new work part take get place made live where after back little only round man year ' +
  'came show every good me give our under name very through just form sentence great think say help low line ' +
  'differ turn cause much mean before move right boy old too same tell does set three want air well also play ' +
  'small end put home read hand port large spell add even land here must big high such follow act why ask men ' +
  'change went light kind off need house picture try us again animal point mother world near build self earth ' +
  'father head stand own page should country found answer school grow study still learn plant cover food sun ' +
  'four between state keep eye never last let thought city tree cross farm hard start might story saw far sea ' +
  'draw left late run while press close night real life few north open seem together next white children begin ' +
  'model token prompt agent tool retrieve vector search query document embedding context answer score latency'
).split(' ');

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)] as T;
}

/** About `n` words (n +- 30 %) from the vocabulary. */
export function sentence(rng: () => number, n: number): string {
  const len = Math.max(1, Math.round(n * (0.7 + 0.6 * rng())));
  const out: string[] = [];
  for (let i = 0; i < len; i++) out.push(pick(rng, WORDS));
  return out.join(' ');
}
