// The performance page: runs bench/runner.ts in the visitor's browser, on their
// GPU, and draws steps/s per contender as bars (log scale: the contenders are
// orders of magnitude apart). The same runner and checks as `npm run bench`.
import { DEFAULT_CONFIG, type BenchConfig, type ContenderName } from '../bench/config.ts';
import { checkAgreement, measurementTable, type BenchResult, type Measurement } from '../bench/report.ts';
import { pageEnv } from '../bench/page-env.ts';
import { runBench } from '../bench/runner.ts';

const form = document.querySelector<HTMLFormElement>('#form')!;
const button = document.querySelector<HTMLButtonElement>('#run')!;
const status = document.querySelector<HTMLSpanElement>('#status')!;
const charts = document.querySelector<HTMLElement>('#charts')!;

const checked = (name: string) =>
  [...form.querySelectorAll<HTMLInputElement>(`input[name="${name}"]:checked`)].map((i) => i.value);

function chart(size: string, rows: Measurement[]): HTMLElement {
  const section = document.createElement('div');
  section.className = 'chart';
  const title = document.createElement('h2');
  title.textContent = `${rows[0].sizes.join('-')}, m = ${rows[0].m} (${rows[0].data}): steps per second, log scale`;
  section.append(title);
  const rates = rows.filter((r) => !r.error).map((r) => r.stepsPerSecond);
  const lo = Math.log10(Math.min(...rates, 1) / 2);
  const hi = Math.log10(Math.max(...rates, 10));
  for (const r of rows) {
    const row = document.createElement('div');
    row.className = 'bar-row';
    const label = document.createElement('span');
    label.textContent = r.contender;
    label.title = `${r.label}: ${r.detail}`;
    const bar = document.createElement('div');
    bar.className = `bar${r.contender === 'webgpu' ? ' ours' : ''}${r.agrees === false ? ' bad' : ''}`;
    const fraction = r.error ? 0 : (Math.log10(r.stepsPerSecond) - lo) / (hi - lo);
    bar.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
    const value = document.createElement('span');
    value.className = 'value';
    value.textContent = r.error ? 'error' : `${r.stepsPerSecond.toPrecision(3)} /s${r.agrees === false ? ' ✗ cost' : ''}`;
    row.append(label, bar, value);
    section.append(row);
  }
  return section;
}

function draw(result: BenchResult): void {
  charts.replaceChildren(...[...new Set(result.measurements.map((m) => m.size))].map((s) => chart(s, result.measurements.filter((m) => m.size === s))));
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const config: BenchConfig = { ...DEFAULT_CONFIG, sizes: checked('size'), contenders: checked('contender') as ContenderName[] };
  button.disabled = true;
  const partial: BenchResult = { adapter: '', date: '', userAgent: navigator.userAgent, config, measurements: [] };
  try {
    const result = await runBench(config, pageEnv, (e) => {
      if (e.kind === 'ceiling') status.textContent = `adapter ceiling ${e.ceiling.gflops.toPrecision(3)} GFLOP/s …`;
      else if (e.kind === 'start') status.textContent = `running ${e.contender} on ${e.size} …`;
      else {
        partial.measurements.push(e.measurement);
        checkAgreement(partial);
        draw(partial);
      }
    });
    const agree = checkAgreement(result);
    draw(result);
    status.textContent = `${result.adapter}: costs ${agree ? 'agree' : 'DO NOT agree'}.`;
    document.querySelector('#table')!.innerHTML = markdownToHtml(measurementTable(result));
    document.querySelector('#json')!.textContent = JSON.stringify(result, null, 2);
  } catch (error) {
    status.textContent = `failed: ${(error as Error).message}`;
  } finally {
    button.disabled = false;
  }
});

/** The report's Markdown table as an HTML table (cells are our own text). */
function markdownToHtml(md: string): string {
  const lines = md.split('\n').filter((l, i) => i !== 1);
  const cells = (l: string) => l.split('|').slice(1, -1).map((c) => c.trim().replace(/[<>&]/g, ''));
  const [head, ...body] = lines;
  return `<table><tr>${cells(head).map((c) => `<th>${c}</th>`).join('')}</tr>${body
    .map((l) => `<tr>${cells(l).map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</table>`;
}
