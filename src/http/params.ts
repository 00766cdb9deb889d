// Path and query parameters more than one route takes: one zod schema each, validating and documenting every use.
import { z } from 'zod';

const uuid = z.uuid({ message: 'must be a UUID' });

export const patientParams = z.object({ patientId: uuid.meta({ description: "The patient's UUID." }) });

export const wardParams = z.object({ wardId: uuid.meta({ description: "The ward's UUID." }) });

/** A window in days ending now; each route adds its default (`.default(n)`) or leaves it optional. */
export const days = z.coerce.number({ message: 'must be a number' }).int('must be an integer').min(1).max(14);
