// Known defect found by the crash harness (bench/chaos.ts, run of 2026-11-30): a class that the live worker
// carried to CLOSED through a SIGKILL does not replay. Its history (saved here) fails at event 277 with
// "[TMPRL1100] Nondeterminism error: Activity machine does not handle this event: TimerStarted": in the notice
// period's loop (workflows/trainingClass/stages/notice.ts, condition(..., msUntil(closesAt)) then
// `msUntil(closesAt) <= 0`), the worker that took over after workflow task 272 timed out (its worker killed)
// started another timer where a replay of the same history breaks out of the loop and schedules `project`.
// Effects: a Query of the closed case fails (the read model check cannot compare it), and a running case that
// is replayed there (a worker restart, a cache eviction) would fail its workflow tasks until the code changes.
// Since `timers-decide-2026-12` (patched) a timer that fired decides that its deadline has passed, without reading
// the clock again, in the notice loop and in humanTask. This history was recorded before that patch, so it takes
// the old path on replay and keeps failing: `test.failing` documents that cases recorded so are at risk.
// The payload key below belongs to the harness's throw-away data folder (made-up trainees only).
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { EncryptionCodec } from '../../platform/codec';

jest.setTimeout(180_000);

const HISTORY = path.join(__dirname, 'histories', 'notice-after-kill.history.pb');
const PAYLOAD_KEY = 'becbcaaf6b7b0fdeea043dae7ab96c71f1ae59effa3b6480c7d490cbb91c11e1';

test.failing('replays a class that closed through a worker SIGKILL in its notice period', async () => {
  const history = temporal.api.history.v1.History.decode(fs.readFileSync(HISTORY));
  await Worker.runReplayHistory(
    {
      workflowsPath: require.resolve('../../workflows'),
      dataConverter: { payloadCodecs: [new EncryptionCodec(PAYLOAD_KEY)] },
    },
    history,
    'SJZ-2026-000002',
  );
});
