-- Access changes tell every process at once: open live-event streams re-check their caller when
-- a credential, a user, a membership or an organization changes. The NOTIFY is sent by triggers,
-- so it is part of the very transaction that makes the change (delivered on commit, never for a
-- rolled-back change), whichever code path or process made it.
--
-- Channel `fleetflash_access`; payload: the id of the user whose access changed, or `*` when
-- many users may be concerned (an organization was deactivated or reactivated).

CREATE FUNCTION fleetflash_notify_access_of_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Identical notifications within one transaction are folded into one by PostgreSQL, so a bulk
  -- delete (the expired-session purge) sends one per user.
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('fleetflash_access', OLD.user_id::text);
  ELSE
    PERFORM pg_notify('fleetflash_access', NEW.user_id::text);
    IF TG_OP = 'UPDATE' AND OLD.user_id IS DISTINCT FROM NEW.user_id THEN
      PERFORM pg_notify('fleetflash_access', OLD.user_id::text);
    END IF;
  END IF;
  RETURN NULL;
END $$;

-- A token revoked or its expiry changed (using a token only touches last_used_at: no notice).
CREATE TRIGGER api_tokens_notify_access AFTER DELETE OR UPDATE OF expires_at, user_id ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION fleetflash_notify_access_of_user();

-- A session ended (logout, password change, deactivation, purge of expired sessions).
CREATE TRIGGER sessions_notify_access AFTER DELETE OR UPDATE OF expires_at, user_id ON sessions
  FOR EACH ROW EXECUTE FUNCTION fleetflash_notify_access_of_user();

-- A membership added, removed or its role changed.
CREATE TRIGGER memberships_notify_access AFTER INSERT OR DELETE OR UPDATE ON memberships
  FOR EACH ROW EXECUTE FUNCTION fleetflash_notify_access_of_user();

CREATE FUNCTION fleetflash_notify_access_of_users_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('fleetflash_access', OLD.id::text);
  ELSIF OLD.is_active IS DISTINCT FROM NEW.is_active OR OLD.is_superuser IS DISTINCT FROM NEW.is_superuser THEN
    PERFORM pg_notify('fleetflash_access', NEW.id::text);
  END IF;
  RETURN NULL;
END $$;

-- A user deactivated, deleted, or made or unmade superuser.
CREATE TRIGGER users_notify_access AFTER DELETE OR UPDATE OF is_active, is_superuser ON users
  FOR EACH ROW EXECUTE FUNCTION fleetflash_notify_access_of_users_row();

CREATE FUNCTION fleetflash_notify_access_of_everyone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.is_active IS DISTINCT FROM NEW.is_active THEN
    PERFORM pg_notify('fleetflash_access', '*');
  END IF;
  RETURN NULL;
END $$;

-- An organization deactivated (its members lose it) or deleted.
CREATE TRIGGER organizations_notify_access AFTER DELETE OR UPDATE OF is_active ON organizations
  FOR EACH ROW EXECUTE FUNCTION fleetflash_notify_access_of_everyone();
