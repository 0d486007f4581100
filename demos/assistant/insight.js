// The insight panel: one row per request (time to first token, tokens/s, tokens, cost),
// the chart, and the engine's own totals from engine.stats().
import { renderChart } from './chart.js';
import { h } from './dom.js';
import { ms, money, ranOnLabel, rate, redactionCount } from './format.js';

/**
 * @typedef {object} RequestRecord
 * @property {number} n
 * @property {string} ranOn       '' for a request that failed before it finished
 * @property {string} reason
 * @property {number} ttftMs
 * @property {number} tokensPerSecond
 * @property {number} tokens
 * @property {number} totalMs
 * @property {import('/dist/edgewise.js').Cost | undefined} cost
 * @property {number} redactions
 * @property {'done' | 'error'} state
 * @property {string} [error]
 */

/** @param {HTMLElement} root the `#insight` element */
export function createInsight(root) {
  /** @type {RequestRecord[]} */
  const records = [];
  const tbody = h('tbody');
  const chartBox = h('div', { class: 'chart-box' });
  const totals = h('p', { class: 'totals', 'aria-live': 'polite' });
  root.replaceChildren(
    chartBox,
    h('div', { class: 'table-wrap' }, [h('table', {}, [
      h('caption', { class: 'visually-hidden', text: 'Requests this session' }),
      h('thead', {}, [h('tr', {}, ['#', 'Where', 'TTFT', 'tok/s', 'Tokens', 'Cost'].map((t) => h('th', { scope: 'col', text: t, title: t === 'TTFT' ? 'Time to first token' : undefined })))]),
      tbody,
    ])]),
    totals,
  );
  const draw = () => chartBox.replaceChildren(renderChart(records));
  draw();

  /** @param {RequestRecord} r */
  const row = (r) => h('tr', { 'data-request': r.n, 'data-ran-on': r.ranOn || undefined, 'data-state': r.state }, r.state === 'error'
    ? [h('td', { text: String(r.n) }), h('td', { colspan: 5, class: 'error', text: r.error ?? 'error' })]
    : [
        h('td', { text: String(r.n) }),
        h('td', { title: r.reason.replaceAll('_', ' ') }, [h('span', { class: `dot route-${r.ranOn}` }), ranOnLabel(r.ranOn)]),
        h('td', { text: ms(r.ttftMs) }),
        h('td', { text: rate(r.tokensPerSecond) }),
        h('td', { text: String(r.tokens) }),
        h('td', { text: r.cost ? money(r.cost.total, r.cost.currency) : '–' }),
      ]);

  return {
    /** @param {import('/dist/edgewise.js').FinishPart} f */
    record(f) {
      const r = {
        n: records.length + 1, ranOn: f.ranOn, reason: f.route.reason, ttftMs: f.usage.timeToFirstTokenMs,
        tokensPerSecond: f.usage.tokensPerSecond, tokens: f.usage.completionTokens, totalMs: f.usage.totalMs,
        cost: f.cost, redactions: redactionCount(f.redactions), state: /** @type {const} */ ('done'),
      };
      records.push(r);
      tbody.prepend(row(r));
      draw();
    },
    /** @param {unknown} error */
    fail(error) {
      const e = /** @type {{ code?: string, message?: string }} */ (error ?? {});
      const r = { n: records.length + 1, ranOn: '', reason: '', ttftMs: NaN, tokensPerSecond: NaN, tokens: 0, totalMs: 0, cost: undefined, redactions: 0, state: /** @type {const} */ ('error'), error: e.code ?? e.message ?? String(error) };
      records.push(r);
      tbody.prepend(row(r));
    },
    /** The current engine's totals (they restart when settings recreate the engine). @param {import('/dist/edgewise.js').EngineStats | undefined} stats */
    showStats(stats) {
      if (!stats || stats.requests === 0) { totals.textContent = 'This engine has served no requests yet.'; return; }
      const parts = Object.entries(stats.byRoute).map(([route, r]) => r && `${ranOnLabel(route)}: ${r.requests} (${ms(r.meanTimeToFirstTokenMs)} to first token, ${rate(r.meanTokensPerSecond)} tok/s${r.failovers ? `, ${r.failovers} failovers` : ''}${r.redactions ? `, ${r.redactions} redacted` : ''})`).filter(Boolean);
      totals.textContent = `This engine: ${stats.requests} requests, ${money(stats.cost, stats.currency ?? 'USD')}. ${parts.join(' · ')}`;
    },
  };
}
