import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/** Vega-Lite specs rendered to standalone SVG (no browser): the report's images. */
export async function renderSvg(spec: vegaLite.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

export function confusionChart(title: string, labels: string[], matrix: number[][]): vegaLite.TopLevelSpec {
  const values = matrix.flatMap((row, t) => {
    const total = row.reduce((a, b) => a + b, 0) || 1;
    return row.map((count, p) => ({ actual: labels[t], predicted: labels[p], count, share: count / total }));
  });
  return {
    title,
    data: { values },
    width: 60 * labels.length,
    height: 60 * labels.length,
    encoding: {
      x: { field: 'predicted', type: 'nominal', sort: labels },
      y: { field: 'actual', type: 'nominal', sort: labels },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'share', type: 'quantitative', scale: { domain: [0, 1], scheme: 'blues' }, title: 'row share' } } },
      { mark: { type: 'text', fontSize: 12 }, encoding: { text: { field: 'count', type: 'quantitative' }, color: { condition: { test: 'datum.share > 0.5', value: 'white' }, value: 'black' } } },
    ],
  };
}

export interface Line {
  series: string;
  x: number;
  y: number;
}

export function lineChart(title: string, xTitle: string, yTitle: string, lines: Line[], points = true): vegaLite.TopLevelSpec {
  return {
    title,
    width: 420,
    height: 260,
    data: { values: lines },
    mark: { type: 'line', point: points },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: xTitle },
      y: { field: 'y', type: 'quantitative', title: yTitle, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

export function reliabilityChart(title: string, points: { series: string; confidence: number; accuracy: number; count: number }[]): vegaLite.TopLevelSpec {
  return {
    title,
    width: 300,
    height: 300,
    layer: [
      { data: { values: [{ a: 0 }, { a: 1 }] }, mark: { type: 'line', strokeDash: [4, 4], color: 'gray' }, encoding: { x: { field: 'a', type: 'quantitative', title: 'confidence' }, y: { field: 'a', type: 'quantitative', title: 'accuracy' } } },
      {
        data: { values: points },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'confidence', type: 'quantitative', scale: { domain: [0, 1] } },
          y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] } },
          color: { field: 'series', type: 'nominal', title: null },
        },
      },
    ],
  };
}
