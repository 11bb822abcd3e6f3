'use strict';
// Drives hot code replace, restartFrame and the return value through `sonde dap` with
// @vscode/debugadapter-testsupport's DebugClient: the program's class directory is in the launch's classPaths, and
// this script compiles a changed class into it during the session, as an editor's build would.
// Run by dev.sonde.cli.dap.DapNodeChangeTest, which sets the environment below.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { required, markerLine, step, overStdio, launchToBreakpoint, topFrame, evaluate, terminateStep, runSessions } = require('./helpers');

const RUNNER = 'DapNodeChangeTest';
const javac = required('SONDE_JAVAC', RUNNER);
const classes = required('SONDE_HCR_CLASSES', RUNNER);
const sourceRoot = required('SONDE_SOURCE_ROOT', RUNNER);
const TIMEOUT = 60000; // generous: a loaded 2-core machine can take tens of seconds to launch, compile and stop a JVM
const counter = path.join(sourceRoot, 'dev', 'sonde', 'fixtures', 'Counter.java');
const line = marker => markerLine(counter, marker);

/** Edits Counter.java and compiles it into the watched class directory, as a build on save would. */
function rebuild(from, to) {
  const text = fs.readFileSync(counter, 'utf8');
  assert.ok(text.includes(from), `Counter.java has no '${from}'`);
  fs.writeFileSync(counter, text.replace(from, to));
  execFileSync(javac, ['-g', '--release', '17', '-d', classes, counter]);
}

function changeTheRunningProgram() {
  return overStdio(RUNNER, TIMEOUT, async dc => {
    let threadId;
    await step('restartFrame announced in the capabilities; stop in tick', async () => {
      const initialized = await dc.initializeRequest({ adapterID: 'sonde', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      assert.equal(initialized.body.supportsRestartFrame, true);
      const stopped = await launchToBreakpoint(dc, {
        type: 'sonde', request: 'launch', name: 'Counter', mainClass: 'dev.sonde.fixtures.Counter',
        classPaths: [classes], args: ['1000', '1'], vmArgs: ['-Xshare:auto', '-XX:TieredStopAtLevel=1'], sourcePaths: [sourceRoot],
      }, counter, [{ line: line('tick-return') }]);
      threadId = stopped.body.threadId;
      const top = await topFrame(dc, threadId);
      assert.equal(await evaluate(dc, top.id, 'doubled'), '0');
    });

    await step('hot code replace after a build into the watched classPaths', async () => {
      const ended = new Promise(resolve => dc.on('hotcodereplace', event => {
        if (event.body.changeType !== 'STARTING') {
          resolve(event);
        }
      }));
      const announced = dc.waitForEvent('output', TIMEOUT);
      rebuild('round * 2', 'round * 2 + 100');
      const event = await ended;
      assert.equal(event.body.changeType, 'END', event.body.message);
      assert.deepEqual(event.body.changedClasses, ['dev.sonde.fixtures.Counter']);
      assert.equal(event.body.message, 'Replaced 1 class (dev.sonde.fixtures.Counter). 1 frame still runs the old code'
        + ' (main#0 Counter.tick); `restart frame` re-enters it.');
      assert.equal((await announced).body.output, `${event.body.message}\n`);
    });

    await step('restartFrame re-runs tick in the new code', async () => {
      const top = await topFrame(dc, threadId);
      const stopped = dc.waitForEvent('stopped');
      await dc.send('restartFrame', { frameId: top.id });
      const event = await stopped;
      assert.equal(event.body.reason, 'step');
      assert.equal((await topFrame(dc, threadId)).line, line('tick-body'));
      const next = dc.waitForEvent('stopped');
      await dc.nextRequest({ threadId });
      await next;
      assert.equal(await evaluate(dc, (await topFrame(dc, threadId)).id, 'doubled'), '100');
    });

    await step('stepOut shows the return value first in Locals', async () => {
      await dc.setBreakpointsRequest({ source: { path: counter }, breakpoints: [] });
      const stopped = dc.waitForEvent('stopped');
      await dc.stepOutRequest({ threadId });
      await stopped;
      const top = await topFrame(dc, threadId);
      assert.equal(top.name, 'Counter.main');
      const scopes = await dc.scopesRequest({ frameId: top.id });
      const locals = await dc.variablesRequest({ variablesReference: scopes.body.scopes[0].variablesReference });
      const returned = locals.body.variables[0];
      assert.equal(returned.name, '<return> Counter.tick()');
      assert.equal(returned.value, '107');
      assert.equal(returned.type, 'int');
    });

    await step('redefineClasses request: nothing changed since the last replace', async () => {
      const response = await dc.send('redefineClasses', {});
      assert.deepEqual(response.body.changedClasses, []);
      assert.equal(response.body.errorMessage, undefined);
    });

    await step('a schema change is refused with the reason', async () => {
      const refused = new Promise(resolve => dc.on('hotcodereplace', event => {
        if (event.body.changeType === 'ERROR') {
          resolve(event);
        }
      }));
      rebuild('static int tick(int round) {', 'static int added;\n    static int tick(int round) {');
      const event = await refused;
      assert.match(event.body.message, /^The JVM refused the new dev\.sonde\.fixtures\.Counter: it adds, removes or changes a field.*restart the program/);
    });

    await terminateStep(dc);
  });
}

runSessions('change sessions', changeTheRunningProgram);
