// Typed builders for Grafana dashboard JSON (schemaVersion 39, Grafana 10.4+): panels, targets, rows and the datasource variable.

export const SCHEMA_VERSION = 39;
/** The provisioned Prometheus datasource (provisioning/datasources/prometheus.yml) and the dashboard variable that selects it. */
export const DATASOURCE_UID = 'airlock-prometheus';
const DS = { type: 'prometheus', uid: '${datasource}' } as const;

export type Unit = 'short' | 'ops' | 's' | 'percentunit' | 'currencyUSD' | 'bytes' | 'reqps' | 'none';

export interface Target {
  refId: string;
  expr: string;
  legendFormat: string;
  datasource: typeof DS;
  range?: boolean;
  instant?: boolean;
}

export interface GridPos { x: number; y: number; w: number; h: number }

export interface Panel {
  id: number;
  type: 'timeseries' | 'stat' | 'row' | 'table' | 'bargauge';
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: typeof DS;
  targets?: Target[];
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  options?: Record<string, unknown>;
  collapsed?: boolean;
  panels?: Panel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  schemaVersion: number;
  version: number;
  editable: boolean;
  graphTooltip: number;
  refresh: string;
  time: { from: string; to: string };
  timezone: string;
  templating: { list: unknown[] };
  annotations: { list: unknown[] };
  links: unknown[];
  panels: Panel[];
}

export interface QuerySpec { expr: string; legend?: string; instant?: boolean }

interface PanelSpec {
  title: string;
  description: string;
  queries: QuerySpec[];
  unit?: Unit;
  w?: number;
  h?: number;
  thresholds?: Array<{ value: number | null; color: string }>;
}

/** Lays panels out left to right in a 24-column grid and numbers them; `row` starts a new titled row. */
export class Layout {
  private nextId = 1;
  private x = 0;
  private y = 0;
  private rowHeight = 0;
  readonly panels: Panel[] = [];

  row(title: string): this {
    this.newLine();
    this.panels.push({ id: this.nextId++, type: 'row', title, collapsed: false, gridPos: { x: 0, y: this.y, w: 24, h: 1 }, panels: [] });
    this.y += 1;
    return this;
  }

  timeseries(spec: PanelSpec): this {
    return this.add('timeseries', spec, {
      defaults: { unit: spec.unit ?? 'short', custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: true }, color: { mode: 'palette-classic' } },
      overrides: [],
    }, { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } });
  }

  stat(spec: PanelSpec): this {
    return this.add('stat', { w: 6, h: 4, ...spec }, {
      defaults: {
        unit: spec.unit ?? 'short',
        color: { mode: 'thresholds' },
        thresholds: { mode: 'absolute', steps: spec.thresholds ?? [{ value: null, color: 'green' }] },
      },
      overrides: [],
    }, { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'area', textMode: 'auto', justifyMode: 'auto', orientation: 'auto' });
  }

  table(spec: PanelSpec): this {
    return this.add('table', spec, { defaults: { unit: spec.unit ?? 'short' }, overrides: [] }, { showHeader: true, cellHeight: 'sm' });
  }

  private add(type: Panel['type'], spec: PanelSpec, fieldConfig: NonNullable<Panel['fieldConfig']>, options: Record<string, unknown>): this {
    const w = spec.w ?? 12;
    const h = spec.h ?? 8;
    if (this.x + w > 24) this.newLine();
    this.panels.push({
      id: this.nextId++, type, title: spec.title, description: spec.description, datasource: DS,
      gridPos: { x: this.x, y: this.y, w, h },
      targets: spec.queries.map((q, i) => ({
        refId: String.fromCharCode(65 + i), expr: q.expr, legendFormat: q.legend ?? '__auto', datasource: DS,
        ...(q.instant ? { instant: true, range: false } : { range: true }),
      })),
      fieldConfig, options,
    });
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
    return this;
  }

  private newLine(): void {
    if (this.x > 0) this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }
}

export function dashboard(d: { uid: string; title: string; description: string; tags: string[]; panels: Panel[]; refresh?: string }): Dashboard {
  return {
    uid: d.uid, title: d.title, description: d.description, tags: d.tags,
    schemaVersion: SCHEMA_VERSION, version: 1, editable: true, graphTooltip: 1, refresh: d.refresh ?? '30s',
    time: { from: 'now-3h', to: 'now' }, timezone: 'browser',
    templating: {
      list: [{
        name: 'datasource', label: 'Prometheus', type: 'datasource', query: 'prometheus', refresh: 1, hide: 0,
        current: { selected: true, text: 'Airlock Prometheus', value: DATASOURCE_UID }, options: [], regex: '',
      }],
    },
    annotations: {
      list: [{ builtIn: 1, datasource: { type: 'grafana', uid: '-- Grafana --' }, enable: true, hide: true, iconColor: 'rgba(0, 211, 255, 1)', name: 'Annotations & Alerts', type: 'dashboard' }],
    },
    links: [], panels: d.panels,
  };
}

/** Every PromQL expression of a dashboard, with the title of its panel. */
export function panelQueries(d: Dashboard): Array<{ panel: string; refId: string; expr: string }> {
  const out: Array<{ panel: string; refId: string; expr: string }> = [];
  const walk = (panels: Panel[]) => {
    for (const p of panels) {
      for (const t of p.targets ?? []) out.push({ panel: p.title, refId: t.refId, expr: t.expr });
      if (p.panels) walk(p.panels);
    }
  };
  walk(d.panels);
  return out;
}
