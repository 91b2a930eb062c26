import { type DragEvent, type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, toApiError } from '../../api/client';
import { Field, formatBytes, ProgressBar } from '../ui';
import { Boards, fieldError, FormError } from './common';
import type { Image } from './types';

/** Thrown when the user cancels an upload: not an error to show. */
class UploadCancelled extends Error {}

/**
 * Sends one image as multipart/form-data with XMLHttpRequest (fetch cannot report upload
 * progress): `type` first when given, then the file in the part named `file`.
 */
function sendImage(
  buildId: string,
  file: File,
  type: string,
  force: boolean,
  onProgress: (percent: number) => void,
): { done: Promise<Image>; abort: () => void } {
  const request = new XMLHttpRequest();
  const done = new Promise<Image>((resolve, reject) => {
    let sentAll = false;
    request.open('POST', `/api/v1/firmware/build/${encodeURIComponent(buildId)}/image/`);
    request.withCredentials = true;
    request.setRequestHeader('Accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress((event.loaded / event.total) * 100);
    };
    request.upload.onload = () => {
      sentAll = true;
      onProgress(100);
    };
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = null;
      }
      if (request.status === 201 && body) {
        resolve(body as Image);
        return;
      }
      if (request.status === 413 && !(body && typeof (body as { detail?: unknown }).detail === 'string')) {
        reject(new ApiError(413, 'The file is larger than the server accepts.', 'FileTooLarge', {}));
        return;
      }
      reject(toApiError(request.status, body));
    };
    request.onerror = () => {
      // The server closes the connection when it refuses an upload early (e.g. over the size
      // limit); the browser then reports no answer at all.
      reject(
        sentAll
          ? toApiError(0, null)
          : new ApiError(
              0,
              'The upload was cut off before the file was sent: the file may be larger than the server accepts, or ' +
                'the connection dropped. Try again.',
              null,
              {},
            ),
      );
    };
    request.onabort = () => reject(new UploadCancelled('cancelled'));
    const form = new FormData();
    if (type) form.append('type', type);
    if (force) form.append('force', 'true');
    form.append('file', file, file.name);
    request.send(form);
  });
  return { done, abort: () => request.abort() };
}

/** What the server made of an uploaded image: its type, model, boards and embedded metadata. */
function UploadResult({ image }: { image: Image }) {
  const version = image.metadata?.version;
  return (
    <div className="panel" role="status">
      <p>
        <strong>Uploaded {image.file_name}</strong> ({formatBytes(image.size)}). The server read:
      </p>
      <dl className="kv">
        <dt>Type</dt>
        <dd>{image.type}</dd>
        <dt>Label</dt>
        <dd>{image.label || <span className="muted">—</span>}</dd>
        <dt>Boards</dt>
        <dd>
          <Boards boards={image.boards} />
        </dd>
        {version?.version ? (
          <>
            <dt>Version</dt>
            <dd>
              {version.dist ? `${version.dist} ` : ''}
              {version.version}
            </dd>
          </>
        ) : null}
        {version?.revision ? (
          <>
            <dt>Revision</dt>
            <dd>{version.revision}</dd>
          </>
        ) : null}
        {version?.target ? (
          <>
            <dt>Target</dt>
            <dd>{version.target}</dd>
          </>
        ) : null}
        {!image.metadata ? (
          <>
            <dt>Metadata</dt>
            <dd className="muted">None in the image</dd>
          </>
        ) : null}
      </dl>
    </div>
  );
}

/** Upload of an image to a build: a drop zone or a file input, an optional type, with progress. */
export function ImageUpload({ buildId, onUploaded }: { buildId: string; onUploaded: (image: Image) => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [type, setType] = useState('');
  // Offered only after the server said the file cannot be an image of its type (NotAnImage).
  const [force, setForce] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fileProblem, setFileProblem] = useState<string | undefined>(undefined);
  const [result, setResult] = useState<Image | null>(null);
  const input = useRef<HTMLInputElement | null>(null);
  const upload = useRef<{ abort: () => void } | null>(null);
  useEffect(() => () => upload.current?.abort(), []);
  const uploading = progress !== null;
  const refusedAsNotAnImage = error instanceof ApiError && error.code === 'NotAnImage';

  const choose = (chosen: File | null, note?: string) => {
    setFile(chosen);
    setError(null);
    setForce(false);
    setFileProblem(note);
    if (chosen) setResult(null);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    if (uploading) return;
    const files = event.dataTransfer.files;
    const dropped = files[0];
    if (!dropped) return;
    // Show the dropped file in the input too, so both ways of choosing agree.
    try {
      const transfer = new DataTransfer();
      transfer.items.add(dropped);
      if (input.current) input.current.files = transfer.files;
    } catch {
      // Older browsers cannot set the input's files: the name below says what was chosen.
    }
    choose(dropped, files.length > 1 ? `Only one file is uploaded at a time: ${dropped.name} was taken.` : undefined);
  };
  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    if (!event.dataTransfer.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = uploading ? 'none' : 'copy';
    setDragging(true);
  };
  const onDragLeave = (event: DragEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (uploading) return;
    if (!file) {
      setFileProblem('Choose the image file to upload, or drop it on the zone above.');
      input.current?.focus();
      return;
    }
    setError(null);
    setFileProblem(undefined);
    setResult(null);
    setProgress(0);
    const sending = sendImage(buildId, file, type.trim(), force && refusedAsNotAnImage, setProgress);
    upload.current = sending;
    try {
      const image = await sending.done;
      setResult(image);
      setFile(null);
      setType('');
      setForce(false);
      if (input.current) input.current.value = '';
      onUploaded(image);
    } catch (caught) {
      if (!(caught instanceof UploadCancelled)) setError(caught);
    } finally {
      upload.current = null;
      setProgress(null);
    }
  };

  return (
    <form className="panel" aria-label="Upload an image" onSubmit={(event) => void submit(event)}>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a shortcut for the file input inside */}
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
      >
        <p>Drag and drop an image file here, or choose it:</p>
        <Field label="Image file" error={fileProblem ?? fieldError(error, 'file')}>
          {(id, describedBy) => (
            <input
              id={id}
              ref={input}
              type="file"
              aria-describedby={describedBy}
              disabled={uploading}
              style={{ alignSelf: 'center' }}
              onChange={(event) => choose(event.target.files?.[0] ?? null)}
            />
          )}
        </Field>
        {file ? (
          <p className="muted" aria-live="polite" style={{ overflowWrap: 'anywhere' }}>
            Chosen: <strong>{file.name}</strong> ({formatBytes(file.size)})
          </p>
        ) : null}
      </div>
      <Field
        label="Image type"
        error={fieldError(error, 'type')}
        hint={
          "Optional: usually derived from the file name or the image's metadata, " +
          'e.g. ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin.'
        }
      >
        {(id, describedBy) => (
          <input
            id={id}
            aria-describedby={describedBy}
            maxLength={128}
            disabled={uploading}
            value={type}
            onChange={(event) => setType(event.target.value)}
          />
        )}
      </Field>
      {refusedAsNotAnImage ? (
        <div className="checkbox">
          <input
            id={`image-upload-force-${buildId}`}
            type="checkbox"
            checked={force}
            disabled={uploading}
            onChange={(event) => setForce(event.target.checked)}
          />
          <label htmlFor={`image-upload-force-${buildId}`}>
            Upload it anyway: I am sure this is a sysupgrade image of this type
          </label>
        </div>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={uploading}>
          Upload
        </button>
        {uploading ? (
          <button type="button" onClick={() => upload.current?.abort()}>
            Cancel upload
          </button>
        ) : null}
      </div>
      {progress !== null ? (
        <div className="field" style={{ marginTop: '0.75rem' }}>
          <ProgressBar label="Upload progress" value={progress} />
          <small className="muted" aria-live="polite">
            {progress < 100 ? `Sending ${file?.name ?? 'the file'}…` : 'Sent: the server is checking the image…'}
          </small>
        </div>
      ) : null}
      <div style={{ marginTop: '0.75rem' }}>
        <FormError error={error} fields={['type', 'file']} />
        {result ? <UploadResult image={result} /> : null}
      </div>
    </form>
  );
}
