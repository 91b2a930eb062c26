import type { FastifyRequest } from 'fastify';
import { AppError } from '../platform/errors.js';

/** DRF-style page-number pagination: `page` and `page_size` in, `{count, next, previous, results}` out. */

export interface PageRequest {
  page: number;
  pageSize: number;
  limit: number;
  offset: number;
}

export const DEFAULT_PAGE_SIZE = 10;

export function pageRequest(query: { page?: number; page_size?: number }): PageRequest {
  const page = query.page ?? 1;
  const pageSize = query.page_size ?? DEFAULT_PAGE_SIZE;
  return { page, pageSize, limit: pageSize, offset: (page - 1) * pageSize };
}

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

/**
 * Builds the page answer. A page past the last one is a 404 (as in the API we replace), except
 * page 1 of an empty list, which is simply empty.
 */
export function pageResponse<T>(
  request: FastifyRequest,
  baseUrl: string | null,
  pageRequested: PageRequest,
  count: number,
  results: T[],
): Page<T> {
  const lastPage = Math.max(1, Math.ceil(count / pageRequested.pageSize));
  if (pageRequested.page > lastPage) {
    throw new AppError('InvalidPage', `Invalid page: page ${pageRequested.page} is past the last page (${lastPage}).`, {
      page: `must be at most ${lastPage}`,
    });
  }
  const link = (page: number) => {
    const url = new URL(request.url, baseUrl ?? `${request.protocol}://${request.host}`);
    url.searchParams.set('page', String(page));
    url.searchParams.set('page_size', String(pageRequested.pageSize));
    return url.toString();
  };
  return {
    count,
    next: pageRequested.page < lastPage ? link(pageRequested.page + 1) : null,
    previous: pageRequested.page > 1 ? link(pageRequested.page - 1) : null,
    results,
  };
}
