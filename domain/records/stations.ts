import type { RxJsonSchema } from 'rxdb';
import { z } from 'zod';
import { code, epochMs, oneOf, referenceId, text } from './fields';

/** Police stations and border crossing points. Reference data, pulled from the server. */

const name = text(100, 1);
const kind = oneOf(['police-station', 'border-crossing']);
const municipality = text(100, 1);

export const stationValidator = z.strictObject({
  id: referenceId.zod,
  name: name.zod,
  kind: kind.zod,
  municipality: municipality.zod,
  /** The crossing point's code in border records; border crossings only. */
  crossingPointCode: code.zod.optional(),
  /** Server clock. */
  updatedAt: epochMs.zod,
});

export type Station = z.infer<typeof stationValidator>;

export const stationSchema: RxJsonSchema<Station> = {
  title: 'stations',
  description: 'Police stations and border crossing points; reference data',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id: referenceId.json,
    name: name.json,
    kind: kind.json,
    municipality: municipality.json,
    crossingPointCode: code.json,
    updatedAt: epochMs.json,
  },
  required: ['id', 'name', 'kind', 'municipality', 'updatedAt'],
};
