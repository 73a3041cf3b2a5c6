// Small line charts on a canvas: a few series over the last minutes, no library.

const colors = ['#2563eb', '#d97706', '#dc2626'];

/** A bounded history of samples: `{t, values: [...]}` with t in ms. */
export class History {
  constructor(span = 5 * 60 * 1000) {
    this.span = span;
    this.samples = [];
  }

  add(t, values) {
    this.samples.push({ t, values });
    while (this.samples.length > 0 && this.samples[0].t < t - this.span) this.samples.shift();
  }

  get latest() {
    return this.samples.at(-1);
  }
}

function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
}

/** Draws `history` (one line per series, missing values skipped) onto `canvas`. */
export function draw(canvas, history, unit) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  if (width === 0 || height === 0) return;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);

  const left = 36;
  const bottom = height - 14;
  const samples = history.samples;
  const top = niceMax(Math.max(0, ...samples.flatMap((s) => s.values.filter((v) => v !== null))));
  const end = samples.length > 0 ? samples.at(-1).t : 0;
  const start = end - history.span;
  const x = (t) => left + ((t - start) / history.span) * (width - left - 4);
  const y = (v) => bottom - (v / top) * (bottom - 6);

  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#667085';
  ctx.strokeStyle = '#e3e6eb';
  ctx.lineWidth = 1;
  for (const v of [0, top / 2, top]) {
    ctx.beginPath();
    ctx.moveTo(left, y(v));
    ctx.lineTo(width - 4, y(v));
    ctx.stroke();
    ctx.fillText(String(Math.round(v * 100) / 100), 2, y(v) + 4);
  }
  ctx.fillText(`${Math.round(history.span / 60000)} min · ${unit}`, left, height - 2);

  const series = samples.length > 0 ? samples[0].values.length : 0;
  for (let i = 0; i < series; i += 1) {
    ctx.strokeStyle = colors[i % colors.length];
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let drawing = false;
    for (const sample of samples) {
      const v = sample.values[i];
      if (v === null || v === undefined) {
        drawing = false;
        continue;
      }
      if (drawing) ctx.lineTo(x(sample.t), y(v));
      else ctx.moveTo(x(sample.t), y(v));
      drawing = true;
    }
    ctx.stroke();
  }
}
