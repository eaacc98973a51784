// Read a curve by pointing at it: a small label over the chart with the x (step or
// epoch) of the nearest logged point and every series' value there.
import { pointsAt } from '../src/plot/line-chart.ts';
import { el, grouped } from './dom.ts';

export function attachChartHover(canvas: HTMLCanvasElement, xName = 'step'): void {
  const tip = el('div', 'chart-tip');
  tip.hidden = true;
  tip.setAttribute('aria-hidden', 'true');
  const box = canvas.parentElement!;
  box.style.position = 'relative';
  box.append(tip);
  canvas.addEventListener('pointermove', (e) => {
    const at = pointsAt(canvas, e.offsetX / canvas.clientWidth);
    if (!at || at.values.length === 0) {
      tip.hidden = true;
      return;
    }
    tip.textContent = `${xName} ${grouped(at.x)} · ${at.values.map((v) => `${v.label} ${v.text}`).join(' · ')}`;
    tip.hidden = false;
    tip.style.left = `${Math.max(0, Math.min(canvas.offsetLeft + e.offsetX + 10, box.clientWidth - tip.offsetWidth))}px`;
    tip.style.top = `${canvas.offsetTop}px`;
  });
  canvas.addEventListener('pointerleave', () => (tip.hidden = true));
}
