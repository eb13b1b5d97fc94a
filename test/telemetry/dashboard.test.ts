import * as fs from 'node:fs';
import * as path from 'node:path';
import { BotMetrics } from '../../src/telemetry/botMetrics';

interface Target {
  refId?: unknown;
  expr?: unknown;
  datasource?: { type?: unknown; uid?: unknown };
}
interface Panel {
  id?: unknown;
  type?: unknown;
  title?: unknown;
  gridPos?: { x?: unknown; y?: unknown; w?: unknown; h?: unknown };
  targets?: Target[];
}

const dashboard = JSON.parse(fs.readFileSync(path.join(__dirname, '../../docs/ops/grafana-dashboard.json'), 'utf8')) as {
  uid?: unknown;
  title?: unknown;
  schemaVersion?: unknown;
  panels?: Panel[];
  templating?: { list?: { name?: unknown; query?: { query?: unknown } }[] };
  __inputs?: { name?: unknown; pluginId?: unknown }[];
};
const panels = dashboard.panels ?? [];
const queryPanels = panels.filter((p) => p.type !== 'row');
const expressions = queryPanels.flatMap((p) => (p.targets ?? []).map((t) => String(t.expr)));

/** Series names in a PromQL expression: identifiers that are neither functions, aggregations, keywords nor labels. */
function seriesNames(expr: string): string[] {
  const withoutMatchers = expr.replace(/\{[^}]*\}/g, '{}').replace(/\[[^\]]*\]/g, '[]');
  const keywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'le']);
  const names: string[] = [];
  for (const match of withoutMatchers.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const after = withoutMatchers.slice((match.index ?? 0) + match[0].length).trimStart();
    // Functions and aggregations: `rate(`, `sum by (…) (`.
    if (after.startsWith('(') || /^(by|without)\s*\(/.test(after) || keywords.has(match[0])) continue;
    // Labels inside by (...) / without (...): everything between the parentheses that follow those keywords.
    const before = withoutMatchers.slice(0, match.index ?? 0);
    if (/\b(by|without)\s*\([^)]*$/.test(before)) continue;
    names.push(match[0]);
  }
  return names;
}

describe('docs/ops/grafana-dashboard.json', () => {
  it('is an importable Grafana dashboard', () => {
    expect(dashboard.uid).toBe('lab-gallery-bot');
    expect(typeof dashboard.title).toBe('string');
    expect(typeof dashboard.schemaVersion).toBe('number');
    expect(dashboard.__inputs).toEqual([expect.objectContaining({ name: 'DS_PROMETHEUS', pluginId: 'prometheus' })]);
    expect(queryPanels.length).toBeGreaterThan(10);
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      expect(['row', 'timeseries', 'stat']).toContain(panel.type);
      expect(typeof panel.title).toBe('string');
      const { x, y, w, h } = panel.gridPos ?? {};
      for (const n of [x, y, w, h]) expect(Number.isInteger(n)).toBe(true);
      expect(Number(x) + Number(w)).toBeLessThanOrEqual(24);
    }
    for (const panel of queryPanels) {
      expect(panel.targets?.length).toBeGreaterThan(0);
      const refIds = (panel.targets ?? []).map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const target of panel.targets ?? []) {
        expect(target.datasource).toEqual({ type: 'prometheus', uid: '${DS_PROMETHEUS}' });
        expect(typeof target.expr).toBe('string');
      }
    }
  });

  it('queries only metrics the bot’s registry exposes', async () => {
    const families = (await new BotMetrics().registry.getMetricsAsJSON()).map((m) => ({ name: m.name, type: String(m.type) }));
    const exposed = new Set(families.flatMap((f) => (f.type === 'histogram' ? [f.name, `${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name])));
    const templated = (dashboard.templating?.list ?? []).map((v) => String(v.query?.query ?? ''));
    const used = [...expressions, ...templated].map((expr) => [expr, seriesNames(expr.replace(/^label_values\(([^,]+),.*\)$/, '$1'))] as const);
    for (const [expr, names] of used) {
      expect({ expr, names: names.length > 0 }).toEqual({ expr, names: true });
      for (const name of names) expect({ expr, name, exposed: exposed.has(name) }).toEqual({ expr, name, exposed: true });
    }
    // Every metric of ours appears on the dashboard.
    const shown = new Set(used.flatMap(([, names]) => names.map((n) => n.replace(/_(bucket|sum|count)$/, ''))));
    for (const { name } of families.filter((f) => f.name.startsWith('labgallery_'))) expect(shown).toContain(name);
  });
});
