#!/usr/bin/env node
// Wraps what the formatter leaves longer than 120 characters: string literals and untagged template
// literals are split at a space into `'…' + '…'` (same value), `//` comments and JSDoc lines are
// re-wrapped. Tagged templates (sql`…`), regular expressions, JSX attribute strings and type
// positions are left alone: the line check lists them for a person. Run `npm run lint:fix` after it
// (the formatter lays the split expressions out): node scripts/wrap-long-lines.mjs [files…]
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const MAX = 120;
const ROOT = path.resolve(import.meta.dirname, '..');
const CODE = /\.(ts|tsx|js|mjs|cjs)$/;

const lengthOf = (text) => [...text].length;

function longFiles() {
  let output = '';
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/check-line-length.mjs')], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    output = String(error.stderr);
  }
  return [
    ...new Set(
      output
        .split('\n')
        .map((line) => line.split(':')[0])
        .filter((file) => CODE.test(file ?? '')),
    ),
  ];
}

/** Words of `text` in lines of at most `width` characters (a longer word stays whole). */
function wrapWords(text, width) {
  const lines = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && lengthOf(current) + 1 + lengthOf(word) > width) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** A comment-only line re-wrapped, or null when it is not one (or cannot be wrapped). */
function wrapCommentLine(line) {
  if (/biome-ignore|eslint-|@ts-|https?:\/\//.test(line)) return null;
  let match = /^(\s*)\/\*\*\s(.*)\s\*\/$/.exec(line);
  if (match) {
    const [, indent, text] = match;
    return [
      `${indent}/**`,
      ...wrapWords(text, MAX - lengthOf(indent) - 3).map((part) => `${indent} * ${part}`),
      `${indent} */`,
    ];
  }
  match = /^(\s*)(\/\/|\*)\s(.*)$/.exec(line);
  if (!match) return null;
  const [, indent, marker, text] = match;
  const prefix = `${indent}${marker} `;
  const lines = wrapWords(text, MAX - lengthOf(prefix)).map((part) => `${prefix}${part}`);
  return lines.length > 1 ? lines : null;
}

function isSplittable(node) {
  const parent = node.parent;
  if (!parent) return false;
  if (ts.isTaggedTemplateExpression(parent)) return false;
  if (ts.isImportDeclaration(parent) || ts.isExportDeclaration(parent) || ts.isExternalModuleReference(parent)) {
    return false;
  }
  if (ts.isLiteralTypeNode(parent) || ts.isJsxAttribute(parent)) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) && parent.name === node) return false;
  if (ts.isPropertySignature(parent) || ts.isEnumMember(parent)) return false;
  // `as const` keeps literal types; a concatenation would widen them to string. A literal inside
  // another template's `${…}` stays whole: the outer template is split instead.
  for (let up = parent; up; up = up.parent) {
    if (ts.isAsExpression(up) && up.type.getText() === 'const') return false;
    if (ts.isTemplateSpan(up)) return false;
    if (ts.isStatement(up)) break;
  }
  return true;
}

/** Literal parts of a string or template where a split may go: [start, end) offsets into the file. */
function literalRanges(node, sourceFile) {
  const start = node.getStart(sourceFile);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [[start + 1, node.getEnd() - 1]];
  const ranges = [[start + 1, node.head.getEnd() - 2]];
  for (const span of node.templateSpans) {
    const literal = span.literal;
    const tail = ts.isTemplateTail(literal);
    ranges.push([literal.getStart(sourceFile) + 1, literal.getEnd() - (tail ? 1 : 2)]);
  }
  return ranges;
}

/** The edit that splits the literal crossing the limit on `lineStart`'s line, or null. */
function splitLiteral(sourceFile, text, lineStart, lineEnd) {
  let best = null;
  const visit = (node) => {
    const nodeStart = node.getStart(sourceFile);
    if (node.getEnd() <= lineStart || nodeStart >= lineEnd) return;
    const literal =
      ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node);
    if (literal && nodeStart >= lineStart && isSplittable(node)) {
      for (const [from, to] of literalRanges(node, sourceFile)) {
        for (let offset = Math.min(to, lineEnd) - 1; offset > from; offset -= 1) {
          const column = lengthOf(text.slice(lineStart, offset + 1));
          if (column > MAX - 4) continue;
          if (text[offset] !== ' ' || text[offset - 1] === '\\' || offset + 1 >= to) continue;
          if (!best || offset > best.offset) best = { node, offset, quote: text[nodeStart] };
          break;
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  if (!best) return null;
  const { node, offset, quote } = best;
  const indent = /^\s*/.exec(text.slice(lineStart, lineEnd))[0];
  const parent = node.parent;
  const needsParens =
    (ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent) || ts.isCallExpression(parent)) &&
    parent.expression === node;
  const edits = [{ at: offset + 1, insert: `${quote} +\n${indent}  ${quote}` }];
  if (needsParens) edits.push({ at: node.getStart(sourceFile), insert: '(' }, { at: node.getEnd(), insert: ')' });
  return edits;
}

function wrapFile(file) {
  const full = path.join(ROOT, file);
  let text = readFileSync(full, 'utf8');
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  let changed = false;
  for (let pass = 0; pass < 500; pass += 1) {
    const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
    const lines = text.split('\n');
    let offset = 0;
    let edit = null;
    for (const line of lines) {
      if (lengthOf(line) > MAX) {
        const comment = wrapCommentLine(line);
        const inComment = comment && isInComment(sourceFile, text, offset, line);
        if (inComment) edit = [{ at: offset, remove: line.length, insert: comment.join('\n') }];
        else edit = splitLiteral(sourceFile, text, offset, offset + line.length);
        if (edit) break;
      }
      offset += line.length + 1;
    }
    if (!edit) break;
    for (const { at, remove = 0, insert } of edit.sort((a, b) => b.at - a.at)) {
      text = text.slice(0, at) + insert + text.slice(at + remove);
    }
    changed = true;
  }
  if (changed) writeFileSync(full, text);
  return changed;
}

/** Whether the line is comment text (not a `//` inside a string). */
function isInComment(sourceFile, text, lineStart, line) {
  const position = lineStart + line.search(/\S/);
  const token = ts.getTokenAtPosition(sourceFile, position);
  const ranges = [
    ...(ts.getLeadingCommentRanges(text, token.getFullStart()) ?? []),
    ...(ts.getTrailingCommentRanges(text, token.getFullStart()) ?? []),
  ];
  return ranges.some((range) => range.pos <= position && position < range.end);
}

const files = process.argv.length > 2 ? process.argv.slice(2) : longFiles();
const changed = files.filter(wrapFile);
process.stdout.write(`${changed.length} file(s) changed\n${changed.join('\n')}\n`);
