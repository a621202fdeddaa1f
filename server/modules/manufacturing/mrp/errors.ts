// Why the engine refused its input: an AppError (400) the HTTP layer maps as it is, with a reason
// the service can branch on and, for cycles, the path of item codes.
import { AppError } from '../../../platform/errors.ts';

export type MrpErrorReason = 'BOM_CYCLE' | 'SCRAP_RATE' | 'UNKNOWN_ITEM' | 'INVALID_INPUT';

export class MrpInputError extends AppError {
  readonly reason: MrpErrorReason;
  /** BOM_CYCLE: the item codes around the cycle, first repeated last (['A', 'B', 'C', 'A']). */
  readonly path?: string[];
  constructor(reason: MrpErrorReason, message: string, path?: string[]) {
    super('VALIDATION_FAILED', message);
    this.name = 'MrpInputError';
    this.reason = reason;
    if (path) this.path = path;
  }
}
