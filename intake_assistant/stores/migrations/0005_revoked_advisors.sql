-- Revoking an advisor (store revoke-advisor, as the schema's owner) and seeing who the team's
-- advisors are (store list-advisors), without a token or its hash ever shown.
--
-- * Each transaction of the app asks require_advisor() first: a revoked (or unknown) token is
--   refused there with SQLSTATE 28000, so a terminal that is open when its advisor is revoked
--   is told at its next store call instead of finding its team empty. The same call records
--   when the advisor was last seen (to the minute, never waiting on a lock).
-- * A revoked advisor's name is free again: the administrator gives the person a new token
--   under the same name (the revoked row stays, so provenance and the access log still name
--   it). Among the advisors not revoked a team's names stay unique.
-- * The access log gets 'revoke' lines, written by the schema's owner (advisor NULL: the
--   administrator). The log's policies are forced on the owner too: a policy of its own lets
--   the owner (a member of the schema's owning role) add that line and nothing else.

ALTER TABLE intake_store.advisors ADD COLUMN last_seen_at timestamptz;
ALTER TABLE intake_store.advisors DROP CONSTRAINT advisors_team_id_name_key;
CREATE UNIQUE INDEX advisors_active_name ON intake_store.advisors (team_id, name)
    WHERE revoked_at IS NULL;

CREATE FUNCTION intake_store.require_advisor() RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    advisor bigint := intake_store.current_advisor();
BEGIN
    IF advisor IS NULL THEN
        RAISE EXCEPTION 'the advisor token is revoked or not valid for this store'
            USING ERRCODE = '28000';
    END IF;
    UPDATE intake_store.advisors SET last_seen_at = now()
    WHERE id = (SELECT a.id FROM intake_store.advisors a
                WHERE a.id = advisor
                  AND (a.last_seen_at IS NULL OR a.last_seen_at < now() - interval '1 minute')
                FOR UPDATE SKIP LOCKED);
END $$;

REVOKE ALL ON FUNCTION intake_store.require_advisor() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake_store.require_advisor() TO intake_assistant_app;

ALTER TABLE intake_store.access_log DROP CONSTRAINT access_log_action_check;
ALTER TABLE intake_store.access_log ADD CONSTRAINT access_log_action_check
    CHECK (action IN ('open', 'import', 'copy', 'export', 'reassign', 'delete', 'purge',
                      'erase', 'revoke'));

CREATE POLICY administrator_revokes ON intake_store.access_log FOR INSERT
    WITH CHECK (action = 'revoke' AND advisor_id IS NULL
                AND pg_has_role(current_user, (SELECT n.nspowner FROM pg_catalog.pg_namespace n
                                               WHERE n.nspname = 'intake_store'), 'MEMBER'));
