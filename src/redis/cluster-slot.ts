/**
 * Redis Cluster's key → slot function (CRC16/XMODEM of the hash tag, or of the whole key without one,
 * modulo 16384), as in the Redis Cluster specification. Used to find the node that owns a partition's
 * slot without a round trip; test/cluster checks it against `CLUSTER KEYSLOT`.
 */

export const SLOT_COUNT = 16384;

const TABLE = buildTable();

function buildTable(): Uint16Array {
  const table = new Uint16Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[i] = crc & 0xffff;
  }
  return table;
}

/** CRC16/XMODEM of the UTF-8 bytes of `text`. */
export function crc16(text: string): number {
  let crc = 0;
  for (const byte of Buffer.from(text, "utf8"))
    crc = ((crc << 8) ^ TABLE[((crc >> 8) ^ byte) & 0xff]) & 0xffff;
  return crc;
}

/** The hashed part of a key: the first non-empty `{…}` tag, else the whole key. */
export function hashTagOf(key: string): string {
  const open = key.indexOf("{");
  if (open < 0) return key;
  const close = key.indexOf("}", open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

/** The cluster slot of a key. */
export function slotOf(key: string): number {
  return crc16(hashTagOf(key)) % SLOT_COUNT;
}
