'use strict';
// Drives `sonde dap` with @vscode/debugadapter-testsupport's DebugClient, a DAP client Sonde did not write:
// over stdio (the client spawns the adapter) and over a socket (`sonde dap --listen 0`).
// Run by dev.sonde.cli.dap.DapNodeClientTest, which sets the environment below.

const assert = require('node:assert/strict');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { DebugClient } = require('@vscode/debugadapter-testsupport');
const { required, markerLine, step, overStdio, topFrame, evaluate, terminateStep, runSessions } = require('./helpers');

const RUNNER = 'DapNodeClientTest';
const java = required('SONDE_JAVA', RUNNER);
const adapterArgFile = required('SONDE_DAP_ARGFILE', RUNNER);
const fixturesClassPath = required('SONDE_FIXTURES_CLASSPATH', RUNNER);
const sourceRoot = required('SONDE_SOURCE_ROOT', RUNNER);
const TIMEOUT = 60000; // generous: a loaded 2-core machine can take tens of seconds to launch, compile and stop a JVM

function source(fixture) {
  return path.join(sourceRoot, 'dev', 'sonde', 'fixtures', `${fixture}.java`);
}

function line(fixture, marker) {
  return markerLine(source(fixture), marker);
}

function launchArguments(fixture, args) {
  return {
    type: 'sonde', request: 'launch', name: fixture,
    mainClass: `dev.sonde.fixtures.${fixture}`,
    classPaths: [fixturesClassPath],
    vmArgs: ['-Xshare:auto', '-XX:TieredStopAtLevel=1'],
    args,
    sourcePaths: [sourceRoot],
  };
}

/** A promise that fails after `ms`: DebugClient has no timeouts of its own in socket mode. */
function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function counterOverStdio() {
  const counter = source('Counter');
  const tickBody = line('Counter', 'tick-body');
  const tickReturn = line('Counter', 'tick-return');
  return overStdio(RUNNER, TIMEOUT, async dc => {
    let threadId;
    let frame;
    await step('launch, breakpoint verified as its class loads, breakpoint hit', async () => {
      const stopped = dc.waitForEvent('stopped');
      const verified = dc.waitForEvent('breakpoint');
      await dc.hitBreakpoint(launchArguments('Counter', ['1000', '1']), { path: counter, line: tickBody, verified: false });
      const changed = await verified;
      assert.equal(changed.body.reason, 'changed');
      assert.equal(changed.body.breakpoint.verified, true);
      const event = await stopped;
      assert.equal(event.body.reason, 'breakpoint');
      assert.equal(event.body.allThreadsStopped, true);
      assert.deepEqual(event.body.hitBreakpointIds, [changed.body.breakpoint.id]);
      threadId = event.body.threadId;
    });
    await step('stack', async () => {
      const stack = await dc.stackTraceRequest({ threadId });
      assert.equal(stack.body.totalFrames, 2);
      assert.deepEqual(stack.body.stackFrames.map(f => f.name), ['Counter.tick', 'Counter.main']);
      assert.equal(stack.body.stackFrames[1].source.path, counter);
      assert.equal(stack.body.stackFrames[1].line, line('Counter', 'call-tick'));
      frame = stack.body.stackFrames[0];
    });
    let round;
    await step('scopes and variables', async () => {
      const scopes = await dc.scopesRequest({ frameId: frame.id });
      assert.deepEqual(scopes.body.scopes.map(s => s.name), ['Locals', 'Statics']);
      const variables = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
      const roundVariable = variables.body.variables.find(v => v.name === 'round');
      assert.ok(roundVariable, 'no variable round');
      assert.equal(roundVariable.type, 'int');
      assert.equal(roundVariable.evaluateName, 'round');
      assert.equal(roundVariable.variablesReference, 0);
      round = Number(roundVariable.value);
      assert.equal(round, 0);
    });
    await step('evaluate', async () => {
      assert.equal(await evaluate(dc, frame.id, 'round + 40'), '40');
      const hover = await dc.evaluateRequest({ expression: 'round', frameId: frame.id, context: 'hover' });
      assert.equal(hover.body.result, '0');
      await assert.rejects(dc.evaluateRequest({ expression: 'nosuch', frameId: frame.id, context: 'watch' }), /nosuch/);
    });
    await step('step over', async () => {
      const stopped = dc.waitForEvent('stopped');
      await dc.nextRequest({ threadId });
      const event = await stopped;
      assert.equal(event.body.reason, 'step');
      const top = await topFrame(dc, event.body.threadId);
      assert.equal(top.name, 'Counter.tick');
      assert.equal(top.line, tickBody + 1);
    });
    await step('conditional breakpoint', async () => {
      const set = await dc.setBreakpointsRequest({ source: { path: counter }, breakpoints: [{ line: tickBody, condition: 'round == 500' }] });
      assert.equal(set.body.breakpoints[0].verified, true);
      const stopped = dc.waitForEvent('stopped');
      await dc.continueRequest({ threadId });
      const event = await stopped;
      assert.equal(event.body.reason, 'breakpoint');
      const top = await topFrame(dc, event.body.threadId);
      assert.equal(await evaluate(dc, top.id, 'round'), '500');
    });
    await step('logpoint', async () => {
      const set = await dc.setBreakpointsRequest({ source: { path: counter }, breakpoints: [{ line: tickReturn, logMessage: 'tick {round} doubled {doubled}' }] });
      assert.equal(set.body.breakpoints[0].verified, true);
      const logged = dc.assertOutput('console', 'tick 500 doubled 1000\ntick 501 doubled 1002\n');
      await dc.continueRequest({ threadId });
      await logged;
    });
    await terminateStep(dc);
  });
}

function exceptionsOverStdio() {
  return overStdio(RUNNER, TIMEOUT, async dc => {
    await step('exception breakpoints: caught, by class, and uncaught', async () => {
      const configured = dc.waitForEvent('initialized').then(async () => {
        const set = await dc.setExceptionBreakpointsRequest({
          filters: ['uncaught'],
          filterOptions: [{ filterId: 'caught', condition: 'java.lang.IllegalStateException' }],
        });
        assert.equal(set.body.breakpoints.length, 2);
        return dc.configurationDoneRequest();
      });
      const caught = dc.waitForEvent('stopped');
      await dc.launch(launchArguments('Thrower', ['1']));
      await configured;
      let event = await caught;
      assert.equal(event.body.reason, 'exception');
      let info = await dc.exceptionInfoRequest({ threadId: event.body.threadId });
      assert.equal(info.body.exceptionId, 'java.lang.IllegalStateException');
      assert.equal(info.body.description, 'round 0');
      assert.equal(info.body.breakMode, 'always');
      assert.equal((await topFrame(dc, event.body.threadId)).line, line('Thrower', 'caught'));

      const uncaught = dc.waitForEvent('stopped');
      await dc.continueRequest({ threadId: event.body.threadId });
      event = await uncaught;
      info = await dc.exceptionInfoRequest({ threadId: event.body.threadId });
      assert.equal(info.body.exceptionId, 'java.lang.UnsupportedOperationException');
      assert.equal(info.body.breakMode, 'unhandled');
      assert.equal((await topFrame(dc, event.body.threadId)).line, line('Thrower', 'uncaught'));

      const exited = dc.waitForEvent('exited');
      const terminated = dc.waitForEvent('terminated');
      await dc.continueRequest({ threadId: event.body.threadId });
      assert.equal((await exited).body.exitCode, 1);
      await terminated;
    });
  });
}

async function functionBreakpointOverSocket() {
  const server = spawn(java, [`@${adapterArgFile}`, '--listen', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const { port, token } = await within(TIMEOUT, new Promise((resolve, reject) => {
      let printed = '';
      server.stdout.on('data', data => {
        printed += data;
        const match = /Listening for DAP clients on 127\.0\.0\.1:(\d+)[^\n]*\n.*"sondeToken": "([0-9a-f]+)"/.exec(printed);
        if (match) {
          resolve({ port: Number(match[1]), token: match[2] });
        }
      });
      server.on('exit', code => reject(new Error(`sonde dap --listen exited with ${code}: ${printed}`)));
    }), 'sonde dap --listen 0 printing its port and token');
    const dc = new DebugClient(java, '', 'sonde');
    await dc.start(port);
    try {
      await step('over a socket: launch, function breakpoint, threads, disconnect', () => within(TIMEOUT, (async () => {
        const configured = dc.waitForEvent('initialized').then(async () => {
          const set = await dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'dev.sonde.fixtures.Counter.tick' }] });
          assert.ok(set.body.breakpoints[0].id > 0);
          return dc.configurationDoneRequest();
        });
        const stopped = dc.waitForEvent('stopped');
        await dc.launch({ ...launchArguments('Counter', ['1000', '1']), sondeToken: token });
        await configured;
        const event = await stopped;
        assert.equal(event.body.reason, 'function breakpoint');
        const threads = await dc.threadsRequest();
        assert.ok(threads.body.threads.some(t => t.name === 'main' && t.id === event.body.threadId));
        await dc.disconnectRequest({});
      })(), 'the socket session'));
    } finally {
      await dc.stop();
    }
  } finally {
    server.kill('SIGTERM');
    await within(TIMEOUT, new Promise(resolve => server.exitCode !== null ? resolve() : server.on('exit', resolve)), 'sonde dap --listen stopping');
  }
}

function editorRequestsOverStdio() {
  const file = source('EditorRequests');
  return overStdio(RUNNER, TIMEOUT, async dc => {
    let threadId;
    let frame;
    await step('completions in the debug console', async () => {
      const stopped = dc.waitForEvent('stopped');
      await dc.hitBreakpoint(launchArguments('EditorRequests', ['100']), { path: file, line: line('EditorRequests', 'calls'), verified: false });
      threadId = (await stopped).body.threadId;
      frame = await topFrame(dc, threadId);
      const completions = await dc.customRequest('completions', { frameId: frame.id, text: 'account.', column: 9 });
      const deposit = completions.body.targets.find(item => item.label === 'deposit');
      assert.ok(deposit, `no completion deposit in ${JSON.stringify(completions.body.targets)}`);
      assert.equal(deposit.type, 'method');
      assert.match(deposit.detail, /deposit\(int\)/);
    });
    await step('step-in targets, and stepIn with a targetId', async () => {
      const targets = await dc.customRequest('stepInTargets', { frameId: frame.id });
      assert.deepEqual(targets.body.targets.map(target => target.label),
        ['EditorRequests.twice(int)', 'lambda$main$0 (ToIntFunction.applyAsInt)', 'EditorRequests$Account.deposit(int)']);
      // The line's breakpoint also covers the lambda body on it: clear it, so only the step stops.
      await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [] });
      const stopped = dc.waitForEvent('stopped');
      await dc.stepInRequest({ threadId, targetId: targets.body.targets[2].id });
      const event = await stopped;
      assert.equal(event.body.reason, 'step');
      frame = await topFrame(dc, event.body.threadId);
      assert.equal(frame.line, line('EditorRequests', 'deposit'));
    });
    await step('data breakpoint on a field', async () => {
      const scopes = await dc.scopesRequest({ frameId: frame.id });
      const locals = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
      const self = locals.body.variables.find(v => v.name === 'this');
      const info = await dc.customRequest('dataBreakpointInfo', { variablesReference: self.variablesReference, name: 'balance' });
      assert.equal(info.body.dataId, 'dev.sonde.fixtures.EditorRequests$Account#balance');
      assert.ok(info.body.accessTypes.includes('write'));
      const set = await dc.customRequest('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
      assert.equal(set.body.breakpoints[0].verified, true);
      const stopped = dc.waitForEvent('stopped');
      await dc.continueRequest({ threadId });
      const event = await stopped;
      assert.equal(event.body.reason, 'data breakpoint');
      assert.equal((await topFrame(dc, event.body.threadId)).line, line('EditorRequests', 'deposit'));
      const terminated = dc.waitForEvent('terminated');
      await dc.terminateRequest();
      await terminated;
    });
  });
}

runSessions('DAP sessions', counterOverStdio, exceptionsOverStdio, functionBreakpointOverSocket, editorRequestsOverStdio);
