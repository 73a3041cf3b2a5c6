// The admin console: login, the live snapshot stream, and the admin actions.
import { ApiError, call, login, logout, session, streamSnapshots } from './api.js';
import { History, draw } from './charts.js';
import * as render from './render.js';

const $ = (id) => document.getElementById(id);

const throughput = new History();
const lateness = new History();
let previous = null; // the last snapshot, with when it arrived
let streaming = null; // the AbortController of the open stream
let listsTimer = null;
let lastFailedCount = null;

function setLive(state, text) {
  const badge = $('live');
  badge.className = 'badge ' + state;
  badge.textContent = text;
}

function showError(message) {
  const banner = $('console-error');
  banner.textContent = message ?? '';
  banner.hidden = !message;
}

function notice(message) {
  showError(null);
  setLive('on', message);
}

function showLogin(message) {
  stop();
  $('console-view').hidden = true;
  $('login-view').hidden = false;
  $('logout').hidden = true;
  $('who').textContent = '';
  $('login-error').textContent = message ?? '';
  setLive('off', 'offline');
  $('email').focus();
}

function showConsole() {
  $('login-view').hidden = true;
  $('console-view').hidden = false;
  $('logout').hidden = false;
  $('who').textContent = session.email;
  start();
}

function stop() {
  streaming?.abort();
  streaming = null;
  clearInterval(listsTimer);
  listsTimer = null;
}

// A refusal that login fixes (401) or that no retry fixes (403) ends the console session.
function refused(error) {
  if (error instanceof ApiError && error.status === 401) {
    session.forget();
    showLogin('Your session ended; log in again.');
    return true;
  }
  if (error instanceof ApiError && error.status === 403) {
    session.forget();
    showLogin('This account is not an admin.');
    return true;
  }
  return false;
}

function onSnapshot(snapshot) {
  const arrived = Date.now();
  const generated = Date.parse(snapshot.generated_at);
  const sent = snapshot.messages.sent ?? 0;
  if (previous) {
    let seconds = (generated - previous.generated) / 1000;
    if (!(seconds > 0)) seconds = (arrived - previous.arrived) / 1000;
    throughput.add(arrived, [seconds > 0 ? Math.max(0, sent - previous.sent) / seconds : 0]);
  }
  const late = snapshot.scheduler?.lateness_ms;
  lateness.add(arrived, late ? [late.p50, late.p95, late.p99] : [null, null, null]);
  previous = { generated, arrived, sent };

  setLive('on', 'live');
  $('clock').textContent = 'engine time ' + render.when(snapshot.generated_at);
  $('queues').replaceChildren(render.queues(snapshot.messages));
  $('wheel').replaceChildren(render.wheel(snapshot.scheduler, snapshot.sources));
  $('connectors').replaceChildren(render.connectors(snapshot.connectors));
  // Activity times come from the node's wall clock: "3 s ago" counts from this browser's.
  $('actors').replaceChildren(render.actorTree(snapshot.actors, arrived));
  $('actors-total').textContent = snapshot.actors.length + ' long-lived';
  const rate = throughput.latest?.values[0];
  $('throughput-legend').replaceChildren(render.h('span', {}, render.h('span', { class: 'swatch s0' }),
    'now ' + (rate === undefined ? '–' : rate.toFixed(2)) + ' /s'));
  $('lateness-legend').replaceChildren(...['p50', 'p95', 'p99'].map((name, i) => render.h('span', {},
    render.h('span', { class: 'swatch s' + i }), name + ' ' + (late ? late[name] + ' ms' : '–'))));
  draw($('throughput'), throughput, 'sent/s');
  draw($('lateness'), lateness, 'ms');

  // A change in the failed count is news for the lists below.
  const failed = snapshot.messages.failed ?? 0;
  if (lastFailedCount !== null && failed !== lastFailedCount) refreshLists();
  lastFailedCount = failed;
}

async function runStream(controller) {
  let delay = 1000;
  while (!controller.signal.aborted) {
    try {
      setLive('wait', 'connecting');
      await streamSnapshots((s) => { delay = 1000; onSnapshot(s); }, controller.signal);
      setLive('wait', 'reconnecting');
    } catch (error) {
      if (controller.signal.aborted) return;
      if (refused(error)) return;
      setLive('off', error instanceof ApiError ? 'stream refused: ' + error.message : 'offline');
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 10000);
  }
}

async function refreshLists() {
  try {
    const [failed, providers, entries] = await Promise.all([
      call('GET', '/api/admin/failed-messages?per_page=50'),
      call('GET', '/api/admin/providers?per_page=50'),
      call('GET', '/api/admin/audit?per_page=10'),
    ]);
    $('failed').replaceChildren(render.failedMessages(failed, act));
    $('failed-total').textContent = failed.meta.total + ' in all';
    $('connections').replaceChildren(render.connections(providers, act));
    $('audit').replaceChildren(render.audit(entries));
  } catch (error) {
    if (!refused(error)) showError('Could not load the admin lists: ' + error.message);
  }
}

const actions = {
  message: (id) => ['/api/admin/scheduled-messages/' + id + '/retry', 'Retried message #' + id],
  provider: (id) => ['/api/admin/providers/' + id + '/retry-failed', 'Retried the failed messages of connection #' + id],
  batch: (id) => ['/api/admin/batches/' + id + '/retry-failed', 'Retried the failed messages of batch #' + id],
  pause: (id) => ['/api/admin/providers/' + id + '/pause', 'Paused connection #' + id],
  resume: (id) => ['/api/admin/providers/' + id + '/resume', 'Resumed connection #' + id],
};

async function act(kind, id) {
  const [path, done] = actions[kind](id);
  try {
    const answer = await call('POST', path);
    const count = answer?.retried;
    notice(count === undefined ? done : `${done}: ${count} back to pending`);
  } catch (error) {
    if (!refused(error)) showError(error.message);
  }
  await refreshLists();
}

function start() {
  stop();
  streaming = new AbortController();
  previous = null;
  lastFailedCount = null;
  showError(null);
  runStream(streaming);
  refreshLists();
  listsTimer = setInterval(refreshLists, 5000);
}

$('login-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = $('login');
  button.disabled = true;
  $('login-error').textContent = '';
  try {
    await login($('email').value.trim(), $('password').value);
    $('password').value = '';
    // One admin call before the console shows: a user who is not an admin learns it here.
    await call('GET', '/api/admin/snapshot');
    showConsole();
  } catch (error) {
    const message = error instanceof ApiError && error.status === 403
      ? 'This account is not an admin.'
      : error instanceof ApiError && error.status === 401 ? 'Wrong email or password.' : error.message;
    if (error instanceof ApiError && error.status === 403) await logout();
    $('login-error').textContent = message;
  } finally {
    button.disabled = false;
  }
});

$('logout').addEventListener('click', async () => {
  stop();
  await logout();
  showLogin('Logged out.');
});

window.addEventListener('resize', () => {
  draw($('throughput'), throughput, 'sent/s');
  draw($('lateness'), lateness, 'ms');
});

if (session.token) showConsole();
else showLogin();
