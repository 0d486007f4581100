// The insight chart: latency per request (bars, TTFT darker) and cumulative cost per route
// (lines), colored by where each request ran. Built with DOM calls, no markup strings.
import { ms, money, ranOnLabel } from './format.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 320;
const LAT = { top: 16, height: 70 };
const COST = { top: 118, height: 40 };
const H = COST.top + COST.height + 6;
const LEFT = 0;
const MAX_BARS = 40;

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 * @param {string} [text]
 */
function s(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * @param {import('./insight.js').RequestRecord[]} all finished requests, oldest first
 * @returns {SVGSVGElement}
 */
export function renderChart(all) {
  const records = all.filter((r) => r.ranOn).slice(-MAX_BARS);
  const svg = /** @type {SVGSVGElement} */ (s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img' }));
  const routes = [...new Set(records.map((r) => r.ranOn))];
  svg.setAttribute('aria-label', records.length
    ? `Latency and cost of the last ${records.length} requests; routes: ${routes.map(ranOnLabel).join(', ')}`
    : 'No requests yet');
  if (!records.length) {
    svg.append(s('text', { x: W / 2, y: H / 2, 'text-anchor': 'middle', class: 'muted' }, 'Send a message to see latency and cost here.'));
    return svg;
  }
  const step = (W - LEFT) / Math.max(records.length, 8);
  const x = (/** @type {number} */ i) => LEFT + i * step;

  // Latency: total time per request, the time to first token drawn over it.
  const maxMs = Math.max(1, ...records.map((r) => r.totalMs));
  const y = (/** @type {number} */ v) => LAT.top + LAT.height - (v / maxMs) * LAT.height;
  svg.append(s('text', { x: 0, y: LAT.top - 6, class: 'label' }, 'latency'));
  svg.append(s('text', { x: 0, y: LAT.top + LAT.height + 10, class: 'tick' }, 'darker: time to first token · newest right'));
  svg.append(s('text', { x: W, y: LAT.top - 6, 'text-anchor': 'end', class: 'tick' }, `max ${ms(maxMs)}`));
  svg.append(s('line', { x1: LEFT, x2: W, y1: LAT.top + LAT.height, y2: LAT.top + LAT.height, class: 'axis' }));
  records.forEach((r, i) => {
    const bar = s('rect', { x: x(i) + 1, y: y(r.totalMs), width: Math.max(1, step - 2), height: LAT.top + LAT.height - y(r.totalMs), class: `route-${r.ranOn}` });
    bar.append(s('title', {}, `#${r.n} ${ranOnLabel(r.ranOn)}: ${ms(r.totalMs)} total, first token ${ms(r.ttftMs)}`));
    svg.append(bar, s('rect', { x: x(i) + 1, y: y(Math.min(r.ttftMs, r.totalMs)), width: Math.max(1, step - 2), height: LAT.top + LAT.height - y(Math.min(r.ttftMs, r.totalMs)), class: 'ttft' }));
  });

  // Cost: cumulative per route, one step line each.
  const currency = records.find((r) => r.cost)?.cost?.currency ?? 'USD';
  const totals = new Map(routes.map((route) => [route, 0]));
  /** @type {Map<string, string[]>} */
  const paths = new Map(routes.map((route) => [route, []]));
  const sums = records.map((r) => {
    totals.set(r.ranOn, (totals.get(r.ranOn) ?? 0) + (r.cost?.total ?? 0));
    return new Map(totals);
  });
  const maxCost = Math.max(0, ...totals.values());
  svg.append(s('text', { x: 0, y: COST.top - 6, class: 'label' }, 'cost'));
  svg.append(s('line', { x1: LEFT, x2: W, y1: COST.top + COST.height, y2: COST.top + COST.height, class: 'axis' }));
  if (maxCost === 0) {
    svg.append(s('text', { x: 4, y: COST.top + COST.height - 6, class: 'muted' }, 'no priced requests (local runs are free)'));
  } else {
    svg.append(s('text', { x: W, y: COST.top - 6, 'text-anchor': 'end', class: 'tick' }, `total ${money(maxCost, currency)}`));
    const cy = (/** @type {number} */ v) => COST.top + COST.height - (v / maxCost) * COST.height;
    sums.forEach((sum, i) => {
      for (const route of routes) paths.get(route)?.push(`${i ? 'L' : 'M'}${x(i)},${cy(sum.get(route) ?? 0)} H${x(i) + step}`);
    });
    for (const route of routes) svg.append(s('path', { d: (paths.get(route) ?? []).join(' '), class: `line route-${route}` }));
  }

  // Legend.
  routes.forEach((route, i) => {
    const lx = 56 + i * 58;
    svg.append(s('rect', { x: lx, y: 2, width: 8, height: 8, class: `route-${route}` }), s('text', { x: lx + 11, y: 10, class: 'tick' }, ranOnLabel(route)));
  });
  return svg;
}
