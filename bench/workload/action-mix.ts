/**
 * The bodies of POST /action. About 30% are actions some mission listens to (watch, rate, share, login;
 * several complete one-step challenges on a user's first report), about 70% are declared actions no
 * mission uses. The split mirrors app traffic, where page views and heartbeats dwarf rewarded actions,
 * and it matters: an unmatched action skips the rules blob entirely (see EngineScripts.applyAction).
 */

/** A deterministic PRNG (mulberry32), so the same seed sends the same requests in every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
type BodyMaker = (r: Random) => { action: string; data?: Record<string, string | number | boolean> };

const GENRES = ["drama", "thriller", "comedy", "documentary", "family", "action", "anime"];
const PAGES = ["home", "browse", "show", "search", "account", "downloads"];
const CHANNELS = ["whatsapp", "messenger", "email", "sms", "x", "copy-link"];
const pick = <T>(r: Random, list: readonly T[]): T => list[Math.floor(r() * list.length)];
const show = (r: Random) => `show-${Math.floor(r() * 400)}`;

/** [weight, maker]; weights sum to 100 and the first four (advancing) sum to 30. */
const MIX: ReadonlyArray<readonly [number, BodyMaker]> = [
  [
    16,
    (r) => ({
      action: "watch",
      data: {
        genre: pick(r, GENRES),
        duration: 60 + Math.floor(r() * 5400),
        showId: show(r),
        finished: r() < 0.5,
      },
    }),
  ],
  [6, (r) => ({ action: "rate", data: { stars: 1 + Math.floor(r() * 5), showId: show(r) } })],
  [4, (r) => ({ action: "share", data: { channel: pick(r, CHANNELS) } })],
  [4, () => ({ action: "login" })],
  [25, (r) => ({ action: "page-view", data: { page: pick(r, PAGES) } })],
  [20, (r) => ({ action: "heartbeat", data: { showId: show(r), position: Math.floor(r() * 7200) } })],
  [15, (r) => ({ action: "scroll", data: { page: pick(r, PAGES), depth: Math.floor(r() * 100) } })],
  [
    10,
    (r) => ({
      action: "search",
      data: { query: `q${Math.floor(r() * 1000)}`, results: Math.floor(r() * 50) },
    }),
  ],
];

/** Share of the mix that is mission-advancing, for the report. */
export const ADVANCING_SHARE = 0.3;

/** One POST /action body (JSON text), drawn from the mix. */
export function actionBody(r: Random): string {
  let x = r() * 100;
  for (const [weight, make] of MIX) {
    if (x < weight) return JSON.stringify(make(r));
    x -= weight;
  }
  return JSON.stringify(MIX[MIX.length - 1][1](r));
}
