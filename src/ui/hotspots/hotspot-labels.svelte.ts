/**
 * Words of the Hotspots tab that depend on the current language and results: class and
 * measure names, the legend of each display (it states the statistic, resolution and
 * correction), tooltip lines, notes from the workers, type descriptions.
 */
import { app } from '../app/app-state.svelte.ts';
import { hotspots, type HotspotDisplay } from './hotspots.svelte.ts';
import type { LegendSpec } from '../map/workflow-map.svelte.ts';
import { GI_CLASS_COLORS, MORAN_COLORS, QUADRANT_COLORS, STABILITY_COLORS, TYPE_COLORS } from './hotspot-palette.ts';
import { QUADRANTS } from '../../pipeline/hotspots/hotspot-quadrants.ts';
import { adviseType, distinctive } from '../../pipeline/hotspots/hotspot-typology.ts';
import { areaName, columnLabel } from '../app/labels.svelte.ts';
import { GI_CLASSES } from '../../core/getis-ord.ts';
import { MORAN_QUADRANTS } from '../../core/local-moran.ts';
import { STABILITY_CLASSES } from '../../core/hotspot-stability.ts';
import { formatNumber, t, type MessageKey } from '../../i18n/i18n.svelte.ts';
import type { HotspotMeasure } from '../../pipeline/hotspots/hotspot-stats.ts';
import type { HotspotNote } from '../../pipeline/hotspots/hotspot-stats.ts';

type ClassKind = 'gi' | 'moran' | 'stability' | 'quadrant';
const NAMES: Record<ClassKind, readonly string[]> = { gi: GI_CLASSES, moran: MORAN_QUADRANTS, stability: STABILITY_CLASSES, quadrant: QUADRANTS };

export function classLabel(kind: ClassKind, code: number): string {
  return t(`hotspots.class.${kind}.${NAMES[kind][code]}` as MessageKey);
}

export function measureLabel(measure: HotspotMeasure = hotspots.measure): string {
  if (measure === 'sum') return t('hotspots.measure.sumOf', { column: columnLabel(hotspots.sumColumn) });
  return t(`hotspots.measure.${measure}` as MessageKey);
}

/** p for people: three decimals, "< 0.001" below. */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return '—';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

/** "p = 0.012" or "p < 0.001". */
function pEquals(name: string, p: number): string {
  const v = formatP(p);
  return v.startsWith('<') ? `${name} ${v}` : `${name} = ${v}`;
}

/** "normal p", "BH FDR", "999 permutations (seed 1)", or both. */
export function inferenceLabel(): string {
  const r = hotspots.result;
  const perms = r ? (r.pSim ? hotspots.permutations : 0) : hotspots.permutations;
  const fdr = r ? r.pFdr !== null : hotspots.fdr;
  const base = perms > 0 ? t('hotspots.inference.perm', { n: formatNumber(perms), seed: hotspots.seed }) : t('hotspots.inference.normal');
  return fdr ? t('hotspots.inference.fdr', { base }) : base;
}

function filterLabel(): string {
  const parts: string[] = [];
  if (hotspots.segment) parts.push(columnLabel(`segment:${hotspots.segment}`) === `segment:${hotspots.segment}` ? hotspots.segment : columnLabel(`segment:${hotspots.segment}`));
  if (hotspots.ageBand) parts.push(t('hotspots.legend.age', { band: hotspots.ageBand }));
  if (hotspots.digital) parts.push(t(hotspots.digital === '1' ? 'hotspots.filter.digital.yes' : 'hotspots.filter.digital.no'));
  return parts.join(', ');
}

export function segmentLabel(value: string): string {
  const l = columnLabel(`segment:${value}`);
  return l === `segment:${value}` ? value : l;
}

export function variableLabel(id: string): string {
  if (id.startsWith('seg:')) return t('hotspots.var.segShare', { segment: segmentLabel(id.slice(4)) });
  if (['cust_per_1000', 'digital_share', 'mean_age', 'mean_balance', 'pop_density'].includes(id)) return t(`hotspots.var.${id}` as MessageKey);
  return columnLabel(id);
}

/** "Type 2" */
export function typeName(label: number): string {
  return t('hotspots.type.name', { n: label + 1 });
}

/** "↑ Share aged 15–34, ↓ Mean age" for a type. */
export function typeDescription(label: number): string {
  const ty = hotspots.typology;
  if (!ty) return '';
  const dims = ty.variables.length;
  const top = distinctive(ty.result.centres.subarray(label * dims, (label + 1) * dims), ty.variables);
  if (top.length === 0) return t('hotspots.type.average');
  return top.map((v) => `${v.z > 0 ? '↑' : '↓'} ${variableLabel(v.id)}`).join(', ');
}

/**
 * The advised format of a type and why, in words: the figures of the rule in
 * src/pipeline/hotspots/hotspot-typology.ts (adviseType) that decided it.
 */
export function typeFormat(label: number, highRiskShare: number): { format: string; because: string } {
  const ty = hotspots.typology!;
  const dims = ty.variables.length;
  const a = adviseType({ centre: ty.result.centres.subarray(label * dims, (label + 1) * dims), ids: ty.variables, highRiskShare });
  const because =
    a.reason === 'risk'
      ? t('hotspots.advice.risk', { share: formatNumber(100 * highRiskShare, 0) })
      : a.because.map((v) => `${variableLabel(v.id)} ${v.z > 0 ? '+' : '−'}${formatNumber(Math.abs(v.z), 1)} σ`).join(', ');
  return { format: t(`hotspots.format.${a.format}` as MessageKey), because };
}

export function noteText(n: HotspotNote): string {
  const params: Record<string, string> = {};
  for (const [k, v] of Object.entries(n.params)) params[k] = formatNumber(v, 0);
  return t(`hotspots.note.${n.code}` as MessageKey, params);
}

export function legendFor(display: HotspotDisplay): LegendSpec | null {
  const r = hotspots.result;
  const res = r?.resolution ?? hotspots.resolution;
  const rings = r?.rings ?? hotspots.rings;
  const filters = filterLabel();
  const measure = measureLabel(r?.measure) + (filters ? ` (${filters})` : '');
  if (display === 'typology') {
    const ty = hotspots.typology;
    if (!ty) return null;
    return {
      title: t('hotspots.legend.typology', { k: ty.result.k }),
      note: t('hotspots.legend.typologyNote', { s: formatNumber(ty.result.silhouette, 2), n: ty.variables.length }),
      items: Array.from({ length: ty.result.k }, (_, l) => ({ color: TYPE_COLORS[l % TYPE_COLORS.length], label: `${typeName(l)}: ${typeDescription(l)}` })),
    };
  }
  if (display === 'stability') {
    return {
      title: t('hotspots.legend.stability'),
      note: t('hotspots.legend.stabilityNote', { measure, inference: hotspots.fdr ? t('hotspots.inference.fdr', { base: t('hotspots.inference.normal') }) : t('hotspots.inference.normal') }),
      items: STABILITY_CLASSES.map((_, k) => ({ color: STABILITY_COLORS[k], label: classLabel('stability', k) })),
    };
  }
  if (display === 'heatmap') {
    return {
      title: t('hotspots.legend.heatmap', { measure }),
      note: t('hotspots.legend.heatmapNote', { res }),
      items: [
        { color: [255, 255, 178], label: t('hotspots.legend.low') },
        { color: [253, 141, 60], label: '' },
        { color: [189, 0, 38], label: t('hotspots.legend.high') },
      ],
    };
  }
  const stat = r?.statistic ?? hotspots.statistic;
  const note = t('hotspots.legend.note', { res, rings, inference: inferenceLabel() });
  if (display === 'quadrants') {
    const q = hotspots.quadrants;
    if (!q) return null;
    const source = q.risk.source === 'risk-tab' ? t('hotspots.quad.fromRiskTab') : t('hotspots.quad.fromDefault');
    return {
      title: t('hotspots.legend.quadrants', { measure }),
      note: `${note} · ${t('hotspots.quad.riskNote', { source, period: q.risk.period })}`,
      items: QUADRANTS.map((_, k) => ({ color: QUADRANT_COLORS[k], label: `${classLabel('quadrant', k)} (${formatNumber(q.result.counts[k])})` })),
    };
  }
  const counts = new Array<number>(stat === 'gi' ? 7 : 5).fill(0);
  if (r) for (const c of r.classCode) counts[c]++;
  return {
    title: t(stat === 'gi' ? 'hotspots.legend.gi' : 'hotspots.legend.moran', { measure }),
    note,
    items:
      stat === 'gi'
        ? GI_CLASSES.map((_, k) => ({ color: GI_CLASS_COLORS[k], label: `${classLabel('gi', k)} (${formatNumber(counts[k])})` }))
        : [1, 4, 2, 3, 0].map((k) => ({ color: MORAN_COLORS[k], label: `${classLabel('moran', k)} (${formatNumber(counts[k])})` })),
  };
}

/** Tooltip of study cell `i` of the shown result. */
export function hoverLines(i: number): string[] {
  const ds = app.dataset;
  const g = hotspots.grid;
  const r = hotspots.result;
  if (!ds || !g || !r) return [];
  const area = ds.areas.features[g.areaIndex[i]];
  const lines = [`${areaName(area?.properties ?? null)} · H3 ${g.h3[i]}`, `${measureLabel(r.measure)}: ${formatNumber(r.values[i])}`];
  const stat = r.statistic === 'gi' ? `z = ${formatNumber(r.z[i], 2)}` : `I = ${formatNumber(r.moranI?.[i] ?? NaN, 3)} · z = ${formatNumber(r.z[i], 2)}`;
  let ps = pEquals('p', r.p[i]);
  if (r.pSim) ps += ` · ${pEquals(t('hotspots.pSim'), r.pSim[i])}`;
  if (r.pFdr) ps += ` · ${pEquals(t('hotspots.pFdr'), r.pFdr[i])}`;
  lines.push(`${stat} · ${ps}`);
  lines.push(classLabel(r.statistic === 'gi' ? 'gi' : 'moran', r.classCode[i]));
  const q = hotspots.display === 'quadrants' ? hotspots.quadrants : null;
  if (q) {
    const a = g.areaIndex[i];
    const tier = q.risk.tier[a];
    lines.push(`${classLabel('quadrant', q.result.quadrant[i])} · ${Number.isFinite(tier) ? t('hotspots.quad.tier', { tier, n: q.risk.tierCount }) : t('hotspots.quad.noRisk')}`);
  }
  return lines;
}
