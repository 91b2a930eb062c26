import { expect } from 'vitest';
import type { ApiClient } from './http.js';

/** Mass upgrades through the API, each call checked for its status code (the body in the message if not). */

/** Launches a mass upgrade of the build; returns its id. */
export async function launchBatch(
  api: ApiClient,
  buildId: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const response = await api.post(`/api/v1/firmware/build/${buildId}/upgrade/`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json().batch as string;
}

/** A mass upgrade as the API shows it. */
export async function readBatch(api: ApiClient, id: string) {
  const response = await api.get(`/api/v1/firmware/batch-upgrade-operation/${id}/`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** The first 100 operations of a mass upgrade; `query` adds filters (`&stage=1`). */
export async function batchOperations(api: ApiClient, id: string, query = '') {
  const response = await api.get(`/api/v1/firmware/batch-upgrade-operation/${id}/operations/?page_size=100${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().results as Record<string, any>[];
}
