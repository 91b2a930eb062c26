import { DataTable } from '../DataTable';
import type { CustomImagesAnswer } from './types';

type SkippedModel = CustomImagesAnswer['skipped'][number];

/** What the last request started, and the models it could not build for. */
export function RequestSummary({ answer }: { answer: CustomImagesAnswer }) {
  const { requested, skipped } = answer;
  return (
    <div className="panel" role="status">
      <p>
        {requested.length === 1 ? 'One image build requested' : `${requested.length} image builds requested`}
        {skipped.length > 0 ? `; ${skipped.length === 1 ? 'one model' : `${skipped.length} models`} skipped:` : '.'}
      </p>
      {skipped.length > 0 ? (
        <DataTable<SkippedModel>
          caption="Skipped models"
          rows={skipped}
          rowKey={(entry) => `${entry.target ?? ''} ${entry.profile ?? entry.board ?? skipped.indexOf(entry)}`}
          columns={[
            { header: 'Model', cell: (entry) => entry.profile ?? entry.board ?? '—' },
            { header: 'Target', className: 'hide-narrow', cell: (entry) => entry.target ?? '—' },
            { header: 'Devices', className: 'hide-narrow', cell: (entry) => entry.devices },
            { header: 'Reason', cell: (entry) => entry.reason },
          ]}
        />
      ) : null}
    </div>
  );
}
