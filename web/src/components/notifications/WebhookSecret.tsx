import { useEffect, useRef, useState } from 'react';

/** A webhook's signing secret, shown once after creating the webhook or generating a new secret. */
export function WebhookSecret({ url, secret, onDone }: { url: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // Keyboard and screen reader users land on the secret they must copy now.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new secret while this panel is open focuses it again
  useEffect(() => heading.current?.focus(), [secret]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <section className="panel">
      <h2 id="webhook-secret" ref={heading} tabIndex={-1} style={{ marginTop: 0 }}>
        Signing secret for {url}
      </h2>
      <p>
        <strong>This is the only time the secret is shown: give it to the receiver now.</strong> It checks each
        delivery’s <code>X-Fleetflash-Signature</code> with it.
      </p>
      <p className="secret" data-testid="webhook-secret">
        {secret}
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      <p role="status" className={copied === 'failed' ? 'field-error' : 'muted'}>
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'Select the secret and copy it by hand.'
            : ''}
      </p>
    </section>
  );
}
