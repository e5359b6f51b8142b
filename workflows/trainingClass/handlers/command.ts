// How a command reaches the case. Its validator refuses at once what the case cannot do now (the API answers
// 409/422 with the rule's code). The handler then waits for the case's command lock — commands apply one at a
// time, in arrival order — and checks the same rules again, now against everything applied before it, so two
// requests that were each valid alone (two rosters for the last places, an approval and a cancel) never both
// take effect when together they would break a rule.
import { setHandler } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { violation } from '../../../domain/rules';
import { classEnding, wrongStage, type Check } from '../../../domain/classRules';
import type * as m from '../../messages';
import type { ClassCase } from '../context';

export function command<Ret, Arg>(
  c: ClassCase,
  def: UpdateDefinition<Ret, [Arg]>,
  check: (arg: Arg) => void,
  apply: (arg: Arg) => Ret | Promise<Ret>,
): void {
  setHandler(
    def,
    (arg: Arg) =>
      c.lock.run(async () => {
        check(arg);
        return await apply(arg);
      }),
    { validator: check },
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
