import type { paths } from '../../api/schema';
import { Field } from '../ui';

/** The rollout settings of a mass upgrade, as typed (empty = the server's default). */
export interface RolloutForm {
  canaryCount: string;
  stageFactor: string;
  successGate: string;
  failureThreshold: string;
  bakeSeconds: string;
  maxConcurrent: string;
  startAt: string;
  waitForOffline: boolean;
}

export const EMPTY_ROLLOUT: RolloutForm = {
  canaryCount: '',
  stageFactor: '',
  successGate: '',
  failureThreshold: '',
  bakeSeconds: '',
  maxConcurrent: '',
  startAt: '',
  waitForOffline: false,
};

type LaunchRequest = NonNullable<paths['/api/v1/firmware/build/{id}/upgrade/']['post']['requestBody']>;
type LaunchBody = LaunchRequest['content']['application/json'];
/** The rollout fields this form sets, as the launch request takes them. */
export type RolloutBody = Pick<
  NonNullable<LaunchBody['rollout']>,
  | 'canary_count'
  | 'stage_factor'
  | 'success_gate_percent'
  | 'failure_threshold_percent'
  | 'bake_seconds'
  | 'max_concurrent'
  | 'start_at'
>;

interface NumberRule {
  key: keyof RolloutForm;
  field: keyof RolloutBody;
  integer: boolean;
  min: number;
  max: number;
}

const NUMBER_RULES: NumberRule[] = [
  { key: 'canaryCount', field: 'canary_count', integer: true, min: 1, max: 1_000_000 },
  { key: 'stageFactor', field: 'stage_factor', integer: false, min: 1.1, max: 100 },
  { key: 'successGate', field: 'success_gate_percent', integer: false, min: 0, max: 100 },
  { key: 'failureThreshold', field: 'failure_threshold_percent', integer: false, min: 0, max: 100 },
  { key: 'bakeSeconds', field: 'bake_seconds', integer: true, min: 0, max: 30 * 24 * 3600 },
  { key: 'maxConcurrent', field: 'max_concurrent', integer: true, min: 1, max: 100_000 },
];

/**
 * The `rollout` of the launch request, or the problems per field (keyed like the API's `fields`:
 * `rollout.canary_count`), so both kinds of error show in the same place.
 */
export function rolloutBody(form: RolloutForm): { rollout: RolloutBody; problems: Record<string, string> } {
  const rollout: RolloutBody = {};
  const problems: Record<string, string> = {};
  for (const rule of NUMBER_RULES) {
    const text = String(form[rule.key]).trim();
    if (text === '') continue;
    const value = Number(text);
    if (!Number.isFinite(value)) problems[`rollout.${rule.field}`] = 'Enter a number.';
    else if (rule.integer && !Number.isInteger(value)) problems[`rollout.${rule.field}`] = 'Enter a whole number.';
    else if (value < rule.min || value > rule.max)
      problems[`rollout.${rule.field}`] = `Enter a number from ${rule.min} to ${rule.max}.`;
    else rollout[rule.field as Exclude<keyof RolloutBody, 'start_at'>] = value;
  }
  if (form.startAt) {
    // datetime-local has no zone: it is the browser's local time.
    const at = new Date(form.startAt);
    if (Number.isNaN(at.getTime())) problems['rollout.start_at'] = 'Enter a date and time.';
    else rollout.start_at = at.toISOString();
  }
  return { rollout, problems };
}

export function RolloutFields({
  form,
  onChange,
  errors,
}: {
  form: RolloutForm;
  onChange: (form: RolloutForm) => void;
  errors: Record<string, string>;
}) {
  const set = (key: keyof RolloutForm) => (event: { target: { value: string } }) =>
    onChange({ ...form, [key]: event.target.value });
  const number = (
    key: keyof RolloutForm,
    field: string,
    label: string,
    hint: string,
    attributes: { min: number; max?: number; step?: string; placeholder?: string },
  ) => (
    <Field label={label} hint={hint} error={errors[`rollout.${field}`]}>
      {(id, describedBy) => (
        <input
          id={id}
          name={field}
          type="number"
          inputMode="decimal"
          aria-describedby={describedBy}
          aria-invalid={errors[`rollout.${field}`] ? true : undefined}
          value={String(form[key])}
          onChange={set(key)}
          {...attributes}
        />
      )}
    </Field>
  );
  return (
    <fieldset style={{ border: 0, padding: 0, margin: 0 }}>
      <legend className="visually-hidden">Rollout settings</legend>
      <p className="muted" style={{ marginTop: 0 }}>
        All optional: an empty field keeps the default. The upgrade goes in stages: a small canary first, then growing
        stages, each only after the one before succeeded well enough.
      </p>
      <div className="grid">
        {number(
          'canaryCount',
          'canary_count',
          'Canary devices',
          'Devices in the first stage, to try the build on a few routers first. Default: 1 % of the devices, at ' +
            'least 5.',
          { min: 1, step: '1', placeholder: 'default' },
        )}
        {number(
          'stageFactor',
          'stage_factor',
          'Stage growth factor',
          'Each later stage is this many times bigger than the one before; the last takes the rest. Default: 4.',
          { min: 1.1, max: 100, step: 'any', placeholder: '4' },
        )}
        {number(
          'successGate',
          'success_gate_percent',
          'Success needed to continue (%)',
          'The next stage starts only once every device of the current one is decided and at least this share ' +
            'succeeded. Default: 95 %.',
          { min: 0, max: 100, step: 'any', placeholder: '95' },
        )}
        {number(
          'failureThreshold',
          'failure_threshold_percent',
          'Pause when failures exceed (%)',
          'The mass upgrade pauses itself when the share of failed devices among the decided ones goes above this ' +
            '(once 10 are decided). Default: 5 %.',
          { min: 0, max: 100, step: 'any', placeholder: '5' },
        )}
        {number(
          'bakeSeconds',
          'bake_seconds',
          'Bake time (seconds)',
          'How long to wait after a stage is decided before the next one starts, to watch the upgraded routers. ' +
            'Default: 0.',
          { min: 0, step: '1', placeholder: '0' },
        )}
        {number(
          'maxConcurrent',
          'max_concurrent',
          'Devices at once',
          "How many devices of this mass upgrade are upgraded at the same time. Default: the server's setting.",
          { min: 1, step: '1', placeholder: 'default' },
        )}
        <Field
          label="Start at"
          hint={
            'Leave empty to start now. Otherwise the mass upgrade waits, scheduled, until this time ' +
            '(your local time).'
          }
          error={errors['rollout.start_at']}
        >
          {(id, describedBy) => (
            <input
              id={id}
              name="start_at"
              type="datetime-local"
              aria-describedby={describedBy}
              value={form.startAt}
              onChange={set('startAt')}
            />
          )}
        </Field>
      </div>
      <div className="checkbox">
        <input
          id="rollout-wait-offline"
          type="checkbox"
          checked={form.waitForOffline}
          onChange={(event) => onChange({ ...form, waitForOffline: event.target.checked })}
          aria-describedby="rollout-wait-offline-hint"
        />
        <span>
          <label htmlFor="rollout-wait-offline">Wait for offline devices</label>
          <br />
          <small id="rollout-wait-offline-hint" className="muted">
            A router that cannot be reached stays pending and is tried again when it comes back (up to 7 days), instead
            of failing after the usual retries.
          </small>
        </span>
      </div>
      {errors.wait_for_offline ? (
        <small className="field-error" role="alert">
          {errors.wait_for_offline}
        </small>
      ) : null}
    </fieldset>
  );
}
