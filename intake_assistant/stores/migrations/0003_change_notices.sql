-- An open window learns that a colleague saved its intake (LISTEN/NOTIFY, no polling): every
-- save or deletion of an intake notifies its team's channel with the intake's id. Nothing
-- else is in the notice (a connection can listen on any channel; row-level security does not
-- reach notices): who changed it and when is read through the table, where the policies hold.

CREATE FUNCTION intake_store.notify_change() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('intake_store_team_' || OLD.team_id, OLD.id);
    ELSE
        PERFORM pg_notify('intake_store_team_' || NEW.team_id, NEW.id);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER notify_change AFTER INSERT OR UPDATE OR DELETE ON intake_store.intakes
    FOR EACH ROW EXECUTE FUNCTION intake_store.notify_change();

-- The channel of the transaction's team.
CREATE FUNCTION intake_store.team_channel() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT 'intake_store_team_' || intake_store.current_team()
$$;

REVOKE ALL ON FUNCTION intake_store.notify_change(), intake_store.team_channel() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION intake_store.notify_change(), intake_store.team_channel()
    TO intake_assistant_app;
