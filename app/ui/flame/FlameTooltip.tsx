'use client';
import { isDiffTree, type FlameTree } from '@/lib/flame/tree';
import { formatDelta, formatQuantity, formatShare } from '../format';
import styles from './FlameGraph.module.css';

const OFFSET = 14;

/** The numbers of the frame under the cursor, beside the cursor and kept on screen. */
export function FlameTooltip({ tree, node, zoom, clientX, clientY, contextHint }: { tree: FlameTree; node: number; zoom: number; clientX: number; clientY: number; contextHint: boolean }) {
  const unit = tree.sampleType.unit;
  const quantity = (value: number) => formatQuantity(value, unit);
  const left = clientX > window.innerWidth / 2;
  const up = clientY > window.innerHeight / 2;
  const position = {
    left: left ? undefined : clientX + OFFSET,
    right: left ? window.innerWidth - clientX + OFFSET : undefined,
    top: up ? undefined : clientY + OFFSET,
    bottom: up ? window.innerHeight - clientY + OFFSET : undefined,
  };
  const rows: [string, string][] = [];
  if (isDiffTree(tree)) {
    const before = tree.base[node];
    const after = tree.total[node] + before;
    const rootBefore = tree.base[0];
    const rootAfter = tree.total[0] + rootBefore;
    rows.push(
      ['Before', `${quantity(before)} (${formatShare(before, rootBefore)})`],
      ['After', `${quantity(after)} (${formatShare(after, rootAfter)})`],
      ['Delta', formatDelta(after - before, unit)],
      ['Change', relativeChange(before, after)],
    );
  } else {
    const total = tree.total[node];
    const self = tree.self[node];
    rows.push(['Total', `${quantity(total)} · ${formatShare(total, tree.total[0])} of root${zoom !== 0 ? ` · ${formatShare(total, tree.total[zoom])} of zoom` : ''}`]);
    rows.push(['Self', `${quantity(self)} · ${formatShare(self, tree.total[0])} of root`]);
  }
  return (
    <div className={styles.tooltip} style={position} data-testid="flame-tooltip" role="tooltip">
      <div className={styles.tooltipName}>{tree.names[tree.name[node]]}</div>
      <table className={styles.tooltipTable}>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className={styles.tooltipHint}>Click to zoom{contextHint ? ' · double-click for callers and callees' : ''}</div>
    </div>
  );
}

/** `+12%`, `−40%`, `new`, `gone` or `unchanged`: after against before. */
function relativeChange(before: number, after: number): string {
  if (before === after) return 'unchanged';
  if (before === 0) return 'new';
  if (after === 0) return 'gone';
  return `${after > before ? '+' : '\u2212'}${formatShare(Math.abs(after - before), before)}`;
}
