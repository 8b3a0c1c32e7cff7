-- Who an intake belongs to within its team: the advisor who made (or copied in) it, until it
-- is handed to a colleague (store reassign, written to the access log as 'reassign'). The
-- reference names the team too, so an intake can belong to an advisor of its own team only.

ALTER TABLE intake_store.advisors ADD CONSTRAINT advisors_team_id_id UNIQUE (team_id, id);

ALTER TABLE intake_store.intakes
    ADD COLUMN advisor_id bigint DEFAULT intake_store.current_advisor();
-- intakes saved before this migration belong to whoever saved them last
UPDATE intake_store.intakes SET advisor_id = updated_by WHERE advisor_id IS NULL;
ALTER TABLE intake_store.intakes ADD CONSTRAINT intakes_advisor_in_team
    FOREIGN KEY (team_id, advisor_id) REFERENCES intake_store.advisors (team_id, id);

-- An advisor of the transaction's team by name, not revoked (NULL: none): whom an intake may
-- be handed to. The app cannot read the advisors table itself.
CREATE FUNCTION intake_store.active_colleague(colleague_name text) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT a.id FROM intake_store.advisors a
    WHERE a.team_id = intake_store.current_team() AND a.name = colleague_name
      AND a.revoked_at IS NULL
$$;

REVOKE ALL ON FUNCTION intake_store.active_colleague(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake_store.active_colleague(text) TO intake_assistant_app;
