// The conversation list: user messages as plain text, assistant answers rendered from
// Markdown as they stream, each ending with its badge (or its error).
import { renderBadge } from './badge.js';
import { h } from './dom.js';
import { renderMarkdown } from './markdown.js';

/**
 * @typedef {object} AnswerView
 * @property {HTMLElement} el
 * @property {(text: string) => void} append   adds streamed text (rendered at most once a frame)
 * @property {(finish: import('/dist/edgewise.js').FinishPart, badge?: { remoteModel?: string }) => void} finish
 * @property {(error: unknown) => void} fail
 * @property {() => string} text   what has arrived so far
 */

/** @param {HTMLElement} list the `#messages` element */
export function createChat(list) {
  const atBottom = () => list.scrollHeight - list.scrollTop - list.clientHeight < 48;
  const keepInView = (/** @type {boolean} */ stick) => { if (stick) list.scrollTop = list.scrollHeight; };
  const add = (/** @type {HTMLElement} */ el) => {
    list.querySelector('.empty')?.remove();
    list.append(el);
    list.scrollTop = list.scrollHeight;
    return el;
  };

  return {
    /** @param {string} text */
    addUser(text) {
      return add(h('article', { class: 'msg user', 'aria-label': 'You' }, [h('div', { class: 'body', text })]));
    },

    /**
     * @param {{ decorate?: (body: HTMLElement) => void }} [options] `decorate` runs after each render (citation links)
     * @returns {AnswerView}
     */
    addAnswer(options = {}) {
      const body = h('div', { class: 'body markdown' }, [h('span', { class: 'typing', 'aria-label': 'Thinking', text: '…' })]);
      const el = add(h('article', { class: 'msg assistant', 'data-state': 'streaming', 'aria-label': 'Assistant', 'aria-busy': 'true' }, [body]));
      let text = '';
      let frame = 0;
      const render = () => {
        frame = 0;
        const stick = atBottom();
        // Safe: renderMarkdown escapes all model text before adding its own tags.
        body.innerHTML = renderMarkdown(text);
        options.decorate?.(body);
        keepInView(stick);
      };
      const settle = (/** @type {'done' | 'error'} */ state) => {
        if (frame) cancelAnimationFrame(frame);
        render();
        el.setAttribute('aria-busy', 'false');
        el.dataset.state = state;
      };
      return {
        el,
        append(chunk) {
          text += chunk;
          frame ||= requestAnimationFrame(render);
        },
        finish(finish, badge) {
          const stick = atBottom();
          if (text === '') text = finish.reason === 'abort' ? '*Stopped before the first token.*' : '*(no text)*';
          el.append(renderBadge(finish, badge));
          settle('done');
          keepInView(stick);
        },
        fail(error) {
          const e = /** @type {{ code?: string, message?: string }} */ (error ?? {});
          const stick = atBottom();
          el.append(h('p', { class: 'error', role: 'alert' }, [h('strong', { text: e.code ?? 'error' }), ` ${e.message ?? String(error)}`]));
          settle('error');
          keepInView(stick);
        },
        text: () => text,
      };
    },
  };
}
