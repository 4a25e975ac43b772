import { GithubDescription } from './github-description';

/**
 * The version GitHub's description is written in. Later versions are marked on the objects they
 * change, with `x-github-breaking-changes`: `{ changeset, version, patch }` entries whose patch is
 * relative to that object, either a JSON merge patch (RFC 7396: an object, where null deletes a
 * member and anything else replaces it) or a JSON Patch (RFC 6902: an array of operations).
 */
export const BASE_API_VERSION = '2022-11-28';
const EXTENSION = 'x-github-breaking-changes';

interface BreakingChange {
  changeset: string;
  version: string;
  patch: unknown;
}
interface PatchOperation {
  op: string;
  path: string;
  value?: unknown;
}
type Json = Record<string, unknown> | unknown[];

/** Every version the description knows: its own and those its breaking changes name, oldest first. */
export function apiVersionsOf(description: GithubDescription): string[] {
  const versions = new Set([BASE_API_VERSION]);
  visit(description, (node) => {
    for (const change of changesOf(node)) {
      versions.add(change.version);
    }
  });
  return [...versions].sort();
}

/**
 * The description as GitHub serves `version`: a copy with every breaking change of that version or
 * an earlier one applied (calendar versions compare as strings), the description itself untouched.
 *
 * A property a change removes from a schema's `properties` becomes `false` (JSON Schema: nothing
 * may be there) instead of disappearing: GitHub's schemas allow members they do not list, so a
 * deletion alone would let an answer keep sending what the version removed.
 */
export function describedAsOf(description: GithubDescription, version: string): GithubDescription {
  if (version <= BASE_API_VERSION) {
    return description;
  }
  const copy = structuredClone(description);
  visit(copy, (node) => {
    for (const change of changesOf(node).filter((c) => c.version <= version)) {
      try {
        applyPatch(node, change.patch);
      } catch (error) {
        throw new Error(`${EXTENSION} ${change.changeset} (${change.version}): ${String(error)}`);
      }
    }
    delete (node as Record<string, unknown>)[EXTENSION];
  });
  return copy;
}

/** Calls `apply` on every object and array, parents before their members. */
function visit(node: unknown, apply: (node: Json) => void): void {
  if (typeof node !== 'object' || node === null) {
    return;
  }
  apply(node as Json);
  for (const member of Object.values(node)) {
    visit(member, apply);
  }
}

function changesOf(node: Json): BreakingChange[] {
  const changes = Array.isArray(node) ? undefined : node[EXTENSION];
  return Array.isArray(changes) ? (changes as BreakingChange[]) : [];
}

function applyPatch(target: Json, patch: unknown): void {
  if (Array.isArray(patch)) {
    for (const operation of patch as PatchOperation[]) {
      applyOperation(target, operation);
    }
  } else if (isObject(patch) && !Array.isArray(target)) {
    mergePatch(target, patch, undefined);
  } else {
    throw new Error(`cannot apply ${JSON.stringify(patch)} to this node`);
  }
}

/** RFC 7396, in place, but a member deleted from `properties` is forbidden, not deleted. */
function mergePatch(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
  key: string | undefined,
): void {
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) {
      removeMember(target, name, key);
    } else if (isObject(value)) {
      const inner = target[name];
      const merged = isObject(inner) ? inner : (target[name] = {});
      mergePatch(merged, value, name);
    } else {
      target[name] = structuredClone(value);
    }
  }
}

/** RFC 6902 `remove` and `replace`, the operations GitHub's description uses. */
function applyOperation(target: Json, { op, path, value }: PatchOperation): void {
  const segments = path
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  const last = segments.pop();
  if (last === undefined) {
    throw new Error(`${op} of the whole node is not supported`);
  }
  let parent: unknown = target;
  for (const segment of segments) {
    parent = isObject(parent) || Array.isArray(parent) ? parent[segment as never] : undefined;
  }
  if (!isObject(parent) && !Array.isArray(parent)) {
    throw new Error(`${path}: no such location`);
  }
  if (!(last in parent)) {
    throw new Error(`${path}: nothing to ${op}`);
  }
  if (op === 'remove') {
    if (Array.isArray(parent)) {
      parent.splice(Number(last), 1);
    } else {
      removeMember(parent, last, segments.at(-1));
    }
  } else if (op === 'replace') {
    (parent as Record<string, unknown>)[last] = structuredClone(value);
  } else {
    throw new Error(`operation ${op} is not supported (only remove and replace)`);
  }
}

/** Deletes a member; a property of a schema (a member of `properties`) is made `false` instead. */
function removeMember(
  target: Record<string, unknown>,
  name: string,
  key: string | undefined,
): void {
  if (key === 'properties') {
    target[name] = false;
  } else {
    delete target[name];
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
