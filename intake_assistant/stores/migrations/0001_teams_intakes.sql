-- The team store: teams, their advisors, their intakes, kept states and the access log.
--
-- Every table an advisor's connection touches has row-level security: a row is visible only
-- to the team of the advisor whose token hash the transaction set (intake_store.token_hash).
-- The app works as the role intake_assistant_app, which owns nothing (so the policies apply to
-- it) and cannot read the advisors' token hashes: it learns who it is through the functions
-- below, which run as the owner.

CREATE TABLE intake_store.teams (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
    -- how long an intake is kept after its last change (store purge); NULL: no limit set
    retention_days integer CHECK (retention_days BETWEEN 1 AND 36500),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE intake_store.advisors (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id bigint NOT NULL REFERENCES intake_store.teams (id),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- SHA-256 of the token (256 random bits: a slow hash would add nothing but latency)
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    UNIQUE (team_id, name)
);

-- The advisor of this transaction: the one whose token hash it set, not revoked.
CREATE FUNCTION intake_store.current_advisor() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.id FROM intake_store.advisors a
    WHERE a.revoked_at IS NULL
      AND current_setting('intake_store.token_hash', true) ~ '^[0-9a-f]{64}$'
      AND a.token_hash = decode(current_setting('intake_store.token_hash', true), 'hex')
$$;

CREATE FUNCTION intake_store.current_team() RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.team_id FROM intake_store.advisors a WHERE a.id = intake_store.current_advisor()
$$;

-- Who the transaction's advisor is (nothing for a wrong, revoked or missing token).
CREATE FUNCTION intake_store.whoami()
    RETURNS TABLE (advisor_id bigint, advisor_name text, team_id bigint, team_name text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.id, a.name, t.id, t.name
    FROM intake_store.advisors a JOIN intake_store.teams t ON t.id = a.team_id
    WHERE a.id = intake_store.current_advisor()
$$;

-- The names of one's own team (provenance and "changed by" name a person).
CREATE VIEW intake_store.colleagues WITH (security_barrier) AS
    SELECT a.id, a.name FROM intake_store.advisors a
    WHERE a.team_id = (SELECT intake_store.current_team());

CREATE TABLE intake_store.intakes (
    team_id bigint NOT NULL DEFAULT intake_store.current_team()
        REFERENCES intake_store.teams (id),
    id text NOT NULL CHECK (id ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$'),
    revision integer NOT NULL CHECK (revision >= 1),
    meta jsonb NOT NULL CHECK (jsonb_typeof(meta) = 'object'),
    state jsonb NOT NULL CHECK (jsonb_typeof(state) = 'object'),
    -- the save format of the state (storage.SAVE_VERSION): a newer version's intake is left
    format_version integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by bigint REFERENCES intake_store.advisors (id),
    PRIMARY KEY (team_id, id),
    -- what a save may weigh (storage.MAX_SAVE_BYTES), whoever writes it
    CHECK (octet_length(state::text) + octet_length(meta::text) <= 5000000)
);

CREATE TABLE intake_store.kept_states (
    team_id bigint NOT NULL DEFAULT intake_store.current_team(),
    intake_id text NOT NULL,
    revision integer NOT NULL,
    meta jsonb NOT NULL,
    state jsonb NOT NULL,
    format_version integer NOT NULL DEFAULT 1,
    kept_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, intake_id, revision),
    FOREIGN KEY (team_id, intake_id) REFERENCES intake_store.intakes (team_id, id)
        ON DELETE CASCADE
);

-- Opens, exports, reassignments, deletions: appended by the app, never changed by it. The
-- intake's id is not a reference: the line outlives the intake.
CREATE TABLE intake_store.access_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id bigint NOT NULL DEFAULT intake_store.current_team()
        REFERENCES intake_store.teams (id),
    advisor_id bigint DEFAULT intake_store.current_advisor()
        REFERENCES intake_store.advisors (id),
    at timestamptz NOT NULL DEFAULT now(),
    action text NOT NULL CHECK (action IN ('open', 'import', 'copy', 'export', 'reassign',
                                           'delete', 'purge', 'erase')),
    intake_id text,
    detail jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(detail) = 'object')
);
CREATE INDEX access_log_intake ON intake_store.access_log (team_id, intake_id);

ALTER TABLE intake_store.intakes ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_store.intakes FORCE ROW LEVEL SECURITY;
CREATE POLICY own_team ON intake_store.intakes
    USING (team_id = (SELECT intake_store.current_team()))
    WITH CHECK (team_id = (SELECT intake_store.current_team()));

ALTER TABLE intake_store.kept_states ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_store.kept_states FORCE ROW LEVEL SECURITY;
CREATE POLICY own_team ON intake_store.kept_states
    USING (team_id = (SELECT intake_store.current_team()))
    WITH CHECK (team_id = (SELECT intake_store.current_team()));

ALTER TABLE intake_store.access_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE intake_store.access_log FORCE ROW LEVEL SECURITY;
CREATE POLICY own_team ON intake_store.access_log
    USING (team_id = (SELECT intake_store.current_team()))
    WITH CHECK (team_id = (SELECT intake_store.current_team())
                AND advisor_id IS NOT DISTINCT FROM (SELECT intake_store.current_advisor()));

REVOKE ALL ON ALL TABLES IN SCHEMA intake_store FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA intake_store FROM PUBLIC;
GRANT USAGE ON SCHEMA intake_store TO intake_assistant_app;
GRANT EXECUTE ON FUNCTION intake_store.current_advisor(), intake_store.current_team(),
    intake_store.whoami() TO intake_assistant_app;
GRANT SELECT ON intake_store.colleagues TO intake_assistant_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON intake_store.intakes, intake_store.kept_states
    TO intake_assistant_app;
GRANT SELECT, INSERT ON intake_store.access_log TO intake_assistant_app;
