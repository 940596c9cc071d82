import { Injectable, type PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';

/** A UUID no row ever has. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Route ids: "an id that is not a UUID answers 404" (API.md). A malformed id is swapped
 * for the nil UUID rather than refused here, so that the lookup answers 404 in its turn,
 * after the body has been validated (400 comes before 404 in the order of judgement; Nest
 * runs a handler's pipes concurrently, so throwing here could overtake the body's 400).
 */
@Injectable()
export class EntityIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    return typeof value === 'string' && isUUID(value) ? value.toLowerCase() : NIL_UUID;
  }
}
