import { useId, useState } from 'react';
import { api, call, errorMessage } from '../../api/client';
import { formatBytes } from '../ui';
import { Boards, ShortHash } from './common';
import type { Image } from './types';

const WRAP_ANYWHERE = { overflowWrap: 'anywhere' } as const;

/** The images of a build: one per hardware type, each downloadable; admins may delete them. */
export function ImagesTable({ buildId, images, mayWrite, onDeleted }: { buildId: string; images: Image[]; mayWrite: boolean; onDeleted: (id: string) => void }) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <th scope="col">Type</th>
            <th scope="col">Label</th>
            <th scope="col" className="hide-narrow">Boards</th>
            <th scope="col" className="hide-narrow">Size</th>
            <th scope="col" className="hide-narrow">SHA-256</th>
            <th scope="col"><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {images.map((image) => <ImageRow key={image.id} buildId={buildId} image={image} mayWrite={mayWrite} onDeleted={onDeleted} />)}
        </tbody>
      </table>
    </div>
  );
}

function ImageRow({ buildId, image, mayWrite, onDeleted }: { buildId: string; image: Image; mayWrite: boolean; onDeleted: (id: string) => void }) {
  const typeId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    setBusy(true);
    setError(null);
    try {
      await call(api.DELETE('/api/v1/firmware/build/{build_pk}/image/{id}/', { params: { path: { build_pk: buildId, id: image.id } } }));
      onDeleted(image.id);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <tr data-image-type={image.type}>
      <td id={typeId} style={WRAP_ANYWHERE}>{image.type}</td>
      <td>{image.label || <span className="muted">—</span>}</td>
      <td className="hide-narrow" style={WRAP_ANYWHERE}><Boards boards={image.boards} /></td>
      <td className="hide-narrow">{formatBytes(image.size)}</td>
      <td className="hide-narrow"><ShortHash value={image.sha256} /></td>
      <td>
        <div className="actions">
          <a className="button" href={image.file} download={image.file_name} aria-describedby={typeId}>Download</a>
          {mayWrite ? (
            <button type="button" className="danger" onClick={() => void remove()} disabled={busy} aria-describedby={typeId}>{busy ? 'Deleting…' : 'Delete'}</button>
          ) : null}
        </div>
        {error ? <p className="field-error" role="alert">{error}</p> : null}
      </td>
    </tr>
  );
}
