import { ApiProperty } from '@nestjs/swagger';
import {
  baselineDomain,
  baselineItem,
  CODE_LIST_VERSION,
  codeList,
  codeListNames,
  CONTRIBUTED,
  currentInstrument,
  instrument,
  instrumentVersions,
} from '@sne/core';
import { MAX_QUARTERS } from './reporting-facts';

/**
 * The data dictionary, generated from what the product itself checks against: the instrument
 * versions (libs/core/src/reviews/instruments), each item's mapping to the baseline, and the code
 * lists (code-lists.json), plus the rules the aggregates follow. Nothing here is written twice.
 */
export class ScalePointDto {
  @ApiProperty() value: number;
  @ApiProperty() label: string;
  @ApiProperty() definition: string;
}
export class DictionaryItemDto {
  @ApiProperty() id: string;
  @ApiProperty() text: string;
  @ApiProperty({ type: String, nullable: true, description: 'The baseline item this item continues (later versions)' }) mapsTo: string | null;
  @ApiProperty({ description: 'Reported as this baseline item' }) baselineItem: string;
  @ApiProperty({ description: 'Reported under this baseline domain' }) baselineDomain: string;
}
export class DictionaryDomainDto {
  @ApiProperty() id: string;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: [DictionaryItemDto] }) items: DictionaryItemDto[];
}
export class DictionaryInstrumentDto {
  @ApiProperty() version: string;
  @ApiProperty() title: string;
  @ApiProperty() publishedOn: string;
  @ApiProperty({ type: String, nullable: true }) changes: string | null;
  @ApiProperty({ description: 'New reviews use this version' }) current: boolean;
  @ApiProperty({ type: [ScalePointDto] }) scale: ScalePointDto[];
  @ApiProperty({ type: [DictionaryDomainDto] }) domains: DictionaryDomainDto[];
}
export class DictionaryCodeDto {
  @ApiProperty() code: string;
  @ApiProperty() label: string;
  @ApiProperty({ type: String, nullable: true }) definition: string | null;
}
export class DictionaryCodeListDto {
  @ApiProperty() name: string;
  @ApiProperty({ type: [DictionaryCodeDto] }) codes: DictionaryCodeDto[];
}
export class DictionaryRuleDto {
  @ApiProperty() name: string;
  @ApiProperty() text: string;
}
export class DataDictionary {
  @ApiProperty() codeListVersion: string;
  @ApiProperty({ type: [DictionaryInstrumentDto] }) instruments: DictionaryInstrumentDto[];
  @ApiProperty({ type: [DictionaryCodeListDto] }) codeLists: DictionaryCodeListDto[];
  @ApiProperty({ type: [DictionaryRuleDto] }) rules: DictionaryRuleDto[];
}

export function dataDictionary(k: number): DataDictionary {
  const current = currentInstrument().version;
  return {
    codeListVersion: CODE_LIST_VERSION,
    instruments: instrumentVersions().map((v) => {
      const i = instrument(v)!;
      return {
        version: i.version,
        title: i.title,
        publishedOn: i.publishedOn,
        changes: i.changes ?? null,
        current: i.version === current,
        scale: i.scale.map((s) => ({ value: s.value, label: s.label, definition: s.definition })),
        domains: i.domains.map((d) => ({
          id: d.id,
          title: d.title,
          description: d.description,
          items: d.items.map((item) => ({ id: item.id, text: item.text, mapsTo: item.mapsTo ?? null, baselineItem: baselineItem(v, item.id)!, baselineDomain: baselineDomain(v, item.id)! })),
        })),
      };
    }),
    codeLists: codeListNames().map((name) => ({ name, codes: codeList(name).map((c) => ({ code: c.code, label: c.label, definition: c.definition ?? null })) })),
    rules: [
      { name: 'Contributed', text: `An item rated ${CONTRIBUTED} or more (contributed, or contributed substantially) counts as contributing. A domain contributed when any of its items did.` },
      { name: 'Counted reviews', text: "Only approved reviews count, at their approved version: drafts, submitted reviews and amendments not yet approved do not. Only agencies whose data-sharing agreement in force covers 'incidents' are in partnership figures." },
      { name: 'Across instrument versions', text: 'Every item is reported as the baseline (version 1) item it continues, under that item’s domain, so reviews on different versions combine. A review counts once per baseline item.' },
      { name: 'Small cells', text: `A count from 1 to ${k - 1} (fewer than k = ${k}) is suppressed, and so are enough other cells that no total, margin or share gives it back. Each quarter is suppressed on its own; a figure over several quarters is the sum of its quarters' figures and is shown only when every one of them is, so no two periods give a quarter back. Zero is shown. A share is shown only when its count, its remainder and its denominator are.` },
      { name: 'Periods', text: `Quarters of the incident’s month and year; a report covers 1 to ${MAX_QUARTERS} quarters.` },
      { name: 'Recommendations', text: 'Implementation rate: implemented recommendations over all recommendations of the counted reviews. Median days to implement: from the recommendation’s creation to its implemented_on date (0 when it was implemented before it was recorded), over the recommendations of reviews made in the system (an imported review’s were recorded on the day of the import, not when they were made, so their time is not known), shown when at least k were implemented, at least k have a known time, and no quarter of the period has 1 to k−1 implemented.' },
    ],
  };
}
