/** Numeric [x, y] pairs from a result's series of objects (one level of nesting flattened: perInstance.pssBytes). No I/O. */

/** Per y field, its [x, y] pairs; x is the first of `xFields` a row carries as a number. */
export function seriesPairs(rows: readonly unknown[], xFields: readonly string[], yTest: (k: string) => boolean): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  for (const row of rows) {
    if (typeof row !== 'object' || row === null) continue;
    const rec: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row as Record<string, unknown>)) {
      if (typeof v === 'object' && v !== null && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v as Record<string, unknown>)) rec[`${k}.${k2}`] = v2;
      else rec[k] = v;
    }
    const xf = xFields.find((f) => typeof rec[f] === 'number');
    if (!xf) continue;
    for (const [k, v] of Object.entries(rec)) {
      if (k === xf || typeof v !== 'number' || !yTest(k)) continue;
      const list = out.get(k);
      if (list) list.push([rec[xf] as number, v]);
      else out.set(k, [[rec[xf] as number, v]]);
    }
  }
  return out;
}
