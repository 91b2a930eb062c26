/**
 * A small POSIX-shell subset, enough for what firmware upgraders send to OpenWrt routers:
 * `a && b`, `a || b`, `a; b`, pipes, quotes, and the redirections `>`, `>>`, `2>`, `2>&1`, `<`.
 * Commands run against a `ShellSystem` (the simulated router); the generic ones (echo, cat, test,
 * mkdir, rm, grep, ls…) are built in here, router-specific ones are the system's.
 */

export interface ShellResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface ShellSystem {
  readFile(path: string): string | null;
  writeFile(path: string, content: string, append: boolean): string | null;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  isExecutable(path: string): boolean;
  mkdir(path: string): void;
  remove(path: string, recursive: boolean): boolean;
  list(path: string): string[] | null;
  /** Router commands (ubus, sysupgrade, df, init scripts…) by the word as typed; null when unknown. */
  command(command: string, args: string[], stdin: string): Promise<ShellResult | null> | ShellResult | null;
}

type Token = { kind: 'word'; value: string } | { kind: 'op'; value: string };

const OPERATORS = ['&&', '||', '2>&1', '2>>', '2>', '>>', '&>', '>', '<', '|', ';'];

export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  let inWord = false;
  const flush = () => {
    if (inWord) tokens.push({ kind: 'word', value: word });
    word = '';
    inWord = false;
  };
  for (let i = 0; i < line.length; ) {
    const char = line[i]!;
    if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated quote');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (char === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length && '"\\$`'.includes(line[j + 1]!)) {
          word += line[j + 1];
          j += 2;
        } else word += line[j++];
      }
      if (j >= line.length) throw new Error('unterminated quote');
      inWord = true;
      i = j + 1;
      continue;
    }
    if (char === '\\' && i + 1 < line.length) {
      word += line[i + 1];
      inWord = true;
      i += 2;
      continue;
    }
    if (/\s/.test(char)) {
      flush();
      i += 1;
      continue;
    }
    // "2>" is an operator only at the start of a word.
    const operator = OPERATORS.find((op) => line.startsWith(op, i) && (!op.startsWith('2') || !inWord));
    if (operator) {
      flush();
      tokens.push({ kind: 'op', value: operator });
      i += operator.length;
      continue;
    }
    word += char;
    inWord = true;
    i += 1;
  }
  flush();
  return tokens;
}

interface SimpleCommand {
  words: string[];
  stdout?: { path: string; append: boolean };
  stderr?: { path: string; append: boolean } | 'stdout';
  stdin?: string;
}

interface Pipeline {
  commands: SimpleCommand[];
}

interface Sequence {
  items: { pipeline: Pipeline; connector: '&&' | '||' | ';' | null }[];
}

export function parse(line: string): Sequence {
  const tokens = tokenize(line);
  const items: Sequence['items'] = [];
  let commands: SimpleCommand[] = [];
  let current: SimpleCommand = { words: [] };
  let connector: '&&' | '||' | ';' | null = null;
  const endCommand = () => {
    if (current.words.length === 0) throw new Error('syntax error: empty command');
    commands.push(current);
    current = { words: [] };
  };
  const endPipeline = (next: '&&' | '||' | ';' | null) => {
    endCommand();
    items.push({ pipeline: { commands }, connector });
    commands = [];
    connector = next;
  };
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    if (token.kind === 'word') {
      current.words.push(token.value);
      continue;
    }
    const target = () => {
      const next = tokens[i + 1];
      if (next?.kind !== 'word') throw new Error(`syntax error near ${token.value}`);
      i += 1;
      return next.value;
    };
    switch (token.value) {
      case '|':
        endCommand();
        break;
      case '&&':
      case '||':
      case ';':
        if (token.value === ';' && current.words.length === 0 && commands.length === 0) break;
        endPipeline(token.value);
        break;
      case '>':
        current.stdout = { path: target(), append: false };
        break;
      case '>>':
        current.stdout = { path: target(), append: true };
        break;
      case '&>': {
        const path = target();
        current.stdout = { path, append: false };
        current.stderr = 'stdout';
        break;
      }
      case '2>':
        current.stderr = { path: target(), append: false };
        break;
      case '2>>':
        current.stderr = { path: target(), append: true };
        break;
      case '2>&1':
        current.stderr = 'stdout';
        break;
      case '<':
        current.stdin = target();
        break;
    }
  }
  if (current.words.length > 0 || commands.length > 0) endPipeline(null);
  return { items };
}

const ok = (stdout = ''): ShellResult => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): ShellResult => ({ stdout: '', stderr, code });

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

async function builtin(sys: ShellSystem, words: string[], stdin: string): Promise<ShellResult> {
  const [command = '', ...args] = words;
  const name = basename(command);
  switch (name) {
    case 'true':
    case 'sync':
    case ':':
      return ok();
    case 'false':
      return fail('', 1);
    case 'echo': {
      const noNewline = args[0] === '-n';
      const text = (noNewline ? args.slice(1) : args).join(' ');
      return ok(noNewline ? text : `${text}\n`);
    }
    case 'cat': {
      if (args.length === 0) return ok(stdin);
      let out = '';
      for (const path of args) {
        const content = sys.readFile(path);
        if (content === null)
          return { stdout: out, stderr: `cat: can't open '${path}': No such file or directory\n`, code: 1 };
        out += content;
      }
      return ok(out);
    }
    case 'test':
    case '[': {
      const list = name === '[' ? args.slice(0, -1) : args;
      const negate = list[0] === '!';
      const [flag, path = ''] = negate ? list.slice(1) : list;
      let result: boolean;
      switch (flag) {
        case '-f':
          result = sys.exists(path) && !sys.isDirectory(path);
          break;
        case '-e':
          result = sys.exists(path);
          break;
        case '-d':
          result = sys.isDirectory(path);
          break;
        case '-x':
          result = sys.isExecutable(path);
          break;
        case '-n':
          result = path !== '';
          break;
        case '-z':
          result = path === '';
          break;
        default:
          result = false;
      }
      return (negate ? !result : result) ? ok() : fail('', 1);
    }
    case 'mkdir': {
      for (const path of args.filter((arg) => !arg.startsWith('-'))) sys.mkdir(path);
      return ok();
    }
    case 'rm': {
      const flags = args.filter((arg) => arg.startsWith('-')).join('');
      const force = flags.includes('f');
      let code = 0;
      let stderr = '';
      for (const path of args.filter((arg) => !arg.startsWith('-'))) {
        if (!sys.remove(path, flags.includes('r')) && !force) {
          stderr += `rm: can't remove '${path}': No such file or directory\n`;
          code = 1;
        }
      }
      return { stdout: '', stderr, code };
    }
    case 'ls': {
      const path = args.find((arg) => !arg.startsWith('-')) ?? '/';
      const entries = sys.list(path);
      return entries === null
        ? fail(`ls: ${path}: No such file or directory\n`)
        : ok(entries.length ? `${entries.join('\n')}\n` : '');
    }
    case 'grep': {
      const pattern = args.find((arg) => !arg.startsWith('-'));
      if (pattern === undefined) return fail('Usage: grep PATTERN [FILE]\n', 2);
      const file = args.filter((arg) => !arg.startsWith('-'))[1];
      const text = file ? (sys.readFile(file) ?? '') : stdin;
      const matches = text.split('\n').filter((line) => line.includes(pattern));
      if (matches.length === 0) return fail('', 1);
      return ok(args.includes('-q') ? '' : `${matches.join('\n')}\n`);
    }
    case 'head': {
      const count = Number(args.find((arg) => /^-?\d+$/.test(arg))?.replace('-', '') ?? 10);
      return ok(stdin.split('\n').slice(0, count).join('\n'));
    }
    case 'command':
    case 'which': {
      const target = args.find((arg) => !arg.startsWith('-')) ?? '';
      return ['sysupgrade', 'ubus', 'uci', 'sha256sum', 'df', 'cat', 'echo', 'scp', 'wifi', 'grep'].includes(
        basename(target),
      )
        ? ok(`/sbin/${basename(target)}\n`)
        : fail('', 1);
    }
    default: {
      const result = await sys.command(command, args, stdin);
      return result ?? fail(`/bin/ash: ${command}: not found\n`, 127);
    }
  }
}

export async function runShell(line: string, sys: ShellSystem, stdin = ''): Promise<ShellResult> {
  let sequence: Sequence;
  try {
    sequence = parse(line);
  } catch (error) {
    return fail(`/bin/ash: ${(error as Error).message}\n`, 2);
  }
  let stdout = '';
  let stderr = '';
  let code = 0;
  for (const { pipeline, connector } of sequence.items) {
    if (connector === '&&' && code !== 0) continue;
    if (connector === '||' && code === 0) continue;
    let input = stdin;
    for (const [index, command] of pipeline.commands.entries()) {
      if (command.stdin) input = sys.readFile(command.stdin) ?? '';
      const result = await builtin(sys, command.words, input);
      let out = result.stdout;
      let err = result.stderr;
      if (command.stderr === 'stdout') {
        out += err;
        err = '';
      } else if (command.stderr) {
        if (command.stderr.path !== '/dev/null') sys.writeFile(command.stderr.path, err, command.stderr.append);
        err = '';
      }
      code = result.code;
      if (command.stdout) {
        const problem =
          command.stdout.path === '/dev/null' ? null : sys.writeFile(command.stdout.path, out, command.stdout.append);
        if (problem) {
          err += `/bin/ash: can't create ${command.stdout.path}: ${problem}\n`;
          code = 1;
        }
        out = '';
      }
      stderr += err;
      if (index < pipeline.commands.length - 1) input = out;
      else stdout += out;
    }
  }
  return { stdout, stderr, code };
}
