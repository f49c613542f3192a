import { createRequire } from 'node:module';
import type { TopLevelSpec } from 'vega-lite';
import type { DigestModel } from '../domain/digest';

// The digest's chart: the top tags over the last weeks as a line chart, PNG. Vega-Lite describes
// it, Vega lays it out as SVG (headless, no canvas), resvg draws the PNG with a font shipped in an
// npm package, so nothing is downloaded at install or run time and the picture is the same on
// every machine. The libraries are loaded on the first chart, not at start-up: they weigh tens of
// megabytes and are needed once a week.

const require = createRequire(import.meta.url);
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) => require.resolve(`dejavu-fonts-ttf/ttf/${f}`));
const FONT = 'DejaVu Sans';

export function chartSpec(chart: DigestModel['chart'], title: string): TopLevelSpec {
  const values = chart.series.flatMap((s) => chart.weeks.map((week, i) => ({ week, tag: s.label, cases: s.counts[i] ?? 0 })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 640,
    height: 300,
    background: 'white',
    config: { font: FONT, axis: { labelFontSize: 11 }, legend: { labelFontSize: 11, labelLimit: 220 } },
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'week', type: 'ordinal', title: 'Week starting', sort: chart.weeks, axis: { labelAngle: 0 } },
      y: { field: 'cases', type: 'quantitative', title: 'Cases', axis: { tickMinStep: 1 } },
      color: { field: 'tag', type: 'nominal', title: 'Tag', sort: chart.series.map((s) => s.label) },
    },
  };
}

/** The chart as PNG bytes. */
export async function renderTagChart(chart: DigestModel['chart'], title: string): Promise<Buffer> {
  const [{ Resvg }, vega, { compile }] = await Promise.all([import('@resvg/resvg-js'), import('vega'), import('vega-lite')]);
  const spec = compile(chartSpec(chart, title)).spec;
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    const svg = await view.toSVG();
    const png = new Resvg(svg, {
      font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT },
      fitTo: { mode: 'zoom', value: 2 },
    }).render();
    return png.asPng();
  } finally {
    view.finalize();
  }
}
