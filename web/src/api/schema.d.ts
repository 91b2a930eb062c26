// Generated from the server's OpenAPI document by `npm run gen:api`: do not edit.
export interface paths {
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Prometheus text exposition format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health check (checks the database) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: "ok" | "unavailable";
                            database: "ok" | "unavailable";
                            version: string;
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: "ok" | "unavailable";
                            database: "ok" | "unavailable";
                            version: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Log in with username and password; sets the session cookie the web UI uses */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        username: string;
                        password: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            username: string;
                            email: string;
                            is_superuser: boolean;
                            is_active: boolean;
                            /** Format: date-time */
                            last_login: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            memberships: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                organization_slug: string;
                                organization_name: string;
                                /** @description admin: read/write in the organization; operator: read-only. */
                                role: "admin" | "operator";
                            }[];
                            authenticated_via: "session" | "token" | "cli";
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the browser session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The logged-in user, with organizations and roles */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            username: string;
                            email: string;
                            is_superuser: boolean;
                            is_active: boolean;
                            /** Format: date-time */
                            last_login: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            memberships: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                organization_slug: string;
                                organization_name: string;
                                /** @description admin: read/write in the organization; operator: read-only. */
                                role: "admin" | "operator";
                            }[];
                            authenticated_via: "session" | "token" | "cli";
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/tokens/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List your API tokens (never their secrets) */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                name: string;
                                /** @description First characters of the token, to recognise it. */
                                prefix: string;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                expires_at: string | null;
                                /** Format: date-time */
                                last_used_at: string | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an API token for yourself
         * @description The answer holds the secret in "token", once. Send it as "Authorization: Bearer <token>" (or "Token <token>").
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @description Days until the token expires; omit or null for never. */
                        expires_in_days?: number | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            name: string;
                            /** @description First characters of the token, to recognise it. */
                            prefix: string;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            expires_at: string | null;
                            /** Format: date-time */
                            last_used_at: string | null;
                            /** @description The secret. Shown only in this answer: store it now. */
                            token: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/tokens/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one of your API tokens */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            name: string;
                            /** @description First characters of the token, to recognise it. */
                            prefix: string;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            expires_at: string | null;
                            /** Format: date-time */
                            last_used_at: string | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Revoke one of your API tokens */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/organizations/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List organizations you belong to (all, for superusers) */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                    /** @description Same as organization. */
                    slug?: string;
                    is_active?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                name: string;
                                slug: string;
                                description: string;
                                is_active: boolean;
                                /** @description Whether devices can register with a secret (POST /api/v1/organizations/{id}/registration-secret/ makes one). */
                                has_registration_secret: boolean;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create an organization (superusers) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @description Lower-case letters, digits and dashes. */
                        slug?: string;
                        description?: string;
                        is_active?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            name: string;
                            slug: string;
                            description: string;
                            is_active: boolean;
                            /** @description Whether devices can register with a secret (POST /api/v1/organizations/{id}/registration-secret/ makes one). */
                            has_registration_secret: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/organizations/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an organization */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            name: string;
                            slug: string;
                            description: string;
                            is_active: boolean;
                            /** @description Whether devices can register with a secret (POST /api/v1/organizations/{id}/registration-secret/ makes one). */
                            has_registration_secret: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        /**
         * Replace an organization
         * @description Organization admins may change name and description; slug and is_active are for superusers.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        /** @description Lower-case letters, digits and dashes. */
                        slug: string;
                        description?: string;
                        is_active?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            name: string;
                            slug: string;
                            description: string;
                            is_active: boolean;
                            /** @description Whether devices can register with a secret (POST /api/v1/organizations/{id}/registration-secret/ makes one). */
                            has_registration_secret: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        /**
         * Delete an organization (superusers)
         * @description Refused with 409 while the organization owns firmware: delete that first, or deactivate the organization.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change some fields of an organization
         * @description Organization admins may change name and description; slug and is_active are for superusers.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        /** @description Lower-case letters, digits and dashes. */
                        slug?: string;
                        description?: string;
                        is_active?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            name: string;
                            slug: string;
                            description: string;
                            is_active: boolean;
                            /** @description Whether devices can register with a secret (POST /api/v1/organizations/{id}/registration-secret/ makes one). */
                            has_registration_secret: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/organizations/{id}/registration-secret/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Generate a new device registration secret (replaces the old one)
         * @description Devices register at POST /api/v1/devices/register/ with the organization slug and this secret. It is shown once; only its hash is stored.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Shown only in this answer: give it to your routers' registration agent. */
                            secret: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/organizations/{id}/members/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the members of an organization and their roles */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                user: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    id: string;
                                    username: string;
                                    email: string;
                                    is_active: boolean;
                                };
                                /** @description admin: read/write in the organization; operator: read-only. */
                                role: "admin" | "operator";
                                /** Format: date-time */
                                created: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add a user to an organization with a role */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            /** @description Give the user by id ("user") or by "username". */
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        user?: string;
                        username?: string;
                        /** @description admin: read/write in the organization; operator: read-only. */
                        role: "admin" | "operator";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                username: string;
                                email: string;
                                is_active: boolean;
                            };
                            /** @description admin: read/write in the organization; operator: read-only. */
                            role: "admin" | "operator";
                            /** Format: date-time */
                            created: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/organizations/{id}/members/{user_id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get one membership */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                    /** @description UUID */
                    user_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                username: string;
                                email: string;
                                is_active: boolean;
                            };
                            /** @description admin: read/write in the organization; operator: read-only. */
                            role: "admin" | "operator";
                            /** Format: date-time */
                            created: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        /** Change a member's role */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                    /** @description UUID */
                    user_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description admin: read/write in the organization; operator: read-only. */
                        role: "admin" | "operator";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                username: string;
                                email: string;
                                is_active: boolean;
                            };
                            /** @description admin: read/write in the organization; operator: read-only. */
                            role: "admin" | "operator";
                            /** Format: date-time */
                            created: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        /** Remove a user from an organization */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                    /** @description UUID */
                    user_id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a member's role */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                    /** @description UUID */
                    user_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description admin: read/write in the organization; operator: read-only. */
                        role: "admin" | "operator";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            user: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                username: string;
                                email: string;
                                is_active: boolean;
                            };
                            /** @description admin: read/write in the organization; operator: read-only. */
                            role: "admin" | "operator";
                            /** Format: date-time */
                            created: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/users/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List users
         * @description Superusers see every user; others see themselves and the members of organizations they administer.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                    /** @description Part of the username or email. */
                    search?: string;
                    is_active?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                username: string;
                                email: string;
                                is_superuser: boolean;
                                is_active: boolean;
                                /** Format: date-time */
                                last_login: string | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                                memberships: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    organization: string;
                                    organization_slug: string;
                                    organization_name: string;
                                    /** @description admin: read/write in the organization; operator: read-only. */
                                    role: "admin" | "operator";
                                }[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a user
         * @description Superusers create any user; organization admins create users inside organizations they administer (give "memberships").
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Letters, digits and _ . @ + - */
                        username: string;
                        password: string;
                        /** @description Email address (may be empty). */
                        email?: string;
                        is_superuser?: boolean;
                        is_active?: boolean;
                        memberships?: {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            /** @description admin: read/write in the organization; operator: read-only. */
                            role: "admin" | "operator";
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            username: string;
                            email: string;
                            is_superuser: boolean;
                            is_active: boolean;
                            /** Format: date-time */
                            last_login: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            memberships: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                organization_slug: string;
                                organization_name: string;
                                /** @description admin: read/write in the organization; operator: read-only. */
                                role: "admin" | "operator";
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            username: string;
                            email: string;
                            is_superuser: boolean;
                            is_active: boolean;
                            /** Format: date-time */
                            last_login: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            memberships: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                organization_slug: string;
                                organization_name: string;
                                /** @description admin: read/write in the organization; operator: read-only. */
                                role: "admin" | "operator";
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        /**
         * Replace a user
         * @description Superusers change anything; users change their own email, and their password with "current_password". A new password ends all the user's sessions (log in again); with "revoke_tokens": true it also revokes all the user's API tokens.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Letters, digits and _ . @ + - */
                        username: string;
                        /** @description Email address (may be empty). */
                        email: string;
                        is_superuser?: boolean;
                        is_active?: boolean;
                        password?: string;
                        current_password?: string;
                        /** @description With a new "password": also revoke every API token of the user (default false). A new password always ends all the user's sessions. */
                        revoke_tokens?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            username: string;
                            email: string;
                            is_superuser: boolean;
                            is_active: boolean;
                            /** Format: date-time */
                            last_login: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            memberships: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                organization_slug: string;
                                organization_name: string;
                                /** @description admin: read/write in the organization; operator: read-only. */
                                role: "admin" | "operator";
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        /** Delete a user (superusers) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change some fields of a user
         * @description Superusers change anything; users change their own email, and their password with "current_password". A new password ends all the user's sessions (log in again); with "revoke_tokens": true it also revokes all the user's API tokens.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Letters, digits and _ . @ + - */
                        username?: string;
                        /** @description Email address (may be empty). */
                        email?: string;
                        is_superuser?: boolean;
                        is_active?: boolean;
                        password?: string;
                        current_password?: string;
                        /** @description With a new "password": also revoke every API token of the user (default false). A new password always ends all the user's sessions. */
                        revoke_tokens?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            username: string;
                            email: string;
                            is_superuser: boolean;
                            is_active: boolean;
                            /** Format: date-time */
                            last_login: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            memberships: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                organization_slug: string;
                                organization_name: string;
                                /** @description admin: read/write in the organization; operator: read-only. */
                                role: "admin" | "operator";
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/firmware/category/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List firmware categories (yours and shared ones) */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                    name?: string;
                    /** @description Comma-separated fields to sort by, "-" for descending. Fields: name, created, modified. Default: name. */
                    ordering?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                name: string;
                                description: string;
                                /**
                                 * Format: uuid
                                 * @description Owning organization; null for a category shared by all organizations.
                                 */
                                organization: string | null;
                                /**
                                 * Format: uuid
                                 * @description The health check upgrades of its builds run after proof of boot unless they choose another.
                                 */
                                health_check: string | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a firmware category */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        description?: string;
                        /** @description Organization id, or null for a shared category (superusers). May be left out when you administer exactly one organization. */
                        organization?: string | (never | null);
                        /** @description A health check of the category's organization that upgrades of its builds run by default (null: none; a shared category has none). */
                        health_check?: string | (never | null);
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            name: string;
                            description: string;
                            /**
                             * Format: uuid
                             * @description Owning organization; null for a category shared by all organizations.
                             */
                            organization: string | null;
                            /**
                             * Format: uuid
                             * @description The health check upgrades of its builds run after proof of boot unless they choose another.
                             */
                            health_check: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/category/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a firmware category */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            name: string;
                            description: string;
                            /**
                             * Format: uuid
                             * @description Owning organization; null for a category shared by all organizations.
                             */
                            organization: string | null;
                            /**
                             * Format: uuid
                             * @description The health check upgrades of its builds run after proof of boot unless they choose another.
                             */
                            health_check: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        /** Replace a firmware category */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        description?: string;
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization: string | null;
                        /** @description A health check of the category's organization that upgrades of its builds run by default (null: none; a shared category has none). */
                        health_check?: string | (never | null);
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            name: string;
                            description: string;
                            /**
                             * Format: uuid
                             * @description Owning organization; null for a category shared by all organizations.
                             */
                            organization: string | null;
                            /**
                             * Format: uuid
                             * @description The health check upgrades of its builds run after proof of boot unless they choose another.
                             */
                            health_check: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        /** Delete a firmware category with its builds and images */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change some fields of a firmware category */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        description?: string;
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string | null;
                        /** @description A health check of the category's organization that upgrades of its builds run by default (null: none; a shared category has none). */
                        health_check?: string | (never | null);
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            name: string;
                            description: string;
                            /**
                             * Format: uuid
                             * @description Owning organization; null for a category shared by all organizations.
                             */
                            organization: string | null;
                            /**
                             * Format: uuid
                             * @description The health check upgrades of its builds run after proof of boot unless they choose another.
                             */
                            health_check: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/firmware/build/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List firmware builds, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                    /** @description UUID */
                    category?: string;
                    version?: string;
                    os?: string;
                    /** @description Comma-separated fields to sort by, "-" for descending. Fields: version, created, modified. Default: -created,-version. */
                    ordering?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                category: string;
                                version: string;
                                /** @description OS identifier: the OS string devices running this build report. */
                                os: string | null;
                                changelog: string;
                                /**
                                 * Format: uuid
                                 * @description The category's organization (null when shared).
                                 */
                                organization: string | null;
                                category_relation: {
                                    name: string;
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    organization: string | null;
                                };
                                /** @description How many images the build has. */
                                image_count: number;
                                /** @description How many devices you can see run one of its images (recorded as installed). */
                                device_count: number;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Create a firmware build in a category */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        category: string;
                        version: string;
                        /** @description Must equal the OS string devices report, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa"; unique per organization. Empty or null when not known yet. */
                        os?: string | null;
                        changelog?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            category: string;
                            version: string;
                            /** @description OS identifier: the OS string devices running this build report. */
                            os: string | null;
                            changelog: string;
                            /**
                             * Format: uuid
                             * @description The category's organization (null when shared).
                             */
                            organization: string | null;
                            category_relation: {
                                name: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string | null;
                            };
                            /** @description How many images the build has. */
                            image_count: number;
                            /** @description How many devices you can see run one of its images (recorded as installed). */
                            device_count: number;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/build/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a firmware build */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            category: string;
                            version: string;
                            /** @description OS identifier: the OS string devices running this build report. */
                            os: string | null;
                            changelog: string;
                            /**
                             * Format: uuid
                             * @description The category's organization (null when shared).
                             */
                            organization: string | null;
                            category_relation: {
                                name: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string | null;
                            };
                            /** @description How many images the build has. */
                            image_count: number;
                            /** @description How many devices you can see run one of its images (recorded as installed). */
                            device_count: number;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        /** Replace a firmware build */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        category: string;
                        version: string;
                        /** @description Must equal the OS string devices report, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa"; unique per organization. Empty or null when not known yet. */
                        os?: string | null;
                        changelog?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            category: string;
                            version: string;
                            /** @description OS identifier: the OS string devices running this build report. */
                            os: string | null;
                            changelog: string;
                            /**
                             * Format: uuid
                             * @description The category's organization (null when shared).
                             */
                            organization: string | null;
                            category_relation: {
                                name: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string | null;
                            };
                            /** @description How many images the build has. */
                            image_count: number;
                            /** @description How many devices you can see run one of its images (recorded as installed). */
                            device_count: number;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        /** Delete a firmware build with its images */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change some fields of a firmware build */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        category?: string;
                        version?: string;
                        /** @description Must equal the OS string devices report, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa"; unique per organization. Empty or null when not known yet. */
                        os?: string | null;
                        changelog?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            category: string;
                            version: string;
                            /** @description OS identifier: the OS string devices running this build report. */
                            os: string | null;
                            changelog: string;
                            /**
                             * Format: uuid
                             * @description The category's organization (null when shared).
                             */
                            organization: string | null;
                            category_relation: {
                                name: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string | null;
                            };
                            /** @description How many images the build has. */
                            image_count: number;
                            /** @description How many devices you can see run one of its images (recorded as installed). */
                            device_count: number;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/firmware/build/{id}/image/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the images of a build */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                    type?: string;
                    /** @description Comma-separated fields to sort by, "-" for descending. Fields: type, created, modified. Default: type. */
                    ordering?: string;
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                build: string;
                                /** @description Image type: the sysupgrade file name without "openwrt-<version>-". */
                                type: string;
                                /** @description Hardware model. */
                                label: string;
                                /** @description Download URL. */
                                file: string;
                                file_name: string;
                                /** @description Bytes. */
                                size: number;
                                sha256: string;
                                /** @description Board names this image fits. */
                                boards: string[];
                                /** @description OpenWrt fwtool metadata embedded in the image. */
                                metadata: {
                                    metadata_version?: string;
                                    compat_version?: string;
                                    supported_devices: string[];
                                    version?: {
                                        dist?: string;
                                        version?: string;
                                        revision?: string;
                                        target?: string;
                                        board?: string;
                                    };
                                } | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                                /** @description How many devices you can see run this image (recorded as installed). */
                                device_count: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Upload a firmware image to a build
         * @description multipart/form-data with the image in "file" and optionally its "type" (derived from the file name otherwise). The file streams to storage; over the max_file_size setting the upload is refused with 413 and nothing is kept. OpenWrt metadata embedded in the image (supported_devices, version) is parsed and shown. A file without metadata must be in the format its type implies (e.g. uImage/TRX/FIT/squashfs/tar for .bin, gzip for .img.gz) and at least 64 KiB, else it is refused with 400 NotAnImage unless "force" is "true".
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "multipart/form-data": {
                        /**
                         * Format: binary
                         * @description The firmware image.
                         */
                        file: string;
                        /** @description Image type; derived from the file name when left out. */
                        type?: string;
                        /** @description "true": accept a file without OpenWrt metadata even when it does not look like a sysupgrade image of its type (otherwise 400 NotAnImage). */
                        force?: "true" | "false";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            build: string;
                            /** @description Image type: the sysupgrade file name without "openwrt-<version>-". */
                            type: string;
                            /** @description Hardware model. */
                            label: string;
                            /** @description Download URL. */
                            file: string;
                            file_name: string;
                            /** @description Bytes. */
                            size: number;
                            sha256: string;
                            /** @description Board names this image fits. */
                            boards: string[];
                            /** @description OpenWrt fwtool metadata embedded in the image. */
                            metadata: {
                                metadata_version?: string;
                                compat_version?: string;
                                supported_devices: string[];
                                version?: {
                                    dist?: string;
                                    version?: string;
                                    revision?: string;
                                    target?: string;
                                    board?: string;
                                };
                            } | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            /** @description How many devices you can see run this image (recorded as installed). */
                            device_count: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/build/{build_pk}/image/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a firmware image */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    build_pk: string;
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            build: string;
                            /** @description Image type: the sysupgrade file name without "openwrt-<version>-". */
                            type: string;
                            /** @description Hardware model. */
                            label: string;
                            /** @description Download URL. */
                            file: string;
                            file_name: string;
                            /** @description Bytes. */
                            size: number;
                            sha256: string;
                            /** @description Board names this image fits. */
                            boards: string[];
                            /** @description OpenWrt fwtool metadata embedded in the image. */
                            metadata: {
                                metadata_version?: string;
                                compat_version?: string;
                                supported_devices: string[];
                                version?: {
                                    dist?: string;
                                    version?: string;
                                    revision?: string;
                                    target?: string;
                                    board?: string;
                                };
                            } | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            /** @description How many devices you can see run this image (recorded as installed). */
                            device_count: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        /**
         * Not allowed: images are immutable
         * @description To replace an image, delete it and upload the new file.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    build_pk: string;
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                405: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        /** Delete a firmware image */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    build_pk: string;
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Not allowed: images are immutable
         * @description To replace an image, delete it and upload the new file.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    build_pk: string;
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                405: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/firmware/build/{build_pk}/image/{id}/download/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a firmware image
         * @description Streams the file with Content-Length, ETag (its sha256) and byte ranges (resumable). Members of the image's organization and superusers may download; shared images, any user. With the object store's presigned downloads on (setting storage.s3.presigned_downloads), GET answers 302 to a short-lived URL of the file in the store, which serves the ranges. 503 StorageUnavailable: the store cannot be reached.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    build_pk: string;
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The image file. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description The requested byte range. */
                206: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Presigned downloads: fetch the file at Location (valid briefly). */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Not modified (If-None-Match). */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                416: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Download a firmware image
         * @description Streams the file with Content-Length, ETag (its sha256) and byte ranges (resumable). Members of the image's organization and superusers may download; shared images, any user. With the object store's presigned downloads on (setting storage.s3.presigned_downloads), GET answers 302 to a short-lived URL of the file in the store, which serves the ranges. 503 StorageUnavailable: the store cannot be reached.
         */
        head: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    build_pk: string;
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The image file. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description The requested byte range. */
                206: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Presigned downloads: fetch the file at Location (valid briefly). */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Not modified (If-None-Match). */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                416: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List devices, with whether each is reachable, its newest upgrade and whether it is behind */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                    group?: string;
                    /** @description Part of the location, any case: "berlin" finds "Berlin Mitte". */
                    location?: string;
                    /** @description Part of the model, any case: "archer c7" finds "TP-Link Archer C7 v2". */
                    model?: string;
                    board_name?: string;
                    /** @description Part of the OS string, any case: "23.05.2" finds "OpenWrt 23.05.2 r23630-842932a63d". */
                    os?: string;
                    is_active?: boolean;
                    /** @description `ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash. */
                    management?: "ssh" | "agent";
                    /** @description Part of the name, MAC address or management address. */
                    search?: string;
                    /** @description true: contacted within devices.offline_after; false: not (never seen included). */
                    reachable?: boolean;
                    /** @description The status of the device's newest upgrade operation, or none for a device never upgraded. */
                    last_result?: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled" | "none";
                    /** @description true: runs an older build than the newest of its category; false: runs the newest. Devices whose build is unknown match neither. */
                    behind_latest?: boolean;
                    /** @description Only these devices (repeat the parameter: ?id=…&id=…), e.g. the page of a dry run shown. */
                    id?: string[];
                    /** @description Comma-separated fields to sort by, "-" for descending. Fields: name, mac_address, model, board_name, os, management_ip, group, location, is_active, last_seen, created, modified, last_result, last_upgrade, behind_latest. Default: name. */
                    ordering?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                name: string;
                                /** @description Lower-case, colon-separated. */
                                mac_address: string;
                                /** @description As the router reports it, e.g. "TP-Link Archer C7 v2". */
                                model: string;
                                /** @description OpenWrt board_name, e.g. "tplink,archer-c7-v2". */
                                board_name: string;
                                /** @description OS string, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa". */
                                os: string;
                                /** @description Address (IP or host name) fleetflash connects to. */
                                management_ip: string | null;
                                ssh_port: number;
                                group: string;
                                location: string;
                                is_active: boolean;
                                /** Format: date-time */
                                last_seen: string | null;
                                /**
                                 * Format: uuid
                                 * @description The device's own SSH credentials; null uses the organization's default.
                                 */
                                credentials: string | null;
                                /** @description Pinned SSH host key fingerprint (set on the first connection). */
                                ssh_host_key: string | null;
                                /**
                                 * DeviceManagement
                                 * @description `ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash.
                                 * @enum {string}
                                 */
                                management: "ssh" | "agent";
                                /** @description The pull agent's version (agent devices). */
                                agent_version: string | null;
                                /**
                                 * Format: date-time
                                 * @description The pull agent's last poll (agent devices).
                                 */
                                agent_last_poll_at: string | null;
                                /** @description The release the pull agent last reported. */
                                agent_release: string | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                                /** @description Contacted (registration, or a successful SSH connection) within the setting devices.offline_after (default 900 s); a device never seen is not reachable. */
                                reachable: boolean;
                                /** @description The device's newest upgrade operation; null if it was never upgraded. */
                                last_upgrade: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    operation: string;
                                    /**
                                     * OperationStatus
                                     * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                                     * @enum {string}
                                     */
                                    status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                                    /**
                                     * OperationErrorCode
                                     * @description Why an operation ended (or why its last attempt failed). unreachable: The device could not be reached over SSH (retried). auth-failed: The device refused the SSH credentials. host-key-mismatch: The device presented another SSH host key than the pinned one. address-not-allowed: The device's address is outside the networks devices may be reached at: it was not contacted. connection-lost: The SSH connection dropped while a command ran (retried). command-failed: A command on the device failed before anything was changed. unknown-device: The device did not describe its board. board-mismatch: The device reports a board the image does not fit. insufficient-memory: The device has too little free memory or /tmp space for the image. transfer-interrupted: Sending the image was interrupted (retried). checksum-mismatch: The image on the device does not match its checksum (retried). backup-failed: The configuration backup before flashing failed and the backup option is "required": nothing was flashed. image-rejected: The device rejected the image (sysupgrade -T failed). flash-refused: The device refused to flash the image. not-flashed: The device came back on the old release, or never rebooted. restore-failed: The device refused to restore the configuration backup (sysupgrade -r failed). board-changed: The device reports another board after flashing. unreachable-after-flash: The device never came back after flashing (not retried). flash-unconfirmed: Whether the device flashed could not be told; it is not flashed again (not retried). health-check-failed: The device booted the new release but a probe of the health check failed or timed out (the log names it; not retried). upgrader-error: A custom upgrader reported a code of its own: the operation log names it. max-retries-exceeded: Every attempt failed; no retries are left. offline-deadline: The device stayed unreachable until the mass upgrade's deadline. timeout: The attempt took longer than the task timeout. cancelled: A person cancelled the upgrade. device-deactivated: The device was deactivated. no-credentials: The device has no SSH credentials. no-upgrader: No upgrader handles the device's OS. no-address: The device has no management address. image-deleted: The image was deleted. backup-deleted: The configuration backup to restore was deleted. restore-unsupported: The device's upgrader cannot restore configuration backups. options-unreadable: The stored upgrade options are not of a shape this version reads (not retried). internal-error: An unexpected error in fleetflash; the server log has the details.
                                     * @enum {string|null}
                                     */
                                    error_code: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error" | null;
                                    /** Format: date-time */
                                    created: string;
                                    /** Format: date-time */
                                    finished_at: string | null;
                                } | null;
                                /** @description The build the device runs: its firmware record when recorded as installed, else the build whose OS identifier is the OS string the device reports; null when unknown. */
                                current_build: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    id: string;
                                    version: string;
                                } | null;
                                /** @description The newest build (newest first, as the catalog lists builds: created, then version) of the current build's category that has an image for the device's board; the current build when none is newer. */
                                latest_build: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    id: string;
                                    version: string;
                                } | null;
                                /** @description latest_build is not current_build; null when unknown. */
                                behind_latest: boolean | null;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /** Add a device */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        name: string;
                        /** @description e.g. 00:11:22:33:44:55 (any common notation). */
                        mac_address: string;
                        model?: string;
                        board_name?: string;
                        os?: string;
                        /** @description Address (IP or host name) fleetflash connects to. A literal IP address must be in a network devices may be reached at (settings devices.*), else 400 DeviceAddressNotAllowed; a host name is checked after DNS on each connection. */
                        management_ip?: string | null;
                        ssh_port?: number;
                        group?: string;
                        location?: string;
                        is_active?: boolean;
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        credentials?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            /** @description Lower-case, colon-separated. */
                            mac_address: string;
                            /** @description As the router reports it, e.g. "TP-Link Archer C7 v2". */
                            model: string;
                            /** @description OpenWrt board_name, e.g. "tplink,archer-c7-v2". */
                            board_name: string;
                            /** @description OS string, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa". */
                            os: string;
                            /** @description Address (IP or host name) fleetflash connects to. */
                            management_ip: string | null;
                            ssh_port: number;
                            group: string;
                            location: string;
                            is_active: boolean;
                            /** Format: date-time */
                            last_seen: string | null;
                            /**
                             * Format: uuid
                             * @description The device's own SSH credentials; null uses the organization's default.
                             */
                            credentials: string | null;
                            /** @description Pinned SSH host key fingerprint (set on the first connection). */
                            ssh_host_key: string | null;
                            /**
                             * DeviceManagement
                             * @description `ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash.
                             * @enum {string}
                             */
                            management: "ssh" | "agent";
                            /** @description The pull agent's version (agent devices). */
                            agent_version: string | null;
                            /**
                             * Format: date-time
                             * @description The pull agent's last poll (agent devices).
                             */
                            agent_last_poll_at: string | null;
                            /** @description The release the pull agent last reported. */
                            agent_release: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/register/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Register a device (for routers and agents)
         * @description Authenticated by the organization's registration secret instead of a user. Creates the device, or finds it by MAC address and records its OS, model, board and address.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Organization slug. */
                        organization: string;
                        /** @description The organization's registration secret. */
                        secret: string;
                        mac_address: string;
                        /** @description Defaults to the MAC address for a new device. */
                        name?: string;
                        model?: string;
                        board_name?: string;
                        os?: string;
                        /** @description Defaults to the address the request came from. A literal IP address must be in a network devices may be reached at (settings devices.*), else 400 DeviceAddressNotAllowed; a host name is checked after DNS on each connection. */
                        management_ip?: string;
                        ssh_port?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /** @description Whether this registration created the device. */
                            created: boolean;
                            name: string;
                            os: string;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /** @description Whether this registration created the device. */
                            created: boolean;
                            name: string;
                            os: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a device */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            /** @description Lower-case, colon-separated. */
                            mac_address: string;
                            /** @description As the router reports it, e.g. "TP-Link Archer C7 v2". */
                            model: string;
                            /** @description OpenWrt board_name, e.g. "tplink,archer-c7-v2". */
                            board_name: string;
                            /** @description OS string, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa". */
                            os: string;
                            /** @description Address (IP or host name) fleetflash connects to. */
                            management_ip: string | null;
                            ssh_port: number;
                            group: string;
                            location: string;
                            is_active: boolean;
                            /** Format: date-time */
                            last_seen: string | null;
                            /**
                             * Format: uuid
                             * @description The device's own SSH credentials; null uses the organization's default.
                             */
                            credentials: string | null;
                            /** @description Pinned SSH host key fingerprint (set on the first connection). */
                            ssh_host_key: string | null;
                            /**
                             * DeviceManagement
                             * @description `ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash.
                             * @enum {string}
                             */
                            management: "ssh" | "agent";
                            /** @description The pull agent's version (agent devices). */
                            agent_version: string | null;
                            /**
                             * Format: date-time
                             * @description The pull agent's last poll (agent devices).
                             */
                            agent_last_poll_at: string | null;
                            /** @description The release the pull agent last reported. */
                            agent_release: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        /** Replace a device */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        name: string;
                        /** @description e.g. 00:11:22:33:44:55 (any common notation). */
                        mac_address: string;
                        model?: string;
                        board_name?: string;
                        os?: string;
                        /** @description Address (IP or host name) fleetflash connects to. A literal IP address must be in a network devices may be reached at (settings devices.*), else 400 DeviceAddressNotAllowed; a host name is checked after DNS on each connection. */
                        management_ip?: string | null;
                        ssh_port?: number;
                        group?: string;
                        location?: string;
                        is_active?: boolean;
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        credentials?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            /** @description Lower-case, colon-separated. */
                            mac_address: string;
                            /** @description As the router reports it, e.g. "TP-Link Archer C7 v2". */
                            model: string;
                            /** @description OpenWrt board_name, e.g. "tplink,archer-c7-v2". */
                            board_name: string;
                            /** @description OS string, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa". */
                            os: string;
                            /** @description Address (IP or host name) fleetflash connects to. */
                            management_ip: string | null;
                            ssh_port: number;
                            group: string;
                            location: string;
                            is_active: boolean;
                            /** Format: date-time */
                            last_seen: string | null;
                            /**
                             * Format: uuid
                             * @description The device's own SSH credentials; null uses the organization's default.
                             */
                            credentials: string | null;
                            /** @description Pinned SSH host key fingerprint (set on the first connection). */
                            ssh_host_key: string | null;
                            /**
                             * DeviceManagement
                             * @description `ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash.
                             * @enum {string}
                             */
                            management: "ssh" | "agent";
                            /** @description The pull agent's version (agent devices). */
                            agent_version: string | null;
                            /**
                             * Format: date-time
                             * @description The pull agent's last poll (agent devices).
                             */
                            agent_last_poll_at: string | null;
                            /** @description The release the pull agent last reported. */
                            agent_release: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        /** Delete a device (and its upgrade history and configuration backups) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change some fields of a device */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        name?: string;
                        /** @description e.g. 00:11:22:33:44:55 (any common notation). */
                        mac_address?: string;
                        model?: string;
                        board_name?: string;
                        os?: string;
                        /** @description Address (IP or host name) fleetflash connects to. A literal IP address must be in a network devices may be reached at (settings devices.*), else 400 DeviceAddressNotAllowed; a host name is checked after DNS on each connection. */
                        management_ip?: string | null;
                        ssh_port?: number;
                        group?: string;
                        location?: string;
                        is_active?: boolean;
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        credentials?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            /** @description Lower-case, colon-separated. */
                            mac_address: string;
                            /** @description As the router reports it, e.g. "TP-Link Archer C7 v2". */
                            model: string;
                            /** @description OpenWrt board_name, e.g. "tplink,archer-c7-v2". */
                            board_name: string;
                            /** @description OS string, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa". */
                            os: string;
                            /** @description Address (IP or host name) fleetflash connects to. */
                            management_ip: string | null;
                            ssh_port: number;
                            group: string;
                            location: string;
                            is_active: boolean;
                            /** Format: date-time */
                            last_seen: string | null;
                            /**
                             * Format: uuid
                             * @description The device's own SSH credentials; null uses the organization's default.
                             */
                            credentials: string | null;
                            /** @description Pinned SSH host key fingerprint (set on the first connection). */
                            ssh_host_key: string | null;
                            /**
                             * DeviceManagement
                             * @description `ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash.
                             * @enum {string}
                             */
                            management: "ssh" | "agent";
                            /** @description The pull agent's version (agent devices). */
                            agent_version: string | null;
                            /**
                             * Format: date-time
                             * @description The pull agent's last poll (agent devices).
                             */
                            agent_last_poll_at: string | null;
                            /** @description The release the pull agent last reported. */
                            agent_release: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/devices/{id}/reset-host-key/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Forget the pinned SSH host key
         * @description After a legitimate reinstall the device presents a new host key and upgrades abort; this clears the pin so the next connection pins the new key.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            /** @description Lower-case, colon-separated. */
                            mac_address: string;
                            /** @description As the router reports it, e.g. "TP-Link Archer C7 v2". */
                            model: string;
                            /** @description OpenWrt board_name, e.g. "tplink,archer-c7-v2". */
                            board_name: string;
                            /** @description OS string, e.g. "OpenWrt 23.05.3 r23809-234f1a2efa". */
                            os: string;
                            /** @description Address (IP or host name) fleetflash connects to. */
                            management_ip: string | null;
                            ssh_port: number;
                            group: string;
                            location: string;
                            is_active: boolean;
                            /** Format: date-time */
                            last_seen: string | null;
                            /**
                             * Format: uuid
                             * @description The device's own SSH credentials; null uses the organization's default.
                             */
                            credentials: string | null;
                            /** @description Pinned SSH host key fingerprint (set on the first connection). */
                            ssh_host_key: string | null;
                            /**
                             * DeviceManagement
                             * @description `ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash.
                             * @enum {string}
                             */
                            management: "ssh" | "agent";
                            /** @description The pull agent's version (agent devices). */
                            agent_version: string | null;
                            /**
                             * Format: date-time
                             * @description The pull agent's last poll (agent devices).
                             */
                            agent_last_poll_at: string | null;
                            /** @description The release the pull agent last reported. */
                            agent_release: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/credentials/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List SSH credentials (never their secrets) */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                name: string;
                                username: string;
                                /** @description Which secrets are stored (never the secrets themselves). */
                                auth: "password" | "private-key" | "private-key+password";
                                has_passphrase: boolean;
                                /** @description Used by the organization's devices that have no credentials of their own. */
                                is_default: boolean;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Store SSH credentials for an organization's devices
         * @description A username with a password or a private key (and its passphrase). Secrets are encrypted at rest and never returned.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        name: string;
                        username: string;
                        /** @description Write-only. */
                        password?: string | null;
                        /** @description OpenSSH or PEM private key. Write-only. */
                        private_key?: string | null;
                        /** @description Passphrase of the private key. Write-only. */
                        passphrase?: string | null;
                        is_default?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            username: string;
                            /** @description Which secrets are stored (never the secrets themselves). */
                            auth: "password" | "private-key" | "private-key+password";
                            has_passphrase: boolean;
                            /** @description Used by the organization's devices that have no credentials of their own. */
                            is_default: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/credentials/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get SSH credentials (without secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            username: string;
                            /** @description Which secrets are stored (never the secrets themselves). */
                            auth: "password" | "private-key" | "private-key+password";
                            has_passphrase: boolean;
                            /** @description Used by the organization's devices that have no credentials of their own. */
                            is_default: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete SSH credentials (devices using them fall back to the default) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change SSH credentials (secrets left out are kept) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        name?: string;
                        username?: string;
                        /** @description Write-only. */
                        password?: string | null;
                        /** @description OpenSSH or PEM private key. Write-only. */
                        private_key?: string | null;
                        /** @description Passphrase of the private key. Write-only. */
                        passphrase?: string | null;
                        is_default?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            username: string;
                            /** @description Which secrets are stored (never the secrets themselves). */
                            auth: "password" | "private-key" | "private-key+password";
                            has_passphrase: boolean;
                            /** @description Used by the organization's devices that have no credentials of their own. */
                            is_default: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/devices/{id}/backups/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List a device's configuration backups (newest first)
         * @description The archives sysupgrade -b wrote before each flash (the upgrade option "backup"), kept per the settings backups.keep_per_device and backups.max_age_days.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                device: string;
                                /**
                                 * Format: uuid
                                 * @description The upgrade that took it; null once that operation is deleted.
                                 */
                                operation: string | null;
                                /** @description SHA-256 of the archive (a gzip tar written by sysupgrade -b). */
                                sha256: string;
                                /** @description Bytes. */
                                size: number;
                                /** @description The release the device ran when the backup was taken. */
                                release: string;
                                /** Format: date-time */
                                created: string;
                                /** @description Where to download the archive (GET, the same credentials). */
                                download_url: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/backups/{backupId}/download": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download a configuration backup
         * @description Streams the gzip tar (Content-Disposition: attachment) with Content-Length, ETag (its sha256) and byte ranges. It is what sysupgrade -r restores on the router. It holds the router's secrets (/etc/shadow, Wi-Fi and VPN keys), so only admins of the device's organization may download it (403 for operators); every download is recorded in the audit log (backup.downloaded).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                    /** @description UUID */
                    backupId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The archive. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description The requested byte range. */
                206: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Presigned downloads: fetch the file at Location (valid briefly). */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Not modified (If-None-Match). */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                416: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /**
         * Download a configuration backup
         * @description Streams the gzip tar (Content-Disposition: attachment) with Content-Length, ETag (its sha256) and byte ranges. It is what sysupgrade -r restores on the router. It holds the router's secrets (/etc/shadow, Wi-Fi and VPN keys), so only admins of the device's organization may download it (403 for operators); every download is recorded in the audit log (backup.downloaded).
         */
        head: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                    /** @description UUID */
                    backupId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The archive. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description The requested byte range. */
                206: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Presigned downloads: fetch the file at Location (valid briefly). */
                302: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Not modified (If-None-Match). */
                304: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                416: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/fitting-images/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the images that fit a device
         * @description Images built for the device's board (its board name; its model only where either side has no board name), of builds of its organization or shared ones: what it can be upgraded to. Newest build first, then by image type.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                build: string;
                                /** @description Image type: the sysupgrade file name without "openwrt-<version>-". */
                                type: string;
                                /** @description Hardware model. */
                                label: string;
                                /** @description Download URL. */
                                file: string;
                                file_name: string;
                                /** @description Bytes. */
                                size: number;
                                sha256: string;
                                /** @description Board names this image fits. */
                                boards: string[];
                                /** @description OpenWrt fwtool metadata embedded in the image. */
                                metadata: {
                                    metadata_version?: string;
                                    compat_version?: string;
                                    supported_devices: string[];
                                    version?: {
                                        dist?: string;
                                        version?: string;
                                        revision?: string;
                                        target?: string;
                                        board?: string;
                                    };
                                } | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                                /** @description The version of the image's build. */
                                build_version: string;
                                /** @description The OS string devices report after installing the build. */
                                build_os: string | null;
                                /**
                                 * Format: uuid
                                 * @description The build's organization; null when shared.
                                 */
                                build_organization: string | null;
                                /** Format: date-time */
                                build_created: string;
                                /** @description The device runs a newer OpenWrt release than the image's build (by their OS strings, else the build's version): installing it goes back to an older release. False when either release is not known. */
                                downgrade: boolean;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/maintenance-windows/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List maintenance windows */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                name: string;
                                time_zone: string;
                                schedule: {
                                    days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                    /**
                                     * @description Local time the window opens, "HH:MM" (00:00-23:59).
                                     * @example 01:00
                                     */
                                    start: string;
                                    /**
                                     * @description Local time it closes; an end before the start is on the next day (22:00-02:00).
                                     * @example 01:00
                                     */
                                    end: string;
                                }[];
                                applies_to: {
                                    groups: string[];
                                    locations: string[];
                                };
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a maintenance window
         * @description Weekly hours in a time zone in which upgrades of the devices it applies to may start (a flash never starts within the setting window_end_margin of the end). It applies to the devices whose group, or else location, it names, and to mass upgrades that name it (plan option maintenance_window).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        name: string;
                        /** @description An IANA time zone, e.g. "Europe/Berlin" (daylight saving followed). */
                        time_zone: string;
                        schedule: {
                            days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                            /**
                             * @description Local time the window opens, "HH:MM" (00:00-23:59).
                             * @example 01:00
                             */
                            start: string;
                            /**
                             * @description Local time it closes; an end before the start is on the next day (22:00-02:00).
                             * @example 01:00
                             */
                            end: string;
                        }[];
                        /**
                         * MaintenanceWindowAppliesTo
                         * @description The devices this window is theirs: a device's group decides first, then its location. A group or a location belongs to at most one window of the organization.
                         */
                        applies_to?: {
                            /** @description Devices whose group is one of these (exactly, as the device list shows it). */
                            groups?: string[];
                            /** @description Devices whose location is one of these (exactly, as the device list shows it). */
                            locations?: string[];
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            time_zone: string;
                            schedule: {
                                days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                /**
                                 * @description Local time the window opens, "HH:MM" (00:00-23:59).
                                 * @example 01:00
                                 */
                                start: string;
                                /**
                                 * @description Local time it closes; an end before the start is on the next day (22:00-02:00).
                                 * @example 01:00
                                 */
                                end: string;
                            }[];
                            applies_to: {
                                groups: string[];
                                locations: string[];
                            };
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/maintenance-windows/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a maintenance window */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            time_zone: string;
                            schedule: {
                                days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                /**
                                 * @description Local time the window opens, "HH:MM" (00:00-23:59).
                                 * @example 01:00
                                 */
                                start: string;
                                /**
                                 * @description Local time it closes; an end before the start is on the next day (22:00-02:00).
                                 * @example 01:00
                                 */
                                end: string;
                            }[];
                            applies_to: {
                                groups: string[];
                                locations: string[];
                            };
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a maintenance window (refused while a running mass upgrade uses it)
         * @description Upgrades waiting for it are decided again at once: without a window they start.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a maintenance window (upgrades waiting for it are decided again at once) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        name?: string;
                        /** @description An IANA time zone, e.g. "Europe/Berlin" (daylight saving followed). */
                        time_zone?: string;
                        schedule?: {
                            days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                            /**
                             * @description Local time the window opens, "HH:MM" (00:00-23:59).
                             * @example 01:00
                             */
                            start: string;
                            /**
                             * @description Local time it closes; an end before the start is on the next day (22:00-02:00).
                             * @example 01:00
                             */
                            end: string;
                        }[];
                        /**
                         * MaintenanceWindowAppliesTo
                         * @description The devices this window is theirs: a device's group decides first, then its location. A group or a location belongs to at most one window of the organization.
                         */
                        applies_to?: {
                            /** @description Devices whose group is one of these (exactly, as the device list shows it). */
                            groups?: string[];
                            /** @description Devices whose location is one of these (exactly, as the device list shows it). */
                            locations?: string[];
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            time_zone: string;
                            schedule: {
                                days: ("mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun")[];
                                /**
                                 * @description Local time the window opens, "HH:MM" (00:00-23:59).
                                 * @example 01:00
                                 */
                                start: string;
                                /**
                                 * @description Local time it closes; an end before the start is on the next day (22:00-02:00).
                                 * @example 01:00
                                 */
                                end: string;
                            }[];
                            applies_to: {
                                groups: string[];
                                locations: string[];
                            };
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/health-checks/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List health checks */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                name: string;
                                probes: {
                                    /** @description Shown in the log, e.g. "WAN up". */
                                    name: string;
                                    /**
                                     * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                     * @example ubus call network.interface.wan status | grep -q '"up": true'
                                     */
                                    command: string;
                                    /** @description The probe fails when it has not ended within this time. */
                                    timeout_seconds: number;
                                }[];
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a health check
         * @description Probes (shell commands) an upgrade runs in order on the router after proof of boot; each must exit 0 within its timeout, or the upgrade fails with health-check-failed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        name: string;
                        /** @description Run in this order. */
                        probes: {
                            /** @description Shown in the log, e.g. "WAN up". */
                            name: string;
                            /**
                             * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                             * @example ubus call network.interface.wan status | grep -q '"up": true'
                             */
                            command: string;
                            /** @description The probe fails when it has not ended within this time. */
                            timeout_seconds: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            probes: {
                                /** @description Shown in the log, e.g. "WAN up". */
                                name: string;
                                /**
                                 * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                 * @example ubus call network.interface.wan status | grep -q '"up": true'
                                 */
                                command: string;
                                /** @description The probe fails when it has not ended within this time. */
                                timeout_seconds: number;
                            }[];
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health-checks/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a health check */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            probes: {
                                /** @description Shown in the log, e.g. "WAN up". */
                                name: string;
                                /**
                                 * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                 * @example ubus call network.interface.wan status | grep -q '"up": true'
                                 */
                                command: string;
                                /** @description The probe fails when it has not ended within this time. */
                                timeout_seconds: number;
                            }[];
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /**
         * Delete a health check
         * @description Categories naming it as their default have none afterwards; requested upgrades keep their copy.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a health check (upgrades already requested keep the probes they were requested with) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        name?: string;
                        /** @description Run in this order. */
                        probes?: {
                            /** @description Shown in the log, e.g. "WAN up". */
                            name: string;
                            /**
                             * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                             * @example ubus call network.interface.wan status | grep -q '"up": true'
                             */
                            command: string;
                            /** @description The probe fails when it has not ended within this time. */
                            timeout_seconds: number;
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            name: string;
                            probes: {
                                /** @description Shown in the log, e.g. "WAN up". */
                                name: string;
                                /**
                                 * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                 * @example ubus call network.interface.wan status | grep -q '"up": true'
                                 */
                                command: string;
                                /** @description The probe fails when it has not ended within this time. */
                                timeout_seconds: number;
                            }[];
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/firmware/device/{id}/firmware/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The image a device runs (or is being upgraded to) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            device: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            image: string;
                            /** @description true once the device proved it runs this image; false while an upgrade to it is pending or failed. */
                            installed: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            /** @description The operation started by this request (PUT/PATCH), or the device's latest one (GET). */
                            upgrade_operation: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * OperationStatus
                                 * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                                 * @enum {string}
                                 */
                                status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                                /** @description The status is final (as in UpgradeOperation). */
                                finished: boolean;
                                progress: number;
                            } | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        /**
         * Set the image of a device: upgrades it unless that image is already installed
         * @description Starts exactly one upgrade when the image differs from the installed one (or "installed" is false) and answers with its operation; setting the installed image again does nothing. "installed": true records what the device runs without upgrading.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        image: string;
                        /** @description Leave out to upgrade when the image differs from the installed one. false: upgrade even if it is installed. true: only record that the device runs this image (no upgrade). */
                        installed?: boolean;
                        /**
                         * @description Upgrader options. OpenWrt (sysupgrade flags): c = Keep changed files in /etc; o = Keep all changed files; n = Do not keep configuration (dangerous); u = Skip unchanged files; p = Do not restore the partition table; k = Keep the package list; F = Force (dangerous). c is on unless n is chosen; n cannot be combined with c or o.
                         * @example {
                         *       "c": true
                         *     }
                         */
                        upgrade_options?: {
                            [key: string]: boolean | null;
                        };
                        /** @description Start the upgrade now even if the device's maintenance window is closed (an admin's explicit choice; recorded on the operation and in the audit log). */
                        ignore_maintenance_window?: boolean;
                        /**
                         * BackupMode
                         * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                         * @enum {string}
                         */
                        backup?: "required" | "best-effort" | "off";
                        /** @description A health check (of the devices' organization) to run after proof of boot; null: none. Left out: the default of the build's category, if it has one. */
                        health_check?: string | (never | null);
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            device: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            image: string;
                            /** @description true once the device proved it runs this image; false while an upgrade to it is pending or failed. */
                            installed: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            /** @description The operation started by this request (PUT/PATCH), or the device's latest one (GET). */
                            upgrade_operation: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * OperationStatus
                                 * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                                 * @enum {string}
                                 */
                                status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                                /** @description The status is final (as in UpgradeOperation). */
                                finished: boolean;
                                progress: number;
                            } | null;
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            device: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            image: string;
                            /** @description true once the device proved it runs this image; false while an upgrade to it is pending or failed. */
                            installed: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            /** @description The operation started by this request (PUT/PATCH), or the device's latest one (GET). */
                            upgrade_operation: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * OperationStatus
                                 * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                                 * @enum {string}
                                 */
                                status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                                /** @description The status is final (as in UpgradeOperation). */
                                finished: boolean;
                                progress: number;
                            } | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        /** Forget which image a device runs (no effect on the device) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change the firmware record of a device (same rule as PUT) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        image?: string;
                        /** @description Leave out to upgrade when the image differs from the installed one. false: upgrade even if it is installed. true: only record that the device runs this image (no upgrade). */
                        installed?: boolean;
                        /**
                         * @description Upgrader options. OpenWrt (sysupgrade flags): c = Keep changed files in /etc; o = Keep all changed files; n = Do not keep configuration (dangerous); u = Skip unchanged files; p = Do not restore the partition table; k = Keep the package list; F = Force (dangerous). c is on unless n is chosen; n cannot be combined with c or o.
                         * @example {
                         *       "c": true
                         *     }
                         */
                        upgrade_options?: {
                            [key: string]: boolean | null;
                        };
                        /** @description Start the upgrade now even if the device's maintenance window is closed (an admin's explicit choice; recorded on the operation and in the audit log). */
                        ignore_maintenance_window?: boolean;
                        /**
                         * BackupMode
                         * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                         * @enum {string}
                         */
                        backup?: "required" | "best-effort" | "off";
                        /** @description A health check (of the devices' organization) to run after proof of boot; null: none. Left out: the default of the build's category, if it has one. */
                        health_check?: string | (never | null);
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            device: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            image: string;
                            /** @description true once the device proved it runs this image; false while an upgrade to it is pending or failed. */
                            installed: boolean;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            /** @description The operation started by this request (PUT/PATCH), or the device's latest one (GET). */
                            upgrade_operation: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * OperationStatus
                                 * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                                 * @enum {string}
                                 */
                                status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                                /** @description The status is final (as in UpgradeOperation). */
                                finished: boolean;
                                progress: number;
                            } | null;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/firmware/device/{id}/upgrade-options/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The upgrade options the device's upgrader accepts (for forms) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            upgrader: string;
                            options: {
                                key: string;
                                label: string;
                                description: string;
                                default: boolean;
                                dangerous: boolean;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/device/{id}/upgrade-operation/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A device's upgrade operations, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled. */
                    status?: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * OperationKind
                                 * @description upgrade: installs an image. restore: puts a configuration backup back (sysupgrade -r, a reboot, proof of boot on the same release); its image is null and image_sha256 is the archive's.
                                 * @enum {string}
                                 */
                                kind: "upgrade" | "restore";
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                device: string;
                                device_name: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                /**
                                 * Format: uuid
                                 * @description Null if the image was deleted since.
                                 */
                                image: string | null;
                                image_sha256: string;
                                /**
                                 * OperationStatus
                                 * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                                 * @enum {string}
                                 */
                                status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                                /** @description The status is final (success, failed, aborted, cancelled). */
                                finished: boolean;
                                /** @description The operation can be retried (POST .../retry/): its status is failed, aborted or cancelled. */
                                can_retry: boolean;
                                progress: number;
                                options: {
                                    [key: string]: boolean;
                                };
                                /**
                                 * BackupMode
                                 * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                                 * @enum {string}
                                 */
                                backup: "required" | "best-effort" | "off";
                                /**
                                 * OperationHealthCheck
                                 * @description The health check run after proof of boot, as it was when the upgrade was requested.
                                 */
                                health_check: {
                                    /**
                                     * Format: uuid
                                     * @description The health check it was copied from (null if that was deleted).
                                     */
                                    id: string | null;
                                    name: string;
                                    probes: {
                                        /** @description Shown in the log, e.g. "WAN up". */
                                        name: string;
                                        /**
                                         * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                         * @example ubus call network.interface.wan status | grep -q '"up": true'
                                         */
                                        command: string;
                                        /** @description The probe fails when it has not ended within this time. */
                                        timeout_seconds: number;
                                    }[];
                                } | null;
                                /**
                                 * Format: uuid
                                 * @description A restore: the backup it puts back (null once deleted).
                                 */
                                restored_backup: string | null;
                                /** @description Attempts made so far. */
                                attempt: number;
                                /**
                                 * Format: date-time
                                 * @description When a pending operation will be tried (again).
                                 */
                                next_attempt_at: string | null;
                                /**
                                 * OperationErrorCode
                                 * @description Why an operation ended (or why its last attempt failed). unreachable: The device could not be reached over SSH (retried). auth-failed: The device refused the SSH credentials. host-key-mismatch: The device presented another SSH host key than the pinned one. address-not-allowed: The device's address is outside the networks devices may be reached at: it was not contacted. connection-lost: The SSH connection dropped while a command ran (retried). command-failed: A command on the device failed before anything was changed. unknown-device: The device did not describe its board. board-mismatch: The device reports a board the image does not fit. insufficient-memory: The device has too little free memory or /tmp space for the image. transfer-interrupted: Sending the image was interrupted (retried). checksum-mismatch: The image on the device does not match its checksum (retried). backup-failed: The configuration backup before flashing failed and the backup option is "required": nothing was flashed. image-rejected: The device rejected the image (sysupgrade -T failed). flash-refused: The device refused to flash the image. not-flashed: The device came back on the old release, or never rebooted. restore-failed: The device refused to restore the configuration backup (sysupgrade -r failed). board-changed: The device reports another board after flashing. unreachable-after-flash: The device never came back after flashing (not retried). flash-unconfirmed: Whether the device flashed could not be told; it is not flashed again (not retried). health-check-failed: The device booted the new release but a probe of the health check failed or timed out (the log names it; not retried). upgrader-error: A custom upgrader reported a code of its own: the operation log names it. max-retries-exceeded: Every attempt failed; no retries are left. offline-deadline: The device stayed unreachable until the mass upgrade's deadline. timeout: The attempt took longer than the task timeout. cancelled: A person cancelled the upgrade. device-deactivated: The device was deactivated. no-credentials: The device has no SSH credentials. no-upgrader: No upgrader handles the device's OS. no-address: The device has no management address. image-deleted: The image was deleted. backup-deleted: The configuration backup to restore was deleted. restore-unsupported: The device's upgrader cannot restore configuration backups. options-unreadable: The stored upgrade options are not of a shape this version reads (not retried). internal-error: An unexpected error in fleetflash; the server log has the details.
                                 * @enum {string|null}
                                 */
                                error_code: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error" | null;
                                /** @description The flash command was sent: cancelling is no longer possible. */
                                flash_started: boolean;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                retry_of: string | null;
                                /**
                                 * Format: uuid
                                 * @description The mass upgrade it belongs to, if any.
                                 */
                                batch: string | null;
                                /** @description Its stage in the mass upgrade (0 = canary; 0 for single upgrades). */
                                stage: number;
                                /** @description A single upgrade started regardless of the device's maintenance window. */
                                ignore_maintenance_window: boolean;
                                /**
                                 * WaitingForWindow
                                 * @description Pending because its maintenance window is closed (or closes within window_end_margin): which window and when it opens (also next_attempt_at). Such waits do not count as attempts.
                                 */
                                waiting_for_window: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    window: string;
                                    name: string;
                                    time_zone: string;
                                    /**
                                     * Format: date-time
                                     * @description Its next opening; null when none of its periods in the coming week is longer than the margin.
                                     */
                                    opens_at: string | null;
                                } | null;
                                /** Format: date-time */
                                started_at: string | null;
                                /** Format: date-time */
                                finished_at: string | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/upgrade-operation/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List upgrade operations, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                    /** @description UUID */
                    device?: string;
                    /** @description UUID */
                    image?: string;
                    /** @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled. */
                    status?: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                    /** @description Only operations whose error_code is this (the reason a failed or aborted one ended, or why the last attempt of a pending one failed). One of the OperationErrorCode values. */
                    error_code?: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * OperationKind
                                 * @description upgrade: installs an image. restore: puts a configuration backup back (sysupgrade -r, a reboot, proof of boot on the same release); its image is null and image_sha256 is the archive's.
                                 * @enum {string}
                                 */
                                kind: "upgrade" | "restore";
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                device: string;
                                device_name: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                /**
                                 * Format: uuid
                                 * @description Null if the image was deleted since.
                                 */
                                image: string | null;
                                image_sha256: string;
                                /**
                                 * OperationStatus
                                 * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                                 * @enum {string}
                                 */
                                status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                                /** @description The status is final (success, failed, aborted, cancelled). */
                                finished: boolean;
                                /** @description The operation can be retried (POST .../retry/): its status is failed, aborted or cancelled. */
                                can_retry: boolean;
                                progress: number;
                                options: {
                                    [key: string]: boolean;
                                };
                                /**
                                 * BackupMode
                                 * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                                 * @enum {string}
                                 */
                                backup: "required" | "best-effort" | "off";
                                /**
                                 * OperationHealthCheck
                                 * @description The health check run after proof of boot, as it was when the upgrade was requested.
                                 */
                                health_check: {
                                    /**
                                     * Format: uuid
                                     * @description The health check it was copied from (null if that was deleted).
                                     */
                                    id: string | null;
                                    name: string;
                                    probes: {
                                        /** @description Shown in the log, e.g. "WAN up". */
                                        name: string;
                                        /**
                                         * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                         * @example ubus call network.interface.wan status | grep -q '"up": true'
                                         */
                                        command: string;
                                        /** @description The probe fails when it has not ended within this time. */
                                        timeout_seconds: number;
                                    }[];
                                } | null;
                                /**
                                 * Format: uuid
                                 * @description A restore: the backup it puts back (null once deleted).
                                 */
                                restored_backup: string | null;
                                /** @description Attempts made so far. */
                                attempt: number;
                                /**
                                 * Format: date-time
                                 * @description When a pending operation will be tried (again).
                                 */
                                next_attempt_at: string | null;
                                /**
                                 * OperationErrorCode
                                 * @description Why an operation ended (or why its last attempt failed). unreachable: The device could not be reached over SSH (retried). auth-failed: The device refused the SSH credentials. host-key-mismatch: The device presented another SSH host key than the pinned one. address-not-allowed: The device's address is outside the networks devices may be reached at: it was not contacted. connection-lost: The SSH connection dropped while a command ran (retried). command-failed: A command on the device failed before anything was changed. unknown-device: The device did not describe its board. board-mismatch: The device reports a board the image does not fit. insufficient-memory: The device has too little free memory or /tmp space for the image. transfer-interrupted: Sending the image was interrupted (retried). checksum-mismatch: The image on the device does not match its checksum (retried). backup-failed: The configuration backup before flashing failed and the backup option is "required": nothing was flashed. image-rejected: The device rejected the image (sysupgrade -T failed). flash-refused: The device refused to flash the image. not-flashed: The device came back on the old release, or never rebooted. restore-failed: The device refused to restore the configuration backup (sysupgrade -r failed). board-changed: The device reports another board after flashing. unreachable-after-flash: The device never came back after flashing (not retried). flash-unconfirmed: Whether the device flashed could not be told; it is not flashed again (not retried). health-check-failed: The device booted the new release but a probe of the health check failed or timed out (the log names it; not retried). upgrader-error: A custom upgrader reported a code of its own: the operation log names it. max-retries-exceeded: Every attempt failed; no retries are left. offline-deadline: The device stayed unreachable until the mass upgrade's deadline. timeout: The attempt took longer than the task timeout. cancelled: A person cancelled the upgrade. device-deactivated: The device was deactivated. no-credentials: The device has no SSH credentials. no-upgrader: No upgrader handles the device's OS. no-address: The device has no management address. image-deleted: The image was deleted. backup-deleted: The configuration backup to restore was deleted. restore-unsupported: The device's upgrader cannot restore configuration backups. options-unreadable: The stored upgrade options are not of a shape this version reads (not retried). internal-error: An unexpected error in fleetflash; the server log has the details.
                                 * @enum {string|null}
                                 */
                                error_code: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error" | null;
                                /** @description The flash command was sent: cancelling is no longer possible. */
                                flash_started: boolean;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                retry_of: string | null;
                                /**
                                 * Format: uuid
                                 * @description The mass upgrade it belongs to, if any.
                                 */
                                batch: string | null;
                                /** @description Its stage in the mass upgrade (0 = canary; 0 for single upgrades). */
                                stage: number;
                                /** @description A single upgrade started regardless of the device's maintenance window. */
                                ignore_maintenance_window: boolean;
                                /**
                                 * WaitingForWindow
                                 * @description Pending because its maintenance window is closed (or closes within window_end_margin): which window and when it opens (also next_attempt_at). Such waits do not count as attempts.
                                 */
                                waiting_for_window: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    window: string;
                                    name: string;
                                    time_zone: string;
                                    /**
                                     * Format: date-time
                                     * @description Its next opening; null when none of its periods in the coming week is longer than the margin.
                                     */
                                    opens_at: string | null;
                                } | null;
                                /** Format: date-time */
                                started_at: string | null;
                                /** Format: date-time */
                                finished_at: string | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/upgrade-operation/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An upgrade operation with its log */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * OperationKind
                             * @description upgrade: installs an image. restore: puts a configuration backup back (sysupgrade -r, a reboot, proof of boot on the same release); its image is null and image_sha256 is the archive's.
                             * @enum {string}
                             */
                            kind: "upgrade" | "restore";
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            device: string;
                            device_name: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            /**
                             * Format: uuid
                             * @description Null if the image was deleted since.
                             */
                            image: string | null;
                            image_sha256: string;
                            /**
                             * OperationStatus
                             * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                             * @enum {string}
                             */
                            status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                            /** @description The status is final (success, failed, aborted, cancelled). */
                            finished: boolean;
                            /** @description The operation can be retried (POST .../retry/): its status is failed, aborted or cancelled. */
                            can_retry: boolean;
                            progress: number;
                            options: {
                                [key: string]: boolean;
                            };
                            /**
                             * BackupMode
                             * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                             * @enum {string}
                             */
                            backup: "required" | "best-effort" | "off";
                            /**
                             * OperationHealthCheck
                             * @description The health check run after proof of boot, as it was when the upgrade was requested.
                             */
                            health_check: {
                                /**
                                 * Format: uuid
                                 * @description The health check it was copied from (null if that was deleted).
                                 */
                                id: string | null;
                                name: string;
                                probes: {
                                    /** @description Shown in the log, e.g. "WAN up". */
                                    name: string;
                                    /**
                                     * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                     * @example ubus call network.interface.wan status | grep -q '"up": true'
                                     */
                                    command: string;
                                    /** @description The probe fails when it has not ended within this time. */
                                    timeout_seconds: number;
                                }[];
                            } | null;
                            /**
                             * Format: uuid
                             * @description A restore: the backup it puts back (null once deleted).
                             */
                            restored_backup: string | null;
                            /** @description Attempts made so far. */
                            attempt: number;
                            /**
                             * Format: date-time
                             * @description When a pending operation will be tried (again).
                             */
                            next_attempt_at: string | null;
                            /**
                             * OperationErrorCode
                             * @description Why an operation ended (or why its last attempt failed). unreachable: The device could not be reached over SSH (retried). auth-failed: The device refused the SSH credentials. host-key-mismatch: The device presented another SSH host key than the pinned one. address-not-allowed: The device's address is outside the networks devices may be reached at: it was not contacted. connection-lost: The SSH connection dropped while a command ran (retried). command-failed: A command on the device failed before anything was changed. unknown-device: The device did not describe its board. board-mismatch: The device reports a board the image does not fit. insufficient-memory: The device has too little free memory or /tmp space for the image. transfer-interrupted: Sending the image was interrupted (retried). checksum-mismatch: The image on the device does not match its checksum (retried). backup-failed: The configuration backup before flashing failed and the backup option is "required": nothing was flashed. image-rejected: The device rejected the image (sysupgrade -T failed). flash-refused: The device refused to flash the image. not-flashed: The device came back on the old release, or never rebooted. restore-failed: The device refused to restore the configuration backup (sysupgrade -r failed). board-changed: The device reports another board after flashing. unreachable-after-flash: The device never came back after flashing (not retried). flash-unconfirmed: Whether the device flashed could not be told; it is not flashed again (not retried). health-check-failed: The device booted the new release but a probe of the health check failed or timed out (the log names it; not retried). upgrader-error: A custom upgrader reported a code of its own: the operation log names it. max-retries-exceeded: Every attempt failed; no retries are left. offline-deadline: The device stayed unreachable until the mass upgrade's deadline. timeout: The attempt took longer than the task timeout. cancelled: A person cancelled the upgrade. device-deactivated: The device was deactivated. no-credentials: The device has no SSH credentials. no-upgrader: No upgrader handles the device's OS. no-address: The device has no management address. image-deleted: The image was deleted. backup-deleted: The configuration backup to restore was deleted. restore-unsupported: The device's upgrader cannot restore configuration backups. options-unreadable: The stored upgrade options are not of a shape this version reads (not retried). internal-error: An unexpected error in fleetflash; the server log has the details.
                             * @enum {string|null}
                             */
                            error_code: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error" | null;
                            /** @description The flash command was sent: cancelling is no longer possible. */
                            flash_started: boolean;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            retry_of: string | null;
                            /**
                             * Format: uuid
                             * @description The mass upgrade it belongs to, if any.
                             */
                            batch: string | null;
                            /** @description Its stage in the mass upgrade (0 = canary; 0 for single upgrades). */
                            stage: number;
                            /** @description A single upgrade started regardless of the device's maintenance window. */
                            ignore_maintenance_window: boolean;
                            /**
                             * WaitingForWindow
                             * @description Pending because its maintenance window is closed (or closes within window_end_margin): which window and when it opens (also next_attempt_at). Such waits do not count as attempts.
                             */
                            waiting_for_window: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                window: string;
                                name: string;
                                time_zone: string;
                                /**
                                 * Format: date-time
                                 * @description Its next opening; null when none of its periods in the coming week is longer than the margin.
                                 */
                                opens_at: string | null;
                            } | null;
                            /** Format: date-time */
                            started_at: string | null;
                            /** Format: date-time */
                            finished_at: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            /** @description The whole log as text, one line per entry. */
                            log: string;
                            log_lines: {
                                seq: number;
                                /** Format: date-time */
                                at: string;
                                level: "info" | "warning" | "error";
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/upgrade-operation/{id}/log/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The log lines of an operation, optionally only those after a sequence number */
        get: {
            parameters: {
                query?: {
                    /** @description Only lines after this sequence number (for following a running upgrade). */
                    after?: number;
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            results: {
                                seq: number;
                                /** Format: date-time */
                                at: string;
                                level: "info" | "warning" | "error";
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/upgrade-operation/{id}/cancel/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel an upgrade (possible until flashing starts) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * OperationKind
                             * @description upgrade: installs an image. restore: puts a configuration backup back (sysupgrade -r, a reboot, proof of boot on the same release); its image is null and image_sha256 is the archive's.
                             * @enum {string}
                             */
                            kind: "upgrade" | "restore";
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            device: string;
                            device_name: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            /**
                             * Format: uuid
                             * @description Null if the image was deleted since.
                             */
                            image: string | null;
                            image_sha256: string;
                            /**
                             * OperationStatus
                             * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                             * @enum {string}
                             */
                            status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                            /** @description The status is final (success, failed, aborted, cancelled). */
                            finished: boolean;
                            /** @description The operation can be retried (POST .../retry/): its status is failed, aborted or cancelled. */
                            can_retry: boolean;
                            progress: number;
                            options: {
                                [key: string]: boolean;
                            };
                            /**
                             * BackupMode
                             * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                             * @enum {string}
                             */
                            backup: "required" | "best-effort" | "off";
                            /**
                             * OperationHealthCheck
                             * @description The health check run after proof of boot, as it was when the upgrade was requested.
                             */
                            health_check: {
                                /**
                                 * Format: uuid
                                 * @description The health check it was copied from (null if that was deleted).
                                 */
                                id: string | null;
                                name: string;
                                probes: {
                                    /** @description Shown in the log, e.g. "WAN up". */
                                    name: string;
                                    /**
                                     * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                     * @example ubus call network.interface.wan status | grep -q '"up": true'
                                     */
                                    command: string;
                                    /** @description The probe fails when it has not ended within this time. */
                                    timeout_seconds: number;
                                }[];
                            } | null;
                            /**
                             * Format: uuid
                             * @description A restore: the backup it puts back (null once deleted).
                             */
                            restored_backup: string | null;
                            /** @description Attempts made so far. */
                            attempt: number;
                            /**
                             * Format: date-time
                             * @description When a pending operation will be tried (again).
                             */
                            next_attempt_at: string | null;
                            /**
                             * OperationErrorCode
                             * @description Why an operation ended (or why its last attempt failed). unreachable: The device could not be reached over SSH (retried). auth-failed: The device refused the SSH credentials. host-key-mismatch: The device presented another SSH host key than the pinned one. address-not-allowed: The device's address is outside the networks devices may be reached at: it was not contacted. connection-lost: The SSH connection dropped while a command ran (retried). command-failed: A command on the device failed before anything was changed. unknown-device: The device did not describe its board. board-mismatch: The device reports a board the image does not fit. insufficient-memory: The device has too little free memory or /tmp space for the image. transfer-interrupted: Sending the image was interrupted (retried). checksum-mismatch: The image on the device does not match its checksum (retried). backup-failed: The configuration backup before flashing failed and the backup option is "required": nothing was flashed. image-rejected: The device rejected the image (sysupgrade -T failed). flash-refused: The device refused to flash the image. not-flashed: The device came back on the old release, or never rebooted. restore-failed: The device refused to restore the configuration backup (sysupgrade -r failed). board-changed: The device reports another board after flashing. unreachable-after-flash: The device never came back after flashing (not retried). flash-unconfirmed: Whether the device flashed could not be told; it is not flashed again (not retried). health-check-failed: The device booted the new release but a probe of the health check failed or timed out (the log names it; not retried). upgrader-error: A custom upgrader reported a code of its own: the operation log names it. max-retries-exceeded: Every attempt failed; no retries are left. offline-deadline: The device stayed unreachable until the mass upgrade's deadline. timeout: The attempt took longer than the task timeout. cancelled: A person cancelled the upgrade. device-deactivated: The device was deactivated. no-credentials: The device has no SSH credentials. no-upgrader: No upgrader handles the device's OS. no-address: The device has no management address. image-deleted: The image was deleted. backup-deleted: The configuration backup to restore was deleted. restore-unsupported: The device's upgrader cannot restore configuration backups. options-unreadable: The stored upgrade options are not of a shape this version reads (not retried). internal-error: An unexpected error in fleetflash; the server log has the details.
                             * @enum {string|null}
                             */
                            error_code: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error" | null;
                            /** @description The flash command was sent: cancelling is no longer possible. */
                            flash_started: boolean;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            retry_of: string | null;
                            /**
                             * Format: uuid
                             * @description The mass upgrade it belongs to, if any.
                             */
                            batch: string | null;
                            /** @description Its stage in the mass upgrade (0 = canary; 0 for single upgrades). */
                            stage: number;
                            /** @description A single upgrade started regardless of the device's maintenance window. */
                            ignore_maintenance_window: boolean;
                            /**
                             * WaitingForWindow
                             * @description Pending because its maintenance window is closed (or closes within window_end_margin): which window and when it opens (also next_attempt_at). Such waits do not count as attempts.
                             */
                            waiting_for_window: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                window: string;
                                name: string;
                                time_zone: string;
                                /**
                                 * Format: date-time
                                 * @description Its next opening; null when none of its periods in the coming week is longer than the margin.
                                 */
                                opens_at: string | null;
                            } | null;
                            /** Format: date-time */
                            started_at: string | null;
                            /** Format: date-time */
                            finished_at: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/upgrade-operation/{id}/retry/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Retry a failed, aborted or cancelled upgrade (as a new operation) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * OperationKind
                             * @description upgrade: installs an image. restore: puts a configuration backup back (sysupgrade -r, a reboot, proof of boot on the same release); its image is null and image_sha256 is the archive's.
                             * @enum {string}
                             */
                            kind: "upgrade" | "restore";
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            device: string;
                            device_name: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            /**
                             * Format: uuid
                             * @description Null if the image was deleted since.
                             */
                            image: string | null;
                            image_sha256: string;
                            /**
                             * OperationStatus
                             * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                             * @enum {string}
                             */
                            status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                            /** @description The status is final (success, failed, aborted, cancelled). */
                            finished: boolean;
                            /** @description The operation can be retried (POST .../retry/): its status is failed, aborted or cancelled. */
                            can_retry: boolean;
                            progress: number;
                            options: {
                                [key: string]: boolean;
                            };
                            /**
                             * BackupMode
                             * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                             * @enum {string}
                             */
                            backup: "required" | "best-effort" | "off";
                            /**
                             * OperationHealthCheck
                             * @description The health check run after proof of boot, as it was when the upgrade was requested.
                             */
                            health_check: {
                                /**
                                 * Format: uuid
                                 * @description The health check it was copied from (null if that was deleted).
                                 */
                                id: string | null;
                                name: string;
                                probes: {
                                    /** @description Shown in the log, e.g. "WAN up". */
                                    name: string;
                                    /**
                                     * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                     * @example ubus call network.interface.wan status | grep -q '"up": true'
                                     */
                                    command: string;
                                    /** @description The probe fails when it has not ended within this time. */
                                    timeout_seconds: number;
                                }[];
                            } | null;
                            /**
                             * Format: uuid
                             * @description A restore: the backup it puts back (null once deleted).
                             */
                            restored_backup: string | null;
                            /** @description Attempts made so far. */
                            attempt: number;
                            /**
                             * Format: date-time
                             * @description When a pending operation will be tried (again).
                             */
                            next_attempt_at: string | null;
                            /**
                             * OperationErrorCode
                             * @description Why an operation ended (or why its last attempt failed). unreachable: The device could not be reached over SSH (retried). auth-failed: The device refused the SSH credentials. host-key-mismatch: The device presented another SSH host key than the pinned one. address-not-allowed: The device's address is outside the networks devices may be reached at: it was not contacted. connection-lost: The SSH connection dropped while a command ran (retried). command-failed: A command on the device failed before anything was changed. unknown-device: The device did not describe its board. board-mismatch: The device reports a board the image does not fit. insufficient-memory: The device has too little free memory or /tmp space for the image. transfer-interrupted: Sending the image was interrupted (retried). checksum-mismatch: The image on the device does not match its checksum (retried). backup-failed: The configuration backup before flashing failed and the backup option is "required": nothing was flashed. image-rejected: The device rejected the image (sysupgrade -T failed). flash-refused: The device refused to flash the image. not-flashed: The device came back on the old release, or never rebooted. restore-failed: The device refused to restore the configuration backup (sysupgrade -r failed). board-changed: The device reports another board after flashing. unreachable-after-flash: The device never came back after flashing (not retried). flash-unconfirmed: Whether the device flashed could not be told; it is not flashed again (not retried). health-check-failed: The device booted the new release but a probe of the health check failed or timed out (the log names it; not retried). upgrader-error: A custom upgrader reported a code of its own: the operation log names it. max-retries-exceeded: Every attempt failed; no retries are left. offline-deadline: The device stayed unreachable until the mass upgrade's deadline. timeout: The attempt took longer than the task timeout. cancelled: A person cancelled the upgrade. device-deactivated: The device was deactivated. no-credentials: The device has no SSH credentials. no-upgrader: No upgrader handles the device's OS. no-address: The device has no management address. image-deleted: The image was deleted. backup-deleted: The configuration backup to restore was deleted. restore-unsupported: The device's upgrader cannot restore configuration backups. options-unreadable: The stored upgrade options are not of a shape this version reads (not retried). internal-error: An unexpected error in fleetflash; the server log has the details.
                             * @enum {string|null}
                             */
                            error_code: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error" | null;
                            /** @description The flash command was sent: cancelling is no longer possible. */
                            flash_started: boolean;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            retry_of: string | null;
                            /**
                             * Format: uuid
                             * @description The mass upgrade it belongs to, if any.
                             */
                            batch: string | null;
                            /** @description Its stage in the mass upgrade (0 = canary; 0 for single upgrades). */
                            stage: number;
                            /** @description A single upgrade started regardless of the device's maintenance window. */
                            ignore_maintenance_window: boolean;
                            /**
                             * WaitingForWindow
                             * @description Pending because its maintenance window is closed (or closes within window_end_margin): which window and when it opens (also next_attempt_at). Such waits do not count as attempts.
                             */
                            waiting_for_window: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                window: string;
                                name: string;
                                time_zone: string;
                                /**
                                 * Format: date-time
                                 * @description Its next opening; null when none of its periods in the coming week is longer than the margin.
                                 */
                                opens_at: string | null;
                            } | null;
                            /** Format: date-time */
                            started_at: string | null;
                            /** Format: date-time */
                            finished_at: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/build/{id}/upgrade/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Dry run of a mass upgrade with the default rollout: which devices would be upgraded, which skipped and why
         * @description Changes nothing, so members who may only read (operators) may call it. Every device in scope appears once: `device_firmwares` (devices on a build of the category that would be upgraded), `devices` (devices not on the category that would be upgraded: only with upgrade_all), `skipped` (each with its reason); the three add up to `in_scope`. `stages` is the stage plan. To preview a launch with a rollout policy, POST its body to …/upgrade/dry-run/.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only these devices (a selection of the device list; at most 10,000), within the other filters. The batch keeps the selection (selected_devices). */
                    devices?: string[];
                    /** @description Also upgrade devices not on a build of this category (another category, or no firmware record) whose board fits an image of the build. Without it they are skipped as not-in-category. */
                    upgrade_all?: boolean;
                    /** @description Only devices of this group. */
                    group?: string;
                    /** @description Only devices at this location. */
                    location?: string;
                    /** @description Only devices of this organization (id or slug); required for a shared build when you administer several. */
                    organization?: string;
                    /** @description Also flash devices that run a newer OpenWrt release than the build (else they are skipped as downgrade). */
                    allow_downgrade?: boolean;
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Devices running an image of the build's category that would be upgraded (their firmware records are keyed by device id). */
                            device_firmwares: string[];
                            /** @description Devices not on a build of the category (another category, or no firmware record) that would be upgraded: only with upgrade_all. */
                            devices: string[];
                            /** @description Devices that would be skipped, each with the reason. */
                            skipped: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                device: string;
                                device_name: string;
                                /**
                                 * SkipReason
                                 * @description organization-mismatch: The device belongs to another organization than the build. (not a failure) deactivated: The device is deactivated: activate it to upgrade it. (not a failure) already-on-build: The device already runs this build. (not a failure) not-in-category: The device does not run a build of this category (it runs another category, or has no firmware record): set upgrade_all to include it. (not a failure) no-fitting-image: No image of the build fits the device's board: upload one for it. (not a failure) downgrade: The device runs a newer release than the build: set allow_downgrade to flash it anyway. (not a failure) operation-running: Another upgrade of the device is pending or in progress. (counts as a failure) no-credentials: The device has no SSH credentials (its own or its organization's default). (counts as a failure) no-upgrader: No upgrader handles the device's OS string. (counts as a failure) no-address: The device has no management address. (counts as a failure)
                                 * @enum {string}
                                 */
                                reason: "organization-mismatch" | "deactivated" | "already-on-build" | "not-in-category" | "no-fitting-image" | "downgrade" | "operation-running" | "no-credentials" | "no-upgrader" | "no-address";
                                detail: string;
                            }[];
                            /** @description Devices in scope: device_firmwares + devices + skipped add up to it. */
                            in_scope: number;
                            /** @description Planned stage sizes, stage 0 (the canary) first, with the rollout given (the defaults for the rest): exactly what the launch would plan. */
                            stages: number[];
                            /** @description The devices that would be upgraded, per model and the image each gets (most devices first): the same devices as device_firmwares + devices. */
                            models: {
                                /** @description The devices' model as they report it (empty when not known). */
                                model: string;
                                /** @description Their board name (empty when not known). */
                                board: string;
                                /** @description The image of the build these devices get. */
                                image: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    id: string;
                                    /** @description The image's type (its file name in the hardware table). */
                                    type: string;
                                    /** @description The hardware model the image is for. */
                                    label: string;
                                };
                                /** @description How many devices of this model get this image. */
                                devices: number;
                                /** @description Of these, devices on a newer OpenWrt release than the build: flashing them goes back to an older release (they are upgraded only with allow_downgrade, else skipped as downgrade). */
                                downgrades: number;
                            }[];
                            /** @description What the launch would do that needs attention (with the upgrade_options given), e.g. option n on devices managed by their pull agent. */
                            warnings: {
                                /**
                                 * MassUpgradeDryRunWarningCode
                                 * @enum {string}
                                 */
                                code: "agent-settings-discarded";
                                detail: string;
                                /** @description The devices concerned. */
                                devices: string[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Launch a mass upgrade of the devices that should run this build
         * @description Every candidate gets an operation or a recorded skip with its reason. The rollout policy (optional) stages the upgrade: a canary, growing stages gated on their success rate, a failure threshold that pauses it, bake time, a concurrency cap, a start time. Answers 201 {"batch": id, "warnings": [...]}: a warning says when rollout.max_concurrent cannot be reached with the settings of the workers (GET /api/v1/firmware/upgrade-capacity/).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Only these devices (a selection of the device list; at most 10,000), within the other filters. The batch keeps the selection (selected_devices). */
                        devices?: string[];
                        /**
                         * @description Also upgrade devices not on a build of this category (another category, or no firmware record) whose board fits an image of the build. Without it they are skipped as not-in-category.
                         * @default false
                         */
                        upgrade_all?: boolean;
                        /** @description Only devices of this group. */
                        group?: string;
                        /** @description Only devices at this location. */
                        location?: string;
                        /** @description Only devices of this organization (id or slug); required for a shared build when you administer several. */
                        organization?: string;
                        /**
                         * @description Also flash devices that run a newer OpenWrt release than the build (else they are skipped as downgrade).
                         * @default false
                         */
                        allow_downgrade?: boolean;
                        /**
                         * @description Upgrader options. OpenWrt (sysupgrade flags): c = Keep changed files in /etc; o = Keep all changed files; n = Do not keep configuration (dangerous); u = Skip unchanged files; p = Do not restore the partition table; k = Keep the package list; F = Force (dangerous). c is on unless n is chosen; n cannot be combined with c or o.
                         * @example {
                         *       "c": true
                         *     }
                         */
                        upgrade_options?: {
                            [key: string]: boolean | null;
                        };
                        /**
                         * BackupMode
                         * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                         * @enum {string}
                         */
                        backup?: "required" | "best-effort" | "off";
                        /** RolloutPolicy */
                        rollout?: {
                            /** @description Devices in the first stage (the canary). */
                            canary_count?: number;
                            /** @description Share of the devices in the canary. Default: 1 %, at least 5 devices. */
                            canary_percent?: number;
                            /** @description Each stage after the canary is this many times bigger than the one before (default 4). */
                            stage_factor?: number;
                            /** @description Explicit sizes of the stages after the canary; the last stage takes whatever remains. */
                            stage_sizes?: number[];
                            /** @description A stage is followed by the next only when this share of its decided devices succeeded (default 95). */
                            success_gate_percent?: number;
                            /** @description The rollout pauses itself when failed ÷ decided devices goes above this (default 5)… */
                            failure_threshold_percent?: number;
                            /** @description …once at least this many devices are decided (default 10). */
                            failure_threshold_min_decided?: number;
                            /** @description Wait this long after a stage is decided before the next one starts (default 0). */
                            bake_seconds?: number;
                            /** @description Devices of this batch upgrading at once (default: setting rollout_max_concurrent). */
                            max_concurrent?: number;
                            /**
                             * Format: date-time
                             * @description Start later: the batch is "scheduled" until then.
                             */
                            start_at?: string;
                        };
                        /** @description Devices that cannot be reached stay pending and are tried again (with backoff, and as soon as they register) until the deadline. */
                        wait_for_offline?: boolean;
                        /** @description How long to wait for offline devices, from the start (default: setting offline_deadline, 7 days). */
                        offline_deadline_seconds?: number;
                        /**
                         * Format: uuid
                         * @description A maintenance window of the devices' organization for every device of this batch, overriding their own (by group or location): each operation starts only while it is open.
                         */
                        maintenance_window?: string;
                        /** @description A health check (of the devices' organization) to run after proof of boot; null: none. Left out: the default of the build's category, if it has one. */
                        health_check?: string | (never | null);
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: uuid */
                            batch: string;
                            /** @description Why the launch may not run as asked (the batch is launched all the same). */
                            warnings: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/build/{id}/upgrade/dry-run/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Dry run of a mass upgrade with the launch's own fields (rollout included): exactly what that launch would do
         * @description Changes nothing, so members who may only read (operators) may call it. Every device in scope appears once: `device_firmwares` (devices on a build of the category that would be upgraded), `devices` (devices not on the category that would be upgraded: only with upgrade_all), `skipped` (each with its reason); the three add up to `in_scope`. `stages` is the stage plan. The body takes the launch's plan fields (filters, upgrade_all, allow_downgrade, rollout); the stages are those the launch would run.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Only these devices (a selection of the device list; at most 10,000), within the other filters. The batch keeps the selection (selected_devices). */
                        devices?: string[];
                        /**
                         * @description Also upgrade devices not on a build of this category (another category, or no firmware record) whose board fits an image of the build. Without it they are skipped as not-in-category.
                         * @default false
                         */
                        upgrade_all?: boolean;
                        /** @description Only devices of this group. */
                        group?: string;
                        /** @description Only devices at this location. */
                        location?: string;
                        /** @description Only devices of this organization (id or slug); required for a shared build when you administer several. */
                        organization?: string;
                        /**
                         * @description Also flash devices that run a newer OpenWrt release than the build (else they are skipped as downgrade).
                         * @default false
                         */
                        allow_downgrade?: boolean;
                        /** RolloutPolicy */
                        rollout?: {
                            /** @description Devices in the first stage (the canary). */
                            canary_count?: number;
                            /** @description Share of the devices in the canary. Default: 1 %, at least 5 devices. */
                            canary_percent?: number;
                            /** @description Each stage after the canary is this many times bigger than the one before (default 4). */
                            stage_factor?: number;
                            /** @description Explicit sizes of the stages after the canary; the last stage takes whatever remains. */
                            stage_sizes?: number[];
                            /** @description A stage is followed by the next only when this share of its decided devices succeeded (default 95). */
                            success_gate_percent?: number;
                            /** @description The rollout pauses itself when failed ÷ decided devices goes above this (default 5)… */
                            failure_threshold_percent?: number;
                            /** @description …once at least this many devices are decided (default 10). */
                            failure_threshold_min_decided?: number;
                            /** @description Wait this long after a stage is decided before the next one starts (default 0). */
                            bake_seconds?: number;
                            /** @description Devices of this batch upgrading at once (default: setting rollout_max_concurrent). */
                            max_concurrent?: number;
                            /**
                             * Format: date-time
                             * @description Start later: the batch is "scheduled" until then.
                             */
                            start_at?: string;
                        };
                        /**
                         * @description Upgrader options. OpenWrt (sysupgrade flags): c = Keep changed files in /etc; o = Keep all changed files; n = Do not keep configuration (dangerous); u = Skip unchanged files; p = Do not restore the partition table; k = Keep the package list; F = Force (dangerous). c is on unless n is chosen; n cannot be combined with c or o.
                         * @example {
                         *       "c": true
                         *     }
                         */
                        upgrade_options?: {
                            [key: string]: boolean | null;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Devices running an image of the build's category that would be upgraded (their firmware records are keyed by device id). */
                            device_firmwares: string[];
                            /** @description Devices not on a build of the category (another category, or no firmware record) that would be upgraded: only with upgrade_all. */
                            devices: string[];
                            /** @description Devices that would be skipped, each with the reason. */
                            skipped: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                device: string;
                                device_name: string;
                                /**
                                 * SkipReason
                                 * @description organization-mismatch: The device belongs to another organization than the build. (not a failure) deactivated: The device is deactivated: activate it to upgrade it. (not a failure) already-on-build: The device already runs this build. (not a failure) not-in-category: The device does not run a build of this category (it runs another category, or has no firmware record): set upgrade_all to include it. (not a failure) no-fitting-image: No image of the build fits the device's board: upload one for it. (not a failure) downgrade: The device runs a newer release than the build: set allow_downgrade to flash it anyway. (not a failure) operation-running: Another upgrade of the device is pending or in progress. (counts as a failure) no-credentials: The device has no SSH credentials (its own or its organization's default). (counts as a failure) no-upgrader: No upgrader handles the device's OS string. (counts as a failure) no-address: The device has no management address. (counts as a failure)
                                 * @enum {string}
                                 */
                                reason: "organization-mismatch" | "deactivated" | "already-on-build" | "not-in-category" | "no-fitting-image" | "downgrade" | "operation-running" | "no-credentials" | "no-upgrader" | "no-address";
                                detail: string;
                            }[];
                            /** @description Devices in scope: device_firmwares + devices + skipped add up to it. */
                            in_scope: number;
                            /** @description Planned stage sizes, stage 0 (the canary) first, with the rollout given (the defaults for the rest): exactly what the launch would plan. */
                            stages: number[];
                            /** @description The devices that would be upgraded, per model and the image each gets (most devices first): the same devices as device_firmwares + devices. */
                            models: {
                                /** @description The devices' model as they report it (empty when not known). */
                                model: string;
                                /** @description Their board name (empty when not known). */
                                board: string;
                                /** @description The image of the build these devices get. */
                                image: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    id: string;
                                    /** @description The image's type (its file name in the hardware table). */
                                    type: string;
                                    /** @description The hardware model the image is for. */
                                    label: string;
                                };
                                /** @description How many devices of this model get this image. */
                                devices: number;
                                /** @description Of these, devices on a newer OpenWrt release than the build: flashing them goes back to an older release (they are upgraded only with allow_downgrade, else skipped as downgrade). */
                                downgrades: number;
                            }[];
                            /** @description What the launch would do that needs attention (with the upgrade_options given), e.g. option n on devices managed by their pull agent. */
                            warnings: {
                                /**
                                 * MassUpgradeDryRunWarningCode
                                 * @enum {string}
                                 */
                                code: "agent-settings-discarded";
                                detail: string;
                                /** @description The devices concerned. */
                                devices: string[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/upgrade-capacity/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * How many upgrades can run at once (the effective caps of the settings)
         * @description Per worker process: operations held at once (waiting ones, such as devices rebooting, included), those with an SSH session open, image transfers; and the cap across every worker. A mass upgrade runs min(rollout.max_concurrent, global_operations) devices at once, given enough worker processes.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            per_worker_operations: number;
                            per_worker_ssh_sessions: number;
                            per_worker_transfers: number;
                            global_operations: number;
                            default_max_concurrent: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/batch-upgrade-operation/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List mass upgrades, newest first
         * @description Filter by build, status (or finished), and the time they were created (created_from, created_to).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                    /** @description UUID */
                    build?: string;
                    /** @description scheduled (waits for start_at), in-progress, paused (by a person, the failure threshold or a stage gate), then success, failed ("completed with failures") or cancelled. */
                    status?: "scheduled" | "in-progress" | "paused" | "success" | "failed" | "cancelled";
                    /** @description true: only finished mass upgrades (success, failed, cancelled); false: only running ones (scheduled, in-progress, paused), as the field finished says. */
                    finished?: boolean;
                    /** @description Only mass upgrades created at or after this instant. */
                    created_from?: string;
                    /** @description Only mass upgrades created before this instant. */
                    created_to?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description Null if the build was deleted since.
                                 */
                                build: string | null;
                                build_version: string;
                                /**
                                 * Format: uuid
                                 * @description Null: devices of every organization (shared build, launched by a superuser).
                                 */
                                organization: string | null;
                                /**
                                 * BatchStatus
                                 * @description scheduled (waits for start_at), in-progress, paused (by a person, the failure threshold or a stage gate), then success, failed ("completed with failures") or cancelled.
                                 * @enum {string}
                                 */
                                status: "scheduled" | "in-progress" | "paused" | "success" | "failed" | "cancelled";
                                /** @description The status is final (success, failed, cancelled); false while scheduled, in-progress or paused. */
                                finished: boolean;
                                /** @description Which controls the mass upgrade offers in its state (the server refuses the others with 409 BatchStateConflict): a client shows these rather than deciding from the status itself. */
                                actions: {
                                    pause: boolean;
                                    resume: boolean;
                                    cancel: boolean;
                                    /** @description Started, with failed or aborted operations. The retry may still find none it can start (their image deleted, or their devices busy with another upgrade): then 409. */
                                    retry_failed: boolean;
                                };
                                /**
                                 * PauseReason
                                 * @description Why a paused batch paused.
                                 * @enum {string|null}
                                 */
                                pause_reason: "manual" | "failure-threshold" | "stage-gate" | "policy-unreadable" | "window-never-opens" | null;
                                pause_detail: string | null;
                                upgrade_all: boolean;
                                /** @description Launched for a selection of devices (the plan field devices): how many; null for filters alone. */
                                selected_devices: number | null;
                                group: string | null;
                                location: string | null;
                                upgrade_options: {
                                    [key: string]: boolean;
                                };
                                /**
                                 * BackupMode
                                 * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                                 * @enum {string}
                                 */
                                backup: "required" | "best-effort" | "off";
                                /** @description The stored rollout policy (every field filled in). Null when this version cannot read the stored policy (another version wrote it, or it was edited): such a batch pauses with pause_reason policy-unreadable and pause_detail saying what is wrong; cancel it and launch again. */
                                rollout: {
                                    canary_count: number | null;
                                    canary_percent: number | null;
                                    stage_factor: number | null;
                                    stage_sizes: number[] | null;
                                    success_gate_percent: number;
                                    failure_threshold_percent: number;
                                    failure_threshold_min_decided: number;
                                    bake_seconds: number;
                                    max_concurrent: number;
                                    /** Format: date-time */
                                    start_at: string | null;
                                } | null;
                                /** @description Per stage (canary first): devices and their outcomes. */
                                stages: {
                                    /** @description The stage number, 0-based (0 = the canary), as in current_stage, operations' stage and every log line. */
                                    stage: number;
                                    size: number;
                                    success: number;
                                    failed: number;
                                    aborted: number;
                                    cancelled: number;
                                    open: number;
                                    waiting_offline: number;
                                    waiting_for_window: number;
                                }[];
                                /** @description The newest stage released, 0-based (0 = the canary). */
                                current_stage: number;
                                wait_for_offline: boolean;
                                /** Format: date-time */
                                offline_deadline: string | null;
                                /**
                                 * Format: uuid
                                 * @description The batch's own maintenance window (overriding its devices' windows), if it names one.
                                 */
                                maintenance_window: string | null;
                                /**
                                 * OperationHealthCheck
                                 * @description The health check run after proof of boot, as it was when the upgrade was requested.
                                 */
                                health_check: {
                                    /**
                                     * Format: uuid
                                     * @description The health check it was copied from (null if that was deleted).
                                     */
                                    id: string | null;
                                    name: string;
                                    probes: {
                                        /** @description Shown in the log, e.g. "WAN up". */
                                        name: string;
                                        /**
                                         * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                         * @example ubus call network.interface.wan status | grep -q '"up": true'
                                         */
                                        command: string;
                                        /** @description The probe fails when it has not ended within this time. */
                                        timeout_seconds: number;
                                    }[];
                                } | null;
                                total_operations: number;
                                counts: {
                                    operations: number;
                                    skipped: number;
                                    pending: number;
                                    in_progress: number;
                                    /** @description Pending because the device is offline and the batch waits for it. */
                                    waiting_offline: number;
                                    /** @description Pending because its maintenance window is closed (part of pending; not holding up stage gates). */
                                    waiting_for_window: number;
                                    success: number;
                                    failed: number;
                                    aborted: number;
                                    cancelled: number;
                                    decided: number;
                                };
                                /** @description Skipped devices per reason (see SkipReason); reasons without skips are left out. */
                                skip_reasons: {
                                    "organization-mismatch"?: number;
                                    deactivated?: number;
                                    "already-on-build"?: number;
                                    "not-in-category"?: number;
                                    "no-fitting-image"?: number;
                                    downgrade?: number;
                                    "operation-running"?: number;
                                    "no-credentials"?: number;
                                    "no-upgrader"?: number;
                                    "no-address"?: number;
                                };
                                /** @description Failed and aborted operations per error code (see OperationErrorCode; a retried operation counts as its retry); codes without failures are left out. Retry one group with POST …/retry-failed/?error_code=, list exactly its operations with GET …/operations/?failure_reason=. */
                                failure_reasons: {
                                    unreachable?: number;
                                    "auth-failed"?: number;
                                    "host-key-mismatch"?: number;
                                    "address-not-allowed"?: number;
                                    "connection-lost"?: number;
                                    "command-failed"?: number;
                                    "unknown-device"?: number;
                                    "board-mismatch"?: number;
                                    "insufficient-memory"?: number;
                                    "transfer-interrupted"?: number;
                                    "checksum-mismatch"?: number;
                                    "backup-failed"?: number;
                                    "image-rejected"?: number;
                                    "flash-refused"?: number;
                                    "not-flashed"?: number;
                                    "restore-failed"?: number;
                                    "board-changed"?: number;
                                    "unreachable-after-flash"?: number;
                                    "flash-unconfirmed"?: number;
                                    "health-check-failed"?: number;
                                    "upgrader-error"?: number;
                                    "max-retries-exceeded"?: number;
                                    "offline-deadline"?: number;
                                    timeout?: number;
                                    cancelled?: number;
                                    "device-deactivated"?: number;
                                    "no-credentials"?: number;
                                    "no-upgrader"?: number;
                                    "no-address"?: number;
                                    "image-deleted"?: number;
                                    "backup-deleted"?: number;
                                    "restore-unsupported"?: number;
                                    "options-unreadable"?: number;
                                    "internal-error"?: number;
                                };
                                /** @description Decided ÷ operations, in percent. */
                                progress: number;
                                /** @description "X out of Y": decided operations out of all. */
                                progress_report: string;
                                success_rate: number;
                                failed_rate: number;
                                aborted_rate: number;
                                cancelled_rate: number;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                created_by: string | null;
                                /** Format: date-time */
                                start_at: string | null;
                                /** Format: date-time */
                                started_at: string | null;
                                /** Format: date-time */
                                finished_at: string | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/batch-upgrade-operation/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A mass upgrade: status, stage, counts, rates, progress */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description Null if the build was deleted since.
                             */
                            build: string | null;
                            build_version: string;
                            /**
                             * Format: uuid
                             * @description Null: devices of every organization (shared build, launched by a superuser).
                             */
                            organization: string | null;
                            /**
                             * BatchStatus
                             * @description scheduled (waits for start_at), in-progress, paused (by a person, the failure threshold or a stage gate), then success, failed ("completed with failures") or cancelled.
                             * @enum {string}
                             */
                            status: "scheduled" | "in-progress" | "paused" | "success" | "failed" | "cancelled";
                            /** @description The status is final (success, failed, cancelled); false while scheduled, in-progress or paused. */
                            finished: boolean;
                            /** @description Which controls the mass upgrade offers in its state (the server refuses the others with 409 BatchStateConflict): a client shows these rather than deciding from the status itself. */
                            actions: {
                                pause: boolean;
                                resume: boolean;
                                cancel: boolean;
                                /** @description Started, with failed or aborted operations. The retry may still find none it can start (their image deleted, or their devices busy with another upgrade): then 409. */
                                retry_failed: boolean;
                            };
                            /**
                             * PauseReason
                             * @description Why a paused batch paused.
                             * @enum {string|null}
                             */
                            pause_reason: "manual" | "failure-threshold" | "stage-gate" | "policy-unreadable" | "window-never-opens" | null;
                            pause_detail: string | null;
                            upgrade_all: boolean;
                            /** @description Launched for a selection of devices (the plan field devices): how many; null for filters alone. */
                            selected_devices: number | null;
                            group: string | null;
                            location: string | null;
                            upgrade_options: {
                                [key: string]: boolean;
                            };
                            /**
                             * BackupMode
                             * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                             * @enum {string}
                             */
                            backup: "required" | "best-effort" | "off";
                            /** @description The stored rollout policy (every field filled in). Null when this version cannot read the stored policy (another version wrote it, or it was edited): such a batch pauses with pause_reason policy-unreadable and pause_detail saying what is wrong; cancel it and launch again. */
                            rollout: {
                                canary_count: number | null;
                                canary_percent: number | null;
                                stage_factor: number | null;
                                stage_sizes: number[] | null;
                                success_gate_percent: number;
                                failure_threshold_percent: number;
                                failure_threshold_min_decided: number;
                                bake_seconds: number;
                                max_concurrent: number;
                                /** Format: date-time */
                                start_at: string | null;
                            } | null;
                            /** @description Per stage (canary first): devices and their outcomes. */
                            stages: {
                                /** @description The stage number, 0-based (0 = the canary), as in current_stage, operations' stage and every log line. */
                                stage: number;
                                size: number;
                                success: number;
                                failed: number;
                                aborted: number;
                                cancelled: number;
                                open: number;
                                waiting_offline: number;
                                waiting_for_window: number;
                            }[];
                            /** @description The newest stage released, 0-based (0 = the canary). */
                            current_stage: number;
                            wait_for_offline: boolean;
                            /** Format: date-time */
                            offline_deadline: string | null;
                            /**
                             * Format: uuid
                             * @description The batch's own maintenance window (overriding its devices' windows), if it names one.
                             */
                            maintenance_window: string | null;
                            /**
                             * OperationHealthCheck
                             * @description The health check run after proof of boot, as it was when the upgrade was requested.
                             */
                            health_check: {
                                /**
                                 * Format: uuid
                                 * @description The health check it was copied from (null if that was deleted).
                                 */
                                id: string | null;
                                name: string;
                                probes: {
                                    /** @description Shown in the log, e.g. "WAN up". */
                                    name: string;
                                    /**
                                     * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                     * @example ubus call network.interface.wan status | grep -q '"up": true'
                                     */
                                    command: string;
                                    /** @description The probe fails when it has not ended within this time. */
                                    timeout_seconds: number;
                                }[];
                            } | null;
                            total_operations: number;
                            counts: {
                                operations: number;
                                skipped: number;
                                pending: number;
                                in_progress: number;
                                /** @description Pending because the device is offline and the batch waits for it. */
                                waiting_offline: number;
                                /** @description Pending because its maintenance window is closed (part of pending; not holding up stage gates). */
                                waiting_for_window: number;
                                success: number;
                                failed: number;
                                aborted: number;
                                cancelled: number;
                                decided: number;
                            };
                            /** @description Skipped devices per reason (see SkipReason); reasons without skips are left out. */
                            skip_reasons: {
                                "organization-mismatch"?: number;
                                deactivated?: number;
                                "already-on-build"?: number;
                                "not-in-category"?: number;
                                "no-fitting-image"?: number;
                                downgrade?: number;
                                "operation-running"?: number;
                                "no-credentials"?: number;
                                "no-upgrader"?: number;
                                "no-address"?: number;
                            };
                            /** @description Failed and aborted operations per error code (see OperationErrorCode; a retried operation counts as its retry); codes without failures are left out. Retry one group with POST …/retry-failed/?error_code=, list exactly its operations with GET …/operations/?failure_reason=. */
                            failure_reasons: {
                                unreachable?: number;
                                "auth-failed"?: number;
                                "host-key-mismatch"?: number;
                                "address-not-allowed"?: number;
                                "connection-lost"?: number;
                                "command-failed"?: number;
                                "unknown-device"?: number;
                                "board-mismatch"?: number;
                                "insufficient-memory"?: number;
                                "transfer-interrupted"?: number;
                                "checksum-mismatch"?: number;
                                "backup-failed"?: number;
                                "image-rejected"?: number;
                                "flash-refused"?: number;
                                "not-flashed"?: number;
                                "restore-failed"?: number;
                                "board-changed"?: number;
                                "unreachable-after-flash"?: number;
                                "flash-unconfirmed"?: number;
                                "health-check-failed"?: number;
                                "upgrader-error"?: number;
                                "max-retries-exceeded"?: number;
                                "offline-deadline"?: number;
                                timeout?: number;
                                cancelled?: number;
                                "device-deactivated"?: number;
                                "no-credentials"?: number;
                                "no-upgrader"?: number;
                                "no-address"?: number;
                                "image-deleted"?: number;
                                "backup-deleted"?: number;
                                "restore-unsupported"?: number;
                                "options-unreadable"?: number;
                                "internal-error"?: number;
                            };
                            /** @description Decided ÷ operations, in percent. */
                            progress: number;
                            /** @description "X out of Y": decided operations out of all. */
                            progress_report: string;
                            success_rate: number;
                            failed_rate: number;
                            aborted_rate: number;
                            cancelled_rate: number;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            created_by: string | null;
                            /** Format: date-time */
                            start_at: string | null;
                            /** Format: date-time */
                            started_at: string | null;
                            /** Format: date-time */
                            finished_at: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/batch-upgrade-operation/{id}/operations/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The operations of a mass upgrade (a retried operation is shown as its retry), filterable and paginated
         * @description Filter by status, stage, device name (search), failure_reason (exactly one group of failure_reasons) and error_code (the code whatever the status, pending operations waiting after it included); sort with ordering, e.g. `ordering=stage,status` (status sorts as an operation lives: pending, in-progress, success, failed, aborted, cancelled).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled. */
                    status?: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                    /** @description 0-based stage index. */
                    stage?: number;
                    /** @description Device name contains. */
                    search?: string;
                    /** @description Only operations whose error_code is this (the reason a failed or aborted one ended, or why the last attempt of a pending one failed). One of the OperationErrorCode values. */
                    error_code?: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error";
                    /** @description Only the failed and aborted operations that ended for this reason: one group of the mass upgrade's failure_reasons (a pending operation waiting after the code is not in it). One of the OperationErrorCode values. */
                    failure_reason?: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error";
                    /** @description Comma-separated fields to sort by, "-" for descending. Fields: stage, status, device_name, progress, created. Default: -created. */
                    ordering?: string;
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * OperationKind
                                 * @description upgrade: installs an image. restore: puts a configuration backup back (sysupgrade -r, a reboot, proof of boot on the same release); its image is null and image_sha256 is the archive's.
                                 * @enum {string}
                                 */
                                kind: "upgrade" | "restore";
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                device: string;
                                device_name: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                /**
                                 * Format: uuid
                                 * @description Null if the image was deleted since.
                                 */
                                image: string | null;
                                image_sha256: string;
                                /**
                                 * OperationStatus
                                 * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                                 * @enum {string}
                                 */
                                status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                                /** @description The status is final (success, failed, aborted, cancelled). */
                                finished: boolean;
                                /** @description The operation can be retried (POST .../retry/): its status is failed, aborted or cancelled. */
                                can_retry: boolean;
                                progress: number;
                                options: {
                                    [key: string]: boolean;
                                };
                                /**
                                 * BackupMode
                                 * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                                 * @enum {string}
                                 */
                                backup: "required" | "best-effort" | "off";
                                /**
                                 * OperationHealthCheck
                                 * @description The health check run after proof of boot, as it was when the upgrade was requested.
                                 */
                                health_check: {
                                    /**
                                     * Format: uuid
                                     * @description The health check it was copied from (null if that was deleted).
                                     */
                                    id: string | null;
                                    name: string;
                                    probes: {
                                        /** @description Shown in the log, e.g. "WAN up". */
                                        name: string;
                                        /**
                                         * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                         * @example ubus call network.interface.wan status | grep -q '"up": true'
                                         */
                                        command: string;
                                        /** @description The probe fails when it has not ended within this time. */
                                        timeout_seconds: number;
                                    }[];
                                } | null;
                                /**
                                 * Format: uuid
                                 * @description A restore: the backup it puts back (null once deleted).
                                 */
                                restored_backup: string | null;
                                /** @description Attempts made so far. */
                                attempt: number;
                                /**
                                 * Format: date-time
                                 * @description When a pending operation will be tried (again).
                                 */
                                next_attempt_at: string | null;
                                /**
                                 * OperationErrorCode
                                 * @description Why an operation ended (or why its last attempt failed). unreachable: The device could not be reached over SSH (retried). auth-failed: The device refused the SSH credentials. host-key-mismatch: The device presented another SSH host key than the pinned one. address-not-allowed: The device's address is outside the networks devices may be reached at: it was not contacted. connection-lost: The SSH connection dropped while a command ran (retried). command-failed: A command on the device failed before anything was changed. unknown-device: The device did not describe its board. board-mismatch: The device reports a board the image does not fit. insufficient-memory: The device has too little free memory or /tmp space for the image. transfer-interrupted: Sending the image was interrupted (retried). checksum-mismatch: The image on the device does not match its checksum (retried). backup-failed: The configuration backup before flashing failed and the backup option is "required": nothing was flashed. image-rejected: The device rejected the image (sysupgrade -T failed). flash-refused: The device refused to flash the image. not-flashed: The device came back on the old release, or never rebooted. restore-failed: The device refused to restore the configuration backup (sysupgrade -r failed). board-changed: The device reports another board after flashing. unreachable-after-flash: The device never came back after flashing (not retried). flash-unconfirmed: Whether the device flashed could not be told; it is not flashed again (not retried). health-check-failed: The device booted the new release but a probe of the health check failed or timed out (the log names it; not retried). upgrader-error: A custom upgrader reported a code of its own: the operation log names it. max-retries-exceeded: Every attempt failed; no retries are left. offline-deadline: The device stayed unreachable until the mass upgrade's deadline. timeout: The attempt took longer than the task timeout. cancelled: A person cancelled the upgrade. device-deactivated: The device was deactivated. no-credentials: The device has no SSH credentials. no-upgrader: No upgrader handles the device's OS. no-address: The device has no management address. image-deleted: The image was deleted. backup-deleted: The configuration backup to restore was deleted. restore-unsupported: The device's upgrader cannot restore configuration backups. options-unreadable: The stored upgrade options are not of a shape this version reads (not retried). internal-error: An unexpected error in fleetflash; the server log has the details.
                                 * @enum {string|null}
                                 */
                                error_code: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error" | null;
                                /** @description The flash command was sent: cancelling is no longer possible. */
                                flash_started: boolean;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                retry_of: string | null;
                                /**
                                 * Format: uuid
                                 * @description The mass upgrade it belongs to, if any.
                                 */
                                batch: string | null;
                                /** @description Its stage in the mass upgrade (0 = canary; 0 for single upgrades). */
                                stage: number;
                                /** @description A single upgrade started regardless of the device's maintenance window. */
                                ignore_maintenance_window: boolean;
                                /**
                                 * WaitingForWindow
                                 * @description Pending because its maintenance window is closed (or closes within window_end_margin): which window and when it opens (also next_attempt_at). Such waits do not count as attempts.
                                 */
                                waiting_for_window: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    window: string;
                                    name: string;
                                    time_zone: string;
                                    /**
                                     * Format: date-time
                                     * @description Its next opening; null when none of its periods in the coming week is longer than the margin.
                                     */
                                    opens_at: string | null;
                                } | null;
                                /** Format: date-time */
                                started_at: string | null;
                                /** Format: date-time */
                                finished_at: string | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/batch-upgrade-operation/{id}/skipped/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The devices a mass upgrade skipped, with the reason */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description organization-mismatch: The device belongs to another organization than the build. (not a failure) deactivated: The device is deactivated: activate it to upgrade it. (not a failure) already-on-build: The device already runs this build. (not a failure) not-in-category: The device does not run a build of this category (it runs another category, or has no firmware record): set upgrade_all to include it. (not a failure) no-fitting-image: No image of the build fits the device's board: upload one for it. (not a failure) downgrade: The device runs a newer release than the build: set allow_downgrade to flash it anyway. (not a failure) operation-running: Another upgrade of the device is pending or in progress. (counts as a failure) no-credentials: The device has no SSH credentials (its own or its organization's default). (counts as a failure) no-upgrader: No upgrader handles the device's OS string. (counts as a failure) no-address: The device has no management address. (counts as a failure) */
                    reason?: "organization-mismatch" | "deactivated" | "already-on-build" | "not-in-category" | "no-fitting-image" | "downgrade" | "operation-running" | "no-credentials" | "no-upgrader" | "no-address";
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                device: string;
                                device_name: string;
                                /**
                                 * SkipReason
                                 * @description organization-mismatch: The device belongs to another organization than the build. (not a failure) deactivated: The device is deactivated: activate it to upgrade it. (not a failure) already-on-build: The device already runs this build. (not a failure) not-in-category: The device does not run a build of this category (it runs another category, or has no firmware record): set upgrade_all to include it. (not a failure) no-fitting-image: No image of the build fits the device's board: upload one for it. (not a failure) downgrade: The device runs a newer release than the build: set allow_downgrade to flash it anyway. (not a failure) operation-running: Another upgrade of the device is pending or in progress. (counts as a failure) no-credentials: The device has no SSH credentials (its own or its organization's default). (counts as a failure) no-upgrader: No upgrader handles the device's OS string. (counts as a failure) no-address: The device has no management address. (counts as a failure)
                                 * @enum {string}
                                 */
                                reason: "organization-mismatch" | "deactivated" | "already-on-build" | "not-in-category" | "no-fitting-image" | "downgrade" | "operation-running" | "no-credentials" | "no-upgrader" | "no-address";
                                detail: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/batch-upgrade-operation/{id}/pause/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause: running operations finish, no new ones start */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description Null if the build was deleted since.
                             */
                            build: string | null;
                            build_version: string;
                            /**
                             * Format: uuid
                             * @description Null: devices of every organization (shared build, launched by a superuser).
                             */
                            organization: string | null;
                            /**
                             * BatchStatus
                             * @description scheduled (waits for start_at), in-progress, paused (by a person, the failure threshold or a stage gate), then success, failed ("completed with failures") or cancelled.
                             * @enum {string}
                             */
                            status: "scheduled" | "in-progress" | "paused" | "success" | "failed" | "cancelled";
                            /** @description The status is final (success, failed, cancelled); false while scheduled, in-progress or paused. */
                            finished: boolean;
                            /** @description Which controls the mass upgrade offers in its state (the server refuses the others with 409 BatchStateConflict): a client shows these rather than deciding from the status itself. */
                            actions: {
                                pause: boolean;
                                resume: boolean;
                                cancel: boolean;
                                /** @description Started, with failed or aborted operations. The retry may still find none it can start (their image deleted, or their devices busy with another upgrade): then 409. */
                                retry_failed: boolean;
                            };
                            /**
                             * PauseReason
                             * @description Why a paused batch paused.
                             * @enum {string|null}
                             */
                            pause_reason: "manual" | "failure-threshold" | "stage-gate" | "policy-unreadable" | "window-never-opens" | null;
                            pause_detail: string | null;
                            upgrade_all: boolean;
                            /** @description Launched for a selection of devices (the plan field devices): how many; null for filters alone. */
                            selected_devices: number | null;
                            group: string | null;
                            location: string | null;
                            upgrade_options: {
                                [key: string]: boolean;
                            };
                            /**
                             * BackupMode
                             * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                             * @enum {string}
                             */
                            backup: "required" | "best-effort" | "off";
                            /** @description The stored rollout policy (every field filled in). Null when this version cannot read the stored policy (another version wrote it, or it was edited): such a batch pauses with pause_reason policy-unreadable and pause_detail saying what is wrong; cancel it and launch again. */
                            rollout: {
                                canary_count: number | null;
                                canary_percent: number | null;
                                stage_factor: number | null;
                                stage_sizes: number[] | null;
                                success_gate_percent: number;
                                failure_threshold_percent: number;
                                failure_threshold_min_decided: number;
                                bake_seconds: number;
                                max_concurrent: number;
                                /** Format: date-time */
                                start_at: string | null;
                            } | null;
                            /** @description Per stage (canary first): devices and their outcomes. */
                            stages: {
                                /** @description The stage number, 0-based (0 = the canary), as in current_stage, operations' stage and every log line. */
                                stage: number;
                                size: number;
                                success: number;
                                failed: number;
                                aborted: number;
                                cancelled: number;
                                open: number;
                                waiting_offline: number;
                                waiting_for_window: number;
                            }[];
                            /** @description The newest stage released, 0-based (0 = the canary). */
                            current_stage: number;
                            wait_for_offline: boolean;
                            /** Format: date-time */
                            offline_deadline: string | null;
                            /**
                             * Format: uuid
                             * @description The batch's own maintenance window (overriding its devices' windows), if it names one.
                             */
                            maintenance_window: string | null;
                            /**
                             * OperationHealthCheck
                             * @description The health check run after proof of boot, as it was when the upgrade was requested.
                             */
                            health_check: {
                                /**
                                 * Format: uuid
                                 * @description The health check it was copied from (null if that was deleted).
                                 */
                                id: string | null;
                                name: string;
                                probes: {
                                    /** @description Shown in the log, e.g. "WAN up". */
                                    name: string;
                                    /**
                                     * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                     * @example ubus call network.interface.wan status | grep -q '"up": true'
                                     */
                                    command: string;
                                    /** @description The probe fails when it has not ended within this time. */
                                    timeout_seconds: number;
                                }[];
                            } | null;
                            total_operations: number;
                            counts: {
                                operations: number;
                                skipped: number;
                                pending: number;
                                in_progress: number;
                                /** @description Pending because the device is offline and the batch waits for it. */
                                waiting_offline: number;
                                /** @description Pending because its maintenance window is closed (part of pending; not holding up stage gates). */
                                waiting_for_window: number;
                                success: number;
                                failed: number;
                                aborted: number;
                                cancelled: number;
                                decided: number;
                            };
                            /** @description Skipped devices per reason (see SkipReason); reasons without skips are left out. */
                            skip_reasons: {
                                "organization-mismatch"?: number;
                                deactivated?: number;
                                "already-on-build"?: number;
                                "not-in-category"?: number;
                                "no-fitting-image"?: number;
                                downgrade?: number;
                                "operation-running"?: number;
                                "no-credentials"?: number;
                                "no-upgrader"?: number;
                                "no-address"?: number;
                            };
                            /** @description Failed and aborted operations per error code (see OperationErrorCode; a retried operation counts as its retry); codes without failures are left out. Retry one group with POST …/retry-failed/?error_code=, list exactly its operations with GET …/operations/?failure_reason=. */
                            failure_reasons: {
                                unreachable?: number;
                                "auth-failed"?: number;
                                "host-key-mismatch"?: number;
                                "address-not-allowed"?: number;
                                "connection-lost"?: number;
                                "command-failed"?: number;
                                "unknown-device"?: number;
                                "board-mismatch"?: number;
                                "insufficient-memory"?: number;
                                "transfer-interrupted"?: number;
                                "checksum-mismatch"?: number;
                                "backup-failed"?: number;
                                "image-rejected"?: number;
                                "flash-refused"?: number;
                                "not-flashed"?: number;
                                "restore-failed"?: number;
                                "board-changed"?: number;
                                "unreachable-after-flash"?: number;
                                "flash-unconfirmed"?: number;
                                "health-check-failed"?: number;
                                "upgrader-error"?: number;
                                "max-retries-exceeded"?: number;
                                "offline-deadline"?: number;
                                timeout?: number;
                                cancelled?: number;
                                "device-deactivated"?: number;
                                "no-credentials"?: number;
                                "no-upgrader"?: number;
                                "no-address"?: number;
                                "image-deleted"?: number;
                                "backup-deleted"?: number;
                                "restore-unsupported"?: number;
                                "options-unreadable"?: number;
                                "internal-error"?: number;
                            };
                            /** @description Decided ÷ operations, in percent. */
                            progress: number;
                            /** @description "X out of Y": decided operations out of all. */
                            progress_report: string;
                            success_rate: number;
                            failed_rate: number;
                            aborted_rate: number;
                            cancelled_rate: number;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            created_by: string | null;
                            /** Format: date-time */
                            start_at: string | null;
                            /** Format: date-time */
                            started_at: string | null;
                            /** Format: date-time */
                            finished_at: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/batch-upgrade-operation/{id}/resume/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume a paused mass upgrade (a failed stage gate is accepted; the failure threshold counts from now) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description Null if the build was deleted since.
                             */
                            build: string | null;
                            build_version: string;
                            /**
                             * Format: uuid
                             * @description Null: devices of every organization (shared build, launched by a superuser).
                             */
                            organization: string | null;
                            /**
                             * BatchStatus
                             * @description scheduled (waits for start_at), in-progress, paused (by a person, the failure threshold or a stage gate), then success, failed ("completed with failures") or cancelled.
                             * @enum {string}
                             */
                            status: "scheduled" | "in-progress" | "paused" | "success" | "failed" | "cancelled";
                            /** @description The status is final (success, failed, cancelled); false while scheduled, in-progress or paused. */
                            finished: boolean;
                            /** @description Which controls the mass upgrade offers in its state (the server refuses the others with 409 BatchStateConflict): a client shows these rather than deciding from the status itself. */
                            actions: {
                                pause: boolean;
                                resume: boolean;
                                cancel: boolean;
                                /** @description Started, with failed or aborted operations. The retry may still find none it can start (their image deleted, or their devices busy with another upgrade): then 409. */
                                retry_failed: boolean;
                            };
                            /**
                             * PauseReason
                             * @description Why a paused batch paused.
                             * @enum {string|null}
                             */
                            pause_reason: "manual" | "failure-threshold" | "stage-gate" | "policy-unreadable" | "window-never-opens" | null;
                            pause_detail: string | null;
                            upgrade_all: boolean;
                            /** @description Launched for a selection of devices (the plan field devices): how many; null for filters alone. */
                            selected_devices: number | null;
                            group: string | null;
                            location: string | null;
                            upgrade_options: {
                                [key: string]: boolean;
                            };
                            /**
                             * BackupMode
                             * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                             * @enum {string}
                             */
                            backup: "required" | "best-effort" | "off";
                            /** @description The stored rollout policy (every field filled in). Null when this version cannot read the stored policy (another version wrote it, or it was edited): such a batch pauses with pause_reason policy-unreadable and pause_detail saying what is wrong; cancel it and launch again. */
                            rollout: {
                                canary_count: number | null;
                                canary_percent: number | null;
                                stage_factor: number | null;
                                stage_sizes: number[] | null;
                                success_gate_percent: number;
                                failure_threshold_percent: number;
                                failure_threshold_min_decided: number;
                                bake_seconds: number;
                                max_concurrent: number;
                                /** Format: date-time */
                                start_at: string | null;
                            } | null;
                            /** @description Per stage (canary first): devices and their outcomes. */
                            stages: {
                                /** @description The stage number, 0-based (0 = the canary), as in current_stage, operations' stage and every log line. */
                                stage: number;
                                size: number;
                                success: number;
                                failed: number;
                                aborted: number;
                                cancelled: number;
                                open: number;
                                waiting_offline: number;
                                waiting_for_window: number;
                            }[];
                            /** @description The newest stage released, 0-based (0 = the canary). */
                            current_stage: number;
                            wait_for_offline: boolean;
                            /** Format: date-time */
                            offline_deadline: string | null;
                            /**
                             * Format: uuid
                             * @description The batch's own maintenance window (overriding its devices' windows), if it names one.
                             */
                            maintenance_window: string | null;
                            /**
                             * OperationHealthCheck
                             * @description The health check run after proof of boot, as it was when the upgrade was requested.
                             */
                            health_check: {
                                /**
                                 * Format: uuid
                                 * @description The health check it was copied from (null if that was deleted).
                                 */
                                id: string | null;
                                name: string;
                                probes: {
                                    /** @description Shown in the log, e.g. "WAN up". */
                                    name: string;
                                    /**
                                     * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                     * @example ubus call network.interface.wan status | grep -q '"up": true'
                                     */
                                    command: string;
                                    /** @description The probe fails when it has not ended within this time. */
                                    timeout_seconds: number;
                                }[];
                            } | null;
                            total_operations: number;
                            counts: {
                                operations: number;
                                skipped: number;
                                pending: number;
                                in_progress: number;
                                /** @description Pending because the device is offline and the batch waits for it. */
                                waiting_offline: number;
                                /** @description Pending because its maintenance window is closed (part of pending; not holding up stage gates). */
                                waiting_for_window: number;
                                success: number;
                                failed: number;
                                aborted: number;
                                cancelled: number;
                                decided: number;
                            };
                            /** @description Skipped devices per reason (see SkipReason); reasons without skips are left out. */
                            skip_reasons: {
                                "organization-mismatch"?: number;
                                deactivated?: number;
                                "already-on-build"?: number;
                                "not-in-category"?: number;
                                "no-fitting-image"?: number;
                                downgrade?: number;
                                "operation-running"?: number;
                                "no-credentials"?: number;
                                "no-upgrader"?: number;
                                "no-address"?: number;
                            };
                            /** @description Failed and aborted operations per error code (see OperationErrorCode; a retried operation counts as its retry); codes without failures are left out. Retry one group with POST …/retry-failed/?error_code=, list exactly its operations with GET …/operations/?failure_reason=. */
                            failure_reasons: {
                                unreachable?: number;
                                "auth-failed"?: number;
                                "host-key-mismatch"?: number;
                                "address-not-allowed"?: number;
                                "connection-lost"?: number;
                                "command-failed"?: number;
                                "unknown-device"?: number;
                                "board-mismatch"?: number;
                                "insufficient-memory"?: number;
                                "transfer-interrupted"?: number;
                                "checksum-mismatch"?: number;
                                "backup-failed"?: number;
                                "image-rejected"?: number;
                                "flash-refused"?: number;
                                "not-flashed"?: number;
                                "restore-failed"?: number;
                                "board-changed"?: number;
                                "unreachable-after-flash"?: number;
                                "flash-unconfirmed"?: number;
                                "health-check-failed"?: number;
                                "upgrader-error"?: number;
                                "max-retries-exceeded"?: number;
                                "offline-deadline"?: number;
                                timeout?: number;
                                cancelled?: number;
                                "device-deactivated"?: number;
                                "no-credentials"?: number;
                                "no-upgrader"?: number;
                                "no-address"?: number;
                                "image-deleted"?: number;
                                "backup-deleted"?: number;
                                "restore-unsupported"?: number;
                                "options-unreadable"?: number;
                                "internal-error"?: number;
                            };
                            /** @description Decided ÷ operations, in percent. */
                            progress: number;
                            /** @description "X out of Y": decided operations out of all. */
                            progress_report: string;
                            success_rate: number;
                            failed_rate: number;
                            aborted_rate: number;
                            cancelled_rate: number;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            created_by: string | null;
                            /** Format: date-time */
                            start_at: string | null;
                            /** Format: date-time */
                            started_at: string | null;
                            /** Format: date-time */
                            finished_at: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/batch-upgrade-operation/{id}/cancel/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel: every operation not yet flashing is cancelled */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description Null if the build was deleted since.
                             */
                            build: string | null;
                            build_version: string;
                            /**
                             * Format: uuid
                             * @description Null: devices of every organization (shared build, launched by a superuser).
                             */
                            organization: string | null;
                            /**
                             * BatchStatus
                             * @description scheduled (waits for start_at), in-progress, paused (by a person, the failure threshold or a stage gate), then success, failed ("completed with failures") or cancelled.
                             * @enum {string}
                             */
                            status: "scheduled" | "in-progress" | "paused" | "success" | "failed" | "cancelled";
                            /** @description The status is final (success, failed, cancelled); false while scheduled, in-progress or paused. */
                            finished: boolean;
                            /** @description Which controls the mass upgrade offers in its state (the server refuses the others with 409 BatchStateConflict): a client shows these rather than deciding from the status itself. */
                            actions: {
                                pause: boolean;
                                resume: boolean;
                                cancel: boolean;
                                /** @description Started, with failed or aborted operations. The retry may still find none it can start (their image deleted, or their devices busy with another upgrade): then 409. */
                                retry_failed: boolean;
                            };
                            /**
                             * PauseReason
                             * @description Why a paused batch paused.
                             * @enum {string|null}
                             */
                            pause_reason: "manual" | "failure-threshold" | "stage-gate" | "policy-unreadable" | "window-never-opens" | null;
                            pause_detail: string | null;
                            upgrade_all: boolean;
                            /** @description Launched for a selection of devices (the plan field devices): how many; null for filters alone. */
                            selected_devices: number | null;
                            group: string | null;
                            location: string | null;
                            upgrade_options: {
                                [key: string]: boolean;
                            };
                            /**
                             * BackupMode
                             * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                             * @enum {string}
                             */
                            backup: "required" | "best-effort" | "off";
                            /** @description The stored rollout policy (every field filled in). Null when this version cannot read the stored policy (another version wrote it, or it was edited): such a batch pauses with pause_reason policy-unreadable and pause_detail saying what is wrong; cancel it and launch again. */
                            rollout: {
                                canary_count: number | null;
                                canary_percent: number | null;
                                stage_factor: number | null;
                                stage_sizes: number[] | null;
                                success_gate_percent: number;
                                failure_threshold_percent: number;
                                failure_threshold_min_decided: number;
                                bake_seconds: number;
                                max_concurrent: number;
                                /** Format: date-time */
                                start_at: string | null;
                            } | null;
                            /** @description Per stage (canary first): devices and their outcomes. */
                            stages: {
                                /** @description The stage number, 0-based (0 = the canary), as in current_stage, operations' stage and every log line. */
                                stage: number;
                                size: number;
                                success: number;
                                failed: number;
                                aborted: number;
                                cancelled: number;
                                open: number;
                                waiting_offline: number;
                                waiting_for_window: number;
                            }[];
                            /** @description The newest stage released, 0-based (0 = the canary). */
                            current_stage: number;
                            wait_for_offline: boolean;
                            /** Format: date-time */
                            offline_deadline: string | null;
                            /**
                             * Format: uuid
                             * @description The batch's own maintenance window (overriding its devices' windows), if it names one.
                             */
                            maintenance_window: string | null;
                            /**
                             * OperationHealthCheck
                             * @description The health check run after proof of boot, as it was when the upgrade was requested.
                             */
                            health_check: {
                                /**
                                 * Format: uuid
                                 * @description The health check it was copied from (null if that was deleted).
                                 */
                                id: string | null;
                                name: string;
                                probes: {
                                    /** @description Shown in the log, e.g. "WAN up". */
                                    name: string;
                                    /**
                                     * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                     * @example ubus call network.interface.wan status | grep -q '"up": true'
                                     */
                                    command: string;
                                    /** @description The probe fails when it has not ended within this time. */
                                    timeout_seconds: number;
                                }[];
                            } | null;
                            total_operations: number;
                            counts: {
                                operations: number;
                                skipped: number;
                                pending: number;
                                in_progress: number;
                                /** @description Pending because the device is offline and the batch waits for it. */
                                waiting_offline: number;
                                /** @description Pending because its maintenance window is closed (part of pending; not holding up stage gates). */
                                waiting_for_window: number;
                                success: number;
                                failed: number;
                                aborted: number;
                                cancelled: number;
                                decided: number;
                            };
                            /** @description Skipped devices per reason (see SkipReason); reasons without skips are left out. */
                            skip_reasons: {
                                "organization-mismatch"?: number;
                                deactivated?: number;
                                "already-on-build"?: number;
                                "not-in-category"?: number;
                                "no-fitting-image"?: number;
                                downgrade?: number;
                                "operation-running"?: number;
                                "no-credentials"?: number;
                                "no-upgrader"?: number;
                                "no-address"?: number;
                            };
                            /** @description Failed and aborted operations per error code (see OperationErrorCode; a retried operation counts as its retry); codes without failures are left out. Retry one group with POST …/retry-failed/?error_code=, list exactly its operations with GET …/operations/?failure_reason=. */
                            failure_reasons: {
                                unreachable?: number;
                                "auth-failed"?: number;
                                "host-key-mismatch"?: number;
                                "address-not-allowed"?: number;
                                "connection-lost"?: number;
                                "command-failed"?: number;
                                "unknown-device"?: number;
                                "board-mismatch"?: number;
                                "insufficient-memory"?: number;
                                "transfer-interrupted"?: number;
                                "checksum-mismatch"?: number;
                                "backup-failed"?: number;
                                "image-rejected"?: number;
                                "flash-refused"?: number;
                                "not-flashed"?: number;
                                "restore-failed"?: number;
                                "board-changed"?: number;
                                "unreachable-after-flash"?: number;
                                "flash-unconfirmed"?: number;
                                "health-check-failed"?: number;
                                "upgrader-error"?: number;
                                "max-retries-exceeded"?: number;
                                "offline-deadline"?: number;
                                timeout?: number;
                                cancelled?: number;
                                "device-deactivated"?: number;
                                "no-credentials"?: number;
                                "no-upgrader"?: number;
                                "no-address"?: number;
                                "image-deleted"?: number;
                                "backup-deleted"?: number;
                                "restore-unsupported"?: number;
                                "options-unreadable"?: number;
                                "internal-error"?: number;
                            };
                            /** @description Decided ÷ operations, in percent. */
                            progress: number;
                            /** @description "X out of Y": decided operations out of all. */
                            progress_report: string;
                            success_rate: number;
                            failed_rate: number;
                            aborted_rate: number;
                            cancelled_rate: number;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            created_by: string | null;
                            /** Format: date-time */
                            start_at: string | null;
                            /** Format: date-time */
                            started_at: string | null;
                            /** Format: date-time */
                            finished_at: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/batch-upgrade-operation/{id}/retry-failed/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry the failed and aborted operations (new operations in the same stages)
         * @description With error_code, only those that ended for that reason (one group of failure_reasons). 409 when none can be retried.
         */
        post: {
            parameters: {
                query?: {
                    /** @description Only the failed and aborted operations that ended for this reason: one group of the mass upgrade's failure_reasons (a pending operation waiting after the code is not in it). One of the OperationErrorCode values. */
                    error_code?: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error";
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description Null if the build was deleted since.
                             */
                            build: string | null;
                            build_version: string;
                            /**
                             * Format: uuid
                             * @description Null: devices of every organization (shared build, launched by a superuser).
                             */
                            organization: string | null;
                            /**
                             * BatchStatus
                             * @description scheduled (waits for start_at), in-progress, paused (by a person, the failure threshold or a stage gate), then success, failed ("completed with failures") or cancelled.
                             * @enum {string}
                             */
                            status: "scheduled" | "in-progress" | "paused" | "success" | "failed" | "cancelled";
                            /** @description The status is final (success, failed, cancelled); false while scheduled, in-progress or paused. */
                            finished: boolean;
                            /** @description Which controls the mass upgrade offers in its state (the server refuses the others with 409 BatchStateConflict): a client shows these rather than deciding from the status itself. */
                            actions: {
                                pause: boolean;
                                resume: boolean;
                                cancel: boolean;
                                /** @description Started, with failed or aborted operations. The retry may still find none it can start (their image deleted, or their devices busy with another upgrade): then 409. */
                                retry_failed: boolean;
                            };
                            /**
                             * PauseReason
                             * @description Why a paused batch paused.
                             * @enum {string|null}
                             */
                            pause_reason: "manual" | "failure-threshold" | "stage-gate" | "policy-unreadable" | "window-never-opens" | null;
                            pause_detail: string | null;
                            upgrade_all: boolean;
                            /** @description Launched for a selection of devices (the plan field devices): how many; null for filters alone. */
                            selected_devices: number | null;
                            group: string | null;
                            location: string | null;
                            upgrade_options: {
                                [key: string]: boolean;
                            };
                            /**
                             * BackupMode
                             * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                             * @enum {string}
                             */
                            backup: "required" | "best-effort" | "off";
                            /** @description The stored rollout policy (every field filled in). Null when this version cannot read the stored policy (another version wrote it, or it was edited): such a batch pauses with pause_reason policy-unreadable and pause_detail saying what is wrong; cancel it and launch again. */
                            rollout: {
                                canary_count: number | null;
                                canary_percent: number | null;
                                stage_factor: number | null;
                                stage_sizes: number[] | null;
                                success_gate_percent: number;
                                failure_threshold_percent: number;
                                failure_threshold_min_decided: number;
                                bake_seconds: number;
                                max_concurrent: number;
                                /** Format: date-time */
                                start_at: string | null;
                            } | null;
                            /** @description Per stage (canary first): devices and their outcomes. */
                            stages: {
                                /** @description The stage number, 0-based (0 = the canary), as in current_stage, operations' stage and every log line. */
                                stage: number;
                                size: number;
                                success: number;
                                failed: number;
                                aborted: number;
                                cancelled: number;
                                open: number;
                                waiting_offline: number;
                                waiting_for_window: number;
                            }[];
                            /** @description The newest stage released, 0-based (0 = the canary). */
                            current_stage: number;
                            wait_for_offline: boolean;
                            /** Format: date-time */
                            offline_deadline: string | null;
                            /**
                             * Format: uuid
                             * @description The batch's own maintenance window (overriding its devices' windows), if it names one.
                             */
                            maintenance_window: string | null;
                            /**
                             * OperationHealthCheck
                             * @description The health check run after proof of boot, as it was when the upgrade was requested.
                             */
                            health_check: {
                                /**
                                 * Format: uuid
                                 * @description The health check it was copied from (null if that was deleted).
                                 */
                                id: string | null;
                                name: string;
                                probes: {
                                    /** @description Shown in the log, e.g. "WAN up". */
                                    name: string;
                                    /**
                                     * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                     * @example ubus call network.interface.wan status | grep -q '"up": true'
                                     */
                                    command: string;
                                    /** @description The probe fails when it has not ended within this time. */
                                    timeout_seconds: number;
                                }[];
                            } | null;
                            total_operations: number;
                            counts: {
                                operations: number;
                                skipped: number;
                                pending: number;
                                in_progress: number;
                                /** @description Pending because the device is offline and the batch waits for it. */
                                waiting_offline: number;
                                /** @description Pending because its maintenance window is closed (part of pending; not holding up stage gates). */
                                waiting_for_window: number;
                                success: number;
                                failed: number;
                                aborted: number;
                                cancelled: number;
                                decided: number;
                            };
                            /** @description Skipped devices per reason (see SkipReason); reasons without skips are left out. */
                            skip_reasons: {
                                "organization-mismatch"?: number;
                                deactivated?: number;
                                "already-on-build"?: number;
                                "not-in-category"?: number;
                                "no-fitting-image"?: number;
                                downgrade?: number;
                                "operation-running"?: number;
                                "no-credentials"?: number;
                                "no-upgrader"?: number;
                                "no-address"?: number;
                            };
                            /** @description Failed and aborted operations per error code (see OperationErrorCode; a retried operation counts as its retry); codes without failures are left out. Retry one group with POST …/retry-failed/?error_code=, list exactly its operations with GET …/operations/?failure_reason=. */
                            failure_reasons: {
                                unreachable?: number;
                                "auth-failed"?: number;
                                "host-key-mismatch"?: number;
                                "address-not-allowed"?: number;
                                "connection-lost"?: number;
                                "command-failed"?: number;
                                "unknown-device"?: number;
                                "board-mismatch"?: number;
                                "insufficient-memory"?: number;
                                "transfer-interrupted"?: number;
                                "checksum-mismatch"?: number;
                                "backup-failed"?: number;
                                "image-rejected"?: number;
                                "flash-refused"?: number;
                                "not-flashed"?: number;
                                "restore-failed"?: number;
                                "board-changed"?: number;
                                "unreachable-after-flash"?: number;
                                "flash-unconfirmed"?: number;
                                "health-check-failed"?: number;
                                "upgrader-error"?: number;
                                "max-retries-exceeded"?: number;
                                "offline-deadline"?: number;
                                timeout?: number;
                                cancelled?: number;
                                "device-deactivated"?: number;
                                "no-credentials"?: number;
                                "no-upgrader"?: number;
                                "no-address"?: number;
                                "image-deleted"?: number;
                                "backup-deleted"?: number;
                                "restore-unsupported"?: number;
                                "options-unreadable"?: number;
                                "internal-error"?: number;
                            };
                            /** @description Decided ÷ operations, in percent. */
                            progress: number;
                            /** @description "X out of Y": decided operations out of all. */
                            progress_report: string;
                            success_rate: number;
                            failed_rate: number;
                            aborted_rate: number;
                            cancelled_rate: number;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            created_by: string | null;
                            /** Format: date-time */
                            start_at: string | null;
                            /** Format: date-time */
                            started_at: string | null;
                            /** Format: date-time */
                            finished_at: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/backups/{backupId}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restore a configuration backup on the device
         * @description Queues an operation of kind "restore": the archive is sent to the router, sysupgrade -r restores it, the router reboots and must come back on the release it runs now (statuses and log as an upgrade). 409 UpgradeAlreadyRunning while another operation of the device is pending or running.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                    /** @description UUID */
                    backupId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Start now even if the device's maintenance window is closed (an admin's explicit choice; recorded on the operation and in the audit log), as for a single upgrade. */
                        ignore_maintenance_window?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * OperationKind
                             * @description upgrade: installs an image. restore: puts a configuration backup back (sysupgrade -r, a reboot, proof of boot on the same release); its image is null and image_sha256 is the archive's.
                             * @enum {string}
                             */
                            kind: "upgrade" | "restore";
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            device: string;
                            device_name: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            /**
                             * Format: uuid
                             * @description Null if the image was deleted since.
                             */
                            image: string | null;
                            image_sha256: string;
                            /**
                             * OperationStatus
                             * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                             * @enum {string}
                             */
                            status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                            /** @description The status is final (success, failed, aborted, cancelled). */
                            finished: boolean;
                            /** @description The operation can be retried (POST .../retry/): its status is failed, aborted or cancelled. */
                            can_retry: boolean;
                            progress: number;
                            options: {
                                [key: string]: boolean;
                            };
                            /**
                             * BackupMode
                             * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                             * @enum {string}
                             */
                            backup: "required" | "best-effort" | "off";
                            /**
                             * OperationHealthCheck
                             * @description The health check run after proof of boot, as it was when the upgrade was requested.
                             */
                            health_check: {
                                /**
                                 * Format: uuid
                                 * @description The health check it was copied from (null if that was deleted).
                                 */
                                id: string | null;
                                name: string;
                                probes: {
                                    /** @description Shown in the log, e.g. "WAN up". */
                                    name: string;
                                    /**
                                     * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                     * @example ubus call network.interface.wan status | grep -q '"up": true'
                                     */
                                    command: string;
                                    /** @description The probe fails when it has not ended within this time. */
                                    timeout_seconds: number;
                                }[];
                            } | null;
                            /**
                             * Format: uuid
                             * @description A restore: the backup it puts back (null once deleted).
                             */
                            restored_backup: string | null;
                            /** @description Attempts made so far. */
                            attempt: number;
                            /**
                             * Format: date-time
                             * @description When a pending operation will be tried (again).
                             */
                            next_attempt_at: string | null;
                            /**
                             * OperationErrorCode
                             * @description Why an operation ended (or why its last attempt failed). unreachable: The device could not be reached over SSH (retried). auth-failed: The device refused the SSH credentials. host-key-mismatch: The device presented another SSH host key than the pinned one. address-not-allowed: The device's address is outside the networks devices may be reached at: it was not contacted. connection-lost: The SSH connection dropped while a command ran (retried). command-failed: A command on the device failed before anything was changed. unknown-device: The device did not describe its board. board-mismatch: The device reports a board the image does not fit. insufficient-memory: The device has too little free memory or /tmp space for the image. transfer-interrupted: Sending the image was interrupted (retried). checksum-mismatch: The image on the device does not match its checksum (retried). backup-failed: The configuration backup before flashing failed and the backup option is "required": nothing was flashed. image-rejected: The device rejected the image (sysupgrade -T failed). flash-refused: The device refused to flash the image. not-flashed: The device came back on the old release, or never rebooted. restore-failed: The device refused to restore the configuration backup (sysupgrade -r failed). board-changed: The device reports another board after flashing. unreachable-after-flash: The device never came back after flashing (not retried). flash-unconfirmed: Whether the device flashed could not be told; it is not flashed again (not retried). health-check-failed: The device booted the new release but a probe of the health check failed or timed out (the log names it; not retried). upgrader-error: A custom upgrader reported a code of its own: the operation log names it. max-retries-exceeded: Every attempt failed; no retries are left. offline-deadline: The device stayed unreachable until the mass upgrade's deadline. timeout: The attempt took longer than the task timeout. cancelled: A person cancelled the upgrade. device-deactivated: The device was deactivated. no-credentials: The device has no SSH credentials. no-upgrader: No upgrader handles the device's OS. no-address: The device has no management address. image-deleted: The image was deleted. backup-deleted: The configuration backup to restore was deleted. restore-unsupported: The device's upgrader cannot restore configuration backups. options-unreadable: The stored upgrade options are not of a shape this version reads (not retried). internal-error: An unexpected error in fleetflash; the server log has the details.
                             * @enum {string|null}
                             */
                            error_code: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error" | null;
                            /** @description The flash command was sent: cancelling is no longer possible. */
                            flash_started: boolean;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            retry_of: string | null;
                            /**
                             * Format: uuid
                             * @description The mass upgrade it belongs to, if any.
                             */
                            batch: string | null;
                            /** @description Its stage in the mass upgrade (0 = canary; 0 for single upgrades). */
                            stage: number;
                            /** @description A single upgrade started regardless of the device's maintenance window. */
                            ignore_maintenance_window: boolean;
                            /**
                             * WaitingForWindow
                             * @description Pending because its maintenance window is closed (or closes within window_end_margin): which window and when it opens (also next_attempt_at). Such waits do not count as attempts.
                             */
                            waiting_for_window: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                window: string;
                                name: string;
                                time_zone: string;
                                /**
                                 * Format: date-time
                                 * @description Its next opening; null when none of its periods in the coming week is longer than the margin.
                                 */
                                opens_at: string | null;
                            } | null;
                            /** Format: date-time */
                            started_at: string | null;
                            /** Format: date-time */
                            finished_at: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/batch-upgrade-operation/{id}/restore-failed/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Restore the pre-upgrade backup of the failed devices
         * @description For each failed operation of the mass upgrade (the latest of its device) with a configuration backup taken before its flash, a restore of that backup (not part of the mass upgrade: its counts do not change). Devices that cannot be restored now are listed in skipped; 409 BatchStateConflict when no failed operation has a backup.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Start now even if the device's maintenance window is closed (an admin's explicit choice; recorded on the operation and in the audit log), as for a single upgrade. */
                        ignore_maintenance_window?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The restore operations queued, one per device. */
                            operations: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * OperationKind
                                 * @description upgrade: installs an image. restore: puts a configuration backup back (sysupgrade -r, a reboot, proof of boot on the same release); its image is null and image_sha256 is the archive's.
                                 * @enum {string}
                                 */
                                kind: "upgrade" | "restore";
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                device: string;
                                device_name: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                /**
                                 * Format: uuid
                                 * @description Null if the image was deleted since.
                                 */
                                image: string | null;
                                image_sha256: string;
                                /**
                                 * OperationStatus
                                 * @description pending (queued or waiting for a retry), in-progress, then one of success, failed, aborted (device untouched), cancelled.
                                 * @enum {string}
                                 */
                                status: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled";
                                /** @description The status is final (success, failed, aborted, cancelled). */
                                finished: boolean;
                                /** @description The operation can be retried (POST .../retry/): its status is failed, aborted or cancelled. */
                                can_retry: boolean;
                                progress: number;
                                options: {
                                    [key: string]: boolean;
                                };
                                /**
                                 * BackupMode
                                 * @description The configuration backup before flashing (default required). required: Take a backup before flashing; if it fails, the upgrade fails (backup-failed) and nothing is flashed. best-effort: Try to take a backup; if it fails, say so in the log and flash anyway. off: Take no backup.
                                 * @enum {string}
                                 */
                                backup: "required" | "best-effort" | "off";
                                /**
                                 * OperationHealthCheck
                                 * @description The health check run after proof of boot, as it was when the upgrade was requested.
                                 */
                                health_check: {
                                    /**
                                     * Format: uuid
                                     * @description The health check it was copied from (null if that was deleted).
                                     */
                                    id: string | null;
                                    name: string;
                                    probes: {
                                        /** @description Shown in the log, e.g. "WAN up". */
                                        name: string;
                                        /**
                                         * @description A shell command run on the router after proof of boot; it passes when it exits 0.
                                         * @example ubus call network.interface.wan status | grep -q '"up": true'
                                         */
                                        command: string;
                                        /** @description The probe fails when it has not ended within this time. */
                                        timeout_seconds: number;
                                    }[];
                                } | null;
                                /**
                                 * Format: uuid
                                 * @description A restore: the backup it puts back (null once deleted).
                                 */
                                restored_backup: string | null;
                                /** @description Attempts made so far. */
                                attempt: number;
                                /**
                                 * Format: date-time
                                 * @description When a pending operation will be tried (again).
                                 */
                                next_attempt_at: string | null;
                                /**
                                 * OperationErrorCode
                                 * @description Why an operation ended (or why its last attempt failed). unreachable: The device could not be reached over SSH (retried). auth-failed: The device refused the SSH credentials. host-key-mismatch: The device presented another SSH host key than the pinned one. address-not-allowed: The device's address is outside the networks devices may be reached at: it was not contacted. connection-lost: The SSH connection dropped while a command ran (retried). command-failed: A command on the device failed before anything was changed. unknown-device: The device did not describe its board. board-mismatch: The device reports a board the image does not fit. insufficient-memory: The device has too little free memory or /tmp space for the image. transfer-interrupted: Sending the image was interrupted (retried). checksum-mismatch: The image on the device does not match its checksum (retried). backup-failed: The configuration backup before flashing failed and the backup option is "required": nothing was flashed. image-rejected: The device rejected the image (sysupgrade -T failed). flash-refused: The device refused to flash the image. not-flashed: The device came back on the old release, or never rebooted. restore-failed: The device refused to restore the configuration backup (sysupgrade -r failed). board-changed: The device reports another board after flashing. unreachable-after-flash: The device never came back after flashing (not retried). flash-unconfirmed: Whether the device flashed could not be told; it is not flashed again (not retried). health-check-failed: The device booted the new release but a probe of the health check failed or timed out (the log names it; not retried). upgrader-error: A custom upgrader reported a code of its own: the operation log names it. max-retries-exceeded: Every attempt failed; no retries are left. offline-deadline: The device stayed unreachable until the mass upgrade's deadline. timeout: The attempt took longer than the task timeout. cancelled: A person cancelled the upgrade. device-deactivated: The device was deactivated. no-credentials: The device has no SSH credentials. no-upgrader: No upgrader handles the device's OS. no-address: The device has no management address. image-deleted: The image was deleted. backup-deleted: The configuration backup to restore was deleted. restore-unsupported: The device's upgrader cannot restore configuration backups. options-unreadable: The stored upgrade options are not of a shape this version reads (not retried). internal-error: An unexpected error in fleetflash; the server log has the details.
                                 * @enum {string|null}
                                 */
                                error_code: "unreachable" | "auth-failed" | "host-key-mismatch" | "address-not-allowed" | "connection-lost" | "command-failed" | "unknown-device" | "board-mismatch" | "insufficient-memory" | "transfer-interrupted" | "checksum-mismatch" | "backup-failed" | "image-rejected" | "flash-refused" | "not-flashed" | "restore-failed" | "board-changed" | "unreachable-after-flash" | "flash-unconfirmed" | "health-check-failed" | "upgrader-error" | "max-retries-exceeded" | "offline-deadline" | "timeout" | "cancelled" | "device-deactivated" | "no-credentials" | "no-upgrader" | "no-address" | "image-deleted" | "backup-deleted" | "restore-unsupported" | "options-unreadable" | "internal-error" | null;
                                /** @description The flash command was sent: cancelling is no longer possible. */
                                flash_started: boolean;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                retry_of: string | null;
                                /**
                                 * Format: uuid
                                 * @description The mass upgrade it belongs to, if any.
                                 */
                                batch: string | null;
                                /** @description Its stage in the mass upgrade (0 = canary; 0 for single upgrades). */
                                stage: number;
                                /** @description A single upgrade started regardless of the device's maintenance window. */
                                ignore_maintenance_window: boolean;
                                /**
                                 * WaitingForWindow
                                 * @description Pending because its maintenance window is closed (or closes within window_end_margin): which window and when it opens (also next_attempt_at). Such waits do not count as attempts.
                                 */
                                waiting_for_window: {
                                    /**
                                     * Format: uuid
                                     * @description UUID
                                     */
                                    window: string;
                                    name: string;
                                    time_zone: string;
                                    /**
                                     * Format: date-time
                                     * @description Its next opening; null when none of its periods in the coming week is longer than the margin.
                                     */
                                    opens_at: string | null;
                                } | null;
                                /** Format: date-time */
                                started_at: string | null;
                                /** Format: date-time */
                                finished_at: string | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                            /** @description Failed devices with a backup that could not be restored now, and why. */
                            skipped: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                device: string;
                                detail: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/ids/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The ids of every device the list filters match (for a bulk action on "all N matching")
         * @description At most 10000; more is a 400 SelectionTooLarge.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                    group?: string;
                    /** @description Part of the location, any case: "berlin" finds "Berlin Mitte". */
                    location?: string;
                    /** @description Part of the model, any case: "archer c7" finds "TP-Link Archer C7 v2". */
                    model?: string;
                    board_name?: string;
                    /** @description Part of the OS string, any case: "23.05.2" finds "OpenWrt 23.05.2 r23630-842932a63d". */
                    os?: string;
                    is_active?: boolean;
                    /** @description `ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash. */
                    management?: "ssh" | "agent";
                    /** @description Part of the name, MAC address or management address. */
                    search?: string;
                    /** @description true: contacted within devices.offline_after; false: not (never seen included). */
                    reachable?: boolean;
                    /** @description The status of the device's newest upgrade operation, or none for a device never upgraded. */
                    last_result?: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled" | "none";
                    /** @description true: runs an older build than the newest of its category; false: runs the newest. Devices whose build is unknown match neither. */
                    behind_latest?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            count: number;
                            ids: string[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/summary/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Fleet figures for dashboards: reachable, behind the newest build, failed; per firmware and model
         * @description Each figure but upgrading is what the device list shows with one filter: offline = reachable=false, behind_latest = behind_latest=true, last_failed = last_result=failed; upgrading = last_result=pending plus last_result=in-progress. by_firmware and by_model: the 20 most common.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            total: number;
                            active: number;
                            /** @description Devices contacted within devices.offline_after. */
                            reachable: number;
                            /** @description total − reachable (never seen included): the list filter reachable=false. */
                            offline: number;
                            /** @description Devices on an older build than the newest of its category. */
                            behind_latest: number;
                            /** @description Devices on the newest build of their category. */
                            on_latest: number;
                            /** @description Devices whose newest upgrade failed (last_result=failed). */
                            last_failed: number;
                            /** @description Devices whose newest upgrade aborted (last_result=aborted). */
                            last_aborted: number;
                            /** @description Devices with an upgrade pending or in progress. */
                            upgrading: number;
                            by_firmware: {
                                os: string;
                                count: number;
                            }[];
                            by_model: {
                                model: string;
                                count: number;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/upgrades/retry/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Retry the failed upgrades of the selected devices (each device's newest, if it failed or aborted)
         * @description Each device whose newest operation failed or aborted gets a new operation, by the rules of POST /api/v1/firmware/upgrade-operation/{id}/retry/, one device at a time; the others are counted by reason. Admins of every selected device’s organization only (else 403, nothing done).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Either `devices` (ids) or `filters` (every device the device list shows with these filters: "all N matching"; at most 1000, else 400 SelectionTooLarge). */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The devices, by id (at most 1000); each must be visible to you, else 404. */
                        devices?: string[];
                        /**
                         * DeviceFilters
                         * @description The filters of the device list (GET /api/v1/devices/), as an object.
                         */
                        filters?: {
                            /** @description Only objects of the organization with this slug. */
                            organization?: string;
                            group?: string;
                            /** @description Part of the location, any case: "berlin" finds "Berlin Mitte". */
                            location?: string;
                            /** @description Part of the model, any case: "archer c7" finds "TP-Link Archer C7 v2". */
                            model?: string;
                            board_name?: string;
                            /** @description Part of the OS string, any case: "23.05.2" finds "OpenWrt 23.05.2 r23630-842932a63d". */
                            os?: string;
                            is_active?: boolean;
                            /**
                             * DeviceManagement
                             * @description `ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash.
                             * @enum {string}
                             */
                            management?: "ssh" | "agent";
                            /** @description Part of the name, MAC address or management address. */
                            search?: string;
                            /** @description true: contacted within devices.offline_after; false: not (never seen included). */
                            reachable?: boolean;
                            /**
                             * LastUpgradeResult
                             * @description The status of the device's newest upgrade operation, or none for a device never upgraded.
                             * @enum {string}
                             */
                            last_result?: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled" | "none";
                            /** @description true: runs an older build than the newest of its category; false: runs the newest. Devices whose build is unknown match neither. */
                            behind_latest?: boolean;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Devices selected. */
                            selected: number;
                            /** @description Devices acted on (retried, or cancelled). */
                            done: number;
                            /** @description The devices left alone, grouped by reason (and error code). */
                            refused: {
                                /**
                                 * BulkRefusalReason
                                 * @description no-failed-upgrade: The newest upgrade of the device did not fail or abort: there is nothing to retry. no-open-upgrade: The device has no pending or running upgrade: there is nothing to cancel. refused: The single-operation rule refused it: `code` and `detail` say why (e.g. flashing already started).
                                 * @enum {string}
                                 */
                                reason: "no-failed-upgrade" | "no-open-upgrade" | "refused";
                                /** @description For `refused`: the error code the single action gave. */
                                code: string | null;
                                count: number;
                                /** @description Why (the message of the first device refused so). */
                                detail: string;
                                /** @description Up to 20 of these devices. */
                                devices: string[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/upgrades/cancel/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel the pending or running upgrades of the selected devices (until flashing starts)
         * @description Each device with a pending or in-progress operation has it cancelled, by the rules of POST /api/v1/firmware/upgrade-operation/{id}/cancel/ (a device already flashing is refused with CancelNotPossible); the others are counted by reason. Admins only (else 403, nothing done).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description Either `devices` (ids) or `filters` (every device the device list shows with these filters: "all N matching"; at most 1000, else 400 SelectionTooLarge). */
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The devices, by id (at most 1000); each must be visible to you, else 404. */
                        devices?: string[];
                        /**
                         * DeviceFilters
                         * @description The filters of the device list (GET /api/v1/devices/), as an object.
                         */
                        filters?: {
                            /** @description Only objects of the organization with this slug. */
                            organization?: string;
                            group?: string;
                            /** @description Part of the location, any case: "berlin" finds "Berlin Mitte". */
                            location?: string;
                            /** @description Part of the model, any case: "archer c7" finds "TP-Link Archer C7 v2". */
                            model?: string;
                            board_name?: string;
                            /** @description Part of the OS string, any case: "23.05.2" finds "OpenWrt 23.05.2 r23630-842932a63d". */
                            os?: string;
                            is_active?: boolean;
                            /**
                             * DeviceManagement
                             * @description `ssh`: fleetflash connects to the device; `agent`: the pull agent on the device polls fleetflash.
                             * @enum {string}
                             */
                            management?: "ssh" | "agent";
                            /** @description Part of the name, MAC address or management address. */
                            search?: string;
                            /** @description true: contacted within devices.offline_after; false: not (never seen included). */
                            reachable?: boolean;
                            /**
                             * LastUpgradeResult
                             * @description The status of the device's newest upgrade operation, or none for a device never upgraded.
                             * @enum {string}
                             */
                            last_result?: "pending" | "in-progress" | "success" | "failed" | "aborted" | "cancelled" | "none";
                            /** @description true: runs an older build than the newest of its category; false: runs the newest. Devices whose build is unknown match neither. */
                            behind_latest?: boolean;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Devices selected. */
                            selected: number;
                            /** @description Devices acted on (retried, or cancelled). */
                            done: number;
                            /** @description The devices left alone, grouped by reason (and error code). */
                            refused: {
                                /**
                                 * BulkRefusalReason
                                 * @description no-failed-upgrade: The newest upgrade of the device did not fail or abort: there is nothing to retry. no-open-upgrade: The device has no pending or running upgrade: there is nothing to cancel. refused: The single-operation rule refused it: `code` and `detail` say why (e.g. flashing already started).
                                 * @enum {string}
                                 */
                                reason: "no-failed-upgrade" | "no-open-upgrade" | "refused";
                                /** @description For `refused`: the error code the single action gave. */
                                code: string | null;
                                count: number;
                                /** @description Why (the message of the first device refused so). */
                                detail: string;
                                /** @description Up to 20 of these devices. */
                                devices: string[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events (Server-Sent Events): operations, log lines, mass upgrades, image builds
         * @description Event types: `operation` (id, device, batch, kind, status, progress, attempt, error_code, flash_started), `log` (operation, seq, level, message), `batch` (id, status, current_stage, counts, progress, pause_reason), `build` (request_hash, status, imagebuilder_status, detail, error_code; only with the `build` filter unless you are a superuser). Each event has an id; reconnect with the `Last-Event-ID` header (or `last_event_id`; with both, the later id counts) to resume. The stream sets the last event id (an `id:` line without data) when it opens and before it ends at its lifetime, so a client that received no event still resumes without a gap. Batch aggregates are published when they change, not per log line. The stream ends after `events.stream_max_lifetime` (reconnect with Last-Event-ID: nothing is lost); it ends with `event: revoked` (data: reason, detail) when your token or session is revoked or expires, your account is deactivated, or what the stream follows is no longer visible to you; losing an organization narrows the stream at once.
         */
        get: {
            parameters: {
                query?: {
                    /** @description UUID */
                    batch?: string;
                    /** @description UUID */
                    operation?: string;
                    /** @description UUID */
                    device?: string;
                    /** @description Organization slug. */
                    organization?: string;
                    /** @description Request hash of an image build: only its `build` events (status, imagebuilder_status). */
                    build?: string;
                    /** @description Resume after this event id (same as the Last-Event-ID header; with both, the later id counts). */
                    last_event_id?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/event-stream */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit-log/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List audit-log entries, newest first
         * @description Organization admins see the entries of the organizations they administer; superusers see every entry, the global ones (logins, users, shared catalog) included. Operators are refused (403).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only entries of this organization (slug). */
                    organization?: string;
                    /** @description Only entries by this username (exact, any case). */
                    actor?: string;
                    /** @description An action (`device.created`), or all actions under a prefix: `device.` or `device.*`. */
                    action?: string;
                    /** @description The kind of object the change was made to. */
                    target_type?: "user" | "token" | "organization" | "credentials" | "device" | "maintenance_window" | "health_check" | "category" | "build" | "image" | "operation" | "batch" | "custom_image" | "webhook";
                    /** @description Only entries about this object id. */
                    target_id?: string;
                    /** @description Entries at or after this time (or date, UTC). */
                    from?: string;
                    /** @description Entries before this time (or date, UTC). */
                    to?: string;
                    /** @description Entries from this client address, or from inside this network (CIDR). */
                    address?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /** @description Grows with every entry: a later entry has a higher id. */
                                id: number;
                                /** Format: date-time */
                                at: string;
                                /**
                                 * AuditActorType
                                 * @description A person (user), somebody who tried to log in (anonymous), or the server itself (system).
                                 * @enum {string}
                                 */
                                actor_type: "user" | "anonymous" | "system";
                                /**
                                 * Format: uuid
                                 * @description The user, when a person did it (they may since be deleted).
                                 */
                                actor_user_id: string | null;
                                /** @description The username at the time, or the tried username ("(unknown user)" if none), or the system part. */
                                actor_name: string;
                                /** @description session, token, cli, login (a login attempt) or system. */
                                actor_via: string;
                                /** @description The client's address (behind trusted proxies: the client's). */
                                address: string | null;
                                /**
                                 * AuditAction
                                 * @description What was done.
                                 * @enum {string}
                                 */
                                action: "login.succeeded" | "login.failed" | "logout" | "token.created" | "token.revoked" | "user.created" | "user.updated" | "user.deactivated" | "user.deleted" | "membership.added" | "membership.updated" | "membership.removed" | "organization.created" | "organization.updated" | "organization.deactivated" | "organization.deleted" | "organization.registration_secret_changed" | "credentials.created" | "credentials.updated" | "credentials.deleted" | "maintenance_window.created" | "maintenance_window.updated" | "maintenance_window.deleted" | "health_check.created" | "health_check.updated" | "health_check.deleted" | "device.created" | "device.registered" | "device.registration_refused" | "device.updated" | "device.deleted" | "device.host_key_reset" | "device.agent_token_rotated" | "device.agent_token_revoked" | "device.managed_over_ssh" | "device.firmware_set" | "device.firmware_cleared" | "category.created" | "category.updated" | "category.deleted" | "build.created" | "build.updated" | "build.deleted" | "image.uploaded" | "image.deleted" | "upgrade.started" | "upgrade.cancelled" | "upgrade.retried" | "upgrade.restore_started" | "backup.downloaded" | "batch.launched" | "batch.paused" | "batch.resumed" | "batch.cancelled" | "batch.retried" | "batch.restore_failed" | "custom_image.requested" | "custom_image.attached" | "webhook.created" | "webhook.updated" | "webhook.deleted" | "webhook.secret_rotated" | "webhook.tested" | "webhook.circuit_opened" | "email_preferences.updated";
                                /**
                                 * Format: uuid
                                 * @description The organization of the target; null for global entries.
                                 */
                                organization: string | null;
                                /**
                                 * AuditTargetType
                                 * @description The kind of object the change was made to.
                                 * @enum {string}
                                 */
                                target_type: "user" | "token" | "organization" | "credentials" | "device" | "maintenance_window" | "health_check" | "category" | "build" | "image" | "operation" | "batch" | "custom_image" | "webhook";
                                target_id: string | null;
                                /** @description The name of the target at the time. */
                                target_label: string;
                                /** @description Changed fields ({field: {from, to}}) and other facts; never secrets. */
                                details: {
                                    [key: string]: unknown;
                                };
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit-log/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Download the audit-log entries of the filters as CSV or JSON, newest first
         * @description Same filters and visibility as the list, without pages: every matching entry, streamed. CSV: UTF-8 with a byte order mark, every cell quoted; cells that a spreadsheet would read as a formula start with '.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only entries of this organization (slug). */
                    organization?: string;
                    /** @description Only entries by this username (exact, any case). */
                    actor?: string;
                    /** @description An action (`device.created`), or all actions under a prefix: `device.` or `device.*`. */
                    action?: string;
                    /** @description The kind of object the change was made to. */
                    target_type?: "user" | "token" | "organization" | "credentials" | "device" | "maintenance_window" | "health_check" | "category" | "build" | "image" | "operation" | "batch" | "custom_image" | "webhook";
                    /** @description Only entries about this object id. */
                    target_id?: string;
                    /** @description Entries at or after this time (or date, UTC). */
                    from?: string;
                    /** @description Entries before this time (or date, UTC). */
                    to?: string;
                    /** @description Entries from this client address, or from inside this network (CIDR). */
                    address?: string;
                    /** @description csv (default) or json. */
                    format?: "csv" | "json";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The CSV or JSON file. */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List webhooks
         * @description Webhooks of the organizations you belong to (all for superusers). Secrets are never listed; operators see each URL redacted to its scheme and host (`https://receiver.example.com/…`), admins in full.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only objects of the organization with this slug. */
                    organization?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string;
                                /** @description In full for admins of its organization and superusers; for operators only scheme and host, `https://receiver.example.com/…` (the path or query can be the receiver's credential). */
                                url: string;
                                description: string;
                                events: ("batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed")[];
                                /** @description Inactive webhooks get no deliveries; those pending end `cancelled` (a test still goes out). */
                                active: boolean;
                                /** WebhookCircuit */
                                circuit: {
                                    /**
                                     * WebhookCircuitState
                                     * @description closed: deliveries are tried; open: none is tried until `until` (they wait, their attempts unused); half-open: the cool-down is over and the next attempt decides.
                                     * @enum {string}
                                     */
                                    state: "closed" | "open" | "half-open";
                                    /**
                                     * Format: date-time
                                     * @description End of the cool-down (open or half-open).
                                     */
                                    until: string | null;
                                    /** @description Failed attempts in a row (a delivered one resets it). */
                                    consecutive_failures: number;
                                };
                                /**
                                 * Format: date-time
                                 * @description Until when the secret replaced by the last rotation still signs deliveries, beside the new one.
                                 */
                                previous_secret_until: string | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a webhook (organization admins)
         * @description fleetflash POSTs each chosen event to the URL, signed with a secret generated here and shown in this answer only (docs/api.md, "Webhooks", shows how a receiver checks the signature).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        /** @description http:// or https:// URL the POSTs go to. */
                        url: string;
                        description?: string;
                        events: ("batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed")[];
                        active?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            /** @description In full for admins of its organization and superusers; for operators only scheme and host, `https://receiver.example.com/…` (the path or query can be the receiver's credential). */
                            url: string;
                            description: string;
                            events: ("batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed")[];
                            /** @description Inactive webhooks get no deliveries; those pending end `cancelled` (a test still goes out). */
                            active: boolean;
                            /** WebhookCircuit */
                            circuit: {
                                /**
                                 * WebhookCircuitState
                                 * @description closed: deliveries are tried; open: none is tried until `until` (they wait, their attempts unused); half-open: the cool-down is over and the next attempt decides.
                                 * @enum {string}
                                 */
                                state: "closed" | "open" | "half-open";
                                /**
                                 * Format: date-time
                                 * @description End of the cool-down (open or half-open).
                                 */
                                until: string | null;
                                /** @description Failed attempts in a row (a delivered one resets it). */
                                consecutive_failures: number;
                            };
                            /**
                             * Format: date-time
                             * @description Until when the secret replaced by the last rotation still signs deliveries, beside the new one.
                             */
                            previous_secret_until: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            /** @description The signing secret: shown in this answer only. Store it with the receiver. */
                            secret: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get a webhook
         * @description Operators see the URL redacted to its scheme and host; admins and superusers in full.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            /** @description In full for admins of its organization and superusers; for operators only scheme and host, `https://receiver.example.com/…` (the path or query can be the receiver's credential). */
                            url: string;
                            description: string;
                            events: ("batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed")[];
                            /** @description Inactive webhooks get no deliveries; those pending end `cancelled` (a test still goes out). */
                            active: boolean;
                            /** WebhookCircuit */
                            circuit: {
                                /**
                                 * WebhookCircuitState
                                 * @description closed: deliveries are tried; open: none is tried until `until` (they wait, their attempts unused); half-open: the cool-down is over and the next attempt decides.
                                 * @enum {string}
                                 */
                                state: "closed" | "open" | "half-open";
                                /**
                                 * Format: date-time
                                 * @description End of the cool-down (open or half-open).
                                 */
                                until: string | null;
                                /** @description Failed attempts in a row (a delivered one resets it). */
                                consecutive_failures: number;
                            };
                            /**
                             * Format: date-time
                             * @description Until when the secret replaced by the last rotation still signs deliveries, beside the new one.
                             */
                            previous_secret_until: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a webhook and its delivery log (organization admins) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Change a webhook (organization admins) */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * Format: uuid
                         * @description UUID
                         */
                        organization?: string;
                        /** @description http:// or https:// URL the POSTs go to. */
                        url?: string;
                        description?: string;
                        events?: ("batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed")[];
                        active?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            /** @description In full for admins of its organization and superusers; for operators only scheme and host, `https://receiver.example.com/…` (the path or query can be the receiver's credential). */
                            url: string;
                            description: string;
                            events: ("batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed")[];
                            /** @description Inactive webhooks get no deliveries; those pending end `cancelled` (a test still goes out). */
                            active: boolean;
                            /** WebhookCircuit */
                            circuit: {
                                /**
                                 * WebhookCircuitState
                                 * @description closed: deliveries are tried; open: none is tried until `until` (they wait, their attempts unused); half-open: the cool-down is over and the next attempt decides.
                                 * @enum {string}
                                 */
                                state: "closed" | "open" | "half-open";
                                /**
                                 * Format: date-time
                                 * @description End of the cool-down (open or half-open).
                                 */
                                until: string | null;
                                /** @description Failed attempts in a row (a delivered one resets it). */
                                consecutive_failures: number;
                            };
                            /**
                             * Format: date-time
                             * @description Until when the secret replaced by the last rotation still signs deliveries, beside the new one.
                             */
                            previous_secret_until: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/v1/webhooks/{id}/rotate-secret/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Replace the signing secret (organization admins)
         * @description The new secret is in this answer only; deliveries from now on are signed with it and, for 24 hours, with the replaced secret too, in the header X-Fleetflash-Signature-Previous (`previous_secret_until`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            id: string;
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            organization: string;
                            /** @description In full for admins of its organization and superusers; for operators only scheme and host, `https://receiver.example.com/…` (the path or query can be the receiver's credential). */
                            url: string;
                            description: string;
                            events: ("batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed")[];
                            /** @description Inactive webhooks get no deliveries; those pending end `cancelled` (a test still goes out). */
                            active: boolean;
                            /** WebhookCircuit */
                            circuit: {
                                /**
                                 * WebhookCircuitState
                                 * @description closed: deliveries are tried; open: none is tried until `until` (they wait, their attempts unused); half-open: the cool-down is over and the next attempt decides.
                                 * @enum {string}
                                 */
                                state: "closed" | "open" | "half-open";
                                /**
                                 * Format: date-time
                                 * @description End of the cool-down (open or half-open).
                                 */
                                until: string | null;
                                /** @description Failed attempts in a row (a delivered one resets it). */
                                consecutive_failures: number;
                            };
                            /**
                             * Format: date-time
                             * @description Until when the secret replaced by the last rotation still signs deliveries, beside the new one.
                             */
                            previous_secret_until: string | null;
                            /** Format: date-time */
                            created: string;
                            /** Format: date-time */
                            modified: string;
                            /** @description The signing secret: shown in this answer only. Store it with the receiver. */
                            secret: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/test/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a test event (organization admins)
         * @description Queues a `test` delivery to this webhook, sent, signed and retried like any other; follow it in the delivery log.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * Format: uuid
                             * @description UUID
                             */
                            delivery: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A webhook's delivery log
         * @description Newest first, each with every attempt: when, how long, the status code or error.
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                };
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                notification: string;
                                /**
                                 * DeliveredEvent
                                 * @description A notification event, or `test` (sent by "send test").
                                 * @enum {string}
                                 */
                                event: "batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed" | "test";
                                /**
                                 * DeliveryChannel
                                 * @enum {string}
                                 */
                                channel: "webhook" | "email";
                                /** @description The URL posted to, redacted for operators as the webhook's `url`. */
                                target: string;
                                /**
                                 * DeliveryStatus
                                 * @description pending (waiting for its first or next attempt), delivered, failed (attempts used up), or cancelled (ended without a post: its webhook was deactivated, `last_error` says so).
                                 * @enum {string}
                                 */
                                status: "pending" | "delivered" | "failed" | "cancelled";
                                attempts: number;
                                /**
                                 * Format: date-time
                                 * @description When a pending delivery is tried next.
                                 */
                                next_attempt_at: string | null;
                                last_status_code: number | null;
                                last_error: string | null;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                finished_at: string | null;
                                attempt_log: {
                                    attempt: number;
                                    /** Format: date-time */
                                    started_at: string;
                                    duration_ms: number;
                                    /** @description The receiver's HTTP status, if it answered. */
                                    status_code: number | null;
                                    /** @description What went wrong, in our words (timeout, refused, TLS, HTTP status): never what the receiver answered. */
                                    error: string | null;
                                    delivered: boolean;
                                    /** @description Host (and port) of the webhook's URL at this attempt; null for email or nothing to post to. */
                                    host: string | null;
                                }[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Your notifications
         * @description Newest first; `unread` is how many of all of yours are unread (the bell).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Page number, from 1. */
                    page?: number;
                    /** @description Results per page (max 100). */
                    page_size?: number;
                    /** @description Only unread notifications. */
                    unread?: boolean;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description Total number of results across all pages. */
                            count: number;
                            /** @description URL of the next page, or null. */
                            next: string | null;
                            /** @description URL of the previous page, or null. */
                            previous: string | null;
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * DeliveredEvent
                                 * @description A notification event, or `test` (sent by "send test").
                                 * @enum {string}
                                 */
                                event: "batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed" | "test";
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                organization: string | null;
                                title: string;
                                detail: string;
                                /** @description Path of the UI page about it, e.g. /batches/<id>. */
                                link: string | null;
                                data: {
                                    [key: string]: unknown;
                                };
                                /** Format: date-time */
                                occurred_at: string;
                                /** Format: date-time */
                                read_at: string | null;
                            }[];
                            unread: number;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/{id}/read/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark one of your notifications read */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/read-all/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark all your notifications read */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            marked: number;
                            unread: number;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/notifications/email-preferences/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Which events you receive by email */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description False when no SMTP server is set: no email goes out. */
                            email_available: boolean;
                            /** @description Your address (change it on your user); empty: no email can reach you. */
                            email: string;
                            subscriptions: {
                                /**
                                 * Format: uuid
                                 * @description null: every organization you can see.
                                 */
                                organization: string | null;
                                events: ("batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed")[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        /**
         * Choose which events you receive by email
         * @description Replaces your choices: per organization, or for every organization you can see (`organization`: null). Default: none. Emails go out only when an SMTP server is set (settings `email.*`).
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        subscriptions: {
                            /**
                             * Format: uuid
                             * @description null: every organization you can see.
                             */
                            organization: string | null;
                            events: ("batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed")[];
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description False when no SMTP server is set: no email goes out. */
                            email_available: boolean;
                            /** @description Your address (change it on your user); empty: no email can reach you. */
                            email: string;
                            subscriptions: {
                                /**
                                 * Format: uuid
                                 * @description null: every organization you can see.
                                 */
                                organization: string | null;
                                events: ("batch.paused" | "batch.finished" | "batch.failed" | "batch.cancelled" | "operation.failed" | "batch.operations_failed" | "build.failed")[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/agent-token/rotate/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the device token of the device's pull agent
         * @description The agent receives the new token with its next answer and uses it from then on; the old token works until the new one is first used. The token itself is never shown.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description First characters of the active token (ffa_…). */
                            prefix: string | null;
                            /** Format: date-time */
                            created: string | null;
                            /** Format: date-time */
                            last_used_at: string | null;
                            /** @description A new token waits for the agent to take it at its next request. */
                            rotation_pending: boolean;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/agent-token/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke the device tokens of the device's pull agent
         * @description Every token of the device stops working at once (401); the agent must be enrolled again.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/devices/{id}/manage-over-ssh/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Manage an agent device over SSH again
         * @description Hands a device managed by its pull agent back to SSH management: every device token is revoked (the agent's next request gets 401) and upgrades connect over SSH again, which needs credentials and an address. 409 UpgradeAlreadyRunning while an operation of the device is pending or running; 409 AgentNotEnrolled for a device managed over SSH already. A device becomes agent-managed again only by enrolling its agent. Audit-logged as device.managed_over_ssh.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description No content */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/build": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Request a custom image (or get the cached one)
         * @description Answers 200 with the result when a build of the same canonical request exists, 202 while queued (`queue_position`, `estimated_wait_seconds`) or building (`imagebuilder_status`), 500 with `error_code` when it failed. Headers `X-Imagebuilder-Status` and `X-Queue-Position`. Poll `GET /api/v1/build/{request_hash}` (or follow `/api/v1/events/?build=<hash>`).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description OpenWrt version, e.g. 23.05.3 or SNAPSHOT. */
                        version: string;
                        /** @description Target/subtarget, e.g. ath79/generic. */
                        target: string;
                        /** @description Profile id or a board name (`tplink,archer-c7-v2`); commas become underscores and aliases resolve to the profile id. */
                        profile: string;
                        /** @default openwrt */
                        distro?: string;
                        /** @description Revision the ImageBuilder must have (e.g. r23809-234f1a2efa); the build fails otherwise. */
                        version_code?: string;
                        /** @description Packages to add; `-name` removes one. */
                        packages?: string[];
                        /** @description Package → exact version; when not empty its names replace `packages`, and the manifest must have these versions. */
                        packages_versions?: {
                            [key: string]: string;
                        };
                        /**
                         * @description true: the package list is complete; default and profile packages not listed are removed.
                         * @default false
                         */
                        diff_packages?: boolean;
                        /** @description A first-boot uci-defaults script. Never echoed back; see docs/api.md. */
                        defaults?: string | null;
                        rootfs_size_mb?: number | null;
                        /** @description Root filesystem; the profile's default when null. */
                        filesystem?: "squashfs" | "ext4" | "ubifs" | "erofs" | "jffs2" | "jffs2-nand" | "targz" | "cpiogz" | (never | null);
                        repositories?: {
                            [key: string]: string;
                        };
                        /** @default replace */
                        repositories_mode?: "append" | "replace";
                        repository_keys?: string[];
                        /** @description Client name/version, for statistics. */
                        client?: string | null;
                    } & {
                        [key: string]: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The HTTP status: 200 done, 202 queued or building, 500 failed. */
                            status: number;
                            /** @description queued, started, done, or "Error: <what>". */
                            detail: string;
                            request_hash: string;
                            /** Format: date-time */
                            enqueued_at: string;
                            /** @description The canonical build request. */
                            request: {
                                [key: string]: unknown;
                            };
                            /** @description The stage: queued, init, container_setup, validate_revision, validate_manifest, building_image, done, failed. */
                            imagebuilder_status?: string;
                            queue_position?: number;
                            estimated_wait_seconds?: number | null;
                            /** @description Why the previous attempt failed (an infrastructure failure retried). */
                            last_attempt?: string;
                            stdout?: string;
                            stderr?: string;
                            /** @description Download the images from /store/<bin_dir>/<name>. */
                            bin_dir?: string;
                            images?: ({
                                name: string;
                                type?: string;
                                filesystem?: string;
                                sha256?: string;
                                sha256_unsigned?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            titles?: ({
                                title?: string;
                                vendor?: string;
                                model?: string;
                                variant?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            /** @description The profile built. */
                            id?: string;
                            target?: string;
                            version_number?: string;
                            version_code?: string;
                            build_at?: string;
                            /** @description Installed packages and their versions. */
                            manifest?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            expires_at?: string | null;
                            /** @description See "Build error codes" in docs/api.md. */
                            error_code?: string | null;
                            /** @description request (the request cannot build) or infrastructure (retried). */
                            error_kind?: string | null;
                            missing_packages?: string[];
                            conflicting_packages?: string[];
                            retried?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The HTTP status: 200 done, 202 queued or building, 500 failed. */
                            status: number;
                            /** @description queued, started, done, or "Error: <what>". */
                            detail: string;
                            request_hash: string;
                            /** Format: date-time */
                            enqueued_at: string;
                            /** @description The canonical build request. */
                            request: {
                                [key: string]: unknown;
                            };
                            /** @description The stage: queued, init, container_setup, validate_revision, validate_manifest, building_image, done, failed. */
                            imagebuilder_status?: string;
                            queue_position?: number;
                            estimated_wait_seconds?: number | null;
                            /** @description Why the previous attempt failed (an infrastructure failure retried). */
                            last_attempt?: string;
                            stdout?: string;
                            stderr?: string;
                            /** @description Download the images from /store/<bin_dir>/<name>. */
                            bin_dir?: string;
                            images?: ({
                                name: string;
                                type?: string;
                                filesystem?: string;
                                sha256?: string;
                                sha256_unsigned?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            titles?: ({
                                title?: string;
                                vendor?: string;
                                model?: string;
                                variant?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            /** @description The profile built. */
                            id?: string;
                            target?: string;
                            version_number?: string;
                            version_code?: string;
                            build_at?: string;
                            /** @description Installed packages and their versions. */
                            manifest?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            expires_at?: string | null;
                            /** @description See "Build error codes" in docs/api.md. */
                            error_code?: string | null;
                            /** @description request (the request cannot build) or infrastructure (retried). */
                            error_kind?: string | null;
                            missing_packages?: string[];
                            conflicting_packages?: string[];
                            retried?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": ({
                            /** @description The HTTP status: 200 done, 202 queued or building, 500 failed. */
                            status: number;
                            /** @description queued, started, done, or "Error: <what>". */
                            detail: string;
                            request_hash: string;
                            /** Format: date-time */
                            enqueued_at: string;
                            /** @description The canonical build request. */
                            request: {
                                [key: string]: unknown;
                            };
                            /** @description The stage: queued, init, container_setup, validate_revision, validate_manifest, building_image, done, failed. */
                            imagebuilder_status?: string;
                            queue_position?: number;
                            estimated_wait_seconds?: number | null;
                            /** @description Why the previous attempt failed (an infrastructure failure retried). */
                            last_attempt?: string;
                            stdout?: string;
                            stderr?: string;
                            /** @description Download the images from /store/<bin_dir>/<name>. */
                            bin_dir?: string;
                            images?: ({
                                name: string;
                                type?: string;
                                filesystem?: string;
                                sha256?: string;
                                sha256_unsigned?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            titles?: ({
                                title?: string;
                                vendor?: string;
                                model?: string;
                                variant?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            /** @description The profile built. */
                            id?: string;
                            target?: string;
                            version_number?: string;
                            version_code?: string;
                            build_at?: string;
                            /** @description Installed packages and their versions. */
                            manifest?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            expires_at?: string | null;
                            /** @description See "Build error codes" in docs/api.md. */
                            error_code?: string | null;
                            /** @description request (the request cannot build) or infrastructure (retried). */
                            error_kind?: string | null;
                            missing_packages?: string[];
                            conflicting_packages?: string[];
                            retried?: string;
                        } & {
                            [key: string]: unknown;
                        }) | ({
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        });
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                529: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/build/{request_hash}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** State of a build (HEAD: the same status and headers, no body) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    request_hash: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The HTTP status: 200 done, 202 queued or building, 500 failed. */
                            status: number;
                            /** @description queued, started, done, or "Error: <what>". */
                            detail: string;
                            request_hash: string;
                            /** Format: date-time */
                            enqueued_at: string;
                            /** @description The canonical build request. */
                            request: {
                                [key: string]: unknown;
                            };
                            /** @description The stage: queued, init, container_setup, validate_revision, validate_manifest, building_image, done, failed. */
                            imagebuilder_status?: string;
                            queue_position?: number;
                            estimated_wait_seconds?: number | null;
                            /** @description Why the previous attempt failed (an infrastructure failure retried). */
                            last_attempt?: string;
                            stdout?: string;
                            stderr?: string;
                            /** @description Download the images from /store/<bin_dir>/<name>. */
                            bin_dir?: string;
                            images?: ({
                                name: string;
                                type?: string;
                                filesystem?: string;
                                sha256?: string;
                                sha256_unsigned?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            titles?: ({
                                title?: string;
                                vendor?: string;
                                model?: string;
                                variant?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            /** @description The profile built. */
                            id?: string;
                            target?: string;
                            version_number?: string;
                            version_code?: string;
                            build_at?: string;
                            /** @description Installed packages and their versions. */
                            manifest?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            expires_at?: string | null;
                            /** @description See "Build error codes" in docs/api.md. */
                            error_code?: string | null;
                            /** @description request (the request cannot build) or infrastructure (retried). */
                            error_kind?: string | null;
                            missing_packages?: string[];
                            conflicting_packages?: string[];
                            retried?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The HTTP status: 200 done, 202 queued or building, 500 failed. */
                            status: number;
                            /** @description queued, started, done, or "Error: <what>". */
                            detail: string;
                            request_hash: string;
                            /** Format: date-time */
                            enqueued_at: string;
                            /** @description The canonical build request. */
                            request: {
                                [key: string]: unknown;
                            };
                            /** @description The stage: queued, init, container_setup, validate_revision, validate_manifest, building_image, done, failed. */
                            imagebuilder_status?: string;
                            queue_position?: number;
                            estimated_wait_seconds?: number | null;
                            /** @description Why the previous attempt failed (an infrastructure failure retried). */
                            last_attempt?: string;
                            stdout?: string;
                            stderr?: string;
                            /** @description Download the images from /store/<bin_dir>/<name>. */
                            bin_dir?: string;
                            images?: ({
                                name: string;
                                type?: string;
                                filesystem?: string;
                                sha256?: string;
                                sha256_unsigned?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            titles?: ({
                                title?: string;
                                vendor?: string;
                                model?: string;
                                variant?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            /** @description The profile built. */
                            id?: string;
                            target?: string;
                            version_number?: string;
                            version_code?: string;
                            build_at?: string;
                            /** @description Installed packages and their versions. */
                            manifest?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            expires_at?: string | null;
                            /** @description See "Build error codes" in docs/api.md. */
                            error_code?: string | null;
                            /** @description request (the request cannot build) or infrastructure (retried). */
                            error_kind?: string | null;
                            missing_packages?: string[];
                            conflicting_packages?: string[];
                            retried?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": ({
                            /** @description The HTTP status: 200 done, 202 queued or building, 500 failed. */
                            status: number;
                            /** @description queued, started, done, or "Error: <what>". */
                            detail: string;
                            request_hash: string;
                            /** Format: date-time */
                            enqueued_at: string;
                            /** @description The canonical build request. */
                            request: {
                                [key: string]: unknown;
                            };
                            /** @description The stage: queued, init, container_setup, validate_revision, validate_manifest, building_image, done, failed. */
                            imagebuilder_status?: string;
                            queue_position?: number;
                            estimated_wait_seconds?: number | null;
                            /** @description Why the previous attempt failed (an infrastructure failure retried). */
                            last_attempt?: string;
                            stdout?: string;
                            stderr?: string;
                            /** @description Download the images from /store/<bin_dir>/<name>. */
                            bin_dir?: string;
                            images?: ({
                                name: string;
                                type?: string;
                                filesystem?: string;
                                sha256?: string;
                                sha256_unsigned?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            titles?: ({
                                title?: string;
                                vendor?: string;
                                model?: string;
                                variant?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            /** @description The profile built. */
                            id?: string;
                            target?: string;
                            version_number?: string;
                            version_code?: string;
                            build_at?: string;
                            /** @description Installed packages and their versions. */
                            manifest?: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            expires_at?: string | null;
                            /** @description See "Build error codes" in docs/api.md. */
                            error_code?: string | null;
                            /** @description request (the request cannot build) or infrastructure (retried). */
                            error_kind?: string | null;
                            missing_packages?: string[];
                            conflicting_packages?: string[];
                            retried?: string;
                        } & {
                            [key: string]: unknown;
                        }) | ({
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        });
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Drop a cached result (superusers): the next identical request builds again */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    request_hash: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/revision/{version}/{target}/{subtarget}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Revision (version_code) of a version/target upstream */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    version: string;
                    target: string;
                    subtarget: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            revision: string;
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/profiles/{version}/{target}/{subtarget}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Profiles of a version/target, for choosing a model (not in ASU) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    version: string;
                    target: string;
                    subtarget: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            version_code: string;
                            arch_packages: string;
                            default_packages: string[];
                            profiles: {
                                id: string;
                                title: string;
                                supported_devices: string[];
                                device_packages: string[];
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/json/v1/overview.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Versions, branches, targets and server limits */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            latest: string[];
                            branches: {
                                [key: string]: {
                                    name: string;
                                    enabled: boolean;
                                    snapshot: boolean;
                                    path: string;
                                    path_packages: string;
                                    branch_off_rev?: number;
                                    git_branch: string;
                                    package_changes: ({
                                        source?: string;
                                        target?: string;
                                        revision: number;
                                        mandatory?: boolean;
                                    } & {
                                        [key: string]: unknown;
                                    })[];
                                    /** @description Newest first. */
                                    versions: string[];
                                    /** @description Targets (ath79/generic) and their package architecture. */
                                    targets: {
                                        [key: string]: string;
                                    };
                                } & {
                                    [key: string]: unknown;
                                };
                            };
                            upstream_url: string;
                            server: {
                                [key: string]: unknown;
                            };
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/json/v1/branches.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Branches with versions, targets and package changes */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": ({
                            name: string;
                            enabled: boolean;
                            snapshot: boolean;
                            path: string;
                            path_packages: string;
                            branch_off_rev?: number;
                            git_branch: string;
                            package_changes: ({
                                source?: string;
                                target?: string;
                                revision: number;
                                mandatory?: boolean;
                            } & {
                                [key: string]: unknown;
                            })[];
                            /** @description Newest first. */
                            versions: string[];
                            /** @description Targets (ath79/generic) and their package architecture. */
                            targets: {
                                [key: string]: string;
                            };
                        } & {
                            [key: string]: unknown;
                        })[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/json/v1/latest.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Latest releases */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            latest: string[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/json/v1/releases/{version}/targets/{target}/{subtarget}/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per-profile metadata, or the target package index
         * @description `{profile}.json`: upstream profiles.json with the profile's entry merged in (`id`, `build_at`; aliases resolve); `index.json`: `{architecture, packages}` of the target (kmods included).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    version: string;
                    target: string;
                    subtarget: string;
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            architecture?: string;
                            packages?: {
                                [key: string]: string;
                            };
                            id?: string;
                            target?: string;
                            arch_packages?: string;
                            version_code?: string;
                            version_number?: string;
                            build_at?: string;
                            images?: ({
                                name: string;
                                type?: string;
                                filesystem?: string;
                                sha256?: string;
                                sha256_unsigned?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            titles?: ({
                                title?: string;
                                vendor?: string;
                                model?: string;
                                variant?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            supported_devices?: string[];
                            device_packages?: string[];
                            default_packages?: string[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/json/v1/snapshots/targets/{target}/{subtarget}/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per-profile metadata, or the target package index (snapshots)
         * @description `{profile}.json`: upstream profiles.json with the profile's entry merged in (`id`, `build_at`; aliases resolve); `index.json`: `{architecture, packages}` of the target (kmods included).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    target: string;
                    subtarget: string;
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            architecture?: string;
                            packages?: {
                                [key: string]: string;
                            };
                            id?: string;
                            target?: string;
                            arch_packages?: string;
                            version_code?: string;
                            version_number?: string;
                            build_at?: string;
                            images?: ({
                                name: string;
                                type?: string;
                                filesystem?: string;
                                sha256?: string;
                                sha256_unsigned?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            titles?: ({
                                title?: string;
                                vendor?: string;
                                model?: string;
                                variant?: string;
                            } & {
                                [key: string]: unknown;
                            })[];
                            supported_devices?: string[];
                            device_packages?: string[];
                            default_packages?: string[];
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/json/v1/releases/{version}/packages/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Packages of an architecture (`{arch}-index.json`), every configured feed merged */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    version: string;
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/json/v1/snapshots/packages/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Packages of an architecture (snapshots) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: string;
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stats": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Queue length */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            queue_length: number;
                            building: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stats/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Requests, cache hits and misses, successes and failures */
        get: {
            parameters: {
                query?: {
                    days?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            queue_length: number;
                            building: number;
                            builds_24h: number;
                            days: number;
                            requests: number;
                            cache_hits: number;
                            cache_misses: number;
                            successes: number;
                            failures: number;
                            clients: {
                                client: string;
                                count: number;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/stats/builds": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Successes and failures per version, target and profile */
        get: {
            parameters: {
                query?: {
                    days?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            builds: {
                                version: string;
                                target: string;
                                profile: string;
                                successes: number;
                                failures: number;
                                mean_duration_ms: number | null;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/builds-per-day": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Requests, cache hits and failures per day (30 days) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            labels: string[];
                            datasets: {
                                label: string;
                                data: number[];
                                color: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/builds-by-version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Successful builds per week (26 weeks), per branch, or per version of one branch */
        get: {
            parameters: {
                query?: {
                    branch?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description The first day of each week (26 weeks). */
                            labels: string[];
                            datasets: {
                                label: string;
                                data: number[];
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/top-packages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Packages most often added to images (30 days) */
        get: {
            parameters: {
                query?: {
                    branch?: string;
                    n?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            packages: {
                                name: string;
                                count: number;
                            }[];
                            branch: string | null;
                            days: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/build-errors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent build failures (text) */
        get: {
            parameters: {
                query?: {
                    n?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description text/plain */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/store/{bin_dir}/{file}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Download a built file */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    bin_dir: string;
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The file (application/octet-stream) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        /** Download a built file */
        head: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    bin_dir: string;
                    file: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The file (application/octet-stream) */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": string;
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            status: number;
                            /** @description What went wrong (a string), or for 422 a list of {type, loc, msg}. */
                            detail: unknown;
                            code?: string;
                            title?: string;
                            retry_after?: number;
                            /** @description The request field a refusal is about (`version`, `profile`, `packages`, …). */
                            field?: string;
                        } & {
                            [key: string]: unknown;
                        };
                    };
                };
            };
        };
        patch?: never;
        trace?: never;
    };
    "/api/v1/firmware/build/{id}/custom-images/": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Custom images requested for this build and their state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            results: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                build: string;
                                /** @description The image build: GET /api/v1/build/{request_hash}, or follow /api/v1/events/?build=… */
                                request_hash: string;
                                target: string;
                                profile: string;
                                /** @description Board names of the fleet devices this image is for (empty for explicit profiles). */
                                boards: string[];
                                status: "building" | "attached" | "failed";
                                /**
                                 * Format: uuid
                                 * @description The firmware image added to the build, once attached.
                                 */
                                image: string | null;
                                /** @description Why it failed. */
                                detail: string;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * Build custom images for the fleet's models and attach them to this build
         * @description One image build per model (board) present in the fleet for the build's category, or per given profile, with the package list. Cached builds attach at once; the others when they finish. Each finished sysupgrade image becomes an image of this build, ready for mass upgrades.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description UUID */
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Packages to add; `-name` removes one. */
                        packages?: string[];
                        /** @description OpenWrt version to build; the firmware build's version by default. */
                        openwrt_version?: string;
                        /**
                         * @description true: the package list is complete; default and profile packages not listed are removed.
                         * @default false
                         */
                        diff_packages?: boolean;
                        /** @description A first-boot uci-defaults script. Never echoed back; see docs/api.md. */
                        defaults?: string | null;
                        rootfs_size_mb?: number | null;
                        /** @description Root filesystem; the profile's default when null. */
                        filesystem?: "squashfs" | "ext4" | "ubifs" | "erofs" | "jffs2" | "jffs2-nand" | "targz" | "cpiogz" | (never | null);
                        /** @description Models to build for; by default every model in the fleet that runs a build of this category. */
                        profiles?: {
                            /** @description Target/subtarget, e.g. ath79/generic. */
                            target: string;
                            /** @description Profile id or a board name (`tplink,archer-c7-v2`); commas become underscores and aliases resolve to the profile id. */
                            profile: string;
                        }[];
                        /**
                         * @description true: the first-boot script installs the pull agent and enrolls the router with the build's organization (routers flashed with -n, or fresh from the box, come back under management); the admin's `defaults` run after it. Needs `registration_secret`. See docs/agent-images.md.
                         * @default false
                         */
                        embed_agent?: boolean;
                        /** @description The organization's current registration secret, with embed_agent (the server keeps only its hash). Written into the image, never echoed. */
                        registration_secret?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            requested: {
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                id: string;
                                /**
                                 * Format: uuid
                                 * @description UUID
                                 */
                                build: string;
                                /** @description The image build: GET /api/v1/build/{request_hash}, or follow /api/v1/events/?build=… */
                                request_hash: string;
                                target: string;
                                profile: string;
                                /** @description Board names of the fleet devices this image is for (empty for explicit profiles). */
                                boards: string[];
                                status: "building" | "attached" | "failed";
                                /**
                                 * Format: uuid
                                 * @description The firmware image added to the build, once attached.
                                 */
                                image: string | null;
                                /** @description Why it failed. */
                                detail: string;
                                /** Format: date-time */
                                created: string;
                                /** Format: date-time */
                                modified: string;
                            }[];
                            skipped: {
                                target: string | null;
                                board: string | null;
                                profile: string | null;
                                devices: number;
                                reason: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What went wrong and how to fix it. */
                            detail: string;
                            /** @description Stable machine-readable error code (see docs/api.md). */
                            code: string;
                            /** @description Message per offending field. */
                            fields?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
