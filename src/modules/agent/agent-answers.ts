import { type AnswerValues, type FormFields, RULES } from './agent-text.js';
import type { PollAnswer } from './agent.service.js';

/** The lines of a poll's answer and the fields of a report, per action and step (docs/agent-protocol.md). */

/** The `key=value` lines of a poll answer that hands the agent something. */
export function pollAnswerLines(answer: PollAnswer, base: string): AnswerValues {
  const { operation } = answer;
  switch (answer.action) {
    case 'flash':
    case 'cancel':
      return { action: answer.action, operation };
    case 'probe': {
      const { probe } = answer;
      // A command of several lines travels as several `command=` lines, in order (a value holds no newline).
      const command = probe.command.replace(/\r/g, '').split('\n');
      const { attempt } = answer;
      return { action: 'probe', operation, attempt, probe: probe.index, timeout: probe.timeoutSeconds, command };
    }
    case 'restore': {
      const { ticket } = answer;
      return {
        action: 'restore',
        operation,
        attempt: answer.attempt,
        archive_url: `${base}/agent/v1/images/${operation}/${ticket.ticket}`,
        sha256: ticket.sha256,
        size: ticket.size,
        board: ticket.board ?? '',
        release: ticket.release,
      };
    }
    case 'upgrade': {
      const { ticket } = answer;
      return {
        action: 'upgrade',
        operation,
        attempt: answer.attempt,
        image_url: `${base}/agent/v1/images/${operation}/${ticket.ticket}`,
        sha256: ticket.sha256,
        size: ticket.size,
        flags: ticket.flags.join(' '),
        backup: ticket.backup,
        backup_url: `${base}/agent/v1/backups/${operation}/${ticket.ticket}`,
        release: ticket.release,
      };
    }
  }
}

/** One field of a report, checked by its name's rule (a malformed one is a 400 naming it). */
export function reportField(form: FormFields, name: string): string {
  switch (name) {
    case 'message':
      return form.text('message', 1000);
    case 'output':
      return form.text('output', 1000);
    case 'bytes':
      return form.required('bytes', /^\d{1,15}$/, 'a number of bytes');
    case 'code':
      return form.required('code', /^[a-z][a-z-]{0,63}$/, 'an error code');
    case 'revision':
      return form.optional('revision', RULES.revision.pattern, RULES.revision.what);
    case 'boot_id':
      return form.required('boot_id', RULES.bootId.pattern, RULES.bootId.what);
    case 'index':
      return form.required('index', /^[1-9]\d{0,2}$/, 'the number of the probe the poll handed out (probe=)');
    case 'exit':
      return form.optional('exit', /^\d{1,3}$/, "the probe's exit status (0–255; empty when it was killed)");
    case 'timed_out':
      return form.optional('timed_out', /^[01]$/, '1 when the probe was killed at its timeout, else 0');
    default:
      return form.required(name, RULES.release.pattern, RULES.release.what);
  }
}
