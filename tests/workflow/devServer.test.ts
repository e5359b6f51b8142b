// The roster under requests that arrive together, on the Temporal dev server (a real server: the one `npm start`
// runs). The time-skipping test server delivers Updates one workflow task at a time; the dev server can hand the
// worker a second Update while the first one's activity is still running, which is what an institution's
// retrying system does.
import * as m from '../../workflows/messages';
import { startModelBed, type ModelBed } from './model/bed';
import { applications, registerPeople } from '../support/people';
import { approve, atStage, plan, refusal, startClass, today, until } from '../support/scenario';

jest.setTimeout(120_000);

let bed: ModelBed;
beforeAll(async () => (bed = await startModelBed({ local: true })), 120_000);
afterAll(() => bed?.teardown());

describe('the roster on the dev server', () => {
  it('never enrols more than the class holds when two rosters of 8 arrive at once for 10 places', async () => {
    const handle = await startClass(bed.env, 'DEV-2ROSTERS', plan(await today(bed.env), { capacity: 10 }));
    await approve(bed.env, handle);
    const people = await registerPeople(bed.db, 16, { from: 7000 });
    const first = applications(people.slice(0, 8), 'DEV-2ROSTERS-A');
    const second = applications(people.slice(8), 'DEV-2ROSTERS-B');
    const answers = await Promise.allSettled(
      [first, second].map((trainees) =>
        handle.executeUpdate(m.enrolTraineesUpdate, {
          args: [
            { actor: { userId: 'u-inst', role: 'INSTITUTION', organisationId: 'inst-sjz-01' }, trainees },
          ],
        }),
      ),
    );
    const refused = answers.filter((a) => a.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect(await refusal(Promise.reject((refused[0] as PromiseRejectedResult).reason))).toBe('CLASS_FULL');
    const s = await until(bed.env, handle, atStage('ENROLLING'), 1000);
    expect(s.trainees.filter((t) => t.status === 'ENROLLED')).toHaveLength(8);
    expect(await bed.db.enrollment.count({ where: { classId: 'DEV-2ROSTERS', status: 'ENROLLED' } })).toBe(8);
  });
});
