import type { TravellerQuery } from '../watchlist';
import type { TravelDocumentFacts } from './entry-check-types';

/** What the watchlist is asked about the holder of a document, before the entry checks run. */
export function travellerQueryFrom(document: TravelDocumentFacts): TravellerQuery {
  return {
    surname: document.surname,
    givenNames: document.givenNames,
    birthDate: document.birthDate,
    nationality: document.nationality,
    documentNumber: document.documentNumber,
    issuingState: document.issuingState,
  };
}
