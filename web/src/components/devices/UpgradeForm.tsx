import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, call, errorMessage } from '../../api/client';
import type { paths } from '../../api/schema';
import { useLoad } from '../../hooks/useLoad';
import { Field, Loading } from '../ui';
import { describeImage, type FittingImage } from './imageCatalog';
import { BackupModeField } from '../upgrades/BackupModeField';
import { BatchHealthCheckField, healthCheckField } from '../health-checks/BatchHealthCheckField';
import type { BackupMode } from '../upgrades/model';
import { useMayWrite } from '../firmware/common';
import { UpgradeConfirmation } from './UpgradeConfirmation';
import { WindowOverrideField } from './WindowOverrideField';

type Device = paths['/api/v1/devices/{id}/']['get']['responses'][200]['content']['application/json'];
export type DeviceFirmware =
  paths['/api/v1/firmware/device/{id}/firmware/']['get']['responses'][200]['content']['application/json'];
type UpgradeOptions =
  paths['/api/v1/firmware/device/{id}/upgrade-options/']['get']['responses'][200]['content']['application/json'];
type UpgradeOption = UpgradeOptions['options'][number];

/**
 * Options that cannot be chosen together. The upgrade-options answer may carry them itself
 * (`conflicts`); for OpenWrt, whose answer does not (yet), they are sysupgrade's rule: -n keeps no
 * configuration, so it excludes -c and -o.
 */
const KNOWN_CONFLICTS: Record<string, Record<string, string[]>> = {
  openwrt: { n: ['c', 'o'], c: ['n'], o: ['n'] },
};

function conflictsOf(upgrader: string, option: UpgradeOption): string[] {
  const declared = (option as UpgradeOption & { conflicts?: unknown }).conflicts;
  if (Array.isArray(declared)) return declared.filter((key): key is string => typeof key === 'string');
  return KNOWN_CONFLICTS[upgrader]?.[option.key] ?? [];
}

interface FormErrors {
  image?: string;
  healthCheck?: string;
  options: Record<string, string>;
  general?: ApiError | Error;
  /** The operation already running, for UpgradeAlreadyRunning. */
  runningOperation?: string;
}

const NO_ERRORS: FormErrors = { options: {} };

export function UpgradeForm({
  device,
  images,
  imagesLoading,
  imagesError,
  onRetryImages,
  firmware,
}: {
  device: Device;
  /** Images that fit the device, newest build first; undefined while loading. */
  images: FittingImage[] | undefined;
  imagesLoading: boolean;
  imagesError: Error | null;
  onRetryImages: () => void;
  /** The device's firmware record; null when unknown yet, undefined while loading. */
  firmware: DeviceFirmware | null | undefined;
}) {
  const navigate = useNavigate();
  const formId = useId();
  const upgradeOptions = useLoad(
    () => call(api.GET('/api/v1/firmware/device/{id}/upgrade-options/', { params: { path: { id: device.id } } })),
    [device.id],
  );
  const [imageId, setImageId] = useState('');
  const [reinstall, setReinstall] = useState(false);
  const [backup, setBackup] = useState<BackupMode>('required');
  // '' = the category's default; the label is what the confirmation repeats.
  const [healthCheck, setHealthCheck] = useState({ value: '', label: "the category's default" });
  // Only admins of the device's organization may start outside its maintenance window (the server checks too).
  const mayOverrideWindow = useMayWrite(device.organization);
  const [ignoreWindow, setIgnoreWindow] = useState(false);
  const [values, setValues] = useState<Record<string, boolean>>({});
  const [confirmed, setConfirmed] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  // The upgrade starts only after the person saw what it changes (current firmware → image, a downgrade).
  const [confirming, setConfirming] = useState(false);

  const options = useMemo(() => upgradeOptions.data?.options ?? [], [upgradeOptions.data]);
  const upgrader = upgradeOptions.data?.upgrader ?? '';
  // Start from each option's default once the options are known.
  useEffect(() => {
    setValues(Object.fromEntries(options.map((option) => [option.key, option.default])));
  }, [options]);

  const chosenDangerous = options.filter((option) => option.dangerous && values[option.key]);
  const installedImage = firmware?.installed ? firmware.image : null;
  const selectedIsInstalled = imageId !== '' && imageId === installedImage;
  const noUpgrader = upgradeOptions.error instanceof ApiError && upgradeOptions.error.code === 'NoUpgrader';

  const blocker = !device.is_active
    ? 'This device is deactivated: activate it before upgrading it.'
    : noUpgrader
      ? "No upgrader handles this device's OS, so it cannot be upgraded."
      : chosenDangerous.length > 0 && !confirmed
        ? 'Tick "I understand the risk" to upgrade with a dangerous option.'
        : null;

  const toggle = (option: UpgradeOption, on: boolean) => {
    const next = { ...values, [option.key]: on };
    const unticked: string[] = [];
    if (on) {
      for (const key of conflictsOf(upgrader, option)) {
        if (next[key]) {
          next[key] = false;
          unticked.push(options.find((other) => other.key === key)?.label ?? key);
        }
      }
    }
    setValues(next);
    setConfirming(false);
    setNote(
      unticked.length > 0
        ? `Unticked ${unticked.map((label) => `"${label}"`).join(' and ')}: it cannot be combined with ` +
            `"${option.label}".`
        : null,
    );
    // A newly chosen dangerous option needs a fresh confirmation.
    if (on && option.dangerous) setConfirmed(false);
    setErrors((current) => ({ ...current, options: {} }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    if (!imageId) {
      setErrors({ ...NO_ERRORS, image: 'Choose the image to install.' });
      return;
    }
    if (blocker) return;
    setErrors(NO_ERRORS);
    setConfirming(true);
  };

  const start = async () => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const answer = await call(
        api.PUT('/api/v1/firmware/device/{id}/firmware/', {
          params: { path: { id: device.id } },
          body: {
            image: imageId,
            upgrade_options: values,
            backup,
            ...healthCheckField(healthCheck.value),
            ...(selectedIsInstalled && reinstall ? { installed: false } : {}),
            ...(mayOverrideWindow && ignoreWindow ? { ignore_maintenance_window: true } : {}),
          },
        }),
      );
      if (answer.upgrade_operation) {
        navigate(`/operations/${answer.upgrade_operation.id}`);
        return;
      }
      setNotice(
        'This image is already installed on the device: nothing was started. Tick "Flash it again anyway" to ' +
          'install it once more.',
      );
    } catch (caught) {
      setErrors(await explain(caught, device.id, options));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const imageHint =
    images === undefined ? (
      imagesLoading ? (
        'Looking for images that fit this device…'
      ) : undefined
    ) : images.length === 0 ? (
      <>
        No image fits this device (board "{device.board_name || '—'}", model "{device.model || '—'}") among the newest
        100 builds. Upload one on the <Link to="/firmware">Firmware</Link> page.
      </>
    ) : selectedIsInstalled ? (
      'This image is already installed on the device.'
    ) : (
      `${images.length} image${images.length === 1 ? '' : 's'} fit this device (board "${device.board_name || '—'}").`
    );

  const chosen = images?.find((image) => image.id === imageId);
  const installed = images?.find((image) => image.id === installedImage);

  return (
    <form onSubmit={submit} aria-labelledby={`${formId}-title`} noValidate>
      <h2 id={`${formId}-title`} style={{ marginTop: 0 }}>
        Upgrade
      </h2>
      <Field
        label="Image"
        error={
          errors.image ?? (imagesError ? `The images could not be loaded: ${errorMessage(imagesError)}` : undefined)
        }
        hint={imageHint}
      >
        {(id, describedBy) => (
          <select
            id={id}
            aria-describedby={describedBy}
            aria-invalid={errors.image ? true : undefined}
            value={imageId}
            disabled={images === undefined}
            onChange={(event) => {
              setImageId(event.target.value);
              setReinstall(false);
              setConfirming(false);
              setNotice(null);
              setErrors((current) => ({ ...current, image: undefined }));
            }}
          >
            <option value="">{images === undefined ? 'Loading images…' : 'Choose an image…'}</option>
            {images?.map((image) => (
              <option key={image.id} value={image.id}>
                {describeImage(image)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {imagesError ? (
        <p>
          <button type="button" onClick={onRetryImages}>
            Load the images again
          </button>
        </p>
      ) : null}
      {selectedIsInstalled ? (
        <div className="checkbox">
          <input
            id={`${formId}-reinstall`}
            type="checkbox"
            checked={reinstall}
            onChange={(event) => setReinstall(event.target.checked)}
          />
          <label htmlFor={`${formId}-reinstall`}>Flash it again anyway</label>
        </div>
      ) : null}

      <fieldset className="upgrade-options" style={{ border: 0, padding: 0, margin: '0 0 0.75rem' }}>
        <legend style={{ fontWeight: 600, fontSize: '0.9rem', marginBottom: '0.4rem' }}>Upgrade options</legend>
        {upgradeOptions.loading && !upgradeOptions.data ? <Loading what="Loading the upgrade options" /> : null}
        {upgradeOptions.error ? (
          <p className="error" role="alert">
            {errorMessage(upgradeOptions.error)}
          </p>
        ) : null}
        {options.map((option) => {
          const id = `${formId}-option-${option.key}`;
          const error = errors.options[option.key];
          return (
            <div key={option.key} className="checkbox">
              <input
                id={id}
                type="checkbox"
                checked={values[option.key] ?? false}
                onChange={(event) => toggle(option, event.target.checked)}
                aria-describedby={`${id}-description${error ? ` ${id}-error` : ''}`}
                aria-invalid={error ? true : undefined}
              />
              <div>
                <label htmlFor={id}>{option.label}</label>
                {option.dangerous ? (
                  <>
                    {' '}
                    <span className="badge badge-bad">dangerous</span>
                  </>
                ) : null}
                <br />
                <small id={`${id}-description`} className="muted">
                  {option.description}
                </small>
                {error ? (
                  <>
                    <br />
                    <small id={`${id}-error`} className="field-error" role="alert">
                      {error}
                    </small>
                  </>
                ) : null}
              </div>
            </div>
          );
        })}
        {note ? (
          <p className="muted" aria-live="polite">
            {note}
          </p>
        ) : null}
      </fieldset>
      <BackupModeField value={backup} onChange={setBackup} />
      <BatchHealthCheckField
        organization={device.organization}
        value={healthCheck.value}
        onChange={(value, label) => {
          setHealthCheck({ value, label: value === '' ? "the category's default" : label });
          setConfirming(false);
          setErrors((current) => ({ ...current, healthCheck: undefined }));
        }}
        error={errors.healthCheck}
        hint="Probes run on the router after proof of boot; a failing probe fails the upgrade."
      />
      {mayOverrideWindow ? (
        <WindowOverrideField
          id={`${formId}-ignore-window`}
          checked={ignoreWindow}
          onChange={(checked) => {
            setIgnoreWindow(checked);
            setConfirming(false);
          }}
        />
      ) : null}

      {chosenDangerous.length > 0 ? (
        <div className="error" style={{ marginBottom: '0.75rem' }}>
          <p style={{ marginTop: 0 }}>
            <strong>Dangerous option{chosenDangerous.length > 1 ? 's' : ''}:</strong>{' '}
            {chosenDangerous.map((option) => option.label).join(', ')}. The device may come back with factory settings,
            unreachable, or not at all.
          </p>
          <div className="checkbox" style={{ marginBottom: 0 }}>
            <input
              id={`${formId}-confirm`}
              type="checkbox"
              checked={confirmed}
              onChange={(event) => setConfirmed(event.target.checked)}
            />
            <label htmlFor={`${formId}-confirm`}>I understand the risk</label>
          </div>
        </div>
      ) : null}

      {confirming && chosen ? (
        <UpgradeConfirmation
          deviceName={device.name}
          currentOs={device.os}
          installed={installed}
          image={chosen}
          options={options.filter((option) => values[option.key]).map((option) => option.label)}
          ignoresWindow={mayOverrideWindow && ignoreWindow}
          healthCheck={healthCheck.label}
          busy={busy}
          onConfirm={() => void start()}
          onBack={() => setConfirming(false)}
        />
      ) : (
        <div className="actions" style={{ alignItems: 'center' }}>
          <button
            type="submit"
            className="primary"
            disabled={busy || blocker !== null}
            aria-describedby={blocker ? `${formId}-blocker` : undefined}
          >
            Upgrade
          </button>
          {blocker ? (
            <span id={`${formId}-blocker`} className="muted">
              {blocker}
            </span>
          ) : null}
        </div>
      )}
      {notice ? (
        <p className="muted" role="status">
          {notice}
        </p>
      ) : null}
      {errors.general ? (
        <p className="error" role="alert">
          {errors.general.message}
          {errors.runningOperation ? (
            <>
              {' '}
              <Link to={`/operations/${errors.runningOperation}`}>Open the running upgrade</Link>
            </>
          ) : null}
        </p>
      ) : null}
    </form>
  );
}

/** Puts an error where it belongs: the image field, an option, or next to the button. */
async function explain(caught: unknown, deviceId: string, options: UpgradeOption[]): Promise<FormErrors> {
  if (!(caught instanceof ApiError))
    return { options: {}, general: caught instanceof Error ? caught : new Error(String(caught)) };
  const result: FormErrors = { options: {} };
  const rest: string[] = [];
  for (const [field, message] of Object.entries(caught.fields)) {
    const key = field.replace(/^\/?(body[./])?/, '').replace(/^upgrade_options[./]/, '');
    if (key === 'image') result.image = message;
    else if (key === 'health_check') result.healthCheck = message;
    else if (options.some((option) => option.key === key)) result.options[key] = message;
    else if (field !== 'operation') rest.push(message);
  }
  if (caught.code === 'ImageDoesNotFit' || caught.code === 'InvalidReference') {
    result.image = caught.message;
    return result;
  }
  if (caught.code === 'UpgradeAlreadyRunning') {
    result.runningOperation = caught.fields.operation ?? (await findRunningOperation(deviceId));
    result.general = new ApiError(
      caught.status,
      `An upgrade of this device is already pending or running: wait for it to end, or cancel it first.`,
      caught.code,
      caught.fields,
    );
    return result;
  }
  // Errors without a field of their own (deactivated, no credentials, …) go next to the button.
  if (!result.image && !result.healthCheck && Object.keys(result.options).length === 0) result.general = caught;
  else if (rest.length > 0) result.general = new Error(rest.join(' '));
  return result;
}

async function findRunningOperation(deviceId: string): Promise<string | undefined> {
  for (const status of ['in-progress', 'pending'] as const) {
    try {
      const answer = await call(
        api.GET('/api/v1/firmware/device/{id}/upgrade-operation/', {
          params: { path: { id: deviceId }, query: { status, page_size: 1 } },
        }),
      );
      if (answer.results[0]) return answer.results[0].id;
    } catch {
      return undefined;
    }
  }
  return undefined;
}
