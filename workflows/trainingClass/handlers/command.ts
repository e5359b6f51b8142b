// How a command reaches the case. Its validator refuses at once what the case cannot do now (the API answers
// 409/422 with the rule's code). The handler then waits for the case's command lock — commands apply one at a
// time, in arrival order — and checks the same rules again, now against everything applied before it, so two
// requests that were each valid alone (two rosters for the last places, an approval and a cancel) never both
// take effect when together they would break a rule.
import { currentUpdateInfo, setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { violation } from '../../../domain/rules';
import { classEnding, wrongStage, type Check } from '../../../domain/classRules';
import type * as m from '../../messages';
import type { ClassCase } from '../context';

//
// An Update the case has already answered — the same Update id sent again — gets the same answer and changes
// nothing. Temporal itself does that within one run; across continue-as-new only the case can: a client whose
// wait for the answer was cut off as the run continued sends the Update again, to the new run, and must not be
// told that what it did is refused (ALREADY_DECIDED) — the model test found exactly that.
export function command<Ret, Arg>(
  c: ClassCase,
  def: UpdateDefinition<Ret, [Arg]>,
  check: (arg: Arg) => void,
  apply: (arg: Arg) => Ret | Promise<Ret>,
): void {
  setHandler(
    def,
    (arg: Arg) => {
      // Read now, on entry: inside the lock the code may run on another handler's turn.
      const id = currentUpdateInfo()?.id;
      return c.lock.run(async () => {
        if (id !== undefined && c.answered.has(id)) return c.answered.get(id) as Ret;
        check(arg);
        const answer = await apply(arg);
        if (id !== undefined) c.rememberAnswer(id, answer);
        return answer;
      });
    },
    {
      validator: (arg: Arg) => {
        const id = currentUpdateInfo()?.id;
        if (id === undefined || !c.answered.has(id)) check(arg);
      },
    },
  );
}

/** Checks most commands share. */
export function checksOf(c: ClassCase) {
  return {
    stageIs: (...allowed: m.Stage[]): Check => wrongStage(c.s.stage, allowed),
    /** once a cancellation is acknowledged, or the case is closing, nothing else is taken */
    open: (): Check => classEnding(c.ending || c.cancelRequested !== undefined),
    unknownTrainee: (id: string, field: string): Check =>
      c.trainee(id)?.status === 'ENROLLED'
        ? undefined
        : violation('UNKNOWN_TRAINEE', '本班无此学员', 'No such trainee on this class', field),
  };
}
