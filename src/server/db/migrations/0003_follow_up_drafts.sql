-- Follow-up record drafts on the server (technician's checks and handovers): drafts are stored
-- and replaced until signed (last writer wins by the record's updatedAt, decided in
-- src/server/sync/followUpOps.ts); a signed record is frozen. A draft has no content hash yet.
ALTER TABLE tech_checks ALTER COLUMN content_hash DROP NOT NULL;
ALTER TABLE handovers ALTER COLUMN content_hash DROP NOT NULL;

-- A follow-up write now says whether it is new (old_seq null) or replaces the version the push
-- read (old_seq = that version's seq):
--   tech_checks / handovers: {id, intake_id, data, content_hash, rel, old_seq}
-- 0002's function stays as it is, renamed: it takes the counter lock FIRST, writes intakes, the
-- new follow-up rows and the mutation rows, with its 40001 guards. The new wa_commit_push calls
-- it with only the new follow-up rows, then replaces the others, each only if the row still has
-- the seq that was read (else 40001: the whole statement rolls back and the push is redone).
-- Same single statement, same lock order; wa_commit_pushes calls it by name, unchanged.
ALTER FUNCTION wa_commit_push(uuid, uuid, uuid, integer, jsonb) RENAME TO wa_commit_push_inserts;

CREATE FUNCTION wa_commit_push(p_dealership uuid, p_device uuid, p_staff uuid, p_seqs integer, p jsonb)
RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
  base bigint;
  n bigint;
  t text;
  fresh jsonb := '{}'::jsonb;
  replaced jsonb := '{}'::jsonb;
BEGIN
  FOREACH t IN ARRAY ARRAY['tech_checks', 'handovers'] LOOP
    fresh := fresh || jsonb_build_object(t, COALESCE((SELECT jsonb_agg(e) FROM jsonb_array_elements(COALESCE(p->t, '[]')) e WHERE e->>'old_seq' IS NULL), '[]'::jsonb));
    replaced := replaced || jsonb_build_object(t, COALESCE((SELECT jsonb_agg(e) FROM jsonb_array_elements(COALESCE(p->t, '[]')) e WHERE e->>'old_seq' IS NOT NULL), '[]'::jsonb));
  END LOOP;

  base := wa_commit_push_inserts(p_dealership, p_device, p_staff, p_seqs, p || fresh);

  FOREACH t IN ARRAY ARRAY['tech_checks', 'handovers'] LOOP
    EXECUTE format(
      'UPDATE %I AS r SET data = v.data, content_hash = v.content_hash, seq = $1 + v.rel, device_id = $2, staff_id = $3
         FROM jsonb_to_recordset($4) AS v(id uuid, data jsonb, content_hash text, rel bigint, old_seq bigint)
        WHERE r.dealership_id = $5 AND r.id = v.id AND r.seq = v.old_seq', t)
      USING base, p_device, p_staff, replaced->t, p_dealership;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n <> jsonb_array_length(replaced->t) THEN
      RAISE EXCEPTION 'push race: a % row was changed meanwhile', t USING ERRCODE = '40001';
    END IF;
  END LOOP;

  RETURN base;
END;
$$;
