// The badge under each answer: where it ran and why, what was redacted, what failed over.
import { h } from './dom.js';
import { ms, money, ranOnLabel, rate, reasonLabel, redactionCount } from './format.js';

/**
 * @param {import('/dist/edgewise.js').FinishPart} finish
 * @param {{ remoteModel?: string }} [options] `remoteModel`: the model the remote endpoint
 *   was asked for, which /api/config names as the one the demo server's /v1 runs (the SDK's
 *   finish part does not carry the response's `model` field)
 * @returns {HTMLElement}
 */
export function renderBadge(finish, { remoteModel } = {}) {
  const { route, usage } = finish;
  const redacted = redactionCount(finish.redactions);
  const local = finish.ranOn !== 'remote';
  const model = local ? undefined : remoteModel;
  const badge = h('span', {
    class: `badge ${local ? 'local' : 'remote'}`,
    'data-ran-on': finish.ranOn,
    'data-reason': route.reason,
    'data-redactions': redacted,
    'data-model': model,
    title: route.detail,
  }, [
    h('strong', { text: local ? `On this device · ${ranOnLabel(finish.ranOn)}` : model ? `Remote · ${model}` : 'Remote' }),
    h('span', { class: 'why', text: reasonLabel(route.reason) }),
  ]);

  /** @type {(HTMLElement | false)[]} */
  const chips = [
    redacted > 0 && h('span', { class: 'chip privacy', title: describeRedactions(finish.redactions), text: `${redacted} redacted` }),
    route.failover !== undefined && h('span', { class: 'chip warn', title: route.failover.message, text: `failover from ${ranOnLabel(route.failover.from)}` }),
    finish.reason === 'abort' && h('span', { class: 'chip', text: 'stopped' }),
    finish.reason === 'length' && h('span', { class: 'chip', text: 'token limit' }),
  ];

  const numbers = [
    `${usage.completionTokens} tokens`,
    `${rate(usage.tokensPerSecond)} tok/s`,
    `first token ${ms(usage.timeToFirstTokenMs)}`,
    finish.cost ? money(finish.cost.total, finish.cost.currency) : undefined,
  ].filter(Boolean).join(' · ');

  const details = h('details', { class: 'route' }, [
    h('summary', { text: 'Why here?' }),
    h('dl', {}, [
      h('dt', { text: 'Policy' }), h('dd', { text: route.policy }),
      ...(model ? [h('dt', { text: 'Model' }), h('dd', { text: model })] : []),
      h('dt', { text: 'Reason' }), h('dd', { text: `${reasonLabel(route.reason)}: ${route.detail}` }),
      ...(route.failover ? [h('dt', { text: 'Failover' }), h('dd', { text: `${ranOnLabel(route.failover.from)} failed (${route.failover.code}): ${route.failover.message}` })] : []),
      ...(route.skipped?.length ? [h('dt', { text: 'Skipped' }), h('dd', {}, [h('ul', {}, route.skipped.map((s) => h('li', { text: `${ranOnLabel(s.ranOn)}: ${reasonLabel(s.reason)} (${s.detail})` })))])] : []),
      ...(redacted > 0 ? [h('dt', { text: 'Redacted' }), h('dd', { text: `${describeRedactions(finish.redactions)}, replaced by placeholders before the request left this page and restored in the answer` })] : []),
      h('dt', { text: 'Usage' }), h('dd', { text: `${usage.promptTokens} prompt + ${usage.completionTokens} completion tokens in ${ms(usage.totalMs)}` }),
    ]),
  ]);

  return h('div', { class: 'meta' }, [badge, ...chips, h('span', { class: 'numbers', text: numbers }), details]);
}

/** @param {Record<string, number> | undefined} r */
function describeRedactions(r) {
  return Object.entries(r ?? {}).map(([type, n]) => `${n} ${type.replaceAll('_', ' ')}`).join(', ');
}
