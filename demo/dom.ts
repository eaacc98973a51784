// Small DOM helpers. File contents and names are untrusted: text reaches the page
// only through textContent, never innerHTML.

/** The element with this id; a missing one is a bug in index.html, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`demo: no element #${id} in index.html`);
  return el as T;
}

export function setText(id: string, text: string): void {
  const el = byId(id);
  if (el.textContent !== text) el.textContent = text;
}

/** A new element with a class and text content. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className = '', text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

let messageTimer = 0;

/** A line in the message bar; errors stay until replaced, notes fade after a while. */
export function showMessage(text: string, kind: 'note' | 'error' = 'note'): void {
  const box = byId('message');
  box.textContent = text;
  box.className = `message${kind === 'error' ? ' error' : ''}`;
  box.setAttribute('role', kind === 'error' ? 'alert' : 'status');
  box.hidden = false;
  clearTimeout(messageTimer);
  if (kind === 'note') messageTimer = window.setTimeout(() => (box.hidden = true), 8000);
}

export function clearMessage(): void {
  byId('message').hidden = true;
}

export const percent = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');
export const fixed = (v: number, digits = 4): string => (Number.isFinite(v) ? v.toFixed(digits) : '–');
export const grouped = (v: number): string => Math.round(v).toLocaleString('en-US');

export const nextFrame = (): Promise<number> => new Promise((resolve) => requestAnimationFrame(resolve));
