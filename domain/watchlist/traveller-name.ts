import { nameIndexParts, nameSearchKeys, primaryReading } from '../names';
import { type ComparableName, type NameComparison, compareNames } from './person-similarity';

/** One reading of a name typed or read from a document. */
class TravellerName implements ComparableName {
  readonly whole: string;
  private readonly nameParts: readonly string[];
  private readonly reading: string | undefined;

  constructor(parts: readonly string[], reading: string | undefined) {
    this.nameParts = parts;
    this.whole = parts.join('');
    this.reading = reading === this.whole ? undefined : reading;
  }

  parts(): readonly string[] | undefined {
    return this.nameParts.length > 1 ? this.nameParts : undefined;
  }

  unfoldedReading(): string | undefined {
    return this.reading;
  }
}

/**
 * A name of the traveller with all its readings: the canonical key first, then the
 * keys of other readings (a Ukrainian Г read as H). It agrees with an alert's name as
 * well as its best reading does.
 */
export class QueryName {
  readonly readings: readonly TravellerName[];

  constructor(name: string) {
    const canonical = new TravellerName(nameIndexParts(name), primaryReading(name).replace(/ /g, ''));
    // Plain ASCII has one reading only.
    const others = /^[\x20-\x7e]*$/.test(name) ? [] : nameSearchKeys(name).filter((key) => key !== canonical.whole);
    this.readings = [canonical, ...others.map((key) => new TravellerName([key], undefined))];
  }

  get isEmpty(): boolean {
    return this.readings[0]?.whole === '';
  }

  compare(alertName: ComparableName): NameComparison {
    let best: NameComparison | undefined;
    for (const reading of this.readings) {
      const comparison = compareNames(reading, alertName);
      if (!best || comparison.similarity > best.similarity) best = comparison;
    }
    return best ?? compareNames(new TravellerName([], undefined), alertName);
  }
}
