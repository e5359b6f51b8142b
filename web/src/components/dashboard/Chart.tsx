// A chart of the dashboard (ECharts, only the parts used: bars, lines, grid, tooltip, legend, aria). Every bar
// or point can be clicked to open the list behind it; the chart carries a description for screen readers and
// a test id for the browser tests.
import ReactEChartsCore from 'echarts-for-react/esm/core';
import { BarChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { EChartsOption } from 'echarts';

echarts.use([
  BarChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  AriaComponent,
  CanvasRenderer,
]);

export interface ChartProps {
  option: EChartsOption;
  /** what the chart shows, in words (aria-label of its container) */
  label: string;
  height?: number;
  testId?: string;
  /** a bar or point clicked: its category (the x or y axis value) and series index */
  onPick?: (category: string, seriesIndex: number) => void;
}

export function Chart({ option, label, height = 280, testId, onPick }: ChartProps) {
  return (
    <div role="img" aria-label={label} data-testid={testId}>
      <ReactEChartsCore
        echarts={echarts}
        option={{ aria: { enabled: true }, animation: false, ...option }}
        style={{ height, width: '100%' }}
        notMerge
        onEvents={
          onPick
            ? { click: (p: { name: string; seriesIndex: number }) => onPick(String(p.name), p.seriesIndex) }
            : undefined
        }
      />
    </div>
  );
}
