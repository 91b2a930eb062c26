import { Field } from '../ui';
import { fieldError } from './common';

export interface EmbedAgentChoice {
  embed: boolean;
  /** The organization's registration secret, written into the image (the server keeps only its hash). */
  secret: string;
}

/**
 * The custom-image form's choice to embed the pull agent: a checkbox, and the organization's
 * registration secret once it is ticked (docs/agent-images.md).
 */
export function EmbedAgentFields({
  value,
  onChange,
  error,
}: {
  value: EmbedAgentChoice;
  onChange: (value: EmbedAgentChoice) => void;
  error: unknown;
}) {
  const embedError = fieldError(error, 'embed_agent');
  return (
    <>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={value.embed}
          onChange={(event) => onChange({ ...value, embed: event.target.checked })}
        />
        <span>Embed the pull agent (routers enroll themselves at first boot)</span>
      </label>
      <small className="muted">
        Routers flashed with this image without keeping settings (<code>-n</code>), or fresh from the box, come back
        under management.
      </small>
      {embedError ? (
        <small className="field-error" role="alert">
          {embedError}
        </small>
      ) : null}
      {value.embed ? (
        <Field
          label="Registration secret"
          error={fieldError(error, 'registration_secret')}
          hint={
            "The organization's current registration secret (shown once when generated; fleetflash keeps only " +
            'its hash). It is written into the image.'
          }
        >
          {(id, describedBy) => (
            <input
              id={id}
              type="password"
              autoComplete="off"
              spellCheck={false}
              aria-describedby={describedBy}
              value={value.secret}
              onChange={(event) => onChange({ ...value, secret: event.target.value })}
            />
          )}
        </Field>
      ) : null}
    </>
  );
}
