import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';

type BuildList = paths['/api/v1/firmware/build/']['get']['responses'][200]['content']['application/json'];
type ImageList = paths['/api/v1/firmware/build/{id}/image/']['get']['responses'][200]['content']['application/json'];
export type Build = BuildList['results'][number];
export type Image = ImageList['results'][number];

/** An image with what a person needs to recognise it: its build's version and its hardware label. */
export interface CatalogImage {
  id: string;
  buildId: string;
  version: string;
  os: string | null;
  /** The organization of the build, or null when shared. */
  organization: string | null;
  buildCreated: string;
  label: string;
  type: string;
  boards: string[];
  sha256: string;
  size: number;
}

/** How many builds are looked at, newest first. */
const MAX_BUILDS = 100;
const PAGE_SIZE = 100;
const PARALLEL_REQUESTS = 6;
/** Catalogs are kept this long, so switching tabs or pages does not fetch them again. */
const CACHE_MS = 30_000;

const cache = new Map<string, { at: number; promise: Promise<CatalogImage[]> }>();

/**
 * The images a device of `organizationId` may be upgraded to: those of the newest builds of its
 * organization and of shared builds. `organizationSlug`, when known, narrows the first list on the
 * server (so other tenants' builds do not crowd out this one's for superusers).
 */
export function loadImageCatalog(organizationId: string, organizationSlug: string | undefined): Promise<CatalogImage[]> {
  const key = `${organizationId}|${organizationSlug ?? ''}`;
  const cached = cache.get(key);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.promise;
  const promise = fetchCatalog(organizationId, organizationSlug);
  cache.set(key, { at: Date.now(), promise });
  promise.catch(() => cache.delete(key));
  return promise;
}

/** Forgets cached catalogs (e.g. after the user asks to reload). */
export function forgetImageCatalogs(): void {
  cache.clear();
}

async function fetchCatalog(organizationId: string, organizationSlug: string | undefined): Promise<CatalogImage[]> {
  const newest = { page: 1, page_size: MAX_BUILDS, ordering: '-created,-version' };
  const [own, visible] = await Promise.all([
    organizationSlug ? call(api.GET('/api/v1/firmware/build/', { params: { query: { ...newest, organization: organizationSlug } } })) : null,
    // Shared builds are left out by the organization filter, so they come from the unfiltered list.
    call(api.GET('/api/v1/firmware/build/', { params: { query: newest } })),
  ]);
  const builds = new Map<string, Build>();
  for (const build of [...(own?.results ?? []), ...visible.results]) {
    if (build.organization === null || build.organization === organizationId) builds.set(build.id, build);
  }
  const chosen = [...builds.values()].sort((a, b) => b.created.localeCompare(a.created)).slice(0, MAX_BUILDS);
  const perBuild = await mapInParallel(chosen, PARALLEL_REQUESTS, async (build) => (await loadImages(build.id)).map((image) => toCatalogImage(build, image)));
  return perBuild.flat();
}

async function loadImages(buildId: string): Promise<Image[]> {
  const images: Image[] = [];
  for (let page = 1; ; page += 1) {
    const answer = await call(api.GET('/api/v1/firmware/build/{id}/image/', { params: { path: { id: buildId }, query: { page, page_size: PAGE_SIZE } } }));
    images.push(...answer.results);
    if (!answer.next || answer.results.length === 0) return images;
  }
}

function toCatalogImage(build: Build, image: Image): CatalogImage {
  return {
    id: image.id, buildId: build.id, version: build.version, os: build.os, organization: build.organization, buildCreated: build.created,
    label: image.label, type: image.type, boards: image.boards, sha256: image.sha256, size: image.size,
  };
}

async function mapInParallel<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Whether an image fits a device, as the server decides it: when both sides know OpenWrt board
 * names (`vendor,model`), those alone decide; the model string is a fallback for the rest.
 */
export function imageFitsDevice(image: { boards: readonly string[] }, device: { board_name: string; model: string }): boolean {
  if (device.board_name !== '' && image.boards.some((board) => board.includes(','))) return image.boards.includes(device.board_name);
  return (device.board_name !== '' && image.boards.includes(device.board_name)) || (device.model !== '' && image.boards.includes(device.model));
}

/** "23.05.3 — TP-Link Archer C7 v2 (ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin)" */
export function describeImage(image: CatalogImage): string {
  return `${image.version} — ${image.label || 'unknown hardware'} (${image.type})`;
}

/** An image known only by its checksum (deleted, or not among the newest builds). */
export function describeUnknownImage(sha256: string | null | undefined): string {
  return sha256 ? `image ${sha256.slice(0, 12)}…` : 'unknown image';
}
