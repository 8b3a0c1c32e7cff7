-- The client's rights (AVG/GDPR): a retention period per team (teams.retention_days, since
-- 0001), intakes anonymised after it (verdict and round kept, names and figures dropped), and
-- what the app needs to find one client's intakes by KvK number.

ALTER TABLE intake_store.intakes ADD COLUMN anonymised_at timestamptz;

-- The retention period of the transaction's team, in days (NULL: none set).
CREATE FUNCTION intake_store.team_retention_days() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT t.retention_days FROM intake_store.teams t
    WHERE t.id = intake_store.current_team()
$$;

-- Whether a session state holds this KvK number in any KvK answer (a participant's, the
-- facilitator's, a link between participants).
CREATE FUNCTION intake_store.holds_kvk(state jsonb, kvk text) RETURNS boolean
    LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT EXISTS (
        SELECT FROM jsonb_each(CASE WHEN jsonb_typeof(state -> 'answers') = 'object'
                                    THEN state -> 'answers' ELSE '{}'::jsonb END) a
        WHERE a.key LIKE '%kvk%'
          AND (a.value = to_jsonb(kvk)
               OR (jsonb_typeof(a.value) = 'array' AND a.value @> jsonb_build_array(kvk))))
$$;

REVOKE ALL ON FUNCTION intake_store.team_retention_days(), intake_store.holds_kvk(jsonb, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake_store.team_retention_days(),
    intake_store.holds_kvk(jsonb, text) TO intake_assistant_app;
