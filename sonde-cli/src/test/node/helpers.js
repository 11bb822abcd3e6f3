'use strict';
// What the `sonde dap` scripts share: the environment their Java test sets, the fixtures' `// @mark` lines, named
// steps, a DebugClient that spawns the adapter over stdio, and the few requests every scenario repeats.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { DebugClient } = require('@vscode/debugadapter-testsupport');

/** The environment variable `name`, set by the Java test class `runner` that runs the script. */
function required(name, runner) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; run this through ${runner}`);
  }
  return value;
}

/** The line of `// @mark marker` in a fixture's source file, as the Java tests find it. */
function markerLine(file, marker) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const index = lines.findIndex(text => new RegExp(`// @mark ${marker}(?![\\w-])`).test(text));
  assert.notEqual(index, -1, `no marker ${marker} in ${path.basename(file)}`);
  return index + 1;
}

/** Runs one named part of a scenario and prints `ok - name`, which the Java tests count; a failure names the part. */
async function step(name, work) {
  const started = Date.now();
  try {
    await work();
  } catch (error) {
    error.message = `${name}: ${error.message}`;
    throw error;
  }
  console.log(`ok - ${name} (${Date.now() - started} ms)`);
}

/**
 * Runs `session` with a DebugClient that spawns `sonde dap` over stdio (SONDE_JAVA with SONDE_DAP_ARGFILE, set by the
 * Java test), each request waiting at most `timeout` ms, and stops the client afterwards whatever happened.
 */
async function overStdio(runner, timeout, session) {
  const java = required('SONDE_JAVA', runner);
  const adapterArgFile = required('SONDE_DAP_ARGFILE', runner);
  const dc = new DebugClient(java, `@${adapterArgFile}`, 'sonde', { env: process.env }, true);
  dc.defaultTimeout = timeout;
  await dc.start();
  try {
    await session(dc);
  } finally {
    await dc.stop();
  }
}

/**
 * Initializes, launches with `launchArguments` and, once the adapter is initialized, sets `breakpoints` in `file`;
 * resolves with the first stopped event.
 */
async function launchToBreakpoint(dc, launchArguments, file, breakpoints) {
  const stopped = dc.waitForEvent('stopped');
  await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      await dc.setBreakpointsRequest({ source: { path: file }, breakpoints });
      return dc.configurationDoneRequest();
    }),
    dc.launch(launchArguments),
  ]);
  return stopped;
}

async function topFrame(dc, threadId) {
  const stack = await dc.stackTraceRequest({ threadId, startFrame: 0, levels: 20 });
  return stack.body.stackFrames[0];
}

async function evaluate(dc, frameId, expression) {
  return (await dc.evaluateRequest({ expression, frameId, context: 'repl' })).body.result;
}

/** The last step of a session: terminate the debuggee and wait for the adapter to say so. */
function terminateStep(dc) {
  return step('terminate', async () => {
    const terminated = dc.waitForEvent('terminated');
    await dc.terminateRequest();
    await terminated;
  });
}

/** Runs the sessions one after another, then prints `all <what> passed`; the first failure exits with 1. */
function runSessions(what, ...sessions) {
  (async () => {
    for (const session of sessions) {
      await session();
    }
    console.log(`all ${what} passed`);
  })().catch(error => {
    console.error(`not ok - ${error.stack || error}`);
    process.exit(1);
  });
}

module.exports = { required, markerLine, step, overStdio, launchToBreakpoint, topFrame, evaluate, terminateStep, runSessions };
