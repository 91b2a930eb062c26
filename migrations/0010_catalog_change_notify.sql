-- Catalog changes tell every API process at once: each process remembers the build lists it
-- answered (counts and whole pages, src/platform/catalog-cache.ts) and forgets them when a table
-- those lists read changes. The NOTIFY is sent by statement triggers, so it is part of the very
-- transaction that makes the change (delivered on commit, never for a rolled-back change), whichever
-- code path, process or tool made it, and one statement touching many rows sends one notification.
--
-- Channel `fleetflash_catalog`; payload: the name of the table that changed. PostgreSQL folds
-- identical notifications of one transaction into one.

CREATE FUNCTION fleetflash_notify_catalog() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('fleetflash_catalog', TG_TABLE_NAME);
  RETURN NULL;
END $$;

-- Builds: what the list shows, and which organization each belongs to.
CREATE TRIGGER firmware_builds_notify_catalog AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON firmware_builds
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_notify_catalog();

-- Categories: their names are in every listed build, and their organization decides who sees it.
CREATE TRIGGER firmware_categories_notify_catalog
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON firmware_categories
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_notify_catalog();

-- Organizations: the lists' `organization` filter names an organization by its slug.
CREATE TRIGGER organizations_notify_catalog AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON organizations
  FOR EACH STATEMENT EXECUTE FUNCTION fleetflash_notify_catalog();
