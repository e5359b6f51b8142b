// 考核评价机构: the classes booked with it, and results (考核结果) within 7 days after training ends.
import type { Api } from '../http';
import { actorOf } from '../context';
import { ResultsBody } from '../schemas';
import { classFor } from '../scope';
import { update } from '../workflow';
import { bookedWith, CaseQuery, listClasses, WORKFLOW_REFUSALS } from './cases';
import { ClassPage, ResultsRecorded } from '../responses';
import { recordAssessmentUpdate } from '../../workflows/messages';

export function assessorRoutes(api: Api) {
  api.get(
    '/assessor/classes',
    {
      tag: 'assessor',
      summary: '预约本机构的班级 Classes booked with this assessment body',
      access: ['ASSESSOR'],
      query: CaseQuery,
      responses: { 200: { description: 'A page of classes', schema: ClassPage } },
    },
    async ({ query, principal, deps }) => ({
      json: await listClasses(deps, query, bookedWith(principal!.organisationId ?? '')),
    }),
  );

  api.post(
    '/assessor/classes/:id/results',
    {
      tag: 'assessor',
      summary: '考核结果 Record assessment results',
      description: 'A passed trainee needs a certificate number; errors[].path = results.N.field.',
      access: ['ASSESSOR'],
      body: ResultsBody,
      responses: { 200: { description: 'Recorded', schema: ResultsRecorded } },
      refusals: {
        ...WORKFLOW_REFUSALS,
        422: 'a result breaks a rule, e.g. a pass without a certificate number (errors[].path = results.N.field)',
      },
    },
    async ({ params, body, principal, deps }) => {
      const c = await classFor(deps, principal, params.id!, 'assessor');
      await update(deps.temporal, c.id, recordAssessmentUpdate, {
        actor: actorOf(principal!),
        results: body.results,
      });
      return { json: { classId: c.id, recorded: body.results.length } };
    },
  );
}
