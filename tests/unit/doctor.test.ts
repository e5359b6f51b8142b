// The case doctor's diagnosis (worker/doctor.ts) on the history of the class the SDK's update-order defect
// stopped in CI (stop 25: the crash harness's short form, SJZ-2026-000003 at PAYOUT), kept as event ids and
// types: it repairs exactly that shape, at the workflow task that recorded it, and nothing that only looks alike.
import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { diagnose, openChildren } from '../../worker/doctor';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const E = temporal.api.enums.v1.EventType;

interface Stored {
  eventId: number;
  eventType: keyof typeof E;
  failure?: string;
  childWorkflowExecutionStartedEventAttributes?: HistoryEvent['childWorkflowExecutionStartedEventAttributes'];
  childWorkflowExecutionCompletedEventAttributes?: HistoryEvent['childWorkflowExecutionCompletedEventAttributes'];
}
const stored = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'update-order-defect', 'history.json'), 'utf8'),
) as { events: Stored[] };
const history = (): HistoryEvent[] =>
  stored.events.map(({ eventId, eventType, failure: _failure, ...attributes }) => ({
    ...attributes,
    eventId: eventId as unknown as HistoryEvent['eventId'],
    eventType: E[eventType],
  }));
const FAILURE = stored.events.at(-1)!.failure!;

describe('the case doctor', () => {
  it('repairs the class the defect stopped in CI at workflow task 325, whose computeDeadline (326) came before the approval (327)', () => {
    expect(FAILURE).toContain('Update machine does not handle this event: HistoryEvent(id: 326');
    const d = diagnose(history(), FAILURE);
    expect(d).toEqual({
      repair: true,
      resetToEventId: 325,
      why: expect.stringContaining('workflow task 325'),
    });
  });

  it('leaves any other nondeterminism to a person (a workflow changed without patched())', () => {
    const d = diagnose(
      history(),
      '[TMPRL1100] Nondeterminism error: Activity machine does not handle this event: HistoryEvent(id: 326, TimerStarted)',
    );
    expect(d.repair).toBe(false);
  });

  it('does not repair when no workflow task was lost before (the defect needs one)', () => {
    const events = history().map((e) =>
      e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT && Number(e.eventId) === 322
        ? { ...e, eventType: E.EVENT_TYPE_TIMER_STARTED }
        : e,
    );
    expect(diagnose(events, FAILURE)).toEqual({
      repair: false,
      why: expect.stringContaining('no workflow task was lost'),
    });
  });

  it('does not repair when the Update was accepted before the named command', () => {
    const events = history();
    const at = (id: number) => events.findIndex((e) => Number(e.eventId) === id);
    const [scheduled, accepted] = [events[at(326)]!, events[at(327)]!];
    events[at(326)] = { ...accepted, eventId: scheduled.eventId };
    events[at(327)] = { ...scheduled, eventId: accepted.eventId };
    const d = diagnose(events, FAILURE);
    expect(d).toEqual({ repair: false, why: expect.stringContaining('not a command recorded before') });
  });

  it('does not reset a class whose follow-up children still run (a reset would end them with the old run)', () => {
    const events = history();
    // The five follow-up children of the class all ended before PAYOUT; one still running is enough to refuse.
    expect(openChildren(events)).toEqual([]);
    const lastEnded = events.reduce(
      (n, e, i) => (e.eventType === E.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED ? i : n),
      -1,
    );
    expect(lastEnded).toBeGreaterThan(0);
    events.splice(lastEnded, 1);
    const d = diagnose(events, FAILURE);
    expect(d).toEqual({
      repair: false,
      why: expect.stringContaining('1 follow-up child workflow(s) still run'),
    });
  });
});
