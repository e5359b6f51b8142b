// What every admin area shares: the role most of them require and the plain list query.
import { z } from 'zod';
import { listQueryShape } from '../../pagination';

export const ADMIN = ['ADMIN'] as const;
export const listQuery = z.object(listQueryShape);
