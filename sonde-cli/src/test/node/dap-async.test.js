'use strict';
// The async part of a stack through `sonde dap`, read by @vscode/debugadapter-testsupport's DebugClient: at a stop in
// work relayed across three pools (AsyncCoverage.threePools), stackTrace lists the thread's frames, then per hand-off a
// label frame and the frames that scheduled the work, the scheduling machinery's marked subtle.
// Run by dev.sonde.cli.dap.DapNodeAsyncStacksTest, which sets the environment below.

const assert = require('node:assert/strict');
const path = require('node:path');
const { required, markerLine, step, overStdio, launchToBreakpoint, terminateStep, runSessions } = require('./helpers');

const RUNNER = 'DapNodeAsyncStacksTest';
const fixturesClassPath = required('SONDE_FIXTURES_CLASSPATH', RUNNER);
const sourceRoot = required('SONDE_SOURCE_ROOT', RUNNER);
const TIMEOUT = 30000;
const coverage = path.join(sourceRoot, 'dev', 'sonde', 'fixtures', 'AsyncCoverage.java');
const line = marker => markerLine(coverage, marker);

function asyncStackThroughThreePools() {
  return overStdio(RUNNER, TIMEOUT, async dc => {
    let threadId;
    await step('stop in the work shipping-pool runs', async () => {
      await dc.initializeRequest({ adapterID: 'sonde', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
      const stopped = await launchToBreakpoint(dc, {
        type: 'sonde', request: 'launch', name: 'AsyncCoverage', mainClass: 'dev.sonde.fixtures.AsyncCoverage',
        classPaths: [fixturesClassPath], vmArgs: ['-Xshare:auto', '-XX:TieredStopAtLevel=1'], sourcePaths: [sourceRoot],
      }, coverage, [{ line: line('shipped') }]);
      threadId = stopped.body.threadId;
    });

    await step('stackTrace: three hand-offs after label frames, nearest first, with the scheduling code', async () => {
      const trace = await dc.stackTraceRequest({ threadId });
      const frames = trace.body.stackFrames;
      assert.equal(trace.body.totalFrames, frames.length);
      assert.equal(frames[0].line, line('shipped'));
      const labels = frames.filter(frame => frame.presentationHint === 'label').map(frame => frame.name);
      assert.equal(labels.length, 3, JSON.stringify(labels));
      assert.match(labels[0], /^— scheduled by runAsync on "pricing-pool", \d+ ms earlier —$/);
      assert.match(labels[1], /^— scheduled by submit on "intake-pool", \d+ ms earlier —$/);
      assert.match(labels[2], /^— scheduled by execute on "main", \d+ ms earlier —$/);
      const scheduling = [['AsyncCoverage.ship', 'to-shipping'], ['AsyncCoverage.price', 'to-pricing'], ['AsyncCoverage.threePools', 'to-intake']];
      let after = frames.findIndex(frame => frame.presentationHint === 'label');
      for (const [name, marker] of scheduling) {
        const index = frames.findIndex((frame, i) => i > after && frame.name.startsWith(name));
        assert.ok(index > after, `${name} after frame ${after} in ${JSON.stringify(frames.map(f => f.name))}`);
        assert.equal(frames[index].line, line(marker));
        assert.equal(frames[index].source.path, coverage);
        assert.notEqual(frames[index].presentationHint, 'subtle');
        after = index;
      }
      const machinery = frames.find(frame => frame.name.startsWith('CompletableFuture.runAsync'));
      assert.ok(machinery, 'the CompletableFuture.runAsync frame is listed');
      assert.equal(machinery.presentationHint, 'subtle');
    });

    await terminateStep(dc);
  });
}

runSessions('async sessions', asyncStackThroughThreePools);
