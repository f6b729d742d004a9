/** An integer field (`name:123`) of an INFO reply section; undefined when the section has no such field. */
export function infoInteger(info: string, name: string): number | undefined {
  const match = new RegExp(`^${name}:(\\d+)`, "m").exec(info);
  return match ? Number(match[1]) : undefined;
}

/** The same field, which the reply must have (else an Error naming it). */
export function requiredInfoInteger(info: string, name: string): number {
  const n = infoInteger(info, name);
  if (n === undefined) throw new Error(`INFO has no ${name}`);
  return n;
}
