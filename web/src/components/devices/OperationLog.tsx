import { useLayoutEffect, useRef, useState } from 'react';
import type { paths } from '../../api/schema';

type LogGet = paths['/api/v1/firmware/upgrade-operation/{id}/log/']['get'];
type LogAnswer = LogGet['responses'][200]['content']['application/json'];
export type LogLine = LogAnswer['results'][number];

/** How close to the bottom (px) still counts as "following" the log. */
const FOLLOW_MARGIN = 32;

/**
 * The log of an upgrade, one line per entry. It follows new lines (scrolls to the bottom) while
 * the reader is at the bottom; once they scroll up it stays put and offers a way back down.
 */
export function OperationLog({ lines }: { lines: readonly LogLine[] }) {
  const box = useRef<HTMLDivElement>(null);
  const following = useRef(true);
  const [behind, setBehind] = useState(false);

  useLayoutEffect(() => {
    const element = box.current;
    if (!element) return;
    if (following.current) element.scrollTop = element.scrollHeight;
    else if (lines.length > 0) setBehind(true);
  }, [lines]);

  const onScroll = () => {
    const element = box.current;
    if (!element) return;
    following.current = element.scrollHeight - element.scrollTop - element.clientHeight <= FOLLOW_MARGIN;
    if (following.current) setBehind(false);
  };

  const jumpToEnd = () => {
    const element = box.current;
    if (!element) return;
    following.current = true;
    element.scrollTop = element.scrollHeight;
    setBehind(false);
  };

  return (
    <>
      <div
        ref={box}
        className="log"
        role="log"
        aria-label="Upgrade log"
        aria-live="polite"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be focusable to scroll by keyboard
        tabIndex={0}
        onScroll={onScroll}
      >
        {lines.length === 0 ? <div className="muted">No log lines yet.</div> : null}
        {lines.map((line) => (
          <div key={line.seq} className={`log-line ${line.level}`} data-seq={line.seq}>
            <time dateTime={line.at} style={{ opacity: 0.7 }}>
              {formatTime(line.at)}
            </time>
            {line.level === 'info' ? ' ' : ` ${line.level.toUpperCase()}: `}
            {line.message}
          </div>
        ))}
      </div>
      {behind ? (
        <p className="actions" style={{ justifyContent: 'flex-end', marginTop: '0.4rem' }}>
          <button type="button" onClick={jumpToEnd}>
            Jump to the latest line
          </button>
        </p>
      ) : null}
    </>
  );
}

function formatTime(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString();
}

/** Both lists of lines as one, in order, each sequence number once. */
export function mergeLogLines(current: readonly LogLine[], incoming: readonly LogLine[]): LogLine[] {
  if (incoming.length === 0) return current as LogLine[];
  const lastSeq = current[current.length - 1]?.seq ?? 0;
  const ascending = incoming.every((line, index) => index === 0 || line.seq > (incoming[index - 1]?.seq ?? 0));
  // The usual case: new lines after the last one.
  if (ascending && (incoming[0]?.seq ?? 0) > lastSeq) return [...current, ...incoming];
  const bySeq = new Map<number, LogLine>();
  for (const line of current) bySeq.set(line.seq, line);
  for (const line of incoming) bySeq.set(line.seq, line);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}
