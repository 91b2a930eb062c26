import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Static, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { PROJECT_ROOT } from '../../platform/paths.js';

/**
 * The changes a build makes to the requested package list before it is checked and built, as ASU's
 * `apply_package_changes` does: per version, target and profile additions (kmod-mt7622-firmware, fitblk),
 * auc → owut on 24.10, language packs renamed (luci-i18n-opkg-* → luci-i18n-package-manager-*), and no
 * more `-en` translations. LuCI sends a router's installed list unchanged and relies on them. The rules
 * are data (build-package-rules.json); this file only knows how to read and apply them.
 */

const Names = Type.Array(Type.String({ minLength: 1 }));
const NameMap = Type.Record(Type.String({ minLength: 1 }), Type.String({ minLength: 1 }));

const BuildPackageRule = Type.Object(
  {
    when: Type.Object(
      {
        version_prefix: Type.Optional(Type.String({ minLength: 1 })),
        version: Type.Optional(Type.String({ minLength: 1 })),
        version_from: Type.Optional(Type.String({ minLength: 1 })),
        targets: Type.Optional(Names),
        profiles: Type.Optional(Names),
      },
      { additionalProperties: false },
    ),
    remove: Type.Optional(Names),
    replace: Type.Optional(NameMap),
    add: Type.Optional(Names),
    rename_prefix: Type.Optional(NameMap),
    remove_matching: Type.Optional(Type.Array(Type.Object({ prefix: Type.String(), suffix: Type.String() }))),
  },
  { additionalProperties: false },
);
export type BuildPackageRule = Static<typeof BuildPackageRule>;

const RulesFile = Type.Object({ _comment: Type.Optional(Type.String()), rules: Type.Array(BuildPackageRule) });

/** Reads and checks a rules file; a malformed one stops the process at start with the offending path. */
export function loadBuildPackageRules(file: string): BuildPackageRule[] {
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const error = Value.Errors(RulesFile, parsed).First();
  if (error) throw new Error(`${file}: ${error.path || '/'} ${error.message}`);
  return (parsed as Static<typeof RulesFile>).rules;
}

const RULES = loadBuildPackageRules(
  path.join(PROJECT_ROOT, 'src', 'modules', 'imagebuilder', 'build-package-rules.json'),
);

export interface BuildSubject {
  version: string;
  target: string;
  profile: string;
}

function applies(rule: BuildPackageRule, subject: BuildSubject): boolean {
  const { when } = rule;
  if (when.version_prefix !== undefined && !subject.version.startsWith(when.version_prefix)) return false;
  if (when.version !== undefined && subject.version !== when.version) return false;
  // A plain string comparison, as ASU's: "SNAPSHOT" >= "24.10", so snapshots count as newer.
  if (when.version_from !== undefined && subject.version < when.version_from) return false;
  if (when.targets && !when.targets.includes(subject.target)) return false;
  if (when.profiles && !when.profiles.includes(subject.profile)) return false;
  return true;
}

/**
 * The package list after the rules that apply to this version, target and profile, in the order ASU
 * produces it: removed names leave their place, added names go to the end, renamed ones keep their place.
 */
export function applyBuildPackageRules(
  packages: readonly string[],
  subject: BuildSubject,
  rules: readonly BuildPackageRule[] = RULES,
): string[] {
  let list = [...packages];
  const remove = (name: string) => {
    const had = list.includes(name);
    list = list.filter((entry) => entry !== name);
    return had;
  };
  const add = (name: string) => {
    if (!list.includes(name)) list.push(name);
  };
  for (const rule of rules) {
    if (!applies(rule, subject)) continue;
    for (const name of rule.remove ?? []) remove(name);
    for (const [from, to] of Object.entries(rule.replace ?? {})) if (remove(from)) add(to);
    for (const name of rule.add ?? []) add(name);
    for (const [from, to] of Object.entries(rule.rename_prefix ?? {}))
      list = list.map((name) => (name.startsWith(from) ? `${to}${name.slice(from.length)}` : name));
    for (const { prefix, suffix } of rule.remove_matching ?? [])
      list = list.filter((name) => !(name.startsWith(prefix) && name.endsWith(suffix)));
  }
  return [...new Set(list)];
}
