import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../http/auth.js';
import type { AppDeps } from '../../http/deps.js';
import { parseOrdering } from '../../http/ordering.js';
import { pageRequest, pageResponse } from '../../http/pagination.js';
import { errorResponses, IdParams, NoContent, Paginated } from '../../http/schemas.js';
import { deleteCategory } from '../../use-cases/delete-category.js';
import * as categoryService from './category.service.js';
import {
  CategoryDto,
  CreateCategoryBody,
  ListCategoriesQuery,
  ReplaceCategoryBody,
  toCategoryDto,
  UpdateCategoryBody,
} from './firmware.schema.js';

const tags = ['firmware categories'];

export const categoryRoutes: FastifyPluginAsyncTypebox<AppDeps> = async (app, { db, config, storage }) => {
  app.get(
    '/api/v1/firmware/category/',
    {
      schema: {
        tags,
        summary: 'List firmware categories (yours and shared ones)',
        querystring: ListCategoriesQuery,
        response: { 200: Paginated(CategoryDto), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => {
      const page = pageRequest(request.query);
      const ordering = parseOrdering(
        request.query.ordering,
        categoryService.CATEGORY_ORDERING_FIELDS,
        categoryService.DEFAULT_CATEGORY_ORDERING,
      );
      const { rows, count } = await categoryService.listCategories(
        db,
        actorOf(request),
        { organization: request.query.organization, name: request.query.name },
        ordering,
        page,
      );
      return pageResponse(request, config.server.publicUrl, page, count, rows.map(toCategoryDto));
    },
  );

  app.post(
    '/api/v1/firmware/category/',
    {
      schema: {
        tags,
        summary: 'Create a firmware category',
        body: CreateCategoryBody,
        response: { 201: CategoryDto, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const row = await categoryService.createCategory(db, actorOf(request), request.body);
      return reply.code(201).send(toCategoryDto(row));
    },
  );

  app.get(
    '/api/v1/firmware/category/:id/',
    {
      schema: {
        tags,
        summary: 'Get a firmware category',
        params: IdParams,
        response: { 200: CategoryDto, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => toCategoryDto(await categoryService.getCategory(db, actorOf(request), request.params.id)),
  );

  for (const method of ['put', 'patch'] as const) {
    app[method](
      '/api/v1/firmware/category/:id/',
      {
        schema: {
          tags,
          summary: method === 'put' ? 'Replace a firmware category' : 'Change some fields of a firmware category',
          params: IdParams,
          body: method === 'put' ? ReplaceCategoryBody : UpdateCategoryBody,
          response: { 200: CategoryDto, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        toCategoryDto(await categoryService.updateCategory(db, actorOf(request), request.params.id, request.body)),
    );
  }

  app.delete(
    '/api/v1/firmware/category/:id/',
    {
      schema: {
        tags,
        summary: 'Delete a firmware category with its builds and images',
        params: IdParams,
        response: { 204: NoContent, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteCategory(db, storage, actorOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
