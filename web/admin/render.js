// Turning snapshots and admin lists into DOM nodes (no innerHTML: every value is text).

/** Creates `<tag>` with properties (`class`, `data-*`, `title`, `onclick`, ...) and children. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key.startsWith('data-') || key === 'title' || key === 'type') el.setAttribute(key, value);
    else el[key] = value;
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

const show = (value) => (value === null || value === undefined ? '–' : value);

/** `3 s ago`, `5 min ago`, ... of `at` (RFC 3339) relative to `now` (ms); `–` without a time. */
export function ago(at, now) {
  if (!at) return '–';
  const seconds = Math.max(0, Math.round((now - Date.parse(at)) / 1000));
  if (seconds < 60) return seconds + ' s ago';
  if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
  if (seconds < 86400) return Math.round(seconds / 3600) + ' h ago';
  return Math.round(seconds / 86400) + ' d ago';
}

/** A short local date and time of an RFC 3339 time. */
export function when(at) {
  if (!at) return '–';
  return new Date(at).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

function table(head, rows, empty, cls) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('table', { class: cls },
    h('thead', {}, h('tr', {}, head.map(([label, cls]) => h('th', { class: cls }, label)))),
    h('tbody', {}, rows));
}

const statusOrder = ['pending', 'processing', 'sent', 'failed', 'cancelled'];

/** Messages per status (the queue depths). */
export function queues(messages) {
  const names = [...statusOrder, ...Object.keys(messages).filter((s) => !statusOrder.includes(s))];
  return h('dl', { class: 'stats' }, names.flatMap((status) => [
    h('dt', {}, status),
    h('dd', { 'data-status': status }, show(messages[status] ?? 0)),
  ]));
}

/** The scheduler's timer wheel, claims and health. */
export function wheel(scheduler, sources) {
  if (!scheduler) {
    return h('p', { class: 'empty' }, sources?.scheduler === false ? 'The scheduler did not answer in time.' : 'No scheduler.');
  }
  const levels = scheduler.wheel.levels ?? [];
  const late = scheduler.lateness_ms;
  return h('dl', { class: 'stats' },
    h('dt', {}, 'healthy'),
    h('dd', {}, h('span', { class: 'dot ' + (scheduler.healthy ? 'ok' : 'bad') }), scheduler.healthy ? 'yes' : 'no'),
    levels.flatMap((count, level) => [h('dt', {}, 'level ' + level), h('dd', {}, count + ' entries')]),
    h('dt', {}, 'next due'), h('dd', {}, when(scheduler.wheel.next_due_at)),
    h('dt', {}, 'loaded until'), h('dd', {}, when(scheduler.wheel.loaded_until)),
    h('dt', {}, 'held claims'), h('dd', {}, scheduler.held),
    h('dt', {}, 'handed off'), h('dd', {}, scheduler.handed_off),
    h('dt', {}, 'lateness p99'), h('dd', {}, late ? late.p99 + ' ms' : '–'));
}

function breakerTag(breaker) {
  const cls = breaker === 'closed' ? 'ok' : breaker === 'open' ? 'bad' : 'warn';
  return h('span', { class: 'tag ' + cls }, breaker || '–');
}

/** The running connectors (one per connection), from the snapshot. */
export function connectors(list) {
  const rows = list.map((c) => h('tr', { 'data-provider': c.provider_id },
    h('td', {}, '#' + c.provider_id),
    h('td', {}, c.status, c.paused ? h('span', { class: 'tag warn' }, ' paused') : ''),
    h('td', { class: 'num' }, c.queued),
    h('td', { class: 'num' }, c.in_flight),
    h('td', { class: 'num', title: 'queued, their chat already looked up' }, c.routes_ready),
    h('td', { class: 'num', title: 'sent, their outcome waiting in the journal' }, c.to_fold),
    h('td', { class: 'num' }, c.sent),
    h('td', { class: 'num' }, c.failed),
    h('td', {}, breakerTag(c.breaker)),
    h('td', { class: 'clip', title: c.last_error ?? '' }, show(c.last_error))));
  return table([['conn.'], ['status'], ['queued', 'num'], ['in flight', 'num'], ['routed', 'num'],
    ['to fold', 'num'], ['sent', 'num'], ['failed', 'num'], ['breaker'], ['last error']], rows,
    'No connector is running.');
}

// Pools whose workers the operator unfolded; kept across the snapshots that redraw the tree.
const unfoldedPools = new Set();

// The sum of `values`, leaving out the unknown (`-1` or missing) ones; `null` when all are.
function knownSum(values) {
  const known = values.filter((value) => value !== null && value !== undefined && value >= 0);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
}

function actorRow(actor, label, depth, now, props = {}) {
  const name = h('td', { class: 'name', title: actor.name },
    h('span', { class: 'dot ' + (actor.alive ? 'ok' : 'bad') }), label);
  name.style.setProperty('--depth', depth);
  return h('tr', { 'data-actor': actor.name, ...props },
    name,
    h('td', {}, actor.kind),
    h('td', { class: 'num' }, show(actor.mailbox)),
    h('td', { class: 'num' }, show(actor.processed)),
    h('td', { class: 'num' }, actor.restarts),
    h('td', {}, ago(actor.last_activity_at, now)));
}

// One row standing for a pool's workers (alive of all, summed counters, latest activity); a
// click shows or hides the workers' own rows.
function workersRow(pool, workers, depth, now) {
  const alive = workers.filter((worker) => worker.alive).length;
  const latest = workers.map((worker) => worker.last_activity_at).filter(Boolean).sort().pop();
  const summary = {
    name: pool + '.workers', kind: 'workers', alive: alive === workers.length,
    mailbox: knownSum(workers.map((worker) => worker.mailbox)),
    processed: knownSum(workers.map((worker) => worker.processed)),
    restarts: workers.reduce((sum, worker) => sum + worker.restarts, 0),
    last_activity_at: latest,
  };
  const label = (open) => `${open ? '▾' : '▸'} ${alive} of ${workers.length} workers`;
  const row = actorRow(summary, label(unfoldedPools.has(pool)), depth, now,
    { class: 'fold', title: 'show or hide the workers one by one' });
  row.addEventListener('click', () => {
    const nowOpen = !unfoldedPools.has(pool);
    if (nowOpen) unfoldedPools.add(pool); else unfoldedPools.delete(pool);
    for (const each of row.parentNode.querySelectorAll(`tr[data-pool="${CSS.escape(pool)}"]`)) {
      each.hidden = !nowOpen;
    }
    row.querySelector('td.name').lastChild.textContent = label(nowOpen);
  });
  return row;
}

/** The actor tree: each actor under its parent, with its mailbox and activity; a pool's workers
 * are folded into one row until it is clicked. */
export function actorTree(list, now) {
  const children = new Map();
  for (const actor of list) {
    const key = actor.parent ?? '';
    if (!children.has(key)) children.set(key, []);
    children.get(key).push(actor);
  }
  const rows = [];
  const walk = (parent, depth) => {
    const all = (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
    const workers = all.filter((actor) => actor.kind === 'worker');
    if (workers.length > 0) rows.push(workersRow(parent, workers, depth, now));
    for (const actor of all) {
      const label = actor.parent ? actor.name.slice(actor.parent.length + 1) : actor.name;
      const worker = actor.kind === 'worker';
      rows.push(actorRow(actor, label, depth + (worker ? 1 : 0), now,
        worker ? { 'data-pool': parent, hidden: !unfoldedPools.has(parent) } : {}));
      walk(actor.name, depth + 1);
    }
  };
  walk('', 0);
  return table([['actor'], ['kind'], ['mailbox', 'num'], ['handled', 'num'], ['restarts', 'num'],
    ['last active']], rows, 'No actor reported.', 'tree');
}

/** The failed messages with their retry buttons; `act(kind, id)` runs an action. */
export function failedMessages(page, act) {
  const rows = page.data.map((m) => h('tr', { 'data-message': m.id },
    h('td', {}, '#' + m.id),
    h('td', {}, m.contact?.name ?? '–'),
    h('td', { class: 'clip', title: m.content }, m.content),
    h('td', { class: 'clip', title: m.last_error ?? '' }, show(m.last_error)),
    h('td', { class: 'num' }, m.attempts),
    h('td', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', 'data-retry': m.id, onclick: () => act('message', m.id) }, 'Retry'),
      ' ',
      h('button', { type: 'button', title: 'Retry every failed message of connection #' + m.provider_id, onclick: () => act('provider', m.provider_id) }, 'All of conn. #' + m.provider_id),
      m.batch_id ? [' ', h('button', { type: 'button', title: 'Retry every failed message of batch #' + m.batch_id, onclick: () => act('batch', m.batch_id) }, 'All of batch #' + m.batch_id)] : null)));
  return table([['message'], ['contact'], ['content'], ['last error'], ['attempts', 'num'], ['']],
    rows, 'No failed message.');
}

/** Every user's connections with pause / resume and retry-all. */
export function connections(page, act) {
  const rows = page.data.map((p) => h('tr', { 'data-connection': p.id },
    h('td', {}, '#' + p.id),
    h('td', {}, p.name, ' ', h('span', { class: 'muted' }, p.type)),
    h('td', {}, p.user_email),
    h('td', {}, p.status, p.dispatch_paused ? h('span', { class: 'tag warn' }, ' paused') : ''),
    h('td', { class: 'num' }, p.counts.pending),
    h('td', { class: 'num' }, p.counts.failed),
    h('td', { class: 'actions' },
      p.dispatch_paused
        ? h('button', { type: 'button', 'data-resume': p.id, onclick: () => act('resume', p.id) }, 'Resume')
        : h('button', { type: 'button', 'data-pause': p.id, onclick: () => act('pause', p.id) }, 'Pause'),
      ' ',
      h('button', { type: 'button', disabled: p.counts.failed === 0, onclick: () => act('provider', p.id) }, 'Retry all failed'))));
  return table([['conn.'], ['name'], ['owner'], ['status'], ['pending', 'num'], ['failed', 'num'], ['']],
    rows, 'No connection.');
}

/** The latest audit entries. */
export function audit(page) {
  const rows = page.data.map((a) => h('tr', {},
    h('td', {}, when(a.at)),
    h('td', {}, a.admin_email),
    h('td', {}, a.action),
    h('td', {}, a.target),
    h('td', { class: 'num' }, a.affected)));
  return table([['at'], ['admin'], ['action'], ['target'], ['affected', 'num']], rows,
    'No admin action yet.');
}
