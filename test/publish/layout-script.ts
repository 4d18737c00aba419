/** The script run in the report page: per chart, its box, what leaves it, marks outside the plot, overlapping labels, colours per runtime; section order. */

/** What the script reports for one chart. */
export interface ChartMeasure {
  title: string;
  box: { width: number; height: number };
  /** Elements whose bounding box leaves the chart's SVG box. */
  overflowing: string[];
  /** Data marks (lines, dots, bars, whiskers) outside the plot box. */
  outsidePlot: string[];
  /** Pairs of text elements (legend labels, tick labels, category labels) that overlap. */
  overlaps: string[];
  legend: string[];
  /** [runtime, colour] of every element that names its runtime. */
  colours: Array<[string, string]>;
  axes: Record<string, string | undefined>;
}

/** What the script reports for the page. */
export interface PageMeasure {
  sections: Array<{ id: string; top: number }>;
  charts: ChartMeasure[];
}

/** Browser-side source (plain JS). */
export const LAYOUT_SCRIPT = String.raw`
(() => {
  const T = 0.75;
  const name = (el) => el.tagName + (el.getAttribute('class') ? '.' + el.getAttribute('class') : '') + ' "' + (el.textContent || '').slice(0, 60) + '"';
  const rect = (el) => el.getBoundingClientRect();
  const inside = (r, b, tol) => r.left >= b.left - tol && r.right <= b.right + tol && r.top >= b.top - tol && r.bottom <= b.bottom + tol;
  const meets = (a, b) => a.left < b.right - T && b.left < a.right - T && a.top < b.bottom - T && b.top < a.bottom - T;
  const charts = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const box = rect(svg);
    const plotEl = svg.querySelector('rect.plot');
    const plot = plotEl ? rect(plotEl) : null;
    const overflowing = [];
    for (const el of svg.querySelectorAll('text, line, rect, polyline, circle, path, g')) {
      const r = rect(el);
      if (r.width === 0 && r.height === 0) continue;
      if (!inside(r, box, T)) overflowing.push(name(el) + ' ' + JSON.stringify([r.left - box.left, r.right - box.left, r.top - box.top, r.bottom - box.top].map(Math.round)));
    }
    const outsidePlot = [];
    if (plot) for (const el of svg.querySelectorAll('.mark')) {
      const r = rect(el);
      if (!inside(r, plot, 2.5)) outsidePlot.push(name(el));
    }
    const texts = [...svg.querySelectorAll('g.legend text, text.tick, text.category')];
    const overlaps = [];
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) if (meets(rect(texts[i]), rect(texts[j]))) overlaps.push(name(texts[i]) + ' × ' + name(texts[j]));
    const colours = [...svg.querySelectorAll('[data-runtime]')].map((el) => [el.getAttribute('data-runtime'), el.getAttribute('stroke') || el.getAttribute('fill')]);
    const legend = [...svg.querySelectorAll('g.legend text')].map((t) => [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' '));
    const axes = {};
    for (const k of ['xUnit', 'xLog', 'xTicks', 'xData', 'yUnit', 'yLog', 'yTicks', 'yData']) axes[k] = svg.dataset[k];
    charts.push({ title: svg.getAttribute('aria-label'), box: { width: box.width, height: box.height }, overflowing, outsidePlot, overlaps, legend, colours, axes });
  }
  const sections = [...document.querySelectorAll('section[id]')].map((s) => ({ id: s.id, top: s.getBoundingClientRect().top + window.scrollY }));
  const pre = document.createElement('pre');
  pre.id = 'eb-measure';
  pre.textContent = JSON.stringify({ sections, charts });
  document.body.appendChild(pre);
})();
`;
