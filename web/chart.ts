// Horizontal bar charts as server-rendered SVG: no script, readable at any zoom, and described
// for screen readers (the table beside each chart holds the same numbers).
export interface Bar {
  label: string;
  value: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function barChart(id: string, title: string, bars: Bar[], format: (n: number) => string = String): string {
  if (!bars.length) return '';
  const width = 640;
  const labelW = 260;
  const barH = 24;
  const gap = 8;
  const height = bars.length * (barH + gap) + gap;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const span = width - labelW - 70;
  const rows = bars.map((b, i) => {
    const y = gap + i * (barH + gap);
    const w = Math.max(2, Math.round((b.value / max) * span));
    const label = b.label.length > 38 ? `${b.label.slice(0, 37)}…` : b.label;
    return `<g><text x="${labelW - 8}" y="${y + barH / 2 + 5}" text-anchor="end" class="camau-chart__label">${esc(label)}</text>`
      + `<rect x="${labelW}" y="${y}" width="${w}" height="${barH}" class="camau-chart__bar"></rect>`
      + `<text x="${labelW + w + 6}" y="${y + barH / 2 + 5}" class="camau-chart__value">${esc(format(b.value))}</text></g>`;
  }).join('');
  return `<svg class="camau-chart" id="${esc(id)}" role="img" aria-labelledby="${esc(id)}-title" viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">`
    + `<title id="${esc(id)}-title">${esc(title)}</title>${rows}</svg>`;
}
