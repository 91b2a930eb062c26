import { api, call } from '../../api/client';
import type { paths } from '../../api/schema';

type FittingImageList =
  paths['/api/v1/devices/{id}/fitting-images/']['get']['responses'][200]['content']['application/json'];
/** An image the server says fits a device, with its build's version (for naming it). */
export type FittingImage = FittingImageList['results'][number];

/** One page of the newest fitting images is what the form offers (the API's largest page). */
const PAGE_SIZE = 100;
/** Lists are kept this long, so switching tabs or pages does not fetch them again. */
const CACHE_MS = 30_000;

const cache = new Map<string, { at: number; promise: Promise<FittingImage[]> }>();

/**
 * The images a device may be upgraded to, newest build first: the server decides which fit
 * (its board, its organization's and shared builds) in one request.
 */
export function loadFittingImages(deviceId: string): Promise<FittingImage[]> {
  const cached = cache.get(deviceId);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.promise;
  const promise = call(
    api.GET('/api/v1/devices/{id}/fitting-images/', {
      params: { path: { id: deviceId }, query: { page: 1, page_size: PAGE_SIZE } },
    }),
  ).then((answer) => answer.results);
  cache.set(deviceId, { at: Date.now(), promise });
  promise.catch(() => cache.delete(deviceId));
  return promise;
}

/** Forgets cached lists (e.g. after the user asks to reload). */
export function forgetFittingImages(): void {
  cache.clear();
}

/** "23.05.3 — TP-Link Archer C7 v2 (ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin)" */
export function describeImage(image: FittingImage): string {
  return `${image.build_version} — ${image.label || 'unknown hardware'} (${image.type})`;
}

/** An image known only by its checksum (deleted, or not among the newest fitting builds). */
export function describeUnknownImage(sha256: string | null | undefined): string {
  return sha256 ? `image ${sha256.slice(0, 12)}…` : 'unknown image';
}
