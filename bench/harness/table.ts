/** One line of the results table. */
export interface Row {
  id: string;
  what: string;
  unit: string;
  au: number;
  bare?: number;
  /** au ÷ bare as measured in pairs (median of per-round quotients); by default the quotient of the medians. */
  ratio?: number;
  goal?: string;
  met?: boolean;
}

function fmt(value: number | undefined, unit: string): string {
  if (value === undefined || Number.isNaN(value)) return '-';
  if (unit === 'ms') return value.toFixed(2);
  if (unit === 'MB') return value.toFixed(0);
  if (unit === 'per task') return value.toFixed(1);
  return Math.round(value).toLocaleString('en-US');
}

/** The markdown table: au, bare, au/bare (the row's paired ratio, or the plain quotient au ÷ bare), goal and whether met. */
export function renderTable(rows: Row[]): string {
  const lines = [
    '| # | Measure | Unit | au | bare | au / bare | Goal | Met |',
    '|---|---|---|--:|--:|--:|---|:-:|',
  ];
  for (const r of rows) {
    const ratio = r.ratio !== undefined ? r.ratio.toFixed(2) : r.bare ? (r.au / r.bare).toFixed(2) : '-';
    const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
    lines.push(`| ${r.id} | ${r.what} | ${r.unit} | ${fmt(r.au, r.unit)} | ${fmt(r.bare, r.unit)} | ${ratio} | ${r.goal ?? ''} | ${met} |`);
  }
  return lines.join('\n');
}
