import { labelOf } from '@sne/core';
import { barChart, formatFigure, groupedOrStackedBars, heatMap, lineChart } from './charts';
import type { AgencyReport, PartnershipReport } from '../reporting/reporting.dto';
import { label } from './console.views';

/**
 * The reporting pages' figures as server-rendered SVG charts (apps/api/src/console/charts), each
 * with its data table. Suppressed figures stay null all the way: the charts draw them hatched and
 * write "suppressed", never zero.
 */
const TOP_ITEMS = 10;
const typeLabel = (t: string) => labelOf('incidentType', t);
const quarterLabel = (q: string) => q.replace('-', ' ');
const jtLabel = (j: string | null) => (j === null ? 'All' : label(j));

export function partnershipCharts(r: PartnershipReport) {
  const k = { suppressionThreshold: r.k };
  const cell = (t: string | null, q: string | null, j: string | null) => r.incidents.find((c) => c.incidentType === t && c.quarter === q && c.jurisdictionType === j)!.count;
  const period = `${quarterLabel(r.quarters[0])} to ${quarterLabel(r.quarters[r.quarters.length - 1])}`;
  const shown = r.topItems.filter((i) => i.reviews !== null).slice(0, TOP_ITEMS);
  // Jurisdiction types with no contributing reviews at all (a published zero) are left out of the charts.
  const types = r.jurisdictionTypes.map((j, i) => ({ j, i })).filter(({ j }) => cell(null, null, j) !== 0);
  return {
    byTypeAndQuarter: groupedOrStackedBars({
      id: 'incidents-type-quarter',
      title: 'Critical incidents by type and quarter',
      summary: `Approved reviews of contributing agencies, ${period}.`,
      ...k,
      categories: r.incidentTypes.map(typeLabel),
      groups: r.quarters.map(quarterLabel),
      values: r.incidentTypes.map((t) => r.quarters.map((q) => cell(t, q, null))),
      categoryTitle: 'Incident type',
    }),
    byTypeAndJurisdiction: groupedOrStackedBars({
      id: 'incidents-type-jurisdiction',
      title: 'Critical incidents by type and jurisdiction type',
      summary: `${period}.`,
      ...k,
      categories: r.incidentTypes.map(typeLabel),
      groups: types.map(({ j }) => jtLabel(j)),
      values: r.incidentTypes.map((t) => types.map(({ j }) => cell(t, null, j))),
      categoryTitle: 'Incident type',
    }),
    heat: heatMap({
      id: 'systemic-factors',
      title: 'Systemic factors: share of reviews rating the domain as contributing',
      summary: `Share of reviews rating any item of the domain 2 or 3, by jurisdiction type, ${period}.`,
      ...k,
      rows: r.heatMap.map((h) => h.title),
      columns: [...types.map(({ j }) => jtLabel(j)), 'All'],
      values: r.heatMap.map((h) => [...types.map(({ i }) => h.cells[i]), h.all].map((c) => (c.status === 'no-data' ? undefined : c.share))),
      rowTitle: 'Domain',
      format: 'share',
    }),
    items: barChart({
      id: 'contributing-items',
      title: `The ${shown.length} most frequent contributing items`,
      summary: `Reviews rating the item 2 or 3, ${period}.`,
      ...k,
      rows: shown.map((i) => ({ label: i.text, value: i.reviews })),
      seriesNames: ['Reviews'],
      categoryTitle: 'Item',
    }),
    hiddenItems: r.topItems.filter((i) => i.reviews === null).length,
    trend: lineChart({
      id: 'incidents-trend',
      title: 'Critical incidents per quarter',
      summary: `By incident type, ${period}.`,
      ...k,
      xLabels: r.quarters.map(quarterLabel),
      series: [...r.incidentTypes.map((t) => ({ name: typeLabel(t), values: r.quarters.map((q) => cell(t, q, null)) })), { name: 'All types', values: r.quarters.map((q) => cell(null, q, null)) }],
      yTitle: 'Incidents',
      zeroBaseline: true,
    }),
    domainTrend: lineChart({
      id: 'domain-trend',
      title: 'Systemic factors per quarter',
      summary: `Share of reviews rating the domain as contributing, ${period}.`,
      ...k,
      xLabels: r.quarters.map(quarterLabel),
      series: r.heatMap.map((h) => ({
        name: h.title,
        values: r.quarters.map((q) => {
          const t = r.domainTrends.find((d) => d.quarter === q && d.domain === h.domain)!;
          return t.status === 'no-data' ? undefined : t.share;
        }),
      })),
      yTitle: 'Share of reviews',
      format: 'share',
      zeroBaseline: true,
    }),
    recommendations: r.recommendations.filter((x) => x.jurisdictionType === null || types.some(({ j }) => j === x.jurisdictionType)).map((x) => ({
      label: jtLabel(x.jurisdictionType),
      recommendations: formatFigure(x.recommendations),
      implemented: formatFigure(x.implemented),
      rate: x.status === 'no-data' ? '–' : formatFigure(x.rate, 'share'),
      median: x.medianDaysToImplement === null ? (x.status === 'no-data' ? '–' : 'suppressed') : `${formatFigure(x.medianDaysToImplement, 'number')} days`,
    })),
  };
}

export function agencyCharts(r: AgencyReport) {
  const k = { suppressionThreshold: r.k };
  const names: [string, string] = [r.agency.name, 'Partnership'];
  const period = `${quarterLabel(r.quarters[0])} to ${quarterLabel(r.quarters[r.quarters.length - 1])}`;
  const items = r.items.filter((i) => i.own > 0).sort((a, b) => b.own - a.own || a.item.localeCompare(b.item)).slice(0, TOP_ITEMS);
  const p = r.recommendations.partnership;
  const o = r.recommendations.own;
  return {
    byType: barChart({
      id: 'own-by-type',
      title: 'Critical incidents by type',
      summary: `Your agency beside the partnership, ${period}.`,
      ...k,
      seriesNames: names,
      rows: r.incidentsByType.map((x) => ({ label: x.key === 'all' ? 'All types' : typeLabel(x.key), value: x.own, comparison: x.partnership })),
      categoryTitle: 'Incident type',
    }),
    byQuarter: barChart({
      id: 'own-by-quarter',
      title: 'Critical incidents by quarter',
      summary: `Your agency beside the partnership, ${period}.`,
      ...k,
      seriesNames: names,
      rows: r.incidentsByQuarter.map((x) => ({ label: quarterLabel(x.key), value: x.own, comparison: x.partnership })),
      categoryTitle: 'Quarter',
    }),
    domains: barChart({
      id: 'own-domains',
      title: 'Systemic factors: share of reviews rating the domain as contributing',
      summary: `Your agency beside the partnership, ${period}.`,
      ...k,
      seriesNames: names,
      rows: r.domains.map((d) => ({ label: d.title, value: d.own.share ?? undefined, comparison: d.partnership.status === 'no-data' ? undefined : d.partnership.share })),
      categoryTitle: 'Domain',
      format: 'share',
      max: 1,
    }),
    items: items.map((i) => ({ text: i.text, own: i.own, partnership: formatFigure(i.partnership) })),
    recommendations: [
      { label: r.agency.name, recommendations: String(o.recommendations), implemented: String(o.implemented), rate: o.rate === null ? '–' : formatFigure(o.rate, 'share'), median: o.medianDaysToImplement === null ? '–' : `${formatFigure(o.medianDaysToImplement, 'number')} days` },
      {
        label: 'Partnership',
        recommendations: formatFigure(p.recommendations),
        implemented: formatFigure(p.implemented),
        rate: p.status === 'no-data' ? '–' : formatFigure(p.rate, 'share'),
        median: p.medianDaysToImplement === null ? (p.status === 'no-data' ? '–' : 'suppressed') : `${formatFigure(p.medianDaysToImplement, 'number')} days`,
      },
    ],
  };
}

/** Export links of one view, each table as CSV and JSON. */
export function exportLinks(base: string, tables: readonly string[], quarters: string[]) {
  const range = `from=${encodeURIComponent(quarters[0])}&to=${encodeURIComponent(quarters[quarters.length - 1])}`;
  return tables.map((t) => ({ table: label(t.replace(/-/g, ' ')), csvHref: `${base}?table=${t}&format=csv&${range}`, jsonHref: `${base}?table=${t}&format=json&${range}` }));
}
