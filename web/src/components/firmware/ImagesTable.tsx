import { useState } from 'react';
import { api, call, errorMessage } from '../../api/client';
import { DataTable } from '../DataTable';
import { formatBytes } from '../ui';
import { Boards, ShortHash } from './common';
import type { Image } from './types';

const WRAP_ANYWHERE = { overflowWrap: 'anywhere' } as const;

/** The images of a build: one per hardware type, each downloadable; admins may delete them. */
export function ImagesTable({
  buildId,
  images,
  mayWrite,
  onDeleted,
}: {
  buildId: string;
  images: Image[];
  mayWrite: boolean;
  onDeleted: (id: string) => void;
}) {
  const typeId = (image: Image) => `image-type-${image.id}`;
  return (
    <DataTable<Image>
      rows={images}
      rowKey={(image) => image.id}
      rowProps={(image) => ({ 'data-image-type': image.type })}
      columns={[
        {
          header: 'Type',
          cell: (image) => image.type,
          cellProps: (image) => ({ id: typeId(image), style: WRAP_ANYWHERE }),
        },
        { header: 'Label', cell: (image) => image.label || <span className="muted">—</span> },
        {
          header: 'Boards',
          className: 'hide-narrow',
          cell: (image) => <Boards boards={image.boards} />,
          cellProps: () => ({ style: WRAP_ANYWHERE }),
        },
        { header: 'Size', className: 'hide-narrow', cell: (image) => formatBytes(image.size) },
        {
          header: <abbr title="Devices that run this image">Devices</abbr>,
          className: 'numeric',
          cell: (image) => image.device_count,
        },
        { header: 'SHA-256', className: 'hide-narrow', cell: (image) => <ShortHash value={image.sha256} /> },
        {
          header: <span className="visually-hidden">Actions</span>,
          cell: (image) => (
            <ImageActions
              buildId={buildId}
              image={image}
              typeId={typeId(image)}
              mayWrite={mayWrite}
              onDeleted={onDeleted}
            />
          ),
        },
      ]}
    />
  );
}

function ImageActions({
  buildId,
  image,
  typeId,
  mayWrite,
  onDeleted,
}: {
  buildId: string;
  image: Image;
  typeId: string;
  mayWrite: boolean;
  onDeleted: (id: string) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await call(
        api.DELETE('/api/v1/firmware/build/{build_pk}/image/{id}/', {
          params: { path: { build_pk: buildId, id: image.id } },
        }),
      );
      onDeleted(image.id);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <>
      <div className="actions">
        <a className="button" href={image.file} download={image.file_name} aria-describedby={typeId}>
          Download
        </a>
        {mayWrite ? (
          <button
            type="button"
            className="danger"
            onClick={() => void remove()}
            disabled={busy}
            aria-describedby={typeId}
          >
            {busy ? 'Deleting…' : 'Delete'}
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
