import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../platform/paths.js';

/**
 * The first-boot script of a custom image that carries the pull agent (docs/agent-images.md): a
 * uci-defaults script that installs the agent exactly as agent/install.sh does (script, procd service,
 * keep.d list) and a one-shot enroller service that enrolls the router once the network is up, then
 * enables and starts the agent and removes itself with the secret.
 *
 * Why an enroller service and not the uci-defaults script itself: uci-defaults scripts run early in
 * boot, before the network, and a script that exits 0 is deleted. A procd service enabled in /etc/rc.d
 * runs again at every boot until it has enrolled, so the uci-defaults part stays one-shot (any script
 * of the admin that follows keeps its stock meaning) and a router that was unplugged before reaching
 * the server still enrolls at its next boot. The service is also started at once, because procd lists
 * /etc/rc.d before the boot script creates the link.
 */

/** Where the agent's script and installer live (the same files GET /agent/… serves). */
export const AGENT_FILES_DIR = path.join(PROJECT_ROOT, 'agent');

/** The agent's files as agent/install.sh installs them on a router. */
export interface AgentFiles {
  /** agent/fleetflash-agent.sh: becomes /usr/sbin/fleetflash-agent. */
  script: string;
  /** /etc/init.d/fleetflash, as the installer writes it. */
  service: string;
  /** /lib/upgrade/keep.d/fleetflash, as the installer writes it. */
  keepList: string;
}

export interface AgentEnrollment {
  /** The server's URL as routers reach it. */
  serverUrl: string;
  /** The organization's slug. */
  organization: string;
  /** The organization's registration secret (checked by the caller). */
  secret: string;
}

/** The body of `cat > <target> <<'<marker>'` … `<marker>` in the installer, without its last newline. */
function heredocOf(installer: string, target: string, marker: string): string {
  const lines = installer.split('\n');
  const start = lines.indexOf(`cat > ${target} <<'${marker}'`);
  const end = start === -1 ? -1 : lines.indexOf(marker, start + 1);
  if (end === -1) throw new Error(`agent/install.sh no longer writes ${target} with a <<'${marker}' here-document`);
  return lines.slice(start + 1, end).join('\n');
}

/** Reads the agent's script and, from its installer, the service and keep list it installs (read per request). */
export async function readAgentFiles(dir: string = AGENT_FILES_DIR): Promise<AgentFiles> {
  const [script, installer] = await Promise.all([
    readFile(path.join(dir, 'fleetflash-agent.sh'), 'utf8'),
    readFile(path.join(dir, 'install.sh'), 'utf8'),
  ]);
  return agentFilesOf(script, installer);
}

/** The agent's files from the script and the installer's text (the service and keep list cut out of it). */
export function agentFilesOf(script: string, installer: string): AgentFiles {
  return {
    script,
    service: heredocOf(installer, '/etc/init.d/fleetflash', 'SERVICE'),
    keepList: heredocOf(installer, '/lib/upgrade/keep.d/fleetflash', 'KEEP'),
  };
}

/**
 * A server URL the agent accepts (`fleetflash-agent enroll` wants http(s)) made only of characters that
 * need no care in the script's comment line or between its quotes.
 */
export function isAgentServerUrl(url: string): boolean {
  return /^https?:\/\/[A-Za-z0-9._~:/@[\]%-]+$/.test(url);
}

/** A word for sh between single quotes: the quote itself is closed, escaped and reopened. */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `cat > target` of `content` through a quoted here-document (no expansion inside). */
function writeFile(target: string, content: string, marker: string): string[] {
  if (content.split('\n').includes(marker))
    throw new Error(`${target} holds the line ${marker}: choose another marker`);
  return [`cat > ${target} <<'${marker}'`, content.replace(/\n$/, ''), marker];
}

/** The enroller: enrolls until it succeeds (backing off to an hour), then hands over to the agent's service. */
function enrollerScript(enrollment: AgentEnrollment): string {
  return [
    '#!/bin/sh',
    '# fleetflash: enrolls this router once (written by the first-boot script of a fleetflash custom image).',
    `url=${shellQuote(enrollment.serverUrl)}`,
    `organization=${shellQuote(enrollment.organization)}`,
    `secret=${shellQuote(enrollment.secret)}`,
    'delay=30',
    // Until the network is up, and while the server refuses (a rotated secret): the backoff keeps a
    // router with an outdated secret from filling the audit log and tripping the registration throttle.
    'until /usr/sbin/fleetflash-agent enroll "$url" "$organization" "$secret"; do',
    '  sleep "$delay"',
    '  [ "$delay" -ge 3600 ] || delay=$((delay * 2))',
    'done',
    '/etc/init.d/fleetflash enable',
    '/etc/init.d/fleetflash start',
    '/etc/init.d/fleetflash-enroll disable',
    'rm -f /etc/init.d/fleetflash-enroll /usr/libexec/fleetflash-enroll',
  ].join('\n');
}

const ENROLL_SERVICE = [
  '#!/bin/sh /etc/rc.common',
  '# fleetflash: enrolls this router once, then removes itself (see /usr/libexec/fleetflash-enroll).',
  'START=99',
  'USE_PROCD=1',
  '',
  'start_service() {',
  '\tprocd_open_instance',
  '\tprocd_set_param command /usr/libexec/fleetflash-enroll',
  '\tprocd_set_param stdout 1',
  '\tprocd_set_param stderr 1',
  '\tprocd_close_instance',
  '}',
].join('\n');

/**
 * The first-boot script: the agent part, then the admin's own `defaults` (if any). The agent part runs in
 * a subshell and never exits the script, since uci-defaults sources each script: the admin's part runs
 * after it and its exit status decides, as usual, whether the script is deleted.
 */
export function composeAgentFirstBoot(files: AgentFiles, enrollment: AgentEnrollment, adminDefaults: string): string {
  if (!isAgentServerUrl(enrollment.serverUrl))
    throw new Error(`not a server URL for the agent: ${enrollment.serverUrl}`);
  const agentPart = [
    `# fleetflash: the pull agent, enrolling with ${enrollment.serverUrl} for organization ${enrollment.organization}.`,
    '# Installs it as agent/install.sh does; the enroller service enrolls once the network is up.',
    '(',
    'umask 022',
    'mkdir -p /usr/sbin /usr/libexec /etc/init.d /lib/upgrade/keep.d /etc/fleetflash',
    ...writeFile('/usr/sbin/fleetflash-agent', files.script, 'FLEETFLASH_AGENT_SCRIPT_END'),
    'chmod 755 /usr/sbin/fleetflash-agent',
    ...writeFile('/etc/init.d/fleetflash', files.service, 'FLEETFLASH_AGENT_SERVICE_END'),
    'chmod 755 /etc/init.d/fleetflash',
    ...writeFile('/lib/upgrade/keep.d/fleetflash', files.keepList, 'FLEETFLASH_AGENT_KEEP_END'),
    // A sysupgrade that kept settings kept the device token: enrolling again would revoke the token
    // the agent is about to report the upgrade's boot with.
    'if grep -q "option token \'" /etc/config/fleetflash 2>/dev/null; then',
    '  /etc/init.d/fleetflash enable',
    'else',
    '  umask 077',
    ...writeFile('/usr/libexec/fleetflash-enroll', enrollerScript(enrollment), 'FLEETFLASH_ENROLLER_END'),
    '  chmod 700 /usr/libexec/fleetflash-enroll',
    '  umask 022',
    ...writeFile('/etc/init.d/fleetflash-enroll', ENROLL_SERVICE, 'FLEETFLASH_ENROLL_SERVICE_END'),
    '  chmod 755 /etc/init.d/fleetflash-enroll',
    '  /etc/init.d/fleetflash-enroll enable',
    '  /etc/init.d/fleetflash-enroll start',
    'fi',
    ')',
  ].join('\n');
  return adminDefaults === '' ? `${agentPart}\n` : `${agentPart}\n\n${adminDefaults}`;
}
