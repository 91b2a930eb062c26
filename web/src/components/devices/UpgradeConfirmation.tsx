import { describeImage, type FittingImage } from './imageCatalog';

/**
 * The last step before a single upgrade starts: what the device runs now, the image it gets, the
 * options, the health check, and a warning when the image goes back to an older release (the server says so: the
 * fitting image's `downgrade`, by the rule mass upgrades apply). Nothing starts until confirmed.
 */
export function UpgradeConfirmation({
  deviceName,
  currentOs,
  installed,
  image,
  options,
  ignoresWindow,
  healthCheck,
  busy,
  onConfirm,
  onBack,
}: {
  deviceName: string;
  /** The OS string the device reported last. */
  currentOs: string;
  /** The image its firmware record names, when it is among the fitting ones. */
  installed: FittingImage | undefined;
  image: FittingImage;
  /** Labels of the options chosen. */
  options: string[];
  /** Started now whatever the device's maintenance window says (an admin's override). */
  ignoresWindow: boolean;
  /** The health check chosen, as the form shows it (a name, "None" or the category's default). */
  healthCheck: string;
  busy: boolean;
  onConfirm: () => void;
  onBack: () => void;
}) {
  return (
    <fieldset className="panel group" aria-label="Confirm the upgrade" style={{ marginBottom: '0.75rem' }}>
      <p style={{ marginTop: 0 }}>
        Upgrade <strong>{deviceName}</strong>?
      </p>
      <dl className="kv">
        <dt>Runs now</dt>
        <dd data-testid="upgrade-current">
          {currentOs || <span className="muted">unknown firmware</span>}
          {installed ? (
            <>
              <br />
              <small className="muted">{describeImage(installed)}</small>
            </>
          ) : null}
        </dd>
        <dt>New image</dt>
        <dd data-testid="upgrade-target">
          {describeImage(image)}
          {image.build_os ? (
            <>
              <br />
              <small className="muted">{image.build_os}</small>
            </>
          ) : null}
        </dd>
        <dt>Options</dt>
        <dd>{options.length > 0 ? options.join(', ') : 'none'}</dd>
        <dt>Maintenance window</dt>
        <dd data-testid="upgrade-window">
          {ignoresWindow ? 'ignored: starts now' : "waits for the device's window, if it has one"}
        </dd>
        <dt>Health check</dt>
        <dd data-testid="upgrade-health-check">{healthCheck}</dd>
      </dl>
      {image.downgrade ? (
        <p className="error" role="alert">
          <strong>Downgrade:</strong> build {image.build_version} is an older OpenWrt release than the one the device
          runs. Going back may lose settings or packages the newer release brought.
        </p>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className={image.downgrade ? 'danger' : 'primary'}
          onClick={onConfirm}
          disabled={busy}
          // biome-ignore lint/a11y/noAutofocus: replaces the Upgrade button just pressed, so the focus moves here
          autoFocus
        >
          {busy ? 'Starting the upgrade…' : 'Start the upgrade'}
        </button>
        <button type="button" onClick={onBack} disabled={busy}>
          Back
        </button>
      </div>
    </fieldset>
  );
}
